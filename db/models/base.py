"""What every table module shares."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, timezone-aware UTC: every stored time is."""
    return datetime.now(UTC)
