"""Saturday's reminder: silent members in private, silent hamlet groups, leaders get the list.

Every message has a dedupe key such as `reminder:2026-W47:person:123`, so even a second run of the
same period enqueues nothing. Private messages go to one identity per person (the first reachable
one); people and groups that cannot be reached get nothing.
"""

from collections import defaultdict
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.core.replies import Reply
from bot.dates import week_period
from db.models import LEADER_ROLES, Unit
from db.outbox import Message
from db.recipients import MemberRow, hamlet_members, silent_hamlet_groups
from scheduler.schedule import REMINDER, enqueue_held, period_key


def _reminder_texts(members: list[MemberRow], week: str) -> dict[int, list[str]]:
    """Per person: their own reminder if they have not reported, and for leaders the silent list."""
    parts: dict[int, list[str]] = defaultdict(list)
    for member in {m.person_id: m for m in members if not m.reported}.values():
        parts[member.person_id].append(texts.REMIND_MEMBER.format(name=member.name, week=week))
    by_team: dict[int, list[MemberRow]] = defaultdict(list)
    for member in members:
        by_team[member.team_id].append(member)
    for team in by_team.values():
        silent = [m for m in team if not m.reported]
        for leader in (m for m in team if m.role in LEADER_ROLES):
            others = [m for m in silent if m.person_id != leader.person_id]
            if not others:
                continue
            names = "\n".join(
                (texts.REMIND_LEADER_LINE if m.platform else texts.REMIND_LEADER_NO_BOT).format(
                    name=m.name
                )
                for m in others
            )
            parts[leader.person_id].append(
                texts.REMIND_LEADER.format(
                    team=leader.team_name,
                    n=len(others),
                    week=week,
                    names=names,
                    you=texts.YOU_RESPECTFUL,  # only leaders and deputies get this
                )
            )
    return parts


async def remind(session: AsyncSession, *, now: datetime, commune: Unit) -> list[int]:
    """Saturday's nudge: silent members in private, silent hamlet groups, leaders get the list."""
    period = week_period(now.date())
    week = f"{period.start:%d/%m}–{period.end:%d/%m}"
    prefix = f"{REMINDER}:{period_key(REMINDER, now.date())}"
    members = await hamlet_members(
        session, commune_id=commune.id, start=period.start, end=period.end
    )
    contacts = {m.person_id: m for m in members}
    messages = [
        Message(
            contacts[person_id].platform,
            contacts[person_id].user_id,
            Reply("\n\n".join(parts)),
            dedupe_key=f"{prefix}:person:{person_id}",
        )
        for person_id, parts in _reminder_texts(members, week).items()
        if contacts[person_id].platform is not None  # unreachable: the leader's list says so
    ]
    silent = await silent_hamlet_groups(
        session, commune_id=commune.id, start=period.start, end=period.end
    )
    messages += [
        Message(
            group.platform,
            group.chat_id,
            Reply(texts.REMIND_GROUP.format(week=week, hamlet=hamlet.name)),
            is_group=True,
            dedupe_key=f"{prefix}:group:{group.id}",
        )
        for group, hamlet in silent
    ]
    return await enqueue_held(session, messages, now=now, commune=commune)
