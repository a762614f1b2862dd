"""/tumoi and `tocongnghe words`: the words members type that the bot did not understand."""

VOCAB_OFFICIALS_ONLY = "Chỉ cán bộ xem và thêm từ mới cho chỉ tiêu."
VOCAB_NONE = (
    "Chưa có từ nào bot chưa hiểu. Khi thành viên gõ từ lạ cạnh một con số, từ đó sẽ hiện ở đây."
)
VOCAB_LIST = (
    "Từ thành viên gõ cạnh con số mà bot chưa hiểu (số lần, lần cuối):\n{rows}\n"
    "Thêm một từ làm tên gọi khác của chỉ tiêu: /tumoi <từ> = <mã chỉ tiêu>, ví dụ: "
    "/tumoi hồ sơ = dvc"
)
VOCAB_ROW = "• «{word}» — {seen} lần, {last:%d/%m}"
VOCAB_ADD_USAGE = "Gõ: /tumoi <từ> = <mã chỉ tiêu>, ví dụ: /tumoi hồ sơ = dvc. Mã chỉ tiêu: {codes}"
VOCAB_ADDED = "Đã thêm «{word}» cho {name}. Từ nay «{word} 5» được ghi nhận là {name} 5."
VOCAB_NOT_ADDED = "Không thêm được: không có chỉ tiêu mã «{code}» hoặc chỉ tiêu đã có quá nhiều tên gọi. Mã chỉ tiêu: {codes}"
VOCAB_TAKEN = "«{word}» đã là tên gọi của {name}; một từ chỉ dùng cho một chỉ tiêu."
CLI_WORDS_HELP = "words members type that the bot did not understand"
CLI_WORDS_NONE = "Chưa có từ nào bot chưa hiểu."
CLI_WORD_ROW = "{word}\t{seen}\t{last:%Y-%m-%d %H:%M}"
CLI_ALIAS_ADDED = "Đã thêm «{word}» cho chỉ tiêu {code}."
CLI_ALIAS_NOT_ADDED = (
    "Không thêm được: không có chỉ tiêu mã «{code}», hoặc chỉ tiêu đã có quá nhiều tên gọi."
)
