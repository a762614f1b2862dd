"""How the bot addresses the sender: «bạn» to a member, «anh/chị» to those who run a team.

Leaders and commune officials are often older and hold a post; calling them «bạn» reads as
offhand in Vietnamese, so replies meant for them say «anh/chị».
"""

from bot import texts
from bot.core.context import Context


def runs_a_team(ctx: Context) -> bool:
    """An official, an admin, or the leader or deputy of a team."""
    return bool(ctx.official_places) or ctx.is_admin or any(p.leads for p in ctx.places)


def you(ctx: Context) -> str:
    """The word for "you" (lower case; `texts.capital` starts a sentence with it)."""
    return texts.YOU_RESPECTFUL if runs_a_team(ctx) else texts.YOU_MEMBER
