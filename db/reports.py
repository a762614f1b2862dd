"""Activity reports: save, retract, edit, and the small totals a reply shows. Never commits.

Reports are most of what a batch of updates writes, so `save_report` queues them as plain rows
and `write_reports` writes the queue in one INSERT per table: built as ORM objects they cost
~0.2 ms each, and SQLite's would be written one row per statement. Whoever saves reports calls
`write_reports` before committing (the inbox does, once per batch); the readers here call it
first, so they see every report saved before them, as with the ORM's autoflush.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, insert, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Report, ReportChange, ReportLine, utcnow
from db.rollups import add_reports, retract_reports
from db.session import execute_core, held, take_held


async def save_report(
    session: AsyncSession,
    *,
    person_id: int,
    team_id: int,
    activity_date: date,
    counts: dict[str, int],
    source: str,
    idempotency_key: str,
    note: str | None = None,
    photo_ref: str | None = None,
    replaces: Report | None = None,
    indicator_ids: dict[str, int] | None = None,
    actor_id: int | None = None,
) -> None:
    """Queue a report with its lines for `write_reports`; an edit retracts the report it replaces
    and records the change, made by `actor_id` (by default the report's own person).

    `idempotency_key` is unique: a second save of one update fails with the whole transaction.
    `indicator_ids` (code -> id) spares the lookup when the caller has the catalogue already.
    """
    if indicator_ids is None:
        query = select(Indicator.code, Indicator.id).where(Indicator.code.in_(list(counts)))
        indicator_ids = dict((await session.exec(query)).all())
    now = utcnow()
    report = {
        "person_id": person_id,
        "team_id": team_id,
        "activity_date": activity_date,
        "note": note or None,
        "photo_ref": photo_ref,
        "source": source,
        "idempotency_key": idempotency_key,
        "replaces_id": replaces.id if replaces else None,
        "retracted": False,
        "created_at": now,
    }
    lines = [(indicator_ids[code], count) for code, count in counts.items() if count]
    change = None
    if replaces is not None:
        after = {"day": activity_date.isoformat(), "counts": _nonzero(counts), "note": note or None}
        change = await _change(session, replaces, actor_id or person_id, "edit", after)
    held(session, QUEUED, list).append((report, lines, change))
    if replaces is not None:
        forget_day_reports(session, replaces)
        await retract_reports(session, reports=[replaces])
        replaces.retracted = True
        replaces.retracted_at = replaces.edited_at = now
        session.add(replaces)


QUEUED = "queued_reports"
WRITTEN_DAYS = "written_day_reports"  # (person id, day) -> [DayReport], see read_day_reports
# Core inserts, built once: no ORM work per row, no statement to build and cache-key per batch
INSERT_REPORTS = insert(Report.__table__).returning(
    Report.__table__.c.idempotency_key, Report.__table__.c.id
)
INSERT_LINES = insert(ReportLine.__table__)
INSERT_CHANGES = insert(ReportChange.__table__)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {code: count for code, count in counts.items() if count}


async def _change(session, report: Report, actor_id: int, action: str, after: dict | None) -> dict:
    """The audit row of a change to `report`, with its figures before (read before it changes)."""
    before = {
        "day": report.activity_date.isoformat(),
        "counts": await report_counts(session, report_id=report.id),
        "note": report.note,
    }
    return {
        "report_id": report.id,
        "new_report_id": None,
        "actor_id": actor_id,
        "action": action,
        "before": before,
        "after": after,
        "created_at": utcnow(),
    }


async def write_reports(session: AsyncSession) -> None:
    """Write the queued reports, then their lines (ids matched by the unique idempotency key)."""
    queued = take_held(session, QUEUED)
    if not queued:
        return
    rows = [report for report, _, _ in queued]
    ids = dict((await execute_core(session, INSERT_REPORTS, rows)).all())
    lines = [
        {"report_id": ids[report["idempotency_key"]], "indicator_id": indicator, "count": count}
        for report, report_lines, _ in queued
        for indicator, count in report_lines
    ]
    if lines:
        await execute_core(session, INSERT_LINES, lines)
    changes = [
        {**change, "new_report_id": ids[report["idempotency_key"]]}
        for report, _, change in queued
        if change is not None
    ]
    if changes:
        await execute_core(session, INSERT_CHANGES, changes)
    _written(session, queued)
    await add_reports(session, reports=list(ids.values()), sign=1)


async def last_report(session: AsyncSession, *, person_id: int, since: datetime) -> Report | None:
    """The person's newest standing report created after `since` (the window /huy and /sua allow)."""
    await write_reports(session)
    query = (
        select(Report)
        .where(Report.person_id == person_id, ~Report.retracted, Report.created_at >= since)
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
    return (await session.exec(query)).first()


async def report_for_message(
    session: AsyncSession, *, person_id: int, key: str, since: datetime
) -> Report | None:
    """The person's standing report made after `since` by the message whose reports have the
    idempotency key `key` (the first) or `key:edit:…` (its edits)."""
    await write_reports(session)
    made_by_message = or_(
        Report.idempotency_key == key,
        Report.idempotency_key.startswith(f"{key}:edit:", autoescape=True),
    )
    query = select(Report).where(
        Report.person_id == person_id,
        ~Report.retracted,
        Report.created_at >= since,
        made_by_message,
    )
    return (await session.exec(query.order_by(Report.id.desc()))).first()


async def retract(session: AsyncSession, *, report: Report, actor_id: int | None = None) -> None:
    """Take a report out of every total; it stays on record, marked retracted, and the change is
    recorded as made by `actor_id` (by default the report's own person)."""
    change = await _change(session, report, actor_id or report.person_id, "retract", None)
    await execute_core(session, INSERT_CHANGES, [change])
    forget_day_reports(session, report)
    await retract_reports(session, reports=[report])
    report.retracted = True
    report.retracted_at = utcnow()
    session.add(report)
    await session.flush()


async def report_counts(session: AsyncSession, *, report_id: int) -> dict[str, int]:
    await write_reports(session)
    rows = await session.exec(
        select(Indicator.code, ReportLine.count)
        .join(ReportLine, ReportLine.indicator_id == Indicator.id)
        .where(ReportLine.report_id == report_id)
    )
    return dict(rows.all())


async def totals(
    session: AsyncSession, *, start: date, end: date, person_id: int | None = None
) -> dict[str, int]:
    """Sums per indicator code over standing reports dated in [start, end], of a person or all."""
    await write_reports(session)
    query = _sums(start, end).group_by(Indicator.code)
    if person_id is not None:
        query = query.where(Report.person_id == person_id)
    return {code: int(total) for code, total in (await session.exec(query)).all()}


async def team_totals(
    session: AsyncSession, *, start: date, end: date, team_ids: set[int]
) -> dict[int, dict[str, int]]:
    """The same sums for each of many teams, in one query (a team with none maps to {})."""
    await write_reports(session)
    params = {"start": start, "end": end, "teams": sorted(team_ids)}
    found: dict[int, dict[str, int]] = {team_id: {} for team_id in team_ids}
    for code, total, team_id in (await session.exec(TEAM_SUMS, params=params)).all():
        found[team_id][code] = int(total)
    return found


def _sums(start: date, end: date):
    return (
        select(Indicator.code, func.sum(ReportLine.count))
        .join(ReportLine, ReportLine.indicator_id == Indicator.id)
        .join(Report, Report.id == ReportLine.report_id)
        .where(~Report.retracted, Report.activity_date >= start, Report.activity_date <= end)
    )


TEAM_SUMS = (  # a reply's week totals, on every report: built once
    _sums(bindparam("start"), bindparam("end"))
    .add_columns(Report.team_id)
    .where(Report.team_id.in_(bindparam("teams", expanding=True)))
    .group_by(Report.team_id, Indicator.code)
)


async def count_reports(session: AsyncSession, *, person_id: int, start: date, end: date) -> int:
    await write_reports(session)
    query = select(func.count()).where(
        Report.person_id == person_id,
        ~Report.retracted,
        Report.activity_date >= start,
        Report.activity_date <= end,
    )
    return (await session.exec(query)).one()


# Built once: read before every report is stored (bot.report_checks)
DAY_REPORTS = (
    select(
        Report.id,
        Report.person_id,
        Report.team_id,
        Report.created_at,
        ReportLine.indicator_id,
        ReportLine.count,
    )
    .join(ReportLine, ReportLine.report_id == Report.id)
    .where(
        Report.person_id.in_(bindparam("people", expanding=True)),
        Report.activity_date == bindparam("day"),
        ~Report.retracted,
    )
)


@dataclass(frozen=True)
class DayReport:
    """One of a person's standing reports for a day: what a new one is checked against."""

    team_id: int
    created_at: datetime
    counts: dict[int, int]  # by indicator id


async def day_reports(session: AsyncSession, *, person_id: int, day: date) -> list[DayReport]:
    """The person's standing reports for `day`, queued in this transaction or written: read
    without writing the queue, so a batch of reports still goes in one INSERT, and from what
    `read_day_reports` read for the batch when it has the person's day."""
    found = [
        DayReport(report["team_id"], report["created_at"], dict(lines))
        for report, lines, _ in held(session, QUEUED, list)
        if report["person_id"] == person_id and report["activity_date"] == day
    ]
    written = held(session, WRITTEN_DAYS, dict).get((person_id, day))
    if written is None:
        rows = await execute_core(session, DAY_REPORTS, {"people": [person_id], "day": day})
        written = _day_reports(rows).get(person_id, [])
    return found + written


async def read_day_reports(session: AsyncSession, *, person_ids: set[int], day: date) -> None:
    """Read the people's written reports for `day` in one query, for `day_reports` to use for
    the rest of the transaction (a batch checks each report against its sender's day). What the
    transaction writes or retracts later keeps it exact (`_written`, `_forget_day`)."""
    if not person_ids:
        return
    params = {"people": sorted(person_ids), "day": day}
    found = _day_reports(await execute_core(session, DAY_REPORTS, params))
    days = held(session, WRITTEN_DAYS, dict)
    for person_id in person_ids:
        days[(person_id, day)] = found.get(person_id, [])


def _day_reports(rows) -> dict[int, list[DayReport]]:
    """Each person's reports among DAY_REPORTS rows (one row per report line)."""
    reports: dict[int, tuple[int, DayReport]] = {}
    for report_id, person_id, team_id, created_at, indicator_id, count in rows:
        _, report = reports.setdefault(report_id, (person_id, DayReport(team_id, created_at, {})))
        report.counts[indicator_id] = count
    found: dict[int, list[DayReport]] = {}
    for person_id, report in reports.values():
        found.setdefault(person_id, []).append(report)
    return found


def _written(session: AsyncSession, queued: list) -> None:
    """Reports just written join the days read for the batch."""
    days = held(session, WRITTEN_DAYS, dict)
    for report, lines, _ in queued:
        known = days.get((report["person_id"], report["activity_date"]))
        if known is not None:
            known.append(DayReport(report["team_id"], report["created_at"], dict(lines)))


def forget_day_reports(session: AsyncSession, report: Report | None = None) -> None:
    """A retraction or an edit changes `report`'s day; moving reports (None) may change any."""
    days = held(session, WRITTEN_DAYS, dict)
    if report is None:
        days.clear()
    else:
        days.pop((report.person_id, report.activity_date), None)


async def count_history(
    session: AsyncSession, *, person_id: int, codes: list[str], since: date
) -> dict[str, list[int]]:
    """The person's count of each indicator in `codes`, one per standing report dated since
    `since`: what is usual for them."""
    await write_reports(session)
    query = (
        select(Indicator.code, ReportLine.count)
        .join(ReportLine, ReportLine.indicator_id == Indicator.id)
        .join(Report, Report.id == ReportLine.report_id)
        .where(
            Report.person_id == person_id,
            ~Report.retracted,
            Report.activity_date >= since,
            Indicator.code.in_(codes),
        )
    )
    history: dict[str, list[int]] = {code: [] for code in codes}
    for code, count in (await session.exec(query)).all():
        history[code].append(count)
    return history


async def newest_report(session: AsyncSession, *, person_id: int) -> Report | None:
    """The person's most recently made report, standing or retracted: /huy acts without asking
    only on this one, so a second /huy never walks back to older reports unasked."""
    await write_reports(session)
    query = select(Report).where(Report.person_id == person_id)
    return (await session.exec(query.order_by(Report.created_at.desc(), Report.id.desc()))).first()


async def report_on_day(
    session: AsyncSession, *, person_id: int, day: date, since: datetime
) -> Report | None:
    """The person's newest standing report dated `day` and made after `since` (/sua <ngày>)."""
    await write_reports(session)
    query = select(Report).where(
        Report.person_id == person_id,
        Report.activity_date == day,
        ~Report.retracted,
        Report.created_at >= since,
    )
    return (await session.exec(query.order_by(Report.created_at.desc(), Report.id.desc()))).first()
