"""What the webhook routes share: the service behind them, the secret check and the JSON body."""

import hmac
import logging
from typing import Protocol

from fastapi import HTTPException, Request

from bot.batch import Delivery
from bot.core.channel import Channel
from bot.inbox import Inbox
from config import Settings

log = logging.getLogger(__name__)


class Service(Protocol):
    """What the routes reach through `request.app.state.service` (assembled by cli.app)."""

    settings: Settings
    channels: dict[str, Channel]
    inbox: Inbox

    def webhook_secret(self, platform: str) -> str: ...

    async def deliver(self, delivery: Delivery) -> None:
        """Send an update's replies now."""

    def deliver_in_background(self, delivery: Delivery) -> None:
        """Send an update's replies after the webhook has answered."""

    async def run_job_now(self, name: str) -> dict | None:
        """Run a weekly job now (the web chat's buttons); None for a job it may not run."""


def service_of(request: Request) -> Service:
    return request.app.state.service


def secret_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unset secret refuses everything rather than trusting anyone."""
    return (
        bool(expected)
        and given is not None
        and hmac.compare_digest(given.encode(), expected.encode())
    )


MAX_DEPTH = 32  # a real update nests ~8 deep (a reply's message holds no further reply)


async def json_body(request: Request) -> dict:
    """The request's JSON object, or 400: a malformed body is refused, never half-processed."""
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: nested past the parser
        body = None
    reason = (
        "not a JSON object"
        if not isinstance(body, dict)
        else "nested too deep"
        if too_deep(body, MAX_DEPTH)
        else ""
    )
    if reason:  # one line, with no part of the body
        log.warning("%s refused: %s", request.url.path, reason)
        raise HTTPException(400, f"body {reason}")
    return body


def too_deep(value, limit: int) -> bool:
    """True when lists and objects nest more than `limit` deep (walked without recursion)."""
    level = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True
