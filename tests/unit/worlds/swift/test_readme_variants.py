"""Every bundled spec rewritten in other README styles gives the same checks as the original.

The structures compared are what `neuronaut swift checks --json` prints, without where each check came from
(line, source) and without the command's spelling (quoting differs between styles; the arguments and stdin
that are run do not).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuronaut.cli import main

EXAMPLES = Path(__file__).parents[4] / "examples" / "swift"
VARIANTS = sorted(EXAMPLES.glob("*/variants/*.md"))
WHERE_AND_SPELLING = ("line", "source", "command")


def checks_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["swift", "checks", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    checks = [{k: v for k, v in check.items() if k not in WHERE_AND_SPELLING} for check in data["checks"]]
    return {"package": data["package"], "executable": data["executable"],
            "checks": sorted(checks, key=lambda check: json.dumps(check, sort_keys=True))}


def test_every_bundled_spec_has_at_least_two_variants():
    specs = sorted(path.parent.name for path in EXAMPLES.glob("*/README.md"))
    assert all(len(list((EXAMPLES / name / "variants").glob("*.md"))) >= 2 for name in specs)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: f"{p.parents[1].name}-{p.stem}")
def test_a_variant_gives_the_same_checks_as_the_original(variant: Path, capsys: pytest.CaptureFixture[str]):
    original = checks_json(variant.parents[1] / "README.md", capsys)
    assert checks_json(variant, capsys) == original


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: f"{p.parents[1].name}-{p.stem}")
def test_a_variant_is_written_in_another_style(variant: Path, capsys: pytest.CaptureFixture[str]):
    text = variant.read_text()
    assert "- Package:" not in text and "[exit " not in text
    assert main(["swift", "checks", str(variant), "--json"]) == 0
    sources = {check["source"] for check in json.loads(capsys.readouterr().out)["checks"]}
    assert sources and "console" not in sources
