"""Summaries and leaderboards assembled from the database: targets pro-rated, rows ranked, texts."""

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlmodel import select

from bot import texts
from bot.figures import Summary, TopPerson, UnitFigures, UnitRef
from bot.summaries import (
    build_leaderboard,
    build_leaderboards,
    build_summary,
    country_unit,
)
from bot.summary_text import format_leaderboard_text, format_summary_text
from db.models import (
    Indicator,
    Level,
    Person,
    Report,
    ReportLine,
    Role,
    Team,
    Unit,
)
from db.people import add_identity
from db.rollups import add_reports
from db.summary import unit_counts
from db.targets import set_target
from db.units import add_membership, create_unit, ensure_team

WEEK = (date(2026, 11, 16), date(2026, 11, 22))  # Monday to Sunday
LAST_WEEK = (date(2026, 11, 9), date(2026, 11, 15))
NEXT_WEEK = (date(2026, 11, 23), date(2026, 11, 29))
MADE_AT = datetime(2026, 11, 23, 7, 0)
KEYS = itertools.count()


@dataclass
class World:
    province: Unit
    commune: Unit
    other_commune: Unit
    dong: Unit  # 5 members, 3 reporters
    tay: Unit  # 2 members, both report: more activity per member
    nam: Unit  # 1 member, sends nothing this week
    bac: Unit  # in the other commune
    people: dict[str, Person]


async def person(session, name: str, *teams: tuple[Team, Role], confirmed: bool = True) -> Person:
    someone = Person(display_name=name)
    session.add(someone)
    await session.flush()
    for team, role in teams:
        await add_membership(session, person=someone, team=team, role=role, confirmed=confirmed)
    return someone


async def identity(session, someone: Person, platform: str, unreachable: bool) -> None:
    await add_identity(
        session,
        person_id=someone.id,
        platform=platform,
        user_id=f"{platform}-{someone.id}",
        name="",
        unreachable_at=datetime(2026, 11, 1, tzinfo=UTC) if unreachable else None,
    )


async def report(
    session,
    someone: Person,
    unit: Unit,
    day: date,
    counts: dict[str, int],
    *,
    retracted: bool = False,
    replaces: Report | None = None,
    note: str | None = None,
) -> Report:
    team = await ensure_team(session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
    row = Report(
        person_id=someone.id,
        team_id=team.id,
        activity_date=day,
        source="telegram",
        idempotency_key=f"test:{next(KEYS)}",
        retracted=retracted,
        replaces_id=replaces.id if replaces else None,
        note=note,
    )
    session.add(row)
    await session.flush()
    ids = await indicator_ids(session)
    for code, count in counts.items():
        session.add(ReportLine(report_id=row.id, indicator_id=ids[code], count=count))
    await session.flush()
    if not retracted:  # inserted as rows, so into the day totals as db.reports would
        await add_reports(session, reports=[row.id], sign=1)
    return row


async def indicator_ids(session) -> dict[str, int]:
    return {i.code: i.id for i in (await session.exec(select(Indicator))).all()}


async def target(session, unit: Unit, code: str, kind: str, start: date, value: int) -> None:
    ids = await indicator_ids(session)
    await set_target(
        session, unit_id=unit.id, indicator_id=ids[code], kind=kind, start=start, value=value
    )


async def seed(session) -> World:
    province = await create_unit(
        session, level=Level.PROVINCE, name="Tỉnh Thử", parent=None, code="90"
    )
    commune = await create_unit(
        session, level=Level.COMMUNE, name="Xã Tân Phú", parent=province, code="90001"
    )
    other = await create_unit(
        session, level=Level.COMMUNE, name="Xã Bình An", parent=province, code="90002"
    )
    dong = await create_unit(session, level=Level.HAMLET, name="Thôn Đông", parent=commune)
    tay = await create_unit(session, level=Level.HAMLET, name="Thôn Tây", parent=commune)
    nam = await create_unit(session, level=Level.HAMLET, name="Thôn Nam", parent=commune)
    bac = await create_unit(session, level=Level.HAMLET, name="Thôn Bắc", parent=other)
    t_dong, t_tay, t_nam, t_bac = [
        await ensure_team(session, unit=u, name=texts.TEAM_NAME.format(unit=u.name))
        for u in (dong, tay, nam, bac)
    ]

    people = {
        "an": await person(session, "Nguyễn Văn An", (t_dong, Role.LEADER)),
        "binh": await person(session, "Trần Thị Bình", (t_dong, Role.DEPUTY)),
        "cuong": await person(session, "Lê Văn Cường", (t_dong, Role.MEMBER)),
        "dung": await person(session, "Phạm Thị Dung", (t_dong, Role.MEMBER)),  # roster only
        "hai": await person(session, "Hồ Văn Hai", (t_dong, Role.MEMBER), (t_tay, Role.MEMBER)),
        "khanh": await person(session, "Võ Thị Khánh", (t_tay, Role.LEADER)),
        "lan": await person(session, "Đặng Thị Lan", (t_nam, Role.LEADER)),
        "moi": await person(session, "Người Mới", (t_nam, Role.MEMBER), confirmed=False),
        "canbo": await person(session, "Cán Bộ Xã", (t_dong, Role.OFFICIAL)),
        "bac": await person(session, "Ngô Văn Bắc", (t_bac, Role.LEADER)),
    }
    await identity(session, people["an"], "telegram", unreachable=True)
    await identity(session, people["an"], "zalo", unreachable=False)  # still reachable on Zalo
    await identity(session, people["binh"], "telegram", unreachable=True)
    await identity(session, people["lan"], "zalo", unreachable=True)

    # This week in Xã Tân Phú.
    await report(session, people["an"], dong, date(2026, 11, 16), {"vneid": 5, "ho": 3})
    await report(session, people["binh"], dong, date(2026, 11, 22), {"vneid": 2, "dvc": 4})
    await report(session, people["an"], dong, date(2026, 11, 18), {"vneid": 100}, retracted=True)
    old = await report(
        session, people["cuong"], dong, date(2026, 11, 19), {"vneid": 10}, retracted=True
    )
    await report(
        session, people["cuong"], dong, date(2026, 11, 19), {"vneid": 7, "dvc": 1}, replaces=old
    )
    await report(session, people["an"], dong, date(2026, 11, 23), {"vneid": 50})  # next week
    await report(session, people["khanh"], tay, date(2026, 11, 20), {"vneid": 6, "dvc": 3})
    await report(session, people["hai"], tay, date(2026, 11, 21), {"vi": 4, "ho": 10}, note="chợ")
    # Last week.
    await report(session, people["an"], dong, date(2026, 11, 10), {"vneid": 30})
    await report(session, people["khanh"], tay, date(2026, 11, 12), {"vneid": 2})
    await report(session, people["lan"], nam, date(2026, 11, 14), {"dvc": 1})
    # The other commune: never in Xã Tân Phú's figures.
    await report(session, people["bac"], bac, date(2026, 11, 17), {"vneid": 1000})

    await target(session, dong, "vneid", "month", date(2026, 11, 1), 300)  # a week: 70
    await target(session, dong, "vneid", "month", date(2026, 12, 1), 310)
    await target(session, dong, "vneid", "year", date(2026, 1, 1), 3650)  # not added to the month
    await target(session, tay, "vneid", "month", date(2026, 11, 1), 60)  # a week: 14
    await target(session, commune, "dvc", "month", date(2026, 11, 1), 150)  # a week: 35
    await target(session, other, "vneid", "quarter", date(2026, 10, 1), 920)  # a week: 70
    await target(session, bac, "vneid", "month", date(2026, 11, 1), 3000)  # other has its own
    await session.commit()
    return World(province, commune, other, dong, tay, nam, bac, people)


def row(summary: Summary, code: str) -> UnitFigures:
    return next(r for r in summary.rows if r.unit.code == code)


async def test_commune_summary_counts_standing_reports_by_activity_date(db):
    async with db() as session:
        world = await seed(session)
        summary = await build_summary(
            session,
            unit=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="Tuần 16/11–22/11/2026",
            made_at=MADE_AT,
            previous=LAST_WEEK,
        )
    assert summary.unit == UnitRef("commune", "90001", "Xã Tân Phú")
    assert [r.unit.name for r in summary.rows] == ["Thôn Đông", "Thôn Tây", "Thôn Nam"]
    assert [i.code for i in summary.indicators][:3] == ["vneid", "dvc", "vi"]
    assert len(summary.indicators) == 10

    dong = row(summary, "90001-01")
    assert dong.counts == {"vneid": 14, "dvc": 5, "ho": 3}  # retracted 100 and old 10 left out
    assert (dong.reports, dong.reporters, dong.members, dong.unreachable) == (3, 3, 5, 1)
    assert dong.targets == {"vneid": 70}
    assert dong.hierarchy == [
        UnitRef("province", "90", "Tỉnh Thử"),
        UnitRef("commune", "90001", "Xã Tân Phú"),
        UnitRef("hamlet", "90001-01", "Thôn Đông"),
    ]
    tay = row(summary, "90001-02")
    assert tay.counts == {"vneid": 6, "dvc": 3, "vi": 4, "ho": 10}
    assert (tay.reports, tay.reporters, tay.members, tay.unreachable) == (2, 2, 2, 0)
    assert tay.targets == {"vneid": 14}
    nam = row(summary, "90001-03")
    assert nam.counts == {}
    assert (nam.reports, nam.reporters, nam.members, nam.unreachable) == (0, 0, 1, 1)
    assert nam.targets == {}

    totals = summary.totals
    assert totals.counts == {"vneid": 20, "dvc": 8, "vi": 4, "ho": 13}
    for code, total in totals.counts.items():
        assert sum(r.counts.get(code, 0) for r in summary.rows) == total
    # Hồ Văn Hai is in two teams and counted once; the joiner and the official are not members.
    assert (totals.reports, totals.reporters, totals.members, totals.unreachable) == (5, 5, 7, 2)
    assert totals.targets == {"vneid": 84, "dvc": 35}
    assert totals.hierarchy == [
        UnitRef("province", "90", "Tỉnh Thử"),
        UnitRef("commune", "90001", "Xã Tân Phú"),
    ]
    assert summary.previous_totals == {
        "vneid": 32, "dvc": 1, "vi": 0, "cuahang": 0, "tmdt": 0,
        "sosk": 0, "vssid": 0, "cks": 0, "sim": 0, "ho": 0,
    }  # fmt: skip
    assert summary.lines == []


async def test_sunday_counts_in_its_week_and_monday_in_the_next(db):
    async with db() as session:
        world = await seed(session)
        this = await build_summary(
            session, unit=world.dong, start=WEEK[0], end=WEEK[1], period_label="", made_at=MADE_AT
        )
        following = await build_summary(
            session,
            unit=world.dong,
            start=NEXT_WEEK[0],
            end=NEXT_WEEK[1],
            period_label="",
            made_at=MADE_AT,
        )
    assert [r.unit.code for r in this.rows] == ["90001-01"]
    assert this.rows[0].counts == this.totals.counts == {"vneid": 14, "dvc": 5, "ho": 3}
    assert following.totals.counts == {"vneid": 50}
    assert following.totals.reports == 1
    assert this.previous_totals == {}


async def test_targets_are_prorated_by_overlapping_days(db):
    async with db() as session:
        world = await seed(session)

        async def vneid_target(start: date, end: date) -> int | None:
            summary = await build_summary(
                session, unit=world.dong, start=start, end=end, period_label="", made_at=MADE_AT
            )
            assert summary.rows[0].targets == summary.totals.targets
            return summary.totals.targets.get("vneid")

        assert await vneid_target(*WEEK) == 70  # 300 * 7/30
        assert await vneid_target(date(2026, 11, 1), date(2026, 11, 30)) == 300
        # Across two months: 300 * 1/30 + 310 * 6/31.
        assert await vneid_target(date(2026, 11, 30), date(2026, 12, 6)) == 70
        # A year asked for: the yearly target, not the months added to it.
        assert await vneid_target(date(2026, 1, 1), date(2026, 12, 31)) == 3650
        # A week with no monthly target falls back to the year: 3650 * 7/365.
        assert await vneid_target(date(2026, 3, 2), date(2026, 3, 8)) == 70
        assert await vneid_target(date(2027, 3, 1), date(2027, 3, 7)) is None


async def test_province_roll_up_is_the_sum_of_its_communes(db):
    async with db() as session:
        world = await seed(session)
        province = await build_summary(
            session,
            unit=world.province,
            start=WEEK[0],
            end=WEEK[1],
            period_label="Tuần 16/11–22/11/2026",
            made_at=MADE_AT,
        )
        communes = [
            await build_summary(
                session, unit=u, start=WEEK[0], end=WEEK[1], period_label="", made_at=MADE_AT
            )
            for u in (world.commune, world.other_commune)
        ]
    assert [r.unit.code for r in province.rows] == ["90001", "90002"]
    for rolled, commune in zip(province.rows, communes, strict=True):
        assert rolled.counts == commune.totals.counts
        assert rolled.reports == commune.totals.reports
        assert rolled.reporters == commune.totals.reporters
        assert rolled.members == commune.totals.members
        assert rolled.unreachable == commune.totals.unreachable
        assert rolled.targets == commune.totals.targets
        assert rolled.hierarchy == commune.totals.hierarchy
    assert province.rows[0].targets == {"vneid": 84, "dvc": 35}  # its hamlets' plus its own
    assert province.rows[1].targets == {"vneid": 70}  # its own quarter, not its hamlet's month
    assert province.totals.counts == {"vneid": 1020, "dvc": 8, "vi": 4, "ho": 13}
    assert (province.totals.reports, province.totals.reporters) == (6, 6)
    assert (province.totals.members, province.totals.unreachable) == (8, 2)
    assert province.totals.targets == {"vneid": 154, "dvc": 35}


async def test_country_has_one_row_per_province(db):
    async with db() as session:
        world = await seed(session)
        far = await create_unit(
            session, level=Level.PROVINCE, name="Tỉnh Xa", parent=None, code="91"
        )
        district = await create_unit(session, level=Level.DISTRICT, name="Huyện Cũ", parent=far)
        commune = await create_unit(session, level=Level.COMMUNE, name="Xã Xa", parent=district)
        hamlet = await create_unit(session, level=Level.HAMLET, name="Ấp Xa", parent=commune)
        someone = await person(
            session,
            "Mai Văn Xa",
            (
                await ensure_team(
                    session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
                ),
                Role.MEMBER,
            ),
        )
        await report(session, someone, hamlet, date(2026, 11, 18), {"vneid": 3, "ho": 2})
        await target(session, hamlet, "vneid", "month", date(2026, 11, 1), 30)  # a week: 7
        await target(session, far, "dvc", "year", date(2026, 1, 1), 365)  # a week: 7
        country = await build_summary(
            session,
            unit=country_unit(),
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            made_at=MADE_AT,
        )
        province = await build_summary(
            session,
            unit=world.province,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            made_at=MADE_AT,
        )
        assert await unit_counts(session, unit=country_unit(), start=WEEK[0], end=WEEK[1]) == {
            "vneid": 1023, "dvc": 8, "vi": 4, "ho": 15,
        }  # fmt: skip
        assert await unit_counts(session, unit=world.dong, start=WEEK[0], end=WEEK[1]) == {
            "vneid": 14, "dvc": 5, "ho": 3,
        }  # fmt: skip
    assert country.unit == UnitRef("country", "/", "Toàn quốc")
    assert [r.unit.code for r in country.rows] == ["90", "91"]
    ours, theirs = country.rows
    assert ours.counts == province.totals.counts
    assert ours.targets == province.totals.targets == {"vneid": 154, "dvc": 35}
    assert (ours.reports, ours.reporters, ours.members, ours.unreachable) == (6, 6, 8, 2)
    assert ours.hierarchy == [UnitRef("province", "90", "Tỉnh Thử")]
    assert theirs.counts == {"vneid": 3, "ho": 2}
    assert theirs.targets == {"vneid": 7, "dvc": 7}  # its hamlet's month, its own year
    assert (theirs.reports, theirs.reporters, theirs.members) == (1, 1, 1)
    assert country.totals.counts == {"vneid": 1023, "dvc": 8, "vi": 4, "ho": 15}
    assert country.totals.targets == {"vneid": 161, "dvc": 42}
    assert (country.totals.members, country.totals.reporters) == (9, 7)
    assert format_summary_text(country).splitlines()[0] == "📊 Báo cáo Toàn quốc"
    assert "Tỉnh có báo cáo: 2/2" in format_summary_text(country)


async def test_another_communes_reports_never_leak_in(db):
    async with db() as session:
        world = await seed(session)
        other = await build_summary(
            session,
            unit=world.other_commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            made_at=MADE_AT,
            with_lines=True,
        )
        mine = await build_summary(
            session,
            unit=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            made_at=MADE_AT,
            with_lines=True,
        )
    assert [r.unit.name for r in other.rows] == ["Thôn Bắc"]
    assert other.totals.counts == {"vneid": 1000}
    assert (other.totals.reports, other.totals.members) == (1, 1)
    assert [line.person_name for line in other.lines] == ["Ngô Văn Bắc"]
    assert all(line.hamlet_code.startswith("90001-") for line in mine.lines)
    assert mine.totals.counts["vneid"] == 20


async def test_detail_lines_are_the_standing_reports(db):
    async with db() as session:
        world = await seed(session)
        summary = await build_summary(
            session,
            unit=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            made_at=MADE_AT,
            with_lines=True,
        )
    got = [
        (line.activity_date.day, line.hamlet_name, line.person_name, line.counts, line.note)
        for line in summary.lines
    ]
    assert got == [
        (16, "Thôn Đông", "Nguyễn Văn An", {"vneid": 5, "ho": 3}, ""),
        (19, "Thôn Đông", "Lê Văn Cường", {"vneid": 7, "dvc": 1}, ""),
        (20, "Thôn Tây", "Võ Thị Khánh", {"vneid": 6, "dvc": 3}, ""),
        (21, "Thôn Tây", "Hồ Văn Hai", {"vi": 4, "ho": 10}, "chợ"),
        (22, "Thôn Đông", "Trần Thị Bình", {"vneid": 2, "dvc": 4}, ""),
    ]
    assert {line.hamlet_code for line in summary.lines} == {"90001-01", "90001-02"}
    assert {line.source for line in summary.lines} == {"telegram"}
    for code, total in summary.totals.counts.items():
        assert sum(line.counts.get(code, 0) for line in summary.lines) == total


async def test_leaderboard_ranks_activity_per_member(db):
    async with db() as session:
        world = await seed(session)
        board = await build_leaderboard(
            session,
            commune=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="Tuần 16/11–22/11/2026",
            previous=LAST_WEEK,
            top_people=3,
        )
    # Thôn Nam has no target, so everybody is ranked by activity (without `ho`) per member.
    # Tây: 13 / 2 members; Đông: 19 / 5 members. Nam sent nothing: not ranked.
    assert [(e.rank, e.unit.name, e.score_label, e.rank_change) for e in board.entries] == [
        (1, "Thôn Tây", "6,5/người", 1),
        (2, "Thôn Đông", "3,8/người", -1),
    ]
    assert [e.score for e in board.entries] == [6.5, 3.8]
    assert board.unit == UnitRef("commune", "90001", "Xã Tân Phú")
    # Last week: Đông 6.0, Tây 1.0, Nam 1.0; Tây gained 5.5.
    assert board.most_improved == UnitRef("hamlet", "90001-02", "Thôn Tây")
    assert board.top_people == [
        TopPerson("Võ Thị Khánh", 9, "Thôn Tây"),
        TopPerson("Lê Văn Cường", 8, "Thôn Đông"),
        TopPerson("Trần Thị Bình", 6, "Thôn Đông"),
    ]
    assert format_leaderboard_text(board).splitlines() == [
        "🏆 Bảng xếp hạng",
        "Xã Tân Phú · Tuần 16/11–22/11/2026",
        "",
        "1. Thôn Tây — 6,5/người ▲1",
        "2. Thôn Đông — 3,8/người ▼1",
        "",
        "Tiến bộ nhất: Thôn Tây",
        "Gương mặt tiêu biểu tuần: Võ Thị Khánh – Thôn Tây (9), Lê Văn Cường – Thôn Đông (8), "
        "Trần Thị Bình – Thôn Đông (6)",
    ]


async def test_leaderboard_by_achievement_when_every_hamlet_has_targets(db):
    async with db() as session:
        world = await seed(session)
        await target(session, world.nam, "dvc", "month", date(2026, 11, 1), 30)
        await target(session, world.dong, "dvc", "month", date(2026, 11, 1), 30)
        await report(session, world.people["lan"], world.nam, date(2026, 11, 17), {"dvc": 21})
        board = await build_leaderboard(
            session,
            commune=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="Tuần 16/11–22/11/2026",
            top_people=10,
        )
    # Nam: dvc 21/7 = 3.0, capped at 2.0. Tây: vneid 6/14. Đông: (14/70 + 5/7) / 2.
    assert [(e.unit.name, e.score_label, e.rank_change) for e in board.entries] == [
        ("Thôn Nam", "200%", None),
        ("Thôn Đông", "46%", None),
        ("Thôn Tây", "43%", None),
    ]
    assert board.most_improved is None
    assert [person.name for person in board.top_people] == [
        "Đặng Thị Lan", "Võ Thị Khánh", "Lê Văn Cường", "Trần Thị Bình", "Nguyễn Văn An",
        "Hồ Văn Hai",
    ]  # fmt: skip
    assert [person.total for person in board.top_people] == [21, 9, 8, 6, 5, 4]
    assert board.top_people[0].hamlet == "Thôn Nam"


async def test_top_people_never_more_than_asked(db):
    async with db() as session:
        world = await seed(session)
        one = await build_leaderboard(
            session,
            commune=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            top_people=1,
        )
        none = await build_leaderboard(
            session,
            commune=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="",
            top_people=0,
        )
        quiet = await build_leaderboard(
            session,
            commune=world.commune,
            start=date(2027, 1, 4),
            end=date(2027, 1, 10),
            period_label="Tuần 04/01–10/01/2027",
        )
    assert one.top_people == [TopPerson("Võ Thị Khánh", 9, "Thôn Tây")]
    assert none.top_people == []
    assert (quiet.entries, quiet.top_people, quiet.most_improved) == ([], [], None)
    assert (
        format_leaderboard_text(quiet).splitlines()[-1] == "Chưa có thôn nào báo cáo trong kỳ này."
    )


async def test_leaderboards_of_many_communes_are_each_ones_own(db):
    """One bulk read ranks every commune as if alone, from the same rows as its summary."""
    async with db() as session:
        world = await seed(session)
        # Khánh also reports in Xã Bình An: each commune counts only what was done in it.
        await report(session, world.people["khanh"], world.bac, date(2026, 11, 18), {"vneid": 3})
        await session.commit()
        communes = [world.commune, world.other_commune]
        week = dict(start=WEEK[0], end=WEEK[1], period_label="Tuần", previous=LAST_WEEK)
        both = await build_leaderboards(session, communes=communes, **week)
        for commune in communes:
            alone = await build_leaderboard(session, commune=commune, **week)
            summary = await build_summary(
                session, unit=commune, start=WEEK[0], end=WEEK[1], period_label="", made_at=MADE_AT
            )
            assert both[commune.id] == alone
            assert alone.rows == [replace(r, hierarchy=[]) for r in summary.rows]
    assert [e.unit.name for e in both[world.commune.id].entries] == ["Thôn Tây", "Thôn Đông"]
    assert both[world.other_commune.id].top_people == [
        TopPerson("Ngô Văn Bắc", 1000, "Thôn Bắc"),
        TopPerson("Võ Thị Khánh", 3, "Thôn Bắc"),
    ]
    assert both[world.commune.id].top_people[0] == TopPerson("Võ Thị Khánh", 9, "Thôn Tây")


async def test_summary_text_for_a_commune(db):
    async with db() as session:
        world = await seed(session)
        summary = await build_summary(
            session,
            unit=world.commune,
            start=WEEK[0],
            end=WEEK[1],
            period_label="Tuần 16/11–22/11/2026",
            made_at=MADE_AT,
            previous=LAST_WEEK,
            previous_label="tuần 09/11–15/11/2026",
        )
    assert [i.short for i in summary.indicators][:3] == ["VNeID", "Dịch vụ công", "Ví điện tử"]
    assert summary.previous_label == "tuần 09/11–15/11/2026"
    assert format_summary_text(summary).splitlines() == [
        "📊 Báo cáo Xã Tân Phú",
        "Tuần 16/11–22/11/2026",
        "",
        "• VNeID 20/84 ▓░░░░ 24% ▼12",
        "• Dịch vụ công 8/35 ▓░░░░ 23% ▲7",
        "• Ví điện tử 4 tài khoản ▲4",
        "• Hộ đã thăm 13 hộ ▲13",
        "▲▼ so với tuần 09/11–15/11/2026",
        "Thành viên báo cáo: 5/7 (71%)",
        "Thôn có báo cáo: 2/3",
        "",
        "Theo thôn:",
        "1. Thôn Tây — 13 lượt (6,5/người) · 2/2 TV",
        "2. Thôn Đông — 19 lượt (3,8/người) · 3/5 TV",
        "",
        "Chưa báo cáo: Thôn Nam",
        "",
        "2 thành viên không nhận được tin nhắn của bot",
    ]
    hidden = format_summary_text(summary, show_unreachable=False).splitlines()
    assert hidden[-1] == "Chưa báo cáo: Thôn Nam"
