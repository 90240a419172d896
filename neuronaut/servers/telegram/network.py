"""Bounded calls to Telegram: a timeout on each, capped flood waits, one reconnect.

An agent blocked for an hour by a ``FloodWaitError`` looks hung, so a flood
wait is slept off only while the total stays under a cap; beyond it the call
fails with a message that says how long Telegram wants. A dropped connection is
re-established once and a *read* retried; an *act* (send, press) is never
retried after a timeout or a drop, because Telegram may already have carried
it out, and sending twice is worse than saying "check get_messages".

:func:`.server.serve_stdio` builds Telethon with ``flood_sleep_threshold=0`` so
that this cap, not Telethon's silent sleeping, decides how long we wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telethon import errors

logger = logging.getLogger(__name__)


class TelegramUnavailable(Exception):
    """Telegram did not serve a request in time (rate limit, timeout, no connection)."""


class BoundedCalls:
    def __init__(
        self,
        client: Any,
        *,
        call_timeout: float,
        max_flood_wait: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.call_timeout = call_timeout
        self.max_flood_wait = max_flood_wait
        self._sleep = sleep  # injectable so tests see the waits without waiting

    async def ensure_connected(self) -> None:
        if self.client.is_connected():
            return
        logger.info("connecting to Telegram")
        try:
            await asyncio.wait_for(self.client.connect(), self.call_timeout)
        except (OSError, TimeoutError) as exc:
            raise TelegramUnavailable(f"cannot reach Telegram: {describe_failure(exc)}") from None

    async def call(self, what: str, request: Callable[[], Awaitable[Any]], *, retry: bool = True) -> Any:
        """Run ``request()`` with a timeout, bounded flood waits and one reconnect."""
        waited = 0.0
        reconnected = False
        while True:
            await self.ensure_connected()
            try:
                return await asyncio.wait_for(request(), self.call_timeout)
            except errors.FloodError as exc:
                # At least a second, so a flood error without a wait still counts towards the cap.
                seconds = max(float(getattr(exc, "seconds", 0) or 0), 1.0)
                if waited + seconds > self.max_flood_wait:
                    raise TelegramUnavailable(
                        f"Telegram rate-limits {what}: it asks to wait {seconds:.0f}s, more than "
                        f"this server waits ({self.max_flood_wait:.0f}s in total); try again later"
                    ) from None
                # Telegram refused before doing anything, so retrying is safe even for acts.
                logger.warning("flood wait of %.0fs for %s", seconds, what)
                waited += seconds
                await self._sleep(seconds)
            except TimeoutError:
                raise TelegramUnavailable(
                    f"Telegram did not answer {what} within {self.call_timeout:g}s"
                    + ("" if retry else "; it may still have happened, check get_messages")
                ) from None
            except ConnectionError as exc:
                if reconnected or not retry:
                    raise TelegramUnavailable(
                        f"lost the connection to Telegram during {what}: {exc}"
                        + ("" if retry else "; it may still have happened, check get_messages")
                    ) from None
                logger.warning("connection lost during %s, reconnecting", what)
                reconnected = True
                await self.reconnect()

    async def reconnect(self) -> None:
        try:
            await asyncio.wait_for(self.client.disconnect(), self.call_timeout)
        except (OSError, TimeoutError, ConnectionError):
            pass  # already gone; connecting again is what matters
        await self.ensure_connected()


def describe_failure(exc: BaseException) -> str:
    # Telethon's connection errors often have an empty message; the type still says something.
    return str(exc) or ("timed out" if isinstance(exc, TimeoutError) else type(exc).__name__)
