"""Link codes and merging two people into one (db/people.py), on the real database."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot import texts
from db.models import Identity, Level, LinkCode, Membership, Person, Report, Role, Unit, utcnow
from db.people import (
    LinkProblem,
    create_link_code,
    link_identity,
    lock_unlinked,
    merge_people,
    roster_names,
    unit_leaders,
)
from db.reports import save_report, totals, write_reports
from db.units import INVITE_ALPHABET, add_membership, create_unit, ensure_team

DAY = date(2026, 11, 20)


async def make_person(session, name: str, phone: str | None = None, **accounts: str) -> Person:
    person = Person(display_name=name, phone=phone)
    session.add(person)
    await session.flush()
    for platform, user_id in accounts.items():
        session.add(Identity(person_id=person.id, platform=platform, user_id=user_id))
    await session.flush()
    return person


async def teams(session, *names: str):
    commune = await create_unit(session, level=Level.COMMUNE, name="Xã Tân Phú", parent=None)
    return [
        await ensure_team(
            session,
            unit=await create_unit(session, level=Level.HAMLET, name=n, parent=commune),
            name=texts.TEAM_NAME.format(unit=n),
        )
        for n in names
    ]


async def report(session, person: Person, team, count: int, key: str) -> None:
    await save_report(
        session,
        person_id=person.id,
        team_id=team.id,
        activity_date=DAY,
        counts={"vneid": count},
        source="test",
        idempotency_key=key,
    )


async def test_a_link_code_is_short_fresh_and_replaces_older_ones(db):
    async with db() as session:
        person = await make_person(session, "Trần Thị Bình", telegram="501")
        other = await make_person(session, "Lê Văn Cường", telegram="502")
        stale = LinkCode(code="OLD234", person_id=other.id, expires_at=utcnow() - timedelta(1))
        session.add(stale)
        await create_link_code(session, person_id=person.id)
        second = await create_link_code(session, person_id=person.id)
        codes = (await session.exec(select(LinkCode))).all()
        assert [(c.code, c.person_id) for c in codes] == [(second.code, person.id)]
        assert len(second.code) == 6 and set(second.code) <= set(INVITE_ALPHABET)
        minutes = (second.expires_at - utcnow()).total_seconds() / 60
        assert minutes == pytest.approx(15, abs=0.1)


async def test_a_new_account_joins_the_person_and_the_code_is_spent(db):
    async with db() as session:
        person = await make_person(session, "Trần Thị Bình", telegram="501")
        link = await create_link_code(session, person_id=person.id)
        joined = await link_identity(
            session, code=f" {link.code.lower()} ", platform="zalo", user_id="z1", display_name="B"
        )
        assert joined.id == person.id
        accounts = (await session.exec(select(Identity).order_by(Identity.platform))).all()
        assert [(i.platform, i.user_id, i.person_id) for i in accounts] == [
            ("telegram", "501", person.id),
            ("zalo", "z1", person.id),
        ]
        with pytest.raises(LinkProblem, match="unknown"):
            await link_identity(session, code=link.code, platform="web", user_id="w1")


async def test_codes_that_cannot_be_used_are_refused_and_kept(db):
    async with db() as session:
        person = await make_person(session, "Trần Thị Bình", telegram="501", zalo="z1")
        await make_person(session, "Bình trên Telegram khác", telegram="777")
        link = await create_link_code(session, person_id=person.id)
        cases = [
            (dict(code="ZZZZZZ", platform="zalo", user_id="z9"), "unknown"),
            (dict(code=link.code, platform="zalo", user_id="z1"), "already"),
            (dict(code=link.code, platform="zalo", user_id="z2"), "same_platform"),
            (dict(code=link.code, platform="telegram", user_id="777"), "same_platform"),
        ]
        for arguments, problem in cases:
            with pytest.raises(LinkProblem, match=problem):
                await link_identity(session, **arguments)
        with pytest.raises(LinkProblem, match="expired"):
            await link_identity(
                session,
                code=link.code,
                platform="web",
                user_id="w1",
                now=utcnow() + timedelta(minutes=16),
            )
        assert (await session.exec(select(LinkCode.code))).all() == [link.code]
        assert len((await session.exec(select(Identity))).all()) == 3


async def test_merging_moves_everything_and_keeps_the_higher_role(db):
    async with db() as session:
        tan_hoa, phu_thanh, an_binh = await teams(
            session, "Ấp Tân Hòa", "Ấp Phú Thạnh", "Ấp An Bình"
        )
        first = await make_person(session, "Trần Thị Bình", telegram="501")
        second = await make_person(session, "Bình", "0912000002", zalo="z1")
        await add_membership(session, person=first, team=tan_hoa, role=Role.MEMBER, confirmed=False)
        await add_membership(session, person=first, team=phu_thanh, role=Role.LEADER)
        await add_membership(session, person=second, team=tan_hoa, role=Role.DEPUTY)
        await add_membership(session, person=second, team=phu_thanh, role=Role.MEMBER)
        moved = await add_membership(session, person=second, team=an_binh, role=Role.MEMBER)
        await report(session, first, tan_hoa, 2, "k1")
        await report(session, second, tan_hoa, 3, "k2")
        await report(session, second, an_binh, 4, "k3")
        await write_reports(session)
        session.add(LinkCode(code="ABC234", person_id=second.id, expires_at=utcnow()))
        await session.flush()
        second_id = second.id

        await merge_people(session, into=first, source_id=second_id)
        await session.commit()

    async with db() as session:
        assert await session.get(Person, second_id) is None
        merged = await session.get(Person, first.id)
        assert (merged.display_name, merged.phone) == ("Trần Thị Bình", "0912000002")
        rows = (await session.exec(select(Membership).order_by(Membership.team_id))).all()
        assert [(m.person_id, m.team_id, m.role, m.confirmed) for m in rows] == [
            (first.id, tan_hoa.id, "topho", True),
            (first.id, phu_thanh.id, "totruong", True),
            (first.id, an_binh.id, "thanhvien", True),
        ]
        assert rows[2].id == moved.id
        accounts = (await session.exec(select(Identity.platform, Identity.person_id))).all()
        assert sorted(accounts) == [("telegram", first.id), ("zalo", first.id)]
        assert set((await session.exec(select(Report.person_id))).all()) == {first.id}
        assert (await session.exec(select(LinkCode.person_id))).all() == [first.id]
        assert await totals(session, start=DAY, end=DAY, person_id=first.id) == {"vneid": 9}


async def test_merging_a_person_into_itself_changes_nothing(db):
    async with db() as session:
        person = await make_person(session, "Trần Thị Bình", telegram="501")
        await merge_people(session, into=person, source_id=person.id)
        assert (await session.exec(select(Person.id))).all() == [person.id]


async def test_roster_names_tell_who_is_linked_and_their_highest_role_anywhere(db):
    async with db() as session:
        hamlet, other = await teams(session, "Ấp Tân Hòa", "Ấp Phú Thạnh")
        an = await make_person(session, "Nguyễn Văn An", telegram="500")
        binh = await make_person(session, "Trần Thị Bình")
        cuc = await make_person(session, "Lê Thị Cúc")
        await add_membership(session, person=an, team=hamlet, role=Role.MEMBER)
        await add_membership(session, person=binh, team=hamlet, role=Role.MEMBER)
        await add_membership(session, person=binh, team=other, role=Role.LEADER)
        await add_membership(session, person=cuc, team=hamlet, role=Role.MEMBER, confirmed=False)
        names = await roster_names(session, team_id=hamlet.id)
        assert [(n.person.display_name, n.linked, n.top_role) for n in names] == [
            ("Nguyễn Văn An", True, Role.MEMBER),
            ("Trần Thị Bình", False, Role.LEADER),  # a leader elsewhere: not a member's claim
        ]
        assert await lock_unlinked(session, person_id=binh.id) is True
        assert await lock_unlinked(session, person_id=an.id) is False


async def test_unit_leaders_are_its_leaders_and_the_officials_just_above(db):
    async with db() as session:
        (hamlet,) = await teams(session, "Ấp Tân Hòa")
        unit = await session.get(Unit, hamlet.unit_id)
        commune = await session.get(Unit, unit.parent_id)
        commune_team = await ensure_team(
            session, unit=commune, name=texts.TEAM_NAME.format(unit=commune.name)
        )
        people = {}
        for name, team, role, user in [
            ("Tổ trưởng", hamlet, Role.LEADER, "1"),
            ("Tổ phó", hamlet, Role.DEPUTY, "2"),
            ("Thành viên", hamlet, Role.MEMBER, "3"),
            ("Cán bộ xã", commune_team, Role.OFFICIAL, "4"),
            ("Tổ trưởng xã", commune_team, Role.LEADER, "5"),
        ]:
            people[name] = await make_person(session, name, telegram=user, zalo=f"z{user}")
            await add_membership(session, person=people[name], team=team, role=role)
        found = await unit_leaders(session, unit=unit)
        assert [(i.platform, i.user_id) for i in found] == [
            ("telegram", "1"),
            ("zalo", "z1"),
            ("telegram", "2"),
            ("zalo", "z2"),
            ("telegram", "4"),
            ("zalo", "z4"),
        ]


def test_a_merge_moves_every_column_that_names_a_person():
    """A new table pointing at a person must be moved by merge_people, or the merge fails (the
    source person is deleted) or leaves rows pointing at nobody."""
    from sqlmodel import SQLModel

    from db.people import PERSON_COLUMNS

    merged_apart = {"membership.person_id", "report.person_id", "dailyreporter.person_id"}
    moved = {f"{c.class_.__tablename__}.{c.key}" for c in PERSON_COLUMNS}
    naming = {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if any(fk.column.table.name == "person" for fk in column.foreign_keys)
    }
    assert naming - merged_apart == moved
