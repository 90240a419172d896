"""A README spec as the Swift world checks it: the package's names and its acceptance checks."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AcceptanceCheck(BaseModel):
    command: str = Field(description="The example's command line, as written in the README.")
    args: list[str]
    stdin: str | None = None
    expected_stdout: str
    expected_exit: int = 0
    expected_stderr: str | None = Field(None, description="A message stderr must contain (not byte equality).")
    line: int | None = Field(None, description="The README line the example came from.")
    source: str = Field("", description="How the README gave it: console, usage, prose, table or cases file.")


class SwiftSpec(BaseModel):
    title: str
    package: str
    executable: str
    difficulty: str | None = None
    description: str
    checks: list[AcceptanceCheck]
