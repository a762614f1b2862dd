"""Notices and difficulties end to end, over HTTP, on Telegram and Zalo at once: the real app,
the real database, fake Telegram and Zalo Bot APIs. Everyone has an account on one app."""

import pytest

from bot import texts
from config import Settings
from db.models import ChatGroup, Identity
from db.session import session_scope
from tests.helpers import TelegramUser, add_official, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat as TelegramChat
from tests.webhook.test_telegram_e2e import buttons
from tests.webhook.test_zalo_e2e import ZaloChat, ZaloUser, number_of, settings_for

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock

OFFICIAL = TelegramUser(700, "Cán Bộ")
AN = TelegramUser(701, "An")  # leads Ấp Tân Hòa, on Telegram
BINH = ZaloUser("6ede9afa66b88fe6d6a9", "Bình Trần")  # member of Ấp Tân Hòa, on Zalo
CUONG = ZaloUser("1f2e3d4c5b6a79880716", "Cường Lê")  # leads Ấp Phú Thạnh, on Zalo
TELEGRAM_GROUP, ZALO_GROUP = -100200300, "9a8b7c6d5e4f3a2b1c0d"


async def people_on_both_apps() -> None:
    """The seeded commune, an official, each person on one app, a group per hamlet and app."""
    seed = await seed_commune()
    async with session_scope() as session:
        official = await add_official(session, seed.commune)
        accounts = [
            (official.id, "telegram", str(OFFICIAL.user_id)),
            (seed.people["Nguyễn Văn An"].id, "telegram", str(AN.user_id)),
            (seed.people["Trần Thị Bình"].id, "zalo", BINH.user_id),
            (seed.people["Lê Văn Cường"].id, "zalo", CUONG.user_id),
        ]
        for person_id, platform, user_id in accounts:
            session.add(Identity(person_id=person_id, platform=platform, user_id=user_id))
        session.add(
            ChatGroup(platform="telegram", chat_id=str(TELEGRAM_GROUP), unit_id=seed.hamlets[0].id)
        )
        session.add(ChatGroup(platform="zalo", chat_id=ZALO_GROUP, unit_id=seed.hamlets[1].id))
        await session.commit()


@pytest.fixture
async def chats(db, database_url, zalo_api, telegram_api):
    settings: Settings = settings_for(database_url, zalo_api, telegram_api)
    await people_on_both_apps()
    async with running_service(settings) as client:
        yield TelegramChat(client, telegram_api), ZaloChat(client, zalo_api)


async def send_notice(telegram: TelegramChat, text: str, audience: str, mode: str) -> str:
    await telegram.send(OFFICIAL.message(f"/thongbao {text}"))
    await telegram.send(OFFICIAL.press(f"to:{audience}"))
    return await telegram.text(OFFICIAL.press(f"mode:{mode}"))


async def test_every_target_gets_a_notice_once_on_both_apps(chats, telegram_api, zalo_api):
    telegram, _ = chats
    await send_notice(telegram, "Họp tổ 8h sáng mai", "groups", "send")
    assert telegram_api.sent_texts(TELEGRAM_GROUP) == [
        "📢 Thông báo #1 — Xã Tân Phú (Phạm Cán Bộ)\nHọp tổ 8h sáng mai"
    ]
    assert zalo_api.sent_texts(ZALO_GROUP) == telegram_api.sent_texts(TELEGRAM_GROUP)
    await send_notice(telegram, "Nộp danh sách", "members", "send")
    for api, user in (
        (telegram_api, AN.user_id),
        (zalo_api, BINH.user_id),
        (zalo_api, CUONG.user_id),
    ):
        assert [t for t in api.sent_texts(user) if "Nộp danh sách" in t] != []
        assert len([t for t in api.sent_texts(user) if "Nộp danh sách" in t]) == 1
    assert not [t for t in telegram_api.sent_texts(OFFICIAL.user_id) if "📢" in t]  # not the sender
    await send_notice(telegram, "Chỉ tổ trưởng", "leaders", "send")
    assert [t for t in zalo_api.sent_texts(BINH.user_id) if "Chỉ tổ trưởng" in t] == []
    assert len([t for t in zalo_api.sent_texts(CUONG.user_id) if "Chỉ tổ trưởng" in t]) == 1
    assert len([t for t in telegram_api.sent_texts(AN.user_id) if "Chỉ tổ trưởng" in t]) == 1


async def test_acknowledged_by_button_and_by_number_then_one_reminder(
    chats, telegram_api, zalo_api
):
    telegram, zalo = chats
    await send_notice(
        telegram, "Nhận tài liệu tập huấn https://example.vn/tl.pdf", "members", "ack"
    )
    (to_an,) = [
        c for c in telegram_api.calls("sendMessage") if str(c.params["chat_id"]) == str(AN.user_id)
    ]
    assert buttons(to_an) == [(texts.BTN_ACK, "/danhan 1")]
    on_zalo = zalo_api.sent_texts(BINH.user_id)[-1]
    assert "https://example.vn/tl.pdf" in on_zalo and "1. ✅ Đã nhận" in on_zalo
    assert await telegram.text(AN.press("/danhan 1")) == texts.ACK_DONE.format(number=1)
    assert await zalo.text(BINH.message(number_of(on_zalo, "✅ Đã nhận"))) == texts.ACK_DONE.format(
        number=1
    )
    status = await telegram.text(OFFICIAL.message("/thongbao 1"))
    assert status.startswith(
        "Thông báo #1: 2/3 người đã nhận.\n• Ấp Tân Hòa: 2/2\n• Ấp Phú Thạnh: 0/1"
    )
    reminded = await telegram.text(OFFICIAL.press("/thongbao nhac 1"))
    assert reminded == texts.NOTICE_REMINDED.format(n=1, number=1)
    assert texts.NOTICE_REMINDER in zalo_api.sent_texts(CUONG.user_id)[-1]
    before = len(zalo_api.calls())
    again = await telegram.text(OFFICIAL.press("/thongbao nhac 1"))
    assert again == texts.NOTICE_ALREADY_REMINDED.format(number=1)
    assert len(zalo_api.calls()) == before


async def test_a_long_notice_is_split_for_zalo(chats, telegram_api, zalo_api):
    telegram, _ = chats
    long = "\n".join(f"Dòng {i:02}: " + "nội dung thông báo dài " * 3 for i in range(25))[:1985]
    await send_notice(telegram, long, "leaders", "send")
    pieces = zalo_api.sent_texts(CUONG.user_id)
    assert len(pieces) == 2 and all(len(p) <= 2000 for p in pieces)
    assert len(telegram_api.sent_texts(AN.user_id)) == 1  # Telegram takes 4,096 characters


async def test_a_difficulty_from_zalo_is_answered_on_telegram(chats, telegram_api, zalo_api):
    telegram, zalo = chats
    raised = await zalo.text(BINH.message("/vuongmac app VNeID báo lỗi, SĐT dân 0912345678"))
    assert raised.startswith(texts.DIFFICULTY_RAISED.format(number=1, category="VNeID lỗi"))
    (to_an,) = [
        c for c in telegram_api.calls("sendMessage") if str(c.params["chat_id"]) == str(AN.user_id)
    ]
    assert "0912345678" not in to_an.params["text"] and "*******678" in to_an.params["text"]
    assert buttons(to_an) == [
        (texts.BTN_TAKE, "/vuongmac nhan 1"),
        (texts.BTN_RESOLVE, "/vuongmac xong 1"),
    ]
    assert zalo_api.sent_texts(CUONG.user_id) == []  # another hamlet's leader
    await telegram.send(AN.press("/vuongmac nhan 1"))
    assert zalo_api.sent_texts(BINH.user_id)[-1] == texts.DIFFICULTY_TAKEN_MEMBER.format(
        handler="Nguyễn Văn An", number=1
    )
    await telegram.send(AN.message("Gỡ app, cài lại bản mới"))
    assert "Gỡ app, cài lại bản mới" in zalo_api.sent_texts(BINH.user_id)[-1]
    await telegram.send(AN.press("/vuongmac xong 1"))
    assert zalo_api.sent_texts(BINH.user_id)[-1].startswith("✅ Vướng mắc #1")
    listing = await zalo.text(CUONG.message("/vuongmac"))
    assert "VNeID" not in listing
