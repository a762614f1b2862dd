"""A process that stopped mid-send (kill -9): its replies that never went out are sent at once,
those that may have gone are marked `unknown`, none is sent twice (#27 item 5)."""

from datetime import timedelta

from sqlmodel import select

from bot.core.channel import TELEGRAM
from config import Settings
from db.models import SenderBeat, utcnow
from scheduler.liveness import SETTLE_MARGIN, STALE
from scheduler.sender import Sender
from tests.fakes.outbox import FakeChannel, answer, rows


def sender(name: str, *, clock=utcnow) -> tuple[Sender, FakeChannel]:
    channel = FakeChannel(rate=1000.0)
    settings = Settings(instance_name=name)
    return Sender({"telegram": channel}, settings=settings, clock=clock), channel


async def stored_answers(db, owner: str) -> list:
    """Four answers held `sending` by `owner`, planned 2 s apart from now."""
    slow = TELEGRAM.limited(per_second=0.5, per_minute=None)
    return await answer(db, *[(f"{n}", False) for n in range(4)], limits=slow, owner=owner)


async def test_on_start_a_process_resumes_its_unsent_rows_and_marks_the_uncertain_ones(db):
    before, _ = sender("web-1")
    await before.beat()  # alive now; then killed with four answers planned 0, 2, 4 and 6 s on
    claims = await stored_answers(db, "web-1")
    planned = [claim.row.next_attempt_at for claim in claims]

    restarted, channel = sender("web-1")
    await restarted.resume()

    beat_at = planned[0] + SETTLE_MARGIN  # within the beat's margin of the first plan
    expected = ["unknown" if at <= beat_at else "pending" for at in planned]
    assert (
        [row.status for row in await rows(db)]
        == expected
        == [
            "unknown",
            "unknown",
            "pending",
            "pending",
        ]
    )
    assert await restarted.run_once() == 2
    assert sorted(chat for _, chat, _, _ in channel.sent) == ["2", "3"]
    assert [row.status for row in await rows(db)] == ["unknown", "unknown", "sent", "sent"]


async def test_another_process_leaves_a_live_process_alone(db):
    working, _ = sender("web-1")
    await working.beat()
    await stored_answers(db, "web-1")
    other, channel = sender("web-2")

    await other.resume()
    await other.beat()
    assert await other.run_once() == 0
    assert {row.status for row in await rows(db)} == {"sending"}
    assert channel.sent == []


async def test_a_process_silent_for_stale_is_settled_by_another(db):
    long_ago = utcnow() - STALE - timedelta(seconds=10)
    gone, _ = sender("web-1", clock=lambda: long_ago)
    await gone.beat()  # its last sign of life; its answers are planned after it
    await stored_answers(db, "web-1")
    other, channel = sender("web-2")

    await other.beat()
    assert {row.status for row in await rows(db)} == {"pending"}
    assert await other.run_once() == 4
    assert len(channel.sent) == 4
    async with db() as session:
        beats = (await session.exec(select(SenderBeat.owner))).all()
    assert beats == ["web-2"]
