"""/baocao, /tiendo and /bangxephang: figures of the units the sender may see, sized to the chat.

Who sees what (`access`):
- an official (`canbo`) sees their unit and everything under it, with per-person lines (Excel);
- an admin sees any unit by code ("/" is the whole country);
- a member, deputy or leader sees their hamlet's totals (their own reports are in /toi);
- anyone else is told how to join.
In a group the answer is about the group's unit (or a unit under it) and shows only what every
member of the group may see: a hamlet group gets the hamlet's totals, a commune group the table
of hamlets; never a person's line. The Excel (per-person lines) goes to an official's private chat.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from bot import texts
from bot.attachments import render_attachment
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.dates import Period, parse_period, week_bounds, week_period
from bot.render import leaderboard_image, progress_chart, summary_workbook
from bot.summaries import build_leaderboard, build_summary, country_unit, file_name, period_summary
from bot.summary_text import format_leaderboard_text, format_progress, format_summary_text
from bot.words import ParseError
from db.media import PNG, XLSX
from db.models import Level, Unit
from db.rows import COUNTRY
from db.units import get_unit

# A unit code: "/" (the country), a province (2 digits), a commune (5 digits), or a code made
# for a hamlet or district ("28468-01", "82-01-01").
UNIT_CODE = re.compile(r"/|[0-9]{2}|[0-9]{5}|[0-9A-Za-z]+(?:-[0-9]+)+")


class Detail(IntEnum):
    TOTALS = 1  # the unit's totals only
    TEAMS = 2  # the table of hamlets (or communes): team-level figures
    PERSONS = 3  # per-person report lines too (the Excel's "Chi tiết" sheet)


@dataclass(frozen=True)
class Access:
    """The unit a command is about; `detail` is what this chat may show, `rights` the sender's own."""

    unit: Unit
    detail: Detail
    rights: Detail


# --- who may see what ---
def rights(ctx: Context, unit: Unit) -> Detail | None:
    """How much of `unit` the sender may see in private, or None."""
    if ctx.is_admin:
        return Detail.PERSONS
    if unit.level == COUNTRY:
        return None
    if any(unit.path.startswith(p.unit.path) for p in ctx.official_places):
        return Detail.PERSONS
    if any(p.unit.id == unit.id for p in ctx.reporting_places):
        return Detail.TOTALS
    return None


def own_units(ctx: Context) -> list[Unit]:
    """The units the sender answers for: official units first, then hamlets not under them."""
    units = {p.unit.id: p.unit for p in ctx.official_places}
    for place in ctx.reporting_places:
        if not any(place.unit.path.startswith(u.path) for u in units.values()):
            units.setdefault(place.unit.id, place.unit)
    return list(units.values())


async def find_unit(ctx: Context, code: str) -> Unit | None:
    return country_unit() if code == "/" else await get_unit(ctx.session, code=code)


async def access(
    ctx: Context, code: str, *, command: str, again: Callable[[str], str]
) -> Access | list[Reply]:
    """The unit `code` names (or the sender's own, or the group's) and what may be shown of it.

    Replies instead when the sender may not see it, or a choice of units when they answer for
    several; `again(code)` is the command a choice sends.
    """
    if ctx.person is None and not ctx.is_admin:
        return [Reply(texts.NOT_JOINED)]
    if not ctx.event.is_private:
        return await _group_access(ctx, code, command=command)
    if code:
        unit = await find_unit(ctx, code)
        if unit is None:
            return [_unknown_unit(ctx, code, command)]
        return _checked(ctx, unit)
    units = own_units(ctx)
    if not units:
        if ctx.is_admin:
            return [Reply(texts.FIGURES_NAME_A_UNIT.format(command=command, example="28468"))]
        return [Reply(texts.FIGURES_NO_UNIT)]
    if len(units) > 1:
        choices = tuple(Choice(u.name, again(u.code)) for u in units)
        return [Reply(texts.FIGURES_WHICH_UNIT, choices=choices)]
    return _checked(ctx, units[0])


async def _group_access(ctx: Context, code: str, *, command: str) -> Access | list[Reply]:
    """In a group: the group's unit or one under it, at most its team-level figures."""
    group_unit = ctx.group_unit
    if group_unit is None:
        return [Reply(texts.FIGURES_GROUP_NOT_LINKED)]
    unit = group_unit
    if code:
        unit = await find_unit(ctx, code)
        if unit is None:
            return [_unknown_unit(ctx, code, command)]
        if not unit.path.startswith(group_unit.path):
            return [Reply(texts.FIGURES_GROUP_OTHER_UNIT.format(unit=group_unit.name))]
    elif rights(ctx, unit) is None:
        # a hamlet's member in the commune's group: their own hamlet
        mine = [p.unit for p in ctx.reporting_places if p.unit.path.startswith(unit.path)]
        unit = mine[0] if mine else unit
    checked = _checked(ctx, unit)
    if isinstance(checked, list):
        return checked
    cap = Detail.TOTALS if group_unit.level == Level.HAMLET else Detail.TEAMS
    return Access(unit, min(checked.detail, cap), checked.rights)


def _checked(ctx: Context, unit: Unit) -> Access | list[Reply]:
    allowed = rights(ctx, unit)
    if allowed is None:
        mine = ", ".join(u.name for u in own_units(ctx))
        text = (
            texts.FIGURES_NOT_YOURS.format(unit=unit.name, mine=mine)
            if mine
            else texts.FIGURES_NOT_YOURS_ANY.format(unit=unit.name)
        )
        return [Reply(text)]
    return Access(unit, allowed, allowed)


def _unknown_unit(ctx: Context, code: str, command: str) -> Reply:
    units = own_units(ctx)
    example = units[0].code if units else "28468"
    return Reply(texts.FIGURES_UNIT_UNKNOWN.format(code=code, command=command, example=example))


# --- arguments ---
def split_code(args: str) -> tuple[str, str]:
    """(the text before, the unit code) when the last word is a unit code, else (args, "")."""
    words = args.split()
    if words and UNIT_CODE.fullmatch(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return args.strip(), ""


def read_period(text: str, today: date) -> Period:
    """parse_period, with a Monday–Sunday range read back as that week (buttons carry ranges).
    A period that has not begun has no figures: refused (targets, /chitieu, may be set ahead)."""
    period = parse_period(text, today)
    if period.start > today:
        raise ParseError(texts.PERIOD_NOT_BEGUN.format(period=period.label))
    if period.kind == "range" and period.days == 7 and week_bounds(period.start)[0] == period.start:
        return week_period(period.start)
    return period


def period_token(period: Period) -> str:
    """The period as absolute text parse_period reads back, short enough for a button (64 bytes)."""
    if period.kind == "month":
        return f"{period.start.month}/{period.start.year}"
    if period.kind == "quarter":
        return f"q{(period.start.month - 1) // 3 + 1}/{period.start.year}"
    if period.kind == "year":
        return str(period.start.year)
    return f"{period.start:%d/%m/%y}-{period.end:%d/%m/%y}"


# --- /baocao ---
async def summary_report(ctx: Context, args: str) -> list[Reply]:
    """/baocao [xlsx|png] [period] [code]: the summary, with buttons for the Excel and the chart."""
    words = args.split()
    mode = (
        words[0].lower()
        if words and words[0].lower() in texts.EXCEL_WORDS | texts.CHART_WORDS
        else ""
    )
    rest, code = split_code(" ".join(words[1:] if mode else words))
    try:
        period = read_period(rest, ctx.today)
    except ParseError as error:
        return [Reply(error.message)]
    found = await access(
        ctx, code, command="baocao", again=lambda c: f"/baocao {period_token(period)} {c}"
    )
    if isinstance(found, list):
        return found
    if mode in texts.EXCEL_WORDS:
        return await _excel(ctx, found, period)
    if mode in texts.CHART_WORDS:
        return await _chart(ctx, found, period)
    summary = await period_summary(ctx.session, unit=found.unit, period=period, now=ctx.now)
    text = format_summary_text(summary, show_unreachable=found.detail == Detail.PERSONS)
    return [Reply(text, choices=_file_choices(found, period))]


def _file_choices(found: Access, period: Period) -> tuple[Choice, ...]:
    """Excel for officials (it holds per-person lines), the chart for a unit with several rows."""
    code, token = found.unit.code, period_token(period)
    choices = []
    if found.rights == Detail.PERSONS:
        choices.append(Choice(texts.BTN_EXCEL, f"/baocao xlsx {token} {code}"))
    if found.unit.level != Level.HAMLET:
        choices.append(Choice(texts.BTN_CHART, f"/baocao png {token} {code}"))
    return tuple(choices)


async def _excel(ctx: Context, found: Access, period: Period) -> list[Reply]:
    """The workbook with per-person lines: only for officials, and only in their private chat."""
    if found.rights < Detail.PERSONS:
        return [Reply(texts.REPORT_EXCEL_OFFICIALS_ONLY)]
    summary = await period_summary(
        ctx.session, unit=found.unit, period=period, now=ctx.now, with_lines=True
    )
    document = await render_attachment(
        ctx.session,
        draw=summary_workbook,
        data=summary,
        content_type=XLSX,
        filename=file_name(texts.FILE_SUMMARY, found.unit, period, "xlsx"),
    )
    caption = texts.REPORT_EXCEL_CAPTION.format(unit=found.unit.name, period=period.label)
    if ctx.event.is_private:
        return [Reply(caption, document=document)]
    privately = f"{ctx.event.platform}:{ctx.event.user_id}"
    return [
        Reply(caption, document=document, private_to=privately),
        Reply(texts.REPORT_EXCEL_SENT_PRIVATELY),
    ]


async def _chart(ctx: Context, found: Access, period: Period) -> list[Reply]:
    summary = await period_summary(ctx.session, unit=found.unit, period=period, now=ctx.now)
    image = await render_attachment(
        ctx.session,
        draw=progress_chart,
        data=summary,
        content_type=PNG,
        filename=file_name(texts.FILE_CHART, found.unit, period, "png"),
    )
    caption = texts.REPORT_CHART_CAPTION.format(unit=found.unit.name, period=period.label)
    return [Reply(caption, image=image)]


# --- /tiendo ---
async def progress(ctx: Context, args: str) -> list[Reply]:
    """/tiendo [code]: this month's progress of the sender's hamlet (or unit) against its targets."""
    _, code = split_code(args)
    found = await access(ctx, code, command="tiendo", again=lambda c: f"/tiendo {c}")
    if isinstance(found, list):
        return found
    month = parse_period("thang", ctx.today)
    summary = await build_summary(
        ctx.session,
        unit=found.unit,
        start=month.start,
        end=month.end,
        period_label=month.label,
        made_at=ctx.now,
    )
    return [Reply(format_progress(summary, ctx.today))]


# --- /bangxephang ---
async def leaderboard(ctx: Context, args: str) -> list[Reply]:
    """/bangxephang [period] [code]: the commune's hamlets ranked, as text and as an image."""
    rest, code = split_code(args)
    try:
        period = read_period(rest, ctx.today)
    except ParseError as error:
        return [Reply(error.message)]
    found = await access(
        ctx,
        code,
        command="bangxephang",
        again=lambda c: f"/bangxephang {period_token(period)} {c}",
    )
    if isinstance(found, list):
        return found
    commune = await _commune_of(ctx, found.unit)
    if commune is None:
        return [Reply(texts.BOARD_NEEDS_COMMUNE)]
    before = period.previous()
    board = await build_leaderboard(
        ctx.session,
        commune=commune,
        start=period.start,
        end=period.end,
        period_label=texts.capital(period.label),
        previous=(before.start, before.end),
    )
    image = await render_attachment(
        ctx.session,
        draw=leaderboard_image,
        data=board,
        content_type=PNG,
        filename=file_name(texts.FILE_BOARD, commune, period, "png"),
    )
    caption = texts.BOARD_CAPTION.format(unit=commune.name, period=period.label)
    return [Reply(format_leaderboard_text(board)), Reply(caption, image=image)]


async def _commune_of(ctx: Context, unit: Unit) -> Unit | None:
    """The commune a ranking is about: the unit itself, or a hamlet's commune."""
    if unit.level == Level.COMMUNE:
        return unit
    if unit.level == Level.HAMLET and unit.parent_id is not None:
        parent = await ctx.session.get(Unit, unit.parent_id)
        return parent if parent is not None and parent.level == Level.COMMUNE else None
    return None
