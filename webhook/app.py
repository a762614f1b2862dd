"""The FastAPI service: one route per channel; routes only decode, hand the event on and return."""

import asyncio
import hmac
import logging
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import BackgroundTasks, FastAPI, HTTPException, Request, Response
from sqlalchemy import text
from telegram import Update

from bot.config import Settings, get_settings
from bot.core.inbox import process
from db.media import live_media
from db.session import dispose_engines, session_scope
from scheduler.outbox import Sender
from webhook import telegram as tg

log = logging.getLogger(__name__)


class Service:
    """What the routes share: settings, the channels that are configured, and the sender."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channels: dict = {}
        if settings.telegram_bot_token:
            self.channels[tg.PLATFORM] = tg.TelegramChannel(tg.make_bot(settings))
        self.sender = Sender(self.channels, settings=settings)
        self.tasks: set[asyncio.Task] = set()

    async def deliver_soon(self, ids: list[int]) -> None:
        """Interactive replies go out at once, ahead of any job's queue."""
        if ids:
            await self.sender.deliver(ids)

    async def set_webhooks(self) -> None:
        base = self.settings.public_base_url
        telegram = self.channels.get(tg.PLATFORM)
        if telegram and base:
            await telegram.set_webhook(f"{base}/webhook/telegram", self.settings.telegram_webhook_secret)


def _secret_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unset secret refuses everything rather than trusting anyone."""
    return bool(expected) and given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def _json_body(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError as error:
        raise HTTPException(400, "body is not JSON") from error
    if not isinstance(body, dict):
        raise HTTPException(400, "body is not a JSON object")
    return body


def create_app(settings: Settings | None = None, *, run_sender: bool = True, run_scheduler: bool | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service = app.state.service = Service(settings)
        stop = asyncio.Event()
        background = []
        if run_sender:
            background.append(asyncio.create_task(service.sender.run_forever(stop)))
        try:
            await service.set_webhooks()
        except Exception:
            log.exception("could not set the webhooks")
        yield
        stop.set()
        for task in background:
            await task
        await dispose_engines()

    app = FastAPI(title="Tổ Công Nghệ bot", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict:
        async with session_scope() as session:
            await session.exec(text("SELECT 1"))
        return {"ok": True}

    @app.post("/webhook/telegram")
    async def telegram_webhook(request: Request, background: BackgroundTasks) -> Response:
        if not _secret_ok(request.headers.get("X-Telegram-Bot-Api-Secret-Token"), settings.telegram_webhook_secret):
            raise HTTPException(401, "wrong secret")
        service: Service = request.app.state.service
        channel = service.channels.get(tg.PLATFORM)
        if channel is None:
            raise HTTPException(404, "Telegram is not configured")
        body = await _json_body(request)
        try:
            update = Update.de_json(body, channel.bot)
        except Exception as error:
            raise HTTPException(400, "not a Telegram update") from error
        event = tg.to_event(update) if update is not None else None
        if event is not None:
            ids = await process(event, capabilities=channel.capabilities, settings=settings)
            background.add_task(service.deliver_soon, ids)
        if update is not None and update.callback_query is not None:
            background.add_task(channel.answer_button, update.callback_query.id)
        return Response(status_code=200)

    @app.get("/media/{name}")
    async def media(name: str) -> Response:
        """Images and files by unguessable id, for channels that fetch by URL (Zalo, web chat)."""
        media_id = name.rsplit(".", 1)[0]
        async with session_scope() as session:
            item = await live_media(session, media_id=media_id)
        if item is None:
            raise HTTPException(404, "not found or expired")
        disposition = f"attachment; filename*=UTF-8''{quote(item.filename)}"
        headers = {} if item.content_type.startswith("image/") else {"Content-Disposition": disposition}
        return Response(item.data, media_type=item.content_type, headers=headers)

    return app
