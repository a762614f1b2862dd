"""Images and files the bot makes, kept in the database so any process can serve or send them."""

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.replies import Attachment
from db.models import Media, utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"


async def store_media(
    session: AsyncSession, *, data: bytes, content_type: str, filename: str, hours: int = 24
) -> Attachment:
    """Save bytes under an unguessable id that also serves as the download link's secret part."""
    media = Media(
        id=secrets.token_urlsafe(24),
        content_type=content_type,
        filename=filename,
        data=data,
        expires_at=utcnow() + timedelta(hours=hours),
    )
    session.add(media)
    await session.flush()
    return Attachment(media_id=media.id, filename=filename, content_type=content_type)


async def live_media(session: AsyncSession, *, media_id: str) -> Media | None:
    media = await session.get(Media, media_id)
    return media if media is not None and media.expires_at > utcnow() else None


async def purge_expired_media(session: AsyncSession) -> None:
    await session.exec(delete(Media).where(Media.expires_at <= utcnow()))
