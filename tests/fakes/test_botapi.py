"""The real python-telegram-bot client against the fake Telegram Bot API."""

import asyncio
import datetime as dtm

import httpx
import pytest
import telegram
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from tests.fakes.botapi import FakeBotApi
from tests.fakes.fixtures import telegram_api, zalo_api  # noqa: F401

TOKEN = "123456:TEST-token"


@pytest.fixture
async def bot(telegram_api):  # noqa: F811
    async with telegram.Bot(TOKEN, base_url=f"{telegram_api.url}/bot") as bot:
        yield bot


# PTB 22 warns (even inside its own RetryAfter constructor) that an int retry_after is deprecated.
ignore_int_retry_after = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after  # int today, timedelta with PTB_TIMEDELTA=1 or PTB 23
    return value.total_seconds() if isinstance(value, dtm.timedelta) else value


async def test_get_me(bot, telegram_api):  # noqa: F811
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "ToCongNgheBot")
    # `async with Bot` already called getMe once to initialize.
    assert [c.method for c in telegram_api.calls()] == ["getMe", "getMe"]
    assert telegram_api.calls()[0].token == TOKEN


async def test_send_message_with_inline_keyboard(bot, telegram_api):  # noqa: F811
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="yes:1")]])
    first = await bot.send_message(chat_id=42, text="Xin chào", reply_markup=markup)
    second = await bot.send_message(chat_id=-42, text="Nhóm")

    assert (first.message_id, first.chat.id, first.chat.type, first.text) == (
        1,
        42,
        "private",
        "Xin chào",
    )
    assert first.reply_markup == markup
    assert (second.message_id, second.chat.type) == (2, "group")
    call = telegram_api.calls("sendMessage")[0]
    # PTB posts form fields: scalars as strings, objects JSON-encoded (decoded by the fake).
    assert call.params["chat_id"] == "42"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Có", "callback_data": "yes:1"}]]
    }
    assert telegram_api.sent_texts() == ["Xin chào", "Nhóm"]
    assert telegram_api.sent_texts(chat_id=42) == ["Xin chào"]


async def test_send_photo_uploads_bytes(bot, telegram_api):  # noqa: F811
    data = bytes(range(256)) * 40 + b"\r\n--\r\n\r\n"
    message = await bot.send_photo(chat_id=7, photo=data, caption="Biểu đồ", filename="chart.png")

    call = telegram_api.calls("sendPhoto")[0]
    assert call.files == {"photo": ("chart.png", data)}
    assert call.params == {"chat_id": "7", "caption": "Biểu đồ"}
    assert message.caption == "Biểu đồ"
    assert message.photo[-1].file_size == len(data) == 10248


async def test_send_document(bot, telegram_api):  # noqa: F811
    data = "tháng,điểm\n1,3\n".encode()
    message = await bot.send_document(chat_id=7, document=data, filename="bao-cao.csv")

    assert telegram_api.calls("sendDocument")[0].files == {"document": ("bao-cao.csv", data)}
    assert (message.document.file_name, message.document.file_size) == ("bao-cao.csv", len(data))


async def test_set_webhook_and_commands(bot, telegram_api):  # noqa: F811
    assert await bot.set_webhook("https://example.vn/tg", secret_token="s3cret-token") is True
    assert telegram_api.webhook == {"url": "https://example.vn/tg", "secret_token": "s3cret-token"}
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.vn/tg", 0)

    assert await bot.set_my_commands([BotCommand("start", "Bắt đầu")]) is True
    commands = telegram_api.calls("setMyCommands")[0].params["commands"]
    assert commands == [{"command": "start", "description": "Bắt đầu"}]


async def test_unknown_method_is_404(telegram_api):  # noqa: F811
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{telegram_api.url}/bot{TOKEN}/sendHologram", json={})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


@ignore_int_retry_after
async def test_429_is_retry_after(bot, telegram_api):  # noqa: F811
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id=1, text="a")
    assert _seconds(caught.value) == 7
    # Only the next call failed; the one after goes through.
    assert (await bot.send_message(chat_id=1, text="b")).text == "b"
    assert [c.status for c in telegram_api.calls("sendMessage")] == [429, 200]
    assert telegram_api.sent_texts() == ["b"]


async def test_403_blocked_is_forbidden(bot, telegram_api):  # noqa: F811
    telegram_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=5)
    assert (await bot.send_message(chat_id=6, text="other chat")).chat.id == 6
    with pytest.raises(Forbidden) as caught:
        await bot.send_message(chat_id=5, text="x")
    assert caught.value.message == "Forbidden: bot was blocked by the user"


async def test_400_chat_not_found_is_bad_request(bot, telegram_api):  # noqa: F811
    telegram_api.fail_next("sendMessage", 400, "Bad Request: chat not found", times=2)
    for _ in range(2):
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(chat_id=9, text="x")
        # PTB strips "Bad Request: " and capitalizes the rest.
        assert caught.value.message == "Chat not found"
    assert (await bot.send_message(chat_id=9, text="y")).message_id == 1


async def test_500_is_network_error(bot, telegram_api):  # noqa: F811
    telegram_api.fail_next("sendPhoto", 500, "Internal Server Error")
    with pytest.raises(NetworkError) as caught:
        await bot.send_photo(chat_id=1, photo=b"png")
    assert type(caught.value) is NetworkError
    assert caught.value.message == "Internal Server Error"
    assert telegram_api.calls("sendPhoto")[0].answer == {
        "ok": False,
        "error_code": 500,
        "description": "Internal Server Error",
    }


@ignore_int_retry_after
async def test_rate_limit_per_second():
    with FakeBotApi("telegram", per_second=3) as api:
        async with telegram.Bot(TOKEN, base_url=f"{api.url}/bot") as bot:
            for i in range(3):
                await bot.send_message(chat_id=1, text=str(i))
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(chat_id=2, text="over")
            assert _seconds(caught.value) == 1
            await bot.get_me()  # not a message-sending call, never limited
            await asyncio.sleep(1.05)  # the window slides
            await bot.send_message(chat_id=1, text="later")
    assert (api.stats.accepted, api.stats.rejected) == (4, 1)
    assert api.sent_texts() == ["0", "1", "2", "later"]


async def test_wrong_token_is_invalid_token():
    with FakeBotApi("telegram", token=TOKEN) as api:
        with pytest.raises(InvalidToken):
            await telegram.Bot("999:wrong", base_url=f"{api.url}/bot").initialize()
        assert api.calls()[0].answer == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }


async def test_rate_limit_per_chat_per_minute():
    with FakeBotApi("zalo", per_chat_per_minute=2) as api:
        async with httpx.AsyncClient(base_url=f"{api.url}/botT") as client:
            answers = [
                (await client.post("/sendMessage", json={"chat_id": chat, "text": "x"})).json()
                for chat in ("a", "a", "b", "a")
            ]
    assert [a["ok"] for a in answers] == [True, True, True, False]
    assert answers[3]["error_code"] == 429
    assert (api.stats.accepted, api.stats.rejected) == (3, 1)


def test_clear_and_restartable_port():
    api = FakeBotApi("zalo").start()
    try:
        response = httpx.get(f"{api.url}/botT/getMe?x=1")
        assert response.json()["result"]["account_type"] == "BASIC"
        assert api.calls()[0].params == {"x": "1"}
        api.clear()
        assert api.calls() == []
    finally:
        api.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{api.url}/botT/getMe")


async def test_zalo_fixture_form_body(zalo_api):  # noqa: F811
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{zalo_api.url}/botT/sendMessage", data={"chat_id": "abc", "text": "hi"}
        )
    assert response.status_code == 200
    assert len(response.json()["result"]["message_id"]) == 20
    assert zalo_api.sent_texts("abc") == ["hi"]
