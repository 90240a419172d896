"""`neuronaut worlds` and `neuronaut mcp`: the installed worlds and NeuroNaut's servers, found, not listed in code."""

from __future__ import annotations

import pytest

from neuronaut.cli import main
from neuronaut.cli_plugins import runnable_servers


@pytest.fixture
def cli(home, capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_worlds_lists_each_installed_world_with_its_description(cli) -> None:
    code, out, _ = cli("worlds")
    rows = {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines()}
    assert code == 0 and {"rpg", "swift", "generic"} <= set(rows)
    assert "Dungeon Quest" in rows["rpg"] and "README" in rows["swift"]


def test_an_unknown_world_is_one_line_naming_the_installed_ones(cli) -> None:
    code, out, err = cli("run", "--world", "chess", "win")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert "unknown world 'chess'" in err and all(name in err for name in ("generic", "rpg", "swift"))


def test_every_server_package_with_a_main_is_runnable(cli) -> None:
    assert {"rpg", "telegram", "files", "code"} <= set(runnable_servers())
    code, out, _ = cli("mcp")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == list(runnable_servers())


def test_an_unknown_server_names_the_runnable_ones(cli) -> None:
    code, _, err = cli("mcp", "chess")
    assert code == 2 and "unknown MCP server 'chess'" in err and "rpg" in err and "files" in err
