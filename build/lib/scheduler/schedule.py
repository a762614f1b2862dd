"""When a job is due and which period it is about, from a commune's settings; quiet hours.

`now` is local time. Messages that fall in the commune's quiet hours are held until quiet hours
end (`not_before`).
"""

from datetime import date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import JobSetting, Unit
from db.outbox import JOB, Message, enqueue_many
from db.schedule import job_setting

REMINDER, LEADERBOARD, MONTHLY = "reminder", "leaderboard", "monthly"
MEDIA_HOURS = 72  # job images and files outlive quiet hours and retries


def period_key(job: str, day: date) -> str:
    """The period a run on `day` is about: this ISO week (reminder), last week, last month."""
    if job == MONTHLY:
        first = day.replace(day=1) - timedelta(days=1)
        return f"{first:%Y-%m}"
    if job == LEADERBOARD:
        day -= timedelta(days=7)
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def scheduled_at(job: str, setting: JobSetting, day: date, zone) -> datetime | None:
    """When the job is due on `day` in the commune's settings; None if not that day or switched off."""
    if job == MONTHLY:
        on_day = setting.monthly_enabled and day.day == setting.monthly_day
        at = setting.monthly_time
    else:
        on_day = getattr(setting, f"{job}_enabled") and day.weekday() == getattr(
            setting, f"{job}_weekday"
        )
        at = getattr(setting, f"{job}_time")
    return datetime.combine(day, parse_clock(at), tzinfo=zone) if on_day else None


def enabled(job: str, setting: JobSetting) -> bool:
    return getattr(setting, f"{job}_enabled")


def parse_clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def quiet_end(now: datetime, setting: JobSetting) -> datetime | None:
    """When the quiet hours around `now` end, or None outside them (start == end: none at all)."""
    start, end = parse_clock(setting.quiet_start), parse_clock(setting.quiet_end)
    moment = now.time().replace(tzinfo=None)
    if start == end:
        return None
    if start < end:  # e.g. 00:00–06:00, within one day
        quiet, next_day = start <= moment < end, False
    else:  # e.g. 21:00–06:30, across midnight
        quiet, next_day = moment >= start or moment < end, moment >= start
    if not quiet:
        return None
    day = now.date() + timedelta(days=1 if next_day else 0)
    return datetime.combine(day, end, tzinfo=now.tzinfo)


async def enqueue_held(
    session: AsyncSession,
    messages: list[Message],
    *,
    now: datetime,
    commune: Unit,
    setting: JobSetting | None = None,
) -> list[int]:
    """Store a job's messages as JOB rows, held until the commune's quiet hours end."""
    if setting is None:
        setting = await job_setting(session, commune_id=commune.id)
    hold = quiet_end(now, setting)
    return await enqueue_many(session, messages, priority=JOB, not_before=hold)
