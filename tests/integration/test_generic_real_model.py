"""The bundled 1.5 B model over a server nobody wrote prompts for: it must read past a result's first line."""

import sys
from pathlib import Path

import pytest

from neuronaut.api import arun_goal
from neuronaut.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.integration

SERVER = Path(__file__).parents[1] / "fixtures" / "servers" / "notebook.py"


async def test_the_answer_sits_past_the_first_160_characters_of_the_result(home: Path, tmp_path: Path) -> None:
    servers = {"notes": {"command": sys.executable, "args": [str(SERVER), str(tmp_path / "calls.log")]}}
    # The assembled model is shared with the checkout (assembling it per test would take minutes).
    settings = Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"},
                             model="qwen2.5-coder-1.5b", models_path=PROJECT_ROOT / "checkpoints" / "models",
                             servers=servers, approve_reads=True)
    result = await arun_goal("What is the admin password hint in the note called setup?", world="generic",
                             settings=settings, max_steps=5, thread_id="hint")
    calls = (tmp_path / "calls.log").read_text().split()
    assert "read_note" in calls and "create_note" not in calls and "delete_note" not in calls
    assert "blue heron" in result.answer.lower(), result  # ~600 characters into the note
    assert result.status == "achieved"
