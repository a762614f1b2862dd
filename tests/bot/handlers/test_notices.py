"""/thongbao and /danhan through the router at an injected clock: each audience gets the notice
once, acknowledgements counted by hamlet, one reminder, quiet hours, and who may send."""

from datetime import datetime

from sqlmodel import select

from bot import texts
from db.models import Announcement, Outbox
from db.session import session_scope
from tests.bot.dialogue import (
    AN,
    BINH,
    CUONG,
    GROUP,
    NUMBERED,
    OFFICIAL,
    VN,
    Dialogue,
    commune,
    linked_group,
)


async def send(chat: Dialogue, user: str, audience: str, mode: str, text: str = "Họp tổ 8h") -> str:
    await chat.say(user, f"/thongbao {text}")
    await chat.say(user, choice=f"to:{audience}")
    return await chat.text(user, choice=f"mode:{mode}")


async def notice_rows() -> list[Outbox]:
    async with session_scope() as session:
        query = select(Outbox).where(Outbox.dedupe_key.like("notice%")).order_by(Outbox.id)
        return list((await session.exec(query)).all())


async def test_each_audience_gets_the_notice_once(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    assert "1 nhóm chat" in await send(chat, OFFICIAL, "groups", "send")
    assert [(r.chat_id, r.is_group) for r in await notice_rows()] == [(GROUP, True)]
    assert "3 người" in await send(chat, OFFICIAL, "members", "send")
    members = [r.chat_id for r in await notice_rows()][1:]
    assert sorted(members) == sorted([AN, BINH, CUONG])
    assert "2 người" in await send(chat, OFFICIAL, "leaders", "send")
    leaders = [r.chat_id for r in await notice_rows()][4:]
    assert sorted(leaders) == sorted([AN, CUONG])
    text = (await notice_rows())[0].payload["text"]
    assert text.startswith("📢 Thông báo #1 — Xã Tân Phú (Phạm Cán Bộ)\nHọp tổ 8h")


async def test_a_leader_sends_for_the_hamlet_only_and_a_member_cannot(db):
    await commune()
    chat = Dialogue()
    assert "1 người" in await send(chat, AN, "members", "send")
    assert [r.chat_id for r in await notice_rows()] == [BINH]
    assert await chat.text(BINH, "/thongbao Xin chào") == texts.NOTICE_NOT_ALLOWED


async def test_acknowledgements_by_hamlet_and_one_reminder(db):
    await commune()
    chat = Dialogue()
    sent = await send(chat, OFFICIAL, "members", "ack")
    assert texts.NOTICE_SENT_ACK.format(number=1) in sent
    assert await chat.text(BINH, "/danhan 1") == texts.ACK_DONE.format(number=1)
    assert await chat.text(BINH, "/danhan 1") == texts.ACK_AGAIN.format(number=1)
    status = await chat.say(OFFICIAL, "/thongbao 1")
    assert status[0].text == (  # hamlets in the order of their codes
        "Thông báo #1: 1/3 người đã nhận.\n"
        "• Ấp Tân Hòa: 1/2 — chưa: Nguyễn Văn An\n"
        "• Ấp Phú Thạnh: 0/1 — chưa: Lê Văn Cường"
    )
    assert [c.data for c in status[0].choices] == ["/thongbao nhac 1"]
    assert await chat.text(BINH, "/thongbao 1") == texts.NOTICE_ONLY_SENDER.format(number=1)
    before = len(await notice_rows())
    assert await chat.text(OFFICIAL, "/thongbao nhac 1") == texts.NOTICE_REMINDED.format(
        n=2, number=1
    )
    reminded = (await notice_rows())[before:]
    assert sorted(r.chat_id for r in reminded) == sorted([AN, CUONG])
    assert texts.NOTICE_REMINDER in reminded[0].payload["text"]
    again = await chat.text(OFFICIAL, "/thongbao nhac 1")
    assert again == texts.NOTICE_ALREADY_REMINDED.format(number=1)
    assert len(await notice_rows()) == before + 2
    assert (await chat.say(OFFICIAL, "/thongbao 1"))[0].choices == ()


async def test_the_number_of_the_choice_acknowledges_where_there_are_no_buttons(db):
    await commune()
    await send(Dialogue(), OFFICIAL, "members", "ack")
    zalo = Dialogue(capabilities=NUMBERED)
    assert await zalo.text(BINH, "1") == texts.ACK_DONE.format(number=1)


async def test_quiet_hours_hold_a_notice_unless_urgent(db, fixed_clock):
    """The wall clock is at tests.clock.NOW, the dialogue's at 22:00 that day: urgent rows are
    due at once, the others when quiet hours end."""
    await commune()
    night = Dialogue(now=datetime(2026, 11, 18, 22, 0, tzinfo=VN))
    held = await send(night, OFFICIAL, "leaders", "send")
    assert texts.NOTICE_SENT_HELD.format(time="06:30 19/11") in held
    await send(night, OFFICIAL, "leaders", "urgent")
    rows = await notice_rows()
    morning = datetime(2026, 11, 19, 6, 30, tzinfo=VN)
    assert all(r.next_attempt_at >= morning for r in rows[:2])
    assert all(r.next_attempt_at < morning for r in rows[2:])
    assert texts.NOTICE_URGENT in rows[2].payload["text"]


async def test_recent_notices_are_listed_and_leaders_only_ones_hidden_from_members(db):
    await commune()
    chat = Dialogue()
    await send(chat, OFFICIAL, "members", "send", "Lịch trực tuần")
    await send(chat, OFFICIAL, "leaders", "send", "Chỉ tổ trưởng")
    listing = await chat.text(BINH, "/thongbao")
    assert "Lịch trực tuần" in listing and "Chỉ tổ trưởng" not in listing
    assert "Chỉ tổ trưởng" in await chat.text(AN, "/thongbao")
    async with session_scope() as session:
        assert len((await session.exec(select(Announcement))).all()) == 2


async def test_a_cancelled_notice_stores_nothing(db):
    await commune()
    chat = Dialogue()
    await chat.say(OFFICIAL, "/thongbao Họp")
    await chat.say(OFFICIAL, choice="cancel")
    assert await notice_rows() == []
    async with session_scope() as session:
        assert (await session.exec(select(Announcement))).all() == []
