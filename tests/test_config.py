"""`.env.example` lists every setting, and a copy of it is a valid configuration."""

import re
from pathlib import Path

from config import Settings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def test_env_example_lists_every_setting_and_parses(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(encoding="utf-8"), re.M))
    assert listed == {name.upper() for name in Settings.model_fields}
    settings = Settings(_env_file=EXAMPLE)
    assert settings.tz == "Asia/Ho_Chi_Minh"
    assert settings.effective_database_url == "sqlite+aiosqlite:///data/tocongnghe.db"
    assert settings.webchat_enabled is None and settings.link_secret
