"""A limit on what one person may send, kept in the database so it holds across processes.

Each sender has a GCRA slot (db.rate_slots) allowing FLOOD_MESSAGES messages per FLOOD_SECONDS,
in bursts up to that many. Past it, the first refused message gets one polite notice; the
next ones get nothing and count for nothing, until the window has passed since the notice (a
second slot, `hush`).
A flood then costs one dedupe row per message and never the others' replies.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import texts
from bot.core.events import Event
from bot.core.replies import Reply
from config import Settings
from db.rate_slots import Slots

ALLOW, NOTICE, SILENCE = "allow", "notice", "silence"


@dataclass(frozen=True)
class Limit:
    messages: int
    window: timedelta

    @property
    def gap(self) -> timedelta:
        return self.window / self.messages

    @classmethod
    def of(cls, settings: Settings) -> "Limit":
        return cls(settings.flood_messages, timedelta(seconds=settings.flood_seconds))


def _keys(event: Event) -> tuple[str, str]:
    who = f"{event.platform}:{event.user_id}"
    return f"in:{who}", f"hush:{who}"


async def admit(
    session,
    events: list[Event],
    *,
    limit: Limit,
    now: datetime,
    slots: Slots,
    also: Mapping[str, datetime] | None = None,
) -> list[str]:
    """ALLOW, NOTICE or SILENCE for each event, in order. The senders' slots are locked into
    `slots`, with the slots `also` names (in the same statement), and moved on there: the
    caller writes them in its transaction (`Slots.write`, which `plan_sends` does). Events with
    no sender (a group's id change) are always allowed."""
    counted = [bool(e.user_id) and e.moved_from is None for e in events]
    if not any(counted) or limit.messages <= 0:
        return [ALLOW] * len(events)
    keys = {k: now for e, c in zip(events, counted, strict=True) if c for k in _keys(e)}
    await slots.lock(session, {**(also or {}), **keys})
    return [
        _judge(slots.free, *_keys(e), limit=limit, now=now) if c else ALLOW
        for e, c in zip(events, counted, strict=True)
    ]


def _judge(slots: dict, key: str, hush: str, *, limit: Limit, now: datetime) -> str:
    """Silent for a window after a notice; otherwise GCRA: allowed while the slot's time, one
    gap on, stays within a window from now."""
    if slots[hush] > now:
        return SILENCE
    at = max(slots[key], now) + limit.gap
    if at <= now + limit.window:
        slots[key] = at
        return ALLOW
    slots[hush] = now + limit.window
    return NOTICE


def notice(limit: Limit) -> list[Reply]:
    minutes = max(1, round(limit.window.total_seconds() / 60))
    return [Reply(texts.FLOOD_NOTICE.format(minutes=minutes))]
