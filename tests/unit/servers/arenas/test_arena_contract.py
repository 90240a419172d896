"""Both arena bots serve exactly Dungeon Quest's chat tools: names, schemas, annotations, results."""

from __future__ import annotations

import json
from typing import Any

import pytest

from neuronaut.servers import chat_contract as contract
from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.arenas.chat import ARENAS, ArenaChat
from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.arenas.server import build_server as build_arena_server
from neuronaut.servers.arenas.server import main as arena_main
from neuronaut.servers.chat_contract import ButtonList, ChatList, PressResult
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.server import build_server as build_dungeon_server
from tests.scenarios.rpg_scenario import call, structured
from tests.unit.servers.arenas.conftest import connect

BOTS = sorted(ARENAS)


def _without_descriptions(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_descriptions(v) for k, v in schema.items() if k not in ("description", "title")}
    if isinstance(schema, list):
        return [_without_descriptions(v) for v in schema]
    return schema


async def _tools(server) -> dict[str, Any]:
    async with create_connected_server_and_client_session(server) as session:
        return {t.name: t for t in (await session.list_tools()).tools}


@pytest.mark.parametrize("bot", BOTS)
async def test_tools_match_dungeon_quest_in_name_schema_and_annotations(bot):
    ours = await _tools(build_arena_server(ArenaChat(bot)))
    theirs = await _tools(build_dungeon_server(SimulatedChat(seed=1)))
    assert set(ours) == set(theirs) == contract.READ_ONLY_TOOLS | contract.ACTING_TOOLS
    for name, tool in ours.items():
        other = theirs[name]
        assert _without_descriptions(tool.inputSchema) == _without_descriptions(other.inputSchema), name
        assert _without_descriptions(tool.outputSchema) == _without_descriptions(other.outputSchema), name
        assert tool.annotations == other.annotations, name


@pytest.mark.parametrize("bot", BOTS)
async def test_descriptions_do_not_describe_the_game(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        texts = " ".join(t.description or "" for t in (await session.list_tools()).tools).casefold()
    assert "status" not in texts and "level" not in texts


@pytest.mark.parametrize("bot", BOTS)
async def test_list_chats_names_the_one_bot_chat(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        chats = await call(session, contract.LIST_CHATS, ChatList)
    assert chats.untrusted is True
    assert [(c.id, c.username, c.type) for c in chats.chats] == [(chat.CHAT_ID, ARENAS[bot].username, "bot")]


@pytest.mark.parametrize("bot", BOTS)
async def test_start_answers_with_buttons(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        buttons = await call(session, contract.LIST_INLINE_BUTTONS, ButtonList, chat_id=chat.USERNAME)
    assert buttons.untrusted is True and len(buttons.buttons) >= 3


@pytest.mark.parametrize("bot", BOTS)
async def test_press_returns_a_structured_result(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        pressed = await call(session, contract.PRESS_INLINE_BUTTON, PressResult, chat_id=chat.CHAT_ID, button_index=0)
    assert pressed.untrusted is True and pressed.button.index == 0


@pytest.mark.parametrize("bot", BOTS)
async def test_wait_without_id_returns_the_reaction_to_the_last_press(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": chat.CHAT_ID, "button_index": 0})
        update = structured(await session.call_tool(contract.WAIT_FOR_UPDATE, {"chat_id": chat.CHAT_ID}))
    assert update["message"]["outgoing"] is False and update["message"]["buttons"]


@pytest.mark.parametrize("bot", BOTS)
async def test_unknown_button_is_an_error_listing_the_buttons(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        arguments = {"chat_id": chat.CHAT_ID, "button_text": "Dance"}
        result = await session.call_tool(contract.PRESS_INLINE_BUTTON, arguments)
    assert result.isError and "[0] " in result.content[0].text


@pytest.mark.parametrize("bot", BOTS)
async def test_wrong_chat_is_an_error_naming_the_bot_chat(bot):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": 42})
    assert result.isError and ARENAS[bot].username in result.content[0].text


@pytest.mark.parametrize("bot", BOTS)
def test_state_file_holds_the_true_state_before_the_first_action(bot, state_path):
    ArenaChat(bot, state_path=state_path)
    data = json.loads(state_path.read_text(encoding="utf-8"))
    assert (data["arena"], data["hero"]["level"], data["hero"]["actions"]) == (bot, 1, 0)


def test_state_file_of_another_bot_is_refused(state_path):
    ArenaChat(BOTS[0], state_path=state_path)
    with pytest.raises(ChatError, match=BOTS[0]):
        ArenaChat(BOTS[1], state_path=state_path)


def test_unknown_bot_is_refused_naming_the_bots():
    with pytest.raises(ChatError, match="crypt-crawl, void-trader|void-trader, crypt-crawl"):
        ArenaChat("chess")


def test_command_line_refuses_an_unknown_bot(capsys):
    with pytest.raises(SystemExit):
        arena_main(["--bot", "chess"])
    assert "invalid choice: 'chess'" in capsys.readouterr().err


def test_command_line_refuses_a_negative_layout_change(capsys):
    with pytest.raises(SystemExit):
        arena_main(["--bot", BOTS[0], "--layout-change-after", "-1"])
    assert "--layout-change-after must be 0 or more" in capsys.readouterr().err


@pytest.mark.parametrize(("bot", "kind"), [("void-trader", "new"), ("crypt-crawl", "edited")])
async def test_a_press_is_answered_by_a_new_or_an_edited_message(bot, kind):
    chat = ArenaChat(bot)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        pressed = await call(session, contract.PRESS_INLINE_BUTTON, PressResult, chat_id=chat.CHAT_ID, button_index=0)
        update = structured(await session.call_tool(contract.WAIT_FOR_UPDATE, {"chat_id": chat.CHAT_ID}))
    assert update["kind"] == kind and (update["message"]["id"] == pressed.message_id) == (kind == "edited")
