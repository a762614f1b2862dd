"""Campaigns (chiến dịch): the guided /chiendich flow, the group posts and the end's summary."""

CAMPAIGN_COMMAND_WORDS = {"moi", "tao", "new"}  # /chiendich mới
CAMPAIGN_OFFICIALS_ONLY = (
    "Chỉ cán bộ xã mới tạo được chiến dịch. Tổ trưởng có thể giao việc cho thành viên bằng /giao."
)
CAMPAIGN_NONE = "Chưa có chiến dịch nào ở {unit}. Bấm «Tạo chiến dịch» hoặc gõ /chiendich moi."
CAMPAIGN_LIST_HEADER = "📣 Các chiến dịch ở {unit}:"
CAMPAIGN_LIST_LINE = "{no}. {name} ({start}–{end}) — {state}"
CAMPAIGN_STATE_COMING = "sắp bắt đầu"
CAMPAIGN_STATE_RUNNING = "đang chạy"
CAMPAIGN_STATE_ENDED = "đã kết thúc"
CAMPAIGN_UNKNOWN = "Không thấy chiến dịch số {value}. Gõ /chiendich để xem danh sách."
BTN_NEW_CAMPAIGN = "Tạo chiến dịch"
CAMPAIGN_WHICH_UNIT = "Tạo chiến dịch cho xã nào?"
CAMPAIGN_ASK_NAME = "Tên chiến dịch là gì? (ví dụ: Cuối tuần VNeID mức 2)"
CAMPAIGN_BAD_NAME = "Tên cần từ 3 đến 120 ký tự. Gõ lại tên chiến dịch."
CAMPAIGN_ASK_INDICATORS = (
    "Chiến dịch tính những chỉ tiêu nào? Chọn từng cái, xong bấm «Xong».{chosen}"
)
CAMPAIGN_CHOSEN = "\nĐã chọn: {names}"
CAMPAIGN_NEED_INDICATOR = "Chọn ít nhất một chỉ tiêu rồi bấm «Xong»."
CAMPAIGN_ASK_DATES = "Chiến dịch chạy từ ngày nào đến ngày nào? Gõ ví dụ: 5/12 - 20/12"
CAMPAIGN_BAD_DATES = (
    "Chưa hiểu «{value}». Gõ ngày bắt đầu và kết thúc, ví dụ: 5/12 - 20/12 "
    "(kết thúc không trước hôm nay, dài tối đa một năm)."
)
CAMPAIGN_ASK_DAYS = "Chạy vào những ngày nào? Chọn, hoặc gõ ví dụ: t7 cn"
CAMPAIGN_BAD_DAYS = "Chưa hiểu «{value}». Gõ các thứ, ví dụ: t7 cn, hoặc t2 t4 t6."
BTN_EVERY_DAY = "Mọi ngày"
BTN_WEEKENDS = "Thứ 7 và Chủ nhật"
CAMPAIGN_ASK_TARGET = (
    "Chỉ tiêu {indicator} cho cả xã trong chiến dịch là bao nhiêu? Gõ một số (0: không đặt)."
)
CAMPAIGN_BAD_TARGET = "Gõ một số nguyên, ví dụ 300, hoặc 0 nếu không đặt chỉ tiêu."
CAMPAIGN_ASK_SPLIT = "Chia chỉ tiêu cho các thôn, ấp thế nào?"
CAMPAIGN_ASK_HOUR = "Mấy giờ bot đăng tiến độ hằng ngày vào nhóm xã? Gõ giờ từ 0 đến 23, ví dụ 19."
CAMPAIGN_BAD_HOUR = "Gõ một giờ từ 0 đến 23, ví dụ 19."
CAMPAIGN_CONFIRM = (
    "Kiểm tra lại chiến dịch:\n«{name}» — {unit}\n{start}–{end}, {days}\n"
    "Chỉ tiêu: {targets}\nĐăng tiến độ lúc {hour} giờ.\nLưu chiến dịch?"
)
CAMPAIGN_SAVED = (
    "✅ Đã tạo chiến dịch «{name}». Ngày bắt đầu, bot báo trong các nhóm của {unit}; "
    "báo cáo trên các chỉ tiêu này tự tính vào chiến dịch. Xem: /chiendich {id}"
)
CAMPAIGN_NO_TARGET = "không đặt"
CAMPAIGN_ALL_DAYS = "mọi ngày"
CAMPAIGN_DAY_NAMES = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
# typed day words, folded: "t7", "thu 7", "cn", "chu nhat"
CAMPAIGN_DAY_WORDS = {"cn": 6, "chunhat": 6, **{f"t{n}": n - 2 for n in range(2, 8)}}
CAMPAIGN_DAY_PREFIX = "thu"

CAMPAIGN_SHOW = "📣 Chiến dịch «{name}» — {unit}\n{start}–{end}, {days} ({state})\n{lines}"
CAMPAIGN_LINE = "• {indicator}: {done}/{target} ({percent})"
CAMPAIGN_LINE_NO_TARGET = "• {indicator}: {done}"
CAMPAIGN_HAMLETS = "\nTheo thôn, ấp:"
CAMPAIGN_HAMLET_LINE = "• {hamlet}: {figures}"
CAMPAIGN_BAOCAO = "📣 Chiến dịch «{name}» ({start}–{end}): {figures}"

CAMPAIGN_START_POST = (
    "📣 Bắt đầu chiến dịch «{name}»: {start}–{end}, {days}.\n{targets}\n"
    "Cứ báo cáo như thường ngày (/bc), số liệu tự tính vào chiến dịch. Cùng cố gắng nhé! 💪"
)
CAMPAIGN_DAY_POST = (
    "📊 Chiến dịch «{name}» — ngày {day}\nHôm nay: {today}\nĐến nay:\n{lines}{leaders}"
)
CAMPAIGN_DAY_LEADERS = "\n👏 Sôi nổi hôm nay: {hamlets}"
CAMPAIGN_END_POST = "🎉 Chiến dịch «{name}» đã kết thúc. Cảm ơn cả xã!\n{lines}{best}"
CAMPAIGN_END_TOP_HAMLETS = "\n🏆 Thôn, ấp dẫn đầu: {hamlets}"
CAMPAIGN_END_TOP_PEOPLE = "\n🌟 Tích cực nhất: {people}"
CAMPAIGN_END_IMPROVED = "\n📈 Tiến bộ nhất: {hamlet}"
CAMPAIGN_END_SUMMARY = "📋 Tổng kết chiến dịch «{name}» ({start}–{end}), {unit}:\n{lines}"
CAMPAIGN_END_FILES = "Bảng số liệu và biểu đồ chiến dịch «{name}»."
CAMPAIGN_PERIOD_LABEL = "Chiến dịch {name} ({start}–{end})"
FILE_CAMPAIGN = "chien-dich"
