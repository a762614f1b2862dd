"""Targets in the database: upserts, bulk sets, the targets in force by ids and dates."""

from datetime import date

from sqlmodel import select

from db.models import Indicator, Role, Target
from db.targets import (
    TargetValue,
    get_target,
    hamlet_members,
    set_target,
    set_targets,
    targets_in_force,
)
from db.units import count_rows
from tests.helpers import seed_commune

NOVEMBER = date(2026, 11, 1)


async def vneid_id(session) -> int:
    return (await session.exec(select(Indicator.id).where(Indicator.code == "vneid"))).one()


async def test_setting_again_replaces_and_zero_removes(db):
    seed = await seed_commune()
    async with db() as session:
        vneid = await vneid_id(session)
        key = {"unit_id": seed.commune.id, "indicator_id": vneid, "kind": "month"}
        await set_target(session, **key, start=NOVEMBER, value=500)
        await set_target(session, **key, start=NOVEMBER, value=450)
        await session.commit()
        assert await get_target(session, **key, start=NOVEMBER) == 450
        assert await count_rows(session, Target) == 1
        await set_target(session, **key, start=NOVEMBER, value=0)
        await session.commit()
        assert await count_rows(session, Target) == 0


async def test_many_targets_set_as_if_one_after_the_other(db):
    seed = await seed_commune()
    commune, tan_hoa = seed.commune.id, seed.hamlets[0].id
    async with db() as session:
        vneid = await vneid_id(session)
        await set_target(
            session, unit_id=tan_hoa, indicator_id=vneid, kind="month", start=NOVEMBER, value=9
        )
        await set_targets(
            session,
            targets=[
                TargetValue(commune, vneid, "month", NOVEMBER, 500),
                TargetValue(commune, vneid, "month", NOVEMBER, 0),  # then removed
                TargetValue(commune, vneid, "year", date(2026, 1, 1), 0),
                TargetValue(commune, vneid, "year", date(2026, 1, 1), 6000),  # then set again
                TargetValue(tan_hoa, vneid, "month", NOVEMBER, 0),  # the stored 9 removed
            ],
        )
        await set_targets(session, targets=[])
        await session.commit()
        stored = (
            await session.exec(select(Target.unit_id, Target.period_kind, Target.value))
        ).all()
    assert stored == [(commune, "year", 6000)]


async def test_hamlet_members_count_confirmed_members_only(db):
    seed = await seed_commune(
        {
            "Ấp Tân Hòa": [("An", None, Role.LEADER), ("Bình", None, Role.MEMBER)],
            "Ấp Phú Thạnh": [("Cường", None, Role.DEPUTY), ("Cán bộ", None, Role.OFFICIAL)],
            "Ấp Mỹ Lộc": [],
        }
    )
    async with db() as session:
        found = await hamlet_members(session, commune_id=seed.commune.id)
    assert [(unit.name, n) for unit, n in found] == [
        ("Ấp Tân Hòa", 2),
        ("Ấp Phú Thạnh", 1),
        ("Ấp Mỹ Lộc", 0),
    ]


async def test_targets_in_force_by_ids_and_starts(db):
    seed = await seed_commune()
    tan_hoa = seed.hamlets[0]
    async with db() as session:
        ids = dict((await session.exec(select(Indicator.code, Indicator.id))).all())
        for unit, code, kind, start, value in [
            (seed.commune, "dvc", "year", date(2026, 1, 1), 0),  # 0 is no target
            (tan_hoa, "vneid", "month", NOVEMBER, 300),
            (tan_hoa, "vneid", "year", date(2026, 1, 1), 3000),
            (seed.commune, "vneid", "year", date(2026, 1, 1), 4000),
        ]:
            session.add(
                Target(
                    unit_id=unit.id,
                    indicator_id=ids[code],
                    period_kind=kind,
                    period_start=start,
                    value=value,
                )
            )
        await session.flush()
        starts = {"year": date(2026, 1, 1), "month": NOVEMBER}  # the order asked
        found = await targets_in_force(session, unit_id=seed.commune.id, starts=starts)
    assert [(t.kind, t.start, t.code, t.value, t.from_parts) for t in found] == [
        ("year", date(2026, 1, 1), "vneid", 4000, False),
        ("month", NOVEMBER, "vneid", 300, True),
    ]
