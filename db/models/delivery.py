"""Delivery state: the outbox, the senders' beats, the shared rate slots and the media they send."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from db.models.base import utcnow


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
    """Next free send time per rate key (bot, chat or sender), shared by every sender process; a
    bot's and a group's slot also keep their window: the planned times of their last sends (epoch
    seconds). No window is SQL NULL (`none_as_null`): most slots have none, and every batch locks
    dozens, which then cost no JSON written or read."""

    key: str = Field(primary_key=True, max_length=100)
    next_free_at: datetime
    recent: list | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )


class Media(SQLModel, table=True):
    """An image or file served at an unguessable URL (Zalo and the web chat fetch by link)."""

    id: str = Field(primary_key=True, max_length=64)
    content_type: str = Field(max_length=100)
    filename: str = Field(max_length=200)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
