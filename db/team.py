"""What leaders and officials see of their teams: who reported, each member's totals, the notes and
photos. Plain figures and rows, per hamlet; wording and who may see what are in bot/. Never commits.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    MEMBER_ROLES,
    Identity,
    Indicator,
    Membership,
    Person,
    Report,
    ReportLine,
    Team,
    Unit,
)
from db.recipients import with_first_contact


@dataclass(frozen=True)
class MemberStatus:
    """A confirmed member of a hamlet team and their reporting over a period."""

    person_id: int
    name: str
    role: str
    unit_id: int  # the hamlet
    reported: bool  # a standing report in the period, for this team
    last_report: date | None  # their latest standing report for this team up to the period's end
    platform: str | None  # the first reachable identity, if any (None: the bot cannot reach them)
    user_id: str | None


@dataclass(frozen=True)
class NoteRow:
    """A standing report with a note or a photo."""

    unit_id: int
    person_name: str
    activity_date: date
    note: str | None
    photo_ref: str | None  # "<platform>:<file id or link>"


def _standing(start: date | None, end: date):
    """Conditions on Report: not retracted, dated in [start, end] (no start: up to `end`)."""
    conditions = [~Report.retracted, Report.activity_date <= end]
    if start is not None:
        conditions.append(Report.activity_date >= start)
    return conditions


async def member_statuses(
    session: AsyncSession, *, unit_ids: list[int], start: date, end: date
) -> list[MemberStatus]:
    """The members of these units' teams, in hamlet then name order, with what they reported."""
    last = _last_reports(unit_ids=unit_ids, end=end)
    query = (
        select(
            Membership.person_id,
            Person.display_name,
            Membership.role,
            Unit.id,
            last.c.last,
            Identity.platform,
            Identity.user_id,
        )
        .join(Person, Person.id == Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .join(Unit, Unit.id == Team.unit_id)
        .outerjoin(last, (last.c.person_id == Membership.person_id) & (last.c.team_id == Team.id))
    )
    query = (
        with_first_contact(query, Membership.person_id)
        .where(Unit.id.in_(unit_ids), Membership.confirmed, Membership.role.in_(MEMBER_ROLES))
        .order_by(Unit.path, Person.display_name, Person.id)
    )
    rows = (await session.exec(query)).all()
    return [
        MemberStatus(
            person_id=person_id,
            name=name,
            role=role,
            unit_id=unit_id,
            reported=last_date is not None and last_date >= start,
            last_report=last_date,
            platform=platform,
            user_id=user_id,
        )
        for person_id, name, role, unit_id, last_date, platform, user_id in rows
    ]


def _last_reports(*, unit_ids: list[int], end: date):
    """Subquery: per person and team of these units, the day of the last standing report by
    `end` (`last`)."""
    return (
        select(Report.person_id, Report.team_id, func.max(Report.activity_date).label("last"))
        .where(
            Report.team_id.in_(select(Team.id).where(Team.unit_id.in_(unit_ids))),
            *_standing(None, end),
        )
        .group_by(Report.person_id, Report.team_id)
        .subquery("last")
    )


async def member_totals(
    session: AsyncSession, *, unit_ids: list[int], start: date, end: date
) -> dict[tuple[int, int], dict[str, int]]:
    """{(person id, hamlet id): {indicator code: count}} over [start, end]."""
    query = (
        select(Report.person_id, Team.unit_id, Indicator.code, func.sum(ReportLine.count))
        .join(Report, Report.id == ReportLine.report_id)
        .join(Team, Team.id == Report.team_id)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(Team.unit_id.in_(unit_ids), *_standing(start, end))
        .group_by(Report.person_id, Team.unit_id, Indicator.code)
    )
    totals: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for person_id, unit_id, code, count in (await session.exec(query)).all():
        totals[(person_id, unit_id)][code] = int(count)
    return dict(totals)


async def notes_and_photos(
    session: AsyncSession, *, unit_ids: list[int], start: date, end: date
) -> list[NoteRow]:
    """Standing reports of [start, end] with a note or a photo, by hamlet, then date."""
    query = (
        select(
            Team.unit_id,
            Person.display_name,
            Report.activity_date,
            Report.note,
            Report.photo_ref,
        )
        .join(Team, Team.id == Report.team_id)
        .join(Unit, Unit.id == Team.unit_id)
        .join(Person, Person.id == Report.person_id)
        .where(
            Team.unit_id.in_(unit_ids),
            *_standing(start, end),
            (Report.note.is_not(None) & (Report.note != "")) | Report.photo_ref.is_not(None),
        )
        .order_by(Unit.path, Report.activity_date, Report.id)
    )
    return [NoteRow(*row) for row in (await session.exec(query)).all()]


async def team_of_unit(session: AsyncSession, *, unit_id: int) -> int:
    """The id of the unit's team."""
    return (await session.exec(select(Team.id).where(Team.unit_id == unit_id))).one()
