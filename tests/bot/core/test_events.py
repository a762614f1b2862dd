"""Commands read from a message's text: any whitespace separates, a named bot is kept apart."""

import pytest

from bot.core.events import addressee, parse_command


@pytest.mark.parametrize(
    ("text", "command", "bot"),
    [
        ("/bc vneid 5 dvc 3", ("bc", "vneid 5 dvc 3"), None),
        ("/bc@tcn_bot\nvneid 5 dvc 3", ("bc", "vneid 5 dvc 3"), "tcn_bot"),
        ("/baocao\ttuan", ("baocao", "tuan"), None),
        ("/BC  vneid 5\n dvc 3 ", ("bc", "vneid 5\n dvc 3"), None),
        ("/help@OtherBot", ("help", ""), "OtherBot"),
        ("vneid 5", None, None),
        ("/", None, None),
        ("/@OtherBot", None, None),
    ],
)
def test_command_and_the_bot_it_names(text, command, bot):
    assert parse_command(text) == command
    assert addressee(text) == bot
