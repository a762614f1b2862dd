"""Model rules: unit tree, official units, roles, invites, roster import, targets."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from bot import texts
from bot.figures import UnitFigures, UnitRef
from bot.roster import NotARoster, import_roster
from db.models import Level, Membership, Person, Role, Team, Unit, utcnow
from db.units import (
    InviteProblem,
    add_membership,
    count_rows,
    create_invite,
    create_unit,
    ensure_team,
    find_invite,
    get_unit,
    load_official_units,
    take_invite,
)

HAMLETS = ["Ấp Tân Hòa", "Ấp Phú Thạnh", "Ấp Mỹ Lộc"]
HEADER = ["Tỉnh", "Xã/Phường", "Thôn/Ấp", "Họ tên", "Số điện thoại", "Vai trò"]


def roster_rows(people: int = 20) -> list[list[str]]:
    rows = []
    for number in range(people):
        role = "Tổ trưởng" if number % 7 == 0 else ("Tổ phó" if number % 7 == 1 else "Thành viên")
        rows.append(
            [
                "Tỉnh Đồng Tháp",
                "Xã Tân Phú",
                HAMLETS[number % 3],
                f"Nguyễn Văn {chr(65 + number)}",
                f"+84 912 000 {number:03d}",
                role,
            ]
        )
    return rows


def write_xlsx(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


async def test_official_units_load_once(db):
    async with db() as session:
        assert await load_official_units(session) == 34 + 3321
        await session.commit()
    async with db() as session:
        assert await load_official_units(session) == 0
        provinces = await session.exec(select(func.count()).where(Unit.level == Level.PROVINCE))
        assert provinces.one() == 34
        commune = await get_unit(session, code="28468")
        assert commune.name == "Xã Tân Phú"
        assert commune.path == "/82/28468/"


async def test_hamlet_codes_are_short_unique_and_stable(db):
    async with db() as session:
        commune = await create_unit(
            session, level=Level.COMMUNE, name="Xã Thử", parent=None, code="99999"
        )
        first = await create_unit(session, level=Level.HAMLET, name="Thôn Đông", parent=commune)
        second = await create_unit(session, level=Level.HAMLET, name="Thôn Tây", parent=commune)
        await session.commit()
    assert (first.code, second.code) == ("99999-01", "99999-02")
    assert second.path == "/99999/99999-02/"


async def test_membership_keeps_the_higher_role(db):
    async with db() as session:
        unit = await create_unit(session, level=Level.HAMLET, name="Thôn Một", parent=None)
        team = await ensure_team(session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
        person = Person(display_name="Lê Thị Hoa")
        session.add(person)
        await session.flush()
        await add_membership(session, person=person, team=team, role=Role.LEADER)
        again = await add_membership(session, person=person, team=team, role=Role.MEMBER)
        assert again.role == Role.LEADER
        assert await count_rows(session, Membership) == 1


async def test_invite_expires_and_has_a_use_limit(db):
    async with db() as session:
        unit = await create_unit(session, level=Level.HAMLET, name="Thôn Hai", parent=None)
        invite = await create_invite(session, unit=unit, role=Role.MEMBER, uses=2, days=1)
        await session.commit()
        assert len(invite.code) == 6
        found = await find_invite(session, code=invite.code.lower())
        assert (found.id, found.uses) == (invite.id, 0)  # finding counts no use
        await take_invite(session, invite_id=invite.id)
        await take_invite(session, invite_id=invite.id)
        with pytest.raises(InviteProblem, match="used_up"):
            await take_invite(session, invite_id=invite.id)
        with pytest.raises(InviteProblem, match="used_up"):
            await find_invite(session, code=invite.code)
        other = await create_invite(session, unit=unit, role=Role.LEADER, days=1)
        with pytest.raises(InviteProblem, match="expired"):
            await find_invite(session, code=other.code, now=utcnow() + timedelta(days=2))
        with pytest.raises(InviteProblem, match="unknown"):
            await find_invite(session, code="ZZZZZZ")


def test_achievement_may_pass_one_hundred_percent():
    figures = UnitFigures(
        unit=UnitRef("hamlet", "1-01", "Thôn"),
        hierarchy=[],
        counts={"vneid": 6800},
        targets={"vneid": 4802},
    )
    assert figures.achievement("vneid") == pytest.approx(1.416, abs=1e-3)
    assert figures.achievement("dvc") is None


async def test_roster_import_twice_doubles_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows())
    async with db() as session:
        first = await import_roster(session, path)
        await session.commit()
    assert (first.rows_ok, first.people_added, first.errors) == (20, 20, [])
    async with db() as session:
        second = await import_roster(session, path)
        await session.commit()
        assert (second.rows_ok, second.people_added, second.units_added) == (20, 0, 0)
        assert await count_rows(session, Person) == 20
        assert await count_rows(session, Membership) == 20
        assert await count_rows(session, Team) == 3
        hamlets = (await session.exec(select(Unit).where(Unit.level == Level.HAMLET))).all()
        assert sorted(h.name for h in hamlets) == sorted(HAMLETS)
        assert {h.path.rsplit("/", 3)[1] for h in hamlets} == {"28468"}
        leader = (
            await session.exec(select(Person).where(Person.display_name == "Nguyễn Văn A"))
        ).one()
        assert leader.phone == "0912000000"


async def test_roster_bad_rows_are_named_and_the_rest_imported(db, tmp_path):
    rows = roster_rows(6)
    rows[2][4] = "12345"
    rows[4][1] = "Xã Không Có"
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]), encoding="utf-8")
    async with db() as session:
        result = await import_roster(session, path)
        await session.commit()
        assert result.rows_ok == 4
        assert [n for n, _ in result.errors] == [4, 6]
        assert "12345" in result.errors[0][1]
        assert "Xã Không Có" in result.errors[1][1]
        assert await count_rows(session, Person) == 4


async def test_a_file_that_is_not_a_roster_changes_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "prices.xlsx", [["Táo", "10000"]], header=["Hàng", "Giá"])
    async with db() as session:
        with pytest.raises(NotARoster, match="không phải danh sách"):
            await import_roster(session, path)
        assert await count_rows(session, Unit) == 0


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )


async def test_cli_units_invite_and_import(db, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", roster_rows(4))
    imported = cli("import", "roster", str(path))
    assert imported.returncode == 0, imported.stderr
    listed = cli("units", "list", "--under", "28468")
    lines = listed.stdout.splitlines()
    assert lines[0] == "28468\tcommune\tXã Tân Phú"
    assert sorted(lines[1:]) == sorted(
        f"28468-0{i}\thamlet\t{name}" for i, name in enumerate(HAMLETS, 1)
    )
    invite = cli("invite", "--unit", "28468-01", "--role", "totruong", "--uses", "3")
    code = invite.stdout.strip().splitlines()[-1]
    assert len(code) == 6 and code.isalnum()
    missing = cli("invite", "--unit", "00000", "--role", "canbo")
    assert missing.returncode == 1 and "00000" in missing.stderr


def test_db_upgrade_on_a_fresh_checkout_creates_the_data_folder(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh' / 'data' / 'tocongnghe.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "10 default indicators added" in result.stdout
    assert (tmp_path / "fresh" / "data" / "tocongnghe.db").is_file()
