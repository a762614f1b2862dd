"""What a channel adapter hands the core: one neutral incoming event."""

from dataclasses import dataclass, field
from enum import StrEnum


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Event:
    """A message or button press, with no platform type inside.

    `update_key` is the platform's id for this delivery; two deliveries with one key count once.
    `choice` is the data of a pressed button (or None); `contact_phone` a shared phone number.
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
    extras: dict = field(default_factory=dict)

    @property
    def is_private(self) -> bool:
        return self.chat_kind == ChatKind.PRIVATE

    @property
    def command(self) -> tuple[str, str] | None:
        return parse_command(self.text)


def parse_command(text: str) -> tuple[str, str] | None:
    """`("bc", "vneid 5")` for `/bc@MyBot vneid 5`; None when the text is not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, rest = text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return (name, rest.strip()) if name else None
