"""What the operator reads when running the service for real: unsafe settings and backups."""

UNSAFE_SETTINGS = (
    "có token Telegram/Zalo nên không chạy với khóa bí mật yếu hoặc chưa đặt: {names}. "
    "Đặt giá trị ngẫu nhiên đủ dài trong .env, ví dụ: python -c "
    '"import secrets; print(secrets.token_urlsafe(32))"'
)
SQLITE_WITH_TOKEN = (
    "SQLite with a platform token: fine for one small commune, but use PostgreSQL "
    "(DATABASE_URL) for a real deployment (docs/operations.md)"
)
BACKUP_WRITTEN = "Backup written: {path} ({size} bytes)"
BACKUP_EXISTS = "tệp {path} đã có: chọn tên khác, không ghi đè bản sao lưu cũ"
BACKUP_FAILED = "pg_dump không chạy được: {error}"
