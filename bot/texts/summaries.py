"""Figures for people to read: /baocao, /tiendo, /bangxephang, who may see what."""

# who may see what
FIGURES_NO_UNIT = (
    "Bạn chưa thuộc tổ hay xã nào (hoặc tổ trưởng chưa xác nhận) nên chưa xem được số liệu. "
    "Gửi mã mời: /thamgia MÃ"
)
FIGURES_UNIT_UNKNOWN = (
    "Không tìm thấy đơn vị hay kỳ báo cáo «{place}». Gõ mã hoặc tên đơn vị, kèm kỳ nếu cần, "
    "ví dụ: /{command} {example}, /{command} Ấp Tân Hòa tuần trước, /{command} tháng 11"
)
FIGURES_WHICH_NAMED = "Có nhiều nơi tên «{place}». Chọn một:"
UNIT_IN = "{unit} ({parent})"
FIGURES_NOT_YOURS = "{you} không xem được số liệu của {unit}. {you} xem được: {mine}."
FIGURES_NOT_YOURS_ANY = "{you} không xem được số liệu của {unit}, chỉ của tổ, xã mình."
FIGURES_GROUP_NOT_LINKED = (
    "Nhóm này chưa kết nối với ấp, thôn hay xã nào. Tổ trưởng gõ /ketnoi để kết nối, "
    "hoặc nhắn riêng cho bot để xem số liệu."
)
FIGURES_GROUP_OTHER_UNIT = (
    "Trong nhóm này chỉ xem được số liệu của {unit}. Nhắn riêng cho bot để xem đơn vị khác."
)
FIGURES_NAME_A_UNIT = (
    "Gõ kèm mã đơn vị, ví dụ: /{command} {example} (hoặc /{command} / cho toàn quốc)."
)
FIGURES_WHICH_UNIT = "{you} phụ trách nhiều nơi. Xem đơn vị nào?"
# /baocao
BTN_EXCEL = "📥 Tải Excel"
BTN_CHART = "📊 Xem biểu đồ"
REPORT_EXCEL_CAPTION = "📥 Báo cáo {unit} — {period}"
REPORT_CHART_CAPTION = "📊 {unit} — {period}"
REPORT_EXCEL_OFFICIALS_ONLY = (
    "Tệp Excel có chi tiết từng người nên chỉ gửi cho cán bộ xã. Gõ /baocao để xem tổng hợp."
)
REPORT_EXCEL_SENT_PRIVATELY = (
    "📩 Tệp Excel có chi tiết từng người nên đã gửi vào tin nhắn riêng của {you} với bot, "
    "không gửi trong nhóm. Nếu chưa thấy, hãy nhắn riêng cho bot: /baocao"
)
# /tiendo
PROGRESS_HEADER = "📈 Tiến độ {unit}\n{period}"
PROGRESS_TARGET = "• {name} {count}/{target}\n  {bar}"
PROGRESS_PLAIN = "• {name} {count} {unit_label}"
PROGRESS_NO_TARGET = "Chưa có chỉ tiêu cho {period}. Cán bộ xã đặt bằng lệnh /chitieu."
PROGRESS_NOTHING = "Chưa có báo cáo nào trong {period}."
PROGRESS_REPORTERS = "Thành viên đã báo cáo: {reporters}/{members}"
PROGRESS_DAYS_LEFT = "Còn {days} ngày đến hết {period}."
PROGRESS_LAST_DAY = "Hôm nay là ngày cuối của {period}."
# /bangxephang
BOARD_NEEDS_COMMUNE = (
    "Bảng xếp hạng so các ấp, thôn trong một xã. Gõ kèm mã xã, ví dụ: /bangxephang tuan 28468"
)
# the image's caption is BOARD_CAPTION (texts.jobs), shared with the weekly leaderboard job

# --- summary as chat text (/baocao and the monthly job) ---
SUMMARY_HEADER = "📊 Báo cáo {unit}"
INDICATOR_WITH_TARGET = "• {name} {count}/{target} {bar}{change}"
INDICATOR_PLAIN = "• {name} {count} {unit_label}{change}"
COMPARED_WITH = "▲▼ so với {period}"
NOTHING_REPORTED = "Chưa có báo cáo nào trong kỳ này."
REPORTERS_LINE = "Thành viên báo cáo: {reporters}/{members} ({percent})"
REPORTERS_ONLY = "Thành viên báo cáo: {reporters}"
ROWS_REPORTING = "{level} có báo cáo: {reporting}/{rows}"
ROWS_HEADER = "Theo {level}:"
ROW_WITH_TARGET = "{rank}. {name} — {score} · {activity} lượt · {reporters}/{members} TV"
ROW_PER_MEMBER = "{rank}. {name} — {activity} lượt ({score}) · {reporters}/{members} TV"
ROWS_REST = "… và {n} {level} khác: tổng {activity} lượt"
NOT_REPORTED = "Chưa báo cáo: {names}"
NOT_REPORTED_REST = "{names} và {n} {level} khác"
UNREACHABLE = "{n} thành viên không nhận được tin nhắn của bot"
UP = "▲{n}"
DOWN = "▼{n}"
BAR_FULL = "▓"
BAR_EMPTY = "░"
SCORE_PERCENT = "{percent}%"
SCORE_PER_MEMBER = "{value}/người"

# --- leaderboard as chat text ---
BOARD_HEADER = "🏆 Bảng xếp hạng"
BOARD_SUBTITLE = "{unit} · {period}"
BOARD_LINE = "{rank}. {name} — {score}{change}"
BOARD_EMPTY = "Chưa có {kind} nào báo cáo trong kỳ này."
MOST_IMPROVED = "Tiến bộ nhất: {unit}"
TOP_PEOPLE = "Gương mặt tiêu biểu {period_word}: {people}"
TOP_PERSON = "{name} ({total})"
PERSON_AND_HAMLET = "{name} – {hamlet}"  # a top person and the hamlet they reported in

# --- Excel workbook ---
SHEET_SUMMARY = "Tổng hợp"
SHEET_DETAIL = "Chi tiết"
REPORT_TITLE = "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
MADE_AT = "Ngày lập: {when}"
COL_NO = "STT"
LEVEL_COLUMNS = {  # level -> (code header, name header), from the top of the hierarchy down
    "province": ("Mã tỉnh", "Tỉnh/Thành phố"),
    "district": ("Mã huyện", "Quận/Huyện"),
    "commune": ("Mã xã", "Xã/Phường"),
    "hamlet": ("Mã {kind}", "{Kind}"),  # the hamlets' own kind: "Mã ấp", "Ấp"
}
COL_TARGET = "Chỉ tiêu"
COL_PERCENT = "% đạt"
COL_REPORTERS = "Thành viên báo cáo"
COL_MEMBERS = "Tổng thành viên"
COL_REPORTS = "Số báo cáo"
TOTALS_LABEL = "Tổng cộng"
COL_DATE = "Ngày"
COL_HAMLET_CODE = "Mã {kind}"
COL_HAMLET = "{Kind}"
HAMLET_COLUMNS_MIXED = {"kind": "thôn/ấp", "Kind": "Thôn/Ấp/Tổ dân phố"}  # when kinds differ
COL_PERSON = "Thành viên"
COL_NOTE = "Ghi chú"
COL_SOURCE = "Nguồn"

# --- images: progress chart and leaderboard ---
CHART_TITLE = "Tiến độ so với chỉ tiêu – {unit}\n{period}"
CHART_COUNT_TITLE = "Số lượt hoạt động – {unit}\n{period}"
CHART_PERCENT_AXIS = "% đạt chỉ tiêu (trung bình các chỉ tiêu)"
CHART_COUNT_AXIS = "Tổng số lượt (mọi chỉ tiêu)"
CHART_NO_TARGET = "chưa có chỉ tiêu"
NO_DATA = "Chưa có số liệu"
BOARD_TITLE = "Bảng xếp hạng"
BOARD_NEW = "mới"
BOARD_TOP_PEOPLE = "Gương mặt tiêu biểu"
