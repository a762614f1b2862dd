"""/lienket: one person on two chat apps, with one set of reports."""

from bot import texts
from bot.core.context import Context
from bot.core.replies import Reply
from bot.notices import sender_and_app, to_person
from db.people import (
    LINK_CODE_MINUTES,
    LinkProblem,
    code_owner,
    create_link_code,
    link_identity,
)

LINK_PROBLEMS = {
    "unknown": texts.LINK_ACCOUNTS_UNKNOWN,
    "expired": texts.LINK_ACCOUNTS_EXPIRED,
    "same_platform": texts.LINK_ACCOUNTS_SAME_PLATFORM,
}


async def link_accounts(ctx: Context, args: str) -> list[Reply]:
    """/lienket gives a short code; /lienket CODE in the other app joins that account to its owner."""
    if not ctx.event.is_private:  # a code shown in a group could be used by anyone there
        return [Reply(texts.LINK_ACCOUNTS_PRIVATE_ONLY)]
    code = args.split()[0].upper() if args.strip() else ""
    return await (_use_code(ctx, code) if code else _give_code(ctx))


async def _give_code(ctx: Context) -> list[Reply]:
    if ctx.person is None:
        return [Reply(texts.LINK_ACCOUNTS_NO_PERSON)]
    link = await create_link_code(ctx.session, person_id=ctx.person.id)
    return [Reply(texts.LINK_ACCOUNTS_CODE.format(code=link.code, minutes=LINK_CODE_MINUTES))]


async def _tell_owner(ctx: Context, code: str) -> list[Reply]:
    """A refused use of a live code: its owner hears of it on every app, in case it leaked."""
    owner = await code_owner(ctx.session, code=code)
    notice = texts.LINK_ACCOUNTS_REFUSED_NOTICE.format(
        **sender_and_app(ctx), name=owner.display_name
    )
    return await to_person(ctx, owner.id, notice)


async def _use_code(ctx: Context, code: str) -> list[Reply]:
    """Link, then tell the person's other accounts, so a code used by someone else is noticed."""
    event = ctx.event
    try:
        person = await link_identity(
            ctx.session,
            code=code,
            platform=event.platform,
            user_id=event.user_id,
            display_name=event.display_name,
        )
    except LinkProblem as problem:
        if str(problem) == "already":
            return [Reply(texts.LINK_ACCOUNTS_ALREADY.format(name=ctx.person.display_name))]
        refusal = Reply(LINK_PROBLEMS[str(problem)].format(code=code))
        if str(problem) == "same_platform":
            return [refusal, *await _tell_owner(ctx, code)]
        return [refusal]
    notice = texts.LINK_ACCOUNTS_NOTICE.format(name=person.display_name)
    others = await to_person(ctx, person.id, notice, but_sender=True)
    await ctx.reload()
    return [Reply(texts.LINK_ACCOUNTS_DONE.format(name=person.display_name)), *others]
