"""What a channel adapter hands the core: one neutral incoming event."""

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

# `/name`, `/name@SomeBot`, then any whitespace (a space, a newline) before the arguments
COMMAND = re.compile(r"/([^\s@]*)(?:@(\S*))?(?:\s+(.*))?", re.DOTALL)


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Event:
    """A message or button press, with no platform type inside.

    `update_key` is the platform's id for this delivery; two deliveries with one key count once.
    `choice` is the data of a pressed button (or None); `contact_phone` a shared phone number.
    `forwarded`: the text was written by someone else and passed on, so it speaks for them.
    `bot_joined`: True when the bot was added to this group, False when removed, else None.
    `message_key`: the platform's id of the message itself (the same when it is edited), if any.
    `edited`: a new version of the message `message_key`, not a new message.
    `unreadable`: content the bot cannot read (voice, sticker, file); its text is empty.
    `anonymous`: sent as a group or channel, not by a person's account (`user_id` is that chat's).
    `thread_id`: the topic of a forum group the message is in; answers go back to it.
    `moved_from`: this group chat is the one known until now under that id (it changed its id).
    """

    platform: str
    chat_id: str
    chat_kind: ChatKind
    user_id: str
    display_name: str
    update_key: str
    text: str = ""
    choice: str | None = None
    photo_ref: str | None = None
    contact_phone: str | None = None
    chat_title: str = ""
    forwarded: bool = False
    moved_from: str | None = None
    thread_id: str | None = None
    bot_joined: bool | None = None
    anonymous: bool = False
    unreadable: bool = False
    message_key: str | None = None
    edited: bool = False
    extras: dict = field(default_factory=dict)

    @property
    def is_private(self) -> bool:
        return self.chat_kind == ChatKind.PRIVATE

    @property
    def command(self) -> tuple[str, str] | None:
        return parse_command(self.text)


def parse_command(text: str) -> tuple[str, str] | None:
    """`("bc", "vneid 5")` for `/bc@MyBot vneid 5` or `/bc` + newline + `vneid 5`; None when the
    text is not a command. Which bot a command names is the adapter's business (`addressee`)."""
    found = COMMAND.fullmatch(text.strip())
    if found is None or not found.group(1):
        return None
    return found.group(1).lower(), (found.group(3) or "").strip()


def addressee(text: str) -> str | None:
    """`MyBot` for `/bc@MyBot vneid 5`: the bot a command is addressed to, if it names one."""
    found = COMMAND.fullmatch(text.strip())
    return found.group(2) if found is not None and found.group(1) else None


# What the database columns hold (db.models): a longer id is not one a platform sends.
ID_LIMITS = {
    "chat_id": 64,
    "user_id": 64,
    "update_key": 128,
    "message_key": 100,
    "moved_from": 64,
    "thread_id": 32,
    "photo_ref": 2000,
}
REQUIRED = ("chat_id", "update_key")
NAME_LIMIT = 200  # display names and chat titles (db.models), cut rather than refused
# Lone surrogates (the database cannot encode them), NUL and the other C0 controls but tab and
# newline: nothing a person types.
UNSTORABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")
ID_CHARACTERS = re.compile(r"[!-~]+")  # printable ASCII, no space


class InvalidEvent(ValueError):
    """An update no platform would send (an id of the wrong shape): refused before it reaches
    the database. The reason names a field, never a value, so it can be logged."""

    def __init__(self, platform: str, reason: str) -> None:
        super().__init__(f"{platform}: {reason}")
        self.platform = platform
        self.reason = reason


def clean(text: str) -> str:
    """The text without what cannot be stored (lone surrogates, NUL, control characters)."""
    return UNSTORABLE.sub("", text)


def checked(event: Event) -> Event:
    """The event ready to store: ids within their columns and printable, free text cleaned.
    Raises InvalidEvent for an id no platform sends."""
    for name, limit in ID_LIMITS.items():
        value = getattr(event, name)
        if value is None or (value == "" and name not in REQUIRED):
            continue
        if not isinstance(value, str) or not value:
            raise InvalidEvent(event.platform, f"{name} missing")
        if len(value) > limit:
            raise InvalidEvent(event.platform, f"{name} longer than {limit}")
        if name != "photo_ref" and not ID_CHARACTERS.fullmatch(value):
            raise InvalidEvent(event.platform, f"{name} not printable")
    if event.photo_ref is not None and UNSTORABLE.search(event.photo_ref):
        raise InvalidEvent(event.platform, "photo_ref not printable")
    return replace(
        event,
        text=clean(event.text),
        display_name=clean(event.display_name)[:NAME_LIMIT],
        chat_title=clean(event.chat_title)[:NAME_LIMIT],
        choice=clean(event.choice) if event.choice else event.choice,
        contact_phone=clean(event.contact_phone) if event.contact_phone else event.contact_phone,
    )
