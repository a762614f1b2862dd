"""One Settings object, read from the environment and `.env`."""

import socket
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("data") / "tocongnghe.db"
DEV_LINK_SECRET = "dev-only-link-secret"
# Shortest secrets accepted once a platform token is set: a signing key and the webhook secrets
# a platform echoes back (Telegram allows up to 256 characters of A-Z a-z 0-9 _ -).
MIN_LINK_SECRET = 32
MIN_WEBHOOK_SECRET = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = ""
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    # The bot's @username, for invite links (t.me/<username>?start=CODE); empty: no link, no QR
    telegram_bot_username: str = ""
    zalo_bot_token: str = ""
    zalo_webhook_secret: str = ""
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    public_base_url: str = ""
    admin_user_ids: str = ""
    tz: str = "Asia/Ho_Chi_Minh"
    # Field rules
    max_count_per_indicator: int = 500
    max_days_back: int = 14
    # One person's reported counts in a day, all indicators together, past which a /bc is
    # confirmed before it is stored (0 = no cap; bot.daily_cap)
    daily_count_cap: int = 300
    conversation_minutes: int = 30
    retract_hours: int = 48
    # Doubts asked before a report is stored: the same report again within this many minutes;
    # a count over FACTOR times the member's usual (this percentile of their reports over the
    # last HISTORY_DAYS days) and at least MIN
    duplicate_minutes: int = 10
    unusual_factor: float = 3.0
    unusual_percentile: int = 90
    unusual_min_count: int = 50
    unusual_history_days: int = 90
    # A difficulty nobody answered after this many days goes one level up (/vuongmac)
    difficulty_escalate_days: int = 3
    # Delivery limits (per bot per second, per group chat per minute, per private chat per second
    # past a burst of 5; 0 = none); unset, each platform's own (bot.core.channel: Telegram 30, 20
    # and 1, Zalo 5, 20 and 1)
    telegram_rate_per_second: float | None = None
    telegram_group_per_minute: float | None = None
    telegram_chat_per_second: float | None = None
    zalo_rate_per_second: float | None = None
    zalo_group_per_minute: float | None = None
    zalo_chat_per_second: float | None = None
    send_max_attempts: int = 5
    # One person's messages: at most FLOOD_MESSAGES per FLOOD_SECONDS (0 = no limit; bot.flood)
    flood_messages: int = 30
    flood_seconds: int = 60
    # This process's name among those sharing the database (default: the host's name); two
    # processes on one host need one each. A restarted process settles its own unsent replies.
    instance_name: str = ""
    # Signing download links (Zalo and web chat Excel links)
    link_secret: str = DEV_LINK_SECRET
    scheduler_enabled: bool = True
    # Seconds between the scheduler's ticks (and between tries to take its lock from a dead process)
    scheduler_tick_seconds: float = 60
    # Processes that draw charts and workbooks beside the service (bot.attachments); 0: a thread
    # of the service's own process, which matplotlib's hold on the GIL makes stall the answers
    render_processes: int = 1
    # Processes that read summaries and leaderboards beside the service (bot.reading); 0: the
    # service's own event loop, where each one holds up the answers that arrive meanwhile
    read_processes: int = 1
    # /metrics in Prometheus format: off unless set (docs/operations.md)
    metrics_enabled: bool = False
    # Log lines as plain text or one JSON object per line ("json"), with update, chat and job ids
    log_format: str = "text"
    log_level: str = "INFO"
    # Local web chat: unset = on only when no Telegram/Zalo token is set (docs/webchat.md)
    webchat_enabled: bool | None = None
    # The web chat's shared operator password (HTTP basic); required beside a real bot token
    webchat_password: str = ""
    # The API's own pages (/docs, /redoc, /openapi.json): off unless asked for, e.g. in development
    api_docs_enabled: bool = False

    @field_validator("telegram_api_url", "zalo_api_url", "public_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator(
        "webchat_enabled",
        "telegram_rate_per_second",
        "telegram_group_per_minute",
        "telegram_chat_per_second",
        "zalo_rate_per_second",
        "zalo_group_per_minute",
        "zalo_chat_per_second",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value):
        """`WEBCHAT_ENABLED=` (empty, as a copied .env leaves it) means unset, not an error."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("link_secret")
    @classmethod
    def _default_link_secret(cls, value: str) -> str:
        """An empty LINK_SECRET in .env means the development default, not an empty key."""
        return value or DEV_LINK_SECRET

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"

    def weak_secrets(self) -> list[str]:
        """The settings too weak for a service with a platform token (none without one): each
        secret must be set, long enough, and not the development default."""
        if not (self.telegram_bot_token or self.zalo_bot_token):
            return []
        weak = []
        if self.link_secret == DEV_LINK_SECRET or len(self.link_secret) < MIN_LINK_SECRET:
            weak.append(f"LINK_SECRET (>= {MIN_LINK_SECRET})")
        for token, name in (
            (self.telegram_bot_token, "telegram_webhook_secret"),
            (self.zalo_bot_token, "zalo_webhook_secret"),
        ):
            if token and len(getattr(self, name)) < MIN_WEBHOOK_SECRET:
                weak.append(f"{name.upper()} (>= {MIN_WEBHOOK_SECRET})")
        return weak

    @property
    def on_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def instance(self) -> str:
        return (self.instance_name or socket.gethostname())[:64]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def admins(self) -> set[str]:
        """Platform user ids written as `platform:id` (or bare ids, any platform)."""
        return {item.strip() for item in self.admin_user_ids.split(",") if item.strip()}


@lru_cache
def get_settings() -> Settings:
    return Settings()
