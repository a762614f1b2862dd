"""/chuabaocao, /thanhvien, /ghichu and /moi through the router: who may see whom, in private and
in a group, with buttons and as numbered menus, at the injected clock (Wednesday 18/11/2026)."""

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from bot import texts
from bot.handlers.invites import qr_png
from db.media import live_media
from db.models import Invite, Outbox, Person, Role, Team, Unit
from db.session import session_scope
from db.units import add_membership
from tests.bot.dialogue import (
    AN,
    BINH,
    CUONG,
    NUMBERED,
    OFFICIAL,
    STRANGER,
    Dialogue,
    commune,
    data_of,
    linked_group,
)

WEEK = "Tuần 16/11–22/11/2026"
NUDGE = "/chuabaocao nhac 16/11/26-22/11/26"


async def with_unreachable_member(seed) -> None:
    """Đỗ Văn Dũng, on Ấp Tân Hòa's roster, has never used the bot."""
    async with session_scope() as session:
        person = Person(display_name="Đỗ Văn Dũng")
        session.add(person)
        await session.flush()
        team = (await session.exec(select(Team).where(Team.unit_id == seed.hamlets[0].id))).one()
        await add_membership(session, person=person, team=team, role=Role.MEMBER)
        await session.commit()


async def nudges() -> list[tuple[str, str]]:
    async with session_scope() as session:
        rows = (await session.exec(select(Outbox).order_by(Outbox.id))).all()
    return [(row.chat_id, row.payload["text"]) for row in rows if row.dedupe_key]


# --- /chuabaocao ---
async def test_a_leader_sees_who_in_the_hamlet_has_not_reported_and_reminds_them_once(db):
    seed = await commune()
    await with_unreachable_member(seed)
    chat = Dialogue()
    await chat.say(AN, "/bc vneid 2")
    [reply] = await chat.say(AN, "/chuabaocao")
    assert reply.text.splitlines() == [
        f"📋 Ấp Tân Hòa — {WEEK}",
        "Chưa báo cáo: 2/3 thành viên.",
        "• Trần Thị Bình",
        "• Đỗ Văn Dũng (chưa dùng bot, hãy nhắc trực tiếp)",
    ]
    assert data_of(reply) == [f"{NUDGE} {seed.hamlets[0].code}"]
    answer = await chat.text(AN, choice=data_of(reply)[0])
    assert answer.splitlines() == [
        "🔔 Đã nhắc riêng 1 người.",
        "1 người chưa dùng bot, hãy nhắc trực tiếp.",
    ]
    [(chat_id, text)] = await nudges()
    assert chat_id == BINH and text.startswith(f"👋 Chào Trần Thị Bình! {WEEK} bạn chưa gửi")
    again = await chat.text(AN, f"{NUDGE} {seed.hamlets[0].code}")
    assert "1 người đã được nhắc hôm nay" in again and "Đã nhắc riêng 0 người" in again
    assert len(await nudges()) == 1
    chat.now += timedelta(days=1)  # a new day: once more
    await chat.say(AN, f"{NUDGE} {seed.hamlets[0].code}")
    assert len(await nudges()) == 2


async def test_everyone_reported_and_a_past_week_cannot_be_nudged(db):
    seed = await commune()
    chat = Dialogue()
    await chat.say(AN, "/bc vneid 2")
    await chat.say(BINH, "/bc vneid 1")
    [reply] = await chat.say(AN, "/chuabaocao")
    assert reply.text.endswith("✅ Cả 2 thành viên đã báo cáo. Cảm ơn cả tổ!")
    assert reply.choices == ()
    [last_week] = await chat.say(AN, "/chuabaocao tuantruoc")
    assert "Chưa báo cáo: 2/2" in last_week.text and last_week.choices == ()
    code = seed.hamlets[0].code
    assert await chat.text(AN, f"/chuabaocao nhac 9/11/26-15/11/26 {code}") == (
        texts.NUDGE_ONLY_NOW
    )


async def test_the_official_sees_each_hamlet_and_reminds_on_a_numbered_menu(db):
    seed = await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await chat.say(AN, "/bc vneid 2")
    [reply] = await chat.say(OFFICIAL, "/chuabaocao")
    assert reply.text.splitlines() == [
        f"📋 Xã Tân Phú — {WEEK}",
        "Chưa báo cáo: 2/3 thành viên.",
        "",
        "Ấp Tân Hòa: 1/2",
        "• Trần Thị Bình",
        "",
        "Ấp Phú Thạnh: 1/1",
        "• Lê Văn Cường",
    ]
    assert data_of(reply) == [f"{NUDGE} {seed.commune.code}"]
    assert await chat.text(OFFICIAL, "1") == "🔔 Đã nhắc riêng 2 người."
    assert sorted(chat_id for chat_id, _ in await nudges()) == [BINH, CUONG]


async def test_in_a_group_only_counts_are_shown(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    [reply] = await chat.say(AN, "/chuabaocao", group=True)
    assert reply.text.splitlines() == [
        f"📋 Ấp Tân Hòa — {WEEK}",
        "Chưa báo cáo: 2/2 thành viên.",
        texts.MISSING_GROUP_CHEER,
    ]
    assert reply.choices == ()
    assert await chat.text(AN, "/chuabaocao nhac", group=True) == (
        texts.TEAM_PRIVATE_ONLY.format(command="chuabaocao")
    )
    # the official in the hamlet's group: counts too, never a name
    text = await chat.text(OFFICIAL, "/chuabaocao", group=True)
    assert "Bình" not in text and "An" not in text.replace("Ấp Tân Hòa", "")


# --- the access matrix ---
@pytest.mark.parametrize("command", ["chuabaocao", "thanhvien", "ghichu", "moi"])
async def test_members_and_strangers_are_told_who_may_use_it(db, command):
    await commune()
    chat = Dialogue()
    assert await chat.text(BINH, f"/{command}") == texts.TEAM_LEADERS_ONLY.format(command=command)
    assert await chat.text(STRANGER, f"/{command}") == texts.NOT_JOINED


@pytest.mark.parametrize("command", ["chuabaocao", "thanhvien", "ghichu", "moi"])
async def test_a_leader_sees_only_their_hamlet(db, command):
    seed = await commune()
    other, commune_code = seed.hamlets[1], seed.commune.code
    chat = Dialogue()
    for code in (other.code, commune_code):
        refused = await chat.text(AN, f"/{command} {code}")
        unit = other.name if code == other.code else seed.commune.name
        assert refused == texts.TEAM_NOT_YOURS.format(unit=unit, mine="Ấp Tân Hòa", you="Anh/chị")


async def test_a_member_never_sees_the_names_of_the_silent_even_in_a_group(db):
    seed = await commune()
    await linked_group(seed)
    chat = Dialogue()
    assert "Cường" not in await chat.text(BINH, "/chuabaocao")
    assert await chat.text(BINH, "/chuabaocao", group=True) == texts.TEAM_LEADERS_ONLY.format(
        command="chuabaocao"
    )


# --- /thanhvien ---
async def test_members_with_their_totals_and_last_report(db):
    seed = await commune()
    chat = Dialogue()
    chat.now -= timedelta(days=9)  # Monday 9/11, the week before
    await chat.say(BINH, "/bc vneid 7")
    chat.now += timedelta(days=9)
    await chat.say(AN, "/bc vneid 3 dvc 2")
    await chat.say(AN, "/bc vneid 1")
    [reply] = await chat.say(AN, "/thanhvien")
    assert reply.text.splitlines() == [
        f"👥 Ấp Tân Hòa — {WEEK}",
        "• Nguyễn Văn An (tổ trưởng): VNeID 4 · Dịch vụ công 2 · báo cáo gần nhất 18/11/2026",
        "• Trần Thị Bình: chưa có · báo cáo gần nhất 09/11/2026",
    ]
    official = await chat.text(OFFICIAL, "/thanhvien")
    assert "\nẤp Tân Hòa (2 người)\n" in official and "\nẤp Phú Thạnh (1 người)\n" in official
    assert "• Lê Văn Cường (tổ trưởng): chưa có · báo cáo gần nhất chưa có" in official
    await linked_group(seed)
    assert await chat.text(AN, "/thanhvien", group=True) == texts.TEAM_PRIVATE_ONLY.format(
        command="thanhvien"
    )


# --- /ghichu ---
async def guided(chat: Dialogue, user: str, note: str, photo: str) -> None:
    """A guided report of today, VNeID 1, with a note and a photo."""
    await chat.say(user, "/ghinhan")
    await chat.say(user, choice="day:0")
    await chat.say(user, choice="ind:vneid")
    await chat.say(user, "1")
    await chat.say(user, choice="note")
    await chat.say(user, note or "-", photo=photo)
    await chat.say(user, choice="done")
    await chat.say(user, choice="yes")


async def test_notes_and_photos_by_hamlet_from_the_summary_button(db):
    await commune()
    chat = Dialogue(capabilities=NUMBERED)
    await guided(chat, BINH, "gặp bà Tư, sđt 0912345678", "zalo:https://cdn.example/p1.jpg")
    await guided(chat, AN, "", "telegram:AgACAgIAAxkBAAI")
    await chat.say(CUONG, "/bc vneid 1 ho 2 ghi chú nhà văn hóa")
    [summary] = await chat.say(OFFICIAL, "/baocao")
    assert data_of(summary)[-1] == "/ghichu 16/11/26-22/11/26 28468"
    text = await chat.text(OFFICIAL, str(len(summary.choices)))
    assert "0912345678" not in text
    assert text.splitlines()[0] == "📝 Ghi chú & ảnh — Xã Tân Phú — tuần 16/11–22/11/2026"
    assert "\nẤp Tân Hòa\n• 18/11 Trần Thị Bình: gặp bà Tư, sđt " in text
    assert "\n  📷 https://cdn.example/p1.jpg\n• 18/11 Nguyễn Văn An: (chỉ có ảnh)\n" in text
    assert "  📷 ảnh gửi qua Telegram\n" in text
    assert "\nẤp Phú Thạnh\n• 18/11 Lê Văn Cường: nhà văn hóa" in text
    leader = await chat.text(CUONG, "/ghichu")
    assert "Phú Thạnh" in leader and "Bình" not in leader
    [member_summary] = await chat.say(BINH, "/baocao")
    assert "/ghichu" not in " ".join(data_of(member_summary))


# --- /moi ---
async def test_a_leader_invites_members_and_deputies_to_their_hamlet(db):
    seed = await commune()
    chat = Dialogue()
    chat.settings = chat.settings.model_copy(update={"telegram_bot_username": "@TcnBot"})
    text_reply, qr = await chat.say(AN, "/moi topho 3")
    async with session_scope() as session:
        invite = (await session.exec(select(Invite))).one()
        media = await live_media(session, media_id=qr.image.media_id)
    assert (invite.unit_id, invite.role, invite.max_uses) == (seed.hamlets[0].id, "topho", 3)
    assert text_reply.text.splitlines()[0] == f"🎟️ Mã mời tổ phó vào Ấp Tân Hòa: {invite.code}"
    assert f"/thamgia {invite.code}" in text_reply.text
    assert f"https://t.me/TcnBot?start={invite.code}" in text_reply.text
    assert media.data == qr_png(f"https://t.me/TcnBot?start={invite.code}")
    assert media.data.startswith(b"\x89PNG")
    assert await chat.text(AN, "/moi totruong") == texts.INVITE_ROLE_NOT_ALLOWED
    assert await chat.text(AN, "/moi canbo") == texts.INVITE_ROLE_NOT_ALLOWED
    assert "Số lượt mời" in await chat.text(AN, "/moi thanhvien 99")
    await linked_group(seed)
    in_group = await chat.text(AN, "/moi", group=True)
    assert in_group == texts.TEAM_PRIVATE_ONLY.format(command="moi")
    assert "Không hiểu «sếp»" in await chat.text(AN, "/moi sếp")


async def test_an_official_picks_the_hamlet_from_a_numbered_menu(db):
    seed = await commune()
    chat = Dialogue(capabilities=NUMBERED)  # no username set: the code alone
    [menu] = await chat.say(OFFICIAL, "/moi totruong")
    assert menu.text == texts.INVITE_WHICH_UNIT
    assert data_of(menu) == [f"/moi totruong 1 {h.code}" for h in seed.hamlets]
    [made] = await chat.say(OFFICIAL, "2")
    assert made.image is None and "t.me" not in made.text
    assert "Mã mời tổ trưởng vào Ấp Phú Thạnh" in made.text
    [office] = await chat.say(OFFICIAL, "/moi canbo")
    assert "Mã mời cán bộ vào Xã Tân Phú" in office.text
    wrong = await chat.text(OFFICIAL, f"/moi canbo 1 {seed.hamlets[0].code}")
    assert wrong.startswith("Cán bộ chỉ mời vào xã, phường trở lên")
    async with session_scope() as session:
        units = {
            (await session.get(Unit, i.unit_id)).name: i.role
            for i in (await session.exec(select(Invite))).all()
        }
    assert units == {"Ấp Phú Thạnh": "totruong", "Xã Tân Phú": "canbo"}


def test_the_qr_code_is_a_png_that_grows_with_the_text():
    small, large = qr_png("x"), qr_png("https://t.me/TcnBot?start=" + "A" * 60)
    assert small.startswith(b"\x89PNG") and len(io.BytesIO(large).getvalue()) > len(small)
