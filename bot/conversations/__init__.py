"""Multi-step flows: each module has a STEPS table of step name -> async function."""

from bot.conversations import difficulty, join, notice, report_visit

FLOWS = {
    join.FLOW: join.STEPS,
    report_visit.FLOW: report_visit.STEPS,
    notice.FLOW: notice.STEPS,
    difficulty.FLOW: difficulty.STEPS,
    difficulty.ANSWER_FLOW: difficulty.ANSWER_STEPS,
}
