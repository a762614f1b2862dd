"""The corpus of report lines as members write them (tests/bot/report_corpus.py), run as /bc runs
them: every line gets exactly its expected result, and none is ever stored wrong."""

import pytest

from tests.bot.report_corpus import LINES, catalogue_words, outcome

WORDS = catalogue_words()


@pytest.mark.parametrize(("text", "expected"), LINES, ids=[text for text, _ in LINES])
def test_corpus_line(text, expected):
    assert outcome(text, WORDS) == expected


def test_corpus_is_large_and_covers_every_outcome():
    kinds = {expected.outcome for _, expected in LINES}
    assert kinds == {"ok", "ask", "refuse"}
    assert len({text for text, _ in LINES}) == len(LINES) >= 150
