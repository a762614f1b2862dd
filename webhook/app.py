"""The FastAPI service: assembles one router per channel, the media route, and the background sender."""

import asyncio
import logging
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Response
from sqlalchemy import text

from bot.config import Settings, get_settings
from db.media import live_media
from db.session import dispose_engines, session_scope
from scheduler.outbox import Sender
from webhook import telegram

log = logging.getLogger(__name__)


class Service:
    """What the routes share: settings, the channels that are configured, and the sender."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channels: dict = {}
        if settings.telegram_bot_token:
            self.channels[telegram.PLATFORM] = telegram.TelegramChannel(telegram.make_bot(settings))
        self.sender = Sender(self.channels, settings=settings)

    async def deliver_soon(self, ids: list[int]) -> None:
        """Interactive replies go out at once, ahead of any job's queue."""
        if ids:
            await self.sender.deliver(ids)

    def webhook_secret(self, platform: str) -> str:
        return {
            "telegram": self.settings.telegram_webhook_secret,
            "zalo": self.settings.zalo_webhook_secret,
        }.get(platform, "")

    async def set_webhooks(self) -> None:
        """Point each platform at this service when PUBLIC_BASE_URL says where it is."""
        base = self.settings.public_base_url
        for platform, channel in self.channels.items():
            if base and hasattr(channel, "set_webhook"):
                await channel.set_webhook(
                    f"{base}/webhook/{platform}", self.webhook_secret(platform)
                )


def create_app(
    settings: Settings | None = None, *, run_sender: bool = True, run_scheduler: bool | None = None
) -> FastAPI:
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
    app.state.settings = settings
    app.include_router(telegram.router)

    @app.get("/healthz")
    async def healthz() -> dict:
        async with session_scope() as session:
            await session.exec(text("SELECT 1"))
        return {"ok": True}

    @app.get("/media/{name}")
    async def media(name: str) -> Response:
        """Images and files by unguessable id, for channels that fetch by URL (Zalo, web chat)."""
        async with session_scope() as session:
            item = await live_media(session, media_id=name.rsplit(".", 1)[0])
        if item is None:
            raise HTTPException(404, "not found or expired")
        headers = {}
        if not item.content_type.startswith("image/"):
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
        return Response(item.data, media_type=item.content_type, headers=headers)

    return app
