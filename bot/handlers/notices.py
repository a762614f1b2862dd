"""/thongbao and /danhan: notices to a unit's groups, members or leaders, and who received them.

/thongbao                 the recent notices (and «Gửi thông báo mới» for who may send)
/thongbao nội dung        a new notice: then who it goes to and how (bot.conversations.notice)
/thongbao 12              who acknowledged notice 12, by hamlet; «Nhắc» reminds the rest once
/danhan 12                «Đã nhận» (a button; on Zalo the number of the choice)
"""

from datetime import UTC
from itertools import groupby

from bot import texts
from bot.conversations import notice as flow
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.handlers.join import answers_for
from bot.words import fold
from db.announcements import acked_people, add_ack, recent_announcements
from db.models import Announcement, Unit

NEW = "moi"  # «Gửi thông báo mới»: /thongbao moi
PREVIEW = 60


async def notices(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if ctx.person is None:
        return [Reply(texts.HELP_STRANGER)]
    if not words:
        return await _recent(ctx)
    if len(words) == 1 and words[0].isdigit():
        return await _status(ctx, int(words[0]))
    if len(words) == 2 and fold(words[0]) in texts.NOTICE_REMIND_WORDS and words[1].isdigit():
        return await _remind(ctx, int(words[1]))
    return await flow.begin(ctx, "" if fold(args) == NEW else args.strip())


async def _recent(ctx: Context) -> list[Reply]:
    """The latest notices for the sender's units, above and below them."""
    paths = [p.unit.path for p in ctx.places]
    found = await recent_announcements(ctx.session, paths=paths)
    lines = [texts.NOTICE_LIST_HEADER] if found else [texts.NOTICE_LIST_EMPTY]
    leads = any(
        p.leads or p.unit.id in {o.unit.id for o in ctx.official_places} for p in ctx.places
    )
    for notice, unit in found:
        if notice.audience == flow.LEADERS and not leads and notice.sender_id != ctx.person.id:
            continue
        preview = notice.text if len(notice.text) <= PREVIEW else notice.text[:PREVIEW] + "…"
        day = f"{notice.created_at.astimezone(ctx.now.tzinfo):%d/%m}"
        lines.append(
            texts.NOTICE_LIST_LINE.format(
                number=notice.id, day=day, unit=unit.name, preview=preview
            )
        )
    can_send = flow.sending_unit(ctx) is not None
    choices = (Choice(texts.BTN_NEW_NOTICE, f"/thongbao {NEW}"),) if can_send else ()
    return [Reply("\n".join(lines), choices=choices)]


async def _own_acked_notice(ctx: Context, number: int) -> tuple[Announcement, Unit] | list[Reply]:
    """The notice and its unit, if it asks for acknowledgements and the sender sent it or answers
    for its unit; else why not."""
    notice = await ctx.session.get(Announcement, number)
    unit = await ctx.session.get(Unit, notice.unit_id) if notice else None
    if unit is None:
        return [Reply(texts.NOTICE_UNKNOWN.format(number=number))]
    if notice.sender_id != ctx.person.id and not answers_for(ctx, unit):
        return [Reply(texts.NOTICE_ONLY_SENDER.format(number=number))]
    if not notice.ask_ack:
        return [Reply(texts.NOTICE_NO_ACK.format(number=number, text=notice.text))]
    return notice, unit


async def _status(ctx: Context, number: int) -> list[Reply]:
    """Who acknowledged, by hamlet, with who has not; «Nhắc» while no reminder went."""
    found = await _own_acked_notice(ctx, number)
    if isinstance(found, list):
        return found
    notice, unit = found
    expected = await _expected(ctx, notice, unit)
    acked = await acked_people(ctx.session, announcement_id=notice.id)
    done = sum(1 for p in expected if p[0] in acked)
    lines = [texts.NOTICE_STATUS_HEADER.format(number=number, acked=done, expected=len(expected))]
    for hamlet, people in groupby(expected, key=lambda p: p[2]):
        people = list(people)
        missing = [p[1] for p in people if p[0] not in acked]
        line = texts.NOTICE_STATUS_HAMLET.format(
            hamlet=hamlet, acked=len(people) - len(missing), expected=len(people)
        )
        lines.append(
            line + (texts.NOTICE_STATUS_MISSING.format(names=", ".join(missing)) if missing else "")
        )
    remind = done < len(expected) and notice.reminded_at is None
    choices = (Choice(texts.BTN_REMIND, f"/thongbao nhac {number}"),) if remind else ()
    return [Reply("\n".join(lines), choices=choices)]


async def _expected(ctx: Context, notice: Announcement, unit: Unit) -> list[tuple]:
    """Who should acknowledge: the notice's private audience, or the members under its unit
    when it went to groups; the sender left out."""
    audience = flow.LEADERS if notice.audience == flow.LEADERS else flow.MEMBERS
    people = await flow.recipients(ctx, unit, audience)
    return [p for p in people if p[0] != notice.sender_id]


async def _remind(ctx: Context, number: int) -> list[Reply]:
    """Remind, privately and once, everyone who has not acknowledged."""
    found = await _own_acked_notice(ctx, number)
    if isinstance(found, list):
        return found
    notice, unit = found
    if notice.reminded_at is not None:
        return [Reply(texts.NOTICE_ALREADY_REMINDED.format(number=number))]
    acked = await acked_people(ctx.session, announcement_id=notice.id)
    missing = [p for p in await _expected(ctx, notice, unit) if p[0] not in acked and p[3]]
    if not missing:
        return [Reply(texts.NOTICE_ALL_ACKED.format(number=number))]
    notice.reminded_at = ctx.now.astimezone(UTC)
    ctx.session.add(notice)
    await flow.deliver(ctx, notice, unit, missing, [], key="notice-remind")
    return [Reply(texts.NOTICE_REMINDED.format(n=len(missing), number=number))]


async def acknowledge(ctx: Context, args: str) -> list[Reply]:
    """/danhan N: «Đã nhận» for a notice; a second one changes nothing."""
    if not args.strip().isdigit():
        return [Reply(texts.ACK_USAGE)]
    if ctx.person is None:
        return [Reply(texts.HELP_STRANGER)]
    number = int(args)
    notice = await ctx.session.get(Announcement, number)
    if notice is None or not notice.ask_ack:
        return [Reply(texts.NOTICE_UNKNOWN.format(number=number))]
    new = await add_ack(
        ctx.session, announcement_id=number, person_id=ctx.person.id, at=ctx.now.astimezone(UTC)
    )
    text = texts.ACK_DONE if new else texts.ACK_AGAIN
    return [
        Reply(
            text.format(number=number),
            notice=ctx.capabilities.press_notices and ctx.event.choice is not None,
        )
    ]
