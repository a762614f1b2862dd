"""People's words as the bot compares them: folded case, diacritics and spacing; button labels."""

import re
import unicodedata
from functools import lru_cache

from bot import texts


class ParseError(ValueError):
    """Input we cannot accept; .message is the Vietnamese text to show the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _fold_char(char: str) -> str:
    """One character in, one character out, so positions in folded text match the original."""
    if char in texts.STROKED_D:
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    if unicodedata.combining(base):
        return " "
    lower = base.lower()
    return lower if len(lower) == 1 else base


class _FoldTable(dict):
    """`str.translate` table that folds each character the first time it is seen, then looks it
    up: every report is folded, and a Python call per character was a tenth of its handling.
    Only letters up to U+1FFF (Vietnamese ends at U+1EF9) are kept, so the table stays small."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint))
        if codepoint < 0x2000:
            self[codepoint] = folded
        return folded


_FOLD = _FoldTable()


def fold_same_length(text: str) -> str:
    """Fold an NFC string character by character, keeping its length."""
    return text.translate(_FOLD)


def fold(text: str) -> str:
    """Compare what people type regardless of case, diacritics and spacing."""
    return " ".join(fold_same_length(unicodedata.normalize("NFC", text)).split())


@lru_cache(maxsize=2048)
def label_words(text: str) -> str:
    """A button's label as someone would type it: folded words only, without emoji or a running
    count in brackets ("✅ Lưu" -> "luu", "VNeID (7)" -> "vneid")."""
    return " ".join(re.findall(r"[^\W_]+", fold(re.sub(r"\([^)]*\)", " ", text))))
