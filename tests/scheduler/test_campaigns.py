"""/chiendich set up on numbered menus, then the hourly job: the start announcement in every group,
one progress post a campaign day (again: nothing new), quiet hours, a new process continuing, the
end's recognition post and the official's summary with chart and Excel."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import select

from db.models import Campaign, CampaignTarget, ChatGroup, JobSetting, Outbox
from db.outbox import due_ids
from db.session import session_scope
from scheduler.jobs import run_for_commune
from scheduler.runner import tick
from scheduler.schedule import CAMPAIGNS
from scheduler.schedule import quiet_end as quiet_hours_end
from tests.bot.dialogue import BINH, NUMBERED, OFFICIAL, PLATFORM, Dialogue, commune
from tests.clock import VN


async def set_up(chat: Dialogue) -> None:
    await chat.say(OFFICIAL, "/chiendich moi")
    [menu] = await chat.say(OFFICIAL, "Cuối tuần VNeID")
    vneid = [c.data for c in menu.choices].index("ind:vneid") + 1
    await chat.say(OFFICIAL, str(vneid))
    await chat.say(OFFICIAL, str(len(menu.choices) - 1))  # «Xong»
    await chat.say(OFFICIAL, "21/11 - 29/11")
    await chat.say(OFFICIAL, "t7 cn")
    await chat.say(OFFICIAL, "100")
    await chat.say(OFFICIAL, "1")  # «Chia đều»
    [confirm] = await chat.say(OFFICIAL, "22")
    assert "21/11–29/11/2026, T7, CN" in confirm.text
    [saved] = await chat.say(OFFICIAL, "1")
    assert saved.text.startswith("✅ Đã tạo chiến dịch «Cuối tuần VNeID»")


async def outbox() -> list[Outbox]:
    async with session_scope() as session:
        query = select(Outbox).where(Outbox.dedupe_key.startswith("campaign:")).order_by(Outbox.id)
        return list((await session.exec(query)).all())  # the weekly jobs' rows left out


async def test_a_campaign_from_set_up_to_recognition(db):
    seed = await commune()
    async with session_scope() as session:
        session.add(ChatGroup(platform=PLATFORM, chat_id="g-commune", unit_id=seed.commune.id))
        session.add(ChatGroup(platform=PLATFORM, chat_id="g-hamlet", unit_id=seed.hamlets[0].id))
        await session.commit()
    await set_up(Dialogue(capabilities=NUMBERED))
    async with session_scope() as session:
        [campaign] = (await session.exec(select(Campaign))).all()
        targets = (await session.exec(select(CampaignTarget))).all()
    assert sorted(t.value for t in targets) == [50, 50, 100]  # commune, split evenly
    before = len(await outbox())
    saturday = datetime(2026, 11, 21, 22, 5, tzinfo=VN)  # post hour 22: inside quiet hours
    await Dialogue(now=saturday.replace(hour=9)).say(BINH, "/bc vneid 7")
    await Dialogue(now=saturday.replace(hour=9)).say(
        BINH, "/bc vneid 4 20/11"
    )  # not a campaign day
    with time_machine.travel(saturday, tick=False):  # the outbox stamps rows with the clock
        assert await run_for_commune(CAMPAIGNS, now=saturday, commune=seed.commune)
    rows = (await outbox())[before:]
    assert [r.chat_id for r in rows] == ["g-commune", "g-hamlet", "g-commune"]
    assert rows[0].payload["text"].startswith("📣 Bắt đầu chiến dịch «Cuối tuần VNeID»")
    assert "VNeID: 7/100 (7%)" in rows[2].payload["text"]
    quiet_end = datetime(2026, 11, 22, 6, 30, tzinfo=VN)
    assert quiet_hours_end(saturday, JobSetting(unit_id=seed.commune.id)) == quiet_end
    assert {r.next_attempt_at.replace(tzinfo=UTC) for r in rows} == {quiet_end}
    async with session_scope() as session:  # what the sender may claim: nothing before 06:30
        ids = [r.id for r in rows]
        assert await due_ids(session, ids=ids, now=quiet_end - timedelta(seconds=1)) == []
        assert sorted(await due_ids(session, ids=ids, now=quiet_end)) == ids
    # the same hour again, a later hour, a new process's tick: nothing new that day
    assert await run_for_commune(CAMPAIGNS, now=saturday, commune=seed.commune) is None
    await tick(saturday.replace(hour=23), session_factory=session_scope)
    assert len(await outbox()) == before + 3
    await tick(datetime(2026, 11, 23, 22, 0, tzinfo=VN))  # Monday: not a campaign day
    assert len(await outbox()) == before + 3
    await tick(datetime(2026, 11, 22, 22, 0, tzinfo=VN))  # Sunday: its own post
    assert len(await outbox()) == before + 4
    await tick(datetime(2026, 11, 30, 8, 0, tzinfo=VN))  # the day after the end
    end = (await outbox())[before + 4 :]
    groups = [r for r in end if r.is_group]
    assert len(groups) == 2 and "🏆 Thôn, ấp dẫn đầu: Ấp Tân Hòa" in groups[0].payload["text"]
    official = [r for r in end if r.chat_id == OFFICIAL]
    assert [bool(r.payload["image"]) for r in official] == [False, True, False]
    assert official[2].payload["document"]["filename"].endswith(".xlsx")
    await tick(datetime(2026, 11, 30, 9, 0, tzinfo=VN))
    assert len(await outbox()) == before + 4 + len(end)
    assert campaign.post_hour == 22
