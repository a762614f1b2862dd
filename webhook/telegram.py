"""Telegram adapter: PTB Update -> Event, Reply -> Bot API calls, Telegram errors -> SendError kinds."""

import logging
import warnings
from dataclasses import replace
from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot import texts
from bot.core.channel import TELEGRAM, Capabilities, SendError, SendFailure
from bot.core.events import ChatKind, Event, InvalidEvent, addressee
from bot.core.replies import Reply, split_text
from config import Settings
from webhook.channel import json_body, secret_ok, service_of

log = logging.getLogger(__name__)
PLATFORM = "telegram"
# Update kinds Telegram sends us (setWebhook allowed_updates): edited_message for corrected
# reports, my_chat_member tells when the bot is added to or removed from a group.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
IN_CHAT = ("creator", "administrator", "member")
UNREACHABLE_WORDS = ("chat not found", "user is deactivated", "bot was kicked", "not enough rights")
INT64 = range(-(2**63), 2**63)  # Telegram ids: integers of at most 52 significant bits
router = APIRouter()


@router.post("/webhook/telegram")
async def telegram_webhook(request: Request) -> Response:
    """Decode, process once (bot.inbox), answer 200 after the commit; replies go out after."""
    service = service_of(request)
    if not secret_ok(
        request.headers.get("X-Telegram-Bot-Api-Secret-Token"), service.webhook_secret(PLATFORM)
    ):
        raise HTTPException(401, "wrong secret")
    channel = service.channels.get(PLATFORM)
    if channel is None:
        raise HTTPException(404, "Telegram is not configured")
    body = await json_body(request)
    _id(body.get("update_id"))
    try:
        update = Update.de_json(body, channel.bot)
    except Exception as error:
        return unreadable(body, error)
    try:
        event = to_event(update) if update is not None else None
    except (
        AttributeError,
        TypeError,
    ) as error:  # a message without `chat`, a button without `from`
        raise InvalidEvent(PLATFORM, f"a field is missing ({type(error).__name__})") from error
    if event is not None and await for_another_bot(channel, event.text):
        event = None
    notice = ""
    if event is not None:
        delivery = await service.inbox.submit(event, channel.capabilities)
        service.deliver_in_background(delivery)
        notice = delivery.notice
    if update is not None and update.callback_query is not None:
        return JSONResponse(answer_button(update.callback_query.id, notice))
    return Response(status_code=200)


def unreadable(body: dict, error: Exception) -> Response:
    """An update the library cannot read (a newer shape): 200 and a warning, else Telegram retries
    it for hours and then drops it unseen. Logged: its id, its kind and the error's names only
    (TypeError and KeyError name fields; other errors may quote values, so only their type)."""
    update_id = body["update_id"]
    kind = next((key for key in body if key != "update_id"), "none")
    named = isinstance(error, TypeError | KeyError)
    reason = f"{type(error).__name__}: {error}" if named else type(error).__name__
    log.warning("Telegram update %s (%s) not readable, skipped: %s", update_id, kind, reason)
    return Response(status_code=200)


def answer_button(callback_query_id: str, notice: str = "") -> dict:
    """Every button press must be answered or the user's app shows a spinner. The answer rides on
    the webhook's response (a Bot API call in the body), so it costs no request of its own:
    https://core.telegram.org/bots/api#making-requests-when-getting-updates
    A notice (a stale button) is shown to who pressed, as an alert: never a chat message."""
    answer = {"method": "answerCallbackQuery", "callback_query_id": callback_query_id}
    if notice:
        answer.update(text=notice[:200], show_alert=True)  # answerCallbackQuery: 0-200 chars
    return answer


async def for_another_bot(channel: "TelegramChannel", text: str) -> bool:
    """`/help@OtherBot` in a group is for another bot: ours stays silent."""
    name = addressee(text)
    if not name:
        return False
    ours = await channel.username()
    return ours is not None and name.lower() != ours.lower()


def make_channel(settings: Settings) -> "TelegramChannel":
    """A channel with the operator's limits, if set (TELEGRAM_RATE_PER_SECOND, ...)."""
    capabilities = TELEGRAM.limited(
        per_second=settings.telegram_rate_per_second,
        per_minute=settings.telegram_group_per_minute,
        per_chat=settings.telegram_chat_per_second,
    )
    return TelegramChannel(make_bot(settings), capabilities=capabilities)


def make_bot(settings: Settings) -> Bot:
    """A PTB Bot whose calls go to TELEGRAM_API_URL, so a local server can stand in."""
    return Bot(
        settings.telegram_bot_token,
        base_url=f"{settings.telegram_api_url}/bot",
        base_file_url=f"{settings.telegram_api_url}/file/bot",
        request=HTTPXRequest(connection_pool_size=64, read_timeout=15, write_timeout=30),
    )


def to_event(update: Update) -> Event | None:
    """The neutral event for a message or a button press; None for what the bot ignores."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if message is None or query.data is None:
            return None
        return _event(
            update, message.chat, query.from_user, choice=query.data, thread_id=_topic(message)
        )
    joined = _bot_joined(update)
    if joined is not None:
        return joined
    message = update.message or update.edited_message
    if message is None:
        return None
    edited = update.message is None  # the core decides whether an edit changes anything
    if not edited and (message.migrate_to_chat_id or message.migrate_from_chat_id):
        return _moved(update, message)
    if message.sender_chat is not None:
        return None if edited else _sent_as_chat(update, message)
    if message.from_user is None or message.from_user.is_bot:
        return None
    photo = message.photo[-1].file_id if message.photo else None
    contact = message.contact
    own_contact = contact is not None and contact.user_id == message.from_user.id
    return _event(
        update,
        message.chat,
        message.from_user,
        text=message.text or message.caption or "",
        photo_ref=f"telegram:{photo}" if photo else None,
        contact_phone=contact.phone_number if own_contact else None,
        forwarded=message.forward_origin is not None,
        thread_id=_topic(message),
        message_key=f"{_id(message.chat.id)}:{_id(message.message_id)}",
        edited=edited,
    )


def _topic(message) -> str | None:
    """The forum topic a message is in, so answers land there and not in General. Only topic
    messages: a reply thread's id in an ordinary group is not a place to send to."""
    if getattr(message, "is_topic_message", False) and message.message_thread_id:
        return str(message.message_thread_id)
    return None


def _bot_joined(update: Update) -> Event | None:
    """The bot added to or removed from a group: `my_chat_member`, or a message with the bot in
    `new_chat_members` or as `left_chat_member`. One change brings both kinds: they share an
    update key (chat, direction, time), so the inbox counts the change once."""
    change, message = update.my_chat_member, update.message
    if change is not None:
        old, new = change.old_chat_member, change.new_chat_member
        joined = _member(new)
        if change.chat.type == "private" or _member(old) == joined:
            return None
        chat, user, when = change.chat, change.from_user, change.date
    elif message is not None and message.from_user is not None:
        bot_id = int(update.get_bot().token.split(":", 1)[0])  # a token starts with the bot's id
        added = any(member.id == bot_id for member in message.new_chat_members)
        left = message.left_chat_member is not None and message.left_chat_member.id == bot_id
        if not (added or left):
            return None
        joined, chat, user, when = added, message.chat, message.from_user, message.date
    else:
        return None
    key = f"bot:{'in' if joined else 'out'}:{chat.id}:{int(when.timestamp())}"
    event = _event(update, chat, user, bot_joined=joined)
    return replace(event, update_key=key)


def _sent_as_chat(update: Update, message) -> Event | None:
    """A message sent as a chat (`sender_chat`): an anonymous group admin, or someone posting as
    their channel. No person is known; a channel's own posts copied into its discussion group
    (`is_automatic_forward`) are not written to the bot at all."""
    if message.is_automatic_forward or message.chat.type == "channel":
        return None
    sender = message.sender_chat
    event = _event(update, message.chat, sender, text=message.text or message.caption or "")
    return replace(event, display_name=sender.title or "", anonymous=True)


def _member(member) -> bool:
    restricted = member.status == "restricted" and getattr(member, "is_member", False)
    return member.status in IN_CHAT or restricted


def _moved(update: Update, message) -> Event:
    """A group upgraded to a supergroup: a service message in the old chat names the new id
    (`migrate_to_chat_id`), one in the new chat names the old (`migrate_from_chat_id`)."""
    old, new = message.chat.id, message.migrate_to_chat_id
    if new is None:
        old, new = message.migrate_from_chat_id, message.chat.id
    user = message.from_user
    return Event(
        platform=PLATFORM,
        chat_id=_id(new),
        chat_kind=ChatKind.GROUP,
        user_id=_id(user.id) if user else "",
        display_name=user.full_name if user else "",
        update_key=str(update.update_id),
        chat_title=message.chat.title or "",
        moved_from=_id(old),
    )


def _id(value) -> str:
    """A Telegram id as text; anything but a 64-bit integer is an update Telegram never sends
    (a string "1000057", 1.5, "' OR 1=1 --")."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in INT64:
        raise InvalidEvent(PLATFORM, "an id is not a 64-bit integer")
    return str(value)


def _event(update: Update, chat, user, **fields) -> Event:
    return Event(
        platform=PLATFORM,
        chat_id=_id(chat.id),
        chat_kind=ChatKind.PRIVATE if chat.type == "private" else ChatKind.GROUP,
        user_id=_id(user.id),
        display_name=user.full_name,
        update_key=str(update.update_id),
        chat_title=chat.title or "",
        **fields,
    )


def _keyboard(reply: Reply):
    if reply.request_contact:
        button = KeyboardButton(texts.BTN_SHARE_PHONE, request_contact=True)
        return ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)
    if not reply.choices:
        return None
    buttons = [InlineKeyboardButton(c.label, callback_data=c.data) for c in reply.choices]
    width = 2 if all(len(c.label) <= 18 for c in reply.choices) else 1
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


class TelegramChannel:
    platform = PLATFORM

    def __init__(self, bot: Bot, *, capabilities: Capabilities = TELEGRAM) -> None:
        self.bot = bot
        self.capabilities = capabilities
        self._username: str | None = None

    async def username(self) -> str | None:
        """The bot's @username, asked once (getMe); None while Telegram cannot be asked."""
        if self._username is None:
            try:
                self._username = (await self.bot.get_me()).username
            except TelegramError as error:
                log.warning("getMe failed, commands to other bots are not told apart: %s", error)
        return self._username

    async def aclose(self) -> None:
        """`Bot.shutdown` skips a bot that never called `initialize` (getMe), as ours: close the
        request that sends instead (the getUpdates one is never used, so it holds no connection)."""
        await self.bot.request.shutdown()

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        try:
            await self._send(chat_id, reply, media)
        except TelegramError as error:
            raise classify(error) from error

    async def _send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        markup = _keyboard(reply)
        topic = {"message_thread_id": int(reply.thread_id)} if reply.thread_id else {}
        if reply.image is not None:
            await self.bot.send_photo(
                chat_id,
                media[reply.image.media_id],
                caption=reply.text[:1024] or None,
                reply_markup=markup,
                **topic,
            )
        elif reply.document is not None:
            document = media[reply.document.media_id]
            await self.bot.send_document(
                chat_id,
                document,
                filename=reply.document.filename,
                caption=reply.text[:1024] or None,
                **topic,
            )
        else:
            pieces = split_text(reply.text, self.capabilities.max_text)
            for number, piece in enumerate(pieces, start=1):
                await self.bot.send_message(
                    chat_id,
                    piece,
                    reply_markup=markup if number == len(pieces) else None,
                    **topic,
                )

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        await self.bot.set_my_commands(
            [BotCommand(name, text) for name, text in texts.MENU_COMMANDS]
        )


def classify(error: TelegramError) -> SendError:
    if isinstance(error, ChatMigrated):  # the group is now a supergroup under a new id
        return SendError(SendFailure.MOVED, str(error), moved_to=str(error.new_chat_id))
    if isinstance(error, RetryAfter):
        # PTB 22 warns that retry_after becomes a timedelta; both types are handled below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return SendError(SendFailure.THROTTLED, str(error), retry_after=seconds)
    if isinstance(error, Forbidden):
        return SendError(SendFailure.UNREACHABLE, str(error))
    if isinstance(error, BadRequest):
        unreachable = any(word in str(error).lower() for word in UNREACHABLE_WORDS)
        return SendError(SendFailure.UNREACHABLE if unreachable else SendFailure.FAILED, str(error))
    if isinstance(error, NetworkError):  # includes TimedOut and 5xx answers
        return SendError(SendFailure.RETRYABLE, str(error))
    return SendError(SendFailure.FAILED, str(error))
