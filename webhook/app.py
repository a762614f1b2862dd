"""The HTTP surface: one router per channel, the media route and the health check.

The service behind the routes (`app.state.service`, webhook.channel.Service) is assembled by the
composition root, cli.app.
"""

import logging
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot import texts
from bot.batch import Unavailable
from bot.core.events import InvalidEvent
from bot.metrics import OUTBOX_ROWS
from config import Settings
from db.media import live_media, verify
from db.outbox import depth
from db.session import session_scope
from webhook import telegram, webchat, zalo

log = logging.getLogger(__name__)


def make_app(settings: Settings, *, lifespan) -> FastAPI:
    """The FastAPI app with every route; `lifespan` starts and stops the service."""
    docs = settings.api_docs_enabled  # the API's own pages, off in production
    app = FastAPI(
        title=texts.APP_TITLE,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    app.include_router(telegram.router)
    app.include_router(zalo.router)
    app.include_router(webchat.router)
    app.add_exception_handler(Unavailable, unavailable)
    app.add_exception_handler(InvalidEvent, invalid)
    app.add_api_route("/healthz", healthz, methods=["GET"])
    if settings.metrics_enabled:
        app.add_api_route("/metrics", metrics, include_in_schema=False)
    app.add_api_route("/media/{name}", media, methods=["GET"])
    return app


async def unavailable(request: Request, error: Unavailable) -> JSONResponse:
    """Nothing was recorded: a platform that gets a non-2xx delivers the update again."""
    return JSONResponse({"detail": "database unavailable"}, 503, {"Retry-After": "1"})


async def invalid(request: Request, error: InvalidEvent) -> JSONResponse:
    """An update no platform sends: refused, nothing recorded. The log line names the field,
    never a value (no one's id, name or text)."""
    log.warning("%s update refused: %s", error.platform, error.reason)
    return JSONResponse({"detail": f"invalid update: {error.reason}"}, 400)


async def healthz() -> dict:
    async with session_scope() as session:
        await session.exec(text("SELECT 1"))
    return {"ok": True}


async def media(
    request: Request, name: str, exp: str | None = None, sig: str | None = None
) -> Response:
    """Images and files for channels that fetch by URL (Zalo, web chat), by signed link only
    (`?exp=…&sig=…`, from db.media.signed_url): genuine and unexpired, or 403. The id alone
    opens nothing, so a link shared on stops working when its time runs out."""
    media_id = name.rsplit(".", 1)[0]
    secret = request.app.state.settings.link_secret
    if not verify(media_id, exp=exp, sig=sig, secret=secret):
        raise HTTPException(403, "bad or expired link")
    async with session_scope() as session:
        item = await live_media(session, media_id=media_id)
    if item is None:
        raise HTTPException(404, "not found or expired")
    headers = {}
    if not item.content_type.startswith("image/"):
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
    return Response(item.data, media_type=item.content_type, headers=headers)


async def metrics() -> Response:
    """This process's counters in Prometheus format, with the outbox's depth read now (the
    outbox is shared by every process). On only with METRICS_ENABLED (docs/operations.md)."""
    async with session_scope() as session:
        for state, rows in (await depth(session)).items():
            OUTBOX_ROWS.labels(state).set(rows)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
