"""How well the bot reads report lines as members write them (tests/bot/report_corpus.py).

    .venv/bin/python bench/language.py [-v]

Prints how many lines were read right, asked about, wrongly refused and stored wrong. A line
stored wrong is the worst outcome: a figure the member did not mean, in the official's statistics.
`-v` lists every line that was not right.
"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.bot.report_corpus import LINES, catalogue_words, outcome, verdict  # noqa: E402


def main() -> None:
    words = catalogue_words()
    tally: Counter = Counter()
    for text, expected in LINES:
        got = outcome(text, words)
        kind = verdict(expected, got)
        tally[kind] += 1
        if kind != "right" and "-v" in sys.argv:
            print(f"{kind:16} {text!r}\n{'':16} expected {expected}\n{'':16} got      {got}")
    total = len(LINES)
    print(f"{total} lines")
    for kind in ("right", "asked", "wrongly refused", "stored wrong"):
        print(f"{kind:16} {tally[kind]:4}  {100 * tally[kind] / total:5.1f}%")


if __name__ == "__main__":
    main()
