"""/thongbao: an official sends a notice for their unit, a leader for their hamlet.

ASKING_TEXT (unless typed after the command) -> ASKING_AUDIENCE -> ASKING_MODE, then sent.
Nothing is stored before the last choice. Notices go out as outbox rows (the usual pacing),
held during the commune's quiet hours unless urgent; each has a dedupe key, so every group or
person gets it once.
"""

import re
from datetime import UTC

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.dates import quiet_end
from db.announcements import create_announcement, groups_under, people_under
from db.models import LEADER_ROLES, MEMBER_ROLES, Announcement, Level, Unit
from db.outbox import JOB, Message, enqueue_many
from db.schedule import job_setting

FLOW = "notice"
ASKING_TEXT, ASKING_AUDIENCE, ASKING_MODE = "text", "audience", "mode"
GROUPS, MEMBERS, LEADERS = "groups", "members", "leaders"
AUDIENCES = {
    GROUPS: texts.BTN_TO_GROUPS,
    MEMBERS: texts.BTN_TO_MEMBERS,
    LEADERS: texts.BTN_TO_LEADERS,
}
MODES = {  # choice -> (ask for «Đã nhận», urgent)
    "send": (False, False),
    "ack": (True, False),
    "urgent": (False, True),
    "urgent_ack": (True, True),
}
MODE_LABELS = {
    "send": texts.BTN_SEND,
    "ack": texts.BTN_SEND_ACK,
    "urgent": texts.BTN_SEND_URGENT,
    "urgent_ack": texts.BTN_SEND_URGENT_ACK,
}
LINK = re.compile(r"https?://\S+")


def sending_unit(ctx: Context):
    """The unit the sender speaks for: an official's unit first, else a hamlet they lead."""
    places = ctx.official_places or [p for p in ctx.places if p.leads and p.membership.confirmed]
    return places[0].unit if places else None


async def begin(ctx: Context, text: str) -> list[Reply]:
    """Open the flow, at the audience when the text came with the command."""
    unit = sending_unit(ctx)
    if unit is None:
        return [Reply(texts.NOTICE_NOT_ALLOWED)]
    data = {"unit_id": unit.id, "unit": unit.name}
    if not text:
        await state.start(ctx, FLOW, ASKING_TEXT, data)
        return [Reply(texts.NOTICE_ASK_TEXT.format(unit=unit.name), choices=(CANCEL,))]
    data["text"] = text
    await state.start(ctx, FLOW, ASKING_AUDIENCE, data)
    return [_audience_question(data)]


def _audience_question(data: dict) -> Reply:
    choices = tuple(Choice(label, f"to:{key}") for key, label in AUDIENCES.items())
    return Reply(texts.NOTICE_ASK_AUDIENCE.format(unit=data["unit"]), choices=(*choices, CANCEL))


def _mode_question() -> Reply:
    choices = tuple(Choice(label, f"mode:{key}") for key, label in MODE_LABELS.items())
    return Reply(texts.NOTICE_ASK_MODE, choices=(*choices, CANCEL))


async def asking_text(ctx: Context, data: dict, answer: Answer) -> Step:
    if not answer.text.strip():
        return Step([Reply(texts.NOTICE_TEXT_EMPTY)], ASKING_TEXT)
    data["text"] = answer.text.strip()
    return Step([_audience_question(data)], ASKING_AUDIENCE)


async def asking_audience(ctx: Context, data: dict, answer: Answer) -> Step:
    audience = (answer.choice or "").removeprefix("to:")
    if audience not in AUDIENCES:
        return Step([_audience_question(data)], ASKING_AUDIENCE)
    data["audience"] = audience
    return Step([_mode_question()], ASKING_MODE)


async def asking_mode(ctx: Context, data: dict, answer: Answer) -> Step:
    mode = (answer.choice or "").removeprefix("mode:")
    if mode not in MODES:
        return Step([_mode_question()], ASKING_MODE)
    ask_ack, urgent = MODES[mode]
    return Step(await send(ctx, data, ask_ack=ask_ack, urgent=urgent), None)


async def send(ctx: Context, data: dict, *, ask_ack: bool, urgent: bool) -> list[Reply]:
    """Store the notice and queue it for its audience; nothing is stored when nobody is there."""
    unit = await ctx.session.get(Unit, data["unit_id"])
    audience = data["audience"]
    groups = await groups_under(ctx.session, path=unit.path) if audience == GROUPS else []
    people = [] if audience == GROUPS else await recipients(ctx, unit, audience)
    reachable = [p for p in people if p[3] is not None]
    if not groups and not reachable:
        return [Reply(texts.NOTICE_NOBODY)]
    link = LINK.search(data["text"])
    notice = await create_announcement(
        ctx.session,
        unit_id=unit.id,
        sender_id=ctx.person.id,
        audience=audience,
        text=data["text"],
        link=link.group(0) if link else None,
        ask_ack=ask_ack,
        urgent=urgent,
        created_at=ctx.now.astimezone(UTC),
    )
    group_reply = notice_reply(notice, unit.name, ctx.person.display_name)
    messages = [
        Message(
            g.platform, g.chat_id, group_reply, True, f"notice:{notice.id}:{g.platform}:{g.chat_id}"
        )
        for g in groups
    ]
    held = await deliver(ctx, notice, unit, reachable, messages, key="notice")
    where = texts.NOTICE_WHERE_GROUPS if groups else texts.NOTICE_WHERE_PEOPLE
    lines = [
        texts.NOTICE_SENT.format(number=notice.id, where=where.format(n=len(groups or reachable)))
    ]
    if held is not None:
        lines.append(texts.NOTICE_SENT_HELD.format(time=f"{held:%H:%M %d/%m}"))
    if ask_ack:
        lines.append(texts.NOTICE_SENT_ACK.format(number=notice.id))
    return [Reply("\n".join(lines))]


async def recipients(ctx: Context, unit, audience: str) -> list[tuple]:
    """(person id, name, hamlet, platform, user id) of who a private notice is for, the sender
    left out: every member, or the leaders and deputies only."""
    roles = [r.value for r in LEADER_ROLES] if audience == LEADERS else list(MEMBER_ROLES)
    people = await people_under(ctx.session, path=unit.path, roles=roles)
    return [p for p in people if p[0] != ctx.person.id]


def notice_reply(notice: Announcement, unit: str, sender: str, *, reminder: bool = False) -> Reply:
    """The notice as its readers see it, with the «Đã nhận» choice when it asks for one."""
    lines = [texts.NOTICE_URGENT] if notice.urgent else []
    if reminder:
        lines.append(texts.NOTICE_REMINDER)
    lines += [texts.NOTICE_HEADER.format(number=notice.id, unit=unit, sender=sender), notice.text]
    if not notice.ask_ack:
        return Reply("\n".join(lines))
    lines.append(texts.NOTICE_ASK_ACK.format(number=notice.id))
    return Reply("\n".join(lines), choices=(Choice(texts.BTN_ACK, f"/danhan {notice.id}"),))


async def deliver(
    ctx: Context,
    notice: Announcement,
    unit,
    people: list[tuple],
    messages: list[Message],
    *,
    key: str,
):
    """Queue the notice to these people (and `messages`) as job rows, held during quiet hours
    unless urgent; returns when they will go if held. A private «Đã nhận» can be typed as its
    number (`state.offer`)."""
    sender = ctx.person.display_name
    reply = notice_reply(notice, unit.name, sender, reminder=key != "notice")
    private = [Reply(reply.text, choices=reply.choices, private_to=address_of(p)) for p in people]
    messages = messages + [
        Message(p[3], p[4], reply, False, f"{key}:{notice.id}:{p[3]}:{p[4]}") for p in people
    ]
    commune_id = unit.parent_id if unit.level == Level.HAMLET else unit.id
    held = None
    if not notice.urgent:
        held = quiet_end(ctx.now, await job_setting(ctx.session, commune_id=commune_id))
    await enqueue_many(ctx.session, messages, priority=JOB, not_before=held)
    await state.offer(ctx.session, private)
    return held


def address_of(person: tuple) -> str:
    """`private_to` of a (person id, name, hamlet, platform, user id) row."""
    return f"{person[3]}:{person[4]}"


STEPS = {ASKING_TEXT: asking_text, ASKING_AUDIENCE: asking_audience, ASKING_MODE: asking_mode}
