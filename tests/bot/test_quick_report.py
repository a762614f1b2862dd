"""The one-line report and a count typed on its own: pure functions."""

import unicodedata
from datetime import date

import pytest

from bot import texts
from bot.dates import parse_period
from bot.quick_report import IndicatorWords, QuickReport, parse_count, parse_quick_report
from bot.words import ParseError

TODAY = date(2026, 11, 25)  # a Wednesday
YESTERDAY = date(2026, 11, 24)

INDICATORS = [
    IndicatorWords(
        "vneid",
        (
            "VNeID",
            "định danh",
            "cài định danh",
            "định danh điện tử",
            "kích hoạt định danh",
            "cccd điện tử",
        ),
    ),
    IndicatorWords("dvc", ("dvc", "Dịch vụ công", "dvctt", "tài khoản dịch vụ công")),
    IndicatorWords("vi", ("Ví điện tử", "ví", "thanh toán không tiền mặt", "ttktm", "vi dien tu")),
    IndicatorWords("cuahang", ("Cửa hàng", "cửa hàng không tiền mặt", "shop")),
    IndicatorWords("tmdt", ("tmđt", "sàn", "sản phẩm lên sàn", "thương mại điện tử")),
    IndicatorWords("sosk", ("Sổ sức khỏe", "sổ sức khoẻ", "sskđt", "sức khỏe")),
    IndicatorWords("vssid", ("VssID",)),
    IndicatorWords("cks", ("Chữ ký số", "cks", "ký số")),
    IndicatorWords("sim", ("SIM/4G", "sim", "sim chính chủ", "4g", "chuyển 4g", "2g")),
    IndicatorWords("ho", ("hộ", "ho", "thăm hộ", "hộ dân", "lượt hộ")),
]


def quick(text: str, today: date = TODAY) -> QuickReport:
    return parse_quick_report(text, INDICATORS, today)


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(ParseError) as caught:
        call(*args, **kwargs)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# --- quick report: accepted phrasings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "counts", "day"),
    [
        ("vneid 5 dvc 3 ho 8", {"vneid": 5, "dvc": 3, "ho": 8}, TODAY),
        ("VNeID: 5, dịch vụ công 3, thăm 8 hộ", {"vneid": 5, "dvc": 3, "ho": 8}, TODAY),
        ("vneid: 5, dich vu cong 3, tham 8 ho", {"vneid": 5, "dvc": 3, "ho": 8}, TODAY),
        ("5 vneid 3 dvc", {"vneid": 5, "dvc": 3}, TODAY),
        ("8 hộ", {"ho": 8}, TODAY),
        ("hộ 8", {"ho": 8}, TODAY),
        ("ho: 8", {"ho": 8}, TODAY),
        ("thăm 8 hộ dân", {"ho": 8}, TODAY),
        ("cai dinh danh 5 hom qua", {"vneid": 5}, YESTERDAY),
        ("Cài định danh 5, hôm qua", {"vneid": 5}, YESTERDAY),
        ("dinh danh 5 ngay 20/11", {"vneid": 5}, date(2026, 11, 20)),
        ("Định danh 5 ngày 20/11/2026", {"vneid": 5}, date(2026, 11, 20)),
        ("vneid 5 20/11", {"vneid": 5}, date(2026, 11, 20)),
        ("vneid 5 20/11/26", {"vneid": 5}, date(2026, 11, 20)),
        ("hôm nay vneid 2", {"vneid": 2}, TODAY),
        ("HOM KIA vneid 2", {"vneid": 2}, date(2026, 11, 23)),
        ("vi dien tu 4 sim chinh chu 2", {"vi": 4, "sim": 2}, TODAY),
        ("Ví điện tử 4 SIM chính chủ 2", {"vi": 4, "sim": 2}, TODAY),
        ("VÍ 4; SIM 2", {"vi": 4, "sim": 2}, TODAY),
        ("sổ sức khỏe 3", {"sosk": 3}, TODAY),
        ("so suc khoe 3", {"sosk": 3}, TODAY),
        ("SỔ SỨC KHOẺ 3", {"sosk": 3}, TODAY),
        ("chu ky so 1", {"cks": 1}, TODAY),
        ("chữ ký số 1", {"cks": 1}, TODAY),
        ("vssid 2 + vneid 1", {"vssid": 2, "vneid": 1}, TODAY),
        ("tmđt 3 và cửa hàng 1", {"tmdt": 3, "cuahang": 1}, TODAY),
        ("tmdt 3 va shop 1", {"tmdt": 3, "cuahang": 1}, TODAY),
        ("chuyển 4g 2 - 2g 1", {"sim": 3}, TODAY),
        ("4G 3", {"sim": 3}, TODAY),
        ("vneid5 ho8", {"vneid": 5, "ho": 8}, TODAY),
        ("vneid 0 ho 3", {"ho": 3}, TODAY),
        ("vneid 500", {"vneid": 500}, TODAY),
        ("vneid 3 dvc 1 vneid 4", {"vneid": 7, "dvc": 1}, TODAY),
        (unicodedata.normalize("NFD", "Cài định danh 5 hôm qua"), {"vneid": 5}, YESTERDAY),
    ],
)
def test_quick_report_phrasings(text, counts, day):
    report = quick(text)
    assert report.counts == counts
    assert report.activity_date == day
    assert report.note == ""


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # the longest alias wins
        ("cửa hàng không tiền mặt 2", {"cuahang": 2}),
        ("cua hang khong tien mat 2 thanh toan khong tien mat 3", {"cuahang": 2, "vi": 3}),
        ("thanh toán không tiền mặt 3", {"vi": 3}),
        ("định danh điện tử 4", {"vneid": 4}),
        ("kích hoạt định danh 4 cccd điện tử 1", {"vneid": 5}),
        ("tài khoản dịch vụ công 2", {"dvc": 2}),
        ("sản phẩm lên sàn 6", {"tmdt": 6}),
        ("thương mại điện tử 6", {"tmdt": 6}),
        ("sim/4g 2", {"sim": 2}),
    ],
)
def test_quick_report_longest_alias(text, counts):
    assert quick(text).counts == counts


@pytest.mark.parametrize(
    ("text", "counts", "note"),
    [
        ("vneid 5 ghi chú: hộ ông Ba khó khăn", {"vneid": 5}, "hộ ông Ba khó khăn"),
        ("vneid 5 ghi chu nha ong Ba", {"vneid": 5}, "nha ong Ba"),
        ("vneid 5 GC: 2 hộ vắng nhà", {"vneid": 5}, "2 hộ vắng nhà"),
        ("dvc 2 note đã nộp hồ sơ", {"dvc": 2}, "đã nộp hồ sơ"),
        ('vneid 2 "hộ nghèo" dvc 1', {"vneid": 2, "dvc": 1}, "hộ nghèo"),
        ("vneid 2 «cụ Tư 90 tuổi» hôm qua", {"vneid": 2}, "cụ Tư 90 tuổi"),
        ("vneid 2 “thôn 3” ghi chú: trời mưa", {"vneid": 2}, "thôn 3 trời mưa"),
        (
            "vneid 1 ghi chú: bà Lan sdt 0912 345 678, CCCD 001203004567, ngày 20/11/2026",
            {"vneid": 1},
            "bà Lan sdt **** *** 678, CCCD *********567, ngày 20/11/2026",
        ),
    ],
)
def test_quick_report_note(text, counts, note):
    report = quick(text)
    assert report.counts == counts
    assert report.note == note


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("cửa hàng không tiền mặt 2", {"cuahang": 2}),
        ("không tiền mặt 3 cửa hàng 1", {"vi": 3, "cuahang": 1}),
        ("dịch vụ công trực tuyến 4", {"dvc": 4}),
        ("trực tuyến 4", {"tt": 4}),
    ],
)
def test_longest_alias_beats_shorter_alias_of_another_indicator(text, counts):
    indicators = [
        IndicatorWords("vi", ("ví", "không tiền mặt")),
        IndicatorWords("cuahang", ("cửa hàng", "cửa hàng không tiền mặt")),
        IndicatorWords("dvc", ("dịch vụ", "dịch vụ công trực tuyến")),
        IndicatorWords("tt", ("trực tuyến",)),
    ]
    assert parse_quick_report(text, indicators, TODAY).counts == counts


def test_quick_report_note_words_are_not_counted():
    report = quick("ho 3 ghi chú: vneid 9 hôm kia")
    assert report == QuickReport(counts={"ho": 3}, activity_date=TODAY, note="vneid 9 hôm kia")


def test_quick_report_respects_limits():
    report = parse_quick_report("vneid 20 01/11", INDICATORS, TODAY, max_count=20, max_days_back=30)
    assert report.counts == {"vneid": 20}
    assert report.activity_date == date(2026, 11, 1)
    message = error_of(parse_quick_report, "vneid 21", INDICATORS, TODAY, max_count=20)
    assert message == texts.PARSE_TOO_BIG.format(value=21, max=20, example="/bc vneid 5")


def test_quick_report_date_across_new_year():
    report = quick("vneid 2 30/12", today=date(2027, 1, 3))
    assert report.activity_date == date(2026, 12, 30)
    message = error_of(quick, "vneid 2 02/01", today=date(2026, 12, 30))
    assert message == texts.PARSE_FUTURE_DATE.format(day="02/01/2027")


# --- quick report: errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", texts.PARSE_NOTHING),
        ("   ", texts.PARSE_NOTHING),
        ("xin chào cả tổ", texts.PARSE_NOTHING),
        ("👍👍🎉", texts.PARSE_NOTHING),
        ("hôm qua", texts.PARSE_NOTHING),
        ("vneid", texts.PARSE_NO_COUNT.format(name="vneid", example="/bc vneid 5")),
        ("vneid nam", texts.PARSE_NO_COUNT.format(name="vneid", example="/bc vneid 5")),
        (
            "VNeID 5 dịch vụ công",
            texts.PARSE_NO_COUNT.format(name="dịch vụ công", example="/bc dvc 5"),
        ),
        ("vneid -3", texts.PARSE_NEGATIVE.format(value="-3", max=500, example="/bc vneid 5")),
        ("dvc 1 vneid -3", texts.PARSE_NEGATIVE.format(value="-3", max=500, example="/bc vneid 5")),
        ("vneid 2.5", texts.PARSE_NOT_WHOLE.format(value="2.5", max=500, example="/bc vneid 5")),
        ("dvc 2,5", texts.PARSE_NOT_WHOLE.format(value="2,5", max=500, example="/bc dvc 5")),
        ("vneid 501", texts.PARSE_TOO_BIG.format(value=501, max=500, example="/bc vneid 5")),
        (
            "vneid 300 vneid 300",
            texts.PARSE_TOO_BIG.format(value=600, max=500, example="/bc vneid 5"),
        ),
        ("-3", texts.PARSE_NEGATIVE.format(value="-3", max=500, example="/bc vneid 5")),
        ("vneid 5 31/02", texts.PARSE_BAD_DATE.format(value="31/02")),
        ("vneid 3-4", texts.PARSE_RANGE.format(value="3-4", example="/bc ho 5")),
        ("mai vneid 5", texts.PARSE_FUTURE_WORD.format(word="mai")),
        ("vneid 5 tuần trước", texts.PARSE_WEEK_NO_DAY.format(word="tuần trước")),
        (
            "cài VNeID cho ông Tư 75 tuổi",
            texts.PARSE_NO_COUNT.format(name="VNeID", example="/bc vneid 5"),
        ),
        ("vneid 5 hôm qua 20/11", texts.PARSE_TWO_DATES),
        ("vneid 5 26/11/2026", texts.PARSE_FUTURE_DATE.format(day="26/11/2026")),
        ("vneid 5 26/11", texts.PARSE_FUTURE_DATE.format(day="26/11/2026")),  # tomorrow
        ("vneid 0", texts.PARSE_ALL_ZERO),
        ("vneid 0 dvc 0", texts.PARSE_ALL_ZERO),
        ("vneid 5 10/11", texts.PARSE_TOO_OLD.format(day="10/11/2026", days=14, first="11/11")),
        ("vneid " + "5 " * 600, texts.PARSE_TOO_LONG.format(limit="1.000")),
    ],
)
def test_quick_report_errors(text, message):
    assert error_of(quick, text) == message


# --- numbers the parser will not attribute: the caller asks --------------------------------------


@pytest.mark.parametrize(
    ("text", "counts", "value", "context", "first"),
    [
        # these were refused before (issue #28: ask about the number instead)
        ("5", {}, 5, "5", "vneid"),
        ("vneid 5 3", {"vneid": 5}, 3, "3", "vneid"),
        ("abc 5", {}, 5, "abc 5", "vneid"),
        ("vneid 5 abc 3", {"vneid": 5}, 3, "abc 3", "vneid"),
        ("Abc 5 vneid 3", {"vneid": 3}, 5, "Abc 5", "vneid"),
        ("5 vneid 3", {"vneid": 3}, 5, "5", "vneid"),
        ("dvc: 3 tài khoản, hồ sơ: 2", {"dvc": 3}, 2, "hồ sơ: 2", "dvc"),
        ("vneid ông Tư 3", {}, 3, "Tư 3", "vneid"),
    ],
)
def test_quick_report_asks_about_stray_numbers(text, counts, value, context, first):
    report = quick(text)
    assert report.counts == counts
    [unclear] = report.unclear
    assert (unclear.value, unclear.context, unclear.options[0]) == (value, context, first)
    assert len(unclear.options) == len(set(unclear.options)) <= 5


def test_quick_report_oldest_day_allowed():
    assert quick("vneid 1 11/11").activity_date == date(2026, 11, 11)


def test_error_messages_are_vietnamese_with_examples():
    for message in (
        error_of(quick, "vneid 3-4"),
        error_of(quick, "mai vneid 5"),
        error_of(quick, "vneid -3"),
        error_of(quick, "vneid 501"),
        error_of(parse_period, "mai", TODAY),
    ):
        assert "ví dụ" in message
    assert "quá lớn" in error_of(quick, "vneid 501")


# --- counts and days ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("5", 5), (" 12 ", 12), ("0", 0), ("500", 500)])
def test_parse_count(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", texts.PARSE_NOT_NUMBER.format(max=500, example="5")),
        ("năm", texts.PARSE_NOT_NUMBER.format(max=500, example="5")),
        ("5 hộ", texts.PARSE_NOT_NUMBER.format(max=500, example="5")),
        ("٥", texts.PARSE_NOT_NUMBER.format(max=500, example="5")),
        ("５", texts.PARSE_NOT_NUMBER.format(max=500, example="5")),
        ("-3", texts.PARSE_NEGATIVE.format(value="-3", max=500, example="5")),
        ("2.5", texts.PARSE_NOT_WHOLE.format(value="2.5", max=500, example="5")),
        ("501", texts.PARSE_TOO_BIG.format(value=501, max=500, example="5")),
    ],
)
def test_parse_count_errors(text, message):
    assert error_of(parse_count, text) == message


def test_parse_count_custom_max():
    assert parse_count("50", max_count=50) == 50
    assert error_of(parse_count, "51", max_count=50) == texts.PARSE_TOO_BIG.format(
        value=51, max=50, example="5"
    )
