"""End to end over HTTP: real FastAPI app, real database, real python-telegram-bot against a fake Bot API."""

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from config import Settings
from db.models import (
    ChatGroup,
    Conversation,
    Identity,
    Invite,
    Membership,
    Person,
    Report,
    Role,
)
from db.reports import totals
from db.session import session_scope
from tests.clock import TODAY
from tests.helpers import (
    SECRET,
    TelegramUser,
    WebhookChat,
    invite,
    roster_invite,
    running_service,
    seed_commune,
)

GROUP = -100200300
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock


@pytest.fixture
def settings(telegram_api, database_url) -> Settings:
    return Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        public_base_url="",
        database_url=database_url,
    )


@pytest.fixture
async def service(db, settings):
    async with running_service(settings) as client:
        yield client


class Chat(WebhookChat):
    path, header = "/webhook/telegram", "X-Telegram-Bot-Api-Secret-Token"


def buttons(call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


@pytest.fixture
def chat(service, telegram_api) -> Chat:
    return Chat(service, telegram_api)


async def week_total(code: str) -> int:
    async with session_scope() as session:
        start = TODAY - timedelta(days=30)
        return (await totals(session, start=start, end=TODAY)).get(code, 0)


async def join_as_member(chat: Chat, seed, user: TelegramUser, name: str) -> None:
    """Join as the roster person `name`, with the invite their roster role needs."""
    code = await roster_invite(seed.people[name])
    calls = await chat.send(user.message(f"/thamgia {code}"))
    person = seed.people[name]
    assert (f"{name}", f"person:{person.id}") in buttons(calls[-1])
    welcome = await chat.text(user.press(f"person:{person.id}"))
    assert "Chào mừng" in welcome


async def ask_for_a_count(chat: Chat, user: TelegramUser, code: str = "vneid") -> None:
    """Open the guided report for today and pick an indicator: the bot now asks for a number."""
    await chat.send(user.message("/ghinhan"))
    await chat.send(user.press("day:0"))
    await chat.send(user.press(f"ind:{code}"))


async def test_invite_join_matches_roster_by_shared_phone(chat, telegram_api):
    seed = await seed_commune()
    code = await invite(seed.hamlets[0], Role.MEMBER)
    user = TelegramUser(501, "Bình")
    calls = await chat.send(user.message(f"/start {code}"))
    keyboard = calls[0].params["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_contact"] is True
    assert [t for t, _ in buttons(calls[1])] == [  # the leader's name needs a leader's invite
        "Trần Thị Bình",
        "Tôi không có trong danh sách",
    ]
    contact = {"phone_number": "+84 912 000 002", "first_name": "Bình", "user_id": 501}
    reply = await chat.text(user.message(contact=contact))
    assert "Chào mừng Trần Thị Bình tham gia Ấp Tân Hòa với vai trò thành viên" in reply
    async with session_scope() as session:
        identity = (await session.exec(select(Identity).where(Identity.user_id == "501"))).one()
        assert identity.person_id == seed.people["Trần Thị Bình"].id
        assert len((await session.exec(select(Person))).all()) == 3


async def test_join_by_name_and_a_second_claim_is_refused(chat, telegram_api):
    seed = await seed_commune()
    leader = TelegramUser(500, "An")
    await join_as_member(chat, seed, leader, "Nguyễn Văn An")
    impostor = TelegramUser(502, "Giả")
    code = await invite(seed.hamlets[0], Role.MEMBER)
    offered = await chat.send(impostor.message(f"/thamgia {code}"))
    binh = seed.people["Trần Thị Bình"].id
    assert ("Trần Thị Bình", f"person:{binh}") in buttons(offered[-1])
    await join_as_member(chat, seed, TelegramUser(501, "Bình"), "Trần Thị Bình")
    calls = await chat.send(impostor.press(f"person:{binh}"))
    by_chat = {str(c.params["chat_id"]): c.params["text"] for c in calls}
    assert by_chat["502"].startswith("Tên Trần Thị Bình đã gắn với một tài khoản khác")
    assert by_chat["500"].startswith("⚠️ Có người (Giả, trên Telegram) nhận là Trần Thị Bình")
    assert by_chat["501"].startswith("⚠️ Có người (Giả, trên Telegram) vừa nhận là Trần Thị Bình")
    async with session_scope() as session:
        assert (
            await session.exec(select(Identity).where(Identity.user_id == "502"))
        ).first() is None


async def test_an_invite_counts_a_use_only_when_someone_joins_with_it(chat, telegram_api):
    members = [(name, None, Role.MEMBER) for name in ("Nguyễn Văn An", "Trần Thị Bình")]
    seed = await seed_commune({"Ấp Tân Hòa": members})
    code = await invite(seed.hamlets[0], Role.MEMBER, uses=2)
    binh, an = seed.people["Trần Thị Bình"].id, seed.people["Nguyễn Văn An"].id
    first = TelegramUser(501, "Bình")
    await chat.send(first.message(f"/thamgia {code}"))  # the roster question, left unanswered
    await chat.send(first.message(f"/thamgia {code}"))
    assert "Chào mừng" in await chat.text(first.press(f"person:{binh}"))
    again = await chat.text(first.message(f"/thamgia {code}"))
    assert again == "Bạn đã là thành viên của Ấp Tân Hòa."
    second = TelegramUser(502, "An")
    await chat.send(second.message(f"/thamgia {code}"))
    assert "Chào mừng" in await chat.text(second.press(f"person:{an}"))
    third = TelegramUser(503, "Cường")
    refused = await chat.text(third.message(f"/thamgia {code}"))
    assert refused == f"Mã mời {code} đã dùng hết lượt. Xin tổ trưởng hoặc cán bộ xã mã mới."
    async with session_scope() as session:
        used = (await session.exec(select(Invite).where(Invite.code == code))).one()
        assert used.uses == 2
        assert (await session.exec(select(Identity).where(Identity.user_id == "503"))).all() == []


async def test_a_button_press_is_answered_in_the_webhook_response(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await chat.send(user.message("/ghinhan"))
    press = user.press("day:0")
    calls = await chat.send(press)
    answer = chat.last_response.json()
    assert answer == {
        "method": "answerCallbackQuery",
        "callback_query_id": press["callback_query"]["id"],
    }
    assert [c.method for c in calls] == ["sendMessage"]  # the menu; no separate answer call


async def test_not_on_the_list_waits_for_the_leader(chat, telegram_api):
    seed = await seed_commune()
    leader = TelegramUser(500, "An")
    await join_as_member(chat, seed, leader, "Nguyễn Văn An")
    newcomer = TelegramUser(503, "Dũng", "Phạm")
    code = await invite(seed.hamlets[0], Role.MEMBER)
    await chat.send(newcomer.message(f"/thamgia {code}"))
    calls = await chat.send(newcomer.press("none"))
    leader_call = next(c for c in calls if str(c.params["chat_id"]) == "500")
    ((label, data),) = buttons(leader_call)
    assert label == "Xác nhận Dũng Phạm" and data.startswith("/xacnhan ")
    waiting = await chat.text(newcomer.message("/bc vneid 2"))
    assert waiting.startswith("Tổ trưởng Ấp Tân Hòa chưa xác nhận bạn")
    assert "ví dụ: /xacnhan 37" in await chat.text(leader.message("/xacnhan"))
    calls = await chat.send(leader.press(data))
    by_chat = {str(c.params["chat_id"]): c.params["text"] for c in calls}
    assert by_chat["500"] == "Đã xác nhận Dũng Phạm là thành viên Ấp Tân Hòa."
    assert by_chat["503"].startswith("✅ Bạn đã được xác nhận là thành viên Ấp Tân Hòa.")
    assert "Đã ghi nhận" in await chat.text(newcomer.message("/bc vneid 2"))
    async with session_scope() as session:
        membership = (
            await session.exec(select(Membership).where(Membership.id == int(data.split()[1])))
        ).one()
        assert membership.confirmed is True


async def test_link_group_then_join_there_and_report(chat, telegram_api):
    seed = await seed_commune()
    leader = TelegramUser(500, "An")
    await join_as_member(chat, seed, leader, "Nguyễn Văn An")
    assert "Đã kết nối nhóm này với Ấp Tân Hòa" in await chat.text(leader.message("/ketnoi", GROUP))
    member = TelegramUser(501, "Bình")
    calls = await chat.send(member.message("/thamgia", GROUP))
    assert ("Trần Thị Bình", f"person:{seed.people['Trần Thị Bình'].id}") in buttons(calls[0])
    await chat.send(member.press(f"person:{seed.people['Trần Thị Bình'].id}", GROUP))
    reply = await chat.text(member.message("/bc@ToCongNgheBot vneid 4 ho 6", GROUP))
    assert "Đã ghi nhận" in reply and "VNeID 4" in reply
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 4, Hộ đã thăm 6" in reply
    await chat.send(member.message("/ghinhan", GROUP))
    assert await chat.send(leader.press("day:0", GROUP)) == []  # the member's button, not his
    notice = chat.last_response.json()  # told only to him, in the press's answer
    assert notice["text"].startswith("Nút này đã cũ hoặc là của người khác trong nhóm.")
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup))).one()
        assert (group.chat_id, group.unit_id) == (str(GROUP), seed.hamlets[0].id)


async def test_a_report_posted_in_a_group_without_a_command(chat, telegram_api):
    """With privacy mode off the bot reads every group line: a report is confirmed by its sender
    alone, and chatter is never answered."""
    seed = await seed_commune()
    leader = TelegramUser(500, "An")
    await join_as_member(chat, seed, leader, "Nguyễn Văn An")
    await chat.send(leader.message("/ketnoi", GROUP))
    member = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, member, "Trần Thị Bình")
    assert await chat.send(member.message("chiều nay ai rảnh đi cùng không?", GROUP)) == []
    calls = await chat.send(member.message("Em báo cáo: vneid 5 dvc 3", GROUP))
    assert calls[0].params["text"].startswith("Trần Thị Bình báo cáo ngày")
    assert buttons(calls[0]) == [("✅ Ghi nhận", "yes"), ("Không phải", "cancel")]
    assert await chat.send(leader.press("yes", GROUP)) == []  # hers to answer, not his
    reply = await chat.text(member.press("yes", GROUP))
    assert reply.startswith("✅ Đã ghi nhận ngày") and "VNeID 5, Dịch vụ công 3" in reply
    async with session_scope() as session:
        assert len((await session.exec(select(Report))).all()) == 1


async def test_a_linked_group_moves_only_for_who_answers_for_its_unit(chat, telegram_api):
    seed = await seed_commune()
    an = TelegramUser(500, "An")
    await join_as_member(chat, seed, an, "Nguyễn Văn An")  # leader of Ấp Tân Hòa
    cuong = TelegramUser(503, "Cường")
    await join_as_member(chat, seed, cuong, "Lê Văn Cường")  # leader of Ấp Phú Thạnh
    official = TelegramUser(509, "Hà")
    await chat.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))

    assert "Đã kết nối nhóm này với Ấp Tân Hòa" in await chat.text(an.message("/ketnoi", GROUP))
    again = await chat.text(an.message("/ketnoi", GROUP))
    assert again == "Nhóm này đã kết nối với Ấp Tân Hòa rồi."
    taken = await chat.text(cuong.message("/ketnoi", GROUP))  # the leader of another hamlet
    assert taken == (
        "Nhóm này đang kết nối với Ấp Tân Hòa. Chỉ người phụ trách Ấp Tân Hòa mới đổi được kết nối."
    )
    refused = await chat.text(official.message("/bc vneid 3"))
    assert refused.startswith("Số liệu do các tổ báo cáo, cán bộ xã không gửi báo cáo. Gõ /baocao")
    calls = await chat.send(official.message("/ketnoi", GROUP))  # alone: never moves a link
    assert calls[0].params["text"] == "Nhóm này đã kết nối với Ấp Tân Hòa rồi."
    assert buttons(calls[0]) == [("Chuyển sang Xã Tân Phú", "/ketnoi 28468")]
    moved = await chat.text(official.press("/ketnoi 28468", GROUP))
    assert moved.startswith("✅ Đã kết nối nhóm này với Xã Tân Phú. Bảng xếp hạng các ấp")
    taken = await chat.text(an.message("/ketnoi", GROUP))  # a hamlet leader and the commune's group
    assert taken.startswith("Nhóm này đang kết nối với Xã Tân Phú.")
    unknown = await chat.text(official.message("/ketnoi 99999", GROUP))
    assert unknown.startswith("Không có đơn vị mã 99999 trong phạm vi anh/chị phụ trách.")
    hamlet = seed.hamlets[0].code
    back = await chat.text(official.message(f"/ketnoi {hamlet}", GROUP))  # a unit under theirs
    assert back.startswith("✅ Đã kết nối nhóm này với Ấp Tân Hòa.")
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup))).one()
        assert group.unit_id == seed.hamlets[0].id


async def test_guided_report_by_buttons(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    calls = await chat.send(user.message("/ghinhan"))
    assert ("Hôm nay", "day:0") in buttons(calls[0])
    calls = await chat.send(user.press("day:1"))
    assert ("VNeID", "ind:vneid") in buttons(calls[0])
    assert "(chưa nhập số nào)" in calls[0].params["text"]
    assert "VNeID: nhập số lượng (0–500)" in await chat.text(user.press("ind:vneid"))
    calls = await chat.send(user.message("7"))
    assert ("VNeID (7)", "ind:vneid") in buttons(calls[0])
    await chat.send(user.press("ind:ho"))
    await chat.send(user.message("12"))
    await chat.send(user.press("note"))
    await chat.send(user.message("Hướng dẫn bà Lan, CCCD 001203004567, sđt 0912345678"))
    confirm = await chat.text(user.press("done"))
    assert "VNeID 7, Hộ đã thăm 12" in confirm
    assert "001203004567" not in confirm and "0912345678" not in confirm
    saved = await chat.text(user.press("yes"))
    assert "Đã ghi nhận ngày" in saved
    async with session_scope() as session:
        report = (await session.exec(select(Report))).one()
        assert report.activity_date == TODAY - timedelta(days=1)
        assert "001203004567" not in report.note and "567" in report.note
        assert report.source == "telegram"
    assert await week_total("vneid") == 7


async def test_a_read_only_command_keeps_the_guided_report_and_another_ends_it(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await ask_for_a_count(chat, user)
    await chat.send(user.message("2"))
    texts_ = [c.params["text"] for c in await chat.send(user.message("/toi"))]
    assert "tuần" in texts_[0].lower() and texts_[-1].startswith("Phần đang nhập dở vẫn còn")
    assert "VNeID 2" in await chat.text(user.press("done"))  # the flow went on where it was
    texts_ = [c.params["text"] for c in await chat.send(user.message("/bc dvc 1"))]
    assert texts_[0] == "Đã bỏ phần đang nhập dở ở bước trước (chưa lưu gì)."
    assert "Đã ghi nhận" in texts_[1] and "Dịch vụ công 1" in texts_[1]
    assert "Nút này đã cũ" in await chat.text(user.press("yes"))
    assert await week_total("vneid") == 0 and await week_total("dvc") == 1


QUICK_REPORTS = [
    ("/bc vneid 5 dvc 3 ho 8", {"vneid": 5, "dvc": 3, "ho": 8}),
    ("/bc VNeID: 4, dịch vụ công 3, thăm 8 hộ", {"vneid": 4, "dvc": 3, "ho": 8}),
    ("/bc cai dinh danh 5 hom qua", {"vneid": 5}),
    ("/bc Cài định danh 2, hôm qua", {"vneid": 2}),
    ("/bc vi dien tu 4 sim chinh chu 2", {"vi": 4, "sim": 2}),
    ("/bc VÍ ĐIỆN TỬ 1; SIM 1", {"vi": 1, "sim": 1}),
    ("/bc sổ sức khỏe 3", {"sosk": 3}),
    ("/bc so suc khoe 2 vssid 1", {"sosk": 2, "vssid": 1}),
    ("/bc chu ky so 1", {"cks": 1}),
    ("/bc 6 vneid", {"vneid": 6}),
    ("/bc dvc 2 + vneid 1", {"dvc": 2, "vneid": 1}),
    ("/bc cửa hàng không tiền mặt 2 lên sàn 3", {"cuahang": 2, "tmdt": 3}),
]


async def test_quick_reports_in_a_dozen_phrasings(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    expected: dict[str, int] = {}
    for text, counts in QUICK_REPORTS:
        reply = await chat.text(user.message(text))
        assert "Đã ghi nhận" in reply, (text, reply)
        for code, count in counts.items():
            expected[code] = expected.get(code, 0) + count
    for code, count in expected.items():
        assert await week_total(code) == count, code


async def test_a_report_for_an_earlier_week_says_which_week_it_counts_in(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    day = TODAY - timedelta(days=7)  # the same weekday last week
    monday = day - timedelta(days=day.weekday())
    reply = await chat.text(user.message(f"/bc vneid 3 {day:%d/%m}"))
    assert reply.endswith(
        f"(Ngày {day:%d/%m} thuộc tuần {monday:%d/%m}–{monday + timedelta(days=6):%d/%m} "
        "nên không cộng vào tổng tuần này.)"
    )
    assert "thuộc tuần" not in await chat.text(user.message("/bc vneid 1"))


async def test_plain_text_in_private_is_confirmed_first(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    calls = await chat.send(user.message("vneid 3 ho 4"))
    assert "Lưu báo cáo này?" in calls[0].params["text"]
    assert await week_total("vneid") == 0
    await chat.send(user.press("yes"))
    assert await week_total("vneid") == 3


async def test_numbers_pick_choices_too(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await chat.send(user.message("/ghinhan"))
    calls = await chat.send(user.message("1"))
    assert ("VNeID", "ind:vneid") in buttons(calls[0])
    assert "Nhập số" not in calls[0].params["text"]


async def test_retract_and_edit_are_recorded(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await chat.send(user.message("/bc vneid 5"))
    assert "Đã hủy báo cáo" in await chat.text(user.message("/huy"))
    assert await week_total("vneid") == 0
    await chat.send(user.message("/bc vneid 2"))
    await chat.send(user.message("/sua"))
    await chat.send(user.press("ind:vneid"))
    await chat.send(user.message("9"))
    await chat.send(user.press("done"))
    assert "Đã sửa báo cáo" in await chat.text(user.press("yes"))
    assert await week_total("vneid") == 9
    async with session_scope() as session:
        reports = (await session.exec(select(Report).order_by(Report.id))).all()
        assert [(r.retracted, r.replaces_id) for r in reports] == [
            (True, None),
            (True, None),
            (False, reports[1].id),
        ]
        assert reports[1].edited_at is not None


async def test_a_repeated_delivery_counts_once(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    update = user.message("/bc vneid 5")
    first = await chat.send(update)
    again = await chat.send(update)
    assert len(first) == 1 and again == []
    assert await week_total("vneid") == 5


async def test_a_restart_mid_conversation_continues(db, settings, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    async with running_service(settings) as client:
        chat = Chat(client, telegram_api)
        await join_as_member(chat, seed, user, "Trần Thị Bình")
        await ask_for_a_count(chat, user, "dvc")
    async with session_scope() as session:
        assert (await session.exec(select(Conversation))).one().step == "count"
    async with running_service(settings) as client:
        chat = Chat(client, telegram_api)
        await chat.send(user.message("4"))
        await chat.send(user.press("done"))
        await chat.send(user.press("yes"))
    assert await week_total("dvc") == 4


async def test_an_abandoned_conversation_expires_with_nothing_stored(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await chat.send(user.message("vneid 3"))
    async with session_scope() as session:
        conversation = (await session.exec(select(Conversation))).one()
        conversation.expires_at = conversation.expires_at - timedelta(hours=1)
        session.add(conversation)
        await session.commit()
    assert "quá hạn" in await chat.text(user.press("yes"))
    assert await week_total("vneid") == 0


def _today() -> date:
    return TODAY


BAD_INPUTS = [
    ("/bc vneid -3", "số"),
    ("/bc vneid nam", "số"),
    ("/bc vneid 501", "500"),
    ("/bc abc 5", "abc"),
    ("/bc vneid 2 " + (_today() + timedelta(days=2)).strftime("%d/%m/%Y"), "chưa tới"),
    ("/bc vneid 2 " + (_today() - timedelta(days=20)).strftime("%d/%m"), "14"),
    ("/bc 😀😀", "vneid"),
    ("/bc " + "vneid 1 " * 500, "dài"),
]


@pytest.mark.parametrize(("text", "hint"), BAD_INPUTS)
async def test_bad_input_gets_a_clear_answer_and_stores_nothing(chat, telegram_api, text, hint):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    reply = await chat.text(user.message(text))
    assert hint in reply, reply
    assert "Đã ghi nhận" not in reply
    async with session_scope() as session:
        assert (await session.exec(select(Report))).first() is None


async def test_a_photo_where_a_number_was_expected(chat, telegram_api):
    seed = await seed_commune()
    user = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, user, "Trần Thị Bình")
    await ask_for_a_count(chat, user)
    photo = [{"file_id": "AgAD", "file_unique_id": "u", "width": 90, "height": 90}]
    reply = await chat.text(user.message(photo=photo))
    assert "số" in reply
    assert "5" in await chat.text(user.message("5"))


async def test_strangers_are_told_how_to_join(chat, telegram_api):
    await seed_commune()
    reply = await chat.text(TelegramUser(999, "Lạ").message("/bc vneid 5"))
    assert "/thamgia" in reply


async def test_wrong_secret_and_bad_bodies_are_refused(service, telegram_api, db):
    update = TelegramUser(1, "A").message("/huongdan")
    wrong = await service.post(
        "/webhook/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
    )
    missing = await service.post("/webhook/telegram", json=update)
    assert (wrong.status_code, missing.status_code) == (401, 401)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    assert (
        await service.post("/webhook/telegram", content=b"{not json", headers=headers)
    ).status_code == 400
    assert (
        await service.post("/webhook/telegram", content=json.dumps([1]), headers=headers)
    ).status_code == 400
    assert (await service.get("/healthz")).json() == {"ok": True}
    assert telegram_api.calls("sendMessage") == []


async def test_the_service_sets_its_webhook_and_command_menu(db, settings, telegram_api):
    public = settings.model_copy(update={"public_base_url": "https://bot.example.vn"})
    async with running_service(public):
        pass
    (webhook,) = telegram_api.calls("setWebhook")
    assert webhook.params["url"] == "https://bot.example.vn/webhook/telegram"
    assert webhook.params["secret_token"] == SECRET
    # the kinds the bot reads: button presses, edits of reports, being added to or removed from groups
    assert set(webhook.params["allowed_updates"]) >= {"message", "callback_query", "my_chat_member"}
    (menu,) = telegram_api.calls("setMyCommands")
    commands = {c["command"]: c["description"] for c in menu.params["commands"]}
    assert (
        commands["bc"].startswith("Báo cáo nhanh")
        and "ghinhan" in commands
        and "baocao" in commands
    )
    assert {"chuabaocao", "thanhvien", "ghichu", "moi", "tumoi"} <= set(commands)
    assert commands["ketnoi"] == "Kết nối nhóm chat với ấp, thôn hoặc xã"  # not only thôn


async def test_the_channels_close_their_connections_with_the_service(
    db, settings, telegram_api, zalo_api
):
    from bot.core.channel import SendError
    from bot.core.replies import Reply
    from cli.app import Service

    both = settings.model_copy(update={"zalo_bot_token": "1:z", "zalo_api_url": zalo_api.url})
    service = Service(both)
    for platform, chat_id in (("telegram", "501"), ("zalo", "a1b2")):
        await service.channels[platform].send(chat_id, Reply("xin chào"), {})
    await service.close()
    for platform, chat_id in (("telegram", "501"), ("zalo", "a1b2")):
        with pytest.raises((RuntimeError, SendError), match="closed|not initialized"):
            await service.channels[platform].send(chat_id, Reply("còn đó không?"), {})
    assert len(telegram_api.calls("sendMessage")) == len(zalo_api.calls("sendMessage")) == 1


async def test_help_fits_the_role(chat, telegram_api):
    """A member learns to report; a leader also to run the team, in the hamlet's own word."""
    seed = await seed_commune()
    member = TelegramUser(501, "Bình")
    await chat.send(member.message(f"/start {await invite(seed.hamlets[0], Role.MEMBER)}"))
    await chat.text(
        member.message(contact={"phone_number": "0912000002", "first_name": "Bình", "user_id": 501})
    )
    guide = await chat.text(member.message("/huongdan"))
    assert "/bc vneid 5" in guide and "Tiến độ ấp: /tiendo" in guide
    assert "/chuabaocao" not in guide and "/nhatky" not in guide
    leader = TelegramUser(500, "An")
    await chat.send(leader.message(f"/start {await invite(seed.hamlets[0], Role.LEADER)}"))
    welcome = await chat.text(
        leader.message(contact={"phone_number": "0912000001", "first_name": "An", "user_id": 500})
    )
    assert "Anh/chị báo cáo bằng /bc" in welcome and "/moi" in welcome
    guide = await chat.text(leader.message("/huongdan"))
    for command in ("/bc", "/chuabaocao", "/moi", "/thanhvien", "/baocao"):
        assert command in guide
    assert "Tổng hợp của ấp: /baocao" in guide and "/dieuchinh" in guide
