"""The one-line report ("vneid 5 dvc 3 thăm 8 hộ hôm qua"): counts per indicator, a day, a note."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot import texts
from bot.dates import DATE, check_day, resolve_date
from bot.privacy import mask_personal_numbers
from bot.words import ParseError, fold, fold_same_length

MAX_TEXT = 1000  # one report line; any message is capped by bot.router.MAX_MESSAGE


@dataclass(frozen=True)
class IndicatorWords:
    """What the parser needs to know about one indicator."""

    code: str
    aliases: tuple[str, ...]


@dataclass
class QuickReport:
    counts: dict[str, int]
    activity_date: date
    note: str


# --- counts -------------------------------------------------------------------------------------


def _check_count(raw: str, max_count: int, example: str) -> int:
    """Turn one number token into a count, or explain how to type it."""
    raw = raw.strip()
    if re.fullmatch(r"[0-9]+", raw):
        value = int(raw)
        if value > max_count:
            raise ParseError(
                texts.PARSE_TOO_BIG.format(value=value, max=max_count, example=example)
            )
        return value
    if re.fullmatch(r"-\s*[0-9]+(?:[.,][0-9]+)?", raw):
        raise ParseError(texts.PARSE_NEGATIVE.format(value=raw, max=max_count, example=example))
    if re.fullmatch(r"[0-9]+(?:[.,][0-9]+)+", raw):
        raise ParseError(texts.PARSE_NOT_WHOLE.format(value=raw, max=max_count, example=example))
    raise ParseError(texts.PARSE_NOT_NUMBER.format(max=max_count, example=example))


def parse_count(text: str, *, max_count: int = 500) -> int:
    """A count typed on its own, e.g. in the step-by-step flow."""
    return _check_count(text, max_count, texts.COUNT_EXAMPLE)


# --- quick report -------------------------------------------------------------------------------

_NOTE_WORDS = "|".join(word.replace(" ", r"\s+") for word in texts.NOTE_WORDS)
_NOTE_START = re.compile(rf"(?<!\w)(?:{_NOTE_WORDS})(?!\w)\s*:?")
_QUOTED = re.compile(r"[\"“«]([^\"”»]*)[\"”»]")
_TOKEN = re.compile(
    r"(?P<date>(?<![0-9/])" + DATE + r"(?![0-9/]))"
    r"|(?P<num>(?:(?<![\w.,])-)?(?<![\w.,])[0-9]+(?:[.,][0-9]+)*(?![\w/]))"
    r"|(?P<word>\w+)"
)
_MIXED = re.compile(r"([^\W\d_]+)([0-9]+)|([0-9]+)([^\W\d_]+)")


@dataclass
class _Token:
    kind: str  # "date" | "num" | "word" | "ind"
    value: str  # folded text, or the indicator code
    original: str  # what the user typed


@lru_cache(maxsize=4096)
def _words(alias: str) -> tuple[str, ...]:
    """An alias as folded words, split like the text it is matched against."""
    return tuple(re.findall(r"\w+", fold(alias)))


def _split_note(text: str, folded: str) -> tuple[str, list[str]]:
    """Cut off the free-text note: after "ghi chú"/"gc"/"note", and anything in quotes."""
    after = ""
    if start := _NOTE_START.search(folded):
        after, folded = text[start.end() :], folded[: start.start()]
    notes = [text[q.start(1) : q.end(1)] for q in _QUOTED.finditer(folded)]
    folded = _QUOTED.sub(lambda q: " " * len(q.group()), folded)
    return folded, [*notes, after]


def _tokens(text: str, folded: str, vocabulary: frozenset[str]) -> list[_Token]:
    """Words, numbers and dates; "vneid5" splits in two unless an alias is spelled that way."""
    tokens = []
    for match in _TOKEN.finditer(folded):
        kind = match.lastgroup if match.lastgroup in ("num", "word") else "date"
        value, original = match.group(), text[match.start() : match.end()]
        mixed = _MIXED.fullmatch(value) if kind == "word" else None
        if mixed and value not in vocabulary:
            cut = len(mixed.group(1) or mixed.group(3))
            for part, raw in ((value[:cut], original[:cut]), (value[cut:], original[cut:])):
                tokens.append(_Token("num" if part.isdigit() else "word", part, raw))
        else:
            tokens.append(_Token(kind, value, original))
    return tokens


def _take_day(tokens: list[_Token], today: date, max_days_back: int) -> tuple[date, list[_Token]]:
    """Remove the day words and dates; at most one distinct day per report."""
    days, rest, i = set(), [], 0
    while i < len(tokens):
        token = tokens[i]
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.value == texts.DAY_WORD and after and after.value in texts.DAYS_BACK:
            days.add(today - timedelta(days=texts.DAYS_BACK[after.value]))
            i += 2
            continue
        if token.kind == "date":
            days.add(resolve_date(token.value, today))
        elif not (token.value == texts.DATE_WORD and after and after.kind == "date"):
            rest.append(token)
        i += 1
    if len(days) > 1:
        raise ParseError(texts.PARSE_TWO_DATES)
    day = days.pop() if days else today
    return check_day(day, today, max_days_back), rest


@lru_cache(maxsize=64)
def _alias_index(indicators: tuple[IndicatorWords, ...]) -> dict[str, list[tuple[tuple, str]]]:
    """(alias words, code) by the alias's first word, longest first; cached, as the catalogue
    rarely changes and every report is matched against it."""
    pairs = sorted(
        (
            (_words(alias), indicator.code)
            for indicator in indicators
            for alias in (indicator.code, *indicator.aliases)
        ),
        key=lambda pair: (-len(pair[0]), -len(" ".join(pair[0]))),
    )
    index: dict[str, list[tuple[tuple, str]]] = {}
    for words, code in pairs:
        if words:
            index.setdefault(words[0], []).append((words, code))
    return index


@lru_cache(maxsize=64)
def _vocabulary(indicators: tuple[IndicatorWords, ...]) -> frozenset[str]:
    """Every word of every alias (a word like "vneid5" is split unless it is one of them)."""
    return frozenset(
        w for pairs in _alias_index(indicators).values() for ws, _ in pairs for w in ws
    )


def _match_indicators(tokens: list[_Token], indicators: list[IndicatorWords]) -> list[_Token]:
    """Replace alias words by indicator tokens, longest alias first."""
    index = _alias_index(tuple(indicators))
    result, i = [], 0
    while i < len(tokens):
        for words, code in index.get(tokens[i].value, ()) if tokens[i].kind == "word" else ():
            window = tokens[i : i + len(words)]
            if tuple(t.value for t in window if t.kind == "word") == words:
                original = " ".join(t.original for t in window)
                result.append(_Token("ind", code, original))
                i += len(words)
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


def _unknown_word_near(items: list[_Token], position: int) -> str | None:
    """The unknown word next to a stray number, else one in front of any number."""
    for near in (position - 1, position + 1):
        if 0 <= near < len(items) and items[near].kind == "word":
            return items[near].original
    for before, token in zip(items, items[1:], strict=False):
        if before.kind == "word" and token.kind == "num":
            return before.original
    return None


def _pair(items: list[_Token], indicators: list[IndicatorWords], max_count: int) -> dict[str, int]:
    """Pair each number with the indicator just before or after it, reading left to right."""
    marks = [i for i, t in enumerate(items) if t.kind in ("ind", "num")]
    counts: dict[str, int] = {}
    k = 0
    while k < len(marks):
        first = items[marks[k]]
        second = items[marks[k + 1]] if k + 1 < len(marks) else None
        if second and {first.kind, second.kind} == {"ind", "num"}:
            indicator, number = (first, second) if first.kind == "ind" else (second, first)
            example = texts.REPORT_EXAMPLE.format(code=indicator.value)
            value = _check_count(number.value, max_count, example)
            counts[indicator.value] = counts.get(indicator.value, 0) + value
            k += 2
            continue
        if first.kind == "ind":
            raise ParseError(
                texts.PARSE_NO_COUNT.format(
                    name=first.original, example=texts.REPORT_EXAMPLE.format(code=first.value)
                )
            )
        _check_count(first.value, max_count, texts.REPORT_EXAMPLE.format(code="vneid"))
        word = _unknown_word_near(items, marks[k])
        if word:
            codes = ", ".join(i.code for i in indicators[:5])
            raise ParseError(texts.PARSE_UNKNOWN_WORD.format(word=word, codes=codes))
        raise ParseError(texts.PARSE_NO_INDICATOR.format(value=first.value))
    for code, total in counts.items():
        if total > max_count:
            example = texts.REPORT_EXAMPLE.format(code=code)
            raise ParseError(
                texts.PARSE_TOO_BIG.format(value=total, max=max_count, example=example)
            )
    return counts


def parse_quick_report(
    text: str,
    indicators: list[IndicatorWords],
    today: date,
    *,
    max_count: int = 500,
    max_days_back: int = 14,
) -> QuickReport:
    """One line like "vneid 5 dvc 3 thăm 8 hộ hôm qua" into counts, a day and a note."""
    if len(text) > MAX_TEXT:
        raise ParseError(texts.PARSE_TOO_LONG.format(limit=texts.number(MAX_TEXT)))
    text = unicodedata.normalize("NFC", text)
    folded, notes = _split_note(text, fold_same_length(text))
    vocabulary = _vocabulary(tuple(indicators))
    day, tokens = _take_day(_tokens(text, folded, vocabulary), today, max_days_back)
    paired = _pair(_match_indicators(tokens, indicators), indicators, max_count)
    if not paired:
        raise ParseError(texts.PARSE_NOTHING)
    counts = {code: count for code, count in paired.items() if count}
    if not counts:  # "vneid 0" would count as having reported, with nothing in it
        raise ParseError(texts.PARSE_ALL_ZERO)
    note = " ".join(" ".join(n.split()) for n in notes).strip(" :-–,;")
    return QuickReport(counts=counts, activity_date=day, note=mask_personal_numbers(note))
