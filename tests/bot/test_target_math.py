"""Target arithmetic without a database: pro-rating, choosing a kind, the tiers of a row, splits."""

from datetime import date
from fractions import Fraction

from bot.target_math import (
    add_months,
    choose_kinds,
    prorate,
    row_targets,
    split_whole,
    unit_targets,
)
from db.targets import TargetPart

WEEK = (date(2026, 11, 16), date(2026, 11, 22))
NOVEMBER = date(2026, 11, 1)


def part(row_id, sub_id, level, code, kind, start, value) -> TargetPart:
    return TargetPart(row_id, sub_id, level, code, kind, start, value)


def test_prorate_by_overlapping_days():
    assert prorate(300, "month", NOVEMBER, *WEEK) == Fraction(300 * 7, 30)
    assert prorate(300, "month", NOVEMBER, date(2026, 11, 1), date(2026, 11, 30)) == 300
    assert prorate(310, "month", date(2026, 12, 1), date(2026, 11, 30), date(2026, 12, 6)) == (
        Fraction(310 * 6, 31)
    )
    assert prorate(300, "month", NOVEMBER, date(2026, 12, 1), date(2026, 12, 7)) is None
    assert prorate(920, "quarter", date(2026, 10, 1), *WEEK) == Fraction(920 * 7, 92)
    assert prorate(5, "week", NOVEMBER, *WEEK) is None  # no such kind


def test_add_months_keeps_to_the_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), 12) == date(2027, 1, 1)


def test_one_kind_is_chosen_nearest_the_length_asked():
    kinds = {"vneid": {"month": Fraction(70), "year": Fraction(140, 3)}}
    assert choose_kinds(kinds, *WEEK) == {"vneid": 70}
    assert choose_kinds(kinds, date(2026, 1, 1), date(2026, 12, 31)) == {"vneid": 47}
    quarter = {"dvc": {"month": Fraction(5, 2), "quarter": Fraction(9)}}
    assert choose_kinds(quarter, date(2026, 10, 1), date(2026, 12, 31)) == {"dvc": 9}
    assert choose_kinds({"dvc": {"month": Fraction(5, 2)}}, *WEEK) == {"dvc": 3}  # half up


def test_a_row_is_its_own_target_else_its_communes_else_their_hamlets():
    parts = [
        # Province row 1: its commune 10 has its own target; commune 11 only its hamlets'.
        part(1, 10, "commune", "vneid", "month", NOVEMBER, 300),
        part(1, 10, "hamlet", "vneid", "month", NOVEMBER, 999),  # the commune's own wins
        part(1, 11, "hamlet", "vneid", "month", NOVEMBER, 60),
        part(1, 11, "hamlet", "vneid", "month", NOVEMBER, 90),
        part(1, None, "district", "vneid", "month", NOVEMBER, 5000),  # no tier of a row
        # Province row 2 has its own target: it wins over its communes'.
        part(2, None, "province", "dvc", "year", date(2026, 1, 1), 365),
        part(2, 20, "commune", "dvc", "month", NOVEMBER, 30),
        part(2, 20, "commune", "vi", "month", NOVEMBER, 30),
        part(3, 30, "commune", "vi", "month", NOVEMBER, 0),  # nothing: left out
    ]
    found = row_targets(parts, row_level="province", start=WEEK[0], end=WEEK[1])
    assert found == {1: {"vneid": 70 + 35}, 2: {"dvc": 7, "vi": 7}, 3: {}}
    hamlets = [
        part(7, 10, "hamlet", "vneid", "month", NOVEMBER, 300),
        part(7, 10, "hamlet", "vneid", "year", date(2026, 1, 1), 3650),  # not added to the month
        part(10, 10, "commune", "dvc", "month", NOVEMBER, 150),  # the commune is no hamlet row
    ]
    assert row_targets(hamlets, row_level="hamlet", start=WEEK[0], end=WEEK[1]) == {
        7: {"vneid": 70}
    }


def test_a_units_own_targets():
    parts = [
        part(5, None, "commune", "dvc", "month", NOVEMBER, 150),
        part(5, None, "commune", "dvc", "year", date(2026, 1, 1), 3650),
        part(5, None, "commune", "vi", "month", date(2027, 1, 1), 10),  # not in the week
    ]
    assert unit_targets(parts, start=WEEK[0], end=WEEK[1]) == {"dvc": 35}
    assert unit_targets([], start=WEEK[0], end=WEEK[1]) == {}


def test_split_whole_adds_up_exactly():
    assert split_whole(500, [1, 1, 1]) == [167, 167, 166]
    assert split_whole(10, [1, 1, 1, 1]) == [3, 3, 2, 2]
    assert split_whole(500, [2, 1]) == [333, 167]
    assert split_whole(100, [5, 0, 3]) == [63, 0, 37]
    assert split_whole(7, [0, 0]) == [4, 3]  # nobody has members: even
    assert split_whole(0, [3, 4]) == [0, 0]
    assert split_whole(5, []) == []
    # Largest remainders first: 10 * (1, 1, 2) / 4 = 2.5, 2.5, 5.
    assert split_whole(10, [1, 1, 2]) == [3, 2, 5]
    for total in range(0, 60):
        for weights in ([1], [3, 1, 4, 1, 5], [0, 7, 0, 2], [9] * 7):
            parts = split_whole(total, weights)
            assert sum(parts) == total and min(parts) >= 0
