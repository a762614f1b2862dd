"""Pure text parsing: quick reports, counts, days, periods, phone numbers and masking."""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot import texts

MAX_TEXT = 1000
DEFAULT_EXAMPLE = "/bc vneid 5"


def _fold_char(char: str) -> str:
    """One character in, one character out, so positions in folded text match the original."""
    if char in "đĐ":
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


def _fold_same_length(text: str) -> str:
    """Fold an NFC string character by character, keeping its length."""
    return text.translate(_FOLD)


def fold(text: str) -> str:
    """Compare what people type regardless of case, diacritics and spacing."""
    return " ".join(_fold_same_length(unicodedata.normalize("NFC", text)).split())


@lru_cache(maxsize=2048)
def label_words(text: str) -> str:
    """A button's label as someone would type it: folded words only, without emoji or a running
    count in brackets ("✅ Lưu" -> "luu", "VNeID (7)" -> "vneid")."""
    return " ".join(re.findall(r"[^\W_]+", fold(re.sub(r"\([^)]*\)", " ", text))))


@dataclass(frozen=True)
class IndicatorWords:
    """What the parser needs to know about one indicator."""

    code: str
    aliases: tuple[str, ...]


class ParseError(ValueError):
    """Input we cannot accept; .message is the Vietnamese text to show the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    return _check_count(text, max_count, "5")


# --- days ---------------------------------------------------------------------------------------

_DAY_WORDS = {"nay": 0, "qua": 1, "kia": 2}
_DATE = r"([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{2}|[0-9]{4}))?"


def _year(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(texts.PARSE_BAD_DATE.format(value=raw)) from None


def _resolve_date(raw: str, today: date) -> date:
    """dd/mm[/yyyy]. Without a year, the latest such date at most a month ahead: 28/12 typed on
    3 January is last December, while 25/11 typed on 24 November is tomorrow (refused as not yet
    come, not as a year old)."""
    day, month, year = re.fullmatch(_DATE, raw).groups()
    if year is not None:
        return _make_date(_year(year, today.year), int(month), int(day), raw)
    candidates = []
    for near in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(near, int(month), int(day)))
        except ValueError:  # 29/02 outside a leap year
            continue
    candidates = [c for c in candidates if c <= today + timedelta(days=31)]
    if not candidates:
        raise ParseError(texts.PARSE_BAD_DATE.format(value=raw))
    return max(candidates)


def _check_day(day: date, today: date, max_days_back: int) -> date:
    """Reports are for the recent past only."""
    if day > today:
        raise ParseError(texts.PARSE_FUTURE_DATE.format(day=f"{day:%d/%m/%Y}"))
    first = today - timedelta(days=max_days_back)
    if day < first:
        raise ParseError(
            texts.PARSE_TOO_OLD.format(
                day=f"{day:%d/%m/%Y}", days=max_days_back, first=f"{first:%d/%m}"
            )
        )
    return day


def parse_day(text: str, today: date, *, max_days_back: int = 14) -> date:
    """A day typed on its own: hôm nay, hôm qua, hôm kia, dd/mm or dd/mm/yyyy."""
    folded = fold(text).removeprefix("ngay").strip()
    words = folded.split()
    if len(words) == 2 and words[0] == "hom" and words[1] in _DAY_WORDS:
        day = today - timedelta(days=_DAY_WORDS[words[1]])
    elif re.fullmatch(_DATE, folded):
        day = _resolve_date(folded, today)
    else:
        raise ParseError(texts.PARSE_DAY_UNKNOWN.format(value=text.strip()))
    return _check_day(day, today, max_days_back)


# --- quick report -------------------------------------------------------------------------------

_NOTE_START = re.compile(r"(?<!\w)(?:ghi\s+chu|gc|note)(?!\w)\s*:?")
_QUOTED = re.compile(r"[\"“«]([^\"”»]*)[\"”»]")
_TOKEN = re.compile(
    r"(?P<date>(?<![0-9/])" + _DATE + r"(?![0-9/]))"
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
        if token.value == "hom" and after and after.value in _DAY_WORDS:
            days.add(today - timedelta(days=_DAY_WORDS[after.value]))
            i += 2
            continue
        if token.kind == "date":
            days.add(_resolve_date(token.value, today))
        elif not (token.value == "ngay" and after and after.kind == "date"):
            rest.append(token)
        i += 1
    if len(days) > 1:
        raise ParseError(texts.PARSE_TWO_DATES)
    day = days.pop() if days else today
    return _check_day(day, today, max_days_back), rest


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
            example = f"/bc {indicator.value} 5"
            value = _check_count(number.value, max_count, example)
            counts[indicator.value] = counts.get(indicator.value, 0) + value
            k += 2
            continue
        if first.kind == "ind":
            raise ParseError(
                texts.PARSE_NO_COUNT.format(name=first.original, example=f"/bc {first.value} 5")
            )
        _check_count(first.value, max_count, DEFAULT_EXAMPLE)
        word = _unknown_word_near(items, marks[k])
        if word:
            codes = ", ".join(i.code for i in indicators[:5])
            raise ParseError(texts.PARSE_UNKNOWN_WORD.format(word=word, codes=codes))
        raise ParseError(texts.PARSE_NO_INDICATOR.format(value=first.value))
    for code, total in counts.items():
        if total > max_count:
            example = f"/bc {code} 5"
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
        raise ParseError(texts.PARSE_TOO_LONG.format(limit=f"{MAX_TEXT:,}".replace(",", ".")))
    text = unicodedata.normalize("NFC", text)
    folded, notes = _split_note(text, _fold_same_length(text))
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


# --- phone numbers and masking ------------------------------------------------------------------

_PHONE = re.compile(r"0[1-9][0-9]{8}|02[0-9]{9}")


def normalize_phone(text: str) -> str | None:
    """One spelling per number (0912345678), so people are found again by phone."""
    text = text.strip()
    if not text or re.search(r"[^0-9\s+().\-]", text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if digits.startswith("0084"):
        digits = digits[2:]
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:].removeprefix("0")
    return digits if _PHONE.fullmatch(digits) else None


_DIGIT_RUN = re.compile(r"(?<![0-9/])\(?\+?[0-9]+\)?(?:[ .\-]\(?\+?[0-9]+\)?)*(?![0-9/])")


def _sensitive(digits: str, single: bool) -> bool:
    """Citizen ID (12), old ID (9), a phone number, or any long unbroken number."""
    return (
        len(digits) in (9, 12)
        or normalize_phone(digits) is not None
        or (single and len(digits) > 9)
    )


def _mask_run(run: str) -> str:
    """Mask each sensitive stretch of digit groups in a run, leaving its last 3 digits."""
    groups = list(re.finditer(r"[0-9]+", run))
    chars = list(run)
    i = 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):
            digits = "".join(g.group() for g in groups[i : j + 1])
            if _sensitive(digits, i == j):
                positions = [p for g in groups[i : j + 1] for p in range(g.start(), g.end())]
                for p in positions[:-3]:
                    chars[p] = "*"
                i = j
                break
        i += 1
    return "".join(chars)


def mask_personal_numbers(text: str) -> str:
    """Keep citizen IDs and phone numbers out of stored notes."""
    return _DIGIT_RUN.sub(lambda m: _mask_run(m.group()), text)


# --- periods ------------------------------------------------------------------------------------


def _span_label(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start:%d/%m}–{end:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


@dataclass(frozen=True)
class Period:
    """A reporting period with inclusive bounds and a Vietnamese label."""

    kind: str
    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period just before, for comparisons."""
        before = self.start - timedelta(days=1)
        if self.kind == "week":
            return week_period(before)
        if self.kind == "month":
            return month_period(before.year, before.month)
        if self.kind == "quarter":
            return quarter_period(before.year, (before.month - 1) // 3 + 1)
        if self.kind == "year":
            return year_period(before.year)
        return range_period(before - timedelta(days=self.days - 1), before)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday..Sunday of the week containing day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_period(day: date) -> Period:
    start, end = week_bounds(day)
    return Period("week", start, end, f"tuần {_span_label(start, end)}")


def month_period(year: int, month: int) -> Period:
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period("month", date(year, month, 1), end, f"tháng {month}/{year}")


def quarter_period(year: int, quarter: int) -> Period:
    last = 3 * quarter
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period("quarter", date(year, last - 2, 1), end, f"quý {quarter}/{year}")


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"năm {year}")


def range_period(start: date, end: date) -> Period:
    return Period("range", start, end, _span_label(start, end))


def _range(match: re.Match, today: date) -> Period:
    """dd/mm-dd/mm with optional years; without years, the latest such range not yet to come."""
    d1, m1, y1, d2, m2, y2 = match.groups()
    raw1, raw2 = f"{d1}/{m1}", f"{d2}/{m2}"
    if y1 is None and y2 is None:
        start = _make_date(today.year, int(m1), int(d1), raw1)
        if start > today:
            start = _make_date(today.year - 1, int(m1), int(d1), raw1)
        y1 = str(start.year)
    if y1 is not None:
        start = _make_date(_year(y1, today.year), int(m1), int(d1), raw1)
        end = _make_date(_year(y2, start.year), int(m2), int(d2), raw2)
        if y2 is None and int(m2) < int(m1):  # 20/12-05/01 runs into the new year
            end = _make_date(start.year + 1, int(m2), int(d2), raw2)
    else:
        end = _make_date(_year(y2, today.year), int(m2), int(d2), raw2)
        start = _make_date(end.year, int(m1), int(d1), raw1)
        if int(m1) > int(m2):
            start = _make_date(end.year - 1, int(m1), int(d1), raw1)
    if start > end:
        raise ParseError(texts.PARSE_RANGE_ORDER)
    return range_period(start, end)


_PERIOD_WORDS = {
    "": week_period,
    "tuan": week_period,
    "tuannay": week_period,
    "tuantruoc": lambda t: week_period(t - timedelta(days=7)),
    "thang": lambda t: month_period(t.year, t.month),
    "thangnay": lambda t: month_period(t.year, t.month),
    "thangtruoc": lambda t: month_period(t.year, t.month).previous(),
    "quy": lambda t: quarter_period(t.year, (t.month - 1) // 3 + 1),
    "quynay": lambda t: quarter_period(t.year, (t.month - 1) // 3 + 1),
    "quytruoc": lambda t: quarter_period(t.year, (t.month - 1) // 3 + 1).previous(),
    "nam": lambda t: year_period(t.year),
    "namnay": lambda t: year_period(t.year),
    "namtruoc": lambda t: year_period(t.year - 1),
}
_RANGE = re.compile(_DATE + r"[-–—]" + _DATE)


def parse_period(text: str, today: date) -> Period:
    """What officials type after /baocao: tuan, thang, quy, nam, mm/yyyy or dd/mm-dd/mm."""
    compact = fold(text).replace(" ", "")
    if compact in _PERIOD_WORDS:
        return _PERIOD_WORDS[compact](today)
    if month := re.fullmatch(r"(?:thang)?([0-9]{1,2})/([0-9]{4})", compact):
        if 1 <= int(month.group(1)) <= 12:
            return month_period(int(month.group(2)), int(month.group(1)))
    elif quarter := re.fullmatch(r"q(?:uy)?([1-4])/([0-9]{4})", compact):
        return quarter_period(int(quarter.group(2)), int(quarter.group(1)))
    elif re.fullmatch(r"(?:nam)?[0-9]{4}", compact):
        return year_period(int(compact.removeprefix("nam")))
    elif span := _RANGE.fullmatch(compact):
        return _range(span, today)
    raise ParseError(texts.PARSE_PERIOD_UNKNOWN.format(value=text.strip()))
