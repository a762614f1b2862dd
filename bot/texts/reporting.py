"""Reporting (/bc, /ghinhan, /huy, /sua, /toi) and what the report parser says back."""

REPORT_WHICH_HAMLET = "{you} ghi nhận cho {kind} nào?"
REPORT_ASK_DATE = "Ghi nhận cho ngày nào? Chọn bên dưới hoặc gõ ngày dạng dd/mm."
REPORT_MENU = "Ngày {day} — {team}\n{tally}\nChọn chỉ tiêu để nhập số, hoặc bấm «Xong»."
REPORT_MENU_HINT = (
    "Chưa hiểu «{text}». Chọn một mục bên dưới (bấm nút hoặc gõ số), "
    "hoặc gõ tên chỉ tiêu kèm số, ví dụ: vneid 5"
)
REPORT_TALLY_EMPTY = "(chưa nhập số nào)"
REPORT_ASK_COUNT = "{name}: nhập số lượng (0–{max})."
REPORT_ASK_NOTE = (
    "Gõ ghi chú ngắn hoặc gửi ảnh. Gõ «bỏ qua» nếu không có. (Số CCCD, số điện thoại sẽ được che.)"
)
REPORT_NOTHING = "Chưa có số liệu nào. Hãy chọn một chỉ tiêu và nhập số."
REPORT_CONFIRM = "Xác nhận ghi nhận ngày {day}:\n{tally}{note}\nLưu báo cáo này?"
REPORT_SAVED = "✅ Đã ghi nhận ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_EDITED = "✏️ Đã sửa báo cáo ngày {day}: {tally}.\n📈 Tổng {team} tuần này: {week}."
REPORT_EARLIER_WEEK = "\n(Ngày {day} thuộc tuần {week} nên không cộng vào tổng tuần này.)"
REPORT_NOT_A_NUMBER = "Vui lòng nhập một số, ví dụ: 5"
REPORT_BC_EMPTY = "Gõ kết quả sau /bc, ví dụ: /bc vneid 5 dvc 3 ho 8 (thêm «hôm qua» hoặc dd/mm nếu không phải hôm nay)."
REPORT_NO_TEAM = "Bạn chưa thuộc tổ nào nên chưa ghi nhận được. Gửi mã mời: /thamgia MÃ"
REPORT_PENDING = (
    "Tổ trưởng {team} chưa xác nhận bạn nên chưa ghi nhận được. "
    "Khi được xác nhận, bot sẽ nhắn để bạn báo cáo ngay."
)
REPORT_OFFICIAL = "Số liệu do các tổ báo cáo, cán bộ xã không gửi báo cáo. Gõ /baocao để xem tổng hợp, /huongdan để xem các lệnh."
REPORT_NOTE_LABEL = "\nGhi chú: {note}"
REPORT_PHOTO_LABEL = "\n📷 Có ảnh kèm theo"
RETRACT_DONE = (
    "↩️ Đã hủy báo cáo ngày {day}: {tally}. Báo cáo vẫn được lưu vết nhưng không tính vào tổng."
)
RETRACT_NONE = "Không có báo cáo nào trong {hours} giờ qua để hủy."
EDIT_NONE = "Không có báo cáo nào trong {hours} giờ qua để sửa."
MY_REPORTS = "👤 {name}\nTuần này ({week_label}): {week_count} báo cáo\n{week}\nTháng {month_label}: {month_count} báo cáo\n{month}"
NOTHING_YET = "chưa có"

PARSE_TOO_LONG = (
    "Tin nhắn quá dài (tối đa {limit} ký tự). Hãy gửi ngắn gọn, ví dụ: /bc vneid 5 dvc 3 ho 8"
)
PARSE_NOTHING = (
    "Chưa thấy chỉ tiêu và số lượng nào. Gõ tên chỉ tiêu kèm số, ví dụ: /bc vneid 5 dvc 3 ho 8"
)
PARSE_ALL_ZERO = (
    "Báo cáo toàn số 0 nên chưa ghi nhận. Gõ những chỉ tiêu đã làm được, ví dụ: /bc vneid 5 ho 8"
)
PARSE_NOT_NUMBER = "Số lượng phải là số nguyên từ 0 đến {max}, ví dụ: {example}"
PARSE_NOT_WHOLE = "«{value}» không phải số nguyên. Gõ số nguyên từ 0 đến {max}, ví dụ: {example}"
PARSE_NEGATIVE = "Số lượng không được âm ({value}). Gõ số từ 0 đến {max}, ví dụ: {example}"
PARSE_TOO_BIG = "Số {value} quá lớn, tối đa là {max}. Kiểm tra lại rồi gõ, ví dụ: {example}"
PARSE_NO_COUNT = "Chưa có số lượng cho «{name}». Gõ số bằng chữ số ngay sau tên, ví dụ: {example}"
PARSE_NO_INDICATOR = (
    "Số {value} chưa gắn với chỉ tiêu nào. Gõ tên chỉ tiêu ngay trước số, ví dụ: /bc vneid 5 dvc 3"
)
PARSE_UNKNOWN_WORD = "Không hiểu «{word}». Gõ tên chỉ tiêu như {codes}, ví dụ: /bc vneid 5"
PARSE_TWO_DATES = "Mỗi báo cáo chỉ ghi một ngày. Gửi riêng từng ngày, ví dụ: /bc vneid 5 hôm qua"
PARSE_BAD_DATE = "Ngày «{value}» không có trên lịch. Gõ ngày dạng dd/mm, ví dụ: 20/11"
PARSE_FUTURE_DATE = "Ngày {day} chưa tới. Gõ «hôm nay», «hôm qua» hoặc một ngày đã qua dạng dd/mm."
PARSE_TOO_OLD = (
    "Ngày {day} đã quá {days} ngày nên không ghi nhận được. "
    "Chỉ gõ ngày từ {first} đến hôm nay, ví dụ: hôm qua"
)
PARSE_DAY_UNKNOWN = "Không hiểu ngày «{value}». Gõ «hôm nay», «hôm qua», «hôm kia» hoặc ngày dạng dd/mm, ví dụ: 20/11"
PARSE_PERIOD_UNKNOWN = (
    "Không hiểu khoảng thời gian «{value}». Gõ một trong: tuan, tuantruoc, thang, thangtruoc, "
    "quy, nam, hôm nay, hôm qua, tháng 11, tháng dạng mm/yyyy (ví dụ 10/2026), một ngày dd/mm "
    "(ví dụ 02/12) hoặc khoảng ngày dd/mm-dd/mm (ví dụ 01/11-15/11)."
)
PERIOD_NOT_BEGUN = (
    "Kỳ {period} chưa bắt đầu nên chưa có số liệu. Gõ «tuan» hoặc «thang» để xem kỳ hiện tại, "
    "ví dụ: /baocao thang"
)
PARSE_RANGE_ORDER = "Ngày bắt đầu phải trước ngày kết thúc, ví dụ: 01/11-15/11"
REPORT_EXAMPLE = "/bc {code} 5"  # how to report one indicator, in the parser's errors
COUNT_EXAMPLE = "5"
FORWARDED_NOT_REPORT = (
    "Tin chuyển tiếp không được tính là báo cáo. "
    "Người làm việc tự gửi báo cáo của mình, ví dụ: /bc vneid 5 dvc 3"
)

PARSE_FUTURE_WORD = (
    "«{word}» là ngày chưa tới. Báo cáo việc đã làm: gõ «hôm nay», «hôm qua» hoặc ngày dd/mm, "
    "ví dụ: /bc ho 10 hôm qua"
)
PARSE_WEEK_NO_DAY = (
    "«{word}» chưa rõ là ngày nào. Gõ thứ hoặc ngày cụ thể, ví dụ: /bc ho 10 thứ 7 tuần trước "
    "hoặc /bc ho 10 21/11"
)
PARSE_RANGE = "«{value}» là một khoảng, chưa ghi nhận được. Gõ đúng một số, ví dụ: {example}"
REPORT_ASK_WHICH = (
    "Số {value} trong «{context}» là chỉ tiêu nào? Chọn bên dưới (bấm nút hoặc gõ số thứ tự), "
    "hoặc gõ tên chỉ tiêu."
)
REPORT_UNDERSTOOD = "Đã hiểu: {tally}.\n"
REPORT_WHICH_HINT = "Chưa hiểu «{text}». Chọn một mục bên dưới hoặc gõ tên chỉ tiêu, ví dụ: dvc"
REPORT_NOTHING_LEFT = (
    "Không còn số liệu nào để ghi nhận nên chưa lưu gì. Gõ lại, ví dụ: /bc vneid 5"
)
BTN_SKIP_NUMBER = "Không tính số này"
# A report posted in a group without a command: only its sender can answer
BTN_GROUP_RECORD = "✅ Ghi nhận"
BTN_GROUP_NOT_REPORT = "Không phải"
GROUP_POST_CONFIRM = "{name} báo cáo ngày {day}:\n{tally}{note}\nGhi nhận không ạ?"
GROUP_POST_UNCLEAR = (
    "Chưa rõ số {value} trong «{context}» là chỉ tiêu nào nên chưa ghi nhận. Gõ lại kèm tên chỉ "
    "tiêu, ví dụ: /bc vneid 5"
)
