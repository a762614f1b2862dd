"""Joining a team (/thamgia, /start) and confirming new members (/xacnhan)."""

JOIN_ASK_CODE = (
    "Gửi mã mời của bạn theo mẫu: /thamgia MÃ (mã 6 ký tự do tổ trưởng hoặc cán bộ xã đưa)."
)
JOIN_GROUP_NOT_LINKED = (
    "Nhóm này chưa được kết nối với ấp, thôn nào. Tổ trưởng gõ /ketnoi để kết nối, "
    "hoặc gửi mã mời: /thamgia MÃ"
)
JOIN_GROUP_NOT_HAMLET = (
    "Nhóm này kết nối với {unit}, không phải một ấp, thôn. Hãy dùng mã mời: /thamgia MÃ"
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
JOIN_WELCOME = "Chào mừng {name} tham gia {team} với vai trò {role}! 🎉\n{next}"
WELCOME_NEXT = {  # by role: what to do first
    "thanhvien": "Gõ /ghinhan để ghi nhận kết quả (hoặc /bc vneid 5 ho 8), /huongdan để xem hướng dẫn.",
    "topho": "Gõ /ghinhan để ghi nhận kết quả (hoặc /bc vneid 5 ho 8), /huongdan để xem hướng dẫn.",
    "totruong": (
        "Anh/chị báo cáo bằng /bc vneid 5 ho 8, mời thành viên bằng /moi, xem ai chưa báo cáo "
        "bằng /chuabaocao. Gõ /huongdan để xem các lệnh."
    ),
    "canbo": (
        "Anh/chị xem tổng hợp bằng /baocao, đặt chỉ tiêu bằng /chitieu, mời tổ trưởng bằng /moi. "
        "Gõ /huongdan để xem các lệnh."
    ),
}
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
BOT_ADDED_TO_GROUP = (
    "Chào cả nhóm! Tổ trưởng hoặc cán bộ xã gõ /ketnoi để kết nối nhóm này với ấp, thôn hoặc xã "
    "của mình. Sau đó mọi người gõ /thamgia để tham gia, /huongdan để xem cách báo cáo."
)
ANONYMOUS_SENDER = (
    "Lệnh này cần tài khoản cá nhân. Bạn đang gửi ẩn danh (với tư cách nhóm hoặc kênh): "
    "tắt «Ẩn danh» trong quyền quản trị của mình rồi gõ lại lệnh."
)
