"""/giao: a leader (or an official) gives a member a task; /viec không: the member says why not.

Assigning: ASKING_MEMBER -> ASKING_WHAT -> (ASKING_INDICATOR <-> ASKING_COUNT | ASKING_AREA)
-> ASKING_DUE -> CONFIRMING. Declining: ASKING_REASON. Nothing is stored before the last answer.
An area is words ("xóm 3, từ nhà số 10 đến 40"), never a resident: numbers that look like a phone
or ID are masked (bot.privacy).
"""

import re
from datetime import date, timedelta

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.dates import DATE, resolve_date
from bot.notices import to_person
from bot.privacy import mask_personal_numbers
from bot.reporting import catalogue
from bot.words import ParseError
from db.models import Task
from db.tasks import DECLINED, PENDING, add_task, answer_task, get_task, task_lines

FLOW, DECLINE_FLOW = "assign", "decline"
ASKING_MEMBER, ASKING_WHAT, ASKING_INDICATOR = "member", "what", "indicator"
ASKING_COUNT, ASKING_AREA, ASKING_DUE, CONFIRMING = "count", "area", "due", "confirm"
ASKING_REASON = "reason"
LATEST_DUE = 92  # days ahead


async def begin(ctx: Context, members: list[list]) -> list[Reply]:
    """Open the flow over `members`: [person id, team id, name, hamlet] each."""
    await state.start(ctx, FLOW, ASKING_MEMBER, {"members": members})
    return [_member_question(members)]


def _member_question(members: list[list]) -> Reply:
    choices = tuple(Choice(f"{m[2]} ({m[3]})", f"m:{i}") for i, m in enumerate(members))
    return Reply(texts.TASK_ASK_MEMBER, choices=(*choices, CANCEL))


async def asking_member(ctx: Context, data: dict, answer: Answer) -> Step:
    choice = answer.choice or ""
    index = int(choice[2:]) if choice.startswith("m:") and choice[2:].isdigit() else -1
    if not 0 <= index < len(data["members"]):
        return Step([_member_question(data["members"])], ASKING_MEMBER)
    data["member"] = data.pop("members")[index]
    return Step([_what_question(data)], ASKING_WHAT)


def _what_question(data: dict) -> Reply:
    what = (Choice(texts.BTN_TASK_COUNTS, "what:counts"), Choice(texts.BTN_TASK_AREA, "what:area"))
    text = texts.TASK_ASK_WHAT.format(name=data["member"][2])
    return Reply(text, choices=(*what, CANCEL))


async def asking_what(ctx: Context, data: dict, answer: Answer) -> Step:
    if answer.choice == "what:area":
        return Step([Reply(texts.TASK_ASK_AREA, choices=(CANCEL,))], ASKING_AREA)
    if answer.choice == "what:counts":
        data["counts"] = {}
        return Step([await _indicator_menu(ctx, data)], ASKING_INDICATOR)
    return Step([_what_question(data)], ASKING_WHAT)


async def _indicator_menu(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    tally = book.format(data["counts"]) if data["counts"] else texts.REPORT_TALLY_EMPTY
    choices = [*book.choices(), Choice(texts.BTN_DONE, "done"), CANCEL]
    return Reply(texts.TASK_ASK_INDICATOR.format(tally=tally), choices=tuple(choices))


async def asking_indicator(ctx: Context, data: dict, answer: Answer) -> Step:
    book = await catalogue(ctx)
    choice = answer.choice or ""
    if choice == "done":
        if not data["counts"]:
            return Step(
                [Reply(texts.TASK_NEED_LINE), await _indicator_menu(ctx, data)], ASKING_INDICATOR
            )
        return Step([_due_question()], ASKING_DUE)
    code = book.picked(choice)
    if code is None:
        return Step([await _indicator_menu(ctx, data)], ASKING_INDICATOR)
    data["asking"] = code
    text = texts.TASK_ASK_COUNT.format(indicator=book.labels[code])
    return Step([Reply(text)], ASKING_COUNT)  # no menu: a typed number is the count


async def asking_count(ctx: Context, data: dict, answer: Answer) -> Step:
    most = ctx.settings.max_count_per_indicator
    typed = answer.text.strip()
    if not typed.isdigit() or not 1 <= int(typed) <= most:
        return Step([Reply(texts.TASK_BAD_COUNT.format(max=most))], ASKING_COUNT)
    data["counts"][data.pop("asking")] = int(typed)
    return Step([await _indicator_menu(ctx, data)], ASKING_INDICATOR)


async def asking_area(ctx: Context, data: dict, answer: Answer) -> Step:
    area = " ".join(answer.text.split())
    if not 3 <= len(area) <= 200:
        return Step([Reply(texts.TASK_BAD_AREA)], ASKING_AREA)
    data["area"] = mask_personal_numbers(area)
    return Step([_due_question()], ASKING_DUE)


def _due_question() -> Reply:
    choices = (Choice(texts.BTN_DUE_SUNDAY, "due:sunday"), Choice(texts.BTN_DUE_WEEK, "due:week"))
    return Reply(texts.TASK_ASK_DUE, choices=(*choices, CANCEL))


def parse_due(answer: Answer, today: date) -> date | None:
    """This Sunday, a week from today, or a typed dd/mm from today to three months ahead."""
    if answer.choice == "due:sunday":
        return today + timedelta(days=6 - today.weekday())
    if answer.choice == "due:week":
        return today + timedelta(days=7)
    typed = answer.text.strip()
    if not re.fullmatch(DATE, typed):
        return None
    try:
        day = resolve_date(typed, today + timedelta(days=LATEST_DUE - 31))
    except ParseError:
        return None
    return day if today <= day <= today + timedelta(days=LATEST_DUE) else None


async def asking_due(ctx: Context, data: dict, answer: Answer) -> Step:
    due = parse_due(answer, ctx.today)
    if due is None:
        value = answer.text.strip()[:40]
        return Step([Reply(texts.TASK_BAD_DUE.format(value=value)), _due_question()], ASKING_DUE)
    data["due"] = due.isoformat()
    return Step([await _confirmation(ctx, data)], CONFIRMING)


async def what_text(ctx: Context, counts: dict[str, int], area: str | None) -> str:
    """What a task asks, as its messages show it."""
    if area:
        return texts.TASK_AREA.format(area=area)
    return (await catalogue(ctx)).format(counts)


async def _confirmation(ctx: Context, data: dict) -> Reply:
    what = await what_text(ctx, data.get("counts", {}), data.get("area"))
    _, _, name, hamlet = data["member"]
    due = f"{date.fromisoformat(data['due']):%d/%m/%Y}"
    text = texts.TASK_CONFIRM.format(name=name, hamlet=hamlet, what=what, due=due)
    return Reply(text, choices=(Choice(texts.BTN_ASSIGN, "yes"), CANCEL))


async def confirming(ctx: Context, data: dict, answer: Answer) -> Step:
    """«Giao việc»: the task and its lines, and a private notice to the member, together."""
    if answer.choice != "yes":
        return Step([await _confirmation(ctx, data)], CONFIRMING)
    book = await catalogue(ctx)
    person_id, team_id, name, _ = data["member"]
    task = Task(
        team_id=team_id,
        person_id=person_id,
        assigned_by=ctx.person.id,
        area=data.get("area"),
        start_date=ctx.today,
        due_date=date.fromisoformat(data["due"]),
    )
    lines = {book.ids[code]: n for code, n in data.get("counts", {}).items()}
    await add_task(ctx.session, task=task, lines=lines)
    what = await what_text(ctx, data.get("counts", {}), data.get("area"))
    notice = texts.TASK_NEW_NOTICE.format(
        leader=ctx.person.display_name, what=what, due=f"{task.due_date:%d/%m/%Y}"
    )
    told = await to_person(ctx, person_id, notice, but_sender=True)
    saved = texts.TASK_SAVED if told else texts.TASK_SAVED_UNREACHABLE
    return Step([Reply(saved.format(name=name)), *told], None)


# --- declining ---
async def begin_decline(ctx: Context, task: Task) -> list[Reply]:
    await state.start(ctx, DECLINE_FLOW, ASKING_REASON, {"task_id": task.id})
    return [Reply(texts.TASK_ASK_REASON.format(id=task.id), choices=(CANCEL,))]


async def asking_reason(ctx: Context, data: dict, answer: Answer) -> Step:
    """The reason, masked, reaches whoever gave the task; the task is closed as declined."""
    reason = mask_personal_numbers(" ".join(answer.text.split()))
    if not 3 <= len(reason) <= 300:
        return Step([Reply(texts.TASK_BAD_REASON)], ASKING_REASON)
    task = await get_task(ctx.session, task_id=data["task_id"])
    if task is None or task.person_id != ctx.person.id or task.status not in PENDING:
        return Step([Reply(texts.TASK_NOT_YOURS.format(id=data["task_id"]))], None)
    await answer_task(ctx.session, task=task, status=DECLINED, at=ctx.now, reason=reason)
    what = await task_what(ctx, task)
    notice = texts.TASK_DECLINED_NOTICE.format(
        name=ctx.person.display_name, id=task.id, what=what, reason=reason
    )
    told = await to_person(ctx, task.assigned_by, notice)
    return Step([Reply(texts.TASK_DECLINED.format(id=task.id)), *told], None)


async def task_what(ctx: Context, task: Task) -> str:
    lines = await task_lines(ctx.session, task_id=task.id)
    return await what_text(ctx, lines, task.area)


STEPS = {
    ASKING_MEMBER: asking_member,
    ASKING_WHAT: asking_what,
    ASKING_INDICATOR: asking_indicator,
    ASKING_COUNT: asking_count,
    ASKING_AREA: asking_area,
    ASKING_DUE: asking_due,
    CONFIRMING: confirming,
}
DECLINE_STEPS = {ASKING_REASON: asking_reason}
