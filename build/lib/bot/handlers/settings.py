"""/caidat: a commune official sees and changes when the bot reminds, ranks and summarises.

    /caidat                          the current settings
    /caidat nhacnho thu7 08:00       weekly reminder day and time (either may be left out)
    /caidat bangxephang thu2 07:00   weekly leaderboard
    /caidat tonghop ngay1 07:30      monthly summary (day 1–28)
    /caidat nhacnho tat | bat        switch a job off or on
    /caidat yenlang 21:00-06:30      quiet hours (or: yenlang tat)

Accepted with or without diacritics, in any case, with or without spaces ("thứ 7", "nhắc nhở").
"""

import re
from dataclasses import dataclass

from bot import texts
from bot.core.context import Context
from bot.core.replies import Reply
from bot.words import fold
from db.models import JobSetting, Level, Unit
from db.schedule import job_setting

WEEKLY_JOBS = ("reminder", "leaderboard")
LAST_MONTH_DAY = 28  # every month has it
TIME = re.compile(rf"([01]?\d|2[0-3])(?::([0-5]\d)|[{texts.HOUR_LETTERS}]([0-5]\d)?)")
QUIET = re.compile(rf"({TIME.pattern}) ?(?:-|–|{texts.UNTIL_WORD}) ?({TIME.pattern})")
NUMBERED = re.compile(rf"\b({'|'.join(texts.SETTINGS_NUMBERED)}) (\d)")


class BadInput(ValueError):
    """Input we cannot take; the message says what to type instead."""


@dataclass
class Change:
    job: str  # reminder | leaderboard | monthly | quiet
    enabled: bool | None = None
    day: int | None = None  # weekday (0 = Monday) or day of the month
    at: str | None = None  # "HH:MM"
    quiet: tuple[str, str] | None = None


async def job_settings(ctx: Context, args: str) -> list[Reply]:
    """/caidat: show the commune's schedule, or change one part of it."""
    commune = await _commune(ctx)
    if commune is None:
        return [Reply(texts.SETTINGS_NOT_ALLOWED)]
    setting = await job_setting(ctx.session, commune_id=commune.id)
    if not args.strip():
        return [Reply(describe(setting, commune))]
    try:
        change = parse_change(args)
    except BadInput as error:
        return [Reply(str(error))]
    apply(setting, change)
    ctx.session.add(setting)
    await ctx.session.flush()
    return [Reply(f"{texts.SETTINGS_SAVED}\n{describe(setting, commune)}")]


async def _commune(ctx: Context) -> Unit | None:
    """The commune this official (or admin) manages: the group's commune, else their first one."""
    mine = {p.unit.id: p.unit for p in ctx.official_places if p.unit.level == Level.COMMUNE}
    here = ctx.group_unit
    if here is not None and here.level == Level.HAMLET:
        here = await ctx.session.get(Unit, here.parent_id)
    if here is not None and here.level == Level.COMMUNE and (here.id in mine or ctx.is_admin):
        return here
    return next(iter(mine.values()), None)


def describe(setting: JobSetting, commune: Unit) -> str:
    """The schedule as an official reads it, with how to change it."""

    def state(on: bool) -> str:
        return texts.SETTINGS_ON if on else texts.SETTINGS_OFF

    def weekly(day: int, at: str) -> str:
        return texts.SETTINGS_WEEKLY_WHEN.format(day=texts.WEEKDAY_NAMES[day], time=at)

    quiet = (
        f"{setting.quiet_start}–{setting.quiet_end}"
        if setting.quiet_start != setting.quiet_end
        else texts.SETTINGS_QUIET_NONE
    )
    lines = [
        texts.SETTINGS_TITLE.format(unit=commune.name),
        texts.SETTINGS_REMINDER.format(
            when=weekly(setting.reminder_weekday, setting.reminder_time),
            state=state(setting.reminder_enabled),
        ),
        texts.SETTINGS_LEADERBOARD.format(
            when=weekly(setting.leaderboard_weekday, setting.leaderboard_time),
            state=state(setting.leaderboard_enabled),
        ),
        texts.SETTINGS_MONTHLY.format(
            when=texts.SETTINGS_MONTHLY_WHEN.format(
                day=setting.monthly_day, time=setting.monthly_time
            ),
            state=state(setting.monthly_enabled),
        ),
        texts.SETTINGS_QUIET.format(quiet=quiet),
        "",
        texts.SETTINGS_HOW,
    ]
    return "\n".join(lines)


def parse_change(args: str) -> Change:
    """What the official typed after /caidat, or BadInput with the right format."""
    folded = re.sub(NUMBERED, r"\1\2", fold(args))
    for spaced, word in texts.SPACED_WORDS.items():
        folded = folded.replace(spaced, word)
    tokens = folded.split()
    for size in (3, 2, 1):
        job = texts.SETTINGS_JOB_WORDS.get("".join(tokens[:size]))
        if job is not None:
            rest = tokens[size:]
            break
    else:
        raise BadInput(texts.SETTINGS_BAD_JOB.format(value=args.strip().split()[0]))
    if job == "quiet":
        return _quiet(rest)
    if len(rest) == 1 and rest[0] in texts.SETTINGS_OFF_WORDS + texts.SETTINGS_ON_WORDS:
        return Change(job, enabled=rest[0] in texts.SETTINGS_ON_WORDS)
    return _monthly(rest) if job == "monthly" else _weekly(job, rest)


def _weekly(job: str, tokens: list[str]) -> Change:
    change = Change(job, enabled=True)
    for token in tokens:
        if token in texts.WEEKDAY_WORDS and change.day is None:
            change.day = texts.WEEKDAY_WORDS[token]
        elif (at := _clock(token)) is not None and change.at is None:
            change.at = at
        else:
            change.day = change.at = None
            break
    if change.day is None and change.at is None:  # nothing, or a word we do not know
        word, example = texts.SETTINGS_JOB_EXAMPLES[job]
        raise BadInput(texts.SETTINGS_BAD_WEEKLY.format(job=word, example=example))
    return change


def _monthly(tokens: list[str]) -> Change:
    change = Change("monthly", enabled=True)
    for token in tokens:
        day = re.fullmatch(texts.MONTH_DAY_PREFIX + r"(\d{1,2})", token)
        if day and change.day is None and 1 <= int(day.group(1)) <= LAST_MONTH_DAY:
            change.day = int(day.group(1))
        elif (at := _clock(token)) is not None and change.at is None:
            change.at = at
        else:
            raise BadInput(texts.SETTINGS_BAD_MONTHLY)
    if change.day is None and change.at is None:
        raise BadInput(texts.SETTINGS_BAD_MONTHLY)
    return change


def _quiet(tokens: list[str]) -> Change:
    if len(tokens) == 1 and tokens[0] in texts.SETTINGS_OFF_WORDS:
        return Change("quiet", quiet=("00:00", "00:00"))
    match = QUIET.fullmatch(" ".join(tokens))
    if match is None:
        raise BadInput(texts.SETTINGS_BAD_QUIET)
    start, end = _clock(match.group(1)), _clock(match.group(5))
    if start == end:
        raise BadInput(texts.SETTINGS_BAD_QUIET)
    return Change("quiet", quiet=(start, end))


def _clock(token: str) -> str | None:
    """ "8:00", "08:00", "8h", "8h30", "7g30" → "HH:MM"; None for anything else."""
    match = TIME.fullmatch(token)
    if match is None:
        return None
    minutes = match.group(2) or match.group(3) or "00"
    return f"{int(match.group(1)):02d}:{minutes}"


def apply(setting: JobSetting, change: Change) -> None:
    if change.quiet is not None:
        setting.quiet_start, setting.quiet_end = change.quiet
        return
    prefix = change.job
    if change.enabled is not None:
        setattr(setting, f"{prefix}_enabled", change.enabled)
    if change.day is not None:
        setattr(setting, "monthly_day" if prefix == "monthly" else f"{prefix}_weekday", change.day)
    if change.at is not None:
        setattr(setting, f"{prefix}_time", change.at)
