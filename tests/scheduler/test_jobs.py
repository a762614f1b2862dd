"""Scheduled jobs against a fixed clock: exactly the expected messages, once, within the rules."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.config import Settings
from db.models import ChatGroup, Identity, JobRun, Outbox, Role, utcnow
from db.reports import save_report
from db.session import session_scope
from db.units import add_membership, ensure_team
from scheduler.jobs import run_job
from scheduler.outbox import Sender
from scheduler.runner import tick
from tests.helpers import seed_commune
from webhook.telegram import TelegramChannel, make_bot

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = datetime(2026, 11, 21, 8, 0, tzinfo=VN)  # week 16/11–22/11
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=VN)


@pytest.fixture
async def commune(db):
    """Hamlet A (An leads, Bình) with a linked group; hamlet B (Cường) reported this week."""
    seed = await seed_commune()
    async with session_scope() as session:
        for name, user_id in (
            ("Nguyễn Văn An", "500"),
            ("Trần Thị Bình", "501"),
            ("Lê Văn Cường", "503"),
        ):
            session.add(
                Identity(person_id=seed.people[name].id, platform="telegram", user_id=user_id)
            )
        session.add(ChatGroup(platform="telegram", chat_id="-100", unit_id=seed.hamlets[0].id))
        session.add(ChatGroup(platform="telegram", chat_id="-200", unit_id=seed.commune.id))
        official = seed.people["Lê Văn Cường"]
        await add_membership(
            session,
            person=official,
            team=await ensure_team(session, unit=seed.commune),
            role=Role.OFFICIAL,
        )
        team_b = await ensure_team(session, unit=seed.hamlets[1])
        await save_report(
            session,
            person_id=official.id,
            team_id=team_b.id,
            activity_date=date(2026, 11, 18),
            counts={"vneid": 4},
            source="telegram",
            idempotency_key="seed-1",
        )
        await session.commit()
    return seed


async def rows() -> list[Outbox]:
    async with session_scope() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def test_reminder_messages_exactly_who_has_not_reported_once(commune):
    result = await run_job("reminder", now=SATURDAY)
    assert (result.communes, len(result.ids)) == (1, 3)
    sent = {(r.chat_id, r.is_group): r.payload["text"] for r in await rows()}
    assert set(sent) == {("500", False), ("501", False), ("-100", True)}
    assert "Chào Nguyễn Văn An" in sent[("500", False)] and "Trần Thị Bình" in sent[("500", False)]
    assert "1 thành viên chưa báo cáo" in sent[("500", False)]
    assert "/bc vneid 5 dvc 3 ho 8" in sent[("501", False)]
    assert "Ấp Tân Hòa chưa có báo cáo" in sent[("-100", True)]
    again = await run_job("reminder", now=SATURDAY + timedelta(hours=3))
    assert (again.ids, again.skipped) == ([], 1)
    assert len(await rows()) == 3


async def test_leaderboard_posts_to_the_commune_group_and_each_hamlet_group(commune):
    result = await run_job("leaderboard", now=MONDAY)
    by_chat = {}
    for row in await rows():
        by_chat.setdefault(row.chat_id, []).append(row.payload)
    assert set(by_chat) == {"-100", "-200"}
    commune_posts = by_chat["-200"]
    assert any("Bảng xếp hạng" in p["text"] for p in commune_posts)
    assert any(p.get("image") for p in commune_posts)
    assert "Ấp Tân Hòa chưa có báo cáo nên chưa được xếp hạng" in by_chat["-100"][0]["text"]
    assert result.ids and (await run_job("leaderboard", now=MONDAY)).ids == []


async def test_monthly_summary_goes_to_officials_with_the_workbook(commune):
    await run_job("monthly", now=datetime(2026, 12, 1, 7, 30, tzinfo=VN))
    payloads = [r.payload for r in await rows() if r.chat_id == "503"]
    assert any("tháng 11/2026" in p["text"].lower() for p in payloads)
    document = next(p["document"] for p in payloads if p.get("document"))
    assert document["filename"].endswith(".xlsx")


async def test_quiet_hours_hold_job_messages(commune):
    today = datetime.now(VN).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)  # a Saturday still to come
    late = datetime.combine(saturday, datetime.min.time(), tzinfo=VN).replace(hour=21, minute=30)
    await run_job("reminder", now=late)
    morning = late.replace(hour=6, minute=30) + timedelta(days=1)
    assert {r.next_attempt_at.astimezone(VN) for r in await rows()} == {morning}
    sent = []

    class Recorder:
        platform, capabilities = "telegram", None

        async def send(self, chat_id, reply, media):
            sent.append(chat_id)

    clock = [late.astimezone(ZoneInfo("UTC"))]
    sender = Sender({"telegram": Recorder()}, settings=Settings(), clock=lambda: clock[0])
    assert await sender.run_once() == 0 and sent == []
    clock[0] = morning.astimezone(ZoneInfo("UTC")) + timedelta(seconds=1)
    await sender.run_once()
    assert sorted(sent) == ["-100", "500", "501", "503"]  # that week Cường has not reported either


async def test_crash_after_enqueue_then_429_and_500_lose_nothing(commune, telegram_api):
    await run_job("reminder", now=SATURDAY)  # committed; the process "dies" before sending
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    telegram_api.fail_next("sendMessage", 500, "Internal Server Error")
    settings = Settings(telegram_bot_token="1:T", telegram_api_url=telegram_api.url)
    clock = [utcnow()]

    async def fake_sleep(seconds):
        clock[0] += timedelta(seconds=seconds)

    sender = Sender(
        {"telegram": TelegramChannel(make_bot(settings))},
        settings=settings,
        clock=lambda: clock[0],
        sleep=fake_sleep,
    )
    for _ in range(10):
        await sender.run_once()
        clock[0] += timedelta(seconds=2)
    statuses = [r.status for r in await rows()]
    assert statuses == ["sent", "sent", "sent"]
    delivered = [
        str(c.params["chat_id"]) for c in telegram_api.calls("sendMessage") if c.status == 200
    ]
    assert sorted(delivered) == ["-100", "500", "501"]


async def test_blocked_members_are_marked_and_not_reminded_again(commune, telegram_api):
    await run_job("reminder", now=SATURDAY)
    telegram_api.fail_next(
        "sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id="501"
    )
    settings = Settings(telegram_bot_token="1:T", telegram_api_url=telegram_api.url)
    await Sender({"telegram": TelegramChannel(make_bot(settings))}, settings=settings).run_once()
    async with session_scope() as session:
        identity = (await session.exec(select(Identity).where(Identity.user_id == "501"))).one()
        assert identity.unreachable_at is not None
    next_week = await run_job("reminder", now=SATURDAY + timedelta(days=7))
    async with session_scope() as session:
        new = (await session.exec(select(Outbox).where(Outbox.id.in_(next_week.ids)))).all()
    assert "501" not in {r.chat_id for r in new}
    leader = next(r for r in new if r.chat_id == "500")
    assert "không nhận được tin nhắn của bot" in leader.payload["text"]


async def test_a_missed_run_is_caught_up_once_the_same_day_only(commune):
    ran = await tick(datetime(2026, 11, 21, 10, 0, tzinfo=VN))
    assert [(r.job, r.commune_code) for r in ran] == [("reminder", "28468")]
    assert await tick(datetime(2026, 11, 21, 10, 1, tzinfo=VN)) == []
    async with session_scope() as session:
        await session.exec(JobRun.__table__.delete())
        await session.commit()
    assert (
        await tick(datetime(2026, 11, 22, 9, 0, tzinfo=VN)) == []
    )  # Sunday: Saturday's run is skipped


def test_jobs_cli_runs_as_if_at_a_time(commune, database_url):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "jobs", "run", "reminder", "--at", "2026-11-21T08:00"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 communes" in result.stdout and "3 messages queued" in result.stdout
    assert "sent 0, waiting 3" in result.stdout  # no Telegram token here: left for the service
