"""/caidat over the Telegram webhook: an official changes the schedule; others cannot."""

from sqlmodel import select

from db.models import JobSetting, Role
from db.session import session_scope
from tests.helpers import TelegramUser, invite, seed_commune
from tests.webhook.test_telegram_e2e import Chat, service, settings  # noqa: F401


async def test_official_changes_the_schedule_and_quiet_hours(service, telegram_api):  # noqa: F811
    seed = await seed_commune()
    chat = Chat(service, telegram_api)
    official = TelegramUser(900, "Hà")
    await chat.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    shown = await chat.text(official.message("/caidat"))
    assert "Nhắc báo cáo" in shown and "đang bật" in shown
    assert "Đã lưu" in await chat.text(official.message("/caidat nhắc nhở thứ 6 17:30"))
    assert "Đã lưu" in await chat.text(official.message("/caidat bangxephang tat"))
    assert "Đã lưu" in await chat.text(official.message("/caidat yenlang 22:00-06:00"))
    bad = await chat.text(official.message("/caidat nhacnho thu9 25:00"))
    assert "/caidat" in bad and "Đã lưu" not in bad
    async with session_scope() as session:
        setting = (await session.exec(select(JobSetting))).one()
        assert (setting.reminder_weekday, setting.reminder_time) == (4, "17:30")
        assert setting.leaderboard_enabled is False
        assert (setting.quiet_start, setting.quiet_end) == ("22:00", "06:00")


async def test_members_cannot_change_the_schedule(service, telegram_api):  # noqa: F811
    seed = await seed_commune()
    chat = Chat(service, telegram_api)
    member = TelegramUser(901, "Lan")
    await chat.send(member.message(f"/thamgia {await invite(seed.hamlets[1], Role.MEMBER)}"))
    await chat.send(member.press("none"))
    assert "Chỉ cán bộ xã" in await chat.text(member.message("/caidat nhacnho tat"))
