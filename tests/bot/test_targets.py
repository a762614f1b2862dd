"""Targets as people type and read them: words, periods in force, splitting over hamlets."""

from datetime import date

from sqlmodel import select

from bot.targets import parse_kind, parse_start, parse_value, split_target, targets_in_force
from db.models import Indicator, Role, Target
from db.targets import set_target
from tests.helpers import seed_commune

NOVEMBER = date(2026, 11, 1)


def test_words_people_type():
    assert [parse_kind(w) for w in ("tháng", "Quý", "nam", "năm", "tuan")] == [
        "month",
        "quarter",
        "year",
        "year",
        None,
    ]
    assert parse_start("month", "11/2026") == NOVEMBER
    assert parse_start("month", "13/2026") is None
    assert parse_start("quarter", "Q4/2026") == date(2026, 10, 1)
    assert parse_start("quarter", "quý 1/2027") == date(2027, 1, 1)
    assert parse_start("quarter", "10/2026") == date(2026, 10, 1)
    assert parse_start("quarter", "11/2026") is None  # not the first month of a quarter
    assert parse_start("year", "2026") == date(2026, 1, 1)
    assert parse_start("year", "11/2026") is None
    assert [parse_value(v) for v in ("500", "1.500", "1,500", 1500.0, 7, "-3", "5a", "1.5")] == [
        500,
        1500,
        1500,
        1500,
        7,
        None,
        None,
        None,
    ]


async def vneid_id(session) -> int:
    return (await session.exec(select(Indicator.id).where(Indicator.code == "vneid"))).one()


async def test_split_evenly_or_by_members(db):
    # Members: Tân Hòa 3 (a leader, a member, a deputy), Phú Thạnh 1, Mỹ Lộc none.
    seed = await seed_commune(
        {
            "Ấp Tân Hòa": [
                ("An", None, Role.LEADER),
                ("Bình", None, Role.MEMBER),
                ("Chi", None, Role.DEPUTY),
            ],
            "Ấp Phú Thạnh": [("Cường", None, Role.LEADER), ("Cán bộ", None, Role.OFFICIAL)],
            "Ấp Mỹ Lộc": [],
        }
    )
    async with db() as session:
        vneid = await vneid_id(session)
        split = {"indicator_id": vneid, "kind": "month", "start": NOVEMBER}
        assert await split_target(session, commune=seed.commune, **split, by_members=False) is None
        await set_target(session, unit_id=seed.commune.id, value=500, **split)
        even = await split_target(session, commune=seed.commune, **split, by_members=False)
        assert [(u.name, n) for u, n in even] == [
            ("Ấp Tân Hòa", 167),
            ("Ấp Phú Thạnh", 167),
            ("Ấp Mỹ Lộc", 166),
        ]
        by_members = await split_target(session, commune=seed.commune, **split, by_members=True)
        assert [(u.name, n) for u, n in by_members] == [
            ("Ấp Tân Hòa", 375),
            ("Ấp Phú Thạnh", 125),
            ("Ấp Mỹ Lộc", 0),
        ]
        await session.commit()
        stored = (await session.exec(select(Target.unit_id, Target.value))).all()
    # Mỹ Lộc's 0 removed its earlier share; the commune keeps its own 500.
    assert sorted(stored) == sorted(
        [(seed.commune.id, 500), (seed.hamlets[0].id, 375), (seed.hamlets[1].id, 125)]
    )


async def test_targets_in_force_own_first_else_the_hamlets_sum(db):
    seed = await seed_commune()
    tan_hoa, phu_thanh = seed.hamlets
    async with db() as session:
        ids = dict((await session.exec(select(Indicator.code, Indicator.id))).all())
        for unit, code, kind, start, value in [
            (seed.commune, "vneid", "month", NOVEMBER, 500),
            (tan_hoa, "vneid", "month", NOVEMBER, 300),  # the commune's own wins
            (tan_hoa, "dvc", "month", NOVEMBER, 30),
            (phu_thanh, "dvc", "month", NOVEMBER, 20),
            (phu_thanh, "dvc", "month", date(2026, 10, 1), 99),  # last month
            (seed.commune, "ho", "year", date(2026, 1, 1), 2000),
            (seed.commune, "vi", "quarter", date(2026, 10, 1), 90),
        ]:
            await set_target(
                session,
                unit_id=unit.id,
                indicator_id=ids[code],
                kind=kind,
                start=start,
                value=value,
            )
        lines = await targets_in_force(session, unit=seed.commune, today=date(2026, 11, 23))
        hamlet = await targets_in_force(session, unit=tan_hoa, today=date(2026, 11, 23))
    assert [(t.period.label, t.code, t.value, t.from_parts) for t in lines] == [
        ("tháng 11/2026", "vneid", 500, False),
        ("tháng 11/2026", "dvc", 50, True),
        ("quý 4/2026", "vi", 90, False),
        ("năm 2026", "ho", 2000, False),
    ]
    assert [(t.code, t.value, t.from_parts) for t in hamlet] == [
        ("vneid", 300, False),
        ("dvc", 30, False),
    ]
