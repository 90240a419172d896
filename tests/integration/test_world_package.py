"""A third party's world, pip-installed into a fresh virtual environment, runs through the real CLI.

``tests/fixtures/worlds/neuronaut-abacus-world`` is a package of its own (its entry point, its MCP server, its
goal language and checker); nothing in ``neuronaut/`` names it. The environment sees NeuroNaut and its
dependencies through a ``.pth`` file, as a user's environment with NeuroNaut installed would. Only the model
is scripted:

    python -m tests.integration.test_world_package run --world abacus "reach 3" --json
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tests" / "fixtures" / "worlds" / "neuronaut-abacus-world"
CRITIC_ANSWER = {"reasoning": "not there yet", "success": False, "critique": "push more beads"}


def bead_pusher(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Push a bead whenever the planner offers it."""
    from tests.helpers import is_critic, tools

    if is_critic(schema):
        return CRITIC_ANSWER
    assert "push_bead" in tools(schema), tools(schema)
    return {"thought": "one more bead", "tool": "push_bead", "args": {}}


def scripted_cli(argv: list[str] | None = None) -> int:
    from neuronaut import api, cli
    from neuronaut.llm.scripted import ScriptedModel

    class Model(ScriptedModel):
        def close(self) -> None:
            """Nothing to release."""

    api.load_decision_model = lambda settings, model=None, max_tokens=None: Model(fallback=bead_pusher)
    return cli.main(argv)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment of its own that sees the project and the packages of the one running the tests."""
    root = tmp_path_factory.mktemp("world-package")
    env = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = dict.fromkeys([str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site, "neuronaut-project.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    source = shutil.copytree(PACKAGE, root / PACKAGE.name)  # building in place would leave build/ in the repo
    installed = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
                                "--disable-pip-version-check", "--quiet", str(source)],
                               env=_env(root / "home"), capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    return env


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("NEURONAUT_")}
    return {**env, "NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64"}


def _run(venv: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([venv / "bin" / "python", *args], cwd=home.parent, env=_env(home), capture_output=True,
                          text=True, timeout=300)


def test_the_installed_world_is_listed_beside_the_project_worlds(venv: Path, tmp_path: Path) -> None:
    listed = _run(venv, tmp_path / "home", "-m", "neuronaut.cli", "worlds")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert {"abacus", "rpg", "swift", "generic"} <= set(names)
    assert "push beads" in listed.stdout


def test_a_goal_in_the_installed_world_is_achieved_through_the_cli(venv: Path, tmp_path: Path) -> None:
    ran = _run(venv, tmp_path / "home", "-m", "tests.integration.test_world_package", "run", "--world", "abacus",
               "reach 3", "--max-steps", "8", "--json")
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert result["status"] == "achieved" and result["steps"] == 3


def test_the_project_does_not_name_the_fixture() -> None:
    sources = [path for path in (ROOT / "neuronaut").rglob("*") if path.suffix in (".py", ".md", ".toml")]
    named = [str(path) for path in sources if "abacus" in path.read_text(encoding="utf-8", errors="replace").lower()]
    assert named == []


if __name__ == "__main__":
    sys.exit(scripted_cli())
