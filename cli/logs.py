"""The service's log lines: plain text or one JSON object per line (LOG_FORMAT=json), each with
the update, chat and job ids of the work it is about (bot.logs).

A log line never carries what people wrote: the code logs ids, not texts, and as a last guard
phone and ID-card numbers are masked in every message and traceback (bot.privacy).
"""

import logging
import sys

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from bot.logs import FIELDS, current_ids
from bot.privacy import mask_personal_numbers
from config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(ids)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message"]
# httpx logs every request's URL at INFO, and a Bot API URL holds the bot's token; PTB logs
# that URL and every message it sends (which may quote a member) at DEBUG
QUIET = ("httpx", "httpcore", "telegram")


class Scrub(logging.Filter):
    """Adds the current ids to the record and masks personal numbers in its message; the ids
    themselves (long numbers too) stay as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current_ids()
        for name in FIELDS:
            setattr(record, name, ids.get(name))
        record.ids = "".join(f" {name}={value}" for name, value in ids.items())
        record.msg, record.args = mask_personal_numbers(record.getMessage()), None
        return True


class Masked(logging.Formatter):
    """Tracebacks and stacks with personal numbers masked (an exception may quote an input)."""

    def formatException(self, exc_info) -> str:
        return mask_personal_numbers(super().formatException(exc_info))

    def formatStack(self, stack_info: str) -> str:
        return mask_personal_numbers(super().formatStack(stack_info))


class JsonLines(Masked, JsonFormatter):
    """One JSON object per line; the ids appear only when set."""

    def process_log_record(self, log_data: dict) -> dict:
        return {key: value for key, value in log_data.items() if value is not None}


def setup_logging(settings: Settings, stream=None) -> None:
    """The root logger writes every line to stderr, as `settings.log_format` says; uvicorn's
    own loggers go through it too (started with log_config=None)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(Scrub())
    if settings.log_format.lower() == "json":
        handler.setFormatter(
            JsonLines(JSON_FIELDS + list(FIELDS), reserved_attrs=[*RESERVED_ATTRS, "ids"])
        )
    else:
        handler.setFormatter(Masked(TEXT_FORMAT))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
