"""Safe /huy and /sua, doubts before storing (a double send, an unusual count), corrections by
leaders and officials with the member told, and the audit trail /nhatky reads (issue #22)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from bot import texts
from bot.report_checks import unusual, usual
from db.models import ReportChange
from db.session import session_scope
from tests.bot.dialogue import (
    AN,
    BINH,
    CUONG,
    NUMBERED,
    OFFICIAL,
    Dialogue,
    commune,
    counts_of,
    data_of,
    open_flows,
    reports,
)
from tests.clock import NOW, VN

THURSDAY = datetime(2026, 11, 19, 9, 0, tzinfo=VN)


async def changes() -> list[ReportChange]:
    async with session_scope() as session:
        return list((await session.exec(select(ReportChange).order_by(ReportChange.id))).all())


# --- /huy and /sua ------------------------------------------------------------------------------


async def test_huy_of_a_report_made_on_an_earlier_day_asks_first(db, fixed_clock):
    seed = await commune()
    await Dialogue().say(BINH, "/bc vneid 3 ho 2")
    with time_machine.travel(THURSDAY, tick=False):
        chat = Dialogue(now=THURSDAY)
        [question] = await chat.say(BINH, "/huy")
        assert question.text == (
            "Hủy báo cáo ngày 18/11 (gửi lúc 10:00 18/11): VNeID 3, Hộ đã thăm 2?\n"
            "Báo cáo vẫn được lưu vết nhưng không tính vào tổng."
        )
        assert [r.retracted for r in await reports()] == [False]
        assert await chat.text(BINH, choice="keep") == texts.RETRACT_KEPT
        assert [r.retracted for r in await reports()] == [False]
        await chat.say(BINH, "/huy")
        done = await chat.text(BINH, choice="retract")
    assert done == texts.RETRACT_DONE.format(day="18/11", tally="VNeID 3, Hộ đã thăm 2")
    [report] = await reports()
    assert report.retracted
    [change] = await changes()
    binh = seed.people["Trần Thị Bình"].id
    assert (change.report_id, change.actor_id, change.action) == (report.id, binh, "retract")
    assert change.before == {"day": "2026-11-18", "counts": {"vneid": 3, "ho": 2}, "note": None}
    assert change.after is None
    assert await open_flows() == []


async def test_huy_asks_on_zalo_with_a_numbered_menu(db, fixed_clock):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(BINH, "/bc vneid 3")
    await chat.say(BINH, "/bc dvc 1")
    await chat.say(BINH, "/huy")  # the latest of today: at once
    await chat.say(BINH, "/huy")  # the one before: asked
    assert (await chat.text(BINH, "1")).startswith("↩️ Đã hủy báo cáo ngày 18/11: VNeID 3.")
    assert [r.retracted for r in await reports()] == [True, True]
    assert [c.action for c in await changes()] == ["retract", "retract"]


async def test_sua_with_a_day_opens_that_days_report(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 1 hôm qua")
    await chat.say(BINH, "/bc vneid 7")
    [menu] = await chat.say(BINH, "/sua hôm qua")
    assert menu.text.startswith("Ngày 17/11 — Ấp Tân Hòa\nVNeID 1\n")
    abandoned, menu = await chat.say(BINH, "/sua 18/11")
    assert abandoned.text == texts.FLOW_ABANDONED
    assert menu.text.startswith("Ngày 18/11 — Ấp Tân Hòa\nVNeID 7\n")
    await chat.say(BINH, choice="cancel")
    hours = chat.settings.retract_hours
    none = texts.EDIT_NONE_ON_DAY.format(day="16/11", hours=hours)
    assert await chat.text(BINH, "/sua 16/11") == none
    unknown = texts.EDIT_DAY_UNKNOWN.format(value="mai kia")
    assert await chat.text(BINH, "/sua mai kia") == unknown


async def test_own_sua_is_audited_with_before_and_after(db, fixed_clock):
    seed = await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 1 hôm qua")
    await chat.say(BINH, "/sua hôm qua")
    await chat.say(BINH, "dvc 2")  # counts typed at the menu
    await chat.say(BINH, choice="done")
    edited = await chat.text(BINH, choice="yes")
    assert edited.startswith("✏️ Đã sửa báo cáo ngày 17/11: VNeID 1, Dịch vụ công 2.")
    old, new = await reports()
    [change] = await changes()
    assert (change.report_id, change.new_report_id, change.action) == (old.id, new.id, "edit")
    assert change.actor_id == seed.people["Trần Thị Bình"].id
    assert change.before["counts"] == {"vneid": 1}
    assert change.after == {"day": "2026-11-17", "counts": {"vneid": 1, "dvc": 2}, "note": None}


# --- doubts before storing ----------------------------------------------------------------------


async def test_the_same_report_within_ten_minutes_asks_before_it_is_stored(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3 dvc 1")
    [question] = await chat.say(BINH, "/bc dvc 1 vneid 3")
    assert question.text == (
        "Bạn vừa gửi đúng báo cáo này (VNeID 3, Dịch vụ công 1, ngày 18/11) trong 10 phút qua.\n"
        "Gửi thêm lần nữa?"
    )
    assert data_of(question) == ["sure", "cancel"]
    assert len(await reports()) == 1
    assert (await chat.text(BINH, choice="sure")).startswith("✅ Đã ghi nhận ngày 18/11")
    assert len(await reports()) == 2
    await chat.say(BINH, "/bc vneid 3 dvc 1")
    assert await chat.text(BINH, choice="cancel") == texts.FLOW_CANCELLED
    assert len(await reports()) == 2
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        later = await chat.text(BINH, "/bc vneid 3 dvc 1")
    assert later.startswith("✅ Đã ghi nhận ngày 18/11")  # not a double send any more
    assert len(await reports()) == 3


async def test_a_different_day_or_count_is_no_double(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 3")
    assert (await chat.text(BINH, "/bc vneid 3 hôm qua")).startswith("✅")
    assert (await chat.text(BINH, "/bc vneid 4")).startswith("✅")


async def test_a_line_confirmed_with_luu_is_asked_again_when_it_is_a_double(db, fixed_clock):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(BINH, "vneid 2")
    await chat.say(BINH, "lưu")
    await chat.say(BINH, "vneid 2")
    again = await chat.text(BINH, "lưu")
    assert again.endswith("Gửi thêm lần nữa?")
    assert len(await reports()) == 1
    assert (await chat.text(BINH, "1")).startswith("✅ Đã ghi nhận ngày 18/11: VNeID 2.")
    assert len(await reports()) == 2


async def test_a_count_far_above_the_usual_waits_for_a_yes(db, fixed_clock):
    await commune()
    chat = Dialogue()
    for count in (4, 6, 8, 10, 12):
        await chat.say(BINH, f"/bc vneid {count} hôm kia")
    [question] = await chat.say(BINH, "/bc vneid 499 dvc 2")
    assert question.text == (
        "⚠️ Số cao hơn nhiều so với thường lệ của bạn: VNeID 499 (thường tới 11).\n"
        "Số này đúng chứ? Nếu nhầm, bấm «Hủy» rồi gửi lại.\n"
        + texts.DAILY_CAP_ASK.format(total=501, cap=300)  # and past the day's cap
    )
    assert len(await reports()) == 5
    assert await open_flows() == [(BINH, "report", "sure")]
    saved = await chat.text(BINH, choice="sure")
    assert saved.startswith("✅ Đã ghi nhận ngày 18/11: VNeID 499, Dịch vụ công 2.")
    assert (await chat.text(BINH, "/bc vneid 36 hôm qua")).startswith("✅")  # under the floor of 50


async def test_without_history_only_the_floor_counts_and_it_is_configurable(db, fixed_clock):
    await commune()
    chat = Dialogue()
    assert (await chat.text(BINH, "/bc ho 49")).startswith("✅")
    first = await chat.text(BINH, "/bc vneid 60")
    assert "VNeID 60 (chưa có báo cáo trước)" in first
    await chat.say(BINH, choice="cancel")
    relaxed = Dialogue()
    relaxed.settings = chat.settings.model_copy(update={"unusual_min_count": 100})
    assert (await relaxed.text(BINH, "/bc vneid 60")).startswith("✅")


def test_usual_is_the_percentile_of_past_counts():
    assert usual([], 90) == 0
    assert usual([7], 90) == 7
    assert usual(list(range(1, 11)), 90) == pytest.approx(9.1)
    history = {"vneid": [10] * 9 + [20]}
    found = unusual({"vneid": 60, "dvc": 500}, history, factor=3, minimum=50, percentile=90)
    assert found == {"vneid": pytest.approx(11.0), "dvc": 0}
    assert unusual({"vneid": 30}, history, factor=3, minimum=50, percentile=90) == {}


# --- corrections by leaders and officials -------------------------------------------------------


async def test_a_leader_retracts_a_members_report_and_the_member_is_told(db, fixed_clock):
    seed = await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 5 dvc 1")
    [listed] = await chat.say(AN, "/dieuchinh")
    assert listed.text == texts.CORRECT_PICK
    [pick, cancel] = listed.choices
    assert pick.label == "18/11 Trần Thị Bình (Ấp Tân Hòa): VNeID 5, Dịch vụ công 1"
    [what] = await chat.say(AN, choice=pick.data)
    assert data_of(what) == ["retract", "edit", "cancel"]
    done, notice = await chat.say(AN, choice="retract")
    assert done.text == texts.CORRECT_RETRACTED.format(
        day="18/11", name="Trần Thị Bình", tally="VNeID 5, Dịch vụ công 1"
    )
    assert notice.private_to == f"chat:{BINH}"
    assert notice.text.startswith("ℹ️ Nguyễn Văn An (tổ trưởng) đã hủy báo cáo ngày 18/11")
    [report] = await reports()
    assert report.retracted
    [change] = await changes()
    assert change.actor_id == seed.people["Nguyễn Văn An"].id
    assert change.action == "retract"
    log = await chat.text(AN, "/nhatky")
    assert log.splitlines() == [
        "📒 Thay đổi báo cáo gần đây (Ấp Tân Hòa):",
        "18/11 10:00 Nguyễn Văn An hủy báo cáo ngày 18/11 của Trần Thị Bình: "
        "VNeID 5, Dịch vụ công 1",
    ]


async def test_an_official_corrects_a_report_on_zalo_with_numbered_menus(db, fixed_clock):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(BINH, "/bc vneid 5 hôm qua")
    await chat.say(OFFICIAL, "/dieuchinh")
    await chat.say(OFFICIAL, "1")  # the report
    asked = await chat.text(OFFICIAL, "2")  # ✏️ Sửa số liệu
    assert asked == texts.CORRECT_ASK_LINE.format(day="17/11")
    confirm = await chat.text(OFFICIAL, "vneid 3 ho 2")
    assert confirm.startswith(
        "Sửa báo cáo ngày 17/11 của Trần Thị Bình:\nTrước: VNeID 5\nSau: VNeID 3, Hộ đã thăm 2"
    )
    done, notice = await chat.say(OFFICIAL, "1")
    assert done.text.startswith("✏️ Đã sửa báo cáo ngày 17/11 của Trần Thị Bình: VNeID 5 →")
    assert notice.private_to == f"chat:{BINH}"
    assert "Phạm Cán Bộ (cán bộ) đã sửa báo cáo ngày 17/11 của bạn" in notice.text
    old, new = await reports()
    assert (old.retracted, new.retracted, new.activity_date) == (True, False, old.activity_date)
    assert new.person_id == old.person_id  # still the member's work
    assert await counts_of(new.id) == {"vneid": 3, "ho": 2}
    [change] = await changes()
    assert (change.action, change.new_report_id) == ("edit", new.id)
    own = await chat.text(BINH, "/nhatky")
    assert "Phạm Cán Bộ sửa báo cáo ngày 17/11 của Trần Thị Bình: VNeID 5 → VNeID 3" in own


async def test_corrections_only_by_who_answers_for_the_reports_unit(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 5")
    assert await chat.text(BINH, "/dieuchinh") == texts.CORRECT_NOT_ALLOWED
    days = chat.settings.max_days_back
    assert await chat.text(CUONG, "/dieuchinh") == texts.CORRECT_NONE.format(days=days)
    [listed] = await chat.say(AN, "/dieuchinh")
    stale = await chat.text(CUONG, choice=listed.choices[0].data)  # another's button
    assert stale == texts.STALE_BUTTON
    assert await chat.text(AN, "/dieuchinh", group=True) == texts.CORRECT_PRIVATE_ONLY.format(
        name="dieuchinh"
    )
    [report] = await reports()
    assert not report.retracted
    await chat.say(BINH, "/huy")
    assert "Chưa có báo cáo nào" in await chat.text(CUONG, "/nhatky")
    assert "Trần Thị Bình hủy báo cáo ngày 18/11" in await chat.text(AN, "/nhatky")


async def test_a_report_changed_meanwhile_is_not_corrected(db, fixed_clock):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/bc vneid 5")
    [listed] = await chat.say(AN, "/dieuchinh")
    await chat.say(AN, choice=listed.choices[0].data)
    await chat.say(BINH, "/huy")  # the member retracts it first
    assert await chat.text(AN, choice="retract") == texts.CORRECT_GONE
    assert len(await changes()) == 1
