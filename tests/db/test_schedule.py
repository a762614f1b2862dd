"""Where and whether jobs run (db/schedule.py): active communes, settings, runs done."""

from datetime import UTC, datetime

from db.models import ChatGroup, JobSetting, Level
from db.schedule import active_communes, claim_run, job_setting, runs_done
from db.units import create_unit
from tests.helpers import seed_commune

AT = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


async def test_a_commune_is_active_with_a_member_or_a_group_in_it_or_its_hamlets(db):
    seed = await seed_commune()  # members in Xã Tân Phú's hamlets
    async with db() as session:
        quiet = await create_unit(session, level=Level.COMMUNE, name="Xã Lặng", parent=None)
        grouped = await create_unit(session, level=Level.COMMUNE, name="Xã Nhóm", parent=None)
        hamlet = await create_unit(session, level=Level.HAMLET, name="Ấp Nhóm", parent=grouped)
        session.add(ChatGroup(platform="telegram", chat_id="-1", unit_id=hamlet.id))
        session.add(JobSetting(unit_id=grouped.id, reminder_enabled=False))
        await session.commit()
    async with db() as session:
        found = await active_communes(session)
        assert [unit.name for unit, _ in found] == ["Xã Tân Phú", "Xã Nhóm"]
        defaults, saved = (setting for _, setting in found)
        assert defaults.id is None and defaults.unit_id == seed.commune.id
        assert saved.id is not None and not saved.reminder_enabled
        assert quiet.id not in {unit.id for unit, _ in found}
        by_hamlet = await active_communes(session, code=hamlet.code)  # a hamlet means its commune
        assert [unit.name for unit, _ in by_hamlet] == ["Xã Nhóm"]


async def test_job_setting_is_the_saved_row_or_unsaved_defaults(db):
    seed = await seed_commune()
    async with db() as session:
        defaults = await job_setting(session, commune_id=seed.commune.id)
        assert defaults.id is None and defaults.reminder_enabled
        session.add(JobSetting(unit_id=seed.commune.id, quiet_start="22:00"))
        await session.flush()
        assert (await job_setting(session, commune_id=seed.commune.id)).quiet_start == "22:00"


async def test_a_run_is_claimed_once_and_then_counts_as_done(db):
    claim = {"job": "reminder", "scope": "28468", "period_key": "2026-W47", "ran_at": AT}
    async with db() as session:
        assert await claim_run(session, **claim)
        await session.commit()
    async with db() as session:
        assert not await claim_run(session, **claim)
        assert await claim_run(session, **{**claim, "period_key": "2026-W48"})
        await session.commit()
    async with db() as session:
        assert await runs_done(session, period_keys={"2026-W47", "2026-W49"}) == {
            ("reminder", "28468", "2026-W47")
        }
        assert await runs_done(session, period_keys=set()) == set()
