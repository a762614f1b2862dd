"""/dieuchinh: a leader or official corrects a member's report; /nhatky: the recent changes."""

from datetime import date

from bot import texts
from bot.conversations import correct_report
from bot.core.context import Context
from bot.core.replies import Reply
from bot.reporting import Catalogue, catalogue
from db.corrections import Logged, recent_changes

LOGGED = 15  # changes /nhatky shows, the newest


async def correct(ctx: Context, _args: str) -> list[Reply]:
    """Private only (it names members); for who answers for a hamlet or commune."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    if not ctx.event.is_private:
        return [Reply(texts.CORRECT_PRIVATE_ONLY.format(name="dieuchinh"))]
    if not correct_report.overseen(ctx):
        return [Reply(texts.CORRECT_NOT_ALLOWED)]
    return await correct_report.begin(ctx)


async def change_log(ctx: Context, _args: str) -> list[Reply]:
    """/nhatky: who retracted or corrected which report, newest first; leaders and officials see
    their units, a member their own reports."""
    if not ctx.person:
        return [Reply(texts.NOT_JOINED)]
    if not ctx.event.is_private:
        return [Reply(texts.CORRECT_PRIVATE_ONLY.format(name="nhatky"))]
    overseen = correct_report.overseen(ctx)
    if overseen:
        scope = ", ".join(p.unit.name for p in ctx.places if p.unit.path in overseen)
        logged = await recent_changes(ctx.session, paths=list(overseen), limit=LOGGED)
    else:
        scope = texts.LOG_SCOPE_OWN
        logged = await recent_changes(ctx.session, person_id=ctx.person.id, limit=LOGGED)
    if not logged:
        return [Reply(texts.LOG_NONE.format(scope=scope))]
    book = await catalogue(ctx)
    lines = [_line(ctx, book, entry) for entry in logged]
    return [Reply("\n".join([texts.LOG_TITLE.format(scope=scope), *lines]))]


def _line(ctx: Context, book: Catalogue, entry: Logged) -> str:
    change = entry.change
    when = change.created_at.astimezone(ctx.settings.zone).strftime("%d/%m %H:%M")
    day = date.fromisoformat(change.before["day"]).strftime("%d/%m")
    owner = "" if entry.owner_id == change.actor_id else texts.LOG_OWNER.format(name=entry.owner)
    before = book.format(change.before["counts"])
    if change.action == "retract":
        return texts.LOG_RETRACT.format(
            when=when, actor=entry.actor, day=day, owner=owner, before=before
        )
    after = book.format((change.after or {}).get("counts", {}))
    return texts.LOG_EDIT.format(
        when=when, actor=entry.actor, day=day, owner=owner, before=before, after=after
    )
