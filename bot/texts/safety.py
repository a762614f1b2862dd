"""What the bot says when it protects itself: the web chat's password, a flood of messages."""

WEBCHAT_NEEDS_PASSWORD = (
    "trang chat web đang bật cùng mã bot Telegram/Zalo thật nhưng chưa có mật khẩu: ai vào được "
    "trang cũng nói thay được mọi người. Đặt WEBCHAT_PASSWORD (mật khẩu chung cho người vận hành) "
    "hoặc tắt trang (WEBCHAT_ENABLED=false)."
)
WEBCHAT_REALM = "To Cong Nghe web chat"  # shown by the browser's login box (ASCII only)
FLOOD_NOTICE = (
    "Bạn gửi nhiều tin quá nhanh, bot tạm chưa đọc tin của bạn. "
    "Khoảng {minutes} phút nữa gửi lại giúp mình nhé."
)
DAILY_CAP_ASK = (
    "Hôm nay bạn đã báo tổng cộng {total} lượt, nhiều hơn mức {cap} lượt một ngày. "
    "Kiểm tra lại giúp mình trước khi lưu."
)
