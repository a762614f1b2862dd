"""The operator's data commands: schema, units, roster, invites, indicators, reports, targets."""

import asyncio
from datetime import datetime

from bot import texts
from config import get_settings
from db.models import Level, Role


class CliError(Exception):
    pass


def run(coroutine):
    return asyncio.run(coroutine)


async def in_session(work):
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
    added = run(in_session(ensure_default_indicators))
    print(texts.DB_READY.format(url=get_settings().effective_database_url, added=added))


def cmd_units_load(_args) -> None:
    from db.units import load_official_units

    added = run(in_session(load_official_units))
    print(texts.UNITS_LOADED.format(added=added))


async def unit_or_fail(session, code: str):
    from db.units import get_unit

    unit = await get_unit(session, code=code)
    if unit is None:
        raise CliError(texts.CLI_NO_UNIT.format(code=code))
    return unit


def cmd_units_list(args) -> None:
    from db.units import list_units

    async def work(session):
        under = await unit_or_fail(session, args.under) if args.under else None
        return await list_units(session, under=under)

    for unit in run(in_session(work)):
        print(texts.UNIT_LINE.format(code=unit.code, level=unit.level, name=unit.name))


def cmd_units_add(args) -> None:
    from db.units import create_unit, ensure_team

    async def work(session):
        parent = await unit_or_fail(session, args.parent)
        unit = await create_unit(session, level=Level(args.level), name=args.name, parent=parent)
        await ensure_team(session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
        return unit

    unit = run(in_session(work))
    print(texts.UNIT_LINE.format(code=unit.code, level=unit.level, name=unit.name))


def cmd_import_roster(args) -> int:
    from bot.roster import NotARoster, import_roster

    try:
        result = run(in_session(lambda session: import_roster(session, args.file)))
    except NotARoster as error:
        raise CliError(str(error)) from error
    print(
        texts.ROSTER_IMPORTED.format(
            rows=result.rows_ok, people=result.people_added, units=result.units_added
        )
    )
    for number, reason in result.errors:
        print(texts.CLI_ROW.format(number=number, reason=reason))
    return 1 if result.errors else 0


def cmd_invite(args) -> None:
    from db.units import create_invite

    async def work(session):
        unit = await unit_or_fail(session, args.unit)
        return await create_invite(
            session, unit=unit, role=Role(args.role), uses=args.uses, days=args.days
        )

    invite = run(in_session(work))
    zone = get_settings().zone
    until = f"{invite.expires_at.astimezone(zone):%d/%m/%Y %H:%M}"
    print(texts.INVITE_MADE.format(role=args.role, uses=args.uses, until=until))
    print(texts.INVITE_SEND.format(code=invite.code))
    print(invite.code)


def cmd_indicators_list(_args) -> None:
    from db.indicators import active_indicators

    for indicator in run(in_session(active_indicators)):
        print(
            texts.INDICATOR_LINE.format(
                code=indicator.code,
                name=indicator.name,
                unit_label=indicator.unit_label,
                aliases=indicator.aliases,
            )
        )


def cmd_indicators_import(args) -> None:
    from db.indicators import CatalogueError, read_catalogue, upsert_indicators

    try:
        entries = read_catalogue(args.file)
    except (CatalogueError, OSError) as error:
        raise CliError(str(error)) from error
    added = run(
        in_session(
            lambda session: upsert_indicators(
                session, entries, default_unit_label=texts.DEFAULT_UNIT_LABEL
            )
        )
    )
    print(texts.INDICATORS_IMPORTED.format(read=len(entries), added=added))


def cmd_indicators_add(args) -> None:
    from db.indicators import upsert_indicators

    entry = {
        "code": args.code,
        "name": args.name,
        "unit_label": args.unit_label,
        "aliases": [a for a in args.aliases.split(",") if a.strip()],
    }
    run(in_session(lambda session: upsert_indicators(session, [entry])))
    print(texts.INDICATOR_SAVED.format(code=args.code))


def cmd_words_unknown(args) -> None:
    """WORD<TAB>SEEN<TAB>LAST SEEN (Vietnamese time), the most frequent first."""
    from db.vocabulary import unknown_words

    words = run(in_session(lambda session: unknown_words(session, limit=args.limit)))
    if not words:
        print(texts.CLI_WORDS_NONE)
    zone = get_settings().zone
    for word in words:
        print(
            texts.CLI_WORD_ROW.format(
                word=word.word, seen=word.seen, last=word.last_seen.astimezone(zone)
            )
        )


def cmd_words_alias(args) -> None:
    from db.vocabulary import add_alias

    code = args.code.lower()
    added = run(in_session(lambda session: add_alias(session, code=code, word=args.word)))
    if not added:
        raise CliError(texts.CLI_ALIAS_NOT_ADDED.format(code=args.code))
    print(texts.CLI_ALIAS_ADDED.format(word=args.word, code=code))


def cmd_report(args) -> None:
    from bot.render.chart import progress_chart
    from bot.render.workbook import summary_workbook
    from bot.summaries import country_unit, period_summary
    from bot.summary_args import read_period
    from bot.summary_text import format_summary_text
    from bot.words import ParseError

    now = datetime.now(get_settings().zone)
    try:
        period = read_period(args.period, now.date())
    except ParseError as error:
        raise CliError(error.message) from error

    async def work(session):
        unit = country_unit() if args.unit == "/" else await unit_or_fail(session, args.unit)
        return await period_summary(
            session, unit=unit, period=period, now=now, with_lines=bool(args.xlsx)
        )

    summary = run(in_session(work))
    print(format_summary_text(summary))
    if args.xlsx:
        args.xlsx.write_bytes(summary_workbook(summary))
    if args.png:
        args.png.write_bytes(progress_chart(summary))


def cmd_targets_import(args) -> int:
    from bot.target_file import NotATargetFile, import_targets

    try:
        result = run(in_session(lambda session: import_targets(session, args.file)))
    except NotATargetFile as error:
        raise CliError(str(error)) from error
    print(texts.TARGETS_IMPORTED.format(imported=result.imported))
    for number, reason in result.errors:
        print(texts.CLI_ROW.format(number=number, reason=reason))
    return 1 if result.errors else 0
