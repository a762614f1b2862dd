"""Every string a user reads and every word the bot accepts, one module per domain.

Code reaches them one way, `from bot import texts; texts.NAME`; each name is defined in exactly
one module below (tests/bot/test_texts.py checks that, and that no Vietnamese is written elsewhere).
"""

from bot.texts.announcements import *  # noqa: F403
from bot.texts.campaigns import *  # noqa: F403
from bot.texts.cli import *  # noqa: F403
from bot.texts.common import *  # noqa: F403
from bot.texts.corrections import *  # noqa: F403
from bot.texts.difficulties import *  # noqa: F403
from bot.texts.help import *  # noqa: F403
from bot.texts.jobs import *  # noqa: F403
from bot.texts.joining import *  # noqa: F403
from bot.texts.keywords import *  # noqa: F403
from bot.texts.linking import *  # noqa: F403
from bot.texts.operations import *  # noqa: F403
from bot.texts.pace import *  # noqa: F403
from bot.texts.reporting import *  # noqa: F403
from bot.texts.safety import *  # noqa: F403
from bot.texts.summaries import *  # noqa: F403
from bot.texts.targets import *  # noqa: F403
from bot.texts.tasks import *  # noqa: F403
from bot.texts.team import *  # noqa: F403
from bot.texts.vocabulary import *  # noqa: F403
