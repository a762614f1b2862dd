"""/chuabaocao, /moi, /thanhvien and «Xem ghi chú & ảnh» end to end: the real app over HTTP with
Telegram (buttons) and Zalo (numbered menus) at once, against fake Bot APIs.

An (leader, Ấp Tân Hòa) and Cường (leader, Ấp Phú Thạnh) are on Telegram, Bình (member, Ấp Tân
Hòa) on Zalo; the commune's official on both. Only An has reported this week.
"""

from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import ChatGroup, Identity, Invite
from db.reports import save_report, write_reports
from db.session import session_scope
from db.units import ensure_team
from tests.clock import TODAY
from tests.helpers import TelegramUser, add_official, outbox_settled, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat, buttons
from tests.webhook.test_zalo_e2e import ZaloChat, ZaloUser, number_of, settings_for

AN, CUONG, OFFICIAL = TelegramUser(500, "An"), TelegramUser(502, "Cường"), TelegramUser(700, "CB")
BINH, OFFICIAL_Z = ZaloUser("6ede9afa66b88fe6d6a9", "Bình"), ZaloUser("0a0b0c0d0e0f", "CB")
STRANGER = TelegramUser(999, "Lạ")
HAMLET_GROUP = -100111
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock


@pytest.fixture
async def apps(db, database_url, telegram_api, zalo_api):
    """(Telegram chat, Zalo chat) on one running service."""
    settings = settings_for(database_url, zalo_api, telegram_api).model_copy(
        update={"telegram_bot_username": "TcnBot"}
    )
    async with running_service(settings) as client:
        yield Chat(client, telegram_api), ZaloChat(client, zalo_api)


async def seed() -> object:
    found = await seed_commune()
    async with session_scope() as session:
        official = await add_official(session, found.commune)
        people = {**found.people, "official": official}
        for platform, user, name in [
            ("telegram", str(AN.user_id), "Nguyễn Văn An"),
            ("telegram", str(CUONG.user_id), "Lê Văn Cường"),
            ("zalo", BINH.user_id, "Trần Thị Bình"),
            ("telegram", str(OFFICIAL.user_id), "official"),
            ("zalo", OFFICIAL_Z.user_id, "official"),
        ]:
            session.add(Identity(person_id=people[name].id, platform=platform, user_id=user))
        session.add(
            ChatGroup(platform="telegram", chat_id=str(HAMLET_GROUP), unit_id=found.hamlets[0].id)
        )
        team = await ensure_team(session, unit=found.hamlets[0], name="Tổ Tân Hòa")
        await save_report(
            session,
            person_id=people["Nguyễn Văn An"].id,
            team_id=team.id,
            activity_date=TODAY - timedelta(days=1),
            counts={"vneid": 3},
            source="telegram",
            idempotency_key="seed:an",
            note="nhà bà Năm",
            photo_ref="zalo:https://cdn.example/an.jpg",
        )
        await write_reports(session)
        await session.commit()
    return found


def texts_to(api, chat_id: str) -> list[str]:
    return [c.params["text"] for c in api.calls() if str(c.params.get("chat_id")) == chat_id]


async def test_a_leader_on_telegram_reminds_a_member_on_zalo_once(apps, zalo_api):
    telegram, _ = apps
    found = await seed()
    [listed] = await telegram.send(AN.message("/chuabaocao"))
    assert listed.params["text"].splitlines()[1:] == [
        "Chưa báo cáo: 1/2 thành viên.",
        "• Trần Thị Bình",
    ]
    [(label, data)] = buttons(listed)
    assert label == "🔔 Nhắc họ" and data.endswith(found.hamlets[0].code)
    assert await telegram.text(AN.press(data)) == "🔔 Đã nhắc riêng 1 người."
    await outbox_settled()
    [nudge] = texts_to(zalo_api, BINH.user_id)
    assert nudge.startswith("👋 Chào Trần Thị Bình! Tuần ")
    again = await telegram.text(AN.press(data))
    assert "đã được nhắc hôm nay" in again
    await outbox_settled()
    assert len(texts_to(zalo_api, BINH.user_id)) == 1
    group = await telegram.text(AN.message("/chuabaocao", HAMLET_GROUP))
    assert "Chưa báo cáo: 1/2" in group and "Bình" not in group


async def test_the_official_on_zalo_sees_each_hamlet_and_reminds_by_number(
    apps, telegram_api, zalo_api
):
    _, zalo = apps
    await seed()
    listed = await zalo.text(OFFICIAL_Z.message("/chuabaocao"))
    assert "Ấp Tân Hòa: 1/2\n• Trần Thị Bình" in listed
    assert "Ấp Phú Thạnh: 1/1\n• Lê Văn Cường" in listed
    number = number_of(listed, "🔔 Nhắc họ")
    calls = await zalo.send(OFFICIAL_Z.message(number))
    by_chat = {c.params["chat_id"]: c.params["text"] for c in calls}
    assert by_chat[OFFICIAL_Z.user_id] == "🔔 Đã nhắc riêng 2 người."
    await outbox_settled()
    assert texts_to(zalo_api, BINH.user_id)[0].startswith("👋 Chào Trần Thị Bình!")
    [nudge] = texts_to(telegram_api, str(CUONG.user_id))
    assert nudge.startswith("👋 Chào Lê Văn Cường!")
    assert "Bình" not in await zalo.text(BINH.message("/chuabaocao"))


async def test_an_invite_on_telegram_with_its_deep_link_and_qr_is_used_to_join(apps):
    telegram, _ = apps
    await seed()
    text, photo = await telegram.send(AN.message("/moi thanhvien 3"))
    async with session_scope() as session:
        invite = (await session.exec(select(Invite))).one()
    assert (invite.role, invite.max_uses) == ("thanhvien", 3)
    link = f"https://t.me/TcnBot?start={invite.code}"
    assert link in text.params["text"] and photo.method == "sendPhoto"
    assert photo.files["photo"][1].startswith(b"\x89PNG")
    # the link opens the bot with "/start CODE": the join flow begins
    joined = await telegram.text(STRANGER.message(f"/start {invite.code}"))
    assert "Ấp Tân Hòa" in joined
    refused = await telegram.text(AN.message("/moi totruong"))
    assert refused == "Tổ trưởng, tổ phó chỉ mời được thành viên và tổ phó của tổ mình."


async def test_an_official_on_zalo_picks_the_hamlet_by_number_and_gets_the_qr(apps, zalo_api):
    _, zalo = apps
    await seed()
    menu = await zalo.text(OFFICIAL_Z.message("/moi topho 2"))
    calls = await zalo.send(OFFICIAL_Z.message(number_of(menu, "Ấp Phú Thạnh")))
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    assert "Mã mời tổ phó vào Ấp Phú Thạnh" in calls[0].params["text"]
    assert "/media/" in calls[1].params["photo"]
    assert await zalo.text(BINH.message("/moi")) == (
        "Lệnh /moi dành cho tổ trưởng, tổ phó và cán bộ xã. "
        "Kết quả của bạn: /toi; số liệu của tổ: /baocao."
    )


async def test_members_with_their_totals_on_both_apps_and_never_in_a_group(apps):
    telegram, zalo = apps
    await seed()
    leader = await telegram.text(AN.message("/thanhvien"))
    yesterday = f"{TODAY - timedelta(days=1):%d/%m/%Y}"
    assert f"• Nguyễn Văn An (tổ trưởng): VNeID 3 · báo cáo gần nhất {yesterday}" in leader
    assert "• Trần Thị Bình: chưa có" in leader and "Cường" not in leader
    official = await zalo.text(OFFICIAL_Z.message("/thanhvien"))
    assert "Ấp Tân Hòa (2 người)" in official and "Ấp Phú Thạnh (1 người)" in official
    group = await telegram.text(AN.message("/thanhvien", HAMLET_GROUP))
    assert "chỉ dùng khi nhắn riêng" in group


async def test_notes_and_photos_from_the_summary_on_both_apps(apps):
    telegram, zalo = apps
    await seed()
    [summary] = await telegram.send(OFFICIAL.message("/baocao"))
    label, data = buttons(summary)[-1]
    assert label == "📝 Xem ghi chú & ảnh"
    notes = await telegram.text(OFFICIAL.press(data))
    assert "Nguyễn Văn An: nhà bà Năm\n  📷 https://cdn.example/an.jpg" in notes
    summary_z = await zalo.text(OFFICIAL_Z.message("/baocao"))
    notes_z = await zalo.text(OFFICIAL_Z.message(number_of(summary_z, "📝 Xem ghi chú & ảnh")))
    assert notes_z == notes
    assert "📝" not in await zalo.text(BINH.message("/baocao"))  # a member: no names of others
