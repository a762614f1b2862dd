"""Joining and linking: /start, /thamgia, /ketnoi, /xacnhan."""

from bot import texts
from bot.address import you
from bot.conversations import join
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.handlers.help import help_text
from bot.notices import to_person
from bot.unit_names import hamlet_kind
from db.models import Level, Membership, Person, Role, Team, Unit
from db.units import (
    InviteProblem,
    confirm_membership,
    ensure_team,
    find_invite,
    get_unit,
    save_group_link,
)

INVITE_PROBLEMS = {
    "unknown": texts.INVITE_UNKNOWN,
    "expired": texts.INVITE_EXPIRED,
    "used_up": texts.INVITE_USED_UP,
}


async def start(ctx: Context, args: str) -> list[Reply]:
    """/start: Telegram's deep link carries the invite code; with none, a welcome."""
    if args.strip():
        return await join_team(ctx, args)
    if ctx.person is None and not (ctx.group_unit and ctx.group_unit.level == Level.HAMLET):
        return [Reply(texts.HELP_STRANGER)]
    if ctx.person is None:
        return await join_team(ctx, "")
    return [Reply(await help_text(ctx))]


async def join_team(ctx: Context, args: str) -> list[Reply]:
    """/thamgia CODE, or /thamgia alone in a group linked to a hamlet (joins as a member)."""
    code = args.strip().split()[0] if args.strip() else ""
    invite = None
    if code:
        try:
            invite = await find_invite(ctx.session, code=code)
        except InviteProblem as problem:
            return [Reply(INVITE_PROBLEMS[str(problem)].format(code=code.upper()))]
        unit = await ctx.session.get(Unit, invite.unit_id)
        role = Role(invite.role)
    elif ctx.group_unit is not None:
        unit = ctx.group_unit
        if unit.level != Level.HAMLET:
            return [Reply(texts.JOIN_GROUP_NOT_HAMLET.format(unit=unit.name))]
        role = Role.MEMBER
    elif not ctx.event.is_private:
        return [Reply(texts.JOIN_GROUP_NOT_LINKED)]
    else:
        return [Reply(texts.JOIN_ASK_CODE)]
    team = await ensure_team(ctx.session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
    invite_id = invite.id if invite else None
    return await join.begin(ctx, team=team, unit=unit, role=role, invite_id=invite_id)


async def link_group(ctx: Context, args: str) -> list[Reply]:
    """/ketnoi [CODE]: a leader or official links this group chat to their unit, or an official
    to a unit under theirs by its code. A linked group moves only for who answers for its unit,
    and only by code (a button offers it): /ketnoi alone refreshes the link it has."""
    if ctx.event.is_private:
        return [Reply(texts.LINK_GROUP_ONLY)]
    code = args.strip()
    units = await _linkable_units(ctx, code)
    if isinstance(units, Reply):
        return [units]
    current = ctx.group_unit
    if current is not None and not answers_for(ctx, current):
        return [Reply(texts.LINK_TAKEN.format(unit=current.name))]
    if code:
        unit = units[code]
    elif current is not None:
        unit = current
    elif len(units) > 1:
        choices = tuple(Choice(u.name, f"/ketnoi {u.code}") for u in units.values())
        return [Reply(texts.LINK_WHICH.format(you=texts.capital(you(ctx))), choices=choices)]
    else:
        unit = next(iter(units.values()))
    event = ctx.event
    await save_group_link(
        ctx.session,
        platform=event.platform,
        chat_id=event.chat_id,
        unit_id=unit.id,
        title=event.chat_title,
    )
    kind = await hamlet_kind(ctx.session, unit=unit)
    return [_linked(unit, current, units, kind=kind)]


async def _linkable_units(ctx: Context, code: str) -> dict[str, Unit] | Reply:
    """The units the sender may link a group to, by code (their own, and for an official a unit
    under theirs named by `code`), or the refusal."""
    units = {p.unit.code: p.unit for p in ctx.places if p.leads or p.role == Role.OFFICIAL}
    if code and code not in units:
        unit = await get_unit(ctx.session, code=code)
        if unit is not None and answers_for(ctx, unit):
            units[unit.code] = unit
        elif units:
            return Reply(texts.LINK_UNIT_UNKNOWN.format(code=code, you=you(ctx)))
    return units or Reply(texts.LINK_NOT_ALLOWED)


def _linked(unit: Unit, current: Unit | None, units: dict[str, Unit], *, kind: str) -> Reply:
    """What /ketnoi says once the group is linked to `unit` (`kind`: what its hamlets are)."""
    if current is not None and current.id == unit.id:  # linked again: the title is refreshed
        moves = tuple(
            Choice(texts.BTN_LINK_MOVE.format(unit=u.name), f"/ketnoi {u.code}")
            for u in units.values()
            if u.id != unit.id
        )
        return Reply(texts.LINK_ALREADY.format(unit=unit.name), choices=moves)
    done = texts.LINK_DONE if unit.level == Level.HAMLET else texts.LINK_DONE_COMMUNE
    return Reply(done.format(unit=unit.name, kind=kind))


def answers_for(ctx: Context, unit) -> bool:
    """Whether the sender answers for `unit` (moves its group, confirms its joiners): its own
    leaders, the officials of it or of a unit above it, and admins. A leader cannot take over
    another hamlet's group or the commune's."""
    return ctx.is_admin or any(
        unit.path.startswith(p.unit.path)
        for p in ctx.places
        if p.role == Role.OFFICIAL or (p.leads and p.unit.id == unit.id)
    )


async def confirm_member(ctx: Context, args: str) -> list[Reply]:
    """/xacnhan N: a leader confirms a joiner who was not on the roster; the joiner is told."""
    if not args.strip().isdigit():
        return [Reply(texts.CONFIRM_USAGE)]
    membership = await ctx.session.get(Membership, int(args))
    if membership is None:
        return [Reply(texts.CONFIRM_NOT_ALLOWED)]
    team = await ctx.session.get(Team, membership.team_id)
    unit = await ctx.session.get(Unit, team.unit_id)
    if not answers_for(ctx, unit):
        return [Reply(texts.CONFIRM_NOT_ALLOWED)]
    await confirm_membership(ctx.session, membership=membership)
    person = await ctx.session.get(Person, membership.person_id)
    notices = await to_person(ctx, person.id, texts.CONFIRMED_YOU.format(team=unit.name))
    return [
        Reply(texts.CONFIRMED_MEMBER.format(name=person.display_name, team=unit.name)),
        *notices,
    ]
