"""The one-line report ("vneid 5 dvc 3 thăm 8 hộ hôm qua"): counts per indicator, a day, a note."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot import texts
from bot.privacy import mask_personal_numbers
from bot.report_tokens import Token, drop_fillers, drop_non_counts, phrase_at, read_tokens, take_day
from bot.words import ParseError, fold, fold_same_length

MAX_TEXT = 1000  # one report line; any message is capped by bot.router.MAX_MESSAGE


@dataclass(frozen=True)
class IndicatorWords:
    """What the parser needs to know about one indicator."""

    code: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Unclear:
    """A number no indicator claims with confidence: the bot asks which one it counts."""

    value: int
    context: str  # the words around it, as typed ("hồ sơ: 2")
    options: tuple[str, ...]  # indicator codes, the likeliest first


@dataclass
class QuickReport:
    counts: dict[str, int]
    activity_date: date
    note: str
    unclear: tuple[Unclear, ...] = ()


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
FUZZY_MIN = 4  # an alias this long or longer also matches a word one edit away (a typo)
LIKELY = 5  # indicators offered when the bot asks about a number
LIKE = 80  # how alike (rapidfuzz WRatio, 0-100) a word beside it must be to rank an indicator first


@lru_cache(maxsize=4096)
def _words(alias: str) -> tuple[str, ...]:
    """An alias as folded words, split like the text it is matched against."""
    return tuple(re.findall(r"\w+", fold(alias)))


@lru_cache(maxsize=4096)
def _marks(word: str) -> str:
    """The diacritics on a word ("hồ" -> grave + circumflex), in a fixed order: "hồ sơ" is not
    "hộ", though both fold to "ho"."""
    return "".join(
        sorted(c for c in unicodedata.normalize("NFD", word) if unicodedata.combining(c))
    )


def _split_note(text: str, folded: str) -> tuple[str, list[str]]:
    """Cut off the free-text note: after "ghi chú"/"gc"/"note", and anything in quotes."""
    after = ""
    if start := _NOTE_START.search(folded):
        after, folded = text[start.end() :], folded[: start.start()]
    notes = [text[q.start(1) : q.end(1)] for q in _QUOTED.finditer(folded)]
    folded = _QUOTED.sub(lambda q: " " * len(q.group()), folded)
    return folded, [*notes, after]


@dataclass(frozen=True)
class _Aliases:
    """The catalogue's words, indexed once: every report is matched against them."""

    index: dict  # first folded word -> [(folded words, marks per word, code)], longest first
    spellings: dict  # folded word -> the diacritics it is written with in some alias
    vocabulary: frozenset[str]
    single: dict  # one-word folded alias of FUZZY_MIN+ letters -> code (for typos)
    names: dict  # folded alias -> code (for ranking the likely ones)
    order: tuple[str, ...]  # the codes in the catalogue's order


@lru_cache(maxsize=64)
def _aliases(indicators: tuple[IndicatorWords, ...]) -> _Aliases:
    entries = []
    for indicator in indicators:
        for alias in (indicator.code, *indicator.aliases):
            typed = re.findall(r"\w+", unicodedata.normalize("NFC", alias))
            folded = _words(alias)
            if folded and len(typed) == len(folded):
                entries.append((folded, tuple(_marks(w) for w in typed), indicator.code))
    entries.sort(key=lambda e: (-len(e[0]), -len(" ".join(e[0]))))
    index, spellings = {}, {}
    for folded, marks, code in entries:
        index.setdefault(folded[0], []).append((folded, marks, code))
        for word, mark in zip(folded, marks, strict=True):
            spellings.setdefault(word, set()).add(mark)
    single = {e[0][0]: e[2] for e in entries if len(e[0]) == 1 and len(e[0][0]) >= FUZZY_MIN}
    return _Aliases(
        index,
        spellings,
        frozenset(w for e in entries for w in e[0]),
        single,
        {" ".join(e[0]): e[2] for e in entries},
        tuple(indicator.code for indicator in indicators),
    )


def _same_word(token: Token, word: str, marks: str, book: _Aliases) -> bool:
    """The typed word is this alias word: folded alike, and its diacritics, when typed, fit."""
    if token.kind != "word" or token.value != word:
        return False
    typed = _marks(token.original)
    if not typed:
        return True
    return typed == marks or (not marks and typed in (book.spellings[word] - {""} or {typed}))


def _lookalike(tokens: list[Token], i: int) -> tuple | None:
    return phrase_at(tokens, i, _LOOKALIKES)


_LOOKALIKES = tuple(sorted((tuple(k.split()) for k in texts.LOOKALIKES), key=len, reverse=True))


def _match_indicators(tokens: list[Token], book: _Aliases) -> list[Token]:
    """Replace alias words by indicator tokens, longest alias first; a look-alike ("hồ sơ")
    becomes one plain word that hints at what it means."""
    result, i = [], 0
    while i < len(tokens):
        if phrase := _lookalike(tokens, i):
            window = tokens[i : i + len(phrase)]
            hint = texts.LOOKALIKES[" ".join(phrase)]
            result.append(_joined("word", " ".join(phrase), window, hint=hint))
            i += len(phrase)
            continue
        for words, marks, code in book.index.get(tokens[i].value, ()):
            window = tokens[i : i + len(words)]
            if len(window) == len(words) and all(
                _same_word(t, w, m, book) for t, w, m in zip(window, words, marks, strict=True)
            ):
                weak = len(words) == 1 and tokens[i].original in texts.WEAK_ALIASES
                result.append(_joined("ind", code, window, weak=weak))
                i += len(words)
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


def _joined(kind: str, value: str, window: list[Token], **extra) -> Token:
    original = " ".join(t.original for t in window)
    return Token(kind, value, original, window[0].start, window[-1].end, **extra)


def _typos(tokens: list[Token], book: _Aliases) -> list[Token]:
    """A word one edit (or one swap: "vnied") from exactly one indicator's alias is that one."""
    result = []
    for token in tokens:
        code = _typo_of(token.value, book) if token.kind == "word" and not token.hint else None
        if code:
            token = Token("ind", code, token.original, token.start, token.end)
        result.append(token)
    return result


def _typo_of(word: str, book: _Aliases) -> str | None:
    """The one indicator with a one-word alias one edit away, if the word is long enough."""
    if len(word) < FUZZY_MIN:
        return None
    near = process.extract(word, list(book.single), scorer=OSA.distance, score_cutoff=1, limit=None)
    codes = {book.single[alias] for alias, _, _ in near}
    return codes.pop() if len(codes) == 1 else None


def _merge(tokens: list[Token]) -> list[Token]:
    """Neighbouring words of one indicator are one ("sim 4G", "sản phẩm lên sàn")."""
    merged: list[Token] = []
    for token in tokens:
        last = merged[-1] if merged else None
        if last and token.kind == last.kind == "ind" and token.value == last.value:
            merged[-1] = _joined("ind", token.value, [last, token])
        else:
            merged.append(token)
    return merged


def _likely(items: list[Token], k: int, lonely: list[str], book: _Aliases) -> tuple[str, ...]:
    """The indicators a stray number likely counts: those named without a number, those its
    neighbouring words hint at or resemble, then the catalogue's order."""
    codes = list(lonely)
    for near in (k - 1, k + 1):
        if 0 <= near < len(items) and items[near].kind == "word":
            codes += items[near].hint
            found = process.extract(items[near].value, list(book.names), scorer=fuzz.WRatio)
            codes += [book.names[name] for name, score, _ in found if score >= LIKE]
    codes += book.order
    return tuple(dict.fromkeys(codes))[:LIKELY]


def _context(items: list[Token], k: int, text: str) -> str:
    """The stray number with the word before it, as typed ("hồ sơ: 2")."""
    number = items[k]
    before = items[k - 1] if k and items[k - 1].kind == "word" else None
    start = before.start if before else number.start
    return " ".join(text[start : number.end].split())


def _chains(items: list[Token]) -> list[list[Token]]:
    """Runs of alternating indicators and numbers ("vneid 5 dvc 3", "8 hộ 6 vneid"); an unknown
    word, two numbers or a range in a row end a run."""
    chains: list[list[Token]] = []
    for token in items:
        last = chains[-1][-1] if chains and chains[-1] else None
        if token.kind not in ("ind", "num"):
            chains.append([])
        elif last is not None and {last.kind, token.kind} == {"ind", "num"}:
            chains[-1].append(token)
        else:
            chains.append([token])
    return [chain for chain in chains if chain]


def _pair(items: list[Token], max_count: int):
    """Pair each number with the indicator right before or after it. A run of even length pairs
    one way only; in an odd one the name comes first ("vneid 5 dvc", "5 vneid 3": the first
    number or the last name is left over). Returns counts, stray numbers and lonely names."""
    for token in items:
        if token.kind == "pair":
            example = texts.REPORT_EXAMPLE.format(code="ho")
            raise ParseError(texts.PARSE_RANGE.format(value=token.original, example=example))
    counts: dict[str, int] = {}
    strays: list[Token] = []
    lonely: list[Token] = []
    for chain in _chains(items):
        if len(chain) % 2 and chain[0].kind == "num":
            strays.append(chain.pop(0))
        if len(chain) % 2:
            lonely.append(chain.pop())
        for first, second in zip(chain[::2], chain[1::2], strict=True):
            indicator, number = (first, second) if first.kind == "ind" else (second, first)
            example = texts.REPORT_EXAMPLE.format(code=indicator.value)
            value = _check_count(number.value, max_count, example)
            counts[indicator.value] = counts.get(indicator.value, 0) + value
    for stray in strays:
        _check_count(stray.value, max_count, texts.REPORT_EXAMPLE.format(code="vneid"))
    for code, total in counts.items():
        if total > max_count:
            example = texts.REPORT_EXAMPLE.format(code=code)
            raise ParseError(
                texts.PARSE_TOO_BIG.format(value=total, max=max_count, example=example)
            )
    return counts, strays, [t for t in lonely if t.kind == "ind" and not t.weak]


def _counts(tokens: list[Token], book: _Aliases, text: str, max_count: int):
    """Counts by indicator, and the numbers to ask about; an indicator named without any number
    (and no stray number it could go with) is refused."""
    items = [t for t in tokens if t.kind in ("ind", "num", "word", "pair")]
    counts, strays, lonely = _pair(items, max_count)
    if lonely and not strays:
        first = lonely[0]
        example = texts.REPORT_EXAMPLE.format(code=first.value)
        raise ParseError(texts.PARSE_NO_COUNT.format(name=first.original, example=example))
    names = list(dict.fromkeys(t.value for t in lonely))
    unclear = tuple(
        Unclear(int(items[k].value), _context(items, k, text), _likely(items, k, names, book))
        for k in (items.index(stray) for stray in strays)
    )
    return counts, unclear


def parse_quick_report(
    text: str,
    indicators: list[IndicatorWords],
    today: date,
    *,
    max_count: int = 500,
    max_days_back: int = 14,
) -> QuickReport:
    """One line like "vneid 5 dvc 3 thăm 8 hộ hôm qua" into counts, a day and a note, plus the
    numbers it could not attribute with confidence (never guessed: the caller asks)."""
    if len(text) > MAX_TEXT:
        raise ParseError(texts.PARSE_TOO_LONG.format(limit=texts.number(MAX_TEXT)))
    text = unicodedata.normalize("NFC", text)
    folded, notes = _split_note(text, fold_same_length(text))
    book = _aliases(tuple(indicators))
    tokens = _match_indicators(read_tokens(text, folded, book.vocabulary), book)
    day, tokens = take_day(tokens, today, max_days_back)  # after the aliases: "thương mại"
    tokens = _merge(_typos(drop_fillers(drop_non_counts(tokens)), book))
    counts, unclear = _counts(tokens, book, text, max_count)
    if not counts and not unclear:
        raise ParseError(texts.PARSE_NOTHING)
    counts = {code: count for code, count in counts.items() if count}
    if not counts and not unclear:  # "vneid 0" would count as having reported, with nothing in it
        raise ParseError(texts.PARSE_ALL_ZERO)
    note = " ".join(" ".join(n.split()) for n in notes).strip(" :-–,;")
    return QuickReport(counts, day, mask_personal_numbers(note), unclear)


def indicator_named(text: str, indicators: list[IndicatorWords]) -> str | None:
    """The indicator a typed answer names ("dvc", "dịch vụ công", "vnied"), if exactly one."""
    book = _aliases(tuple(indicators))
    folded = fold(text)
    if folded in book.names:
        return book.names[folded]
    words = re.findall(r"\w+", folded)
    return _typo_of(words[0], book) if len(words) == 1 else None
