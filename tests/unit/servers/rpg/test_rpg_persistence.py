"""A chat with a state file survives a restart and continues identically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuronaut.servers.rpg.chat import ChatError, SimulatedChat

CHAT = SimulatedChat.CHAT_ID
PRESSES = ["Forest", "Explore", "Attack", "Attack", "Attack", "Town", "Forest", "Explore"]


def _play(chat: SimulatedChat, presses: list[str]) -> list[str]:
    """Press each label if offered, else the first button; return the screens seen."""
    screens = []
    for label in presses:
        offered = [b.text for b in chat.list_inline_buttons(CHAT).buttons]
        if any(label in text for text in offered):
            chat.press_inline_button(CHAT, button_text=label)
        else:
            chat.press_inline_button(CHAT, button_index=0)
        screens.append(chat.updates_after(chat.reaction_watermark)[0].message.text)
    return screens


def test_restart_continues_the_same_game(tmp_path: Path):
    straight = SimulatedChat(seed=5)
    straight.send_message(CHAT, "/start")
    _play(straight, PRESSES)
    expected = _play(straight, PRESSES)

    saved = SimulatedChat(seed=5, state_path=tmp_path / "chat.json")
    saved.send_message(CHAT, "/start")
    _play(saved, PRESSES)
    restarted = SimulatedChat(seed=999, state_path=tmp_path / "chat.json")  # the file's seed wins
    assert _play(restarted, PRESSES) == expected


def test_restart_keeps_messages_and_update_ids(tmp_path: Path):
    first = SimulatedChat(state_path=tmp_path / "chat.json")
    first.send_message(CHAT, "/start")
    again = SimulatedChat(state_path=tmp_path / "chat.json")
    assert again.get_messages(CHAT) == first.get_messages(CHAT)


def test_state_is_saved_without_leaving_a_temp_file(tmp_path: Path):
    chat = SimulatedChat(state_path=tmp_path / "chat.json")
    chat.send_message(CHAT, "/start")
    assert [p.name for p in tmp_path.iterdir()] == ["chat.json"]


def test_missing_state_file_starts_fresh(tmp_path: Path):
    chat = SimulatedChat(state_path=tmp_path / "new" / "chat.json")
    assert chat.get_messages(CHAT).messages == []


def test_state_in_an_unknown_format_is_refused(tmp_path: Path):
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"format": 99}))
    with pytest.raises(ChatError, match="unknown format"):
        SimulatedChat(state_path=path)
