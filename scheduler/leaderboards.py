"""Monday's leaderboard: last week's ranking (image + text) in commune groups, and each hamlet
group its own line of it.

The figures can be read beforehand for many communes at once (`read_boards`, the job's read-ahead);
each commune's transaction then only writes its rows.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.attachments import render_attachment
from bot.core.replies import Reply
from bot.dates import Period, week_period
from bot.figures import Leaderboard
from bot.render.leaderboard import leaderboard_image
from bot.summaries import build_leaderboards
from bot.summary_text import format_leaderboard_text
from bot.unit_names import kind_of, kind_of_all
from db.indicators import active_indicators
from db.media import PNG
from db.models import ChatGroup, JobSetting, Level, Unit
from db.outbox import Message
from db.recipients import reachable_groups
from db.schedule import job_setting
from scheduler.schedule import LEADERBOARD, MEDIA_HOURS, enqueue_held, period_key

CAPTION_MAX = 1024  # the shortest photo caption of our channels (Telegram's sendPhoto)


@dataclass
class BoardPosts:
    """What one commune's Monday posts need, read beforehand for many communes at once."""

    board: Leaderboard
    groups: list[ChatGroup]  # the commune's own reachable groups
    hamlet_groups: list[tuple[ChatGroup, Unit]]  # reachable hamlet groups, with their hamlet
    labels: dict[str, str]
    setting: JobSetting


async def _labels(session: AsyncSession) -> dict[str, str]:
    """Short indicator labels as replies show them: the first alias (see bot.reporting)."""
    return {i.code: texts.short_label(i) for i in await active_indicators(session)}


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
        period_label=texts.capital(period.label),
        previous=(before.start, before.end),
    )
    labels = await _labels(session)
    ready = {
        commune.id: BoardPosts(boards[commune.id], [], [], labels, setting)
        for commune, setting in communes
    }
    for group, unit in await reachable_groups(session, commune_ids=list(ready)):
        if unit.level == Level.HAMLET:
            ready[unit.parent_id].hamlet_groups.append((group, unit))
        else:
            ready[unit.id].groups.append(group)
    return ready


async def post_leaderboard(
    session: AsyncSession, *, now: datetime, commune: Unit, ready: BoardPosts | None = None
) -> list[int]:
    """Monday: last week's ranking (image + text) in commune groups; each hamlet group its own rank.

    The image is drawn only when the commune has a reachable group of its own and a hamlet to rank.
    `ready` is this commune's share of `read_boards`; without it, it is read for this one commune.
    """
    if ready is None:
        setting = await job_setting(session, commune_id=commune.id)
        ready = (await read_boards(session, now=now, communes=[(commune, setting)]))[commune.id]
    if not ready.groups and not ready.hamlet_groups:
        return []
    period = week_period(now.date() - timedelta(days=7))
    prefix = f"{LEADERBOARD}:{period_key(LEADERBOARD, now.date())}"
    messages = await _commune_posts(session, ready, period=period, commune=commune, prefix=prefix)
    for group, hamlet in ready.hamlet_groups:
        text = _hamlet_rank(hamlet, ready.board, ready.labels, period=period, commune=commune)
        key = f"{prefix}:group:{group.id}"
        messages.append(Message(group.platform, group.chat_id, Reply(text), True, key))
    return await enqueue_held(session, messages, now=now, commune=commune, setting=ready.setting)


async def _commune_posts(
    session: AsyncSession, ready: BoardPosts, *, period: Period, commune: Unit, prefix: str
) -> list[Message]:
    """The board as an image in each commune group, its text as caption or, when too long, after."""
    board = ready.board
    if not ready.groups or not board.entries:
        return []
    text = format_leaderboard_text(board)
    image = await render_attachment(
        session,
        draw=leaderboard_image,
        data=board,
        content_type=PNG,
        filename=f"xep-hang-{commune.code}-{period.start:%Y-%m-%d}.png",
        hours=MEDIA_HOURS,
    )
    fits = len(text) <= CAPTION_MAX
    label = board.period_label
    caption = text if fits else texts.BOARD_CAPTION.format(unit=commune.name, period=label)
    messages = []
    for group in ready.groups:
        key = f"{prefix}:group:{group.id}"
        chat = (group.platform, group.chat_id)
        messages.append(Message(*chat, Reply(caption, image=image), True, key))
        if not fits:
            messages.append(Message(*chat, Reply(text), True, f"{key}:text"))
    return messages


def _change(delta: int | None) -> str:
    if not delta:
        return ""
    return " " + (texts.UP.format(n=delta) if delta > 0 else texts.DOWN.format(n=-delta))


def _hamlet_rank(
    hamlet: Unit, board: Leaderboard, labels: dict[str, str], *, period: Period, commune: Unit
) -> str:
    """A hamlet group's own line of the board: rank, score and change, totals, who reported."""
    ranked = len(board.entries)
    entry = next((e for e in board.entries if e.unit.code == hamlet.code), None)
    row = next((r for r in board.rows if r.unit.code == hamlet.code), None)
    if entry is None or row is None:
        return texts.BOARD_HAMLET_UNRANKED.format(
            period=period.label,
            hamlet=hamlet.name,
            commune=commune.name,
            ranked=ranked,
            kind=kind_of_all((row.unit for row in board.rows), Level.HAMLET),
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
        texts.BOARD_HAMLET_TOTALS.format(kind=kind_of(hamlet), tally=tally or texts.NOTHING_YET),
    ]
    if row.members:
        lines.append(
            texts.BOARD_HAMLET_REPORTERS.format(reporters=row.reporters, members=row.members)
        )
    return "\n".join(lines)
