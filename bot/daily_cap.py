"""A daily cap on what one person reports: past DAILY_COUNT_CAP counts in a day (all indicators
together), a /bc is confirmed before it is stored, as a typed line is. A flood of reports, by
mistake or on purpose, then stops at the cap instead of filling the week's figures."""

from datetime import date

from bot.core.context import Context
from db.reports import day_total


async def over_daily_cap(ctx: Context, *, day: date, counts: dict[str, int]) -> int | None:
    """The person's total for `day` with these counts, when it passes the cap; else None."""
    cap = ctx.settings.daily_count_cap
    if cap <= 0 or ctx.person is None:
        return None
    done = await day_total(ctx.session, person_id=ctx.person.id, day=day)
    total = done + sum(n for n in counts.values() if n > 0)
    return total if total > cap else None
