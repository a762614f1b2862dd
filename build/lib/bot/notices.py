"""Private messages to people other than the sender: a person on every app they use, who answers
for a unit, and how a notice names the sender ("Kẻ Giả, trên Zalo")."""

from bot import texts
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from db.models import Identity, Unit
from db.people import identities, unit_leaders


def address(identity: Identity) -> str:
    """A Reply's `private_to` for one account."""
    return f"{identity.platform}:{identity.user_id}"


def sender_and_app(ctx: Context) -> dict:
    """The sender's display name and app, the `display` and `app` fields of a warning."""
    event = ctx.event
    return {
        "display": event.display_name or event.user_id,
        "app": texts.APP_NAMES.get(event.platform, event.platform),
    }


async def to_person(
    ctx: Context, person_id: int, text: str, *, but_sender: bool = False
) -> list[Reply]:
    """`text` to each of the person's accounts; `but_sender` leaves out the one writing now."""
    sender = (ctx.event.platform, ctx.event.user_id)
    return [
        Reply(text, private_to=address(i))
        for i in await identities(ctx.session, person_id=person_id)
        if not (but_sender and (i.platform, i.user_id) == sender)
    ]


async def to_unit_leaders(
    ctx: Context,
    unit: Unit,
    text: str,
    choices: tuple[Choice, ...] = (),
    *,
    skip: int | None = None,
) -> list[Reply]:
    """`text` to who answers for the unit (`db.people.unit_leaders`), one account per person;
    `skip` is a person told otherwise."""
    seen, notices = {skip}, []
    for identity in await unit_leaders(ctx.session, unit=unit):
        if identity.person_id not in seen:
            seen.add(identity.person_id)
            notices.append(Reply(text, choices=choices, private_to=address(identity)))
    return notices
