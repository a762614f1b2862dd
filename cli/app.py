"""The service assembled: the channels that are configured, the inbox, the sender and the
scheduler, behind the webhook routes (webhook.app)."""

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial

from fastapi import FastAPI

from bot import texts
from bot.attachments import start_drawing, stop_drawing
from bot.batch import Delivery
from bot.core.channel import Channel
from bot.inbox import Inbox
from bot.reading import start_reading, stop_reading
from config import DEV_LINK_SECRET, Settings, get_settings
from db.models import utcnow
from db.outbox import due_ids
from db.session import dispose_engines, session_scope
from scheduler.jobs import dry_run, run_job
from scheduler.runner import Scheduler
from scheduler.schedule import LEADERBOARD, REMINDER
from scheduler.sender import SERVICE_CONCURRENCY, SERVICE_PACE_MARGIN, Sender
from webhook import telegram, webchat, zalo
from webhook.app import make_app

log = logging.getLogger(__name__)


class Service:
    """What the routes share (webhook.channel.Service): settings, the channels that are
    configured, the inbox and the sender."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channels: dict[str, Channel] = {}
        if settings.telegram_bot_token:
            self.channels[telegram.PLATFORM] = telegram.make_channel(settings)
        if settings.zalo_bot_token:
            self.channels[zalo.PLATFORM] = zalo.make_channel(settings)
        if webchat.enabled(settings):
            self.channels[webchat.PLATFORM] = webchat.WebChannel(link_secret=settings.link_secret)
        self.sender = Sender(
            self.channels,
            settings=settings,
            concurrency=SERVICE_CONCURRENCY,
            pace_margin=SERVICE_PACE_MARGIN,
        )
        self.inbox = Inbox(settings, orphaned=self.deliver_in_background)
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

    async def run_job_now(self, name: str) -> dict | None:
        """The web chat's «Chạy nhắc nhở» / «Đăng bảng xếp hạng»: the weekly job, run now; None
        for a job the page may not run. Due rows go out at once; rows held for quiet hours stay
        for the background sender (`waiting`). Beside a real bot it is a dry run: it counts the
        messages and sends none, and the week's real run stays to do."""
        if name not in (REMINDER, LEADERBOARD):
            return None
        now = datetime.now(self.settings.zone)
        if webchat.beside_real_bots(self.settings):
            return {"messages": await dry_run(name, now=now), "waiting": 0, "dry_run": True}
        result = await run_job(name, now=now)
        async with session_scope() as session:
            due = await due_ids(session, ids=result.ids, now=utcnow())
        await self.sender.deliver(due)
        return {
            "messages": len(result.ids),
            "waiting": len(result.ids) - len(due),
            "already_done": result.skipped,
        }

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
            telegram.PLATFORM: self.settings.telegram_webhook_secret,
            zalo.PLATFORM: self.settings.zalo_webhook_secret,
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
    """The whole service as an ASGI app: webhook routes, the background sender, and the
    scheduler unless told not to (SCHEDULER_ENABLED)."""
    settings = settings or get_settings()
    if webchat.unprotected(settings):
        raise RuntimeError(texts.WEBCHAT_NEEDS_PASSWORD)
    if settings.public_base_url and settings.link_secret == DEV_LINK_SECRET:
        log.warning("LINK_SECRET is the development default: set your own before going public")
    if run_scheduler is None:
        run_scheduler = settings.scheduler_enabled
    lifespan = partial(
        _lifespan, settings=settings, run_sender=run_sender, run_scheduler=run_scheduler
    )
    return make_app(settings, lifespan=lifespan)


@asynccontextmanager
async def _lifespan(app: FastAPI, *, settings: Settings, run_sender: bool, run_scheduler: bool):
    """Start the service's parts before the first update and stop them in order after the last."""
    service = app.state.service = Service(settings)
    await start_drawing(settings.render_processes)  # before the first update, warmed up
    await start_reading(settings.read_processes)
    stop = asyncio.Event()
    background = []
    if run_sender:
        try:  # before serving: what a previous run of this process left `sending`
            await service.sender.resume()
        except Exception:
            log.exception("could not settle this process's unsent replies; the sender retries")
        background.append(asyncio.create_task(service.sender.run_forever(stop)))
    scheduler = Scheduler(settings) if run_scheduler else None
    if scheduler is not None:
        scheduler.start()
    try:
        await service.set_webhooks()
    except Exception:
        log.exception("could not set the webhooks")
    yield
    await service.inbox.finish()
    if scheduler is not None:
        await scheduler.stop()
    stop.set()
    await service.finish_deliveries()
    for task in background:
        await task
    await service.close()
    await stop_drawing()
    await stop_reading()
    await dispose_engines()
