"""What a channel adapter hands the core: one neutral incoming event."""

import re
from dataclasses import dataclass, field
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
