"""Figures from the database for summaries and leaderboards: counts, tallies and target parts.

The world is `tests.bot.test_summaries.seed`; what the rules make of these figures is tested there.
"""

from datetime import date

from db.leaderboard import TopPerson, board_figures
from db.rows import COUNTRY, row_level
from db.summary import summary_figures, unit_counts
from db.targets import TargetPart
from tests.bot.test_summaries import LAST_WEEK, WEEK, person, report, seed


async def test_summary_figures_are_tallies_and_raw_target_parts(db):
    async with db() as session:
        world = await seed(session)
        found = await summary_figures(
            session, unit=world.commune, start=WEEK[0], end=WEEK[1], previous=LAST_WEEK
        )
    assert found.row_level == "hamlet"
    assert [u.name for u in found.rows] == ["Thôn Đông", "Thôn Tây", "Thôn Nam"]
    dong = found.tallies[world.dong.id]
    assert dong.counts == {"vneid": 14, "dvc": 5, "ho": 3}
    assert (dong.reports, dong.reporters, dong.members, dong.unreachable) == (3, 3, 5, 1)
    assert world.nam.id in found.tallies  # members, though no report
    assert found.whole.counts == {"vneid": 20, "dvc": 8, "vi": 4, "ho": 13}
    assert (found.whole.members, found.whole.unreachable) == (7, 2)
    assert found.previous_counts == {"vneid": 32, "dvc": 1}
    assert found.lines == []
    # Not pro-rated and not chosen among kinds: that is a rule above the database.
    mine = {(p.row_id, p.level, p.code, p.kind, p.start, p.value) for p in found.row_targets}
    assert mine == {
        (world.dong.id, "hamlet", "vneid", "month", date(2026, 11, 1), 300),
        (world.dong.id, "hamlet", "vneid", "year", date(2026, 1, 1), 3650),
        (world.tay.id, "hamlet", "vneid", "month", date(2026, 11, 1), 60),
        (world.commune.id, "commune", "dvc", "month", date(2026, 11, 1), 150),
    }
    assert found.own_targets == [
        TargetPart(world.commune.id, None, "commune", "dvc", "month", date(2026, 11, 1), 150)
    ]
    assert set(found.places) == {"90", "90001", "90001-01", "90001-02", "90001-03"}


async def test_rows_of_a_province_and_the_country(db):
    async with db() as session:
        world = await seed(session)
        found = await summary_figures(session, unit=world.province, start=WEEK[0], end=WEEK[1])
        counts = await unit_counts(session, unit=world.province, start=WEEK[0], end=WEEK[1])
    assert row_level(world.province) == "commune"
    assert [u.code for u in found.rows] == ["90001", "90002"]
    assert found.tallies[world.commune.id].counts == {"vneid": 20, "dvc": 8, "vi": 4, "ho": 13}
    assert found.previous_counts is None
    assert counts == found.whole.counts == {"vneid": 1020, "dvc": 8, "vi": 4, "ho": 13}
    assert row_level(world.province.model_copy(update={"level": COUNTRY})) == "province"


async def test_board_figures_of_many_communes(db):
    async with db() as session:
        world = await seed(session)
        ids = [world.commune.id, world.other_commune.id]
        found = await board_figures(
            session, commune_ids=ids, periods=[WEEK, LAST_WEEK], top_people=2, leave_out=("ho",)
        )
        everything = await board_figures(session, commune_ids=ids, periods=[WEEK], top_people=1)
        # Someone who reports only in the commune's own team has no hamlet to be named with.
        clerk = await person(session, "Phan Văn Xã")
        await report(session, clerk, world.commune, WEEK[0], {"vneid": 99})
        with_clerk = await board_figures(session, commune_ids=ids, periods=[WEEK], top_people=1)
    assert [h.name for h in found.hamlets[world.commune.id]] == [
        "Thôn Đông",
        "Thôn Tây",
        "Thôn Nam",
    ]
    assert [h.name for h in found.hamlets[world.other_commune.id]] == ["Thôn Bắc"]
    week, last_week = found.periods
    assert (week.start, week.end) == WEEK
    assert week.tallies[world.tay.id].counts == {"vneid": 6, "dvc": 3, "vi": 4, "ho": 10}
    assert last_week.tallies[world.tay.id].counts == {"vneid": 2}
    assert {(p.row_id, p.value) for p in week.targets} >= {
        (world.dong.id, 300),
        (world.bac.id, 3000),
    }
    assert found.top_people[world.commune.id] == [
        TopPerson("Võ Thị Khánh", 9, "Thôn Tây"),
        TopPerson("Lê Văn Cường", 8, "Thôn Đông"),
    ]
    assert found.top_people[world.other_commune.id] == [TopPerson("Ngô Văn Bắc", 1000, "Thôn Bắc")]
    # Without leaving households out, Hồ Văn Hai's 10 homes put him first.
    assert everything.top_people[world.commune.id] == [TopPerson("Hồ Văn Hai", 14, "Thôn Tây")]
    assert with_clerk.top_people[world.commune.id] == [TopPerson("Phan Văn Xã", 99, None)]
