"""Saving a report and wording the confirmation: shared by /bc, /ghinhan, /sua and plain text."""

from dataclasses import dataclass

from bot import texts
from bot.core.context import Context, Place
from bot.core.replies import Reply
from bot.parsing import IndicatorWords, mask_personal_numbers, week_bounds
from db.indicators import active_indicators
from db.models import Report
from db.reports import save_report, totals


@dataclass(frozen=True)
class Catalogue:
    """The active indicators as the parser and the replies need them."""

    words: list[IndicatorWords]
    labels: dict[str, str]  # code -> short label (first alias)
    names: dict[str, str]  # code -> full name
    ids: dict[str, int]  # code -> id

    def format(self, counts: dict[str, int]) -> str:
        parts = [f"{self.labels[c]} {counts[c]}" for c in self.labels if counts.get(c)]
        return ", ".join(parts) or texts.NOTHING_YET


async def catalogue(ctx: Context) -> Catalogue:
    """The active indicators, read once per update."""
    if "catalogue" not in ctx.memo:
        ctx.memo["catalogue"] = await _read_catalogue(ctx)
    return ctx.memo["catalogue"]


async def _read_catalogue(ctx: Context) -> Catalogue:
    indicators = await active_indicators(ctx.session)
    words = [IndicatorWords(i.code, (i.code, *i.aliases.split("|"))) for i in indicators]
    labels = {i.code: (i.aliases.split("|")[0] or i.code) for i in indicators}
    return Catalogue(
        words, labels, {i.code: i.name for i in indicators}, {i.code: i.id for i in indicators}
    )


async def store(
    ctx: Context,
    *,
    place: Place,
    day,
    counts: dict[str, int],
    note: str = "",
    photo_ref: str | None = None,
    replaces: Report | None = None,
) -> Reply:
    """Save the report (notes masked) and answer with what was recorded and the hamlet's week total."""
    counts = {code: n for code, n in counts.items() if n}
    book = await catalogue(ctx)
    await save_report(
        ctx.session,
        person_id=ctx.person.id,
        team_id=place.team.id,
        activity_date=day,
        counts=counts,
        note=mask_personal_numbers(note) if note else None,
        photo_ref=photo_ref,
        source=ctx.event.platform,
        idempotency_key=f"{ctx.event.platform}:{ctx.event.update_key}",
        replaces=replaces,
        indicator_ids=book.ids,
    )
    monday, sunday = week_bounds(ctx.today)
    week = await totals(ctx.session, start=monday, end=sunday, team_id=place.team.id)
    template = texts.REPORT_EDITED if replaces else texts.REPORT_SAVED
    return Reply(
        template.format(
            day=day.strftime("%d/%m"),
            tally=book.format(counts),
            team=place.unit.name,
            week=book.format(week),
        )
    )
