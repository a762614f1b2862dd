"""A member who floods the bot, end to end on Telegram and Zalo: the real app over HTTP with one
private chat's pace at the platforms' default (a burst of 5, then 1 a second). The rest of the
flood waits its chat's turn; another member's answer does not wait behind it."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import Identity, Outbox
from db.session import session_scope
from tests.helpers import SECRET, TelegramUser, outbox_settled, running_service, seed_commune
from tests.webhook.test_telegram_e2e import Chat as TelegramChat
from tests.webhook.test_zalo_e2e import ZaloChat, ZaloUser, settings_for

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock

FLOOD = 12  # reports from one member, all at once: 5 answers go at once, the rest 1 a second
BURST = 5
USERS = {
    "telegram": (TelegramUser(801, "An"), TelegramUser(802, "Bình")),
    "zalo": (ZaloUser("1f2e3d4c5b6a79880716", "An"), ZaloUser("6ede9afa66b88fe6d6a9", "Bình")),
}
CHATS = {"telegram": TelegramChat, "zalo": ZaloChat}


def user_id(user) -> str:
    return str(user.user_id)


async def members(platform: str) -> None:
    seed = await seed_commune()
    flooder, other = USERS[platform]
    async with session_scope() as session:
        for name, user in (("Nguyễn Văn An", flooder), ("Trần Thị Bình", other)):
            person_id = seed.people[name].id
            session.add(Identity(person_id=person_id, platform=platform, user_id=user_id(user)))
        await session.commit()


async def planned(platform: str, chat_id: str) -> list[Outbox]:
    async with session_scope() as session:
        query = select(Outbox).where(Outbox.platform == platform, Outbox.chat_id == chat_id)
        return list((await session.exec(query.order_by(Outbox.id))).all())


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_a_flood_waits_its_chats_turn_and_others_are_answered_at_once(
    db, database_url, zalo_api, telegram_api, platform
):
    settings = settings_for(database_url, zalo_api, telegram_api).model_copy(
        update={"telegram_chat_per_second": 1.0, "zalo_chat_per_second": 1.0}
    )
    api = telegram_api if platform == "telegram" else zalo_api
    path, header = CHATS[platform].path, {CHATS[platform].header: SECRET}
    flooder, other = USERS[platform]
    await members(platform)
    async with running_service(settings) as client:
        posts = [flooder.message(f"/bc vneid {n}") for n in range(1, FLOOD + 1)]
        for response in await asyncio.gather(
            *(client.post(path, json=p, headers=header) for p in posts)
        ):
            assert response.status_code == 200
        response = await client.post(path, json=other.message("/bc vneid 3"), headers=header)
        assert response.status_code == 200
        while not api.sent_texts(user_id(other)):
            await asyncio.sleep(0.01)
        answered_before_the_other = len(api.sent_texts(user_id(flooder)))
        flood_rows = await planned(platform, user_id(flooder))
        [other_row] = await planned(platform, user_id(other))
        await outbox_settled(timeout=30)

    # the flood's answers past its burst are planned one a second, holding no place in the bot's
    # slot meanwhile: the other's answer is not queued behind them (without the chat's pace, the
    # flood's twelve would take the next twelve places of the bot's slot, then the other's)
    times = sorted(row.next_attempt_at for row in flood_rows)
    assert len(times) == FLOOD
    # one a second past the burst: no span of the flood's holds more than its seconds and the
    # burst (a send the bot's second delays may bring the next a little closer, as platforms allow)
    pairs = [(i, j) for i in range(FLOOD) for j in range(i + 1, FLOOD)]
    assert all(j - i <= (times[j] - times[i]).total_seconds() + BURST for i, j in pairs)
    assert times[-1] - times[BURST] >= (FLOOD - BURST - 2) * timedelta(seconds=1)
    assert other_row.next_attempt_at < times[-1]
    assert answered_before_the_other < FLOOD
    # and every one arrives, in the order they were stored (the reports' counts tell them apart)
    assert api.sent_texts(user_id(flooder)) == [row.payload["text"] for row in flood_rows]
    assert len({row.payload["text"] for row in flood_rows}) == FLOOD
