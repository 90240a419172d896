"""Tool results rendered compactly, paged and searched; read vs write for tools without annotations."""

from neuronaut.decision import tool_actions
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.tools.access import guess_kind, tool_access
from neuronaut.tools.relevance import ToolRanker
from neuronaut.tools.render import find_lines, pages, render_result, summary_line
from neuronaut.tools.types import ToolOutcome, ToolSpec


def test_rows_become_a_table_and_mappings_key_value_lines() -> None:
    rows = ToolOutcome("q", {}, True, text="[{'city': 'Lyon', 'spent': 120.5}, {'city': 'Oslo', 'spent': 80}]")
    assert render_result(rows).splitlines() == ["2 rows: city | spent", "Lyon | 120.5", "Oslo | 80"]
    mapping = ToolOutcome("t", {}, True, text='{"timezone": "Asia/Tokyo", "is_dst": false, "tags": ["a", "b"]}')
    assert render_result(mapping).splitlines() == ["timezone: Asia/Tokyo", "is_dst: false", "tags:", "  - a", "  - b"]
    structured = ToolOutcome("s", {}, True, text="", structured={"result": [1, 2]})
    assert render_result(structured) == "- 1\n- 2"
    assert render_result(ToolOutcome("f", {}, True, text="plain {text}\nline two")) == "plain {text}\nline two"
    file = ToolOutcome("read", {}, True, structured={"path": "a.txt", "content": "x" * 500 + "\nend"})
    assert render_result(file).splitlines() == ["path: a.txt", "content:", "  " + "x" * 500, "  end"]


def test_pages_split_between_lines_and_count_them() -> None:
    text = "\n".join(f"row {n:03d}" for n in range(1, 101))  # 100 lines of 7 characters
    split = pages(text, 80)
    assert split[0].text.splitlines() == [f"row {n:03d}" for n in range(1, 11)]
    assert (split[0].count, split[0].first_line, split[0].last_line, split[0].total_lines) == (10, 1, 10, 100)
    assert "\n".join(p.text for p in split) == text
    assert [len(p.text) for p in pages("x" * 250, 100)] == [100, 100, 50]  # a line longer than a page is cut


def test_find_lines_numbers_the_matches_within_a_budget() -> None:
    shown, total = find_lines("alpha\nBeta gamma\nbeta\ngamma beta", "BETA gamma", 100)
    assert shown == ["2: Beta gamma", "4: gamma beta"] and total == 2
    shown, total = find_lines("\n".join(["match here"] * 50), "match", 40)
    assert len(shown) == 2 and total == 50


def test_summary_line_counts_lines_and_stays_short() -> None:
    line = summary_line("\n".join(f"line {n}" for n in range(40)), 60)
    assert len(line) <= 60 and line.endswith("(40 lines)") and line.startswith("line 0; line 1")


def test_unannotated_tools_are_read_or_write_by_their_words() -> None:
    reads = ["read_query", "list_tables", "describe_table", "get_current_time", "calculate", "searchFiles"]
    writes = ["write_query", "create_table", "append_insight", "delete_note", "dropIndex", "do_something"]
    assert [guess_kind(n) for n in reads] == ["read"] * len(reads)
    assert [guess_kind(n) for n in writes] == ["write"] * len(writes)
    assert guess_kind("sql", "Execute an INSERT, UPDATE or DELETE statement.") == "write"
    assert guess_kind("sql", "Select rows from a table. Never deletes anything.") == "read"


def test_annotations_and_configuration_come_before_the_guess() -> None:
    annotated_write = ToolSpec("list_and_mark", "s", "", {}, annotated=True)
    assert tool_access(annotated_write).kind == "write" and tool_access(annotated_write).source == "annotated"
    assert tool_access(ToolSpec("drop_cache", "s", "", {}, read_only=True)).kind == "read"
    configured = tool_access(ToolSpec("run_sql", "s", "", {}, destructive=True), read_only_tools=["run_sql"])
    assert (configured.kind, configured.source) == ("read", "configured")


def test_many_tools_are_narrowed_to_those_closest_to_the_goal(tmp_path) -> None:
    from neuronaut.settings import Settings
    from neuronaut.worlds import get_world

    names = [f"tool_{n}" for n in range(20)] + ["get_weather_forecast"]
    catalogue = {n: ToolSpec(n, "big", f"Does thing number {n}." if n != "get_weather_forecast" else
                             "Weather forecast for a city.", {"properties": {}}) for n in names}
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_EMBEDDING_MODEL": "hash-64"},
                             servers={"big": {"command": "x"}})
    world = get_world("generic", settings)
    shown = [a.name for a in tool_actions(catalogue, world, "what is the weather forecast for Oslo?")]
    assert "get_weather_forecast" in shown and len(shown) == 12 + len(world.extra_actions())
    assert len(tool_actions(catalogue, world)) == 21 + len(world.extra_actions())  # without a goal: all
    picked = ToolRanker(HashEmbeddings(64)).pick("weather forecast", list(catalogue.values()), 3)
    assert "get_weather_forecast" in [s.name for s in picked] and len(picked) == 3
