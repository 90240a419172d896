"""The game world sees what a player sees: the latest screen (edited in place or sent anew), its buttons,
what the bot said, the toast of a press; it acts only by pressing or sending, in its one chat."""

from pathlib import Path

import pytest

from tests.unit.worlds.game.gamekit import CRAWL, TRADER, SessionTools, arena_settings, connect
from neuronaut.errors import UserError
from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.tools.types import ToolSpec
from neuronaut.worlds.game.world import GameWorld


async def test_a_bot_that_edits_its_screen_is_seen_editing_it(make_world) -> None:
    world = make_world(CRAWL)
    async with connect(ArenaChat(CRAWL, seed=1)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        first = await world.observe(tools)
        assert "Surface" in first.text and "[Descend] | [Trader] | [Sleep]" in first.text
        assert first.choices == {"press_inline_button": {"button_text": ["Descend", "Trader", "Sleep"]}}
        await tools.call("press_inline_button", {"chat_id": world.chat_id, "button_text": "Descend"})
        second = await world.observe(tools)
        assert "Screen (edited in place)" in second.text and "Depth 1" in second.text
        assert "New on screen: " in second.text and "Onward" in second.choices["press_inline_button"]["button_text"]


async def test_a_bot_that_sends_each_screen_anew_is_seen_sending_it(make_world) -> None:
    world = make_world(TRADER)
    async with connect(ArenaChat(TRADER, seed=1)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        first = await world.observe(tools)
        assert "Asteroid belt" in first.text and "👤 Profile" in first.choices["press_inline_button"]["button_text"]
        await tools.call("press_inline_button", {"chat_id": world.chat_id, "button_text": "👤 Profile"})
        second = await world.observe(tools)
        assert "Screen (sent as a new message)" in second.text and "Rank: Cadet" in second.text
        assert second.choices["press_inline_button"]["button_text"] == ["↩ Back"]


async def test_the_toast_of_a_press_is_shown_once(make_world) -> None:
    world = make_world(CRAWL)
    async with connect(ArenaChat(CRAWL, seed=1)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        await tools.call("press_inline_button", {"chat_id": world.chat_id, "button_text": "Trader"})
        await world.observe(tools)
        # A blade the hero cannot pay for: the bot refuses with a toast and changes nothing on screen.
        outcome = await tools.call("press_inline_button", {"chat_id": world.chat_id, "button_text": "Blade"})
        line = world.summarize_outcome(outcome)
        toast = outcome.structured["callback_answer"]
        assert toast and line == f"pressed; the bot answered: {toast}"
        assert f"The bot answered your press: {toast}" in (await world.observe(tools)).text
        assert "The bot answered your press" not in (await world.observe(tools)).text


async def test_prepare_starts_an_empty_chat_once(make_world) -> None:
    world = make_world(CRAWL)
    chat = ArenaChat(CRAWL, seed=1)
    async with connect(chat) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        await world.prepare(tools)
        sent = [args["text"] for name, args in tools.calls if name == "send_message"]
        assert sent == ["/start"]


def test_only_pressing_and_sending_are_allowed_and_always_in_the_chat_played(make_world) -> None:
    world = make_world(CRAWL)
    world.chat_id = 777000102
    assert world.allowed_tools == {"press_inline_button", "send_message"}
    press = ToolSpec("press_inline_button", CRAWL, "", {"properties": {"chat_id": {}, "button_text": {}}})
    # The act node lays the fixed arguments over the model's: "press X in chat 42" still presses in this chat.
    assert {"chat_id": 42, "button_text": "Go", **world.fixed_args_for(press)}["chat_id"] == 777000102


async def test_a_chat_named_by_username_is_chosen_and_an_unknown_one_is_a_clear_error(home: Path) -> None:
    async with connect(ArenaChat(CRAWL, seed=1)) as session:
        named = GameWorld(arena_settings(home, CRAWL), chat="@CryptCrawl_bot", wait_s=0)
        await named.prepare(SessionTools(session))
        assert named.chat_id == 777000102 and named.bot == "@cryptcrawl_bot"
        unknown = GameWorld(arena_settings(home, CRAWL), chat="@nobody", wait_s=0)
        with pytest.raises(UserError, match=r"no chat '@nobody'.*@cryptcrawl_bot \(Crypt Crawl\).*--chat"):
            await unknown.prepare(SessionTools(session))


def test_the_world_needs_one_configured_game_server(home: Path) -> None:
    with pytest.raises(UserError, match='worlds = \\["game"\\]'):
        GameWorld(arena_settings(home, CRAWL).model_copy(update={"servers": {}}))
    with pytest.raises(UserError, match="unknown MCP server"):
        GameWorld(arena_settings(home, CRAWL), servers=["nope"])


async def test_what_the_checker_asked_the_bot_is_not_news_to_the_player(make_world) -> None:
    from tests.unit.worlds.game.gamekit import CRAWL_V1, Oracle

    world = make_world(CRAWL, Oracle([CRAWL_V1]))
    async with connect(ArenaChat(CRAWL, seed=1)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        await world.check(world.goal("reach level 2"), tools)  # sends the status command and reads its answer
        observation = await world.observe(tools)
        await tools.call("send_message", {"chat_id": world.chat_id, "text": "/bag"})  # the player's own question
        answered = await world.observe(tools)
    assert "LVL" not in observation.text and "Bot said" not in observation.text
    assert "Bot said: Bag:" in answered.text


def test_the_command_line_names_the_server_and_the_chat() -> None:
    from neuronaut.cli import _parser, _world_options

    args = _parser().parse_args(["run", "--world", "game", "--servers", "crawl", "--chat", "@a_bot", "reach level 2"])
    assert _world_options(args) == {"servers": ["crawl"], "chat": "@a_bot"}
