"""/giao and /viec: leaders give members tasks; members see, accept or decline theirs.

/giao                 the guided flow (bot.conversations.assign), over the teams the sender runs
/viec                 the sender's open tasks with progress from their own reports
/viec nhận|không|xong <số>   accept, say why not (a reason reaches the leader), or finish
"""

from bot import texts
from bot.conversations import assign
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.drives import is_overdue, task_progress
from bot.handlers.team import hamlets_of, managed
from bot.notices import to_person
from bot.reporting import catalogue
from bot.words import fold
from db.models import MEMBER_ROLES
from db.tasks import ACCEPTED, DONE, OPEN, PENDING, TaskView, answer_task, get_task, tasks_where
from db.team import member_statuses, team_of_unit

MOST_MEMBERS = 60  # a menu longer than this is not a menu


async def give(ctx: Context, args: str) -> list[Reply]:
    """/giao: pick a member of a team the sender runs, then what and by when."""
    if ctx.person is None:
        return [Reply(texts.NOT_JOINED)]
    units = managed(ctx)
    if not units:
        return [Reply(texts.TASK_LEADERS_ONLY)]
    if not ctx.event.is_private:
        return [Reply(texts.TEAM_PRIVATE_ONLY.format(command="giao"))]
    hamlets = {h.id: h for u in units for h in await hamlets_of(ctx, u)}
    members = await member_statuses(
        ctx.session, unit_ids=list(hamlets), start=ctx.today, end=ctx.today
    )
    team_ids = {p.unit.id: p.team.id for p in ctx.places}
    listed = [
        [m.person_id, await _team_id(ctx, m.unit_id, team_ids), m.name, hamlets[m.unit_id].name]
        for m in members
        if m.role in MEMBER_ROLES and m.person_id != ctx.person.id
    ][:MOST_MEMBERS]
    if not listed:
        return [Reply(texts.TASK_NO_MEMBERS)]
    return await assign.begin(ctx, listed)


async def _team_id(ctx: Context, unit_id: int, known: dict[int, int]) -> int:
    if unit_id not in known:
        known[unit_id] = await team_of_unit(ctx.session, unit_id=unit_id)
    return known[unit_id]


async def my_tasks(ctx: Context, args: str) -> list[Reply]:
    """/viec: open tasks with progress; /viec nhận|không|xong <số> answers one."""
    if ctx.person is None:
        return [Reply(texts.NOT_JOINED)]
    words = fold(args).split()
    if len(words) == 2 and words[1].lstrip("#").isdigit():
        return await _answer(ctx, words[0], int(words[1].lstrip("#")))
    views = await tasks_where(ctx.session, person_id=ctx.person.id)
    if not views:
        return [Reply(texts.TASK_MINE_NONE)]
    lines, choices = [texts.TASK_MINE_HEADER], []
    for view in views:
        lines.append(await task_line(ctx, view))
        tid = view.task.id
        if view.task.status == OPEN:
            choices.append(Choice(texts.BTN_TASK_ACCEPT.format(id=tid), f"/viec nhan {tid}"))
            choices.append(Choice(texts.BTN_TASK_DECLINE.format(id=tid), f"/viec khong {tid}"))
        elif not view.lines and not view.complete:
            choices.append(Choice(texts.BTN_TASK_DONE.format(id=tid), f"/viec xong {tid}"))
    return [Reply("\n".join(lines), choices=tuple(choices))]


async def what_with_progress(ctx: Context, view: TaskView) -> str:
    """ "VNeID 7/10, DVC 2/5", or the area with how many reports were sent since."""
    progress = task_progress(view, (await catalogue(ctx)).labels)
    if view.lines:
        return progress
    return texts.TASK_AREA_REPORTS.format(area=progress, reports=view.reports)


async def task_line(ctx: Context, view: TaskView) -> str:
    task = view.task
    if view.complete:
        status = texts.TASK_STATE_COMPLETE
    elif is_overdue(view, ctx.today):
        status = texts.TASK_STATE_OVERDUE
    else:
        status = texts.TASK_STATE_NEW if task.status == OPEN else texts.TASK_STATE_ACCEPTED
    return texts.TASK_LINE.format(
        id=task.id,
        hamlet=view.hamlet.name,
        due=f"{task.due_date:%d/%m}",
        state=status,
        what=await what_with_progress(ctx, view),
    )


async def _answer(ctx: Context, word: str, task_id: int) -> list[Reply]:
    task = await get_task(ctx.session, task_id=task_id)
    if task is None or task.person_id != ctx.person.id or task.status not in PENDING:
        return [Reply(texts.TASK_NOT_YOURS.format(id=task_id))]
    name = ctx.person.display_name
    if word in texts.TASK_DECLINE_WORDS:
        return await assign.begin_decline(ctx, task)
    if word in texts.TASK_ACCEPT_WORDS and task.status == OPEN:
        await answer_task(ctx.session, task=task, status=ACCEPTED, at=ctx.now)
        notice = texts.TASK_ACCEPTED_NOTICE.format(
            name=name, id=task.id, due=f"{task.due_date:%d/%m}"
        )
        return [
            Reply(texts.TASK_ACCEPTED.format(id=task.id)),
            *await to_person(ctx, task.assigned_by, notice),
        ]
    if word in texts.TASK_DONE_WORDS:
        what = await assign.task_what(ctx, task)
        await answer_task(ctx.session, task=task, status=DONE, at=ctx.now)
        notice = texts.TASK_DONE_NOTICE.format(name=name, id=task.id, what=what)
        return [
            Reply(texts.TASK_MARKED_DONE.format(id=task.id)),
            *await to_person(ctx, task.assigned_by, notice),
        ]
    return await my_tasks(ctx, "")
