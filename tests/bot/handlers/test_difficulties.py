"""/vuongmac and /huongdan through the router at an injected clock: raising (masked), who is
told, taking and answering, resolving, the knowledge base, access, and escalation by the clock."""

from datetime import timedelta

from sqlmodel import select

from bot import texts
from config import get_settings
from db.models import Difficulty, DifficultyEvent, Identity, Outbox, Person, Role
from db.session import session_scope
from db.units import add_membership, ensure_team
from scheduler.jobs import run_sweeps
from tests.bot.dialogue import AN, BINH, CUONG, OFFICIAL, PLATFORM, WEDNESDAY, Dialogue, commune


def private_to(replies, user: str) -> list[str]:
    return [r.text for r in replies if r.private_to == f"{PLATFORM}:{user}"]


async def difficulty() -> Difficulty:
    async with session_scope() as session:
        return (await session.exec(select(Difficulty))).one()


async def test_one_line_is_masked_stored_and_reaches_leader_and_official(db):
    await commune()
    chat = Dialogue()
    replies = await chat.say(
        BINH, "/vuongmac app VNeID báo lỗi, dân số 0912345678 CCCD 012345678901"
    )
    stored = await difficulty()
    assert (stored.category, stored.state) == ("vneid", "open")
    assert "0912345678" not in stored.text and "012345678901" not in stored.text
    assert "*******678" in stored.text
    assert replies[0].text == texts.DIFFICULTY_RAISED.format(number=stored.id, category="VNeID lỗi")
    (to_an,) = private_to(replies, AN)
    (to_official,) = private_to(replies, OFFICIAL)
    assert to_an == to_official and "Trần Thị Bình" in to_an and "0912345678" not in to_an
    assert not private_to(replies, CUONG)  # another hamlet's leader is not told
    buttons = next(r for r in replies if r.private_to == f"{PLATFORM}:{AN}").choices
    assert [c.data for c in buttons] == [
        f"/vuongmac nhan {stored.id}",
        f"/vuongmac xong {stored.id}",
    ]


async def test_guided_flow_take_answer_resolve_and_the_how_to(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/vuongmac")
    await chat.say(BINH, choice="/vuongmac moi")
    await chat.say(BINH, choice="cat:vneid")
    await chat.say(BINH, "không nhận OTP")
    number = (await difficulty()).id
    taken = await chat.say(OFFICIAL, choice=f"/vuongmac nhan {number}")
    assert private_to(taken, BINH) == [
        texts.DIFFICULTY_TAKEN_MEMBER.format(handler="Phạm Cán Bộ", number=number)
    ]
    answered = await chat.say(OFFICIAL, "Cập nhật app rồi đăng nhập lại")
    assert "Cập nhật app rồi đăng nhập lại" in private_to(answered, BINH)[0]
    resolved = await chat.say(OFFICIAL, choice=f"/vuongmac xong {number}")
    assert [c.data for c in resolved[0].choices] == [f"/huongdan luu {number}"]
    assert await chat.text(OFFICIAL, f"/huongdan luu {number}") == texts.HOW_TO_SAVED.format(
        topic="vneid"
    )
    assert "Cập nhật app" in await chat.text(BINH, "/huongdan vneid")
    # the next member on that topic gets it at once
    again = await chat.text(AN, "/vuongmac VNeID không vào được")
    assert texts.HOW_TO_FOUND.format(topic="vneid", text="Cập nhật app rồi đăng nhập lại") in again
    async with session_scope() as session:
        kinds = (
            await session.exec(
                select(DifficultyEvent.kind).where(DifficultyEvent.difficulty_id == number)
            )
        ).all()
    assert kinds == ["raised", "taken", "answer", "resolved"]
    assert texts.DIFFICULTY_STATES["resolved"] in await chat.text(BINH, f"/vuongmac {number}")


async def test_a_member_never_sees_another_hamlets_difficulties(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/vuongmac thiếu điện thoại cho dân")
    number = (await difficulty()).id
    assert "thiếu điện thoại" in await chat.text(AN, "/vuongmac")  # same hamlet
    assert "thiếu điện thoại" in await chat.text(OFFICIAL, "/vuongmac")
    other = await chat.text(CUONG, "/vuongmac")
    assert "thiếu điện thoại" not in other and other.startswith(texts.DIFFICULTY_LIST_EMPTY)
    assert await chat.text(CUONG, f"/vuongmac {number}") == texts.DIFFICULTY_UNKNOWN.format(
        number=number
    )
    assert await chat.text(CUONG, f"/vuongmac nhan {number}") == texts.DIFFICULTY_UNKNOWN.format(
        number=number
    )
    assert "#" not in await chat.text(CUONG, f"/vuongmac traloi {number} xin chào")
    assert (await difficulty()).state == "open"


async def test_open_ones_with_their_age_appear_in_baocao(db):
    await commune()
    await Dialogue().say(BINH, "/vuongmac mạng yếu")
    later = Dialogue(now=WEDNESDAY + timedelta(days=2))
    assert texts.OPEN_DIFFICULTIES.format(n=1, age="2 ngày") in await later.text(
        OFFICIAL, "/baocao"
    )
    assert "2 ngày" in await later.text(AN, "/vuongmac")


async def escalated_rows() -> list[Outbox]:
    async with session_scope() as session:
        rows = (
            await session.exec(select(Outbox).where(Outbox.dedupe_key.like("difficulty:%")))
        ).all()
    return list(rows)


async def test_unanswered_after_the_delay_goes_one_level_up_once(db):
    seed = await commune()
    async with session_scope() as session:  # an official at the province
        person = Person(display_name="Sở Thông Tin")
        session.add(person)
        await session.flush()
        team = await ensure_team(session, unit=seed.province, name="Tổ tỉnh")
        await add_membership(session, person=person, team=team, role=Role.OFFICIAL)
        session.add(Identity(person_id=person.id, platform=PLATFORM, user_id="u-province"))
        await session.commit()
    await Dialogue().say(BINH, "/vuongmac người dân chưa đồng ý cài app")
    settings = get_settings()
    days = settings.difficulty_escalate_days
    await run_sweeps(now=WEDNESDAY + timedelta(days=days) - timedelta(minutes=1), settings=settings)
    assert await escalated_rows() == []
    await run_sweeps(now=WEDNESDAY + timedelta(days=days, minutes=1), settings=settings)
    await run_sweeps(now=WEDNESDAY + timedelta(days=days, minutes=2), settings=settings)
    rows = await escalated_rows()
    assert sorted(r.chat_id for r in rows) == ["u-binh", "u-province"]
    told = next(r for r in rows if r.chat_id == "u-binh").payload["text"]
    assert "Đồng Tháp" in told and f"{days} ngày" in told
    assert (await difficulty()).escalated_at is not None


async def test_a_taken_difficulty_is_not_escalated(db):
    await commune()
    chat = Dialogue()
    await chat.say(BINH, "/vuongmac mạng yếu")
    await chat.say(AN, f"/vuongmac nhan {(await difficulty()).id}")
    await run_sweeps(now=WEDNESDAY + timedelta(days=10), settings=get_settings())
    assert await escalated_rows() == []
