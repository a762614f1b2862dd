"""When jobs run: the schedule, quiet hours, the per-minute tick with catch-up, and the single lock."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import delete, select

from config import Settings
from db.models import JobRun, JobSetting, Outbox
from db.session import get_engine, session_scope
from scheduler import jobs
from scheduler.runner import DueRun, Scheduler, SchedulerLock, tick
from scheduler.schedule import period_key, quiet_end, scheduled_at
from tests.helpers import ON_POSTGRES
from tests.scheduler.test_jobs import commune  # noqa: F401  (fixture)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.mark.parametrize(
    ("job", "day", "key"),
    [
        ("reminder", at(21, 8), "2026-W47"),
        ("reminder", at(22, 23), "2026-W47"),  # Sunday ends the week
        ("leaderboard", at(23, 7), "2026-W47"),  # Monday ranks the week before
        ("monthly", at(1, 7, month=12), "2026-11"),
        ("monthly", datetime(2027, 1, 1, 7, 30, tzinfo=VN), "2026-12"),
        ("reminder", datetime(2027, 1, 2, 8, tzinfo=VN), "2026-W53"),  # ISO year of the week
    ],
)
def test_period_keys_name_the_period_a_run_is_about(job, day, key):
    assert period_key(job, day.date()) == key


def test_scheduled_moments_follow_the_settings():
    default = JobSetting(unit_id=1)
    assert scheduled_at("reminder", default, at(21, 0).date(), VN) == at(21, 8)
    assert scheduled_at("reminder", default, at(20, 0).date(), VN) is None  # a Friday
    assert scheduled_at("leaderboard", default, at(23, 0).date(), VN) == at(23, 7)
    assert scheduled_at("monthly", default, at(1, 0, month=12).date(), VN) == at(1, 7, 30, 12)
    assert scheduled_at("monthly", default, at(2, 0, month=12).date(), VN) is None
    changed = JobSetting(unit_id=1, reminder_weekday=4, reminder_time="17:30", monthly_day=5)
    assert scheduled_at("reminder", changed, at(20, 0).date(), VN) == at(20, 17, 30)
    assert scheduled_at("monthly", changed, at(5, 0, month=12).date(), VN) == at(5, 7, 30, 12)
    off = JobSetting(unit_id=1, reminder_enabled=False)
    assert scheduled_at("reminder", off, at(21, 0).date(), VN) is None


@pytest.mark.parametrize(
    ("now", "start", "end", "until"),
    [
        (at(21, 21, 30), "21:00", "06:30", at(22, 6, 30)),
        (at(21, 21, 0), "21:00", "06:30", at(22, 6, 30)),
        (at(21, 3, 0), "21:00", "06:30", at(21, 6, 30)),
        (at(21, 6, 30), "21:00", "06:30", None),
        (at(21, 20, 59), "21:00", "06:30", None),
        (at(21, 12, 0), "21:00", "06:30", None),
        (at(21, 5, 0), "00:00", "06:00", at(21, 6, 0)),
        (at(21, 23, 0), "00:00", "06:00", None),
        (at(21, 23, 0), "00:00", "00:00", None),  # quiet hours switched off
    ],
)
def test_quiet_hours_end(now, start, end, until):
    assert quiet_end(now, JobSetting(unit_id=1, quiet_start=start, quiet_end=end)) == until


async def job_runs() -> list[tuple[str, str, str]]:
    async with session_scope() as session:
        query = select(JobRun.job, JobRun.scope, JobRun.period_key).order_by(JobRun.id)
        return list((await session.exec(query)).all())


async def outbox_count() -> int:
    async with session_scope() as session:
        return len((await session.exec(select(Outbox.id))).all())


async def test_a_missed_run_is_caught_up_once_the_same_day_only(commune):  # noqa: F811
    assert await tick(at(21, 7, 59)) == []
    assert await tick(at(21, 10, 0)) == [DueRun("reminder", "28468", "2026-W47")]
    assert await outbox_count() == 3
    assert await tick(at(21, 10, 1)) == []
    assert await tick(at(21, 23, 59)) == []
    assert await outbox_count() == 3
    assert await job_runs() == [("reminder", "28468", "2026-W47")]

    async with session_scope() as session:  # as if Saturday had passed with the service down
        await session.exec(delete(JobRun))
        await session.exec(delete(Outbox))
        await session.commit()
    assert await tick(at(22, 9, 0)) == []  # Sunday: Saturday's run is skipped, not sent late
    assert await outbox_count() == 0


async def test_the_tick_follows_each_communes_settings(commune):  # noqa: F811
    async with session_scope() as session:
        session.add(
            JobSetting(
                unit_id=commune.commune.id,
                reminder_weekday=4,
                reminder_time="17:30",
                leaderboard_enabled=False,
            )
        )
        await session.commit()
    assert await tick(at(20, 17, 29)) == []
    assert await tick(at(20, 17, 30)) == [DueRun("reminder", "28468", "2026-W47")]
    assert await tick(at(21, 8, 0)) == []  # no longer Saturday
    assert await tick(at(23, 7, 0)) == []  # leaderboard switched off
    assert await tick(at(1, 7, 30, month=12)) == [DueRun("monthly", "28468", "2026-11")]
    assert await job_runs() == [
        ("reminder", "28468", "2026-W47"),
        ("monthly", "28468", "2026-11"),
    ]


async def test_a_failed_run_is_tried_again_at_the_next_tick(commune, monkeypatch):  # noqa: F811
    real = jobs.JOBS["leaderboard"]
    failures = [RuntimeError("database hiccup")]

    async def flaky(session, *, now, commune, ready=None):
        if failures:
            raise failures.pop()
        return await real(session, now=now, commune=commune, ready=ready)

    monkeypatch.setitem(jobs.JOBS, "leaderboard", flaky)
    assert await tick(at(23, 7, 0)) == []
    assert await job_runs() == [] and await outbox_count() == 0  # nothing half-done
    assert await tick(at(23, 7, 1)) == [DueRun("leaderboard", "28468", "2026-W47")]
    assert await outbox_count() == 3


async def test_the_scheduler_ticks_at_start_up(commune, database_url):  # noqa: F811
    settings = Settings(database_url=database_url)
    scheduler = Scheduler(settings, clock=lambda: at(21, 10, 0))
    scheduler.start()
    try:
        for _ in range(500):
            if await job_runs():
                break
            await asyncio.sleep(0.02)
    finally:
        await scheduler.stop()
    assert await job_runs() == [("reminder", "28468", "2026-W47")]
    assert await outbox_count() == 3
    assert await tick(at(21, 10, 0)) == []  # the same moment again: already done
    assert not scheduler.aps.running
    assert await scheduler.tick() == []  # a stopped scheduler never ticks (nor takes the lock)


@pytest.mark.skipif(ON_POSTGRES, reason="on PostgreSQL the advisory lock is tested instead")
async def test_on_sqlite_one_process_is_assumed(database_url):
    lock = SchedulerLock(get_engine(database_url))
    assert lock.single_process
    assert await lock.acquire() and await lock.acquire()


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_try_advisory_lock needs PostgreSQL")
async def test_only_one_process_holds_the_scheduler_lock_and_another_takes_over(database_url):
    from sqlalchemy.ext.asyncio import create_async_engine

    first = SchedulerLock(create_async_engine(database_url))  # as two processes would
    second = SchedulerLock(create_async_engine(database_url))
    try:
        assert await first.acquire() is True
        assert await first.acquire() is True  # still ours
        assert await second.acquire() is False
        assert second.connection is None

        await first.connection.invalidate()  # the first process's connection dies
        assert await second.acquire() is True
        assert await first.acquire() is False  # noticed the loss, and the lock is taken

        await second.release()
        assert await first.acquire() is True
    finally:
        await first.release()
        await second.release()
        await first.engine.dispose()
        await second.engine.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_try_advisory_lock needs PostgreSQL")
async def test_a_scheduler_without_the_lock_does_not_run_jobs(commune, database_url):  # noqa: F811
    from sqlalchemy.ext.asyncio import create_async_engine

    holder = SchedulerLock(create_async_engine(database_url))
    assert await holder.acquire()
    try:
        waiting = Scheduler(Settings(database_url=database_url), clock=lambda: at(21, 10, 0))
        assert await waiting.tick() == []
        assert await job_runs() == []
    finally:
        await holder.release()
        await holder.engine.dispose()
    assert await waiting.standby() == [DueRun("reminder", "28468", "2026-W47")]  # took over
    assert waiting.lock.connection is not None
    assert await waiting.standby() == []  # holding the lock, it leaves the minute's tick to run
    await waiting.stop()
    assert waiting.lock.connection is None
    again = SchedulerLock(get_engine(database_url))
    assert await again.acquire() is True  # released on stop: free for another process
    await again.release()
