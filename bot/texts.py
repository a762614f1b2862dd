"""Every Vietnamese string a user reads, and the keywords users type."""

# --- roster import (CLI) ---
ROSTER_UNREADABLE = "Không đọc được tệp {file}: cần tệp .xlsx hoặc .csv."
ROSTER_NO_HEADER = (
    "Tệp này không phải danh sách tổ: dòng đầu cần các cột Tỉnh, Xã/Phường, Thôn/Ấp, Họ tên "
    "(và có thể thêm Số điện thoại, Vai trò). Chưa nhập gì."
)
ROSTER_MISSING = "thiếu {column}"
ROSTER_BAD_ROLE = "vai trò «{role}» không rõ: dùng Thành viên, Tổ phó, Tổ trưởng hoặc Cán bộ"
ROSTER_BAD_PHONE = "số điện thoại «{phone}» không hợp lệ"
ROSTER_NO_PROVINCE = "không tìm thấy tỉnh/thành phố «{name}»"
ROSTER_NO_COMMUNE = "không tìm thấy xã/phường «{name}» thuộc {province}"

# --- chat core ---
BTN_YES = "✅ Lưu"
BTN_CANCEL = "✖️ Hủy"
BTN_DONE = "✔️ Xong"
BTN_TODAY = "Hôm nay"
BTN_YESTERDAY = "Hôm qua"
BTN_NOTE = "📝 Ghi chú / ảnh"
BTN_NOT_LISTED = "Tôi không có trong danh sách"
BTN_SHARE_PHONE = "📱 Chia sẻ số điện thoại"
NUMBERED_PROMPT = "Trả lời {options}."
NUMBER_OUT_OF_RANGE = "Vui lòng trả lời một số từ 1 đến {count}."
UNKNOWN_COMMAND = "Không có lệnh /{name}. Gõ /huongdan để xem các lệnh."
NOT_JOINED = (
    "Bạn chưa tham gia tổ nào. Gửi mã mời do tổ trưởng hoặc cán bộ xã đưa: /thamgia MÃ\n"
    "Trong nhóm Zalo/Telegram của thôn đã kết nối, chỉ cần gõ /thamgia."
)
SESSION_EXPIRED = "Phiên nhập trước đã quá hạn nên chưa lưu gì. Gõ /ghinhan để bắt đầu lại."
STALE_BUTTON = "Nút này đã cũ. Gõ /ghinhan để ghi nhận hoặc /huongdan để xem hướng dẫn."
FLOW_CANCELLED = "Đã hủy, không lưu gì."
TOO_LONG = "Tin nhắn quá dài. Hãy gửi ngắn gọn, ví dụ: /bc vneid 5 dvc 3 ho 8"
ERROR_TRY_AGAIN = "Xin lỗi, có lỗi khi xử lý tin nhắn. Vui lòng thử lại sau ít phút."

# Joining
JOIN_ASK_CODE = (
    "Gửi mã mời của bạn theo mẫu: /thamgia MÃ (mã 6 ký tự do tổ trưởng hoặc cán bộ xã đưa)."
)
JOIN_GROUP_NOT_LINKED = (
    "Nhóm này chưa được kết nối với thôn nào. Tổ trưởng gõ /ketnoi để kết nối, "
    "hoặc gửi mã mời: /thamgia MÃ"
)
JOIN_GROUP_NOT_HAMLET = (
    "Nhóm này kết nối với {unit}, không phải một thôn. Hãy dùng mã mời: /thamgia MÃ"
)
INVITE_UNKNOWN = "Mã mời {code} không đúng. Kiểm tra lại và gửi: /thamgia MÃ"
INVITE_EXPIRED = "Mã mời {code} đã hết hạn. Xin tổ trưởng hoặc cán bộ xã mã mới."
INVITE_USED_UP = "Mã mời {code} đã dùng hết lượt. Xin tổ trưởng hoặc cán bộ xã mã mới."
JOIN_WHO_ARE_YOU = "Danh sách tổ {team} đã có các tên dưới đây. Bạn là ai?"
JOIN_SHARE_PHONE = (
    "Để khớp với danh sách tổ, bấm nút «Chia sẻ số điện thoại» bên dưới, "
    "hoặc chọn tên của bạn ở tin nhắn tiếp theo."
)
JOIN_PHONE_NOT_FOUND = "Số điện thoại này chưa có trong danh sách tổ {team}. Hãy chọn tên của bạn:"
JOIN_WELCOME = "Chào mừng {name} tham gia {team} với vai trò {role}! 🎉\nGõ /ghinhan để ghi nhận kết quả, /huongdan để xem hướng dẫn."
JOIN_ALREADY = "Bạn đã là {role} của {team}."
JOIN_PENDING = "Đã gửi yêu cầu tham gia {team}. Tổ trưởng sẽ xác nhận; trong lúc chờ, bạn vẫn có thể ghi nhận kết quả."
JOIN_NAME_TAKEN = (
    "Tên {name} đã được một tài khoản khác nhận. Nếu đó là bạn, hãy báo tổ trưởng. "
    "Đã báo cho tổ trưởng kiểm tra."
)
LEADER_NAME_CLAIMED_TWICE = "⚠️ Có người ({display}) nhận là {name} trong {team}, nhưng tên này đã gắn với một tài khoản khác. Vui lòng kiểm tra."
LEADER_CONFIRM_REQUEST = (
    "👋 {name} xin tham gia {team} (không có trong danh sách). Bấm để xác nhận:"
)
BTN_CONFIRM_MEMBER = "Xác nhận {name}"
CONFIRMED_MEMBER = "Đã xác nhận {name} là thành viên {team}."
CONFIRM_NOT_ALLOWED = "Chỉ tổ trưởng hoặc tổ phó của tổ này mới xác nhận được."
ROLE_NAMES = {
    "thanhvien": "thành viên",
    "topho": "tổ phó",
    "totruong": "tổ trưởng",
    "canbo": "cán bộ",
}

# Linking groups
LINK_GROUP_ONLY = (
    "Lệnh /ketnoi dùng trong nhóm chat của thôn hoặc xã. Hãy thêm bot vào nhóm rồi gõ /ketnoi."
)
LINK_NOT_ALLOWED = "Chỉ tổ trưởng, tổ phó hoặc cán bộ xã mới kết nối được nhóm."
LINK_WHICH = "Bạn phụ trách nhiều nơi. Kết nối nhóm này với đơn vị nào?"
LINK_DONE = (
    "✅ Đã kết nối nhóm này với {unit}. Thành viên gõ /thamgia để tham gia, /bc để báo cáo nhanh."
)

# Reporting
REPORT_WHICH_HAMLET = "Bạn ghi nhận cho thôn nào?"
REPORT_ASK_DATE = "Ghi nhận cho ngày nào? Chọn bên dưới hoặc gõ ngày dạng dd/mm."
REPORT_MENU = "Ngày {day} — {team}\n{tally}\nChọn chỉ tiêu để nhập số, hoặc bấm «Xong»."
REPORT_TALLY_EMPTY = "(chưa nhập số nào)"
REPORT_ASK_COUNT = "{name}: nhập số lượng (0–{max})."
REPORT_ASK_NOTE = (
    "Gõ ghi chú ngắn hoặc gửi ảnh. Gõ «bỏ qua» nếu không có. (Số CCCD, số điện thoại sẽ được che.)"
)
REPORT_NOTHING = "Chưa có số liệu nào. Hãy chọn một chỉ tiêu và nhập số."
REPORT_CONFIRM = "Xác nhận ghi nhận ngày {day}:\n{tally}{note}\nLưu báo cáo này?"
REPORT_SAVED = "✅ Đã ghi nhận ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_EDITED = "✏️ Đã sửa báo cáo ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_HINT = "Để báo cáo nhanh, gõ ví dụ: /bc vneid 5 dvc 3 ho 8"
REPORT_NOT_A_NUMBER = "Vui lòng nhập một số, ví dụ: 5"
REPORT_BC_EMPTY = "Gõ kết quả sau /bc, ví dụ: /bc vneid 5 dvc 3 ho 8 (thêm «hôm qua» hoặc dd/mm nếu không phải hôm nay)."
REPORT_NO_TEAM = "Bạn chưa thuộc tổ thôn nào nên chưa ghi nhận được. Gửi mã mời: /thamgia MÃ"
REPORT_NOTE_LABEL = "\nGhi chú: {note}"
REPORT_PHOTO_LABEL = "\n📷 Có ảnh kèm theo"
RETRACT_DONE = (
    "↩️ Đã hủy báo cáo ngày {day}: {tally}. Báo cáo vẫn được lưu vết nhưng không tính vào tổng."
)
RETRACT_NONE = "Không có báo cáo nào trong {hours} giờ qua để hủy."
EDIT_NONE = "Không có báo cáo nào trong {hours} giờ qua để sửa."
MY_REPORTS = "👤 {name}\nTuần này ({week_label}): {week_count} báo cáo\n{week}\nTháng {month_label}: {month_count} báo cáo\n{month}"
NOTHING_YET = "chưa có"

HELP_MEMBER = (
    "🤖 Bot Tổ Công Nghệ số cộng đồng\n"
    "• Báo cáo nhanh: /bc vneid 5 dvc 3 ho 8 (thêm «hôm qua» hoặc 20/11 nếu không phải hôm nay)\n"
    "• Ghi nhận từng bước bằng nút: /ghinhan\n"
    "• Hủy báo cáo vừa gửi: /huy — Sửa: /sua\n"
    "• Kết quả của tôi: /toi — Tiến độ thôn: /tiendo — Xếp hạng: /bangxephang\n"
    "Chỉ tiêu: {indicators}"
)
HELP_LEADER = (
    "\nTổ trưởng: /ketnoi để kết nối nhóm chat của thôn, xác nhận thành viên mới khi được báo."
)
HELP_OFFICIAL = (
    "\nCán bộ xã: /baocao [tuan|thang|quy|mm/yyyy] xem tổng hợp (kèm Excel, biểu đồ), "
    "/chitieu vneid 500 thang đặt chỉ tiêu, /caidat lịch nhắc nhở, /ketnoi kết nối nhóm."
)
HELP_STRANGER = (
    "🤖 Bot Tổ Công Nghệ số cộng đồng giúp tổ báo cáo kết quả hỗ trợ người dân "
    "(VNeID, dịch vụ công, ví điện tử…) ngay trong chat.\n"
    "Để bắt đầu, gửi mã mời do tổ trưởng hoặc cán bộ xã đưa: /thamgia MÃ"
)
MENU_COMMANDS = [
    ("bc", "Báo cáo nhanh: /bc vneid 5 dvc 3 ho 8"),
    ("ghinhan", "Ghi nhận kết quả từng bước"),
    ("huy", "Hủy báo cáo vừa gửi"),
    ("sua", "Sửa báo cáo vừa gửi"),
    ("toi", "Kết quả của tôi"),
    ("tiendo", "Tiến độ của thôn"),
    ("bangxephang", "Bảng xếp hạng các thôn"),
    ("baocao", "Báo cáo tổng hợp (cán bộ)"),
    ("chitieu", "Chỉ tiêu và tiến độ"),
    ("thamgia", "Tham gia tổ bằng mã mời"),
    ("ketnoi", "Kết nối nhóm chat với thôn/xã"),
    ("lienket", "Liên kết tài khoản Telegram và Zalo"),
    ("huongdan", "Hướng dẫn sử dụng"),
]

# --- parsing ---
PARSE_TOO_LONG = (
    "Tin nhắn quá dài (tối đa {limit} ký tự). Hãy gửi ngắn gọn, ví dụ: /bc vneid 5 dvc 3 ho 8"
)
PARSE_NOTHING = (
    "Chưa thấy chỉ tiêu và số lượng nào. Gõ tên chỉ tiêu kèm số, ví dụ: /bc vneid 5 dvc 3 ho 8"
)
PARSE_NOT_NUMBER = "Số lượng phải là số nguyên từ 0 đến {max}, ví dụ: {example}"
PARSE_NOT_WHOLE = "«{value}» không phải số nguyên. Gõ số nguyên từ 0 đến {max}, ví dụ: {example}"
PARSE_NEGATIVE = "Số lượng không được âm ({value}). Gõ số từ 0 đến {max}, ví dụ: {example}"
PARSE_TOO_BIG = "Số {value} quá lớn, tối đa là {max}. Kiểm tra lại rồi gõ, ví dụ: {example}"
PARSE_NO_COUNT = "Chưa có số lượng cho «{name}». Gõ số bằng chữ số ngay sau tên, ví dụ: {example}"
PARSE_NO_INDICATOR = (
    "Số {value} chưa gắn với chỉ tiêu nào. Gõ tên chỉ tiêu ngay trước số, ví dụ: /bc vneid 5 dvc 3"
)
PARSE_UNKNOWN_WORD = "Không hiểu «{word}». Gõ tên chỉ tiêu như {codes}, ví dụ: /bc vneid 5"
PARSE_TWO_DATES = "Mỗi báo cáo chỉ ghi một ngày. Gửi riêng từng ngày, ví dụ: /bc vneid 5 hôm qua"
PARSE_BAD_DATE = "Ngày «{value}» không có trên lịch. Gõ ngày dạng dd/mm, ví dụ: 20/11"
PARSE_FUTURE_DATE = "Ngày {day} chưa tới. Gõ «hôm nay», «hôm qua» hoặc một ngày đã qua dạng dd/mm."
PARSE_TOO_OLD = (
    "Ngày {day} đã quá {days} ngày nên không ghi nhận được. "
    "Chỉ gõ ngày từ {first} đến hôm nay, ví dụ: hôm qua"
)
PARSE_DAY_UNKNOWN = "Không hiểu ngày «{value}». Gõ «hôm nay», «hôm qua», «hôm kia» hoặc ngày dạng dd/mm, ví dụ: 20/11"
PARSE_PERIOD_UNKNOWN = (
    "Không hiểu khoảng thời gian «{value}». Gõ một trong: tuan, tuantruoc, thang, thangtruoc, "
    "quy, nam, tháng dạng mm/yyyy (ví dụ 10/2026) hoặc khoảng ngày dd/mm-dd/mm (ví dụ 01/11-15/11)."
)
PARSE_RANGE_ORDER = "Ngày bắt đầu phải trước ngày kết thúc, ví dụ: 01/11-15/11"
