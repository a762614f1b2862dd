"""A thin async client for the Zalo Bot API (https://bot.zaloplatforms.com/docs/).

It never retries: every failure becomes a SendError whose kind tells the outbox what to do.
"""

from typing import Any

import httpx

from bot.core.channel import SendError, SendFailure

# The current host; python-zalo-bot still defaults to the legacy bot-api.zapps.me.
# https://bot.zaloplatforms.com/docs/
DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
DEFAULT_RETRY_AFTER = 5.0  # Zalo publishes no rate limits nor retry_after; back off this long


class ZaloBot:
    """Calls `{base_url}/bot{token}/{method}` with a JSON body and returns `result`."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 15.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}"
        self._timeout = timeout
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def call(self, method: str, **params: Any) -> Any:
        """POST one method call; return its `result` or raise SendError."""
        # Method names are case-sensitive; GET/POST, query/form/JSON all work, we use POST + JSON.
        body = {key: value for key, value in params.items() if value is not None}
        try:
            response = await self._client.post(
                f"{self._url}/{method}", json=body, timeout=self._timeout
            )
        except httpx.TimeoutException as exc:
            raise SendError(SendFailure.RETRYABLE, f"{method}: timed out") from exc
        except httpx.HTTPError as exc:
            raise SendError(SendFailure.RETRYABLE, f"{method}: {type(exc).__name__}") from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {"description": response.text[:200]}
        # Zalo may answer ok:false under HTTP 200, so check both the status and `ok`/`error_code`.
        # https://bot.zaloplatforms.com/docs/ (see the answer format)
        if response.is_success and data.get("ok") is True:
            return data.get("result")
        code = data.get("error_code", 200) if response.is_success else response.status_code
        raise _error(method, code, data)

    async def get_me(self) -> dict[str, Any]:
        """The bot's account: id, account_name, account_type, can_join_groups."""
        return await self.call("getMe")

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send a text (1–2000 characters; the caller splits longer ones)."""
        return await self.call("sendMessage", chat_id=str(chat_id), text=text)

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> dict[str, Any]:
        """Send an image by public URL (Zalo fetches it; there is no upload)."""
        return await self.call("sendPhoto", chat_id=str(chat_id), photo=photo_url, caption=caption)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing…"; Zalo answers {"ok": true} with no result."""
        await self.call("sendChatAction", chat_id=str(chat_id), action=action)

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        """Register a public HTTPS webhook; secret_token is 8–256 characters."""
        # Zalo sends it back in the X-Bot-Api-Secret-Token header. https://bot.zaloplatforms.com/docs/
        return await self.call("setWebhook", url=url, secret_token=secret_token)

    async def delete_webhook(self) -> dict[str, Any]:
        """Remove the webhook (needed before getUpdates)."""
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        """The registered webhook: url, updated_at."""
        return await self.call("getWebhookInfo")

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._own_client:
            await self._client.aclose()

    async def __aenter__(self) -> "ZaloBot":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _error(method: str, code: Any, data: dict[str, Any]) -> SendError:
    """Map an error answer to a neutral SendError kind."""
    description = str(data.get("description") or "")
    detail = f"{method}: {code} {description}".strip()
    if code == 429:
        # No retry_after is documented for Zalo; honour one if it ever comes, Telegram-style.
        retry_after = (data.get("parameters") or {}).get("retry_after") or DEFAULT_RETRY_AFTER
        return SendError(SendFailure.THROTTLED, detail, float(retry_after))
    if isinstance(code, int) and (code >= 500 or code == 408):
        return SendError(SendFailure.RETRYABLE, detail)
    lowered = description.lower()
    if (code == 403 and "blocked" in lowered) or (
        code in (400, 404) and ("not found" in lowered or "chat" in lowered)
    ):
        return SendError(SendFailure.UNREACHABLE, detail)
    # Zalo documents 403 as "internal error" (sic); without "blocked" it stays FAILED.
    return SendError(SendFailure.FAILED, detail)
