"""MCP servers nobody here wrote (mcp-server-time, mcp-server-git), plugged in by configuration only."""

import subprocess
import sys
from pathlib import Path

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from tests.helpers import is_critic

pytestmark = pytest.mark.integration


def _settings(home: Path, servers: dict) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64"}, servers=servers)


def _critic_accepts(messages, schema):
    return {"reasoning": "the answer follows from the tool result", "success": True, "critique": "none needed"}


async def test_what_time_is_it_in_tokyo(home: Path) -> None:
    settings = _settings(home, {"time": {"command": sys.executable, "args": ["-m", "mcp_server_time"]}})
    seen = {}

    def agent(messages, schema):
        if is_critic(schema):
            return _critic_accepts(messages, schema)
        prompt = messages[-1].content
        if "get_current_time" not in prompt:
            return {"thought": "ask the clock", "tool": "get_current_time", "args": {"timezone": "Asia/Tokyo"}}
        seen["prompt"] = prompt
        return {"thought": "done", "tool": "finish", "args": {"answer": "It is the time the tool reported."}}

    result = await arun_goal("what time is it in Tokyo", world="generic", settings=settings,
                             decision_model=ScriptedModel(fallback=agent), max_steps=5, thread_id="tokyo")
    assert result.status == "achieved" and result.steps == 2
    assert "Asia/Tokyo" in seen["prompt"] and "+09:00" in seen["prompt"]  # the real server answered


async def test_commit_the_readme_change(home: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True, text=True)  # noqa: E731
    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    (repo / "README.md").write_text("hello\n")
    git("add", "README.md")
    git("commit", "-qm", "start")
    (repo / "README.md").write_text("hello, world\n")
    servers = {"git": {"command": sys.executable, "args": ["-m", "mcp_server_git", "--repository", str(repo)],
                       "fixed_args": {"repo_path": str(repo)}}}
    plan = iter([
        {"thought": "what changed?", "tool": "git_status", "args": {}},
        {"thought": "stage it", "tool": "git_add", "args": {"files": ["README.md"]}},
        {"thought": "commit", "tool": "git_commit", "args": {"message": "Update the README"}},
        {"thought": "done", "tool": "finish", "args": {"answer": "Committed the README change."}},
    ])
    model = ScriptedModel(fallback=lambda m, s: _critic_accepts(m, s) if is_critic(s) else next(plan))
    result = await arun_goal("commit the README change in this repo", world="generic",
                             settings=_settings(home, servers), decision_model=model, max_steps=8, thread_id="git")
    assert result.status == "achieved"
    assert git("log", "-1", "--format=%s").stdout.strip() == "Update the README"
    assert git("status", "--porcelain").stdout.strip() == ""
    decision_schema = next(s for _, s in model.calls if not is_critic(s))
    commit = next(b for b in decision_schema["anyOf"] if b["properties"]["tool"]["const"] == "git_commit")
    assert "repo_path" not in commit["properties"]["args"]["properties"]  # fixed by configuration, hidden
