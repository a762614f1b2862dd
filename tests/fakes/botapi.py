"""A local fake of the Telegram Bot API and the Zalo Bot API, served by uvicorn in a thread.

Real clients (python-telegram-bot, webhook.zalo_client.ZaloBot) talk to it over HTTP:

    with FakeBotApi("telegram") as api:
        bot = telegram.Bot(token, base_url=f"{api.url}/bot", base_file_url=f"{api.url}/file/bot")
"""

import asyncio
import json
import re
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument"}
# fmt: off
TELEGRAM_TRUE_METHODS = {
    "setWebhook", "deleteWebhook", "setMyCommands", "deleteMyCommands", "answerCallbackQuery",
    "sendChatAction", "editMessageReplyMarkup", "deleteMessage", "setChatMenuButton",
}
JSON_FIELDS = {  # Telegram parameters that PTB sends JSON-encoded inside form fields
    "reply_markup", "entities", "caption_entities", "commands", "scope", "allowed_updates",
    "link_preview_options", "reply_parameters", "media",
}
# fmt: on
TELEGRAM_BOT = {"is_bot": True, "first_name": "Tổ Công Nghệ", "username": "ToCongNgheBot"}


@dataclass
class Call:
    method: str
    token: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]  # multipart field -> (file name, bytes)
    at: float  # time.monotonic() when received
    status: int = 0  # HTTP status of the answer (0 while pending)
    answer: Any = None  # the JSON answer sent back


@dataclass
class Stats:
    accepted: int = 0  # message-sending calls answered ok
    rejected: int = 0  # message-sending calls refused by the rate limiter


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: float | None
    times: int
    chat_id: str | None
    http_status: int
    migrate_to_chat_id: int | None = None


class FakeBotApi:
    """Fake Bot API server; flavor "telegram" or "zalo". Accepts any token unless `token` is set."""

    def __init__(
        self,
        flavor: str = "telegram",
        *,
        token: str | None = None,
        per_second: int | None = None,
        per_chat_per_minute: int | None = None,
    ):
        assert flavor in ("telegram", "zalo"), flavor
        self.flavor, self.token = flavor, token
        self.per_second, self.per_chat_per_minute = per_second, per_chat_per_minute
        self.stats = Stats()
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.url = ""
        self._calls: list[Call] = []
        self._failures: list[_Failure] = []
        self._delays: dict[str, deque[float]] = {}
        self._sent: deque[float] = deque()
        self._sent_per_chat: dict[str, deque[float]] = {}
        self._next_id = 1
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"])]
        )

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> "FakeBotApi":
        self._stopping.clear()
        # proto IPPROTO_TCP, not socket()'s 0: asyncio sets TCP_NODELAY only on such sockets, and
        # without it every answer (headers, then body) waits ~40 ms for Nagle and the delayed ACK
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, args=([sock],), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake Bot API server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._stopping.set()  # cuts short any delay_next sleep
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> "FakeBotApi":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scripting and inspection ----------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int,
        description: str = "Internal Server Error",
        retry_after: float | None = None,
        times: int = 1,
        chat_id: Any = None,
        http_status: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error.

        `http_status` defaults to `status`; pass 200 for an ok:false answer under HTTP 200.
        `migrate_to_chat_id`: the group became a supergroup with that id (Telegram's parameters).
        """
        if status == 429 and retry_after is None and self.flavor == "telegram":
            retry_after = 1  # Telegram always tells how long to wait
        chat = None if chat_id is None else str(chat_id)
        failure = _Failure(
            method,
            status,
            description,
            retry_after,
            times,
            chat,
            http_status or status,
            migrate_to_chat_id,
        )
        with self._lock:
            self._failures.append(failure)

    def delay_next(self, method: str, seconds: float) -> None:
        """Hold the answer to the next call of `method` for `seconds`."""
        with self._lock:
            self._delays.setdefault(method, deque()).append(seconds)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def sent_texts(self, chat_id: Any = None) -> list[str]:
        """Texts and captions of message-sending calls answered ok, in order."""
        return [
            c.params.get("text", c.params.get("caption", ""))
            for c in self.calls()
            if c.method in SEND_METHODS
            and c.status == 200
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._delays.clear()
            self.stats = Stats()

    # --- HTTP handling ---------------------------------------------------------------------
    async def _handle(self, request: Request) -> Response:
        token, method = request.path_params["token"], request.path_params["method"]
        params, files = await _read_params(request)
        call = Call(method, token, params, files, time.monotonic())
        with self._lock:
            self._calls.append(call)
            delays = self._delays.get(method)
            delay = delays.popleft() if delays else 0.0
            failure = self._take_failure(method, params)
        end = time.monotonic() + delay
        while time.monotonic() < end and not self._stopping.is_set():
            await asyncio.sleep(min(0.02, end - time.monotonic()))
        if self.token and token != self.token:
            status, body = _error(401, "Unauthorized")
        elif failure:
            body = _error(failure.status, failure.description, failure.retry_after)[1]
            if failure.migrate_to_chat_id is not None:
                body["parameters"] = {"migrate_to_chat_id": failure.migrate_to_chat_id}
            status = failure.http_status
        else:
            with self._lock:
                status, body = self._answer(call)
        call.status, call.answer = status, body
        return JSONResponse(body, status_code=status)

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.chat_id in (None, str(params.get("chat_id"))):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _answer(self, call: Call) -> tuple[int, dict]:
        """The real answer, unless a rate limit (sliding windows over accepted sends) is hit."""
        method, p, now = call.method, call.params, time.monotonic()
        is_send, per_chat = method in SEND_METHODS, self._sent_per_chat.get(str(p.get("chat_id")))
        for window, span in ((self._sent, 1.0), (per_chat, 60.0)):
            while window and window[0] <= now - span:
                window.popleft()
        if is_send and (
            (self.per_second and len(self._sent) >= self.per_second)
            or (self.per_chat_per_minute and len(per_chat or ()) >= self.per_chat_per_minute)
        ):
            self.stats.rejected += 1
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        if self.flavor == "zalo":
            answer = self._zalo(method, p)
        else:
            answer = self._telegram(method, p, call.files, call.token)
        if is_send and answer[0] == 200:
            self.stats.accepted += 1
            self._sent.append(now)
            self._sent_per_chat.setdefault(str(p["chat_id"]), deque()).append(now)
        return answer

    def _telegram(self, method: str, p: dict, files: dict, token: str) -> tuple[int, dict]:
        if method == "getMe":
            bot_id = int(t) if (t := token.split(":")[0]).isdigit() else 123456789
            return _ok({"id": bot_id, **TELEGRAM_BOT, "can_join_groups": True})
        if method in SEND_METHODS:
            if not p.get("chat_id"):
                return _error(400, "Bad Request: chat_id is empty")
            if method == "sendMessage" and not p.get("text"):
                return _error(400, "Bad Request: message text is empty")
            if len(p.get("text") or "") > 4096 or len(p.get("caption") or "") > 1024:
                return _error(400, "Bad Request: message is too long")
            return _ok(self._telegram_message(method, p, files))
        if method == "getWebhookInfo":
            info = {"url": self.webhook["url"], "pending_update_count": 0}
            return _ok({**info, "has_custom_certificate": False})
        if method in ("setWebhook", "deleteWebhook"):
            self.webhook = {"url": p.get("url", ""), "secret_token": p.get("secret_token")}
        if method in TELEGRAM_TRUE_METHODS:
            return _ok(True)
        return _error(404, "Not Found")

    def _telegram_message(self, method: str, p: dict, files: dict) -> dict:
        chat = str(p["chat_id"])
        if chat.lstrip("-").isdigit():
            chat_id = int(chat)
            kind = (
                "private" if chat_id > 0 else "supergroup" if chat.startswith("-100") else "group"
            )
        else:  # @channelusername
            chat_id, kind = -1001234567890, "channel"
        chat_info = {"id": chat_id, "type": kind}
        message = {"message_id": self._next_id, "date": int(time.time()), "chat": chat_info}
        self._next_id += 1
        for key in ("text", "caption"):
            if p.get(key):
                message[key] = p[key]
        if isinstance(p.get("reply_markup"), dict) and "inline_keyboard" in p["reply_markup"]:
            message["reply_markup"] = p["reply_markup"]
        field_name = {"sendPhoto": "photo", "sendDocument": "document"}.get(method)
        if field_name:
            name, data = files.get(field_name) or (str(p.get(field_name, "")), b"")
            file_id = f"{field_name[:3].upper()}{secrets.token_hex(12)}"
            meta = {"file_id": file_id, "file_unique_id": file_id[-8:], "file_size": len(data)}
            if method == "sendPhoto":
                message["photo"] = [{**meta, "width": w, "height": w} for w in (90, 800)]
            else:
                message["document"] = {**meta, "file_name": name}
        return message

    def _zalo(self, method: str, p: dict[str, Any]) -> tuple[int, dict]:
        if method == "getMe":
            me = {"id": "7c3b1f5e9a2d4c6b8e0f", "account_name": "Tổ Công Nghệ"}
            return _ok({**me, "account_type": "BASIC", "can_join_groups": True})
        if method in ("sendMessage", "sendPhoto"):
            text = p.get("text" if method == "sendMessage" else "caption") or ""
            if not p.get("chat_id") or (method == "sendPhoto" and not p.get("photo")):
                return _error(400, "Bad Request: missing parameter")
            if len(text) > 2000 or (method == "sendMessage" and not text):
                return _error(400, "Bad Request: text must be 1-2000 characters")
            return _ok({"message_id": secrets.token_hex(10), "date": int(time.time() * 1000)})
        if method == "sendChatAction":
            return 200, {"ok": True}
        if method == "setWebhook":
            url, secret = str(p.get("url", "")), str(p.get("secret_token", ""))
            if not url.startswith("https://") or not 8 <= len(secret) <= 256:
                return _error(400, "Bad Request: invalid url or secret_token")
            self.webhook = {"url": url, "secret_token": secret}
        if method == "deleteWebhook":
            self.webhook = {"url": "", "secret_token": None}
        if method in ("setWebhook", "deleteWebhook", "getWebhookInfo"):
            return _ok({"url": self.webhook["url"], "updated_at": int(time.time() * 1000)})
        return _error(400, "Bad Request: unknown method")


def _ok(result: Any) -> tuple[int, dict]:
    return 200, {"ok": True, "result": result}


def _error(code: int, description: str, retry_after: float | None = None) -> tuple[int, dict]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return code, body


async def _read_params(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Query string plus a JSON, form-urlencoded or multipart body (no python-multipart needed)."""
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, tuple[str, bytes]] = {}
    body, ctype = await request.body(), request.headers.get("content-type", "")
    form: list[tuple[str, str]] = []
    if body and ctype.startswith("application/json"):
        params.update(json.loads(body))
    elif ctype.startswith("application/x-www-form-urlencoded"):
        form = parse_qsl(body.decode(), keep_blank_values=True)
    elif ctype.startswith("multipart/form-data"):
        boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
        for part in body.split(b"--" + boundary)[1:-1]:
            head, _, data = part[2:-2].partition(b"\r\n\r\n")
            disposition = dict(re.findall(r'(\w+)="([^"]*)"', head.decode(errors="replace")))
            if "filename" in disposition:
                files[disposition["name"]] = (disposition["filename"], data)
            else:
                form.append((disposition["name"], data.decode()))
    for key, value in form:
        params[key] = json.loads(value) if key in JSON_FIELDS and value[:1] in ("[", "{") else value
    return params, files
