"""Phone numbers found again by one spelling; citizen IDs and phones masked in notes."""

import pytest

from bot.privacy import mask_personal_numbers, normalize_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84-912.345.678", "0912345678"),
        ("(+84) 912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 0912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("024 3823 4567", "02438234567"),
        ("+84 24 3823 4567", "02438234567"),
        ("", None),
        ("091234567", None),
        ("09123456789", None),
        ("912345678", None),
        ("0012345678", None),
        ("0912345678 (nhà)", None),
        ("abc", None),
        ("+1 212 555 0100", None),
    ],
)
def test_normalize_phone(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCCD 001203004567", "CCCD *********567"),
        ("CMND 123456789", "CMND ******789"),
        ("sdt 0912345678", "sdt *******678"),
        ("sdt 0912 345 678", "sdt **** *** 678"),
        ("sdt +84 912 345 678", "sdt +** *** *** 678"),
        ("sdt +84-912.345.678", "sdt +**-***.***.678"),
        ("sdt (+84) 912345678", "sdt (+**) ******678"),
        ("gọi 84912345678.", "gọi ********678."),
        ("cụ 5 người, sdt:0912345678", "cụ 5 người, sdt:*******678"),
        ("5 0912345678", "5 *******678"),
        ("001203004567 0912345678", "*********567 *******678"),
        ("vneid 5 dvc 3 ngày 20/11/2026", "vneid 5 dvc 3 ngày 20/11/2026"),
        ("năm 2026, 20-11-2026, 120 hộ", "năm 2026, 20-11-2026, 120 hộ"),
        ("", ""),
    ],
)
def test_mask_personal_numbers(text, expected):
    assert mask_personal_numbers(text) == expected


@pytest.mark.parametrize(
    "text", ["0912345678", "001203004567", "123456789", "+84 912 345 678", "(+84) 912345678"]
)
def test_mask_leaves_at_most_three_digits(text):
    masked = mask_personal_numbers(text)
    assert sum(c.isdigit() for c in masked) == 3
    assert masked.endswith(text[-3:])
