"""Safe /huy and /sua, doubts before storing, corrections by leaders and officials, and /nhatky."""

# --- /huy and /sua ---
RETRACT_ASK = (
    "Hủy báo cáo ngày {day} (gửi lúc {sent}): {tally}?\n"
    "Báo cáo vẫn được lưu vết nhưng không tính vào tổng."
)
BTN_RETRACT = "↩️ Hủy báo cáo này"
BTN_KEEP = "Giữ lại"
RETRACT_KEPT = "Đã giữ nguyên báo cáo, không hủy gì."
RETRACT_GONE = "Báo cáo này đã được hủy hoặc sửa trước đó nên không hủy nữa. Gõ /nhatky để xem."
EDIT_NONE_ON_DAY = (
    "Không có báo cáo ngày {day} nào gửi trong {hours} giờ qua để sửa. "
    "Gõ /sua để sửa báo cáo gần nhất."
)
EDIT_DAY_UNKNOWN = (
    "Không hiểu ngày «{value}». Gõ ngày của báo cáo cần sửa, ví dụ: /sua hôm qua hoặc /sua 02/12"
)

# --- asked before a report is stored ---
DOUBT_SAME = "Bạn vừa gửi đúng báo cáo này ({tally}, ngày {day}) trong {minutes} phút qua."
DOUBT_SAME_ASK = "Gửi thêm lần nữa?"
DOUBT_UNUSUAL = "⚠️ Số cao hơn nhiều so với thường lệ của bạn: {items}."
DOUBT_UNUSUAL_ITEM = "{label} {count} (thường tới {usual})"
DOUBT_UNUSUAL_FIRST = "{label} {count} (chưa có báo cáo trước)"
DOUBT_UNUSUAL_ASK = "Số này đúng chứ? Nếu nhầm, bấm «Hủy» rồi gửi lại."

# --- corrections by leaders and officials (/dieuchinh) ---
CORRECT_PRIVATE_ONLY = "Lệnh /{name} có tên thành viên nên chỉ dùng trong tin nhắn riêng với bot."
CORRECT_NOT_ALLOWED = (
    "Chỉ tổ trưởng, tổ phó và cán bộ phụ trách mới điều chỉnh được báo cáo của thành viên. "
    "Tự sửa báo cáo của mình: /sua, tự hủy: /huy."
)
CORRECT_NONE = "Không có báo cáo nào của thành viên trong {days} ngày qua để điều chỉnh."
CORRECT_PICK = "Chọn báo cáo cần điều chỉnh (mới nhất trước):"
CORRECT_ITEM = "{day} {name} ({unit}): {tally}"
CORRECT_WHAT = "Báo cáo ngày {day} của {name} ({unit}):\n{tally}{note}\nHủy hay sửa số liệu?"
BTN_CORRECT_RETRACT = "↩️ Hủy báo cáo"
BTN_CORRECT_EDIT = "✏️ Sửa số liệu"
CORRECT_ASK_LINE = (
    "Gõ số liệu đúng cho ngày {day}, thay cho toàn bộ báo cáo cũ, ví dụ: vneid 5 dvc 3 ho 8"
)
CORRECT_CONFIRM = "Sửa báo cáo ngày {day} của {name}:\nTrước: {before}\nSau: {after}\nLưu?"
CORRECT_UNCLEAR = (
    "Chưa rõ số {value} là chỉ tiêu nào. Gõ tên chỉ tiêu ngay trước số, ví dụ: vneid 5"
)
CORRECT_RETRACTED = "↩️ Đã hủy báo cáo ngày {day} của {name}: {tally}. {name} đã được báo."
CORRECT_EDITED = "✏️ Đã sửa báo cáo ngày {day} của {name}: {before} → {after}. {name} đã được báo."
CORRECT_GONE = "Báo cáo này vừa được hủy hoặc sửa nên không điều chỉnh nữa. Gõ /nhatky để xem."
NOTICE_RETRACTED = (
    "ℹ️ {actor} ({role}) đã hủy báo cáo ngày {day} của bạn: {tally}. "
    "Nếu chưa đúng, hãy trao đổi với {actor} hoặc gửi lại: /bc"
)
NOTICE_EDITED = (
    "ℹ️ {actor} ({role}) đã sửa báo cáo ngày {day} của bạn: {before} → {after}. "
    "Nếu chưa đúng, hãy trao đổi với {actor}."
)

# --- /nhatky ---
LOG_TITLE = "📒 Thay đổi báo cáo gần đây ({scope}):"
LOG_SCOPE_OWN = "báo cáo của bạn"
LOG_NONE = "Chưa có báo cáo nào bị hủy hay sửa ({scope})."
LOG_RETRACT = "{when} {actor} hủy báo cáo ngày {day}{owner}: {before}"
LOG_EDIT = "{when} {actor} sửa báo cáo ngày {day}{owner}: {before} → {after}"
LOG_OWNER = " của {name}"
