"""Issue #22 on Zalo, end to end: the same as on Telegram, with every choice a numbered menu."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import texts
from db.models import ReportChange
from db.session import session_scope
from tests.clock import TODAY
from tests.helpers import seed_commune
from tests.webhook.test_zalo_e2e import (  # noqa: F401  (fixtures)
    AN,
    BINH,
    chat,
    join_as_member,
    number_of,
    service,
    week_total,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")


async def audited() -> list[tuple[str, int]]:
    async with session_scope() as session:
        rows = (await session.exec(select(ReportChange).order_by(ReportChange.id))).all()
    return [(row.action, row.actor_id) for row in rows]


async def test_huy_and_sua_are_safe_and_doubts_are_asked(chat, zalo_api):  # noqa: F811
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(BINH.message("/bc vneid 3"))
    again = await chat.text(BINH.message("/bc vneid 3"))
    assert "Gửi thêm lần nữa?" in again
    assert number_of(again, texts.BTN_YES) == "1"
    assert await week_total("vneid") == 3
    assert "Đã ghi nhận" in await chat.text(BINH.message("1"))
    assert await week_total("vneid") == 6
    assert "Đã hủy báo cáo" in await chat.text(BINH.message("/huy"))
    asked = await chat.text(BINH.message("/huy"))
    assert asked.startswith(f"Hủy báo cáo ngày {TODAY:%d/%m}")
    assert await week_total("vneid") == 3
    kept = await chat.text(BINH.message(number_of(asked, texts.BTN_KEEP)))
    assert kept == texts.RETRACT_KEPT
    assert await week_total("vneid") == 3
    high = await chat.text(BINH.message("/bc vneid 499 dvc 499 ho 499"))
    assert "cao hơn nhiều" in high
    assert "Đã ghi nhận" in await chat.text(BINH.message("lưu"))  # the label typed
    assert await week_total("vneid") == 502
    await chat.send(BINH.message("/bc dvc 2 hôm qua"))
    menu = await chat.text(BINH.message("/sua hôm qua"))
    assert f"Ngày {TODAY - timedelta(days=1):%d/%m}" in menu and "Dịch vụ công 2" in menu
    assert await audited() == [("retract", seed.people["Trần Thị Bình"].id)]


async def test_a_leader_corrects_a_members_report_and_the_member_is_told(chat, zalo_api):  # noqa: F811
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await join_as_member(chat, seed, AN, "Nguyễn Văn An")
    await chat.send(BINH.message("/bc vneid 5"))
    listed = await chat.text(AN.message("/dieuchinh"))
    assert f"1. {TODAY:%d/%m} Trần Thị Bình (Ấp Tân Hòa): VNeID 5" in listed
    what = await chat.text(AN.message("1"))
    await chat.send(AN.message(number_of(what, texts.BTN_CORRECT_EDIT)))
    confirm = await chat.text(AN.message("vneid 4"))
    assert "Trước: VNeID 5\nSau: VNeID 4" in confirm
    calls = await chat.send(AN.message("1"))
    told = {c.params["chat_id"]: c.params["text"] for c in calls}
    assert told[AN.user_id].startswith("✏️ Đã sửa báo cáo")
    assert "(tổ trưởng) đã sửa báo cáo" in told[BINH.user_id]
    assert await week_total("vneid") == 4
    assert await audited() == [("edit", seed.people["Nguyễn Văn An"].id)]
    log = await chat.text(AN.message("/nhatky"))
    assert "sửa báo cáo ngày" in log and "của Trần Thị Bình: VNeID 5 → VNeID 4" in log
