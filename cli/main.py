"""`tocongnghe`: the operator's command line."""

import argparse
import os
import sys
from pathlib import Path

from bot import texts
from cli.backup import cmd_backup
from cli.commands import (
    CliError,
    cmd_db_upgrade,
    cmd_import_roster,
    cmd_indicators_add,
    cmd_indicators_import,
    cmd_indicators_list,
    cmd_invite,
    cmd_report,
    cmd_targets_import,
    cmd_units_add,
    cmd_units_list,
    cmd_units_load,
    cmd_words_alias,
    cmd_words_unknown,
)
from cli.serve import cmd_demo, cmd_jobs_run, cmd_serve, cmd_set_webhook
from db.models import Level, Role
from scheduler.schedule import CAMPAIGNS, LEADERBOARD, MONTHLY, REMINDER


def main(argv: list[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here for short output
        return code
    except BrokenPipeError:
        # The reader went away (`tocongnghe units list | head`): stop quietly. Python flushes
        # stdout again at exit, so point it at devnull first.
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if not getattr(args, "func", None):
        _parser().print_help()
        return 2
    try:
        return args.func(args) or 0
    except CliError as error:
        print(texts.CLI_ERROR.format(error=error), file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tocongnghe", description=texts.APP_TITLE)
    commands = parser.add_subparsers()

    _add_setup(commands)
    _add_invites_and_indicators(commands)
    _add_service(commands)
    _add_reports_and_jobs(commands)
    return parser


def _add_setup(commands) -> None:
    """Schema, administrative units and roster import."""
    db = commands.add_parser("db", help="database schema").add_subparsers()
    db.add_parser("upgrade", help="apply migrations and default indicators").set_defaults(
        func=cmd_db_upgrade
    )

    units = commands.add_parser("units", help="administrative units").add_subparsers()
    units.add_parser("load-official", help="load the 2025 provinces and communes").set_defaults(
        func=cmd_units_load
    )
    listing = units.add_parser("list", help="print CODE<TAB>LEVEL<TAB>NAME")
    listing.add_argument("--under", metavar="CODE")
    listing.set_defaults(func=cmd_units_list)
    add = units.add_parser("add", help="add a hamlet (or district) under a unit")
    add.add_argument("--parent", required=True, metavar="CODE")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--level", default=Level.HAMLET, choices=[Level.DISTRICT, Level.COMMUNE, Level.HAMLET]
    )
    add.set_defaults(func=cmd_units_add)

    imports = commands.add_parser("import", help="import data").add_subparsers()
    roster = imports.add_parser("roster", help="import a roster .xlsx/.csv")
    roster.add_argument("file", type=Path)
    roster.set_defaults(func=cmd_import_roster)


def _add_invites_and_indicators(commands) -> None:
    """Invite codes and the indicator catalogue."""
    invite = commands.add_parser("invite", help="make an invite code")
    invite.add_argument("--unit", required=True, metavar="CODE")
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.add_argument("--uses", type=int, default=1)
    invite.add_argument("--days", type=int, default=7)
    invite.set_defaults(func=cmd_invite)

    indicators = commands.add_parser("indicators", help="the indicator catalogue").add_subparsers()
    indicators.add_parser("list").set_defaults(func=cmd_indicators_list)
    load = indicators.add_parser("import", help="add or update indicators from YAML or CSV")
    load.add_argument("file", type=Path)
    load.set_defaults(func=cmd_indicators_import)
    one = indicators.add_parser("add", help="add or update one indicator")
    one.add_argument("code")
    one.add_argument("name")
    one.add_argument("--unit-label", default=texts.DEFAULT_UNIT_LABEL)
    one.add_argument("--aliases", default="", help="comma-separated words members type")
    one.set_defaults(func=cmd_indicators_add)
    words = commands.add_parser("words", help=texts.CLI_WORDS_HELP).add_subparsers()
    unknown = words.add_parser("unknown", help="the most frequent first")
    unknown.add_argument("--limit", type=int, default=30)
    unknown.set_defaults(func=cmd_words_unknown)
    alias = words.add_parser("alias", help="add a word as an indicator's alias")
    alias.add_argument("code")
    alias.add_argument("word")
    alias.set_defaults(func=cmd_words_alias)


def _add_service(commands) -> None:
    """Running the service, its webhooks, and the demo."""
    serve = commands.add_parser("serve", help="run the service (webhooks, sender, scheduler)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-scheduler", action="store_true", help="do not run scheduled jobs here")
    serve.add_argument("--no-migrate", action="store_true", help="skip `db upgrade` on start")
    serve.add_argument(
        "--allow-public", action="store_true", help="let other machines reach the web chat"
    )
    serve.add_argument("--access-log", action="store_true", help="log every HTTP request")
    serve.set_defaults(func=cmd_serve)

    webhook = commands.add_parser("set-webhook", help="point the platform at PUBLIC_BASE_URL")
    webhook.add_argument("--channel", default="telegram", choices=["telegram", "zalo"])
    webhook.set_defaults(func=cmd_set_webhook)

    backup = commands.add_parser("backup", help="copy the database while it runs (SQLite, pg_dump)")
    backup.add_argument(
        "file", nargs="?", type=Path, help="where to write it; default backups/tocongnghe-<time>"
    )
    backup.set_defaults(func=cmd_backup)

    demo = commands.add_parser("demo", help="try the bot in a local web chat with demo data")
    demo.add_argument("--reset", action="store_true", help="empty the database, seed the demo")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--allow-public", action="store_true", help="let other machines reach the web chat"
    )
    demo.set_defaults(func=cmd_demo)


def _add_reports_and_jobs(commands) -> None:
    """Summaries, targets and running a scheduled job now."""
    summary = commands.add_parser("report", help="print a unit's summary, write Excel/PNG files")
    summary.add_argument("--unit", required=True, metavar="CODE", help='unit code; "/" = country')
    summary.add_argument("--period", default="tuan", help="tuan, thang, quy, nam, mm/yyyy…")
    summary.add_argument("--xlsx", type=Path, metavar="FILE", help="write the Excel workbook")
    summary.add_argument("--png", type=Path, metavar="FILE", help="write the progress chart")
    summary.set_defaults(func=cmd_report)

    targets = commands.add_parser("targets", help=texts.CLI_TARGETS_HELP).add_subparsers()
    target_file = targets.add_parser("import", help="add or replace targets from .xlsx/.csv")
    target_file.add_argument("file", type=Path)
    target_file.set_defaults(func=cmd_targets_import)
    jobs = commands.add_parser("jobs", help="scheduled jobs").add_subparsers()
    job = jobs.add_parser("run", help="run a job now, as if at --at (Vietnamese time)")
    job.add_argument("job", choices=[REMINDER, LEADERBOARD, MONTHLY, CAMPAIGNS])
    job.add_argument("--at", metavar="ISO-DATETIME")
    job.add_argument("--unit", metavar="CODE", help="only this commune")
    job.set_defaults(func=cmd_jobs_run)
