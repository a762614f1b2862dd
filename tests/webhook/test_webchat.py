"""The local web chat: the same core over HTTP, with the demo commune; and in a real browser."""

import io
import os
import re
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.demo import seed_demo
from config import Settings
from db.session import session_scope
from tests.clock import TODAY
from tests.helpers import running_service

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
async def web(db, database_url):
    async with session_scope() as session:
        await seed_demo(session, today=TODAY)
        await session.commit()
    settings = Settings(
        database_url=database_url, telegram_bot_token="", zalo_bot_token="", public_base_url=""
    )
    async with running_service(settings) as client:
        yield client


async def personas(client) -> list[dict]:
    return (await client.get("/webchat/personas")).json()["personas"]


async def say(
    client, persona: dict, chat: str, *, text: str = "", choice: str | None = None, key=None
) -> str:
    """Send as a persona, then return the text of the bot's messages that came back."""
    before = await messages(client, chat)
    last = before[-1]["id"] if before else 0
    body = {
        "as": persona["id"],
        "chat": chat,
        "key": key or str(uuid.uuid4()),
        "text": text,
        "choice": choice,
    }
    response = await client.post("/webchat/send", json=body)
    assert response.status_code == 200, response.text
    new = [m for m in await messages(client, chat) if m["id"] > last and m["from_bot"]]
    return "\n".join(m.get("text", "") for m in new)


async def messages(client, chat: str) -> list[dict]:
    return (await client.get("/webchat/messages", params={"chat": chat})).json()["messages"]


def pick(people: list[dict], role: str) -> dict:
    return next(p for p in people if p["role"] == role)


async def test_personas_cover_members_leaders_and_the_official(web):
    people = await personas(web)
    roles = {p["role"] for p in people}
    assert {"thanhvien", "totruong", "canbo"} <= roles
    official = pick(people, "canbo")
    assert official["unit_code"] == "28468"
    kinds = {c["kind"] for c in official["chats"]}
    assert kinds == {"private", "group"}
    assert 5 * 4 <= len(people) <= 5 * 8 + 1


async def test_a_report_reaches_the_officials_summary(web):
    people = await personas(web)
    member, official = pick(people, "thanhvien"), pick(people, "canbo")
    before = await say(web, official, f"p-{official['id']}", text="/baocao")
    reply = await say(web, member, f"p-{member['id']}", text="/bc vneid 3 ho 5")
    assert "Đã ghi nhận" in reply and "VNeID 3" in reply
    after = await say(web, official, f"p-{official['id']}", text="/baocao")
    assert before != after
    assert "Báo cáo" in after


async def test_a_double_submit_counts_once_and_buttons_work(web):
    people = await personas(web)
    member = pick(people, "thanhvien")
    chat = f"p-{member['id']}"
    key = str(uuid.uuid4())
    first = await say(web, member, chat, text="/bc dvc 2", key=key)
    again = await say(web, member, chat, text="/bc dvc 2", key=key)
    assert "Đã ghi nhận" in first and again == ""
    bubbles = [
        m for m in await messages(web, chat) if not m["from_bot"] and m["text"] == "/bc dvc 2"
    ]
    assert len(bubbles) == 1
    menu = await say(web, member, chat, text="/ghinhan")
    assert "Ghi nhận cho ngày nào?" in menu
    chosen = await say(web, member, chat, choice="day:0")
    assert "Chọn chỉ tiêu" in chosen


async def test_the_official_downloads_the_excel(web):
    official = pick(await personas(web), "canbo")
    chat = f"p-{official['id']}"
    await say(web, official, chat, text="/baocao xlsx")
    file_message = next(m for m in reversed(await messages(web, chat)) if m.get("file_url"))
    link = file_message["file_url"]
    assert re.fullmatch(r"/media/[\w-]+\.xlsx\?exp=\d+&sig=[0-9a-f]{64}", link)
    assert (await web.get(link.split("?")[0])).status_code == 403  # the id alone opens nothing
    response = await web.get(link)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "BÁO CÁO" in str(sheet["A1"].value)


async def test_jobs_can_be_run_from_the_page(web):
    result = (await web.post("/webchat/jobs/leaderboard", json={})).json()
    assert result["messages"] + result["waiting"] >= 1
    again = (await web.post("/webchat/jobs/leaderboard", json={})).json()
    assert again["messages"] == 0 and again["already_done"] == 1
    assert (await web.post("/webchat/jobs/nothing", json={})).status_code == 404


CHROMIUM = Path("/usr/bin/chromium")


async def test_in_a_real_browser(web):
    """Member reports, official sees the figure: headless Chromium driven by Playwright."""
    playwright = pytest.importorskip("playwright.async_api", reason="playwright is not installed")
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian chromium is not installed (apt-get install chromium); CI installs it")
    people = await personas(web)
    member, official = pick(people, "thanhvien"), pick(people, "canbo")
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = await browser.new_page(viewport={"width": 390, "height": 844})
        await page.goto(str(web.base_url) + "/")
        await page.wait_for_function("document.querySelectorAll('#persona option').length > 3")
        await page.select_option("#persona", member["id"])
        await page.fill("#text", "/bc vneid 3 ho 5")
        await page.press("#text", "Enter")
        await page.wait_for_selector("text=Đã ghi nhận", timeout=15000)
        await page.select_option("#persona", official["id"])
        await page.fill("#text", "/baocao")
        await page.press("#text", "Enter")
        await page.wait_for_selector("text=Báo cáo Xã Tân Phú", timeout=15000)
        text = await page.inner_text("#message-list")
        assert "VNeID" in text
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "webchat.png"), full_page=True)
        await browser.close()
    assert (ARTIFACTS / "webchat.png").stat().st_size > 10_000


def test_the_demo_refuses_a_public_interface():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "0.0.0.0" in result.stderr
