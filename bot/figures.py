"""Plain data behind summaries and leaderboards, shared by the text, Excel and chart renderers.

`ReportRow` (one standing report for the detail sheet) comes as the database reads it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from db.leaderboard import TopPerson
from db.summary import ReportRow


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    unit_label: str
    short: str = ""  # the first alias ("VNeID", "Dịch vụ công"): fits one phone line

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass(frozen=True)
class UnitRef:
    level: str  # country | province | district | commune | hamlet
    code: str
    name: str


ACHIEVEMENT_CAP = 2.0  # one indicator far over its target cannot carry the others


@dataclass
class UnitFigures:
    """Figures for one unit (a hamlet, or a commune in a province roll-up) over one period."""

    unit: UnitRef
    hierarchy: list[UnitRef]  # from the province down to this unit, inclusive
    counts: dict[str, int] = field(default_factory=dict)  # indicator code -> sum
    targets: dict[str, int] = field(default_factory=dict)  # indicator code -> target for the period
    members: int = 0
    reporters: int = 0
    reports: int = 0
    unreachable: int = 0

    def achievement(self, code: str) -> float | None:
        """Achieved / target (may pass 1.0), or None where there is no target."""
        target = self.targets.get(code)
        return self.counts.get(code, 0) / target if target else None

    def score(self) -> float | None:
        """Mean of achieved/target over the indicators with a target, each capped at
        ACHIEVEMENT_CAP; None without one. The text, the chart and the ranking all show this."""
        ratios = [
            min(self.counts.get(code, 0) / target, ACHIEVEMENT_CAP)
            for code, target in self.targets.items()
            if target
        ]
        return sum(ratios) / len(ratios) if ratios else None


@dataclass
class Summary:
    unit: UnitRef
    period_label: str  # e.g. "Tuần 17/11–23/11/2026"
    start: date
    end: date
    made_at: datetime  # Vietnamese local time
    indicators: list[IndicatorInfo]
    rows: list[UnitFigures]
    totals: UnitFigures
    previous_totals: dict[str, int] = field(default_factory=dict)
    lines: list[ReportRow] = field(default_factory=list)
    previous_label: str = ""  # e.g. "tuần 10/11–16/11/2026", what previous_totals cover


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    unit: UnitRef
    score: float  # achievement ratio where targets exist, else activity per member
    score_label: str  # e.g. "87%" or "4,2/người"
    rank_change: int | None  # positive = moved up; None = new on the board


@dataclass
class Leaderboard:
    unit: UnitRef  # the commune
    period_label: str
    entries: list[BoardEntry]
    most_improved: UnitRef | None = None
    top_people: list[TopPerson] = field(default_factory=list)  # best first
    rows: list[UnitFigures] = field(default_factory=list)  # every hamlet, this period, path order
