"""What the webhook routes share: the service behind them, the secret check and the JSON body."""

import hmac
from typing import Protocol

from fastapi import HTTPException, Request

from bot.core.channel import Channel
from bot.inbox import Delivery, Inbox
from config import Settings


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


async def json_body(request: Request) -> dict:
    """The request's JSON object, or 400: a malformed body is refused, never half-processed."""
    try:
        body = await request.json()
    except ValueError as error:
        raise HTTPException(400, "body is not JSON") from error
    if not isinstance(body, dict):
        raise HTTPException(400, "body is not a JSON object")
    return body
