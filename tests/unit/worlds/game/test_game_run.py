"""The whole loop in the game world: found through its entry point, an arena bot over stdio, the run's own
(scripted) model binding to the world, the goal judged by a reader learned during the run."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.worlds import world_plugins
from tests.helpers import CRITIC_ANSWER, is_critic, offered
from tests.scenarios.arena_players import crawler_player, true_state
from tests.unit.worlds.game.gamekit import CRAWL, CRAWL_V1, Oracle


@pytest.fixture
def game_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry point as pip would install it (the shared venv may predate the world)."""
    if "game" in world_plugins():
        return
    dist = tmp_path / "site" / "neuronaut_game-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: neuronaut-game\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[neuronaut.worlds]\ngame = neuronaut.worlds.game:plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def arena_run_settings(home: Path, state: Path, *extra: str) -> Settings:
    server = {"command": sys.executable, "worlds": ["game"],
              "args": ["-m", "neuronaut.servers.arenas", "--bot", CRAWL, "--seed", "1", "--state", str(state), *extra]}
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"},
                         servers={"crawl": server})


def player_and_oracle(oracle: Oracle):
    """Plans as the scripted Crypt Crawl player would from the observation; answers the world's questions as
    the oracle does."""

    def answer(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any] | str:
        if not schema or "quantities" in schema.get("properties", {}) or "choice" in schema.get("properties", {}):
            return oracle(messages, schema)
        if is_critic(schema):
            return CRITIC_ANSWER
        buttons = offered(schema)
        if not buttons:
            return {"thought": "start", "tool": "send_message", "args": {"text": "/start"}}
        seen = str(messages[-1].content)
        screen = SimpleNamespace(text=seen, buttons=[SimpleNamespace(text=b) for b in buttons])
        return {"thought": "play on", "tool": "press_inline_button", "args": {"button_text": crawler_player(screen)}}

    return answer


@pytest.mark.slow
async def test_a_run_reaches_level_2_in_a_bot_it_never_saw_and_keeps_the_reader(game_installed, home: Path,
                                                                            tmp_path: Path) -> None:
    state = tmp_path / "crawl.json"
    settings = arena_run_settings(home, state)
    result = await arun_goal("reach level 2", world="game", settings=settings, max_steps=80, thread_id="g1",
                             decision_model=ScriptedModel(fallback=player_and_oracle(Oracle([CRAWL_V1]))),
                             world_options={"wait_s": 0.5})
    assert result.status == "achieved", result.stop_reason
    assert result.stop_reason == "goal holds: level 2" and true_state(state)["level"] >= 2
    kept = json.loads((settings.worlds_dir / "game" / "bots" / "_cryptcrawl_bot.json").read_text())
    assert kept["probe"]["text"] == "/hero" and kept["readers"][0]["status"] == "trusted"


async def test_a_silent_bot_ends_the_run_with_a_clear_reason(game_installed, home: Path, tmp_path: Path) -> None:
    settings = arena_run_settings(home, tmp_path / "crawl.json", "--mode", "silent")
    result = await arun_goal("reach level 2", world="game", settings=settings, max_steps=5, thread_id="g2",
                             decision_model=ScriptedModel(fallback=player_and_oracle(Oracle([]))),
                             world_options={"wait_s": 0.2})
    assert result.status == "failed" and "has not answered /start" in result.stop_reason
