"""Difficulties nobody answered: raised one level up once, and the member told.

Runs at every tick (`scheduler.jobs.SWEEPS`): a difficulty still open and unanswered
`DIFFICULTY_ESCALATE_DAYS` after it was raised goes to the officials of the unit above its
commune (a province, or a district in pre-2025 data), or, where nobody is there, to the
commune's officials again. `escalated_at` makes it happen once; the messages wait out quiet hours.
"""

from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.conversations.difficulty import difficulty_notice, handling_choices
from bot.core.replies import Reply
from bot.core.state import offer, write_conversations
from config import Settings
from db.difficulties import add_event, officials_of, unanswered_before
from db.models import Difficulty, Identity, Person, Unit
from db.outbox import Message
from db.people import identities
from scheduler.schedule import enqueue_held


async def escalate(session: AsyncSession, *, now: datetime, settings: Settings) -> list[int]:
    """Escalate every difficulty due; returns the outbox ids written."""
    days = settings.difficulty_escalate_days
    before = (now - timedelta(days=days)).astimezone(UTC)
    ids: list[int] = []
    for difficulty, hamlet in await unanswered_before(session, before=before):
        ids += await _escalate_one(session, difficulty, hamlet, now=now, days=days)
    await write_conversations(session)
    return ids


async def _escalate_one(
    session: AsyncSession, difficulty: Difficulty, hamlet: Unit, *, now: datetime, days: int
) -> list[int]:
    commune = await session.get(Unit, hamlet.parent_id)
    target, officials = commune, []
    if commune.parent_id is not None:
        target = await session.get(Unit, commune.parent_id)
        officials = await officials_of(session, unit_id=target.id)
    if not officials:
        target, officials = commune, await officials_of(session, unit_id=commune.id)
    member = await session.get(Person, difficulty.person_id)
    text = texts.DIFFICULTY_ESCALATED.format(days=days, unit=target.name) + difficulty_notice(
        difficulty, hamlet.name, member.display_name
    )
    heads = _first_each(officials)
    choices = handling_choices(difficulty)
    told = Reply(
        texts.DIFFICULTY_ESCALATED_MEMBER.format(number=difficulty.id, days=days, unit=target.name)
    )
    messages = [_message(difficulty, i, Reply(text, choices=choices)) for i in heads]
    messages += [
        _message(difficulty, i, told) for i in await identities(session, person_id=member.id)
    ]
    await offer(
        session, [Reply(text, choices, private_to=f"{i.platform}:{i.user_id}") for i in heads]
    )
    difficulty.escalated_at = now.astimezone(UTC)
    session.add(difficulty)
    await add_event(
        session,
        difficulty=difficulty,
        person_id=None,
        kind="escalated",
        at=now.astimezone(UTC),
        text=target.name,
    )
    return await enqueue_held(session, messages, now=now, commune=commune)


def _message(difficulty: Difficulty, identity: Identity, reply: Reply) -> Message:
    key = f"difficulty:{difficulty.id}:up:{identity.id}"
    return Message(identity.platform, identity.user_id, reply, False, key)


def _first_each(accounts: list[Identity]) -> list[Identity]:
    """One account per person (they are ordered by person)."""
    seen: set[int] = set()
    return [i for i in accounts if not (i.person_id in seen or seen.add(i.person_id))]
