"""Scores and ranks of hamlets (or communes): one fair scale for a table or a leaderboard.

Pure functions of `bot.figures` data (no database), shared by the summary text, the charts, the
leaderboards of `/bangxephang` and of the Monday job.

Scale: if every row has a target for the period, the score is the mean achievement over the
indicators with a target, each capped (`UnitFigures.score`, shown "87%"). If ANY row lacks targets,
everybody is ranked by activity per member instead: all counts except households visited (`ho`)
divided by the members, at least 1 ("4,2/người"). Ties go to the larger activity, then the name.
"""

import math

from bot import texts
from bot.figures import BoardEntry, Leaderboard, TopPerson, UnitFigures, UnitRef

HOUSEHOLDS = "ho"  # households visited: a count of homes, not of services, so left out of activity


def activity_total(counts: dict[str, int]) -> int:
    """All counts added up except households visited (`ho`)."""
    return sum(n for code, n in counts.items() if code != HOUSEHOLDS)


def activity_per_member(figures: UnitFigures) -> float:
    """Activity (without `ho`) per member, counting at least one member."""
    return activity_total(figures.counts) / max(figures.members, 1)


def uses_targets(rows: list[UnitFigures]) -> bool:
    """Rank by achievement only when every row has a target; otherwise everybody by activity per member."""
    return bool(rows) and all(row.score() is not None for row in rows)


def score(figures: UnitFigures, *, by_target: bool) -> float:
    return (figures.score() or 0.0) if by_target else activity_per_member(figures)


def rank_rows(rows: list[UnitFigures], *, by_target: bool) -> list[tuple[UnitFigures, float]]:
    """Rows with their score, best first; ties go to the larger activity, then the name."""
    scored = [(row, score(row, by_target=by_target)) for row in rows]
    scored.sort(key=lambda pair: (-pair[1], -activity_total(pair[0].counts), pair[0].unit.name))
    return scored


def score_label(value: float, *, by_target: bool) -> str:
    """ "87%" for an achievement ratio, "4,2/người" (Vietnamese decimal comma) for activity per member."""
    if by_target:
        return texts.SCORE_PERCENT.format(percent=half_up(value * 100))
    return texts.SCORE_PER_MEMBER.format(value=_decimal(value))


def rank_board(
    commune: UnitRef,
    current: list[UnitFigures],
    before: list[UnitFigures] | None,
    *,
    period_label: str,
    top_people: list[TopPerson],
) -> Leaderboard:
    """The board of one commune from its hamlets' figures in this period and (maybe) the one before.

    Only hamlets with a report in the period are ranked, on one scale for both periods (targets
    only if every hamlet has them in both). `rank_change` is the previous rank minus the new one
    (positive = moved up), None for a hamlet not ranked before. `most_improved` is the hamlet,
    ranked in both periods, with the largest score gain; None if nobody gained.
    """
    by_target = uses_targets(current) and (before is None or uses_targets(before))
    ranked = rank_rows([row for row in current if row.reports], by_target=by_target)
    old = _old_places(before, by_target=by_target)
    entries = []
    best_gain, most_improved = 0.0, None
    for rank, (row, value) in enumerate(ranked, start=1):
        code = row.unit.code
        change = old[code][0] - rank if code in old else None
        label = score_label(value, by_target=by_target)
        entries.append(BoardEntry(rank, row.unit, value, label, change))
        if code in old and value - old[code][1] > best_gain + 1e-12:
            best_gain, most_improved = value - old[code][1], row.unit
    return Leaderboard(
        unit=commune,
        period_label=period_label,
        entries=entries,
        most_improved=most_improved,
        top_people=top_people,
        rows=current,
    )


def _old_places(
    before: list[UnitFigures] | None, *, by_target: bool
) -> dict[str, tuple[int, float]]:
    """(rank, score) by unit code in the previous period; empty without one."""
    if before is None:
        return {}
    ranked = rank_rows([row for row in before if row.reports], by_target=by_target)
    return {row.unit.code: (rank, value) for rank, (row, value) in enumerate(ranked, start=1)}


def half_up(value: float) -> int:
    """Rounded half up (2.5 -> 3), as people round, with a margin for float error."""
    return math.floor(value + 0.5 + 1e-9)


def _decimal(value: float) -> str:
    """One decimal with a Vietnamese decimal comma: 4.25 -> "4,3"."""
    tenths = half_up(value * 10)
    return f"{tenths // 10},{tenths % 10}"
