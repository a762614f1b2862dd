"""Scheduled jobs against a fixed clock: exactly the expected messages, once, within the rules."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot import texts
from bot.core.channel import TELEGRAM
from config import Settings
from db.campaigns import add_campaign
from db.models import (
    Campaign,
    ChatGroup,
    Identity,
    JobRun,
    Level,
    Outbox,
    Person,
    Role,
    Unit,
    utcnow,
)
from db.reports import save_report, write_reports
from db.schedule import active_communes
from db.session import session_scope
from db.units import add_membership, create_unit, ensure_team
from scheduler.jobs import run_job
from scheduler.leaderboards import post_leaderboard
from scheduler.reminders import remind
from scheduler.sender import Sender
from tests.helpers import SECRET, TelegramUser, outbox_settled, running_service, seed_commune
from webhook.telegram import TelegramChannel, make_bot

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = datetime(2026, 11, 21, 8, 0, tzinfo=VN)  # week 47: 16/11–22/11
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=VN)  # ranks week 47
FIRST = datetime(2026, 12, 1, 7, 30, tzinfo=VN)  # sums up November
WEEK = "16/11–22/11"


@pytest.fixture
async def commune(db):
    """Xã Tân Phú and its people, chats and reports.

    Ấp Tân Hòa: An (leader; an unreachable Zalo account and Telegram 500), Bình (Telegram 501),
    Dũng (no chat account); groups -100 (linked) and -400 (the bot was removed). Nobody reported.
    Ấp Phú Thạnh: Cường (leader, Telegram 503, also the commune's official) reported 4 VNeID on
    18/11; group -300. The commune's own group is -200.
    """
    seed = await seed_commune()
    tan_hoa, phu_thanh = seed.hamlets
    async with session_scope() as session:
        dung = Person(display_name="Phạm Văn Dũng")
        session.add(dung)
        await session.flush()
        await add_membership(
            session,
            person=dung,
            team=await ensure_team(
                session, unit=tan_hoa, name=texts.TEAM_NAME.format(unit=tan_hoa.name)
            ),
            role=Role.MEMBER,
        )
        an = seed.people["Nguyễn Văn An"]
        gone = datetime(2026, 11, 1, tzinfo=UTC)
        session.add(Identity(person_id=an.id, platform="zalo", user_id="z500", unreachable_at=gone))
        await session.flush()  # the unreachable account is the older one
        for name, user_id in (
            ("Nguyễn Văn An", "500"),
            ("Trần Thị Bình", "501"),
            ("Lê Văn Cường", "503"),
        ):
            session.add(
                Identity(person_id=seed.people[name].id, platform="telegram", user_id=user_id)
            )
        for chat_id, unit, unreachable in (
            ("-100", tan_hoa, None),
            ("-400", tan_hoa, gone),
            ("-200", seed.commune, None),
            ("-300", phu_thanh, None),
        ):
            session.add(
                ChatGroup(
                    platform="telegram",
                    chat_id=chat_id,
                    unit_id=unit.id,
                    unreachable_at=unreachable,
                )
            )
        official = seed.people["Lê Văn Cường"]
        await add_membership(
            session,
            person=official,
            team=await ensure_team(
                session, unit=seed.commune, name=texts.TEAM_NAME.format(unit=seed.commune.name)
            ),
            role=Role.OFFICIAL,
        )
        await save_report(
            session,
            person_id=official.id,
            team_id=(
                await ensure_team(
                    session, unit=phu_thanh, name=texts.TEAM_NAME.format(unit=phu_thanh.name)
                )
            ).id,
            activity_date=date(2026, 11, 18),
            counts={"vneid": 4},
            source="telegram",
            idempotency_key="seed-1",
        )
        await write_reports(session)
        await session.commit()
    seed.people["Phạm Văn Dũng"] = dung
    return seed


async def rows() -> list[Outbox]:
    async with session_scope() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


def person_key(seed, job_period: str, name: str, suffix: str = "") -> str:
    return f"{job_period}:person:{seed.people[name].id}{suffix}"


async def group_key(job_period: str, chat_id: str) -> str:
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup).where(ChatGroup.chat_id == chat_id))).one()
    return f"{job_period}:group:{group.id}"


async def test_reminder_messages_exactly_who_has_not_reported_once(commune):
    result = await run_job("reminder", now=SATURDAY)

    assert (result.communes, result.skipped, result.failed) == (1, 0, [])
    found = await rows()
    assert [row.id for row in found] == result.ids
    assert [(r.platform, r.chat_id, r.is_group, r.priority, r.dedupe_key) for r in found] == [
        ("telegram", "500", False, 10, person_key(commune, "reminder:2026-W47", "Nguyễn Văn An")),
        ("telegram", "501", False, 10, person_key(commune, "reminder:2026-W47", "Trần Thị Bình")),
        ("telegram", "-100", True, 10, await group_key("reminder:2026-W47", "-100")),
    ]
    leader, member, group = (row.payload["text"] for row in found)
    assert leader.startswith(f"👋 Chào Nguyễn Văn An! Tuần này ({WEEK}) bạn chưa gửi báo cáo nào.")
    assert leader.endswith(
        f"📋 Ấp Tân Hòa: 2 thành viên chưa báo cáo tuần này ({WEEK}):\n"
        "• Phạm Văn Dũng (không nhận được tin nhắn của bot, hãy nhắc trực tiếp)\n"
        "• Trần Thị Bình\n"
        "Nhờ anh/chị nhắc giúp nhé!"
    )
    assert member.startswith("👋 Chào Trần Thị Bình!") and "\n/bc vneid 5 dvc 3 ho 8\n" in member
    assert "📋" not in member
    assert group == (
        f"📣 Tuần này ({WEEK}) Ấp Tân Hòa chưa có báo cáo nào. Ai đã đi hỗ trợ người dân thì "
        "gửi ngay một dòng trong nhóm, ví dụ: /bc vneid 5 dvc 3 ho 8"
    )

    again = await run_job("reminder", now=SATURDAY + timedelta(hours=3))
    assert (again.communes, again.skipped, again.ids) == (0, 1, [])
    async with session_scope() as session:  # even past the JobRun row, the dedupe keys hold
        assert await remind(session, now=SATURDAY, commune=commune.commune) == []
        await session.commit()
    assert len(await rows()) == 3


async def test_leaderboard_posts_the_ranking_to_the_commune_group_and_ranks_to_hamlet_groups(
    commune,
):
    result = await run_job("leaderboard", now=MONDAY)

    found = await rows()
    assert [row.id for row in found] == result.ids
    assert [(r.chat_id, r.is_group, r.dedupe_key) for r in found] == [
        ("-200", True, await group_key("leaderboard:2026-W47", "-200")),
        ("-100", True, await group_key("leaderboard:2026-W47", "-100")),
        ("-300", True, await group_key("leaderboard:2026-W47", "-300")),
    ]
    board, tan_hoa, phu_thanh = (row.payload for row in found)
    assert board["text"] == (
        "🏆 Bảng xếp hạng\nXã Tân Phú · Tuần 16/11–22/11/2026\n\n"
        "1. Ấp Phú Thạnh — 4,0/người\n\n"
        "Gương mặt tiêu biểu tuần: Lê Văn Cường – Ấp Phú Thạnh (4)"
    )
    assert board["image"]["filename"] == "xep-hang-28468-2026-11-16.png"
    assert board["image"]["content_type"] == "image/png"
    assert tan_hoa["text"].startswith(
        "🏆 Xếp hạng tuần 16/11–22/11/2026: Ấp Tân Hòa chưa có báo cáo nên chưa được xếp hạng "
        "trong Xã Tân Phú (1 ấp đã báo cáo)."
    )
    assert phu_thanh["text"] == (
        "🏆 Xếp hạng tuần 16/11–22/11/2026: Ấp Phú Thạnh đứng thứ 1/1 trong Xã Tân Phú "
        "(4,0/người).\nKết quả của ấp: VNeID 4\nThành viên đã báo cáo: 1/1"
    )
    assert tan_hoa.get("image") is None and phu_thanh.get("image") is None

    assert (await run_job("leaderboard", now=MONDAY + timedelta(hours=1))).ids == []
    assert len(await rows()) == 3


def posted(found: list[Outbox]) -> list[tuple]:
    """What a group sees of each row (a stored image has a fresh random id each time)."""
    return [
        (r.chat_id, r.dedupe_key, r.payload["text"], (r.payload["image"] or {}).get("filename"))
        for r in found
    ]


async def test_the_leaderboard_read_for_one_commune_or_for_many_posts_the_same(commune):
    """The tick runs one commune at a time, `run_job` reads all of them at once: the same rows."""
    async with session_scope() as session:
        province = (await session.exec(select(Unit).where(Unit.code == "82"))).one()
        other = await create_unit(session, level=Level.COMMUNE, name="Xã Bên", parent=province)
        hamlet = await create_unit(session, level=Level.HAMLET, name="Thôn Bên", parent=other)
        team = await ensure_team(
            session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
        )
        newcomer = Person(display_name="Người Bên")
        session.add(newcomer)
        await session.flush()
        cuong = await session.get(Person, commune.people["Lê Văn Cường"].id)  # helps here too
        for someone, count in ((newcomer, 9), (cuong, 2)):
            await add_membership(session, person=someone, team=team, role=Role.MEMBER)
            await save_report(
                session,
                person_id=someone.id,
                team_id=team.id,
                activity_date=date(2026, 11, 17),
                counts={"vneid": count},
                source="telegram",
                idempotency_key=f"ben-{count}",
            )
        for chat_id, unit in (("-800", hamlet), ("-900", other)):
            session.add(ChatGroup(platform="telegram", chat_id=chat_id, unit_id=unit.id))
        await write_reports(session)
        await session.commit()
    alone = []
    for code in ("28468", other.code):
        async with session_scope() as session:
            [(unit, _setting)] = await active_communes(session, code=code)
            await post_leaderboard(session, now=MONDAY, commune=unit)
            alone += posted((await session.exec(select(Outbox).order_by(Outbox.id))).all())
            await session.rollback()

    result = await run_job("leaderboard", now=MONDAY)

    assert result.communes == 2
    assert posted(await rows()) == alone
    assert [chat_id for chat_id, *_ in alone] == ["-200", "-100", "-300", "-900", "-800"]
    assert alone[3][2].endswith("Lê Văn Cường – Thôn Bên (2)")  # only what he did in Xã Bên


async def test_a_long_leaderboard_goes_as_image_with_a_short_caption_then_the_text(db):
    async with session_scope() as session:
        commune = await create_unit(session, level=Level.COMMUNE, name="Xã Dài", parent=None)
        session.add(ChatGroup(platform="telegram", chat_id="-900", unit_id=commune.id))
        for number in range(40):
            hamlet = await create_unit(
                session,
                level=Level.HAMLET,
                name=f"Tổ dân phố số {number + 1} khu phố Mới",
                parent=commune,
            )
            someone = Person(display_name=f"Người {number}")
            session.add(someone)
            await session.flush()
            team = await ensure_team(
                session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
            )
            await add_membership(session, person=someone, team=team, role=Role.MEMBER)
            await save_report(
                session,
                person_id=someone.id,
                team_id=team.id,
                activity_date=date(2026, 11, 17),
                counts={"vneid": number + 1},
                source="telegram",
                idempotency_key=f"long-{number}",
            )
        await write_reports(session)
        await session.commit()

    await run_job("leaderboard", now=MONDAY)

    image, text = (row.payload for row in await rows())
    assert image["text"] == "🏆 Bảng xếp hạng Xã Dài · Tuần 16/11–22/11/2026"
    assert image["image"]["content_type"] == "image/png"
    assert text.get("image") is None and len(text["text"]) > 1024
    assert text["text"].startswith("🏆 Bảng xếp hạng\nXã Dài · Tuần 16/11–22/11/2026\n\n1. Tổ dân")


async def test_monthly_summary_goes_to_officials_with_the_workbook(commune):
    result = await run_job("monthly", now=FIRST)

    found = await rows()
    assert [(r.chat_id, r.is_group, r.dedupe_key) for r in found] == [
        ("503", False, person_key(commune, "monthly:2026-11", "Lê Văn Cường")),
        ("503", False, person_key(commune, "monthly:2026-11", "Lê Văn Cường", ":file")),
    ]
    text, document = (row.payload for row in found)
    assert text["text"].startswith("📊 Báo cáo Xã Tân Phú\nTháng 11/2026\n")
    assert "Thành viên báo cáo: 1/4 (25%)" in text["text"]
    assert text["text"].endswith("Chưa báo cáo: Ấp Tân Hòa")
    assert document["text"] == "📎 Tệp Excel: báo cáo tháng 11/2026 – Xã Tân Phú"
    assert document["document"]["filename"] == "baocao-28468-thang-01-11-2026.xlsx"
    assert (await run_job("monthly", now=FIRST)).ids == [] and result.ids == [r.id for r in found]


async def test_quiet_hours_hold_job_messages_until_they_end(commune, fixed_clock):
    # a week after SATURDAY's (Cường's report of 18/11 is not in it), still ahead of the clock:
    # a hold in the past would mean "now"
    late = SATURDAY.replace(hour=21, minute=30) + timedelta(days=7)
    assert fixed_clock < late
    await run_job("reminder", now=late)
    morning = late.replace(hour=6, minute=30) + timedelta(days=1)
    found = await rows()
    assert [r.chat_id for r in found] == ["500", "501", "503", "-100", "-300"]  # a new week
    assert {r.next_attempt_at for r in found} == {morning.astimezone(UTC)}

    sent = []

    class Recorder:
        platform, capabilities = "telegram", TELEGRAM

        async def send(self, chat_id, reply, media):
            sent.append(chat_id)

    clock = [late.astimezone(UTC)]
    sender = Sender({"telegram": Recorder()}, settings=Settings(), clock=lambda: clock[0])
    assert await sender.run_once() == 0
    clock[0] = morning.astimezone(UTC) - timedelta(seconds=1)
    assert await sender.run_once() == 0 and sent == []
    clock[0] = morning.astimezone(UTC)
    assert await sender.run_once() == 5
    assert sent == ["500", "501", "503", "-100", "-300"]


async def test_outside_quiet_hours_job_messages_are_due_at_once(commune):
    before = utcnow()
    await run_job("reminder", now=SATURDAY)
    assert all(before <= row.next_attempt_at <= utcnow() for row in await rows())


def fake_clock():
    clock = [utcnow()]

    async def sleep(seconds):
        clock[0] += timedelta(seconds=seconds)

    return clock, sleep


async def test_crash_after_enqueue_then_429_and_500_deliver_each_message_once(
    commune, telegram_api
):
    await run_job("reminder", now=SATURDAY)  # committed; the process "dies" before sending
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    telegram_api.fail_next("sendMessage", 500, "Internal Server Error")
    settings = Settings(telegram_bot_token="1:T", telegram_api_url=telegram_api.url)
    clock, sleep = fake_clock()

    def restarted() -> Sender:
        channel = TelegramChannel(make_bot(settings))
        return Sender({"telegram": channel}, settings=settings, clock=lambda: clock[0], sleep=sleep)

    sender = restarted()
    assert await sender.run_once(limit=3) == 3  # one chat's 429 holds that chat only
    assert [(r.status, r.attempts, r.last_error) for r in await rows()] == [
        ("pending", 1, "throttled: Flood control exceeded. Retry in 3 seconds"),
        ("pending", 1, "retryable: Internal Server Error"),
        ("sent", 1, None),
    ]
    for _ in range(3):
        clock[0] += timedelta(seconds=2)
        await sender.run_once()
    assert await restarted().run_once() == 0

    assert [(r.status, r.attempts) for r in await rows()] == [("sent", 2), ("sent", 2), ("sent", 1)]
    assert telegram_api.stats.accepted == 3
    calls = telegram_api.calls("sendMessage")
    assert [(str(c.params["chat_id"]), c.status) for c in calls] == [
        ("500", 429),
        ("501", 500),
        ("-100", 200),
        ("501", 200),
        ("500", 200),
    ]


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
    assert [r.status for r in await rows()] == ["sent", "unreachable", "sent"]

    next_week = await run_job("reminder", now=SATURDAY + timedelta(days=7))
    async with session_scope() as session:
        new = (
            await session.exec(
                select(Outbox).where(Outbox.id.in_(next_week.ids)).order_by(Outbox.id)
            )
        ).all()
    assert [r.chat_id for r in new] == ["500", "503", "-100", "-300"]
    assert (
        "• Trần Thị Bình (không nhận được tin nhắn của bot, hãy nhắc trực tiếp)"
        in (new[0].payload["text"])
    )


async def test_after_a_block_the_officials_baocao_counts_the_unreachable_member(
    commune, telegram_api, database_url
):
    settings = Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        database_url=database_url,
        scheduler_enabled=False,
    )
    async with running_service(settings) as client:
        telegram_api.fail_next(
            "sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id="501"
        )
        await run_job("reminder", now=SATURDAY)
        await outbox_settled()  # the service's own sender delivers the job's rows
        before = len(telegram_api.calls())
        official = TelegramUser(503, "Cường")
        response = await client.post(
            "/webhook/telegram",
            json=official.message("/baocao"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200
        await outbox_settled()
    [answer] = [c for c in telegram_api.calls()[before:] if c.method == "sendMessage"]
    assert str(answer.params["chat_id"]) == "503"
    assert "1 thành viên không nhận được tin nhắn của bot" in answer.params["text"]


async def test_a_failing_commune_is_logged_and_the_others_still_run(commune, monkeypatch, caplog):
    async with session_scope() as session:
        other = await create_unit(session, level=Level.COMMUNE, name="Xã Khác", parent=None)
        session.add(ChatGroup(platform="telegram", chat_id="-700", unit_id=other.id))
        await session.commit()
    from scheduler import jobs

    real = jobs.JOBS["leaderboard"]

    async def broken_for_tan_phu(session, *, now, commune, ready=None):
        if commune.code == "28468":
            raise RuntimeError("boom")
        return await real(session, now=now, commune=commune, ready=ready)

    monkeypatch.setitem(jobs.JOBS, "leaderboard", broken_for_tan_phu)
    result = await run_job("leaderboard", now=MONDAY)

    assert (result.communes, result.failed) == (1, ["28468"])
    assert "job leaderboard failed for commune 28468" in caplog.text
    assert [r.chat_id for r in await rows()] == []  # Xã Khác has no hamlet that reported
    async with session_scope() as session:
        runs = (await session.exec(select(JobRun.scope, JobRun.period_key))).all()
    assert runs == [(other.code, "2026-W47")]  # the failed commune's run is not marked done


def test_jobs_cli_runs_as_if_at_a_time_and_delivers(commune, database_url, telegram_api):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": "1:CLI",
        "TELEGRAM_API_URL": telegram_api.url,
    }
    command = [sys.executable, "-m", "cli", "jobs", "run", "reminder"]
    command += ["--at", "2026-11-21T08:00"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "reminder at 2026-11-21 08:00: 1 communes, 0 already done, 3 messages queued; "
        "sent 3, waiting 0, failed 0, unreachable 0"
    )
    assert again.stdout.strip() == (
        "reminder at 2026-11-21 08:00: 0 communes, 1 already done, 0 messages queued; "
        "sent 0, waiting 0, failed 0, unreachable 0"
    )
    sent_to = sorted(str(c.params["chat_id"]) for c in telegram_api.calls("sendMessage"))
    assert sent_to == ["-100", "500", "501"]  # each once (the service's sender works concurrently)


async def test_members_elsewhere_are_not_reminded(commune):
    async with session_scope() as session:
        unit = (await session.exec(select(Unit).where(Unit.code == "82"))).one()
        other = await create_unit(session, level=Level.COMMUNE, name="Xã Bên", parent=unit)
        hamlet = await create_unit(session, level=Level.HAMLET, name="Thôn Bên", parent=other)
        someone = Person(display_name="Người Bên")
        session.add(someone)
        await session.flush()
        team = await ensure_team(
            session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
        )
        await add_membership(session, person=someone, team=team, role=Role.MEMBER)
        session.add(Identity(person_id=someone.id, platform="telegram", user_id="800"))
        await session.commit()

    result = await run_job("reminder", now=SATURDAY, code="28468")

    assert result.communes == 1
    assert "800" not in [r.chat_id for r in await rows()]
    assert [r.chat_id for r in (await rows())] == ["500", "501", "-100"]


async def test_jobs_cli_runs_the_campaign_job(commune, database_url, telegram_api):
    async with session_scope() as session:  # a weekend campaign of the commune, posting at 10
        unit = (await session.exec(select(Unit).where(Unit.code == "28468"))).one()
        official = (await session.exec(select(Identity).where(Identity.user_id == "503"))).one()
        start, end = date(2026, 11, 21), date(2026, 11, 29)
        campaign = Campaign(unit_id=unit.id, name="VNeID", start_date=start, end_date=end)
        campaign.weekdays, campaign.post_hour, campaign.created_by = "56", 10, official.person_id
        await add_campaign(session, campaign=campaign, targets=[])
        await session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": "1:CLI",
        "TELEGRAM_API_URL": telegram_api.url,
    }
    command = [sys.executable, "-m", "cli", "jobs", "run", "campaigns", "--at", "2026-11-21T10:00"]
    ran = await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env=env, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("campaigns at 2026-11-21 10:00: 1 communes, 0 already done")
    sent_to = sorted(str(c.params["chat_id"]) for c in telegram_api.calls("sendMessage"))
    assert sent_to == ["-100", "-200", "-200", "-300"]  # the start everywhere, the day's post
