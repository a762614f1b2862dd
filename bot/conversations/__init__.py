"""Multi-step flows: each module has a STEPS table of step name -> async function."""

from bot.conversations import (
    assign,
    campaign_setup,
    correct_report,
    difficulty,
    join,
    notice,
    report_visit,
    retract_report,
)

FLOWS = {
    join.FLOW: join.STEPS,
    report_visit.FLOW: report_visit.STEPS,
    retract_report.FLOW: retract_report.STEPS,
    correct_report.FLOW: correct_report.STEPS,
    notice.FLOW: notice.STEPS,
    difficulty.FLOW: difficulty.STEPS,
    difficulty.ANSWER_FLOW: difficulty.ANSWER_STEPS,
    campaign_setup.FLOW: campaign_setup.STEPS,
    assign.FLOW: assign.STEPS,
    assign.DECLINE_FLOW: assign.DECLINE_STEPS,
}
