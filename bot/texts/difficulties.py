"""Difficulties (/vuongmac) and the how-tos saved from their answers (/huongdan vneid)."""

DIFFICULTY_CATEGORIES = {
    "vneid": "VNeID lỗi",
    "thietbi": "Thiếu thiết bị/mạng",
    "dongy": "Người dân chưa đồng ý",
    "khac": "Khác",
}
# Words (without diacritics) that put a one-line difficulty in a category; the rest is «Khác».
DIFFICULTY_CATEGORY_WORDS = {
    "vneid": ("vneid", "vnid", "dinh danh", "otp", "muc 2", "kich hoat"),
    "thietbi": ("thiet bi", "dien thoai", "mang", "wifi", "4g", "song", "sim"),
    "dongy": ("chua dong y", "khong dong y", "tu choi", "khong muon", "ngai"),
}
DIFFICULTY_ONLY_MEMBERS = (
    "Chỉ thành viên tổ ở thôn/ấp mới nêu được vướng mắc. Xem vướng mắc đang mở: /vuongmac"
)
DIFFICULTY_ASK_CATEGORY = "Vướng mắc thuộc loại nào?"
DIFFICULTY_ASK_TEXT = (
    "Mô tả ngắn vướng mắc ({category}), ví dụ: app VNeID báo lỗi không nhận OTP. "
    "Không cần ghi số CCCD hay số điện thoại của người dân."
)
DIFFICULTY_TEXT_EMPTY = (
    "Gõ vài chữ mô tả vướng mắc, ví dụ: /vuongmac app VNeID báo lỗi không nhận OTP"
)
DIFFICULTY_RAISED = "Đã ghi vướng mắc #{number} ({category}). Tổ trưởng và cán bộ xã đã được báo."
DIFFICULTY_NOTICE = "🆘 Vướng mắc #{number} — {hamlet}\n{name}: [{category}] {text}"
DIFFICULTY_ESCALATED = "⏫ Sau {days} ngày chưa ai trả lời, chuyển lên {unit}:\n"
DIFFICULTY_ESCALATED_MEMBER = (
    "Vướng mắc #{number} của bạn chưa được trả lời sau {days} ngày, bot đã chuyển lên {unit}."
)
BTN_TAKE = "Nhận xử lý"
BTN_RESOLVE = "Đã giải quyết"
BTN_SAVE_HOW_TO = "💡 Lưu làm hướng dẫn"
DIFFICULTY_TAKEN = (
    "Bạn nhận xử lý vướng mắc #{number}. Gõ câu trả lời gửi {name}, hoặc /huy để trả lời sau "
    "(/vuongmac traloi {number} nội dung)."
)
DIFFICULTY_TAKEN_MEMBER = "{handler} đã nhận xử lý vướng mắc #{number} của bạn."
DIFFICULTY_TAKEN_BY = "Vướng mắc #{number} đang do {handler} xử lý."
DIFFICULTY_ANSWER_MEMBER = "💬 {handler} trả lời vướng mắc #{number}:\n{text}"
DIFFICULTY_ANSWER_SENT = "Đã gửi câu trả lời cho {name}. Khi xong, bấm «Đã giải quyết»."
DIFFICULTY_RESOLVED = "Đã đóng vướng mắc #{number}."
DIFFICULTY_RESOLVED_MEMBER = "✅ Vướng mắc #{number} của bạn đã được giải quyết ({handler})."
DIFFICULTY_ALREADY_RESOLVED = "Vướng mắc #{number} đã được giải quyết rồi."
DIFFICULTY_NOT_ALLOWED = "Chỉ tổ trưởng của thôn đó hoặc cán bộ xã mới xử lý được vướng mắc này."
DIFFICULTY_UNKNOWN = "Không có vướng mắc số {number} mà bạn xem được. Xem danh sách: /vuongmac"
DIFFICULTY_ANSWER_USAGE = "Gõ: /vuongmac traloi 12 nội dung trả lời"
DIFFICULTY_LIST_HEADER = "🆘 Vướng mắc chưa giải quyết:"
DIFFICULTY_LIST_LINE = "#{number} {hamlet} · {category} · {state}, {age}: {text}"
DIFFICULTY_LIST_EMPTY = "Không có vướng mắc nào đang mở."
DIFFICULTY_LIST_MORE = "Chi tiết một vướng mắc: /vuongmac 12"
BTN_NEW_DIFFICULTY = "➕ Nêu vướng mắc mới"
DIFFICULTY_STATES = {"open": "chờ xử lý", "taken": "đang xử lý", "resolved": "đã giải quyết"}
DIFFICULTY_EVENTS = {
    "raised": "nêu",
    "taken": "nhận xử lý",
    "answer": "trả lời",
    "escalated": "chuyển lên trên",
    "resolved": "đã giải quyết",
}
DIFFICULTY_DETAIL = "Vướng mắc #{number} — {hamlet} · {category} · {state}\n{text}"
DIFFICULTY_HISTORY_LINE = "{time} {who} {kind}{text}"
DIFFICULTY_BOT = "bot"
AGE_TODAY = "hôm nay"
AGE_DAYS = "{n} ngày"
OPEN_DIFFICULTIES = "🆘 Vướng mắc chưa giải quyết: {n} (lâu nhất {age}): /vuongmac"
DIFFICULTY_TAKE_WORDS = {"nhan"}
DIFFICULTY_RESOLVE_WORDS = {"xong", "giaiquyet"}
DIFFICULTY_ANSWER_WORDS = {"traloi"}
# /huongdan
HOW_TO_SAVE_WORDS = {"luu"}
HOW_TO_SHOW = "💡 Hướng dẫn «{topic}»:\n{text}"
HOW_TO_FOUND = "💡 Đã có hướng dẫn về «{topic}», xem ngay:\n{text}"
HOW_TO_NONE = "Chưa có hướng dẫn về «{topic}». Các chủ đề đã có: {topics}"
HOW_TO_NO_TOPICS = "chưa có"
HOW_TO_SAVED = "Đã lưu hướng dẫn «{topic}»: mọi người xem bằng /huongdan {topic}"
HOW_TO_NO_ANSWER = "Vướng mắc #{number} chưa có câu trả lời để lưu làm hướng dẫn."
HOW_TO_OFFICIALS_ONLY = "Chỉ cán bộ xã mới lưu được hướng dẫn."
HOW_TO_SAVE_USAGE = "Gõ: /huongdan luu 12 [chủ đề], với 12 là số vướng mắc đã giải quyết."
