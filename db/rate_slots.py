"""Rate slots: one row per bot and per chat, shared by every process.

The bot's slot and a group's slot are sliding windows, as the platforms count them (Telegram:
about 30 messages a second from one bot, 20 a minute to one group): each keeps the planned times
of its last N sends, and a send may go once the N-th last is a window (plus a margin) old. So
answers go at once while the window has room, and are spread only once it is full; a bot's
window is one second (the sender's Pace keeps each second exact, scheduler.pacing). A private
chat's slot is GCRA spacing with a burst (Telegram: about one message a second to one chat,
"short bursts" allowed): CHAT_BURST sends go at once, then one a gap. The limits come from each
channel's capabilities (bot.core.channel.Capabilities).
"""

from collections import Counter
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
# The bot's window, a second (or the time between two sends, if longer), kept 1% longer too,
# as the sender's Pace keeps it (scheduler.pacing).
BOT_MARGIN = 0.01
# Sends one private chat may get at once before its gap applies: an answer and a few notes, or
# the first lines of a flood, go without waiting; the rest of a flood goes one a gap.
CHAT_BURST = 5


class Rates(NamedTuple):
    """A platform's limits: the gap between two sends by the bot (1 / its sends a second), how
    many sends one group chat may get in any WINDOW, and the gap between two sends to one
    private chat past its burst (0: no limit)."""

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


class Window(NamedTuple):
    """At most `count` sends in any `span`."""

    count: int
    span: timedelta


@cache
def group_window(count: int) -> Window:
    return Window(count, WINDOW + WINDOW_MARGIN)


@cache
def bot_window(gap: timedelta) -> Window:
    """The bot's window: as many sends in a second as its gap allows (one, if fewer)."""
    count = max(1, int(timedelta(seconds=1) / gap))
    return Window(count, gap * count * (1 + BOT_MARGIN))


def window_opens(recent: list[datetime], window: Window, now: datetime) -> datetime:
    """The earliest time, `now` at the earliest, at which one more send through a slot whose
    last planned sends are `recent` leaves at most `window.count` in any `window.span`."""
    if len(recent) >= window.count:
        return max(now, recent[-window.count] + window.span)
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
    windows, spacing = _limits(messages, rates)
    await slots.lock(session, _starts(windows, spacing, now))
    planner = _Planner(slots, windows, spacing, now)
    plans = [planner.plan(m, defer_full=defer_full) for m in messages]
    planner.keep(slots)
    await slots.write(session)
    return plans


class _Planner:
    """A batch's plans, slot by slot, from the slots as `plan_sends` locked them."""

    def __init__(self, slots: "Slots", windows, spacing, now: datetime) -> None:
        self.windows, self.spacing, self.now = windows, spacing, now
        self.free = {key: slots.free[key] for key in spacing}
        self.held = {key: slots.free[key] for key in windows}  # next free time (a 429 holds it)
        self.recent = {key: _times(slots.recent[key]) for key in windows}
        # each slot's last planned send: order across batches
        self.last = {key: times[-1] for key, times in self.recent.items() if times}

    def plan(self, m, *, defer_full: bool) -> Plan:
        key, bot_key, now = chat_slot(m.platform, m.chat_id), bot_slot(m.platform), self.now
        ready, room = self.opens(bot_key), self.opens(key)  # when the bot and the chat have room
        if room > ready and defer_full:
            return Plan(room, False, True)
        at = max(now, room, self.last.get(key, now))  # a chat's messages keep their order
        has_bot_slot = at <= ready
        if has_bot_slot and bot_key in self.windows:
            at = max(ready, self.last.get(bot_key, now))  # the bot's sends in order too
            self.take(bot_key, at)
        self.take(key, at)
        return Plan(at, has_bot_slot)

    def opens(self, key: str) -> datetime:
        """When one more send through the slot may go (now at the earliest)."""
        if key in self.windows:
            opens = window_opens(self.recent[key], self.windows[key], self.now)
            return max(opens, self.held[key])
        return self.free.get(key, self.now)

    def take(self, key: str, at: datetime) -> None:
        self.last[key] = at
        if key in self.recent:
            self.recent[key].append(at)
        elif key in self.spacing:  # GCRA with a burst: the next one gap on, or a burst back
            gap = self.spacing[key]
            self.free[key] = max(self.free[key], at - (CHAT_BURST - 1) * gap) + gap

    def keep(self, slots: "Slots") -> None:
        """The slots moved on, into `slots` for their one write."""
        slots.free.update(self.free)
        _keep_windows(slots, self.recent, self.windows, self.held)


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
) -> tuple[dict[str, Window], dict[str, timedelta]]:
    """The slots a batch uses: each bot's and each group's window, each private chat's gap (the
    chats of a platform without that limit have no slot)."""
    windows: dict[str, Window] = {}
    spacing: dict[str, timedelta] = {}
    for m in messages:
        bot, group, chat = rates.get(m.platform, NO_RATES)
        if bot:
            windows[bot_slot(m.platform)] = bot_window(bot)
        if m.is_group and group:
            windows[chat_slot(m.platform, m.chat_id)] = group_window(group)
        elif not m.is_group and chat:
            spacing[chat_slot(m.platform, m.chat_id)] = chat
    return windows, spacing


def _starts(
    windows: Mapping[str, Window], spacing: Mapping[str, timedelta], now: datetime
) -> dict[str, datetime]:
    """Each slot's time if it is new: free now; a private chat's with its whole burst free now
    (as if idle a burst's time)."""
    return {key: now for key in windows} | {
        key: now - (CHAT_BURST - 1) * gap for key, gap in spacing.items()
    }


async def take_slot(session: AsyncSession, key: str, gap: timedelta, now: datetime) -> datetime:
    """The bot's next turn in its window (now at the earliest), taken."""
    if not gap:
        return now
    slots, window = Slots(), bot_window(gap)
    await slots.lock(session, {key: now})
    times = _times(slots.recent[key])
    at = max(window_opens(times, window, now), slots.free[key], *times[-1:])
    _keep_windows(slots, {key: [*times, at]}, {key: window}, {key: slots.free[key]})
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
    """Take the `planned` sends, which will not happen, out of the bot's window: the sends
    planned since by anyone else keep their places."""
    slots, window = Slots(), bot_window(gap)
    await slots.lock(session, {key: min(planned)})
    unused = Counter(_instant(t) for t in planned)
    kept = []
    for t in _times(slots.recent[key]):
        if unused[_instant(t)] > 0:
            unused[_instant(t)] -= 1
        else:
            kept.append(t)
    slots.recent[key] = [t.timestamp() for t in kept]
    slots.free[key] = window_opens(kept, window, kept[-1]) if kept else min(planned)
    await slots.write(session)


def _instant(at: datetime) -> int:
    """A planned time to the millisecond, as a row and the window both keep it."""
    return round(_utc(at).timestamp() * 1000)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite gives times back naive


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
    UPDATE. `free`: each slot's next free time; `recent`: a window's planned sends (epoch
    seconds)."""

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
    recent: dict[str, list[datetime]],
    windows: dict[str, Window],
    held: dict[str, datetime],
) -> None:
    """Keep each window's last `count` planned sends, and when the next may go (not before a
    time it is `held` until). Older sends can no longer share a window with a new one."""
    for key, times in recent.items():
        window = windows[key]
        kept = times[-window.count :]
        if kept:
            slots.free[key] = max(held[key], kept[-1], window_opens(kept, window, kept[-1]))
            slots.recent[key] = [t.timestamp() for t in kept]


def _times(recent: list | None) -> list[datetime]:
    return [datetime.fromtimestamp(t, UTC) for t in recent or ()]
