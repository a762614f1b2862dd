"""The operator's service commands: serve, demo, set-webhook, and running a job now."""

import sys
from datetime import datetime

from bot import texts
from cli.commands import CliError, cmd_db_upgrade, in_session, run
from config import get_settings

# On SIGTERM/SIGINT: requests in flight (and their inbox batches) get this long to finish, then
# the sender and the scheduler stop (cli.app); `docker compose stop` waits 10 s before SIGKILL.
SHUTDOWN_SECONDS = 8


def cmd_serve(args) -> None:
    from cli.app import create_app
    from webhook.webchat import enabled, unprotected

    settings = get_settings()
    check_settings(settings)
    webchat = enabled(settings)
    if unprotected(settings):
        raise CliError(texts.WEBCHAT_NEEDS_PASSWORD)
    if webchat and not settings.webchat_password:
        _refuse_public(args)
    if not args.no_migrate:
        cmd_db_upgrade(args)
    if webchat and not (settings.telegram_bot_token or settings.zalo_bot_token):
        _seed_demo(reset=False)
    if webchat:
        print(texts.WEB_CHAT_AT.format(host=args.host, port=args.port))
    app = create_app(run_scheduler=not args.no_scheduler)
    _run(app, args, log_level="info", access_log=args.access_log)


def check_settings(settings) -> None:
    """Refuse weak secrets once a platform token is set; warn about SQLite with one."""
    weak = settings.weak_secrets()
    if weak:
        raise CliError(texts.UNSAFE_SETTINGS.format(names=", ".join(weak)))
    if settings.on_sqlite and (settings.telegram_bot_token or settings.zalo_bot_token):
        print(texts.SQLITE_WITH_TOKEN, file=sys.stderr)


def cmd_set_webhook(args) -> None:
    from cli.app import Service

    settings = get_settings()
    if not settings.public_base_url:
        raise CliError(texts.CLI_NO_PUBLIC_URL)
    service = Service(settings)
    channel = service.channels.get(args.channel)
    if channel is None:
        raise CliError(texts.CLI_NO_TOKEN.format(channel=args.channel))
    secret = (
        settings.telegram_webhook_secret
        if args.channel == "telegram"
        else settings.zalo_webhook_secret
    )
    if not secret:
        raise CliError(texts.CLI_NO_SECRET.format(name=f"{args.channel.upper()}_WEBHOOK_SECRET"))
    url = f"{settings.public_base_url}/webhook/{args.channel}"

    async def set_webhook():
        try:
            await channel.set_webhook(url, secret)
        finally:
            await service.close()

    run(set_webhook())
    print(texts.WEBHOOK_SET.format(url=url))


def cmd_demo(args) -> None:
    """The whole product on one laptop with no bot token: demo data and the local web chat."""
    from cli.app import create_app

    _refuse_public(args)
    off = {"telegram_bot_token": "", "zalo_bot_token": "", "public_base_url": ""}
    settings = get_settings().model_copy(update={"webchat_enabled": True, **off})
    cmd_db_upgrade(args)
    _seed_demo(reset=args.reset)
    print(texts.WEB_CHAT_RUNNING.format(host=args.host, port=args.port))
    app = create_app(settings, run_scheduler=False)
    _run(app, args, log_level="warning", access_log=False)


def _run(app, args, *, log_level: str, access_log: bool) -> None:
    """Run the app in uvicorn, with what was loaded so far out of the garbage collector's way
    (`settle_gc`). The access log is off unless asked for: every update is recorded in the
    database anyway."""
    import uvicorn

    from cli.logs import setup_logging

    setup_logging(get_settings())
    settle_gc()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,  # cli.logs: one format for every line
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )


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
    """The web chat without a password: anyone who reaches it can speak as anyone."""
    from webhook.webchat import is_loopback

    if not is_loopback(args.host) and not args.allow_public:
        raise CliError(texts.WEBCHAT_PUBLIC_REFUSED.format(host=args.host))


def _seed_demo(*, reset: bool) -> None:
    """Seed an empty database (or reset one); a database with real data is left alone."""
    from bot.demo import (
        COMMUNE,
        PROVINCE,
        holds_real_users,
        is_empty,
        reset_demo,
        seed_demo,
        web_people,
    )

    today = datetime.now(get_settings().zone).date()

    async def work(session):
        if reset:
            if await holds_real_users(session):
                raise CliError(texts.DEMO_RESET_REFUSED)
            await reset_demo(session, today=today)
        elif await is_empty(session):
            await seed_demo(session, today=today)
        return await web_people(session)

    people = run(in_session(work))
    if people:
        commune, province = COMMUNE[1], PROVINCE[1]
        print(texts.DEMO_PEOPLE.format(people=people, commune=commune, province=province))
    else:
        print(texts.DEMO_NOT_SEEDED, file=sys.stderr)


def cmd_jobs_run(args) -> None:
    """Enqueue the job's messages (once per period, as the scheduler would), then deliver them."""
    from cli.app import Service
    from scheduler.jobs import run_job
    from scheduler.runner import deliver

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
        texts.JOB_RAN.format(
            job=args.job,
            at=f"{now:%Y-%m-%d %H:%M}",
            communes=result.communes,
            skipped=result.skipped,
            queued=len(result.ids),
            sent=delivery.sent,
            waiting=delivery.waiting,
            failed=delivery.failed,
            unreachable=delivery.unreachable,
        )
    )
    if result.failed:
        raise CliError(texts.JOB_FAILED.format(communes=", ".join(result.failed)))


def parse_at(text: str | None) -> datetime | None:
    """`--at 2026-11-21T08:00` in Vietnamese time, for jobs run as if at that moment."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=get_settings().zone)
