"""One bot chat read through the six chat tools: its messages, its screen, and what an action made it say.

Bots either edit one screen in place or post a new message per screen; both are "the latest bot message
with buttons". ``act`` sends or presses and returns what the bot answered with: its new messages and the
messages it edited, and the toast of a press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neuronaut.servers import chat_contract as contract
from neuronaut.worlds.base import ToolCaller

Message = dict[str, Any]
READ_LIMIT = 20


@dataclass
class Answer:
    ok: bool
    error: str = ""
    messages: list[Message] = field(default_factory=list)  # new or edited bot messages, oldest first
    toast: str = ""

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.messages).strip()

    @property
    def screen(self) -> Message | None:
        return screen_of(self.messages)


class ChatView:
    def __init__(self, tools: ToolCaller, chat_id: int | str, *, wait_s: float,
                 record: set[int] | None = None) -> None:
        self.tools = tools
        self.chat_id = chat_id
        self.wait_s = wait_s
        # Ids of the messages the world's own actions caused (its look at the status): not news to the player.
        self.record = record

    async def messages(self, limit: int = READ_LIMIT) -> list[Message]:
        outcome = await self.tools.call(contract.GET_MESSAGES, {"chat_id": self.chat_id, "limit": limit})
        if not outcome.ok or not outcome.structured:
            return []
        return list(outcome.structured.get("messages", []))

    async def act(self, tool: str, args: dict[str, Any]) -> Answer:
        """Send or press (``tool`` with ``args``, the chat fixed) and collect the bot's answer."""
        before = {m.get("id"): _version(m) for m in await self.messages()}
        outcome = await self.tools.call(tool, {**args, "chat_id": self.chat_id})
        if not outcome.ok:
            return Answer(False, outcome.error or outcome.text)
        data = outcome.structured or {}
        answered = _changed(await self.messages(), before)
        if not answered and self.wait_s > 0 and "last_update_id" in data:
            # A real bot answers after a network round trip: wait for its first update, then read again.
            await self.tools.call(contract.WAIT_FOR_UPDATE, {"chat_id": self.chat_id, "timeout_seconds": self.wait_s,
                                                             "after_update_id": data["last_update_id"]})
            answered = _changed(await self.messages(), before)
        if self.record is not None:
            self.record.update(int(m["id"]) for m in answered if "id" in m)
            if isinstance(data.get("message"), dict) and "id" in data["message"]:
                self.record.add(int(data["message"]["id"]))
        return Answer(True, messages=answered, toast=str(data.get("callback_answer") or ""))

    async def send(self, text: str) -> Answer:
        return await self.act(contract.SEND_MESSAGE, {"text": text})

    async def press(self, label: str) -> Answer:
        return await self.act(contract.PRESS_INLINE_BUTTON, {"button_text": label})


def screen_of(messages: list[Message]) -> Message | None:
    """The latest bot message that carries buttons: the screen the player acts on."""
    return next((m for m in reversed(messages) if m.get("buttons") and not m.get("outgoing")), None)


def buttons_of(message: Message | None) -> list[str]:
    return [str(b.get("text", "")) for b in (message or {}).get("buttons", [])]


def bot_messages(messages: list[Message]) -> list[Message]:
    return [m for m in messages if not m.get("outgoing")]


def _version(message: Message) -> tuple[str, str]:
    return (str(message.get("edit_date") or ""), str(message.get("text", "")))


def _changed(messages: list[Message], before: dict[Any, tuple[str, str]]) -> list[Message]:
    return [m for m in bot_messages(messages) if before.get(m.get("id")) != _version(m)]
