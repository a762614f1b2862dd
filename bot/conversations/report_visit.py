"""/ghinhan: a guided report. Hamlet (if several), date, then an indicator menu with a running tally.

ASKING_HAMLET -> ASKING_DATE -> ASKING_INDICATOR <-> ASKING_COUNT / ASKING_NOTE -> CONFIRMING
A typed line with numbers the parser could not attribute first goes through ASKING_WHICH, one
number at a time. Nothing is stored until the user confirms (or answered the last question of a
/bc line, which stores at once). A report that looks sent twice or far above the member's usual
waits in ASKING_SURE for one more «Lưu» (bot.report_checks).
"""

from datetime import date, timedelta

from bot import texts
from bot.address import you
from bot.core import state
from bot.core.context import Context, Place
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.dates import parse_day
from bot.privacy import mask_personal_numbers
from bot.quick_report import Unclear, indicator_named, parse_count
from bot.report_checks import doubt
from bot.reporting import cannot_report, catalogue, parse_line, store
from bot.unit_names import kind_of_all
from bot.words import ParseError, fold
from db.models import Level, Report

FLOW = "report"
ASKING_HAMLET, ASKING_DATE, ASKING_INDICATOR = "hamlet", "date", "indicator"
ASKING_COUNT, ASKING_NOTE, CONFIRMING = "count", "note", "confirm"
ASKING_WHICH = "which"  # which indicator a stray number counts
ASKING_SURE = "sure"  # the same report again, or a count far above the usual: store it anyway?


async def begin(ctx: Context, data: dict | None = None) -> list[Reply]:
    """Open the flow; `data` may carry a prefilled report (from /sua or a typed line)."""
    data = dict(data or {})
    places = ctx.reporting_places
    if not places:
        return [cannot_report(ctx)]
    if "team_id" not in data:
        if len(places) > 1:
            await state.start(ctx, FLOW, ASKING_HAMLET, data)
            return [_hamlet_question(ctx, places)]
        data["team_id"] = places[0].team.id
    if "day" not in data:
        await state.start(ctx, FLOW, ASKING_DATE, data)
        return [_date_question()]
    if data.get("pending"):
        await state.start(ctx, FLOW, ASKING_WHICH, data)
        return [await _which_question(ctx, data)]
    next_step = CONFIRMING if data.get("counts") and data.get("confirm_first") else ASKING_INDICATOR
    await state.start(ctx, FLOW, next_step, data)
    return [await (_confirmation(ctx, data) if next_step == CONFIRMING else _menu(ctx, data))]


def pending(unclear: tuple[Unclear, ...]) -> list[dict]:
    """The stray numbers of a typed line, as the flow keeps them."""
    return [{"value": u.value, "context": u.context, "options": list(u.options)} for u in unclear]


async def _which_question(ctx: Context, data: dict) -> Reply:
    """Which indicator the next stray number counts; the likeliest offered, by proper name."""
    book = await catalogue(ctx)
    item = data["pending"][0]
    text = texts.REPORT_ASK_WHICH.format(value=item["value"], context=item["context"])
    if data.get("counts"):
        text = texts.REPORT_UNDERSTOOD.format(tally=book.format(data["counts"])) + text
    choices = [Choice(book.names[c], f"which:{c}") for c in item["options"] if c in book.names]
    return Reply(text, choices=(*choices, Choice(texts.BTN_SKIP_NUMBER, "which:-"), CANCEL))


async def asking_which(ctx: Context, data: dict, answer: Answer) -> Step:
    """A choice, or an indicator's name typed; then the next number, or on as the line began."""
    book = await catalogue(ctx)
    choice = answer.choice or ""
    code = choice[6:] if choice.startswith("which:") else None
    if code is None and answer.text.strip():
        code = indicator_named(answer.text, book.words)
    if code is None or (code != "-" and code not in book.names):
        hint = Reply(texts.REPORT_WHICH_HINT.format(text=answer.text.strip()[:40]))
        return Step([hint, await _which_question(ctx, data)], ASKING_WHICH)
    item = data["pending"].pop(0)
    if code != "-":
        counts = data.setdefault("counts", {})
        total, most = counts.get(code, 0) + item["value"], ctx.settings.max_count_per_indicator
        if total > most:
            data["pending"].insert(0, item)
            example = texts.REPORT_EXAMPLE.format(code=code)
            error = texts.PARSE_TOO_BIG.format(value=total, max=most, example=example)
            return Step([Reply(error), await _which_question(ctx, data)], ASKING_WHICH)
        counts[code] = total
    return await _after_which(ctx, data)


async def _after_which(ctx: Context, data: dict) -> Step:
    if data["pending"]:
        return Step([await _which_question(ctx, data)], ASKING_WHICH)
    if not any(data.get("counts", {}).values()):
        return Step([Reply(texts.REPORT_NOTHING_LEFT)], None)
    if data.get("store_now"):
        return await confirming(ctx, data, Answer(choice="yes"))
    if data.get("confirm_first"):
        return Step([await _confirmation(ctx, data)], CONFIRMING)
    return Step([await _menu(ctx, data)], ASKING_INDICATOR)


def _hamlet_question(ctx: Context, places: list[Place]) -> Reply:
    choices = tuple(Choice(p.unit.name, f"team:{p.team.id}") for p in places)
    kind = kind_of_all((p.unit for p in places), Level.HAMLET)
    text = texts.REPORT_WHICH_HAMLET.format(you=texts.capital(you(ctx)), kind=kind)
    return Reply(text, choices=(*choices, CANCEL))


def _date_question() -> Reply:
    return Reply(
        texts.REPORT_ASK_DATE,
        choices=(Choice(texts.BTN_TODAY, "day:0"), Choice(texts.BTN_YESTERDAY, "day:1"), CANCEL),
    )


def _place(ctx: Context, data: dict) -> Place:
    return next(p for p in ctx.reporting_places if p.team.id == data["team_id"])


async def _menu(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    counts = data.get("counts", {})
    tally = book.format(counts) if counts else texts.REPORT_TALLY_EMPTY
    choices = book.choices(
        lambda code, label: f"{label} ({counts[code]})" if counts.get(code) else label
    )
    choices += [Choice(texts.BTN_NOTE, "note"), Choice(texts.BTN_DONE, "done"), CANCEL]
    day = date.fromisoformat(data["day"]).strftime("%d/%m")
    text = texts.REPORT_MENU.format(day=day, team=_place(ctx, data).unit.name, tally=tally)
    return Reply(text, choices=tuple(choices))


async def _confirmation(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    note = texts.REPORT_NOTE_LABEL.format(note=data["note"]) if data.get("note") else ""
    if data.get("photo_ref"):
        note += texts.REPORT_PHOTO_LABEL
    day = date.fromisoformat(data["day"]).strftime("%d/%m")
    tally = book.format(data["counts"])
    if data.get("in_group"):  # posted without a command: maybe not meant as a report
        name = ctx.person.display_name
        text = texts.GROUP_POST_CONFIRM.format(name=name, day=day, tally=tally, note=note)
        not_report = Choice(texts.BTN_GROUP_NOT_REPORT, "cancel")
        return Reply(text, choices=(Choice(texts.BTN_GROUP_RECORD, "yes"), not_report))
    text = texts.REPORT_CONFIRM.format(day=day, tally=tally, note=note)
    return Reply(text, choices=(Choice(texts.BTN_YES, "yes"), CANCEL))


async def asking_hamlet(ctx: Context, data: dict, answer: Answer) -> Step:
    team_ids = {p.team.id for p in ctx.reporting_places}
    if not (answer.choice or "").startswith("team:") or int(answer.choice[5:]) not in team_ids:
        return Step([_hamlet_question(ctx, ctx.reporting_places)], ASKING_HAMLET)
    data["team_id"] = int(answer.choice[5:])
    if data.get("pending"):
        return Step([await _which_question(ctx, data)], ASKING_WHICH)
    if "day" in data:
        return Step([await _menu(ctx, data)], ASKING_INDICATOR)
    return Step([_date_question()], ASKING_DATE)


async def asking_date(ctx: Context, data: dict, answer: Answer) -> Step:
    if (answer.choice or "").startswith("day:"):
        day = ctx.today - timedelta(days=int(answer.choice[4:]))
    else:
        try:
            day = parse_day(answer.text, ctx.today, max_days_back=ctx.settings.max_days_back)
        except ParseError as error:
            return Step([Reply(error.message), _date_question()], ASKING_DATE)
    data["day"] = day.isoformat()
    return Step([await _menu(ctx, data)], ASKING_INDICATOR)


async def asking_indicator(ctx: Context, data: dict, answer: Answer) -> Step:
    choice = answer.choice or ""
    book = await catalogue(ctx)
    if code := book.picked(choice):
        data["current"] = code
        question = texts.REPORT_ASK_COUNT.format(
            name=book.names[data["current"]], max=ctx.settings.max_count_per_indicator
        )
        return Step([Reply(question)], ASKING_COUNT)
    if choice == "note":
        return Step([Reply(texts.REPORT_ASK_NOTE)], ASKING_NOTE)
    if choice == "done":
        if not any(data.get("counts", {}).values()):
            return Step([Reply(texts.REPORT_NOTHING), await _menu(ctx, data)], ASKING_INDICATOR)
        return Step([await _confirmation(ctx, data)], CONFIRMING)
    typed = await _typed_counts(ctx, data, answer.text) if answer.text.strip() else []
    return Step([*typed, await _menu(ctx, data)], ASKING_INDICATOR)


async def _typed_counts(ctx: Context, data: dict, text: str) -> list[Reply]:
    """Counts typed at the menu ("dvc 2 ho 5") go into the tally as if entered one by one;
    anything else gets a hint. The flow's own day stands."""
    try:
        parsed = await parse_line(ctx, text)
    except ParseError as error:
        unclear = error.message == texts.PARSE_NOTHING  # no indicator and number in it at all
        hint = texts.REPORT_MENU_HINT.format(text=text.strip()[:40])
        return [Reply(hint if unclear else error.message)]
    if parsed.unclear:  # nothing of a line taken in part
        return [Reply(texts.REPORT_MENU_HINT.format(text=text.strip()[:40]))]
    data["counts"] = {**data.get("counts", {}), **parsed.counts}
    return []


async def asking_count(ctx: Context, data: dict, answer: Answer) -> Step:
    try:
        count = parse_count(answer.text or "", max_count=ctx.settings.max_count_per_indicator)
    except ParseError as error:
        return Step([Reply(error.message)], ASKING_COUNT)
    data.setdefault("counts", {})[data.pop("current")] = count
    return Step([await _menu(ctx, data)], ASKING_INDICATOR)


async def asking_note(ctx: Context, data: dict, answer: Answer) -> Step:
    if answer.photo_ref:
        data["photo_ref"] = answer.photo_ref
    text = (answer.text or "").strip()
    if text and fold(text) not in texts.SKIP_WORDS:
        if len(text) > 500:
            return Step([Reply(texts.TOO_LONG)], ASKING_NOTE)
        data["note"] = mask_personal_numbers(text)
    return Step([await _menu(ctx, data)], ASKING_INDICATOR)


async def confirming(ctx: Context, data: dict, answer: Answer) -> Step:
    if answer.choice != "yes":
        if data.get("in_group") and answer.choice is None:  # the sender chats on: not a report
            return Step([], None)
        return Step([await _confirmation(ctx, data)], CONFIRMING)
    return await store_checked(ctx, data)


async def store_checked(ctx: Context, data: dict) -> Step:
    """Store the report in `data`, unless it raises a doubt the user has not yet answered."""
    if not data.get("sure") and (question := await doubt(ctx, data)):
        data["question"] = question
        return Step([_sure_question(question)], ASKING_SURE)
    replaces = (
        await ctx.session.get(Report, data["replaces_id"]) if data.get("replaces_id") else None
    )
    reply = await store(
        ctx,
        place=_place(ctx, data),
        day=date.fromisoformat(data["day"]),
        counts=data["counts"],
        note=data.get("note", ""),
        photo_ref=data.get("photo_ref"),
        replaces=replaces,
        key=data.get("key"),
    )
    return Step([reply], None)


async def store_or_ask(ctx: Context, data: dict) -> list[Reply]:
    """/bc: stored at once, or the flow opens on the doubt's question."""
    step = await store_checked(ctx, data)
    if step.next is not None:
        await state.start(ctx, FLOW, step.next, data)
    return step.replies


def _sure_question(question: str) -> Reply:
    return Reply(question, choices=(Choice(texts.BTN_YES, "sure"), CANCEL))


async def asking_sure(ctx: Context, data: dict, answer: Answer) -> Step:
    """«Lưu» stores the report as it is; anything else asks again (or «Hủy» drops it)."""
    if answer.choice != "sure":
        return Step([_sure_question(data["question"])], ASKING_SURE)
    data["sure"] = True
    return await store_checked(ctx, data)


STEPS = {
    ASKING_HAMLET: asking_hamlet,
    ASKING_DATE: asking_date,
    ASKING_INDICATOR: asking_indicator,
    ASKING_COUNT: asking_count,
    ASKING_NOTE: asking_note,
    CONFIRMING: confirming,
    ASKING_WHICH: asking_which,
    ASKING_SURE: asking_sure,
}
