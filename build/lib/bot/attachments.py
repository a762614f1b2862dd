"""Files the bot makes (charts, workbooks), stored for any process to send, as reply attachments."""

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.replies import Attachment
from db.media import store_media


async def store_attachment(
    session: AsyncSession, *, data: bytes, content_type: str, filename: str, hours: int = 24
) -> Attachment:
    """Save the bytes in the media table (kept `hours`) and name them for a Reply."""
    stored = await store_media(
        session, data=data, content_type=content_type, filename=filename, hours=hours
    )
    return Attachment(stored.media_id, stored.filename, stored.content_type)
