"""/chuabaocao, /thanhvien and /ghichu: leaders and officials see their teams' members.

Who sees what (`scope`):
- a hamlet's leader or deputy sees their hamlet only; an official every hamlet under their unit;
  an admin any unit by code;
- members (and strangers) are told who may use these commands: a member never sees who else has
  not reported;
- in a group only counts are shown, never a name (recognition, not shaming); /thanhvien and
  /ghichu, which name people, answer in private only.
"""

from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.address import you
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.dates import Period
from bot.drives import overdue_lines
from bot.handlers.summary import find_unit
from bot.summary_args import period_token, read_period, split_code
from bot.words import ParseError, fold
from db.indicators import active_indicators
from db.models import Level, Unit
from db.outbox import Message, enqueue_many
from db.team import MemberStatus, NoteRow, member_statuses, member_totals, notes_and_photos
from db.units import units_under


@dataclass(frozen=True)
class Scope:
    """The unit asked about and its hamlets; `names`: whether this chat may show people's names."""

    unit: Unit
    hamlets: list[Unit]
    names: bool

    @property
    def hamlet_ids(self) -> list[int]:
        return [hamlet.id for hamlet in self.hamlets]


# --- who may see what ---
def managed(ctx: Context) -> list[Unit]:
    """The units the sender runs: official units first, then hamlets they lead not under those."""
    units = {p.unit.id: p.unit for p in ctx.official_places}
    for place in ctx.places:
        inside = any(place.unit.path.startswith(u.path) for u in units.values())
        if place.leads and place.membership.confirmed and not inside:
            units[place.unit.id] = place.unit
    return list(units.values())


def manages(ctx: Context, unit: Unit) -> bool:
    """Whether the sender runs `unit`: an admin, an official over it, or its leader or deputy."""
    if ctx.is_admin or any(unit.path.startswith(p.unit.path) for p in ctx.official_places):
        return True
    return any(p.leads and p.membership.confirmed and p.unit.id == unit.id for p in ctx.places)


def refusal(ctx: Context, command: str) -> list[Reply] | None:
    """The answer to someone who may not use a team command, or None."""
    if ctx.person is None and not ctx.is_admin:
        return [Reply(texts.NOT_JOINED)]
    if not managed(ctx) and not ctx.is_admin:
        return [Reply(texts.TEAM_LEADERS_ONLY.format(command=command))]
    return None


async def pick_unit(ctx: Context, code: str, *, command: str, again) -> Unit | list[Reply]:
    """The unit `code` names, else the one the sender runs, else a choice (`again(code)`)."""
    mine = managed(ctx)
    if code:
        unit = await find_unit(ctx, code)
        if unit is None:
            example = mine[0].code if mine else "28468"
            reply = texts.FIGURES_UNIT_UNKNOWN.format(code=code, command=command, example=example)
            return [Reply(reply)]
        if not manages(ctx, unit):
            names = ", ".join(u.name for u in mine)
            return [
                Reply(
                    texts.TEAM_NOT_YOURS.format(
                        unit=unit.name, mine=names, you=texts.capital(you(ctx))
                    )
                )
            ]
        return unit
    if not mine:  # an admin with no unit of their own
        return [Reply(texts.FIGURES_NAME_A_UNIT.format(command=command, example="28468"))]
    if len(mine) > 1:
        choices = tuple(Choice(u.name, again(u.code)) for u in mine)
        return [Reply(texts.FIGURES_WHICH_UNIT, choices=choices)]
    return mine[0]


async def hamlets_of(ctx: Context, unit: Unit) -> list[Unit]:
    if unit.level == Level.HAMLET:
        return [unit]
    return await units_under(ctx.session, paths=[unit.path], level=Level.HAMLET)


async def scope(
    ctx: Context, code: str, *, command: str, again, private_only: bool = False
) -> Scope | list[Reply]:
    """What a team command may show here, or the replies that refuse or ask which unit."""
    if refused := refusal(ctx, command):
        return refused
    if not ctx.event.is_private:
        if private_only:
            return [Reply(texts.TEAM_PRIVATE_ONLY.format(command=command))]
        return await _group_scope(ctx)
    unit = await pick_unit(ctx, code, command=command, again=again)
    if isinstance(unit, list):
        return unit
    return Scope(unit, await hamlets_of(ctx, unit), names=True)


async def _group_scope(ctx: Context) -> Scope | list[Reply]:
    """In a group: the group's unit if the sender runs it, else the hamlets they lead in it."""
    unit = ctx.group_unit
    if unit is None:
        return [Reply(texts.FIGURES_GROUP_NOT_LINKED)]
    if manages(ctx, unit):
        return Scope(unit, await hamlets_of(ctx, unit), names=False)
    led = [u for u in managed(ctx) if u.path.startswith(unit.path)]
    if not led:
        return [Reply(texts.TEAM_GROUP_NOT_YOURS.format(unit=unit.name, you=you(ctx)))]
    return Scope(led[0], led, names=False)


async def _asked(
    ctx: Context, args: str, command: str, *, private_only: bool
) -> tuple[Period, Scope] | list[Reply]:
    """The period and the scope `/command [kỳ] [mã]` asks about, or the replies that refuse it,
    say what to type or ask which unit (each choice asks again for the same period)."""
    rest, code = split_code(args)
    try:
        period = read_period(rest, ctx.today)
    except ParseError as error:
        return [Reply(error.message)]
    again = lambda c: f"/{command} {period_token(period)} {c}"  # noqa: E731
    found = await scope(ctx, code, command=command, again=again, private_only=private_only)
    if isinstance(found, list):
        return found
    return period, found


# --- /chuabaocao ---
async def not_reported(ctx: Context, args: str) -> list[Reply]:
    """/chuabaocao [kỳ] [mã]: who has not reported; «Nhắc họ» reminds them privately."""
    words = args.split()
    nudge = bool(words) and fold(words[0]) in texts.NUDGE_WORDS
    rest = " ".join(words[1:] if nudge else words)
    asked = await _asked(ctx, rest, "chuabaocao", private_only=nudge)
    if isinstance(asked, list):
        return asked
    period, found = asked
    members = await member_statuses(
        ctx.session, unit_ids=found.hamlet_ids, start=period.start, end=period.end
    )
    if not members:
        return [Reply(texts.TEAM_NO_MEMBERS.format(unit=found.unit.name))]
    if nudge:
        return [Reply(await _nudge(ctx, period, members))]
    text = _missing_text(found, period, members)
    overdue = await overdue_lines(
        ctx.session, hamlet_ids=found.hamlet_ids, today=ctx.today, names=found.names
    )
    text = "\n".join([text, *overdue])
    current = period.end >= ctx.today
    if found.names and current and _to_nudge(ctx, members):
        data = f"/chuabaocao {texts.NUDGE_COMMAND} {period_token(period)} {found.unit.code}"
        return [Reply(text, choices=(Choice(texts.BTN_NUDGE, data),))]
    return [Reply(text)]


def _missing_text(found: Scope, period: Period, members: list[MemberStatus]) -> str:
    """Counts, per hamlet where there are several; names only where `found.names`."""
    silent = [m for m in members if not m.reported]
    lines = [texts.MISSING_HEADER.format(unit=found.unit.name, period=texts.capital(period.label))]
    if not silent:
        return "\n".join([*lines, texts.MISSING_ALL_DONE.format(total=len(members))])
    lines.append(texts.MISSING_COUNT.format(missing=len(silent), total=len(members)))
    done = []
    for hamlet in found.hamlets:
        hamlet_members = [m for m in members if m.unit_id == hamlet.id]
        hamlet_silent = [m for m in hamlet_members if not m.reported]
        if not hamlet_silent:
            done += [hamlet.name] if hamlet_members else []
            continue
        if len(found.hamlets) > 1:
            count = texts.MISSING_HAMLET.format(
                hamlet=hamlet.name, missing=len(hamlet_silent), total=len(hamlet_members)
            )
            lines.append(f"\n{count}" if found.names else f"• {count}")
        if found.names:
            lines += [_name_line(m) for m in hamlet_silent]
    if done and len(found.hamlets) > 1:
        lines.append(
            ("\n" if found.names else "")
            + texts.MISSING_HAMLET_DONE.format(hamlets=", ".join(done))
        )
    if not found.names:
        lines.append(texts.MISSING_GROUP_CHEER)
    return "\n".join(lines)


def _name_line(member: MemberStatus) -> str:
    line = texts.MISSING_NAME if member.platform else texts.MISSING_NAME_NO_BOT
    return line.format(name=member.name)


def _to_nudge(ctx: Context, members: list[MemberStatus]) -> dict[int, MemberStatus]:
    """The silent members the bot can reach, one row per person, the sender left out."""
    me = ctx.person.id if ctx.person is not None else None
    return {m.person_id: m for m in members if not m.reported and m.platform and m.person_id != me}


async def _nudge(ctx: Context, period: Period, members: list[MemberStatus]) -> str:
    """Remind the silent members privately now, each at most once a day (the outbox's dedupe key
    `nudge:<day>:person:<id>` is the day's record)."""
    if period.end < ctx.today:
        return texts.NUDGE_ONLY_NOW
    targets = _to_nudge(ctx, members)
    unreachable = {m.person_id for m in members if not m.reported and not m.platform}
    if not targets and not unreachable:
        return texts.NUDGE_NOBODY
    label = texts.capital(period.label)
    messages = [
        Message(
            m.platform,
            m.user_id,
            Reply(texts.NUDGE_MEMBER.format(name=m.name, period=label)),
            dedupe_key=f"nudge:{ctx.today.isoformat()}:person:{m.person_id}",
        )
        for m in targets.values()
    ]
    sent = len(await enqueue_many(ctx.session, messages))
    lines = [texts.NUDGE_SENT.format(n=sent)]
    if len(messages) > sent:
        lines.append(texts.NUDGE_ALREADY.format(n=len(messages) - sent))
    if unreachable:
        lines.append(texts.NUDGE_UNREACHABLE.format(n=len(unreachable)))
    return "\n".join(lines)


# --- /thanhvien ---
async def members(ctx: Context, args: str) -> list[Reply]:
    """/thanhvien [kỳ] [mã], in private: each member's totals and the date of their last report."""
    asked = await _asked(ctx, args, "thanhvien", private_only=True)
    if isinstance(asked, list):
        return asked
    period, found = asked
    bounds = {"unit_ids": found.hamlet_ids, "start": period.start, "end": period.end}
    people = await member_statuses(ctx.session, **bounds)
    if not people:
        return [Reply(texts.TEAM_NO_MEMBERS.format(unit=found.unit.name))]
    totals = await member_totals(ctx.session, **bounds)
    labels = [(i.code, texts.short_label(i)) for i in await active_indicators(ctx.session)]
    lines = [texts.MEMBERS_HEADER.format(unit=found.unit.name, period=texts.capital(period.label))]
    for hamlet in found.hamlets:
        here = [m for m in people if m.unit_id == hamlet.id]
        if here and len(found.hamlets) > 1:
            lines.append(texts.MEMBERS_HAMLET.format(hamlet=hamlet.name, count=len(here)))
        lines += [_member_line(m, totals.get((m.person_id, m.unit_id), {}), labels) for m in here]
    return [Reply("\n".join(lines))]


def _member_line(member: MemberStatus, counts: dict[str, int], labels) -> str:
    shown = " · ".join(f"{label} {counts[code]}" for code, label in labels if counts.get(code))
    role = (
        ""
        if member.role == "thanhvien"
        else texts.MEMBERS_ROLE.format(role=texts.ROLE_NAMES[member.role])
    )
    return texts.MEMBERS_LINE.format(
        name=member.name,
        role=role,
        counts=shown or texts.MEMBERS_NOTHING,
        last=_day(member.last_report) if member.last_report else texts.MEMBERS_NEVER,
    )


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- /ghichu, the «Xem ghi chú & ảnh» view ---
async def notes(ctx: Context, args: str) -> list[Reply]:
    """/ghichu [kỳ] [mã], in private: the period's notes and photos, by hamlet."""
    asked = await _asked(ctx, args, "ghichu", private_only=True)
    if isinstance(asked, list):
        return asked
    period, found = asked
    rows = await notes_and_photos(
        ctx.session, unit_ids=found.hamlet_ids, start=period.start, end=period.end
    )
    lines = [texts.NOTES_HEADER.format(unit=found.unit.name, period=period.label)]
    if not rows:
        return [Reply("\n".join([*lines, texts.NOTES_NONE]))]
    for hamlet in found.hamlets:
        here = [row for row in rows if row.unit_id == hamlet.id]
        if here and len(found.hamlets) > 1:
            lines.append(texts.NOTES_HAMLET.format(hamlet=hamlet.name))
        lines += [_note_line(row) for row in here]
    return [Reply("\n".join(lines))]


def _note_line(row: NoteRow) -> str:
    """A note (masked when it was stored) and its photo: a link where the photo is one (Zalo's),
    else which app holds it (a Telegram file id is no link anyone can open)."""
    line = texts.NOTES_LINE.format(
        day=f"{row.activity_date:%d/%m}", name=row.person_name, note=row.note or texts.NOTES_NO_TEXT
    )
    if not row.photo_ref:
        return line
    app, _, ref = row.photo_ref.partition(":")  # "zalo:https://…", "telegram:<file id>"
    if ref.startswith(("https://", "http://")):
        photo = texts.NOTES_PHOTO_LINK.format(link=ref)
    else:
        photo = texts.NOTES_PHOTO_HELD.format(app=texts.APP_NAMES.get(app, app))
    return f"{line}\n  {photo}"
