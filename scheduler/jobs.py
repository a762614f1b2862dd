"""The scheduled jobs: the weekly reminder, the weekly leaderboard and the monthly summary.

Jobs only write outbox rows (priority JOB); the Sender delivers them within platform limits. Each
job is a small function `(session, *, now, commune) -> outbox ids` working inside the caller's
transaction; `run_for_commune` wraps it with the JobRun row that marks it done, so a job runs once
per commune and period whoever calls it (the tick, the CLI, a second process). `now` is local time.
A job may also read its figures beforehand for many communes at once (`READ_AHEAD`):
`run_for_communes` (behind `run_job` and the tick) does so in batches, then each commune's
transaction only writes its rows.

Every message has a dedupe key such as `reminder:2026-W47:person:123`, so even a second run of the
same period enqueues nothing. Private messages go to one identity per person (the first reachable
one); people and groups that cannot be reached get nothing. Messages that fall in the commune's
quiet hours are held until quiet hours end (`not_before`).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, exists, func, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.attachments import store_attachment
from bot.core.replies import Reply
from bot.figures import Leaderboard
from bot.parsing import Period, month_period, week_period
from bot.render import leaderboard_image, summary_workbook
from bot.summaries import build_leaderboards, file_name, period_summary
from bot.summary_text import DOWN, UP, capital, format_leaderboard_text, format_summary_text
from db.indicators import active_indicators
from db.media import PNG, XLSX
from db.models import (
    LEADER_ROLES,
    MEMBER_ROLES,
    ChatGroup,
    Identity,
    JobRun,
    JobSetting,
    Level,
    Membership,
    Person,
    Report,
    Role,
    Team,
    Unit,
)
from db.outbox import JOB, Message, enqueue_many
from db.session import dialect_insert, session_scope
from db.units import commune_or_its_hamlet

log = logging.getLogger(__name__)

REMINDER, LEADERBOARD, MONTHLY = "reminder", "leaderboard", "monthly"
CAPTION_MAX = 1024  # the shortest photo caption of our channels (Telegram's sendPhoto)
BATCH = 200  # communes read ahead at once: bounded memory and IN lists
MEDIA_HOURS = 72  # job images and files outlive quiet hours and retries


# --- schedule -------------------------------------------------------------------------------------
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


# --- communes ---------------------------------------------------------------------------------------
async def active_communes(
    session: AsyncSession, *, code: str | None = None
) -> list[tuple[Unit, JobSetting]]:
    """Communes with a linked group or a member in them or their hamlets, with their settings.

    A commune without a JobSetting row gets the defaults (not stored). `code` narrows to one commune
    (a hamlet's code means its commune).
    """
    linked = union(
        select(ChatGroup.unit_id),
        select(Team.unit_id).join(Membership, Membership.team_id == Team.id),
    ).subquery("linked")
    place = aliased(Unit)
    commune_id = case((place.level == Level.HAMLET.value, place.parent_id), else_=place.id)
    query = (
        select(Unit, JobSetting)
        .outerjoin(JobSetting, JobSetting.unit_id == Unit.id)
        .where(
            Unit.level == Level.COMMUNE.value,
            Unit.id.in_(select(commune_id).where(place.id.in_(select(linked.c.unit_id)))),
        )
        .order_by(Unit.path)
    )
    if code is not None:
        query = query.where(Unit.id.in_(select(commune_id).where(place.code == code)))
    rows = (await session.exec(query)).all()
    return [(unit, setting or JobSetting(unit_id=unit.id)) for unit, setting in rows]


async def job_setting(session: AsyncSession, *, commune: Unit) -> JobSetting:
    """The commune's settings row, or the defaults (unsaved) when it has none."""
    query = select(JobSetting).where(JobSetting.unit_id == commune.id)
    return (await session.exec(query)).first() or JobSetting(unit_id=commune.id)


# --- running --------------------------------------------------------------------------------------
async def run_for_commune(
    job: str, *, now: datetime, commune: Unit, session_factory=session_scope, ready=None
) -> list[int] | None:
    """One transaction: the JobRun row and the job's outbox rows; None if the period already ran.

    `ready` is what `READ_AHEAD` read for this commune, if anything; without it the job reads alone.
    """
    key = period_key(job, now.date())
    async with session_factory() as session:
        claim = (
            dialect_insert(session)(JobRun)
            .values(job=job, scope=commune.code, period_key=key, ran_at=now)
            .on_conflict_do_nothing(index_elements=["job", "scope", "period_key"])
            .returning(JobRun.id)
        )
        if (await session.exec(claim)).scalar_one_or_none() is None:
            return None
        extra = {} if ready is None else {"ready": ready}
        ids = await JOBS[job](session, now=now, commune=commune, **extra)
        try:
            await session.commit()
        except IntegrityError:  # another process committed the same run first
            return None
    return ids


@dataclass
class RunResult:
    """What a run over many communes did."""

    ran: list[str] = field(default_factory=list)  # codes of the communes it ran for
    skipped: int = 0  # already ran this period
    failed: list[str] = field(default_factory=list)  # commune codes
    ids: list[int] = field(default_factory=list)

    @property
    def communes(self) -> int:
        return len(self.ran)


async def run_job(
    job: str, *, now: datetime, code: str | None = None, session_factory=session_scope
) -> RunResult:
    """Run a job now for every active commune where it is switched on (or the one `code` names).

    The day and time in the settings are not checked (the tick does that).
    """
    async with session_factory() as session:
        communes = [(c, s) for c, s in await active_communes(session, code=code) if enabled(job, s)]
    return await run_for_communes(job, now=now, communes=communes, session_factory=session_factory)


async def run_for_communes(
    job: str,
    *,
    now: datetime,
    communes: list[tuple[Unit, JobSetting]],
    session_factory=session_scope,
) -> RunResult:
    """The job for each of these communes, its figures read for BATCH communes at a time.

    A failure on one commune is logged and the loop goes on (that commune is tried again at the
    next tick).
    """
    result = RunResult()
    for first in range(0, len(communes), BATCH):
        batch = communes[first : first + BATCH]
        ready = await _read_ahead(job, now=now, communes=batch, session_factory=session_factory)
        for commune, _setting in batch:
            try:
                ids = await run_for_commune(
                    job,
                    now=now,
                    commune=commune,
                    session_factory=session_factory,
                    ready=ready.get(commune.id),
                )
            except Exception:
                log.exception("job %s failed for commune %s", job, commune.code)
                result.failed.append(commune.code)
                continue
            if ids is None:
                result.skipped += 1
            else:
                result.ran.append(commune.code)
                result.ids += ids
    return result


async def _read_ahead(
    job: str, *, now: datetime, communes: list[tuple[Unit, JobSetting]], session_factory
) -> dict:
    """The job's figures for these communes by id, read at once in a session of their own.

    {} for a job that reads alone, or when the read fails (logged): each commune then reads alone.
    """
    if job not in READ_AHEAD:
        return {}
    try:
        async with session_factory() as session:
            return await READ_AHEAD[job](session, now=now, communes=communes)
    except Exception:
        log.exception("job %s: reading ahead failed", job)
        return {}


# --- shared pieces --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    role: str
    team_id: int
    team_name: str  # the hamlet's name
    reported: bool
    platform: str | None  # the person's first reachable identity, if any
    user_id: str | None


def _contact():
    """Each person's first reachable identity: one private chat per person."""
    return (
        select(Identity.person_id, func.min(Identity.id).label("identity_id"))
        .where(Identity.unreachable_at.is_(None))
        .group_by(Identity.person_id)
        .subquery("contact")
    )


def _hamlets_of(commune: Unit):
    return select(Unit.id).where(Unit.parent_id == commune.id, Unit.level == Level.HAMLET.value)


async def _enqueue(
    session: AsyncSession,
    messages: list[Message],
    *,
    now: datetime,
    commune: Unit,
    setting: JobSetting | None = None,
) -> list[int]:
    """Store the job's messages as JOB rows, held until the commune's quiet hours end."""
    if setting is None:
        setting = await job_setting(session, commune=commune)
    hold = quiet_end(now, setting)
    return await enqueue_many(session, messages, priority=JOB, not_before=hold)


# --- reminder -------------------------------------------------------------------------------------
async def _hamlet_members(
    session: AsyncSession, *, commune: Unit, start: date, end: date
) -> list[MemberRow]:
    """Confirmed members of the commune's hamlet teams, whether they reported, and their chat."""
    reported = (
        exists()
        .where(
            Report.person_id == Membership.person_id,
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .label("reported")
    )
    contact = _contact()
    query = (
        select(
            Membership.person_id,
            Person.display_name,
            Membership.role,
            Team.id,
            Unit.name,
            reported,
            Identity.platform,
            Identity.user_id,
        )
        .join(Person, Person.id == Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .join(Unit, Unit.id == Team.unit_id)
        .outerjoin(contact, contact.c.person_id == Membership.person_id)
        .outerjoin(Identity, Identity.id == contact.c.identity_id)
        .where(
            Unit.id.in_(_hamlets_of(commune)),
            Membership.confirmed,
            Membership.role.in_(MEMBER_ROLES),
        )
        .order_by(Unit.path, Person.display_name, Person.id)
    )
    return [MemberRow(*row) for row in (await session.exec(query)).all()]


def _reminder_texts(members: list[MemberRow], week: str) -> dict[int, list[str]]:
    """Per person: their own reminder if they have not reported, and for leaders the silent list."""
    parts: dict[int, list[str]] = defaultdict(list)
    for member in {m.person_id: m for m in members if not m.reported}.values():
        parts[member.person_id].append(texts.REMIND_MEMBER.format(name=member.name, week=week))
    by_team: dict[int, list[MemberRow]] = defaultdict(list)
    for member in members:
        by_team[member.team_id].append(member)
    for team in by_team.values():
        silent = [m for m in team if not m.reported]
        for leader in (m for m in team if m.role in LEADER_ROLES):
            others = [m for m in silent if m.person_id != leader.person_id]
            if not others:
                continue
            names = "\n".join(
                (texts.REMIND_LEADER_LINE if m.platform else texts.REMIND_LEADER_NO_BOT).format(
                    name=m.name
                )
                for m in others
            )
            parts[leader.person_id].append(
                texts.REMIND_LEADER.format(
                    team=leader.team_name, n=len(others), week=week, names=names
                )
            )
    return parts


async def _silent_groups(
    session: AsyncSession, *, commune: Unit, start: date, end: date
) -> list[tuple[ChatGroup, Unit]]:
    """Reachable hamlet groups whose team has no report in [start, end]."""
    team_reported = (
        select(Report.id)
        .join(Team, Team.id == Report.team_id)
        .where(
            Team.unit_id == ChatGroup.unit_id,
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .exists()
    )
    query = (
        select(ChatGroup, Unit)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(
            Unit.id.in_(_hamlets_of(commune)),
            ChatGroup.unreachable_at.is_(None),
            ~team_reported,
        )
        .order_by(Unit.path, ChatGroup.id)
    )
    return list((await session.exec(query)).all())


async def remind(session: AsyncSession, *, now: datetime, commune: Unit) -> list[int]:
    """Saturday's nudge: silent members in private, silent hamlet groups, leaders get the list."""
    period = week_period(now.date())
    week = f"{period.start:%d/%m}–{period.end:%d/%m}"
    prefix = f"{REMINDER}:{period_key(REMINDER, now.date())}"
    members = await _hamlet_members(session, commune=commune, start=period.start, end=period.end)
    contacts = {m.person_id: m for m in members}
    messages = [
        Message(
            contacts[person_id].platform,
            contacts[person_id].user_id,
            Reply("\n\n".join(parts)),
            dedupe_key=f"{prefix}:person:{person_id}",
        )
        for person_id, parts in _reminder_texts(members, week).items()
        if contacts[person_id].platform is not None  # unreachable: the leader's list says so
    ]
    silent = await _silent_groups(session, commune=commune, start=period.start, end=period.end)
    messages += [
        Message(
            group.platform,
            group.chat_id,
            Reply(texts.REMIND_GROUP.format(week=week, hamlet=hamlet.name)),
            is_group=True,
            dedupe_key=f"{prefix}:group:{group.id}",
        )
        for group, hamlet in silent
    ]
    return await _enqueue(session, messages, now=now, commune=commune)


# --- weekly leaderboard ---------------------------------------------------------------------------
async def _labels(session: AsyncSession) -> dict[str, str]:
    """Short indicator labels as replies show them: the first alias (see bot.reporting)."""
    return {i.code: (i.aliases.split("|")[0] or i.code) for i in await active_indicators(session)}


def _change(delta: int | None) -> str:
    if not delta:
        return ""
    return " " + (UP.format(n=delta) if delta > 0 else DOWN.format(n=-delta))


@dataclass
class BoardPosts:
    """What one commune's Monday posts need, read beforehand for many communes at once."""

    board: Leaderboard
    groups: list[ChatGroup]  # the commune's own reachable groups
    hamlet_groups: list[tuple[ChatGroup, Unit]]  # reachable hamlet groups, with their hamlet
    labels: dict[str, str]
    setting: JobSetting


async def read_boards(
    session: AsyncSession, *, now: datetime, communes: list[tuple[Unit, JobSetting]]
) -> dict[int, BoardPosts]:
    """Last week's boards and the reachable groups of these communes by id: a few bulk queries."""
    period = week_period(now.date() - timedelta(days=7))
    before = period.previous()
    boards = await build_leaderboards(
        session,
        communes=[commune for commune, _ in communes],
        start=period.start,
        end=period.end,
        period_label=capital(period.label),
        previous=(before.start, before.end),
    )
    labels = await _labels(session)
    ready = {
        commune.id: BoardPosts(boards[commune.id], [], [], labels, setting)
        for commune, setting in communes
    }
    for group, unit in await _groups(session, commune_ids=list(ready)):
        if unit.level == Level.HAMLET:
            ready[unit.parent_id].hamlet_groups.append((group, unit))
        else:
            ready[unit.id].groups.append(group)
    return ready


async def _groups(session: AsyncSession, *, commune_ids: list[int]) -> list[tuple[ChatGroup, Unit]]:
    """Reachable linked groups of these communes and of their hamlets, with their unit."""
    query = (
        select(ChatGroup, Unit)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(
            commune_or_its_hamlet(Unit, commune_ids),
            ChatGroup.unreachable_at.is_(None),
        )
        .order_by(Unit.path, ChatGroup.id)
    )
    return list((await session.exec(query)).all())


async def post_leaderboard(
    session: AsyncSession, *, now: datetime, commune: Unit, ready: BoardPosts | None = None
) -> list[int]:
    """Monday: last week's ranking (image + text) in commune groups; each hamlet group its own rank.

    The image is drawn only when the commune has a reachable group of its own and a hamlet to rank.
    `ready` is this commune's share of `read_boards`; without it, it is read for this one commune.
    """
    if ready is None:
        setting = await job_setting(session, commune=commune)
        ready = (await read_boards(session, now=now, communes=[(commune, setting)]))[commune.id]
    if not ready.groups and not ready.hamlet_groups:
        return []
    board = ready.board
    period = week_period(now.date() - timedelta(days=7))
    prefix = f"{LEADERBOARD}:{period_key(LEADERBOARD, now.date())}"
    messages: list[Message] = []
    if ready.groups and board.entries:
        text = format_leaderboard_text(board)
        image = await store_attachment(
            session,
            data=leaderboard_image(board),
            content_type=PNG,
            filename=f"xep-hang-{commune.code}-{period.start:%Y-%m-%d}.png",
            hours=MEDIA_HOURS,
        )
        fits = len(text) <= CAPTION_MAX
        label = board.period_label
        caption = text if fits else texts.BOARD_CAPTION.format(unit=commune.name, period=label)
        for group in ready.groups:
            key = f"{prefix}:group:{group.id}"
            chat = (group.platform, group.chat_id)
            messages.append(Message(*chat, Reply(caption, image=image), True, key))
            if not fits:
                messages.append(Message(*chat, Reply(text), True, f"{key}:text"))
    for group, hamlet in ready.hamlet_groups:
        text = _hamlet_rank(hamlet, board, ready.labels, period=period, commune=commune)
        key = f"{prefix}:group:{group.id}"
        messages.append(Message(group.platform, group.chat_id, Reply(text), True, key))
    return await _enqueue(session, messages, now=now, commune=commune, setting=ready.setting)


def _hamlet_rank(
    hamlet: Unit, board: Leaderboard, labels: dict[str, str], *, period: Period, commune: Unit
) -> str:
    """A hamlet group's own line of the board: rank, score and change, totals, who reported."""
    ranked = len(board.entries)
    entry = next((e for e in board.entries if e.unit.code == hamlet.code), None)
    row = next((r for r in board.rows if r.unit.code == hamlet.code), None)
    if entry is None or row is None:
        return texts.BOARD_HAMLET_UNRANKED.format(
            period=period.label, hamlet=hamlet.name, commune=commune.name, ranked=ranked
        )
    tally = ", ".join(
        f"{label} {row.counts[c]}" for c, label in labels.items() if row.counts.get(c)
    )
    lines = [
        texts.BOARD_HAMLET.format(
            period=period.label,
            hamlet=hamlet.name,
            rank=entry.rank,
            total=ranked,
            commune=commune.name,
            score=entry.score_label,
            change=_change(entry.rank_change),
        ),
        texts.BOARD_HAMLET_TOTALS.format(tally=tally or texts.NOTHING_YET),
    ]
    if row.members:
        lines.append(
            texts.BOARD_HAMLET_REPORTERS.format(reporters=row.reporters, members=row.members)
        )
    return "\n".join(lines)


# --- monthly summary ------------------------------------------------------------------------------
async def _officials(session: AsyncSession, *, commune: Unit) -> list[tuple[int, str, str]]:
    """(person id, platform, user id) of the commune's officials who can be reached."""
    contact = _contact()
    query = (
        select(Membership.person_id, Identity.platform, Identity.user_id)
        .join(Team, Team.id == Membership.team_id)
        .join(contact, contact.c.person_id == Membership.person_id)
        .join(Identity, Identity.id == contact.c.identity_id)
        .where(
            Team.unit_id == commune.id,
            Membership.role == Role.OFFICIAL.value,
            Membership.confirmed,
        )
        .order_by(Membership.person_id)
    )
    return list((await session.exec(query)).all())


async def send_monthly(session: AsyncSession, *, now: datetime, commune: Unit) -> list[int]:
    """The 1st: each commune official gets last month's summary text and the Excel workbook."""
    officials = await _officials(session, commune=commune)
    if not officials:
        return []
    last = now.date().replace(day=1) - timedelta(days=1)
    month = month_period(last.year, last.month)
    summary = await period_summary(
        session, unit=commune, period=month, now=now.replace(tzinfo=None), with_lines=True
    )
    workbook = await store_attachment(
        session,
        data=summary_workbook(summary),
        content_type=XLSX,
        filename=file_name("baocao", commune, month, "xlsx"),
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
    return await _enqueue(session, messages, now=now, commune=commune)


JOBS = {REMINDER: remind, LEADERBOARD: post_leaderboard, MONTHLY: send_monthly}
READ_AHEAD = {LEADERBOARD: read_boards}  # jobs whose figures are read for many communes at once
