"""The interface every channel adapter implements, neutral send errors, and what webhook routes share."""

import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from fastapi import HTTPException, Request

from bot.core.replies import Capabilities, Reply


class SendFailure(StrEnum):
    THROTTLED = "throttled"  # 429: wait retry_after, then retry
    RETRYABLE = (
        "retryable"  # 5xx, timeout, connection error: back off and retry a bounded number of times
    )
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

    async def aclose(self) -> None:
        """Close the channel's HTTP connections (on shutdown)."""


def secret_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unset secret refuses everything rather than trusting anyone."""
    return (
        bool(expected)
        and given is not None
        and hmac.compare_digest(given.encode(), expected.encode())
    )


async def json_body(request: Request) -> dict:
    """The request's JSON object, or 400: a malformed body is refused, never half-processed."""
    try:
        body = await request.json()
    except ValueError as error:
        raise HTTPException(400, "body is not JSON") from error
    if not isinstance(body, dict):
        raise HTTPException(400, "body is not a JSON object")
    return body
