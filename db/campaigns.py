"""Campaigns (chiến dịch): stored once, their progress read from the reports. Never commits.

The figures are plain sums of standing report lines on the campaign's indicators between its
dates, so a retracted or edited report changes them with nothing to keep in step. Which of those
days are campaign days (weekends only, say) is decided in bot/, from `activity_date`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    Campaign,
    CampaignTarget,
    Indicator,
    Person,
    Report,
    ReportLine,
    Task,
    Team,
    Unit,
)


@dataclass(frozen=True)
class CampaignCount:
    """What one person reported on one day for one indicator, in one hamlet (or the commune)."""

    unit_id: int
    person_id: int
    person_name: str
    activity_date: date
    code: str
    count: int


async def add_campaign(
    session: AsyncSession, *, campaign: Campaign, targets: list[tuple[int, int, int]]
) -> Campaign:
    """Store the campaign and its targets, (unit id, indicator id, value) each, in one flush."""
    session.add(campaign)
    await session.flush()
    for unit_id, indicator_id, value in targets:
        session.add(
            CampaignTarget(
                campaign_id=campaign.id, unit_id=unit_id, indicator_id=indicator_id, value=value
            )
        )
    await session.flush()
    return campaign


async def campaigns_of(session: AsyncSession, *, unit_ids: list[int]) -> list[Campaign]:
    """These units' campaigns, the latest start first."""
    query = (
        select(Campaign)
        .where(Campaign.unit_id.in_(unit_ids))
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    )
    return list((await session.exec(query)).all())


async def get_campaign(session: AsyncSession, *, campaign_id: int) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


def _live(day: date) -> tuple:
    """Begun, and ended at most a week before `day`: the end's summary still goes out after a few
    days' downtime."""
    return Campaign.start_date <= day, Campaign.end_date >= day - timedelta(days=7)


async def live_campaigns(session: AsyncSession, *, unit_id: int, day: date) -> list[Campaign]:
    """The unit's live campaigns (`_live`)."""
    query = select(Campaign).where(Campaign.unit_id == unit_id, *_live(day)).order_by(Campaign.id)
    return list((await session.exec(query)).all())


async def campaign_targets(
    session: AsyncSession, *, campaign_id: int
) -> list[tuple[int, str, int]]:
    """(unit id, indicator code, value) of the campaign, in indicator order."""
    query = (
        select(CampaignTarget.unit_id, Indicator.code, CampaignTarget.value)
        .join(Indicator, Indicator.id == CampaignTarget.indicator_id)
        .where(CampaignTarget.campaign_id == campaign_id)
        .order_by(Indicator.position, Indicator.id, CampaignTarget.unit_id)
    )
    return [tuple(row) for row in (await session.exec(query)).all()]


async def campaign_counts(
    session: AsyncSession, *, campaign: Campaign, unit: Unit
) -> list[CampaignCount]:
    """Standing report lines on the campaign's indicators between its dates, in `unit` and under
    it, summed per hamlet, person, day and indicator."""
    indicators = select(CampaignTarget.indicator_id).where(
        CampaignTarget.campaign_id == campaign.id, CampaignTarget.unit_id == campaign.unit_id
    )
    total = func.sum(ReportLine.count)
    query = (
        select(
            Team.unit_id,
            Report.person_id,
            Person.display_name,
            Report.activity_date,
            Indicator.code,
            total,
        )
        .join(ReportLine, ReportLine.report_id == Report.id)
        .join(Indicator, Indicator.id == ReportLine.indicator_id)
        .join(Team, Team.id == Report.team_id)
        .join(Unit, Unit.id == Team.unit_id)
        .join(Person, Person.id == Report.person_id)
        .where(
            ~Report.retracted,
            Report.activity_date >= campaign.start_date,
            Report.activity_date <= campaign.end_date,
            ReportLine.indicator_id.in_(indicators),
            Unit.path.startswith(unit.path),
        )
        .group_by(
            Team.unit_id,
            Report.person_id,
            Person.display_name,
            Report.activity_date,
            Indicator.code,
        )
    )
    return [CampaignCount(*row) for row in (await session.exec(query)).all()]


async def busy_communes(session: AsyncSession, *, day: date) -> set[int]:
    """Communes with a campaign begun and ended at most a week ago, or with a pending task due
    the next day: the only ones the hourly campaign job has anything to do for."""
    live = select(Campaign.unit_id).where(*_live(day))
    tomorrow = day + timedelta(days=1)
    tasks = (
        select(Unit.parent_id)
        .join(Team, Team.unit_id == Unit.id)
        .join(Task, Task.team_id == Team.id)
        .where(Task.due_date == tomorrow, Task.status.in_(("open", "accepted")))
    )
    found = set((await session.exec(live)).all()) | set((await session.exec(tasks)).all())
    return {unit_id for unit_id in found if unit_id is not None}
