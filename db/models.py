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


class DailyTotal(SQLModel, table=True):
    """Per day, commune and indicator: the sum of the standing reports' lines and how many they are.

    `unit_id` is the commune of the report's team (a hamlet's parent), or the team's own unit at
    commune level and above. Kept in the transaction of every report, edit and retraction
    (db.rollups), so a province or the country sums these rows instead of millions of lines.
    """

    __table_args__ = (Index("ix_dailytotal_day", "day"),)  # the whole country: one day range
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")
    day: date = Field(primary_key=True)
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    total: int = 0
    reports: int = 0


class ProvinceTotal(SQLModel, table=True):
    """Per day, province and indicator: as `DailyTotal`, one level up, for the whole country.

    `unit_id` is the province above the report's team (0 for a team under no province).
    """

    __table_args__ = (Index("ix_provincetotal_day", "day"),)
    unit_id: int = Field(primary_key=True)  # no foreign key: 0 is no province
    day: date = Field(primary_key=True)
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    total: int = 0
    reports: int = 0


class PeriodCount(SQLModel, table=True):
    """Per calendar week, month, quarter or year (`kind`, its first day) and unit at commune level
    and above (0: the whole country): distinct people with a standing report under the unit in
    the period, and how many reports. Kept exact with the reports (db.period_reporters).
    """

    kind: str = Field(primary_key=True, max_length=8)
    start: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)  # no foreign key: 0 is the country
    reporters: int = 0
    reports: int = 0


class MemberCount(SQLModel, table=True):
    """Per unit at commune level and above (0: the whole country): distinct confirmed members
    (MEMBER_ROLES) of the teams under it, and how many of them are unreachable.

    Kept in the transaction of every change to memberships and identities (db.member_counts), so
    a province or the country reads a few rows instead of every membership.
    """

    unit_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})  # 0: country
    members: int = 0
    unreachable: int = 0


class DailyReporter(SQLModel, table=True):
    """Per day, commune (as in `DailyTotal`) and person: how many standing reports they made.

    Distinct reporters over a period do not add up from day counts; counted from these rows they
    are exact, and the reports of a row are the sum of `reports`.
    """

    __table_args__ = (
        Index("ix_dailyreporter_day", "day"),
        Index("ix_dailyreporter_person_day", "person_id", "day"),  # a person's periods
    )
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")
    day: date = Field(primary_key=True)
    person_id: int = Field(primary_key=True, foreign_key="person.id")
    reports: int = 0


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
    """Next free send time per rate key (bot or group chat), shared by every sender process; a
    group's slot also keeps its window: the planned times of its last sends (epoch seconds)."""

    key: str = Field(primary_key=True, max_length=100)
    next_free_at: datetime
    recent: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class UnknownWord(SQLModel, table=True):
    """A word the parser met beside a number it could not attribute ("hồ sơ 2"): what members
    type that no alias knows yet. Only the word, how often and when: no text around it."""

    __tablename__ = "unknown_word"

    word: str = Field(primary_key=True, max_length=64)
    seen: int = 1
    last_seen: datetime


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


class Announcement(SQLModel, table=True):
    """A notice (/thongbao) from an official or a leader to a unit: its groups, its members
    privately, or its leaders; `reminded_at` marks the one reminder to who has not acknowledged."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    sender_id: int = Field(foreign_key="person.id")
    audience: str = Field(max_length=16)  # bot.handlers.notices: groups | members | leaders
    text: str = Field(max_length=4000)
    link: str | None = Field(default=None, max_length=2000)  # a photo or file, by link
    ask_ack: bool = False
    urgent: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    reminded_at: datetime | None = None


class AnnouncementAck(SQLModel, table=True):
    """One person's «Đã nhận» for a notice (a second press changes nothing)."""

    __table_args__ = (UniqueConstraint("announcement_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="announcement.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    acked_at: datetime = Field(default_factory=utcnow)


class Difficulty(SQLModel, table=True):
    """A difficulty (/vuongmac) a member raised for their hamlet; the text is masked."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)  # the member's hamlet
    category: str = Field(max_length=16)  # vneid | thietbi | dongy | khac
    text: str = Field(max_length=1000)
    state: str = Field(default="open", max_length=16)  # open | taken | resolved
    handler_id: int | None = Field(default=None, foreign_key="person.id")
    answer: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None
    escalated_at: datetime | None = None
    resolved_at: datetime | None = None


class DifficultyEvent(SQLModel, table=True):
    """A difficulty's history: raised, taken, answered, escalated, resolved."""

    id: int | None = Field(default=None, primary_key=True)
    difficulty_id: int = Field(foreign_key="difficulty.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=16)
    text: str = Field(default="", max_length=1000)
    at: datetime = Field(default_factory=utcnow)


class HowTo(SQLModel, table=True):
    """A commune's saved answer on a topic (/huongdan vneid); a newer one replaces the older."""

    __table_args__ = (UniqueConstraint("commune_id", "topic"),)
    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="unit.id")
    topic: str = Field(max_length=32)
    text: str = Field(max_length=1000)
    difficulty_id: int | None = Field(default=None, foreign_key="difficulty.id")
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class Campaign(SQLModel, table=True):
    """A time-boxed drive (chiến dịch) of a commune. Its progress is read from the reports on its
    indicators dated on its days, never counted separately: a retraction or an edit shows at once.
    `weekdays` holds the days it runs ("56": Saturday and Sunday; Monday is 0)."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=120)
    start_date: date
    end_date: date
    weekdays: str = Field(default="0123456", max_length=7)
    post_hour: int = 19  # the daily progress post, Vietnamese time
    created_by: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class CampaignTarget(SQLModel, table=True):
    """A campaign's indicator with its target for one unit: the commune's row names the campaign's
    indicators (value 0: no target); the hamlets' rows are its split."""

    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    indicator_id: int = Field(foreign_key="indicator.id")
    value: int = 0


class Task(SQLModel, table=True):
    """An assignment (phân công): counts to reach (TaskLine) or an area in words, by a due date.
    Progress is read from the member's reports from `start_date` to `due_date`."""

    __table_args__ = (Index("ix_task_person_status", "person_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    assigned_by: int = Field(foreign_key="person.id")
    area: str | None = Field(default=None, max_length=300)  # masked: never a resident's number
    start_date: date
    due_date: date = Field(index=True)
    status: str = Field(default="open", max_length=16)  # open | accepted | declined | done
    reason: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None


class TaskLine(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("task_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    count: int
