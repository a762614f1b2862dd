"""Targets: setting (upsert), splitting over hamlets, the targets in force, import from files."""

import csv
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import select

from db.models import Indicator, Role, Target
from db.targets import (
    NotATargetFile,
    get_target,
    import_targets,
    parse_kind,
    parse_start,
    parse_value,
    set_target,
    split_target,
    split_whole,
    targets_in_force,
)
from db.units import count_rows, create_unit
from tests.db.test_foundation import cli
from tests.helpers import seed_commune

NOVEMBER = date(2026, 11, 1)


def test_split_whole_adds_up_exactly():
    assert split_whole(500, [1, 1, 1]) == [167, 167, 166]
    assert split_whole(10, [1, 1, 1, 1]) == [3, 3, 2, 2]
    assert split_whole(500, [2, 1]) == [333, 167]
    assert split_whole(100, [5, 0, 3]) == [63, 0, 37]
    assert split_whole(7, [0, 0]) == [4, 3]  # nobody has members: even
    assert split_whole(0, [3, 4]) == [0, 0]
    assert split_whole(5, []) == []
    # Largest remainders first: 10 * (1, 1, 2) / 4 = 2.5, 2.5, 5.
    assert split_whole(10, [1, 1, 2]) == [3, 2, 5]
    for total in range(0, 60):
        for weights in ([1], [3, 1, 4, 1, 5], [0, 7, 0, 2], [9] * 7):
            parts = split_whole(total, weights)
            assert sum(parts) == total and min(parts) >= 0


def test_words_people_type():
    assert [parse_kind(w) for w in ("tháng", "Quý", "nam", "năm", "tuan")] == [
        "month",
        "quarter",
        "year",
        "year",
        None,
    ]
    assert parse_start("month", "11/2026") == NOVEMBER
    assert parse_start("month", "13/2026") is None
    assert parse_start("quarter", "Q4/2026") == date(2026, 10, 1)
    assert parse_start("quarter", "quý 1/2027") == date(2027, 1, 1)
    assert parse_start("quarter", "10/2026") == date(2026, 10, 1)
    assert parse_start("quarter", "11/2026") is None  # not the first month of a quarter
    assert parse_start("year", "2026") == date(2026, 1, 1)
    assert parse_start("year", "11/2026") is None
    assert [parse_value(v) for v in ("500", "1.500", "1,500", 1500.0, 7, "-3", "5a", "1.5")] == [
        500,
        1500,
        1500,
        1500,
        7,
        None,
        None,
        None,
    ]


async def vneid_id(session) -> int:
    return (await session.exec(select(Indicator.id).where(Indicator.code == "vneid"))).one()


async def test_setting_again_replaces_and_zero_removes(db):
    seed = await seed_commune()
    async with db() as session:
        vneid = await vneid_id(session)
        key = {"unit_id": seed.commune.id, "indicator_id": vneid, "kind": "month"}
        await set_target(session, **key, start=NOVEMBER, value=500)
        await set_target(session, **key, start=NOVEMBER, value=450)
        await session.commit()
        assert await get_target(session, **key, start=NOVEMBER) == 450
        assert await count_rows(session, Target) == 1
        await set_target(session, **key, start=NOVEMBER, value=0)
        await session.commit()
        assert await count_rows(session, Target) == 0


async def test_split_evenly_or_by_members(db):
    # Members: Tân Hòa 3 (a leader, a member, a deputy), Phú Thạnh 1, Mỹ Lộc none.
    seed = await seed_commune(
        {
            "Ấp Tân Hòa": [
                ("An", None, Role.LEADER),
                ("Bình", None, Role.MEMBER),
                ("Chi", None, Role.DEPUTY),
            ],
            "Ấp Phú Thạnh": [("Cường", None, Role.LEADER), ("Cán bộ", None, Role.OFFICIAL)],
            "Ấp Mỹ Lộc": [],
        }
    )
    async with db() as session:
        vneid = await vneid_id(session)
        split = {"indicator_id": vneid, "kind": "month", "start": NOVEMBER}
        assert await split_target(session, commune=seed.commune, **split, by_members=False) is None
        await set_target(session, unit_id=seed.commune.id, value=500, **split)
        even = await split_target(session, commune=seed.commune, **split, by_members=False)
        assert [(u.name, n) for u, n in even] == [
            ("Ấp Tân Hòa", 167),
            ("Ấp Phú Thạnh", 167),
            ("Ấp Mỹ Lộc", 166),
        ]
        by_members = await split_target(session, commune=seed.commune, **split, by_members=True)
        assert [(u.name, n) for u, n in by_members] == [
            ("Ấp Tân Hòa", 375),
            ("Ấp Phú Thạnh", 125),
            ("Ấp Mỹ Lộc", 0),
        ]
        await session.commit()
        stored = (await session.exec(select(Target.unit_id, Target.value))).all()
    # Mỹ Lộc's 0 removed its earlier share; the commune keeps its own 500.
    assert sorted(stored) == sorted(
        [(seed.commune.id, 500), (seed.hamlets[0].id, 375), (seed.hamlets[1].id, 125)]
    )


async def test_targets_in_force_own_first_else_the_hamlets_sum(db):
    seed = await seed_commune()
    tan_hoa, phu_thanh = seed.hamlets
    async with db() as session:
        ids = dict((await session.exec(select(Indicator.code, Indicator.id))).all())
        for unit, code, kind, start, value in [
            (seed.commune, "vneid", "month", NOVEMBER, 500),
            (tan_hoa, "vneid", "month", NOVEMBER, 300),  # the commune's own wins
            (tan_hoa, "dvc", "month", NOVEMBER, 30),
            (phu_thanh, "dvc", "month", NOVEMBER, 20),
            (phu_thanh, "dvc", "month", date(2026, 10, 1), 99),  # last month
            (seed.commune, "ho", "year", date(2026, 1, 1), 2000),
            (seed.commune, "vi", "quarter", date(2026, 10, 1), 90),
        ]:
            await set_target(
                session,
                unit_id=unit.id,
                indicator_id=ids[code],
                kind=kind,
                start=start,
                value=value,
            )
        lines = await targets_in_force(session, unit=seed.commune, today=date(2026, 11, 23))
        hamlet = await targets_in_force(session, unit=tan_hoa, today=date(2026, 11, 23))
    assert [(t.period.label, t.code, t.value, t.from_parts) for t in lines] == [
        ("tháng 11/2026", "vneid", 500, False),
        ("tháng 11/2026", "dvc", 50, True),
        ("quý 4/2026", "vi", 90, False),
        ("năm 2026", "ho", 2000, False),
    ]
    assert [(t.code, t.value, t.from_parts) for t in hamlet] == [
        ("vneid", 300, False),
        ("dvc", 30, False),
    ]


HEADER = ["Mã đơn vị", "Chỉ tiêu (code)", "Kỳ (thang/quy/nam)", "Bắt đầu", "Giá trị"]


def target_rows() -> list[list]:
    return [
        ["28468", "vneid", "thang", "11/2026", 500],
        ["28468-01", "dvc", "quý", "Q4/2026", "1.200"],
        ["28468", "VNEID", "nam", 2026, 6000],
        ["99999", "vneid", "thang", "11/2026", 5],  # row 5: unknown unit
        ["28468", "abc", "thang", "11/2026", 5],  # row 6: unknown indicator
        ["28468", "vneid", "tuan", "11/2026", 5],  # row 7: no such kind
        ["28468", "vneid", "thang", "13/2026", 5],  # row 8: no such month
        ["28468", "vneid", "thang", "12/2026", -4],  # row 9: negative
        ["28468", "vneid", "", "12/2026", 4],  # row 10: kind missing
        ["", "", "", "", ""],  # blank: skipped
        ["28468-02", "ho", "thang", datetime(2026, 12, 1), 80],  # Excel turned 12/2026 into a date
    ]


def write_xlsx(path, rows) -> None:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)


async def test_import_reports_bad_rows_and_is_idempotent(db, tmp_path):
    seed = await seed_commune()
    path = tmp_path / "chitieu.xlsx"
    write_xlsx(path, target_rows())
    async with db() as session:
        first = await import_targets(session, path)
        await session.commit()
    assert first.imported == 4
    assert first.errors == [
        (5, "không có đơn vị mã «99999»"),
        (6, "không có chỉ tiêu mã «abc»"),
        (7, "kỳ «tuan» không rõ: dùng thang, quy hoặc nam"),
        (8, "kỳ bắt đầu «13/2026» không hợp lệ: dùng mm/yyyy, ví dụ 11/2026"),
        (9, "giá trị «-4» phải là số nguyên từ 0 đến 10.000.000"),
        (10, "thiếu Kỳ"),
    ]
    async with db() as session:
        again = await import_targets(session, path)
        await session.commit()
        assert (again.imported, len(again.errors)) == (4, 6)
        ids = dict((await session.exec(select(Indicator.id, Indicator.code))).all())
        stored = sorted(
            (t.unit_id, ids[t.indicator_id], t.period_kind, t.period_start, t.value)
            for t in (await session.exec(select(Target))).all()
        )
    commune, tan_hoa, phu_thanh = seed.commune.id, seed.hamlets[0].id, seed.hamlets[1].id
    assert stored == sorted(
        [
            (commune, "vneid", "month", NOVEMBER, 500),
            (tan_hoa, "dvc", "quarter", date(2026, 10, 1), 1200),
            (commune, "vneid", "year", date(2026, 1, 1), 6000),
            (phu_thanh, "ho", "month", date(2026, 12, 1), 80),
        ]
    )


async def test_csv_import_and_a_file_that_is_not_targets(db, tmp_path):
    await seed_commune()
    path = tmp_path / "chitieu.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã đơn vị", "Chỉ tiêu", "Kỳ", "Bắt đầu", "Giá trị"])
        writer.writerow(["28468", "vneid", "tháng", "11/2026", "500"])
        writer.writerow(["28468", "vneid", "năm", "2026", "5000"])
        writer.writerow(["28468", "vneid", "quy", "11/2026", "1"])
    async with db() as session:
        result = await import_targets(session, path)
        await session.commit()
        assert result.imported == 2
        assert result.errors == [
            (4, "kỳ bắt đầu «11/2026» không hợp lệ: dùng Qn/yyyy, ví dụ Q4/2026")
        ]
    other = tmp_path / "gia.csv"
    other.write_text("Hàng,Giá\nTáo,10000\n", encoding="utf-8")
    async with db() as session:
        with pytest.raises(NotATargetFile, match="không phải bảng chỉ tiêu"):
            await import_targets(session, other)


async def test_cli_targets_import_and_report(db, tmp_path):
    seed = await seed_commune()
    async with db() as session:
        await create_unit(session, level="hamlet", name="Ấp Mới", parent=seed.commune)
        await session.commit()
    path = tmp_path / "chitieu.xlsx"
    write_xlsx(path, target_rows()[:3])
    imported = cli("targets", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == ["Imported 3 targets."]
    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, target_rows()[3:5])
    failed = cli("targets", "import", str(bad))
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        "Imported 0 targets.",
        "Dòng 2: không có đơn vị mã «99999»",
        "Dòng 3: không có chỉ tiêu mã «abc»",
    ]

    xlsx, png = tmp_path / "r.xlsx", tmp_path / "r.png"
    report = cli(
        "report", "--unit", "28468", "--period", "11/2026", "--xlsx", str(xlsx), "--png", str(png)
    )
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    assert lines[:4] == ["📊 Báo cáo Xã Tân Phú", "Tháng 11/2026", "", "• VNeID 0/500 ░░░░░ 0%"]
    assert "Thôn có báo cáo: 0/3" in lines
    assert xlsx.read_bytes()[:2] == b"PK" and png.read_bytes()[:4] == b"\x89PNG"
    country = cli("report", "--unit", "/", "--period", "11/2026")
    assert country.returncode == 0, country.stderr
    assert country.stdout.splitlines()[0] == "📊 Báo cáo Toàn quốc"
    missing = cli("report", "--unit", "00000")
    assert missing.returncode == 1 and "00000" in missing.stderr
