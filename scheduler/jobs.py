"""The job table and how a job runs: once per commune and period, whoever calls it.

Jobs only write outbox rows (priority JOB); the Sender delivers them within platform limits. Each
job is a small function `(session, *, now, commune) -> outbox ids` working inside the caller's
transaction (`scheduler.reminders`, `scheduler.leaderboards`, `scheduler.monthly`);
`run_for_commune` wraps it with the JobRun row that marks it done, so a job runs once per commune
and period whoever calls it (the tick, the CLI, a second process). `now` is local time.
A job may also read its figures beforehand for many communes at once (`READ_AHEAD`):
`run_for_communes` (behind `run_job` and the tick) does so in batches, then each commune's
transaction only writes its rows.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.attachments import draw_renders, reserve_renders
from bot.logs import log_context
from bot.metrics import JOB_RUNS
from config import Settings
from db.campaigns import busy_communes
from db.models import JobSetting, Unit
from db.schedule import active_communes, claim_run
from db.session import session_scope
from scheduler.campaigns import run_campaigns
from scheduler.difficulties import escalate
from scheduler.leaderboards import post_leaderboard, read_boards
from scheduler.monthly import send_monthly
from scheduler.reminders import remind
from scheduler.schedule import CAMPAIGNS, LEADERBOARD, MONTHLY, REMINDER, enabled, period_key

log = logging.getLogger(__name__)

BATCH = 200  # communes read ahead at once: bounded memory and IN lists
JOBS = {
    REMINDER: remind,
    LEADERBOARD: post_leaderboard,
    MONTHLY: send_monthly,
    CAMPAIGNS: run_campaigns,
}
READ_AHEAD = {LEADERBOARD: read_boards}  # jobs whose figures are read for many communes at once
# jobs that run only for the communes this returns (their ids), not for every active commune
WANTED = {CAMPAIGNS: lambda session, now: busy_communes(session, day=now.date())}
# Jobs that run at every tick, over all communes at once, each in one transaction of its own;
# each marks what it did (e.g. `escalated_at`), so a second run does nothing.
SWEEPS = {"escalate": escalate}


async def run_sweeps(
    *, now: datetime, settings: Settings, session_factory=session_scope
) -> dict[str, list[int]]:
    """Every sweep once; one that fails is logged and tried again at the next tick."""
    done = {}
    for name, sweep in SWEEPS.items():
        try:
            async with session_factory() as session:
                done[name] = await sweep(session, now=now, settings=settings)
                await session.commit()
        except Exception:
            log.exception("sweep %s failed", name)
    return done


async def run_for_commune(
    job: str, *, now: datetime, commune: Unit, session_factory=session_scope, ready=None
) -> list[int] | None:
    """One transaction: the JobRun row and the job's outbox rows; None if the period already ran.
    The job's images and workbooks are drawn after it (bot.attachments).

    `ready` is what `READ_AHEAD` read for this commune, if anything; without it the job reads alone.
    """
    key = period_key(job, now)
    async with session_factory() as session:
        if not await claim_run(session, job=job, scope=commune.code, period_key=key, ran_at=now):
            return None
        extra = {} if ready is None else {"ready": ready}
        ids = await JOBS[job](session, now=now, commune=commune, **extra)
        renders = await reserve_renders(session)
        try:
            await session.commit()
        except IntegrityError:  # another process committed the same run first
            return None
    await draw_renders(renders, session_factory=session_factory)  # images: after the commit
    return ids


@dataclass
class RunResult:
    """What a run over many communes did."""

    ran: list[str] = field(default_factory=list)  # codes of the communes it ran for
    skipped: int = 0  # already ran this period
    failed: list[str] = field(default_factory=list)  # commune codes
    ids: list[int] = field(default_factory=list)

    @property
    def communes(self) -> int:
        return len(self.ran)


async def run_job(
    job: str, *, now: datetime, code: str | None = None, session_factory=session_scope
) -> RunResult:
    """Run a job now for every active commune where it is switched on (or the one `code` names).

    The day and time in the settings are not checked (the tick does that).
    """
    async with session_factory() as session:
        communes = [(c, s) for c, s in await active_communes(session, code=code) if enabled(job, s)]
    return await run_for_communes(job, now=now, communes=communes, session_factory=session_factory)


async def dry_run(job: str, *, now: datetime, session_factory=session_scope) -> int:
    """How many messages the job would write now, for every commune where it is on: each
    commune's work is rolled back, so no run is marked, no row is stored, nothing is sent, and
    the period's real run stays to do (the web chat's buttons beside a real bot)."""
    async with session_factory() as session:
        communes = [c for c, s in await active_communes(session) if enabled(job, s)]
    count = 0
    for commune in communes:
        async with session_factory() as session:
            count += len(await JOBS[job](session, now=now, commune=commune))
            await session.rollback()
    return count


async def run_for_communes(
    job: str,
    *,
    now: datetime,
    communes: list[tuple[Unit, JobSetting]],
    session_factory=session_scope,
) -> RunResult:
    """The job for each of these communes, its figures read for BATCH communes at a time.

    A failure on one commune is logged and the loop goes on (that commune is tried again at the
    next tick).
    """
    result = RunResult()
    for first in range(0, len(communes), BATCH):
        batch = communes[first : first + BATCH]
        ready = await _read_ahead(job, now=now, communes=batch, session_factory=session_factory)
        for commune, _setting in batch:
            with log_context(job_id=f"{job}:{commune.code}"):
                try:
                    ids = await run_for_commune(
                        job,
                        now=now,
                        commune=commune,
                        session_factory=session_factory,
                        ready=ready.get(commune.id),
                    )
                except Exception:
                    log.exception("job %s failed for commune %s", job, commune.code)
                    result.failed.append(commune.code)
                    JOB_RUNS.labels(job, "failed").inc()
                    continue
            JOB_RUNS.labels(job, "skipped" if ids is None else "ran").inc()
            if ids is None:
                result.skipped += 1
            else:
                result.ran.append(commune.code)
                result.ids += ids
    return result


async def _read_ahead(
    job: str, *, now: datetime, communes: list[tuple[Unit, JobSetting]], session_factory
) -> dict:
    """The job's figures for these communes by id, read at once in a session of their own.

    {} for a job that reads alone, or when the read fails (logged): each commune then reads alone.
    """
    if job not in READ_AHEAD:
        return {}
    try:
        async with session_factory() as session:
            return await READ_AHEAD[job](session, now=now, communes=communes)
    except Exception:
        log.exception("job %s: reading ahead failed", job)
        return {}
