"""Multi-step flows: each module has a STEPS table of step name -> async function."""

from bot.conversations import assign, campaign_setup, join, report_visit

FLOWS = {
    join.FLOW: join.STEPS,
    report_visit.FLOW: report_visit.STEPS,
    campaign_setup.FLOW: campaign_setup.STEPS,
    assign.FLOW: assign.STEPS,
    assign.DECLINE_FLOW: assign.DECLINE_STEPS,
}
