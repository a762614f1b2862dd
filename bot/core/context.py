"""Who is talking, where, and when: what every handler and flow step receives."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.core.events import Event
from bot.core.replies import Capabilities
from db.models import LEADER_ROLES, ChatGroup, Identity, Membership, Person, Role, Team, Unit


@dataclass
class Place:
    """One of the sender's memberships, with its team and unit loaded."""

    membership: Membership
    team: Team
    unit: Unit

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def leads(self) -> bool:
        return self.role in LEADER_ROLES


@dataclass
class Context:
    session: AsyncSession
    event: Event
    settings: Settings
    capabilities: Capabilities
    now: datetime  # Vietnamese local time
    person: Person | None = None
    places: list[Place] = field(default_factory=list)
    group: ChatGroup | None = None
    group_unit: Unit | None = None
    memo: dict = field(default_factory=dict)  # per-update cache (e.g. the indicator catalogue)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def is_admin(self) -> bool:
        admins = self.settings.admins
        return (
            self.event.user_id in admins or f"{self.event.platform}:{self.event.user_id}" in admins
        )

    @property
    def reporting_places(self) -> list[Place]:
        """Hamlet teams the sender reports for (officials report nothing)."""
        return [p for p in self.places if p.role != Role.OFFICIAL and p.membership.confirmed]

    @property
    def official_places(self) -> list[Place]:
        return [p for p in self.places if p.role == Role.OFFICIAL]

    async def reload(self) -> None:
        """Read the sender's person and memberships again (after joining)."""
        await load_sender(self)


async def load_sender(ctx: Context) -> None:
    """The sender's person with their memberships, and the group's unit: two queries at most."""
    event, session = ctx.event, ctx.session
    rows = (
        await session.exec(
            select(Person, Membership, Team, Unit)
            .join(Identity, Identity.person_id == Person.id)
            .outerjoin(Membership, Membership.person_id == Person.id)
            .outerjoin(Team, Team.id == Membership.team_id)
            .outerjoin(Unit, Unit.id == Team.unit_id)
            .where(Identity.platform == event.platform, Identity.user_id == event.user_id)
            .order_by(Unit.path)
        )
    ).all()
    ctx.person = rows[0][0] if rows else None
    ctx.places = [Place(m, t, u) for _, m, t, u in rows if m is not None]
    ctx.group, ctx.group_unit = None, None
    if not event.is_private:
        row = (
            await session.exec(
                select(ChatGroup, Unit)
                .join(Unit, Unit.id == ChatGroup.unit_id)
                .where(ChatGroup.platform == event.platform, ChatGroup.chat_id == event.chat_id)
            )
        ).first()
        if row is not None:
            ctx.group, ctx.group_unit = row
