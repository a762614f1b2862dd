"""Tables, one module per domain. Times are timezone-aware UTC (`utcnow`); dates are Vietnamese
calendar dates.

Counts, not people: no table holds a resident's name, ID number or phone. Every table is imported
here, so `from db.models import X` finds it and SQLModel.metadata (Alembic, create_all) has them all.
"""

from db.models.base import utcnow
from db.models.chat import Conversation, ProcessedUpdate, WebMessage
from db.models.delivery import Media, Outbox, RateSlot, SenderBeat
from db.models.jobs import JobRun, JobSetting
from db.models.people import (
    LEADER_ROLES,
    MEMBER_ROLES,
    ChatGroup,
    Identity,
    Invite,
    Level,
    LinkCode,
    Membership,
    Person,
    Role,
    Team,
    Unit,
)
from db.models.reports import (
    HamletTarget,
    Indicator,
    Report,
    ReportChange,
    ReportLine,
    Target,
    UnknownWord,
)
from db.models.rollups import DailyReporter, DailyTotal, MemberCount, PeriodCount, ProvinceTotal
from db.models.work import (
    Announcement,
    AnnouncementAck,
    Campaign,
    CampaignTarget,
    Difficulty,
    DifficultyEvent,
    HowTo,
    Task,
    TaskLine,
)

__all__ = [
    "LEADER_ROLES",
    "MEMBER_ROLES",
    "Announcement",
    "AnnouncementAck",
    "Campaign",
    "CampaignTarget",
    "ChatGroup",
    "Conversation",
    "DailyReporter",
    "DailyTotal",
    "Difficulty",
    "DifficultyEvent",
    "HamletTarget",
    "HowTo",
    "Identity",
    "Indicator",
    "Invite",
    "JobRun",
    "JobSetting",
    "Level",
    "LinkCode",
    "Media",
    "MemberCount",
    "Membership",
    "Outbox",
    "PeriodCount",
    "Person",
    "ProcessedUpdate",
    "ProvinceTotal",
    "RateSlot",
    "Report",
    "ReportChange",
    "ReportLine",
    "Role",
    "SenderBeat",
    "Target",
    "Task",
    "TaskLine",
    "Team",
    "Unit",
    "UnknownWord",
    "WebMessage",
    "utcnow",
]
