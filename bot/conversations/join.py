"""Joining a team without counting anyone twice: match the joiner to a roster name first.

begin -> ASKING_WHO (shared phone number, a name from the roster, or "not on the list") -> end
"""

from sqlalchemy import Row
from sqlmodel import select

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.core.state import Answer, Step
from bot.parsing import normalize_phone
from db.models import LEADER_ROLES, Identity, Invite, Membership, Person, Role, Team, Unit
from db.units import ROLE_RANK, InviteProblem, add_membership, take_invite

FLOW = "join"
ASKING_WHO = "who"


async def begin(
    ctx: Context, *, team: Team, unit: Unit, role: Role, invite_id: int | None = None
) -> list[Reply]:
    """Add the sender to the team, asking who they are when the roster has unlinked names.

    The invite's use is counted only as someone is added with it (`_take`): a member who sends
    the code again, or leaves the roster question unanswered, does not use up a place."""
    if ctx.person is not None:
        place = next((p for p in ctx.places if p.team.id == team.id), None)
        if place is not None and ROLE_RANK[place.role] >= ROLE_RANK[role]:
            role_name = texts.ROLE_NAMES[place.role]
            return [Reply(texts.JOIN_ALREADY.format(role=role_name, team=unit.name))]
        if refusal := await _take(ctx, invite_id):
            return [refusal]
        return [await _add(ctx, ctx.person, team, unit, role)]
    unlinked = await _unlinked(ctx, team)
    if not unlinked:
        if refusal := await _take(ctx, invite_id):
            return [refusal]
        person = await _new_person(ctx)
        return [await _add(ctx, person, team, unit, role)]
    data = {"team_id": team.id, "role": role, "invite_id": invite_id}
    await state.start(ctx, FLOW, ASKING_WHO, data)
    names = _names_question(team, unit, unlinked)
    if ctx.event.is_private and ctx.capabilities.contact_request:
        return [Reply(texts.JOIN_SHARE_PHONE, request_contact=True), names]
    return [names]


async def _take(ctx: Context, invite_id: int | None) -> Reply | None:
    """Count a use of the invite the sender joins with; the refusal if its last use just went."""
    if invite_id is None:
        return None
    try:
        await take_invite(ctx.session, invite_id=invite_id)
    except InviteProblem:
        invite = await ctx.session.get(Invite, invite_id)
        return Reply(texts.INVITE_USED_UP.format(code=invite.code))
    return None


async def _unlinked(ctx: Context, team: Team) -> list[Person]:
    """Roster people of the team with no identity yet on this platform."""
    linked = select(Identity.person_id).where(Identity.platform == ctx.event.platform)
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team.id, Membership.confirmed, Person.id.not_in(linked))
        .order_by(Person.display_name)
    )
    return list((await ctx.session.exec(query)).all())


def _names_question(team: Team, unit: Unit, people: list[Person], text: str = "") -> Reply:
    choices = [Choice(p.display_name, f"person:{p.id}") for p in people]
    choices.append(Choice(texts.BTN_NOT_LISTED, "none"))
    return Reply(text or texts.JOIN_WHO_ARE_YOU.format(team=unit.name), choices=tuple(choices))


async def _new_person(ctx: Context) -> Person:
    person = Person(display_name=ctx.event.display_name or ctx.event.user_id)
    ctx.session.add(person)
    await ctx.session.flush()
    await _link(ctx, person)
    return person


async def _link(ctx: Context, person: Person) -> None:
    ctx.session.add(
        Identity(
            person_id=person.id,
            platform=ctx.event.platform,
            user_id=ctx.event.user_id,
            display_name=ctx.event.display_name,
        )
    )
    await ctx.session.flush()


async def _add(
    ctx: Context,
    person: Person | Row,  # a roster person, or the sender's read-only row (ctx.person)
    team: Team,
    unit: Unit,
    role: Role,
    confirmed: bool = True,
) -> Reply:
    membership = await add_membership(
        ctx.session, person=person, team=team, role=role, confirmed=confirmed
    )
    await ctx.reload()
    role_name = texts.ROLE_NAMES[membership.role]
    return Reply(
        texts.JOIN_WELCOME.format(name=person.display_name, team=unit.name, role=role_name)
    )


async def leader_notices(ctx: Context, team: Team, text: str, choices=()) -> list[Reply]:
    """Private messages to the team's leaders and deputies, one per leader."""
    rows = await ctx.session.exec(
        select(Identity)
        .join(Membership, Membership.person_id == Identity.person_id)
        .where(Membership.team_id == team.id, Membership.role.in_(list(LEADER_ROLES)))
        .order_by(Identity.person_id, Identity.id)
    )
    seen, notices = set(), []
    for identity in rows.all():
        if identity.person_id not in seen:
            seen.add(identity.person_id)
            notices.append(
                Reply(
                    text,
                    choices=tuple(choices),
                    private_to=f"{identity.platform}:{identity.user_id}",
                )
            )
    return notices


async def asking_who(ctx: Context, data: dict, answer: Answer) -> Step:
    team = await ctx.session.get(Team, data["team_id"])
    unit = await ctx.session.get(Unit, team.unit_id)
    role = Role(data["role"])
    unlinked = await _unlinked(ctx, team)
    if answer.contact_phone:
        phone = normalize_phone(answer.contact_phone)
        match = next((p for p in unlinked if phone and p.phone == phone), None)
        if match is None:
            text = texts.JOIN_PHONE_NOT_FOUND.format(team=unit.name)
            return Step([_names_question(team, unit, unlinked, text)], ASKING_WHO)
        if refusal := await _take(ctx, data.get("invite_id")):
            return Step([refusal], None)
        await _link(ctx, match)
        return Step([await _add(ctx, match, team, unit, role)], None)
    choice = answer.choice or ""
    if choice == "none":
        if refusal := await _take(ctx, data.get("invite_id")):
            return Step([refusal], None)
        person = await _new_person(ctx)
        await _add(ctx, person, team, unit, role, confirmed=False)
        membership = next(p.membership for p in ctx.places if p.team.id == team.id)
        confirm = Choice(
            texts.BTN_CONFIRM_MEMBER.format(name=person.display_name), f"/xacnhan {membership.id}"
        )
        notices = await leader_notices(
            ctx,
            team,
            texts.LEADER_CONFIRM_REQUEST.format(name=person.display_name, team=unit.name),
            [confirm],
        )
        return Step([Reply(texts.JOIN_PENDING.format(team=unit.name)), *notices], None)
    if choice.startswith("person:"):
        person = await ctx.session.get(Person, int(choice[7:]))
        if person is None or person.id not in {p.id for p in unlinked}:
            name = person.display_name if person else "?"
            notices = await leader_notices(
                ctx,
                team,
                texts.LEADER_NAME_CLAIMED_TWICE.format(
                    display=ctx.event.display_name, name=name, team=unit.name
                ),
            )
            return Step([Reply(texts.JOIN_NAME_TAKEN.format(name=name)), *notices], None)
        if refusal := await _take(ctx, data.get("invite_id")):
            return Step([refusal], None)
        await _link(ctx, person)
        return Step([await _add(ctx, person, team, unit, role)], None)
    return Step([_names_question(team, unit, unlinked)], ASKING_WHO)


STEPS = {ASKING_WHO: asking_who}
