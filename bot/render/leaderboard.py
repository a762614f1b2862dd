"""The leaderboard image for a group chat: the hamlets' ranking, the best improver, the top people."""

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from bot import texts
from bot.figures import Leaderboard, TopPerson
from bot.render.drawing import FONT, has_glyphs, nfc, png
from bot.render.timing import timed
from bot.summary_text import person_label

TOP3_COLORS = ["#F9D976", "#D9DEE4", "#EBC09A"]
BOARD_WIDTH, ROW_HEIGHT, PERSON_HEIGHT = 7.0, 0.42, 0.32  # in inches
PERSON_WIDTH = 46  # characters of "name – hamlet" left of the totals


@timed("leaderboard")
def leaderboard_image(board: Leaderboard) -> bytes:
    """A PNG of the hamlet ranking for a group chat: top 3 highlighted, best improver and top people."""
    people = board.top_people[:5]
    height = 1.25 + ROW_HEIGHT * max(len(board.entries), 1) + 0.5
    if board.most_improved:
        height += ROW_HEIGHT
    if people:
        height += ROW_HEIGHT + PERSON_HEIGHT * len(people)
    fig = Figure(figsize=(BOARD_WIDTH, height), dpi=150, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, BOARD_WIDTH)
    ax.set_ylim(height, 0)  # y in inches from the top
    ax.set_axis_off()
    middle = BOARD_WIDTH / 2
    _write(ax, middle, 0.35, texts.BOARD_TITLE, ha="center", fontsize=18, fontweight="bold")
    subtitle = f"{board.unit.name} · {board.period_label}"
    _write(ax, middle, 0.75, subtitle, ha="center", fontsize=11)
    y = _board_entries(ax, board, y=1.25) + 0.2
    if board.most_improved:
        improved = texts.MOST_IMPROVED.format(unit=board.most_improved.name)
        mid = y + ROW_HEIGHT / 2
        _write(ax, 0.4, mid, improved, fontsize=12, fontweight="bold", color="#2E7D32")
        y += ROW_HEIGHT
    if people:
        _board_people(ax, people, y=y)
    return png(fig)


def _write(ax, x: float, y: float, text: str, **style) -> None:
    """One line of the leaderboard image, centred on y."""
    ax.text(x, y, nfc(text), va="center_baseline", fontfamily=FONT, **style)


def _board_entries(ax, board: Leaderboard, *, y: float) -> float:
    """One line per ranked hamlet (the top 3 on a coloured band); returns the y below them."""
    if not board.entries:
        _write(
            ax,
            BOARD_WIDTH / 2,
            y + ROW_HEIGHT / 2,
            texts.NO_DATA,
            ha="center",
            fontsize=12,
            color="#666666",
        )
        y += ROW_HEIGHT
    for entry in board.entries:
        mid = y + ROW_HEIGHT / 2
        top3 = entry.rank <= 3
        if top3:
            ax.add_patch(
                FancyBboxPatch(
                    (0.25, y + 0.04),
                    BOARD_WIDTH - 0.5,
                    ROW_HEIGHT - 0.08,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    color=TOP3_COLORS[entry.rank - 1],
                )
            )
        weight = "bold" if top3 else "normal"
        _write(ax, 0.7, mid, str(entry.rank), ha="right", fontsize=13, fontweight=weight)
        _write(ax, 0.95, mid, texts.shorten(entry.unit.name, 30), fontsize=12, fontweight=weight)
        _write(ax, 5.45, mid, entry.score_label, ha="right", fontsize=12, fontweight=weight)
        change, color = _rank_change(entry.rank_change)
        _write(ax, 6.35, mid, change, ha="center", fontsize=11, color=color, fontweight="bold")
        y += ROW_HEIGHT
    return y


def _board_people(ax, people: list[TopPerson], *, y: float) -> None:
    """The members who did most, numbered, with their hamlets and totals."""
    _write(ax, 0.4, y + ROW_HEIGHT / 2, texts.BOARD_TOP_PEOPLE, fontsize=12, fontweight="bold")
    y += ROW_HEIGHT
    for n, person in enumerate(people, 1):
        label = f"{n}. {texts.shorten(person_label(person), PERSON_WIDTH)}"
        _write(ax, 0.7, y + PERSON_HEIGHT / 2, label, fontsize=11)
        _write(ax, 5.45, y + PERSON_HEIGHT / 2, texts.number(person.total), ha="right", fontsize=11)
        y += PERSON_HEIGHT


def _rank_change(change: int | None) -> tuple[str, str]:
    """The rank-change mark and its colour: ▲2, ▼1, – or "mới"."""
    if change is None:
        return texts.BOARD_NEW, "#1565C0"
    if change == 0:
        return "–", "#757575"
    up, down = ("▲", "▼") if has_glyphs("▲▼") else ("+", "-")
    return (f"{up}{change}", "#2E7D32") if change > 0 else (f"{down}{-change}", "#C62828")
