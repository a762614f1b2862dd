"""The FastAPI service: assembles one router per channel, the media route, and the background sender."""

import asyncio
import logging
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Response
from sqlalchemy import text

from bot.core.inbox import Delivery, Inbox
from config import DEV_LINK_SECRET, Settings, get_settings
from db.media import live_media, verify
from db.session import dispose_engines, session_scope
from scheduler.outbox import SERVICE_CONCURRENCY, SERVICE_PACE_MARGIN, Sender
from scheduler.runner import Scheduler
from webhook import telegram, webchat, zalo

log = logging.getLogger(__name__)


class Service:
    """What the routes share: settings, the channels that are configured, and the sender."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channels: dict = {}
        if settings.telegram_bot_token:
            self.channels[telegram.PLATFORM] = telegram.TelegramChannel(telegram.make_bot(settings))
        if settings.zalo_bot_token:
            self.channels[zalo.PLATFORM] = zalo.make_channel(settings)
        if webchat.enabled(settings):
            self.channels[webchat.PLATFORM] = webchat.WebChannel()
        self.sender = Sender(
            self.channels,
            settings=settings,
            concurrency=SERVICE_CONCURRENCY,
            pace_margin=SERVICE_PACE_MARGIN,
        )
        self.inbox = Inbox(settings)
        self.deliveries: set[asyncio.Task] = set()

    async def deliver(self, delivery: Delivery) -> None:
        """Send an update's replies now (the web chat shows them in its answer)."""
        await self.sender.send_claims(delivery.answers)
        if delivery.others:
            await self.sender.deliver(delivery.others)

    def deliver_in_background(self, delivery: Delivery) -> None:
        """Send an update's replies after the webhook has answered, without holding its HTTP
        connection: a reply to a group may wait seconds for the group's rate slot. Its answers
        were planned in its own transaction and wait in the sender's schedule; notes to other
        chats (rare) are claimed and sent in a task of their own."""
        self.sender.schedule(delivery.answers)
        if delivery.others:
            task = asyncio.create_task(self.sender.deliver(delivery.others))
            self.deliveries.add(task)
            task.add_done_callback(self.deliveries.discard)

    async def finish_deliveries(self, timeout: float = 10.0) -> None:
        """On shutdown, give sends in flight a moment; unsent rows go back to the outbox."""
        if self.deliveries:
            await asyncio.wait(self.deliveries, timeout=timeout)
        await self.sender.finish(timeout)

    async def close(self) -> None:
        """Close every channel's HTTP connections."""
        for channel in self.channels.values():
            await channel.aclose()

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
                try:  # one platform refusing must not keep the others unset
                    await channel.set_webhook(
                        f"{base}/webhook/{platform}", self.webhook_secret(platform)
                    )
                except Exception:
                    log.exception("could not set the %s webhook", platform)


def create_app(
    settings: Settings | None = None, *, run_sender: bool = True, run_scheduler: bool | None = None
) -> FastAPI:
    settings = settings or get_settings()
    if settings.public_base_url and settings.link_secret == DEV_LINK_SECRET:
        log.warning("LINK_SECRET is the development default: set your own before going public")
    if run_scheduler is None:
        run_scheduler = settings.scheduler_enabled

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service = app.state.service = Service(settings)
        stop = asyncio.Event()
        background = []
        if run_sender:
            background.append(asyncio.create_task(service.sender.run_forever(stop)))
        scheduler = Scheduler(settings) if run_scheduler else None
        if scheduler is not None:
            scheduler.start()
        try:
            await service.set_webhooks()
        except Exception:
            log.exception("could not set the webhooks")
        yield
        if scheduler is not None:
            await scheduler.stop()
        stop.set()
        await service.finish_deliveries()
        for task in background:
            await task
        await service.close()
        await dispose_engines()

    app = FastAPI(title="Tổ Công Nghệ bot", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(telegram.router)
    app.include_router(zalo.router)
    app.include_router(webchat.router)

    @app.get("/healthz")
    async def healthz() -> dict:
        async with session_scope() as session:
            await session.exec(text("SELECT 1"))
        return {"ok": True}

    @app.get("/media/{name}")
    async def media(name: str, exp: str | None = None, sig: str | None = None) -> Response:
        """Images and files by unguessable id, for channels that fetch by URL (Zalo, web chat).

        A signed link (`?exp=…&sig=…`, from db.media.signed_url) must be genuine and unexpired.
        """
        media_id = name.rsplit(".", 1)[0]
        signed = exp is not None or sig is not None
        if signed and not verify(media_id, exp=exp, sig=sig, secret=settings.link_secret):
            raise HTTPException(403, "bad or expired link")
        async with session_scope() as session:
            item = await live_media(session, media_id=media_id)
        if item is None:
            raise HTTPException(404, "not found or expired")
        headers = {}
        if not item.content_type.startswith("image/"):
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
        return Response(item.data, media_type=item.content_type, headers=headers)

    return app
