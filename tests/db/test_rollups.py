"""Day totals (db.rollups) against the reports they sum, after random reports, edits,
retractions and merges of two people, each change in its own transaction as the bot makes them."""

import asyncio
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from alembic import command
from sqlmodel import select

from db.member_counts import COUNTRY_ID, member_counts
from db.migrate import alembic_config
from db.models import (
    DailyReporter,
    DailyTotal,
    HamletTarget,
    Identity,
    Indicator,
    Level,
    Membership,
    PeriodCount,
    Person,
    ProvinceTotal,
    Report,
    ReportLine,
    Target,
    Unit,
)
from db.models import Team as TeamRow
from db.outbox import mark_unreachable
from db.people import add_identity, merge_people, platforms
from db.period_reporters import periods_of
from db.reports import retract, save_report, write_reports
from db.rows import COUNTRY, province_map, row_level, row_map, row_units
from db.summary import unit_counts
from db.tallies import period_counts, tallies
from db.targets import TargetValue, set_targets, target_parts
from db.units import add_membership, confirm_membership, create_unit, ensure_team
from tests.helpers import ON_POSTGRES

FIRST_DAY = date(2026, 11, 2)
DAYS = 28


async def _world(session) -> tuple[list[Unit], list[TeamRow], list[int]]:
    """A province with two communes of two hamlets; teams on hamlets, a commune and the province."""
    province = await create_unit(session, level=Level.PROVINCE, name="Tỉnh", parent=None, code="91")
    units = [province]
    for c in range(2):
        commune = await create_unit(session, level=Level.COMMUNE, name=f"Xã {c}", parent=province)
        units.append(commune)
        for h in range(2):
            units.append(
                await create_unit(session, level=Level.HAMLET, name=f"Thôn {h}", parent=commune)
            )
    teams = [
        await ensure_team(session, unit=unit, name=unit.name)
        for unit in units
        if unit.level != Level.COMMUNE or unit.name == "Xã 0"
    ]
    people = []
    for n in range(14):
        someone = Person(display_name=f"Người {n}")
        session.add(someone)
        await session.flush()
        await add_membership(session, person=someone, team=teams[n % len(teams)], role="thanhvien")
        people.append(someone.id)
    return units, teams, people


async def _member_change(session, rng: random.Random, teams, people: list[int], n: int) -> None:
    """A membership added or raised, a joiner confirmed, an account added or found unreachable."""
    roll = rng.random()
    if roll < 0.35:
        person = await session.get(Person, rng.choice(people))
        role = rng.choice(["thanhvien", "topho", "totruong", "canbo"])
        team = rng.choice(teams)
        await add_membership(session, person=person, team=team, role=role, confirmed=roll < 0.25)
    elif roll < 0.45:
        waiting = (await session.exec(select(Membership).where(~Membership.confirmed))).all()
        if waiting:
            await confirm_membership(session, membership=rng.choice(waiting))
    elif roll < 0.7:
        platform, person_id = rng.choice(["telegram", "zalo"]), rng.choice(people)
        if platform not in await platforms(session, person_id=person_id):
            await add_identity(
                session, person_id=person_id, platform=platform, user_id=f"u{n}", name=""
            )
    else:
        accounts = (await session.exec(select(Identity))).all()
        if accounts:
            account = rng.choice(accounts)
            row = SimpleNamespace(
                is_group=False, platform=account.platform, chat_id=account.user_id
            )
            await mark_unreachable(session, row, at=datetime(2026, 11, 5, tzinfo=UTC))


async def _target_change(session, rng: random.Random, units: list[Unit]) -> None:
    """A few targets set, replaced or removed (0) at once, on any unit, in November's periods."""
    indicators = (await session.exec(select(Indicator.id))).all()
    periods = [
        ("month", date(2026, 11, 1)),
        ("month", date(2026, 10, 1)),
        ("year", date(2026, 1, 1)),
    ]
    await set_targets(
        session,
        targets=[
            TargetValue(rng.choice(units).id, rng.choice(indicators[:3]), *rng.choice(periods), v)
            for v in rng.choices([0, 10, 25, 40], k=rng.randrange(1, 5))
        ],
    )


async def _change(
    session, rng: random.Random, teams, people: list[int], codes, n: int, units=()
) -> None:
    """One random change: a new report, an edit, a retraction, a merge or a member change."""
    await write_reports(session)
    standing = (await session.exec(select(Report).where(~Report.retracted))).all()
    roll = rng.random()
    if roll > 0.88 and units:
        await _target_change(session, rng, units)
        return
    if roll > 0.7:
        await _member_change(session, rng, teams, people, n)
        return
    if roll < 0.15 and standing:
        await retract(session, report=rng.choice(standing))
        return
    if roll < 0.2 and len(people) > 2:
        source = people.pop(rng.randrange(len(people)))
        into = await session.get(Person, rng.choice(people))
        await merge_people(session, into=into, source_id=source)
        return
    replaces = rng.choice(standing) if roll < 0.4 and standing else None
    counts = {code: rng.choice([0, 0, 1, 2, 5, 9]) for code in rng.sample(codes, 3)}
    await save_report(
        session,
        person_id=replaces.person_id if replaces else rng.choice(people),
        team_id=replaces.team_id if replaces else rng.choice(teams).id,
        activity_date=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        counts=counts,  # all zero at times: a report with no line still counts as a report
        source="test",
        idempotency_key=f"random:{n}",
        replaces=replaces,
    )


async def _expected(session) -> tuple[dict, dict, dict]:
    """The day totals computed here, from every standing report and its lines: per commune, per
    person and commune, per province (the world has one, above everything)."""
    query = (
        select(
            Report.id, Report.person_id, Report.activity_date, Unit.level, Unit.id, Unit.parent_id
        )
        .join(TeamRow, TeamRow.id == Report.team_id)
        .join(Unit, Unit.id == TeamRow.unit_id)
        .where(~Report.retracted)
    )
    totals: dict = defaultdict(lambda: [0, 0])
    reporters: dict = defaultdict(int)
    where = {}
    for report_id, person_id, day, level, unit_id, parent_id in (await session.exec(query)).all():
        commune = parent_id if level == Level.HAMLET else unit_id
        where[report_id] = (commune, day)
        reporters[(commune, day, person_id)] += 1
    for report_id, indicator_id, count in (
        await session.exec(select(ReportLine.report_id, ReportLine.indicator_id, ReportLine.count))
    ).all():
        if report_id in where:
            total = totals[(*where[report_id], indicator_id)]
            total[0] += count
            total[1] += 1
    province = (await session.exec(select(Unit.id).where(Unit.level == Level.PROVINCE))).one()
    provinces: dict = defaultdict(lambda: (0, 0))
    for (_commune, day, indicator), (total, reports) in totals.items():
        before = provinces[(province, day, indicator)]
        provinces[(province, day, indicator)] = (before[0] + total, before[1] + reports)
    return {key: tuple(v) for key, v in totals.items()}, dict(reporters), dict(provinces)


async def _kept(session) -> tuple[dict, dict, dict]:
    totals, provinces = [
        {
            (r.unit_id, r.day, r.indicator_id): (r.total, r.reports)
            for r in (await session.exec(select(model))).all()
        }
        for model in (DailyTotal, ProvinceTotal)
    ]
    reporters = {
        (r.unit_id, r.day, r.person_id): r.reports
        for r in (await session.exec(select(DailyReporter))).all()
    }
    return totals, reporters, provinces


async def _expected_periods(session) -> dict:
    """Reporters and reports per calendar period and unit (0: the country), from the reports."""
    units = {u.id: u for u in (await session.exec(select(Unit))).all()}
    query = (
        select(Report.person_id, Report.activity_date, TeamRow.unit_id)
        .join(TeamRow, TeamRow.id == Report.team_id)
        .where(~Report.retracted)
    )
    people: dict = defaultdict(set)
    reports: dict = defaultdict(int)
    for person, day, unit_id in (await session.exec(query)).all():
        above, unit = [COUNTRY_ID], units[unit_id]
        while unit is not None:
            if unit.level != Level.HAMLET:
                above.append(unit.id)
            unit = units.get(unit.parent_id)
        for kind, start, _ in periods_of(day):
            for unit_id in above:
                people[(kind, start, unit_id)].add(person)
                reports[(kind, start, unit_id)] += 1
    return {key: (len(found), reports[key]) for key, found in people.items()}


async def _kept_periods(session) -> dict:
    rows = (await session.exec(select(PeriodCount))).all()
    return {(r.kind, r.start, r.unit_id): (r.reporters, r.reports) for r in rows}


async def _expected_hamlet_targets(session) -> dict:
    query = select(Unit.parent_id, Target).join(Unit, Unit.id == Target.unit_id)
    found: dict = defaultdict(int)
    for commune, t in (await session.exec(query.where(Unit.level == Level.HAMLET))).all():
        found[(commune, t.indicator_id, t.period_kind, t.period_start)] += t.value
    return dict(found)


async def _kept_hamlet_targets(session) -> dict:
    rows = (await session.exec(select(HamletTarget))).all()
    return {(r.unit_id, r.indicator_id, r.period_kind, r.period_start): r.value for r in rows}


async def _parts(session, unit: Unit, start: date, end: date, *, rolled: bool) -> list:
    """The target parts a summary pro-rates, from the communes' hamlet sums or not."""
    level = row_level(unit)
    rows = row_map(unit, level, hamlets=not rolled)
    parts = await target_parts(session, rows=rows, start=start, end=end, hamlets_summed=rolled)
    return sorted(parts, key=repr)


async def _figures(session, unit: Unit, start: date, end: date, *, rolled: bool):
    """Counts, reports, reporters and members per row and whole, from the day totals or not.

    A team of the unit itself is no row: it counts in the whole only (kept members have no row)."""
    level = row_level(unit)
    mapped = row_map(unit, level)
    source = row_map(unit, level, hamlets=False) if rolled else mapped
    if rolled and unit.level == COUNTRY:  # as db.summary: the country from the province totals
        periods = [(start, end)]
        counts = await period_counts(
            session, rows=province_map(), periods=periods, rolled=ProvinceTotal
        )
    else:
        counts = await period_counts(session, rows=source, periods=[(start, end)], rolled=rolled)
    rows = [row.id for row in await row_units(session, unit=unit)]
    by_row, whole = await tallies(
        session,
        rows=mapped,
        start=start,
        end=end,
        counts=counts[0],
        rolled=source if rolled else None,
        kept=(unit.id, rows) if rolled else None,
    )
    return {row: tally for row, tally in by_row.items() if row in rows}, whole  # the summary's


async def test_day_totals_match_the_reports_after_random_changes(db):
    rng = random.Random(21)
    async with db() as session:
        units, teams, people = await _world(session)
        codes = [i.code for i in (await session.exec(select(Indicator))).all()]
        await session.commit()
    for n in range(160):
        async with db() as session:
            await _change(session, rng, teams, people, codes, n, units)
            await write_reports(session)
            await session.commit()
    async with db() as session:
        expected = await _expected(session)
        assert len(expected[0]) > 20 and len(expected[1]) > 20  # the random data covers a lot
        assert await _kept(session) == expected
        country = Unit(id=COUNTRY_ID, code="/", level=COUNTRY, name="", path="/")
        kept = await member_counts(session, unit_ids=[COUNTRY_ID])
        assert kept[COUNTRY_ID][0] > 1 and kept[COUNTRY_ID][1] > 0  # members, some unreachable
        assert await _kept_periods(session) == await _expected_periods(session)
        summed = await _expected_hamlet_targets(session)
        assert summed and await _kept_hamlet_targets(session) == summed
        spans = [
            (a, b)
            for day in (FIRST_DAY, FIRST_DAY + timedelta(days=7))
            for _, a, b in periods_of(day)
        ]
        for _ in range(6):
            start = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            spans.append((start, start + timedelta(days=rng.randrange(DAYS))))
        for start, end in spans:  # whole weeks, months, a quarter, a year: the kept reporters
            for unit in (country, units[0]):  # rows of provinces, of communes
                rolled = await _figures(session, unit, start, end, rolled=True)
                assert rolled == await _figures(session, unit, start, end, rolled=False)
                assert await _parts(session, unit, start, end, rolled=True) == await _parts(
                    session, unit, start, end, rolled=False
                )
            commune = units[1]  # what /chitieu shows: a commune's sums
            raw = await period_counts(session, rows=row_map(commune, None), periods=[(start, end)])
            assert await unit_counts(session, unit=commune, start=start, end=end) == raw[0].get(
                None, {}
            )


async def test_an_edit_and_a_retraction_in_one_transaction_leave_no_empty_row(db):
    """The edited report's day moves: the old day's rows go, as do those of the retracted one."""
    async with db() as session:
        _units, teams, people = await _world(session)
        for n, day in enumerate((FIRST_DAY, FIRST_DAY + timedelta(days=1))):
            await save_report(
                session,
                person_id=people[0],
                team_id=teams[1].id,
                activity_date=day,
                counts={"vneid": 3},
                source="test",
                idempotency_key=f"k{n}",
            )
        await write_reports(session)
        first, second = (await session.exec(select(Report).order_by(Report.id))).all()
        await save_report(
            session,
            person_id=people[0],
            team_id=teams[1].id,
            activity_date=FIRST_DAY + timedelta(days=5),
            counts={"dvc": 2},
            source="test",
            idempotency_key="k2",
            replaces=first,
        )
        await retract(session, report=second)
        await write_reports(session)
        totals, reporters, _provinces = await _kept(session)
    day = FIRST_DAY + timedelta(days=5)
    assert [(key[1], value) for key, value in totals.items()] == [(day, (2, 1))]
    assert [(key[1], key[2], value) for key, value in reporters.items()] == [(day, people[0], 1)]


async def test_the_migration_fills_the_day_totals_from_the_stored_reports(db, database_url):
    rng = random.Random(7)
    async with db() as session:
        _units, teams, people = await _world(session)
        codes = [i.code for i in (await session.exec(select(Indicator))).all()]
        for n in range(30):
            await _change(session, rng, teams, people, codes, n)
        await write_reports(session)
        await session.commit()
        expected = await _expected(session)
        periods = await _expected_periods(session)
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0005")  # the tables go
    await asyncio.to_thread(command.upgrade, config, "head")  # and come back filled
    async with db() as session:
        assert expected[0] and await _kept(session) == expected
        assert periods and await _kept_periods(session) == periods


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks between processes are PostgreSQL's")
async def test_one_persons_reports_in_two_transactions_at_once_count_them_once(db):
    """The second waits for the first's person (db.period_reporters.touched), then counts what
    it committed: one reporter in the week, not two."""
    async with db() as session:
        _units, teams, people = await _world(session)
        await session.commit()
    async with db() as first, db() as second:
        for n, session in enumerate((first, second)):
            await save_report(
                session,
                person_id=people[0],
                team_id=teams[1].id,
                activity_date=FIRST_DAY + timedelta(days=n),
                counts={"vneid": 1},
                source="test",
                idempotency_key=f"at-once-{n}",
            )
        await write_reports(first)
        waiting = asyncio.create_task(write_reports(second))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # queued behind the first's hold on the person
        await first.commit()
        await asyncio.wait_for(waiting, 5)
        await second.commit()
    async with db() as session:
        kept = await _kept_periods(session)
        assert kept == await _expected_periods(session)
        assert kept[("week", FIRST_DAY, COUNTRY_ID)] == (1, 2)
