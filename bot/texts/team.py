"""Running a team from chat: /chuabaocao, /thanhvien, /ghichu and /moi."""

# Who may use them
TEAM_LEADERS_ONLY = (
    "Lệnh /{command} dành cho tổ trưởng, tổ phó và cán bộ xã. "
    "Kết quả của bạn: /toi; số liệu của tổ: /baocao."
)
TEAM_PRIVATE_ONLY = "Lệnh /{command} chỉ dùng khi nhắn riêng với bot."
TEAM_NOT_YOURS = "{you} chỉ xem được {mine}, không xem được {unit}."
TEAM_GROUP_NOT_YOURS = "Nhóm này thuộc {unit}, {you} không phụ trách nơi này."
TEAM_NO_MEMBERS = "{unit} chưa có thành viên nào trong danh sách."

# /chuabaocao
MISSING_HEADER = "📋 {unit} — {period}"
MISSING_ALL_DONE = "✅ Cả {total} thành viên đã báo cáo. Cảm ơn cả tổ!"
MISSING_COUNT = "Chưa báo cáo: {missing}/{total} thành viên."
MISSING_HAMLET = "{hamlet}: {missing}/{total}"
MISSING_HAMLET_DONE = "Đã đủ: {hamlets}"
MISSING_NAME = "• {name}"
MISSING_NAME_NO_BOT = "• {name} (chưa dùng bot, hãy nhắc trực tiếp)"
MISSING_GROUP_CHEER = "Ai đã đi hỗ trợ người dân thì gửi ngay một dòng, ví dụ: /bc vneid 5"
BTN_NUDGE = "🔔 Nhắc họ"
NUDGE_COMMAND = "nhac"  # after /chuabaocao: remind them now
NUDGE_WORDS = {"nhac"}  # compared folded: "nhắc" too
NUDGE_MEMBER = (
    "👋 Chào {name}! {period} bạn chưa gửi báo cáo nào. Chỉ cần gửi một dòng, ví dụ:\n"
    "/bc vneid 5 dvc 3 ho 8\n(hoặc gõ /ghinhan để nhập từng bước). Cảm ơn bạn đã đồng hành! 💪"
)
NUDGE_SENT = "🔔 Đã nhắc riêng {n} người."
NUDGE_ALREADY = "{n} người đã được nhắc hôm nay, mai mới nhắc lại được."
NUDGE_UNREACHABLE = "{n} người chưa dùng bot, hãy nhắc trực tiếp."
NUDGE_NOBODY = "Không còn ai cần nhắc: mọi người đã báo cáo."
NUDGE_ONLY_NOW = "Chỉ nhắc được cho kỳ đang diễn ra."

# /thanhvien
MEMBERS_HEADER = "👥 {unit} — {period}"
MEMBERS_HAMLET = "\n{hamlet} ({count} người)"
MEMBERS_LINE = "• {name}{role}: {counts} · báo cáo gần nhất {last}"
MEMBERS_ROLE = " ({role})"
MEMBERS_NOTHING = "chưa có"
MEMBERS_NEVER = "chưa có"

# /ghichu and the button on /baocao
BTN_NOTES = "📝 Xem ghi chú & ảnh"
NOTES_HEADER = "📝 Ghi chú & ảnh — {unit} — {period}"
NOTES_NONE = "Chưa có ghi chú hay ảnh nào trong kỳ này."
NOTES_HAMLET = "\n{hamlet}"
NOTES_LINE = "• {day} {name}: {note}"
NOTES_PHOTO_LINK = "📷 {link}"
NOTES_PHOTO_HELD = "📷 ảnh gửi qua {app}"
NOTES_NO_TEXT = "(chỉ có ảnh)"

# /moi
INVITE_WHICH_UNIT = "Mời vào đơn vị nào?"
INVITE_ROLE_UNKNOWN = (
    "Không hiểu «{word}». Gõ ví dụ: /moi thanhvien 5 "
    "(vai trò: thanhvien, topho, totruong, canbo; rồi số lượt, rồi mã đơn vị nếu cần)."
)
INVITE_ROLE_NOT_ALLOWED = "Tổ trưởng, tổ phó chỉ mời được thành viên và tổ phó của tổ mình."
INVITE_ROLE_WRONG_LEVEL = "{role} chỉ mời vào {where}. Gõ ví dụ: /moi {example}"
INVITE_WHERE_HAMLET = "tổ của ấp, khóm, thôn"
INVITE_WHERE_OFFICE = "xã, phường trở lên"
INVITE_USES_RANGE = "Số lượt mời từ 1 đến {most}. Gõ ví dụ: /moi thanhvien 5"
INVITE_TOO_MANY_UNITS = (
    "{you} phụ trách nhiều nơi. Gõ kèm mã đơn vị, ví dụ: /moi {role} {uses} {code}"
)
INVITE_CREATED = (
    "🎟️ Mã mời {role} vào {unit}: {code}\n"
    "Dùng được {uses} lần, đến {until}.\n"
    "Người được mời nhắn riêng cho bot: /thamgia {code}"
)
INVITE_LINK = "Trên Telegram chỉ cần bấm: {link}"
INVITE_QR_CAPTION = "Quét mã QR để tham gia {unit} trên Telegram"
INVITE_FILE = "moi-{code}.png"
# Words for roles after /moi, compared folded (no diacritics, case or spaces)
INVITE_ROLE_WORDS = {
    "thanhvien": "thanhvien",
    "tv": "thanhvien",
    "topho": "topho",
    "tp": "topho",
    "totruong": "totruong",
    "tt": "totruong",
    "canbo": "canbo",
    "cb": "canbo",
}
