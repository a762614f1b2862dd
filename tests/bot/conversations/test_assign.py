"""/giao and /viec through the router, with buttons and with numbered menus: a task's progress is
read from the member's reports (a retracted one drops out, an edited one counts as edited), the
member accepts or declines with a reason that reaches the leader, reminders go once, overdue
tasks show in /chuabaocao."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot import texts
from db.models import Outbox, Task
from db.session import session_scope
from scheduler.campaigns import run_campaigns
from tests.bot.dialogue import AN, BINH, BUTTONS, NUMBERED, Dialogue, commune
from tests.clock import VN

MENUS = pytest.mark.parametrize("capabilities", [BUTTONS, NUMBERED], ids=["buttons", "numbered"])


async def pick(chat: Dialogue, user: str, reply, data: str, **kwargs):
    """Press the choice `data`, or type its number where there are no buttons."""
    if chat.capabilities.buttons:
        return await chat.say(user, choice=data, **kwargs)
    number = [c.data for c in reply.choices].index(data) + 1
    return await chat.say(user, str(number), **kwargs)


async def give_vneid(chat: Dialogue, count: str = "10") -> list:
    [who] = await chat.say(AN, "/giao")
    binh = next(c.data for c in who.choices if c.label.startswith("Trần Thị Bình"))
    [what] = await pick(chat, AN, who, binh)
    [menu] = await pick(chat, AN, what, "what:counts")
    [ask] = await pick(chat, AN, menu, "ind:vneid")
    [menu] = await chat.say(AN, count)
    assert "VNeID 10" in menu.text
    [due] = await pick(chat, AN, menu, "done")
    [confirm] = await pick(chat, AN, due, "due:week")
    assert "Hạn: 25/11/2026" in confirm.text
    return await pick(chat, AN, confirm, "yes")


async def tasks() -> list[Task]:
    async with session_scope() as session:
        return list((await session.exec(select(Task))).all())


@MENUS
async def test_a_task_is_given_and_its_progress_read_from_reports(db, capabilities):
    await commune()
    chat = Dialogue(capabilities=capabilities)
    saved, notice = await give_vneid(chat)
    assert saved.text == texts.TASK_SAVED.format(name="Trần Thị Bình")
    assert notice.private_to == f"chat:{BINH}" and "Nguyễn Văn An giao" in notice.text
    [task] = await tasks()
    assert (task.status, task.due_date.isoformat()) == ("open", "2026-11-25")
    assert "VNeID: 0/10" in await chat.text(BINH, "/viec")
    await chat.say(BINH, "/bc vneid 3")
    assert "VNeID: 3/10" in await chat.text(BINH, "/viec")
    await chat.say(BINH, "/huy")  # retracted: no longer counts
    assert "VNeID: 0/10" in await chat.text(BINH, "/viec")
    await chat.say(BINH, "/bc vneid 4")
    await chat.say(BINH, "/sua")
    await chat.say(BINH, choice="ind:vneid")
    await chat.say(BINH, "6")
    await chat.say(BINH, choice="done")
    await chat.say(BINH, choice="yes")  # edited: 6 replaces 4
    [mine] = await chat.say(BINH, "/viec")
    assert "VNeID: 6/10" in mine.text
    accepted = await pick(chat, BINH, mine, f"/viec nhan {task.id}")
    assert accepted[0].text == texts.TASK_ACCEPTED.format(id=task.id)
    assert accepted[1].private_to == f"chat:{AN}"
    assert (await tasks())[0].status == "accepted"


@MENUS
async def test_a_member_declines_with_a_reason_that_reaches_the_leader(db, capabilities):
    await commune()
    chat = Dialogue(capabilities=capabilities)
    await give_vneid(chat)
    [task] = await tasks()
    [mine] = await chat.say(BINH, "/viec")
    [ask] = await pick(chat, BINH, mine, f"/viec khong {task.id}")
    assert ask.text == texts.TASK_ASK_REASON.format(id=task.id)
    assert await chat.text(BINH, "ok") == texts.TASK_BAD_REASON  # nothing stored yet
    assert (await tasks())[0].status == "open"
    done, notice = await chat.say(BINH, "Ốm, gọi 0912345678")
    assert done.text == texts.TASK_DECLINED.format(id=task.id)
    assert notice.private_to == f"chat:{AN}" and "*******678" in notice.text
    assert "0912345678" not in (await tasks())[0].reason
    assert await chat.text(BINH, "/viec") == texts.TASK_MINE_NONE


async def test_an_area_task_is_masked_and_members_cannot_give_tasks(db):
    await commune()
    chat = Dialogue()
    assert await chat.text(BINH, "/giao") == texts.TASK_LEADERS_ONLY
    [who] = await chat.say(AN, "/giao")
    binh = next(c.data for c in who.choices if c.label.startswith("Trần Thị Bình"))
    await chat.say(AN, choice=binh)
    await chat.say(AN, choice="what:area")
    await chat.say(AN, "xóm 3, từ nhà số 10 đến 40, nhà chú 0912345678")
    assert texts.TASK_BAD_DUE.format(value="31/02")[:20] in await chat.text(AN, "31/02")
    await chat.say(AN, "20/11")
    await chat.say(AN, choice="yes")
    [task] = await tasks()
    assert task.area == "xóm 3, từ nhà số 10 đến 40, nhà chú *******678"
    assert "xóm 3" in await chat.text(BINH, "/viec")


async def test_one_reminder_the_day_before_and_overdue_in_chuabaocao(db):
    seed = await commune()
    chat = Dialogue()
    await give_vneid(chat)
    eve = datetime(2026, 11, 24, 9, 0, tzinfo=VN)
    for hour in (0, 1, 5):  # the job again, later that day: nothing new
        async with session_scope() as session:
            ids = await run_campaigns(
                session, now=eve + timedelta(hours=hour), commune=seed.commune
            )
            await session.commit()
        assert len(ids) == (1 if hour == 0 else 0)
    async with session_scope() as session:
        [row] = (await session.exec(select(Outbox).where(Outbox.chat_id == BINH))).all()
    assert row.payload["text"].startswith("⏰ Nhắc nhẹ: việc #")
    assert "\nVNeID: 0/10\n" in row.payload["text"]  # the short label, not the code
    late = Dialogue(now=datetime(2026, 11, 27, 10, 0, tzinfo=VN))
    text = await late.text(AN, "/chuabaocao")
    assert texts.TASK_OVERDUE_HEADER.format(count=1) in text
    assert "• Trần Thị Bình: #1, hạn 25/11 — VNeID: 0/10" in text
