"""Zalo end to end: the real app over HTTP, our Zalo client against a fake Zalo Bot API server."""

import io
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.config import Settings
from bot.core.replies import Reply
from db.media import PNG, XLSX, store_media
from db.models import ChatGroup, Identity, Report, Role
from db.reports import totals
from db.session import session_scope
from tests.helpers import (
    SECRET,
    TelegramUser,
    free_port,
    invite,
    outbox_settled,
    running_service,
    seed_commune,
)
from webhook.zalo import make_channel

ZALO_SECRET = "zalo-webhook-secret-123"
GROUP = "g9f8e7d6c5b4a3"
_ids = itertools.count(1)


@dataclass
class ZaloUser:
    """Builds Zalo webhook bodies as the Zalo Bot Platform sends them (ids are strings)."""

    user_id: str
    name: str

    def body(
        self, text: str = "", chat: str | None = None, event: str = "message.text.received", **extra
    ) -> dict:
        message = {
            "message_id": f"m{next(_ids):08x}",
            "date": 1763880000000,
            "chat": {"id": chat or self.user_id, "chat_type": "GROUP" if chat else "PRIVATE"},
            "from": {"id": self.user_id, "display_name": self.name, "is_bot": False},
            **extra,
        }
        if text:
            message["text"] = text
        return {"event_name": event, "message": message}


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(zalo_api, telegram_api, database_url, port) -> Settings:
    return Settings(
        database_url=database_url,
        zalo_bot_token="1234:zalo",
        zalo_api_url=zalo_api.url,
        zalo_webhook_secret=ZALO_SECRET,
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        public_base_url=f"http://127.0.0.1:{port}",
    )


class Zalo:
    def __init__(self, client, api) -> None:
        self.client, self.api = client, api

    async def post(self, body: dict, secret: str | None = ZALO_SECRET) -> httpx.Response:
        headers = {"X-Bot-Api-Secret-Token": secret} if secret else {}
        response = await self.client.post("/webhook/zalo", json=body, headers=headers)
        await outbox_settled()
        return response

    async def send(self, body: dict) -> list:
        before = len(self.api.calls())
        assert (await self.post(body)).status_code == 200
        return self.api.calls()[before:]

    async def text(self, body: dict) -> str:
        return "\n".join(
            c.params.get("text") or c.params.get("caption") or "" for c in await self.send(body)
        )


@pytest.fixture
async def zalo(db, settings, zalo_api, port):
    async with running_service(settings, port) as client:
        yield Zalo(client, zalo_api)


def number_of(menu: str, label: str) -> str:
    """The number the numbered menu gives `label`."""
    return re.search(rf"^(\d+)\. {re.escape(label)}", menu, re.M).group(1)


async def week_total(code: str) -> int:
    async with session_scope() as session:
        today = datetime.now(Settings().zone).date()
        return (await totals(session, start=today - timedelta(days=30), end=today)).get(code, 0)


async def join(zalo: Zalo, seed, user: ZaloUser, name: str, role: Role = Role.MEMBER) -> None:
    code = await invite(seed.hamlets[0], role)
    menu = await zalo.text(user.body(f"/thamgia {code}"))
    assert "Trả lời" in menu
    assert "Chào mừng" in await zalo.text(user.body(number_of(menu, name)))


async def test_join_link_group_and_report_by_numbers(zalo, zalo_api):
    seed = await seed_commune()
    leader = ZaloUser("z500", "An")
    await join(zalo, seed, leader, "Nguyễn Văn An")
    reply = await zalo.text(leader.body("@Tổ Công Nghệ /ketnoi", chat=GROUP))
    assert "Đã kết nối nhóm này với Ấp Tân Hòa" in reply
    member = ZaloUser("z501", "Bình")
    menu = await zalo.text(member.body("@Bot /thamgia", chat=GROUP))
    assert "Trần Thị Bình" in menu
    await zalo.send(member.body(f"@Bot {number_of(menu, 'Trần Thị Bình')}", chat=GROUP))
    assert "VNeID 3" in await zalo.text(member.body("@Bot /bc vneid 3", chat=GROUP))
    menu = await zalo.text(member.body("/ghinhan"))
    menu = await zalo.text(member.body(number_of(menu, "Hôm nay")))
    assert "Trả lời một số từ 1 đến" in menu
    await zalo.send(member.body(number_of(menu, "Dịch vụ công")))
    menu = await zalo.text(member.body("4"))
    confirm = await zalo.text(member.body(number_of(menu, "✔️ Xong")))
    assert "Dịch vụ công 4" in confirm
    assert "Đã ghi nhận" in await zalo.text(member.body(number_of(confirm, "✅ Lưu")))
    assert (await week_total("dvc"), await week_total("vneid")) == (4, 3)
    assert all(len(c.params.get("text", "")) <= 2000 for c in zalo_api.calls("sendMessage"))
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup))).one()
        assert (group.platform, group.chat_id) == ("zalo", GROUP)


async def test_retract_replay_and_wrong_secret(zalo):
    seed = await seed_commune()
    user = ZaloUser("z501", "Bình")
    await join(zalo, seed, user, "Trần Thị Bình")
    body = user.body("/bc vneid 5")
    assert (await zalo.post(body)).status_code == 200
    assert (await zalo.post(body)).status_code == 200
    assert await week_total("vneid") == 5
    assert "Đã hủy báo cáo" in await zalo.text(user.body("/huy"))
    assert await week_total("vneid") == 0
    other = user.body("/bc vneid 7")
    assert (await zalo.post(other, secret="wrong")).status_code == 401
    assert (await zalo.post(other, secret=None)).status_code == 401
    assert (
        await zalo.client.post(
            "/webhook/zalo", content=b"{", headers={"X-Bot-Api-Secret-Token": ZALO_SECRET}
        )
    ).status_code == 400
    assert await week_total("vneid") == 0


async def test_both_envelopes_images_and_unknown_events(zalo):
    seed = await seed_commune()
    user = ZaloUser("z501", "Bình")
    await join(zalo, seed, user, "Trần Thị Bình")
    assert "VNeID 2" in await zalo.text({"ok": True, "result": user.body("/bc vneid 2")})
    assert "VNeID 1" in await zalo.text(user.body("/bc vneid 1"))
    await zalo.send(user.body("/ghinhan"))
    await zalo.send(user.body("1"))
    menu = await zalo.text(user.body("@x"))  # anything not a number shows the menu again
    await zalo.send(user.body(number_of(menu, "📝 Ghi chú / ảnh")))
    await zalo.send(
        user.body(event="message.image.received", photo_url="https://zalo.example/a.jpg")
    )
    assert await zalo.send({"event_name": "message.unsupported.received"}) == []
    assert await zalo.send({"event_name": "message.reaction.received", "message": {}}) == []
    assert await zalo.send(user.body(event="message.sticker.received", sticker="abc")) != []
    assert await week_total("vneid") == 3


async def test_baocao_sends_a_chart_and_an_excel_link(zalo, zalo_api):
    seed = await seed_commune()
    user = ZaloUser("z501", "Bình")
    await join(zalo, seed, user, "Trần Thị Bình")
    await zalo.send(user.body("/bc vneid 6 ho 2"))
    official = ZaloUser("z900", "Cán bộ")
    code = await invite(seed.commune, Role.OFFICIAL)
    await zalo.send(official.body(f"/thamgia {code}"))
    summary = await zalo.text(official.body("/baocao"))
    assert "VNeID" in summary and "6" in summary
    chart = await zalo.send(official.body(number_of(summary, "📊 Xem biểu đồ")))
    photo_url = chart[-1].params["photo"]
    image = await zalo.client.get(photo_url)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    excel = await zalo.text(official.body("/baocao xlsx"))
    url = re.search(r"(http://\S+\.xlsx\?exp=\d+&sig=\w+)", excel).group(1)
    response = await zalo.client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "BÁO CÁO" in str(sheet["A1"].value)
    assert (await zalo.client.get(url.replace("sig=", "sig=0"))).status_code == 403
    expired = re.sub(r"exp=\d+", "exp=1000", url)
    assert (await zalo.client.get(expired)).status_code == 403


async def test_a_long_text_is_split_and_files_become_links(db, settings, zalo_api):
    channel = make_channel(settings)
    long_text = "\n".join(f"Dòng {n:03d} " + "x" * 40 for n in range(50))
    assert len(long_text) > 2000
    await channel.send("z501", Reply(long_text), {})
    texts = zalo_api.sent_texts("z501")
    assert len(texts) == 2 and all(len(t) <= 2000 for t in texts)
    assert "\n".join(texts) == long_text
    async with session_scope() as session:
        workbook = await store_media(session, data=b"PK", content_type=XLSX, filename="baocao.xlsx")
        chart = await store_media(session, data=b"\x89PNG", content_type=PNG, filename="bieudo.png")
        await session.commit()
    await channel.send("z501", Reply("Báo cáo", document=workbook, image=chart), {})
    photo = zalo_api.calls("sendPhoto")[-1].params
    assert photo["photo"].startswith(settings.public_base_url + f"/media/{chart.media_id}.png?exp=")
    assert "baocao.xlsx" in photo["caption"] and "?exp=" in photo["caption"]


async def test_one_person_on_telegram_and_zalo(zalo, telegram_api):
    seed = await seed_commune()
    zuser = ZaloUser("z501", "Bình")
    await join(zalo, seed, zuser, "Trần Thị Bình")
    await zalo.send(zuser.body("/bc vneid 2"))
    code_text = await zalo.text(zuser.body("/lienket"))
    code = re.search(r"/lienket (\w{6})", code_text).group(1)
    tuser = TelegramUser(777, "Bình")
    response = await zalo.client.post(
        "/webhook/telegram",
        json=tuser.message(f"/lienket {code}"),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200
    await outbox_settled()
    await zalo.client.post(
        "/webhook/telegram",
        json=tuser.message("/bc vneid 5"),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    await outbox_settled()
    assert "VNeID 5" in "\n".join(telegram_api.sent_texts())
    async with session_scope() as session:
        people = {
            i.person_id
            for i in (await session.exec(select(Identity))).all()
            if i.user_id in ("z501", "777")
        }
        assert people == {seed.people["Trần Thị Bình"].id}
        reports = (await session.exec(select(Report))).all()
        assert {r.person_id for r in reports} == people and len(reports) == 2
    assert await week_total("vneid") == 7
