"""What people type after /baocao and /bangxephang: a period and a unit, in either order.

"/baocao 28468-01 tuantruoc", "/baocao Ấp Tân Hòa", "/baocao tháng 11", "/baocao 02/12 Tân Hòa",
"/baocao xlsx 01/11-15/11": the longest run of words at either end that reads as a period is the
period (this week when there is none); the other words name the unit, by code or by name.
"""

import re
from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.dates import NotAPeriod, Period, parse_period, week_bounds, week_period
from bot.words import ParseError, fold

# A unit code: "/" (the country), a province (2 digits), a commune (5 digits), or a code made
# for a hamlet or district ("28468-01", "82-01-01").
UNIT_CODE = re.compile(r"/|[0-9]{2}|[0-9]{5}|[0-9A-Za-z]+(?:-[0-9]+)+")


@dataclass(frozen=True)
class Asked:
    """A read request: `mode` an Excel or chart word (or ""), `place` a unit code or name ("" for
    the sender's own); `fallback` the same words read as one name over this week, for a name that
    holds a period word ("Xóm Năm")."""

    mode: str
    period: Period
    place: str
    fallback: "Asked | None" = None


def read_asked(args: str, today: date) -> Asked:
    """Mode, period and place; ParseError when the period written cannot be (31/02, a month to
    come)."""
    words = args.split()
    mode = next((w for w in words if fold(w) in texts.EXCEL_WORDS | texts.CHART_WORDS), "")
    if mode:
        words.remove(mode)
    period, place = _period_and_place(words, today)
    whole = " ".join(words)
    fallback = None
    if place and place != whole and not UNIT_CODE.fullmatch(whole):
        fallback = Asked(fold(mode), read_period("", today), whole)
    return Asked(fold(mode), period, place, fallback)


def _period_and_place(words: list[str], today: date) -> tuple[Period, str]:
    """The longest run of words at the start or the end that is a period, and the other words."""
    for length in range(len(words), 0, -1):
        for at in (0, len(words) - length) if length < len(words) else (0,):
            try:  # a period written wrong (31/02, a month to come) is refused: ParseError
                period = read_period(" ".join(words[at : at + length]), today)
            except NotAPeriod:
                continue
            return period, " ".join(words[:at] + words[at + length :])
    return read_period("", today), " ".join(words)


def split_code(args: str) -> tuple[str, str]:
    """(the text before, the unit code) when the last word is a unit code, else (args, "")."""
    words = args.split()
    if words and UNIT_CODE.fullmatch(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return args.strip(), ""


def read_period(text: str, today: date) -> Period:
    """parse_period, with a Monday–Sunday range read back as that week (buttons carry ranges).
    A period that has not begun has no figures: refused (targets, /chitieu, may be set ahead)."""
    period = parse_period(text, today)
    if period.start > today:
        raise ParseError(texts.PERIOD_NOT_BEGUN.format(period=period.label))
    if period.kind == "range" and period.days == 7 and week_bounds(period.start)[0] == period.start:
        return week_period(period.start)
    return period


def period_token(period: Period) -> str:
    """The period as absolute text parse_period reads back, short enough for a button (64 bytes)."""
    if period.kind == "day":
        return f"{period.start:%d/%m/%Y}"
    if period.kind == "month":
        return f"{period.start.month}/{period.start.year}"
    if period.kind == "quarter":
        return f"q{(period.start.month - 1) // 3 + 1}/{period.start.year}"
    if period.kind == "year":
        return str(period.start.year)
    return f"{period.start:%d/%m/%y}-{period.end:%d/%m/%y}"
