"""How far given outbox rows have got (db/outbox.py)."""

from datetime import timedelta

from db.models import Outbox, utcnow
from db.outbox import due_ids, row_states


async def test_states_and_due_rows_of_the_given_ids_only(db):
    now = utcnow()
    async with db() as session:
        rows = [
            Outbox(platform="telegram", chat_id="1", next_attempt_at=now - timedelta(minutes=1)),
            Outbox(platform="telegram", chat_id="2", next_attempt_at=now + timedelta(hours=8)),
            Outbox(platform="telegram", chat_id="3", status="sent", next_attempt_at=now),
        ]
        session.add_all(rows)
        await session.commit()
        first, held, sent = (row.id for row in rows)
    async with db() as session:
        assert await due_ids(session, ids=[first, held], now=now) == [first]
        states = await row_states(session, ids=[held, sent])
    assert sorted(status for status, _ in states) == ["pending", "sent"]
