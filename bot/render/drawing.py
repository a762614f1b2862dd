"""What the PNG images share: matplotlib without a display, one font that draws Vietnamese."""

import io
import unicodedata
from functools import cache

import matplotlib
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure

matplotlib.use("Agg")  # no display; the images are only ever saved as PNG

FONT = "DejaVu Sans"


def warm_up() -> bytes:
    """A tiny PNG with text: a fresh process's first drawing loads matplotlib and its fonts
    (seconds), so the drawing process does it once when it starts (bot.attachments)."""
    fig = Figure(figsize=(1, 1), dpi=10)
    fig.text(0.5, 0.5, FONT, fontfamily=FONT)
    return png(fig)


@cache
def has_glyphs(chars: str) -> bool:
    """Whether the image font draws all these characters."""
    charmap = ft2font.FT2Font(font_manager.findfont(FONT)).get_charmap()
    return all(ord(c) in charmap for c in chars)


def nfc(text: str) -> str:
    """Composed Vietnamese letters (decomposed input would draw detached marks)."""
    return unicodedata.normalize("NFC", text)


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()
