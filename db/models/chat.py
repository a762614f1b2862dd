"""What the inbox keeps per chat: the dedupe record, the step of a flow, the web chat's history."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


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


class WebMessage(SQLModel, table=True):
    """The local web chat's history: what was said in each web chat."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=64, index=True)
    sender: str = Field(default="", max_length=200)
    from_bot: bool = False
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
