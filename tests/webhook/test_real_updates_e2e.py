"""Real Telegram update shapes end to end (issue #25): the real app over HTTP, the real database,
python-telegram-bot against the fake Bot API. Shapes from https://core.telegram.org/bots/api."""

import itertools
from datetime import timedelta

import pytest
from sqlmodel import select

from bot import texts
from bot.core.replies import Reply
from config import Settings
from db.models import ChatGroup, Outbox, RateSlot, Report
from db.outbox import enqueue
from db.session import session_scope
from tests.helpers import SECRET, TelegramUser, outbox_settled, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat, join_as_member

GROUP = -100200300
pytestmark = pytest.mark.usefixtures("fixed_clock")
COLLEAGUE = {"type": "user", "date": 1763870000, "sender_user": {"id": 777, "is_bot": False}}
COLLEAGUE["sender_user"]["first_name"] = "Lê"
UPDATE_IDS = itertools.count(880000)
PRIVATE_CHAT = {"id": 501, "type": "private", "first_name": "Bình"}


@pytest.fixture
async def chat(db, telegram_api, database_url) -> Chat:
    settings = Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        database_url=database_url,
    )
    async with running_service(settings) as client:
        yield Chat(client, telegram_api)


async def reports() -> list[Report]:
    async with session_scope() as session:
        return list((await session.exec(select(Report))).all())


async def test_a_forwarded_report_is_never_stored(chat: Chat, telegram_api):
    """Bot API: Message.forward_origin (MessageOriginUser) on a forwarded `/bc`."""
    seed = await seed_commune()
    member = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, member, "Trần Thị Bình")
    update = member.message("/bc vneid 5 dvc 3", forward_origin=COLLEAGUE)
    assert await chat.text(update) == texts.FORWARDED_NOT_REPORT
    in_group = member.message("/bc vneid 5 dvc 3", GROUP, forward_origin=COLLEAGUE)
    assert await chat.send(in_group) == []
    assert await reports() == []
    assert "Đã ghi nhận" in await chat.text(member.message("/bc vneid 5 dvc 3"))
    assert len(await reports()) == 1


async def test_an_update_the_library_cannot_read_is_acknowledged_and_logged(
    chat: Chat, telegram_api, caplog
):
    """Real current shapes PTB 22 rejects: a photo without `file_unique_id` (PhotoSize), a
    `business_message` without `date`. Telegram would retry a 400 and then drop the update."""
    user = TelegramUser(501, "Bình", "Nguyễn Thị Riêng")
    photo = user.message(caption="ảnh", photo=[{"file_id": "AgAD", "width": 90, "height": 90}])
    business = {"update_id": 424242, "business_message": {"message_id": 1, "chat": PRIVATE_CHAT}}
    caplog.set_level("WARNING", logger="webhook.telegram")
    assert await chat.send(photo) == []
    assert await chat.send(business) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "webhook.telegram"]
    assert lines == [
        f"Telegram update {photo['update_id']} (message) not readable, skipped: TypeError: "
        "PhotoSize.__init__() missing 1 required positional argument: 'file_unique_id'",
        "Telegram update 424242 (business_message) not readable, skipped: KeyError: 'date'",
    ]
    assert not any("Riêng" in line or "Bình" in line for line in lines)
    await chat.send({"no_update_id": 1, "message": {}}, expect_status=400)
    assert "/thamgia" in await chat.text(user.message("/bc vneid 5"))  # the next one is read


NEW_GROUP = -1001234567890


async def linked_leader(chat: Chat) -> TelegramUser:
    seed = await seed_commune()
    leader = TelegramUser(500, "An")
    await join_as_member(chat, seed, leader, "Nguyễn Văn An")
    assert "Đã kết nối nhóm này với Ấp Tân Hòa" in await chat.text(leader.message("/ketnoi", GROUP))
    return leader


async def group_chat_ids() -> list[str]:
    async with session_scope() as session:
        return list((await session.exec(select(ChatGroup.chat_id))).all())


async def test_a_group_upgraded_to_a_supergroup_keeps_its_link(chat: Chat, telegram_api):
    """Bot API: Message.migrate_to_chat_id (in the old group), migrate_from_chat_id (in the new)."""
    leader = await linked_leader(chat)
    assert await chat.send(leader.message(chat_id=GROUP, migrate_to_chat_id=NEW_GROUP)) == []
    assert await group_chat_ids() == [str(NEW_GROUP)]
    from_old = leader.message(chat_id=NEW_GROUP, migrate_from_chat_id=GROUP)
    from_old["message"]["chat"]["type"] = "supergroup"
    assert await chat.send(from_old) == []  # the second notice finds nothing left to move
    assert await group_chat_ids() == [str(NEW_GROUP)]
    again = await chat.text(leader.message("/ketnoi", NEW_GROUP))
    assert again == "Nhóm này đã kết nối với Ấp Tân Hòa rồi."


async def test_a_send_refused_as_migrated_goes_to_the_new_chat(chat: Chat, telegram_api):
    """Bot API error: 400 with ResponseParameters.migrate_to_chat_id (PTB raises ChatMigrated)."""
    leader = await linked_leader(chat)
    telegram_api.fail_next(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=GROUP,
        migrate_to_chat_id=NEW_GROUP,
    )
    calls = await chat.send(leader.message("/huongdan", GROUP))
    assert [(c.params["chat_id"], c.status) for c in calls] == [
        (str(GROUP), 400),
        (str(NEW_GROUP), 200),
    ]
    assert calls[0].params["text"] == calls[1].params["text"]
    assert await group_chat_ids() == [str(NEW_GROUP)]
    async with session_scope() as session:
        slots = set((await session.exec(select(RateSlot.key))).all())
        rows = (await session.exec(select(Outbox.chat_id, Outbox.status))).all()
    assert f"telegram:chat:{NEW_GROUP}" in slots and f"telegram:chat:{GROUP}" not in slots
    assert (str(NEW_GROUP), "sent") in rows
    assert all(chat_id != str(GROUP) for chat_id, _ in rows if _ != "sent")


async def test_answers_in_a_forum_topic_stay_in_the_topic(chat: Chat, telegram_api):
    """Bot API: Message.message_thread_id and is_topic_message; sendMessage.message_thread_id."""
    user = TelegramUser(501, "Bình")
    update = user.message("/huongdan", NEW_GROUP, message_thread_id=42, is_topic_message=True)
    update["message"]["chat"].update(type="supergroup", is_forum=True)
    calls = await chat.send(update)
    assert calls and all(c.params.get("message_thread_id") == "42" for c in calls)
    async with session_scope() as session:
        payloads = (await session.exec(select(Outbox.payload))).all()
    assert [p.get("thread_id") for p in payloads] == ["42"] * len(calls)
    private = await chat.send(user.message("/huongdan"))
    assert all("message_thread_id" not in c.params for c in private)


async def test_a_stale_button_is_answered_in_the_press_not_in_the_chat(chat: Chat, telegram_api):
    """Bot API: answerCallbackQuery (text, show_alert), returned as the webhook's response."""
    user = TelegramUser(501, "Bình")
    assert await chat.send(user.press("day:0")) == []
    assert chat.last_response.json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": chat.last_response.json()["callback_query_id"],
        "text": texts.STALE_BUTTON,
        "show_alert": True,
    }
    assert telegram_api.calls("sendMessage") == []


BOT = {"id": 123456, "is_bot": True, "first_name": "Tổ Công Nghệ", "username": "ToCongNgheBot"}


def bot_status(user: TelegramUser, old: str, new: str, at: int = 1763880000) -> dict:
    """Bot API: Update.my_chat_member (ChatMemberUpdated) for the bot in GROUP."""
    change = {"chat": {"id": GROUP, "type": "group", "title": "Nhóm ấp"}, "from": user._user()}
    change.update(date=at, old_chat_member={"user": BOT, "status": old})
    change["new_chat_member"] = {"user": BOT, "status": new, "until_date": 0}
    return {"update_id": next(UPDATE_IDS), "my_chat_member": change}


async def test_the_bot_greets_a_group_that_adds_it_and_stops_when_removed(chat: Chat, telegram_api):
    leader = await linked_leader(chat)
    removed = await chat.send(bot_status(leader, "member", "left", at=1763880100))
    assert removed == []
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup))).one()
        assert group.unreachable_at is not None
    async with session_scope() as session:  # a job's post queued for the group is not sent
        post = await enqueue(
            session, platform="telegram", chat_id=str(GROUP), reply=Reply("Tuần này"), is_group=True
        )
        await session.commit()
    await outbox_settled()
    async with session_scope() as session:
        assert (await session.get(Outbox, post)).status == "unreachable"
    back = await chat.send(bot_status(leader, "left", "member", at=1763880200))
    assert back == []  # linked already: no greeting, reachable again
    assert "/ketnoi" in await chat.text(leader.message("/huongdan", GROUP))

    newcomer = TelegramUser(777, "Mới")
    other = {"id": -4009998887, "type": "group", "title": "Nhóm mới"}
    added = bot_status(newcomer, "left", "member", at=1763880300)
    added["my_chat_member"]["chat"] = other
    [greeting] = await chat.send(added)
    assert (greeting.params["chat_id"], greeting.params["text"]) == (
        str(other["id"]),
        texts.BOT_ADDED_TO_GROUP,
    )
    service_message = newcomer.message(new_chat_members=[BOT], date=1763880300)
    service_message["message"]["chat"] = other
    assert await chat.send(service_message) == []  # the same change: greeted once


async def test_an_anonymous_admin_is_told_to_use_a_personal_account(chat: Chat, telegram_api):
    """Bot API: Message.sender_chat (the group itself) for an anonymous administrator."""
    update = TelegramUser(501, "Bình").message("/baocao", GROUP)
    group = update["message"]["chat"]
    update["message"].update(
        sender_chat=group, **{"from": {"id": 1087968824, "is_bot": True, "first_name": "Group"}}
    )
    assert await chat.text(update) == texts.ANONYMOUS_SENDER
    update = TelegramUser(501, "Bình").message("chào cả nhà", GROUP)
    update["message"]["sender_chat"] = group
    assert await chat.send(update) == []


def edited(update: dict, text: str) -> dict:
    """Bot API: Update.edited_message, the same message_id with new text and an edit_date."""
    message = {**update["message"], "text": text, "edit_date": 1763880600}
    return {"update_id": next(UPDATE_IDS), "edited_message": message}


async def test_an_edited_report_replaces_it_within_the_window(chat: Chat, telegram_api):
    seed = await seed_commune()
    member = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, member, "Trần Thị Bình")
    original = member.message("/bc vneid 5 dvc 3")
    assert "VNeID 5" in await chat.text(original)
    reply = await chat.text(edited(original, "/bc vneid 6 dvc 3"))
    assert reply.startswith("✏️ Đã sửa báo cáo ngày") and "VNeID 6" in reply
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 6, Dịch vụ công 3" in reply
    reply = await chat.text(edited(original, "/bc@ToCongNgheBot\nvneid 7 dvc 3"))
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 7, Dịch vụ công 3" in reply
    rows = sorted(await reports(), key=lambda r: r.id)
    assert [(r.retracted, r.replaces_id) for r in rows] == [
        (True, None),
        (True, rows[0].id),
        (False, rows[1].id),
    ]
    assert rows[0].edited_at is not None
    chatter = member.message("chào cả nhà", GROUP)
    await chat.send(chatter)
    assert await chat.send(edited(chatter, "/bc vneid 9")) == []  # not a report's message
    assert len(await reports()) == 3


async def test_an_edit_after_the_window_changes_nothing(chat: Chat, telegram_api):
    seed = await seed_commune()
    member = TelegramUser(501, "Bình")
    await join_as_member(chat, seed, member, "Trần Thị Bình")
    original = member.message("/bc vneid 5")
    await chat.send(original)
    async with session_scope() as session:
        report = (await session.exec(select(Report))).one()
        report.created_at = report.created_at - timedelta(hours=49)  # RETRACT_HOURS is 48
        session.add(report)
        await session.commit()
    assert await chat.send(edited(original, "/bc vneid 8")) == []
    assert [r.retracted for r in await reports()] == [False]
