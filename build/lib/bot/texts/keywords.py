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

# --- the one-line report (bot.report_tokens, bot.quick_report): folded, as typed ---
# Days in words -> days back from today
DAY_PHRASES = {
    **dict.fromkeys(("hom nay", "hnay", "bua nay", "sang nay", "trua nay", "chieu nay"), 0),
    **dict.fromkeys(("toi nay", "nay"), 0),
    **dict.fromkeys(("hom qua", "hqua", "hq", "bua qua", "sang qua", "trua qua"), 1),
    **dict.fromkeys(("chieu qua", "toi qua", "dem qua"), 1),
    **dict.fromkeys(("hom kia", "bua kia"), 2),
}
# Days still to come: a report is for what was done
FUTURE_PHRASES = (
    "mai", "ngay mai", "sang mai", "trua mai", "chieu mai", "toi mai", "mai mot", "ngay kia",
    "tuan sau", "tuan toi", "thang sau", "thang toi",
)  # fmt: skip
# "chị Mai", "bà Mai": a name after one of these, not tomorrow
PERSON_TITLES = {"ba", "chi", "co", "ong", "anh", "chau", "bac", "cu", "em", "di", "con"}
# Weekday names -> Monday 0 .. Sunday 6 (also WEEKDAY_WORDS: thu7, t7, cn)
WEEKDAY_PHRASES = {
    **{f"thu {n}": n - 2 for n in range(2, 8)},
    "thu hai": 0, "thu ba": 1, "thu tu": 2, "thu nam": 3, "thu sau": 4, "thu bay": 5,
    "chu nhat": 6, "cn": 6, "chunhat": 6,
    **{f"t{n}": n - 2 for n in range(2, 8)},
    **{f"thu{n}": n - 2 for n in range(2, 8)},
}  # fmt: skip
LAST_WEEK_WORDS = ("tuan truoc", "tuan roi")  # "thứ 7 tuần trước": in last week
JUST_PAST_WORDS = ("vua roi", "vua qua", "roi")  # "chủ nhật vừa rồi": before today
WEEK_WORDS = ("tuan truoc", "tuan roi", "tuan nay", "thang truoc", "thang nay")  # no day named
# A number next to one of these is not a count
AGE_WORDS = ("tuoi",)  # "75 tuổi"
ID_LEVEL_WORDS = ("muc", "muc do")  # "mức 2"
PLACE_WORDS = ("to", "khom", "ap", "thon", "xom", "khu", "pho", "kp", "doi", "ban", "buon")
YEAR_WORD = "nam"  # "năm 2026"
TIME_UNITS = ("h", "g", "gio", "phut")  # "9h", "8 giờ"
MONEY_UNITS = ("k", "d", "dong", "nghin", "ngan", "trieu", "tr", "vnd")  # "50k", "20 nghìn"
NETWORK_WORDS = ("2g", "3g", "4g", "5g")  # never a count, even written "4G"
# Words skipped between a number and its indicator (after the indicators' own words are found)
FILLER_WORDS = (
    "bao cao", "gui bao cao", "to em", "em", "a", "da", "duoc", "di", "cho", "co", "tai khoan",
    "tk", "nguoi", "cai", "cai dat", "them", "tiep", "va", "voi", "nhe", "nha em", "huong dan",
    "hd", "ho tro", "dang ky", "dang ki", "thanh cong", "luot", "thue bao", "gia dinh", "gui",
    "ket qua", "kq", "tong", "tong cong", "la", "duoc la", "sang", "trua", "chieu", "toi", "dem",
    "hom", "ngay", "dung", "mo", "dua", "nguoi dan", "ba con", "dan", "lam", "xong", "o", "tai",
    "luc", "khoang", "ca", "to",
)  # fmt: skip
# An indicator word that is also an everyday word: left out when no number goes with it
WEAK_ALIASES = ("nha",)  # "vneid 3 nha" (a particle) but "đi 8 nhà"
# Words that look like an alias (folded) but are not: never matched, and the indicators a number
# beside them likely counts, offered first when the bot asks
LOOKALIKES = {"ho so": ("dvc",), "ho so truc tuyen": ("dvc",)}
