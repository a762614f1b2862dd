"""The summary text a phone shows, from figures made by hand (no database)."""

from datetime import date, datetime

from bot.figures import IndicatorInfo, Summary, UnitFigures, UnitRef
from bot.summary_text import format_summary_text, progress_bar

MADE_AT = datetime(2026, 11, 23, 7, 0)


def test_progress_bar():
    assert progress_bar(0.6) == "▓▓▓▓▓▓░░░░ 60%"
    assert progress_bar(0.0) == "░░░░░░░░░░ 0%"
    assert progress_bar(1.5) == "▓▓▓▓▓▓▓▓▓▓ 150%"
    assert progress_bar(0.25, width=4) == "▓░░░ 25%"


def small_summary(hamlets: int, *, targets: bool) -> Summary:
    def ref(n: int) -> UnitRef:
        return UnitRef("hamlet", f"1-{n:02d}", f"Thôn Số {n}")

    rows = [
        UnitFigures(
            unit=ref(n),
            hierarchy=[],
            counts={"vneid": n, "ho": 5} if n % 10 else {},
            targets={"vneid": 20} if targets else {},
            members=4,
            reporters=2 if n % 10 else 0,
            reports=3 if n % 10 else 0,
        )
        for n in range(1, hamlets + 1)
    ]
    counts = {"vneid": sum(r.counts.get("vneid", 0) for r in rows), "ho": 5 * len(rows)}
    return Summary(
        unit=UnitRef("commune", "1", "Xã Thử"),
        period_label="Tháng 11/2026",
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        made_at=MADE_AT,
        indicators=[
            IndicatorInfo("vneid", "Cài đặt, kích hoạt VNeID", "tài khoản", short="VNeID"),
            IndicatorInfo("dvc", "Dịch vụ công", "lượt"),
            IndicatorInfo("ho", "Hộ dân được thăm", "hộ"),
        ],
        rows=rows,
        totals=UnitFigures(
            unit=UnitRef("commune", "1", "Xã Thử"),
            hierarchy=[],
            counts=counts,
            targets={"vneid": 20 * hamlets} if targets else {},
            members=4 * hamlets,
            reporters=2 * hamlets,
            reports=3 * hamlets,
        ),
    )


def test_summary_text_small_case_with_targets():
    text = format_summary_text(small_summary(3, targets=True))
    assert text.splitlines() == [
        "📊 Báo cáo Xã Thử",
        "Tháng 11/2026",
        "",
        "• VNeID 6/60 ▓░░░░ 10% · chậm 67%",
        "• Hộ dân được thăm 15 hộ",
        "Cần đạt đến hôm nay: 77% chỉ tiêu (23/30 ngày)",
        "Thành viên báo cáo: 6/12 (50%)",
        "Thôn có báo cáo: 3/3",
        "",
        "Theo thôn:",
        "1. Thôn Số 3 — 15% · 3 lượt · 2/4 TV",
        "2. Thôn Số 2 — 10% · 2 lượt · 2/4 TV",
        "3. Thôn Số 1 — 5% · 1 lượt · 2/4 TV",
    ]


def test_summary_text_keeps_thirty_hamlets_short():
    summary = small_summary(30, targets=False)
    text = format_summary_text(summary, max_rows=12)
    lines = text.splitlines()
    ranked = [line for line in lines if line[:1].isdigit() and ". Thôn" in line]
    assert len(ranked) == 12
    assert ranked[0] == "1. Thôn Số 29 — 29 lượt (7,3/người) · 2/4 TV"
    assert ranked[-1] == "12. Thôn Số 17 — 17 lượt (4,3/người) · 2/4 TV"
    # 27 hamlets reported; the 15 below the top 12 are 1–9 and 11–16: 45 + 81 lượt.
    assert lines[lines.index(ranked[-1]) + 1] == "… và 15 thôn khác: tổng 126 lượt"
    assert "Chưa báo cáo: Thôn Số 10, Thôn Số 20, Thôn Số 30" in lines
    assert len(text) < 4000
    assert max(len(line) for line in lines if not line.startswith("Chưa báo cáo")) <= 45
    assert "Thôn có báo cáo: 27/30" in lines
    assert len(lines) == 24  # 7 lines of totals, 2 + 12 + 1 of hamlets, 2 of silent ones


def test_summary_text_of_a_quiet_hamlet():
    summary = small_summary(1, targets=False)
    summary.unit = summary.rows[0].unit
    summary.totals = UnitFigures(unit=summary.unit, hierarchy=[], members=3, unreachable=3)
    assert format_summary_text(summary).splitlines() == [
        "📊 Báo cáo Thôn Số 1",
        "Tháng 11/2026",
        "",
        "Chưa có báo cáo nào trong kỳ này.",
        "Thành viên báo cáo: 0/3 (0%)",
        "",
        "3 thành viên không nhận được tin nhắn của bot",
    ]
