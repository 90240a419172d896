"""A learned skill outlives its run: restart, export/import to a fresh home, embedding swap — through the real CLI.

Every command is a new ``neuronaut`` process on a real home (RPG server over
stdio, SQLite checkpoints, Chroma on disk, skill files). Only the model is
scripted: ``skill_user`` plays like a model that runs a learned skill when the
planner offers it (so using it proves it was retrieved) and otherwise fights.

    python -m tests.integration.test_skills_cli run "reach level 2" --json   # the CLI with that policy
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from neuronaut.worlds.rpg.starters import rpg_starters
from tests.helpers import fighter

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
GOAL, SKILL = "reach level 2", "reach-level-2"
STARTERS = {f"skill:{skill.name}" for skill in rpg_starters()}


def skill_user(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Run a learned skill if one is offered, else play like ``fighter``."""
    offered = [b["properties"]["tool"].get("const", "") for b in schema.get("anyOf", [schema])
               if "tool" in b.get("properties", {})]
    learned = [tool for tool in offered if tool.startswith("skill:") and tool not in STARTERS]
    if learned:
        return {"thought": "this worked before", "tool": learned[0], "args": {}}
    return fighter(messages, schema)


def scripted_cli(argv: list[str] | None = None) -> int:
    from neuronaut import api, cli
    from neuronaut.llm.scripted import ScriptedModel

    class Model(ScriptedModel):
        def close(self) -> None:
            """Nothing to release."""

    api.load_decision_model = lambda settings, model=None, max_tokens=None: Model(fallback=skill_user)
    return cli.main(argv)


# --- helpers -----------------------------------------------------------------------------------


def make_home(path: Path, embedding: str = "hash-64") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "neuronaut.toml").write_text(f'embedding_model = "{embedding}"\ntop_k_memories = 0\n', encoding="utf-8")
    return path


def neuronaut(*args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEURONAUT_")}
    env.update(NEURONAUT_HOME=str(home), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return subprocess.run([sys.executable, "-m", "tests.integration.test_skills_cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=timeout)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result.stdout


def run(home: Path, thread: str) -> dict[str, Any]:
    out = ok(neuronaut("run", GOAL, "--world", "rpg", "--max-steps", "80", "--thread", thread, "--json", home=home))
    return json.loads(out.strip().splitlines()[-1])


def shown(home: Path) -> dict[str, Any]:
    return json.loads(ok(neuronaut("skills", "show", f"rpg/{SKILL}", "--json", home=home)))


def assert_reused(second: dict[str, Any], first: dict[str, Any]) -> None:
    assert second["status"] == "achieved"
    assert second["skills_used"] == [SKILL]
    assert second["llm_calls"] <= 0.2 * first["llm_calls"], (second["llm_calls"], first["llm_calls"])


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Home A after one run that solved the goal from scratch and learned a skill from it."""
    home = make_home(tmp_path_factory.mktemp("skills-cli") / "a")
    first = run(home, "first")
    assert first["status"] == "achieved" and first["skills_learned"] == [SKILL] and first["skills_used"] == []
    return home, first


def copy_home(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


# --- the proofs --------------------------------------------------------------------------------


def test_a_skill_learned_in_one_run_is_found_and_used_by_a_new_process(learned, tmp_path: Path) -> None:
    source, first = learned
    home = copy_home(source, tmp_path / "a")  # the same home, restarted: nothing is kept in memory
    before = shown(home)["stats"]["successes"]

    second = run(home, "second")

    assert_reused(second, first)
    assert second["skills_learned"] == []  # reached by the skill: nothing new to learn
    assert shown(home)["stats"]["successes"] == before + 1  # the verified skill run is recorded in the file


def test_a_skill_exported_from_one_home_is_used_in_a_fresh_one(learned, tmp_path: Path) -> None:
    source, first = learned
    archive = tmp_path / "skills.tar.gz"
    exported = ok(neuronaut("skills", "export", "--world", "rpg", SKILL, "-o", str(archive), home=source))
    assert f"rpg/{SKILL}" in exported and archive.is_file()
    fresh = make_home(tmp_path / "b")

    imported = ok(neuronaut("skills", "import", str(archive), home=fresh))

    assert f"added    rpg/{SKILL} v1" in imported and "1 added, 0 updated, 0 skipped" in imported
    assert (fresh / "skills" / "rpg" / f"{SKILL}.json").is_file()
    assert_reused(run(fresh, "in-b"), first)
    again = ok(neuronaut("skills", "import", str(archive), home=fresh))  # the run made it v1 with one more success
    assert f"skipped  rpg/{SKILL}: already here (v1)" in again and "0 added, 0 updated, 1 skipped" in again


def test_the_whole_library_moves_as_a_directory_too(learned, tmp_path: Path) -> None:
    source, first = learned
    ok(neuronaut("skills", "export", "-o", str(tmp_path / "shared"), home=source))
    fresh = make_home(tmp_path / "b", embedding="hash-32")  # B indexes with another embedding model than A

    imported = ok(neuronaut("skills", "import", str(tmp_path / "shared"), home=fresh))

    assert f"added    rpg/{SKILL}" in imported and "added    rpg/check-status" in imported
    assert_reused(run(fresh, "in-b"), first)


def test_swapping_the_embedding_model_reindexes_and_the_skill_is_still_found(learned, tmp_path: Path) -> None:
    source, first = learned
    home = copy_home(source, tmp_path / "c")
    manifest = home / "checkpoints" / "memory" / "skills-index" / "skills.manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["model_name"] == "hash-64"
    make_home(home, embedding="hash-32")  # the settings file now names another model

    listing = ok(neuronaut("skills", "list", home=home))

    assert SKILL in listing
    swapped = json.loads(manifest.read_text(encoding="utf-8"))
    assert swapped["model_name"] == "hash-32" and swapped["dimension"] == 32 and len(swapped["collections"]) == 1
    assert_reused(run(home, "after-swap"), first)


def test_user_errors_are_one_line_and_exit_2(learned, tmp_path: Path) -> None:
    source, _ = learned
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"this is not a zip")
    cases = [
        (("skills", "show", "no-such-skill"), "no skill named 'no-such-skill'"),
        (("skills", "export", "no-such-skill", "-o", str(tmp_path / "x.zip")), "no skill named"),
        (("skills", "import", str(tmp_path / "missing.zip")), "does not exist"),
        (("skills", "import", str(bad)), "cannot read skill archive"),
    ]
    for args, fragment in cases:
        result = neuronaut(*args, home=source)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
        assert lines[0].startswith("neuronaut: error:") and fragment in lines[0], lines


if __name__ == "__main__":
    sys.exit(scripted_cli())
