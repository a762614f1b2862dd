"""Days and periods as people type and read them: hôm qua, dd/mm, tuần, tháng, quý, năm, ranges."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts
from bot.words import ParseError, fold

# --- days ---------------------------------------------------------------------------------------

DATE = r"([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{2}|[0-9]{4}))?"


def _year(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(texts.PARSE_BAD_DATE.format(value=raw)) from None


def resolve_date(raw: str, today: date) -> date:
    """dd/mm[/yyyy]. Without a year, the latest such date at most a month ahead: 28/12 typed on
    3 January is last December, while 25/11 typed on 24 November is tomorrow (refused as not yet
    come, not as a year old)."""
    day, month, year = re.fullmatch(DATE, raw).groups()
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


def check_day(day: date, today: date, max_days_back: int) -> date:
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
    folded = fold(text).removeprefix(texts.DATE_WORD).strip()
    words = folded.split()
    if len(words) == 2 and words[0] == texts.DAY_WORD and words[1] in texts.DAYS_BACK:
        day = today - timedelta(days=texts.DAYS_BACK[words[1]])
    elif re.fullmatch(DATE, folded):
        day = resolve_date(folded, today)
    else:
        raise ParseError(texts.PARSE_DAY_UNKNOWN.format(value=text.strip()))
    return check_day(day, today, max_days_back)


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
        if self.kind != "range":
            return period_of(self.kind, before)
        return range_period(before - timedelta(days=self.days - 1), before)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday..Sunday of the week containing day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_period(day: date) -> Period:
    start, end = week_bounds(day)
    return Period("week", start, end, texts.WEEK_LABEL.format(span=_span_label(start, end)))


def month_period(year: int, month: int) -> Period:
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period(
        "month", date(year, month, 1), end, texts.MONTH_LABEL.format(month=month, year=year)
    )


def quarter_period(year: int, quarter: int) -> Period:
    last = 3 * quarter
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(
        "quarter",
        date(year, last - 2, 1),
        end,
        texts.QUARTER_LABEL.format(quarter=quarter, year=year),
    )


def year_period(year: int) -> Period:
    label = texts.YEAR_LABEL.format(year=year)
    return Period("year", date(year, 1, 1), date(year, 12, 31), label)


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


def period_of(kind: str, day: date) -> Period:
    """The week, month, quarter or year that contains `day`."""
    if kind == "week":
        return week_period(day)
    if kind == "month":
        return month_period(day.year, day.month)
    if kind == "quarter":
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    return year_period(day.year)


_RANGE = re.compile(DATE + r"[-–—]" + DATE)
MONTH = re.compile(rf"(?:{texts.MONTH_PREFIX})?([0-9]{{1,2}})/([0-9]{{4}})")
QUARTER = re.compile(rf"(?:{'|'.join(texts.QUARTER_PREFIXES)})([1-4])/([0-9]{{4}})")
YEAR = re.compile(rf"(?:{texts.YEAR_PREFIX})?([0-9]{{4}})")


def parse_period(text: str, today: date) -> Period:
    """What officials type after /baocao: tuan, thang, quy, nam, mm/yyyy or dd/mm-dd/mm."""
    compact = fold(text).replace(" ", "")
    if compact in texts.PERIOD_KEYWORDS:
        kind, back = texts.PERIOD_KEYWORDS[compact]
        return period_of(kind, today).previous() if back else period_of(kind, today)
    if month := MONTH.fullmatch(compact):
        if 1 <= int(month.group(1)) <= 12:
            return month_period(int(month.group(2)), int(month.group(1)))
    elif quarter := QUARTER.fullmatch(compact):
        return quarter_period(int(quarter.group(2)), int(quarter.group(1)))
    elif year := YEAR.fullmatch(compact):
        return year_period(int(year.group(1)))
    elif span := _RANGE.fullmatch(compact):
        return _range(span, today)
    raise ParseError(texts.PARSE_PERIOD_UNKNOWN.format(value=text.strip()))
