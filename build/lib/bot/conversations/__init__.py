"""Multi-step flows: each module has a STEPS table of step name -> async function."""

from bot.conversations import join, report_visit

FLOWS = {
    join.FLOW: join.STEPS,
    report_visit.FLOW: report_visit.STEPS,
}
