"""/huongdan and /help: what the bot does, fitted to the sender's role."""

from bot import texts
from bot.core.context import Context
from bot.core.replies import Reply
from bot.reporting import catalogue


async def help_text(ctx: Context) -> str:
    if ctx.person is None and not ctx.is_admin:
        return texts.HELP_STRANGER
    book = await catalogue(ctx)
    indicators = ", ".join(f"{code} ({label})" for code, label in book.labels.items())
    text = texts.HELP_MEMBER.format(indicators=indicators)
    if any(p.leads for p in ctx.places):
        text += texts.HELP_LEADER
    if ctx.official_places or ctx.is_admin:
        text += texts.HELP_OFFICIAL
    return text


async def show_help(ctx: Context, _args: str) -> list[Reply]:
    return [Reply(await help_text(ctx))]
