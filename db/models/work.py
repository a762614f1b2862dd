"""What leaders ask of teams and what members raise: notices, difficulties and their how-tos,
campaigns, tasks."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


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
