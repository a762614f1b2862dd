"""/vuongmac: a member raises a difficulty; whoever takes it types the answer.

Raising: ASKING_CATEGORY -> ASKING_TEXT (or the whole line after /vuongmac, its category
guessed from its words). The text is masked, stored with its first history line, sent to the
hamlet's leaders and the commune's officials with «Nhận xử lý» and «Đã giải quyết», and a saved
how-to on its topic goes straight back to the member.
Answering: «Nhận xử lý» opens ANSWERING for the one who took it: their next line reaches the member.
"""

from datetime import UTC

from bot import texts
from bot.core import state
from bot.core.context import Context
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.notices import to_person, to_unit_leaders
from bot.privacy import mask_personal_numbers
from bot.words import fold
from db.difficulties import add_event, create_difficulty, how_to
from db.models import Difficulty, Person, Unit

FLOW, ANSWER_FLOW = "difficulty", "difficulty-answer"
ASKING_CATEGORY, ASKING_TEXT, ANSWERING = "category", "text", "answer"
OTHER = "khac"
MAX_TEXT = 1000


def guess_category(text: str) -> str:
    """The category whose words the line contains, else «Khác»."""
    folded = f" {fold(text)} "
    for category, words in texts.DIFFICULTY_CATEGORY_WORDS.items():
        if any(f" {word} " in folded or (len(word) > 4 and word in folded) for word in words):
            return category
    return OTHER


async def begin(ctx: Context, text: str) -> list[Reply]:
    """Raise at once from a typed line, or ask the category first."""
    places = ctx.reporting_places
    if not places:
        return [Reply(texts.DIFFICULTY_ONLY_MEMBERS)]
    if text:
        return await raise_difficulty(ctx, places[0].unit.id, guess_category(text), text)
    await state.start(ctx, FLOW, ASKING_CATEGORY, {"unit_id": places[0].unit.id})
    return [_category_question()]


def _category_question() -> Reply:
    choices = tuple(
        Choice(label, f"cat:{code}") for code, label in texts.DIFFICULTY_CATEGORIES.items()
    )
    return Reply(texts.DIFFICULTY_ASK_CATEGORY, choices=(*choices, CANCEL))


async def asking_category(ctx: Context, data: dict, answer: Answer) -> Step:
    category = (answer.choice or "").removeprefix("cat:")
    if category not in texts.DIFFICULTY_CATEGORIES:
        return Step([_category_question()], ASKING_CATEGORY)
    data["category"] = category
    label = texts.DIFFICULTY_CATEGORIES[category]
    return Step([Reply(texts.DIFFICULTY_ASK_TEXT.format(category=label))], ASKING_TEXT)


async def asking_text(ctx: Context, data: dict, answer: Answer) -> Step:
    if not answer.text.strip():
        return Step([Reply(texts.DIFFICULTY_TEXT_EMPTY)], ASKING_TEXT)
    replies = await raise_difficulty(ctx, data["unit_id"], data["category"], answer.text)
    return Step(replies, None)


async def raise_difficulty(ctx: Context, unit_id: int, category: str, text: str) -> list[Reply]:
    """Store it (masked), tell who can solve it, and hand back a saved how-to at once."""
    hamlet = await ctx.session.get(Unit, unit_id)
    masked = mask_personal_numbers(text.strip())[:MAX_TEXT]
    difficulty = await create_difficulty(
        ctx.session,
        person_id=ctx.person.id,
        unit_id=unit_id,
        category=category,
        text=masked,
        at=ctx.now.astimezone(UTC),
    )
    label = texts.DIFFICULTY_CATEGORIES[category]
    replies = [Reply(texts.DIFFICULTY_RAISED.format(number=difficulty.id, category=label))]
    saved = await how_to(ctx.session, commune_id=hamlet.parent_id, topic=category)
    if saved is not None:
        replies.append(Reply(texts.HOW_TO_FOUND.format(topic=category, text=saved.text)))
    notice = difficulty_notice(difficulty, hamlet.name, ctx.person.display_name)
    told = await to_unit_leaders(
        ctx, hamlet, notice, handling_choices(difficulty), skip=ctx.person.id
    )
    await state.offer(ctx.session, told)
    return [*replies, *told]


def difficulty_notice(difficulty: Difficulty, hamlet: str, name: str) -> str:
    return texts.DIFFICULTY_NOTICE.format(
        number=difficulty.id,
        hamlet=hamlet,
        name=name,
        category=texts.DIFFICULTY_CATEGORIES[difficulty.category],
        text=difficulty.text,
    )


def handling_choices(difficulty: Difficulty) -> tuple[Choice, ...]:
    return (
        Choice(texts.BTN_TAKE, f"/vuongmac nhan {difficulty.id}"),
        Choice(texts.BTN_RESOLVE, f"/vuongmac xong {difficulty.id}"),
    )


async def start_answer(ctx: Context, difficulty: Difficulty, member: Person) -> Reply:
    """Wait for the taker's answer to the member."""
    await state.start(ctx, ANSWER_FLOW, ANSWERING, {"difficulty_id": difficulty.id})
    return Reply(texts.DIFFICULTY_TAKEN.format(number=difficulty.id, name=member.display_name))


async def answering(ctx: Context, data: dict, answer: Answer) -> Step:
    if not answer.text.strip():
        return Step([Reply(texts.DIFFICULTY_ANSWER_USAGE)], ANSWERING)
    difficulty = await ctx.session.get(Difficulty, data["difficulty_id"])
    return Step(await send_answer(ctx, difficulty, answer.text), None)


async def send_answer(ctx: Context, difficulty: Difficulty, text: str) -> list[Reply]:
    """The answer (masked) reaches the member and stays in the history; it counts as answered."""
    masked = mask_personal_numbers(text.strip())[:MAX_TEXT]
    at = ctx.now.astimezone(UTC)
    difficulty.answer, difficulty.answered_at = masked, difficulty.answered_at or at
    ctx.session.add(difficulty)
    await add_event(
        ctx.session,
        difficulty=difficulty,
        person_id=ctx.person.id,
        kind="answer",
        at=at,
        text=masked,
    )
    member = await ctx.session.get(Person, difficulty.person_id)
    told = await to_person(
        ctx,
        member.id,
        texts.DIFFICULTY_ANSWER_MEMBER.format(
            handler=ctx.person.display_name, number=difficulty.id, text=masked
        ),
    )
    resolve = Choice(texts.BTN_RESOLVE, f"/vuongmac xong {difficulty.id}")
    sent = texts.DIFFICULTY_ANSWER_SENT.format(name=member.display_name)
    return [Reply(sent, choices=(resolve,)), *told]


STEPS = {ASKING_CATEGORY: asking_category, ASKING_TEXT: asking_text}
ANSWER_STEPS = {ANSWERING: answering}
