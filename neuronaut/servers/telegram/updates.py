"""A bounded, numbered log of new and edited messages, fed by Telethon events.

Telegram has no single update counter across chats we could hand the agent, so
the log numbers updates itself: ``update_id`` grows by one per logged update,
in arrival order. Edits matter as much as new messages: game bots answer a
button press by editing the message that holds the keyboard, and an agent that
only watches new messages waits forever.

Telegram repeats itself (an edit update for a reaction or a view counter, our
own sent message arriving again as an event), so an update is logged only when
it changes what the agent would see.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from typing import Literal

from neuronaut.servers.chat_contract import ChatMessage, Update

logger = logging.getLogger(__name__)

Kind = Literal["new", "edited"]


class UpdateLog:
    def __init__(self, max_updates: int = 1000) -> None:
        self._updates: deque[Update] = deque(maxlen=max_updates)
        # Last version logged per (chat, message); bounded like the log itself.
        self._seen: OrderedDict[tuple[int, int], ChatMessage] = OrderedDict()
        self._max_seen = max_updates
        self._last_id = 0
        self._arrived: asyncio.Event | None = None

    @property
    def last_update_id(self) -> int:
        return self._last_id

    def record(self, kind: Kind, message: ChatMessage) -> Update | None:
        """Log ``message``; returns the new update, or ``None`` for a repeat."""
        key = (message.chat_id, message.id)
        previous = self._seen.get(key)
        if previous is not None and (kind == "new" or previous == message):
            logger.debug("ignored repeated %s update for message %s", kind, key)
            return None
        self._seen[key] = message
        self._seen.move_to_end(key)
        if len(self._seen) > self._max_seen:
            self._seen.popitem(last=False)
        self._last_id += 1
        update = Update(update_id=self._last_id, kind=kind, message=message)
        self._updates.append(update)
        if self._arrived is not None:
            # Wake every waiter, then give later waiters a fresh event to wait on.
            self._arrived.set()
            self._arrived = None
        return update

    def watermark_after_own(self, chat_id: int, before: int, message_id: int) -> int:
        """The update id to wait after so the bot's reaction to our message comes next.

        Normally that is our own message's update. If the chat moved on before
        our message was logged (the reply overtook the send's answer), it is the
        id just before the first foreign update, so nothing is skipped.
        """
        for update in self._updates:
            if update.update_id <= before or update.message.chat_id != chat_id:
                continue
            if update.kind == "new" and update.message.id == message_id:
                return update.update_id
            return update.update_id - 1
        return self._last_id

    def next_after(self, chat_id: int, after_update_id: int) -> Update | None:
        """The first update by someone else; our own sends are not news to us."""
        for update in self._updates:
            if update.update_id <= after_update_id or update.message.chat_id != chat_id:
                continue
            if not update.message.outgoing:
                return update
        return None

    async def wait(self, chat_id: int, after_update_id: int, timeout_seconds: float) -> Update | None:
        """The first update in ``chat_id`` after ``after_update_id``, waiting up to the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout_seconds, 0.0)
        while True:
            update = self.next_after(chat_id, after_update_id)
            if update is not None:
                return update
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            if self._arrived is None:
                self._arrived = asyncio.Event()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                return None
