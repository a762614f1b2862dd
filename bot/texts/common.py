"""Words every part of the chat shares: buttons, numbered choices, errors, names of roles and apps."""

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
    "Trong nhóm Zalo/Telegram của ấp, thôn đã kết nối, chỉ cần gõ /thamgia."
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

APP_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "web": "web chat"}
ROLE_NAMES = {
    "thanhvien": "thành viên",
    "topho": "tổ phó",
    "totruong": "tổ trưởng",
    "canbo": "cán bộ",
}
COUNTRY_NAME = "Toàn quốc"
YOU_MEMBER = "bạn"  # how the bot addresses a member (bot.address)
YOU_RESPECTFUL = "anh/chị"  # a leader, deputy or official

FILE_LINK = "📎 Tải tệp {filename} tại: {url}\n(Liên kết có hiệu lực trong {hours} giờ.)"
NUMBERED_OR = "{first} hoặc {last}"
NUMBERED_ANY = "một số từ 1 đến {count}"
APP_TITLE = "Tổ Công Nghệ bot"
TEAM_NAME = "Tổ CNSCĐ {unit}"
DEFAULT_UNIT_LABEL = "lượt"  # what an indicator counts when its catalogue entry does not say

# --- periods (labels are lower case: "tuần 17/11–23/11/2026"; `capital` starts a line with one)
DAY_LABEL = "ngày {day}"
WEEK_LABEL = "tuần {span}"
MONTH_LABEL = "tháng {month}/{year}"
QUARTER_LABEL = "quý {quarter}/{year}"
YEAR_LABEL = "năm {year}"
PERIOD_WORDS = ("tuần", "tháng", "quý", "năm")  # a label's first word, as "top people this ..."
LEVEL_WORDS = {"hamlet": "thôn", "commune": "xã", "district": "huyện", "province": "tỉnh"}

ONLY_TEXT_AND_PHOTOS = (
    "Bot chỉ đọc được chữ và ảnh. Hãy gõ tin nhắn, ví dụ: /bc vneid 5 dvc 3, "
    "hoặc /huongdan để xem hướng dẫn."
)


def number(n: float) -> str:
    """Thousands with a dot, as Vietnamese write them: 1234 -> "1.234" (a float is rounded)."""
    return f"{round(n):,}".replace(",", ".")


def short_label(indicator) -> str:
    """An indicator's first alias ("VNeID"), as replies show it; its code when there is none."""
    return indicator.aliases.split("|")[0].strip() or indicator.code


def capital(text: str) -> str:
    """ "tuần 17/11–23/11/2026" -> "Tuần 17/11–23/11/2026" (only the first letter changes)."""
    return text[:1].upper() + text[1:]


def shorten(text: str, limit: int) -> str:
    """A long name cut with an ellipsis, to keep it on one line."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
