"""/vuongmac and /huongdan: difficulties raised by members, handled by who can solve them, and the
answers kept as how-tos.

    /vuongmac                      the open ones the sender may see, with their age
    /vuongmac app VNeID báo lỗi…   raise one at once (or «Nêu vướng mắc mới»: a guided flow)
    /vuongmac 12                   one difficulty and its history
    /vuongmac nhan|xong 12         «Nhận xử lý», «Đã giải quyết» (the buttons in the notice)
    /vuongmac traloi 12 nội dung   answer the member
    /huongdan vneid                the commune's how-to on a topic; /huongdan alone is the help
    /huongdan luu 12 [chủ đề]      an official saves a resolved difficulty's answer as a how-to
A member sees the difficulties of their own hamlet only; an official those under their unit.
"""

from datetime import UTC

from bot import texts
from bot.conversations import difficulty as flow
from bot.core.context import Context
from bot.core.replies import Choice, Reply
from bot.handlers.help import show_help
from bot.handlers.join import answers_for
from bot.notices import to_person
from bot.words import fold
from db.difficulties import (
    RESOLVED,
    TAKEN,
    add_event,
    history,
    how_to,
    how_to_topics,
    open_under,
    save_how_to,
)
from db.models import Difficulty, Level, Person, Unit

NEW = "moi"
PREVIEW = 50


async def difficulties(ctx: Context, args: str) -> list[Reply]:
    if ctx.person is None:
        return [Reply(texts.HELP_STRANGER)]
    words = args.split()
    if not words:
        return await _open_list(ctx)
    if len(words) == 1 and words[0].isdigit():
        return await _detail(ctx, int(words[0]))
    action = fold(words[0])
    if len(words) >= 2 and words[1].isdigit() and action in ACTIONS:
        return await ACTIONS[action](ctx, int(words[1]), " ".join(words[2:]))
    return await flow.begin(ctx, "" if fold(args) == NEW else args.strip())


def visible_paths(ctx: Context) -> list[str]:
    """Where the sender sees difficulties: under their official units, and their own hamlets."""
    return [p.unit.path for p in ctx.official_places] + [p.unit.path for p in ctx.reporting_places]


def age(difficulty: Difficulty, ctx: Context) -> str:
    days = (ctx.now.date() - difficulty.created_at.astimezone(ctx.now.tzinfo).date()).days
    return texts.AGE_DAYS.format(n=days) if days > 0 else texts.AGE_TODAY


async def _open_list(ctx: Context) -> list[Reply]:
    found = await open_under(ctx.session, paths=visible_paths(ctx), person_id=ctx.person.id)
    lines = [texts.DIFFICULTY_LIST_HEADER] if found else [texts.DIFFICULTY_LIST_EMPTY]
    for difficulty, hamlet in found:
        text = difficulty.text
        lines.append(
            texts.DIFFICULTY_LIST_LINE.format(
                number=difficulty.id,
                hamlet=hamlet.name,
                category=texts.DIFFICULTY_CATEGORIES[difficulty.category],
                state=texts.DIFFICULTY_STATES[difficulty.state],
                age=age(difficulty, ctx),
                text=text if len(text) <= PREVIEW else text[:PREVIEW] + "…",
            )
        )
    if found:
        lines.append(texts.DIFFICULTY_LIST_MORE)
    new = (Choice(texts.BTN_NEW_DIFFICULTY, f"/vuongmac {NEW}"),) if ctx.reporting_places else ()
    return [Reply("\n".join(lines), choices=new)]


async def _find(ctx: Context, number: int) -> tuple[Difficulty, Unit] | Reply:
    """The difficulty and its hamlet, if the sender may see it."""
    difficulty = await ctx.session.get(Difficulty, number)
    hamlet = await ctx.session.get(Unit, difficulty.unit_id) if difficulty else None
    paths = visible_paths(ctx)
    if hamlet is None or not (
        difficulty.person_id == ctx.person.id
        or ctx.is_admin
        or any(hamlet.path.startswith(path) for path in paths)
    ):
        return Reply(texts.DIFFICULTY_UNKNOWN.format(number=number))
    return difficulty, hamlet


async def _detail(ctx: Context, number: int) -> list[Reply]:
    found = await _find(ctx, number)
    if isinstance(found, Reply):
        return [found]
    difficulty, hamlet = found
    lines = [
        texts.DIFFICULTY_DETAIL.format(
            number=number,
            hamlet=hamlet.name,
            category=texts.DIFFICULTY_CATEGORIES[difficulty.category],
            state=texts.DIFFICULTY_STATES[difficulty.state],
            text=difficulty.text,
        )
    ]
    for event in await history(ctx.session, difficulty_id=number):
        person = await ctx.session.get(Person, event.person_id) if event.person_id else None
        lines.append(
            texts.DIFFICULTY_HISTORY_LINE.format(
                time=f"{event.at.astimezone(ctx.now.tzinfo):%d/%m %H:%M}",
                who=person.display_name if person else texts.DIFFICULTY_BOT,
                kind=texts.DIFFICULTY_EVENTS[event.kind],
                text=f": {event.text}" if event.text else "",
            )
        )
    choices = ()
    if difficulty.state != RESOLVED and answers_for(ctx, hamlet):
        choices = flow.handling_choices(difficulty)
    return [Reply("\n".join(lines), choices=choices)]


async def _handled(ctx: Context, number: int) -> tuple[Difficulty, Person] | Reply:
    """The difficulty and its member, if the sender may handle it and it is not resolved."""
    found = await _find(ctx, number)
    if isinstance(found, Reply):
        return found
    difficulty, hamlet = found
    if not answers_for(ctx, hamlet):
        return Reply(texts.DIFFICULTY_NOT_ALLOWED)
    if difficulty.state == RESOLVED:
        return Reply(texts.DIFFICULTY_ALREADY_RESOLVED.format(number=number))
    return difficulty, await ctx.session.get(Person, difficulty.person_id)


async def _take(ctx: Context, number: int, _rest: str) -> list[Reply]:
    """«Nhận xử lý»: the member is told who took it; the taker's next line is the answer."""
    found = await _handled(ctx, number)
    if isinstance(found, Reply):
        return [found]
    difficulty, member = found
    if difficulty.state == TAKEN and difficulty.handler_id != ctx.person.id:
        taker = await ctx.session.get(Person, difficulty.handler_id)
        return [Reply(texts.DIFFICULTY_TAKEN_BY.format(number=number, handler=taker.display_name))]
    at = ctx.now.astimezone(UTC)
    difficulty.state, difficulty.handler_id = TAKEN, ctx.person.id
    difficulty.answered_at = difficulty.answered_at or at
    ctx.session.add(difficulty)
    await add_event(
        ctx.session, difficulty=difficulty, person_id=ctx.person.id, kind="taken", at=at
    )
    told = texts.DIFFICULTY_TAKEN_MEMBER.format(handler=ctx.person.display_name, number=number)
    return [
        await flow.start_answer(ctx, difficulty, member),
        *await to_person(ctx, member.id, told),
    ]


async def _answer(ctx: Context, number: int, text: str) -> list[Reply]:
    if not text.strip():
        return [Reply(texts.DIFFICULTY_ANSWER_USAGE)]
    found = await _handled(ctx, number)
    if isinstance(found, Reply):
        return [found]
    return await flow.send_answer(ctx, found[0], text)


async def _resolve(ctx: Context, number: int, _rest: str) -> list[Reply]:
    """«Đã giải quyết»: closed, the member told; an official may keep the answer as a how-to."""
    found = await _handled(ctx, number)
    if isinstance(found, Reply):
        return [found]
    difficulty, member = found
    at = ctx.now.astimezone(UTC)
    difficulty.state, difficulty.resolved_at = RESOLVED, at
    difficulty.answered_at = difficulty.answered_at or at
    ctx.session.add(difficulty)
    await add_event(
        ctx.session, difficulty=difficulty, person_id=ctx.person.id, kind="resolved", at=at
    )
    told = texts.DIFFICULTY_RESOLVED_MEMBER.format(number=number, handler=ctx.person.display_name)
    save = ctx.official_places and difficulty.answer
    choices = (Choice(texts.BTN_SAVE_HOW_TO, f"/huongdan luu {number}"),) if save else ()
    done = Reply(texts.DIFFICULTY_RESOLVED.format(number=number), choices=choices)
    return [done, *await to_person(ctx, member.id, told)]


ACTIONS = {
    **dict.fromkeys(texts.DIFFICULTY_TAKE_WORDS, _take),
    **dict.fromkeys(texts.DIFFICULTY_RESOLVE_WORDS, _resolve),
    **dict.fromkeys(texts.DIFFICULTY_ANSWER_WORDS, _answer),
}


# --- /huongdan ---
def commune_ids(ctx: Context) -> list[int]:
    """The communes whose how-tos the sender reads: their own, or their hamlets' communes."""
    ids = [p.unit.id if p.unit.level == Level.COMMUNE else p.unit.parent_id for p in ctx.places]
    return list(dict.fromkeys(i for i in ids if i is not None))


async def how_tos(ctx: Context, args: str) -> list[Reply]:
    """/huongdan alone is the help; with a topic, the commune's how-to on it."""
    words = args.split()
    if not words:
        return await show_help(ctx, args)
    if fold(words[0]) in texts.HOW_TO_SAVE_WORDS:
        return await _save(ctx, words[1:])
    topic = fold(words[0])
    for commune_id in commune_ids(ctx):
        if (saved := await how_to(ctx.session, commune_id=commune_id, topic=topic)) is not None:
            return [Reply(texts.HOW_TO_SHOW.format(topic=topic, text=saved.text))]
    topics = [t for c in commune_ids(ctx) for t in await how_to_topics(ctx.session, commune_id=c)]
    listed = ", ".join(dict.fromkeys(topics)) or texts.HOW_TO_NO_TOPICS
    return [Reply(texts.HOW_TO_NONE.format(topic=topic, topics=listed))]


async def _save(ctx: Context, words: list[str]) -> list[Reply]:
    """/huongdan luu N [chủ đề]: a resolved difficulty's answer becomes the commune's how-to."""
    if not words or not words[0].isdigit():
        return [Reply(texts.HOW_TO_SAVE_USAGE)]
    if not ctx.official_places and not ctx.is_admin:
        return [Reply(texts.HOW_TO_OFFICIALS_ONLY)]
    found = await _find(ctx, int(words[0]))
    if isinstance(found, Reply):
        return [found]
    difficulty, hamlet = found
    if difficulty.state != RESOLVED or not difficulty.answer:
        return [Reply(texts.HOW_TO_NO_ANSWER.format(number=difficulty.id))]
    topic = fold(words[1]) if len(words) > 1 else difficulty.category
    await save_how_to(
        ctx.session,
        commune_id=hamlet.parent_id,
        topic=topic,
        text=difficulty.answer,
        person_id=ctx.person.id,
        difficulty_id=difficulty.id,
        at=ctx.now.astimezone(UTC),
    )
    return [Reply(texts.HOW_TO_SAVED.format(topic=topic))]
