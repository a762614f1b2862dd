"""Campaign figures read from the reports, and how they read: progress, group posts, the end.

`db.campaigns` sums the standing report lines between the campaign's dates; here only the lines
dated on its days count (a weekend drive counts weekends), targets are matched per hamlet and the
posts are worded. Shared by /chiendich, /baocao and the scheduled posts (scheduler.campaigns).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.figures import IndicatorInfo, Summary, UnitFigures, UnitRef
from db.campaigns import CampaignCount, campaign_counts, campaign_targets
from db.indicators import active_indicators
from db.models import Campaign, Level, Unit
from db.summary import ReportRow
from db.units import units_under

TOP = 3  # hamlets and people named in the recognition post


def runs_on(campaign: Campaign, day: date) -> bool:
    """Whether `day` is one of the campaign's days."""
    in_dates = campaign.start_date <= day <= campaign.end_date
    return in_dates and str(day.weekday()) in campaign.weekdays


def days_label(weekdays: str) -> str:
    if len(weekdays) == 7:
        return texts.CAMPAIGN_ALL_DAYS
    return ", ".join(texts.CAMPAIGN_DAY_NAMES[int(d)] for d in weekdays)


def state_label(campaign: Campaign, today: date) -> str:
    if today < campaign.start_date:
        return texts.CAMPAIGN_STATE_COMING
    return (
        texts.CAMPAIGN_STATE_RUNNING if today <= campaign.end_date else texts.CAMPAIGN_STATE_ENDED
    )


@dataclass
class Figures:
    """A campaign's indicators, targets per unit id and the counts on its days."""

    campaign: Campaign
    unit: Unit
    hamlets: list[Unit]
    indicators: list[IndicatorInfo]
    targets: dict[int, dict[str, int]]
    counts: list[CampaignCount] = field(default_factory=list)

    def done(self, *, unit_id: int | None = None, day: date | None = None) -> dict[str, int]:
        """Sums per indicator, for one hamlet and/or one day, or for the whole campaign."""
        sums: dict[str, int] = defaultdict(int)
        for c in self.counts:
            if (unit_id is None or c.unit_id == unit_id) and (
                day is None or c.activity_date == day
            ):
                sums[c.code] += c.count
        return dict(sums)

    def done_in(self, unit_id: int) -> dict[str, int]:
        """Sums per indicator in one hamlet, or in the whole campaign for its own unit."""
        return self.done() if unit_id == self.unit.id else self.done(unit_id=unit_id)

    def score(self, unit_id: int) -> float:
        """The hamlet's mean share of its targets (capped at 2), else its total count."""
        done, targets = self.done(unit_id=unit_id), self.targets.get(unit_id, {})
        ratios = [min(done.get(c, 0) / t, 2.0) for c, t in targets.items() if t]
        return sum(ratios) / len(ratios) if ratios else float(sum(done.values()))


async def read_figures(session: AsyncSession, *, campaign: Campaign) -> Figures:
    unit = await session.get(Unit, campaign.unit_id)
    hamlets = await units_under(session, paths=[unit.path], level=Level.HAMLET)
    stored = await campaign_targets(session, campaign_id=campaign.id)
    codes = [code for unit_id, code, _ in stored if unit_id == unit.id]
    book = {i.code: i for i in await active_indicators(session)}
    indicators = [
        IndicatorInfo(c, book[c].name, book[c].unit_label, short=texts.short_label(book[c]))
        for c in codes
        if c in book
    ]
    targets: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, code, value in stored:
        if value:
            targets[unit_id][code] = value
    counts = await campaign_counts(session, campaign=campaign, unit=unit)
    counts = [c for c in counts if runs_on(campaign, c.activity_date)]
    return Figures(campaign, unit, hamlets, indicators, dict(targets), counts)


# --- wording ---
def _percent(done: int, target: int) -> str:
    return f"{round(100 * done / target)}%"


def indicator_lines(fig: Figures) -> list[str]:
    """One line per indicator for the whole campaign: done, target, share."""
    unit_id, done = fig.unit.id, fig.done()
    lines = []
    for ind in fig.indicators:
        target, n = fig.targets.get(unit_id, {}).get(ind.code), done.get(ind.code, 0)
        line = texts.CAMPAIGN_LINE if target else texts.CAMPAIGN_LINE_NO_TARGET
        lines.append(
            line.format(
                indicator=ind.label,
                done=texts.number(n),
                target=texts.number(target or 0),
                percent=_percent(n, target) if target else "",
            )
        )
    return lines


def short_figures(fig: Figures, unit_id: int) -> str:
    """ "VNeID 12/40, DVC 3" for one line, for a hamlet or the whole campaign."""
    done, targets = fig.done_in(unit_id), fig.targets.get(unit_id, {})
    parts = []
    for ind in fig.indicators:
        n, target = done.get(ind.code, 0), targets.get(ind.code)
        parts.append(f"{ind.label} {n}/{target}" if target else f"{ind.label} {n}")
    return ", ".join(parts)


def _dates(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "start": f"{campaign.start_date:%d/%m}",
        "end": f"{campaign.end_date:%d/%m/%Y}",
        "days": days_label(campaign.weekdays),
    }


def show_text(fig: Figures, today: date) -> str:
    """/chiendich <số>: the whole campaign, then each hamlet."""
    lines = indicator_lines(fig)
    if fig.hamlets:
        lines.append(texts.CAMPAIGN_HAMLETS)
        lines += [
            texts.CAMPAIGN_HAMLET_LINE.format(hamlet=h.name, figures=short_figures(fig, h.id))
            for h in fig.hamlets
        ]
    return texts.CAMPAIGN_SHOW.format(
        **_dates(fig.campaign),
        unit=fig.unit.name,
        state=state_label(fig.campaign, today),
        lines="\n".join(lines),
    )


def baocao_line(fig: Figures, unit_id: int) -> str:
    """The campaign's line under a /baocao summary of the commune or one of its hamlets."""
    return texts.CAMPAIGN_BAOCAO.format(**_dates(fig.campaign), figures=short_figures(fig, unit_id))


def start_post(fig: Figures) -> str:
    return texts.CAMPAIGN_START_POST.format(
        **_dates(fig.campaign), targets="\n".join(indicator_lines(fig))
    )


def day_post(fig: Figures, day: date) -> str:
    """The daily progress post: today's counts, the totals, the liveliest hamlets (never the last)."""
    today = fig.done(day=day)
    today_text = ", ".join(f"{i.label} {today.get(i.code, 0)}" for i in fig.indicators)
    active = sorted(
        (h for h in fig.hamlets if sum(fig.done(unit_id=h.id, day=day).values())),
        key=lambda h: -sum(fig.done(unit_id=h.id, day=day).values()),
    )[:TOP]
    leaders = (
        texts.CAMPAIGN_DAY_LEADERS.format(hamlets=", ".join(h.name for h in active))
        if active
        else ""
    )
    return texts.CAMPAIGN_DAY_POST.format(
        name=fig.campaign.name,
        day=f"{day:%d/%m}",
        today=today_text,
        lines="\n".join(indicator_lines(fig)),
        leaders=leaders,
    )


def _most_improved(fig: Figures) -> Unit | None:
    """The hamlet whose second half of the campaign beat its first half by the most."""
    c = fig.campaign
    middle = c.start_date + (c.end_date - c.start_date) / 2
    best, gain = None, 0
    for hamlet in fig.hamlets:
        rows = [x for x in fig.counts if x.unit_id == hamlet.id]
        first = sum(x.count for x in rows if x.activity_date <= middle)
        second = sum(x.count for x in rows if x.activity_date > middle)
        if second - first > gain:
            best, gain = hamlet, second - first
    return best


def end_post(fig: Figures) -> str:
    """The recognition post: top hamlets, top people, most improved; no list of the lowest."""
    ranked = sorted(fig.hamlets, key=lambda h: -fig.score(h.id))
    top = [h.name for h in ranked if fig.done(unit_id=h.id)][:TOP]
    people: dict[str, int] = defaultdict(int)
    for x in fig.counts:
        people[x.person_name] += x.count
    best_people = sorted(people.items(), key=lambda p: -p[1])[:TOP]
    best = ""
    if top:
        best += texts.CAMPAIGN_END_TOP_HAMLETS.format(hamlets=", ".join(top))
    if best_people:
        names = ", ".join(f"{name} ({texts.number(n)})" for name, n in best_people)
        best += texts.CAMPAIGN_END_TOP_PEOPLE.format(people=names)
    if (improved := _most_improved(fig)) is not None:
        best += texts.CAMPAIGN_END_IMPROVED.format(hamlet=improved.name)
    return texts.CAMPAIGN_END_POST.format(
        name=fig.campaign.name, lines="\n".join(indicator_lines(fig)), best=best
    )


def as_summary(fig: Figures, made_at: datetime) -> Summary:
    """The campaign in the shape the Excel and chart renderers read (bot.render)."""
    commune = UnitRef(fig.unit.level, fig.unit.code, fig.unit.name)
    rows = [
        UnitFigures(
            UnitRef(h.level, h.code, h.name),
            [commune, UnitRef(h.level, h.code, h.name)],
            counts=fig.done(unit_id=h.id),
            targets=fig.targets.get(h.id, {}),
        )
        for h in fig.hamlets
    ]
    totals = UnitFigures(
        commune, [commune], counts=fig.done(), targets=fig.targets.get(fig.unit.id, {})
    )
    c = fig.campaign
    label = texts.CAMPAIGN_PERIOD_LABEL.format(
        name=c.name, start=f"{c.start_date:%d/%m}", end=f"{c.end_date:%d/%m/%Y}"
    )
    return Summary(
        commune,
        label,
        c.start_date,
        c.end_date,
        made_at,
        fig.indicators,
        rows,
        totals,
        lines=_detail_lines(fig),
    )


def _detail_lines(fig: Figures) -> list[ReportRow]:
    names = {h.id: h for h in [fig.unit, *fig.hamlets]}
    grouped: dict[tuple, dict[str, int]] = defaultdict(dict)
    for x in fig.counts:
        grouped[(x.activity_date, x.unit_id, x.person_name)][x.code] = x.count
    return [
        ReportRow(day, names[u].code, names[u].name, person, counts, "", "")
        for (day, u, person), counts in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][2]))
        if u in names
    ]
