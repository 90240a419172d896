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


def test_the_examples_use_made_up_tools_not_the_servers_we_test_with(tmp_path) -> None:
    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    examples = world.prompt(world.examples_prompt)
    assert "finish" in examples and "read_result" in examples
    for tool in ("get_current_time", "convert_time", "git_", "read_query", "list_tables", "calculate"):
        assert tool not in examples


def test_unannotated_reads_ask_unless_reads_are_allowed_and_writes_always_ask(tmp_path) -> None:
    unannotated = {"command": "x", "read_only_tools": ["run_sql"]}
    read, write = ToolSpec("list_rows", "db", "", {}, destructive=True), ToolSpec("drop_rows", "db", "", {},
                                                                                   destructive=True)
    world = get_world("generic", _settings(tmp_path, {"db": unannotated}))
    assert world.needs_approval(read) and world.needs_approval(write)
    assert not world.needs_approval(ToolSpec("run_sql", "db", "", {}, destructive=True))  # declared read-only
    allowed = get_world("generic", Settings.load(env={"NEURONAUT_HOME": str(tmp_path)}, servers={"db": unannotated},
                                                 approve_reads=True))
    assert not allowed.needs_approval(read) and allowed.needs_approval(write)
    harmless = ToolSpec("git_add", "db", "", {}, annotated=True)  # the server says it writes, not destructively
    assert not allowed.needs_approval(harmless)


async def test_an_answer_carries_the_lines_it_rests_on_for_the_critic(tmp_path) -> None:
    from neuronaut.tools.types import ToolOutcome

    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    rows = "[" + ", ".join(f"{{'city': 'C{n}', 'total': {n}}}" for n in range(50)) + "]"
    world.attend("which city spent most?", ToolOutcome("read_query", {"query": "SELECT"}, True, text=rows))
    outcome = await world.run_extra("finish", {"answer": "C49 spent the most: 49."})
    assert outcome.structured == {"answer": "C49 spent the most: 49."}
    assert "50 rows: city | total" in outcome.text and "C49 | 49" in outcome.text
    assert world.summarize_outcome(outcome) == "C49 spent the most: 49."


def test_a_skill_over_tools_these_servers_lack_is_not_offered(tmp_path) -> None:
    from neuronaut.skills.model import Skill, SkillStep

    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    skill = lambda *tools: Skill(name="s", description="d", world="generic", goal="g",  # noqa: E731
                                 steps=[SkillStep(tool=t) for t in tools])
    world.tools_for("what time is it?", [ToolSpec("get_current_time", "time", "", {})])
    assert world.offers_skill(skill("get_current_time", "finish"))
    assert not world.offers_skill(skill("read_query", "finish"))


async def test_the_results_before_the_latest_stay_in_view_cut_short(tmp_path) -> None:
    from neuronaut.tools.types import ToolOutcome

    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    schema = lambda table, column: ToolOutcome("describe", {"t": table}, True,  # noqa: E731
                                               text=str([{"name": "id"}, {"name": column}]))
    world.attend("g", schema("orders", "total"))
    world.attend("g", schema("customers", "city"))
    world.attend("g", schema("customers", "city"))  # the same call again is not listed twice
    text = (await world.observe(None)).text
    assert text.index("Earlier results") < text.index("total") < text.index("Latest result") < text.index("city")
    assert text.count("city") == 1


def test_optional_parameters_that_default_to_nothing_are_hidden(tmp_path) -> None:
    from neuronaut.decision import tool_actions

    world = get_world("generic", _settings(tmp_path, {"time": TIME}))
    schema = {"type": "object", "required": ["path"], "properties": {
        "path": {"type": "string"}, "head": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "tail": {"type": "integer", "default": None}, "context": {"type": "integer", "default": 3}}}
    catalogue = {"read_text_file": ToolSpec("read_text_file", "time", "Read a file.", schema)}
    action = next(a for a in tool_actions(catalogue, world, "read it") if a.name == "read_text_file")
    assert sorted(action.params["properties"]) == ["context", "path"]
