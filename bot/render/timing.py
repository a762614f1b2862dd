"""How long each drawing takes, by kind of file."""

from bot.metrics import RENDER_SECONDS


def timed(kind: str):
    """Time each call in tcn_render_seconds{kind}. `kind` stays on the function: a drawing
    process's metrics are never scraped, so it sends the time back (bot.attachments)."""

    def mark(draw):
        wrapped = RENDER_SECONDS.labels(kind).time()(draw)
        wrapped.render_kind = kind
        return wrapped

    return mark
