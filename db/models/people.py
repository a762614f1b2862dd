"""Units, teams, people, their roles and their chat accounts (and the codes that link or invite them)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


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


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(max_length=16)
    max_uses: int = 1
    uses: int = 0
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)


class LinkCode(SQLModel, table=True):
    """A short code from `/lienket` that joins a second platform's identity to a person."""

    code: str = Field(primary_key=True, max_length=16)
    person_id: int = Field(foreign_key="person.id")
    expires_at: datetime
