"""Campaign posts and task reminders: an hourly job per commune (scheduler.jobs).

Each message has a dedupe key (`campaign:7:day:2026-12-05:group:3`, `task:12:reminder`) and each
step claims its own JobRun row, so running an hour, or a day, again sends nothing new. The posts go
through the outbox (pacing) and are held through the commune's quiet hours. All state is in the
database: a new process continues a campaign where the last one was.
  * start: an announcement in every linked group of the commune and its hamlets;
  * each campaign day, from its post hour: the progress post in the commune's groups;
  * after its last day: the official's summary (text, chart, Excel), the recognition post;
  * a task due tomorrow, still to do: one friendly private reminder (from 8 o'clock).
"""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.attachments import render_attachment
from bot.campaigns import (
    Figures,
    as_summary,
    day_post,
    end_post,
    read_figures,
    runs_on,
    show_text,
    start_post,
)
from bot.core.replies import Reply
from bot.drives import indicator_labels, task_progress
from bot.render.chart import progress_chart
from bot.render.workbook import summary_workbook
from db.campaigns import live_campaigns
from db.media import PNG, XLSX
from db.models import Campaign, Level, Unit
from db.outbox import Message
from db.people import first_reachable
from db.recipients import reachable_groups
from db.schedule import claim_run
from db.tasks import tasks_where
from db.units import units_under
from scheduler.schedule import MEDIA_HOURS, enqueue_held

REMINDER_HOUR = 8


async def run_campaigns(session: AsyncSession, *, now: datetime, commune: Unit) -> list[int]:
    """This hour's campaign posts and task reminders for one commune."""
    messages: list[Message] = []
    for campaign in await live_campaigns(session, unit_id=commune.id, day=now.date()):
        messages += await _campaign_messages(session, campaign, now=now, commune=commune)
    if now.hour >= REMINDER_HOUR:
        messages += await _reminders(session, now=now, commune=commune)
    return await enqueue_held(session, messages, now=now, commune=commune)


async def _claim(session: AsyncSession, campaign: Campaign, step: str, now: datetime) -> bool:
    """Whether this step of this campaign is ours to do (a JobRun row of its own)."""
    return await claim_run(
        session,
        job=f"campaign-{step}",
        scope=str(campaign.id),
        period_key=step_key(step, now),
        ran_at=now,
    )


def step_key(step: str, now: datetime) -> str:
    return f"{now.date():%Y-%m-%d}" if step == "day" else step


async def _campaign_messages(
    session: AsyncSession, campaign: Campaign, *, now: datetime, commune: Unit
) -> list[Message]:
    today, prefix = now.date(), f"campaign:{campaign.id}"
    groups = await reachable_groups(session, commune_ids=[commune.id])
    messages: list[Message] = []
    figures: Figures | None = None
    if today <= campaign.end_date and await _claim(session, campaign, "start", now):
        figures = await read_figures(session, campaign=campaign)
        post = Reply(start_post(figures))
        messages += [_to_group(g, post, f"{prefix}:start:group:{g.id}") for g, _ in groups]
    due = runs_on(campaign, today) and now.hour >= campaign.post_hour
    if due and await _claim(session, campaign, "day", now):
        figures = figures or await read_figures(session, campaign=campaign)
        post = Reply(day_post(figures, today))
        key = f"{prefix}:day:{today:%Y-%m-%d}"
        messages += [
            _to_group(g, post, f"{key}:group:{g.id}") for g, unit in groups if unit.id == commune.id
        ]
    if today > campaign.end_date and await _claim(session, campaign, "end", now):
        figures = figures or await read_figures(session, campaign=campaign)
        messages += await _end_messages(session, figures, groups, now=now)
    return messages


def _to_group(group, reply: Reply, key: str) -> Message:
    return Message(group.platform, group.chat_id, reply, is_group=True, dedupe_key=key)


async def _end_messages(
    session: AsyncSession, figures: Figures, groups, *, now: datetime
) -> list[Message]:
    """The recognition post in every group; to the official who made it: text, chart, Excel."""
    campaign, prefix = figures.campaign, f"campaign:{figures.campaign.id}:end"
    post = Reply(end_post(figures))
    messages = [_to_group(g, post, f"{prefix}:group:{g.id}") for g, _ in groups]
    official = await first_reachable(session, person_id=campaign.created_by)
    if official is None:
        return messages
    to, key = (official.platform, official.user_id), f"{prefix}:person:{campaign.created_by}"
    text = texts.CAMPAIGN_END_SUMMARY.format(
        name=campaign.name,
        start=f"{campaign.start_date:%d/%m}",
        end=f"{campaign.end_date:%d/%m/%Y}",
        unit=figures.unit.name,
        lines=show_text(figures, now.date()),
    )
    chart, book = await _end_files(session, figures, now=now)
    caption = texts.CAMPAIGN_END_FILES.format(name=campaign.name)
    return messages + [
        Message(*to, Reply(text), dedupe_key=key),
        Message(*to, Reply(caption, image=chart), dedupe_key=f"{key}:chart"),
        Message(*to, Reply(caption, document=book), dedupe_key=f"{key}:file"),
    ]


async def _end_files(session: AsyncSession, figures: Figures, *, now: datetime) -> list:
    """The campaign's progress chart and Excel workbook, drawn after the job's commit."""
    summary = as_summary(figures, now.replace(tzinfo=None))
    name = f"{texts.FILE_CAMPAIGN}-{figures.campaign.id}"
    files = ((progress_chart, PNG, "png"), (summary_workbook, XLSX, "xlsx"))
    return [
        await render_attachment(
            session,
            draw=render,
            data=summary,
            content_type=kind,
            filename=f"{name}.{ext}",
            hours=MEDIA_HOURS,
        )
        for render, kind, ext in files
    ]


async def _reminders(session: AsyncSession, *, now: datetime, commune: Unit) -> list[Message]:
    """One private reminder per task due tomorrow and not yet done."""
    hamlets = await units_under(session, paths=[commune.path], level=Level.HAMLET)
    due = now.date() + timedelta(days=1)
    views = await tasks_where(session, unit_ids=[h.id for h in hamlets], due=due)
    labels = await indicator_labels(session) if views else {}
    messages = []
    for view in views:
        contact = await first_reachable(session, person_id=view.task.person_id)
        if view.complete or contact is None:
            continue
        what = task_progress(view, labels)
        text = texts.TASK_REMINDER.format(id=view.task.id, due=f"{due:%d/%m}", what=what)
        key = f"task:{view.task.id}:reminder"
        messages.append(Message(contact.platform, contact.user_id, Reply(text), dedupe_key=key))
    return messages
