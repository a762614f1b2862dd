"""Rate slots: one row per bot and per chat, shared by every process.

The bot's slot is GCRA spacing: it holds the next time a send may go, and planning a send takes
that time and moves the slot one gap on. A group's slot is a sliding window, as the platforms
count it (Telegram: 20 messages a minute to one group): it keeps the planned times of the group's
last N sends, and a send may go once the N-th last is a window (plus a margin) old. So a quiet
group's answers go at once, and a burst is held back only once the window is full. A private
chat's slot is GCRA spacing with a burst (Telegram: about one message a second to one chat,
"short bursts" allowed): CHAT_BURST sends go at once, then one a gap. The limits come from each
channel's capabilities (bot.core.channel.Capabilities).
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import RateSlot
from db.session import dialect_insert, execute_core

WINDOW = timedelta(seconds=60)  # the platform's group window
# A call is counted by the platform some time between our start and its answer, and a send may
# start a little after its plan: the window is kept this much longer, so no 60 s holds N + 1.
WINDOW_MARGIN = timedelta(seconds=1)
# Sends one private chat may get at once before its gap applies: an answer and a few notes, or
# the first lines of a flood, go without waiting; the rest of a flood goes one a gap.
CHAT_BURST = 5


class Rates(NamedTuple):
    """A platform's limits: the gap between two sends by the bot, how many sends one group chat
    may get in any WINDOW, and the gap between two sends to one private chat past its burst
    (0: no limit)."""

    bot: timedelta
    group: int
    chat: timedelta = timedelta(0)


NO_RATES = Rates(timedelta(0), 0)


class Plan(NamedTuple):
    """When a message may go; whether it holds its bot slot (a message planned for later, when
    its chat has room, takes it when its time comes); `deferred`: not planned at all, its chat
    has no room until `at` (the sender leaves such a row pending, so interactive replies go
    first)."""

    at: datetime
    has_bot_slot: bool
    deferred: bool = False


def bot_slot(platform: str) -> str:
    return f"{platform}:bot"


def chat_slot(platform: str, chat_id: str) -> str:
    return f"{platform}:chat:{chat_id}"


def window_opens(recent: list[datetime], limit: int, now: datetime) -> datetime:
    """The earliest time, `now` at the earliest, at which one more send to a group whose last
    planned sends are `recent` leaves at most `limit` in any window."""
    if len(recent) >= limit:
        return max(now, recent[-limit] + WINDOW + WINDOW_MARGIN)
    return now


async def plan_sends(
    session: AsyncSession,
    messages: list,
    *,
    rates: Mapping[str, Rates],
    now: datetime,
    defer_full: bool = False,
) -> list[Plan]:
    """Plan a batch: give each message (anything with platform, chat_id and is_group) the next
    free time of its bot slot and its chat's slot, in order.

    `rates` maps platforms to their limits (a platform not in it has none). A message whose chat
    has room (a group's window, a private chat's burst) by its turn in the bot slot takes that
    turn; otherwise it is planned for when its chat has room and takes the bot slot then
    (`take_slot`, from the sender), so one chat's wait does not hold the bot slot for the others,
    or, with `defer_full`, it is not planned (`Plan.deferred`). The slots stay locked until the
    caller commits.
    """
    gaps, limits, spacing = _limits(messages, rates)
    slots = await _lock(session, [*gaps, *limits, *spacing], now, fresh=_fresh(spacing, now))
    free = {key: slots[key][0] for key in [*gaps, *spacing]}
    held = {key: slots[key][0] for key in limits}  # a group's next free time (a 429 holds it)
    windows = {key: _times(slots[key][1]) for key in limits}
    last = {key: times[-1] for key, times in windows.items() if times}  # order across batches
    plans = []
    for m in messages:
        key, bot_key = chat_slot(m.platform, m.chat_id), bot_slot(m.platform)
        ready = max(now, free.get(bot_key, now))  # when a send taking the bot slot now would go
        if key in windows:
            opens = max(window_opens(windows[key], limits[key], now), held[key])
        else:
            opens = free.get(key, now)
        if opens > ready and defer_full:
            plans.append(Plan(opens, False, True))
            continue
        at = max(now, opens, last.get(key, now))  # a chat's messages keep their order
        has_bot_slot = at <= ready
        if has_bot_slot and bot_key in free:
            at = ready
            free[bot_key] = at + gaps[bot_key]
        last[key] = at
        if key in windows:
            windows[key].append(at)
        elif key in spacing:  # GCRA with a burst: the next may go one gap on, or a burst back
            free[key] = max(free[key], at - (CHAT_BURST - 1) * spacing[key]) + spacing[key]
        plans.append(Plan(at, has_bot_slot))
    await set_slots(session, free)
    await _set_windows(session, windows, limits, held)
    return plans


def _limits(
    messages: list, rates: Mapping[str, Rates]
) -> tuple[dict[str, timedelta], dict[str, int], dict[str, timedelta]]:
    """The slots a batch uses: each bot's gap, each group's window limit, each private chat's
    gap (the chats of a platform without that limit have no slot)."""
    gaps: dict[str, timedelta] = {}
    limits: dict[str, int] = {}
    spacing: dict[str, timedelta] = {}
    for m in messages:
        bot, group, chat = rates.get(m.platform, NO_RATES)
        if bot:
            gaps[bot_slot(m.platform)] = bot
        if m.is_group and group:
            limits[chat_slot(m.platform, m.chat_id)] = group
        elif not m.is_group and chat:
            spacing[chat_slot(m.platform, m.chat_id)] = chat
    return gaps, limits, spacing


def _fresh(spacing: Mapping[str, timedelta], now: datetime) -> dict[str, datetime]:
    """A new private chat's slot: its whole burst free now (as if idle a burst's time)."""
    return {key: now - (CHAT_BURST - 1) * gap for key, gap in spacing.items()}


async def take_slot(session: AsyncSession, key: str, gap: timedelta, now: datetime) -> datetime:
    """GCRA for one slot: its next free time (now at the earliest), and the slot one gap on."""
    if not gap:
        return now
    at = max(now, (await lock_slots(session, [key], now))[key])
    await set_slots(session, {key: at + gap})
    return at


async def hold_slot(session: AsyncSession, key: str, until: datetime, now: datetime) -> None:
    """Nobody sends through the slot before `until` (the platform said: wait)."""
    free = (await lock_slots(session, [key], now))[key]
    await set_slots(session, {key: max(free, until)})


async def give_back_slot(
    session: AsyncSession, key: str, planned: list[datetime], gap: timedelta
) -> None:
    """Move the slot back to the first of `planned` if nobody planned after the last of them:
    a compare-and-set, so a reservation made since by anyone else (it moved the slot on) is kept."""
    await session.exec(
        update(RateSlot)
        .where(RateSlot.key == key, RateSlot.next_free_at == max(planned) + gap)
        .values(next_free_at=min(planned))
    )


@cache
def _lock_slots(insert):
    """Built once per dialect: creates the missing slots and locks all, returning their times.

    The no-op update on conflict is what locks an existing row (PostgreSQL takes the row lock
    for it, like SELECT ... FOR UPDATE), in one statement instead of an INSERT and a SELECT.
    """
    table = RateSlot.__table__
    return (
        insert(table)
        .on_conflict_do_update(index_elements=["key"], set_={"next_free_at": table.c.next_free_at})
        .returning(table.c.key, table.c.next_free_at, table.c.recent)
    )


UPDATE_SLOTS = (  # executemany, one row per parameter set
    update(RateSlot.__table__)
    .where(RateSlot.__table__.c.key == bindparam("slot"))
    .values(next_free_at=bindparam("free"))
)
UPDATE_WINDOWS = (
    update(RateSlot.__table__)
    .where(RateSlot.__table__.c.key == bindparam("slot"))
    .values(next_free_at=bindparam("free"), recent=bindparam("times"))
)


async def _lock(
    session: AsyncSession,
    keys: list[str],
    now: datetime,
    *,
    fresh: Mapping[str, datetime] | None = None,
) -> dict[str, tuple[datetime, list | None]]:
    """The slots' next free times and windows (a new slot is free now, or at its `fresh` time,
    its window empty), locked until commit so other processes queue behind us.

    Locked in key order, so two senders locking overlapping slots cannot deadlock.
    """
    if not keys:
        return {}
    fresh = fresh or {}
    rows = [
        {"key": key, "next_free_at": fresh.get(key, now), "recent": None} for key in sorted(keys)
    ]
    result = await execute_core(session, _lock_slots(dialect_insert(session)), rows)
    return {key: (free, recent) for key, free, recent in result.all()}


async def lock_slots(session: AsyncSession, keys: list[str], now: datetime) -> dict[str, datetime]:
    """The slots' next free times, locked until commit (`_lock`)."""
    return {key: free for key, (free, _) in (await _lock(session, keys, now)).items()}


async def set_slots(session: AsyncSession, free: dict[str, datetime]) -> None:
    """Move the slots on; the caller holds their locks from lock_slots."""
    if free:
        params = [{"slot": key, "free": at} for key, at in sorted(free.items())]
        await execute_core(session, UPDATE_SLOTS, params)


async def _set_windows(
    session: AsyncSession,
    windows: dict[str, list[datetime]],
    limits: dict[str, int],
    held: dict[str, datetime],
) -> None:
    """Keep each group's last `limit` planned sends, and when the next may go (not before a time
    it is `held` until); the caller holds their locks. Older sends can no longer share a window
    with a new one."""
    params = []
    for key, times in sorted(windows.items()):
        kept = times[-limits[key] :]
        if kept:
            free = max(held[key], kept[-1], window_opens(kept, limits[key], kept[-1]))
            params.append({"slot": key, "free": free, "times": [t.timestamp() for t in kept]})
    if params:
        await execute_core(session, UPDATE_WINDOWS, params)


def _times(recent: list | None) -> list[datetime]:
    return [datetime.fromtimestamp(t, UTC) for t in recent or ()]
