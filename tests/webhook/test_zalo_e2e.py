"""End to end over HTTP: real FastAPI app, real database, our Zalo client against a fake Zalo Bot API."""

import io
import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot import texts
from bot.core.channel import SendError, SendFailure
from bot.core.events import ChatKind
from bot.core.replies import Attachment, Reply
from bot.dates import week_bounds
from bot.render.chart import progress_chart
from bot.render.workbook import summary_workbook
from bot.summaries import build_summary
from config import Settings
from db.media import PNG, XLSX, signed_url, store_media
from db.models import (
    ChatGroup,
    Identity,
    Level,
    LinkCode,
    Membership,
    Person,
    ProcessedUpdate,
    Report,
    Role,
    Team,
    utcnow,
)
from db.outbox import enqueue
from db.reports import totals
from db.session import session_scope
from db.units import create_unit
from tests.clock import NOW, TODAY
from tests.helpers import (
    SECRET,
    TelegramUser,
    WebhookChat,
    invite,
    outbox_settled,
    roster_invite,
    running_service,
    seed_commune,
)
from tests.webhook.test_telegram_e2e import Chat as TelegramChat
from tests.webhook.test_telegram_e2e import join_as_member as telegram_join
from webhook.zalo import ZaloChannel, strip_mention, to_event, unwrap
from webhook.zalo_client import ZaloBot

TOKEN = "1234567890:zalo-test-token"
PUBLIC = "https://tocongnghe.example.vn"
LINK_SECRET = "test-link-secret-456"
GROUP = "9a8b7c6d5e4f3a2b1c0d"
SENDS = ("sendMessage", "sendPhoto")
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock
_message_ids = itertools.count(1)


@dataclass
class ZaloUser:
    """Builds Zalo webhook updates as the Zalo Bot Platform sends them, for one user."""

    user_id: str
    display_name: str

    def update(self, event: str, chat_id: str | None = None, **fields) -> dict:
        chat = {"id": chat_id or self.user_id, "chat_type": "GROUP" if chat_id else "PRIVATE"}
        sender = {"id": self.user_id, "display_name": self.display_name, "is_bot": False}
        message = {
            "message_id": f"{next(_message_ids):020x}",
            "date": 1763880000000,  # epoch milliseconds
            "chat": chat,
            "from": sender,
            **fields,
        }
        return {"event_name": event, "message": message}

    def message(self, text: str, chat_id: str | None = None) -> dict:
        return self.update("message.text.received", chat_id, text=text)

    def image(self, url: str, field: str = "photo_url", caption: str = "") -> dict:
        fields = {field: url, **({"caption": caption} if caption else {})}
        return self.update("message.image.received", **fields)

    def sticker(self) -> dict:
        return self.update(
            "message.sticker.received", sticker="bfe458bf64fa8da4d4eb", url="https://zalo.me/s.png"
        )


class ZaloChat(WebhookChat):
    """Returns only the bot's sendMessage/sendPhoto calls."""

    path, header = "/webhook/zalo", "X-Bot-Api-Secret-Token"

    def sent(self, calls: list) -> list:
        return [c for c in calls if c.method in SENDS]


def settings_for(database_url: str, zalo_api, telegram_api=None) -> Settings:
    return Settings(
        telegram_bot_token="123456:TEST" if telegram_api else "",
        telegram_api_url=telegram_api.url if telegram_api else "https://api.telegram.org",
        telegram_webhook_secret=SECRET,
        zalo_bot_token=TOKEN,
        zalo_api_url=zalo_api.url,
        zalo_webhook_secret=SECRET,
        public_base_url=PUBLIC,
        link_secret=LINK_SECRET,
        database_url=database_url,
    )


@pytest.fixture
async def service(db, zalo_api, database_url):
    async with running_service(settings_for(database_url, zalo_api)) as client:
        yield client


@pytest.fixture
def chat(service, zalo_api) -> ZaloChat:
    return ZaloChat(service, zalo_api)


def number_of(text: str, label: str) -> str:
    """The number a numbered list gives `label`."""
    (number,) = re.findall(rf"^(\d+)\. {re.escape(label)}$", text, re.MULTILINE)
    return number


def today():
    return TODAY


async def week_total(code: str, person_id: int | None = None) -> int:
    async with session_scope() as session:
        start = today() - timedelta(days=30)
        found = await totals(session, start=start, end=today(), person_id=person_id)
        return found.get(code, 0)


async def join_as_member(chat: ZaloChat, seed, user: ZaloUser, name: str) -> None:
    """Join as the roster person `name`, with the invite their roster role needs."""
    code = await roster_invite(seed.people[name])
    names = await chat.text(user.message(f"/thamgia {code}"))
    assert "Chào mừng" in await chat.text(user.message(number_of(names, name)))


BINH = ZaloUser("6ede9afa66b88fe6d6a9", "Bình Trần")
AN = ZaloUser("1f2e3d4c5b6a79880716", "An Nguyễn")


async def test_join_with_an_invite_picking_the_name_by_number(chat, zalo_api):
    seed = await seed_commune()
    code = await invite(seed.hamlets[0], Role.MEMBER)
    (call,) = await chat.send(BINH.message(f"/thamgia {code}"))
    assert (call.method, call.params["chat_id"]) == ("sendMessage", BINH.user_id)
    assert call.params["text"] == (  # the leader's name needs a leader's invite
        "Danh sách tổ Ấp Tân Hòa đã có các tên dưới đây. Bạn là ai?\n"
        "1. Trần Thị Bình\n2. Tôi không có trong danh sách\n"
        "Trả lời 1 hoặc 2."
    )
    assert await chat.text(BINH.message("3")) == "Vui lòng trả lời một số từ 1 đến 2."
    welcome = await chat.text(BINH.message("1"))
    assert welcome.startswith("Chào mừng Trần Thị Bình tham gia Ấp Tân Hòa với vai trò thành viên")
    async with session_scope() as session:
        identity = (await session.exec(select(Identity).where(Identity.platform == "zalo"))).one()
        assert (identity.user_id, identity.person_id, identity.display_name) == (
            BINH.user_id,
            seed.people["Trần Thị Bình"].id,
            "Bình Trần",
        )


async def test_link_a_group_by_mention_and_report_there(chat, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, AN, "Nguyễn Văn An")
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    (linked,) = await chat.send(AN.message("@ToCongNgheBot /ketnoi", GROUP))
    assert linked.params["chat_id"] == GROUP
    assert linked.params["text"].startswith("✅ Đã kết nối nhóm này với Ấp Tân Hòa.")
    assert await chat.send(BINH.message("@Tổ Công Nghệ cảm ơn cả nhóm", GROUP)) == []
    (reply,) = await chat.send(BINH.message("@Tổ Công Nghệ /bc vneid 3", GROUP))
    assert reply.params["chat_id"] == GROUP
    assert reply.params["text"].startswith("✅ Đã ghi nhận ngày")
    assert "📈 Tổng Ấp Tân Hòa tuần này: VNeID 3." in reply.params["text"]
    assert await week_total("vneid", seed.people["Trần Thị Bình"].id) == 3
    board = await chat.send(BINH.message("@Tổ Công Nghệ /bangxephang", GROUP))
    assert "Gương mặt tiêu biểu tuần: Trần Thị Bình – Ấp Tân Hòa (3)" in board[0].params["text"]
    async with session_scope() as session:
        group = (await session.exec(select(ChatGroup))).one()
        assert (group.platform, group.chat_id, group.unit_id) == ("zalo", GROUP, seed.hamlets[0].id)


@pytest.mark.parametrize("photo_field", ["photo_url", "photo"])
async def test_guided_report_through_numbered_choices(chat, zalo_api, photo_field):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    assert await chat.text(BINH.message("/ghinhan")) == (
        "Ghi nhận cho ngày nào? Chọn bên dưới hoặc gõ ngày dạng dd/mm.\n"
        "1. Hôm nay\n2. Hôm qua\n3. ✖️ Hủy\nTrả lời 1, 2 hoặc 3."
    )
    menu = await chat.text(BINH.message("1"))
    assert menu.startswith(f"Ngày {today():%d/%m} — Ấp Tân Hòa\n(chưa nhập số nào)\n")
    assert menu.endswith("Trả lời một số từ 1 đến 13.")
    vneid = number_of(menu, "VNeID")
    asked = await chat.text(BINH.message(vneid))
    assert asked == "Cài đặt, kích hoạt VNeID: nhập số lượng (0–500)."
    again = await chat.text(BINH.sticker())  # not read: the flow still waits for the number
    assert again == texts.ONLY_TEXT_AND_PHOTOS
    menu = await chat.text(BINH.message("7"))
    assert number_of(menu, "VNeID (7)") == vneid
    note_question = await chat.text(BINH.message(number_of(menu, "📝 Ghi chú / ảnh")))
    assert note_question.startswith("Gõ ghi chú ngắn hoặc gửi ảnh.")
    photo = "https://f21-zpc.zdn.vn/jpg/3574552058519415218/6b7d3c8e1f2a.jpg"
    menu = await chat.text(BINH.image(photo, photo_field, caption="Hướng dẫn bà Lan"))
    confirm = await chat.text(BINH.message(number_of(menu, "✔️ Xong")))
    assert confirm == (
        f"Xác nhận ghi nhận ngày {today():%d/%m}:\nVNeID 7\nGhi chú: Hướng dẫn bà Lan\n"
        "📷 Có ảnh kèm theo\nLưu báo cáo này?\n1. ✅ Lưu\n2. ✖️ Hủy\nTrả lời 1 hoặc 2."
    )
    assert (await chat.text(BINH.message("1"))).startswith(f"✅ Đã ghi nhận ngày {today():%d/%m}")
    async with session_scope() as session:
        report = (await session.exec(select(Report))).one()
        assert (report.source, report.photo_ref, report.note, report.activity_date) == (
            "zalo",
            f"zalo:{photo}",
            "Hướng dẫn bà Lan",
            today(),
        )
    assert await week_total("vneid") == 7


async def test_a_guided_report_by_typing_the_choices_words(chat, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.text(BINH.message("/ghinhan"))
    await chat.text(BINH.message("Hôm nay"))
    asked = await chat.text(BINH.message("vneid"))  # the menu's «VNeID», typed
    assert asked == "Cài đặt, kích hoạt VNeID: nhập số lượng (0–500)."
    menu = await chat.text(BINH.message("4"))
    assert number_of(menu, "VNeID (4)")
    menu = await chat.text(BINH.message("dịch vụ công 2 ho 5"))  # counts typed at the menu
    assert number_of(menu, "Dịch vụ công (2)") and number_of(menu, "Hộ đã thăm (5)")
    hint = await chat.text(BINH.message("abc"))  # the hint, then the menu again
    assert hint.startswith("Chưa hiểu «abc». Chọn một mục bên dưới") and "Trả lời" in hint
    confirm = await chat.text(BINH.message("Xong"))
    assert confirm.startswith(
        f"Xác nhận ghi nhận ngày {today():%d/%m}:\nVNeID 4, Dịch vụ công 2, Hộ đã thăm 5\n"
    )
    assert (await chat.text(BINH.message("ok"))).startswith(f"✅ Đã ghi nhận ngày {today():%d/%m}")
    async with session_scope() as session:
        assert (await session.exec(select(Report))).one().source == "zalo"


async def test_a_guided_report_in_a_group_after_a_bot_name_with_spaces(chat, zalo_api):
    """In a Zalo group every message must mention the bot, answers included."""
    seed = await seed_commune()
    await join_as_member(chat, seed, AN, "Nguyễn Văn An")
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(AN.message("@Tổ Công Nghệ /ketnoi", GROUP))
    bot = "@Tổ Công Nghệ"
    assert (await chat.text(BINH.message(f"{bot} /ghinhan", GROUP))).startswith("Ghi nhận cho")
    menu = await chat.text(BINH.message(f"{bot} 1", GROUP))
    assert menu.startswith(f"Ngày {today():%d/%m} — Ấp Tân Hòa")
    asked = await chat.text(BINH.message(f"{bot} {number_of(menu, 'VNeID')}", GROUP))
    assert asked == "Cài đặt, kích hoạt VNeID: nhập số lượng (0–500)."
    menu = await chat.text(BINH.message(f"{bot} 4", GROUP))
    confirm = await chat.text(BINH.message(f"{bot} {number_of(menu, '✔️ Xong')}", GROUP))
    assert confirm.startswith(f"Xác nhận ghi nhận ngày {today():%d/%m}:\nVNeID 4\n")
    saved = await chat.text(BINH.message(f"{bot} 1", GROUP))
    assert saved.startswith(f"✅ Đã ghi nhận ngày {today():%d/%m}")
    assert await week_total("vneid", seed.people["Trần Thị Bình"].id) == 4


async def test_a_report_posted_in_a_group_without_a_command(chat, zalo_api):
    """As members post in their Zalo group today: the bot answers the sender, who confirms."""
    seed = await seed_commune()
    await join_as_member(chat, seed, AN, "Nguyễn Văn An")
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(AN.message("@Tổ Công Nghệ /ketnoi", GROUP))
    bot = "@Tổ Công Nghệ"
    asked = await chat.text(BINH.message(f"{bot} Em báo cáo: vneid 5 dvc 3", GROUP))
    assert asked.startswith(f"Trần Thị Bình báo cáo ngày {today():%d/%m}:\nVNeID 5, Dịch vụ công 3")
    assert "1. ✅ Ghi nhận" in asked and "2. Không phải" in asked
    assert await week_total("vneid", seed.people["Trần Thị Bình"].id) == 0
    saved = await chat.text(BINH.message(f"{bot} 1", GROUP))
    assert saved.startswith(f"✅ Đã ghi nhận ngày {today():%d/%m}: VNeID 5, Dịch vụ công 3.")
    assert await week_total("vneid", seed.people["Trần Thị Bình"].id) == 5
    how_to = await chat.text(BINH.message(f"{bot} chào bot, làm sao báo cáo ạ?", GROUP))
    assert how_to.startswith("Chào Trần Thị Bình! Để báo cáo, gõ một dòng như")


async def test_a_photo_with_a_long_signed_link_is_kept(chat, zalo_api):
    """Zalo's CDN links carry signatures; the report keeps the whole link (up to 2,000 chars)."""
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    photo = "https://f21-zpc.zdn.vn/jpg/3574552058519415218/a.jpg?" + "sig=" + "ab12" * 100
    await chat.text(BINH.message("/ghinhan"))
    menu = await chat.text(BINH.message("1"))
    await chat.text(BINH.message(number_of(menu, "VNeID")))
    menu = await chat.text(BINH.message("2"))
    await chat.text(BINH.message(number_of(menu, "📝 Ghi chú / ảnh")))
    menu = await chat.text(BINH.image(photo))
    await chat.text(BINH.message(number_of(menu, "✔️ Xong")))
    assert (await chat.text(BINH.message("1"))).startswith("✅ Đã ghi nhận ngày")
    async with session_scope() as session:
        assert (await session.exec(select(Report.photo_ref))).one() == f"zalo:{photo}"


async def test_quick_report_then_retract(chat, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    reply = await chat.text(BINH.message("/bc vneid 5"))
    assert reply.startswith(f"✅ Đã ghi nhận ngày {today():%d/%m}: VNeID 5.")
    assert await week_total("vneid") == 5
    retracted = await chat.text(BINH.message("/huy"))
    assert retracted.startswith(f"↩️ Đã hủy báo cáo ngày {today():%d/%m}: VNeID 5.")
    assert await week_total("vneid") == 0


async def test_a_repeated_delivery_counts_once(chat, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    update = BINH.message("/bc vneid 5")
    first = await chat.send(update)
    again = await chat.send(update)
    assert (len(first), again) == (1, [])
    assert await week_total("vneid") == 5


async def test_both_webhook_envelopes_are_accepted(chat, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    bare = BINH.message("/bc vneid 2")
    wrapped = {"ok": True, "result": BINH.message("/bc vneid 3")}
    assert len(await chat.send(bare)) == 1
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 5." in await chat.text(wrapped)
    assert await week_total("vneid") == 5


async def test_wrong_secret_and_bad_bodies_are_refused(service, zalo_api):
    update = BINH.message("/huongdan")
    wrong = await service.post(
        "/webhook/zalo", json=update, headers={"X-Bot-Api-Secret-Token": "nope-nope"}
    )
    missing = await service.post("/webhook/zalo", json=update)
    assert (wrong.status_code, missing.status_code) == (401, 401)
    headers = {"X-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    bad = await service.post("/webhook/zalo", content=b"{not json", headers=headers)
    listed = await service.post("/webhook/zalo", content=json.dumps([1]), headers=headers)
    assert (bad.status_code, listed.status_code) == (400, 400)
    assert [c.method for c in zalo_api.calls()] == ["setWebhook"]
    async with session_scope() as session:
        assert (await session.exec(select(ProcessedUpdate))).first() is None


async def test_events_the_bot_does_not_read_are_acknowledged_and_ignored(chat, zalo_api):
    """Content the bot cannot read gets one short hint a day in a private chat, then nothing."""
    await seed_commune()
    [hint] = await chat.send(BINH.update("message.unsupported.received"))
    assert hint.params["text"] == texts.ONLY_TEXT_AND_PHOTOS
    ignored = [
        {"event_name": "message.unsupported.received"},  # may come without a message
        BINH.update("message.reaction.received", text="/huongdan"),
        BINH.sticker(),  # told already today
        BINH.update("message.voice.received", voice_url="https://zalo.me/v.aac"),
        BINH.update("message.sticker.received", GROUP, sticker="bfe458bf64fa8da4d4eb"),
        BINH.update("message.link.received", link={"url": "https://dichvucong.gov.vn"}),
    ]
    for update in ignored:
        assert await chat.send(update) == []
    async with session_scope() as session:
        processed = (await session.exec(select(ProcessedUpdate))).all()
    assert len(processed) == 2  # the first unreadable message in each chat went through the core


async def test_the_webhook_is_registered_on_start(service, zalo_api):
    assert zalo_api.webhook == {"url": f"{PUBLIC}/webhook/zalo", "secret_token": SECRET}


def test_the_set_webhook_command_registers_zalo(zalo_api, database_url, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url,
        "ZALO_BOT_TOKEN": TOKEN,
        "ZALO_API_URL": zalo_api.url,
        "ZALO_WEBHOOK_SECRET": "another-secret-789",
        "PUBLIC_BASE_URL": "https://bot.xa-tanphu.vn/",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli", "set-webhook", "--channel", "zalo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Webhook set: https://bot.xa-tanphu.vn/webhook/zalo\n"
    assert zalo_api.webhook == {
        "url": "https://bot.xa-tanphu.vn/webhook/zalo",
        "secret_token": "another-secret-789",
    }


async def deliver(chat_id: str, *replies: Reply) -> None:
    """Queue replies as a job would; the running service's sender delivers them."""
    async with session_scope() as session:
        for reply in replies:
            await enqueue(session, platform="zalo", chat_id=chat_id, reply=reply, is_group=False)
        await session.commit()
    await outbox_settled()


async def test_a_long_text_arrives_in_two_messages(chat, zalo_api):
    lines = [f"{n:03d} " + "x" * 95 for n in range(25)]  # 25 lines of 99 characters
    text = "\n".join(lines)
    assert len(text) == 2499
    await deliver(BINH.user_id, Reply(text))
    sent = zalo_api.sent_texts(BINH.user_id)
    assert [len(piece) for piece in sent] == [1999, 499]
    assert "\n".join(sent) == text


async def test_chart_and_excel_go_as_signed_links(chat, service, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(BINH.message("/bc vneid 5 ho 8"))
    monday, sunday = week_bounds(today())
    async with session_scope() as session:
        summary = await build_summary(
            session,
            unit=seed.commune,
            start=monday,
            end=sunday,
            period_label="Tuần này",
            made_at=NOW,
        )
        chart_bytes, workbook_bytes = progress_chart(summary), summary_workbook(summary)
        chart = await store_media(
            session, data=chart_bytes, content_type=PNG, filename="tien-do.png"
        )
        workbook = await store_media(
            session, data=workbook_bytes, content_type=XLSX, filename="bao-cao-tuan.xlsx"
        )
        await session.commit()
    zalo_api.clear()
    await deliver(
        "canbo-zalo-id",
        Reply("📊 Xã Tân Phú, tuần này", image=chart),
        Reply("Bảng tổng hợp", document=workbook),
    )
    photo, message = zalo_api.calls()
    assert (photo.method, photo.params["caption"]) == ("sendPhoto", "📊 Xã Tân Phú, tuần này")
    image_url = photo.params["photo"]
    assert re.fullmatch(
        rf"{PUBLIC}/media/{chart.media_id}\.png\?exp=\d+&sig=[0-9a-f]{{64}}", image_url
    )
    link = re.search(rf"{PUBLIC}(/media/\S+)", message.params["text"]).group(1)
    assert message.params["text"] == (
        f"Bảng tổng hợp\n📎 Tải tệp bao-cao-tuan.xlsx tại: {PUBLIC}{link}\n"
        "(Liên kết có hiệu lực trong 24 giờ.)"
    )
    image = await service.get(image_url.removeprefix(PUBLIC))
    assert (image.status_code, image.content) == (200, chart_bytes)
    download = await service.get(link)
    assert download.status_code == 200
    assert download.headers["content-type"] == XLSX
    assert "bao-cao-tuan.xlsx" in download.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    (row,) = [r for r in sheet.iter_rows(values_only=True) if "Ấp Tân Hòa" in r]
    assert 5 in row and 8 in row
    exp = int(re.search(r"exp=(\d+)", link).group(1))
    assert exp - utcnow().timestamp() == pytest.approx(24 * 3600, abs=60)
    forged = link[:-1] + ("0" if link[-1] != "0" else "1")
    later = link.replace(f"exp={exp}", f"exp={exp + 3600}")
    expired = signed_url("", workbook, LINK_SECRET, utcnow() - timedelta(seconds=1))
    other_key = signed_url("", workbook, "not-our-secret", utcnow() + timedelta(hours=1))
    unsigned, no_sig = link.split("?")[0], link.split("&sig=")[0]
    for refused in (forged, later, expired, other_key, no_sig, unsigned):
        assert (await service.get(refused)).status_code == 403, refused
    gone = Attachment("no-such-media", "x.xlsx", XLSX)
    unknown = signed_url("", gone, LINK_SECRET, utcnow() + timedelta(hours=1))
    assert (await service.get(unknown)).status_code == 404


async def test_without_a_public_url_images_fail_clearly(zalo_api):
    async with ZaloBot(TOKEN, base_url=zalo_api.url) as bot:
        channel = ZaloChannel(bot, public_base_url="", link_secret=LINK_SECRET)
        with pytest.raises(SendError) as caught:
            await channel.send("u1", Reply("Biểu đồ", image=Attachment("m1", "c.png", PNG)), {})
    assert caught.value.kind == SendFailure.FAILED
    assert zalo_api.calls() == []


async def test_lienket_joins_a_telegram_and_a_zalo_account(
    db, database_url, zalo_api, telegram_api
):
    seed = await seed_commune(
        {
            "Ấp Tân Hòa": [
                ("Nguyễn Văn An", "0912000001", Role.LEADER),
                ("Trần Thị Bình", "0912000002", Role.MEMBER),
            ],
            "Ấp Phú Thạnh": [],
        }
    )
    binh = seed.people["Trần Thị Bình"]
    settings = settings_for(database_url, zalo_api, telegram_api)
    async with running_service(settings) as client:
        telegram, zalo = TelegramChat(client, telegram_api), ZaloChat(client, zalo_api)
        on_telegram = TelegramUser(501, "Bình")
        await telegram_join(telegram, seed, on_telegram, "Trần Thị Bình")
        await telegram.send(on_telegram.message("/bc vneid 2"))
        # On Zalo she joined another hamlet by herself, so she is a second person there.
        code = await invite(seed.hamlets[1], Role.LEADER)
        joined = await zalo.text(BINH.message(f"/thamgia {code}"))
        assert joined.startswith("Chào mừng Bình Trần tham gia Ấp Phú Thạnh với vai trò tổ trưởng")
        for line in ("/bc vneid 3 dvc 1", "/bc vneid 3 dvc 1 hôm qua"):  # not one sent twice
            assert "Đã ghi nhận" in await zalo.text(BINH.message(line))
        (given,) = await telegram.send(on_telegram.message("/lienket"))
        link_code = re.search(r"/lienket ([A-Z2-9]{6})$", given.params["text"], re.M).group(1)
        assert "dùng được trong 15 phút" in given.params["text"]
        own_code = await zalo.text(BINH.message("/lienket"))  # her Zalo person gets one too
        assert own_code.startswith("🔗 Mã liên kết của bạn: ")
        (done,) = await zalo.send(BINH.message(f"/lienket {link_code.lower()}"))
        assert done.params["text"] == (
            "✅ Đã liên kết tài khoản này với Trần Thị Bình. "
            "Từ nay báo cáo gửi từ cả hai ứng dụng được cộng chung."
        )
        assert telegram_api.sent_texts(501)[-1].startswith(
            "🔗 Một tài khoản ở ứng dụng khác vừa được liên kết với Trần Thị Bình."
        )
        assert "VNeID 8, Dịch vụ công 2" in await zalo.text(BINH.message("/toi"))
        assert "VNeID 8" in await telegram.text(on_telegram.message("/toi"))
        stranger = ZaloUser("00aa11bb22cc33dd44ee", "Người khác")
        (again,) = await telegram.send(on_telegram.message("/lienket"))
        second = re.search(r"/lienket ([A-Z2-9]{6})$", again.params["text"], re.M).group(1)
        refused = await zalo.text(stranger.message(f"/lienket {second}"))
        assert refused.startswith("Không liên kết được")
    async with session_scope() as session:
        people = (await session.exec(select(Person).order_by(Person.id))).all()
        assert [p.display_name for p in people] == ["Nguyễn Văn An", "Trần Thị Bình"]
        accounts = (await session.exec(select(Identity).where(Identity.person_id == binh.id))).all()
        assert sorted((i.platform, i.user_id) for i in accounts) == [
            ("telegram", "501"),
            ("zalo", BINH.user_id),
        ]
        roles = (
            await session.exec(select(Membership).where(Membership.person_id == binh.id))
        ).all()
        teams = (await session.exec(select(Team.unit_id, Team.id))).all()
        team_of = dict(teams)
        assert sorted((m.team_id, m.role) for m in roles) == sorted(
            [(team_of[seed.hamlets[0].id], "thanhvien"), (team_of[seed.hamlets[1].id], "totruong")]
        )
        reports = (await session.exec(select(Report))).all()
        assert {r.person_id for r in reports} == {binh.id}
        assert len((await session.exec(select(LinkCode))).all()) == 1  # the unused second code
    assert await week_total("vneid", binh.id) == 8


MENTIONS = [
    ("@ToCongNgheBot /ketnoi", "/ketnoi"),
    ("@Tổ Công Nghệ /bc vneid 3", "/bc vneid 3"),
    ("@ToCongNgheBot 2", "2"),
    ("@Tổ Công Nghệ 2", "2"),  # a numbered choice after a bot name with spaces
    ("@Tổ Công Nghệ  15", "15"),  # a count
    ("@Tổ Công Nghệ 20/11", "20/11"),  # a date
    ("@ToCongNgheBot hom qua", "hom qua"),
    ("/bc vneid 1", "/bc vneid 1"),
    ("@ToCongNgheBot", "@ToCongNgheBot"),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_a_leading_mention_is_stripped(text, expected):
    assert strip_mention(text) == expected


def test_the_bots_own_name_is_stripped_whole_before_any_text():
    name = "Tổ Công Nghệ"
    assert strip_mention("@Tổ Công Nghệ Em báo cáo: vneid 5", name) == "Em báo cáo: vneid 5"
    assert strip_mention("@tổ công nghệ chào bot", name) == "chào bot"
    assert strip_mention("@Lan ơi @Tổ Công Nghệ vneid 5", name) == "@Lan ơi vneid 5"


def test_updates_become_neutral_events():
    group = to_event(BINH.message("@Tổ Công Nghệ /bc vneid 3", GROUP))
    assert (group.chat_kind, group.chat_id, group.user_id, group.text) == (
        ChatKind.GROUP,
        GROUP,
        BINH.user_id,
        "/bc vneid 3",
    )
    update = BINH.message("@Bot /bc vneid 3")
    private = to_event(update)  # only group texts carry a mention
    assert (private.chat_kind, private.text, private.display_name) == (
        ChatKind.PRIVATE,
        "@Bot /bc vneid 3",
        "Bình Trần",
    )
    assert private.update_key == update["message"]["message_id"]
    robot = BINH.message("/huongdan")
    robot["message"]["from"]["is_bot"] = True
    assert to_event(robot) is None
    photo = to_event(BINH.image("https://zalo.me/a.jpg", "photo"))
    assert (photo.text, photo.photo_ref) == ("", "zalo:https://zalo.me/a.jpg")
    assert to_event(unwrap({"ok": True, "result": BINH.message("/toi")})).text == "/toi"


async def test_baocao_by_an_official_sends_the_excel_and_chart_as_links(chat, service, zalo_api):
    seed = await seed_commune()
    await join_as_member(chat, seed, BINH, "Trần Thị Bình")
    await chat.send(BINH.message("/bc vneid 5 ho 8"))
    official = ZaloUser("c0ffee00c0ffee00c0ff", "Cán bộ Hòa")
    code = await invite(seed.commune, Role.OFFICIAL)
    joined = await chat.text(official.message(f"/thamgia {code}"))
    assert joined.startswith("Chào mừng Cán bộ Hòa tham gia Xã Tân Phú với vai trò cán bộ")
    assert "/baocao" in joined and "/ghinhan" not in joined  # officials report nothing
    guide = await chat.text(official.message("/huongdan"))
    for command in (
        "/baocao",
        "/chitieu",
        "/caidat",
        "/chuabaocao",
        "/moi",
        "/thanhvien",
        "/nhatky",
    ):
        assert command in guide
    assert "/ghinhan" not in guide
    summary = await chat.text(official.message("/baocao"))
    assert summary.endswith(
        "1. 📥 Tải Excel\n2. 📊 Xem biểu đồ\n3. 📝 Xem ghi chú & ảnh\nTrả lời 1, 2 hoặc 3."
    )
    (excel,) = await chat.send(official.message("1"))
    text = excel.params["text"]
    assert text.startswith("📥 Báo cáo Xã Tân Phú — ")
    link = re.search(rf"tại: {PUBLIC}(/media/\S+\.xlsx\?exp=\d+&sig=[0-9a-f]{{64}})$", text, re.M)
    download = await service.get(link.group(1))
    assert download.status_code == 200
    sheets = load_workbook(io.BytesIO(download.content)).worksheets
    cells = {v for sheet in sheets for row in sheet.iter_rows(values_only=True) for v in row}
    assert {"Ấp Tân Hòa", "Trần Thị Bình", 5, 8} <= cells
    await chat.send(official.message("/baocao"))
    (chart,) = await chat.send(official.message("2"))
    assert chart.method == "sendPhoto"
    assert chart.params["caption"].startswith("📊 Xã Tân Phú — ")
    image = await service.get(chart.params["photo"].removeprefix(PUBLIC))
    assert (image.status_code, image.headers["content-type"]) == (200, PNG)
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_name_that_fits_two_hamlets_is_a_numbered_choice(chat):
    seed = await seed_commune()
    async with session_scope() as session:
        await create_unit(session, level=Level.HAMLET, name="Thôn Tân Hòa", parent=seed.commune)
        await session.commit()
    official = ZaloUser("c0ffee00c0ffee00c0fe", "Cán bộ Hòa")
    await chat.send(official.message(f"/thamgia {await invite(seed.commune, Role.OFFICIAL)}"))
    menu = await chat.text(official.message("/baocao tan hoa tuần trước"))
    assert menu.splitlines() == [
        "Có nhiều nơi tên «tan hoa». Chọn một:",
        "1. Ấp Tân Hòa (Xã Tân Phú)",
        "2. Thôn Tân Hòa (Xã Tân Phú)",
        "Trả lời 1 hoặc 2.",
    ]
    chosen = await chat.text(official.message("2"))
    assert chosen.startswith("📊 Báo cáo Thôn Tân Hòa\nTuần ")
