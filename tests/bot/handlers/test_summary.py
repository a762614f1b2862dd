"""/baocao through the router: who sees which unit, in private and in a group, for the week of
the injected clock."""

import io

from openpyxl import load_workbook

from bot import texts
from db.media import live_media
from db.session import session_scope
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
