"""/ghinhan, the guided report, step by step through the router: with buttons and with numbered
choices, for one hamlet and for a person in two, at a fixed clock."""

from sqlmodel import select

from bot import texts
from db.models import Membership, Role, Team
from db.session import session_scope
from tests.bot.dialogue import (
    BINH,
    NUMBERED,
    Dialogue,
    commune,
    counts_of,
    data_of,
    open_flows,
    reports,
)

MENU_CHOICES = [
    "ind:vneid", "ind:dvc", "ind:vi", "ind:cuahang", "ind:tmdt", "ind:sosk", "ind:vssid",
    "ind:cks", "ind:sim", "ind:ho", "note", "done", "cancel",
]  # fmt: skip


async def test_the_whole_flow_with_buttons(db):
    await commune()
    chat = Dialogue()
    [when] = await chat.say(BINH, "/ghinhan")
    assert when.text == texts.REPORT_ASK_DATE
    [menu] = await chat.say(BINH, choice="day:1")
    assert menu.text == texts.REPORT_MENU.format(
        day="17/11", team="Ấp Tân Hòa", tally=texts.REPORT_TALLY_EMPTY
    )
    assert data_of(menu) == MENU_CHOICES
    assert await chat.text(BINH, choice="ind:vneid") == texts.REPORT_ASK_COUNT.format(
        name="Cài đặt, kích hoạt VNeID", max=chat.settings.max_count_per_indicator
    )
    [menu] = await chat.say(BINH, "4")
    assert menu.text.startswith("Ngày 17/11 — Ấp Tân Hòa\nVNeID 4\n")
    assert menu.choices[0].label == "VNeID (4)"
    assert await chat.text(BINH, choice="note") == texts.REPORT_ASK_NOTE
    await chat.say(BINH, "gọi 0912345678 hẹn lại", photo="chat:p1")
    [confirm] = await chat.say(BINH, choice="done")
    assert confirm.text.startswith("Xác nhận ghi nhận ngày 17/11:\nVNeID 4\nGhi chú: gọi ")
    assert confirm.text.endswith(f"{texts.REPORT_PHOTO_LABEL}\nLưu báo cáo này?")
    assert await reports() == []  # nothing is stored before «Lưu»
    saved = await chat.text(BINH, choice="yes")
    assert saved == "✅ Đã ghi nhận ngày 17/11: VNeID 4.\n📈 Tổng Ấp Tân Hòa tuần này: VNeID 4."
    [report] = await reports()
    assert report.photo_ref == "chat:p1"
    assert "0912345678" not in report.note and report.note.startswith("gọi ")
    assert await open_flows() == []


async def test_the_whole_flow_by_numbers_and_typed_words(db):
    """Without buttons: numbers pick, a typed date and typed counts work as on any channel."""
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(BINH, "/ghinhan")
    [menu] = await chat.say(BINH, "16/11")
    assert menu.text.startswith("Ngày 16/11 — Ấp Tân Hòa")
    [menu] = await chat.say(BINH, "dvc 2 ho 5")  # counts typed at the menu
    assert menu.text.startswith("Ngày 16/11 — Ấp Tân Hòa\nDịch vụ công 2, Hộ đã thăm 5\n")
    await chat.say(BINH, "12")  # «Xong»
    saved = await chat.text(BINH, "1")  # «Lưu»
    assert saved.startswith("✅ Đã ghi nhận ngày 16/11: Dịch vụ công 2, Hộ đã thăm 5.")
    [report] = await reports()
    assert await counts_of(report.id) == {"dvc": 2, "ho": 5}


async def test_wrong_answers_are_asked_again(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/ghinhan")
    wrong_day, again = await chat.say(BINH, "32/13")
    assert again.text == texts.REPORT_ASK_DATE and wrong_day.text
    await chat.say(BINH, choice="day:0")
    nothing, menu = await chat.say(BINH, choice="done")
    assert nothing.text == texts.REPORT_NOTHING
    assert menu.text.startswith("Ngày 18/11")
    await chat.say(BINH, choice="ind:vneid")
    most = chat.settings.max_count_per_indicator
    assert await chat.text(BINH, "nhiều") == texts.PARSE_NOT_NUMBER.format(max=most, example=5)
    assert await open_flows() == [(BINH, "report", "count")]
    [menu] = await chat.say(BINH, "3")
    assert menu.text.startswith("Ngày 18/11 — Ấp Tân Hòa\nVNeID 3\n")


async def test_someone_in_two_hamlets_is_asked_which_first(db):
    seed = await commune()
    async with session_scope() as session:  # Bình also joins Ấp Phú Thạnh
        team = (await session.exec(select(Team).where(Team.unit_id == seed.hamlets[1].id))).one()
        person_id = seed.people["Trần Thị Bình"].id
        session.add(Membership(person_id=person_id, team_id=team.id, role=Role.MEMBER))
        await session.commit()
    chat = Dialogue()
    [which] = await chat.say(BINH, "/ghinhan")
    assert which.text == "Bạn ghi nhận cho ấp nào?"  # a member; the hamlets are ấp
    assert [c.label for c in which.choices] == ["Ấp Tân Hòa", "Ấp Phú Thạnh", texts.BTN_CANCEL]
    assert await chat.text(BINH, choice="day:0") == texts.STALE_BUTTON  # not offered here
    assert await open_flows() == [(BINH, "report", "hamlet")]
    await chat.say(BINH, choice=which.choices[1].data)
    [menu] = await chat.say(BINH, choice="day:0")
    assert menu.text.startswith("Ngày 18/11 — Ấp Phú Thạnh")
