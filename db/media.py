"""Images and files the bot makes, kept in the database so any process can serve or send them."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Media, utcnow
from db.session import execute_core

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"


@dataclass(frozen=True)
class StoredMedia:
    """What `store_media` saved: the id (the link's secret part), the file name and its type."""

    media_id: str
    filename: str
    content_type: str


class Named(Protocol):
    """Anything that names a stored file: `StoredMedia`, or the core's `Attachment`."""

    media_id: str
    filename: str


async def store_media(
    session: AsyncSession, *, data: bytes, content_type: str, filename: str, hours: int = 24
) -> StoredMedia:
    """Save bytes under a new id (`new_media_id`)."""
    media = Media(
        id=new_media_id(),
        content_type=content_type,
        filename=filename,
        data=data,
        expires_at=utcnow() + timedelta(hours=hours),
    )
    session.add(media)
    await session.flush()
    return StoredMedia(media_id=media.id, filename=filename, content_type=content_type)


def new_media_id() -> str:
    """An unguessable id, which is also the secret part of the file's download link."""
    return secrets.token_urlsafe(24)


async def reserve_media(
    session: AsyncSession, files: list[StoredMedia], *, hours: list[int]
) -> None:
    """Empty rows for files drawn after the commit, kept `hours` each; `fill_media` stores their
    bytes once drawn. One INSERT for all."""
    if files:
        now = utcnow()
        rows = [
            {
                "id": file.media_id,
                "content_type": file.content_type,
                "filename": file.filename,
                "data": b"",
                "created_at": now,
                "expires_at": now + timedelta(hours=kept),
            }
            for file, kept in zip(files, hours, strict=True)
        ]
        await execute_core(session, insert(Media.__table__), rows)


async def fill_media(session: AsyncSession, *, data: dict[str, bytes]) -> None:
    """Store the bytes of files reserved empty (`reserve_media`), drawn since."""
    if data:
        params = [{"media": media_id, "bytes": content} for media_id, content in data.items()]
        await execute_core(session, FILL_MEDIA, params)


FILL_MEDIA = (  # executemany, one row per parameter set
    update(Media.__table__)
    .where(Media.__table__.c.id == bindparam("media"))
    .values(data=bindparam("bytes"))
)


async def live_media(session: AsyncSession, *, media_id: str) -> Media | None:
    """The file, unless it expired or is not drawn yet (empty)."""
    media = await session.get(Media, media_id)
    return media if media is not None and media.data and media.expires_at > utcnow() else None


async def purge_expired_media(session: AsyncSession) -> None:
    await session.exec(delete(Media).where(Media.expires_at <= utcnow()))


def signed_url(base_url: str, attachment: Named, secret: str, expires_at: datetime) -> str:
    """A download link that stops working at `expires_at`, even for someone who kept the id."""
    exp = int(expires_at.timestamp())
    extension = attachment.filename.rsplit(".", 1)[-1] if "." in attachment.filename else "bin"
    sig = _signature(attachment.media_id, exp, secret)
    return f"{base_url}/media/{attachment.media_id}.{extension}?exp={exp}&sig={sig}"


def verify(
    media_id: str, *, exp: str | None, sig: str | None, secret: str, now: datetime | None = None
) -> bool:
    """True for a link made by `signed_url` with this secret whose time has not run out."""
    if not (exp and sig and exp.isdigit() and secret):
        return False
    expected = _signature(media_id, int(exp), secret)
    genuine = hmac.compare_digest(sig.encode(), expected.encode())
    return genuine and int(exp) > (now or utcnow()).timestamp()


def _signature(media_id: str, exp: int, secret: str) -> str:
    return hmac.new(secret.encode(), f"{media_id}:{exp}".encode(), hashlib.sha256).hexdigest()
