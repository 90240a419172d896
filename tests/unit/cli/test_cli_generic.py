"""`neuronaut run --world generic --approve-reads --json`: reads run unasked, the answer is in the JSON."""

import json
import sys
from pathlib import Path

from neuronaut import api, cli
from neuronaut.llm.scripted import ScriptedModel
from tests.helpers import is_critic

SERVER = Path(__file__).parents[2] / "fixtures" / "servers" / "notebook.py"


def test_json_carries_the_answer_and_reads_need_no_person(home: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    home.mkdir(parents=True)
    (home / "neuronaut.toml").write_text(
        f'embedding_model = "hash-64"\n[servers.notes]\ncommand = {json.dumps(sys.executable)}\n'
        f'args = [{json.dumps(str(SERVER))}, {json.dumps(str(tmp_path / "calls.log"))}]\n')
    plan = iter([{"thought": "look", "tool": "list_notes", "args": {}},
                 {"thought": "done", "tool": "finish", "args": {"answer": "welcome, setup and manual"}}])
    model = ScriptedModel(fallback=lambda m, s: {"reasoning": "listed", "success": True, "critique": ""}
                          if is_critic(s) else next(plan))
    model.close = lambda: None  # the loader's models are closed with the run
    monkeypatch.setattr(api, "load_decision_model", lambda *a, **k: model)
    code = cli.main(["run", "which notes are there?", "--world", "generic", "--approve-reads", "--json",
                     "--thread", "notes"])
    out = capsys.readouterr().out
    assert code == 0 and "answer      welcome, setup and manual" in out
    data = json.loads(out.strip().splitlines()[-1])
    assert data["status"] == "achieved" and data["answer"] == "welcome, setup and manual"
    assert (tmp_path / "calls.log").read_text().split() == ["list_notes"]
