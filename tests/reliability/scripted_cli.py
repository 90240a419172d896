"""The real ``neuronaut`` CLI, with the scripted ``fighter`` policy in place of a GGUF model.

    python -m tests.reliability.scripted_cli run "reach level 9" --max-steps 4 --thread t --json

Everything else is the real thing (argument parsing, settings, the RPG server
over stdio, SQLite checkpoints, the tool ledger, Chroma): only loading the
model is replaced, so kill -9 trials run in seconds instead of minutes.
"""

from __future__ import annotations

import sys
from typing import Any

from neuronaut import api, cli
from neuronaut.llm.scripted import ScriptedModel
from tests.helpers import fighter


class ClosableScriptedModel(ScriptedModel):
    def close(self) -> None:
        """Nothing to release; open_services registers close() for every model it loads."""


def load_scripted(settings: Any, model: str | None = None, max_tokens: int | None = None) -> ClosableScriptedModel:
    return ClosableScriptedModel(fallback=fighter)


def main(argv: list[str] | None = None) -> int:
    api.load_decision_model = load_scripted  # open_services looks the loader up at call time
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
