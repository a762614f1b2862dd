"""`tocongnghe`: the operator's command line."""

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from config import get_settings
from db.models import Level, Role


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not getattr(args, "func", None):
        _parser().print_help()
        return 2
    try:
        return args.func(args) or 0
    except CliError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1


class CliError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tocongnghe", description="Tổ Công Nghệ bot")
    commands = parser.add_subparsers()

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
    one.add_argument("--unit-label", default="lượt")
    one.add_argument("--aliases", default="", help="comma-separated words members type")
    one.set_defaults(func=cmd_indicators_add)

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

    demo = commands.add_parser("demo", help="try the bot in a local web chat with demo data")
    demo.add_argument("--reset", action="store_true", help="empty the database, seed the demo")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--allow-public", action="store_true", help="let other machines reach the web chat"
    )
    demo.set_defaults(func=cmd_demo)
    summary = commands.add_parser("report", help="print a unit's summary, write Excel/PNG files")
    summary.add_argument("--unit", required=True, metavar="CODE", help='unit code; "/" = country')
    summary.add_argument("--period", default="tuan", help="tuan, thang, quy, nam, mm/yyyy…")
    summary.add_argument("--xlsx", type=Path, metavar="FILE", help="write the Excel workbook")
    summary.add_argument("--png", type=Path, metavar="FILE", help="write the progress chart")
    summary.set_defaults(func=cmd_report)

    targets = commands.add_parser("targets", help="targets (chỉ tiêu)").add_subparsers()
    target_file = targets.add_parser("import", help="add or replace targets from .xlsx/.csv")
    target_file.add_argument("file", type=Path)
    target_file.set_defaults(func=cmd_targets_import)
    jobs = commands.add_parser("jobs", help="scheduled jobs").add_subparsers()
    job = jobs.add_parser("run", help="run a job now, as if at --at (Vietnamese time)")
    job.add_argument("job", choices=["reminder", "leaderboard", "monthly"])
    job.add_argument("--at", metavar="ISO-DATETIME")
    job.add_argument("--unit", metavar="CODE", help="only this commune")
    job.set_defaults(func=cmd_jobs_run)
    return parser


def run(coroutine):
    return asyncio.run(coroutine)


async def _in_session(work):
    from db.session import dispose_engines, session_scope

    try:
        async with session_scope() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await dispose_engines()


def cmd_db_upgrade(_args) -> None:
    from db.indicators import ensure_default_indicators
    from db.migrate import upgrade

    upgrade()
    added = run(_in_session(ensure_default_indicators))
    print(
        f"Database ready at {get_settings().effective_database_url} ({added} default indicators added)."
    )


def cmd_units_load(_args) -> None:
    from db.units import load_official_units

    added = run(_in_session(load_official_units))
    print(f"Added {added} official units.")


async def _unit_or_fail(session, code: str):
    from db.units import get_unit

    unit = await get_unit(session, code=code)
    if unit is None:
        raise CliError(f"không có đơn vị mã {code} (xem: tocongnghe units list)")
    return unit


def cmd_units_list(args) -> None:
    from db.units import list_units

    async def work(session):
        under = await _unit_or_fail(session, args.under) if args.under else None
        return await list_units(session, under=under)

    for unit in run(_in_session(work)):
        print(f"{unit.code}\t{unit.level}\t{unit.name}")


def cmd_units_add(args) -> None:
    from db.units import create_unit, ensure_team

    async def work(session):
        parent = await _unit_or_fail(session, args.parent)
        unit = await create_unit(session, level=Level(args.level), name=args.name, parent=parent)
        await ensure_team(session, unit=unit)
        return unit

    unit = run(_in_session(work))
    print(f"{unit.code}\t{unit.level}\t{unit.name}")


def cmd_import_roster(args) -> int:
    from bot.roster import NotARoster, import_roster

    try:
        result = run(_in_session(lambda session: import_roster(session, args.file)))
    except NotARoster as error:
        raise CliError(str(error)) from error
    print(
        f"Imported {result.rows_ok} rows: {result.people_added} new people, {result.units_added} new units."
    )
    for number, reason in result.errors:
        print(f"Dòng {number}: {reason}")
    return 1 if result.errors else 0


def cmd_invite(args) -> None:
    from db.units import create_invite

    async def work(session):
        unit = await _unit_or_fail(session, args.unit)
        return await create_invite(
            session, unit=unit, role=Role(args.role), uses=args.uses, days=args.days
        )

    invite = run(_in_session(work))
    zone = get_settings().zone
    print(
        f"Invite for {args.role}, {args.uses} use(s), valid until {invite.expires_at.astimezone(zone):%d/%m/%Y %H:%M}."
    )
    print(f"Send to the bot: /thamgia {invite.code}")
    print(invite.code)


def cmd_indicators_list(_args) -> None:
    from db.indicators import active_indicators

    for indicator in run(_in_session(active_indicators)):
        print(f"{indicator.code}\t{indicator.name}\t{indicator.unit_label}\t{indicator.aliases}")


def cmd_indicators_import(args) -> None:
    from db.indicators import CatalogueError, read_catalogue, upsert_indicators

    try:
        entries = read_catalogue(args.file)
    except (CatalogueError, OSError) as error:
        raise CliError(str(error)) from error
    added = run(_in_session(lambda session: upsert_indicators(session, entries)))
    print(f"{len(entries)} indicators read, {added} new.")


def cmd_indicators_add(args) -> None:
    from db.indicators import upsert_indicators

    entry = {
        "code": args.code,
        "name": args.name,
        "unit_label": args.unit_label,
        "aliases": [a for a in args.aliases.split(",") if a.strip()],
    }
    run(_in_session(lambda session: upsert_indicators(session, [entry])))
    print(f"Indicator {args.code} saved.")


def cmd_serve(args) -> None:
    from webhook.app import create_app
    from webhook.webchat import enabled

    settings = get_settings()
    webchat = enabled(settings)
    if webchat:
        _refuse_public(args)
    if not args.no_migrate:
        cmd_db_upgrade(args)
    if webchat and not (settings.telegram_bot_token or settings.zalo_bot_token):
        _seed_demo(reset=False)
    if webchat:
        print(f"Web chat: http://{args.host}:{args.port}/")
    app = create_app(run_scheduler=not args.no_scheduler)
    _run(app, args, log_level="info", access_log=args.access_log)


def cmd_set_webhook(args) -> None:
    from webhook.app import Service

    settings = get_settings()
    if not settings.public_base_url:
        raise CliError("PUBLIC_BASE_URL chưa được đặt (địa chỉ HTTPS công khai của dịch vụ).")
    service = Service(settings)
    channel = service.channels.get(args.channel)
    if channel is None:
        raise CliError(f"chưa cấu hình token cho {args.channel}")
    secret = (
        settings.telegram_webhook_secret
        if args.channel == "telegram"
        else settings.zalo_webhook_secret
    )
    if not secret:
        raise CliError(f"chưa đặt {args.channel.upper()}_WEBHOOK_SECRET")
    url = f"{settings.public_base_url}/webhook/{args.channel}"

    async def set_webhook():
        try:
            await channel.set_webhook(url, secret)
        finally:
            await service.close()

    run(set_webhook())
    print(f"Webhook set: {url}")


def cmd_demo(args) -> None:
    """The whole product on one laptop with no bot token: demo data and the local web chat."""
    from webhook.app import create_app

    _refuse_public(args)
    off = {"telegram_bot_token": "", "zalo_bot_token": "", "public_base_url": ""}
    settings = get_settings().model_copy(update={"webchat_enabled": True, **off})
    cmd_db_upgrade(args)
    _seed_demo(reset=args.reset)
    print(f"Web chat: http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    app = create_app(settings, run_scheduler=False)
    _run(app, args, log_level="warning", access_log=False)


def _run(app, args, *, log_level: str, access_log: bool) -> None:
    """Run the app in uvicorn, with what was loaded so far out of the garbage collector's way
    (`settle_gc`). The access log is off unless asked for: every update is recorded in the
    database anyway."""
    import uvicorn

    settle_gc()
    uvicorn.run(app, host=args.host, port=args.port, log_level=log_level, access_log=access_log)


def settle_gc() -> None:
    """Tune the garbage collector for a long-running service; call when startup is done.

    The modules, classes and settings loaded by then (~200,000 objects) live as long as the
    process, and each full collection walked them all again: under load that was ~15% of the
    service's CPU (bench/ingest.py). `gc.freeze` moves them to a generation never collected.
    Nearly everything a request allocates is freed by reference counting, yet at the default
    threshold (700 allocations) the young generation was still collected ~200 times a second
    under load, ~5% of the CPU; at 20,000 it is collected about once a second, and what it
    holds meanwhile is a few megabytes.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 40)


def _refuse_public(args) -> None:
    """The web chat has no login: anyone who reaches it can speak as anyone."""
    from bot import texts
    from webhook.webchat import is_loopback

    if not is_loopback(args.host) and not args.allow_public:
        raise CliError(texts.WEBCHAT_PUBLIC_REFUSED.format(host=args.host))


def _seed_demo(*, reset: bool) -> None:
    """Seed an empty database (or reset one); a database with real data is left alone."""
    from bot import texts
    from bot.demo import holds_real_users, is_empty, reset_demo, seed_demo, web_people

    today = datetime.now(get_settings().zone).date()

    async def work(session):
        if reset:
            if await holds_real_users(session):
                raise CliError(texts.DEMO_RESET_REFUSED)
            await reset_demo(session, today=today)
        elif await is_empty(session):
            await seed_demo(session, today=today)
        return await web_people(session)

    people = run(_in_session(work))
    if people:
        print(f"Demo data: {people} people you can chat as (Xã Tân Phú, Đồng Tháp).")
    else:
        print(texts.DEMO_NOT_SEEDED, file=sys.stderr)


def cmd_report(args) -> None:
    from bot.handlers.summary import period_summary, read_period
    from bot.parsing import ParseError
    from bot.render import progress_chart, summary_workbook
    from bot.summary_text import format_summary_text
    from db.summary import country_unit

    now = datetime.now(get_settings().zone)
    try:
        period = read_period(args.period, now.date())
    except ParseError as error:
        raise CliError(error.message) from error

    async def work(session):
        unit = country_unit() if args.unit == "/" else await _unit_or_fail(session, args.unit)
        return await period_summary(
            session, unit=unit, period=period, now=now, with_lines=bool(args.xlsx)
        )

    summary = run(_in_session(work))
    print(format_summary_text(summary))
    if args.xlsx:
        args.xlsx.write_bytes(summary_workbook(summary))
    if args.png:
        args.png.write_bytes(progress_chart(summary))


def cmd_targets_import(args) -> int:
    from db.targets import NotATargetFile, import_targets

    try:
        result = run(_in_session(lambda session: import_targets(session, args.file)))
    except NotATargetFile as error:
        raise CliError(str(error)) from error
    print(f"Imported {result.imported} targets.")
    for number, reason in result.errors:
        print(f"Dòng {number}: {reason}")
    return 1 if result.errors else 0


def cmd_jobs_run(args) -> None:
    """Enqueue the job's messages (once per period, as the scheduler would), then deliver them."""
    from scheduler.jobs import run_job
    from scheduler.runner import deliver
    from webhook.app import Service

    settings = get_settings()
    now = parse_at(args.at) or datetime.now(settings.zone)

    async def work():
        from db.session import dispose_engines

        service = Service(settings)
        try:
            result = await run_job(args.job, now=now, code=args.unit)
            delivery = await deliver(service.sender, result.ids)
            return result, delivery
        finally:
            await service.close()
            await dispose_engines()

    result, delivery = run(work())
    print(
        f"{args.job} at {now:%Y-%m-%d %H:%M}: {result.communes} communes, {result.skipped} already done, "
        f"{len(result.ids)} messages queued; sent {delivery.sent}, waiting {delivery.waiting}, "
        f"failed {delivery.failed}, unreachable {delivery.unreachable}"
    )
    if result.failed:
        raise CliError(f"job failed for communes {', '.join(result.failed)}")


def parse_at(text: str | None) -> datetime | None:
    """`--at 2026-11-21T08:00` in Vietnamese time, for jobs run as if at that moment."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=get_settings().zone)


if __name__ == "__main__":
    sys.exit(main())
