"""The local web chat's store (db/webchat.py): echoes once per key, pages of messages."""

from db.webchat import add_bot_messages, add_echo, web_messages


async def test_an_echo_is_stored_once_per_update_key(db):
    bubble = {"chat_id": "p-1", "sender": "An", "payload": {"text": "/bc vneid 1"}}
    async with db() as session:
        assert await add_echo(session, update_key="key-0001", **bubble)
        await session.commit()
    async with db() as session:
        assert not await add_echo(session, update_key="key-0001", **bubble)
        await session.commit()
        rows = await web_messages(session, chat_id="p-1", after=0, limit=10)
    assert [(r.sender, r.from_bot, r.payload) for r in rows] == [("An", False, bubble["payload"])]


async def test_messages_come_oldest_first_the_latest_page_or_those_after_an_id(db):
    async with db() as session:
        add_bot_messages(session, chat_id="p-1", payloads=[{"text": str(n)} for n in range(5)])
        add_bot_messages(session, chat_id="p-2", payloads=[{"text": "elsewhere"}])
        await session.commit()
        latest = await web_messages(session, chat_id="p-1", after=0, limit=3)
        after = await web_messages(session, chat_id="p-1", after=latest[0].id, limit=10)
    assert [r.payload["text"] for r in latest] == ["2", "3", "4"]
    assert [r.payload["text"] for r in after] == ["3", "4"]
    assert all(r.from_bot for r in latest)
