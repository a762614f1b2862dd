"""Rate slots: one row per bot and per group chat, shared by every process (GCRA spacing).

A slot holds the next time a send may go through it; planning a send takes that time and moves
the slot one gap on. The gaps come from each channel's limits (bot.core.channel.Capabilities).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import RateSlot
from db.session import dialect_insert, execute_core


class Gaps(NamedTuple):
    """The spacing a platform asks for: between two sends by the bot, and to one group chat."""

    bot: timedelta
    chat: timedelta


NO_GAPS = Gaps(timedelta(0), timedelta(0))


def bot_slot(platform: str) -> str:
    return f"{platform}:bot"


def chat_slot(platform: str, chat_id: str) -> str:
    return f"{platform}:chat:{chat_id}"


async def plan_sends(
    session: AsyncSession, messages: list, *, gaps: Mapping[str, Gaps], now: datetime
) -> list[tuple[datetime, bool]]:
    """GCRA for a batch: give each message (anything with platform, chat_id and is_group) the next
    free time of its slots, in order; returns (send time, whether it has its bot slot) for each.

    `gaps` maps platforms to their spacing (a platform not in it has no limit). A group message
    takes its chat's slot; if the chat is free now it takes the bot slot too, otherwise it takes
    the bot slot only when its chat's turn comes (`take_slot`, from the sender), so a group's
    wait does not hold the bot slot. The slots stay locked until the caller commits.
    """
    spacing: dict[str, timedelta] = {}
    for m in messages:
        bot, chat = gaps.get(m.platform, NO_GAPS)
        spacing[bot_slot(m.platform)] = bot
        if m.is_group:
            spacing[chat_slot(m.platform, m.chat_id)] = chat
    free = await lock_slots(session, [key for key, gap in spacing.items() if gap], now)
    plans = []
    for m in messages:
        at, has_bot_slot = now, False
        chat_key = chat_slot(m.platform, m.chat_id) if m.is_group else None
        if chat_key in free:
            at = max(now, free[chat_key])
        if at <= now:
            bot_key = bot_slot(m.platform)
            if bot_key in free:
                at = max(at, free[bot_key])
                free[bot_key] = at + spacing[bot_key]
            has_bot_slot = True
        if chat_key in free:
            free[chat_key] = at + spacing[chat_key]
        plans.append((at, has_bot_slot))
    await set_slots(session, free)
    return plans


async def take_slot(session: AsyncSession, key: str, gap: timedelta, now: datetime) -> datetime:
    """GCRA for one slot: its next free time (now at the earliest), and the slot one gap on."""
    if not gap:
        return now
    at = max(now, (await lock_slots(session, [key], now))[key])
    await set_slots(session, {key: at + gap})
    return at


async def hold_slot(session: AsyncSession, key: str, until: datetime, now: datetime) -> None:
    """Nobody sends through the slot before `until` (the platform said: wait)."""
    free = (await lock_slots(session, [key], now))[key]
    await set_slots(session, {key: max(free, until)})


async def give_back_slot(
    session: AsyncSession, key: str, planned: list[datetime], gap: timedelta
) -> None:
    """Move the slot back to the first of `planned` if nobody planned after the last of them:
    a compare-and-set, so a reservation made since by anyone else (it moved the slot on) is kept."""
    await session.exec(
        update(RateSlot)
        .where(RateSlot.key == key, RateSlot.next_free_at == max(planned) + gap)
        .values(next_free_at=min(planned))
    )


@cache
def _lock_slots(insert):
    """Built once per dialect: creates the missing slots and locks all, returning their times.

    The no-op update on conflict is what locks an existing row (PostgreSQL takes the row lock
    for it, like SELECT ... FOR UPDATE), in one statement instead of an INSERT and a SELECT.
    """
    table = RateSlot.__table__
    return (
        insert(table)
        .on_conflict_do_update(index_elements=["key"], set_={"next_free_at": table.c.next_free_at})
        .returning(table.c.key, table.c.next_free_at)
    )


UPDATE_SLOTS = (  # executemany, one row per parameter set
    update(RateSlot.__table__)
    .where(RateSlot.__table__.c.key == bindparam("slot"))
    .values(next_free_at=bindparam("free"))
)


async def lock_slots(session: AsyncSession, keys: list[str], now: datetime) -> dict[str, datetime]:
    """The slots' next free times (a new slot is free now), locked until commit so other
    processes queue behind us.

    Locked in key order, so two senders locking overlapping slots cannot deadlock.
    """
    if not keys:
        return {}
    rows = [{"key": key, "next_free_at": now} for key in sorted(keys)]
    return dict((await execute_core(session, _lock_slots(dialect_insert(session)), rows)).all())


async def set_slots(session: AsyncSession, free: dict[str, datetime]) -> None:
    """Move the slots on; the caller holds their locks from lock_slots."""
    if free:
        params = [{"slot": key, "free": at} for key, at in sorted(free.items())]
        await execute_core(session, UPDATE_SLOTS, params)
