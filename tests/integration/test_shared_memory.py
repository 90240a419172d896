"""Several agents at once, one skill library and one memory: a real `chroma run` server on loopback.

The agents are real `neuronaut run` processes (the scripted model stands in for
the GGUF model, see tests/reliability/scripted_cli.py) sharing one home (so one
skills directory and one checkpoint database, each agent on its own thread) and
one Chroma server for episodic memory and the skill index.
"""

from __future__ import annotations

import collections
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from neuronaut.api import arun_goal, peek_runs
from neuronaut.decision import SKILL_PREFIX
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.store import EpisodeMemory
from neuronaut.settings import Settings
from neuronaut.skills.model import Skill
from neuronaut.worlds.rpg.starters import rpg_starters
from tests.helpers import CRITIC_ANSWER, fighter, is_critic

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMA = Path(sys.executable).parent / "chroma"
EMBEDDINGS = "hash-64"
AGENTS = {  # thread: (goal, simulator seed); two agents learn the same skill name at about the same time
    "agent-a": ("reach level 2", 1),
    "agent-b": ("have 30 gold", 2),
    "agent-c": ("reach level 2", 3),
}


class ChromaServer:
    def __init__(self, path: Path) -> None:
        self.path = path
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.path.parent / "chroma.log").open("ab")
        self.process = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"chroma run did not answer on {self.url}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def chroma(tmp_path: Path):
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


def agent_env(home: Path, url: str, seed: int) -> dict[str, str]:
    return {**os.environ, "NEURONAUT_HOME": str(home), "NEURONAUT_CHROMA_URL": url,
            "NEURONAUT_EMBEDDING_MODEL": EMBEDDINGS, "NEURONAUT_WORLDS": json.dumps({"rpg": {"seed": seed}})}


def neuronaut(home: Path, url: str, *args: str, seed: int = 1) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.scripted_cli", *args, "--json"], cwd=ROOT,
                            env=agent_env(home, url, seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[dict[str, Any], str]:
    out, err = process.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return json.loads(out.strip().splitlines()[-1]), err


def uses_skill(name: str):
    """Run the skill ``name`` as soon as the plan offers it; fight otherwise."""
    def policy(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
        if is_critic(schema):
            return CRITIC_ANSWER
        branches = {b["properties"]["tool"].get("const"): b for b in schema.get("anyOf", [schema])}
        if SKILL_PREFIX + name in branches:
            # Each parameter as the skill learned it: its description says "(30 when this skill was learned".
            params = branches[SKILL_PREFIX + name]["properties"]["args"].get("properties", {})
            args = {p: int(re.search(r"\((\d+) when", spec["description"])[1]) for p, spec in params.items()}
            return {"thought": "another agent learned this", "tool": SKILL_PREFIX + name, "args": args}
        return fighter(messages, schema)
    return policy


def assert_skill_files_are_sound(skills_dir: Path) -> None:
    assert not list(skills_dir.rglob("*.tmp"))
    for current in skills_dir.glob("*/*.json"):
        skill = Skill.model_validate_json(current.read_text(encoding="utf-8"))
        kept = sorted(current.parent.joinpath(".history").glob(f"{skill.name}.v*.json"))
        versions = sorted(Skill.model_validate_json(p.read_text(encoding="utf-8")).version for p in kept)
        assert versions == list(range(1, skill.version)), current  # every earlier version kept, none twice
        assert [h.version for h in skill.history] == versions


async def test_agents_running_at_once_share_skills_and_memory(chroma: ChromaServer, home: Path,
                                                              tmp_path: Path) -> None:
    processes = {thread: neuronaut(home, chroma.url, "run", goal, "--max-steps", "80", "--thread", thread, seed=seed)
                 for thread, (goal, seed) in AGENTS.items()}
    results = {thread: finish(process)[0] for thread, process in processes.items()}

    for thread, (goal, _) in AGENTS.items():
        assert results[thread]["status"] == "achieved", results[thread]
        assert results[thread]["thread_id"] == thread and results[thread]["goal"] == goal
    assert results["agent-b"]["skills_learned"] == ["have-30-gold"]
    skills_dir = home / "skills"
    starters = {skill.name for skill in rpg_starters()}
    learned = sorted(p.stem for p in skills_dir.glob("rpg/*.json") if p.stem not in starters)
    assert learned == ["have-30-gold", "reach-level-2"]  # once each, beside the starters
    assert_skill_files_are_sound(skills_dir)

    # Every step of every agent is in the one memory, under its own thread.
    with EpisodeMemory(tmp_path / "reader", HashEmbeddings(64), chroma_url=chroma.url) as memory:
        total = memory.count("step")
        hits = memory.search("goal: reach level 2", world="rpg", k=total)
    assert collections.Counter(h.metadata["thread_id"] for h in hits) == {t: r["steps"] for t, r in results.items()}

    # A new agent finds, by meaning in the shared index, a skill another agent learned.
    settings = Settings.load(env={k: v for k, v in agent_env(home, chroma.url, 4).items() if k.startswith("NEURONAUT_")})
    model = ScriptedModel(fallback=uses_skill("have-30-gold"))
    # Not a goal a skill was learned for (that skill would run as a habit, without asking the model).
    result = await arun_goal("own an Iron Sword", settings=settings, decision_model=model, max_steps=30,
                             thread_id="agent-d")
    first_schema, first_prompt = model.calls[0][1], model.calls[0][0][-1].content
    assert SKILL_PREFIX + "have-30-gold" in json.dumps(first_schema, ensure_ascii=False)
    assert "Earlier attempts" not in first_prompt  # the others' steps were for other goals
    assert "have-30-gold" in result.skills_used
    assert not (settings.memory_dir / "chroma").exists()  # nothing went to an embedded index
    assert not (settings.memory_dir / "skills-index" / "chroma").exists()

    # One checkpoint database, one thread per agent.
    runs = {row["thread_id"]: row for row in await peek_runs(settings)}
    assert set(runs) == {*AGENTS, "agent-d"}
    assert all(runs[t]["goal"] == AGENTS[t][0] and runs[t]["status"] == "achieved" for t in AGENTS)
    assert_skill_files_are_sound(skills_dir)


def test_the_memory_going_away_stops_a_run_cleanly_and_it_resumes(chroma: ChromaServer, home: Path) -> None:
    process = neuronaut(home, chroma.url, "run", "reach level 9", "--max-steps", "400", "--thread", "long")
    for line in process.stderr:
        if line.startswith("[  3] learn"):
            break
    chroma.stop()
    stopped, err = finish(process)
    assert process.returncode == 1 and stopped["status"] == "failed"
    assert f"the shared memory at {chroma.url} stopped answering" in stopped["stop_reason"]
    assert "neuronaut resume long" in stopped["stop_reason"]
    assert 3 <= stopped["steps"] < 400

    down = neuronaut(home, chroma.url, "resume", "long")
    out, err = down.communicate(timeout=120)
    assert down.returncode == 2 and "Traceback" not in err
    assert f"cannot reach the shared memory at {chroma.url}" in err and "chroma run --path" in err

    chroma.start()  # same data directory, same port
    resumed, _ = finish(neuronaut(home, chroma.url, "resume", "long", "--max-steps", str(stopped["steps"] + 3)))
    assert resumed["resumed_from_step"] == stopped["steps"]
    assert resumed["status"] == "budget_exhausted" and resumed["steps"] == stopped["steps"] + 3
