"""The sender: claims outbox rows (db.outbox) and sends them through the channels, paced by the
shared rate slots (db.rate_slots: the bot's spacing, each group's window) by each channel's
limits, retrying what the neutral error marks retryable (scheduler.send_failures) and closing
chats that are gone.

Answers planned ahead wait in scheduler.dispatch; which processes are alive, and what happens to
the rows of one that stopped, is scheduler.liveness.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.channel import Channel, SendError, SendFailure
from bot.core.replies import Reply
from bot.logs import log_context
from bot.metrics import SENDS
from config import Settings, get_settings
from db import outbox
from db.models import utcnow
from db.outbox import PENDING, SENDING, SENT, UNREACHABLE, Claim, Row
from db.rate_slots import NO_RATES, Rates, bot_slot, plan_sends, take_slot
from db.session import session_scope
from scheduler.dispatch import Dispatcher, give_back_slots
from scheduler.liveness import STALE, beat_forever, settle, settle_gone
from scheduler.pacing import Pace, take_permits
from scheduler.send_failures import record_failure

log = logging.getLogger(__name__)

SERVICE_CONCURRENCY = 16  # sends in flight per process: an API call takes ~0.1–0.3 s from Vietnam
SERVICE_PACE_MARGIN = 0.01  # Pace's sliding second 1% longer, for the platform's clock


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
        self.pace = Pace(clock=clock, sleep=sleep, margin=pace_margin)
        self._warned: set[str] = set()
        self._sent: list[tuple[Row, datetime]] = []  # sent, not yet marked (concurrency > 1)
        self._dispatcher = Dispatcher(self._start_send, clock=clock)  # `schedule`
        self.owner = self.settings.instance
        self.started = utcnow()  # rows stored before it (their created_at) are a previous run's
        self._resumed = False  # this process's rows from before its start are settled
        self._stranded: list[int] = []  # rows held `sending` whose outcome could not be recorded

    async def deliver(self, ids: list[int]) -> None:
        """Send these pending rows now, ahead of any job's queue (a note to a leader, a job run
        from the web chat); rows another sender took already are skipped."""
        claims = await self._claim(size=len(ids), ids=ids)
        await self.send_claims([claim for claim in claims if claim.row.status == SENDING])

    async def send_claims(self, claims: list[Claim]) -> None:
        """Send all at once, each at its planned time; messages to one chat go in claim order."""
        last_to: dict[tuple[str, str], asyncio.Task] = {}
        await asyncio.gather(*(self._start_send(claim, last_to) for claim in claims))

    def schedule(self, claims: list[Claim]) -> None:
        """Send these claims later, each at its planned time, without waiting for them (held in
        a heap, not in a task each, until their time is near: scheduler.dispatch)."""
        self._dispatcher.add(claims)

    async def finish(self, timeout: float = 10.0) -> None:
        """On shutdown: let sends in flight end, and hand the scheduled ones back to the outbox
        as pending, so the next sender (another process, or this one restarted) takes them now
        rather than after STALE, with their places in the bot's schedule (`give_back_slots`)."""
        released = await self._dispatcher.stop(timeout)
        if not (released or self._sent):
            return
        async with self.session_factory() as session:
            await self._mark_sent(session)  # sends done after the last poll must not go again
            await outbox.release(
                session, ids=[claim.row.id for claim in released], now=self.clock()
            )
            await give_back_slots(session, released, rates=self._rates)
            await session.commit()

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
                size = await take_permits(permits, max(1, most // 2), most)
                batch = await self._claim(size=size)
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

    async def resume(self) -> None:
        """On start, before serving: this process's rows left `sending` by its previous run are
        settled at once (scheduler.liveness), not after STALE."""
        async with self.session_factory() as session:
            await self._settle_own(session)
            await session.commit()
        self._resumed = True

    async def beat(self) -> None:
        """Record that this process is alive, with every send finished by now marked `sent`;
        hand back rows whose outcome could not be recorded; settle the rows of processes silent
        for STALE."""
        at = self.clock()
        done, self._sent = self._sent, []
        stranded, self._stranded = self._stranded, []
        try:
            async with self.session_factory() as session:
                if not self._resumed:
                    await self._settle_own(session)
                if done:
                    await outbox.record_sent(session, done)
                if stranded:
                    await outbox.release(session, ids=stranded, now=at)
                await outbox.beat(session, owner=self.owner, at=at)
                await settle_gone(session, me=self.owner, at=at, clock=self.clock)
                await session.commit()
        except BaseException:
            self._sent, self._stranded = done + self._sent, stranded + self._stranded
            raise
        self._resumed = True
        for row, sent_at in done:
            row.status, row.sent_at, row.attempts = SENT, sent_at, row.attempts + 1

    async def _settle_own(self, session: AsyncSession) -> None:
        """This process's rows left `sending` by its previous run: those stored before it
        started (its own rows since are live)."""
        alive_at = await outbox.last_beat(session, owner=self.owner)
        await settle(session, self.owner, alive_at, clock=self.clock, before=self.started)

    async def run_forever(self, stop: asyncio.Event, *, idle_seconds: float = 0.5) -> None:
        """Poll until `stop` is set; a failed round is logged and the loop goes on. Beats
        alongside (`beat`)."""
        beats = asyncio.create_task(beat_forever(self.beat, stop))
        try:
            await self._poll_forever(stop, idle_seconds)
        finally:
            await beats

    async def _poll_forever(self, stop: asyncio.Event, idle_seconds: float) -> None:
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
        self, claim: Claim, last_to: dict[tuple[str, str], asyncio.Task]
    ) -> asyncio.Task:
        """Send in a task of its own, after the one started before it to the same chat."""
        chat = (claim.row.platform, claim.row.chat_id)
        last_to[chat] = asyncio.create_task(self._send_after(last_to.get(chat), claim))
        return last_to[chat]

    async def _send_after(self, before: asyncio.Task | None, claim: Claim) -> None:
        """Send once the previous message to the same chat is done (its outcome is its own)."""
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        await self._send(claim)

    # Claiming

    async def _recover_stale(self) -> None:
        """Rows left `sending` by a dead process go back to pending (the at-least-once window)."""
        async with self.session_factory() as session:
            recovered = await outbox.recover_stale(session, before=self.clock() - STALE)
            await session.commit()
        if recovered:
            log.warning("outbox: %d rows stuck in sending went back to pending", recovered)

    async def _claim(self, *, size: int, ids: list[int] | None = None) -> list[Claim]:
        """Move up to `size` rows pending → sending and plan their send times, in one committed step.

        Due rows, or the rows `ids` whatever their time. Each returned row is `sending` with
        `next_attempt_at` = when it may go, back to `pending` until then because its group's
        window is full, or already closed `unreachable` because its destination is.
        """
        async with self.session_factory() as session:
            await self._mark_sent(session)
            rows = await outbox.take_rows(
                session,
                platforms=list(self.channels),
                size=size,
                now=self.clock(),
                ids=ids,
                owner=self.owner,
            )
            if not rows:
                await session.commit()
                return []
            closed = await outbox.unreachable_rows(session, rows)
            for row in rows:
                if row.id in closed:
                    await outbox.set_row(
                        session, row, status=UNREACHABLE, last_error="destination unreachable"
                    )
            open_rows = [row for row in rows if row.id not in closed]
            with_bot_slot = await self._plan(session, open_rows) if open_rows else set()
            await session.commit()
        return [Claim(row, row.id in with_bot_slot) for row in rows]

    async def _warn_unconfigured(self) -> None:
        """Rows for a platform without a channel wait; say so once per platform."""
        async with self.session_factory() as session:
            platforms = await outbox.waiting_platforms(session, configured=list(self.channels))
        for platform in sorted(platforms - self._warned):
            self._warned.add(platform)
            log.warning("outbox: no channel for %s; its messages stay pending", platform)

    async def _plan(self, session: AsyncSession, rows: list[Row]) -> set[int]:
        """Plan claimed rows by the rate slots; returns the ids of those that have their bot slot.

        A row to a group whose window is full goes back to pending until the window opens
        (`defer_full`) instead of holding a place in it: when it opens, the claim order (priority
        first) lets interactive replies, and the answers planned by the inbox, go first.
        """
        rates = {platform: self._rates(platform) for platform in {row.platform for row in rows}}
        plans = await plan_sends(session, rows, rates=rates, now=self.clock(), defer_full=True)
        with_bot_slot = set()
        for row, plan in zip(rows, plans, strict=True):
            row.next_attempt_at = plan.at
            if plan.deferred:
                row.status = PENDING
            elif plan.has_bot_slot:
                with_bot_slot.add(row.id)
        await outbox.set_planned(session, rows)
        return with_bot_slot

    async def _wait_for(self, row: Row) -> None:
        """Sleep until the planned send time, by the injected clock so tests need not wait."""
        delay = (row.next_attempt_at - self.clock()).total_seconds()
        if delay > 0:
            await self.sleep(delay)

    # Sending

    async def _send(self, claim: Claim) -> None:
        """Wait for the row's slots, call the platform, and record the outcome. If the database
        fails before the call or while recording a failure, the row is handed back at the next
        beat, so it is not left `sending`."""
        with log_context(chat_id=f"{claim.row.platform}:{claim.row.chat_id}"):
            try:
                await self._attempt(claim)
            except Exception:
                if not any(row is claim.row for row, _ in self._sent):
                    self._stranded.append(claim.row.id)
                raise

    async def _attempt(self, claim: Claim) -> None:
        row = claim.row
        await self._wait_for(row)
        if not claim.has_bot_slot:  # a row whose chat's turn has come
            async with self.session_factory() as session:
                gap, now = self._rates(row.platform).bot, self.clock()
                at = await take_slot(session, bot_slot(row.platform), gap, now)
                await outbox.set_row(session, row, next_attempt_at=at)
                await session.commit()
            await self._wait_for(row)
        reply = Reply.from_payload(row.payload)
        try:
            media = await self._load_media(reply)
            capabilities = self.channels[row.platform].capabilities
            mark = await self.pace.wait(
                row.platform,
                per_second=capabilities.bot_per_second,
                gap=capabilities.rates.bot,
            )
            try:
                await self.channels[row.platform].send(row.chat_id, reply, media)
            finally:
                mark[0] = self.clock()
        except SendError as error:
            await self._failed(row, error)
        except Exception as error:  # a channel bug or network error: worth another try
            await self._failed(row, SendError(SendFailure.RETRYABLE, repr(error)))
        else:
            SENDS.labels(row.platform, "ok").inc()
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
            await outbox.record_sent(session, done)
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
            media = await outbox.media_bytes(session, ids=wanted)
        missing = wanted - media.keys()
        if missing:
            raise SendError(SendFailure.FAILED, f"media missing: {', '.join(sorted(missing))}")
        undrawn = sorted(media_id for media_id, data in media.items() if not data)
        if undrawn:  # reserved in a transaction that committed; its drawing is on its way
            raise SendError(SendFailure.RETRYABLE, f"media not drawn yet: {', '.join(undrawn)}")
        return media

    async def _failed(self, row: Row, error: SendError) -> None:
        """Reschedule, give up, or close the destination, by the kind of error."""
        SENDS.labels(row.platform, str(error.kind)).inc()
        now = self.clock()
        async with self.session_factory() as session:
            await record_failure(
                session, row, error, now=now, max_attempts=self.settings.send_max_attempts
            )
            await session.commit()

    def _rates(self, platform: str) -> Rates:
        """The channel's limits (none for a platform without a channel)."""
        channel = self.channels.get(platform)
        return channel.capabilities.rates if channel is not None else NO_RATES
