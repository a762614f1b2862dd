"""/tumoi: the words members typed beside a number that the bot did not understand, and adding
one as an indicator's alias, for officials (aliases are the deployment's, like indicators)."""

from bot import texts
from bot.core.context import Context
from bot.core.replies import Reply
from bot.quick_report import indicator_named
from bot.reporting import catalogue
from db.vocabulary import add_alias, unknown_words

LISTED = 15


async def new_words(ctx: Context, args: str) -> list[Reply]:
    """/tumoi lists the most frequent; /tumoi <từ> = <chỉ tiêu> adds one."""
    if ctx.person is None and not ctx.is_admin:
        return [Reply(texts.NOT_JOINED)]
    if not (ctx.official_places or ctx.is_admin):
        return [Reply(texts.VOCAB_OFFICIALS_ONLY)]
    if not args.strip():
        return [await _listing(ctx)]
    book = await catalogue(ctx)
    codes = ", ".join(book.labels)
    word, equals, named = (part.strip() for part in args.rpartition("="))
    if not (equals and word and named):
        return [Reply(texts.VOCAB_ADD_USAGE.format(codes=codes))]
    if taken := indicator_named(word, book.words):
        return [Reply(texts.VOCAB_TAKEN.format(word=word, name=book.names[taken]))]
    code = indicator_named(named, book.words) or named.lower()
    if not await add_alias(ctx.session, code=code, word=word):
        return [Reply(texts.VOCAB_NOT_ADDED.format(code=named, codes=codes))]
    ctx.memo.pop("catalogue", None)
    return [Reply(texts.VOCAB_ADDED.format(word=word, name=book.names.get(code, code)))]


async def _listing(ctx: Context) -> Reply:
    words = await unknown_words(ctx.session, limit=LISTED)
    if not words:
        return Reply(texts.VOCAB_NONE)
    zone = ctx.settings.zone
    rows = [
        texts.VOCAB_ROW.format(word=w.word, seen=w.seen, last=w.last_seen.astimezone(zone))
        for w in words
    ]
    return Reply(texts.VOCAB_LIST.format(rows="\n".join(rows)))
