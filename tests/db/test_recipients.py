"""Who scheduled posts go to (db/recipients.py): only reachable chats, one per person."""

from datetime import UTC, date, datetime

from bot import texts
from db.models import ChatGroup, Identity, Role
from db.recipients import (
    hamlet_members,
    reachable_groups,
    reachable_officials,
    silent_hamlet_groups,
)
from db.reports import save_report, write_reports
from db.units import add_membership, ensure_team
from tests.helpers import seed_commune

WEEK = (date(2026, 11, 16), date(2026, 11, 22))
GONE = datetime(2026, 11, 1, tzinfo=UTC)


async def commune(db):
    """Xã Tân Phú: An (an unreachable Zalo account, then Telegram 500) and Bình (Telegram 501) in
    Ấp Tân Hòa, Cường (no chat account) in Ấp Phú Thạnh, who reported this week; Bình is also
    the commune's official. Groups: -100 (Tân Hòa), -101 (Tân Hòa, bot removed), -200 (commune),
    -300 (Phú Thạnh)."""
    seed = await seed_commune()
    tan_hoa, phu_thanh = seed.hamlets
    an, binh, cuong = (seed.people[n] for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"))
    async with db() as session:
        session.add(Identity(person_id=an.id, platform="zalo", user_id="z", unreachable_at=GONE))
        await session.flush()
        session.add(Identity(person_id=an.id, platform="telegram", user_id="500"))
        session.add(Identity(person_id=binh.id, platform="telegram", user_id="501"))
        for chat_id, unit, gone in (
            ("-100", tan_hoa, None),
            ("-101", tan_hoa, GONE),
            ("-200", seed.commune, None),
            ("-300", phu_thanh, None),
        ):
            session.add(
                ChatGroup(
                    platform="telegram", chat_id=chat_id, unit_id=unit.id, unreachable_at=gone
                )
            )
        official_team = await ensure_team(
            session, unit=seed.commune, name=texts.TEAM_NAME.format(unit=seed.commune.name)
        )
        await add_membership(session, person=binh, team=official_team, role=Role.OFFICIAL)
        await add_membership(session, person=cuong, team=official_team, role=Role.OFFICIAL)
        await save_report(
            session,
            person_id=cuong.id,
            team_id=(
                await ensure_team(
                    session, unit=phu_thanh, name=texts.TEAM_NAME.format(unit=phu_thanh.name)
                )
            ).id,
            activity_date=date(2026, 11, 18),
            counts={"vneid": 4},
            source="test",
            idempotency_key="k",
        )
        await write_reports(session)
        await session.commit()
    return seed


async def test_hamlet_members_say_who_reported_and_their_first_reachable_chat(db):
    seed = await commune(db)
    async with db() as session:
        rows = await hamlet_members(session, commune_id=seed.commune.id, start=WEEK[0], end=WEEK[1])
    assert [(r.name, r.team_name, r.reported, r.platform, r.user_id) for r in rows] == [
        ("Nguyễn Văn An", "Ấp Tân Hòa", False, "telegram", "500"),
        ("Trần Thị Bình", "Ấp Tân Hòa", False, "telegram", "501"),
        ("Lê Văn Cường", "Ấp Phú Thạnh", True, None, None),
    ]


async def test_silent_groups_are_reachable_hamlet_groups_without_a_report(db):
    seed = await commune(db)
    async with db() as session:
        silent = await silent_hamlet_groups(
            session, commune_id=seed.commune.id, start=WEEK[0], end=WEEK[1]
        )
        later = await silent_hamlet_groups(
            session, commune_id=seed.commune.id, start=date(2026, 11, 23), end=date(2026, 11, 29)
        )
    assert [(g.chat_id, hamlet.name) for g, hamlet in silent] == [("-100", "Ấp Tân Hòa")]
    assert [g.chat_id for g, _ in later] == ["-100", "-300"]


async def test_reachable_groups_are_the_communes_and_its_hamlets(db):
    seed = await commune(db)
    async with db() as session:
        groups = await reachable_groups(session, commune_ids=[seed.commune.id])
    assert [(g.chat_id, unit.name) for g, unit in groups] == [
        ("-200", "Xã Tân Phú"),
        ("-100", "Ấp Tân Hòa"),
        ("-300", "Ấp Phú Thạnh"),
    ]


async def test_officials_are_listed_only_when_they_can_be_reached(db):
    seed = await commune(db)
    async with db() as session:
        officials = await reachable_officials(session, commune_id=seed.commune.id)
    assert officials == [(seed.people["Trần Thị Bình"].id, "telegram", "501")]
