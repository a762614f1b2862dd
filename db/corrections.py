"""Reads for corrections by leaders and officials and for /nhatky: reports and their changes
under some units. Never commits; reports are retracted and replaced only in db.reports."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Person, Report, ReportChange, ReportLine, Team, Unit


@dataclass(frozen=True)
class Placed:
    """A report with who made it and the unit it counts for."""

    report: Report
    name: str
    unit: Unit


def _under(paths: list[str]):
    return or_(*(Unit.path.startswith(path, autoescape=True) for path in paths))


def _placed_query():
    return (
        select(Report, Person.display_name, Unit)
        .join(Person, Person.id == Report.person_id)
        .join(Team, Team.id == Report.team_id)
        .join(Unit, Unit.id == Team.unit_id)
    )


async def reports_under(
    session: AsyncSession, *, paths: list[str], since: date, but_person: int, limit: int
) -> list[Placed]:
    """Standing reports dated since `since` in the units on `paths` and below, newest first,
    leaving out `but_person`'s own (they have /huy and /sua)."""
    query = _placed_query().where(
        _under(paths),
        ~Report.retracted,
        Report.activity_date >= since,
        Report.person_id != but_person,
    )
    query = query.order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    return [Placed(*row) for row in (await session.exec(query)).all()]


async def placed_report(session: AsyncSession, *, report_id: int) -> Placed | None:
    row = (await session.exec(_placed_query().where(Report.id == report_id))).first()
    return Placed(*row) if row else None


async def counts_of(session: AsyncSession, *, report_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each report's counts by indicator code, in one query."""
    query = (
        select(ReportLine.report_id, Indicator.code, ReportLine.count)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(ReportLine.report_id.in_(report_ids))
    )
    found: dict[int, dict[str, int]] = {report_id: {} for report_id in report_ids}
    for report_id, code, count in (await session.exec(query)).all():
        found[report_id][code] = count
    return found


@dataclass(frozen=True)
class Logged:
    """One change for /nhatky: what, by whom, on whose report."""

    change: ReportChange
    actor: str
    owner_id: int
    owner: str


async def recent_changes(
    session: AsyncSession,
    *,
    paths: list[str] | None = None,
    person_id: int | None = None,
    limit: int = 15,
) -> list[Logged]:
    """The newest changes to reports in the units on `paths` (and below), or to one person's."""
    actor, owner = aliased(Person), aliased(Person)
    query = (
        select(ReportChange, actor.display_name, owner.id, owner.display_name)
        .join(actor, actor.id == ReportChange.actor_id)
        .join(Report, Report.id == ReportChange.report_id)
        .join(owner, owner.id == Report.person_id)
        .join(Team, Team.id == Report.team_id)
        .join(Unit, Unit.id == Team.unit_id)
    )
    if paths is not None:
        query = query.where(_under(paths))
    if person_id is not None:
        query = query.where(Report.person_id == person_id)
    query = query.order_by(ReportChange.created_at.desc(), ReportChange.id.desc()).limit(limit)
    return [Logged(*row) for row in (await session.exec(query)).all()]
