"""Where and whether scheduled jobs run: the active communes, their settings and the runs done.
Never commits."""

from datetime import datetime

from sqlalchemy import case, union
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import ChatGroup, JobRun, JobSetting, Level, Membership, Team, Unit
from db.session import dialect_insert


async def active_communes(
    session: AsyncSession, *, code: str | None = None
) -> list[tuple[Unit, JobSetting]]:
    """Communes with a linked group or a member in them or their hamlets, with their settings.

    A commune without a JobSetting row gets the defaults (not stored). `code` narrows to one commune
    (a hamlet's code means its commune).
    """
    linked = union(
        select(ChatGroup.unit_id),
        select(Team.unit_id).join(Membership, Membership.team_id == Team.id),
    ).subquery("linked")
    place = aliased(Unit)
    commune_id = case((place.level == Level.HAMLET.value, place.parent_id), else_=place.id)
    query = (
        select(Unit, JobSetting)
        .outerjoin(JobSetting, JobSetting.unit_id == Unit.id)
        .where(
            Unit.level == Level.COMMUNE.value,
            Unit.id.in_(select(commune_id).where(place.id.in_(select(linked.c.unit_id)))),
        )
        .order_by(Unit.path)
    )
    if code is not None:
        query = query.where(Unit.id.in_(select(commune_id).where(place.code == code)))
    rows = (await session.exec(query)).all()
    return [(unit, setting or JobSetting(unit_id=unit.id)) for unit, setting in rows]


async def job_setting(session: AsyncSession, *, commune_id: int) -> JobSetting:
    """The commune's settings row, or the defaults (unsaved) when it has none."""
    query = select(JobSetting).where(JobSetting.unit_id == commune_id)
    return (await session.exec(query)).first() or JobSetting(unit_id=commune_id)


async def claim_run(
    session: AsyncSession, *, job: str, scope: str, period_key: str, ran_at: datetime
) -> bool:
    """Insert the JobRun row that marks this run done; False when it is there already.

    The row commits with the run's outbox rows, so a run happens once whoever calls it.
    """
    claim = (
        dialect_insert(session)(JobRun)
        .values(job=job, scope=scope, period_key=period_key, ran_at=ran_at)
        .on_conflict_do_nothing(index_elements=["job", "scope", "period_key"])
        .returning(JobRun.id)
    )
    return (await session.exec(claim)).scalar_one_or_none() is not None


async def runs_done(session: AsyncSession, *, period_keys: set[str]) -> set[tuple[str, str, str]]:
    """(job, scope, period key) of the runs recorded for these periods."""
    if not period_keys:
        return set()
    query = select(JobRun.job, JobRun.scope, JobRun.period_key).where(
        JobRun.period_key.in_(sorted(period_keys))
    )
    return set((await session.exec(query)).all())
