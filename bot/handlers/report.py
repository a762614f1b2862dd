"""Reporting commands: /bc (one line), /ghinhan (guided), /huy, /sua, /toi, and plain text in private."""

from datetime import timedelta

from bot import texts
from bot.conversations import report_visit
from bot.core.context import Context
from bot.core.replies import Reply
from bot.daily_cap import over_daily_cap
from bot.dates import week_bounds
from bot.quick_report import MAX_TEXT
from bot.reporting import cannot_report, catalogue, forget_week_totals, parse_line, store
from bot.words import ParseError
from db.models import utcnow
from db.reports import (
    count_reports,
    last_report,
    report_counts,
    report_for_message,
    retract,
    totals,
)


async def quick_report(ctx: Context, args: str) -> list[Reply]:
    """/bc vneid 5 dvc 3 ho 8: stored at once (typing the command is the confirmation)."""
    if not ctx.reporting_places:
        return [cannot_report(ctx)]
    if not args.strip():
        return [Reply(texts.REPORT_BC_EMPTY)]
    parsed = await _parse(ctx, args)
    if isinstance(parsed, Reply):
        return [parsed]
    data = {"day": parsed.activity_date.isoformat(), "counts": parsed.counts, "note": parsed.note}
    total = await over_daily_cap(ctx, day=parsed.activity_date, counts=parsed.counts)
    if total is not None:  # past the day's cap: confirmed first, as a typed line is
        data |= {"confirm_first": True, "pending": report_visit.pending(parsed.unclear)}
        ask = Reply(texts.DAILY_CAP_ASK.format(total=total, cap=ctx.settings.daily_count_cap))
        return [ask, *await report_visit.begin(ctx, data)]
    if parsed.unclear:  # asked first; stored at once when answered (one hamlet)
        data["pending"] = report_visit.pending(parsed.unclear)
        data["store_now"] = len(ctx.reporting_places) == 1
        return await report_visit.begin(ctx, data)
    if len(ctx.reporting_places) > 1:
        return await report_visit.begin(ctx, data)
    place = ctx.reporting_places[0]
    return [
        await store(
            ctx,
            place=place,
            day=parsed.activity_date,
            counts=parsed.counts,
            note=parsed.note,
            key=_message_report_key(ctx),
        )
    ]


def _message_report_key(ctx: Context) -> str | None:
    """The idempotency key of a report made by one message: its edits find it by this key."""
    event = ctx.event
    return f"{event.platform}:msg:{event.message_key}" if event.message_key else None


async def edit_quick_report(ctx: Context, args: str) -> list[Reply]:
    """An edited /bc within RETRACT_HOURS replaces the report it made, as /sua would (recorded
    as an edit, answered with the new figures). Any other edit changes nothing."""
    key = _message_report_key(ctx)
    if not ctx.person or key is None:
        return []
    since = utcnow() - timedelta(hours=ctx.settings.retract_hours)
    old = await report_for_message(ctx.session, person_id=ctx.person.id, key=key, since=since)
    place = next((p for p in ctx.reporting_places if old and p.team.id == old.team_id), None)
    if place is None:
        return []
    parsed = await _parse(ctx, args)
    if isinstance(parsed, Reply):
        return [parsed]
    forget_week_totals(ctx)
    reply = await store(
        ctx,
        place=place,
        day=parsed.activity_date,
        counts=parsed.counts,
        note=parsed.note,
        replaces=old,
        key=f"{key}:edit:{ctx.event.update_key}",
    )
    return [reply]


async def _parse(ctx: Context, text: str):
    if len(text) > MAX_TEXT:
        return Reply(texts.TOO_LONG)
    try:
        return await parse_line(ctx, text)
    except ParseError as error:
        return Reply(error.message)


async def plain_text(ctx: Context, text: str) -> list[Reply]:
    """A line typed in private that reads as a report is taken after confirmation."""
    if not ctx.reporting_places:
        return [cannot_report(ctx)]
    parsed = await _parse(ctx, text)
    if isinstance(parsed, Reply):
        return [parsed]  # every parse error already shows an example to type
    data = {
        "day": parsed.activity_date.isoformat(),
        "counts": parsed.counts,
        "note": parsed.note,
        "confirm_first": True,
        "pending": report_visit.pending(parsed.unclear),
    }
    return await report_visit.begin(ctx, data)


async def guided_report(ctx: Context, _args: str) -> list[Reply]:
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    return await report_visit.begin(ctx)


async def retract_last(ctx: Context, _args: str) -> list[Reply]:
    """/huy: the report stays on record, marked retracted, and leaves every total."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    hours = ctx.settings.retract_hours
    report = await last_report(
        ctx.session, person_id=ctx.person.id, since=utcnow() - timedelta(hours=hours)
    )
    if report is None:
        return [Reply(texts.RETRACT_NONE.format(hours=hours))]
    counts = await report_counts(ctx.session, report_id=report.id)
    await retract(ctx.session, report=report)
    forget_week_totals(ctx)
    book = await catalogue(ctx)
    return [
        Reply(
            texts.RETRACT_DONE.format(
                day=report.activity_date.strftime("%d/%m"), tally=book.format(counts)
            )
        )
    ]


async def edit_last(ctx: Context, _args: str) -> list[Reply]:
    """/sua: reopen the last report in the guided flow; saving it retracts the old one."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    hours = ctx.settings.retract_hours
    report = await last_report(
        ctx.session, person_id=ctx.person.id, since=utcnow() - timedelta(hours=hours)
    )
    if report is None or report.team_id not in {p.team.id for p in ctx.reporting_places}:
        return [Reply(texts.EDIT_NONE.format(hours=hours))]
    data = {
        "team_id": report.team_id,
        "day": report.activity_date.isoformat(),
        "counts": await report_counts(ctx.session, report_id=report.id),
        "note": report.note or "",
        "replaces_id": report.id,
    }
    if report.photo_ref:
        data["photo_ref"] = report.photo_ref
    return await report_visit.begin(ctx, data)


async def my_reports(ctx: Context, _args: str) -> list[Reply]:
    """/toi: the sender's own totals this week and this month."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    book = await catalogue(ctx)
    monday, sunday = week_bounds(ctx.today)
    first = ctx.today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pid = ctx.person.id
    return [
        Reply(
            texts.MY_REPORTS.format(
                name=ctx.person.display_name,
                week_label=f"{monday:%d/%m}–{sunday:%d/%m}",
                week_count=await count_reports(
                    ctx.session, person_id=pid, start=monday, end=sunday
                ),
                week=book.format(
                    await totals(ctx.session, start=monday, end=sunday, person_id=pid)
                ),
                month_label=f"{first:%m/%Y}",
                month_count=await count_reports(ctx.session, person_id=pid, start=first, end=last),
                month=book.format(await totals(ctx.session, start=first, end=last, person_id=pid)),
            )
        )
    ]
