"""Talk to the core directly: an Event into `bot.router.handle`, replies out, one committed
transaction per message, at a fixed clock so no test depends on when it runs.

The channels here are neutral capability sets, not adapters: bot/ never asks which platform.
"""

import itertools
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from bot import texts
from bot.attachments import draw_renders, reserve_renders
from bot.batch import write_queued
from bot.core.channel import Capabilities
from bot.core.events import ChatKind, Event
from bot.core.replies import Reply
from bot.router import handle
from config import get_settings
from db.models import ChatGroup, Conversation, Identity, Person, Report, Role
from db.reports import report_counts
from db.session import session_scope
from db.units import add_membership, ensure_team
from tests.clock import NOW, VN
from tests.helpers import Seed, seed_commune

BUTTONS = Capabilities(buttons=True, max_text=4096, files=True, contact_request=True)
NUMBERED = Capabilities(buttons=False, max_text=2000, files=False)
PLATFORM = "chat"  # any name: the core never reads it
GROUP = "g-hamlet"  # the Ấp Tân Hòa group chat, linked by `linked_group`
WEDNESDAY = NOW  # 18/11/2026 10:00, the week 16/11–22/11
MONDAY = datetime(2026, 11, 16, 8, 30, tzinfo=VN)
# users: An leads Ấp Tân Hòa, Bình is a member there, Cường leads Ấp Phú Thạnh and the official
# ("canbo") is at Xã Tân Phú; "stranger" never joined.
AN, BINH, CUONG, OFFICIAL, STRANGER = "u-an", "u-binh", "u-cuong", "u-official", "u-stranger"
NAMES = {AN: "Nguyễn Văn An", BINH: "Trần Thị Bình", CUONG: "Lê Văn Cường"}
_keys = itertools.count(1)


async def commune() -> Seed:
    """Xã Tân Phú with two hamlets (tests.helpers.seed_commune), each person with an identity."""
    seed = await seed_commune()
    async with session_scope() as session:
        official = Person(display_name="Phạm Cán Bộ")
        session.add(official)
        await session.flush()
        await add_membership(
            session,
            person=official,
            team=await ensure_team(
                session, unit=seed.commune, name=texts.TEAM_NAME.format(unit=seed.commune.name)
            ),
            role=Role.OFFICIAL,
        )
        seed.people["official"] = official
        for user, name in NAMES.items():
            session.add(Identity(person_id=seed.people[name].id, platform=PLATFORM, user_id=user))
        session.add(Identity(person_id=official.id, platform=PLATFORM, user_id=OFFICIAL))
        await session.commit()
    return seed


async def linked_group(seed: Seed) -> None:
    """Link GROUP to Ấp Tân Hòa."""
    async with session_scope() as session:
        session.add(ChatGroup(platform=PLATFORM, chat_id=GROUP, unit_id=seed.hamlets[0].id))
        await session.commit()


@dataclass
class Dialogue:
    """One channel's view of the core: `say` sends an event and returns the replies."""

    capabilities: Capabilities = BUTTONS
    now: datetime = WEDNESDAY
    settings = get_settings()

    async def say(
        self,
        user: str,
        text: str = "",
        *,
        choice: str | None = None,
        group: bool = False,
        photo: str | None = None,
        contact: str | None = None,
    ) -> list[Reply]:
        event = Event(
            platform=PLATFORM,
            chat_id=GROUP if group else user,
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            user_id=user,
            display_name=NAMES.get(user, user),
            update_key=f"k{next(_keys)}",
            text=text,
            choice=choice,
            photo_ref=photo,
            contact_phone=contact,
        )
        async with session_scope() as session:
            replies = await handle(
                session,
                event,
                capabilities=self.capabilities,
                settings=self.settings,
                now=self.now,
            )
            await write_queued(session)
            renders = await reserve_renders(session)
            await session.commit()
        await draw_renders(renders)  # as the inbox does: files drawn after the commit
        return replies

    async def text(self, user: str, text: str = "", **kwargs) -> str:
        """The replies' texts, one per line."""
        return "\n".join(reply.text for reply in await self.say(user, text, **kwargs))


def data_of(reply: Reply) -> list[str]:
    return [choice.data for choice in reply.choices]


async def open_flows() -> list[tuple[str, str, str]]:
    """(user, flow, step) of every stored conversation."""
    async with session_scope() as session:
        rows = (await session.exec(select(Conversation).order_by(Conversation.user_id))).all()
    return [(row.user_id, row.flow, row.step) for row in rows]


async def reports() -> list[Report]:
    async with session_scope() as session:
        return list((await session.exec(select(Report).order_by(Report.id))).all())


async def counts_of(report_id: int) -> dict[str, int]:
    async with session_scope() as session:
        return await report_counts(session, report_id=report_id)
