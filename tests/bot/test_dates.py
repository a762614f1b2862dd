"""Days and periods as people type them: pure functions."""

from datetime import date

import pytest

from bot import texts
from bot.dates import Period, parse_day, parse_period, week_bounds
from bot.words import ParseError

TODAY = date(2026, 11, 25)  # a Wednesday
YESTERDAY = date(2026, 11, 24)


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(ParseError) as caught:
        call(*args, **kwargs)
    assert caught.value.message == str(caught.value)
    return caught.value.message


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("hôm nay", TODAY),
        ("Hom Nay", TODAY),
        ("hôm qua", YESTERDAY),
        ("hom kia", date(2026, 11, 23)),
        ("20/11", date(2026, 11, 20)),
        ("ngày 20/11", date(2026, 11, 20)),
        ("20/11/2026", date(2026, 11, 20)),
        ("5/11/26", date(2026, 11, 5)),
        ("25/11", TODAY),
    ],
)
def test_parse_day(text, day):
    assert parse_day(text, TODAY, max_days_back=30) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mai", texts.PARSE_DAY_UNKNOWN.format(value="mai")),
        ("", texts.PARSE_DAY_UNKNOWN.format(value="")),
        ("30/02", texts.PARSE_BAD_DATE.format(value="30/02")),
        ("32/1", texts.PARSE_BAD_DATE.format(value="32/1")),
        ("26/11/2026", texts.PARSE_FUTURE_DATE.format(day="26/11/2026")),
        ("1/1/2027", texts.PARSE_FUTURE_DATE.format(day="01/01/2027")),
        ("26/11", texts.PARSE_FUTURE_DATE.format(day="26/11/2026")),  # tomorrow, not last year
        ("29/02", texts.PARSE_BAD_DATE.format(value="29/02")),
        ("25/05", texts.PARSE_TOO_OLD.format(day="25/05/2026", days=14, first="11/11")),
    ],
)
def test_parse_day_errors(text, message):
    assert error_of(parse_day, text, TODAY) == message


def test_parse_day_leap_year():
    assert parse_day("29/02", date(2028, 3, 1)) == date(2028, 2, 29)
    assert error_of(parse_day, "29/02/2027", date(2027, 3, 1)) == texts.PARSE_BAD_DATE.format(
        value="29/02/2027"
    )


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (date(2026, 11, 23), (date(2026, 11, 23), date(2026, 11, 29))),  # Monday
        (date(2026, 11, 29), (date(2026, 11, 23), date(2026, 11, 29))),  # Sunday
        (date(2026, 11, 30), (date(2026, 11, 30), date(2026, 12, 6))),
        (date(2027, 1, 1), (date(2026, 12, 28), date(2027, 1, 3))),
    ],
)
def test_week_bounds(day, bounds):
    assert week_bounds(day) == bounds


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("", TODAY, ("week", date(2026, 11, 23), date(2026, 11, 29), "tuần 23/11–29/11/2026")),
        ("tuan", date(2026, 11, 29), ("week", date(2026, 11, 23), date(2026, 11, 29), "tuần 23/11–29/11/2026")),
        ("Tuần", date(2026, 11, 23), ("week", date(2026, 11, 23), date(2026, 11, 29), "tuần 23/11–29/11/2026")),
        ("tuantruoc", TODAY, ("week", date(2026, 11, 16), date(2026, 11, 22), "tuần 16/11–22/11/2026")),
        ("tuần trước", TODAY, ("week", date(2026, 11, 16), date(2026, 11, 22), "tuần 16/11–22/11/2026")),
        ("tuan truoc", date(2026, 11, 29), ("week", date(2026, 11, 16), date(2026, 11, 22), "tuần 16/11–22/11/2026")),
        ("tuan", date(2027, 1, 1), ("week", date(2026, 12, 28), date(2027, 1, 3), "tuần 28/12/2026–03/01/2027")),
        ("thang", TODAY, ("month", date(2026, 11, 1), date(2026, 11, 30), "tháng 11/2026")),
        ("Tháng", date(2028, 2, 10), ("month", date(2028, 2, 1), date(2028, 2, 29), "tháng 2/2028")),
        ("thangtruoc", TODAY, ("month", date(2026, 10, 1), date(2026, 10, 31), "tháng 10/2026")),
        ("tháng trước", date(2027, 1, 5), ("month", date(2026, 12, 1), date(2026, 12, 31), "tháng 12/2026")),
        ("quy", TODAY, ("quarter", date(2026, 10, 1), date(2026, 12, 31), "quý 4/2026")),
        ("Quý", date(2026, 3, 31), ("quarter", date(2026, 1, 1), date(2026, 3, 31), "quý 1/2026")),
        ("quý", date(2026, 4, 1), ("quarter", date(2026, 4, 1), date(2026, 6, 30), "quý 2/2026")),
        ("quy", date(2026, 9, 30), ("quarter", date(2026, 7, 1), date(2026, 9, 30), "quý 3/2026")),
        ("nam", TODAY, ("year", date(2026, 1, 1), date(2026, 12, 31), "năm 2026")),
        ("năm", TODAY, ("year", date(2026, 1, 1), date(2026, 12, 31), "năm 2026")),
        ("10/2026", TODAY, ("month", date(2026, 10, 1), date(2026, 10, 31), "tháng 10/2026")),
        ("3/2026", TODAY, ("month", date(2026, 3, 1), date(2026, 3, 31), "tháng 3/2026")),
        ("02/2024", TODAY, ("month", date(2024, 2, 1), date(2024, 2, 29), "tháng 2/2024")),
        ("thang 10/2026", TODAY, ("month", date(2026, 10, 1), date(2026, 10, 31), "tháng 10/2026")),
        ("Tháng 3/2026", TODAY, ("month", date(2026, 3, 1), date(2026, 3, 31), "tháng 3/2026")),
        ("01/11-15/11", TODAY, ("range", date(2026, 11, 1), date(2026, 11, 15), "01/11–15/11/2026")),
        ("01/11 – 15/11", TODAY, ("range", date(2026, 11, 1), date(2026, 11, 15), "01/11–15/11/2026")),
        ("1/11 - 30/11", TODAY, ("range", date(2026, 11, 1), date(2026, 11, 30), "01/11–30/11/2026")),
        ("01/11/2025-15/11/2025", TODAY, ("range", date(2025, 11, 1), date(2025, 11, 15), "01/11–15/11/2025")),
        ("01/11-15/11/2025", TODAY, ("range", date(2025, 11, 1), date(2025, 11, 15), "01/11–15/11/2025")),
        ("01/12-15/12", TODAY, ("range", date(2025, 12, 1), date(2025, 12, 15), "01/12–15/12/2025")),
        ("20/12-05/01", date(2027, 1, 10), ("range", date(2026, 12, 20), date(2027, 1, 5), "20/12/2026–05/01/2027")),
        ("20/12-05/01", TODAY, ("range", date(2025, 12, 20), date(2026, 1, 5), "20/12/2025–05/01/2026")),
        ("20/12/2026-05/01", TODAY, ("range", date(2026, 12, 20), date(2027, 1, 5), "20/12/2026–05/01/2027")),
        ("20/12-05/01/2027", TODAY, ("range", date(2026, 12, 20), date(2027, 1, 5), "20/12/2026–05/01/2027")),
    ],
)  # fmt: skip
def test_parse_period(text, today, expected):
    assert parse_period(text, today) == Period(*expected)


@pytest.mark.parametrize(
    ("text", "today", "previous", "days"),
    [
        ("tuan", TODAY, ("week", date(2026, 11, 16), date(2026, 11, 22), "tuần 16/11–22/11/2026"), 7),
        ("tuan", date(2027, 1, 6), ("week", date(2026, 12, 28), date(2027, 1, 3), "tuần 28/12/2026–03/01/2027"), 7),
        ("thang", TODAY, ("month", date(2026, 10, 1), date(2026, 10, 31), "tháng 10/2026"), 30),
        ("3/2026", TODAY, ("month", date(2026, 2, 1), date(2026, 2, 28), "tháng 2/2026"), 31),
        ("1/2026", TODAY, ("month", date(2025, 12, 1), date(2025, 12, 31), "tháng 12/2025"), 31),
        ("quy", TODAY, ("quarter", date(2026, 7, 1), date(2026, 9, 30), "quý 3/2026"), 92),
        ("quy", date(2026, 2, 1), ("quarter", date(2025, 10, 1), date(2025, 12, 31), "quý 4/2025"), 90),
        ("nam", TODAY, ("year", date(2025, 1, 1), date(2025, 12, 31), "năm 2025"), 365),
        ("nam", date(2029, 6, 1), ("year", date(2028, 1, 1), date(2028, 12, 31), "năm 2028"), 365),
        ("01/11-15/11", TODAY, ("range", date(2026, 10, 17), date(2026, 10, 31), "17/10–31/10/2026"), 15),
        ("01/01-10/01", TODAY, ("range", date(2025, 12, 22), date(2025, 12, 31), "22/12–31/12/2025"), 10),
        ("03/01-03/01", TODAY, ("range", date(2026, 1, 2), date(2026, 1, 2), "02/01–02/01/2026"), 1),
    ],
)  # fmt: skip
def test_period_previous(text, today, previous, days):
    period = parse_period(text, today)
    assert period.days == days
    assert period.previous() == Period(*previous)
    assert period.previous().end.toordinal() == period.start.toordinal() - 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mai", texts.PARSE_PERIOD_UNKNOWN.format(value="mai")),
        ("13/2026", texts.PARSE_PERIOD_UNKNOWN.format(value="13/2026")),
        ("tuan sau", texts.PARSE_PERIOD_UNKNOWN.format(value="tuan sau")),
        ("01/11-", texts.PARSE_PERIOD_UNKNOWN.format(value="01/11-")),
        ("31/02-05/03", texts.PARSE_BAD_DATE.format(value="31/02")),
        ("15/11/2026-01/11/2026", texts.PARSE_RANGE_ORDER),
        ("22/11-16/11", texts.PARSE_RANGE_ORDER),  # reversed, not a year from 22/11 on
        ("22/11-16/11/2026", texts.PARSE_RANGE_ORDER),
    ],
)
def test_parse_period_errors(text, message):
    assert error_of(parse_period, text, TODAY) == message


def test_period_unknown_lists_accepted_forms():
    message = error_of(parse_period, "abc", TODAY)
    for form in (
        "tuan",
        "tuantruoc",
        "thang",
        "thangtruoc",
        "quy",
        "nam",
        "mm/yyyy",
        "dd/mm-dd/mm",
    ):
        assert form in message
