"""Folding what people type: case, diacritics and spacing ignored, positions kept."""

import unicodedata

import pytest

from bot.words import fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dịch Vụ Công", "dich vu cong"),
        ("  Đường   ĐỒNG  khởi ", "duong dong khoi"),
        ("Sổ sức khoẻ", "so suc khoe"),
        ("Sổ sức khỏe", "so suc khoe"),
        ("TMĐT", "tmdt"),
        ("Xã/Phường", "xa/phuong"),
        (unicodedata.normalize("NFD", "Thôn Mỹ Lộc"), "thon my loc"),
        ("ƯƠ ư ơ ă â ê ô", "uo u o a a e o"),
        ("", ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_gives_the_same_result_once_its_table_has_seen_the_characters():
    """Folding goes through a table filled on first sight (letters only; emoji are not kept)."""
    text = "Ỹ Ẵ Ở \U0001f600 Ự"
    assert fold(text) == "y a o \U0001f600 u"
    assert fold(text) == "y a o \U0001f600 u"
