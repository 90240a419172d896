"""Forgiving button matching: strict first, loose only when unambiguous."""

from __future__ import annotations

import pytest

from neuronaut.servers.chat_contract import InlineButton
from neuronaut.servers.rpg.buttons import ChatError, match_button

LABELS = ["⚔️ Attack", "🛡️ Defend", "🛏️ Inn (5g)", "🔒 Caves (Lv 3)", "🏠 Town"]
BUTTONS = [InlineButton(index=i, text=t, row=0, column=i) for i, t in enumerate(LABELS)]


def _match(text=None, index=None) -> str:
    return match_button(BUTTONS, 9, text, index).text


def test_exact_text():
    assert _match("⚔️ Attack") == "⚔️ Attack"


def test_case_is_ignored():
    assert _match("⚔️ attack") == "⚔️ Attack"


def test_emoji_may_be_dropped():
    assert _match("Defend") == "🛡️ Defend"


def test_price_in_parentheses_may_be_dropped():
    assert _match("inn") == "🛏️ Inn (5g)"


def test_unique_fragment_matches():
    assert _match("cave") == "🔒 Caves (Lv 3)"


def test_index_selects():
    assert _match(index=4) == "🏠 Town"


def test_unknown_text_lists_the_buttons():
    with pytest.raises(ChatError, match=r"\[0\] ⚔️ Attack"):
        _match("Dance")


def test_ambiguous_fragment_is_refused():
    with pytest.raises(ChatError, match="several"):
        _match("t")  # both Attack and Town contain a t


def test_index_out_of_range_is_refused():
    with pytest.raises(ChatError, match="no button 7"):
        _match(index=7)


def test_text_and_index_must_agree():
    with pytest.raises(ChatError, match="give just one"):
        _match("Town", index=0)


def test_nothing_given_is_refused():
    with pytest.raises(ChatError, match="button_text or button_index"):
        _match()


def test_chat_error_is_a_value_error():
    assert issubclass(ChatError, ValueError)
