"""The 1st of the month: each commune official gets last month's summary text and the workbook."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.attachments import render_attachment
from bot.core.replies import Reply
from bot.dates import month_period
from bot.render.workbook import summary_workbook
from bot.summaries import file_name, period_summary
from bot.summary_text import format_summary_text
from db.media import XLSX
from db.models import Unit
from db.outbox import Message
from db.recipients import reachable_officials
from scheduler.schedule import MEDIA_HOURS, MONTHLY, enqueue_held, period_key


async def send_monthly(session: AsyncSession, *, now: datetime, commune: Unit) -> list[int]:
    """The 1st: each commune official gets last month's summary text and the Excel workbook."""
    officials = await reachable_officials(session, commune_id=commune.id)
    if not officials:
        return []
    last = now.date().replace(day=1) - timedelta(days=1)
    month = month_period(last.year, last.month)
    summary = await period_summary(
        session, unit=commune, period=month, now=now.replace(tzinfo=None), with_lines=True
    )
    workbook = await render_attachment(
        session,
        draw=summary_workbook,
        data=summary,
        content_type=XLSX,
        filename=file_name(texts.FILE_SUMMARY, commune, month, "xlsx"),
        hours=MEDIA_HOURS,
    )
    text = format_summary_text(summary)
    caption = texts.MONTHLY_FILE_CAPTION.format(period=month.label, unit=commune.name)
    prefix = f"{MONTHLY}:{period_key(MONTHLY, now.date())}"
    messages: list[Message] = []
    for person_id, platform, user_id in officials:
        key = f"{prefix}:person:{person_id}"
        messages.append(Message(platform, user_id, Reply(text), dedupe_key=key))
        file = Reply(caption, document=workbook)
        messages.append(Message(platform, user_id, file, dedupe_key=f"{key}:file"))
    return await enqueue_held(session, messages, now=now, commune=commune)
