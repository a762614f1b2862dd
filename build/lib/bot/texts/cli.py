"""What the operator reads at the command line: roster import, the demo and the web chat."""

ROSTER_UNREADABLE = "Không đọc được tệp {file}: cần tệp .xlsx hoặc .csv."
ROSTER_NO_HEADER = (
    "Tệp này không phải danh sách tổ: dòng đầu cần các cột Tỉnh, Xã/Phường, Thôn/Ấp, Họ tên "
    "(và có thể thêm Số điện thoại, Vai trò). Chưa nhập gì."
)
ROSTER_MISSING = "thiếu {column}"
ROSTER_BAD_ROLE = "vai trò «{role}» không rõ: dùng Thành viên, Tổ phó, Tổ trưởng hoặc Cán bộ"
ROSTER_BAD_PHONE = "số điện thoại «{phone}» không hợp lệ"
ROSTER_NO_PROVINCE = "không tìm thấy tỉnh/thành phố «{name}»"
ROSTER_NO_COMMUNE = "không tìm thấy xã/phường «{name}» thuộc {province}"

DEMO_GROUP_TITLE = "Nhóm Tổ CNSCĐ {unit}"
WEBCHAT_PUBLIC_REFUSED = (
    "trang chat web không có đăng nhập nên chỉ chạy trên máy này (--host 127.0.0.1). "
    "Địa chỉ {host} cho máy khác truy cập; nếu chắc chắn, thêm --allow-public."
)
DEMO_RESET_REFUSED = (
    "cơ sở dữ liệu này có người dùng Telegram/Zalo thật; --reset sẽ xóa hết. "
    "Hãy chạy bản thử với DATABASE_URL khác, ví dụ: DATABASE_URL=sqlite+aiosqlite:///data/demo.db"
)
DEMO_NOT_SEEDED = (
    "Cơ sở dữ liệu đã có dữ liệu nên không thêm dữ liệu mẫu. "
    "Dùng --reset (xóa hết) hoặc một DATABASE_URL khác để xem bản thử."
)
ROSTER_COLUMN_NAMES = {  # the roster's columns, as its errors name them
    "province": "Tỉnh",
    "commune": "Xã/Phường",
    "name": "Họ tên",
    "hamlet": "Thôn/Ấp",
}

# --- command line ---
CLI_ERROR = "Lỗi: {error}"
CLI_ROW = "Dòng {number}: {reason}"
CLI_NO_UNIT = "không có đơn vị mã {code} (xem: tocongnghe units list)"
CLI_NO_PUBLIC_URL = "PUBLIC_BASE_URL chưa được đặt (địa chỉ HTTPS công khai của dịch vụ)."
CLI_NO_TOKEN = "chưa cấu hình token cho {channel}"
CLI_NO_SECRET = "chưa đặt {name}"
CLI_TARGETS_HELP = "targets (chỉ tiêu)"
DEMO_PEOPLE = "Demo data: {people} people you can chat as ({commune}, {province})."
DB_READY = "Database ready at {url} ({added} default indicators added)."
UNITS_LOADED = "Added {added} official units."
UNIT_LINE = "{code}\t{level}\t{name}"
ROSTER_IMPORTED = "Imported {rows} rows: {people} new people, {units} new units."
INVITE_MADE = "Invite for {role}, {uses} use(s), valid until {until}."
INVITE_SEND = "Send to the bot: /thamgia {code}"
INDICATOR_LINE = "{code}\t{name}\t{unit_label}\t{aliases}"
INDICATORS_IMPORTED = "{read} indicators read, {added} new."
INDICATOR_SAVED = "Indicator {code} saved."
TARGETS_IMPORTED = "Imported {imported} targets."
WEB_CHAT_AT = "Web chat: http://{host}:{port}/"
WEB_CHAT_RUNNING = "Web chat: http://{host}:{port}/  (Ctrl+C to stop)"
WEBHOOK_SET = "Webhook set: {url}"
JOB_RAN = (
    "{job} at {at}: {communes} communes, {skipped} already done, {queued} messages queued; "
    "sent {sent}, waiting {waiting}, failed {failed}, unreachable {unreachable}"
)
JOB_FAILED = "job failed for communes {communes}"
