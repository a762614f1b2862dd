"""Scheduled jobs: each commune's schedule and the runs already made."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


class JobSetting(SQLModel, table=True):
    """Per-commune schedule; weekday 0 = Monday; times are Vietnamese `HH:MM`."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", unique=True)
    reminder_enabled: bool = True
    reminder_weekday: int = 5
    reminder_time: str = "08:00"
    leaderboard_enabled: bool = True
    leaderboard_weekday: int = 0
    leaderboard_time: str = "07:00"
    monthly_enabled: bool = True
    monthly_day: int = 1
    monthly_time: str = "07:30"
    quiet_start: str = "21:00"
    quiet_end: str = "06:30"


class JobRun(SQLModel, table=True):
    """One row per job × scope × period that has run, so a run is never repeated."""

    __table_args__ = (UniqueConstraint("job", "scope", "period_key"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=32)
    scope: str = Field(default="", max_length=64)
    period_key: str = Field(max_length=32)
    ran_at: datetime = Field(default_factory=utcnow)
