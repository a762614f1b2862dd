"""Fakes for the outbox and the sender: a clock that moves when told, a channel that records."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.core.channel import TELEGRAM, Capabilities
from bot.core.replies import Reply
from db.models import Outbox, utcnow
from db.outbox import INTERACTIVE, Message, enqueue, enqueue_answers


class FakeClock:
    """Time that moves only when the sender sleeps or the test advances it."""

    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0) + timedelta(minutes=1)
        self.start = self.now

    def __call__(self):
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def at(self, seconds: float):
        return self.start + timedelta(seconds=seconds)


class FakeChannel:
    """Records every call with the clock's time; raises the scripted errors first, or `always`.

    Its limits (Telegram's unless `rate` per second and `group` per minute) set the sender's pace.
    """

    def __init__(
        self,
        clock=utcnow,
        errors=(),
        always: Exception | None = None,
        *,
        rate: float = 30.0,
        group: float = 20.0,
    ) -> None:
        self.platform = "telegram"
        self.capabilities = TELEGRAM.limited(per_second=rate, per_minute=group)
        self.clock = clock
        self.errors = list(errors)
        self.always = always
        self.calls: list[tuple] = []
        self.sent: list[tuple] = []

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        self.calls.append((self.clock(), chat_id, reply.text))
        await asyncio.sleep(0)
        if self.errors:
            raise self.errors.pop(0)
        if self.always is not None:
            raise self.always
        self.sent.append((self.clock(), chat_id, reply.text, media))


async def put(
    db,
    chat_id="111",
    text="hi",
    *,
    is_group=False,
    priority=INTERACTIVE,
    platform="telegram",
    reply=None,
) -> int | None:
    async with db() as session:
        row_id = await enqueue(
            session,
            platform=platform,
            chat_id=chat_id,
            reply=reply or Reply(text=text),
            is_group=is_group,
            priority=priority,
        )
        await session.commit()
    return row_id


async def rows(db) -> list[Outbox]:
    async with db() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def answer(
    db, *chats: tuple[str, bool], limits: Capabilities, owner: str | None = None
) -> list:
    """Store answers as an update's transaction does, spaced by `limits`, held `sending` by the
    process `owner`; returns their claims."""
    messages = [
        Message("telegram", chat, Reply("đã ghi nhận"), is_group, f"telegram:{n}:0")
        for n, (chat, is_group) in enumerate(chats)
    ]
    async with db() as session:
        claims = await enqueue_answers(
            session, messages, rates={"telegram": limits.rates}, owner=owner
        )
        await session.commit()
    return claims
