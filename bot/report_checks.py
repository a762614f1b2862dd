"""Doubts asked before a report is stored: the same report again within minutes (a double send),
a count far above what the member usually reports (a typo such as 499 for 49), or a day's total
past DAILY_COUNT_CAP (all indicators together: a flood, by mistake or on purpose, stops there
instead of filling the week's figures)."""

import statistics
from datetime import date, timedelta

from bot import texts
from bot.core.context import Context
from bot.reporting import catalogue
from db.models import utcnow
from db.reports import count_history, day_reports


def usual(values: list[int], percentile: int) -> float:
    """The member's usual count: the given percentile of their past counts (0 with none)."""
    if len(values) < 2:
        return float(values[0]) if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


def unusual(
    counts: dict[str, int],
    history: dict[str, list[int]],
    *,
    factor: float,
    minimum: int,
    percentile: int,
) -> dict[str, float]:
    """The codes whose count is at least `minimum` and over `factor` times the usual, with it."""
    found = {}
    for code, count in counts.items():
        typical = usual(history.get(code, []), percentile)
        if count >= minimum and count > factor * typical:
            found[code] = typical
    return found


async def doubt(ctx: Context, data: dict) -> str | None:
    """What to ask before storing the report in `data` (team_id, day, counts), or None.
    An edit is not a double send, but its figures are checked like any report's (its old report
    still counts toward the day's cap until it is replaced: a margin, not a hole)."""
    day = date.fromisoformat(data["day"])
    counts = {code: n for code, n in data["counts"].items() if n}
    book = await catalogue(ctx)
    earlier = await day_reports(ctx.session, person_id=ctx.person.id, day=day)  # for both checks
    parts = []
    if not data.get("replaces_id") and _sent_already(ctx, book, earlier, data["team_id"], counts):
        tally, minutes = book.format(counts), ctx.settings.duplicate_minutes
        parts += [texts.DOUBT_SAME.format(tally=tally, day=f"{day:%d/%m}", minutes=minutes)]
        parts += [texts.DOUBT_SAME_ASK]
    if high := await _unusual(ctx, counts):
        items = ", ".join(
            _item(book.labels[code], counts[code], typical) for code, typical in high.items()
        )
        parts += [texts.DOUBT_UNUSUAL.format(items=items), texts.DOUBT_UNUSUAL_ASK]
    cap = ctx.settings.daily_count_cap
    total = sum(sum(r.counts.values()) for r in earlier) + sum(counts.values())
    if 0 < cap < total:
        parts += [texts.DAILY_CAP_ASK.format(total=total, cap=cap)]
    return "\n".join(parts) or None


def _item(label: str, count: int, typical: float) -> str:
    if not typical:
        return texts.DOUBT_UNUSUAL_FIRST.format(label=label, count=count)
    return texts.DOUBT_UNUSUAL_ITEM.format(label=label, count=count, usual=round(typical))


def _sent_already(ctx: Context, book, earlier: list, team_id: int, counts: dict) -> bool:
    """The same report (hamlet and counts) made within DUPLICATE_MINUTES."""
    by_id = {book.ids[code]: n for code, n in counts.items()}
    since = utcnow() - timedelta(minutes=ctx.settings.duplicate_minutes)
    return any(
        r.team_id == team_id and r.created_at >= since and r.counts == by_id for r in earlier
    )


async def _unusual(ctx: Context, counts: dict[str, int]) -> dict[str, float]:
    """Read the member's history only when some count could be unusual (most reports are small)."""
    settings = ctx.settings
    big = [code for code, n in counts.items() if n >= settings.unusual_min_count]
    if not big:
        return {}
    since = ctx.today - timedelta(days=settings.unusual_history_days)
    history = await count_history(ctx.session, person_id=ctx.person.id, codes=big, since=since)
    return unusual(
        {code: counts[code] for code in big},
        history,
        factor=settings.unusual_factor,
        minimum=settings.unusual_min_count,
        percentile=settings.unusual_percentile,
    )
