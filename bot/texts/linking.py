"""Linking a group chat to a place (/ketnoi) and one person's accounts on two apps (/lienket)."""

LINK_GROUP_ONLY = (
    "Lệnh /ketnoi dùng trong nhóm chat của ấp, thôn hoặc xã. Hãy thêm bot vào nhóm rồi gõ /ketnoi."
)
LINK_NOT_ALLOWED = "Chỉ tổ trưởng, tổ phó hoặc cán bộ xã mới kết nối được nhóm."
LINK_WHICH = "{you} phụ trách nhiều nơi. Kết nối nhóm này với đơn vị nào?"
LINK_DONE = (
    "✅ Đã kết nối nhóm này với {unit}. Thành viên gõ /thamgia để tham gia, /bc để báo cáo nhanh."
)
LINK_DONE_COMMUNE = (
    "✅ Đã kết nối nhóm này với {unit}. Bảng xếp hạng các {kind} sẽ được đăng ở đây mỗi tuần; "
    "cán bộ gõ /baocao để xem tổng hợp."
)
LINK_ALREADY = "Nhóm này đã kết nối với {unit} rồi."
LINK_TAKEN = "Nhóm này đang kết nối với {unit}. Chỉ người phụ trách {unit} mới đổi được kết nối."
LINK_UNIT_UNKNOWN = (
    "Không có đơn vị mã {code} trong phạm vi {you} phụ trách. "
    "Gõ /ketnoi (không kèm mã) để kết nối với đơn vị của {you}."
)
BTN_LINK_MOVE = "Chuyển sang {unit}"

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
