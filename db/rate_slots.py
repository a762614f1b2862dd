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
from db.session import dialect_insert, execute_core, is_postgres

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
    slots: "Slots | None" = None,
) -> list[Plan]:
    """Plan a batch: give each message (anything with platform, chat_id and is_group) the next
    free time of its bot slot and its chat's slot, in order.

    `rates` maps platforms to their limits (a platform not in it has none). A message whose chat
    has room (a group's window, a private chat's burst) by its turn in the bot slot takes that
    turn; otherwise it is planned for when its chat has room and takes the bot slot then
    (`take_slot`, from the sender), so one chat's wait does not hold the bot slot for the others,
    or, with `defer_full`, it is not planned (`Plan.deferred`). The slots stay locked until the
    caller commits. `slots`: those the transaction holds already (its senders' flood slots, and
    perhaps these); every slot in it that moved on is written here, in one statement.
    """
    slots = slots if slots is not None else Slots()
    gaps, limits, spacing = _limits(messages, rates)
    await slots.lock(session, _starts(gaps, limits, spacing, now))
    free = {key: slots.free[key] for key in [*gaps, *spacing]}
    held = {key: slots.free[key] for key in limits}  # a group's next free time (a 429 holds it)
    windows = {key: _times(slots.recent[key]) for key in limits}
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
    slots.free.update(free)
    _keep_windows(slots, windows, limits, held)
    await slots.write(session)
    return plans


class Chat(NamedTuple):
    """Where answers go, as `plan_sends` reads a message."""

    platform: str
    chat_id: str
    is_group: bool


def early_slots(
    session: AsyncSession, chats: list[Chat], *, rates: Mapping[str, Rates], now: datetime
) -> dict[str, datetime]:
    """The send slots of answers to `chats`, to lock at the start of their transaction with the
    senders' flood slots (`Slots.lock`, one statement) where a writer holds the whole database
    (SQLite): nobody can wait on them there. None on PostgreSQL, where the bot slot every batch
    shares is locked last (`plan_sends`), so it is held only for the end of the transaction."""
    if is_postgres(session):
        return {}
    return _starts(*_limits(chats, rates), now)


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


def _starts(
    gaps: Mapping[str, timedelta],
    limits: Mapping[str, int],
    spacing: Mapping[str, timedelta],
    now: datetime,
) -> dict[str, datetime]:
    """Each slot's time if it is new: free now; a private chat's with its whole burst free now
    (as if idle a burst's time)."""
    return {key: now for key in [*gaps, *limits]} | {
        key: now - (CHAT_BURST - 1) * gap for key, gap in spacing.items()
    }


async def take_slot(session: AsyncSession, key: str, gap: timedelta, now: datetime) -> datetime:
    """GCRA for one slot: its next free time (now at the earliest), and the slot one gap on."""
    if not gap:
        return now
    slots = Slots()
    await slots.lock(session, {key: now})
    at = max(now, slots.free[key])
    slots.free[key] = at + gap
    await slots.write(session)
    return at


async def hold_slot(session: AsyncSession, key: str, until: datetime, now: datetime) -> None:
    """Nobody sends through the slot before `until` (the platform said: wait)."""
    slots = Slots()
    await slots.lock(session, {key: now})
    slots.free[key] = max(slots.free[key], until)
    await slots.write(session)


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
    .values(next_free_at=bindparam("free"), recent=bindparam("times"))
)


class Slots:
    """The rate slots a transaction holds: read and locked (`lock`), moved on in memory, and
    written once before the commit (`write`), so a batch's flood slots and send slots cost one
    UPDATE. `free`: each slot's next free time; `recent`: a group's window (epoch seconds)."""

    def __init__(self) -> None:
        self.free: dict[str, datetime] = {}
        self.recent: dict[str, list | None] = {}
        self._stored: dict[str, tuple[datetime, list | None]] = {}

    async def lock(self, session: AsyncSession, starts: Mapping[str, datetime]) -> None:
        """Lock the slots of `starts` not held yet, until commit, so other processes queue
        behind us; a missing slot is made, free at its time in `starts`, its window empty.

        Locked in key order, in one statement, so two transactions locking overlapping slots
        cannot deadlock (a sender's flood keys, "hush:" and "in:", sort before all send keys).
        """
        rows = [
            {"key": key, "next_free_at": at, "recent": None}
            for key, at in sorted(starts.items())
            if key not in self._stored
        ]
        if rows:
            result = await execute_core(session, _lock_slots(dialect_insert(session)), rows)
            for key, free, recent in result.all():
                self._stored[key] = (free, recent)
                self.free[key], self.recent[key] = free, recent

    async def write(self, session: AsyncSession) -> None:
        """Write the slots moved on since they were read (one executemany); we hold their locks."""
        moved = {
            key: (free, self.recent[key])
            for key, free in self.free.items()
            if (free, self.recent[key]) != self._stored[key]
        }
        if moved:
            params = [
                {"slot": key, "free": free, "times": recent}
                for key, (free, recent) in sorted(moved.items())
            ]
            await execute_core(session, UPDATE_SLOTS, params)
            self._stored.update(moved)


def _keep_windows(
    slots: Slots,
    windows: dict[str, list[datetime]],
    limits: dict[str, int],
    held: dict[str, datetime],
) -> None:
    """Keep each group's last `limit` planned sends, and when the next may go (not before a time
    it is `held` until). Older sends can no longer share a window with a new one."""
    for key, times in windows.items():
        kept = times[-limits[key] :]
        if kept:
            slots.free[key] = max(held[key], kept[-1], window_opens(kept, limits[key], kept[-1]))
            slots.recent[key] = [t.timestamp() for t in kept]


def _times(recent: list | None) -> list[datetime]:
    return [datetime.fromtimestamp(t, UTC) for t in recent or ()]
