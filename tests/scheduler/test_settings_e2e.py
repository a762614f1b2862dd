"""/caidat over the Telegram webhook: an official changes the schedule; others cannot."""

import pytest
from sqlmodel import select

from bot.handlers.settings import BadInput, Change, parse_change
from db.models import ChatGroup, JobSetting, Role
from db.session import session_scope
from tests.helpers import TelegramUser, invite, seed_commune
from tests.webhook.test_telegram_e2e import Chat, service, settings  # noqa: F401

DEFAULTS_SHOWN = (
    "⚙️ Tin nhắn tự động của Xã Tân Phú\n"
    "• Nhắc báo cáo: thứ Bảy lúc 08:00 (đang bật)\n"
    "• Bảng xếp hạng tuần: thứ Hai lúc 07:00 (đang bật)\n"
    "• Tổng hợp tháng cho cán bộ: ngày 1 hằng tháng lúc 07:30 (đang bật)\n"
    "• Giờ yên lặng, không gửi tin tự động: 21:00–06:30\n"
    "\n"
    "Đổi lịch, ví dụ:\n"
    "/caidat nhacnho thu7 08:00\n"
    "/caidat bangxephang thu2 07:00\n"
    "/caidat tonghop ngay1 07:30\n"
    "/caidat yenlang 21:00-06:30\n"
    "Tắt hoặc bật: /caidat nhacnho tat, /caidat nhacnho bat"
)


async def test_official_changes_the_schedule_and_quiet_hours(service, telegram_api):  # noqa: F811
    seed = await seed_commune()
    chat = Chat(service, telegram_api)
    official = TelegramUser(900, "Hà")
    await chat.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))

    assert await chat.text(official.message("/caidat")) == DEFAULTS_SHOWN
    changed = await chat.text(official.message("/caidat Nhắc nhở thứ 6 17h30"))
    assert changed.startswith("✅ Đã lưu.\n⚙️ Tin nhắn tự động của Xã Tân Phú\n")
    assert "• Nhắc báo cáo: thứ Sáu lúc 17:30 (đang bật)" in changed
    off = await chat.text(official.message("/caidat bảng xếp hạng tắt"))
    assert "• Bảng xếp hạng tuần: thứ Hai lúc 07:00 (đang tắt)" in off
    monthly = await chat.text(official.message("/caidat tonghop ngay 5 8:00"))
    assert "• Tổng hợp tháng cho cán bộ: ngày 5 hằng tháng lúc 08:00 (đang bật)" in monthly
    quiet = await chat.text(official.message("/caidat yên lặng 22:00 - 06:00"))
    assert "• Giờ yên lặng, không gửi tin tự động: 22:00–06:00" in quiet

    bad = await chat.text(official.message("/caidat nhacnho thu9 25:00"))
    assert bad == (
        "Gõ thứ và giờ, ví dụ: /caidat nhacnho thu7 08:00 (thu2…thu7 hoặc cn; giờ dạng 08:00), "
        "hoặc /caidat nhacnho tat để tắt."
    )
    unknown = await chat.text(official.message("/caidat lich 08:00"))
    assert unknown.startswith("Không hiểu «lich». Gõ nhacnho, bangxephang, tonghop hoặc yenlang")

    async with session_scope() as session:
        setting = (await session.exec(select(JobSetting))).one()
    assert setting.unit_id == seed.commune.id
    assert (setting.reminder_enabled, setting.reminder_weekday, setting.reminder_time) == (
        True,
        4,
        "17:30",
    )
    assert (setting.leaderboard_enabled, setting.leaderboard_weekday) == (False, 0)
    assert (setting.monthly_day, setting.monthly_time) == (5, "08:00")
    assert (setting.quiet_start, setting.quiet_end) == ("22:00", "06:00")


async def test_in_a_hamlet_group_the_official_sets_the_groups_commune(service, telegram_api):  # noqa: F811
    seed = await seed_commune()
    chat = Chat(service, telegram_api)
    official = TelegramUser(900, "Hà")
    await chat.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    async with session_scope() as session:
        session.add(ChatGroup(platform="telegram", chat_id="-500", unit_id=seed.hamlets[0].id))
        await session.commit()

    answer = await chat.text(official.message("/caidat nhacnho tat", chat_id=-500))

    assert "• Nhắc báo cáo: thứ Bảy lúc 08:00 (đang tắt)" in answer
    async with session_scope() as session:
        setting = (await session.exec(select(JobSetting))).one()
    assert (setting.unit_id, setting.reminder_enabled) == (seed.commune.id, False)


async def test_members_cannot_change_the_schedule(service, telegram_api):  # noqa: F811
    seed = await seed_commune()
    chat = Chat(service, telegram_api)
    member = TelegramUser(901, "Lan")
    await chat.send(member.message(f"/thamgia {await invite(seed.hamlets[1], Role.MEMBER)}"))
    await chat.send(member.press("none"))
    answer = await chat.text(member.message("/caidat nhacnho tat"))
    assert answer == "Chỉ cán bộ xã mới xem và đổi được lịch tin nhắn tự động."
    async with session_scope() as session:
        assert (await session.exec(select(JobSetting))).first() is None


@pytest.mark.parametrize(
    ("typed", "change"),
    [
        ("nhacnho thu7 08:00", Change("reminder", enabled=True, day=5, at="08:00")),
        ("NHẮC NHỞ Thứ 7 8h", Change("reminder", enabled=True, day=5, at="08:00")),
        ("nhac nho cn", Change("reminder", enabled=True, day=6)),
        ("nhacnho chủ nhật 19:15", Change("reminder", enabled=True, day=6, at="19:15")),
        ("nhacnho 7g30", Change("reminder", enabled=True, at="07:30")),
        ("nhacnho tắt", Change("reminder", enabled=False)),
        ("nhacnho bật", Change("reminder", enabled=True)),
        ("bangxephang t2 07:00", Change("leaderboard", enabled=True, day=0, at="07:00")),
        ("bxh tat", Change("leaderboard", enabled=False)),
        ("tổng hợp ngày 1 07:30", Change("monthly", enabled=True, day=1, at="07:30")),
        ("tonghop ngay28", Change("monthly", enabled=True, day=28)),
        ("yenlang 21:00-06:30", Change("quiet", quiet=("21:00", "06:30"))),
        ("giờ yên lặng 22h đến 5h30", Change("quiet", quiet=("22:00", "05:30"))),
        ("yenlang tat", Change("quiet", quiet=("00:00", "00:00"))),
    ],
)
def test_what_officials_type_is_understood(typed, change):
    assert parse_change(typed) == change


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("nhacnho", "/caidat nhacnho thu7 08:00"),
        ("nhacnho thu8", "/caidat nhacnho thu7 08:00"),
        ("nhacnho thu7 24:00", "/caidat nhacnho thu7 08:00"),
        ("bangxephang thu2 thu3", "/caidat bangxephang thu2 07:00"),
        ("tonghop ngay31", "/caidat tonghop ngay1 07:30"),
        ("tonghop thu2", "/caidat tonghop ngay1 07:30"),
        ("yenlang 21:00", "/caidat yenlang 21:00-06:30"),
        ("yenlang 21:00-21:00", "/caidat yenlang 21:00-06:30"),
        ("hello", "/caidat nhacnho thu7 08:00"),
    ],
)
def test_bad_input_says_what_to_type(typed, hint):
    with pytest.raises(BadInput) as error:
        parse_change(typed)
    assert hint in str(error.value)
