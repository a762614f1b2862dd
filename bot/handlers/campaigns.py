"""/chiendich: officials list their communes' campaigns, see one, and start a new one.

/chiendich             the list (each one a choice), and «Tạo chiến dịch»
/chiendich <số>        one campaign: totals and each hamlet
/chiendich mới         the guided set-up (bot.conversations.campaign_setup)
"""

from bot import texts
from bot.campaigns import read_figures, show_text, state_label
from bot.conversations import campaign_setup
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.words import fold
from db.campaigns import campaigns_of, get_campaign
from db.models import Level, Unit

SHOWN = 10  # campaigns listed


def official_communes(ctx: Context) -> list[Unit]:
    return [p.unit for p in ctx.official_places if p.unit.level == Level.COMMUNE]


async def campaigns(ctx: Context, args: str) -> list[Reply]:
    """The list, one campaign, or the set-up flow; for the officials of a commune."""
    communes = official_communes(ctx)
    if ctx.person is None:
        return [Reply(texts.NOT_JOINED)]
    if not communes:
        return [Reply(texts.CAMPAIGN_OFFICIALS_ONLY)]
    if not ctx.event.is_private:
        return [Reply(texts.TEAM_PRIVATE_ONLY.format(command="chiendich"))]
    word = fold(args.strip())
    if word in texts.CAMPAIGN_COMMAND_WORDS:
        return await campaign_setup.begin(ctx, communes)
    if word.lstrip("#").isdigit():
        return await _show(ctx, communes, int(word.lstrip("#")))
    if word:
        return [Reply(texts.CAMPAIGN_UNKNOWN.format(value=args.strip()[:20]))]
    return await _list(ctx, communes)


async def _list(ctx: Context, communes: list[Unit]) -> list[Reply]:
    found = (await campaigns_of(ctx.session, unit_ids=[u.id for u in communes]))[:SHOWN]
    new = Choice(texts.BTN_NEW_CAMPAIGN, "/chiendich moi")
    names = ", ".join(u.name for u in communes)
    if not found:
        return [Reply(texts.CAMPAIGN_NONE.format(unit=names), choices=(new,))]
    lines = [texts.CAMPAIGN_LIST_HEADER.format(unit=names)]
    for no, c in enumerate(found, 1):
        lines.append(
            texts.CAMPAIGN_LIST_LINE.format(
                no=no,
                name=c.name,
                start=f"{c.start_date:%d/%m}",
                end=f"{c.end_date:%d/%m/%Y}",
                state=state_label(c, ctx.today),
            )
        )
    choices = tuple(Choice(texts.shorten(c.name, 30), f"/chiendich {c.id}") for c in found)
    return [Reply("\n".join(lines), choices=(*choices, new))]


async def _show(ctx: Context, communes: list[Unit], campaign_id: int) -> list[Reply]:
    campaign = await get_campaign(ctx.session, campaign_id=campaign_id)
    if campaign is None or campaign.unit_id not in {u.id for u in communes}:
        return [Reply(texts.CAMPAIGN_UNKNOWN.format(value=campaign_id))]
    figures = await read_figures(ctx.session, campaign=campaign)
    return [Reply(show_text(figures, ctx.today))]
