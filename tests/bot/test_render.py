"""Excel and PNG rendering of summaries and leaderboards."""

import io
import warnings
from dataclasses import replace
from datetime import date, datetime

import matplotlib.image
import pytest
from openpyxl import load_workbook

from bot.figures import (
    BoardEntry,
    IndicatorInfo,
    Leaderboard,
    ReportRow,
    Summary,
    TopPerson,
    UnitFigures,
    UnitRef,
)
from bot.ranking import score_label
from bot.render import leaderboard
from bot.render.chart import chart_bars, progress_chart
from bot.render.leaderboard import _rank_change, leaderboard_image
from bot.render.workbook import summary_workbook

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PROVINCE = UnitRef("province", "75", "Tỉnh Đồng Nai")
COMMUNE = UnitRef("commune", "26116", "Xã Phú Lý")
HAMLETS = [
    UnitRef("hamlet", "2611601", "Thôn Đông Hòa"),
    UnitRef("hamlet", "2611602", "Ấp Phước Lộc"),
    UnitRef("hamlet", "2611603", "Tổ dân phố 5"),
]
INDICATORS = [
    IndicatorInfo("vneid", "Hướng dẫn kích hoạt VNeID", "lượt"),
    IndicatorInfo("dvc", "Hỗ trợ dịch vụ công trực tuyến", "hồ sơ"),
    IndicatorInfo("ttkdtm", "Thanh toán không dùng tiền mặt", "lượt"),
    IndicatorInfo("kns", "Phổ biến kỹ năng số", "người"),
]


def hamlet(unit: UnitRef, counts, targets, members, reporters, reports) -> UnitFigures:
    return UnitFigures(
        unit=unit,
        hierarchy=[PROVINCE, COMMUNE, unit],
        counts=counts,
        targets=targets,
        members=members,
        reporters=reporters,
        reports=reports,
    )


def make_summary(rows: list[UnitFigures] | None = None) -> Summary:
    if rows is None:
        rows = [
            hamlet(
                HAMLETS[0],
                {"vneid": 177, "dvc": 40, "ttkdtm": 12, "kns": 30},
                {"vneid": 125, "dvc": 50},
                12,
                9,
                21,
            ),
            hamlet(HAMLETS[1], {"vneid": 60, "dvc": 10, "ttkdtm": 5}, {"vneid": 100}, 8, 5, 11),
            hamlet(
                HAMLETS[2],
                {"vneid": 90, "dvc": 25, "ttkdtm": 7, "kns": 14},
                {"vneid": 90, "dvc": 20},
                10,
                10,
                15,
            ),
        ]
    totals = UnitFigures(unit=COMMUNE, hierarchy=[PROVINCE, COMMUNE])
    for row in rows:
        for key, value in row.counts.items():
            totals.counts[key] = totals.counts.get(key, 0) + value
        for key, value in row.targets.items():
            totals.targets[key] = totals.targets.get(key, 0) + value
        totals.members += row.members
        totals.reporters += row.reporters
        totals.reports += row.reports
    lines = [
        ReportRow(date(2026, 11, 17), "2611601", "Thôn Đông Hòa", "Nguyễn Thị Hương",
                  {"vneid": 12, "dvc": 3}, "Hỗ trợ người cao tuổi", "Zalo"),
        ReportRow(date(2026, 11, 18), "2611601", "Thôn Đông Hòa", "Trần Văn Đức",
                  {"vneid": 5, "kns": 20}, "", "Telegram"),
        ReportRow(date(2026, 11, 19), "2611602", "Ấp Phước Lộc", "Lê Thị Ánh",
                  {"ttkdtm": 4}, "=1+1", "Zalo"),
        ReportRow(date(2026, 11, 21), "2611603", "Tổ dân phố 5", "Phạm Quốc Bảo",
                  {"vneid": 9, "dvc": 2, "ttkdtm": 1}, "Tại nhà văn hóa", "Zalo"),
    ]  # fmt: skip
    return Summary(
        unit=COMMUNE,
        period_label="Tuần 17/11–23/11/2026",
        start=date(2026, 11, 17),
        end=date(2026, 11, 23),
        made_at=datetime(2026, 11, 24, 8, 5),
        indicators=INDICATORS,
        rows=rows,
        totals=totals,
        lines=lines if rows else [],
    )


def open_workbook(summary: Summary):
    return load_workbook(io.BytesIO(summary_workbook(summary)))


def test_summary_sheet_header_block_and_columns():
    ws = open_workbook(make_summary())["Tổng hợp"]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
        "Xã Phú Lý",
        "Tuần 17/11–23/11/2026",
        "Ngày lập: 24/11/2026 08:05",
    ]
    assert [c.value for c in ws[6]] == [
        "STT",
        "Mã tỉnh", "Tỉnh/Thành phố", "Mã xã", "Xã/Phường", "Mã thôn/ấp", "Thôn/Ấp/Tổ dân phố",
        "Hướng dẫn kích hoạt VNeID", "Chỉ tiêu", "% đạt",
        "Hỗ trợ dịch vụ công trực tuyến", "Chỉ tiêu", "% đạt",
        "Thanh toán không dùng tiền mặt", "Chỉ tiêu", "% đạt",
        "Phổ biến kỹ năng số", "Chỉ tiêu", "% đạt",
        "Thành viên báo cáo", "Tổng thành viên", "Số báo cáo",
    ]  # fmt: skip
    assert ws.cell(6, 8).alignment.wrap_text
    assert ws.cell(6, 8).font.bold
    assert ws.freeze_panes == "H7"
    assert ws.max_row == 10
    assert ws.column_dimensions["G"].width >= len("Thôn Đông Hòa")


def test_summary_sheet_hamlet_row_and_totals():
    ws = open_workbook(make_summary())["Tổng hợp"]
    assert [c.value for c in ws[7]] == [
        1, "75", "Tỉnh Đồng Nai", "26116", "Xã Phú Lý", "2611601", "Thôn Đông Hòa",
        177, 125, pytest.approx(1.416),
        40, 50, pytest.approx(0.8),
        12, None, None,
        30, None, None,
        9, 12, 21,
    ]  # fmt: skip
    assert type(ws["H7"].value) is int
    assert ws["J7"].number_format == "0.0%"
    assert ws["H7"].number_format == "#,##0"
    assert ws["H7"].border.left.style == "thin"
    # Ấp Phước Lộc: no kns reported, no dvc target
    assert [ws.cell(8, c).value for c in (7, 11, 12, 13, 17)] == ["Ấp Phước Lộc", 10, None, None, 0]

    totals = [c.value for c in ws[10]]
    assert totals[0] == "Tổng cộng"
    assert totals[7:] == [
        327, 315, pytest.approx(327 / 315),
        75, 70, pytest.approx(75 / 70),
        24, None, None,
        44, None, None,
        24, 30, 47,
    ]  # fmt: skip
    assert ws["A10"].font.bold and ws["H10"].font.bold
    assert "A10:G10" in ws.merged_cells


def test_hamlet_columns_use_the_hamlets_own_kind():
    ap = [UnitRef("hamlet", "2611605", "Ấp Mỹ Lợi"), UnitRef("hamlet", "2611606", "Ấp Bình An")]
    book = open_workbook(make_summary([hamlet(ref, {"vneid": 3}, {}, 2, 1, 1) for ref in ap]))
    assert [c.value for c in book["Tổng hợp"][6]][5:7] == ["Mã ấp", "Ấp"]
    assert [c.value for c in book["Chi tiết"][1]][1:3] == ["Mã ấp", "Ấp"]


def test_detail_sheet_rows_dates_and_numbers():
    ws = open_workbook(make_summary())["Chi tiết"]
    assert [c.value for c in ws[1]] == [
        "Ngày", "Mã thôn/ấp", "Thôn/Ấp/Tổ dân phố", "Thành viên",
        "Hướng dẫn kích hoạt VNeID", "Hỗ trợ dịch vụ công trực tuyến",
        "Thanh toán không dùng tiền mặt", "Phổ biến kỹ năng số",
        "Ghi chú", "Nguồn",
    ]  # fmt: skip
    assert ws.max_row == 5
    assert ws["A2"].is_date
    assert ws["A2"].value == datetime(2026, 11, 17)
    assert ws["A2"].number_format == "DD/MM/YYYY"
    assert [c.value for c in ws[5]] == [
        datetime(2026, 11, 21), "2611603", "Tổ dân phố 5", "Phạm Quốc Bảo",
        9, 2, 1, None, "Tại nhà văn hóa", "Zalo",
    ]  # fmt: skip
    assert type(ws["E5"].value) is int
    # a note that looks like a formula stays text
    assert ws["I4"].value == "=1+1"
    assert ws["I4"].data_type == "s"
    assert ws.freeze_panes == "A2"


def test_empty_summary_has_zero_totals():
    wb = open_workbook(make_summary(rows=[]))
    ws = wb["Tổng hợp"]
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    assert ws["A6"].value == "STT"
    assert ws["B6"].value == "Hướng dẫn kích hoạt VNeID"
    assert ws.max_row == 7
    assert [c.value for c in ws[7]] == [
        "Tổng cộng",
        0,
        None,
        None,
        0,
        None,
        None,
        0,
        None,
        None,
        0,
        None,
        None,
        0,
        0,
        0,
    ]
    assert wb["Chi tiết"].max_row == 1


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    height, width = matplotlib.image.imread(io.BytesIO(data), format="png").shape[:2]
    return width, height


def many_rows(n: int) -> list[UnitFigures]:
    return [
        hamlet(
            UnitRef("hamlet", f"h{i}", f"Thôn Hưng Thịnh Số {i}"),
            {"vneid": 3 * i, "dvc": i},
            {"vneid": 60} if i % 3 else {},
            10,
            i % 10,
            i,
        )
        for i in range(1, n + 1)
    ]


def test_progress_chart_png_and_height_grows():
    small = png_size(progress_chart(make_summary()))
    one = png_size(progress_chart(make_summary(many_rows(1))))
    big = png_size(progress_chart(make_summary(many_rows(40))))
    assert 900 <= small[0] <= 1400 and 300 <= small[1] <= 1200
    assert 300 <= one[1] < small[1]
    assert big[1] > small[1] + 1500
    assert big[0] == small[0]


def test_chart_shows_the_summary_texts_score_capped_per_indicator():
    far_over = hamlet(HAMLETS[0], {"vneid": 1000, "dvc": 0}, {"vneid": 100, "dvc": 100}, 5, 5, 5)
    on_target = hamlet(HAMLETS[1], {"vneid": 90}, {"vneid": 100}, 5, 5, 5)
    no_target = hamlet(HAMLETS[2], {"vneid": 7}, {}, 5, 5, 5)
    with_targets, bars = chart_bars(make_summary([on_target, far_over, no_target]))
    assert with_targets
    # VNeID at 1,000% counts as 200% (the cap), DVC at 0%: 100%, as /baocao's text says
    assert bars == [
        ("Thôn Đông Hòa", 1.0, "100%"),
        ("Ấp Phước Lộc", 0.9, "90%"),
        ("Tổ dân phố 5", 0.0, "chưa có chỉ tiêu"),
    ]
    assert score_label(far_over.score(), by_target=True) == "100%"


def no_targets() -> Summary:
    summary = make_summary()
    for row in summary.rows:
        row.targets.clear()
    return summary


def test_images_render_without_missing_glyphs():
    board = make_board()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for data in (
            progress_chart(make_summary()),
            progress_chart(no_targets()),
            progress_chart(make_summary(rows=[])),
            progress_chart(make_summary(many_rows(40))),
            leaderboard_image(board),
            leaderboard_image(Leaderboard(unit=COMMUNE, period_label="Tháng 11/2026", entries=[])),
        ):
            assert data.startswith(PNG_SIGNATURE)


def test_missing_glyph_check_can_fail():
    board = make_board()
    board.entries[0] = replace(board.entries[0], unit=UnitRef("hamlet", "x", "村 Đông Hòa"))
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="Glyph"):
        warnings.simplefilter("error")
        leaderboard_image(board)


def make_board(people: int = 5) -> Leaderboard:
    return Leaderboard(
        unit=COMMUNE,
        period_label="Tuần 17/11–23/11/2026",
        entries=[
            BoardEntry(1, HAMLETS[2], 1.12, "112%", 2),
            BoardEntry(2, HAMLETS[0], 1.08, "108%", -1),
            BoardEntry(3, HAMLETS[1], 0.6, "60%", 0),
            BoardEntry(4, UnitRef("hamlet", "2611604", "Thôn Bình Yên Thượng"), 0.41, "41%", None),
        ],
        most_improved=HAMLETS[2],
        top_people=[
            TopPerson("Nguyễn Thị Hương", 48, "Thôn Bình Yên Thượng"),
            TopPerson("Trần Văn Đức", 41, HAMLETS[0].name),
            TopPerson("Lê Thị Ánh", 35, None),  # reported only in the commune's own team
            TopPerson("Phạm Quốc Bảo", 30, HAMLETS[1].name),
            TopPerson("Võ Minh Khôi", 22, HAMLETS[2].name),
            TopPerson("Đặng Thu Trang", 9, HAMLETS[2].name),
            TopPerson("Huỳnh Văn Lợi", 4, HAMLETS[0].name),
        ][:people],
    )


def test_leaderboard_png_size_and_people_capped_at_five():
    five = png_size(leaderboard_image(make_board(5)))
    seven = png_size(leaderboard_image(make_board(7)))
    none = png_size(leaderboard_image(make_board(0)))
    assert 900 <= five[0] <= 1200 and 800 <= five[1] <= 1800
    assert seven == five  # only the top 5 people are listed
    assert none[1] < five[1]


def test_leaderboard_image_names_each_top_person_with_their_hamlet(monkeypatch):
    written = []

    def spy(ax, x, y, text, **style):
        written.append(text)
        return write(ax, x, y, text, **style)

    write = leaderboard._write
    monkeypatch.setattr(leaderboard, "_write", spy)
    leaderboard_image(make_board(3))
    assert "1. Nguyễn Thị Hương – Thôn Bình Yên Thượng" in written
    assert f"2. Trần Văn Đức – {HAMLETS[0].name}" in written
    assert "3. Lê Thị Ánh" in written


def test_rank_change_marks():
    assert _rank_change(2)[0] == "▲2"
    assert _rank_change(-1)[0] == "▼1"
    assert _rank_change(0)[0] == "–"
    assert _rank_change(None)[0] == "mới"
