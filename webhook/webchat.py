"""Local web chat adapter: the page's JSON -> Event, Reply -> WebMessage rows the page polls.

No authentication: anyone who reaches the page can speak as anyone, so it is meant for one
laptop (`tocongnghe demo`); the CLI refuses a non-loopback host unless --allow-public.
"""

import ipaddress
import re
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.config import Settings
from bot.core.events import ChatKind, Event
from bot.core.replies import Attachment, Capabilities, Reply, split_text
from db.models import (
    ChatGroup,
    Identity,
    Membership,
    Outbox,
    ProcessedUpdate,
    Team,
    Unit,
    WebMessage,
    utcnow,
)
from db.session import session_scope
from db.units import ROLE_RANK
from webhook.channel import json_body

PLATFORM = "web"
CAPABILITIES = Capabilities(buttons=True, max_text=4000, files=True)
PRIVATE, GROUP = "p-", "g-"  # page chat ids: "p-<user id>" private with the bot, "g-<unit code>"
ECHO = "web-echo"  # dedupe key space for the user's own bubble, apart from the update itself
KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
STATIC = Path(__file__).parent / "static"
ASSETS = {"app.css": "text/css", "app.js": "text/javascript"}
PAGE_SIZE = 200
router = APIRouter()


def enabled(settings: Settings) -> bool:
    """WEBCHAT_ENABLED decides; unset, the web chat is on exactly when no bot token is set."""
    if settings.webchat_enabled is not None:
        return settings.webchat_enabled
    return not (settings.telegram_bot_token or settings.zalo_bot_token)


def is_loopback(host: str) -> bool:
    """Only this machine can reach the host (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _service(request: Request):
    service = request.app.state.service
    if PLATFORM not in service.channels:
        raise HTTPException(404, "the web chat is off (WEBCHAT_ENABLED)")
    return service


@router.get("/", include_in_schema=False)
async def page(request: Request) -> FileResponse:
    _service(request)
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/{name}", include_in_schema=False)
async def asset(name: str, request: Request) -> FileResponse:
    _service(request)
    if name not in ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / name, media_type=ASSETS[name])


@router.get("/webchat/personas")
async def personas(request: Request) -> dict:
    """Who the page can speak as, and in which chats."""
    _service(request)
    async with session_scope() as session:
        return {"personas": await list_personas(session)}


@router.post("/webchat/send")
async def send(request: Request) -> dict:
    """One typed line or button press: echo it, process it once, deliver the replies now."""
    service = _service(request)
    body = await json_body(request)
    user_id, chat, key = (str(body.get(name) or "") for name in ("as", "chat", "key"))
    text, choice = body.get("text") or "", body.get("choice")
    if not KEY.fullmatch(key):
        raise HTTPException(400, "key: 8–64 letters, digits or dashes (a UUID)")
    if not isinstance(text, str) or not (choice is None or isinstance(choice, str)):
        raise HTTPException(400, "text and choice are strings")
    if not text.strip() and not choice:
        raise HTTPException(400, "send text or a choice")
    async with session_scope() as session:
        identity = (
            await session.exec(
                select(Identity).where(Identity.platform == PLATFORM, Identity.user_id == user_id)
            )
        ).first()
        if identity is None:
            raise HTTPException(404, "no such persona")
        group = None
        if chat != f"{PRIVATE}{user_id}":
            group = (
                await session.exec(
                    select(ChatGroup).where(
                        ChatGroup.platform == PLATFORM, ChatGroup.chat_id == chat
                    )
                )
            ).first()
            if group is None:
                raise HTTPException(404, "no such chat")
        event = Event(
            platform=PLATFORM,
            chat_id=chat
            if group
            else user_id,  # a private chat's id is the user id, as on Telegram
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            user_id=user_id,
            display_name=identity.display_name,
            update_key=key,
            text=text,
            choice=choice,
            chat_title=group.title if group else "",
        )
        label = str(body.get("label") or choice) if choice else text
        await _echo(session, chat=chat, event=event, text=label)
    await service.deliver(await service.inbox.submit(event, CAPABILITIES))
    return {"ok": True}


@router.get("/webchat/messages")
async def messages(request: Request, chat: str, after: int = 0) -> dict:
    """Messages after id `after` (or the latest page when 0), oldest first, for the page to poll."""
    _service(request)
    query = select(WebMessage).where(WebMessage.chat_id == chat)
    async with session_scope() as session:
        if after:
            query = query.where(WebMessage.id > after).order_by(WebMessage.id).limit(PAGE_SIZE)
            rows = list((await session.exec(query)).all())
        else:
            query = query.order_by(WebMessage.id.desc()).limit(PAGE_SIZE)
            rows = list(reversed((await session.exec(query)).all()))
    return {
        "messages": [
            {
                "id": row.id,
                "from_bot": row.from_bot,
                "sender": row.sender,
                "at": row.created_at.isoformat(),
                **row.payload,
            }
            for row in rows
        ]
    }


async def _echo(session, *, chat: str, event: Event, text: str) -> None:
    """The user's own bubble, stored once per key even when the browser submits twice."""
    session.add(ProcessedUpdate(platform=ECHO, update_id=event.update_key))
    payload = {"text": text, "user_id": event.user_id, "pressed": event.choice is not None}
    session.add(WebMessage(chat_id=chat, sender=event.display_name, payload=payload))
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()  # a repeat: process() below dedupes the update itself


async def list_personas(session) -> list[dict]:
    """Every web identity with its strongest role, and the web groups of its units up and down."""
    rows = (
        await session.exec(
            select(Identity, Membership, Unit)
            .join(Membership, Membership.person_id == Identity.person_id, isouter=True)
            .join(Team, Team.id == Membership.team_id, isouter=True)
            .join(Unit, Unit.id == Team.unit_id, isouter=True)
            .where(Identity.platform == PLATFORM)
            .order_by(Identity.user_id)
        )
    ).all()
    groups = (
        await session.exec(
            select(ChatGroup, Unit)
            .join(Unit, Unit.id == ChatGroup.unit_id)
            .where(ChatGroup.platform == PLATFORM)
            .order_by(Unit.path)
        )
    ).all()
    people: dict[str, dict] = {}
    for identity, membership, unit in rows:
        persona = people.setdefault(
            identity.user_id,
            {
                "id": identity.user_id,
                "name": identity.display_name,
                "role": "",
                "unit": "",
                "paths": [],
            },
        )
        if membership is None:
            continue
        persona["paths"].append(unit.path)
        if not persona["role"] or ROLE_RANK[membership.role] > ROLE_RANK[persona["role"]]:
            persona.update(role=membership.role, unit=unit.name, unit_code=unit.code)
    for persona in people.values():
        paths = persona.pop("paths")
        persona["chats"] = [{"id": f"{PRIVATE}{persona['id']}", "kind": "private", "title": ""}] + [
            {"id": group.chat_id, "kind": "group", "title": group.title, "unit": unit.name}
            for group, unit in groups
            if any(unit.path.startswith(p) or p.startswith(unit.path) for p in paths)
        ]
    rank = {role: -n for role, n in ROLE_RANK.items()}
    return sorted(
        people.values(), key=lambda p: (p.get("unit_code", "~"), rank.get(p["role"], 9), p["name"])
    )


def _media_url(attachment: Attachment) -> str:
    """Served by the app's /media route; the unguessable id is the link's secret."""
    suffix = Path(attachment.filename).suffix or ".bin"
    return f"/media/{attachment.media_id}{suffix}"


class WebChannel:
    """Delivers by storing: the bot's message becomes a WebMessage the page picks up."""

    platform = PLATFORM
    capabilities = CAPABILITIES

    async def aclose(self) -> None:
        """Nothing to close: it writes to the database."""

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        chat = chat_id if chat_id.startswith(GROUP) else f"{PRIVATE}{chat_id}"
        payloads = [{"text": piece} for piece in split_text(reply.text, CAPABILITIES.max_text)]
        last = payloads[-1]
        if reply.choices:
            last["choices"] = [{"label": c.label, "data": c.data} for c in reply.choices]
        if reply.image is not None:
            last["image_url"] = _media_url(reply.image)
        if reply.document is not None:
            last.update(file_url=_media_url(reply.document), filename=reply.document.filename)
        async with session_scope() as session:
            session.add_all(WebMessage(chat_id=chat, from_bot=True, payload=p) for p in payloads)
            await session.commit()


@router.post("/webchat/jobs/{name}")
async def run_job_now(name: str, request: Request) -> dict:
    """The page's «Chạy nhắc nhở» / «Đăng bảng xếp hạng»: the scheduler's job, run now.

    Due rows go out at once; rows held for quiet hours stay for the background sender (`waiting`).
    `scheduler.runner.deliver` is not used here: the service's own sender claims rows beside it.
    """
    from scheduler.jobs import run_job
    from scheduler.schedule import LEADERBOARD, REMINDER

    service = _service(request)
    if name not in (REMINDER, LEADERBOARD):
        raise HTTPException(404, "no such job")
    result = await run_job(name, now=datetime.now(service.settings.zone))
    async with session_scope() as session:
        query = select(Outbox.id).where(
            Outbox.id.in_(result.ids), Outbox.next_attempt_at <= utcnow()
        )
        due = list((await session.exec(query)).all())
    await service.sender.deliver(due)
    return {
        "messages": len(result.ids),
        "waiting": len(result.ids) - len(due),
        "already_done": result.skipped,
    }
