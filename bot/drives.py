"""The lines campaigns and assignments add to /baocao and /chuabaocao (kept apart from those).

/baocao: each live campaign of the unit's commune, and for officials open and overdue tasks as
counts per hamlet. /chuabaocao: the overdue tasks (names only where the chat may show them).
"""

from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.campaigns import baocao_line, read_figures
from db.campaigns import live_campaigns
from db.indicators import active_indicators
from db.models import Level, Unit
from db.tasks import TaskView, tasks_where
from db.units import units_under


def is_overdue(view: TaskView, today: date) -> bool:
    return view.task.due_date < today and not view.complete


async def indicator_labels(session: AsyncSession) -> dict[str, str]:
    """Each active indicator's short label ("VNeID"), by code, for places without a Context."""
    return {i.code: texts.short_label(i) for i in await active_indicators(session)}


def task_progress(view: TaskView, labels: dict[str, str]) -> str:
    """ "VNeID: 7/10, DVC: 2/5" from the member's reports, or the task's area in words."""
    if not view.lines:
        return texts.TASK_AREA.format(area=view.task.area)
    return ", ".join(
        texts.TASK_PROGRESS.format(
            indicator=labels.get(code, code), done=view.done.get(code, 0), target=n
        )
        for code, n in view.lines.items()
    )


async def baocao_lines(
    session: AsyncSession, *, unit: Unit, today: date, officials: bool
) -> list[str]:
    """Lines under the /baocao summary; [] when there is nothing to add."""
    lines = []
    commune_id = unit.id if unit.level == Level.COMMUNE else unit.parent_id
    if unit.level in (Level.COMMUNE, Level.HAMLET) and commune_id is not None:
        for campaign in await live_campaigns(session, unit_id=commune_id, day=today):
            if campaign.end_date >= today - timedelta(days=1):
                figures = await read_figures(session, campaign=campaign)
                lines.append(baocao_line(figures, unit.id))
    if officials:
        lines += await _task_counts(session, unit=unit, today=today)
    return lines


async def _task_counts(session: AsyncSession, *, unit: Unit, today: date) -> list[str]:
    hamlets = (
        [unit]
        if unit.level == Level.HAMLET
        else await units_under(session, paths=[unit.path], level=Level.HAMLET)
    )
    views = [
        v for v in await tasks_where(session, unit_ids=[h.id for h in hamlets]) if not v.complete
    ]
    if not views:
        return []
    lines = [texts.TASK_BAOCAO_HEADER]
    for hamlet in hamlets:
        mine = [v for v in views if v.hamlet.id == hamlet.id]
        if mine:
            late = sum(1 for v in mine if is_overdue(v, today))
            lines.append(
                texts.TASK_BAOCAO_LINE.format(hamlet=hamlet.name, open=len(mine), overdue=late)
            )
    return lines


async def overdue_lines(
    session: AsyncSession, *, hamlet_ids: list[int], today: date, names: bool
) -> list[str]:
    """The /chuabaocao block: how many tasks are overdue, and whose where names may be shown."""
    views = [v for v in await tasks_where(session, unit_ids=hamlet_ids) if is_overdue(v, today)]
    if not views:
        return []
    lines = [texts.TASK_OVERDUE_HEADER.format(count=len(views))]
    if names:
        labels = await indicator_labels(session)
        lines += [
            texts.TASK_OVERDUE_LINE.format(
                name=v.member_name,
                id=v.task.id,
                due=f"{v.task.due_date:%d/%m}",
                what=task_progress(v, labels),
            )
            for v in views
        ]
    return lines
