"""Assignments (phân công): stored tasks, their answers, and progress read from the reports.

Progress is the sum of the member's standing report lines for the task's team on its indicators
from the day it was given to its due date: a retracted or edited report changes it with nothing
to keep in step. Never commits.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Person, Report, ReportLine, Task, TaskLine, Team, Unit

OPEN, ACCEPTED, DECLINED, DONE = "open", "accepted", "declined", "done"
PENDING = (OPEN, ACCEPTED)  # still to be done


@dataclass
class TaskView:
    """A task with its lines (code -> count), what was reported toward them, and its people."""

    task: Task
    hamlet: Unit
    member_name: str
    lines: dict[str, int]
    done: dict[str, int]
    reports: int  # the member's standing reports for the team in the task's days

    @property
    def complete(self) -> bool:
        """Counts reached (a task in words is complete only when the member says so)."""
        if self.task.status == DONE:
            return True
        return bool(self.lines) and all(self.done.get(c, 0) >= n for c, n in self.lines.items())


async def add_task(session: AsyncSession, *, task: Task, lines: dict[int, int]) -> Task:
    """Store the task and its lines (indicator id -> count)."""
    session.add(task)
    await session.flush()
    for indicator_id, count in lines.items():
        session.add(TaskLine(task_id=task.id, indicator_id=indicator_id, count=count))
    await session.flush()
    return task


async def get_task(session: AsyncSession, *, task_id: int) -> Task | None:
    return await session.get(Task, task_id)


async def answer_task(
    session: AsyncSession, *, task: Task, status: str, at: datetime, reason: str | None = None
) -> None:
    task.status, task.reason, task.answered_at = status, reason, at
    session.add(task)
    await session.flush()


async def tasks_where(
    session: AsyncSession,
    *,
    person_id: int | None = None,
    unit_ids: list[int] | None = None,
    due: date | None = None,
    statuses: tuple[str, ...] = PENDING,
) -> list[TaskView]:
    """Tasks of a person or of these hamlets (optionally due on one day), with their progress."""
    query = (
        select(Task, Unit, Person.display_name)
        .join(Team, Team.id == Task.team_id)
        .join(Unit, Unit.id == Team.unit_id)
        .join(Person, Person.id == Task.person_id)
        .where(Task.status.in_(statuses))
        .order_by(Task.due_date, Task.id)
    )
    if person_id is not None:
        query = query.where(Task.person_id == person_id)
    if unit_ids is not None:
        query = query.where(Team.unit_id.in_(unit_ids))
    if due is not None:
        query = query.where(Task.due_date == due)
    rows = (await session.exec(query)).all()
    lines = await _lines(session, task_ids=[task.id for task, _, _ in rows])
    views = [TaskView(task, unit, name, lines.get(task.id, {}), {}, 0) for task, unit, name in rows]
    await _progress(session, views)
    return views


async def _lines(session: AsyncSession, *, task_ids: list[int]) -> dict[int, dict[str, int]]:
    if not task_ids:
        return {}
    query = (
        select(TaskLine.task_id, Indicator.code, TaskLine.count)
        .join(Indicator, Indicator.id == TaskLine.indicator_id)
        .where(TaskLine.task_id.in_(task_ids))
        .order_by(Indicator.position, Indicator.id)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for task_id, code, count in (await session.exec(query)).all():
        found[task_id][code] = count
    return found


async def _progress(session: AsyncSession, views: list[TaskView]) -> None:
    """Fill `done` and `reports` from the members' standing reports, one query for all."""
    if not views:
        return
    people = sorted({v.task.person_id for v in views})
    first = min(v.task.start_date for v in views)
    last = max(v.task.due_date for v in views)
    query = (
        select(
            Report.id,
            Report.person_id,
            Report.team_id,
            Report.activity_date,
            Indicator.code,
            ReportLine.count,
        )
        .join(ReportLine, ReportLine.report_id == Report.id)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(
            ~Report.retracted,
            Report.person_id.in_(people),
            Report.activity_date >= first,
            Report.activity_date <= last,
        )
    )
    rows = (await session.exec(query)).all()
    for view in views:
        task, seen = view.task, set()
        for report_id, person_id, team_id, day, code, count in rows:
            if (person_id, team_id) != (task.person_id, task.team_id):
                continue
            if not task.start_date <= day <= task.due_date:
                continue
            seen.add(report_id)
            if code in view.lines:
                view.done[code] = view.done.get(code, 0) + count
        view.reports = len(seen)


async def task_lines(session: AsyncSession, *, task_id: int) -> dict[str, int]:
    """A task's counts by indicator code."""
    return (await _lines(session, task_ids=[task_id])).get(task_id, {})
