"""/huongdan and the command menu."""

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
