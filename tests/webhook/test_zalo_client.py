"""Our Zalo Bot API client against the fake Zalo server."""

import re

import httpx
import pytest

from bot.core.channel import SendError, SendFailure
from tests.fakes.fixtures import telegram_api, zalo_api  # noqa: F401
from webhook.zalo_client import ZaloBot

TOKEN = "1234567890:zalo-secret"
CHAT = "6ede9afa66b88fe6d6a9"


@pytest.fixture
async def zalo(zalo_api):  # noqa: F811
    async with ZaloBot(TOKEN, base_url=zalo_api.url, timeout=2.0) as bot:
        yield bot


async def test_get_me(zalo, zalo_api):  # noqa: F811
    me = await zalo.get_me()
    assert (me["account_name"], me["account_type"]) == ("Tổ Công Nghệ", "BASIC")
    assert zalo_api.calls()[0].token == TOKEN


async def test_send_message_is_recorded_with_string_chat_id(zalo, zalo_api):  # noqa: F811
    result = await zalo.send_message(CHAT, "Xin chào")
    assert re.fullmatch(r"[0-9a-f]{20}", result["message_id"])
    assert result["date"] > 1_700_000_000_000  # epoch milliseconds
    call = zalo_api.calls("sendMessage")[0]
    assert call.params == {"chat_id": CHAT, "text": "Xin chào"}
    assert zalo_api.sent_texts(CHAT) == ["Xin chào"]


async def test_numeric_chat_id_is_sent_as_string(zalo, zalo_api):  # noqa: F811
    await zalo.send_message(12345, "x")  # type: ignore[arg-type]
    assert zalo_api.calls("sendMessage")[0].params["chat_id"] == "12345"


async def test_send_photo_and_chat_action(zalo, zalo_api):  # noqa: F811
    await zalo.send_photo(CHAT, "https://example.vn/chart.png", caption="Biểu đồ")
    await zalo.send_photo(CHAT, "https://example.vn/b.png")
    assert await zalo.send_chat_action(CHAT) is None
    photos = [c.params for c in zalo_api.calls("sendPhoto")]
    assert photos == [
        {"chat_id": CHAT, "photo": "https://example.vn/chart.png", "caption": "Biểu đồ"},
        {"chat_id": CHAT, "photo": "https://example.vn/b.png"},
    ]
    assert zalo_api.calls("sendChatAction")[0].params == {"chat_id": CHAT, "action": "typing"}


async def test_text_over_2000_chars_is_failed(zalo, zalo_api):  # noqa: F811
    await zalo.send_message(CHAT, "a" * 2000)
    with pytest.raises(SendError) as caught:
        await zalo.send_message(CHAT, "a" * 2001)
    assert caught.value.kind == SendFailure.FAILED
    assert caught.value.detail == "sendMessage: 400 Bad Request: text must be 1-2000 characters"
    assert [c.status for c in zalo_api.calls("sendMessage")] == [200, 400]


async def test_429_is_throttled_with_retry_after(zalo, zalo_api):  # noqa: F811
    zalo_api.fail_next("sendMessage", 429, "Too Many Requests", retry_after=12)
    zalo_api.fail_next("sendMessage", 429, "Quota exceeded")
    with pytest.raises(SendError) as first:
        await zalo.send_message(CHAT, "a")
    with pytest.raises(SendError) as second:
        await zalo.send_message(CHAT, "b")
    assert (first.value.kind, first.value.retry_after) == (SendFailure.THROTTLED, 12.0)
    assert (second.value.kind, second.value.retry_after) == (SendFailure.THROTTLED, 5.0)


async def test_5xx_is_retryable(zalo, zalo_api):  # noqa: F811
    zalo_api.fail_next("sendMessage", 500, "Internal Server Error")
    zalo_api.fail_next("sendMessage", 502, "Bad Gateway")
    for status in (500, 502):
        with pytest.raises(SendError) as caught:
            await zalo.send_message(CHAT, "a")
        assert caught.value.kind == SendFailure.RETRYABLE
        assert caught.value.detail.startswith(f"sendMessage: {status} ")
    assert (await zalo.send_message(CHAT, "b"))["message_id"]


async def test_ok_false_under_http_200_raises(zalo, zalo_api):  # noqa: F811
    zalo_api.fail_next("sendMessage", 401, "Unauthorized", http_status=200)
    zalo_api.fail_next("sendMessage", 429, "Quota exceeded", http_status=200)
    with pytest.raises(SendError) as unauthorized:
        await zalo.send_message(CHAT, "a")
    with pytest.raises(SendError) as throttled:
        await zalo.send_message(CHAT, "b")
    assert unauthorized.value.kind == SendFailure.FAILED
    assert unauthorized.value.detail == "sendMessage: 401 Unauthorized"
    assert throttled.value.kind == SendFailure.THROTTLED
    assert [c.status for c in zalo_api.calls("sendMessage")] == [200, 200]


async def test_slow_answer_times_out_as_retryable(zalo_api):  # noqa: F811
    zalo_api.delay_next("sendMessage", 1.0)
    async with ZaloBot(TOKEN, base_url=zalo_api.url, timeout=0.2) as bot:
        with pytest.raises(SendError) as caught:
            await bot.send_message(CHAT, "slow")
        assert (caught.value.kind, caught.value.detail) == (
            SendFailure.RETRYABLE,
            "sendMessage: timed out",
        )
        assert (await bot.send_message(CHAT, "fast"))["message_id"]


async def test_connection_refused_is_retryable():
    async with ZaloBot(TOKEN, base_url="http://127.0.0.1:9", timeout=1.0) as bot:
        with pytest.raises(SendError) as caught:
            await bot.send_message(CHAT, "x")
    assert caught.value.kind == SendFailure.RETRYABLE
    assert caught.value.detail == "sendMessage: ConnectError"


async def test_blocked_and_not_found_are_unreachable(zalo, zalo_api):  # noqa: F811
    zalo_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    zalo_api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    zalo_api.fail_next("sendMessage", 403, "Internal error")
    kinds = []
    for _ in range(3):
        with pytest.raises(SendError) as caught:
            await zalo.send_message(CHAT, "x")
        kinds.append(caught.value.kind)
    assert kinds == [SendFailure.UNREACHABLE, SendFailure.UNREACHABLE, SendFailure.FAILED]


async def test_webhook_lifecycle(zalo, zalo_api):  # noqa: F811
    secret = "s" * 32
    result = await zalo.set_webhook("https://bot.example.vn/zalo", secret)
    assert result["url"] == "https://bot.example.vn/zalo"
    assert zalo_api.calls("setWebhook")[0].params == {
        "url": "https://bot.example.vn/zalo",
        "secret_token": secret,
    }
    assert zalo_api.webhook == {"url": "https://bot.example.vn/zalo", "secret_token": secret}
    assert (await zalo.get_webhook_info())["url"] == "https://bot.example.vn/zalo"
    assert (await zalo.delete_webhook())["url"] == ""
    assert (await zalo.get_webhook_info())["url"] == ""


async def test_short_secret_is_refused(zalo):
    with pytest.raises(SendError) as caught:
        await zalo.set_webhook("https://bot.example.vn/zalo", "short")
    assert caught.value.kind == SendFailure.FAILED


async def test_shared_client_is_not_closed(zalo_api):  # noqa: F811
    async with httpx.AsyncClient() as client:
        bot = ZaloBot(TOKEN, base_url=zalo_api.url + "/", client=client)
        await bot.get_me()
        await bot.aclose()
        assert not client.is_closed
        assert (await bot.get_me())["account_type"] == "BASIC"
