"""/huongdan and /help: what the bot does, fitted to the sender's role.

A member is told how to report; a leader also how to run the team; an official (who reports
nothing) only how to follow and run the commune.
"""

from bot import texts
from bot.core.context import Context
from bot.core.replies import Reply
from bot.reporting import catalogue
from bot.unit_names import kind_of


async def help_text(ctx: Context) -> str:
    if ctx.person is None and not ctx.is_admin:
        return texts.HELP_STRANGER
    parts = [texts.HELP_HEADER]
    official = bool(ctx.official_places) or ctx.is_admin
    reporting = ctx.reporting_places
    kind = kind_of(reporting[0].unit) if reporting else texts.LEVEL_WORDS["hamlet"]
    if reporting or not official:
        book = await catalogue(ctx)
        indicators = ", ".join(f"{code} ({label})" for code, label in book.labels.items())
        parts.append(texts.HELP_MEMBER.format(indicators=indicators, kind=kind))
    if any(p.leads for p in reporting):
        parts.append(texts.HELP_LEADER.format(kind=kind))
    if official:
        parts.append(texts.HELP_OFFICIAL)
    return "\n".join(parts)


async def show_help(ctx: Context, _args: str) -> list[Reply]:
    return [Reply(await help_text(ctx))]


def how_to(ctx: Context) -> str:
    """The short how-to a greeting or a question gets, for the sender's role."""
    if ctx.person is None and not ctx.is_admin:
        return texts.HELP_STRANGER
    name = ctx.person.display_name if ctx.person else ""
    if ctx.official_places and not ctx.reporting_places:
        return texts.HOW_TO_OFFICIAL.format(name=name)
    return texts.HOW_TO_MEMBER.format(name=name)
