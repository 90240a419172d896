"""The entry point: one clear line without credentials; the stand-in mode serves over stdio."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.servers.telegram.server import main
from tests.scenarios.rpg_scenario import run_basic_scenario

TELEGRAM_ENV = ("NEURONAUT_TELEGRAM_API_ID", "NEURONAUT_TELEGRAM_API_HASH", "NEURONAUT_TELEGRAM_SESSION")


@pytest.fixture
def no_telegram(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*TELEGRAM_ENV, "NEURONAUT_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def test_missing_credentials_exit_2_naming_the_login_command(
    no_telegram: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "neuronaut telegram login" in err and "telegram_session" in err


def test_garbled_session_string_exits_2_naming_the_login_command(
    no_telegram: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEURONAUT_TELEGRAM_API_ID", "12345")
    monkeypatch.setenv("NEURONAUT_TELEGRAM_API_HASH", "0123456789abcdef")
    monkeypatch.setenv("NEURONAUT_TELEGRAM_SESSION", "not-a-session")
    assert main([]) == 2
    assert "neuronaut telegram login" in capsys.readouterr().err


def test_nothing_is_written_to_stdout(no_telegram: None, capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    assert capsys.readouterr().out == ""  # stdout is the MCP channel


async def test_standin_mode_plays_the_scenario_over_stdio(home: Path) -> None:
    # The real entry point in a child process: argument parsing, settings, stdio transport.
    env = {"PATH": os.environ.get("PATH", ""), "NEURONAUT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "neuronaut.servers.telegram", "--standin", "--seed", "1"], env=env
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await run_basic_scenario(session)
