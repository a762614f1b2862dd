"""When jobs run: a tick every minute (SCHEDULER_TICK_SECONDS) that runs whatever is due, in one
process at a time.

Why a tick and a JobRun table rather than one APScheduler cron job per commune and job:
  * the times live in the database (each commune changes them with /caidat, from any process), so
    the schedule is read afresh at every tick; nothing has to be re-registered when they change;
  * catch-up comes for free: after downtime, the first tick finds the run of today that has no
    JobRun row and does it once (a run missed on an earlier day is skipped, not sent late);
  * several processes are safe: the JobRun row is inserted in the same transaction as the job's
    outbox rows, and its unique (job, scope, period_key) makes a second attempt a no-op.

Only one process runs the scheduler: on PostgreSQL it holds `pg_try_advisory_lock` on a dedicated
connection for its lifetime (the lock goes when that connection does, so another process takes over
at its next tick); on SQLite a single process is assumed.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from config import Settings, get_settings
from db.outbox import PENDING, SENDING, row_states
from db.schedule import active_communes, runs_done
from db.session import get_engine, session_scope
from scheduler.jobs import JOBS, WANTED, run_for_communes, run_sweeps
from scheduler.schedule import period_key, scheduled_at
from scheduler.sender import Sender

log = logging.getLogger(__name__)

LOCK_KEY = 0x74636E01  # "tcn\x01": any number unique to this application
STANDBY_SECONDS = 5  # how often a process without the lock asks for it (failover time)


@dataclass(frozen=True)
class DueRun:
    job: str
    commune_code: str
    period_key: str


async def tick(
    now: datetime, *, session_factory=session_scope, settings: Settings | None = None
) -> list[DueRun]:
    """Run every job whose moment today has passed and has no JobRun yet; returns what ran."""
    settings = settings or get_settings()
    zone = settings.zone
    now = now.astimezone(zone)
    await run_sweeps(now=now, settings=settings, session_factory=session_factory)
    async with session_factory() as session:
        communes = await active_communes(session)
        due = {
            job: [
                (commune, setting)
                for commune, setting in communes
                if (moment := scheduled_at(job, setting, now.date(), zone)) is not None
                and now >= moment
            ]
            for job in JOBS
        }
        for job, wanted in WANTED.items():
            ids = await wanted(session, now)
            due[job] = [(c, s) for c, s in due[job] if c.id in ids]
        done = await runs_done(session, period_keys={period_key(job, now) for job in JOBS})
    ran = []
    for job, candidates in due.items():
        key = period_key(job, now)
        todo = [(c, s) for c, s in candidates if (job, c.code, key) not in done]
        if not todo:
            continue
        result = await run_for_communes(
            job, now=now, communes=todo, session_factory=session_factory
        )
        log.info(
            "job %s (%s): %d communes, %d messages queued",
            job,
            key,
            result.communes,
            len(result.ids),
        )
        ran += [DueRun(job, code, key) for code in result.ran]
    return ran


class SchedulerLock:
    """At most one scheduler process: a PostgreSQL session advisory lock, held for our lifetime."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.connection: AsyncConnection | None = None

    @property
    def single_process(self) -> bool:
        return self.engine.dialect.name != "postgresql"

    async def acquire(self) -> bool:
        """True while we hold the lock; tries to take it when we do not (another process died)."""
        if self.single_process:
            return True
        if self.connection is not None:
            try:
                await self.connection.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection, and with it the lock, is gone
                log.warning("scheduler lock connection lost; trying to take the lock again")
                await self._drop()
        # AUTOCOMMIT: a connection idle in a transaction for days would hold back VACUUM.
        connection = await self.engine.connect()
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        got = (
            await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
        ).scalar()
        if got:
            self.connection = connection
            log.info("this process runs the scheduler")
        else:
            await connection.close()
        return bool(got)

    async def release(self) -> None:
        if self.connection is not None:
            try:
                await self.connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
                )
            finally:
                await self._drop()

    async def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                await connection.invalidate()


class Scheduler:
    """APScheduler's AsyncIOScheduler calling `tick` every minute and once at start-up."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] | None = None,
        session_factory=session_scope,
        engine: AsyncEngine | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(settings.zone))
        self.session_factory = session_factory
        self.lock = SchedulerLock(engine or get_engine(settings.effective_database_url))
        self.aps = AsyncIOScheduler(timezone=settings.zone)
        self._ticking = asyncio.Lock()
        self._stopped = False

    def start(self) -> None:
        self.aps.add_job(
            self.tick,
            "interval",
            seconds=self.settings.scheduler_tick_seconds,
            next_run_time=datetime.now(self.settings.zone),  # the start-up tick: catch-up
            id="tick",
            max_instances=1,
            coalesce=True,
        )
        if not self.lock.single_process:
            self.aps.add_job(
                self.standby,
                "interval",
                seconds=STANDBY_SECONDS,
                id="standby",
                max_instances=1,
                coalesce=True,
            )
        self.aps.start()

    async def standby(self) -> list[DueRun]:
        """Without the lock, ask for it every STANDBY_SECONDS and tick at once on getting it: when
        the holder dies, what is due runs within seconds, not at the next minute's tick."""
        if self.lock.connection is not None or self._ticking.locked():
            return []
        return await self.tick()

    async def tick(self) -> list[DueRun]:
        """One tick, only in the process holding the lock; errors are logged, never raised."""
        async with self._ticking:
            try:
                if self._stopped or not await self.lock.acquire():
                    return []
                return await tick(
                    self.clock(), session_factory=self.session_factory, settings=self.settings
                )
            except Exception:
                log.exception("scheduler tick failed")
                return []

    async def stop(self) -> None:
        self._stopped = True
        if self.aps.running:
            self.aps.shutdown(wait=False)
        async with self._ticking:  # let a running tick finish its transaction
            await self.lock.release()


@dataclass
class Delivery:
    sent: int = 0
    waiting: int = 0  # held for quiet hours or a later retry
    failed: int = 0
    unreachable: int = 0


async def deliver(
    sender: Sender,
    ids: list[int],
    *,
    session_factory=session_scope,
    patience: timedelta = timedelta(minutes=2),
) -> Delivery:
    """Send these rows now through `sender`, waiting out short retries (for the CLI).

    Rows planned later than `patience` ahead (quiet hours, long back-offs) are left to the service.
    """
    while True:
        claimed = await sender.run_once(limit=max(len(ids), 1) * 2)
        async with session_factory() as session:
            rows = await row_states(session, ids=ids)
        open_rows = [at for status, at in rows if status in (PENDING, SENDING)]
        now = sender.clock()
        if not open_rows or min(open_rows) > now + patience:
            break
        if not claimed and min(open_rows) <= now:
            break  # due but not sendable here (no channel for that platform): leave to the service
        await sender.sleep(max((min(open_rows) - now).total_seconds(), 0.05))
    counts = {status: sum(1 for s, _ in rows if s == status) for status, _ in rows}
    return Delivery(
        sent=counts.get("sent", 0),
        waiting=len(open_rows),
        failed=counts.get("failed", 0),
        unreachable=counts.get("unreachable", 0),
    )
