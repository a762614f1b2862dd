"""Scheduled messages (reminders, weekly leaderboards, monthly summaries) and /caidat."""

REMIND_MEMBER = (
    "👋 Chào {name}! Tuần này ({week}) bạn chưa gửi báo cáo nào. "
    "Chỉ cần gửi một dòng, ví dụ:\n/bc vneid 5 dvc 3 ho 8\n"
    "(hoặc gõ /ghinhan để nhập từng bước). Cảm ơn bạn đã đồng hành! 💪"
)
REMIND_LEADER = (
    "📋 {team}: {n} thành viên chưa báo cáo tuần này ({week}):\n{names}\nNhờ {you} nhắc giúp nhé!"
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
    "({ranked} {kind} đã báo cáo). Tuần này cùng cố gắng nhé! Gửi nhanh: /bc vneid 5 dvc 3 ho 8"
)
BOARD_HAMLET_TOTALS = "Kết quả của {kind}: {tally}"
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
