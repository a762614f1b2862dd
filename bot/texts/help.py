"""/huongdan and the command menu."""

HELP_HEADER = "🤖 Bot Tổ Công Nghệ số cộng đồng"
HELP_MEMBER = (
    "• Báo cáo nhanh: /bc vneid 5 dvc 3 ho 8 (thêm «hôm qua» hoặc 20/11 nếu không phải hôm nay)\n"
    "• Ghi nhận từng bước bằng nút: /ghinhan\n"
    "• Hủy báo cáo vừa gửi: /huy — Sửa: /sua (hoặc /sua hôm qua, /sua 20/11)\n"
    "• Kết quả của tôi: /toi — Tiến độ {kind}: /tiendo — Xếp hạng: /bangxephang\n"
    "• Dùng cả Telegram và Zalo: /lienket\n"
    "• Thông báo: /thongbao — Vướng mắc: /vuongmac app VNeID báo lỗi… — Cách làm: /huongdan vneid\n"
    "Chỉ tiêu: {indicators}"
)
HELP_LEADER = (
    "\nTổ trưởng:\n"
    "• Ai chưa báo cáo: /chuabaocao — Mời thành viên: /moi\n"
    "• Thành viên và kết quả: /thanhvien — Tổng hợp của {kind}: /baocao\n"
    "• Hủy, sửa báo cáo của thành viên: /dieuchinh — Nhật ký hủy, sửa: /nhatky\n"
    "• Kết nối nhóm chat của {kind}: /ketnoi; xác nhận thành viên mới khi bot báo"
)
HELP_OFFICIAL = (
    "\nCán bộ:\n"
    "• Tổng hợp: /baocao [tuần trước | tháng 11 | 02/12 | 01/11-15/11] [tên hoặc mã đơn vị], "
    "kèm Excel và biểu đồ\n"
    "• Chỉ tiêu: /chitieu vneid 500 thang — Lịch nhắc: /caidat\n"
    "• Ai chưa báo cáo: /chuabaocao — Mời tổ trưởng, thành viên: /moi\n"
    "• Thành viên: /thanhvien — Hủy, sửa báo cáo: /dieuchinh — Nhật ký: /nhatky\n"
    "• Xếp hạng: /bangxephang — Kết nối nhóm chat: /ketnoi"
)
HELP_STRANGER = (
    "🤖 Bot Tổ Công Nghệ số cộng đồng giúp tổ báo cáo kết quả hỗ trợ người dân "
    "(VNeID, dịch vụ công, ví điện tử…) ngay trong chat.\n"
    "Để bắt đầu, gửi mã mời do tổ trưởng hoặc cán bộ xã đưa: /thamgia MÃ"
)
# A greeting or a question instead of a report: the short how-to for the sender's role
HOW_TO_MEMBER = (
    "Chào {name}! Để báo cáo, gõ một dòng như: vneid 5 dvc 3 ho 8 (thêm «hôm qua» nếu là hôm "
    "qua), hoặc /ghinhan để chọn từng bước. Xem đầy đủ: /huongdan"
)
HOW_TO_OFFICIAL = (
    "Chào {name}! Xem tổng hợp: /baocao (tuần này) hoặc /baocao thang; chỉ tiêu: /chitieu; "
    "lịch nhắc: /caidat. Xem đầy đủ: /huongdan"
)
MENU_COMMANDS = [  # the Telegram command menu, the most used first
    ("bc", "Báo cáo nhanh: /bc vneid 5 dvc 3 ho 8"),
    ("ghinhan", "Ghi nhận kết quả từng bước"),
    ("toi", "Kết quả của tôi"),
    ("tiendo", "Tiến độ của tổ"),
    ("huy", "Hủy báo cáo vừa gửi"),
    ("sua", "Sửa báo cáo vừa gửi"),
    ("bangxephang", "Bảng xếp hạng trong xã"),
    ("chuabaocao", "Ai chưa báo cáo (tổ trưởng, cán bộ)"),
    ("baocao", "Báo cáo tổng hợp (tổ trưởng, cán bộ)"),
    ("thanhvien", "Thành viên và kết quả (tổ trưởng, cán bộ)"),
    ("ghichu", "Ghi chú và ảnh của tổ (tổ trưởng, cán bộ)"),
    ("viec", "Việc được giao cho tôi"),
    ("giao", "Giao việc cho thành viên (tổ trưởng, cán bộ)"),
    ("dieuchinh", "Hủy, sửa báo cáo của thành viên (tổ trưởng, cán bộ)"),
    ("nhatky", "Nhật ký hủy, sửa báo cáo"),
    ("chitieu", "Chỉ tiêu và tiến độ"),
    ("moi", "Mời thành viên, tổ trưởng (tổ trưởng, cán bộ)"),
    ("thamgia", "Tham gia tổ bằng mã mời"),
    ("ketnoi", "Kết nối nhóm chat với ấp, thôn hoặc xã"),
    ("lienket", "Liên kết tài khoản Telegram và Zalo"),
    ("thongbao", "Thông báo của xã, ấp, thôn"),
    ("vuongmac", "Nêu hoặc xem vướng mắc"),
    ("chiendich", "Chiến dịch (cán bộ)"),
    ("tumoi", "Từ mới trong báo cáo (cán bộ)"),
    ("huongdan", "Hướng dẫn sử dụng"),
]
