"""Zalo adapter: Zalo Bot webhook JSON -> Event, Reply -> Zalo Bot API calls.

The client (webhook/zalo_client.py) already turns Zalo errors into SendError kinds.
Reference: https://bot.zaloplatforms.com/docs/ (summary in /work/shared/ZALO_BOT_API.md).
"""

import logging
import re
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from bot import texts
from bot.core.channel import ZALO, Capabilities, SendError, SendFailure
from bot.core.events import ChatKind, Event, InvalidEvent
from bot.core.replies import Attachment, Reply, numbered, split_text
from config import Settings
from db.media import signed_url
from db.models import utcnow
from webhook.channel import json_body, secret_ok, service_of
from webhook.zalo_client import ZaloBot

log = logging.getLogger(__name__)
PLATFORM = "zalo"
LINK_HOURS = 24  # how long a signed image or file link works
TEXT, IMAGE, STICKER = "message.text.received", "message.image.received", "message.sticker.received"
LINK = "message.link.received"  # a shared link, with `link` / `links[]`: read as its text
# Stickers, voice and `message.unsupported.received` (protected senders, files, contact cards)
# are content the bot cannot read (Event.unreadable); any other event name is acknowledged and
# ignored.
UNREADABLE = (STICKER, "message.voice.received", "message.unsupported.received")
IMAGE_KEYS = ("url", "photo_url", "media_url", "image_url")
DAY_MS = 86_400_000
VIETNAM_MS = 7 * 3_600_000
# Zalo sends a group message to the bot only when it @mentions the bot, and the text starts with
# the mention; the bot's name may contain spaces ("@Tổ Công Nghệ /bc vneid 3").
MENTION_BEFORE_COMMAND = re.compile(r"^@[^/\n]{1,80}?\s+(?=/)")
# a flow's answer in a group is a number (a choice, a count) or a date: "@Tổ Công Nghệ 2", "… 20/11"
MENTION_BEFORE_ANSWER = re.compile(r"^@[^\n]{1,80}?\s+(?=\d[\d/.-]*$)")
MENTION_WORD = re.compile(r"^@\S+\s+")
# Zalo's ids are short strings of letters and digits (hex in every documented example); dashes
# and underscores are let through too. Anything else is a body Zalo never sends.
ZALO_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
router = APIRouter()


@router.post("/webhook/zalo")
async def zalo_webhook(request: Request) -> Response:
    """Decode, process once (bot.inbox), answer 200 after the commit; replies go out after."""
    service = service_of(request)
    if not secret_ok(
        request.headers.get("X-Bot-Api-Secret-Token"), service.webhook_secret(PLATFORM)
    ):
        raise HTTPException(401, "wrong secret")
    channel = service.channels.get(PLATFORM)
    if channel is None:
        raise HTTPException(404, "Zalo is not configured")
    event = to_event(unwrap(await json_body(request)), bot_name=await channel.account_name())
    if event is not None:
        service.deliver_in_background(await service.inbox.submit(event, channel.capabilities))
    return Response(status_code=200)


def make_channel(settings: Settings) -> "ZaloChannel":
    """A channel whose calls go to ZALO_API_URL, so a local server can stand in, with the
    operator's limits if set (ZALO_RATE_PER_SECOND, ...)."""
    return ZaloChannel(
        ZaloBot(settings.zalo_bot_token, base_url=settings.zalo_api_url),
        public_base_url=settings.public_base_url,
        link_secret=settings.link_secret,
        capabilities=ZALO.limited(
            per_second=settings.zalo_rate_per_second,
            per_minute=settings.zalo_group_per_minute,
            per_chat=settings.zalo_chat_per_second,
        ),
    )


def unwrap(body: dict) -> dict:
    """The update itself: the docs wrap it in {"ok": true, "result": {...}}, live traffic is bare.

    Seen in openclaw/openclaw PR #991 (a 400 on bare updates), so both are accepted.
    """
    result = body.get("result")
    return result if isinstance(result, dict) and "event_name" not in body else body


def to_event(update: dict, *, bot_name: str | None = None) -> Event | None:
    """The neutral event for a text, image or link message, or for content the bot cannot read
    (`unreadable`); None for what the bot ignores. `bot_name` (getMe's account_name) is the
    mention a group message starts with."""
    name = update.get("event_name")
    message = _mapping(update.get("message"))
    chat, sender = _mapping(message.get("chat")), _mapping(message.get("from"))
    if name not in (TEXT, IMAGE, LINK, *UNREADABLE) or sender.get("is_bot"):
        return None
    if not message and name in UNREADABLE:
        return None  # `unsupported` may come without its message
    for value in (message.get("message_id"), chat.get("id"), sender.get("id")):
        if not (isinstance(value, str) and ZALO_ID.fullmatch(value)):
            raise InvalidEvent(PLATFORM, "an id is missing or not a Zalo id")
    text, photo = _string(message.get("text")), None
    if name == IMAGE:
        text, photo = _string(message.get("caption")), _image_url(message)
    group = _string(chat.get("chat_type")).upper() == "GROUP"  # "group" has been seen
    if name == LINK and not text:
        return None
    return Event(
        platform=PLATFORM,
        chat_id=chat["id"],
        chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
        user_id=sender["id"],
        # `name` when `display_name` is missing (OpenClaw monitor.inbound-parsing.test.ts)
        display_name=_string(sender.get("display_name")) or _string(sender.get("name")),
        update_key=_update_key(name, message, chat),
        text=strip_mention(text, bot_name) if group else text,
        photo_ref=f"zalo:{photo}" if photo else None,
        unreadable=name in UNREADABLE,
    )


def _update_key(name: str, message: dict, chat: dict) -> str:
    """The message's id; for content the bot cannot read, the chat and day, so the hint that
    the bot reads only text and photos comes once a day per chat, not after every sticker."""
    date = message.get("date")
    if name not in UNREADABLE or not isinstance(date, int):
        return message["message_id"]
    return f"unreadable:{chat['id']}:{(date + VIETNAM_MS) // DAY_MS}"


def _image_url(message: dict) -> str:
    """The image's URL, wherever this delivery put it: `photo_url` (SDK), `photo` (docs) as a
    string, an object or a list, or an image in `attachments[]` (OpenClaw
    monitor.image-url.test.ts)."""
    found = _url_in(message.get("photo_url")) or _url_in(message.get("photo"))
    if found:
        return found
    for attachment in message.get("attachments") or []:
        kind = (
            f"{_mapping(attachment).get('type', '')} {_mapping(attachment).get('media_type', '')}"
        )
        if kind.strip() and not ("image" in kind.lower() or "photo" in kind.lower()):
            continue
        found = _url_in(attachment) or _url_in(_mapping(attachment).get("payload"))
        if found:
            return found
    return ""


def _url_in(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return next((url for url in map(_url_in, value) if url), "")
    if isinstance(value, dict):
        return next((v.strip() for k in IMAGE_KEYS if isinstance(v := value.get(k), str)), "")
    return ""


def strip_mention(text: str, bot_name: str | None = None) -> str:
    """The text without the bot's @name. Without the name (getMe failed): `/bc vneid 3` for
    `@Tổ Công Nghệ /bc vneid 3`, `2` for `@Tổ Công Nghệ 2`, and `hủy đi` for `@Bot hủy đi` (other
    text after a name with spaces keeps all but its first word)."""
    text = text.strip()
    if bot_name:  # known: taken out wherever it is ("@Lan ơi @Tổ Công Nghệ vneid 5"); else shapes
        found = re.search("@" + re.escape(bot_name) + r"(?!\w)", text, re.IGNORECASE)
        if found:
            return f"{text[: found.start()].rstrip()} {text[found.end() :].lstrip()}".strip()
    if not text.startswith("@"):
        return text
    for mention in (MENTION_BEFORE_COMMAND, MENTION_BEFORE_ANSWER):
        found = mention.match(text)
        if found:
            return text[found.end() :]
    return MENTION_WORD.sub("", text, count=1)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


class ZaloChannel:
    platform = PLATFORM

    def __init__(
        self,
        bot: ZaloBot,
        *,
        public_base_url: str,
        link_secret: str,
        capabilities: Capabilities = ZALO,
    ) -> None:
        self.bot = bot
        self.capabilities = capabilities
        self.public_base_url = public_base_url
        self.link_secret = link_secret
        self._account_name: str | None = None

    async def account_name(self) -> str | None:
        """The bot's name as group messages mention it, asked once (getMe); None while Zalo
        cannot be asked."""
        if self._account_name is None:
            try:
                me = await self.bot.get_me()
                self._account_name = me.get("account_name") or me.get("name") or None
            except SendError as error:
                log.warning("getMe failed, group mentions are read by their shape: %s", error)
        return self._account_name

    async def aclose(self) -> None:
        await self.bot.aclose()

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        """Choices as a numbered list; an image by public link, a file as a download link."""
        # Zalo has no keyboards and no uploads: it fetches images by URL, and files cannot be sent.
        # https://bot.zaloplatforms.com/docs/ (sendPhoto takes an image URL)
        text = numbered(reply)
        if reply.document is not None:
            link = texts.FILE_LINK.format(
                filename=reply.document.filename, url=self._link(reply.document), hours=LINK_HOURS
            )
            text = f"{text}\n{link}" if text else link
        pieces = [p for p in split_text(text, self.capabilities.max_text) if p.strip()]
        if reply.image is not None:
            caption = pieces.pop(0) if pieces else None
            await self.bot.send_photo(chat_id, self._link(reply.image), caption)
        for piece in pieces:
            await self.bot.send_message(chat_id, piece)

    def _link(self, attachment: Attachment) -> str:
        if not self.public_base_url:
            raise SendError(
                SendFailure.FAILED, "PUBLIC_BASE_URL is not set: Zalo needs links for images/files"
            )
        expires_at = utcnow() + timedelta(hours=LINK_HOURS)
        return signed_url(self.public_base_url, attachment, self.link_secret, expires_at)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register the webhook; Zalo sends `secret` back in X-Bot-Api-Secret-Token."""
        await self.bot.set_webhook(url, secret)
