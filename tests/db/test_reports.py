"""Saving reports (db/reports.py): queued as plain rows, written by `write_reports` (which the
readers here call first), on the real database."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from bot import texts
from db.models import Level, Person, Report, ReportLine
from db.reports import save_report, team_totals, totals, write_reports
from db.units import create_unit, ensure_team

DAY = date(2026, 11, 18)  # a Wednesday


async def member_and_teams(session, *names: str) -> tuple[Person, list]:
    commune = await create_unit(session, level=Level.COMMUNE, name="Xã Tân Phú", parent=None)
    teams = [
        await ensure_team(
            session,
            unit=await create_unit(session, level=Level.HAMLET, name=n, parent=commune),
            name=texts.TEAM_NAME.format(unit=n),
        )
        for n in names
    ]
    person = Person(display_name="Trần Thị Bình")
    session.add(person)
    await session.flush()
    return person, teams


async def one_member(db) -> tuple[int, int]:
    """A member and a hamlet team, committed; returns their ids."""
    async with db() as session:
        person, (team,) = await member_and_teams(session, "Ấp Tân Hòa")
        ids = person.id, team.id
        await session.commit()
    return ids


async def save(session, person_id: int, team_id: int, key: str, **counts: int) -> None:
    await save_report(
        session,
        person_id=person_id,
        team_id=team_id,
        activity_date=DAY,
        counts=counts,
        source="test",
        idempotency_key=key,
    )


async def test_queued_reports_are_seen_by_the_next_reader_and_written_once(db):
    async with db() as session:
        person, teams = await member_and_teams(session, "Ấp Tân Hòa", "Ấp Bình An")
        person, tan_hoa, binh_an = person.id, teams[0].id, teams[1].id
        await save(session, person, tan_hoa, "a", vneid=5, dvc=2)
        await save(session, person, binh_an, "b", vneid=1)
        await save(session, person, tan_hoa, "c", ho=0)  # nothing counted: no line
        found = await team_totals(session, start=DAY, end=DAY, team_ids={tan_hoa, binh_an})
        assert found == {tan_hoa: {"vneid": 5, "dvc": 2}, binh_an: {"vneid": 1}}
        await save(session, person, binh_an, "d", vneid=4)
        await write_reports(session)
        await session.commit()
    async with db() as session:
        assert await totals(session, start=DAY, end=DAY) == {"vneid": 10, "dvc": 2}
        reports = (await session.exec(select(Report).order_by(Report.id))).all()
        assert [(r.idempotency_key, r.team_id) for r in reports] == [
            ("a", tan_hoa),
            ("b", binh_an),
            ("c", tan_hoa),
            ("d", binh_an),
        ]
        lines = (
            await session.exec(
                select(ReportLine.report_id, func.count()).group_by(ReportLine.report_id)
            )
        ).all()
        assert dict(lines) == {reports[0].id: 2, reports[1].id: 1, reports[3].id: 1}


async def test_a_rollback_drops_the_queued_reports(db):
    person, team = await one_member(db)
    async with db() as session:
        await save(session, person, team, "a", vneid=5)
        await session.rollback()
        await save(session, person, team, "b", vneid=2)
        await write_reports(session)
        await session.commit()
    async with db() as session:
        keys = (await session.exec(select(Report.idempotency_key))).all()
        assert keys == ["b"]


async def test_nothing_is_written_but_by_write_reports(db):
    """No hook writes behind the caller's back: a commit alone keeps nothing, and what it left
    queued is not carried into the session's next transaction."""
    person, team = await one_member(db)
    async with db() as session:
        await save(session, person, team, "a", vneid=5)
        await session.commit()
        await save(session, person, team, "b", vneid=2)
        await write_reports(session)
        await session.commit()
    async with db() as session:
        keys = (await session.exec(select(Report.idempotency_key))).all()
        assert keys == ["b"]


async def test_a_second_save_of_one_update_fails_with_its_transaction(db):
    person, team = await one_member(db)
    async with db() as session:
        await save(session, person, team, "a", vneid=5)
        await save(session, person, team, "a", vneid=5)
        with pytest.raises(IntegrityError):
            await write_reports(session)
    async with db() as session:
        assert (await session.exec(select(func.count()).select_from(Report))).one() == 0
