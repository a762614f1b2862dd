"""Figures for `/baocao` and the weekly leaderboard: keyword-only queries that never commit.

Every sum, count and distinct count is done by the database with GROUP BY; only grouped rows come
back. A report counts in the period of its `activity_date` (not when it was sent), and retracted
reports never count: an edit retracts the old row and adds a new one, so the edit counts once.

Rows: a hamlet is one row (itself); a commune has one row per hamlet under it; a district or a
province has one row per commune under it (its own hamlets and its own team rolled up), so the same
code serves a district and a province. The whole country (`country_unit()`, a synthetic root with
path "/") has one row per province. A team's unit is mapped to its row in SQL (`_row_map`): a
hamlet is its own row, or in a roll-up, its parent commune's (or its province, for the country).
"""

import math
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    null,
    or_,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.figures import (
    BoardEntry,
    IndicatorInfo,
    Leaderboard,
    ReportRow,
    Summary,
    UnitFigures,
    UnitRef,
)
from bot.summary_text import HOUSEHOLDS, rank_rows, score_label, uses_targets
from db.indicators import active_indicators
from db.models import (
    Identity,
    Indicator,
    Level,
    Membership,
    Person,
    Report,
    ReportLine,
    Role,
    Target,
    Team,
    Unit,
)
from db.units import commune_or_its_hamlet

MEMBER_ROLES = (Role.MEMBER.value, Role.DEPUTY.value, Role.LEADER.value)
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
LONGEST = {"month": 31, "quarter": 92, "year": 366}  # days, for a cheap overlap pre-filter in SQL
COUNTRY = "country"
# Row level -> levels whose targets count for a row: its own, its communes', their hamlets'.
TARGET_TIERS = {
    Level.HAMLET.value: (Level.HAMLET.value,),
    Level.COMMUNE.value: (Level.COMMUNE.value, Level.HAMLET.value),
    Level.PROVINCE.value: (Level.PROVINCE.value, Level.COMMUNE.value, Level.HAMLET.value),
}


@dataclass
class _Figures:
    counts: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    reporters: int = 0
    members: int = 0
    unreachable: int = 0


# --- public API ---
async def build_summary(
    session: AsyncSession,
    *,
    unit: Unit,
    start: date,
    end: date,
    period_label: str,
    made_at: datetime,
    previous: tuple[date, date] | None = None,
    previous_label: str = "",
    with_lines: bool = False,
) -> Summary:
    """Figures for `unit` over [start, end], one row per hamlet (or per commune in a roll-up).

    `counts` and `targets` hold only the indicators that have lines / a target; `previous_totals`
    holds every active indicator (0 where nothing was reported) when `previous` is given. `members`
    are the distinct people with a confirmed thanhvien/topho/totruong membership in a team of the
    unit; `unreachable` those of them who have a chat identity and whose every identity is
    unreachable. Targets: see `_targets`. `totals` cover the whole unit, including a team attached
    to the unit itself; its target, per indicator, is the unit's own target, else the sum of the
    row targets.
    """
    indicators = await active_indicators(session)
    row_level = _row_level(unit)
    rows = await _row_units(session, unit=unit)
    row_ids = [row.id for row in rows]

    # One scan counts both periods; every unit under `unit` has a key, so the keys add up to it.
    periods = [(start, end)] if previous is None else [(start, end), previous]
    row_map = _row_map(unit, row_level)
    counted = await _counts(session, rows=row_map, periods=periods)
    by_row, whole = await _gather(session, rows=row_map, start=start, end=end, counts=counted[0])
    row_targets = await _targets(session, rows=row_map, row_level=row_level, start=start, end=end)
    own_targets = await _own_targets(session, unit=unit, start=start, end=end)
    refs = await _hierarchies(session, units=[unit, *rows])

    figures = []
    for row in rows:
        found = by_row.get(row.id, _Figures())
        figures.append(_unit_figures(row, found, row_targets.get(row.id, {}), refs))
    totals_target = {**_add_up(row_targets.get(i, {}) for i in row_ids), **own_targets}
    totals = _unit_figures(unit, whole, totals_target, refs)

    previous_totals: dict[str, int] = {}
    if previous is not None:
        before = _add_up(counted[1].values())
        previous_totals = {i.code: before.get(i.code, 0) for i in indicators}

    return Summary(
        unit=_ref(unit),
        period_label=period_label,
        start=start,
        end=end,
        made_at=made_at,
        indicators=[
            IndicatorInfo(i.code, i.name, i.unit_label, short=short_label(i)) for i in indicators
        ],
        rows=figures,
        totals=totals,
        previous_totals=previous_totals,
        lines=await _report_lines(session, unit=unit, start=start, end=end) if with_lines else [],
        previous_label=previous_label if previous is not None else "",
    )


def country_unit() -> Unit:
    """A synthetic root above every province (path "/"), for the national summary; never stored."""
    return Unit(id=0, code="/", level=COUNTRY, name=texts.COUNTRY_NAME, path="/")


def short_label(indicator: Indicator) -> str:
    """The first alias ("VNeID"), as replies show it; the code when there is none."""
    return indicator.aliases.split("|")[0].strip() or indicator.code


async def unit_counts(
    session: AsyncSession, *, unit: Unit, start: date, end: date
) -> dict[str, int]:
    """Sums per indicator over standing reports of every team under `unit` in [start, end]."""
    counted = await _counts(session, rows=_row_map(unit, None), periods=[(start, end)])
    return counted[0].get(None, {})


async def build_leaderboard(
    session: AsyncSession,
    *,
    commune: Unit,
    start: date,
    end: date,
    period_label: str,
    previous: tuple[date, date] | None = None,
    top_people: int = 5,
) -> Leaderboard:
    """The ranking of one commune's hamlets: `build_leaderboards` for a one-commune list."""
    boards = await build_leaderboards(
        session,
        communes=[commune],
        start=start,
        end=end,
        period_label=period_label,
        previous=previous,
        top_people=top_people,
    )
    return boards[commune.id]


async def build_leaderboards(
    session: AsyncSession,
    *,
    communes: list[Unit],
    start: date,
    end: date,
    period_label: str,
    previous: tuple[date, date] | None = None,
    top_people: int = 5,
) -> dict[int, Leaderboard]:
    """Rank the hamlets of each commune that reported in [start, end] on one fair scale, by id.

    The same few GROUP BY queries serve one commune (`/bangxephang`) or hundreds (the Monday job).

    Scale: if every hamlet of the commune has a target for the period (and for `previous`, when
    given, so the two rankings compare), the score is the mean achievement over the indicators with
    a target, each capped at 2.0 ("87%"). If ANY hamlet lacks targets, everybody is ranked by
    activity per member instead: all counts except households visited (`ho`) divided by the
    members, at least 1 ("4,2/người"). Ties go to the larger activity, then the name.

    Only hamlets with a report in the period are ranked. `rank_change` is the previous rank minus
    the new one (positive = moved up), None for a hamlet that had no report in `previous` (or when
    `previous` is not given). `most_improved` is the hamlet, ranked in both periods, with the
    largest score gain; None if nobody gained. `top_people` are the persons with the largest
    activity (without `ho`) in the commune, best first, at most `top_people` of them. `rows` are
    every hamlet's figures for [start, end], in path order.
    """
    ids = [commune.id for commune in communes]
    hamlets = await _hamlets(session, commune_ids=ids)
    periods = [(start, end)] if previous is None else [(start, end), previous]
    figures = await _hamlet_figures(session, commune_ids=ids, periods=periods)
    people = await _top_people(session, commune_ids=ids, start=start, end=end, limit=top_people)
    boards = {}
    for commune in communes:
        mine = hamlets.get(commune.id, [])
        tables = [
            [_unit_figures(h, found.get(h.id, _Figures()), targets.get(h.id, {}), {}) for h in mine]
            for found, targets in figures
        ]
        boards[commune.id] = _rank(
            commune,
            tables[0],
            tables[1] if previous is not None else None,
            period_label=period_label,
            top_people=people.get(commune.id, []),
        )
    return boards


def _rank(
    commune: Unit,
    current: list[UnitFigures],
    before: list[UnitFigures] | None,
    *,
    period_label: str,
    top_people: list[tuple[str, int]],
) -> Leaderboard:
    """The board of one commune from its hamlets' figures (see `build_leaderboards`)."""
    by_target = uses_targets(current) and (before is None or uses_targets(before))
    ranked = rank_rows([row for row in current if row.reports], by_target=by_target)
    old_rank: dict[str, int] = {}
    old_score: dict[str, float] = {}
    if before is not None:
        for rank, (row, value) in enumerate(
            rank_rows([row for row in before if row.reports], by_target=by_target), start=1
        ):
            old_rank[row.unit.code] = rank
            old_score[row.unit.code] = value

    entries = []
    best_gain, most_improved = 0.0, None
    for rank, (row, value) in enumerate(ranked, start=1):
        code = row.unit.code
        change = old_rank[code] - rank if code in old_rank else None
        entries.append(
            BoardEntry(
                rank=rank,
                unit=row.unit,
                score=value,
                score_label=score_label(value, by_target=by_target),
                rank_change=change,
            )
        )
        if code in old_score and value - old_score[code] > best_gain + 1e-12:
            best_gain, most_improved = value - old_score[code], row.unit

    return Leaderboard(
        unit=_ref(commune),
        period_label=period_label,
        entries=entries,
        most_improved=most_improved,
        top_people=top_people,
        rows=current,
    )


# --- rows ---
def _row_level(unit: Unit) -> str:
    """Hamlet rows for a hamlet or a commune, province rows for the country, else commune rows."""
    if unit.level in (Level.HAMLET, Level.COMMUNE):
        return Level.HAMLET.value
    return Level.PROVINCE.value if unit.level == COUNTRY else Level.COMMUNE.value


async def _row_units(session: AsyncSession, *, unit: Unit) -> list[Unit]:
    if unit.level == Level.HAMLET:
        return [unit]
    if unit.level == Level.COMMUNE:
        query = select(Unit).where(Unit.parent_id == unit.id, Unit.level == Level.HAMLET.value)
    elif unit.level == COUNTRY:
        query = select(Unit).where(Unit.level == Level.PROVINCE.value)
    else:
        query = select(Unit).where(
            Unit.level == Level.COMMUNE.value,
            Unit.path.startswith(unit.path, autoescape=True),
            Unit.id != unit.id,
        )
    return list((await session.exec(query.order_by(Unit.path))).all())


def _row_map(unit: Unit, row_level: str | None):
    """Subquery: every unit under `unit` (by `path LIKE prefix%`) with the id of its row.

    `row_id` is the unit itself for hamlet rows; for commune rows a hamlet maps to its parent
    commune; for province rows every unit maps to its province through up to three parents. Ids
    that are no row (a team of the commune or district itself) count only in totals. `level` is
    the unit's level and `sub_id` its commune (a hamlet's parent, a commune itself), for targets.
    Without `row_level`, only `unit_id`.
    """
    under = aliased(Unit)
    query = select(under.id.label("unit_id"))
    hamlet, commune, province = Level.HAMLET.value, Level.COMMUNE.value, Level.PROVINCE.value
    if row_level == province:
        up1, up2, up3 = aliased(Unit), aliased(Unit), aliased(Unit)
        row_id = case(
            (under.level == province, under.id),
            (up1.level == province, up1.id),
            (up2.level == province, up2.id),
            else_=up3.id,
        )
        query = (
            query.outerjoin(up1, up1.id == under.parent_id)
            .outerjoin(up2, up2.id == up1.parent_id)
            .outerjoin(up3, up3.id == up2.parent_id)
        )
    elif row_level == commune:
        row_id = case((under.level == hamlet, under.parent_id), else_=under.id)
    else:
        row_id = under.id
    if row_level is not None:
        sub_id = case((under.level == hamlet, under.parent_id), (under.level == commune, under.id))
        query = query.add_columns(
            row_id.label("row_id"), sub_id.label("sub_id"), under.level.label("level")
        )
    return query.where(under.path.startswith(unit.path, autoescape=True)).subquery("row_map")


async def _counts(
    session: AsyncSession, *, rows, periods: list[tuple[date, date]]
) -> list[dict[int | None, dict[str, int]]]:
    """Sums per row id (None for a row map without rows) and indicator code, one dict per period.

    One query over the span of the periods (a period and the one before it are adjacent), each
    line put in its period by a CASE, so the comparison costs no second scan.
    """
    key = [rows.c.row_id] if "row_id" in rows.c else []
    which = case(
        *(
            (and_(Report.activity_date >= first, Report.activity_date <= last), number)
            for number, (first, last) in enumerate(periods)
        ),
        else_=-1,
    ).label("which")
    query = (
        select(which, *key, Indicator.code, func.sum(ReportLine.count))
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(rows, rows.c.unit_id == Team.unit_id)
        .join(ReportLine, ReportLine.report_id == Report.id)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(
            ~Report.retracted,
            Report.activity_date >= min(first for first, _ in periods),
            Report.activity_date <= max(last for _, last in periods),
            Indicator.active,
        )
        .group_by(which, *key, Indicator.code)
    )
    found: list[dict] = [defaultdict(dict) for _ in periods]
    for values in (await session.exec(query)).all():
        number, *row, code, total = values
        if number >= 0:
            found[number][row[0] if key else None][code] = int(total)
    return [dict(by_row) for by_row in found]


def _add_up(parts) -> dict[str, int]:
    """Per-code figures of several rows added up (sums and targets are; distinct people are not)."""
    total: dict[str, int] = defaultdict(int)
    for figures in parts:
        for code, n in figures.items():
            total[code] += n
    return dict(total)


async def _gather(
    session: AsyncSession,
    *,
    rows,
    start: date,
    end: date,
    counts: dict[int | None, dict[str, int]],
) -> tuple[dict[int | None, _Figures], _Figures]:
    """Counts, reports, reporters, members and unreachable per row id, and for all the rows.

    `counts` are the sums made by `_counts` for [start, end]; the whole's counts are their sum.
    Reporters and members are distinct people, which do not add up (one person may be in two
    hamlets), so each query counts them per row and for the whole from one CTE
    (`_per_row_and_whole`).
    """
    found: dict[int | None, _Figures] = defaultdict(_Figures)
    whole = _Figures()
    for row_id, by_code in counts.items():
        found[row_id].counts = dict(by_code)
    whole.counts = _add_up(counts.values())

    reports = (
        select(rows.c.row_id, Report.id.label("item"), Report.person_id.label("person"))
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(rows, rows.c.unit_id == Team.unit_id)
        .where(~Report.retracted, Report.activity_date >= start, Report.activity_date <= end)
    )
    for row_id, number, reporters in await _per_row_and_whole(session, reports, "reports"):
        figures = whole if row_id is None else found[row_id]
        figures.reports, figures.reporters = int(number), int(reporters)

    # Unreachable: has a chat identity, and none of them is reachable. Correlated EXISTS probes
    # use the index on identity.person_id, so only the unit's members are looked at; the
    # "reachable" probe comes first, as it settles almost everybody.
    has_identity = exists().where(Identity.person_id == Membership.person_id)
    reachable = exists().where(
        Identity.person_id == Membership.person_id, Identity.unreachable_at.is_(None)
    )
    members = (
        select(
            rows.c.row_id,
            Membership.person_id.label("item"),
            case((and_(~reachable, has_identity), Membership.person_id)).label("person"),
        )
        .select_from(Membership)
        .join(Team, Team.id == Membership.team_id)
        .join(rows, rows.c.unit_id == Team.unit_id)
        .where(Membership.confirmed, Membership.role.in_(MEMBER_ROLES))
    )
    for row_id, number, lost in await _per_row_and_whole(session, members, "members"):
        figures = whole if row_id is None else found[row_id]
        figures.members, figures.unreachable = int(number), int(lost)
    return found, whole


async def _per_row_and_whole(session: AsyncSession, query, name: str) -> list[tuple]:
    """(row id, count(distinct item), count(distinct person)) per row, then (None, …) for all.

    One statement: the rows of `query` (row_id, item, person) are read once into a CTE and
    counted twice, by row and over everything (a row id of None is the whole).
    """
    per = query.cte(name)
    item, person = func.count(distinct(per.c.item)), func.count(distinct(per.c.person))
    by_row = select(literal(1).label("by_row"), per.c.row_id, item, person).group_by(per.c.row_id)
    overall = select(literal(0), cast(null(), Integer), item, person)
    found = (await session.exec(union_all(by_row, overall))).all()
    return [(row_id if is_row else None, n, m) for is_row, row_id, n, m in found]


async def _hamlets(session: AsyncSession, *, commune_ids: list[int]) -> dict[int, list[Unit]]:
    """The hamlets of each commune, in path order."""
    query = (
        select(Unit)
        .where(Unit.parent_id.in_(commune_ids), Unit.level == Level.HAMLET.value)
        .order_by(Unit.path)
    )
    found: dict[int, list[Unit]] = defaultdict(list)
    for hamlet in (await session.exec(query)).all():
        found[hamlet.parent_id].append(hamlet)
    return found


def _hamlet_map(commune_ids: list[int]):
    """`_row_map` of hamlet rows for many communes at once: each hamlet of them is its own row."""
    return (
        select(
            Unit.id.label("unit_id"),
            Unit.id.label("row_id"),
            Unit.parent_id.label("sub_id"),
            Unit.level.label("level"),
        )
        .where(Unit.parent_id.in_(commune_ids), Unit.level == Level.HAMLET.value)
        .subquery("row_map")
    )


async def _hamlet_figures(
    session: AsyncSession, *, commune_ids: list[int], periods: list[tuple[date, date]]
) -> list[tuple[dict[int | None, _Figures], dict[int, dict[str, int]]]]:
    """Per period: figures and targets by hamlet id, for every hamlet of these communes."""
    rows = _hamlet_map(commune_ids)
    counted = await _counts(session, rows=rows, periods=periods)
    found = []
    for (first, last), counts in zip(periods, counted, strict=True):
        by_row, _ = await _gather(session, rows=rows, start=first, end=last, counts=counts)
        targets = await _targets(
            session, rows=rows, row_level=Level.HAMLET.value, start=first, end=last
        )
        found.append((by_row, targets))
    return found


# --- targets ---
async def _targets(
    session: AsyncSession, *, rows, row_level: str, start: date, end: date
) -> dict[int, dict[str, int]]:
    """Targets per row id and indicator code for [start, end].

    A Target applies when its period (the month, quarter or year starting `period_start`)
    overlaps [start, end], pro-rated by the overlapping days and rounded half up: a monthly target
    of 300 for November asked for one week is 300 * 7/30 = 70. Periods straddled (a week across two
    months) add their parts. A row's target is its own unit's target where it has one, else the
    sum over its communes of each commune's own target, else the sum of that commune's hamlets'
    targets (so a commune row is its own target or its hamlets'; a province row of the country,
    its own or its communes'). If a unit has targets of several kinds for one indicator, only one
    kind is used, never their sum: the kind nearest the asked length (month first for up to 31
    days, quarter first for up to 92 days, otherwise year first).
    """
    tiers = TARGET_TIERS[row_level]
    group = (
        rows.c.row_id,
        rows.c.sub_id,
        rows.c.level,
        Indicator.code,
        Target.period_kind,
        Target.period_start,
    )
    query = (
        select(*group, func.sum(Target.value))
        .select_from(Target)
        .join(rows, rows.c.unit_id == Target.unit_id)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Indicator.active, rows.c.level.in_(tiers), _may_overlap(start, end))
        .group_by(*group)
    )
    # (row id, commune id, level of the target's unit) -> code -> kind -> pro-rated target
    parts: dict[tuple, dict[str, dict[str, Fraction]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Fraction))
    )
    for row_id, sub_id, level, code, kind, period_start, value in (await session.exec(query)).all():
        share = _prorate(int(value), kind, period_start, start, end)
        if share is not None:
            parts[(row_id, sub_id, level)][code][kind] += share

    own: dict[int, dict[str, int]] = defaultdict(dict)
    communes: dict[tuple[int, int], dict[str, dict[str, int]]] = defaultdict(dict)
    for (row_id, sub_id, level), by_code in parts.items():
        chosen = _choose_kinds(by_code, start, end)
        if level == row_level:
            own[row_id].update(chosen)
        if sub_id is not None and level in (Level.COMMUNE, Level.HAMLET):
            communes[(row_id, sub_id)][level] = chosen
    summed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (row_id, _), by_level in communes.items():
        commune = by_level.get(Level.COMMUNE.value, {})
        merged = {**by_level.get(Level.HAMLET.value, {}), **commune}
        for code, value in merged.items():
            summed[row_id][code] += value
    targets = {row_id: {**by_code, **own.get(row_id, {})} for row_id, by_code in summed.items()}
    for row_id, by_code in own.items():
        targets.setdefault(row_id, dict(by_code))
    return {
        row_id: {code: n for code, n in by_code.items() if n} for row_id, by_code in targets.items()
    }


def _may_overlap(start: date, end: date):
    """SQL pre-filter: targets whose period may overlap [start, end] (`_prorate` decides exactly)."""
    return and_(
        Target.period_start <= end,
        or_(
            *(
                and_(Target.period_kind == kind, Target.period_start > start - timedelta(days=days))
                for kind, days in LONGEST.items()
            )
        ),
    )


async def _own_targets(
    session: AsyncSession, *, unit: Unit, start: date, end: date
) -> dict[str, int]:
    """The unit's own targets for [start, end] (same rules as `_targets`)."""
    query = (
        select(Indicator.code, Target.period_kind, Target.period_start, Target.value)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Target.unit_id == unit.id, Indicator.active, _may_overlap(start, end))
    )
    parts: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for code, kind, period_start, value in (await session.exec(query)).all():
        share = _prorate(int(value), kind, period_start, start, end)
        if share is not None:
            parts[code][kind] += share
    return {code: n for code, n in _choose_kinds(parts, start, end).items() if n}


def _prorate(value: int, kind: str, period_start: date, start: date, end: date) -> Fraction | None:
    """`value` times the share of the target's period that falls in [start, end]; None if none."""
    months = PERIOD_MONTHS.get(kind)
    if months is None:
        return None
    period_end = _add_months(period_start, months) - timedelta(days=1)
    overlap = (min(end, period_end) - max(start, period_start)).days + 1
    if overlap <= 0:
        return None
    return Fraction(value * overlap, (period_end - period_start).days + 1)


def _choose_kinds(
    by_code: dict[str, dict[str, Fraction]], start: date, end: date
) -> dict[str, int]:
    days = (end - start).days + 1
    if days <= 31:
        order = ("month", "quarter", "year")
    elif days <= 92:
        order = ("quarter", "month", "year")
    else:
        order = ("year", "quarter", "month")
    chosen = {}
    for code, kinds in by_code.items():
        kind = next(k for k in order if k in kinds)
        chosen[code] = math.floor(kinds[kind] + Fraction(1, 2))
    return chosen


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- names and lines ---
def _ref(unit: Unit) -> UnitRef:
    return UnitRef(level=unit.level, code=unit.code, name=unit.name)


def _codes(unit: Unit) -> list[str]:
    return [code for code in unit.path.split("/") if code]


async def _hierarchies(session: AsyncSession, *, units: list[Unit]) -> dict[str, UnitRef]:
    """UnitRefs by code for every unit on the paths of `units`, fetching the missing in one query."""
    refs = {unit.code: _ref(unit) for unit in units}
    missing = {code for unit in units for code in _codes(unit)} - refs.keys()
    if missing:
        found = await session.exec(select(Unit).where(Unit.code.in_(sorted(missing))))
        refs.update({unit.code: _ref(unit) for unit in found.all()})
    return refs


def _unit_figures(
    unit: Unit, found: _Figures, targets: dict[str, int], refs: dict[str, UnitRef]
) -> UnitFigures:
    return UnitFigures(
        unit=_ref(unit),
        hierarchy=[refs[code] for code in _codes(unit) if code in refs],
        counts=dict(found.counts),
        targets=dict(targets),
        members=found.members,
        reporters=found.reporters,
        reports=found.reports,
        unreachable=found.unreachable,
    )


async def _report_lines(
    session: AsyncSession, *, unit: Unit, start: date, end: date
) -> list[ReportRow]:
    """One row per standing report in the period, with its counts: one joined query."""
    place = aliased(Unit)
    query = (
        select(
            Report.id,
            Report.activity_date,
            place.code,
            place.name,
            Person.display_name,
            Report.note,
            Report.source,
            Indicator.code,
            Indicator.active,
            ReportLine.count,
        )
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(place, place.id == Team.unit_id)
        .join(Person, Person.id == Report.person_id)
        .outerjoin(ReportLine, ReportLine.report_id == Report.id)
        .outerjoin(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(
            place.path.startswith(unit.path, autoescape=True),
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .order_by(Report.activity_date, place.path, Report.id, Indicator.position)
    )
    reports: dict[int, tuple] = {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for report_id, day, code, name, person, note, source, indicator, active, count in (
        await session.exec(query)
    ).all():
        reports.setdefault(report_id, (day, code, name, person, note or "", source))
        if indicator is not None and active:
            counts[report_id][indicator] = int(count)
    return [
        ReportRow(
            activity_date=day,
            hamlet_code=code,
            hamlet_name=name,
            person_name=person,
            counts=counts.get(report_id, {}),
            note=note,
            source=source,
        )
        for report_id, (day, code, name, person, note, source) in reports.items()
    ]


async def _top_people(
    session: AsyncSession, *, commune_ids: list[int], start: date, end: date, limit: int
) -> dict[int, list[tuple[str, int]]]:
    """Per commune: the persons with the largest activity (without `ho`) in it, best first.

    A commune's own team counts, as do its hamlets'; a window numbers each commune's people, so
    one query serves every commune.
    """
    if limit <= 0:
        return {}
    place = aliased(Unit)
    commune_id = case((place.level == Level.HAMLET.value, place.parent_id), else_=place.id).label(
        "commune_id"
    )
    total = func.sum(ReportLine.count)
    place_in_commune = func.row_number().over(
        partition_by=commune_id, order_by=(total.desc(), Person.display_name, Person.id)
    )
    people = (
        select(
            commune_id,
            Person.display_name.label("name"),
            total.label("total"),
            place_in_commune.label("place"),
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
            Indicator.code != HOUSEHOLDS,
        )
        .group_by(commune_id, Person.id, Person.display_name)
        .having(total > 0)
        .subquery("people")
    )
    query = (
        select(people.c.commune_id, people.c.name, people.c.total)
        .where(people.c.place <= limit)
        .order_by(people.c.commune_id, people.c.place)
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for commune, name, n in (await session.exec(query)).all():
        found[commune].append((name, int(n)))
    return found
