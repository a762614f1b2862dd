"""bot.router.handle: which handler or flow step an event reaches, and what the core says
around it (numbered choices, stale buttons, abandoned and expired flows), at a fixed clock."""

from datetime import timedelta

from sqlmodel import select

from bot import texts
from bot.router import MAX_MESSAGE
from db.models import Conversation, utcnow
from db.session import session_scope
from tests.bot.dialogue import (
    AN,
    BINH,
    BUTTONS,
    NUMBERED,
    OFFICIAL,
    STRANGER,
    Dialogue,
    commune,
    data_of,
    linked_group,
    open_flows,
    reports,
)


async def expire_flows() -> None:
    """Move every stored conversation's expiry into the past, as if the user had walked away."""
    async with session_scope() as session:
        for row in (await session.exec(select(Conversation))).all():
            row.expires_at = utcnow() - timedelta(minutes=1)
            session.add(row)
        await session.commit()


async def test_an_unknown_command_is_named_in_private_and_ignored_in_a_group(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    assert await chat.text(BINH, "/khongco") == texts.UNKNOWN_COMMAND.format(name="khongco")
    assert await chat.say(BINH, "/khongco", group=True) == []


async def test_group_chatter_gets_no_answer_and_private_text_from_a_stranger_is_told_to_join(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    assert await chat.say(BINH, "chào cả nhà", group=True) == []
    assert await chat.text(STRANGER, "vneid 3") == texts.NOT_JOINED


async def test_a_message_over_the_limit_is_refused_before_any_handler(db):
    await commune()
    chat = Dialogue()
    assert await chat.text(BINH, "/bc vneid 1 " + "x" * MAX_MESSAGE) == texts.TOO_LONG
    assert await reports() == []


async def test_a_typed_number_picks_the_offered_choice_on_a_channel_without_buttons(db):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    [question] = await chat.say(BINH, "/ghinhan")
    assert data_of(question) == ["day:0", "day:1", "cancel"]
    assert await chat.text(BINH, "7") == texts.NUMBER_OUT_OF_RANGE.format(count=3)
    [menu] = await chat.say(BINH, "2")  # «Hôm qua»
    assert menu.text.startswith("Ngày 17/11 — Ấp Tân Hòa")
    assert await open_flows() == [(BINH, "report", "indicator")]


async def test_a_typed_label_picks_the_choice_as_a_press_would(db):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(BINH, "/ghinhan")
    [menu] = await chat.say(BINH, "Hôm qua")
    assert menu.text.startswith("Ngày 17/11 — Ấp Tân Hòa")


async def test_a_button_no_flow_offered_is_stale(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    assert await chat.text(BINH, choice="day:0") == texts.STALE_BUTTON
    assert await chat.text(BINH, choice="day:0", group=True) == texts.STALE_BUTTON_GROUP
    await chat.say(AN, "/ghinhan", group=True)
    # Bình presses the button offered to An in the group: not his
    assert await chat.text(BINH, choice="day:0", group=True) == texts.STALE_BUTTON_GROUP
    assert await open_flows() == [(AN, "report", "date")]


async def test_a_button_of_an_expired_flow_says_so_and_stores_nothing(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/ghinhan")
    await expire_flows()
    assert await chat.text(BINH, choice="day:0") == texts.SESSION_EXPIRED
    assert await open_flows() == []


async def test_private_text_after_an_expired_flow_says_so_once(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/ghinhan")
    await chat.say(BINH, choice="day:0")
    await expire_flows()
    assert await chat.text(BINH, "5") == texts.SESSION_EXPIRED
    assert (await chat.text(BINH, "vneid 5")).startswith("Xác nhận ghi nhận ngày 18/11:")


async def test_another_command_abandons_the_flow_and_runs(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/ghinhan")
    abandoned, saved = await chat.say(BINH, "/bc vneid 2")
    assert abandoned.text == texts.FLOW_ABANDONED
    assert saved.text.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 2.")
    assert await open_flows() == []


async def test_a_read_only_command_keeps_the_flow_open(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/ghinhan")
    mine, still_open = await chat.say(BINH, "/toi")
    assert mine.text.startswith("👤 Trần Thị Bình")
    assert still_open.text == texts.FLOW_STILL_OPEN
    assert await open_flows() == [(BINH, "report", "date")]
    [menu] = await chat.say(BINH, choice="day:0")
    assert menu.text.startswith("Ngày 18/11")


async def test_huy_inside_a_flow_cancels_the_flow_not_the_last_report(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 2")
    await chat.say(BINH, "/ghinhan")
    assert await chat.text(BINH, "/huy") == texts.FLOW_CANCELLED
    assert [report.retracted for report in await reports()] == [False]
    assert await open_flows() == []


async def test_the_cancel_button_ends_the_flow(db):
    await commune()
    chat = Dialogue(capabilities=BUTTONS)
    await chat.say(BINH, "/ghinhan")
    assert await chat.text(BINH, choice="cancel") == texts.FLOW_CANCELLED
    assert await open_flows() == []


async def test_choices_offered_outside_a_flow_are_remembered_for_a_typed_number(db):
    """/baocao offers Excel and chart to an official: «1» on a numbered channel means Excel."""
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    [summary] = await chat.say(OFFICIAL, "/baocao")
    week = "16/11/26-22/11/26 28468"  # the week of the injected Wednesday, Xã Tân Phú
    assert data_of(summary) == [f"/baocao xlsx {week}", f"/baocao png {week}", f"/ghichu {week}"]
    assert await open_flows() == [(OFFICIAL, "menu", "choose")]
    [excel] = await chat.say(OFFICIAL, "1")
    assert excel.document is not None and excel.document.filename.endswith(".xlsx")
