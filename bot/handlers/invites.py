"""/moi [vai trò] [số lượt] [mã]: leaders and officials make invite codes, with a Telegram deep link
and its QR code.

- a hamlet's leader or deputy invites members and deputies to their own hamlet;
- an official invites to any unit under theirs: members, deputies and leaders to a hamlet,
  officials to a commune (or above);
- with no unit code, the sender's one unit is used, or a choice is offered;
- in private only: a code posted in a group is anyone's (a hamlet's group joins with /thamgia).
"""

import io

import segno

from bot import texts
from bot.address import you
from bot.attachments import store_attachment
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.handlers.team import managed, pick_unit, refusal
from bot.summary_args import UNIT_CODE
from bot.words import fold
from db.media import PNG
from db.models import Level, Role, Unit
from db.units import create_invite, units_under

MOST_USES = 50
MOST_CHOICES = 12
HAMLET_ROLES = (Role.MEMBER, Role.DEPUTY, Role.LEADER)
LEADER_MAY_INVITE = (Role.MEMBER, Role.DEPUTY)
INVITE_DAYS = 7


async def invite(ctx: Context, args: str) -> list[Reply]:
    """/moi: an invite for the unit, role and number of uses asked (a member by default)."""
    if refused := refusal(ctx, "moi"):
        return refused
    if not ctx.event.is_private:  # a code in a group is anyone's: a hamlet group has /thamgia
        return [Reply(texts.TEAM_PRIVATE_ONLY.format(command="moi"))]
    parsed = _parse(args)
    if isinstance(parsed, Reply):
        return [parsed]
    role, uses, code = parsed
    if not code:
        choices = await _candidates(ctx, role)
        if len(choices) > MOST_CHOICES:
            example = choices[0].code
            text = texts.INVITE_TOO_MANY_UNITS.format(
                role=role.value, uses=uses, code=example, you=texts.capital(you(ctx))
            )
            return [Reply(text)]
        if len(choices) == 1:
            code = choices[0].code
        elif choices:
            buttons = tuple(Choice(u.name, f"/moi {role.value} {uses} {u.code}") for u in choices)
            return [Reply(texts.INVITE_WHICH_UNIT, choices=buttons)]
    unit = await pick_unit(
        ctx, code, command="moi", again=lambda c: f"/moi {role.value} {uses} {c}"
    )
    if isinstance(unit, list):
        return unit
    if problem := _not_allowed(ctx, unit, role):
        return [problem]
    return await _made(ctx, unit, role, uses)


def _parse(args: str) -> tuple[Role, int, str] | Reply:
    """(role, uses, unit code) from "[vai trò] [số lượt] [mã]", in that order, each optional."""
    words = args.split()
    role = Role.MEMBER
    if words and not words[0].isdigit() and not UNIT_CODE.fullmatch(words[0]):
        found = texts.INVITE_ROLE_WORDS.get(fold(words.pop(0)).replace(" ", ""))
        if found is None:
            return Reply(texts.INVITE_ROLE_UNKNOWN.format(word=args.split()[0]))
        role = Role(found)
    uses = 1
    if words and words[0].isdigit() and (len(words) > 1 or len(words[0]) <= 2):
        uses = int(words.pop(0))
        if not 1 <= uses <= MOST_USES:
            return Reply(texts.INVITE_USES_RANGE.format(most=MOST_USES))
    if len(words) > 1 or (words and not UNIT_CODE.fullmatch(words[0])):
        return Reply(texts.INVITE_ROLE_UNKNOWN.format(word=" ".join(words)))
    return role, uses, words[0] if words else ""


def _office(ctx: Context, unit: Unit) -> bool:
    """Whether the sender invites to `unit` as an official (or an admin), not as its leader."""
    return ctx.is_admin or any(unit.path.startswith(p.unit.path) for p in ctx.official_places)


async def _candidates(ctx: Context, role: Role) -> list[Unit]:
    """The units the sender may invite `role` to, when they named none."""
    if role not in HAMLET_ROLES:
        offices = [u for u in managed(ctx) if u.level != Level.HAMLET]
        below = await units_under(ctx.session, paths=[u.path for u in offices], level=Level.COMMUNE)
        return list({u.id: u for u in [*offices, *below]}.values())
    paths = [u.path for u in managed(ctx) if u.level != Level.HAMLET]
    hamlets = await units_under(ctx.session, paths=paths, level=Level.HAMLET)
    led = [u for u in managed(ctx) if u.level == Level.HAMLET]
    return list({u.id: u for u in [*led, *hamlets]}.values())


def _not_allowed(ctx: Context, unit: Unit, role: Role) -> Reply | None:
    """Why this sender may not invite `role` to `unit` (one they run: `pick_unit`), or None."""
    if not _office(ctx, unit) and role not in LEADER_MAY_INVITE:
        return Reply(texts.INVITE_ROLE_NOT_ALLOWED)
    at_hamlet = unit.level == Level.HAMLET
    if at_hamlet != (role in HAMLET_ROLES):
        where = texts.INVITE_WHERE_HAMLET if role in HAMLET_ROLES else texts.INVITE_WHERE_OFFICE
        example = "thanhvien 5" if at_hamlet else f"canbo 1 {unit.code}"
        name = texts.capital(texts.ROLE_NAMES[role])
        return Reply(texts.INVITE_ROLE_WRONG_LEVEL.format(role=name, where=where, example=example))
    return None


async def _made(ctx: Context, unit: Unit, role: Role, uses: int) -> list[Reply]:
    """The invite's code and how to use it; the deep link and its QR where the bot's Telegram
    name is known (TELEGRAM_BOT_USERNAME)."""
    made = await create_invite(ctx.session, unit=unit, role=role, uses=uses, days=INVITE_DAYS)
    until = made.expires_at.astimezone(ctx.settings.zone)
    text = texts.INVITE_CREATED.format(
        role=texts.ROLE_NAMES[role],
        unit=unit.name,
        code=made.code,
        uses=uses,
        until=f"{until:%H:%M %d/%m/%Y}",
    )
    username = ctx.settings.telegram_bot_username.lstrip("@")
    if not username:
        return [Reply(text)]
    link = f"https://t.me/{username}?start={made.code}"
    image = await store_attachment(
        ctx.session,
        data=qr_png(link),
        content_type=PNG,
        filename=texts.INVITE_FILE.format(code=made.code),
        hours=24 * INVITE_DAYS,
    )
    caption = texts.INVITE_QR_CAPTION.format(unit=unit.name)
    return [Reply(f"{text}\n{texts.INVITE_LINK.format(link=link)}"), Reply(caption, image=image)]


def qr_png(text: str) -> bytes:
    """A QR code of `text` as a PNG, large enough to scan from a phone screen."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()
