"""A leader or official retracts or corrects a member's report, picked from a list; the member is
told, and the change is audited (db.reports).

PICKING -> ACTING -> (retracted) | ASKING_LINE -> CONFIRMING -> (corrected)
Each step checks again that the sender answers for the report's unit and that it still stands.
"""

from datetime import timedelta

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.notices import to_person
from bot.reporting import catalogue, forget_week_totals, parse_line
from bot.words import ParseError
from db.corrections import Placed, counts_of, placed_report, reports_under
from db.models import Role
from db.reports import retract, save_report

FLOW = "correct"
PICKING, ACTING, ASKING_LINE, CONFIRMING = "pick", "act", "line", "confirm"
LISTED = 10  # reports offered at once, the newest
LABEL = 60  # characters of a choice's label


def overseen(ctx: Context) -> dict[str, str]:
    """Unit path -> the sender's role there, for the units whose reports they may correct."""
    return {
        p.unit.path: p.role.value
        for p in ctx.places
        if p.role == Role.OFFICIAL or (p.leads and p.membership.confirmed)
    }


def _role_over(ctx: Context, placed: Placed) -> str | None:
    """The sender's role over the report's unit, or None: who may correct it."""
    for path, role in overseen(ctx).items():
        if placed.unit.path.startswith(path):
            return role
    return None


async def begin(ctx: Context) -> list[Reply]:
    since = ctx.today - timedelta(days=ctx.settings.max_days_back)
    listed = await reports_under(
        ctx.session, paths=list(overseen(ctx)), since=since, but_person=ctx.person.id, limit=LISTED
    )
    if not listed:
        return [Reply(texts.CORRECT_NONE.format(days=ctx.settings.max_days_back))]
    book = await catalogue(ctx)
    counts = await counts_of(ctx.session, report_ids=[p.report.id for p in listed])
    choices = [
        Choice(_item(p, book.format(counts[p.report.id])), f"pick:{p.report.id}") for p in listed
    ]
    await state.start(ctx, FLOW, PICKING, {})
    return [Reply(texts.CORRECT_PICK, choices=(*choices, CANCEL))]


def _item(placed: Placed, tally: str) -> str:
    day = f"{placed.report.activity_date:%d/%m}"
    label = texts.CORRECT_ITEM.format(day=day, name=placed.name, unit=placed.unit.name, tally=tally)
    return label if len(label) <= LABEL else label[: LABEL - 1] + "…"


async def _allowed(ctx: Context, report_id: int) -> Placed | None:
    """The report, if it still stands and the sender answers for its unit."""
    placed = await placed_report(ctx.session, report_id=report_id)
    if placed is None or placed.report.retracted or _role_over(ctx, placed) is None:
        return None
    return placed


async def _tally(ctx: Context, report_id: int) -> str:
    book = await catalogue(ctx)
    return book.format((await counts_of(ctx.session, report_ids=[report_id]))[report_id])


async def picking(ctx: Context, data: dict, answer: Answer) -> Step:
    choice = answer.choice or ""
    placed = await _allowed(ctx, int(choice[5:])) if choice.startswith("pick:") else None
    if placed is None:
        return Step([Reply(texts.CORRECT_GONE)], None)
    data["report_id"] = placed.report.id
    note = texts.REPORT_NOTE_LABEL.format(note=placed.report.note) if placed.report.note else ""
    text = texts.CORRECT_WHAT.format(
        day=f"{placed.report.activity_date:%d/%m}",
        name=placed.name,
        unit=placed.unit.name,
        tally=await _tally(ctx, placed.report.id),
        note=note,
    )
    actions = (Choice(texts.BTN_CORRECT_RETRACT, "retract"), Choice(texts.BTN_CORRECT_EDIT, "edit"))
    return Step([Reply(text, choices=(*actions, CANCEL))], ACTING)


async def acting(ctx: Context, data: dict, answer: Answer) -> Step:
    placed = await _allowed(ctx, data["report_id"])
    if placed is None:
        return Step([Reply(texts.CORRECT_GONE)], None)
    day = f"{placed.report.activity_date:%d/%m}"
    if answer.choice == "edit":
        return Step([Reply(texts.CORRECT_ASK_LINE.format(day=day))], ASKING_LINE)
    if answer.choice != "retract":
        return await picking(ctx, data, Answer(choice=f"pick:{placed.report.id}"))
    tally = await _tally(ctx, placed.report.id)
    await retract(ctx.session, report=placed.report, actor_id=ctx.person.id)
    forget_week_totals(ctx)
    notice = texts.NOTICE_RETRACTED.format(**_who(ctx, placed), day=day, tally=tally)
    done = texts.CORRECT_RETRACTED.format(day=day, name=placed.name, tally=tally)
    return Step([Reply(done), *await to_person(ctx, placed.report.person_id, notice)], None)


def _who(ctx: Context, placed: Placed) -> dict:
    role = texts.ROLE_NAMES[_role_over(ctx, placed)]
    return {"actor": ctx.person.display_name, "role": role}


async def asking_line(ctx: Context, data: dict, answer: Answer) -> Step:
    try:
        parsed = await parse_line(ctx, answer.text)
    except ParseError as error:
        return Step([Reply(error.message)], ASKING_LINE)
    if parsed.unclear:
        return Step(
            [Reply(texts.CORRECT_UNCLEAR.format(value=parsed.unclear[0].value))], ASKING_LINE
        )
    data["counts"] = parsed.counts
    return await _confirmation(ctx, data)


async def _confirmation(ctx: Context, data: dict) -> Step:
    placed = await _allowed(ctx, data["report_id"])
    if placed is None:
        return Step([Reply(texts.CORRECT_GONE)], None)
    book = await catalogue(ctx)
    text = texts.CORRECT_CONFIRM.format(
        day=f"{placed.report.activity_date:%d/%m}",
        name=placed.name,
        before=await _tally(ctx, placed.report.id),
        after=book.format(data["counts"]),
    )
    return Step([Reply(text, choices=(Choice(texts.BTN_YES, "yes"), CANCEL))], CONFIRMING)


async def confirming(ctx: Context, data: dict, answer: Answer) -> Step:
    if answer.choice != "yes":
        return await _confirmation(ctx, data)
    placed = await _allowed(ctx, data["report_id"])
    if placed is None:
        return Step([Reply(texts.CORRECT_GONE)], None)
    report, book = placed.report, await catalogue(ctx)
    before = await _tally(ctx, report.id)
    await save_report(
        ctx.session,
        person_id=report.person_id,
        team_id=report.team_id,
        activity_date=report.activity_date,
        counts=data["counts"],
        source=ctx.event.platform,
        idempotency_key=f"{ctx.event.platform}:{ctx.event.update_key}",
        note=report.note,
        photo_ref=report.photo_ref,
        replaces=report,
        indicator_ids=book.ids,
        actor_id=ctx.person.id,
    )
    forget_week_totals(ctx)
    day, after = f"{report.activity_date:%d/%m}", book.format(data["counts"])
    notice = texts.NOTICE_EDITED.format(**_who(ctx, placed), day=day, before=before, after=after)
    done = texts.CORRECT_EDITED.format(day=day, name=placed.name, before=before, after=after)
    return Step([Reply(done), *await to_person(ctx, report.person_id, notice)], None)


STEPS = {PICKING: picking, ACTING: acting, ASKING_LINE: asking_line, CONFIRMING: confirming}
