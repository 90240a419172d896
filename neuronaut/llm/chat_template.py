"""A model's own chat template, rendered and tokenized as llama-cpp-python's chat path does it.

``Llama.create_chat_completion`` hides the prompt's tokens; rendering here
gives the same tokens to the caller, who needs them to find the stable prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}


def as_chat_dicts(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages → the role/content dicts chat templates read."""
    chats = []
    for message in messages:
        role = _ROLES.get(message.type) or getattr(message, "role", None)
        if role is None:
            raise TypeError(f"cannot send a {type(message).__name__} to a chat model")
        content = message.content if isinstance(message.content, str) else "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in message.content)
        chats.append({"role": role, "content": content})
    return chats


@dataclass
class Prompt:
    tokens: list[int]
    stop: list[str]
    stopping_criteria: Any


class ChatTemplate:
    """The GGUF's Jinja chat template, when llama-cpp-python itself would use it."""

    def __init__(self, llama: Any, formatter: Any) -> None:
        self._llama = llama
        self._formatter = formatter
        self._prefixes: dict[tuple[str, ...], list[int]] = {}

    @classmethod
    def of(cls, llama: Any) -> ChatTemplate | None:
        """The template llama-cpp-python picked for this model, or None for a format it names otherwise
        (a built-in formatter whose tokens stay inside ``create_chat_completion``)."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = llama.metadata.get("tokenizer.chat_template")
        if not template or llama.chat_handler is not None or llama.chat_format != "chat_template.default":
            return None
        eos_id, bos_id = llama.token_eos(), llama.token_bos()
        eos = llama._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llama._model.token_get_text(bos_id) if bos_id != -1 else ""
        return cls(llama, Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                              stop_token_ids=[eos_id]))

    def render(self, chat: list[dict[str, str]]) -> Prompt:
        result = self._formatter(messages=chat)
        tokens = self._llama.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        return Prompt(tokens=tokens, stop=stop, stopping_criteria=result.stopping_criteria)

    def stable_prefix(self, chat: list[dict[str, str]], prompt: Prompt) -> list[int]:
        """The prompt's leading tokens that depend on its leading system messages only.

        Rendered alone, those messages end differently (a generation prompt instead of the next turn), so the
        prefix is what both token lists share.
        """
        system = []
        for message in chat:
            if message["role"] != "system":
                break
            system.append(message)
        if not system or len(system) == len(chat):
            return []
        key = tuple(m["content"] for m in system)
        alone = self._prefixes.get(key)
        if alone is None:
            alone = self.render(system).tokens
            if len(self._prefixes) >= 8:
                self._prefixes.clear()
            self._prefixes[key] = alone
        shared = 0
        for a, b in zip(alone, prompt.tokens):
            if a != b:
                break
            shared += 1
        return prompt.tokens[:shared]
