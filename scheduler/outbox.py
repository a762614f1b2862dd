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
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings, get_settings
from bot.core.replies import Reply
from db.models import ChatGroup, Identity, Media, Outbox, RateSlot, utcnow
from db.session import is_postgres, session_scope
from webhook.channel import Channel, SendError, SendFailure

log = logging.getLogger(__name__)

INTERACTIVE = 0
JOB = 10
STALE = timedelta(minutes=5)
MAX_BACKOFF = 60.0
DEFAULT_RETRY_AFTER = 1.0
PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"


def _insert(session: AsyncSession):
    """ON CONFLICT DO NOTHING needs the dialect's own insert."""
    return pg_insert if is_postgres(session) else sqlite_insert


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
    """
    now = utcnow()
    due = max(now, not_before) if not_before is not None else now
    statement = (
        _insert(session)(Outbox)
        .values(
            platform=platform,
            chat_id=chat_id,
            is_group=is_group,
            payload=reply.to_payload(),
            dedupe_key=dedupe_key,
            priority=priority,
            status=PENDING,
            attempts=0,
            next_attempt_at=due,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Outbox.id)
    )
    return (await session.exec(statement)).scalar_one_or_none()


class Sender:
    """Claims outbox rows and sends them through the channels, spaced by the shared rate slots."""

    def __init__(
        self,
        channels: dict[str, Channel],
        *,
        settings: Settings | None = None,
        session_factory=session_scope,
        clock: Callable[[], datetime] = utcnow,
        sleep=asyncio.sleep,
        concurrency: int = 1,
    ) -> None:
        self.channels = channels
        self.settings = settings or get_settings()
        self.session_factory = session_factory
        self.clock = clock
        self.sleep = sleep
        self.concurrency = max(1, concurrency)
        self._warned: set[str] = set()

    async def deliver(self, ids: list[int]) -> None:
        """Send an update's replies right after its commit, so they never wait behind job rows."""
        for row_id in ids:
            row = await self._claim(Outbox.id == row_id)
            if row is not None and row.status == SENDING:
                await self._send(row)

    async def run_once(self, *, limit: int = 50) -> int:
        """Send due rows, most urgent first; returns how many were claimed.

        Rows are claimed one at a time, in order; up to `concurrency` sends are in flight at once
        (each waits for the slot its claim reserved, so the shared rate slots still set the pace).
        With concurrency 1 the next claim waits for the previous send, strictly in order.
        """
        await self._recover_stale()
        claimed = 0
        in_flight = asyncio.Semaphore(self.concurrency)
        sends: set[asyncio.Task] = set()
        try:
            while claimed < limit:
                await in_flight.acquire()
                row = await self._claim(Outbox.next_attempt_at <= self.clock())
                if row is None or row.status != SENDING:
                    in_flight.release()
                    if row is None:
                        break
                    claimed += 1
                    continue
                claimed += 1
                task = asyncio.create_task(self._send(row))
                task.add_done_callback(lambda _task: in_flight.release())
                sends.add(task)
        finally:  # every send finishes (and records its outcome) before the round ends
            outcomes = await asyncio.gather(*sends, return_exceptions=True)
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

    async def _claim(self, *where) -> Outbox | None:
        """Move one row pending → sending and reserve its first rate slot, in one committed step.

        The returned row is `sending` with `next_attempt_at` = when it may go, or already closed
        `unreachable` because its destination is.
        """
        async with self.session_factory() as session:
            row = await self._take_row(session, where)
            if row is None:
                return None
            if await self._is_unreachable(session, row):
                await self._set(
                    session, row, status=UNREACHABLE, last_error="destination unreachable"
                )
            else:
                bot, chat = self._spacing(row.platform)
                if row.is_group:
                    await self._reserve(session, row, f"{row.platform}:chat:{row.chat_id}", chat)
                else:
                    await self._reserve(session, row, f"{row.platform}:bot", bot)
            await session.commit()
            return row

    async def _take_row(self, session: AsyncSession, where) -> Outbox | None:
        """SKIP LOCKED keeps PostgreSQL senders apart; the status check guards SQLite's one process."""
        query = (
            select(Outbox.id)
            .where(Outbox.status == PENDING, Outbox.platform.in_(list(self.channels)), *where)
            .order_by(Outbox.priority, Outbox.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        while (row_id := (await session.exec(query)).first()) is not None:
            claim = (
                update(Outbox)
                .where(Outbox.id == row_id, Outbox.status == PENDING)
                .values(status=SENDING, next_attempt_at=self.clock())
                .returning(Outbox)
            )
            row = (await session.exec(claim)).scalars().first()
            if row is not None:
                session.expunge(row)  # a plain record from here on; _set keeps it in step
                return row
        return None

    async def _is_unreachable(self, session: AsyncSession, row: Outbox) -> bool:
        """A chat that blocked or removed the bot gets no more messages."""
        if row.is_group:
            query = select(ChatGroup.id).where(
                ChatGroup.platform == row.platform,
                ChatGroup.chat_id == row.chat_id,
                ChatGroup.unreachable_at.is_not(None),
            )
        else:
            query = select(Identity.id).where(
                Identity.platform == row.platform,
                Identity.user_id == row.chat_id,
                Identity.unreachable_at.is_not(None),
            )
        return (await session.exec(query)).first() is not None

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

    # Rate slots

    def _spacing(self, platform: str) -> tuple[timedelta, timedelta]:
        """Gap between two sends by the bot, and between two sends to one group chat."""
        per_second = getattr(self.settings, f"{platform}_rate_per_second", None)
        per_minute = getattr(self.settings, f"{platform}_group_per_minute", None)
        bot = timedelta(seconds=1 / per_second) if per_second else timedelta(0)
        chat = timedelta(seconds=60 / per_minute) if per_minute else timedelta(0)
        return bot, chat

    async def _reserve(
        self, session: AsyncSession, row: Outbox, key: str, spacing: timedelta
    ) -> None:
        """GCRA: take the slot's next free time, push it one gap on, and plan the row for then."""
        now = self.clock()
        at = now
        if spacing:
            at = max(now, await self._lock_slot(session, key, now))
            await self._set_slot(session, key, at + spacing)
        await self._set(session, row, next_attempt_at=at)

    async def _lock_slot(self, session: AsyncSession, key: str, now: datetime) -> datetime:
        """The slot's next free time, locked until commit so other processes queue behind us."""
        await session.exec(
            _insert(session)(RateSlot)
            .values(key=key, next_free_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        query = select(RateSlot.next_free_at).where(RateSlot.key == key).with_for_update()
        return (await session.exec(query)).one()

    async def _set_slot(self, session: AsyncSession, key: str, next_free_at: datetime) -> None:
        """Move the slot on; the caller holds its lock from _lock_slot."""
        await session.exec(
            update(RateSlot).where(RateSlot.key == key).values(next_free_at=next_free_at)
        )

    async def _wait_for(self, row: Outbox) -> None:
        """Sleep until the planned send time, by the injected clock so tests need not wait."""
        delay = (row.next_attempt_at - self.clock()).total_seconds()
        if delay > 0:
            await self.sleep(delay)

    # Sending

    async def _send(self, row: Outbox) -> None:
        """Wait for the row's slots, call the platform, and record the outcome."""
        await self._wait_for(row)
        if row.is_group:  # the bot slot is taken only now, so a group's wait does not hold it
            async with self.session_factory() as session:
                await self._reserve(
                    session, row, f"{row.platform}:bot", self._spacing(row.platform)[0]
                )
                await session.commit()
            await self._wait_for(row)
        reply = Reply.from_payload(row.payload)
        try:
            media = await self._load_media(reply)
            await self.channels[row.platform].send(row.chat_id, reply, media)
        except SendError as error:
            await self._failed(row, error)
        except Exception as error:  # a channel bug or network error: worth another try
            await self._failed(row, SendError(SendFailure.RETRYABLE, repr(error)))
        else:
            async with self.session_factory() as session:
                now = self.clock()
                await self._set(session, row, status=SENT, sent_at=now, attempts=row.attempts + 1)
                await session.commit()

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

    async def _failed(self, row: Outbox, error: SendError) -> None:
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
                free = await self._lock_slot(session, key, now)
                await self._set_slot(session, key, max(free, values["next_attempt_at"]))
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

    async def _mark_unreachable(self, session: AsyncSession, row: Outbox, now: datetime) -> None:
        """Group chats by chat id; private chats use the user's id as chat id."""
        if row.is_group:
            match = (ChatGroup.platform == row.platform, ChatGroup.chat_id == row.chat_id)
            await session.exec(update(ChatGroup).where(*match).values(unreachable_at=now))
        else:
            match = (Identity.platform == row.platform, Identity.user_id == row.chat_id)
            await session.exec(update(Identity).where(*match).values(unreachable_at=now))

    async def _set(self, session: AsyncSession, row: Outbox, **values) -> None:
        """Update the row in the database and in memory alike."""
        await session.exec(update(Outbox).where(Outbox.id == row.id).values(**values))
        for name, value in values.items():
            setattr(row, name, value)
