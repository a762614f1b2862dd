"""Reporting commands through the router: /bc, /huy, /sua, /toi and plain text in private, with
the clock injected (a Wednesday, and a Monday for the week boundary)."""

from datetime import date

from bot import texts
from tests.bot.dialogue import (
    BINH,
    MONDAY,
    OFFICIAL,
    STRANGER,
    Dialogue,
    commune,
    counts_of,
    data_of,
    open_flows,
    reports,
)


async def test_bc_stores_the_line_and_answers_with_the_hamlet_week(db):
    await commune()
    chat = Dialogue()
    first = await chat.text(BINH, "/bc vneid 3 dvc 2")
    assert first == (
        "✅ Đã ghi nhận ngày 18/11: VNeID 3, Dịch vụ công 2.\n"
        "📈 Tổng Ấp Tân Hòa tuần này: VNeID 3, Dịch vụ công 2."
    )
    second = await chat.text(BINH, "/bc vneid 1 hôm qua")
    assert second == (
        "✅ Đã ghi nhận ngày 17/11: VNeID 1.\n📈 Tổng Ấp Tân Hòa tuần này: VNeID 4, Dịch vụ công 2."
    )
    stored = await reports()
    assert [r.activity_date for r in stored] == [date(2026, 11, 18), date(2026, 11, 17)]
    assert await counts_of(stored[0].id) == {"vneid": 3, "dvc": 2}


async def test_yesterday_on_a_monday_belongs_to_the_week_before(db):
    await commune()
    saved = await Dialogue(now=MONDAY).text(BINH, "/bc vneid 2 hôm qua")
    assert saved == (
        "✅ Đã ghi nhận ngày 15/11: VNeID 2.\n📈 Tổng Ấp Tân Hòa tuần này: chưa có."
        "\n(Ngày 15/11 thuộc tuần 09/11–15/11 nên không cộng vào tổng tuần này.)"
    )


async def test_bc_needs_a_line_a_team_and_a_reporter(db):
    await commune()
    chat = Dialogue()
    assert await chat.text(BINH, "/bc") == texts.REPORT_BC_EMPTY
    assert await chat.text(STRANGER, "/bc vneid 1") == texts.NOT_JOINED
    assert await chat.text(OFFICIAL, "/bc vneid 1") == texts.REPORT_OFFICIAL
    assert await reports() == []


async def test_plain_text_in_private_is_confirmed_before_it_is_stored(db):
    await commune()
    chat = Dialogue()
    [question] = await chat.say(BINH, "vneid 2 ho 4")
    assert question.text == "Xác nhận ghi nhận ngày 18/11:\nVNeID 2, Hộ đã thăm 4\nLưu báo cáo này?"
    assert data_of(question) == ["yes", "cancel"]
    assert await reports() == []
    saved = await chat.text(BINH, choice="yes")
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 2, Hộ đã thăm 4.")
    assert len(await reports()) == 1
    assert await open_flows() == []


async def test_huy_retracts_the_latest_at_once_and_asks_before_an_older_one(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3")
    await chat.say(BINH, "/bc dvc 1")
    assert await chat.text(BINH, "/huy") == texts.RETRACT_DONE.format(
        day="18/11", tally="Dịch vụ công 1"
    )
    assert [r.retracted for r in await reports()] == [False, True]
    [question] = await chat.say(BINH, "/huy")  # again: the older report is only shown
    assert question.text.startswith("Hủy báo cáo ngày 18/11 (gửi lúc 10:00 18/11): VNeID 3?")
    assert data_of(question) == ["retract", "keep"]
    assert (
        await chat.text(BINH, "/huy") == texts.FLOW_CANCELLED
    )  # a third /huy cancels the question
    assert [r.retracted for r in await reports()] == [False, True]
    assert await chat.text(STRANGER, "/huy") == texts.NOT_JOINED


async def test_sua_reopens_the_last_report_and_saving_replaces_it(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3")
    [menu] = await chat.say(BINH, "/sua")
    assert menu.text.startswith("Ngày 18/11 — Ấp Tân Hòa\nVNeID 3\n")
    await chat.say(BINH, choice="ind:vneid")
    await chat.say(BINH, "5")
    await chat.say(BINH, choice="done")
    edited = await chat.text(BINH, choice="yes")
    assert edited == (
        "✏️ Đã sửa báo cáo ngày 18/11: VNeID 5.\n📈 Tổng Ấp Tân Hòa tuần này: VNeID 5."
    )
    old, new = await reports()
    assert (old.retracted, new.retracted) == (True, False)
    assert await counts_of(new.id) == {"vneid": 5}


async def test_sua_with_nothing_recent(db):
    await commune()
    chat = Dialogue()
    hours = chat.settings.retract_hours
    assert await chat.text(BINH, "/sua") == texts.EDIT_NONE.format(hours=hours)


async def test_toi_counts_this_week_and_this_month(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3 dvc 2")
    reply = await chat.text(BINH, "/bc vneid 1 15/11")  # this month, the week before
    assert reply.startswith("✅ Đã ghi nhận ngày 15/11: VNeID 1.")
    assert await chat.text(BINH, "/toi") == (
        "👤 Trần Thị Bình\nTuần này (16/11–22/11): 1 báo cáo\nVNeID 3, Dịch vụ công 2\n"
        "Tháng 11/2026: 2 báo cáo\nVNeID 4, Dịch vụ công 2"
    )


async def test_bc_asks_about_a_number_it_cannot_attribute_and_stores_only_once_answered(db):
    await commune()
    chat = Dialogue()
    [question] = await chat.say(BINH, "/bc dvc: 3 tài khoản, hồ sơ: 2")
    assert question.text == (
        "Đã hiểu: Dịch vụ công 3.\n" + texts.REPORT_ASK_WHICH.format(value=2, context="hồ sơ: 2")
    )
    assert data_of(question)[0] == "which:dvc"
    assert data_of(question)[-2:] == ["which:-", "cancel"]
    assert await reports() == []
    saved = await chat.text(BINH, "1")  # typed by number, on any channel
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: Dịch vụ công 5.")
    assert await counts_of((await reports())[0].id) == {"dvc": 5}
    assert await open_flows() == []


async def test_a_stray_number_can_be_named_or_left_out(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 5 3")
    [hint, again] = await chat.say(BINH, "xin chào")
    assert hint.text == texts.REPORT_WHICH_HINT.format(text="xin chào")
    assert again.text.endswith(texts.REPORT_ASK_WHICH.format(value=3, context="3"))
    assert await reports() == []
    saved = await chat.text(BINH, "hộ dân")
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 5, Hộ đã thăm 3.")
    await chat.say(BINH, "/bc vneid 1 abc 4")
    saved = await chat.text(BINH, choice="which:-")
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 1.")
    [_, second] = await reports()
    assert await counts_of(second.id) == {"vneid": 1}


async def test_plain_text_asks_then_confirms_and_nothing_is_kept_if_cancelled(db):
    await commune()
    chat = Dialogue()
    [question] = await chat.say(BINH, "5")
    assert question.text == texts.REPORT_ASK_WHICH.format(value=5, context="5")
    confirm = await chat.text(BINH, choice="which:vneid")
    assert confirm == "Xác nhận ghi nhận ngày 18/11:\nVNeID 5\nLưu báo cáo này?"
    assert await reports() == []
    assert await chat.text(BINH, choice="cancel") == texts.FLOW_CANCELLED
    await chat.say(BINH, "abc 4")
    assert await chat.text(BINH, choice="which:-") == texts.REPORT_NOTHING_LEFT
    assert await reports() == [] and await open_flows() == []


async def test_days_in_words_and_refusals_of_days_to_come(db):
    await commune()
    chat = Dialogue()  # Wednesday 18/11
    saved = await chat.text(BINH, "/bc hqua đi 8 hộ, cài 6 vneid")
    assert saved.startswith("✅ Đã ghi nhận ngày 17/11: VNeID 6, Hộ đã thăm 8.")
    saved = await chat.text(BINH, "/bc chủ nhật vừa rồi đi 10 hộ")
    assert saved.startswith("✅ Đã ghi nhận ngày 15/11: Hộ đã thăm 10.")
    refused = await chat.text(BINH, "/bc mai đi tiếp 10 hộ ở ấp Mỹ Lộc")
    assert refused == texts.PARSE_FUTURE_WORD.format(word="mai")
    refused = await chat.text(BINH, "/bc cài VNeID cho ông Tư 75 tuổi")
    assert refused == texts.PARSE_NO_COUNT.format(name="VNeID", example="/bc vneid 5")
    assert len(await reports()) == 2


async def test_past_the_daily_cap_a_bc_is_confirmed_before_it_is_stored(db):
    """DAILY_COUNT_CAP (all indicators, one person, one day): the report that passes it is asked
    about, stored only on yes; the figures of a flood stop at the cap."""
    await commune()
    chat = Dialogue()
    chat.settings = chat.settings.model_copy(update={"daily_count_cap": 10})
    assert (await chat.text(BINH, "/bc vneid 6 dvc 4")).startswith("✅")  # 10: at the cap
    [question] = await chat.say(BINH, "/bc vneid 1")
    assert question.text == texts.DAILY_CAP_ASK.format(total=11, cap=10)
    assert data_of(question) == ["sure", "cancel"]
    assert await counts_of((await reports())[0].id) == {"vneid": 6, "dvc": 4}
    assert len(await reports()) == 1  # nothing more until confirmed
    assert (await chat.text(BINH, choice="sure")).startswith("✅")
    assert len(await reports()) == 2
    assert (await Dialogue(now=MONDAY).text(BINH, "/bc vneid 1")).startswith("✅")  # a new day
