"""Demo data for the local web chat: one real commune, five hamlets, six weeks of plausible reports.

Seeded from a fixed random seed, so two runs on the same `today` give the same figures.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.dates import week_bounds
from config import get_settings
from db.indicators import ensure_default_indicators
from db.models import (
    ChatGroup,
    Identity,
    Indicator,
    JobSetting,
    Level,
    Person,
    Report,
    ReportLine,
    Role,
    Team,
    Unit,
    utcnow,
)
from db.rollups import add_reports, retract_reports
from db.targets import TargetValue, set_targets
from db.units import add_membership, create_unit, ensure_team, get_unit

PLATFORM = "web"
SEED = 2025
WEEKS = 6
PROVINCE = ("82", "Đồng Tháp")  # vietnam-provinces 2025 codes
COMMUNE = ("28468", "Xã Tân Phú")
OFFICIAL = ("Nguyễn Thị Thanh Hà", "0919000111")


@dataclass(frozen=True)
class DemoHamlet:
    name: str
    strength: float  # how active the hamlet is; some hamlets lead, some lag
    people: tuple[tuple[str, str | None], ...]  # (name, phone); the first one leads the team


HAMLETS = (
    DemoHamlet(
        "Ấp Tân Hòa",
        1.3,
        (
            ("Nguyễn Văn Hùng", "0912345601"),
            ("Trần Thị Lan", "0987123402"),
            ("Lê Văn Tâm", None),
            ("Phạm Thị Hoa", "0903456704"),
            ("Huỳnh Văn Phúc", None),
            ("Võ Thị Mai", "0934567806"),
            ("Đặng Minh Trí", None),
        ),
    ),
    DemoHamlet(
        "Ấp Phú Thạnh",
        1.0,
        (
            ("Lê Thị Hồng", "0918234501"),
            ("Nguyễn Văn Tài", None),
            ("Trần Minh Khoa", "0976345603"),
            ("Phan Thị Ngọc", None),
            ("Bùi Văn Lợi", "0945678905"),
            ("Dương Thị Thảo", None),
        ),
    ),
    DemoHamlet(
        "Ấp Mỹ Lộc",
        0.7,
        (
            ("Võ Văn Thành", "0909876501"),
            ("Nguyễn Thị Kim Yến", None),
            ("Lý Văn Hậu", "0961234503"),
            ("Trương Thị Bích", None),
            ("Hồ Văn Nghĩa", None),
        ),
    ),
    DemoHamlet(
        "Ấp Tân Thuận",
        0.45,
        (
            ("Phạm Văn Đức", "0938765401"),
            ("Ngô Thị Thu", "0972345602"),
            ("Đỗ Văn Lực", None),
            ("Mai Thị Diễm", None),
        ),
    ),
    DemoHamlet(
        "Ấp Bình Hòa",
        1.05,
        (
            ("Trần Văn Sơn", "0914567801"),
            ("Lâm Thị Tuyết", None),
            ("Nguyễn Hoàng Nam", "0983456703"),
            ("Châu Thị Loan", None),
            ("Huỳnh Thanh Tùng", "0925678905"),
            ("Lê Thị Cẩm Tú", None),
            ("Phan Văn Hiếu", None),
            ("Tô Thị Ngân", "0967890108"),
        ),
    ),
)

# Monthly target per member, and what one report usually holds: (chance, lowest, highest).
TARGET_PER_MEMBER = {"vneid": 20, "dvc": 12, "vi": 8, "ho": 50}
REPORT_MIX = {
    "vneid": (0.8, 1, 5),
    "dvc": (0.6, 1, 4),
    "vi": (0.45, 1, 3),
    "sosk": (0.2, 1, 3),
    "sim": (0.15, 1, 2),
    "vssid": (0.1, 1, 2),
    "ho": (0.95, 2, 9),
}


async def is_empty(session: AsyncSession) -> bool:
    """No people and no teams yet: safe to add the demo (official units alone do not count)."""
    people = (await session.exec(select(func.count()).select_from(Person))).one()
    teams = (await session.exec(select(func.count()).select_from(Team))).one()
    return people == 0 and teams == 0


async def holds_real_users(session: AsyncSession) -> bool:
    """Someone is linked on Telegram or Zalo: this is a live database, not a demo one."""
    query = select(Identity.id).where(Identity.platform != PLATFORM).limit(1)
    return (await session.exec(query)).first() is not None


async def web_people(session: AsyncSession) -> int:
    """How many people the web chat can speak as."""
    query = select(func.count()).select_from(Identity).where(Identity.platform == PLATFORM)
    return (await session.exec(query)).one()


async def reset_demo(session: AsyncSession, *, today: date) -> None:
    """Empty every table, then seed the default indicators and the demo."""
    for table in reversed(SQLModel.metadata.sorted_tables):
        await session.exec(delete(table))
    await ensure_default_indicators(session)
    await seed_demo(session, today=today)


async def seed_demo(session: AsyncSession, *, today: date) -> None:
    """Add the demo commune, its people, web identities and groups, targets and reports."""
    rng = random.Random(SEED)
    province = await _official_unit(session, Level.PROVINCE, *PROVINCE, parent=None)
    commune = await _official_unit(session, Level.COMMUNE, *COMMUNE, parent=province)
    official = await _person(session, *OFFICIAL, user_id="cb01")
    await add_membership(
        session,
        person=official,
        team=await ensure_team(
            session, unit=commune, name=texts.TEAM_NAME.format(unit=commune.name)
        ),
        role=Role.OFFICIAL,
    )
    await _group(session, commune)
    # no quiet hours, so the page's job buttons show their messages at any hour (/caidat changes it)
    session.add(JobSetting(unit_id=commune.id, quiet_start="00:00", quiet_end="00:00"))
    indicators = dict((await session.exec(select(Indicator.code, Indicator.id))).all())
    members: list[tuple[Person, Team, float, bool]] = []
    number = 0
    for hamlet in HAMLETS:
        unit = await create_unit(session, level=Level.HAMLET, name=hamlet.name, parent=commune)
        team = await ensure_team(session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
        await _group(session, unit)
        for position, (name, phone) in enumerate(hamlet.people):
            number += 1
            person = await _person(session, name, phone, user_id=f"u{number:02d}")
            role = Role.LEADER if position == 0 else Role.MEMBER
            await add_membership(session, person=person, team=team, role=role)
            diligence = rng.uniform(0.35, 1.0) * hamlet.strength
            stopped = rng.random() < 0.15  # quiet for the last two weeks: the reminder finds them
            members.append((person, team, diligence, stopped))
        await _targets(session, unit, indicators, today=today, members=len(hamlet.people))
    await _targets(session, commune, indicators, today=today, members=len(members), extra=1.1)
    await _reports(session, rng, members, indicators, today=today)


async def _official_unit(
    session: AsyncSession, level: Level, code: str, name: str, *, parent: Unit | None
) -> Unit:
    unit = await get_unit(session, code=code)
    if unit is None:
        unit = await create_unit(
            session, level=level, name=name, parent=parent, code=code, official=True
        )
    return unit


async def _person(session: AsyncSession, name: str, phone: str | None, *, user_id: str) -> Person:
    """A person with a web-chat identity, so the page can speak as them."""
    person = Person(display_name=name, phone=phone)
    session.add(person)
    await session.flush()
    session.add(
        Identity(person_id=person.id, platform=PLATFORM, user_id=user_id, display_name=name)
    )
    return person


async def _group(session: AsyncSession, unit: Unit) -> None:
    title = texts.DEMO_GROUP_TITLE.format(unit=unit.name)
    session.add(
        ChatGroup(platform=PLATFORM, chat_id=f"g-{unit.code}", unit_id=unit.id, title=title)
    )


async def _targets(
    session: AsyncSession,
    unit: Unit,
    indicators: dict[str, int],
    *,
    today: date,
    members: int,
    extra: float = 1.0,
) -> None:
    """Monthly targets for this month and the months the six weeks reach back into."""
    first = (today - timedelta(weeks=WEEKS)).replace(day=1)
    months = []
    while first <= today:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    await set_targets(  # db.targets keeps the communes' sums of hamlet targets
        session,
        targets=[
            TargetValue(
                unit.id, indicators[code], "month", start, round(per_member * members * extra)
            )
            for start in months
            for code, per_member in TARGET_PER_MEMBER.items()
        ],
    )


async def _reports(
    session: AsyncSession,
    rng: random.Random,
    members: list[tuple[Person, Team, float, bool]],
    indicators: dict[str, int],
    *,
    today: date,
) -> None:
    """Several reports per member per week, bulk-inserted; one of them retracted."""
    planned = _planned_reports(rng, members, today=today)
    session.add_all([report for report, _ in planned])
    await session.flush()
    session.add_all(
        ReportLine(report_id=report.id, indicator_id=indicators[code], count=count)
        for report, counts in planned
        for code, count in counts.items()
    )
    await session.flush()
    await add_reports(session, reports=[report.id for report, _ in planned], sign=1)
    retracted = planned[len(planned) // 2][0]
    await retract_reports(session, reports=[retracted])
    retracted.retracted = True
    retracted.retracted_at = retracted.created_at + timedelta(minutes=20)
    await session.flush()


def _planned_reports(
    rng: random.Random, members: list[tuple[Person, Team, float, bool]], *, today: date
) -> list[tuple[Report, dict[str, int]]]:
    """The demo's reports, not stored yet, with their counts: some days of each member's weeks,
    none since last week's Monday from a member who stopped."""
    monday = week_bounds(today)[0] - timedelta(weeks=WEEKS - 1)
    days = [monday + timedelta(days=n) for n in range((today - monday).days + 1)]
    zone = get_settings().zone
    latest = utcnow() - timedelta(hours=1)  # older than anything typed in the demo, for /huy
    planned: list[tuple[Report, dict[str, int]]] = []
    quiet_from = week_bounds(today)[0] - timedelta(weeks=1)
    for person, team, diligence, stopped in members:
        for day in days:
            if rng.random() > diligence * 0.45 or (stopped and day >= quiet_from):
                continue
            counts = _counts(rng)
            moment = datetime.combine(day, time(17, rng.randrange(60)), zone)
            report = Report(
                person_id=person.id,
                team_id=team.id,
                activity_date=day,
                source="demo",
                idempotency_key=f"demo:{len(planned) + 1}",
                created_at=min(moment.astimezone(UTC), latest),
            )
            planned.append((report, counts))
    return planned


def _counts(rng: random.Random) -> dict[str, int]:
    counts = {
        code: rng.randint(low, high)
        for code, (chance, low, high) in REPORT_MIX.items()
        if rng.random() < chance
    }
    return counts or {"ho": rng.randint(2, 6)}
