"""Tables. Times are timezone-aware UTC (`utcnow`); dates are Vietnamese calendar dates.

Counts, not people: no table holds a resident's name, ID number or phone.
"""

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    HAMLET = "hamlet"


class Role(StrEnum):
    MEMBER = "thanhvien"
    DEPUTY = "topho"
    LEADER = "totruong"
    OFFICIAL = "canbo"


LEADER_ROLES = (Role.LEADER, Role.DEPUTY)
# The roles that make someone a member of a team: what summaries, splits and reminders count.
MEMBER_ROLES = (Role.MEMBER.value, Role.DEPUTY.value, Role.LEADER.value)


class Unit(SQLModel, table=True):
    """An administrative unit; `path` is the chain of codes from the province, e.g. `/01/00070/00070-01/`."""

    # "Everything under a unit" is `path LIKE '/01/00070/%'`: PostgreSQL uses a btree index for
    # that only with the pattern operator class (unless the database collation is plain "C").
    __table_args__ = (
        Index("ix_unit_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    level: str = Field(max_length=16, index=True)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    path: str = Field(max_length=255)
    official: bool = False


class Team(SQLModel, table=True):
    """A Tổ CNSCĐ; one per unit."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", unique=True)
    name: str = Field(max_length=200)


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Identity(SQLModel, table=True):
    """A person's account on one chat platform; private replies go to `user_id`."""

    __table_args__ = (UniqueConstraint("platform", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    unreachable_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    """A role in a team; `confirmed` is False for a joiner not on the roster until the leader confirms."""

    __table_args__ = (UniqueConstraint("person_id", "team_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    role: str = Field(max_length=16)
    confirmed: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class ChatGroup(SQLModel, table=True):
    """A group chat linked to a unit."""

    __table_args__ = (UniqueConstraint("platform", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    title: str = Field(default="", max_length=200)
    unreachable_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


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


class Report(SQLModel, table=True):
    """One visit report. An edit writes a new row with `replaces_id` and retracts the old one."""

    __table_args__ = (Index("ix_report_team_date", "team_id", "activity_date"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
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


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(max_length=16)
    max_uses: int = 1
    uses: int = 0
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)


class ProcessedUpdate(SQLModel, table=True):
    """Dedupe record, inserted in the same transaction as the update's effects."""

    __table_args__ = (UniqueConstraint("platform", "update_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    update_id: str = Field(max_length=128)
    received_at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """The step a user is at in a multi-step flow, so any worker can take the next message."""

    __table_args__ = (UniqueConstraint("platform", "chat_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    user_id: str = Field(max_length=64)
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expires_at: datetime
    updated_at: datetime = Field(default_factory=utcnow)


class Outbox(SQLModel, table=True):
    """A message waiting to be delivered; `dedupe_key` keeps a job from sending twice."""

    __table_args__ = (Index("ix_outbox_due", "status", "priority", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    is_group: bool = False
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    priority: int = 0
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    owner: str | None = Field(default=None, max_length=64)  # the process that holds it `sending`


class SenderBeat(SQLModel, table=True):
    """When each sender process was last seen alive, having recorded every send finished
    before then: what it held `sending` and planned later was never attempted."""

    owner: str = Field(primary_key=True, max_length=64)
    alive_at: datetime


class RateSlot(SQLModel, table=True):
    """Next free send time per rate key (bot or chat), shared by every sender process."""

    key: str = Field(primary_key=True, max_length=100)
    next_free_at: datetime


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


class Media(SQLModel, table=True):
    """An image or file served at an unguessable URL (Zalo and the web chat fetch by link)."""

    id: str = Field(primary_key=True, max_length=64)
    content_type: str = Field(max_length=100)
    filename: str = Field(max_length=200)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LinkCode(SQLModel, table=True):
    """A short code from `/lienket` that joins a second platform's identity to a person."""

    code: str = Field(primary_key=True, max_length=16)
    person_id: int = Field(foreign_key="person.id")
    expires_at: datetime


class WebMessage(SQLModel, table=True):
    """The local web chat's history: what was said in each web chat."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=64, index=True)
    sender: str = Field(default="", max_length=200)
    from_bot: bool = False
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
