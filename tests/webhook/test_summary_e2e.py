"""/baocao, /chitieu, /tiendo and /bangxephang end to end: real app over HTTP, fake Telegram API."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot import texts
from bot.dates import month_period, week_period
from config import Settings
from db.models import ChatGroup, Identity, Indicator, Level, Person, Role, Target, Unit
from db.reports import save_report, write_reports
from db.session import session_scope
from db.units import add_membership, create_unit, ensure_team
from tests.clock import TODAY
from tests.helpers import SECRET, Seed, TelegramUser, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat, buttons

HAMLET_GROUP = -100111
COMMUNE_GROUP = -100222
LOOSE_GROUP = -100333
ADMIN = TelegramUser(900, "Quản trị")
CANBO_X = TelegramUser(700, "Cán bộ", "Tân Phú")
CANBO_Y = TelegramUser(701, "Cán bộ", "Mỹ Hòa")
AN = TelegramUser(500, "An")  # leader, Ấp Tân Hòa
BINH = TelegramUser(501, "Bình")  # member, Ấp Tân Hòa
CUONG = TelegramUser(502, "Cường")  # leader, Ấp Phú Thạnh
STRANGER = TelegramUser(999, "Lạ")
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock


@pytest.fixture
def settings(telegram_api, database_url) -> Settings:
    return Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        public_base_url="",
        database_url=database_url,
        admin_user_ids=f"telegram:{ADMIN.user_id}",
    )


@pytest.fixture
async def chat(db, settings, telegram_api):
    async with running_service(settings) as client:
        yield Chat(client, telegram_api)


def today() -> date:
    return TODAY


@dataclass
class World:
    seed: Seed
    other: Unit  # Xã Mỹ Hòa, another commune of the province
    other_hamlet: Unit


async def seed_world() -> World:
    """Xã Tân Phú (Ấp Tân Hòa: An, Bình; Ấp Phú Thạnh: Cường), Xã Mỹ Hòa, officials, reports.

    Today: An vneid 5 ho 3, Bình vneid 2 dvc 4 (Tân Hòa), Cường vneid 7 (Phú Thạnh), Đào vneid
    100 (Mỹ Hòa). A week ago: Cường vneid 4.
    """
    seed = await seed_commune()
    async with session_scope() as session:
        other = await create_unit(
            session,
            level=Level.COMMUNE,
            name="Xã Mỹ Hòa",
            parent=seed.province,
            code="28471",
            official=True,
        )
        other_hamlet = await create_unit(
            session, level=Level.HAMLET, name="Ấp Mỹ Lợi", parent=other
        )
        people = dict(seed.people)
        for name, unit, role in [
            ("Đào Văn Mỹ", other_hamlet, Role.MEMBER),
            ("Cán Bộ Tân Phú", seed.commune, Role.OFFICIAL),
            ("Cán Bộ Mỹ Hòa", other, Role.OFFICIAL),
        ]:
            person = Person(display_name=name)
            session.add(person)
            await session.flush()
            team = await ensure_team(
                session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name)
            )
            await add_membership(session, person=person, team=team, role=role)
            people[name] = person
        for user, name in [
            (AN, "Nguyễn Văn An"),
            (BINH, "Trần Thị Bình"),
            (CUONG, "Lê Văn Cường"),
            (CANBO_X, "Cán Bộ Tân Phú"),
            (CANBO_Y, "Cán Bộ Mỹ Hòa"),
        ]:
            session.add(
                Identity(person_id=people[name].id, platform="telegram", user_id=str(user.user_id))
            )
        session.add(
            ChatGroup(platform="telegram", chat_id=str(HAMLET_GROUP), unit_id=seed.hamlets[0].id)
        )
        session.add(
            ChatGroup(platform="telegram", chat_id=str(COMMUNE_GROUP), unit_id=seed.commune.id)
        )
        tan_hoa, phu_thanh = seed.hamlets
        for key, (name, unit, day, counts) in enumerate(
            [
                ("Nguyễn Văn An", tan_hoa, today(), {"vneid": 5, "ho": 3}),
                ("Trần Thị Bình", tan_hoa, today(), {"vneid": 2, "dvc": 4}),
                ("Lê Văn Cường", phu_thanh, today(), {"vneid": 7}),
                ("Đào Văn Mỹ", other_hamlet, today(), {"vneid": 100}),
                ("Lê Văn Cường", phu_thanh, today() - timedelta(days=7), {"vneid": 4}),
            ]
        ):
            team = await ensure_team(
                session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name)
            )
            await save_report(
                session,
                person_id=people[name].id,
                team_id=team.id,
                activity_date=day,
                counts=counts,
                source="telegram",
                idempotency_key=f"seed:{key}",
            )
        await write_reports(session)
        await session.commit()
    return World(seed, other, other_hamlet)


def week_lines() -> tuple[str, str]:
    """This week's label, and what it is compared with: last week up to the same weekday."""
    this, before = week_period(today()), week_period(today() - timedelta(days=7))
    if today() == this.end:
        return "T" + this.label[1:], before.label
    span = f"{before.start:%d/%m}–{today() - timedelta(days=7):%d/%m}"
    return "T" + this.label[1:], f"cùng kỳ {before.label} ({span})"


def week_token() -> str:
    week = week_period(today())
    return f"{week.start:%d/%m/%y}-{week.end:%d/%m/%y}"


COMMUNE_TEXT = [
    "📊 Báo cáo Xã Tân Phú",
    "{week}",
    "",
    "• VNeID 14 tài khoản ▲10",
    "• Dịch vụ công 4 lượt ▲4",
    "• Hộ đã thăm 3 hộ ▲3",
    "▲▼ so với {before}",
    "Thành viên báo cáo: 3/3 (100%)",
    "Ấp có báo cáo: 2/2",
    "",
    "Theo ấp:",
    "1. Ấp Phú Thạnh — 7 lượt (7,0/người) · 1/1 TV",
    "2. Ấp Tân Hòa — 11 lượt (5,5/người) · 2/2 TV",
]


async def test_official_gets_the_summary_then_excel_and_chart(chat, telegram_api):
    await seed_world()
    week, before = week_lines()
    calls = await chat.send(CANBO_X.message("/baocao"))
    assert [c.method for c in calls] == ["sendMessage"]
    expected = [line.format(week=week, before=before) for line in COMMUNE_TEXT]
    assert calls[0].params["text"].splitlines() == expected
    token = week_token()
    assert buttons(calls[0]) == [
        ("📥 Tải Excel", f"/baocao xlsx {token} 28468"),
        ("📊 Xem biểu đồ", f"/baocao png {token} 28468"),
        ("📝 Xem ghi chú & ảnh", f"/ghichu {token} 28468"),
    ]
    assert all(len(data.encode()) <= 64 for _, data in buttons(calls[0]))

    sent = await chat.send(CANBO_X.press(f"/baocao xlsx {token} 28468"))
    assert [c.method for c in sent] == ["sendDocument"]
    assert str(sent[0].params["chat_id"]) == "700"
    name, data = sent[0].files["document"]
    monday = week_period(today()).start
    assert name == f"baocao-28468-tuan-{monday:%d-%m-%Y}.xlsx"
    assert sent[0].params["caption"] == f"📥 Báo cáo Xã Tân Phú — {week_period(today()).label}"
    book = load_workbook(io.BytesIO(data))
    table = book["Tổng hợp"]
    header = [cell.value for cell in table[6]]
    vneid, hamlet = header.index("Cài đặt, kích hoạt VNeID"), header.index("Ấp")
    members = header.index("Tổng thành viên")
    rows = {
        row[hamlet]: (row[vneid], row[members])
        for row in table.iter_rows(min_row=7, max_row=8, values_only=True)
    }
    assert rows == {"Ấp Tân Hòa": (7, 2), "Ấp Phú Thạnh": (7, 1)}
    totals = next(table.iter_rows(min_row=9, max_row=9, values_only=True))
    assert (totals[0], totals[vneid]) == ("Tổng cộng", 14)
    detail = book["Chi tiết"]
    head = [cell.value for cell in detail[1]]
    person, count = head.index("Thành viên"), head.index("Cài đặt, kích hoạt VNeID")
    lines = sorted((r[person], r[count]) for r in detail.iter_rows(min_row=2, values_only=True))
    assert lines == [("Lê Văn Cường", 7), ("Nguyễn Văn An", 5), ("Trần Thị Bình", 2)]

    photo = await chat.send(CANBO_X.press(f"/baocao png {token} 28468"))
    assert [c.method for c in photo] == ["sendPhoto"]
    assert photo[0].files["photo"][1].startswith(b"\x89PNG\r\n\x1a\n")
    assert photo[0].params["caption"] == f"📊 Xã Tân Phú — {week_period(today()).label}"


async def test_a_typed_period_and_the_previous_one(chat, telegram_api):
    await seed_world()
    month = month_period(today().year, today().month)
    text = await chat.text(CANBO_X.message(f"/baocao {today():%m/%Y}"))
    assert text.splitlines()[:2] == ["📊 Báo cáo Xã Tân Phú", "T" + month.label[1:]]
    # the month so far against the same days of the month before
    before = month.previous()
    span = f"{before.start:%d/%m}–{min(before.start.replace(day=today().day), before.end):%d/%m}"
    assert f"▲▼ so với cùng kỳ {before.label} ({span})" in text
    assert "Không tìm thấy đơn vị hay kỳ báo cáo «sau»" in await chat.text(
        CANBO_X.message("/baocao tuần sau")
    )
    ahead = month_period(today().year + 1, today().month)
    refused = await chat.text(CANBO_X.message(f"/baocao thang {ahead.start:%m/%Y}"))
    assert refused.startswith(f"Kỳ {ahead.label} chưa bắt đầu nên chưa có số liệu.")


async def test_targets_set_split_and_progress(chat, telegram_api):
    world = await seed_world()
    month = month_period(today().year, today().month)
    reply = await chat.text(CANBO_X.message("/chitieu vneid 500 thang"))
    assert reply == f"✅ Đã đặt chỉ tiêu VNeID {month.label} cho Xã Tân Phú: 500."
    reply = await chat.text(CANBO_X.message("/chitieu dịch vụ công 40 tháng Tân Hòa"))
    assert reply == f"✅ Đã đặt chỉ tiêu Dịch vụ công {month.label} cho Ấp Tân Hòa: 40."
    async with session_scope() as session:
        vneid = (await session.exec(select(Indicator).where(Indicator.code == "vneid"))).one()
        stored = (await session.exec(select(Target).where(Target.indicator_id == vneid.id))).all()
    assert [(t.unit_id, t.period_kind, t.period_start, t.value) for t in stored] == [
        (world.seed.commune.id, "month", month.start, 500)
    ]

    calls = await chat.send(CANBO_X.message("/chitieu chia vneid thang"))
    base = f"/chitieu chia vneid thang {month.start.month}/{month.start.year}"
    assert buttons(calls[0]) == [
        ("Chia đều", f"{base} deu 28468"),
        ("Theo số thành viên", f"{base} thanhvien 28468"),
    ]
    reply = await chat.text(CANBO_X.press(f"{base} thanhvien 28468"))
    assert reply.splitlines() == [
        f"✅ Đã chia chỉ tiêu VNeID {month.label} của Xã Tân Phú (500) cho 2 ấp, "
        "theo số thành viên:",
        "• Ấp Tân Hòa: 333",
        "• Ấp Phú Thạnh: 167",
    ]

    progress = await chat.text(BINH.message("/tiendo"))
    days = (month.end - today()).days
    last = (
        f"Còn {days} ngày đến hết {month.label}."
        if days
        else f"Hôm nay là ngày cuối của {month.label}."
    )
    due = round(100 * today().day / month.days)  # 18/30 days: 60% due on the fixed clock
    assert progress.splitlines() == [
        "📈 Tiến độ Ấp Tân Hòa",
        "T" + month.label[1:],
        "",
        "• VNeID 7/333",
        f"  ░░░░░░░░░░ 2% · chậm {due - 2}%",
        "• Dịch vụ công 4/40",
        f"  ▓░░░░░░░░░ 10% · chậm {due - 10}%",
        f"Cần đạt đến hôm nay: {due}% chỉ tiêu ({today().day}/{month.days} ngày)",
        "• Hộ đã thăm 3 hộ",
        "Thành viên đã báo cáo: 2/2",
        last,
    ]
    shown = await chat.text(CANBO_X.message("/chitieu"))
    # Cường's 4 of a week ago count in this month when that day was in it.
    same_month = (today() - timedelta(days=7)).month == today().month
    vneid = (
        f"• VNeID 18/500 ░░░░░ 4% · chậm {due - 4}%"
        if same_month
        else f"• VNeID 14/500 ░░░░░ 3% · chậm {due - 3}%"
    )
    assert shown.splitlines()[:4] == [
        "🎯 Chỉ tiêu Xã Tân Phú",
        "",
        "T" + month.label[1:] + ":",
        vneid,
    ]
    assert f"• Dịch vụ công 4/40 ▓░░░░ 10% · chậm {due - 10}% (tổng các ấp)" in shown
    assert "/chitieu chia" in shown  # officials are told how to set targets


async def test_leaderboard_text_and_image(chat, telegram_api):
    await seed_world()
    week, _ = week_lines()
    calls = await chat.send(BINH.message("/bangxephang"))
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    assert calls[0].params["text"].splitlines() == [
        "🏆 Bảng xếp hạng",
        f"Xã Tân Phú · {week}",
        "",
        "1. Ấp Phú Thạnh — 7,0/người",
        "2. Ấp Tân Hòa — 5,5/người",
        "",
        "Tiến bộ nhất: Ấp Phú Thạnh",
        "Gương mặt tiêu biểu tuần: Lê Văn Cường – Ấp Phú Thạnh (7), Trần Thị Bình – Ấp Tân Hòa "
        "(6), Nguyễn Văn An – Ấp Tân Hòa (5)",
    ]
    assert calls[1].files["photo"][1].startswith(b"\x89PNG")
    assert (
        calls[1].params["caption"] == f"🏆 Bảng xếp hạng Xã Tân Phú · {week_period(today()).label}"
    )


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


# (who, chat, command) -> the start of the answer; "—" means the text must not contain it.
ACCESS = [
    # officials: their commune and what is under it, nothing else
    (CANBO_X, None, "/baocao 28468-01", "📊 Báo cáo Ấp Tân Hòa"),
    (
        CANBO_X,
        None,
        "/baocao 28471",
        "Anh/chị không xem được số liệu của Xã Mỹ Hòa. Anh/chị xem được: Xã Tân Phú.",
    ),
    (
        CANBO_Y,
        None,
        "/baocao 28468",
        "Anh/chị không xem được số liệu của Xã Tân Phú. Anh/chị xem được: Xã Mỹ Hòa.",
    ),
    (CANBO_Y, None, "/baocao", "📊 Báo cáo Xã Mỹ Hòa"),
    (
        CANBO_X,
        None,
        "/baocao 99999",
        "Không tìm thấy đơn vị hay kỳ báo cáo «99999».",
    ),
    (CANBO_Y, None, "/bangxephang tuan 28468", "Anh/chị không xem được số liệu của Xã Tân Phú."),
    (
        CANBO_X,
        None,
        "/chitieu vneid 50 thang Ấp Mỹ Lợi",
        "Không tìm thấy ấp «Ấp Mỹ Lợi» trong Xã Tân Phú.",
    ),
    (
        CANBO_X,
        None,
        "/chitieu vneid 50 thang 28471-01",
        "Không tìm thấy ấp «28471-01» trong Xã Tân Phú.",
    ),
    # members and leaders: their hamlet's totals only
    (BINH, None, "/baocao", "📊 Báo cáo Ấp Tân Hòa"),
    (
        BINH,
        None,
        "/baocao 28468-02",
        "Bạn không xem được số liệu của Ấp Phú Thạnh. Bạn xem được: Ấp Tân Hòa.",
    ),
    (
        BINH,
        None,
        "/baocao 28468",
        "Bạn không xem được số liệu của Xã Tân Phú. Bạn xem được: Ấp Tân Hòa.",
    ),
    (BINH, None, "/tiendo 28468-02", "Bạn không xem được số liệu của Ấp Phú Thạnh."),
    (
        BINH,
        None,
        "/baocao xlsx tuan 28468-01",
        "Tệp Excel có chi tiết từng người nên chỉ gửi cho cán bộ xã.",
    ),
    (BINH, None, "/chitieu vneid 5 thang", "Chỉ cán bộ xã mới đặt được chỉ tiêu."),
    (CUONG, None, "/baocao", "📊 Báo cáo Ấp Phú Thạnh"),
    (CUONG, None, "/baocao 28468-01", "Anh/chị không xem được số liệu của Ấp Tân Hòa."),
    # strangers
    (STRANGER, None, "/baocao", "Bạn chưa tham gia tổ nào."),
    (STRANGER, None, "/tiendo", "Bạn chưa tham gia tổ nào."),
    (STRANGER, None, "/bangxephang", "Bạn chưa tham gia tổ nào."),
    (STRANGER, None, "/chitieu", "Bạn chưa tham gia tổ nào."),
    (STRANGER, HAMLET_GROUP, "/baocao", "Bạn chưa tham gia tổ nào."),
    # admins name any unit
    (ADMIN, None, "/baocao 28471", "📊 Báo cáo Xã Mỹ Hòa"),
    (ADMIN, None, "/baocao /", "📊 Báo cáo Toàn quốc"),
    (
        ADMIN,
        None,
        "/baocao",
        "Gõ kèm mã đơn vị, ví dụ: /baocao 28468 (hoặc /baocao / cho toàn quốc).",
    ),
    # groups: the group's unit, at most team-level figures
    (CANBO_X, HAMLET_GROUP, "/baocao", "📊 Báo cáo Ấp Tân Hòa"),
    (CANBO_X, HAMLET_GROUP, "/baocao 28468", "Trong nhóm này chỉ xem được số liệu của Ấp Tân Hòa."),
    (CUONG, HAMLET_GROUP, "/baocao", "Anh/chị không xem được số liệu của Ấp Tân Hòa."),
    (BINH, COMMUNE_GROUP, "/baocao", "📊 Báo cáo Ấp Tân Hòa"),
    (CANBO_X, COMMUNE_GROUP, "/baocao", "📊 Báo cáo Xã Tân Phú"),
    (CANBO_X, LOOSE_GROUP, "/baocao", "Nhóm này chưa kết nối với ấp, thôn hay xã nào."),
]


@pytest.mark.parametrize(("user", "chat_id", "command", "expected"), ACCESS)
async def test_access_matrix(chat, telegram_api, user, chat_id, command, expected):
    await seed_world()
    text = await chat.text(user.message(command, chat_id))
    assert text.startswith(expected), text


async def test_groups_never_show_a_person(chat, telegram_api):
    await seed_world()
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    hamlet = await chat.send(CANBO_X.message("/baocao", HAMLET_GROUP))
    text = hamlet[0].params["text"]
    assert "Theo ấp" not in text and not any(name in text for name in names)
    assert "Thành viên báo cáo: 2/2 (100%)" in text
    commune = await chat.send(CANBO_X.message("/baocao", COMMUNE_GROUP))
    text = commune[0].params["text"]
    assert "2. Ấp Tân Hòa — 11 lượt (5,5/người) · 2/2 TV" in text
    assert not any(name in text for name in names)
    token = week_token()
    assert buttons(commune[0]) == [
        ("📥 Tải Excel", f"/baocao xlsx {token} 28468"),
        ("📊 Xem biểu đồ", f"/baocao png {token} 28468"),
    ]
    # The Excel names people: it goes to the official's private chat, the group is told so.
    sent = await chat.send(CANBO_X.press(f"/baocao xlsx {token} 28468", COMMUNE_GROUP))
    by_chat = {str(c.params["chat_id"]): c for c in sent}
    assert by_chat["700"].method == "sendDocument"
    assert by_chat[str(COMMUNE_GROUP)].method == "sendMessage"
    assert "tin nhắn riêng" in by_chat[str(COMMUNE_GROUP)].params["text"]
    # A member pressing the same button gets no file.
    refused = await chat.send(BINH.press(f"/baocao xlsx {token} 28468", COMMUNE_GROUP))
    assert [c.method for c in refused] == ["sendMessage"]


async def test_members_do_not_see_unreachable_counts(chat, telegram_api):
    await seed_world()
    async with session_scope() as session:
        an = (await session.exec(select(Identity).where(Identity.user_id == "500"))).one()
        an.unreachable_at = datetime(2026, 1, 1, tzinfo=UTC)
        session.add(an)
        await session.commit()
    official = await chat.text(CANBO_X.message("/baocao 28468-01"))
    assert official.splitlines()[-1] == "1 thành viên không nhận được tin nhắn của bot"
    member = await chat.text(BINH.message("/baocao"))
    assert "không nhận được" not in member
