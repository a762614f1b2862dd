"""Fair comparisons: a running period against the same days of the one before, and the pace
a target asks for by today (/baocao, /tiendo, the chart and the Excel)."""

SAME_SPAN = "cùng kỳ {period} ({span})"  # "so với cùng kỳ tháng 11/2026 (01/11–03/11)"
PACE_LINE = "Cần đạt đến hôm nay: {percent}% chỉ tiêu ({days}/{total} ngày)"
PACE_ON = " · đúng tiến độ"
PACE_BEHIND = " · chậm {n}%"
CHART_DUE = "cần đạt đến hôm nay: {percent}%"
EXCEL_DUE = "Cần đạt đến {day}: {percent}% chỉ tiêu ({days}/{total} ngày)"
