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

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from bot import texts
from bot.address import you
from bot.attachments import render_attachment
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.dates import Period, compared_span, parse_period
from bot.drives import baocao_lines
from bot.render.chart import progress_chart
from bot.render.leaderboard import leaderboard_image
from bot.render.workbook import summary_workbook
from bot.summaries import build_leaderboard, build_summary, country_unit, file_name, period_summary
from bot.summary_args import UNIT_CODE, Asked, period_token, read_asked
from bot.summary_text import (
    format_leaderboard_text,
    format_progress,
    format_summary_text,
    open_difficulties_line,
)
from bot.unit_names import units_named
from bot.words import ParseError
from db.difficulties import open_under
from db.media import PNG, XLSX
from db.models import Level, Unit
from db.rows import COUNTRY, units_on_paths
from db.units import get_unit

MAX_NAMED = 8  # choices offered for a name that fits several units


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
    ctx: Context, place: str, *, command: str, again: Callable[[str], str]
) -> Access | list[Reply]:
    """The unit `place` names by code or name (or the sender's own, or the group's) and what may
    be shown of it.

    Replies instead when the sender may not see it, or a choice of units when they answer for
    several or the name fits several; `again(code)` is the command a choice sends.
    """
    if ctx.person is None and not ctx.is_admin:
        return [Reply(texts.NOT_JOINED)]
    if not ctx.event.is_private:
        return await _group_access(ctx, place, command=command, again=again)
    if place:
        unit = await named_unit(ctx, place, command=command, again=again)
        return unit if isinstance(unit, list) else _checked(ctx, unit)
    units = own_units(ctx)
    if not units:
        if ctx.is_admin:
            return [Reply(texts.FIGURES_NAME_A_UNIT.format(command=command, example="28468"))]
        return [Reply(texts.FIGURES_NO_UNIT)]
    if len(units) > 1:
        choices = tuple(Choice(u.name, again(u.code)) for u in units)
        return [
            Reply(texts.FIGURES_WHICH_UNIT.format(you=texts.capital(you(ctx))), choices=choices)
        ]
    return _checked(ctx, units[0])


async def named_unit(
    ctx: Context, place: str, *, command: str, again: Callable[[str], str]
) -> Unit | list[Reply]:
    """The unit a code names, or the one unit a name fits among those the sender (or the group)
    covers; a choice when it fits several, a reply saying what to type when none."""
    if UNIT_CODE.fullmatch(place):
        unit = await find_unit(ctx, place)
        return [_unknown_unit(ctx, place, command)] if unit is None else unit
    if not ctx.event.is_private and ctx.group_unit is not None:
        roots = [ctx.group_unit]
    else:
        roots = [country_unit()] if ctx.is_admin else own_units(ctx)
    found = await units_named(ctx.session, name=place, under=roots)
    if not found:
        return [_unknown_unit(ctx, place, command)]
    if len(found) == 1:
        return found[0]
    parents = {u.id: u for u in (await units_on_paths(ctx.session, units=found)).values()}
    choices = tuple(
        Choice(_with_parent(u, parents.get(u.parent_id)), again(u.code)) for u in found[:MAX_NAMED]
    )
    return [Reply(texts.FIGURES_WHICH_NAMED.format(place=place), choices=choices)]


def _with_parent(unit: Unit, parent: Unit | None) -> str:
    """ "Ấp Tân Hòa (Xã Tân Phú)": which of two units of one name."""
    return texts.UNIT_IN.format(unit=unit.name, parent=parent.name) if parent else unit.name


async def _group_access(
    ctx: Context, place: str, *, command: str, again: Callable[[str], str]
) -> Access | list[Reply]:
    """In a group: the group's unit or one under it, at most its team-level figures."""
    group_unit = ctx.group_unit
    if group_unit is None:
        return [Reply(texts.FIGURES_GROUP_NOT_LINKED)]
    unit = group_unit
    if place:
        unit = await named_unit(ctx, place, command=command, again=again)
        if isinstance(unit, list):
            return unit
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
        template = texts.FIGURES_NOT_YOURS if mine else texts.FIGURES_NOT_YOURS_ANY
        text = template.format(you=texts.capital(you(ctx)), unit=unit.name, mine=mine)
        return [Reply(text)]
    return Access(unit, allowed, allowed)


def _unknown_unit(ctx: Context, place: str, command: str) -> Reply:
    units = own_units(ctx)
    example = units[0].code if units else "28468"
    return Reply(texts.FIGURES_UNIT_UNKNOWN.format(place=place, command=command, example=example))


# --- /baocao ---
async def summary_report(ctx: Context, args: str) -> list[Reply]:
    """/baocao [xlsx|png] [period] [unit]: the summary, with buttons for the Excel and the chart."""
    read = await _asked_access(ctx, args, command="baocao")
    if isinstance(read, list):
        return read
    asked, found = read
    if asked.mode in texts.EXCEL_WORDS:
        return await _excel(ctx, found, asked.period)
    if asked.mode in texts.CHART_WORDS:
        return await _chart(ctx, found, asked.period)
    summary = await period_summary(ctx.session, unit=found.unit, period=asked.period, now=ctx.now)
    text = format_summary_text(summary, show_unreachable=found.detail == Detail.PERSONS)
    if found.rights == Detail.PERSONS or any(p.leads for p in ctx.places):
        text += open_difficulties_line(await open_ages(ctx, found.unit))
    extra = await baocao_lines(
        ctx.session, unit=found.unit, today=ctx.today, officials=found.rights == Detail.PERSONS
    )
    text = "\n\n".join([text, "\n".join(extra)]) if extra else text
    choices = _file_choices(found, asked.period) + _notes_choice(ctx, found, asked.period)
    return [Reply(text, choices=choices)]


async def _asked_access(
    ctx: Context, args: str, *, command: str
) -> tuple[Asked, Access] | list[Reply]:
    """The period and unit asked for (`read_asked`), and what may be shown of that unit; when the
    words name no unit, they are tried as one name over this week ("Xóm Năm")."""
    try:
        asked = read_asked(args, ctx.today)
    except ParseError as error:
        return [Reply(error.message)]
    refused: list[Reply] = []
    for tried in (asked, asked.fallback):
        if tried is None:
            continue
        found = await access(ctx, tried.place, command=command, again=_again(command, tried))
        if not isinstance(found, list):
            return tried, found
        refused = refused or found
    return refused


def _again(command: str, asked: Asked) -> Callable[[str], str]:
    """The command a choice of unit sends: the same mode and period, for the unit chosen."""
    mode = f"{asked.mode} " if asked.mode else ""
    return lambda code: f"/{command} {mode}{period_token(asked.period)} {code}"


async def open_ages(ctx: Context, unit: Unit) -> list[int]:
    """The age in days of each difficulty still open in the unit."""
    found = await open_under(ctx.session, paths=[unit.path])
    return [(ctx.today - d.created_at.astimezone(ctx.now.tzinfo).date()).days for d, _ in found]


def _file_choices(found: Access, period: Period) -> tuple[Choice, ...]:
    """Excel for officials (it holds per-person lines), the chart for a unit with several rows."""
    code, token = found.unit.code, period_token(period)
    choices = []
    if found.rights == Detail.PERSONS:
        choices.append(Choice(texts.BTN_EXCEL, f"/baocao xlsx {token} {code}"))
    if found.unit.level != Level.HAMLET:
        choices.append(Choice(texts.BTN_CHART, f"/baocao png {token} {code}"))
    return tuple(choices)


def _notes_choice(ctx: Context, found: Access, period: Period) -> tuple[Choice, ...]:
    """«Xem ghi chú & ảnh» (/ghichu, which names people): in private, for officials and leaders."""
    leads = any(p.leads and p.unit.id == found.unit.id for p in ctx.places)
    if not ctx.event.is_private or not (found.rights == Detail.PERSONS or leads):
        return ()
    return (Choice(texts.BTN_NOTES, f"/ghichu {period_token(period)} {found.unit.code}"),)


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
        Reply(texts.REPORT_EXCEL_SENT_PRIVATELY.format(you=you(ctx))),
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
    found = await access(ctx, args.strip(), command="tiendo", again=lambda c: f"/tiendo {c}")
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
    """/bangxephang [period] [unit]: the commune's hamlets ranked, as text and as an image."""
    read = await _asked_access(ctx, args, command="bangxephang")
    if isinstance(read, list):
        return read
    asked, found = read
    period = asked.period
    commune = await _commune_of(ctx, found.unit)
    if commune is None:
        return [Reply(texts.BOARD_NEEDS_COMMUNE)]
    before = compared_span(period, ctx.today)
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
