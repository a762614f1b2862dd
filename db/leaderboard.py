"""Figures for the leaderboards of many communes at once: a few GROUP BY queries for them all.

The same queries serve one commune (`/bangxephang`) or hundreds (the Monday job). Ranking is a
rule, in bot/ (bot.ranking); this returns what each hamlet counted and its target parts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Level, Person, Report, ReportLine, Team, Unit
from db.rows import hamlet_map, hamlets_of
from db.tallies import Tally, period_counts, tallies
from db.targets import TargetPart, target_parts
from db.units import commune_id_of, commune_or_its_hamlet


class TopPerson(NamedTuple):
    """One of a commune's best reporters: the boards name them with their hamlet."""

    name: str
    total: int
    hamlet: str | None = None  # None for someone who reported only in the commune's own team


@dataclass
class PeriodFigures:
    """What every hamlet of the communes counted in one period, and their target parts."""

    start: date
    end: date
    tallies: dict[int, Tally]  # by hamlet id; a hamlet with nothing has no entry
    targets: list[TargetPart]  # row_id is the hamlet's id


@dataclass
class BoardFigures:
    hamlets: dict[int, list[Unit]]  # by commune id, in path order
    periods: list[PeriodFigures]  # one per period asked, in that order
    top_people: dict[int, list[TopPerson]]  # by commune id, best first


async def board_figures(
    session: AsyncSession,
    *,
    commune_ids: list[int],
    periods: list[tuple[date, date]],
    top_people: int,
    leave_out: tuple[str, ...] = (),
) -> BoardFigures:
    """The hamlets of these communes with their figures per period, and each commune's top people.

    `top_people` ranks people by their sums in the first period, without the indicators
    `leave_out` names.
    """
    rows = hamlet_map(commune_ids)
    counted = await period_counts(session, rows=rows, periods=periods)
    found = []
    for (first, last), counts in zip(periods, counted, strict=True):
        by_row, _ = await tallies(session, rows=rows, start=first, end=last, counts=counts)
        targets = await target_parts(session, rows=rows, start=first, end=last)
        found.append(PeriodFigures(first, last, by_row, targets))
    start, end = periods[0]
    return BoardFigures(
        hamlets=await hamlets_of(session, commune_ids=commune_ids),
        periods=found,
        top_people=await _top_people(
            session,
            commune_ids=commune_ids,
            start=start,
            end=end,
            limit=top_people,
            leave_out=leave_out,
        ),
    )


async def _top_people(
    session: AsyncSession,
    *,
    commune_ids: list[int],
    start: date,
    end: date,
    limit: int,
    leave_out: tuple[str, ...],
) -> dict[int, list[TopPerson]]:
    """Per commune: the persons with the largest sums (without `leave_out`) in it, best first.

    A commune's own team counts, as do its hamlets'; a window numbers each commune's people, so
    one query serves every commune.
    """
    if limit <= 0:
        return {}
    people = _people_by_place(commune_ids, start=start, end=end, leave_out=leave_out)
    query = (
        select(people.c.commune_id, people.c.name, people.c.total, people.c.hamlet)
        .where(people.c.place <= limit)
        .order_by(people.c.commune_id, people.c.place)
    )
    found: dict[int, list[TopPerson]] = defaultdict(list)
    for commune, name, n, hamlet in (await session.exec(query)).all():
        found[commune].append(TopPerson(name, int(n), hamlet))
    return found


def _people_by_place(commune_ids: list[int], *, start: date, end: date, leave_out: tuple[str, ...]):
    """Subquery: (commune id, name, total, place in the commune, hamlet) of everybody who
    reported; the hamlet is the first by name of those they reported in (most report in one)."""
    place = aliased(Unit)
    commune_id = commune_id_of(place).label("commune_id")
    total = func.sum(ReportLine.count)
    place_in_commune = func.row_number().over(
        partition_by=commune_id, order_by=(total.desc(), Person.display_name, Person.id)
    )
    return (
        select(
            commune_id,
            Person.display_name.label("name"),
            total.label("total"),
            place_in_commune.label("place"),
            func.min(case((place.level == Level.HAMLET.value, place.name))).label("hamlet"),
        )
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(place, place.id == Team.unit_id)
        .join(Person, Person.id == Report.person_id)
        .join(ReportLine, ReportLine.report_id == Report.id)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(
            commune_or_its_hamlet(place, commune_ids),
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
            Indicator.active,
            Indicator.code.not_in(leave_out),
        )
        .group_by(commune_id, Person.id, Person.display_name)
        .having(total > 0)
        .subquery("people")
    )
