"""Targets: /chitieu, its splits, and the target spreadsheet's errors."""

TARGET_FILE_UNREADABLE = "Không đọc được tệp {file}: cần tệp .xlsx hoặc .csv."
TARGET_FILE_NO_HEADER = (
    "Tệp này không phải bảng chỉ tiêu: dòng đầu cần các cột Mã đơn vị, Chỉ tiêu, Kỳ, Bắt đầu, "
    "Giá trị. Chưa nhập gì."
)
TARGET_ROW_MISSING = "thiếu {column}"
TARGET_ROW_UNIT = "không có đơn vị mã «{code}»"
TARGET_ROW_INDICATOR = "không có chỉ tiêu mã «{code}»"
TARGET_ROW_KIND = "kỳ «{kind}» không rõ: dùng thang, quy hoặc nam"
TARGET_ROW_START = "kỳ bắt đầu «{start}» không hợp lệ: dùng {example}"
TARGET_ROW_VALUE = "giá trị «{value}» phải là số nguyên từ 0 đến {max}"
# /chitieu
TARGETS_HEADER = "🎯 Chỉ tiêu {unit}"
TARGETS_PERIOD = "{period}:"
TARGETS_LINE = "• {name} {count}/{target} {bar}"
TARGETS_FROM_PARTS = "(tổng các {level})"
TARGETS_NONE = "Chưa có chỉ tiêu cho tháng, quý hay năm nay."
TARGETS_HOW = (
    "Đặt chỉ tiêu: /chitieu vneid 500 thang (hoặc quy, nam; thêm tên hay mã {kind} ở cuối "
    "để đặt cho một {kind}).\nChia cho các {kind}: /chitieu chia vneid thang deu "
    "(hoặc thanhvien: theo số thành viên)."
)
TARGET_SET = "✅ Đã đặt chỉ tiêu {name} {period} cho {unit}: {value}."
TARGET_REMOVED = "Đã xóa chỉ tiêu {name} {period} của {unit}."
TARGET_OFFICIALS_ONLY = (
    "Chỉ cán bộ xã mới đặt được chỉ tiêu. Gõ /chitieu để xem chỉ tiêu, /tiendo để xem tiến độ."
)
TARGET_USAGE = (
    "Gõ theo mẫu: /chitieu vneid 500 thang (kỳ: thang, quy hoặc nam; thêm tên hay mã ấp, thôn "
    "ở cuối nếu đặt cho một nơi, ví dụ: /chitieu vneid 120 thang Ấp Tân Hòa)."
)
TARGET_UNKNOWN_INDICATOR = (
    "Không rõ chỉ tiêu «{word}». Dùng một trong: {codes}. Ví dụ: /chitieu vneid 500 thang"
)
TARGET_BAD_VALUE = (
    "Chỉ tiêu phải là số nguyên từ 0 đến {max} (0 để xóa), ví dụ: /chitieu vneid 500 thang"
)
TARGET_NO_KIND = "Cho biết kỳ sau con số: thang, quy hoặc nam, ví dụ: /chitieu vneid 500 thang"
TARGET_BAD_START = "Kỳ «{value}» không hợp lệ: dùng {example}."
TARGET_PLACE_UNKNOWN = (
    "Không tìm thấy {kind} «{place}» trong {unit}. Gõ đúng tên hoặc mã {kind}, ví dụ: "
    "/chitieu vneid 120 thang {example}"
)
TARGET_WHICH_UNIT = "{you} phụ trách nhiều đơn vị. Thêm mã đơn vị ở cuối, ví dụ: {example}"
SPLIT_USAGE = (
    "Gõ theo mẫu: /chitieu chia vneid thang deu (chia đều) "
    "hoặc /chitieu chia vneid thang thanhvien (theo số thành viên)."
)
SPLIT_HOW = "Chia chỉ tiêu {name} {period} của {unit} cho các {kind} thế nào?"
BTN_SPLIT_EVEN = "Chia đều"
BTN_SPLIT_MEMBERS = "Theo số thành viên"
SPLIT_NEEDS_COMMUNE = (
    "Chỉ chia được chỉ tiêu của một xã cho các ấp, thôn của xã đó. Thêm mã xã ở cuối, "
    "ví dụ: /chitieu chia vneid thang deu 28468"
)
SPLIT_NO_WHOLE = (
    "{unit} chưa có chỉ tiêu {name} {period} để chia. Đặt trước, ví dụ: /chitieu {code} 500 {kind}"
)
SPLIT_NO_HAMLETS = "{unit} chưa có ấp, thôn nào để chia chỉ tiêu."
SPLIT_DONE = "✅ Đã chia chỉ tiêu {name} {period} của {unit} ({value}) cho {n} {kind}, {how}:"
SPLIT_EVEN_WORD = "chia đều"
SPLIT_MEMBERS_WORD = "theo số thành viên"
SPLIT_LINE = "• {unit}: {value}"
START_EXAMPLES = {
    "month": "mm/yyyy, ví dụ 11/2026",
    "quarter": "Qn/yyyy, ví dụ Q4/2026",
    "year": "yyyy, ví dụ 2026",
}
TARGET_COLUMN_NAMES = {  # the target file's columns, as its errors name them
    "unit": "Mã đơn vị",
    "indicator": "Chỉ tiêu",
    "kind": "Kỳ",
    "start": "Bắt đầu",
    "value": "Giá trị",
}
TARGET_UNIT_EXAMPLE = "/chitieu vneid 500 thang {code}"
EXAMPLE_UNIT_CODE = "28468"  # a commune code for examples, when the official has none
