"""Joining as an attacker would (issue #19): a member invite, or none, never ends with a leader's,
deputy's or official's rights, nor with another person's identity, on any path that links a chat
account to a person. Real service over HTTP, fake Telegram and Zalo platforms."""

import re

import pytest
from sqlmodel import select

from db.models import Identity, Membership, Person, Role
from db.session import session_scope
from tests.helpers import TelegramUser, invite, roster_invite, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat as TelegramChat
from tests.webhook.test_telegram_e2e import buttons
from tests.webhook.test_zalo_e2e import ZaloChat, ZaloUser, settings_for

GROUP = -100200300
THANH, BINH = "Đặng Thị Thành", "Trần Thị Bình"
ROSTER = {
    "Ấp Tân Hòa": [(THANH, "0912000009", Role.LEADER), (BINH, "0912000002", Role.MEMBER)],
    "Ấp Phú Thạnh": [],
}
ATTACKER_TG = TelegramUser(666, "Kẻ Giả")
ATTACKER_ZALO = ZaloUser("ffee00ddcc11bbaa2299", "Kẻ Giả")


@pytest.fixture
async def chats(db, database_url, zalo_api, telegram_api):
    async with running_service(settings_for(database_url, zalo_api, telegram_api)) as client:
        yield TelegramChat(client, telegram_api), ZaloChat(client, zalo_api)


@pytest.fixture
async def world(chats):
    """Thành, the leader, joined on Telegram; Hà is the commune official."""
    telegram, _ = chats
    seed = await seed_commune(ROSTER)
    thanh = TelegramUser(500, "Thành")
    await telegram.send(thanh.message(f"/thamgia {await roster_invite(seed.people[THANH])}"))
    welcome = await telegram.text(thanh.press(f"person:{seed.people[THANH].id}"))
    assert welcome.startswith(f"Chào mừng {THANH} tham gia Ấp Tân Hòa với vai trò tổ trưởng")
    official = TelegramUser(509, "Hà")
    await telegram.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    return seed


async def account_rights(platform: str, user_id: str) -> tuple[int | None, set[str]]:
    """The person behind an account and the roles that person holds anywhere."""
    async with session_scope() as session:
        identity = (
            await session.exec(
                select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
            )
        ).first()
        if identity is None:
            return None, set()
        query = select(Membership.role).where(Membership.person_id == identity.person_id)
        return identity.person_id, set((await session.exec(query)).all())


async def assert_no_more_than_a_member(seed, platform: str, user_id: str) -> None:
    person_id, roles = await account_rights(platform, user_id)
    assert roles <= {Role.MEMBER.value}
    assert person_id not in {p.id for p in seed.people.values() if p.display_name == THANH}


def by_chat(calls) -> dict[str, str]:
    return {str(c.params["chat_id"]): c.params["text"] for c in calls}


async def test_the_reported_attack_a_member_invite_on_zalo_cannot_claim_the_leader(chats, world):
    telegram, zalo = chats
    code = await invite(world.hamlets[0], Role.MEMBER)
    question = await zalo.text(ATTACKER_ZALO.message(f"/thamgia {code}"))
    assert THANH not in question  # linked on Telegram, and a leader: never offered
    assert question.startswith("Danh sách tổ Ấp Tân Hòa đã có các tên dưới đây. Bạn là ai?\n")
    assert "gõ /lienket ở ứng dụng đó" in question
    assert re.search(rf"^1\. {BINH}$", question, re.M)
    retyped = await zalo.text(ATTACKER_ZALO.message(THANH))  # her name typed is no choice
    assert THANH not in retyped and BINH in retyped
    await assert_no_more_than_a_member(world, "zalo", ATTACKER_ZALO.user_id)


async def test_a_name_claimed_meanwhile_is_refused_and_everyone_is_told(chats, world):
    telegram, zalo = chats
    code = await invite(world.hamlets[0], Role.MEMBER)
    offered = await telegram.send(ATTACKER_TG.message(f"/thamgia {code}"))
    binh = world.people[BINH].id
    assert (BINH, f"person:{binh}") in buttons(offered[-1])
    binh_zalo = ZaloUser("99887766554433221100", "Bình")
    names = await zalo.text(
        binh_zalo.message(f"/thamgia {await roster_invite(world.people[BINH])}")
    )
    assert (await zalo.text(binh_zalo.message("1"))).startswith(f"Chào mừng {BINH}")
    assert BINH in names
    told = by_chat(await telegram.send(ATTACKER_TG.press(f"person:{binh}")))
    assert told["666"].startswith(f"Tên {BINH} đã gắn với một tài khoản khác")
    assert told["500"].startswith(f"⚠️ Có người (Kẻ Giả, trên Telegram) nhận là {BINH}")
    assert told["509"] == told["500"]  # the commune official too
    assert zalo.api.sent_texts(binh_zalo.user_id)[-1].startswith(
        f"⚠️ Có người (Kẻ Giả, trên Telegram) vừa nhận là {BINH} khi tham gia Ấp Tân Hòa."
    )
    assert await account_rights("telegram", "666") == (None, set())


async def test_a_forged_button_for_a_name_not_offered_claims_nothing(chats, world):
    telegram, _ = chats
    code = await invite(world.hamlets[0], Role.MEMBER)
    await telegram.send(ATTACKER_TG.message(f"/thamgia {code}"))
    forged = await telegram.text(ATTACKER_TG.press(f"person:{world.people[THANH].id}"))
    assert forged.startswith("Nút này đã cũ.")
    assert await account_rights("telegram", "666") == (None, set())


async def test_a_leaders_name_needs_a_leaders_invite(chats, db):
    telegram, zalo = chats
    seed = await seed_commune(ROSTER)
    official = TelegramUser(509, "Hà")
    await telegram.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    code = await invite(seed.hamlets[0], Role.MEMBER)
    offered = await telegram.send(ATTACKER_TG.message(f"/thamgia {code}"))
    assert [label for label, _ in buttons(offered[-1])] == [BINH, "Tôi không có trong danh sách"]
    async with session_scope() as session:  # the roster makes Bình deputy meanwhile
        row = (
            await session.exec(
                select(Membership).where(Membership.person_id == seed.people[BINH].id)
            )
        ).one()
        row.role = Role.DEPUTY
        session.add(row)
        await session.commit()
    told = by_chat(await telegram.send(ATTACKER_TG.press(f"person:{seed.people[BINH].id}")))
    assert told["666"] == (
        f"Tên {BINH} có vai trò tổ phó trong danh sách, nên cần mã mời dành cho tổ phó "
        "(xin cán bộ xã). Bot chưa ghi nhận bạn; đã báo tổ trưởng."
    )
    assert told["509"] == (
        f"⚠️ Có người (Kẻ Giả, trên Telegram) nhận là {BINH} (tổ phó) trong Ấp Tân Hòa "
        "bằng mã mời thành viên. Bot đã từ chối. Vui lòng kiểm tra."
    )
    assert await account_rights("telegram", "666") == (None, set())
    # The real leader, with the invite her row needs, still joins by her name.
    thanh = ZaloUser("00112233445566778899", "Thành")
    names = await zalo.text(thanh.message(f"/thamgia {await roster_invite(seed.people[THANH])}"))
    (number,) = re.findall(rf"^(\d+)\. {THANH}$", names, re.M)
    welcome = await zalo.text(thanh.message(number))
    assert welcome.startswith(f"Chào mừng {THANH} tham gia Ấp Tân Hòa với vai trò tổ trưởng")


async def test_a_shared_phone_matches_the_roster_row_with_its_own_role(chats, db):
    telegram, _ = chats
    seed = await seed_commune(ROSTER)
    thanh = TelegramUser(500, "Thành")
    await telegram.send(thanh.message(f"/start {await invite(seed.hamlets[0], Role.MEMBER)}"))
    someone_else = {"phone_number": "0912000009", "first_name": "T", "user_id": 42}
    again = await telegram.send(thanh.message(contact=someone_else))  # not her own: no match
    assert again[-1].params["text"].startswith("Danh sách tổ Ấp Tân Hòa")
    own = {"phone_number": "+84 912 000 009", "first_name": "Thành", "user_id": 500}
    welcome = await telegram.text(thanh.message(contact=own))
    assert welcome.startswith(f"Chào mừng {THANH} tham gia Ấp Tân Hòa với vai trò tổ trưởng")
    assert await account_rights("telegram", "500") == (seed.people[THANH].id, {"totruong"})


async def test_a_shared_phone_of_a_linked_person_is_refused(chats, world):
    telegram, _ = chats
    second = TelegramUser(777, "Thành 2")
    await telegram.send(second.message(f"/start {await invite(world.hamlets[0], Role.MEMBER)}"))
    own = {"phone_number": "0912000009", "first_name": "Thành", "user_id": 777}
    told = by_chat(await telegram.send(second.message(contact=own)))
    assert told["777"].startswith(f"Tên {THANH} đã gắn với một tài khoản khác")
    assert "/lienket" in told["777"]
    assert told["500"].startswith("⚠️ Có người (Thành 2, trên Telegram) vừa nhận là")
    assert await account_rights("telegram", "777") == (None, set())


async def test_joining_in_a_linked_group_gives_a_member_at_most(chats, db):
    telegram, _ = chats
    seed = await seed_commune(
        {"Ấp Tân Hòa": [*ROSTER["Ấp Tân Hòa"], ("Lê Thị Cúc", None, Role.MEMBER)]}
    )
    official = TelegramUser(509, "Hà")
    await telegram.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    await telegram.send(official.message(f"/ketnoi {seed.hamlets[0].code}", GROUP))
    calls = await telegram.send(ATTACKER_TG.message("/thamgia", GROUP))
    cuc = seed.people["Lê Thị Cúc"].id
    assert buttons(calls[-1]) == [
        ("Lê Thị Cúc", f"person:{cuc}"),
        (BINH, f"person:{seed.people[BINH].id}"),
        ("Tôi không có trong danh sách", "none"),
    ]
    forged = await telegram.text(ATTACKER_TG.press(f"person:{seed.people[THANH].id}", GROUP))
    assert forged.startswith("Nút này đã cũ hoặc là của người khác trong nhóm.")
    await telegram.send(ATTACKER_TG.press("none", GROUP))
    await assert_no_more_than_a_member(seed, "telegram", "666")
    person_id, roles = await account_rights("telegram", "666")
    assert person_id is not None and roles == {"thanhvien"}  # a new person, waiting to be confirmed


async def test_a_leaked_link_code_used_from_an_app_the_owner_has_is_refused_and_told(chats, world):
    telegram, zalo = chats
    thanh_zalo = ZaloUser("00112233445566778899", "Thành")
    (given,) = await telegram.send(TelegramUser(500, "Thành").message("/lienket"))
    code = re.search(r"/lienket ([A-Z2-9]{6})$", given.params["text"], re.M).group(1)
    done = await zalo.text(thanh_zalo.message(f"/lienket {code}"))
    assert done.startswith(f"✅ Đã liên kết tài khoản này với {THANH}.")
    (again,) = await telegram.send(TelegramUser(500, "Thành").message("/lienket"))
    leaked = re.search(r"/lienket ([A-Z2-9]{6})$", again.params["text"], re.M).group(1)
    before = len(telegram.api.sent_texts(500))
    refused = await zalo.text(ATTACKER_ZALO.message(f"/lienket {leaked}"))
    assert refused.startswith("Không liên kết được")
    assert telegram.api.sent_texts(500)[before:] == [
        f"⚠️ Có người (Kẻ Giả, trên Zalo) vừa dùng mã liên kết của {THANH} nhưng bị từ chối. "
        "Nếu bạn không đưa mã cho ai, hãy báo tổ trưởng."
    ]
    assert zalo.api.sent_texts(thanh_zalo.user_id)[-1].startswith("⚠️ Có người (Kẻ Giả, trên Zalo)")
    assert await account_rights("zalo", ATTACKER_ZALO.user_id) == (None, set())
    async with session_scope() as session:
        thanh = await session.get(Person, world.people[THANH].id)
        assert thanh is not None
