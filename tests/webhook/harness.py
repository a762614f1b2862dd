"""One table-driven harness for every channel adapter, as nyaruka/courier's `handlertest`.

The cases are written once, in neutral words: what a user does (`Said`), what the core answers
(`Reply`), how a platform refuses (`Refusal`). Each channel has a small driver that spells a case
in its platform's terms (the raw webhook body, the fake server's recorded calls), and the checks
read the channel's `Capabilities` as data: no case names a platform.

- incoming: the raw request goes through the adapter's real route (an ASGI app with a recording
  service in place of the inbox) and must give the expected neutral `Event`, or none;
- outgoing: `Channel.send(Reply)` must reach the fake platform as the expected calls, read back
  as neutral `Delivered` messages;
- errors: a platform error must come out as the expected neutral `SendFailure`.
"""

import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace

import httpx
from fastapi import FastAPI
from sqlmodel import select

from bot.batch import Delivery
from bot.core.channel import TELEGRAM, WEB, ZALO, Capabilities, SendFailure
from bot.core.events import ChatKind, Event
from bot.core.replies import Attachment, Choice
from config import Settings
from db.models import ChatGroup, Identity, Level, Person, WebMessage
from db.session import session_scope
from db.units import create_unit
from webhook import telegram, webchat, zalo

SECRET = "harness-secret-123"
LINK_SECRET = "harness-link-secret"
PUBLIC = "https://bot.example.vn"
BOT_NAME = "Tổ Công Nghệ"
_ids = itertools.count(7000)
NO_API = SimpleNamespace(url="http://127.0.0.1:9")  # for a channel built only to decode updates


# --- neutral cases ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Said:
    """What a user does in a chat, with no platform in it."""

    text: str = ""
    group: bool = False
    mention: bool = False  # addressed to the bot by name (`/bc@Bot`, `@Bot /bc`)
    press: str | None = None  # a button's data; typed as its number where there are no buttons
    number: int = 1  # that button's place in the list offered
    photo: bool = False  # a photo, with `text` as its caption
    contact: str | None = None  # the user shares their own phone number
    from_bot: bool = False  # another bot (or this one) wrote it
    unknown_kind: bool = False  # an update the bot does not handle (a reaction, a channel's edit)


@dataclass(frozen=True)
class Incoming:
    """A labelled case: what was said, and the fields the Event must have (None: no event).

    `needs` names a capability flag the case needs (`contact_request`): channels without it skip.
    """

    label: str
    said: Said
    expect: dict | None
    needs: str = ""


@dataclass(frozen=True)
class Delivered:
    """One message as the user sees it, read back from what the platform received."""

    text: str = ""
    buttons: tuple[tuple[str, str], ...] = ()
    image: bytes | str | None = None  # uploaded bytes, or a link the platform fetches
    file: bytes | str | None = None
    filename: str = ""


@dataclass(frozen=True)
class Refusal:
    """A platform error, in the words both remote platforms use, and the kind it must become."""

    label: str
    status: int
    description: str
    kind: SendFailure
    retry_after: float | None = None


# --- the recording service the routes talk to -------------------------------------------------
@dataclass
class RecordingService:
    """Stands in for the assembled service (cli.app.Service): the routes hand it events, it keeps them."""

    channels: dict
    events: list[tuple[Event, Capabilities]] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)  # no web chat password

    @property
    def inbox(self) -> "RecordingService":
        return self

    def webhook_secret(self, platform: str) -> str:
        return SECRET

    async def submit(self, event: Event, capabilities: Capabilities) -> Delivery:
        self.events.append((event, capabilities))
        return Delivery()

    def deliver_in_background(self, delivery) -> None:
        """Nothing to deliver: the inbox was not run."""

    async def deliver(self, delivery) -> None:
        """Nothing to deliver: the inbox was not run."""


def asgi_client(router, service: RecordingService) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(router)
    app.state.service = service
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


# --- drivers: one per channel -------------------------------------------------------------------
class Driver:
    """What the harness needs of one channel; subclasses spell the cases in platform terms."""

    platform = ""
    capabilities: Capabilities
    router = None
    remote = True  # False: the channel stores messages itself, no platform can refuse them
    user_id, display_name, group_id, group_title = "", "", "", ""

    async def prepare(self) -> None:
        """Rows the route needs before it accepts a message (none for a remote platform)."""

    def request(self, said: Said) -> tuple[str, dict, dict] | None:
        """(path, headers, JSON body) for `said`; None when the platform cannot express it."""
        raise NotImplementedError

    def channel(self, api):
        raise NotImplementedError

    async def delivered(self, api, chat_id: str) -> list[Delivered]:
        raise NotImplementedError

    def chat_id(self, group: bool) -> str:
        return self.group_id if group else self.user_id


class TelegramDriver(Driver):
    platform, capabilities, router = telegram.PLATFORM, TELEGRAM, telegram.router
    user_id, display_name, group_id, group_title = "501", "Trần Bình", "-100200300", "Nhóm ấp"
    flavor = "telegram"

    def request(self, said: Said) -> tuple[str, dict, dict] | None:
        update_id = next(_ids)
        chat = (
            {"id": int(self.group_id), "type": "supergroup", "title": self.group_title}
            if said.group
            else {"id": int(self.user_id), "type": "private", "first_name": "Trần"}
        )
        user = {"id": int(self.user_id), "is_bot": said.from_bot, "first_name": "Trần"}
        user["last_name"] = "Bình"
        message: dict = {"message_id": update_id, "date": 1763880000, "chat": chat, "from": user}
        if said.press is not None:
            bot = {"id": 1, "is_bot": True, "first_name": BOT_NAME}
            shown = {**message, "from": bot, "text": "…"}
            query = {"id": str(update_id), "from": user, "chat_instance": "c", "data": said.press}
            body = {"update_id": update_id, "callback_query": {**query, "message": shown}}
        elif said.unknown_kind:  # an edited channel post: parsed by the library, not for the bot
            channel = {"id": -1009876543210, "type": "channel", "title": "Kênh"}
            post = {**message, "chat": channel, "text": said.text}
            body = {"update_id": update_id, "edited_channel_post": post}
        else:
            body = {"update_id": update_id, "message": {**message, **self._content(said)}}
        return "/webhook/telegram", {"X-Telegram-Bot-Api-Secret-Token": SECRET}, body

    def _content(self, said: Said) -> dict:
        """The message's text, or its photo and caption, or its shared contact."""
        text = said.text
        if said.mention and text.startswith("/"):
            head, _, rest = text.partition(" ")
            text = f"{head}@ToCongNgheBot {rest}".strip()
        if said.photo:
            sizes = [(f"small{next(_ids)}", 90), (f"big{next(_ids)}", 800)]
            photo = [{"file_id": i, "file_unique_id": i, "width": w, "height": w} for i, w in sizes]
            return {"photo": photo, "caption": text}
        if said.contact is not None:
            contact = {"phone_number": said.contact, "user_id": int(self.user_id)}
            return {"contact": {**contact, "first_name": "Trần"}}
        return {"text": text}

    def channel(self, api):
        settings = Settings(telegram_bot_token="123456:TEST", telegram_api_url=api.url)
        return telegram.TelegramChannel(telegram.make_bot(settings))

    async def delivered(self, api, chat_id: str) -> list[Delivered]:
        found = []
        for call in api.calls():
            if str(call.params.get("chat_id")) != chat_id:
                continue
            markup = call.params.get("reply_markup") or {}
            buttons = tuple(
                (b["text"], b.get("callback_data", ""))
                for row in markup.get("inline_keyboard", [])
                for b in row
            )
            text = call.params.get("text") or call.params.get("caption") or ""
            photo, document = call.files.get("photo"), call.files.get("document")
            found.append(
                Delivered(
                    text=text,
                    buttons=buttons,
                    image=photo[1] if photo else None,
                    file=document[1] if document else None,
                    filename=document[0] if document else "",
                )
            )
        return found


class ZaloDriver(Driver):
    platform, capabilities, router = zalo.PLATFORM, ZALO, zalo.router
    user_id, display_name = "6ede9afa66b88fe6d6a9", "Trần Bình"
    group_id, group_title = "g7c3b1f5e9a2d4c6b8e0f", ""
    flavor = "zalo"

    def request(self, said: Said) -> tuple[str, dict, dict] | None:
        if said.contact is not None:
            return None  # Zalo has no contact sharing
        chat = {"id": self.group_id if said.group else self.user_id}
        chat["chat_type"] = "GROUP" if said.group else "PRIVATE"
        sender = {"id": self.user_id, "display_name": self.display_name, "is_bot": said.from_bot}
        message = {"message_id": f"m{next(_ids)}", "date": 1763880000000, "chat": chat}
        message["from"] = sender
        text = str(said.number) if said.press is not None else said.text
        if said.mention:
            text = f"@{BOT_NAME} {text}"
        name = "message.text.received"
        if said.unknown_kind:  # seen only in third-party code (ZALO_BOT_API.md)
            name = "message.reaction.received"
        elif said.photo:
            name = "message.image.received"
            message.update(photo_url="https://zalo.example/p.jpg", caption=text)
        else:
            message["text"] = text
        body = {"ok": True, "result": {"event_name": name, "message": message}}
        return "/webhook/zalo", {"X-Bot-Api-Secret-Token": SECRET}, body

    def channel(self, api):
        settings = Settings(
            zalo_bot_token="1234:zalo",
            zalo_api_url=api.url,
            public_base_url=PUBLIC,
            link_secret=LINK_SECRET,
            zalo_chat_per_second=None,  # the platform's own pace, not the tests' (conftest.py)
        )
        return zalo.make_channel(settings)

    async def delivered(self, api, chat_id: str) -> list[Delivered]:
        found = []
        for call in api.calls():
            if str(call.params.get("chat_id")) != chat_id:
                continue
            text = call.params.get("text") or call.params.get("caption") or ""
            found.append(Delivered(text=text, image=call.params.get("photo")))
        return found


class WebDriver(Driver):
    platform, capabilities, router = webchat.PLATFORM, WEB, webchat.router
    user_id, display_name, group_id, group_title = "web-301", "Trần Bình", "g-28468", "Nhóm xã"
    remote = False
    flavor = None

    async def prepare(self) -> None:
        async with session_scope() as session:
            unit = await create_unit(
                session, level=Level.COMMUNE, name="Xã Tân Phú", parent=None, code="28468"
            )
            person = Person(display_name=self.display_name)
            session.add(person)
            await session.flush()
            identity = Identity(
                person_id=person.id,
                platform=self.platform,
                user_id=self.user_id,
                display_name=self.display_name,
            )
            session.add(identity)
            session.add(
                ChatGroup(
                    platform=self.platform,
                    chat_id=self.group_id,
                    unit_id=unit.id,
                    title=self.group_title,
                )
            )
            await session.commit()

    def request(self, said: Said) -> tuple[str, dict, dict] | None:
        if said.photo or said.contact is not None or said.from_bot or said.unknown_kind:
            return None  # the page sends typed lines and button presses only
        chat = self.group_id if said.group else f"{webchat.PRIVATE}{self.user_id}"
        body = {"as": self.user_id, "chat": chat, "key": f"key-{next(_ids)}", "text": said.text}
        if said.press is not None:
            body.update(text="", choice=said.press, label="Hôm nay")
        return "/webchat/send", {}, body

    def channel(self, api):
        return webchat.WebChannel(link_secret=LINK_SECRET)

    async def delivered(self, api, chat_id: str) -> list[Delivered]:
        chat = chat_id if chat_id.startswith(webchat.GROUP) else f"{webchat.PRIVATE}{chat_id}"
        async with session_scope() as session:
            query = select(WebMessage).where(WebMessage.chat_id == chat).order_by(WebMessage.id)
            rows = (await session.exec(query)).all()
        return [
            Delivered(
                text=row.payload.get("text", ""),
                buttons=tuple((c["label"], c["data"]) for c in row.payload.get("choices", [])),
                image=row.payload.get("image_url"),
                file=row.payload.get("file_url"),
                filename=row.payload.get("filename", ""),
            )
            for row in rows
            if row.from_bot
        ]


DRIVERS = {"telegram": TelegramDriver, "zalo": ZaloDriver, "web": WebDriver}


# --- the cases ----------------------------------------------------------------------------------
# `None` as a value: the field is checked by the rule in `expected_event` (chat id, user, ...).
INCOMING = [
    Incoming(
        "private text",
        Said("vneid 5 dvc 3"),
        {"text": "vneid 5 dvc 3", "chat_kind": ChatKind.PRIVATE, "choice": None},
    ),
    Incoming(
        "group command",
        Said("/baocao tuan", group=True),
        {"command": ("baocao", "tuan"), "chat_kind": ChatKind.GROUP},
    ),
    Incoming(
        "command addressed to the bot by name",
        Said("/bc vneid 3", group=True, mention=True),
        {"command": ("bc", "vneid 3"), "chat_kind": ChatKind.GROUP},
    ),
    Incoming(
        "button press, or its number typed where there are no buttons",
        Said(press="day:0", number=1),
        {"chat_kind": ChatKind.PRIVATE},
    ),
    Incoming(
        "photo with a caption",
        Said("ảnh buổi hướng dẫn", photo=True),
        {"text": "ảnh buổi hướng dẫn", "photo_ref": True},
    ),
    Incoming(
        "own phone number shared",
        Said(contact="+84 912 000 002"),
        {"contact_phone": "+84 912 000 002", "text": ""},
        needs="contact_request",
    ),
    Incoming("a bot's own message", Said("/bc vneid 3", from_bot=True), None),
    Incoming("an update kind the bot does not handle", Said("sửa", unknown_kind=True), None),
]

ATTACHMENT_BYTES = b"\x89PNG\r\n\x1a\nfake"
IMAGE = Attachment("img0123456789abcdef", "bangxephang.png", "image/png")
WORKBOOK = Attachment(
    "xls0123456789abcdef",
    "baocao.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
MEDIA = {IMAGE.media_id: ATTACHMENT_BYTES, WORKBOOK.media_id: b"PK\x03\x04workbook"}
CHOICES = (Choice("Hôm nay", "day:0"), Choice("Hôm qua", "day:1"), Choice("✖️ Hủy", "cancel"))

REFUSALS = [
    Refusal("rate limited", 429, "Too Many Requests: retry after 7", SendFailure.THROTTLED, 7),
    Refusal("server error", 502, "Bad Gateway", SendFailure.RETRYABLE),
    Refusal(
        "blocked by the user",
        403,
        "Forbidden: bot was blocked by the user",
        SendFailure.UNREACHABLE,
    ),
    Refusal("chat not found", 400, "Bad Request: chat not found", SendFailure.UNREACHABLE),
    Refusal("bad request", 400, "Bad Request: message text is empty", SendFailure.FAILED),
]


def expected_event(driver: Driver, case: Incoming) -> dict:
    """The case's fields, plus those every event from this driver's user must have."""
    group = case.said.group
    fields = {
        "platform": driver.platform,
        "chat_id": driver.chat_id(group),
        "user_id": driver.user_id,
        "display_name": driver.display_name,
        "chat_title": driver.group_title if group else "",
        **case.expect,
    }
    if case.said.press is not None:  # a button gives its data; a typed number stays text
        pressed = driver.capabilities.buttons
        fields.update(
            choice=case.said.press if pressed else None,
            text="" if pressed else str(case.said.number),
        )
    return fields


def event_fields(event: Event, wanted: dict) -> dict:
    """The event's values of the wanted fields; `photo_ref: True` asks only that there is one."""
    found = {name: getattr(event, name) for name in wanted}
    if wanted.get("photo_ref") is True:
        found["photo_ref"] = bool(event.photo_ref) and event.photo_ref.startswith(
            f"{event.platform}:"
        )
    return found


def long_text(limit: int) -> str:
    """Lines of 50 characters, a little over twice `limit` in all: three messages."""
    line = "Ấp Tân Hòa: VNeID 5, DVC 3, hộ 8"
    return "\n".join(f"{n:03d} {line}".ljust(50, ".") for n in range(2 * limit // 51 + 3))
