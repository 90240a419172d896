"""A reader: model-written Python ``read(text) -> {quantity: value}``, run only in the code server's sandbox.

The code never runs in the agent's process: it runs as ``python -I`` in a workspace of its own, without
network, with the sandbox's CPU, memory, file and process limits, and sees only the screen texts on stdin.
A reader's values are compared with the model's own grammar-constrained reading of the same screen
(``agrees``): names up to case and punctuation, numbers as numbers, names as text.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuronaut.servers.code.commands import run_python
from neuronaut.servers.code.workspace import Workspace
from neuronaut.worlds.game.goals import as_number, normalise

log = logging.getLogger(__name__)

RUN_TIMEOUT_S = 5.0
MAX_SCREENS_PER_RUN = 20
MAX_REMEMBERED = 500
_RESULT_MARK = "@@reader-results@@"
# Appended to the model's code: reads the screens as JSON on stdin, prints one JSON list of readings.
_HARNESS = f"""

def _neuronaut_main():
    import json as _json, sys as _sys
    _out = []
    for _text in _json.loads(_sys.stdin.read()):
        try:
            _value = read(_text)
            if not isinstance(_value, dict):
                raise TypeError("read() must return a dict, not " + type(_value).__name__)
            _out.append({{"values": {{str(k): v for k, v in _value.items()}}}})
        except Exception as _exc:
            _out.append({{"error": type(_exc).__name__ + ": " + str(_exc)[:200]}})
    print({_RESULT_MARK!r} + _json.dumps(_out, default=str))

_neuronaut_main()
"""


@dataclass
class Reading:
    values: dict[str, Any] | None = None
    error: str = ""


class ReaderSandbox:
    """Runs reader code over screen texts in the code server's sandbox (one process per batch)."""

    def __init__(self, root: Path, *, timeout_s: float = RUN_TIMEOUT_S) -> None:
        self.root = root
        self.timeout_s = timeout_s
        self._workspace: Workspace | None = None
        # A reader is a function of the text alone: a status screen that did not change is not run again.
        self._known: dict[tuple[str, str], Reading] = {}

    async def run(self, code: str, texts: list[str]) -> list[Reading]:
        if all((code, text) in self._known for text in texts):
            return [self._known[code, text] for text in texts]
        readings = await self._run(code, texts)
        if len(self._known) > MAX_REMEMBERED:
            self._known.clear()
        self._known.update(((code, text), reading) for text, reading in zip(texts, readings, strict=False)
                           if reading.values is not None)  # a failure may be the sandbox's (a timeout)
        return readings

    async def _run(self, code: str, texts: list[str]) -> list[Reading]:
        if not texts:
            return []
        if self._workspace is None:
            self._workspace = Workspace(self.root)
        result = await run_python(self._workspace, code + _HARNESS, json.dumps(texts[:MAX_SCREENS_PER_RUN]),
                                  self.timeout_s)
        payload = next((line[len(_RESULT_MARK):] for line in reversed(result.stdout.splitlines())
                        if line.startswith(_RESULT_MARK)), None)
        if payload is None:
            why = ("timed out" if result.timed_out else
                   (result.stderr.strip().splitlines() or [f"exit code {result.exit_code}"])[-1])
            return [Reading(error=f"the reader did not run: {why[:200]}")] * len(texts)
        try:
            rows = json.loads(payload)
        except json.JSONDecodeError:
            return [Reading(error="the reader printed something that is not its results")] * len(texts)
        return [Reading(values=_clean(row["values"])) if "values" in row else Reading(error=row.get("error", ""))
                for row in rows]


def extract_code(answer: str) -> str:
    """The Python in a model's free-text answer: its first fenced block, else the text from ``def read``."""
    fenced = re.search(r"```(?:python|py)?\s*\n(.*?)```", answer, re.DOTALL)
    if fenced:
        return fenced[1].strip()
    start = answer.find("import ") if "import " in answer.split("def read", 1)[0] else answer.find("def read")
    return answer[max(start, 0):].strip()


def agrees(reader: dict[str, Any], model: dict[str, Any]) -> list[str]:
    """Where the reader's values differ from the model's reading (empty: they agree on every quantity the
    model read). Quantities the model did not read are left out of the comparison."""
    ours = {normalise(k): v for k, v in reader.items()}
    differences = []
    for name, value in model.items():
        key = normalise(name)
        if key not in ours:
            differences.append(f"{name}: missing (expected {value!r})")
        elif same_value(ours[key], value) is False:
            differences.append(f"{name}: {ours[key]!r} (expected {value!r})")
    return differences


def same_value(a: Any, b: Any) -> bool:
    number_a, number_b = as_number(_text(a)), as_number(_text(b))
    if number_a is not None and number_b is not None and _digits_only(a) and _digits_only(b):
        return number_a == number_b
    return _flat(_text(a)) == _flat(_text(b))


def _digits_only(value: Any) -> bool:
    return isinstance(value, int | float) or bool(re.fullmatch(r"\s*-?[\d,]+(?:\.\d+)?\s*", str(value)))


def _text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _flat(text: str) -> str:
    return " ".join(text.casefold().split())


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in list(values.items())[:40]:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float | str):
            kept[key[:60]] = value if not isinstance(value, str) else value[:200]
        elif isinstance(value, list):
            kept[key[:60]] = [str(v)[:80] for v in value[:40]]
    return kept
