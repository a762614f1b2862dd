"""The progress chart: how far each unit of a summary got, as a PNG of bars."""

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from bot import texts
from bot.figures import Summary
from bot.ranking import half_up, score_label
from bot.render.drawing import FONT, nfc, png
from bot.render.timing import timed
from bot.summary_text import due_of


def chart_bars(summary: Summary) -> tuple[bool, list[tuple[str, float, str]]]:
    """Whether the chart shows % of target, and its bars best first: (label, value, value text).
    The % is the summary text's own score (`UnitFigures.score`), so the two never disagree."""
    with_targets = any(
        row.targets.get(ind.code) for row in summary.rows for ind in summary.indicators
    )
    bars = []
    for row in summary.rows:
        if with_targets:
            score = row.score()
            value = score or 0.0
            text = (
                score_label(value, by_target=True) if score is not None else texts.CHART_NO_TARGET
            )
        else:
            value = sum(row.counts.get(ind.code, 0) for ind in summary.indicators)
            text = texts.number(value)
        bars.append((nfc(texts.shorten(row.unit.name, 30)), value, text))
    bars.sort(key=lambda bar: -bar[1])
    return with_targets, bars


@timed("chart")
def progress_chart(summary: Summary) -> bytes:
    """A PNG of horizontal bars: % of target reached per row (or total activity if nobody has targets)."""
    with_targets, bars = chart_bars(summary)
    fig = Figure(figsize=(6.4, 1.7 + 0.36 * max(len(bars), 2)), dpi=170)
    ax = fig.add_subplot()
    title = texts.CHART_TITLE if with_targets else texts.CHART_COUNT_TITLE
    ax.set_title(
        nfc(title.format(unit=summary.unit.name, period=summary.period_label)),
        fontsize=12,
        fontweight="bold",
        fontfamily=FONT,
    )
    if not bars:
        ax.text(0.5, 0.5, texts.NO_DATA, ha="center", va="center", fontsize=12, fontfamily=FONT)
        ax.set_axis_off()
        return png(fig)
    _draw_bars(ax, bars, with_targets=with_targets)
    _chart_axes(ax, with_targets=with_targets)
    due = due_of(summary)
    if with_targets and due is not None:  # where every bar should be by today
        ax.axvline(float(due), color="#6A1B9A", linestyle=":", linewidth=1.4)
        label = texts.CHART_DUE.format(percent=half_up(100 * due))
        ax.text(float(due), -0.6, label, color="#6A1B9A", fontsize=9, fontfamily=FONT)
    fig.tight_layout()
    return png(fig)


def _draw_bars(ax, bars: list[tuple[str, float, str]], *, with_targets: bool) -> None:
    """The bars, best at the top, coloured by how far they got, each with its value beside it."""
    ys = range(len(bars))
    values = [b[1] for b in bars]
    colors = (
        ["#2E7D32" if v >= 1 else "#1565C0" if v >= 0.5 else "#EF6C00" for v in values]
        if with_targets
        else ["#1565C0"] * len(bars)
    )
    ax.barh(ys, values, color=colors, height=0.65)
    ax.set_yticks(ys, [b[0] for b in bars], fontfamily=FONT, fontsize=11)
    ax.set_ylim(len(bars) - 0.5, -0.5)  # best at the top, no empty margin
    top = max(*values, 1)
    ax.set_xlim(0, top * 1.18)
    for y, (_, value, text) in zip(ys, bars, strict=True):
        ax.text(
            value + top * 0.01,
            y,
            text,
            va="center",
            fontsize=10,
            fontfamily=FONT,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.8},
        )


def _chart_axes(ax, *, with_targets: bool) -> None:
    """The 100% line and percent ticks (with targets), the axis label, a light grid."""
    if with_targets:
        ax.axvline(1.0, color="#C62828", linestyle="--", linewidth=1.2)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    label = texts.CHART_PERCENT_AXIS if with_targets else texts.CHART_COUNT_AXIS
    ax.set_xlabel(label, fontfamily=FONT)
    ax.tick_params(labelfontfamily=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
