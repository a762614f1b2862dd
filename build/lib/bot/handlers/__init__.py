"""Commands by the name users type. The names are taught in training: keep them."""

from bot.handlers import help, join, link_accounts, report, settings, summary, targets

COMMANDS = {
    "start": join.start,
    "thamgia": join.join_team,
    "ketnoi": join.link_group,
    "xacnhan": join.confirm_member,
    "bc": report.quick_report,
    "ghinhan": report.guided_report,
    "huy": report.retract_last,
    "sua": report.edit_last,
    "toi": report.my_reports,
    "baocao": summary.summary_report,
    "tiendo": summary.progress,
    "bangxephang": summary.leaderboard,
    "chitieu": targets.targets,
    "lienket": link_accounts.link_accounts,
    "caidat": settings.job_settings,
    "huongdan": help.show_help,
    "help": help.show_help,
}
