"""Activity reports: save, retract, edit, and the small totals a reply shows. Never commits."""

from datetime import date, datetime

from sqlalchemy import bindparam, event, func, insert
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Report, ReportLine, utcnow


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
) -> None:
    """Queue a report with its lines for the session's next statement or commit; an edit retracts
    the report it replaces.

    Reports are most of what a batch of updates writes, so they are queued as plain rows and go
    in one INSERT per table (`_write_queued`), before anything else the session executes: every
    query sees them, as with the ORM's autoflush. Built as ORM objects they cost ~0.2 ms each, and
    SQLite's would be written one row per statement.
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
    session.sync_session.info.setdefault(QUEUED, []).append((report, lines))
    if replaces is not None:
        replaces.retracted = True
        replaces.retracted_at = replaces.edited_at = now
        session.add(replaces)


QUEUED = "queued_reports"
# Core inserts, built once: no ORM work per row, no statement to build and cache-key per batch
INSERT_REPORTS = insert(Report.__table__).returning(
    Report.__table__.c.idempotency_key, Report.__table__.c.id
)
INSERT_LINES = insert(ReportLine.__table__)


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    _write_queued(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _write_queued(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUED, None)


def _write_queued(session: Session) -> None:
    """Write the queued reports, then their lines (ids matched by the unique idempotency key)."""
    queued = session.info.pop(QUEUED, None)
    if not queued:
        return
    connection = session.connection()  # past the ORM's execute, which would call this hook again
    ids = dict(connection.execute(INSERT_REPORTS, [report for report, _ in queued]).all())
    lines = [
        {"report_id": ids[report["idempotency_key"]], "indicator_id": indicator, "count": count}
        for report, report_lines in queued
        for indicator, count in report_lines
    ]
    if lines:
        connection.execute(INSERT_LINES, lines)


async def last_report(session: AsyncSession, *, person_id: int, since: datetime) -> Report | None:
    """The person's newest standing report created after `since` (the window /huy and /sua allow)."""
    query = (
        select(Report)
        .where(Report.person_id == person_id, ~Report.retracted, Report.created_at >= since)
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
    return (await session.exec(query)).first()


async def retract(session: AsyncSession, *, report: Report) -> None:
    report.retracted = True
    report.retracted_at = utcnow()
    session.add(report)
    await session.flush()


async def report_counts(session: AsyncSession, *, report_id: int) -> dict[str, int]:
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
    query = _sums(start, end).group_by(Indicator.code)
    if person_id is not None:
        query = query.where(Report.person_id == person_id)
    return {code: int(total) for code, total in (await session.exec(query)).all()}


async def team_totals(
    session: AsyncSession, *, start: date, end: date, team_ids: set[int]
) -> dict[int, dict[str, int]]:
    """The same sums for each of many teams, in one query (a team with none maps to {})."""
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
    query = select(func.count()).where(
        Report.person_id == person_id,
        ~Report.retracted,
        Report.activity_date >= start,
        Report.activity_date <= end,
    )
    return (await session.exec(query)).one()
