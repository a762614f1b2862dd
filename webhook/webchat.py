"""Local web chat adapter: the page's JSON -> Event, Reply -> WebMessage rows the page polls.

Whoever reaches the page can speak as anyone. Without a bot token (`tocongnghe demo`) it is meant
for one laptop and needs no login; the CLI refuses a non-loopback host unless --allow-public.
Beside a real bot token it starts only with WEBCHAT_PASSWORD, a shared operator password asked
by HTTP basic authentication on every route, and its job buttons only count (a dry run).
"""

import hmac
import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from bot import texts
from bot.core.channel import WEB
from bot.core.events import ChatKind, Event
from bot.core.replies import Attachment, Reply, split_text
from config import Settings
from db.media import signed_url
from db.models import ChatGroup, Identity, Membership, Unit, utcnow
from db.session import session_scope
from db.units import ROLE_RANK
from db.webchat import (
    PLATFORM,
    add_bot_messages,
    add_echo,
    web_group,
    web_groups,
    web_identity,
    web_memberships,
    web_messages,
)
from webhook.channel import json_body

CAPABILITIES = WEB
PRIVATE, GROUP = "p-", "g-"  # page chat ids: "p-<user id>" private with the bot, "g-<unit code>"
KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
STATIC = Path(__file__).parent / "static"
ASSETS = {"app.css": "text/css", "app.js": "text/javascript"}
PAGE_SIZE = 200
BASIC = HTTPBasic(auto_error=False, realm=texts.WEBCHAT_REALM)


def operator(
    request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(BASIC)]
) -> None:
    """With WEBCHAT_PASSWORD set, every web chat route asks for it (any user name)."""
    password = request.app.state.service.settings.webchat_password
    if not password:
        return
    given = credentials.password.encode() if credentials is not None else b""
    if not hmac.compare_digest(given, password.encode()):
        challenge = {"WWW-Authenticate": f'Basic realm="{texts.WEBCHAT_REALM}"'}
        raise HTTPException(401, "password required", headers=challenge)


router = APIRouter(dependencies=[Depends(operator)])


def enabled(settings: Settings) -> bool:
    """WEBCHAT_ENABLED decides; unset, the web chat is on exactly when no bot token is set."""
    if settings.webchat_enabled is not None:
        return settings.webchat_enabled
    return not (settings.telegram_bot_token or settings.zalo_bot_token)


def beside_real_bots(settings: Settings) -> bool:
    """A Telegram or Zalo token is set: the people and chats behind the page are real."""
    return bool(settings.telegram_bot_token or settings.zalo_bot_token)


def unprotected(settings: Settings) -> bool:
    """On beside a real bot with no password: anyone who reaches it could act as an official,
    read every chat and run the week's reminders. The service refuses to start so."""
    return enabled(settings) and beside_real_bots(settings) and not settings.webchat_password


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


def _sent(body: dict) -> tuple[str, str, str, str, str | None]:
    """(user id, chat, key, text, choice) of a send request, or 400."""
    user_id, chat, key = (str(body.get(name) or "") for name in ("as", "chat", "key"))
    text, choice = body.get("text") or "", body.get("choice")
    if not KEY.fullmatch(key):
        raise HTTPException(400, "key: 8–64 letters, digits or dashes (a UUID)")
    if not isinstance(text, str) or not (choice is None or isinstance(choice, str)):
        raise HTTPException(400, "text and choice are strings")
    if not text.strip() and not choice:
        raise HTTPException(400, "send text or a choice")
    return user_id, chat, key, text, choice


@router.post("/webchat/send")
async def send(request: Request) -> dict:
    """One typed line or button press: echo it, process it once, deliver the replies now."""
    service = _service(request)
    body = await json_body(request)
    user_id, chat, key, text, choice = _sent(body)
    async with session_scope() as session:
        identity = await web_identity(session, user_id=user_id)
        if identity is None:
            raise HTTPException(404, "no such persona")
        group = None
        if chat != f"{PRIVATE}{user_id}":
            group = await web_group(session, chat_id=chat)
            if group is None:
                raise HTTPException(404, "no such chat")
        event = _event(identity, group, chat=chat, key=key, text=text, choice=choice)
        label = str(body.get("label") or choice) if choice else text
        payload = {"text": label, "user_id": user_id, "pressed": choice is not None}
        await add_echo(
            session, update_key=key, chat_id=chat, sender=identity.display_name, payload=payload
        )
        await session.commit()  # a repeat adds nothing: the inbox dedupes the update itself
    await service.deliver(await service.inbox.submit(event, CAPABILITIES))
    return {"ok": True}


@router.get("/webchat/messages")
async def messages(request: Request, chat: str, after: int = 0) -> dict:
    """Messages after id `after` (or the latest page when 0), oldest first, for the page to poll."""
    _service(request)
    async with session_scope() as session:
        rows = await web_messages(session, chat_id=chat, after=after, limit=PAGE_SIZE)
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


def _event(
    identity: Identity, group: ChatGroup | None, *, chat: str, key: str, text: str, choice
) -> Event:
    """A typed line or a pressed button, as the bot sees it."""
    return Event(
        platform=PLATFORM,
        chat_id=chat if group else identity.user_id,  # a private chat's id is the user id
        chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
        user_id=identity.user_id,
        display_name=identity.display_name,
        update_key=key,
        text=text,
        choice=choice,
        chat_title=group.title if group else "",
    )


async def list_personas(session) -> list[dict]:
    """Every web identity with its strongest role, and the web groups of its units up and down."""
    people: dict[str, dict] = {}
    paths: dict[str, list[str]] = {}
    for identity, membership, unit in await web_memberships(session):
        persona = people.setdefault(identity.user_id, _persona(identity))
        mine = paths.setdefault(identity.user_id, [])
        if membership is not None:
            mine.append(unit.path)
            _keep_strongest(persona, membership, unit)
    groups = await web_groups(session)
    for user_id, persona in people.items():
        persona["chats"] = [{"id": f"{PRIVATE}{user_id}", "kind": "private", "title": ""}] + [
            {"id": group.chat_id, "kind": "group", "title": group.title, "unit": unit.name}
            for group, unit in groups
            if any(unit.path.startswith(p) or p.startswith(unit.path) for p in paths[user_id])
        ]
    rank = {role: -n for role, n in ROLE_RANK.items()}
    return sorted(
        people.values(), key=lambda p: (p.get("unit_code", "~"), rank.get(p["role"], 9), p["name"])
    )


def _persona(identity: Identity) -> dict:
    return {"id": identity.user_id, "name": identity.display_name, "role": "", "unit": ""}


def _keep_strongest(persona: dict, membership: Membership, unit: Unit) -> None:
    """The persona shows its strongest role, and that membership's unit."""
    if not persona["role"] or ROLE_RANK[membership.role] > ROLE_RANK[persona["role"]]:
        persona.update(role=membership.role, unit=unit.name, unit_code=unit.code)


LINK_HOURS = 24  # how long an image or file link on the page works


def _media_url(attachment: Attachment, secret: str) -> str:
    """A signed link to the app's /media route (relative: the page is served by the app)."""
    return signed_url("", attachment, secret, utcnow() + timedelta(hours=LINK_HOURS))


class WebChannel:
    """Delivers by storing: the bot's message becomes a WebMessage the page picks up."""

    platform = PLATFORM
    capabilities = CAPABILITIES

    def __init__(self, *, link_secret: str) -> None:
        self.link_secret = link_secret

    async def aclose(self) -> None:
        """Nothing to close: it writes to the database."""

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        chat = chat_id if chat_id.startswith(GROUP) else f"{PRIVATE}{chat_id}"
        payloads = [{"text": piece} for piece in split_text(reply.text, CAPABILITIES.max_text)]
        last = payloads[-1]
        if reply.choices:
            last["choices"] = [{"label": c.label, "data": c.data} for c in reply.choices]
        if reply.image is not None:
            last["image_url"] = _media_url(reply.image, self.link_secret)
        if reply.document is not None:
            file_url = _media_url(reply.document, self.link_secret)
            last.update(file_url=file_url, filename=reply.document.filename)
        async with session_scope() as session:
            add_bot_messages(session, chat_id=chat, payloads=payloads)
            await session.commit()


@router.post("/webchat/jobs/{name}")
async def run_job_now(name: str, request: Request) -> dict:
    """The page's job buttons: the scheduler's weekly job, run now (the service runs it); beside
    a real bot, a dry run that only counts."""
    result = await _service(request).run_job_now(name)
    if result is None:
        raise HTTPException(404, "no such job")
    return result
