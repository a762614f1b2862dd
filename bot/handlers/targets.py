"""/chitieu: targets and progress of the sender's unit; officials set targets and split them.

/chitieu                              targets in force (month, quarter, year) with progress
/chitieu vneid 500 thang [12/2026] [Ấp Tân Hòa | 28468-01]     set (0 removes)
/chitieu chia vneid thang [12/2026] deu | thanhvien [28468]    split the commune's over hamlets
"""

import re
from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.address import you
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.dates import Period, period_of
from bot.handlers.summary import Detail, access, find_unit, own_units, rights
from bot.reporting import Catalogue, catalogue
from bot.summary_args import UNIT_CODE, period_token, split_code
from bot.summary_text import INLINE_BAR, pace, progress_bar
from bot.target_math import due_share
from bot.targets import (
    MAX_VALUE,
    TargetLine,
    parse_kind,
    parse_start,
    parse_value,
    split_target,
    targets_in_force,
)
from bot.unit_names import hamlet_kind, kind_of_all, units_named
from bot.words import fold
from db.indicators import active_indicators
from db.models import Level, Unit
from db.rows import COUNTRY
from db.summary import unit_counts
from db.targets import get_target, set_target

# What reads as a period's start after the kind: 12/2026, Q4/2026, 2026 (checked by parse_start)
START = re.compile(rf"(?:{'|'.join(texts.QUARTER_PREFIXES)})?[0-9]{{1,2}}/[0-9]{{4}}|[0-9]{{4}}")


async def targets(ctx: Context, args: str) -> list[Reply]:
    """/chitieu: show; /chitieu vneid 500 thang: set; /chitieu chia …: split."""
    words = args.split()
    if not words or (len(words) == 1 and UNIT_CODE.fullmatch(words[0])):
        return await _show(ctx, words[0] if words else "")
    if ctx.person is None and not ctx.is_admin:
        return [Reply(texts.NOT_JOINED)]
    if not (ctx.official_places or ctx.is_admin):
        return [Reply(texts.TARGET_OFFICIALS_ONLY)]
    if fold(words[0]) == texts.SPLIT_WORD:
        return await _split(ctx, words[1:])
    return await _set(ctx, words)


# --- showing ---
async def _show(ctx: Context, code: str) -> list[Reply]:
    found = await access(ctx, code, command="chitieu", again=lambda c: f"/chitieu {c}")
    if isinstance(found, list):
        return found
    unit = found.unit
    lines = await targets_in_force(ctx.session, unit=unit, today=ctx.today)
    counts: dict[Period, dict[str, int]] = {}
    for line in lines:
        if line.period not in counts:
            counts[line.period] = await unit_counts(
                ctx.session, unit=unit, start=line.period.start, end=line.period.end
            )
    book = await catalogue(ctx)
    parts = await _parts_word(ctx, unit)
    text = format_targets(unit, lines, counts, book, today=ctx.today, parts=parts)
    if found.rights == Detail.PERSONS and ctx.event.is_private:
        text += "\n\n" + texts.TARGETS_HOW.format(kind=await hamlet_kind(ctx.session, unit=unit))
    return [Reply(text)]


async def _parts_word(ctx: Context, unit: Unit) -> str:
    """What the parts of `unit` are called: its hamlets' own kind, or "xã" above a commune."""
    level = _child_level(unit)
    if level == Level.HAMLET:
        return await hamlet_kind(ctx.session, unit=unit)
    return texts.LEVEL_WORDS[level]


def format_targets(
    unit: Unit,
    lines: list[TargetLine],
    counts: dict[Period, dict[str, int]],
    book: Catalogue,
    *,
    today: date,
    parts: str,
) -> str:
    """Each period in force with its targets, how far along they are and the pace by `today`;
    `parts` names what a target summed from parts is summed over ("ấp")."""
    out = [texts.TARGETS_HEADER.format(unit=unit.name)]
    shown = None
    for line in lines:
        if line.period != shown:
            out += ["", texts.TARGETS_PERIOD.format(period=texts.capital(line.period.label))]
            shown = line.period
        count = counts[line.period].get(line.code, 0)
        text = texts.TARGETS_LINE.format(
            name=book.labels.get(line.code, line.code),
            count=texts.number(count),
            target=texts.number(line.value),
            bar=progress_bar(count / line.value, width=INLINE_BAR),
        )
        text += pace(count, line.value, due_share(line.period.start, line.period.end, today))
        if line.from_parts:
            text += " " + texts.TARGETS_FROM_PARTS.format(level=parts)
        out.append(text)
    if not lines:
        out += ["", texts.TARGETS_NONE]
    return "\n".join(out)


def _child_level(unit: Unit) -> str:
    return {Level.PROVINCE: Level.COMMUNE, Level.DISTRICT: Level.COMMUNE}.get(
        unit.level, Level.HAMLET
    )


# --- setting ---
@dataclass
class _Asked:
    """What a /chitieu line asks for, once read."""

    code: str
    indicator_id: int
    kind: str
    start: date
    rest: list[str]  # what follows: a place, a split method, a unit code


async def _read(ctx: Context, words: list[str], *, with_value: bool):
    """Indicator words, [value], kind, optional start; returns (_Asked, value) or a Reply."""
    book = await catalogue(ctx)
    if with_value:
        at = next((i for i, w in enumerate(words) if parse_value(w) is not None), None)
        if at is None:
            return Reply(texts.TARGET_USAGE)
        after = at + 1
    else:
        at = next((i for i, w in enumerate(words) if parse_kind(w)), None)
        if at is None:
            return Reply(texts.SPLIT_USAGE)
        after = at
    typed = " ".join(words[:at])
    code = _indicator(book, typed)
    if code is None:
        return Reply(
            texts.TARGET_UNKNOWN_INDICATOR.format(
                word=typed or "?", codes=", ".join(w.code for w in book.words)
            )
        )
    kind = parse_kind(words[after]) if after < len(words) else None
    if kind is None:
        return Reply(texts.TARGET_NO_KIND if with_value else texts.SPLIT_USAGE)
    rest = words[after + 1 :]
    start = period_of(kind, ctx.today).start
    if rest and START.fullmatch(fold(rest[0])):
        start = parse_start(kind, rest[0])
        if start is None:
            return Reply(
                texts.TARGET_BAD_START.format(value=rest[0], example=texts.START_EXAMPLES[kind])
            )
        rest = rest[1:]
    ids = {i.code: i.id for i in await active_indicators(ctx.session)}
    value = parse_value(words[at]) if with_value else None
    return _Asked(code, ids[code], kind, start, rest), value


def _indicator(book: Catalogue, typed: str) -> str | None:
    """The indicator whose code or alias is exactly what was typed (case and accents ignored)."""
    wanted = fold(typed)
    for words in book.words:
        if wanted and any(fold(alias) == wanted for alias in words.aliases):
            return words.code
    return None


async def _set(ctx: Context, words: list[str]) -> list[Reply]:
    read = await _read(ctx, words, with_value=True)
    if isinstance(read, Reply):
        return [read]
    asked, value = read
    if value is None or value > MAX_VALUE:
        return [Reply(texts.TARGET_BAD_VALUE.format(max=texts.number(MAX_VALUE)))]
    unit = await _target_unit(ctx, " ".join(asked.rest))
    if isinstance(unit, Reply):
        return [unit]
    await set_target(
        ctx.session,
        unit_id=unit.id,
        indicator_id=asked.indicator_id,
        kind=asked.kind,
        start=asked.start,
        value=value,
    )
    book = await catalogue(ctx)
    template = texts.TARGET_SET if value else texts.TARGET_REMOVED
    period = period_of(asked.kind, asked.start)
    return [
        Reply(
            template.format(
                name=book.labels[asked.code],
                period=period.label,
                unit=unit.name,
                value=texts.number(value),
            )
        )
    ]


async def _target_unit(ctx: Context, place: str) -> Unit | Reply:
    """The official's unit, or the hamlet (by code or name) under it that `place` names."""
    mine = [u for u in own_units(ctx) if rights(ctx, u) == Detail.PERSONS]
    if not place:
        if len(mine) == 1:
            return mine[0]
        code = mine[0].code if mine else texts.EXAMPLE_UNIT_CODE
        example = texts.TARGET_UNIT_EXAMPLE.format(code=code)
        return Reply(texts.TARGET_WHICH_UNIT.format(example=example, you=texts.capital(you(ctx))))
    if UNIT_CODE.fullmatch(place):
        unit = await find_unit(ctx, place)
        if unit is not None and unit.level != COUNTRY and rights(ctx, unit) == Detail.PERSONS:
            return unit
    else:
        unit = await _hamlet_named(ctx, place, mine)
        if unit is not None:
            return unit
    where = mine[0].name if mine else place
    example = mine[0].code + "-01" if mine else "28468-01"
    kind = await hamlet_kind(ctx.session, unit=mine[0]) if mine else texts.LEVEL_WORDS["hamlet"]
    return Reply(
        texts.TARGET_PLACE_UNKNOWN.format(place=place, unit=where, example=example, kind=kind)
    )


async def _hamlet_named(ctx: Context, name: str, under: list[Unit]) -> Unit | None:
    """A hamlet (or commune) under one of `under` whose name matches, with or without «Ấp»…"""
    found = await units_named(ctx.session, name=name, under=under)
    return found[0] if found else None


# --- splitting ---
async def _split(ctx: Context, words: list[str]) -> list[Reply]:
    """Split the commune's own target over its hamlets, evenly or by member count."""
    read = await _read(ctx, words, with_value=False)
    if isinstance(read, Reply):
        return [read]
    asked, _ = read
    method_words, code = split_code(" ".join(asked.rest))
    method = fold(method_words).replace(" ", "")
    commune = await _target_unit(ctx, code)
    if isinstance(commune, Reply):
        return [commune]
    if commune.level != Level.COMMUNE:
        return [Reply(texts.SPLIT_NEEDS_COMMUNE)]
    book = await catalogue(ctx)
    name, period = book.labels[asked.code], period_of(asked.kind, asked.start)
    if method not in texts.EVEN_WORDS | texts.MEMBER_WORDS:
        kind = await hamlet_kind(ctx.session, unit=commune)
        return [_how_to_split(asked, commune, name, period, kind=kind)]
    shares = await split_target(
        ctx.session,
        commune=commune,
        indicator_id=asked.indicator_id,
        kind=asked.kind,
        start=asked.start,
        by_members=method in texts.MEMBER_WORDS,
    )
    if shares is None:
        return [Reply(await _cannot_split(ctx, commune, asked, name, period))]
    total = sum(value for _, value in shares)
    how = texts.SPLIT_MEMBERS_WORD if method in texts.MEMBER_WORDS else texts.SPLIT_EVEN_WORD
    lines = [
        texts.SPLIT_DONE.format(
            name=name,
            period=period.label,
            unit=commune.name,
            value=texts.number(total),
            n=len(shares),
            how=how,
            kind=kind_of_all((u for u, _ in shares), Level.HAMLET),
        )
    ]
    lines += [texts.SPLIT_LINE.format(unit=u.name, value=texts.number(v)) for u, v in shares]
    return [Reply("\n".join(lines))]


def _how_to_split(asked: _Asked, commune: Unit, name: str, period: Period, *, kind: str) -> Reply:
    """Asks evenly or by members, with a button for each."""
    base = f"/chitieu chia {asked.code} {texts.KIND_TYPED[asked.kind]} {period_token(period)}"
    choices = (
        Choice(texts.BTN_SPLIT_EVEN, f"{base} deu {commune.code}"),
        Choice(texts.BTN_SPLIT_MEMBERS, f"{base} thanhvien {commune.code}"),
    )
    text = texts.SPLIT_HOW.format(name=name, period=period.label, unit=commune.name, kind=kind)
    return Reply(text, choices=choices)


async def _cannot_split(
    ctx: Context, commune: Unit, asked: _Asked, name: str, period: Period
) -> str:
    whole = await get_target(
        ctx.session,
        unit_id=commune.id,
        indicator_id=asked.indicator_id,
        kind=asked.kind,
        start=asked.start,
    )
    if whole is None:
        return texts.SPLIT_NO_WHOLE.format(
            unit=commune.name,
            name=name,
            period=period.label,
            code=asked.code,
            kind=texts.KIND_TYPED[asked.kind],
        )
    return texts.SPLIT_NO_HAMLETS.format(unit=commune.name)
