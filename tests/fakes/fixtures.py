"""Pytest fixtures: a fresh fake Telegram / Zalo Bot API server per test."""

from collections.abc import Iterator

import pytest

from tests.fakes.botapi import FakeBotApi


@pytest.fixture
def telegram_api() -> Iterator[FakeBotApi]:
    """A running fake Telegram Bot API; point telegram.Bot at f"{telegram_api.url}/bot"."""
    with FakeBotApi("telegram") as api:
        yield api


@pytest.fixture
def zalo_api() -> Iterator[FakeBotApi]:
    """A running fake Zalo Bot API; use ZaloBot(token, base_url=zalo_api.url)."""
    with FakeBotApi("zalo") as api:
        yield api
