"""The stable prefix of a chat prompt, with a character 'tokenizer' standing in for the model's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from neuronaut.llm.chat_template import ChatTemplate, as_chat_dicts


class CharLlama:
    def tokenize(self, text: bytes, add_bos: bool, special: bool) -> list[int]:
        return list(text)


def chatml(messages, **_):
    body = "".join(f"<{m['role']}>{m['content']}</>" for m in messages)
    return SimpleNamespace(prompt=body + "<assistant>", stop=["</>"], stopping_criteria=None, added_special=True)


@pytest.fixture
def template() -> ChatTemplate:
    return ChatTemplate(CharLlama(), chatml)


def test_the_prefix_is_what_the_system_messages_alone_render_to(template: ChatTemplate) -> None:
    chat = [{"role": "system", "content": "rules"}, {"role": "user", "content": "screen 1"}]
    prompt = template.render(chat)
    prefix = template.stable_prefix(chat, prompt)
    assert bytes(prefix).decode() == "<system>rules</><"  # up to where the next turn's role begins
    later = [chat[0], {"role": "user", "content": "screen 2"}]
    assert template.stable_prefix(later, template.render(later)) == prefix
    assert prompt.stop == ["</>"]


def test_no_system_message_or_nothing_after_it_means_no_prefix(template: ChatTemplate) -> None:
    user_only = [{"role": "user", "content": "hello"}]
    assert template.stable_prefix(user_only, template.render(user_only)) == []
    system_only = [{"role": "system", "content": "rules"}]
    assert template.stable_prefix(system_only, template.render(system_only)) == []


def test_langchain_messages_become_role_dicts() -> None:
    chat = as_chat_dicts([SystemMessage("s"), HumanMessage("u"), AIMessage("a")])
    assert chat == [{"role": "system", "content": "s"}, {"role": "user", "content": "u"},
                    {"role": "assistant", "content": "a"}]
