"""Every word the bot accepts, as typed (compared folded: without diacritics, case or spaces)."""

# --- /caidat: what officials type after it ---
SETTINGS_JOB_WORDS = {
    "nhacnho": "reminder",
    "bangxephang": "leaderboard",
    "xephang": "leaderboard",
    "bxh": "leaderboard",
    "tonghop": "monthly",
    "yenlang": "quiet",
    "gioyenlang": "quiet",
}
SETTINGS_JOB_EXAMPLES = {
    "reminder": ("nhacnho", "thu7 08:00"),
    "leaderboard": ("bangxephang", "thu2 07:00"),
}
SETTINGS_OFF_WORDS = ("tat", "off")
SETTINGS_ON_WORDS = ("bat", "mo", "on")
WEEKDAY_WORDS = {
    **{f"thu{n}": n - 2 for n in range(2, 8)},
    **{f"t{n}": n - 2 for n in range(2, 8)},
    "cn": 6,
    "chunhat": 6,
}

# --- days and periods (bot.dates) ---
DAY_WORD = "hom"  # "hôm nay", "hôm qua", "hôm kia"
DAYS_BACK = {"nay": 0, "qua": 1, "kia": 2}
DATE_WORD = "ngay"  # "ngày 20/11"
# After /baocao: word -> (kind, 0 for the current period or 1 for the one before); "" is this week
PERIOD_KEYWORDS = {
    "": ("week", 0),
    "tuan": ("week", 0),
    "tuannay": ("week", 0),
    "tuantruoc": ("week", 1),
    "thang": ("month", 0),
    "thangnay": ("month", 0),
    "thangtruoc": ("month", 1),
    "quy": ("quarter", 0),
    "quynay": ("quarter", 0),
    "quytruoc": ("quarter", 1),
    "nam": ("year", 0),
    "namnay": ("year", 0),
    "namtruoc": ("year", 1),
}
MONTH_PREFIX = "thang"  # "thang11/2026"
QUARTER_PREFIXES = ("q", "quy")  # "Q4/2026", "quy4/2026"
YEAR_PREFIX = "nam"  # "nam2026"
# Targets' period kinds (/chitieu and the target file), and the word shown for each in examples
KIND_WORDS = {
    "thang": "month",
    "month": "month",
    "quy": "quarter",
    "quarter": "quarter",
    "nam": "year",
    "year": "year",
}
KIND_TYPED = {"month": "thang", "quarter": "quy", "year": "nam"}
# File names of what the bot sends, by period kind
FILE_KINDS = {"week": "tuan", "month": "thang", "quarter": "quy", "year": "nam", "range": "tu"}
FILE_SUMMARY, FILE_CHART, FILE_BOARD = "baocao", "bieudo", "bangxephang"  # what the file holds
FILE_COUNTRY = "toanquoc"  # the whole country, in place of a unit code

# --- reporting ---
NOTE_WORDS = ("ghi chu", "gc", "note")  # the free-text note starts after one of these
SKIP_WORDS = {"bo qua", "khong", "ko", "k", "skip", "-"}  # no note in the guided flow
SAME_AS = {"ok": "luu", "co": "luu", "dong y": "luu", "khong": "huy"}  # typed word -> label

# --- /baocao, /chitieu ---
EXCEL_WORDS = {"xlsx", "excel"}
CHART_WORDS = {"png", "bieudo", "chart"}
SPLIT_WORD = "chia"
EVEN_WORDS = {"deu", "chiadeu"}
MEMBER_WORDS = {"thanhvien", "theothanhvien", "tv", "theotv", "theosothanhvien"}

# --- /caidat extras ---
SETTINGS_NUMBERED = ("thu", "t", "ngay")  # "thu 7", "ngay 1" are read as "thu7", "ngay1"
SPACED_WORDS = {"chu nhat": "chunhat"}  # typed with a space, read as one word
MONTH_DAY_PREFIX = "ngay"  # "ngay1": the day of the month
HOUR_LETTERS = "hg"  # "8h30", "8g" (giờ)
UNTIL_WORD = "den"  # "21:00 den 06:30" (đến)

# --- spreadsheets: header cells (folded) -> field ---
ROSTER_HEADERS = {
    "tinh": "province",
    "tinh/thanh pho": "province",
    "tinh/tp": "province",
    "huyen": "district",
    "huyen/quan": "district",
    "quan/huyen": "district",
    "xa/phuong": "commune",
    "xa": "commune",
    "phuong/xa": "commune",
    "thon/ap": "hamlet",
    "thon": "hamlet",
    "thon/ap/to dan pho": "hamlet",
    "thon/to dan pho": "hamlet",
    "ho ten": "name",
    "ho va ten": "name",
    "so dien thoai": "phone",
    "sdt": "phone",
    "dien thoai": "phone",
    "vai tro": "role",
    "chuc vu": "role",
}
ROSTER_ROLE_WORDS = {  # -> the role's stored value
    "": "thanhvien",
    "thanh vien": "thanhvien",
    "thanhvien": "thanhvien",
    "to vien": "thanhvien",
    "to pho": "topho",
    "topho": "topho",
    "to truong": "totruong",
    "totruong": "totruong",
    "truong thon": "totruong",
    "can bo": "canbo",
    "canbo": "canbo",
}
UNIT_PREFIXES = ("thanh pho ", "tinh ", "tp ", "xa ", "phuong ", "dac khu ")
TARGET_HEADERS = {
    "ma don vi": "unit",
    "ma dv": "unit",
    "don vi": "unit",
    "chi tieu": "indicator",
    "ma chi tieu": "indicator",
    "ky": "kind",
    "loai ky": "kind",
    "bat dau": "start",
    "ky bat dau": "start",
    "tu": "start",
    "gia tri": "value",
    "so luong": "value",
    "chi tieu giao": "value",
}
# A hamlet's name may be typed without its kind ("Tân Hòa" for "Ấp Tân Hòa")
HAMLET_PREFIXES = ("ap ", "thon ", "to dan pho ", "khu pho ", "khom ", "ban ", "buon ", "xom ")

# --- folding (bot.words) ---
STROKED_D = "đĐ"  # folded to "d": Unicode does not decompose the stroke as it does other marks
