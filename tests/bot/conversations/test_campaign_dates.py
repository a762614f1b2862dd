"""The dates typed in /chiendich mới: a year is added where it is left out, bad spans refused."""

from datetime import date

import pytest

from bot.conversations.campaign_setup import parse_dates, parse_days

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("5/12 - 20/12", date(2026, 12, 5), date(2026, 12, 20)),
        ("từ 28/12 đến 5/1", date(2026, 12, 28), date(2027, 1, 5)),  # over New Year
        ("1/11 - 30/11", date(2026, 11, 1), date(2026, 11, 30)),  # begun this month
        ("15/10/2026 - 15/1/2027", date(2026, 10, 15), date(2027, 1, 15)),
    ],
)
def test_two_dates_make_the_span(typed, start, end):
    assert parse_dates(typed, TODAY) == (start, end)


@pytest.mark.parametrize(
    "typed",
    ["5/12", "1/11 - 10/11", "20/12 - 5/12/2026", "31/02 - 5/3", "1/12/2026 - 2/12/2027", "mai"],
)
def test_a_bad_span_is_refused(typed):
    assert parse_dates(typed, TODAY) is None  # one date, ended, backwards, no such day, too long


def test_days_typed_in_words():
    assert parse_days("t7, chủ nhật") == "56"
    assert parse_days("thứ 2 thứ 4") == "02"
    assert parse_days("t8") is None
