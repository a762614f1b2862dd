"""Targets as numbers: a target pro-rated to the days asked, one kind chosen, a whole split fairly.

Pure functions (no database): `db.targets.target_parts` reads the parts, these decide.
"""

import math
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

from db.models import Level
from db.targets import TargetPart

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# Row level -> levels whose targets count for a row: its own, its communes', their hamlets'.
TARGET_TIERS = {
    Level.HAMLET.value: (Level.HAMLET.value,),
    Level.COMMUNE.value: (Level.COMMUNE.value, Level.HAMLET.value),
    Level.PROVINCE.value: (Level.PROVINCE.value, Level.COMMUNE.value, Level.HAMLET.value),
}


def row_targets(
    parts: Iterable[TargetPart], *, row_level: str, start: date, end: date
) -> dict[int, dict[str, int]]:
    """Targets per row id and indicator code for [start, end].

    A target applies when its period (the month, quarter or year starting `start`) overlaps
    [start, end], pro-rated by the overlapping days and rounded half up: a monthly target of 300
    for November asked for one week is 300 * 7/30 = 70. Periods straddled (a week across two
    months) add their parts. A row's target is its own unit's target where it has one, else the
    sum over its communes of each commune's own target, else the sum of that commune's hamlets'
    targets (so a commune row is its own target or its hamlets'; a province row of the country,
    its own or its communes'). If a unit has targets of several kinds for one indicator, only one
    kind is used, never their sum (`choose_kinds`).
    """
    tiers = TARGET_TIERS[row_level]
    scale, shares = _scaled_shares([part for part in parts if part.level in tiers], start, end)
    own: dict[int, dict[str, int]] = defaultdict(dict)
    communes: dict[tuple[int, int], dict[str, dict[str, int]]] = defaultdict(dict)
    for (row_id, sub_id, level), by_code in shares.items():
        chosen = choose_kinds(by_code, start, end, scale=scale)
        if level == row_level:
            own[row_id].update(chosen)
        if sub_id is not None and level in (Level.COMMUNE, Level.HAMLET):
            communes[(row_id, sub_id)][level] = chosen
    targets = _communes_summed(communes)
    for row_id, by_code in own.items():
        targets[row_id] = {**targets.get(row_id, {}), **by_code}
    return {
        row_id: {code: n for code, n in by_code.items() if n} for row_id, by_code in targets.items()
    }


def _scaled_shares(
    parts: list[TargetPart], start: date, end: date
) -> tuple[int, dict[tuple, dict[str, dict[str, int]]]]:
    """The common denominator, and each part's share of [start, end] times it, added up per
    (row id, commune id, level of the target's unit) -> code -> kind.

    The country has 10,000s of parts: each period's days are worked out once, and shares are
    whole numbers over one common denominator (exact, as fractions would be, but faster).
    """
    spans = {key: overlap_days(*key, start, end) for key in {(p.kind, p.start) for p in parts}}
    scale = math.lcm(1, *(span[1] for span in spans.values() if span is not None))
    factors = {key: span[0] * (scale // span[1]) for key, span in spans.items() if span is not None}
    summed: dict[tuple, int] = defaultdict(int)  # (row, commune, level, code, kind) -> × scale
    for part in parts:
        factor = factors.get((part.kind, part.start))
        if factor is not None:
            summed[(part.row_id, part.sub_id, part.level, part.code, part.kind)] += (
                part.value * factor
            )
    shares: dict[tuple, dict[str, dict[str, int]]] = {}
    for (row_id, sub_id, level, code, kind), value in summed.items():
        shares.setdefault((row_id, sub_id, level), {}).setdefault(code, {})[kind] = value
    return scale, shares


def _communes_summed(
    communes: dict[tuple[int, int], dict[str, dict[str, int]]],
) -> dict[int, dict[str, int]]:
    """Per row: the sum over its communes of the commune's own target, else its hamlets'."""
    summed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (row_id, _), by_level in communes.items():
        commune = by_level.get(Level.COMMUNE.value, {})
        merged = {**by_level.get(Level.HAMLET.value, {}), **commune}
        for code, value in merged.items():
            summed[row_id][code] += value
    return {row_id: dict(by_code) for row_id, by_code in summed.items()}


def unit_targets(parts: Iterable[TargetPart], *, start: date, end: date) -> dict[str, int]:
    """One unit's own targets for [start, end], by the same rules as `row_targets`."""
    shares: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for part in parts:
        share = prorate(part.value, part.kind, part.start, start, end)
        if share is not None:
            shares[part.code][part.kind] += share
    return {code: n for code, n in choose_kinds(shares, start, end).items() if n}


def prorate(value: int, kind: str, period_start: date, start: date, end: date) -> Fraction | None:
    """`value` times the share of the target's period that falls in [start, end]; None if none."""
    span = overlap_days(kind, period_start, start, end)
    return None if span is None else Fraction(value * span[0], span[1])


def overlap_days(kind: str, period_start: date, start: date, end: date) -> tuple[int, int] | None:
    """(days of the target's period in [start, end], days of the period); None if none."""
    months = PERIOD_MONTHS.get(kind)
    if months is None:
        return None
    period_end = add_months(period_start, months) - timedelta(days=1)
    overlap = (min(end, period_end) - max(start, period_start)).days + 1
    if overlap <= 0:
        return None
    return overlap, (period_end - period_start).days + 1


def choose_kinds(
    by_code: dict[str, dict[str, Fraction]], start: date, end: date, scale: int = 1
) -> dict[str, int]:
    """One kind per indicator, the nearest the asked length, rounded half up.

    Month first for up to 31 days, quarter first for up to 92 days, otherwise year first. With a
    `scale`, the values are whole numbers standing for value / scale.
    """
    days = (end - start).days + 1
    if days <= 31:
        order = ("month", "quarter", "year")
    elif days <= 92:
        order = ("quarter", "month", "year")
    else:
        order = ("year", "quarter", "month")
    chosen = {}
    for code, kinds in by_code.items():
        kind = next(k for k in order if k in kinds)
        chosen[code] = (2 * kinds[kind] + scale) // (2 * scale)  # value / scale + 1/2, floored
    return chosen


def due_share(start: date, end: date, today: date) -> Fraction | None:
    """The share of a target due by the end of today while [start, end] runs: the days passed,
    today included, over the period's days (3/31 on 3 December); None for a day, or a period
    not running today (a finished one is simply reached or not)."""
    days = (end - start).days + 1
    if days < 2 or not start <= today <= end:
        return None
    return Fraction((today - start).days + 1, days)


def points_behind(count: int, target: int, due: Fraction) -> int:
    """How many percentage points of the target `count` is behind the share due, rounded half
    up; 0 when on pace or ahead."""
    gap = (due - Fraction(count, target)) * 100
    return max(math.floor(gap + Fraction(1, 2)), 0)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def split_whole(total: int, weights: list[int]) -> list[int]:
    """Parts of `total` proportional to `weights` that add up to exactly `total`.

    Largest remainder: everybody gets the floor of their share, the leftover units go one each to
    the largest remainders (ties to the larger weight, then the earlier position). With no weight
    at all, the split is even.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(
        range(len(weights)), key=lambda i: (-(total * weights[i] % whole), -weights[i], i)
    )
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
