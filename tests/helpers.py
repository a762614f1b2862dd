"""Shared test helpers: seed a commune with hamlets and a roster, run the real service over HTTP."""

import asyncio
import itertools
import os
import random
import socket
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot import texts
from config import Settings
from db.models import Level, Membership, Outbox, Person, Role, Team, Unit
from db.session import get_engine, session_scope
from db.units import add_membership, create_invite, create_unit, ensure_team

SECRET = "test-webhook-secret-123"
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


class FailingDatabase:
    """Makes the engine fail statements that start with `prefixes`, as a restarting database
    does: the next `times` of them, each with probability `chance` (seeded, so runs repeat)."""

    MESSAGE = "the database system is starting up"

    def __init__(self, prefixes=("",), *, times: int = 10**9, chance: float = 1.0) -> None:
        self.prefixes, self.left, self.chance = tuple(prefixes), times, chance
        self.random = random.Random(27)
        self.failed = 0
        self.engine = get_engine()

    def __enter__(self) -> "FailingDatabase":
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._fail)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self._fail)

    def _fail(self, connection, cursor, statement, parameters, context, executemany) -> None:
        wanted = self.left > 0 and statement.lstrip().startswith(self.prefixes)
        if wanted and self.random.random() < self.chance:
            self.left -= 1
            self.failed += 1
            raise OperationalError(statement, None, ConnectionError(self.MESSAGE))


@dataclass
class Seed:
    province: Unit
    commune: Unit
    hamlets: list[Unit]
    people: dict[str, Person] = field(default_factory=dict)


async def seed_commune(roster: dict[str, list[tuple[str, str | None, Role]]] | None = None) -> Seed:
    """Đồng Tháp / Xã Tân Phú with hamlets and roster people: {hamlet name: [(name, phone, role)]}."""
    roster = roster or {
        "Ấp Tân Hòa": [
            ("Nguyễn Văn An", "0912000001", Role.LEADER),
            ("Trần Thị Bình", "0912000002", Role.MEMBER),
        ],
        "Ấp Phú Thạnh": [("Lê Văn Cường", "0912000003", Role.LEADER)],
    }
    async with session_scope() as session:
        province = await create_unit(
            session, level=Level.PROVINCE, name="Đồng Tháp", parent=None, code="82", official=True
        )
        commune = await create_unit(
            session,
            level=Level.COMMUNE,
            name="Xã Tân Phú",
            parent=province,
            code="28468",
            official=True,
        )
        seed = Seed(province, commune, [])
        for hamlet_name, people in roster.items():
            hamlet = await create_unit(
                session, level=Level.HAMLET, name=hamlet_name, parent=commune
            )
            seed.hamlets.append(hamlet)
            team = await ensure_team(
                session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
            )
            for name, phone, role in people:
                person = Person(display_name=name, phone=phone)
                session.add(person)
                await session.flush()
                await add_membership(session, person=person, team=team, role=role)
                seed.people[name] = person
        await ensure_team(session, unit=commune, name=texts.TEAM_NAME.format(unit=commune.name))
        await session.commit()
    return seed


async def add_official(session, commune: Unit, name: str = "Phạm Cán Bộ") -> Person:
    """A commune official, in the caller's session (flushed, not committed)."""
    official = Person(display_name=name)
    session.add(official)
    await session.flush()
    team = await ensure_team(session, unit=commune, name="Tổ xã")
    await add_membership(session, person=official, team=team, role=Role.OFFICIAL)
    return official


async def roster_invite(person: Person) -> str:
    """An invite for the person's roster team with the person's roster role: what a leader hands
    a roster member, since picking a name never gives more rights than the invite."""
    async with session_scope() as session:
        membership = (
            await session.exec(select(Membership).where(Membership.person_id == person.id))
        ).first()
        team = await session.get(Team, membership.team_id)
        unit = await session.get(Unit, team.unit_id)
    return await invite(unit, Role(membership.role))


async def invite(unit: Unit, role: Role, uses: int = 5) -> str:
    async with session_scope() as session:
        code = (await create_invite(session, unit=unit, role=role, uses=uses)).code
        await session.commit()
    return code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def running_service(settings: Settings, port: int | None = None):
    """The real FastAPI app served by uvicorn on a free port (or `port`), in this event loop."""
    from cli.app import create_app

    port = port or free_port()
    app = create_app(settings, run_scheduler=False)  # jobs are tested on their own, by the clock
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def outbox_settled(timeout: float = 10.0) -> None:
    """Wait until no outgoing message is pending or being sent."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with session_scope() as session:
            busy = (
                await session.exec(
                    select(Outbox.id).where(Outbox.status.in_(["pending", "sending"]))
                )
            ).first()
        if busy is None:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("outbox did not settle")
        await asyncio.sleep(0.02)


class WebhookChat:
    """Posts updates to one platform's webhook; returns the Bot API calls that followed, once the
    outbox has settled. Subclasses name the path and the secret's header."""

    path = header = ""

    def __init__(self, client, api) -> None:
        self.client, self.api = client, api

    async def send(self, update: dict, expect_status: int = 200) -> list:
        before = len(self.api.calls())
        response = await self.client.post(self.path, json=update, headers={self.header: SECRET})
        assert response.status_code == expect_status, response.text
        self.last_response = response
        await outbox_settled()
        return self.sent(self.api.calls()[before:])

    def sent(self, calls: list) -> list:
        return calls

    async def text(self, update: dict) -> str:
        """What the user reads: the messages sent, or the notice answering a button press."""
        sent = [
            c.params.get("text") or c.params.get("caption") or "" for c in await self.send(update)
        ]
        return "\n".join([*self.notice(), *sent])

    def notice(self) -> list[str]:
        """The text of the answer to a button press, carried in the webhook's response."""
        if not self.last_response.content:
            return []
        answer = self.last_response.json()
        return (
            [answer["text"]]
            if answer.get("method") == "answerCallbackQuery" and answer.get("text")
            else []
        )


_update_ids = itertools.count(1000)


@dataclass
class TelegramUser:
    """Builds Telegram updates as the Bot API would send them, for one user."""

    user_id: int
    first_name: str
    last_name: str = ""

    def _user(self) -> dict:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "last_name": self.last_name,
        }

    @staticmethod
    def _chat(chat_id: int, title: str) -> dict:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "x"}
        return {"id": chat_id, "type": "group", "title": title}

    def message(
        self, text: str = "", chat_id: int | None = None, title: str = "Nhóm ấp", **extra
    ) -> dict:
        chat = self._chat(chat_id or self.user_id, title)
        update_id = next(_update_ids)
        message = {
            "message_id": update_id,
            "date": 1763880000,
            "chat": chat,
            "from": self._user(),
            **extra,
        }
        if text:
            message["text"] = text
        return {"update_id": update_id, "message": message}

    def press(self, data: str, chat_id: int | None = None, title: str = "Nhóm ấp") -> dict:
        chat = self._chat(chat_id or self.user_id, title)
        update_id = next(_update_ids)
        bot = {"id": 1, "is_bot": True, "first_name": "Bot"}
        message = {"message_id": 1, "date": 1763880000, "chat": chat, "from": bot, "text": "…"}
        query = {
            "id": str(update_id),
            "from": self._user(),
            "chat_instance": "c",
            "data": data,
            "message": message,
        }
        return {"update_id": update_id, "callback_query": query}


async def link_telegram(people: list[tuple[Person, int]]) -> None:
    """Give roster people their Telegram accounts, as joining does: they can report at once."""
    from db.models import Identity

    async with session_scope() as session:
        for person, user_id in people:
            session.add(Identity(person_id=person.id, platform="telegram", user_id=str(user_id)))
        await session.commit()
