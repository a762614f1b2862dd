"""/baocao through the router: who sees which unit, in private and in a group, for the week of
the injected clock."""

import io
from datetime import date, datetime, time

from openpyxl import load_workbook

from bot import texts
from bot.core.replies import numbered
from db.media import live_media
from db.models import Level
from db.session import session_scope
from db.units import create_unit
from tests.bot.dialogue import (
    AN,
    BINH,
    OFFICIAL,
    STRANGER,
    Dialogue,
    commune,
    data_of,
    linked_group,
)
from tests.clock import VN

HAMLET_WEEK = (
    "📊 Báo cáo Ấp Tân Hòa\nTuần 16/11–22/11/2026\n\n"
    "• VNeID 4 tài khoản ▲4\n• Dịch vụ công 2 lượt ▲2\n"
    "▲▼ so với cùng kỳ tuần 09/11–15/11/2026 (09/11–11/11)\nThành viên báo cáo: 1/2 (50%)"
)


async def reported(chat: Dialogue) -> None:
    await chat.say(BINH, "/bc vneid 3 dvc 2")
    await chat.say(BINH, "/bc vneid 1")


async def test_a_member_sees_the_hamlet_week(db):
    await commune()
    chat = Dialogue()
    await reported(chat)
    assert await chat.text(BINH, "/baocao") == HAMLET_WEEK


async def test_in_a_group_the_linked_hamlet_is_shown_and_an_unlinked_group_is_told(db):
    seed = await commune()
    chat = Dialogue()
    await reported(chat)
    assert await chat.text(AN, "/baocao", group=True) == texts.FIGURES_GROUP_NOT_LINKED
    await linked_group(seed)
    assert await chat.text(AN, "/baocao", group=True) == HAMLET_WEEK


async def test_the_official_sees_the_hamlets_and_is_offered_excel_and_chart(db):
    await commune()
    chat = Dialogue()
    await reported(chat)
    [summary] = await chat.say(OFFICIAL, "/baocao")
    assert summary.text.startswith("📊 Báo cáo Xã Tân Phú\nTuần 16/11–22/11/2026\n")
    assert "1. Ấp Tân Hòa — 6 lượt (3,0/người) · 1/2 TV" in summary.text
    assert summary.text.endswith("Chưa báo cáo: Ấp Phú Thạnh")
    assert data_of(summary) == [
        "/baocao xlsx 16/11/26-22/11/26 28468",
        "/baocao png 16/11/26-22/11/26 28468",
        "/ghichu 16/11/26-22/11/26 28468",
    ]


async def test_the_official_gets_the_week_as_an_excel_file(db):
    await commune()
    chat = Dialogue()
    await reported(chat)
    [reply] = await chat.say(OFFICIAL, "/baocao xlsx")
    assert reply.text == "📥 Báo cáo Xã Tân Phú — tuần 16/11–22/11/2026"
    assert reply.document.filename == "baocao-28468-tuan-16-11-2026.xlsx"
    async with session_scope() as session:
        media = await live_media(session, media_id=reply.document.media_id)
    sheet = load_workbook(io.BytesIO(media.data)).worksheets[0]
    assert "BÁO CÁO" in str(sheet["A1"].value)


async def test_who_may_not_see(db):
    await commune()
    chat = Dialogue()
    assert await chat.text(STRANGER, "/baocao") == texts.NOT_JOINED
    assert await chat.text(OFFICIAL, "/baocao 99999") == texts.FIGURES_UNIT_UNKNOWN.format(
        place="99999", command="baocao", example="28468"
    )
    refused = await chat.text(BINH, "/baocao 28468")
    assert refused.startswith("Bạn không xem được số liệu của Xã Tân Phú")


# --- fair comparisons (#22): a running period against the same days of the one before ---
def at(day: date) -> Dialogue:
    return Dialogue(now=datetime.combine(day, time(10), tzinfo=VN))


async def test_the_third_of_december_is_compared_with_the_first_three_days_of_november(db):
    await commune()
    for day, count in [(date(2026, 11, 2), 5), (date(2026, 11, 20), 100), (date(2026, 12, 2), 6)]:
        await at(day).say(BINH, f"/bc vneid {count}")
        if count == 100:  # far above her usual: asked, and confirmed
            await at(day).say(BINH, choice="sure")
    december = at(date(2026, 12, 3))
    await december.say(OFFICIAL, "/chitieu vneid 140 thang")
    text = await december.text(OFFICIAL, "/baocao thang")
    lines = text.splitlines()
    assert lines[1] == "Tháng 12/2026"
    # 6 of 140 is 4%; 3 of 31 days (10%) are due: 5 points behind; 6 against 5, not against 105
    assert "• VNeID 6/140 ░░░░░ 4% ▲1 · chậm 5%" in lines
    assert "Cần đạt đến hôm nay: 10% chỉ tiêu (3/31 ngày)" in lines
    assert "▲▼ so với cùng kỳ tháng 11/2026 (01/11–03/11)" in lines
    finished = await december.text(OFFICIAL, "/baocao tháng 11")
    assert "• VNeID 105 tài khoản ▲105" in finished.splitlines()  # a whole month: no pace
    assert "▲▼ so với tháng 10/2026" in finished


async def test_on_a_thursday_the_week_is_compared_with_monday_to_thursday(db):
    await commune()
    for day, count in [(date(2026, 11, 9), 3), (date(2026, 11, 14), 40), (date(2026, 11, 17), 4)]:
        await at(day).say(BINH, f"/bc vneid {count}")
    lines = (await at(date(2026, 11, 19)).text(BINH, "/baocao")).splitlines()
    assert "• VNeID 4 tài khoản ▲1" in lines  # not ▼39 against the whole week
    assert "▲▼ so với cùng kỳ tuần 09/11–15/11/2026 (09/11–12/11)" in lines


# --- flexible arguments (#22): codes or names, in either order with the period ---
async def test_units_by_name_or_code_in_either_order(db):
    await commune()
    chat = Dialogue()
    await reported(chat)
    for asked in ("28468-01 tuantruoc", "tuần trước Ấp Tân Hòa", "tan hoa tuan truoc"):
        lines = (await chat.text(OFFICIAL, f"/baocao {asked}")).splitlines()
        assert lines[:2] == ["📊 Báo cáo Ấp Tân Hòa", "Tuần 09/11–15/11/2026"], asked
    day = await chat.text(OFFICIAL, "/baocao 17/11 Tân Hòa")
    assert day.splitlines()[:2] == ["📊 Báo cáo Ấp Tân Hòa", "Ngày 17/11/2026"]
    [reply] = await chat.say(OFFICIAL, "/baocao xlsx Tân Hòa 01/11-15/11")
    assert reply.document.filename == "baocao-28468-01-tu-01-11-2026.xlsx"
    unknown = await chat.text(OFFICIAL, "/baocao Ấp Không Có")
    assert unknown.startswith("Không tìm thấy đơn vị hay kỳ báo cáo «Ấp Không Có».")
    board = await chat.text(BINH, "/bangxephang Tân Hòa tuần trước")  # the hamlet's commune
    assert "Xã Tân Phú · Tuần 09/11–15/11/2026" in board


async def test_a_name_that_fits_two_units_offers_a_choice(db):
    seed = await commune()
    async with session_scope() as session:
        await create_unit(session, level=Level.HAMLET, name="Thôn Tân Hòa", parent=seed.commune)
        await session.commit()
    chat = Dialogue()
    [reply] = await chat.say(OFFICIAL, "/baocao thang tân hòa")
    assert reply.text == "Có nhiều nơi tên «tân hòa». Chọn một:"
    assert [c.label for c in reply.choices] == [
        "Ấp Tân Hòa (Xã Tân Phú)",
        "Thôn Tân Hòa (Xã Tân Phú)",
    ]
    assert data_of(reply) == ["/baocao 11/2026 28468-01", "/baocao 11/2026 28468-03"]
    [again] = await chat.say(OFFICIAL, "/baocao tan hoa")
    assert "1. Ấp Tân Hòa (Xã Tân Phú)\n2. Thôn Tân Hòa (Xã Tân Phú)" in numbered(again)


async def test_chitieu_shows_the_pace_and_names_the_communes_ap(db):
    await commune()
    await at(date(2026, 12, 2)).say(BINH, "/bc vneid 6")
    december = at(date(2026, 12, 3))
    await december.say(OFFICIAL, "/chitieu vneid 140 thang")
    await december.say(OFFICIAL, "/chitieu vneid 10 thang Ấp Tân Hòa")
    lines = (await december.text(OFFICIAL, "/chitieu")).splitlines()
    # 6 of 140 is 4%; 3 of 31 days (10%) are due by the 3rd: 5 points behind
    assert "• VNeID 6/140 ░░░░░ 4% · chậm 5%" in lines
    assert any("thêm tên hay mã ấp ở cuối để đặt cho một ấp" in line for line in lines)
    hamlet = (await december.text(BINH, "/chitieu")).splitlines()
    assert "• VNeID 6/10 ▓▓▓░░ 60% · đúng tiến độ" in hamlet
    unknown = await december.text(OFFICIAL, "/chitieu vneid 5 thang Ấp Mỹ Lợi")
    assert unknown.startswith("Không tìm thấy ấp «Ấp Mỹ Lợi»")
    split = await december.text(OFFICIAL, "/chitieu chia vneid thang deu")
    assert split.startswith("✅ Đã chia chỉ tiêu VNeID tháng 12/2026 của Xã Tân Phú (140) cho 2 ấp")


async def test_a_leader_is_called_anh_chi(db):
    await commune()
    refused = await at(date(2026, 12, 3)).text(AN, "/thanhvien 28468")
    assert refused.startswith("Anh/chị chỉ xem được Ấp Tân Hòa")
