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
STALE_BUTTON_GROUP = (
    "Nút này đã cũ hoặc là của người khác trong nhóm. Gõ /ghinhan để tự ghi nhận, "
    "hoặc /huongdan để xem hướng dẫn."
)
FLOW_CANCELLED = "Đã hủy, không lưu gì."
FLOW_ABANDONED = "Đã bỏ phần đang nhập dở ở bước trước (chưa lưu gì)."
FLOW_STILL_OPEN = "Phần đang nhập dở vẫn còn: làm tiếp ở tin nhắn trước, hoặc gõ /huy để hủy."
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
JOIN_PENDING = "Đã gửi yêu cầu tham gia {team}. Khi tổ trưởng xác nhận, bạn ghi nhận kết quả được ngay (/bc, /ghinhan)."
JOIN_NAME_TAKEN = (
    "Tên {name} đã gắn với một tài khoản khác, nên bot không nhận. Nếu đó là bạn, gõ /lienket "
    "ở ứng dụng bạn đã dùng để lấy mã, rồi gửi mã đó ở đây. Đã báo cho {name} và tổ trưởng."
)
JOIN_NAME_NEEDS_INVITE = (
    "Tên {name} có vai trò {role} trong danh sách, nên cần mã mời dành cho {role} "
    "(xin cán bộ xã). Bot chưa ghi nhận bạn; đã báo tổ trưởng."
)
JOIN_LINKED_ELSEWHERE = (
    "Nếu bạn đã tham gia trên ứng dụng khác, đừng chọn tên: gõ /lienket ở ứng dụng đó "
    "để lấy mã, rồi gửi mã ở đây."
)
PERSON_CLAIM_ATTEMPT = (
    "⚠️ Có người ({display}, trên {app}) vừa nhận là {name} khi tham gia {team}. Bot đã từ chối. "
    "Nếu đó là bạn, gõ /lienket ở đây để lấy mã rồi gửi mã ở ứng dụng kia. "
    "Nếu không phải bạn, hãy báo tổ trưởng."
)
LEADER_NAME_CLAIMED_TWICE = (
    "⚠️ Có người ({display}, trên {app}) nhận là {name} trong {team}, nhưng tên này đã gắn "
    "với một tài khoản khác. Bot đã từ chối. Vui lòng kiểm tra."
)
LEADER_ROLE_CLAIM_REFUSED = (
    "⚠️ Có người ({display}, trên {app}) nhận là {name} ({role}) trong {team} bằng mã mời "
    "{invite_role}. Bot đã từ chối. Vui lòng kiểm tra."
)
LEADER_CONFIRM_REQUEST = (
    "👋 {name} xin tham gia {team} (không có trong danh sách). Bấm để xác nhận:"
)
BTN_CONFIRM_MEMBER = "Xác nhận {name}"
CONFIRMED_MEMBER = "Đã xác nhận {name} là thành viên {team}."
CONFIRM_NOT_ALLOWED = "Chỉ tổ trưởng hoặc tổ phó của tổ này mới xác nhận được."
CONFIRM_USAGE = (
    "Bấm nút «Xác nhận» trong tin bot báo có người mới, hoặc gõ /xacnhan kèm số trong tin đó, "
    "ví dụ: /xacnhan 37"
)
CONFIRMED_YOU = (
    "✅ Bạn đã được xác nhận là thành viên {team}. Báo cáo ngay, ví dụ: /bc vneid 5 ho 8"
)
APP_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "web": "web chat"}
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
LINK_DONE_COMMUNE = (
    "✅ Đã kết nối nhóm này với {unit}. Bảng xếp hạng các thôn sẽ được đăng ở đây mỗi tuần; "
    "cán bộ gõ /baocao để xem tổng hợp."
)
LINK_ALREADY = "Nhóm này đã kết nối với {unit} rồi."
LINK_TAKEN = "Nhóm này đang kết nối với {unit}. Chỉ người phụ trách {unit} mới đổi được kết nối."
LINK_UNIT_UNKNOWN = (
    "Không có đơn vị mã {code} trong phạm vi bạn phụ trách. "
    "Gõ /ketnoi (không kèm mã) để kết nối với đơn vị của bạn."
)
BTN_LINK_MOVE = "Chuyển sang {unit}"

# Reporting
REPORT_WHICH_HAMLET = "Bạn ghi nhận cho thôn nào?"
REPORT_ASK_DATE = "Ghi nhận cho ngày nào? Chọn bên dưới hoặc gõ ngày dạng dd/mm."
REPORT_MENU = "Ngày {day} — {team}\n{tally}\nChọn chỉ tiêu để nhập số, hoặc bấm «Xong»."
REPORT_MENU_HINT = (
    "Chưa hiểu «{text}». Chọn một mục bên dưới (bấm nút hoặc gõ số), "
    "hoặc gõ tên chỉ tiêu kèm số, ví dụ: vneid 5"
)
REPORT_TALLY_EMPTY = "(chưa nhập số nào)"
REPORT_ASK_COUNT = "{name}: nhập số lượng (0–{max})."
REPORT_ASK_NOTE = (
    "Gõ ghi chú ngắn hoặc gửi ảnh. Gõ «bỏ qua» nếu không có. (Số CCCD, số điện thoại sẽ được che.)"
)
REPORT_NOTHING = "Chưa có số liệu nào. Hãy chọn một chỉ tiêu và nhập số."
REPORT_CONFIRM = "Xác nhận ghi nhận ngày {day}:\n{tally}{note}\nLưu báo cáo này?"
REPORT_SAVED = "✅ Đã ghi nhận ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_EDITED = "✏️ Đã sửa báo cáo ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_EARLIER_WEEK = "\n(Ngày {day} thuộc tuần {week} nên không cộng vào tổng tuần này.)"
REPORT_NOT_A_NUMBER = "Vui lòng nhập một số, ví dụ: 5"
REPORT_BC_EMPTY = "Gõ kết quả sau /bc, ví dụ: /bc vneid 5 dvc 3 ho 8 (thêm «hôm qua» hoặc dd/mm nếu không phải hôm nay)."
REPORT_NO_TEAM = "Bạn chưa thuộc tổ thôn nào nên chưa ghi nhận được. Gửi mã mời: /thamgia MÃ"
REPORT_PENDING = (
    "Tổ trưởng {team} chưa xác nhận bạn nên chưa ghi nhận được. "
    "Khi được xác nhận, bot sẽ nhắn để bạn báo cáo ngay."
)
REPORT_OFFICIAL = "Cán bộ xã không báo cáo số liệu của thôn. Gõ /baocao để xem tổng hợp, /huongdan để xem các lệnh."
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
    "• Dùng cả Telegram và Zalo: /lienket\n"
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
PARSE_ALL_ZERO = (
    "Báo cáo toàn số 0 nên chưa ghi nhận. Gõ những chỉ tiêu đã làm được, ví dụ: /bc vneid 5 ho 8"
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
PERIOD_NOT_BEGUN = (
    "Kỳ {period} chưa bắt đầu nên chưa có số liệu. Gõ «tuan» hoặc «thang» để xem kỳ hiện tại, "
    "ví dụ: /baocao thang"
)
PARSE_RANGE_ORDER = "Ngày bắt đầu phải trước ngày kết thúc, ví dụ: 01/11-15/11"

# --- web chat demo ---
DEMO_GROUP_TITLE = "Nhóm Tổ CNSCĐ {unit}"
WEBCHAT_PUBLIC_REFUSED = (
    "trang chat web không có đăng nhập nên chỉ chạy trên máy này (--host 127.0.0.1). "
    "Địa chỉ {host} cho máy khác truy cập; nếu chắc chắn, thêm --allow-public."
)
DEMO_RESET_REFUSED = (
    "cơ sở dữ liệu này có người dùng Telegram/Zalo thật; --reset sẽ xóa hết. "
    "Hãy chạy bản thử với DATABASE_URL khác, ví dụ: DATABASE_URL=sqlite+aiosqlite:///data/demo.db"
)
DEMO_NOT_SEEDED = (
    "Cơ sở dữ liệu đã có dữ liệu nên không thêm dữ liệu mẫu. "
    "Dùng --reset (xóa hết) hoặc một DATABASE_URL khác để xem bản thử."
)

# --- zalo and account linking ---
FILE_LINK = "📎 Tải tệp {filename} tại: {url}\n(Liên kết có hiệu lực trong {hours} giờ.)"
LINK_ACCOUNTS_CODE = (
    "🔗 Mã liên kết của bạn: {code} (dùng được trong {minutes} phút).\n"
    "Mở bot trên ứng dụng còn lại (Zalo hoặc Telegram) và gửi: /lienket {code}\n"
    "Sau đó hai tài khoản là một người, báo cáo từ hai ứng dụng được cộng chung."
)
LINK_ACCOUNTS_NO_PERSON = (
    "Bạn chưa tham gia tổ nào ở ứng dụng này. Gõ /lienket ở ứng dụng bạn đã tham gia tổ "
    "để lấy mã, rồi gửi mã đó ở đây: /lienket MÃ"
)
LINK_ACCOUNTS_PRIVATE_ONLY = (
    "Vì an toàn, mã liên kết chỉ dùng khi nhắn riêng với bot. Hãy nhắn riêng cho bot: /lienket"
)
LINK_ACCOUNTS_UNKNOWN = "Mã liên kết {code} không đúng. Kiểm tra lại và gửi: /lienket MÃ"
LINK_ACCOUNTS_EXPIRED = "Mã liên kết {code} đã hết hạn. Gõ /lienket ở ứng dụng kia để lấy mã mới."
LINK_ACCOUNTS_SAME_PLATFORM = (
    "Không liên kết được: mỗi người chỉ có một tài khoản trên mỗi ứng dụng, "
    "mà cả hai bên đều đã có tài khoản trên cùng một ứng dụng. Nếu cần gộp, hãy báo tổ trưởng."
)
LINK_ACCOUNTS_ALREADY = "Tài khoản này đã được liên kết với {name} rồi, không cần làm gì thêm."
LINK_ACCOUNTS_DONE = (
    "✅ Đã liên kết tài khoản này với {name}. "
    "Từ nay báo cáo gửi từ cả hai ứng dụng được cộng chung."
)
LINK_ACCOUNTS_REFUSED_NOTICE = (
    "⚠️ Có người ({display}, trên {app}) vừa dùng mã liên kết của {name} nhưng bị từ chối. "
    "Nếu bạn không đưa mã cho ai, hãy báo tổ trưởng."
)
LINK_ACCOUNTS_NOTICE = (
    "🔗 Một tài khoản ở ứng dụng khác vừa được liên kết với {name}. "
    "Nếu không phải bạn làm, hãy báo ngay tổ trưởng."
)

# --- reports and targets (/baocao, /chitieu, /tiendo, /bangxephang) ---
COUNTRY_NAME = "Toàn quốc"
TARGET_FILE_UNREADABLE = "Không đọc được tệp {file}: cần tệp .xlsx hoặc .csv."
TARGET_FILE_NO_HEADER = (
    "Tệp này không phải bảng chỉ tiêu: dòng đầu cần các cột Mã đơn vị, Chỉ tiêu, Kỳ, Bắt đầu, "
    "Giá trị. Chưa nhập gì."
)
TARGET_ROW_MISSING = "thiếu {column}"
TARGET_ROW_UNIT = "không có đơn vị mã «{code}»"
TARGET_ROW_INDICATOR = "không có chỉ tiêu mã «{code}»"
TARGET_ROW_KIND = "kỳ «{kind}» không rõ: dùng thang, quy hoặc nam"
TARGET_ROW_START = "kỳ bắt đầu «{start}» không hợp lệ: dùng {example}"
TARGET_ROW_VALUE = "giá trị «{value}» phải là số nguyên từ 0 đến {max}"
# who may see what
FIGURES_NO_UNIT = (
    "Bạn chưa thuộc thôn hay xã nào (hoặc tổ trưởng chưa xác nhận) nên chưa xem được số liệu. "
    "Gửi mã mời: /thamgia MÃ"
)
FIGURES_UNIT_UNKNOWN = "Không có đơn vị mã {code}. Kiểm tra lại mã, ví dụ: /{command} {example}"
FIGURES_NOT_YOURS = "Bạn không xem được số liệu của {unit}. Bạn xem được: {mine}."
FIGURES_NOT_YOURS_ANY = "Bạn không xem được số liệu của {unit}, chỉ của thôn, xã mình."
FIGURES_GROUP_NOT_LINKED = (
    "Nhóm này chưa kết nối với thôn hay xã nào. Tổ trưởng gõ /ketnoi để kết nối, "
    "hoặc nhắn riêng cho bot để xem số liệu."
)
FIGURES_GROUP_OTHER_UNIT = (
    "Trong nhóm này chỉ xem được số liệu của {unit}. Nhắn riêng cho bot để xem đơn vị khác."
)
FIGURES_NAME_A_UNIT = (
    "Gõ kèm mã đơn vị, ví dụ: /{command} {example} (hoặc /{command} / cho toàn quốc)."
)
FIGURES_WHICH_UNIT = "Bạn phụ trách nhiều nơi. Xem đơn vị nào?"
# /baocao
BTN_EXCEL = "📥 Tải Excel"
BTN_CHART = "📊 Xem biểu đồ"
REPORT_EXCEL_CAPTION = "📥 Báo cáo {unit} — {period}"
REPORT_CHART_CAPTION = "📊 {unit} — {period}"
REPORT_EXCEL_OFFICIALS_ONLY = (
    "Tệp Excel có chi tiết từng người nên chỉ gửi cho cán bộ xã. Gõ /baocao để xem tổng hợp."
)
REPORT_EXCEL_SENT_PRIVATELY = (
    "📩 Tệp Excel có chi tiết từng người nên đã gửi vào tin nhắn riêng của bạn với bot, "
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
# /chitieu
TARGETS_HEADER = "🎯 Chỉ tiêu {unit}"
TARGETS_PERIOD = "{period}:"
TARGETS_LINE = "• {name} {count}/{target} {bar}"
TARGETS_FROM_PARTS = "(tổng các {level})"
TARGETS_NONE = "Chưa có chỉ tiêu cho tháng, quý hay năm nay."
TARGETS_HOW = (
    "Đặt chỉ tiêu: /chitieu vneid 500 thang (hoặc quy, nam; thêm tên hay mã thôn ở cuối "
    "để đặt cho một thôn).\nChia cho các thôn: /chitieu chia vneid thang deu "
    "(hoặc thanhvien: theo số thành viên)."
)
TARGET_SET = "✅ Đã đặt chỉ tiêu {name} {period} cho {unit}: {value}."
TARGET_REMOVED = "Đã xóa chỉ tiêu {name} {period} của {unit}."
TARGET_OFFICIALS_ONLY = (
    "Chỉ cán bộ xã mới đặt được chỉ tiêu. Gõ /chitieu để xem chỉ tiêu, /tiendo để xem tiến độ."
)
TARGET_USAGE = (
    "Gõ theo mẫu: /chitieu vneid 500 thang (kỳ: thang, quy hoặc nam; thêm tên hay mã thôn "
    "ở cuối nếu đặt cho một thôn, ví dụ: /chitieu vneid 120 thang Ấp Tân Hòa)."
)
TARGET_UNKNOWN_INDICATOR = (
    "Không rõ chỉ tiêu «{word}». Dùng một trong: {codes}. Ví dụ: /chitieu vneid 500 thang"
)
TARGET_BAD_VALUE = (
    "Chỉ tiêu phải là số nguyên từ 0 đến {max} (0 để xóa), ví dụ: /chitieu vneid 500 thang"
)
TARGET_NO_KIND = "Cho biết kỳ sau con số: thang, quy hoặc nam, ví dụ: /chitieu vneid 500 thang"
TARGET_BAD_START = "Kỳ «{value}» không hợp lệ: dùng {example}."
TARGET_PLACE_UNKNOWN = (
    "Không tìm thấy thôn «{place}» trong {unit}. Gõ đúng tên hoặc mã thôn, ví dụ: "
    "/chitieu vneid 120 thang {example}"
)
TARGET_WHICH_UNIT = "Bạn phụ trách nhiều đơn vị. Thêm mã đơn vị ở cuối, ví dụ: {example}"
SPLIT_USAGE = (
    "Gõ theo mẫu: /chitieu chia vneid thang deu (chia đều) "
    "hoặc /chitieu chia vneid thang thanhvien (theo số thành viên)."
)
SPLIT_HOW = "Chia chỉ tiêu {name} {period} của {unit} cho các thôn thế nào?"
BTN_SPLIT_EVEN = "Chia đều"
BTN_SPLIT_MEMBERS = "Theo số thành viên"
SPLIT_NEEDS_COMMUNE = (
    "Chỉ chia được chỉ tiêu của một xã cho các thôn của xã đó. Thêm mã xã ở cuối, "
    "ví dụ: /chitieu chia vneid thang deu 28468"
)
SPLIT_NO_WHOLE = (
    "{unit} chưa có chỉ tiêu {name} {period} để chia. Đặt trước, ví dụ: /chitieu {code} 500 {kind}"
)
SPLIT_NO_HAMLETS = "{unit} chưa có thôn nào để chia chỉ tiêu."
SPLIT_DONE = "✅ Đã chia chỉ tiêu {name} {period} của {unit} ({value}) cho {n} thôn, {how}:"
SPLIT_EVEN_WORD = "chia đều"
SPLIT_MEMBERS_WORD = "theo số thành viên"
SPLIT_LINE = "• {unit}: {value}"
# /bangxephang
BOARD_NEEDS_COMMUNE = (
    "Bảng xếp hạng so các thôn trong một xã. Gõ kèm mã xã, ví dụ: /bangxephang tuan 28468"
)
# the image's caption is BOARD_CAPTION, shared with the weekly leaderboard job

# --- scheduler: reminders, leaderboards, monthly summaries, /caidat ---
REMIND_MEMBER = (
    "👋 Chào {name}! Tuần này ({week}) bạn chưa gửi báo cáo nào. "
    "Chỉ cần gửi một dòng, ví dụ:\n/bc vneid 5 dvc 3 ho 8\n"
    "(hoặc gõ /ghinhan để nhập từng bước). Cảm ơn bạn đã đồng hành! 💪"
)
REMIND_LEADER = (
    "📋 {team}: {n} thành viên chưa báo cáo tuần này ({week}):\n{names}\nNhờ bạn nhắc giúp nhé!"
)
REMIND_LEADER_LINE = "• {name}"
REMIND_LEADER_NO_BOT = "• {name} (không nhận được tin nhắn của bot, hãy nhắc trực tiếp)"
REMIND_GROUP = (
    "📣 Tuần này ({week}) {hamlet} chưa có báo cáo nào. Ai đã đi hỗ trợ người dân thì gửi ngay "
    "một dòng trong nhóm, ví dụ: /bc vneid 5 dvc 3 ho 8"
)
BOARD_CAPTION = "🏆 Bảng xếp hạng {unit} · {period}"
BOARD_HAMLET = (
    "🏆 Xếp hạng {period}: {hamlet} đứng thứ {rank}/{total} trong {commune} ({score}{change})."
)
BOARD_HAMLET_UNRANKED = (
    "🏆 Xếp hạng {period}: {hamlet} chưa có báo cáo nên chưa được xếp hạng trong {commune} "
    "({ranked} thôn đã báo cáo). Tuần này cùng cố gắng nhé! Gửi nhanh: /bc vneid 5 dvc 3 ho 8"
)
BOARD_HAMLET_TOTALS = "Kết quả của thôn: {tally}"
BOARD_HAMLET_REPORTERS = "Thành viên đã báo cáo: {reporters}/{members}"
MONTHLY_FILE_CAPTION = "📎 Tệp Excel: báo cáo {period} – {unit}"

SETTINGS_TITLE = "⚙️ Tin nhắn tự động của {unit}"
SETTINGS_REMINDER = "• Nhắc báo cáo: {when} ({state})"
SETTINGS_LEADERBOARD = "• Bảng xếp hạng tuần: {when} ({state})"
SETTINGS_MONTHLY = "• Tổng hợp tháng cho cán bộ: {when} ({state})"
SETTINGS_QUIET = "• Giờ yên lặng, không gửi tin tự động: {quiet}"
SETTINGS_QUIET_NONE = "không có"
SETTINGS_ON = "đang bật"
SETTINGS_OFF = "đang tắt"
SETTINGS_WEEKLY_WHEN = "{day} lúc {time}"
SETTINGS_MONTHLY_WHEN = "ngày {day} hằng tháng lúc {time}"
SETTINGS_HOW = (
    "Đổi lịch, ví dụ:\n/caidat nhacnho thu7 08:00\n/caidat bangxephang thu2 07:00\n"
    "/caidat tonghop ngay1 07:30\n/caidat yenlang 21:00-06:30\n"
    "Tắt hoặc bật: /caidat nhacnho tat, /caidat nhacnho bat"
)
SETTINGS_SAVED = "✅ Đã lưu."
SETTINGS_NOT_ALLOWED = "Chỉ cán bộ xã mới xem và đổi được lịch tin nhắn tự động."
SETTINGS_BAD_JOB = (
    "Không hiểu «{value}». Gõ nhacnho, bangxephang, tonghop hoặc yenlang, "
    "ví dụ: /caidat nhacnho thu7 08:00"
)
SETTINGS_BAD_WEEKLY = (
    "Gõ thứ và giờ, ví dụ: /caidat {job} {example} (thu2…thu7 hoặc cn; giờ dạng 08:00), "
    "hoặc /caidat {job} tat để tắt."
)
SETTINGS_BAD_MONTHLY = (
    "Gõ ngày (1–28) và giờ, ví dụ: /caidat tonghop ngay1 07:30, hoặc /caidat tonghop tat để tắt."
)
SETTINGS_BAD_QUIET = (
    "Gõ giờ bắt đầu và giờ kết thúc, ví dụ: /caidat yenlang 21:00-06:30, "
    "hoặc /caidat yenlang tat để bỏ giờ yên lặng."
)
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# What officials type after /caidat (compared without diacritics, case or spaces)
SETTINGS_JOB_WORDS = {
    "nhacnho": "reminder",
    "bangxephang": "leaderboard",
    "xephang": "leaderboard",
    "bxh": "leaderboard",
    "tonghop": "monthly",
    "yenlang": "quiet",
    "gioyenlang": "quiet",
}
SETTINGS_JOB_EXAMPLES = {
    "reminder": ("nhacnho", "thu7 08:00"),
    "leaderboard": ("bangxephang", "thu2 07:00"),
}
SETTINGS_OFF_WORDS = ("tat", "off")
SETTINGS_ON_WORDS = ("bat", "mo", "on")
WEEKDAY_WORDS = {
    **{f"thu{n}": n - 2 for n in range(2, 8)},
    **{f"t{n}": n - 2 for n in range(2, 8)},
    "cn": 6,
    "chunhat": 6,
}

# --- issue #25 (to move into bot/texts/<domain>.py) ---
FORWARDED_NOT_REPORT = (
    "Tin chuyển tiếp không được tính là báo cáo. "
    "Người làm việc tự gửi báo cáo của mình, ví dụ: /bc vneid 5 dvc 3"
)
BOT_ADDED_TO_GROUP = (
    "Chào cả nhóm! Tổ trưởng hoặc cán bộ xã gõ /ketnoi để kết nối nhóm này với thôn hoặc xã "
    "của mình. Sau đó mọi người gõ /thamgia để tham gia, /huongdan để xem cách báo cáo."
)
ANONYMOUS_SENDER = (
    "Lệnh này cần tài khoản cá nhân. Bạn đang gửi ẩn danh (với tư cách nhóm hoặc kênh): "
    "tắt «Ẩn danh» trong quyền quản trị của mình rồi gõ lại lệnh."
)
ONLY_TEXT_AND_PHOTOS = (
    "Bot chỉ đọc được chữ và ảnh. Hãy gõ tin nhắn, ví dụ: /bc vneid 5 dvc 3, "
    "hoặc /huongdan để xem hướng dẫn."
)
