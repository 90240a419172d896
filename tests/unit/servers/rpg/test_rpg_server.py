"""The MCP server, in memory: tool list, annotations, results, errors."""

from __future__ import annotations

from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import ChatList, MessageList, PressResult, SendResult
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.server import build_server
from tests.scenarios.rpg_scenario import call, run_basic_scenario, structured

CHAT = SimulatedChat.CHAT_ID


def connect():
    # A context manager per test, not a yield fixture: the MCP session's task group
    # must be entered and exited in the same task.
    return create_connected_server_and_client_session(build_server(SimulatedChat(seed=1)))


async def _start(session) -> SendResult:
    return await call(session, contract.SEND_MESSAGE, SendResult, chat_id=CHAT, text="/start")


async def test_exposes_exactly_the_contract_tools():
    async with connect() as session:
        names = {tool.name for tool in (await session.list_tools()).tools}
        assert names == contract.READ_ONLY_TOOLS | contract.ACTING_TOOLS


async def test_read_tools_are_annotated_read_only():
    async with connect() as session:
        tools = (await session.list_tools()).tools
        read_only = {t.name for t in tools if t.annotations and t.annotations.readOnlyHint}
        assert read_only == contract.READ_ONLY_TOOLS


async def test_acting_tools_are_not_destructive():
    async with connect() as session:
        tools = (await session.list_tools()).tools
        acting = [t for t in tools if t.name in contract.ACTING_TOOLS]
        assert all(t.annotations.destructiveHint is False for t in acting)


async def test_list_chats_returns_structured_untrusted_content():
    async with connect() as session:
        chats = await call(session, contract.LIST_CHATS, ChatList)
        assert chats.untrusted is True and chats.chats[0].id == CHAT


async def test_get_messages_after_start_shows_buttons():
    async with connect() as session:
        await _start(session)
        messages = await call(session, contract.GET_MESSAGES, MessageList, chat_id=CHAT)
        assert messages.messages[-1].buttons


async def test_press_by_text_returns_the_toast():
    async with connect() as session:
        await _start(session)
        pressed = await call(session, contract.PRESS_INLINE_BUTTON, PressResult, chat_id=CHAT, button_text="Forest")
        assert pressed.callback_answer == "Forest"


async def test_wait_without_id_returns_the_reaction_to_the_last_press():
    async with connect() as session:
        await _start(session)
        await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": CHAT, "button_text": "Forest"})
        update = structured(await session.call_tool(contract.WAIT_FOR_UPDATE, {"chat_id": CHAT}))
        assert update["kind"] == "edited" and "Forest" in update["message"]["text"]


async def test_wait_skips_our_own_messages():
    async with connect() as session:
        await _start(session)
        update = structured(await session.call_tool(contract.WAIT_FOR_UPDATE, {"chat_id": CHAT, "after_update_id": 0}))
        assert update["message"]["outgoing"] is False


async def test_wait_with_nothing_new_times_out():
    async with connect() as session:
        sent = await _start(session)
        arguments = {"chat_id": CHAT, "after_update_id": sent.last_update_id + 1, "timeout_seconds": 0}
        update = structured(await session.call_tool(contract.WAIT_FOR_UPDATE, arguments))
        assert update["timed_out"] is True


async def test_unknown_button_is_an_error_listing_the_buttons():
    async with connect() as session:
        await _start(session)
        result = await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": CHAT, "button_text": "Dance"})
        assert result.isError and "[0] 🌲 Forest" in result.content[0].text


async def test_wrong_chat_is_an_error_naming_the_game_chat():
    async with connect() as session:
        result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": 42})
        assert result.isError and "@dungeon_quest_bot" in result.content[0].text


async def test_basic_scenario_passes():
    async with connect() as session:
        await run_basic_scenario(session)
