"""The interface every channel adapter implements, and neutral send errors."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.replies import Capabilities, Reply


class SendFailure(StrEnum):
    THROTTLED = "throttled"  # 429: wait retry_after, then retry
    RETRYABLE = "retryable"  # 5xx, timeout, connection error: back off and retry a bounded number of times
    UNREACHABLE = "unreachable"  # blocked, kicked, chat not found: stop sending there
    FAILED = "failed"  # anything else: do not retry


@dataclass
class SendError(Exception):
    kind: SendFailure
    detail: str = ""
    retry_after: float | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class Channel(Protocol):
    platform: str
    capabilities: Capabilities

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        """Deliver one reply; `media` maps attachment ids to bytes. Raises SendError."""
