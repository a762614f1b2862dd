"""Indicators, targets and visit reports, with their audit trail and the words the parser did not know."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


class Indicator(SQLModel, table=True):
    """A chỉ tiêu; `aliases` is `|`-separated words people type for it."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    unit_label: str = Field(max_length=32)  # what it counts; bot.texts.DEFAULT_UNIT_LABEL if unsaid
    aliases: str = Field(default="", max_length=1000)
    position: int = 100
    active: bool = True


class Target(SQLModel, table=True):
    """A target per unit × indicator × period (`period_kind` month|quarter|year, starting `period_start`)."""

    __table_args__ = (
        UniqueConstraint("unit_id", "indicator_id", "period_kind", "period_start"),
        Index("ix_target_kind_start", "period_kind", "period_start"),  # summaries of big units
    )
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    period_kind: str = Field(max_length=8)
    period_start: date
    value: int


class HamletTarget(SQLModel, table=True):
    """Per commune (`unit_id`), indicator and target period: the sum of its hamlets' targets.

    Kept with every target set (db.targets.set_targets), so a province or the country reads
    3,300 rows a month for the hamlets' part of its targets, not 93,500.
    """

    __table_args__ = (Index("ix_hamlettarget_kind_start", "period_kind", "period_start"),)
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    period_kind: str = Field(primary_key=True, max_length=8)
    period_start: date = Field(primary_key=True)
    value: int = 0


class Report(SQLModel, table=True):
    """One visit report. An edit writes a new row with `replaces_id` and retracts the old one."""

    __table_args__ = (
        Index("ix_report_team_date", "team_id", "activity_date"),
        Index("ix_report_person_date", "person_id", "activity_date"),  # a person's day (checks)
    )
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    team_id: int = Field(foreign_key="team.id")
    activity_date: date = Field(index=True)
    note: str | None = Field(default=None, max_length=1000)
    photo_ref: str | None = Field(default=None, max_length=2000)  # a Zalo CDN link is signed
    source: str = Field(max_length=16)
    idempotency_key: str = Field(max_length=128, unique=True)
    replaces_id: int | None = Field(default=None, foreign_key="report.id")
    retracted: bool = False
    retracted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    edited_at: datetime | None = None


class ReportLine(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    count: int


class ReportChange(SQLModel, table=True):
    """Who retracted or corrected a report, when, and the figures before and after (the audit
    trail /nhatky reads). `before`/`after` hold {"day", "counts", "note"}; a retraction has no
    `after`, an edit points at the report that replaced the old one."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    new_report_id: int | None = Field(default=None, foreign_key="report.id")
    actor_id: int = Field(foreign_key="person.id")
    action: str = Field(max_length=16)  # "retract" | "edit"
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class UnknownWord(SQLModel, table=True):
    """A word the parser met beside a number it could not attribute ("hồ sơ 2"): what members
    type that no alias knows yet. Only the word, how often and when: no text around it."""

    __tablename__ = "unknown_word"

    word: str = Field(primary_key=True, max_length=64)
    seen: int = 1
    last_seen: datetime
