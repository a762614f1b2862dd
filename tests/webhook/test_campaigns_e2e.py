"""Campaigns (/chiendich) and assignments (/giao, /viec) end to end: the real app over HTTP with
Telegram (buttons) and Zalo (numbered menus) at once, against fake Bot APIs; the day's job is the
scheduler's own tick, its posts delivered by the service's sender.

The commune's official is on both apps; An (leader, Ấp Tân Hòa) and Dũng (member, Ấp Phú Thạnh)
on Telegram, Bình (member, Ấp Tân Hòa) and Cường (leader, Ấp Phú Thạnh) on Zalo. The commune has
a Telegram group, Ấp Tân Hòa a Zalo group. The clock stands on Wednesday 18/11/2026, 10:00.
"""

import re
from datetime import datetime, timedelta

import pytest
import time_machine

from bot import texts
from config import Settings
from db.models import ChatGroup, Identity, Role
from db.session import session_scope
from scheduler.runner import tick
from tests.clock import NOW, VN
from tests.helpers import TelegramUser, add_official, outbox_settled, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat as TelegramChat
from tests.webhook.test_telegram_e2e import buttons
from tests.webhook.test_zalo_e2e import ZaloChat, ZaloUser, settings_for

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock

OFFICIAL, OFFICIAL_Z = TelegramUser(700, "Cán Bộ"), ZaloUser("0a0b0c0d0e0f", "Cán Bộ")
AN, DUNG = TelegramUser(701, "An"), TelegramUser(702, "Dũng")
BINH = ZaloUser("6ede9afa66b88fe6d6a9", "Bình Trần")
CUONG = ZaloUser("1f2e3d4c5b6a79880716", "Cường Lê")
COMMUNE_GROUP, HAMLET_GROUP = -100200300, "9a8b7c6d5e4f3a2b1c0d"
ROSTER = {
    "Ấp Tân Hòa": [
        ("Nguyễn Văn An", "0912000001", Role.LEADER),
        ("Trần Thị Bình", "0912000002", Role.MEMBER),
    ],
    "Ấp Phú Thạnh": [
        ("Lê Văn Cường", "0912000003", Role.LEADER),
        ("Đỗ Văn Dũng", "0912000004", Role.MEMBER),
    ],
}
NAME = "Tuần VNeID"
START_POST = f"📣 Bắt đầu chiến dịch «{NAME}»"
DAY_POST = f"📊 Chiến dịch «{NAME}» — ngày "


async def people_on_both_apps() -> None:
    seed = await seed_commune(ROSTER)
    async with session_scope() as session:
        official = await add_official(session, seed.commune)
        accounts = [
            (official.id, "telegram", str(OFFICIAL.user_id)),
            (official.id, "zalo", OFFICIAL_Z.user_id),
            (seed.people["Nguyễn Văn An"].id, "telegram", str(AN.user_id)),
            (seed.people["Đỗ Văn Dũng"].id, "telegram", str(DUNG.user_id)),
            (seed.people["Trần Thị Bình"].id, "zalo", BINH.user_id),
            (seed.people["Lê Văn Cường"].id, "zalo", CUONG.user_id),
        ]
        for person_id, platform, user_id in accounts:
            session.add(Identity(person_id=person_id, platform=platform, user_id=user_id))
        session.add(
            ChatGroup(platform="telegram", chat_id=str(COMMUNE_GROUP), unit_id=seed.commune.id)
        )
        session.add(ChatGroup(platform="zalo", chat_id=HAMLET_GROUP, unit_id=seed.hamlets[0].id))
        await session.commit()


@pytest.fixture
def settings(database_url, zalo_api, telegram_api) -> Settings:
    return settings_for(database_url, zalo_api, telegram_api)


@pytest.fixture
async def chats(db, settings, zalo_api, telegram_api):
    await people_on_both_apps()
    async with running_service(settings) as client:
        yield TelegramChat(client, telegram_api), ZaloChat(client, zalo_api)


def pick(options: list[tuple[str, str]], label: str) -> str:
    """What answers the choice called `label` (or, if none is, the one whose label begins so)."""
    exact = [answer for name, answer in options if name == label]
    (answer,) = exact or [answer for name, answer in options if name.startswith(label)]
    return answer


class OnTelegram:
    """Someone on Telegram: a choice is a button pressed."""

    def __init__(self, chat: TelegramChat, user: TelegramUser) -> None:
        self.chat, self.user = chat, user

    async def say(self, text: str) -> str:
        return await self.chat.text(self.user.message(text))

    async def choose(self, label: str) -> str:
        mine = [
            c
            for c in self.chat.api.calls("sendMessage")
            if str(c.params["chat_id"]) == str(self.user.user_id)
        ]
        return await self.chat.text(self.user.press(pick(buttons(mine[-1]), label)))


class OnZalo:
    """Someone on Zalo: a choice is the number the last message gave it."""

    def __init__(self, chat: ZaloChat, user: ZaloUser) -> None:
        self.chat, self.user, self.last = chat, user, ""

    async def say(self, text: str) -> str:
        self.last = await self.chat.text(self.user.message(text))
        return self.last

    async def choose(self, label: str) -> str:
        lines = re.findall(r"^(\d+)\. (.+)$", self.last, re.MULTILINE)
        return await self.say(pick([(name, number) for number, name in lines], label))


async def create_campaign(official: OnTelegram | OnZalo) -> str:
    """The guided /chiendich flow: VNeID, 100 for the commune split evenly, every day, at 10."""
    await official.say("/chiendich moi")
    await official.say(NAME)
    await official.choose("VNeID")
    await official.choose(texts.BTN_DONE)
    await official.say("18/11 - 29/11")
    await official.choose(texts.BTN_EVERY_DAY)
    await official.say("100")
    await official.choose(texts.BTN_SPLIT_EVEN)
    confirm = await official.say("10")
    assert "18/11–29/11/2026, mọi ngày" in confirm and "VNeID 100" in confirm
    return await official.choose(texts.BTN_YES)


async def run_the_days_job(settings: Settings) -> None:
    """The scheduler's tick at the clock's time, then the sender's deliveries."""
    await tick(datetime.now(VN), settings=settings)
    await outbox_settled()


@pytest.mark.parametrize("app", ["telegram", "zalo"])
async def test_a_campaign_is_set_up_announced_reported_on_and_shown(
    chats, settings, telegram_api, zalo_api, app
):
    telegram, zalo = chats
    official = OnTelegram(telegram, OFFICIAL) if app == "telegram" else OnZalo(zalo, OFFICIAL_Z)
    saved = await create_campaign(official)
    assert saved.startswith(f"✅ Đã tạo chiến dịch «{NAME}»")
    await run_the_days_job(settings)
    [start, day] = telegram_api.sent_texts(COMMUNE_GROUP)
    assert start.startswith(START_POST) and "• VNeID: 0/100 (0%)" in start
    assert day.startswith(f"{DAY_POST}18/11")
    assert zalo_api.sent_texts(HAMLET_GROUP) == [start]  # the day's post: commune groups only
    # a member's report counts toward it, in /baocao and /chiendich
    await zalo.send(BINH.message("/bc vneid 7"))
    summary = await telegram.text(OFFICIAL.message("/baocao"))
    assert f"📣 Chiến dịch «{NAME}» (18/11–29/11/2026): VNeID 7/100" in summary
    hamlet = await zalo.text(BINH.message("/baocao"))
    assert f"📣 Chiến dịch «{NAME}» (18/11–29/11/2026): VNeID 7/50" in hamlet
    listed = await official.say("/chiendich")
    shown = await official.choose(NAME)
    assert f"1. {NAME} (18/11–29/11/2026) — đang chạy" in listed
    assert "• VNeID: 7/100 (7%)" in shown and "• Ấp Tân Hòa: VNeID 7/50" in shown
    await run_the_days_job(settings)  # the same hour again: nothing new
    assert len(telegram_api.sent_texts(COMMUNE_GROUP)) == 2


async def give_counts(leader: OnTelegram | OnZalo, member: str, count: str) -> str:
    """/giao: the member, VNeID and a count, due in a week."""
    await leader.say("/giao")
    await leader.choose(member)
    await leader.choose(texts.BTN_TASK_COUNTS)
    await leader.choose("VNeID")
    await leader.say(count)
    await leader.choose(texts.BTN_DONE)
    confirm = await leader.choose(texts.BTN_DUE_WEEK)
    assert "Hạn: 25/11/2026" in confirm
    return await leader.choose(texts.BTN_ASSIGN)


async def test_a_task_given_on_telegram_is_seen_and_accepted_on_zalo(chats, telegram_api, zalo_api):
    telegram, zalo = chats
    saved = await give_counts(OnTelegram(telegram, AN), "Trần Thị Bình", "10")
    assert saved == texts.TASK_SAVED.format(name="Trần Thị Bình")
    [notice] = zalo_api.sent_texts(BINH.user_id)
    assert notice.startswith("📌 Nguyễn Văn An giao cho bạn một việc:\nVNeID 10")
    binh = OnZalo(zalo, BINH)
    assert "VNeID: 0/10" in await binh.say("/viec")
    await binh.say("/bc vneid 3")
    mine = await binh.say("/viec")
    assert "#1 — Ấp Tân Hòa, hạn 25/11 · chưa nhận\nVNeID: 3/10" in mine
    accepted = await binh.choose(texts.BTN_TASK_ACCEPT.format(id=1))
    assert accepted == texts.TASK_ACCEPTED.format(id=1)
    assert telegram_api.sent_texts(AN.user_id)[-1] == texts.TASK_ACCEPTED_NOTICE.format(
        name="Trần Thị Bình", id=1, due="25/11"
    )
    assert "· đã nhận\nVNeID: 3/10" in await binh.say("/viec")


async def test_a_task_given_on_zalo_is_declined_on_telegram_with_a_reason(
    chats, telegram_api, zalo_api
):
    telegram, zalo = chats
    saved = await give_counts(OnZalo(zalo, CUONG), "Đỗ Văn Dũng", "5")
    assert saved == texts.TASK_SAVED.format(name="Đỗ Văn Dũng")
    dung = OnTelegram(telegram, DUNG)
    mine = await dung.say("/viec")
    assert "VNeID: 0/5" in mine
    assert (texts.BTN_TASK_DECLINE.format(id=1), "/viec khong 1") in buttons(
        telegram_api.calls("sendMessage")[-1]
    )
    asked = await dung.choose(texts.BTN_TASK_DECLINE.format(id=1))
    assert asked == texts.TASK_ASK_REASON.format(id=1)
    done = await dung.say("Đang đi công tác, gọi 0912345678")
    assert done == texts.TASK_DECLINED.format(id=1)
    told = zalo_api.sent_texts(CUONG.user_id)[-1]
    assert told.startswith("⚠️ Đỗ Văn Dũng không làm được việc #1 (VNeID 5).")
    assert told.endswith("Lý do: Đang đi công tác, gọi *******678")
    assert await dung.say("/viec") == texts.TASK_MINE_NONE


async def test_a_new_service_continues_the_campaign_and_sends_nothing_twice(
    db, settings, telegram_api, zalo_api
):
    await people_on_both_apps()
    async with running_service(settings) as client:
        await create_campaign(OnTelegram(TelegramChat(client, telegram_api), OFFICIAL))
        await run_the_days_job(settings)
    posted = telegram_api.sent_texts(COMMUNE_GROUP)
    assert [p[:20] for p in posted] == [START_POST[:20], DAY_POST[:20]]
    async with running_service(settings) as client:  # a new process on the same database
        await ZaloChat(client, zalo_api).send(BINH.message("/bc vneid 5"))
        await run_the_days_job(settings)  # the same day again: nothing new
        assert telegram_api.sent_texts(COMMUNE_GROUP) == posted
        with time_machine.travel(NOW + timedelta(days=1, minutes=5), tick=True):
            await run_the_days_job(settings)  # Thursday: its own post, no second start
            await run_the_days_job(settings)
    after = telegram_api.sent_texts(COMMUNE_GROUP)
    assert after[:2] == posted and len(after) == 3
    assert after[2].startswith(f"{DAY_POST}19/11") and "• VNeID: 5/100 (5%)" in after[2]
    assert zalo_api.sent_texts(HAMLET_GROUP) == [posted[0]]
