"""What follows /baocao and /bangxephang: a period and a unit in either order (#22)."""

from datetime import date

import pytest

from bot import texts
from bot.summary_args import read_asked
from bot.words import ParseError

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("typed", "mode", "kind", "start", "end", "place"),
    [
        ("", "", "week", date(2026, 11, 30), date(2026, 12, 6), ""),
        ("28468-01 tuantruoc", "", "week", date(2026, 11, 23), date(2026, 11, 29), "28468-01"),
        ("tuần trước 28468-01", "", "week", date(2026, 11, 23), date(2026, 11, 29), "28468-01"),
        ("Ấp Tân Hòa", "", "week", date(2026, 11, 30), date(2026, 12, 6), "Ấp Tân Hòa"),
        ("tháng 11", "", "month", date(2026, 11, 1), date(2026, 11, 30), ""),
        ("tháng 11 Ấp Tân Hòa", "", "month", date(2026, 11, 1), date(2026, 11, 30), "Ấp Tân Hòa"),
        ("Tan Hoa thang 11/2026", "", "month", date(2026, 11, 1), date(2026, 11, 30), "Tan Hoa"),
        ("02/12", "", "day", date(2026, 12, 2), date(2026, 12, 2), ""),
        ("hôm nay", "", "day", THURSDAY, THURSDAY, ""),
        ("hom qua 28468", "", "day", date(2026, 12, 2), date(2026, 12, 2), "28468"),
        ("01/11-15/11", "", "range", date(2026, 11, 1), date(2026, 11, 15), ""),
        ("xlsx 01/11 - 15/11 28468", "xlsx", "range", date(2026, 11, 1), date(2026, 11, 15), "28468"),
        ("png quý 4 28468", "png", "quarter", date(2026, 10, 1), date(2026, 12, 31), "28468"),
        ("16/11/26-22/11/26 28468", "", "week", date(2026, 11, 16), date(2026, 11, 22), "28468"),
        ("tháng 12", "", "month", date(2026, 12, 1), date(2026, 12, 31), ""),
    ],
)  # fmt: skip
def test_period_and_place_in_either_order(typed, mode, kind, start, end, place):
    asked = read_asked(typed, THURSDAY)
    assert (asked.mode, asked.period.kind, asked.period.start, asked.period.end, asked.place) == (
        mode,
        kind,
        start,
        end,
        place,
    )


def test_a_name_with_a_period_word_is_also_tried_whole():
    asked = read_asked("Xóm Năm", THURSDAY)
    assert (asked.period.kind, asked.place) == ("year", "Xóm")
    assert (asked.fallback.period.kind, asked.fallback.place) == ("week", "Xóm Năm")
    assert read_asked("Ấp Tân Hòa", THURSDAY).fallback is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02 28468", texts.PARSE_BAD_DATE.format(value="31/02")),
        ("thang 1/2027", texts.PERIOD_NOT_BEGUN.format(period="tháng 1/2027")),
        ("28468 10/12", texts.PERIOD_NOT_BEGUN.format(period="ngày 10/12/2026")),
    ],
)
def test_a_period_written_wrong_is_refused(typed, message):
    with pytest.raises(ParseError) as refused:
        read_asked(typed, THURSDAY)
    assert refused.value.message == message
