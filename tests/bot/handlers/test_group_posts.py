"""Reports posted in a group without a command, as members post them in Zalo today, and greetings
instead of reports: through the router, with the clock injected."""

from dataclasses import replace

from bot import texts
from tests.bot.dialogue import (
    AN,
    BINH,
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


async def test_a_report_posted_in_a_group_is_recorded_once_its_sender_says_so(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    [question] = await chat.say(BINH, "Em báo cáo: vneid 5 dvc 3", group=True)
    assert question.text == (
        "Trần Thị Bình báo cáo ngày 18/11:\nVNeID 5, Dịch vụ công 3\nGhi nhận không ạ?"
    )
    assert [c.label for c in question.choices] == [
        texts.BTN_GROUP_RECORD,
        texts.BTN_GROUP_NOT_REPORT,
    ]
    assert await reports() == []
    # another member's press is not theirs to make
    stale = await chat.text(AN, choice=data_of(question)[0], group=True)
    assert stale == texts.STALE_BUTTON_GROUP
    assert await reports() == []
    saved = await chat.text(BINH, choice="yes", group=True)
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 5, Dịch vụ công 3.")
    assert len(await reports()) == 1


async def test_not_a_report_and_chatting_on_store_nothing(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    await chat.say(BINH, "vneid 2", group=True)
    assert await chat.text(BINH, choice="cancel", group=True) == texts.FLOW_CANCELLED
    await chat.say(BINH, "hôm nay cài vneid 4 cho bà con", group=True)
    assert await chat.say(BINH, "mọi người ơi chiều nay họp nhé", group=True) == []
    assert await reports() == []
    assert await open_flows() == []


async def test_group_chatter_is_never_answered(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    for line in (
        "chào cả nhà",
        "ai biết cài vneid không?",
        "tổ 3 họp lúc 8h",
        "vneid 900",  # an error in a line that may not be for the bot: silence
    ):
        assert await chat.say(BINH, line, group=True) == [], line
    assert await chat.say(STRANGER, "vneid 5", group=True) == []
    assert await chat.say(OFFICIAL, "vneid 5", group=True) == []
    assert await reports() == []


async def test_an_unclear_number_in_a_group_says_how_to_report_and_stores_nothing(db):
    seed = await commune()
    await linked_group(seed)
    reply = await Dialogue().text(BINH, "vneid 3 hồ sơ 2", group=True)
    assert reply == texts.GROUP_POST_UNCLEAR.format(value=2, context="hồ sơ 2")
    assert await reports() == [] and await open_flows() == []


async def test_a_numbered_menu_answers_a_group_post(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue(capabilities=NUMBERED)
    [question] = await chat.say(BINH, "thăm 4 hộ", group=True)
    assert data_of(question) == ["yes", "cancel"]  # typed as 1 and 2 on a numbered channel
    saved = await chat.text(BINH, "1", group=True)
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: Hộ đã thăm 4.")


async def test_greetings_get_the_how_to_for_the_role(db):
    await commune()
    chat = Dialogue()
    member = await chat.text(BINH, "chào bot, làm sao báo cáo ạ?")
    assert member == texts.HOW_TO_MEMBER.format(name="Trần Thị Bình")
    official = await chat.text(OFFICIAL, "Chào ad, cho hỏi xem kết quả thế nào")
    assert official == texts.HOW_TO_OFFICIAL.format(name="Phạm Cán Bộ")
    assert await chat.text(STRANGER, "hello") == texts.HELP_STRANGER
    # a report that opens with a greeting is still a report
    [question] = await chat.say(BINH, "Chào bot, vneid 2")
    assert data_of(question) == ["yes", "cancel"]


async def test_a_greeting_in_a_group_is_answered_only_where_the_bot_is_mentioned(db):
    seed = await commune()
    await linked_group(seed)
    mentions_only = Dialogue(capabilities=replace(NUMBERED, group_mentions_only=True))
    assert await Dialogue().say(BINH, "chào bot", group=True) == []
    reply = await mentions_only.text(BINH, "chào bot", group=True)
    assert reply == texts.HOW_TO_MEMBER.format(name="Trần Thị Bình")
