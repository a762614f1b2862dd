"""Saving a report and wording the confirmation: shared by /bc, /ghinhan, /sua and plain text."""

from collections.abc import Callable
from dataclasses import dataclass

from bot import texts
from bot.core.context import Context, Place
from bot.core.replies import Choice, Reply
from bot.dates import week_bounds
from bot.privacy import mask_personal_numbers
from bot.quick_report import IndicatorWords, QuickReport, parse_quick_report
from db.indicators import active_indicators
from db.models import Report, Role
from db.reports import report_counts, retract, save_report, team_totals
from db.vocabulary import note_unknown_words

PICK = "ind:"  # what an indicator's choice carries before its code


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

    def choices(self, label: Callable[[str, str], str] | None = None) -> list[Choice]:
        """One choice per indicator, as the /ghinhan, /giao and /chiendich menus offer them;
        `label(code, label)` may add to each (a count, a tick)."""
        return [
            Choice(label(code, name) if label else name, f"{PICK}{code}")
            for code, name in self.labels.items()
        ]

    def picked(self, choice: str | None) -> str | None:
        """The indicator code a choice from `choices` names, None for any other answer."""
        code = (choice or "").removeprefix(PICK)
        return code if (choice or "").startswith(PICK) and code in self.labels else None


def cannot_report(ctx: Context) -> Reply:
    """Why a sender with no hamlet team to report for cannot report, and what to do instead."""
    if ctx.person is None:
        return Reply(texts.NOT_JOINED)
    pending = [p for p in ctx.places if p.role != Role.OFFICIAL and not p.membership.confirmed]
    if pending:
        return Reply(texts.REPORT_PENDING.format(team=pending[0].unit.name))
    if ctx.official_places:
        return Reply(texts.REPORT_OFFICIAL)
    return Reply(texts.REPORT_NO_TEAM)


async def catalogue(ctx: Context) -> Catalogue:
    """The active indicators, read once per update (or batch of updates)."""
    if "catalogue" not in ctx.memo:
        ctx.memo["catalogue"] = await _read_catalogue(ctx)
    return ctx.memo["catalogue"]


async def parse_line(ctx: Context, text: str) -> QuickReport:
    """One typed line of counts, with this deployment's limits; raises ParseError. Shared by /bc,
    plain text and group posts, and counts typed at the /ghinhan menu. The unknown words beside
    the numbers it asks about are counted (`tocongnghe words unknown`, /tumoi)."""
    book = await catalogue(ctx)
    parsed = parse_quick_report(
        text,
        book.words,
        ctx.today,
        max_count=ctx.settings.max_count_per_indicator,
        max_days_back=ctx.settings.max_days_back,
    )
    if unknown := [u.word for u in parsed.unclear if u.word]:  # kept to learn from
        await note_unknown_words(ctx.session, words=unknown, now=ctx.now)
    return parsed


def indicator_words(code: str, aliases: str) -> IndicatorWords:
    """What the parser knows of one indicator: its code and its stored aliases ("a|b")."""
    return IndicatorWords(code, (code, *aliases.split("|")))


async def _read_catalogue(ctx: Context) -> Catalogue:
    indicators = await active_indicators(ctx.session)
    words = [indicator_words(i.code, i.aliases) for i in indicators]
    labels = {i.code: texts.short_label(i) for i in indicators}
    return Catalogue(
        words, labels, {i.code: i.name for i in indicators}, {i.code: i.id for i in indicators}
    )


async def _week_totals(
    ctx: Context, team_id: int, *, day, counts: dict[str, int], edit: bool
) -> dict[str, int]:
    """The team's totals this week, with the report being stored.

    Read once per batch for every team the batch's senders report for, before the first report
    is queued, then kept up to date here by adding each new report: this is the only place reports
    are added, and a retraction drops the figures (`forget_week_totals`). So the batch's reports
    are written once, before its commit, not once for the read and again for the rest. An edit is
    read after it is queued (the read writes it first), as its old report leaves the sums.
    """
    weeks = ctx.memo.setdefault("week", {})
    monday, sunday = week_bounds(ctx.today)
    if team_id not in weeks or edit:
        teams = {team_id}
        if ctx.preloaded is not None:
            teams |= {p.team.id for _, places in ctx.preloaded.senders.values() for p in places}
        weeks.update(await team_totals(ctx.session, start=monday, end=sunday, team_ids=teams))
        if edit:
            return dict(weeks[team_id])
    if monday <= day <= sunday:
        week = weeks[team_id]
        for code, count in counts.items():
            week[code] = week.get(code, 0) + count
    return dict(weeks[team_id])


def forget_week_totals(ctx: Context) -> None:
    """After a retraction: the next report reads the figures again."""
    ctx.memo.pop("week", None)


async def store(
    ctx: Context,
    *,
    place: Place,
    day,
    counts: dict[str, int],
    note: str = "",
    photo_ref: str | None = None,
    replaces: Report | None = None,
    key: str | None = None,
) -> Reply:
    """Save the report (notes masked) and answer with what was recorded and the hamlet's week total.

    `key` is the report's idempotency key; by default the update's."""
    counts = {code: n for code, n in counts.items() if n}
    book = await catalogue(ctx)
    edit = replaces is not None
    if not edit:
        week = await _week_totals(ctx, place.team.id, day=day, counts=counts, edit=False)
    await save_report(
        ctx.session,
        person_id=ctx.person.id,
        team_id=place.team.id,
        activity_date=day,
        counts=counts,
        note=mask_personal_numbers(note) if note else None,
        photo_ref=photo_ref,
        source=ctx.event.platform,
        idempotency_key=key or f"{ctx.event.platform}:{ctx.event.update_key}",
        replaces=replaces,
        indicator_ids=book.ids,
    )
    if edit:
        week = await _week_totals(ctx, place.team.id, day=day, counts=counts, edit=True)
    template = texts.REPORT_EDITED if edit else texts.REPORT_SAVED
    text = template.format(
        day=day.strftime("%d/%m"),
        tally=book.format(counts),
        team=place.unit.name,
        week=book.format(week),
    )
    monday, sunday = week_bounds(day)
    if monday < week_bounds(ctx.today)[0]:  # the total above is this week's: say where it went
        text += texts.REPORT_EARLIER_WEEK.format(
            day=f"{day:%d/%m}", week=f"{monday:%d/%m}–{sunday:%d/%m}"
        )
    return Reply(text)


async def retract_own(ctx: Context, report: Report) -> Reply:
    """/huy done: the report stays on record, marked retracted (and audited), out of every total."""
    counts = await report_counts(ctx.session, report_id=report.id)
    await retract(ctx.session, report=report, actor_id=ctx.person.id)
    forget_week_totals(ctx)
    book = await catalogue(ctx)
    day = report.activity_date.strftime("%d/%m")
    return Reply(texts.RETRACT_DONE.format(day=day, tally=book.format(counts)))
