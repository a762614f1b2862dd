"""Reporting commands: /bc (one line), /ghinhan (guided), /huy, /sua, /toi, and plain text in private."""

from datetime import timedelta

from bot import texts
from bot.conversations import report_visit, retract_report
from bot.core.context import Context
from bot.core.replies import Reply
from bot.dates import parse_day, week_bounds
from bot.handlers.help import how_to
from bot.quick_report import MAX_TEXT
from bot.reporting import (
    cannot_report,
    catalogue,
    forget_week_totals,
    parse_line,
    retract_own,
    store,
)
from bot.words import ParseError, is_greeting
from db.models import utcnow
from db.reports import (
    count_reports,
    last_report,
    newest_report,
    report_counts,
    report_for_message,
    report_on_day,
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
    if parsed.unclear:  # asked first; stored at once when answered (one hamlet)
        data["pending"] = report_visit.pending(parsed.unclear)
        data["store_now"] = len(ctx.reporting_places) == 1
        return await report_visit.begin(ctx, data)
    if len(ctx.reporting_places) > 1:
        return await report_visit.begin(ctx, data)
    data["team_id"] = ctx.reporting_places[0].team.id
    if key := _message_report_key(ctx):
        data["key"] = key
    return await report_visit.store_or_ask(ctx, data)


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
    """A line typed in private that reads as a report is taken after confirmation; a greeting or
    a question gets the short how-to."""
    if not ctx.reporting_places:
        return [Reply(how_to(ctx))] if is_greeting(text) else [cannot_report(ctx)]
    parsed = await _parse(ctx, text)
    if isinstance(parsed, Reply):
        # every parse error already shows an example to type
        return [Reply(how_to(ctx)) if is_greeting(text) else parsed]
    data = {
        "day": parsed.activity_date.isoformat(),
        "counts": parsed.counts,
        "note": parsed.note,
        "confirm_first": True,
        "pending": report_visit.pending(parsed.unclear),
    }
    return await report_visit.begin(ctx, data)


async def group_post(ctx: Context, text: str) -> list[Reply]:
    """A line posted in a group without a command, as members post reports today. Where the bot
    reads such lines (Telegram with privacy mode off, Zalo when mentioned), a line with counts is
    answered with what was understood and a choice only its sender can make. Anything else is
    chatter, never answered, except a greeting where every message the bot sees mentions it."""
    if not ctx.reporting_places or len(text) > MAX_TEXT:
        return []
    try:
        parsed = await parse_line(ctx, text)
    except ParseError:
        mentioned = ctx.capabilities.group_mentions_only
        return [Reply(how_to(ctx))] if mentioned and is_greeting(text) else []
    if parsed.unclear:
        first = parsed.unclear[0]
        return [Reply(texts.GROUP_POST_UNCLEAR.format(value=first.value, context=first.context))]
    data = {
        "day": parsed.activity_date.isoformat(),
        "counts": parsed.counts,
        "note": parsed.note,
        "confirm_first": True,
        "in_group": True,
    }
    return await report_visit.begin(ctx, data)


async def guided_report(ctx: Context, _args: str) -> list[Reply]:
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    return await report_visit.begin(ctx)


async def retract_last(ctx: Context, _args: str) -> list[Reply]:
    """/huy: the sender's latest report of today goes at once; any other (an older one, or the one
    before a report just retracted) is shown first and goes only on «Hủy báo cáo này»."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    hours = ctx.settings.retract_hours
    report = await last_report(
        ctx.session, person_id=ctx.person.id, since=utcnow() - timedelta(hours=hours)
    )
    if report is None:
        return [Reply(texts.RETRACT_NONE.format(hours=hours))]
    newest = await newest_report(ctx.session, person_id=ctx.person.id)
    zone = ctx.settings.zone  # created_at is stamped by the wall clock (utcnow): compare with it
    made_today = report.created_at.astimezone(zone).date() == utcnow().astimezone(zone).date()
    if newest.id == report.id and made_today:
        return [await retract_own(ctx, report)]
    return await retract_report.begin(ctx, report)


async def edit_last(ctx: Context, args: str) -> list[Reply]:
    """/sua [ngày]: reopen the last report (or that day's) in the guided flow; saving retracts
    the old one."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    hours = ctx.settings.retract_hours
    since = utcnow() - timedelta(hours=hours)
    if args.strip():
        try:
            day = parse_day(args, ctx.today, max_days_back=ctx.settings.max_days_back)
        except ParseError:
            return [Reply(texts.EDIT_DAY_UNKNOWN.format(value=args.strip()[:40]))]
        report = await report_on_day(ctx.session, person_id=ctx.person.id, day=day, since=since)
        missing = texts.EDIT_NONE_ON_DAY.format(day=f"{day:%d/%m}", hours=hours)
    else:
        report = await last_report(ctx.session, person_id=ctx.person.id, since=since)
        missing = texts.EDIT_NONE.format(hours=hours)
    if report is None or report.team_id not in {p.team.id for p in ctx.reporting_places}:
        return [Reply(missing)]
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
