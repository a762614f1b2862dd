"""The ids a log line carries (update, chat, job), set where the work happens and read by the
log formatter (cli.logs), so that no call site has to repeat them.

Ids only: a log line never carries what people wrote (a note, a phone number).
"""

from contextlib import contextmanager
from contextvars import ContextVar

UPDATE_ID: ContextVar[str | None] = ContextVar("update_id", default=None)
CHAT_ID: ContextVar[str | None] = ContextVar("chat_id", default=None)
JOB_ID: ContextVar[str | None] = ContextVar("job_id", default=None)
FIELDS = {"update_id": UPDATE_ID, "chat_id": CHAT_ID, "job_id": JOB_ID}


@contextmanager
def log_context(**ids: str | None):
    """Within the block, log lines carry these ids (update_id, chat_id, job_id)."""
    tokens = [(FIELDS[name], FIELDS[name].set(value)) for name, value in ids.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current_ids() -> dict[str, str]:
    return {name: value for name, var in FIELDS.items() if (value := var.get()) is not None}
