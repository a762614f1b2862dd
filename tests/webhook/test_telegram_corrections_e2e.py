"""Issue #22 on Telegram, end to end: safe /huy and /sua, doubts before storing, corrections by a
leader with the member told, and /nhatky (buttons)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import texts
from db.models import ReportChange
from db.session import session_scope
from tests.clock import TODAY
from tests.helpers import TelegramUser, seed_commune
from tests.webhook.test_telegram_e2e import (  # noqa: F401  (fixtures)
    buttons,
    chat,
    join_as_member,
    service,
    settings,
    week_total,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")
BINH, AN = TelegramUser(501, "Bình"), TelegramUser(502, "An")


async def audited() -> list[tuple[str, int]]:
    async with session_scope() as session:
        rows = (await session.exec(select(ReportChange).order_by(ReportChange.id))).all()
    return [(row.action, row.actor_id) for row in rows]


async def test_huy_and_sua_are_safe_and_doubts_are_asked(chat, telegram_api):  # noqa: F811
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(BINH.message("/bc vneid 3"))
    [again] = await chat.send(BINH.message("/bc vneid 3"))
    assert again.params["text"].endswith("Gửi thêm lần nữa?")
    assert buttons(again) == [(texts.BTN_YES, "sure"), (texts.BTN_CANCEL, "cancel")]
    assert await week_total("vneid") == 3
    assert "Đã ghi nhận" in await chat.text(BINH.press("sure"))
    assert await week_total("vneid") == 6
    assert "Đã hủy báo cáo" in await chat.text(BINH.message("/huy"))  # the latest: at once
    [asked] = await chat.send(BINH.message("/huy"))  # the one before: asked, not done
    assert asked.params["text"].startswith(f"Hủy báo cáo ngày {TODAY:%d/%m}")
    assert buttons(asked) == [(texts.BTN_RETRACT, "retract"), (texts.BTN_KEEP, "keep")]
    assert await week_total("vneid") == 3
    assert "Đã hủy báo cáo" in await chat.text(BINH.press("retract"))
    assert await week_total("vneid") == 0
    [high] = await chat.send(BINH.message("/bc vneid 499 dvc 499 ho 499"))
    assert "cao hơn nhiều" in high.params["text"]
    assert await chat.text(BINH.press("cancel")) == texts.FLOW_CANCELLED
    assert await week_total("vneid") == 0
    await chat.send(BINH.message("/bc vneid 2 hôm qua"))
    menu = await chat.text(BINH.message("/sua hôm qua"))
    assert "VNeID 2" in menu and f"{TODAY - timedelta(days=1):%d/%m}" in menu
    binh = seed.people["Trần Thị Bình"].id
    assert await audited() == [("retract", binh), ("retract", binh)]


async def test_a_leader_retracts_a_members_report_and_the_member_is_told(chat, telegram_api):  # noqa: F811
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await join_as_member(chat, seed, AN, "Nguyễn Văn An")
    await chat.send(BINH.message("/bc vneid 5"))
    [listed] = await chat.send(AN.message("/dieuchinh"))
    [(label, pick), cancel] = buttons(listed)
    assert label.startswith(f"{TODAY:%d/%m} Trần Thị Bình (Ấp Tân Hòa): VNeID 5")
    await chat.send(AN.press(pick))
    calls = await chat.send(AN.press("retract"))
    told = {str(c.params["chat_id"]): c.params["text"] for c in calls}
    assert told[str(AN.user_id)].startswith("↩️ Đã hủy báo cáo")
    assert "(tổ trưởng) đã hủy báo cáo" in told[str(BINH.user_id)]
    assert await week_total("vneid") == 0
    assert await audited() == [("retract", seed.people["Nguyễn Văn An"].id)]
    log = await chat.text(AN.message("/nhatky"))
    assert "hủy báo cáo ngày" in log and "của Trần Thị Bình: VNeID 5" in log
    assert await chat.text(BINH.message("/dieuchinh")) == texts.CORRECT_NOT_ALLOWED
