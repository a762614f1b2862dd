"""Learning from what the bot missed: the words beside numbers it asked about are counted, an
official lists them with /tumoi and adds one as an indicator's alias; the next line with it is
understood. Through the router, with the clock injected."""

from sqlmodel import select

from bot import texts
from db.models import UnknownWord
from db.session import session_scope
from tests.bot.dialogue import BINH, OFFICIAL, Dialogue, commune, reports


async def unknown() -> dict[str, int]:
    async with session_scope() as session:
        return {w.word: w.seen for w in (await session.exec(select(UnknownWord))).all()}


async def test_words_beside_unclear_numbers_are_counted_without_anything_else(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3 ekyc 2")
    await chat.say(BINH, "/huy")  # ends the question
    await chat.say(BINH, "EKYC 4 cho bà con")
    await chat.say(BINH, "/huy")
    await chat.say(BINH, "/bc vneid 2 bác Lan 3")  # a name inside the line is never kept
    assert await unknown() == {"ekyc": 2}
    assert await reports() == []


async def test_an_official_adds_a_missed_word_and_the_next_report_is_understood(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3 ekyc 2")
    await chat.say(BINH, "/huy")
    listing = await chat.text(OFFICIAL, "/tumoi")
    assert "• «ekyc» — 1 lần, 18/11" in listing
    added = await chat.text(OFFICIAL, "/tumoi ekyc = vneid")
    assert added == texts.VOCAB_ADDED.format(word="ekyc", name="Cài đặt, kích hoạt VNeID")
    assert await unknown() == {}
    saved = await chat.text(BINH, "/bc ekyc 4")
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 4.")


async def test_a_lookalike_becomes_a_word_once_an_official_says_so(db):
    await commune()
    chat = Dialogue()
    asked = await chat.text(BINH, "/bc hồ sơ 2")
    assert asked.startswith(texts.REPORT_ASK_WHICH.format(value=2, context="hồ sơ 2")[:20])
    await chat.say(BINH, "/huy")
    assert await chat.text(OFFICIAL, "/tumoi hồ sơ = dvc") == texts.VOCAB_ADDED.format(
        word="hồ sơ", name="Tài khoản, hướng dẫn dịch vụ công trực tuyến"
    )
    assert (await chat.text(BINH, "/bc hồ sơ 2")).startswith(
        "✅ Đã ghi nhận ngày 18/11: Dịch vụ công 2."
    )


async def test_only_officials_add_words_and_bad_input_says_what_to_type(db):
    await commune()
    chat = Dialogue()
    assert await chat.text(BINH, "/tumoi") == texts.VOCAB_OFFICIALS_ONLY
    assert await chat.text(OFFICIAL, "/tumoi") == texts.VOCAB_NONE
    assert (await chat.text(OFFICIAL, "/tumoi ekyc")).startswith("Gõ: /tumoi <từ> = <mã chỉ tiêu>")
    refused = await chat.text(OFFICIAL, "/tumoi ekyc = khong_co")
    assert refused.startswith("Không thêm được: không có chỉ tiêu mã «khong_co»")
    taken = await chat.text(OFFICIAL, "/tumoi định danh = dvc")
    assert taken == texts.VOCAB_TAKEN.format(word="định danh", name="Cài đặt, kích hoạt VNeID")
