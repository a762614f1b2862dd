"""The channel port: what every platform adapter implements, what it can render and how fast it
may send (capabilities as data), and the neutral send errors the sender decides by.

The core and the sender read these flags and limits, never a platform's name.
"""

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from bot.core.replies import Reply
from db.rate_slots import Rates


@dataclass(frozen=True)
class Capabilities:
    """What a channel can render, and its delivery limits (0: none)."""

    buttons: bool
    max_text: int
    files: bool
    contact_request: bool = False
    press_notices: bool = False  # a button press is answered with a short notice, not a message
    group_mentions_only: bool = False  # the bot sees a group message only when it is mentioned
    bot_per_second: float = 0.0  # sends by the bot, over all its chats
    group_per_minute: float = 0.0  # sends to one group chat in any 60 s window
    chat_per_second: float = 0.0  # sends to one private chat, past a short burst

    @property
    def rates(self) -> Rates:
        """The limits as the rate slots keep them: the gap between two sends by the bot, how many
        sends one group may get in any minute, and the gap between two sends to one private chat
        past its burst (db.rate_slots)."""
        return Rates(
            _gap(self.bot_per_second), int(self.group_per_minute), _gap(self.chat_per_second)
        )

    def limited(
        self,
        *,
        per_second: float | None,
        per_minute: float | None,
        per_chat: float | None = None,
    ) -> "Capabilities":
        """These capabilities with the operator's limits (None keeps the platform's)."""
        return replace(
            self,
            bot_per_second=self.bot_per_second if per_second is None else per_second,
            group_per_minute=self.group_per_minute if per_minute is None else per_minute,
            chat_per_second=self.chat_per_second if per_chat is None else per_chat,
        )


def _gap(per_second: float) -> timedelta:
    return timedelta(seconds=1 / per_second) if per_second else timedelta(0)


# Published limits: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
# ("In a single chat, avoid sending more than one message per second. We may allow short bursts")
TELEGRAM = Capabilities(
    buttons=True,
    max_text=4096,
    files=True,
    contact_request=True,
    press_notices=True,  # answerCallbackQuery's text
    bot_per_second=30.0,
    group_per_minute=20.0,
    chat_per_second=1.0,
)
# Zalo publishes no limits; these are cautious (Telegram's per chat). No keyboards, no uploads.
ZALO = Capabilities(
    buttons=False,
    max_text=2000,
    files=False,
    group_mentions_only=True,  # a beta: group messages reach the bot only when they mention it
    bot_per_second=5.0,
    group_per_minute=20.0,
    chat_per_second=1.0,
)
WEB = Capabilities(buttons=True, max_text=4000, files=True)  # the local page: no limits


class SendFailure(StrEnum):
    """Why a send failed, each kind marked retryable or not (`retryable`)."""

    THROTTLED = "throttled"  # 429: wait retry_after, then retry
    RETRYABLE = (
        "retryable"  # 5xx, timeout, connection error: back off, retry a bounded number of times
    )
    UNREACHABLE = "unreachable"  # blocked, kicked, chat not found: stop sending there
    MOVED = "moved"  # the chat lives under a new id (`moved_to`): move it and send there
    FAILED = "failed"  # anything else: do not retry

    @property
    def retryable(self) -> bool:
        return self in (SendFailure.THROTTLED, SendFailure.RETRYABLE)


@dataclass
class SendError(Exception):
    kind: SendFailure
    detail: str = ""
    retry_after: float | None = None
    moved_to: str | None = None  # MOVED: the chat's new id

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class Channel(Protocol):
    platform: str
    capabilities: Capabilities

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        """Deliver one reply; `media` maps attachment ids to bytes. Raises SendError."""

    async def aclose(self) -> None:
        """Close the channel's HTTP connections (on shutdown)."""
