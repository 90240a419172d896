"""The allowlist and read-only mode, on their own and enforced by the MCP server."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import Chat
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.telegram.client import TelegramAdapter
from neuronaut.servers.telegram.policy import ChatPolicy, PolicyRefusal
from neuronaut.servers.telegram.standin import StandinTelegram
from neuronaut.settings import Settings
from tests.unit.servers.telegram.telegram_testkit import (
    ALICE_ID,
    GAME,
    GAME_USERNAME,
    connect,
    error_text,
)

GAME_CHAT = Chat(id=GAME, title="Dungeon Quest", username="@dungeon_quest_bot", type="bot")
ALICE = Chat(id=ALICE_ID, title="Alice", username="@alice", type="user")
ANONYMOUS = Chat(id=-1001234567890, title="A channel", type="channel")


# --- the policy itself ---------------------------------------------------------------


def test_allowlisted_id_may_act() -> None:
    ChatPolicy([str(GAME)]).check_act(GAME_CHAT, contract.SEND_MESSAGE)


def test_allowlisted_username_matches_whatever_the_case_and_at_sign() -> None:
    ChatPolicy(["Dungeon_Quest_BOT"]).check_act(GAME_CHAT, contract.SEND_MESSAGE)


def test_negative_channel_id_from_settings_text_matches(home: Path) -> None:
    env = {"NEURONAUT_HOME": str(home), "NEURONAUT_TELEGRAM_ALLOWED_CHATS": " -1001234567890 "}
    policy = ChatPolicy.from_settings(Settings.load(env=env))
    policy.check_act(ANONYMOUS, contract.PRESS_INLINE_BUTTON)


def test_chat_outside_the_allowlist_may_not_act() -> None:
    with pytest.raises(PolicyRefusal, match="allowed chats: @dungeon_quest_bot"):
        ChatPolicy([GAME_USERNAME]).check_act(ALICE, contract.SEND_MESSAGE)


def test_empty_allowlist_allows_acting_nowhere() -> None:
    with pytest.raises(PolicyRefusal, match="no chats are allowed"):
        ChatPolicy([]).check_act(GAME_CHAT, contract.SEND_MESSAGE)


def test_empty_allowlist_allows_reading_everywhere() -> None:
    assert ChatPolicy([]).may_read(ALICE) and ChatPolicy([]).may_read(ANONYMOUS)


def test_allowlist_limits_reading_to_itself() -> None:
    policy = ChatPolicy([GAME_USERNAME])
    assert policy.may_read(GAME_CHAT) and not policy.may_read(ALICE)


def test_read_only_refuses_acting_even_in_an_allowed_chat() -> None:
    with pytest.raises(PolicyRefusal, match="read-only"):
        ChatPolicy([GAME_USERNAME], read_only=True).check_act(GAME_CHAT, contract.PRESS_INLINE_BUTTON)


# --- enforced by the server -------------------------------------------------------------


async def test_server_refuses_to_send_outside_the_allowlist(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    async with connect(adapter, ChatPolicy([GAME_USERNAME])) as session:
        result = await session.call_tool(contract.SEND_MESSAGE, {"chat_id": ALICE_ID, "text": "hi"})
    assert "allowed chats: @dungeon_quest_bot" in error_text(result)
    assert net.sent_to(ALICE_ID) == []


async def test_server_refuses_to_press_in_read_only_mode(adapter: TelegramAdapter, sim: SimulatedChat) -> None:
    sim.send_message(GAME, "/start")
    before = sim.last_update_id
    async with connect(adapter, ChatPolicy([GAME_USERNAME], read_only=True)) as session:
        result = await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": GAME, "button_index": 0})
    assert "read-only" in error_text(result)
    assert sim.last_update_id == before  # the bot saw no press


async def test_server_refuses_to_send_in_read_only_mode(adapter: TelegramAdapter, sim: SimulatedChat) -> None:
    async with connect(adapter, ChatPolicy([GAME_USERNAME], read_only=True)) as session:
        result = await session.call_tool(contract.SEND_MESSAGE, {"chat_id": GAME, "text": "/start"})
    assert "read-only" in error_text(result)
    assert sim.get_messages(GAME).messages == []


async def test_server_still_reads_in_read_only_mode(adapter: TelegramAdapter, sim: SimulatedChat) -> None:
    sim.send_message(GAME, "/start")
    async with connect(adapter, ChatPolicy([GAME_USERNAME], read_only=True)) as session:
        result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": GAME})
    assert not result.isError
    assert len(result.structuredContent["messages"]) == 2


async def test_server_lists_only_allowlisted_chats(adapter: TelegramAdapter) -> None:
    async with connect(adapter, ChatPolicy([GAME_USERNAME])) as session:
        result = await session.call_tool(contract.LIST_CHATS, {})
    assert [c["id"] for c in result.structuredContent["chats"]] == [GAME]


async def test_server_lists_every_chat_without_an_allowlist(adapter: TelegramAdapter) -> None:
    async with connect(adapter, ChatPolicy([])) as session:
        result = await session.call_tool(contract.LIST_CHATS, {})
    assert ALICE_ID in {c["id"] for c in result.structuredContent["chats"]}


async def test_server_refuses_to_read_outside_the_allowlist(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await net.receive(ALICE_ID, "my private note")
    async with connect(adapter, ChatPolicy([GAME_USERNAME])) as session:
        result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": "@alice"})
    assert "not on the allowlist" in error_text(result)
    assert "my private note" not in error_text(result)


async def test_server_without_allowlist_refuses_every_send(adapter: TelegramAdapter, sim: SimulatedChat) -> None:
    async with connect(adapter, ChatPolicy([])) as session:
        result = await session.call_tool(contract.SEND_MESSAGE, {"chat_id": GAME, "text": "/start"})
    assert "no chats are allowed" in error_text(result)
    assert sim.get_messages(GAME).messages == []
