"""Difficulties (/vuongmac), their history, and the how-tos saved from their answers.
Never commits."""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Difficulty, DifficultyEvent, HowTo, Identity, Membership, Role, Team, Unit
from db.session import dialect_insert

OPEN, TAKEN, RESOLVED = "open", "taken", "resolved"


async def create_difficulty(
    session: AsyncSession, *, person_id: int, unit_id: int, category: str, text: str, at: datetime
) -> Difficulty:
    """Store a raised difficulty (text already masked) with its first history line."""
    difficulty = Difficulty(
        person_id=person_id, unit_id=unit_id, category=category, text=text, created_at=at
    )
    session.add(difficulty)
    await session.flush()
    await add_event(session, difficulty=difficulty, person_id=person_id, kind="raised", at=at)
    return difficulty


async def add_event(
    session: AsyncSession,
    *,
    difficulty: Difficulty,
    person_id: int | None,
    kind: str,
    at: datetime,
    text: str = "",
) -> None:
    session.add(
        DifficultyEvent(
            difficulty_id=difficulty.id, person_id=person_id, kind=kind, text=text, at=at
        )
    )


async def history(session: AsyncSession, *, difficulty_id: int) -> list[DifficultyEvent]:
    query = (
        select(DifficultyEvent)
        .where(DifficultyEvent.difficulty_id == difficulty_id)
        .order_by(DifficultyEvent.at, DifficultyEvent.id)
    )
    return list((await session.exec(query)).all())


async def open_under(
    session: AsyncSession, *, paths: list[str], person_id: int | None = None
) -> list[tuple[Difficulty, Unit]]:
    """The difficulties not yet resolved in the units on or under these paths, oldest first;
    `person_id` adds the person's own wherever they are."""
    if not paths and person_id is None:
        return []
    where = [Unit.path.startswith(path, autoescape=True) for path in paths]
    if person_id is not None:
        where.append(Difficulty.person_id == person_id)
    query = (
        select(Difficulty, Unit)
        .join(Unit, Unit.id == Difficulty.unit_id)
        .where(Difficulty.state != RESOLVED, or_(*where))
        .order_by(Difficulty.created_at, Difficulty.id)
    )
    return list((await session.exec(query)).all())


async def unanswered_before(
    session: AsyncSession, *, before: datetime
) -> list[tuple[Difficulty, Unit]]:
    """Open difficulties nobody took or answered, raised before `before`, not yet escalated."""
    query = (
        select(Difficulty, Unit)
        .join(Unit, Unit.id == Difficulty.unit_id)
        .where(
            Difficulty.state == OPEN,
            Difficulty.answered_at.is_(None),
            Difficulty.escalated_at.is_(None),
            Difficulty.created_at <= before,
        )
        .order_by(Difficulty.id)
    )
    return list((await session.exec(query)).all())


async def officials_of(session: AsyncSession, *, unit_id: int) -> list[Identity]:
    """Every account of the unit's officials, by person."""
    query = (
        select(Identity)
        .join(Membership, Membership.person_id == Identity.person_id)
        .join(Team, Team.id == Membership.team_id)
        .where(Team.unit_id == unit_id, Membership.role == Role.OFFICIAL.value)
        .order_by(Identity.person_id, Identity.id)
    )
    return list((await session.exec(query)).all())


async def save_how_to(
    session: AsyncSession,
    *,
    commune_id: int,
    topic: str,
    text: str,
    person_id: int,
    difficulty_id: int | None,
    at: datetime,
) -> None:
    """The commune's how-to on `topic`, replacing an older one."""
    values = {
        "commune_id": commune_id,
        "topic": topic,
        "text": text,
        "person_id": person_id,
        "difficulty_id": difficulty_id,
        "created_at": at,
    }
    statement = dialect_insert(session)(HowTo.__table__).values(**values)
    kept = {
        name: statement.excluded[name] for name in values if name not in ("commune_id", "topic")
    }
    await session.exec(
        statement.on_conflict_do_update(index_elements=["commune_id", "topic"], set_=kept)
    )


async def how_to(session: AsyncSession, *, commune_id: int, topic: str) -> HowTo | None:
    query = select(HowTo).where(HowTo.commune_id == commune_id, HowTo.topic == topic)
    return (await session.exec(query)).first()


async def how_to_topics(session: AsyncSession, *, commune_id: int) -> list[str]:
    query = select(HowTo.topic).where(HowTo.commune_id == commune_id).order_by(HowTo.topic)
    return list((await session.exec(query)).all())
