"""Two `tocongnghe serve` processes on one PostgreSQL database, as a deployment scaled out:
updates that reach both count once, scheduled messages go out once from the one process that
holds the scheduler lock, and when that process is killed the other takes the jobs over.

PostgreSQL only: SQLite is one process by design (scheduler.runner). The real clock decides
what is due, so each commune's schedule is set to "today at 00:00" when the test starts.
"""

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from db.models import ChatGroup, JobRun, JobSetting, ProcessedUpdate, Report
from db.session import session_scope
from scheduler.runner import LOCK_KEY
from tests.cli.serving import Served, service_env, wait_for
from tests.helpers import ON_POSTGRES, SECRET, TelegramUser, link_telegram, seed_commune

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="several processes need PostgreSQL")
TAKES_OVER = "this process runs the scheduler"


async def schedule_today(commune_id: int, *, leaderboard: bool) -> None:
    """The reminder (and the leaderboard) due today at 00:00, no quiet hours, no monthly job."""
    today = datetime.now(UTC).weekday()
    async with session_scope() as session:
        setting = (
            await session.exec(select(JobSetting).where(JobSetting.unit_id == commune_id))
        ).first() or JobSetting(unit_id=commune_id)
        setting.reminder_weekday, setting.reminder_time = today, "00:00"
        setting.leaderboard_enabled, setting.leaderboard_weekday = leaderboard, today
        setting.leaderboard_time, setting.monthly_enabled = "00:00", False
        setting.quiet_start = setting.quiet_end = "00:00"
        session.add(setting)
        await session.commit()


async def count(model, *where) -> int:
    async with session_scope() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def lock_holders() -> int:
    async with session_scope() as session:
        query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key"
        return (await session.exec(text(query), params={"key": LOCK_KEY})).scalar_one()


async def until_counted(model, *where, timeout: float = 30) -> None:
    """Wait until at least one such row exists."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await count(model, *where):
        assert asyncio.get_running_loop().time() < deadline, f"no {model.__name__} row came"
        await asyncio.sleep(0.2)


@pytest.fixture
def two_services(db, database_url, telegram_api, tmp_path):
    env = service_env(
        database_url,
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        scheduler_tick_seconds="1",
        tz="UTC",  # schedule_today reads the weekday in UTC too
    )
    services = [Served(env, tmp_path / f"serve-{n}.log") for n in (1, 2)]
    yield services
    for service in services:
        service.stop()


async def test_two_processes_on_one_database(db, telegram_api, two_services):
    seed = await seed_commune()
    people = seed.people
    await link_telegram(
        [
            (people["Nguyễn Văn An"], 500),
            (people["Trần Thị Bình"], 501),
            (people["Lê Văn Cường"], 503),
        ]
    )
    async with session_scope() as session:
        session.add(ChatGroup(platform="telegram", chat_id="-100", unit_id=seed.hamlets[0].id))
        await session.commit()
    await schedule_today(seed.commune.id, leaderboard=False)
    first, second = two_services
    for service in two_services:
        service.wait_healthy()

    # The same updates reach both processes at once (a Telegram retry may land on either).
    updates = [TelegramUser(503, "Cường").message(f"/bc vneid {n}") for n in range(1, 9)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda pair: pair[0].post_telegram(pair[1]),
                                [(s, u) for u in updates for s in two_services]))  # fmt: skip
    assert {a.status_code for a in answers} == {200}
    assert await count(ProcessedUpdate) == len(updates)
    assert await count(Report) == len(updates)

    # The reminder is due in both: sent once to each chat, by the one process with the lock.
    reminded = {"-100", "500", "501"}
    wait_for(lambda: reminded <= {str(c.params["chat_id"]) for c in telegram_api.calls("sendMessage")},
             what="the reminders")  # fmt: skip

    # 503 may get a reminder too (if the job ran before his reports): wait for the answers
    def answers() -> list:
        return [c for c in telegram_api.calls("sendMessage") if "Đã ghi nhận" in c.params["text"]]

    wait_for(lambda: len(answers()) >= len(updates), what="the answers")
    calls = telegram_api.calls("sendMessage")
    answered = [c for c in calls if "Đã ghi nhận" in c.params["text"]]
    assert len(answered) == len(updates)  # each update answered once
    others = [str(c.params["chat_id"]) for c in calls if c not in answered]
    assert reminded <= set(others) and len(others) == len(set(others)), others  # once each
    assert await count(JobRun, JobRun.job == "reminder") == 1
    assert await lock_holders() == 1
    holder, other = (first, second) if TAKES_OVER in first.log() else (second, first)
    assert TAKES_OVER in holder.log() and TAKES_OVER not in other.log()

    # kill -9 the lock holder: its connection, and so the lock, goes; the other takes the jobs
    # at its next tick and runs the leaderboard that has just become due.
    os.kill(holder.process.pid, signal.SIGKILL)
    holder.process.wait()
    await schedule_today(seed.commune.id, leaderboard=True)
    wait_for(lambda: TAKES_OVER in other.log(), what="the other process to take the lock")
    await until_counted(JobRun, JobRun.job == "leaderboard")
    assert await lock_holders() == 1
    assert await count(JobRun, JobRun.job == "reminder") == 1  # not run again by the new holder
