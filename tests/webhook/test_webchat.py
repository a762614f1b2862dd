"""The local web chat over HTTP: the real app and database with the demo commune seeded."""

import io
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.config import Settings
from bot.demo import HAMLETS, holds_real_users, is_empty, reset_demo, seed_demo, web_people
from bot.parsing import week_bounds
from db.models import Identity, Person, Report, WebMessage
from db.reports import count_reports, totals
from db.session import session_scope
from tests.helpers import outbox_settled, running_service
from webhook.webchat import enabled, is_loopback

OFFICIAL, LAN, BINH_HOA_LEADER = "cb01", "u02", "u26"  # demo ids: official, a member, a leader


def today():
    return datetime.now(Settings().zone).date()


@pytest.fixture
async def web(db, database_url):
    """The app (web chat on: no bot token) serving the freshly seeded demo commune."""
    async with session_scope() as session:
        await seed_demo(session, today=today())
        await session.commit()
    settings = Settings(database_url=database_url, scheduler_enabled=False)  # jobs by button only
    async with running_service(settings) as client:
        yield client


class WebUser:
    """One demo persona typing and pressing buttons in one web chat."""

    def __init__(self, client, user_id: str, chat: str | None = None) -> None:
        self.client, self.user_id = client, user_id
        self.chat = chat or f"p-{user_id}"

    async def post(self, *, key: str | None = None, **fields):
        body = {"as": self.user_id, "chat": self.chat, "key": key or str(uuid.uuid4()), **fields}
        return await self.client.post("/webchat/send", json=body)

    async def say(self, text: str = "", **fields) -> list[dict]:
        """Send, then return the bot's messages that came back (delivered before the answer)."""
        last = await last_id(self.client, self.chat)
        response = await self.post(text=text, **fields)
        assert response.status_code == 200, response.text
        return [m for m in await messages(self.client, self.chat, after=last) if m["from_bot"]]

    async def text(self, text: str = "", **fields) -> str:
        return "\n".join(m["text"] for m in await self.say(text, **fields))


async def messages(client, chat: str, after: int = 0) -> list[dict]:
    response = await client.get("/webchat/messages", params={"chat": chat, "after": after})
    assert response.status_code == 200
    return response.json()["messages"]


async def last_id(client, chat: str) -> int:
    found = await messages(client, chat)
    return found[-1]["id"] if found else 0


async def week_total(code: str, **where) -> int:
    monday, sunday = week_bounds(today())
    async with session_scope() as session:
        return (await totals(session, start=monday, end=sunday, **where)).get(code, 0)


async def test_personas_list_everyone_and_where_they_write(web):
    people = (await web.get("/webchat/personas")).json()["personas"]
    assert len(people) == 1 + sum(len(h.people) for h in HAMLETS) == 31
    official = people[0]
    groups = ["g-28468"] + [f"g-28468-0{n}" for n in range(1, 6)]
    assert official["name"] == "Nguyễn Thị Thanh Hà" and official["role"] == "canbo"
    assert (official["unit"], official["unit_code"]) == ("Xã Tân Phú", "28468")
    assert [c["id"] for c in official["chats"]] == ["p-cb01", *groups]
    assert official["chats"][1]["title"] == "Nhóm Tổ CNSCĐ Xã Tân Phú"
    lan = next(p for p in people if p["id"] == LAN)
    assert (lan["name"], lan["role"], lan["unit"]) == ("Trần Thị Lan", "thanhvien", "Ấp Tân Hòa")
    assert [(c["id"], c["kind"]) for c in lan["chats"]] == [
        ("p-u02", "private"),
        ("g-28468", "group"),
        ("g-28468-01", "group"),
    ]
    leaders = [p["unit"] for p in people if p["role"] == "totruong"]
    assert leaders == [h.name for h in HAMLETS]


async def test_a_report_is_echoed_answered_and_counted(web):
    before = await week_total("vneid", person_id=await person_id(LAN))
    lan = WebUser(web, LAN)
    replies = await lan.say("/bc vneid 3 ho 5")
    assert len(replies) == 1
    first_line = replies[0]["text"].split("\n")[0]
    assert first_line == f"✅ Đã ghi nhận ngày {today():%d/%m}: VNeID 3, Hộ đã thăm 5."
    echo, answer = await messages(web, "p-u02")
    assert (echo["text"], echo["user_id"], echo["sender"]) == (
        "/bc vneid 3 ho 5",
        LAN,
        "Trần Thị Lan",
    )
    assert (echo["from_bot"], echo["pressed"], answer["from_bot"]) == (False, False, True)
    assert await messages(web, "p-u02", after=answer["id"]) == []
    assert await week_total("vneid", person_id=await person_id(LAN)) == before + 3
    async with session_scope() as session:
        report = (await session.exec(select(Report).where(Report.source == "web"))).one()
        assert report.idempotency_key.startswith("web:")


async def test_a_group_message_is_seen_by_everyone_in_the_group(web):
    lan = WebUser(web, LAN, "g-28468-01")
    reply = await lan.text("/bc dvc 2")
    assert f"Đã ghi nhận ngày {today():%d/%m}: Dịch vụ công 2." in reply
    echo, answer = await messages(web, "g-28468-01")
    assert (echo["sender"], echo["text"], answer["from_bot"]) == ("Trần Thị Lan", "/bc dvc 2", True)
    assert await messages(web, "p-u02") == []
    assert await WebUser(web, LAN, "g-28468-01").text("chào cả tổ") == ""  # chatter: no reply


async def test_buttons_press_by_choice(web):
    lan = WebUser(web, LAN)
    (menu,) = await lan.say("/ghinhan")
    assert {"label": "Hôm nay", "data": "day:0"} in menu["choices"]
    (indicators,) = await lan.say(choice="day:0", label="Hôm nay")
    assert indicators["text"].startswith(f"Ngày {today():%d/%m} — Ấp Tân Hòa")
    assert {"label": "VNeID", "data": "ind:vneid"} in indicators["choices"]
    pressed = (await messages(web, "p-u02"))[-2]
    assert (pressed["text"], pressed["pressed"]) == ("Hôm nay", True)
    prompt = await lan.text(choice="ind:vneid", label="VNeID")
    assert prompt == "Cài đặt, kích hoạt VNeID: nhập số lượng (0–500)."


async def test_a_double_submit_counts_once(web):
    pid = await person_id(LAN)
    before = await week_total("vneid", person_id=pid)
    lan = WebUser(web, LAN)
    key = str(uuid.uuid4())
    assert len(await lan.say("/bc vneid 4", key=key)) == 1
    assert await lan.say("/bc vneid 4", key=key) == []
    assert [m["text"] for m in await messages(web, "p-u02") if not m["from_bot"]] == ["/bc vneid 4"]
    assert await week_total("vneid", person_id=pid) == before + 4


async def test_the_official_gets_the_excel_and_the_chart(web):
    official = WebUser(web, OFFICIAL)
    (summary,) = await official.say("/baocao")
    assert summary["text"].startswith("📊 Báo cáo Xã Tân Phú")
    excel, chart = summary["choices"]
    assert (excel["label"], chart["label"]) == ("📥 Tải Excel", "📊 Xem biểu đồ")
    (document,) = await official.say(choice=excel["data"], label=excel["label"])
    assert document["file_url"].startswith("/media/") and document["file_url"].endswith(".xlsx")
    assert document["filename"].startswith("baocao-28468-") and document["filename"].endswith(
        ".xlsx"
    )
    download = await web.get(document["file_url"])
    assert download.status_code == 200
    assert download.headers["content-disposition"].endswith(document["filename"])
    book = load_workbook(io.BytesIO(download.content))
    assert (book.worksheets[0].title, book.worksheets[0]["A2"].value) == ("Tổng hợp", "Xã Tân Phú")
    (image,) = await official.say(choice=chart["data"], label=chart["label"])
    picture = await web.get(image["image_url"])
    assert (picture.status_code, picture.headers["content-type"]) == (200, "image/png")
    assert picture.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_the_leaderboard_button_posts_once_per_week(web):
    result = (await web.post("/webchat/jobs/leaderboard")).json()
    assert result == {"messages": 6, "waiting": 0, "already_done": 0}  # commune + 5 hamlet groups
    await outbox_settled()  # the service's background sender may have taken some of them
    (board,) = await messages(web, "g-28468")
    assert board["image_url"].endswith(".png") and "Bảng xếp hạng" in board["text"]
    for number in range(1, 6):
        assert len(await messages(web, f"g-28468-0{number}")) == 1
    again = (await web.post("/webchat/jobs/leaderboard")).json()
    assert again == {"messages": 0, "waiting": 0, "already_done": 1}
    assert (await web.post("/webchat/jobs/monthly")).status_code == 404


async def test_the_reminder_button_nudges_the_silent(web):
    monday, sunday = week_bounds(today())
    async with session_scope() as session:
        people = (await session.exec(select(Person, Identity.user_id).join(Identity))).all()
        silent = [
            (person.display_name, user_id)
            for person, user_id in people
            if user_id != OFFICIAL
            and await count_reports(session, person_id=person.id, start=monday, end=sunday) == 0
        ]
        before = len((await session.exec(select(WebMessage))).all())
    assert silent  # a few demo members stopped reporting two weeks ago
    result = (await web.post("/webchat/jobs/reminder")).json()
    await outbox_settled()
    async with session_scope() as session:
        after = len((await session.exec(select(WebMessage))).all())
    assert (result["waiting"], result["already_done"]) == (0, 0)
    assert result["messages"] == after - before >= len(silent)
    for name, user_id in silent:
        (nudge,) = await messages(web, f"p-{user_id}")
        assert nudge["text"].startswith(f"👋 Chào {name}! Tuần này")


async def test_bad_requests_are_refused(web):
    lan = WebUser(web, LAN)
    assert (await lan.post(text="/toi", key="short")).status_code == 400
    assert (await lan.post(text="   ")).status_code == 400
    assert (await lan.post(text=5)).status_code == 400
    assert (await WebUser(web, "nobody").post(text="/toi")).status_code == 404
    assert (await WebUser(web, LAN, "p-u03").post(text="/toi")).status_code == 404
    assert (await WebUser(web, LAN, "g-99999").post(text="/toi")).status_code == 404
    bad_json = await web.post(
        "/webchat/send", content=b"{no", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert await messages(web, "p-u02") == []


async def test_the_page_and_its_assets_are_served(web):
    page = await web.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Chạy nhắc nhở" in page.text and "Đăng bảng xếp hạng" in page.text
    assert (await web.get("/static/app.js")).headers["content-type"].startswith("text/javascript")
    assert (await web.get("/static/app.css")).headers["content-type"].startswith("text/css")
    assert (await web.get("/static/index.html")).status_code == 404


async def test_the_web_chat_is_off_when_a_bot_token_is_set(db, database_url):
    token = Settings(database_url=database_url, telegram_bot_token="1:T", scheduler_enabled=False)
    async with running_service(token) as client:
        assert (await client.get("/")).status_code == 404
        assert (await client.get("/webchat/personas")).status_code == 404
    forced = Settings(
        database_url=database_url, zalo_bot_token="z", webchat_enabled=True, scheduler_enabled=False
    )
    async with running_service(forced) as client:
        assert (await client.get("/webchat/personas")).json() == {"personas": []}


@pytest.mark.parametrize(
    ("fields", "on"),
    [
        ({}, True),
        ({"telegram_bot_token": "1:T"}, False),
        ({"zalo_bot_token": "z"}, False),
        ({"zalo_bot_token": "z", "webchat_enabled": True}, True),
        ({"webchat_enabled": False}, False),
    ],
)
def test_when_the_web_chat_is_on(fields, on):
    base = {"telegram_bot_token": "", "zalo_bot_token": "", "webchat_enabled": None}
    assert enabled(Settings(**{**base, **fields})) is on


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_only_loopback_hosts_are_private(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("command", [["demo"], ["serve", "--no-migrate"]])
def test_the_cli_refuses_a_public_interface(command, database_url):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *command, "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATABASE_URL": database_url, "WEBCHAT_ENABLED": "true"},
    )
    assert result.returncode == 1
    assert "0.0.0.0" in result.stderr and "--allow-public" in result.stderr


async def test_the_demo_is_deterministic_and_reset_starts_again(db):
    async with session_scope() as session:
        assert await is_empty(session)
        await seed_demo(session, today=today())
        await session.commit()
        first = await _figures(session)
        assert (await is_empty(session), await web_people(session)) == (False, 31)
        await reset_demo(session, today=today())
        await session.commit()
        assert await _figures(session) == first
        assert await web_people(session) == 31
        assert not await holds_real_users(session)
        someone = (await session.exec(select(Person.id))).first()
        session.add(Identity(person_id=someone, platform="zalo", user_id="z1"))
        await session.commit()
        assert await holds_real_users(session)


async def _figures(session) -> tuple:
    """Per-person six-week totals and the count of retracted reports, by name."""
    start = week_bounds(today())[0] - timedelta(weeks=6)
    people = (await session.exec(select(Person).order_by(Person.display_name))).all()
    per_person = [
        (p.display_name, await totals(session, start=start, end=today(), person_id=p.id))
        for p in people
    ]
    retracted = (await session.exec(select(Report).where(Report.retracted))).all()
    assert len(retracted) == 1
    return per_person


async def person_id(user_id: str) -> int:
    async with session_scope() as session:
        query = select(Identity.person_id).where(
            Identity.platform == "web", Identity.user_id == user_id
        )
        return (await session.exec(query)).one()
