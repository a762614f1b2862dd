"""Importing targets from a spreadsheet: reading the table, checking rows, storing the good ones."""

import csv
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import select

from bot.target_file import NotATargetFile, check_row, import_targets, read_target_rows
from db.models import Indicator, Target
from db.targets import TargetValue
from db.units import create_unit
from tests.db.test_foundation import cli
from tests.helpers import seed_commune

NOVEMBER = date(2026, 11, 1)


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


def test_rows_are_read_under_the_header_without_a_database(tmp_path):
    path = tmp_path / "chitieu.xlsx"
    write_xlsx(path, target_rows()[9:])
    assert read_target_rows(path) == [
        (
            3,
            {
                "unit": "28468-02",
                "indicator": "ho",
                "kind": "thang",
                "start": datetime(2026, 12, 1),
                "value": 80,
            },
        )
    ]
    other = tmp_path / "chitieu.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(NotATargetFile, match="chitieu.txt"):
        read_target_rows(other)


def test_a_row_is_a_target_or_the_reason_why_not():
    units, indicators = {"28468": 1}, {"vneid": 7}
    row = {
        "unit": "28468",
        "indicator": "VNeID",
        "kind": "quý",
        "start": "Q4/2026",
        "value": "1.200",
    }
    assert check_row(row, units, indicators) == TargetValue(
        1, 7, "quarter", date(2026, 10, 1), 1200
    )
    year = {**row, "kind": "nam", "start": datetime(2026, 5, 1)}
    assert check_row(year, units, indicators).start == date(2026, 1, 1)
    assert check_row({**row, "unit": "1"}, units, indicators) == "không có đơn vị mã «1»"
    assert check_row({**row, "value": ""}, units, indicators) == "thiếu Giá trị"


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
    assert "Ấp có báo cáo: 0/3" in lines
    assert xlsx.read_bytes()[:2] == b"PK" and png.read_bytes()[:4] == b"\x89PNG"
    country = cli("report", "--unit", "/", "--period", "11/2026")
    assert country.returncode == 0, country.stderr
    assert country.stdout.splitlines()[0] == "📊 Báo cáo Toàn quốc"
    missing = cli("report", "--unit", "00000")
    assert missing.returncode == 1 and "00000" in missing.stderr
