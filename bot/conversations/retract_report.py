"""/huy of a report that is not the sender's latest of today: shown first, retracted on «Hủy báo
cáo này», kept on «Giữ lại».

CONFIRMING (one step)
"""

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.core.state import Answer, Step
from bot.reporting import catalogue, retract_own
from db.models import Report
from db.reports import report_counts

FLOW = "retract"
CONFIRMING = "confirm"


async def begin(ctx: Context, report: Report) -> list[Reply]:
    await state.start(ctx, FLOW, CONFIRMING, {"report_id": report.id})
    return [await _question(ctx, report)]


async def _question(ctx: Context, report: Report) -> Reply:
    book = await catalogue(ctx)
    tally = book.format(await report_counts(ctx.session, report_id=report.id))
    sent = report.created_at.astimezone(ctx.settings.zone).strftime("%H:%M %d/%m")
    text = texts.RETRACT_ASK.format(day=f"{report.activity_date:%d/%m}", sent=sent, tally=tally)
    return Reply(
        text, choices=(Choice(texts.BTN_RETRACT, "retract"), Choice(texts.BTN_KEEP, "keep"))
    )


async def confirming(ctx: Context, data: dict, answer: Answer) -> Step:
    report = await ctx.session.get(Report, data["report_id"])
    if report is None or report.retracted or report.person_id != ctx.person.id:
        return Step([Reply(texts.RETRACT_GONE)], None)
    if answer.choice == "keep":
        return Step([Reply(texts.RETRACT_KEPT)], None)
    if answer.choice != "retract":
        return Step([await _question(ctx, report)], CONFIRMING)
    return Step([await retract_own(ctx, report)], None)


STEPS = {CONFIRMING: confirming}
