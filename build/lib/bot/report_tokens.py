"""A report line as tokens, and the numbers in it that are not counts.

Like duckling's entities, each number gets a kind from the words around it: a day ("hôm qua",
"thứ 7 tuần trước", "20/11"), an age ("75 tuổi"), an ID level ("mức 2"), a place ("tổ 3"), a time,
an amount of money, a year, a phone or ID number (blanked before reading). What is left are the
numbers that may be counts; bot.quick_report attributes them or asks.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from bot import texts
from bot.dates import DATE, check_day, resolve_date, week_bounds
from bot.privacy import personal_number_spans
from bot.words import ParseError

_TOKEN = re.compile(
    r"(?P<date>(?<![0-9/])" + DATE + r"(?![0-9/]))"
    r"|(?P<pair>(?<![\w.,-])[0-9]{1,4}\s?[-–]\s?[0-9]{1,4}(?:[-–][0-9]{2,4})?(?![\w/.,-]))"
    r"|(?P<num>(?:(?<![\w.,])-\s?|(?<![\w.,-]))[0-9]+(?:[.,][0-9]+)*(?![\w/]))"
    r"|(?P<word>\w+)"
)
_MIXED = re.compile(r"([^\W\d_]+)([0-9]+)|([0-9]+)([^\W\d_]+)")
_TIME = re.compile(r"[0-9]{1,2}[hg](?:[0-9]{2})?")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{2})(?:\.([0-9]{2}|[0-9]{4}))?")


@dataclass
class Token:
    kind: str  # "num" | "word" | "date" | "pair" | "ind" | "skip"
    value: str  # folded text, or the indicator's code
    original: str  # as typed
    start: int
    end: int
    weak: bool = False  # an indicator word that is also an everyday word ("nha")
    hint: tuple[str, ...] = ()  # indicators a number beside this word likely counts


def _phrases(words) -> tuple[tuple[str, ...], ...]:
    """Phrases as word tuples, longest first."""
    return tuple(sorted({tuple(w.split()) for w in words}, key=len, reverse=True))


@cache
def _tables():
    return {
        "day": _phrases(texts.DAY_PHRASES),
        "future": _phrases(texts.FUTURE_PHRASES),
        "weekday": _phrases(texts.WEEKDAY_PHRASES),
        "last_week": _phrases(texts.LAST_WEEK_WORDS),
        "just_past": _phrases(texts.JUST_PAST_WORDS),
        "week": _phrases(texts.WEEK_WORDS),
        "filler": _phrases(texts.FILLER_WORDS),
        "level": _phrases(texts.ID_LEVEL_WORDS),
    }


def phrase_at(tokens: list[Token], i: int, phrases) -> tuple[str, ...] | None:
    """The longest phrase of words starting at token i, if any."""
    for phrase in phrases:
        window = tokens[i : i + len(phrase)]
        if len(window) == len(phrase) and all(
            t.kind in ("word", "num") and t.value == w for t, w in zip(window, phrase, strict=True)
        ):
            return phrase
    return None


# --- reading ------------------------------------------------------------------------------------


def read_tokens(text: str, folded: str, vocabulary: frozenset[str]) -> list[Token]:
    """Words, numbers, dates and pairs ("3-4"); "vneid5" splits in two unless an alias is spelled
    that way; phone and ID numbers are left out."""
    for start, end in personal_number_spans(folded):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    tokens = []
    for match in _TOKEN.finditer(folded):
        kind, value = match.lastgroup, match.group()
        kind = kind if kind in ("num", "word", "pair") else "date"
        start, end = match.start(), match.end()
        mixed = _MIXED.fullmatch(value) if kind == "word" else None
        if mixed and not _whole_word(value, vocabulary):
            cut = len(mixed.group(1) or mixed.group(3))
            for part, at in ((value[:cut], start), (value[cut:], start + cut)):
                end_at = at + len(part)
                tokens.append(
                    Token("num" if part.isdigit() else "word", part, text[at:end_at], at, end_at)
                )
        else:
            tokens.append(Token(kind, value, text[start:end], start, end))
    return tokens


def _whole_word(value: str, vocabulary: frozenset[str]) -> bool:
    """Letters and digits kept together: an alias, a weekday (t7), a network (4g), a time (9h)."""
    return (
        value in vocabulary
        or value in texts.WEEKDAY_PHRASES
        or value in texts.NETWORK_WORDS
        or _TIME.fullmatch(value) is not None
        or (value[:1].isdigit() and value.lstrip("0123456789") in texts.MONEY_UNITS)
    )


# --- days ---------------------------------------------------------------------------------------


def _weekday(today: date, weekday: int, qualifier: str) -> date:
    """The latest such day, today included; in last week; or strictly before today."""
    if qualifier == "last_week":
        return week_bounds(today)[0] - timedelta(days=7 - weekday)
    back = (today.weekday() - weekday) % 7
    if back == 0 and qualifier == "just_past":
        back = 7
    return today - timedelta(days=back)


def _qualifier(tokens: list[Token], i: int) -> tuple[str, int]:
    for name in ("last_week", "just_past"):
        if phrase := phrase_at(tokens, i, _tables()[name]):
            return name, len(phrase)
    return "", 0


def _pair_date(token: Token, before: Token | None) -> str | None:
    """ "20-11" is a date; "3-4" a range, unless "ngày" comes before it."""
    parts = re.findall(r"[0-9]+", token.value)
    after_day_word = before is not None and before.value == texts.DATE_WORD
    if len(parts) >= 2 and (after_day_word or int(parts[0]) > int(parts[1])):
        return "/".join(parts)
    return None


def _day_at(tokens: list[Token], i: int, today: date) -> tuple[int, date | None] | None:
    """(tokens used, the day or None) if a day starts at token i; raises for days to come."""
    token, tables = tokens[i], _tables()
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.kind == "date":
        return 1, resolve_date(token.value, today)
    if token.kind == "pair" and (raw := _pair_date(token, before)):
        return 1, resolve_date(raw, today)
    dotted = _DOTTED_DATE.fullmatch(token.value) if token.kind == "num" else None
    if dotted and 1 <= int(dotted.group(2)) <= 12:
        return 1, resolve_date(token.value.replace(".", "/"), today)
    if token.kind != "word":
        return None
    if phrase := phrase_at(tokens, i, tables["future"]):
        if not (phrase == ("mai",) and before is not None and before.value in texts.PERSON_TITLES):
            raise ParseError(texts.PARSE_FUTURE_WORD.format(word=_typed(tokens, i, len(phrase))))
        return None
    if phrase := phrase_at(tokens, i, tables["weekday"]):
        qualifier, extra = _qualifier(tokens, i + len(phrase))
        weekday = texts.WEEKDAY_PHRASES[" ".join(phrase)]
        return len(phrase) + extra, _weekday(today, weekday, qualifier)
    if phrase := phrase_at(tokens, i, tables["day"]):
        return len(phrase), today - timedelta(days=texts.DAY_PHRASES[" ".join(phrase)])
    if phrase := phrase_at(tokens, i, tables["week"]):
        raise ParseError(texts.PARSE_WEEK_NO_DAY.format(word=_typed(tokens, i, len(phrase))))
    if token.value == texts.DATE_WORD and after and after.kind == "num" and after.value.isdigit():
        return 2, _day_of_month(int(after.value), today, after.original)
    if token.value == texts.YEAR_WORD and after and re.fullmatch(r"(19|20)[0-9]{2}", after.value):
        return 2, None
    return None


def _day_of_month(number: int, today: date, raw: str) -> date:
    """ "ngày 22": the latest 22nd, this month or the one before."""
    month = today.replace(day=1)
    if number > today.day:
        month = (month - timedelta(days=1)).replace(day=1)
    try:
        return month.replace(day=number)
    except ValueError:
        raise ParseError(texts.PARSE_BAD_DATE.format(value=raw)) from None


def _typed(tokens: list[Token], i: int, n: int) -> str:
    return " ".join(t.original for t in tokens[i : i + n])


def take_day(tokens: list[Token], today: date, max_days_back: int) -> tuple[date, list[Token]]:
    """Remove the days in words and dates; at most one distinct day per report."""
    days, rest, i = set(), [], 0
    while i < len(tokens):
        found = _day_at(tokens, i, today)
        if found is None:
            rest.append(tokens[i])
            i += 1
            continue
        used, day = found
        if day is not None:
            days.add(day)
        i += used
    if len(days) > 1:
        raise ParseError(texts.PARSE_TWO_DATES)
    day = days.pop() if days else today
    return check_day(day, today, max_days_back), rest


# --- numbers that are not counts ----------------------------------------------------------------


def _is_word(token: Token | None, words) -> bool:
    return token is not None and token.kind == "word" and token.value in words


def drop_non_counts(tokens: list[Token]) -> list[Token]:
    """Leave out ages, levels, places, times and amounts with their words; networks (4G) too."""
    skipped: set[int] = set()
    for i, token in enumerate(tokens):
        digits_first = token.kind == "word" and token.value[:1].isdigit()
        if digits_first and token.value not in texts.NETWORK_WORDS:  # "9h", "50k"; not "4G"
            skipped.add(i)
        if token.kind != "num":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        units = (*texts.AGE_WORDS, *texts.TIME_UNITS, *texts.MONEY_UNITS)
        if _is_word(after, units):
            skipped |= {i, i + 1}
        elif _is_word(before, (*texts.PLACE_WORDS, *texts.ID_LEVEL_WORDS)):
            skipped |= {i - 1, i}
            if i >= 2 and phrase_at(tokens, i - 2, _tables()["level"]) == ("muc", "do"):
                skipped.add(i - 2)
    return [t for i, t in enumerate(tokens) if i not in skipped]


def drop_fillers(tokens: list[Token]) -> list[Token]:
    """Leave out the filler words (được, đi, cho, ạ, báo cáo...) left after the aliases."""
    rest, i = [], 0
    while i < len(tokens):
        phrase = phrase_at(tokens, i, _tables()["filler"])
        if phrase:
            i += len(phrase)
        else:
            rest.append(tokens[i])
            i += 1
    return rest
