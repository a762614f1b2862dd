"""The words members type that the parser did not understand, and adding them as aliases."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.indicators import merged_aliases
from db.models import Indicator, UnknownWord
from db.session import dialect_insert, execute_core

MAX_WORD = 64
MAX_ALIASES = 1000  # Indicator.aliases


async def note_unknown_words(session: AsyncSession, *, words: list[str], now: datetime) -> None:
    """Count each word once more (one statement per word; a batch holds few)."""
    insert = dialect_insert(session)
    table = UnknownWord.__table__
    for word in dict.fromkeys(w[:MAX_WORD] for w in words if w):
        statement = insert(table).values(word=word, seen=1, last_seen=now)
        await execute_core(
            session,
            statement.on_conflict_do_update(
                index_elements=["word"],
                set_={"seen": table.c.seen + 1, "last_seen": statement.excluded.last_seen},
            ),
        )


async def unknown_words(session: AsyncSession, *, limit: int) -> list[UnknownWord]:
    """The most frequent first, then the latest."""
    query = select(UnknownWord).order_by(
        UnknownWord.seen.desc(), UnknownWord.last_seen.desc(), UnknownWord.word
    )
    return list((await session.exec(query.limit(limit))).all())


async def add_alias(session: AsyncSession, *, code: str, word: str) -> bool:
    """Add a word to an indicator's aliases and forget it as unknown; False without such an
    indicator, or when its aliases are full."""
    indicator = (await session.exec(select(Indicator).where(Indicator.code == code))).first()
    aliases = merged_aliases(indicator.aliases, [word.strip()]) if indicator else ""
    if indicator is None or len(aliases) > MAX_ALIASES:
        return False
    indicator.aliases = aliases
    known = await session.get(UnknownWord, word.strip().lower())
    if known is not None:
        await session.delete(known)
    await session.flush()
    return True
