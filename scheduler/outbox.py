"""The outbox: every outgoing message is stored first, then sent within the platforms' limits.

Delivery is exactly once with one exception, the at-least-once window: if the process dies after
the platform accepted a message but before we commit `sent`, the row stays `sending`; once it is
older than STALE it goes back to `pending` and that one message is sent again. A sender stuck in a
single platform call for longer than STALE could likewise overlap with the retry. Every other path
(crash before the call, errors, retries, several processes) sends each row once.

A row's `next_attempt_at` means "due at" while pending and "planned send time" while sending.
"""

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial

from sqlalchemy import bindparam, insert, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.replies import Reply
from config import Settings, get_settings
from db.models import ChatGroup, Identity, Media, Outbox, RateSlot, utcnow
from db.session import by_platform, dialect_insert, execute_core, session_scope
from webhook.channel import Channel, SendError, SendFailure

log = logging.getLogger(__name__)

INTERACTIVE = 0
JOB = 10
STALE = timedelta(minutes=5)
SERVICE_CONCURRENCY = 16  # sends in flight per process: an API call takes ~0.1–0.3 s from Vietnam
SERVICE_PACE_MARGIN = 0.01  # Sender._pace's sliding second 1% longer, for the platform's clock
MAX_BACKOFF = 60.0
DEFAULT_RETRY_AFTER = 1.0
LEAD = 0.5  # seconds before its planned time a scheduled answer gets its task (Sender.schedule)
PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"


@dataclass(frozen=True)
class Message:
    """One row for `enqueue_many`: where it goes, what it says, and its dedupe key."""

    platform: str
    chat_id: str
    reply: Reply
    is_group: bool = False
    dedupe_key: str | None = None


async def enqueue(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    reply: Reply,
    is_group: bool,
    priority: int = INTERACTIVE,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> int | None:
    """Store a message in the caller's transaction: it exists exactly when the update's effects do.

    `not_before` holds the row until then (a job's quiet hours); None or a past time means now.
    Returns the row id, or None when a row with the same dedupe key exists already.
    """
    message = Message(platform, chat_id, reply, is_group, dedupe_key)
    ids = await enqueue_many(session, [message], priority=priority, not_before=not_before)
    return ids[0] if ids else None


async def enqueue_many(
    session: AsyncSession,
    messages: list[Message],
    *,
    priority: int = INTERACTIVE,
    not_before: datetime | None = None,
) -> list[int]:
    """Store many messages in one executemany INSERT (a job's fan-out); returns the new ids, sorted.

    Messages whose dedupe key is already taken are skipped, as with `enqueue`. SQLAlchemy sends the
    rows in batches of multi-row INSERT ... RETURNING, one cached statement for every size.
    """
    if not messages:
        return []
    now = utcnow()
    due = max(now, not_before) if not_before is not None else now
    rows = [_row(m, status=PENDING, priority=priority, at=due, now=now) for m in messages]
    statement = _enqueue_statement(dialect_insert(session))
    return sorted((await session.exec(statement, params=rows)).scalars().all())


@cache
def _enqueue_statement(insert):
    """Built once per dialect; a Core insert, with no ORM work per row."""
    table = Outbox.__table__
    return insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)


INSERT_ANSWERS = insert(Outbox.__table__).returning(
    Outbox.__table__.c.dedupe_key, Outbox.__table__.c.id
)


async def enqueue_answers(
    session: AsyncSession, messages: list[Message], *, settings: Settings
) -> list["Claim"]:
    """Store replies to the chats that wrote, planned by the rate slots, in the update's transaction.

    Their chats are reachable (they just wrote), so the rows are stored `sending` with their send
    times and handed back as claims for this process to send right after the commit
    (`Sender.send_claims`), with no claim transaction of their own. No poller takes a `sending`
    row; if the process dies first, they go back to pending after STALE. Each message needs a
    dedupe key (its update's, and its place among the answers): it matches new ids to rows.
    """
    if not messages:
        return []
    now = utcnow()
    plans = await plan_sends(session, messages, settings=settings, now=now)
    rows = [
        _row(m, status=SENDING, priority=INTERACTIVE, at=at, now=now)
        for m, (at, _) in zip(messages, plans, strict=True)
    ]
    ids = dict((await execute_core(session, INSERT_ANSWERS, rows)).all())
    fields = Row.__dataclass_fields__
    return [
        Claim(Row(id=ids[row["dedupe_key"]], **{k: v for k, v in row.items() if k in fields}), has)
        for row, (_, has) in zip(rows, plans, strict=True)
    ]


def _row(message: Message, *, status: str, priority: int, at: datetime, now: datetime) -> dict:
    return {
        "platform": message.platform,
        "chat_id": message.chat_id,
        "is_group": message.is_group,
        "payload": message.reply.to_payload(),
        "dedupe_key": message.dedupe_key,
        "priority": priority,
        "status": status,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": now,
    }


@dataclass
class Row:
    """An outbox row being sent: a plain record (an ORM object costs ~0.1 ms to build), kept in
    step with the database by `Sender._set`."""

    id: int
    platform: str
    chat_id: str
    is_group: bool
    payload: dict
    priority: int
    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None


ROW_COLUMNS = [getattr(Outbox, name) for name in Row.__dataclass_fields__]


@dataclass
class Claim:
    """A claimed row, and whether its bot rate slot is taken (a waiting group row's is not yet)."""

    row: Row
    has_bot_slot: bool


async def _take_permits(permits: asyncio.Semaphore, least: int, most: int) -> int:
    """Wait for `least` free send permits, then take every other free one, up to `most`."""
    for _ in range(least):
        await permits.acquire()
    taken = least
    while taken < most and not permits.locked():
        await permits.acquire()
        taken += 1
    return taken


class Sender:
    """Claims outbox rows and sends them through the channels, spaced by the shared rate slots.

    `concurrency` is how many sends may be in flight at once. Rows are claimed in batches of up to
    that many (one transaction plans them all: one lock of each rate slot per batch, not per row),
    in priority and id order; each send waits for the time its claim planned, so the shared rate
    slots set the pace whatever the concurrency. With concurrency 1 the next claim waits for the
    previous send, strictly in order; with more, messages to one chat still go in claim order.
    """

    def __init__(
        self,
        channels: dict[str, Channel],
        *,
        settings: Settings | None = None,
        session_factory=session_scope,
        clock: Callable[[], datetime] = utcnow,
        sleep=asyncio.sleep,
        concurrency: int = 1,
        pace_margin: float = 0.0,
    ) -> None:
        self.channels = channels
        self.settings = settings or get_settings()
        self.session_factory = session_factory
        self.clock = clock
        self.sleep = sleep
        self.concurrency = max(1, concurrency)
        self.pace_margin = pace_margin
        self._warned: set[str] = set()
        self._sent: list[tuple[Row, datetime]] = []  # sent, not yet marked (concurrency > 1)
        self._recent: dict[str, deque[list]] = {}  # per platform: this process's last calls (_pace)
        self._scheduled: list[tuple[datetime, int, Claim]] = []  # heap by planned time (schedule)
        self._order = itertools.count()  # ties in the heap keep the order of scheduling
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task | None = None
        self._sending: set[asyncio.Task] = set()  # tasks the dispatcher started
        self._last_to: dict[tuple[str, str], asyncio.Task] = {}  # the dispatcher's per-chat order

    async def deliver(self, ids: list[int]) -> None:
        """Send these pending rows now, ahead of any job's queue (a note to a leader, a job run
        from the web chat); rows another sender took already are skipped."""
        claims = await self._claim(Outbox.id.in_(ids), size=len(ids))
        await self.send_claims([claim for claim in claims if claim.row.status == SENDING])

    async def send_claims(self, claims: list["Claim"]) -> None:
        """Send all at once, each at its planned time; messages to one chat go in claim order."""
        last_to: dict[tuple[str, str], asyncio.Task] = {}
        await asyncio.gather(*(self._start_send(claim, last_to) for claim in claims))

    def schedule(self, claims: list["Claim"]) -> None:
        """Send these claims later, each at its planned time, without waiting for them.

        Under load the bot's rate slot plans answers minutes ahead (30 a second at most on
        Telegram). A task per answer for all that time kept ~35 objects each alive, and the
        garbage collector's full passes over them took ~10% of the service's CPU at 1,000 updates
        a second; a heap entry is a few objects, and a claim gets its task LEAD seconds before
        its time. Messages to one chat still go in the order they were scheduled.
        """
        for claim in claims:
            entry = (claim.row.next_attempt_at, next(self._order), claim)
            heapq.heappush(self._scheduled, entry)
            if self._scheduled[0] is entry:
                self._wake.set()  # the dispatcher may be waiting for a later one
        if claims and (self._dispatcher is None or self._dispatcher.done()):
            self._dispatcher = asyncio.create_task(self._dispatch())

    async def _dispatch(self) -> None:
        """Start each scheduled claim's send when its time is near; ends when none is left."""
        while self._scheduled:
            wait = (self._scheduled[0][0] - self.clock()).total_seconds() - LEAD
            if wait > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                continue
            claim = heapq.heappop(self._scheduled)[2]
            task = self._start_send(claim, self._last_to)
            self._sending.add(task)
            task.add_done_callback(partial(self._forget, (claim.row.platform, claim.row.chat_id)))

    def _forget(self, chat: tuple[str, str], task: asyncio.Task) -> None:
        """A finished send; the chat's entry goes unless a later send to it has started. A send
        that raised (the database down while recording a failure) is logged: its row stays
        `sending` and is recovered after STALE."""
        self._sending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox: a send to %s:%s failed", *chat, exc_info=task.exception())
        if self._last_to.get(chat) is task:
            del self._last_to[chat]

    async def finish(self, timeout: float = 10.0) -> None:
        """On shutdown: let sends in flight end, and hand the scheduled ones back to the outbox
        as pending, so the next sender (another process, or this one restarted) takes them now
        rather than after STALE, with their places in the bot's schedule (`_give_back_slots`)."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
        if self._sending:
            await asyncio.wait(self._sending, timeout=timeout)
        released = [claim for _, _, claim in self._scheduled]
        self._scheduled.clear()
        if not (released or self._sent):
            return
        async with self.session_factory() as session:
            await self._mark_sent(session)  # sends done after the last poll must not go again
            await session.exec(
                update(Outbox)
                .where(
                    Outbox.id.in_([claim.row.id for claim in released]), Outbox.status == SENDING
                )
                .values(status=PENDING, next_attempt_at=self.clock())
            )
            await self._give_back_slots(session, released)
            await session.commit()

    async def _give_back_slots(self, session: AsyncSession, released: list["Claim"]) -> None:
        """Move each bot slot back to the first released answer's time, if nobody planned after
        the last one: otherwise, after a restart under a backlog, new answers and the released
        ones would wait behind reservations nobody uses. A compare-and-set: a reservation made
        since by anyone else moved the slot on, and is kept. (Group chats' slots keep theirs:
        a few seconds each.)"""
        times: dict[str, list[datetime]] = {}
        for claim in released:
            if claim.has_bot_slot:
                times.setdefault(claim.row.platform, []).append(claim.row.next_attempt_at)
        for platform, planned in times.items():
            gap = spacing(self.settings, platform)[0]
            if gap:
                await session.exec(
                    update(RateSlot)
                    .where(
                        RateSlot.key == f"{platform}:bot",
                        RateSlot.next_free_at == max(planned) + gap,
                    )
                    .values(next_free_at=min(planned))
                )

    async def run_once(self, *, limit: int = 50) -> int:
        """Send due rows, most urgent first; returns how many were claimed."""
        await self._recover_stale()
        claimed = 0
        permits = asyncio.Semaphore(self.concurrency)
        sends: set[asyncio.Task] = set()
        last_to: dict[tuple[str, str], asyncio.Task] = {}
        try:
            while claimed < limit:
                most = min(self.concurrency, limit - claimed)
                # Claim in chunks (half the permits at least): one claim transaction then plans
                # many rows; rows are planned ahead by the rate slots, so nothing waits longer.
                size = await _take_permits(permits, max(1, most // 2), most)
                batch = await self._claim(Outbox.next_attempt_at <= self.clock(), size=size)
                to_send = [claim for claim in batch if claim.row.status == SENDING]
                for _ in range(size - len(to_send)):
                    permits.release()
                if not batch:
                    break
                claimed += len(batch)
                for claim in to_send:
                    task = self._start_send(claim, last_to)
                    task.add_done_callback(lambda _task: permits.release())
                    sends.add(task)
        finally:  # every send finishes and records its outcome before the round ends
            outcomes = await asyncio.gather(*sends, return_exceptions=True)
            if self._sent:
                async with self.session_factory() as session:
                    await self._mark_sent(session)
                    await session.commit()
        errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        if errors:
            raise errors[0]
        if not claimed:
            await self._warn_unconfigured()
        return claimed

    async def run_forever(self, stop: asyncio.Event, *, idle_seconds: float = 0.5) -> None:
        """Poll until `stop` is set; a failed round is logged and the loop goes on."""
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("outbox round failed")
                claimed = 0
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds)

    def _start_send(
        self, claim: "Claim", last_to: dict[tuple[str, str], asyncio.Task]
    ) -> asyncio.Task:
        """Send in a task of its own, after the one started before it to the same chat."""
        chat = (claim.row.platform, claim.row.chat_id)
        last_to[chat] = asyncio.create_task(self._send_after(last_to.get(chat), claim))
        return last_to[chat]

    async def _send_after(self, before: asyncio.Task | None, claim: "Claim") -> None:
        """Send once the previous message to the same chat is done (its outcome is its own)."""
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        await self._send(claim)

    # Claiming

    async def _recover_stale(self) -> None:
        """Rows left `sending` by a dead process go back to pending (the at-least-once window)."""
        async with self.session_factory() as session:
            result = await session.exec(
                update(Outbox)
                .where(Outbox.status == SENDING, Outbox.next_attempt_at < self.clock() - STALE)
                .values(status=PENDING)
            )
            await session.commit()
        if result.rowcount:
            log.warning("outbox: %d rows stuck in sending went back to pending", result.rowcount)

    async def _claim(self, *where, size: int = 1) -> list["Claim"]:
        """Move up to `size` rows pending → sending and plan their send times, in one committed step.

        Each returned row is `sending` with `next_attempt_at` = when it may go, or already closed
        `unreachable` because its destination is.
        """
        async with self.session_factory() as session:
            await self._mark_sent(session)
            rows = await self._take_rows(session, where, size)
            if not rows:
                await session.commit()
                return []
            closed = await self._unreachable(session, rows)
            for row in rows:
                if row.id in closed:
                    await self._set(
                        session, row, status=UNREACHABLE, last_error="destination unreachable"
                    )
            open_rows = [row for row in rows if row.id not in closed]
            with_bot_slot = await self._plan(session, open_rows) if open_rows else set()
            await session.commit()
        return [Claim(row, row.id in with_bot_slot) for row in rows]

    async def _take_rows(self, session: AsyncSession, where, size: int) -> list[Row]:
        """SKIP LOCKED keeps PostgreSQL senders apart; the status check guards SQLite's one process."""
        query = (
            select(Outbox.id)
            .where(Outbox.status == PENDING, Outbox.platform.in_(list(self.channels)), *where)
            .order_by(Outbox.priority, Outbox.id)
            .limit(size)
            .with_for_update(skip_locked=True)
        )
        while ids := list((await session.exec(query)).all()):
            claim = (
                update(Outbox)
                .where(Outbox.id.in_(ids), Outbox.status == PENDING)
                .values(status=SENDING, next_attempt_at=self.clock())
                .returning(*ROW_COLUMNS)
            )
            rows = [Row(*row) for row in (await session.exec(claim)).all()]
            if rows:
                return sorted(rows, key=lambda row: (row.priority, row.id))
        return []

    async def _unreachable(self, session: AsyncSession, rows: list[Row]) -> set[int]:
        """Ids of the rows whose chat blocked or removed the bot: they get no more messages."""
        groups = {(row.platform, row.chat_id) for row in rows if row.is_group}
        people = {(row.platform, row.chat_id) for row in rows if not row.is_group}
        lost: set[tuple[bool, str, str]] = set()
        for is_group, model, id_column, chats in (
            (True, ChatGroup, ChatGroup.chat_id, groups),
            (False, Identity, Identity.user_id, people),
        ):
            for platform, ids in by_platform(chats).items():
                query = select(id_column).where(
                    model.platform == platform,
                    id_column.in_(ids),
                    model.unreachable_at.is_not(None),
                )
                lost |= {(is_group, platform, chat) for chat in (await session.exec(query)).all()}
        return {row.id for row in rows if (row.is_group, row.platform, row.chat_id) in lost}

    async def _warn_unconfigured(self) -> None:
        """Rows for a platform without a channel wait; say so once per platform."""
        async with self.session_factory() as session:
            query = select(Outbox.platform).where(
                Outbox.status == PENDING, Outbox.platform.not_in(list(self.channels))
            )
            platforms = set((await session.exec(query.distinct())).all())
        for platform in sorted(platforms - self._warned):
            self._warned.add(platform)
            log.warning("outbox: no channel for %s; its messages stay pending", platform)

    async def _plan(self, session: AsyncSession, rows: list[Row]) -> set[int]:
        """Plan claimed rows by the rate slots; returns the ids of those that have their bot slot."""
        plans = await plan_sends(session, rows, settings=self.settings, now=self.clock())
        with_bot_slot = set()
        for row, (at, has_bot_slot) in zip(rows, plans, strict=True):
            row.next_attempt_at = at
            if has_bot_slot:
                with_bot_slot.add(row.id)
        await session.exec(
            update(Outbox),
            params=[{"id": r.id, "next_attempt_at": r.next_attempt_at} for r in rows],
        )
        return with_bot_slot

    async def _reserve(self, session: AsyncSession, row: Row, key: str, gap: timedelta) -> None:
        """GCRA for one slot: take its next free time, push it one gap on, plan the row for then."""
        now = self.clock()
        at = now
        if gap:
            at = max(now, (await lock_slots(session, [key], now))[key])
            await set_slots(session, {key: at + gap})
        await self._set(session, row, next_attempt_at=at)

    async def _wait_for(self, row: Row) -> None:
        """Sleep until the planned send time, by the injected clock so tests need not wait."""
        delay = (row.next_attempt_at - self.clock()).total_seconds()
        if delay > 0:
            await self.sleep(delay)

    async def _pace(self, platform: str) -> list[datetime | None]:
        """Wait until a call now cannot make the platform count more than its limit in one second.

        Sends are planned evenly, but one that starts late (a busy event loop) and ones on time
        after it would put one call too many into a second, and the platform's 429 stops every
        send for retry_after. The platform sees a call at some moment between our start and its
        answer, so a call may start once the call `limit` places back was answered over a second
        (plus `pace_margin`) ago: no second can then hold more than the limit, whatever the jitter,
        and sends after a late one catch up. The cost is one round trip a second at the limit.
        Returns the call's mark: the caller sets it to the time of the answer.
        """
        mark: list[datetime | None] = [None]
        per_second = getattr(self.settings, f"{platform}_rate_per_second", None)
        if not per_second:
            return mark
        calls = max(1, int(per_second))
        # the same spacing plan_sends gives, over `calls` sends, plus the margin
        window = spacing(self.settings, platform)[0] * calls * (1 + self.pace_margin)
        recent = self._recent.setdefault(platform, deque(maxlen=calls))
        while len(recent) == calls:
            answered = recent[0][0]
            wait = (answered + window - self.clock()).total_seconds() if answered else 0.005
            if wait <= 0:
                break
            await self.sleep(wait)
        recent.append(mark)
        return mark

    # Sending

    async def _send(self, claim: "Claim") -> None:
        """Wait for the row's slots, call the platform, and record the outcome."""
        row = claim.row
        await self._wait_for(row)
        if not claim.has_bot_slot:  # a group row whose chat's turn has come
            async with self.session_factory() as session:
                await self._reserve(
                    session, row, f"{row.platform}:bot", spacing(self.settings, row.platform)[0]
                )
                await session.commit()
            await self._wait_for(row)
        reply = Reply.from_payload(row.payload)
        try:
            media = await self._load_media(reply)
            mark = await self._pace(row.platform)
            try:
                await self.channels[row.platform].send(row.chat_id, reply, media)
            finally:
                mark[0] = self.clock()
        except SendError as error:
            await self._failed(row, error)
        except Exception as error:  # a channel bug or network error: worth another try
            await self._failed(row, SendError(SendFailure.RETRYABLE, repr(error)))
        else:
            self._sent.append((row, self.clock()))
            if self.concurrency == 1:  # one at a time: mark it at once, as interactive replies need
                async with self.session_factory() as session:
                    await self._mark_sent(session)
                    await session.commit()

    async def _mark_sent(self, session: AsyncSession) -> None:
        """Record the sends that succeeded since the last call, in the caller's transaction.

        With concurrency above 1 this rides on the next claim's transaction (or the round's end):
        one write for many messages. If the process dies first, those rows stay `sending` and are
        sent again after STALE: the at-least-once window is then up to `concurrency` messages.
        """
        done, self._sent = self._sent, []
        if not done:
            return
        try:
            await session.exec(
                update(Outbox),
                params=[
                    {"id": row.id, "status": SENT, "sent_at": at, "attempts": row.attempts + 1}
                    for row, at in done
                ],
            )
        except BaseException:
            self._sent = done + self._sent  # not written: try again with the next transaction
            raise
        for row, at in done:
            row.status, row.sent_at, row.attempts = SENT, at, row.attempts + 1

    async def _load_media(self, reply: Reply) -> dict[str, bytes]:
        """Attachment bytes live in the media table; the payload only names them."""
        wanted = {a.media_id for a in (reply.image, reply.document) if a is not None}
        if not wanted:
            return {}
        async with self.session_factory() as session:
            rows = (
                await session.exec(select(Media.id, Media.data).where(Media.id.in_(wanted)))
            ).all()
        media = {media_id: data for media_id, data in rows}
        missing = wanted - media.keys()
        if missing:
            raise SendError(SendFailure.FAILED, f"media missing: {', '.join(sorted(missing))}")
        return media

    async def _failed(self, row: Row, error: SendError) -> None:
        """Reschedule, give up, or close the destination, by the kind of error."""
        now = self.clock()
        attempts = row.attempts + 1
        status, retry_in = self._outcome(error, attempts)
        log.warning("outbox %s to %s:%s: %s → %s", row.id, row.platform, row.chat_id, error, status)
        values = {"status": status, "attempts": attempts, "last_error": str(error)[:200]}
        if retry_in is not None:
            values["next_attempt_at"] = now + timedelta(seconds=retry_in)
        async with self.session_factory() as session:
            await self._set(session, row, **values)
            if status == UNREACHABLE:
                await self._mark_unreachable(session, row, now)
            if error.kind == SendFailure.THROTTLED and retry_in is not None:
                key = f"{row.platform}:bot"  # every sender backs off, not only this row
                free = (await lock_slots(session, [key], now))[key]
                await set_slots(session, {key: max(free, values["next_attempt_at"])})
            await session.commit()

    def _outcome(self, error: SendError, attempts: int) -> tuple[str, float | None]:
        """The row's next status and, when it is retried, in how many seconds."""
        limit = self.settings.send_max_attempts
        if error.kind == SendFailure.THROTTLED and attempts < limit * 3:
            return PENDING, error.retry_after or DEFAULT_RETRY_AFTER
        if error.kind == SendFailure.RETRYABLE and attempts < limit:
            return PENDING, min(MAX_BACKOFF, 2.0 ** (attempts - 1))
        if error.kind == SendFailure.UNREACHABLE:
            return UNREACHABLE, None
        return FAILED, None

    async def _mark_unreachable(self, session: AsyncSession, row: Row, now: datetime) -> None:
        """Group chats by chat id; private chats use the user's id as chat id."""
        if row.is_group:
            match = (ChatGroup.platform == row.platform, ChatGroup.chat_id == row.chat_id)
            await session.exec(update(ChatGroup).where(*match).values(unreachable_at=now))
        else:
            match = (Identity.platform == row.platform, Identity.user_id == row.chat_id)
            await session.exec(update(Identity).where(*match).values(unreachable_at=now))

    async def _set(self, session: AsyncSession, row: Row, **values) -> None:
        """Update the row in the database and in memory alike."""
        await session.exec(update(Outbox).where(Outbox.id == row.id).values(**values))
        for name, value in values.items():
            setattr(row, name, value)


# Rate slots: one row per bot and per group chat, shared by every process


def spacing(settings: Settings, platform: str) -> tuple[timedelta, timedelta]:
    """Gap between two sends by the bot, and between two sends to one group chat."""
    per_second = getattr(settings, f"{platform}_rate_per_second", None)
    per_minute = getattr(settings, f"{platform}_group_per_minute", None)
    bot = timedelta(seconds=1 / per_second) if per_second else timedelta(0)
    chat = timedelta(seconds=60 / per_minute) if per_minute else timedelta(0)
    return bot, chat


async def plan_sends(
    session: AsyncSession, messages: list, *, settings: Settings, now: datetime
) -> list[tuple[datetime, bool]]:
    """GCRA for a batch: give each message (anything with platform, chat_id and is_group) the next
    free time of its slots, in order; returns (send time, whether it has its bot slot) for each.

    A group message takes its chat's slot; if the chat is free now it takes the bot slot too,
    otherwise it takes the bot slot only when its chat's turn comes (`Sender._send`), so a group's
    wait does not hold the bot slot. The slots stay locked until the caller commits.
    """
    gaps: dict[str, timedelta] = {}
    for m in messages:
        bot, chat = spacing(settings, m.platform)
        gaps[f"{m.platform}:bot"] = bot
        if m.is_group:
            gaps[f"{m.platform}:chat:{m.chat_id}"] = chat
    free = await lock_slots(session, [key for key, gap in gaps.items() if gap], now)
    plans = []
    for m in messages:
        at, has_bot_slot = now, False
        chat_key = f"{m.platform}:chat:{m.chat_id}" if m.is_group else None
        if chat_key in free:
            at = max(now, free[chat_key])
        if at <= now:
            bot_key = f"{m.platform}:bot"
            if bot_key in free:
                at = max(at, free[bot_key])
                free[bot_key] = at + gaps[bot_key]
            has_bot_slot = True
        if chat_key in free:
            free[chat_key] = at + gaps[chat_key]
        plans.append((at, has_bot_slot))
    await set_slots(session, free)
    return plans


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
        .returning(table.c.key, table.c.next_free_at)
    )


UPDATE_SLOTS = (  # executemany, one row per parameter set
    update(RateSlot.__table__)
    .where(RateSlot.__table__.c.key == bindparam("slot"))
    .values(next_free_at=bindparam("free"))
)


async def lock_slots(session: AsyncSession, keys: list[str], now: datetime) -> dict[str, datetime]:
    """The slots' next free times (a new slot is free now), locked until commit so other
    processes queue behind us.

    Locked in key order, so two senders locking overlapping slots cannot deadlock.
    """
    if not keys:
        return {}
    rows = [{"key": key, "next_free_at": now} for key in sorted(keys)]
    return dict((await execute_core(session, _lock_slots(dialect_insert(session)), rows)).all())


async def set_slots(session: AsyncSession, free: dict[str, datetime]) -> None:
    """Move the slots on; the caller holds their locks from lock_slots."""
    if free:
        params = [{"slot": key, "free": at} for key, at in sorted(free.items())]
        await execute_core(session, UPDATE_SLOTS, params)
