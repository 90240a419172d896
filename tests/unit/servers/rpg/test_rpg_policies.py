"""The baseline players, played in process (the bench plays them over stdio)."""

from __future__ import annotations

from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.policies import Policy, expert_policy, random_policy
from neuronaut.servers.rpg.status import parse_status

CHAT = SimulatedChat.CHAT_ID


def _play(policy: Policy, seed: int, presses: int) -> SimulatedChat:
    chat = SimulatedChat(seed=seed)
    chat.send_message(CHAT, "/start")
    for _ in range(presses):
        screen_id = chat.list_inline_buttons(CHAT).message_id
        screen = next(m for m in chat.get_messages(CHAT, limit=20).messages if m.id == screen_id)
        chat.press_inline_button(CHAT, button_index=policy(screen).index)
    return chat


def _level(chat: SimulatedChat) -> int:
    screen_id = chat.list_inline_buttons(CHAT).message_id
    screen = next(m for m in chat.get_messages(CHAT, limit=20).messages if m.id == screen_id)
    return parse_status(screen.text)["level"]


def test_random_policy_presses_only_offered_buttons():
    chat = SimulatedChat(seed=1)
    chat.send_message(CHAT, "/start")
    screen = chat.get_messages(CHAT).messages[-1]
    choose = random_policy(4)
    assert all(choose(screen) in screen.buttons for _ in range(20))


def test_expert_reaches_level_2_within_25_presses():
    assert _level(_play(expert_policy(), seed=1, presses=25)) >= 2


def test_expert_beats_the_goblin_king_within_300_presses():
    chat = _play(expert_policy(), seed=2, presses=300)
    assert "goblin_king" in chat.bot.game.bosses


def test_random_policy_stays_below_level_5():
    assert _level(_play(random_policy(1), seed=1, presses=300)) < 5
