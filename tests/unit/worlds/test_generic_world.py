import pytest

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.tools.types import ToolSpec
from neuronaut.worlds import get_world

TIME = {"command": "python", "args": ["-m", "mcp_server_time"]}
GIT = {"command": "python", "args": ["-m", "mcp_server_git"], "fixed_args": {"repo_path": "/r"}, "approve": ["git_add"],
       "worlds": ["generic", "swift"]}


def _settings(tmp_path, servers) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(tmp_path)}, servers=servers)


def test_without_declared_servers_the_error_says_how_to_add_one(tmp_path) -> None:
    with pytest.raises(UserError, match=r"\[servers.<name>\]"):
        get_world("generic", _settings(tmp_path, {}))


def test_unknown_server_names_the_declared_ones(tmp_path) -> None:
    with pytest.raises(UserError, match="declared in settings: time"):
        get_world("generic", _settings(tmp_path, {"time": TIME}), servers=["browser"])


def test_servers_come_from_configuration(tmp_path) -> None:
    world = get_world("generic", _settings(tmp_path, {"time": TIME, "git": GIT}))
    assert [s.name for s in world.servers(_settings(tmp_path, {}), "r")] == ["time", "git"]


def test_fixed_arguments_apply_only_to_tools_that_take_them(tmp_path) -> None:
    world = get_world("generic", _settings(tmp_path, {"git": GIT}))
    takes = ToolSpec("git_add", "git", "", {"properties": {"repo_path": {}, "files": {}}})
    other = ToolSpec("git_version", "git", "", {"properties": {}})
    assert world.fixed_args_for(takes) == {"repo_path": "/r"} and world.fixed_args_for(other) == {}


def test_destructive_and_listed_tools_need_approval(tmp_path) -> None:
    world = get_world("generic", _settings(tmp_path, {"git": GIT}))
    assert world.needs_approval(ToolSpec("git_add", "git", "", {}))
    assert world.needs_approval(ToolSpec("git_reset", "git", "", {}, destructive=True))
    assert not world.needs_approval(ToolSpec("git_status", "git", "", {}, read_only=True))


async def test_finish_records_the_answer(tmp_path) -> None:
    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    outcome = await world.run_extra("finish", {"answer": "It is noon."})
    assert outcome.ok and outcome.structured == {"answer": "It is noon."}


def test_servers_table_in_the_settings_file(tmp_path) -> None:
    (tmp_path / "neuronaut.toml").write_text('[servers.time]\ncommand = "python"\nargs = ["-m", "mcp_server_time"]\n')
    assert Settings.load(env={"NEURONAUT_HOME": str(tmp_path)}).servers["time"].args == ["-m", "mcp_server_time"]
