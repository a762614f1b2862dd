"""Joining a team without counting anyone twice: match the joiner to a roster name first.

begin -> ASKING_WHO (shared phone number, a name from the roster, or "not on the list") -> end

Claiming a roster name gives the joiner that person's reports and roles, so it is guarded:
- a name is offered only while its person has no account on any app (a person already on one
  app joins another only through /lienket from the account they control), and only if the
  person's highest role is no higher than the invite's: picking a name never turns a member
  invite into a leader's or an official's rights;
- a phone number shared through the app's own button (Telegram checks it is the sender's)
  matches the roster row itself, with the roles the roster gives;
- a refused claim is told to the claimed person on every app and to the unit's leaders.
"""

from sqlalchemy import Row

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.core.state import Answer, Step
from bot.notices import sender_and_app, to_person, to_unit_leaders
from bot.privacy import normalize_phone
from db.models import Invite, Person, Role, Team, Unit
from db.people import RosterName, add_identity, lock_unlinked, roster_names
from db.units import ROLE_RANK, InviteProblem, add_membership, take_invite

FLOW = "join"
ASKING_WHO = "who"


async def begin(
    ctx: Context, *, team: Team, unit: Unit, role: Role, invite_id: int | None = None
) -> list[Reply]:
    """Add the sender to the team, asking who they are when the roster has names to claim.

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
    names = await roster_names(ctx.session, team_id=team.id)
    by_phone = ctx.event.is_private and ctx.capabilities.contact_request
    if not _claimable(names, role) and not (by_phone and any(not n.linked for n in names)):
        if refusal := await _take(ctx, invite_id):
            return [refusal]
        person = await _new_person(ctx)
        return [await _add(ctx, person, team, unit, role)]
    data = {"team_id": team.id, "role": role, "invite_id": invite_id}
    await state.start(ctx, FLOW, ASKING_WHO, data)
    question = _names_question(unit, names, role)
    if by_phone:
        return [Reply(texts.JOIN_SHARE_PHONE, request_contact=True), question]
    return [question]


def _claimable(names: list[RosterName], role: Role) -> list[Person]:
    """Roster people a joiner with this role may claim by picking the name."""
    return [n.person for n in names if not n.linked and ROLE_RANK[n.top_role] <= ROLE_RANK[role]]


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


def _names_question(unit: Unit, names: list[RosterName], role: Role, text: str = "") -> Reply:
    choices = [Choice(p.display_name, f"person:{p.id}") for p in _claimable(names, role)]
    choices.append(Choice(texts.BTN_NOT_LISTED, "none"))
    text = text or texts.JOIN_WHO_ARE_YOU.format(team=unit.name)
    if any(n.linked for n in names):
        text = f"{text}\n{texts.JOIN_LINKED_ELSEWHERE}"
    return Reply(text, choices=tuple(choices))


async def _new_person(ctx: Context) -> Person:
    person = Person(display_name=ctx.event.display_name or ctx.event.user_id)
    ctx.session.add(person)
    await ctx.session.flush()
    await _link(ctx, person)
    return person


async def _link(ctx: Context, person: Person) -> None:
    await add_identity(
        ctx.session,
        person_id=person.id,
        platform=ctx.event.platform,
        user_id=ctx.event.user_id,
        name=ctx.event.display_name,
    )


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
        texts.JOIN_WELCOME.format(
            name=person.display_name,
            team=unit.name,
            role=role_name,
            next=texts.WELCOME_NEXT[membership.role],
        )
    )


async def asking_who(ctx: Context, data: dict, answer: Answer) -> Step:
    team = await ctx.session.get(Team, data["team_id"])
    unit = await ctx.session.get(Unit, team.unit_id)
    role = Role(data["role"])
    names = await roster_names(ctx.session, team_id=team.id)
    if answer.contact_phone:
        phone = normalize_phone(answer.contact_phone)
        match = next((n for n in names if phone and n.person.phone == phone), None)
        if match is None:
            text = texts.JOIN_PHONE_NOT_FOUND.format(team=unit.name)
            return Step([_names_question(unit, names, role, text)], ASKING_WHO)
        if match.linked:
            return Step(await _refuse_linked(ctx, unit, match.person), None)
        return await _claim(ctx, data, match.person, team, unit, role)
    choice = answer.choice or ""
    if choice == "none":
        return await _not_listed(ctx, data, team, unit, role)
    if choice.startswith("person:"):
        match = next((n for n in names if str(n.person.id) == choice[7:]), None)
        if match is None or match.linked:
            person = match.person if match else await ctx.session.get(Person, int(choice[7:]))
            return Step(await _refuse_linked(ctx, unit, person), None)
        if match.person not in _claimable(names, role):
            return Step(await _refuse_role(ctx, unit, match, role), None)
        return await _claim(ctx, data, match.person, team, unit, role)
    return Step([_names_question(unit, names, role)], ASKING_WHO)


async def _claim(ctx: Context, data: dict, person: Person, team, unit, role) -> Step:
    """Link the sender to the roster person; the roles are the roster's and the invite's."""
    if not await lock_unlinked(ctx.session, person_id=person.id):  # claimed a moment ago
        return Step(await _refuse_linked(ctx, unit, person), None)
    if refusal := await _take(ctx, data.get("invite_id")):
        return Step([refusal], None)
    await _link(ctx, person)
    return Step([await _add(ctx, person, team, unit, role)], None)


async def _not_listed(ctx: Context, data: dict, team, unit, role) -> Step:
    """A new person, waiting for a leader's confirmation."""
    if refusal := await _take(ctx, data.get("invite_id")):
        return Step([refusal], None)
    person = await _new_person(ctx)
    await _add(ctx, person, team, unit, role, confirmed=False)
    membership = next(p.membership for p in ctx.places if p.team.id == team.id)
    confirm = Choice(
        texts.BTN_CONFIRM_MEMBER.format(name=person.display_name), f"/xacnhan {membership.id}"
    )
    request = texts.LEADER_CONFIRM_REQUEST.format(name=person.display_name, team=unit.name)
    notices = await to_unit_leaders(ctx, unit, request, (confirm,))
    return Step([Reply(texts.JOIN_PENDING.format(team=unit.name)), *notices], None)


async def _refuse_linked(ctx: Context, unit: Unit, person: Person | None) -> list[Reply]:
    """A name that already has an account: refused, and the person and the leaders are told."""
    name = person.display_name if person else "?"
    claimant = sender_and_app(ctx)
    told = []
    if person is not None:
        text = texts.PERSON_CLAIM_ATTEMPT.format(**claimant, name=name, team=unit.name)
        told = await to_person(ctx, person.id, text)
    text = texts.LEADER_NAME_CLAIMED_TWICE.format(**claimant, name=name, team=unit.name)
    notices = await to_unit_leaders(ctx, unit, text, skip=person.id if person else None)
    return [Reply(texts.JOIN_NAME_TAKEN.format(name=name)), *told, *notices]


async def _refuse_role(ctx: Context, unit: Unit, match: RosterName, role: Role) -> list[Reply]:
    """A leader's or official's name picked with a lesser invite: refused, leaders told."""
    top, name = texts.ROLE_NAMES[match.top_role], match.person.display_name
    text = texts.LEADER_ROLE_CLAIM_REFUSED.format(
        **sender_and_app(ctx),
        name=name,
        role=top,
        team=unit.name,
        invite_role=texts.ROLE_NAMES[role],
    )
    notices = await to_unit_leaders(ctx, unit, text)
    return [Reply(texts.JOIN_NAME_NEEDS_INVITE.format(name=name, role=top)), *notices]


STEPS = {ASKING_WHO: asking_who}
