"""Targets as people type and read them: kinds and periods in words, targets in force, splits.

`db.targets` stores and reads targets by ids and dates; this turns what people type (tháng, quý,
năm, "Q4/2026", "1.500") into those, and what is stored back into periods with labels.
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.dates import MONTH, QUARTER, YEAR, Period, period_of
from bot.target_math import split_whole
from bot.words import fold
from db.models import Unit
from db.targets import (
    KINDS,
    TargetValue,
    get_target,
    hamlet_members,
    set_targets,
)
from db.targets import targets_in_force as stored_in_force

MAX_VALUE = 10_000_000


# --- words ---
def parse_kind(text: str) -> str | None:
    """`month`, `quarter` or `year` for what people type (tháng, quý, năm), else None."""
    return texts.KIND_WORDS.get(fold(text).replace(" ", ""))


def parse_start(kind: str, text: str) -> date | None:
    """The first day of the period written as mm/yyyy (month), Qn/yyyy (quarter) or yyyy (year)."""
    compact = fold(text).replace(" ", "")
    if kind == "month" and (match := MONTH.fullmatch(compact)):
        month, year = int(match.group(1)), int(match.group(2))
        return date(year, month, 1) if 1 <= month <= 12 else None
    if kind == "quarter":
        if match := QUARTER.fullmatch(compact):
            return date(int(match.group(2)), 3 * int(match.group(1)) - 2, 1)
        if match := re.fullmatch(r"([0-9]{1,2})/([0-9]{4})", compact):
            month = int(match.group(1))
            return date(int(match.group(2)), month, 1) if month in (1, 4, 7, 10) else None
    if kind == "year" and (match := YEAR.fullmatch(compact)):
        return date(int(match.group(1)), 1, 1)
    return None


def parse_value(raw) -> int | None:
    """A whole number from 0 to MAX_VALUE; "1.500" and "1,500" are fifteen hundred."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        number = raw
    elif re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+", str(raw).strip()):
        number = int(re.sub(r"[.,]", "", str(raw).strip()))
    else:
        return None
    return number if 0 <= number <= MAX_VALUE else None


# --- in force ---
@dataclass(frozen=True)
class TargetLine:
    """One target shown by /chitieu; `from_parts` when it is the sum of the units below."""

    period: Period
    code: str
    value: int
    from_parts: bool = False


async def targets_in_force(session: AsyncSession, *, unit: Unit, today: date) -> list[TargetLine]:
    """The unit's targets for the month, quarter and year containing `today`.

    Where the unit has no target of its own for an indicator and period, the sum of the targets of
    the units directly under it (a commune's hamlets) stands in for it. Ordered month, quarter,
    year, then by the indicator's position.
    """
    periods = {kind: period_of(kind, today) for kind in KINDS}
    starts = {kind: period.start for kind, period in periods.items()}
    found = await stored_in_force(session, unit_id=unit.id, starts=starts)
    return [TargetLine(periods[t.kind], t.code, t.value, t.from_parts) for t in found]


# --- splitting ---
async def split_target(
    session: AsyncSession,
    *,
    commune: Unit,
    indicator_id: int,
    kind: str,
    start: date,
    by_members: bool,
) -> list[tuple[Unit, int]] | None:
    """Give each hamlet its share of the commune's own target; None if the commune has none."""
    whole = await get_target(
        session, unit_id=commune.id, indicator_id=indicator_id, kind=kind, start=start
    )
    hamlets = await hamlet_members(session, commune_id=commune.id)
    if whole is None or not hamlets:
        return None
    weights = [n for _, n in hamlets] if by_members else [1] * len(hamlets)
    shares = list(zip((u for u, _ in hamlets), split_whole(whole, weights), strict=True))
    await set_targets(
        session,
        targets=[TargetValue(h.id, indicator_id, kind, start, value) for h, value in shares],
    )
    return shares
