"""What a skill is: a named, parameterised sequence of tool calls that worked before.

Skills are stored as JSON files (one per skill) and validated by these models,
so a hand-edited or imported file that is malformed is rejected, not half-used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
WORLD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_REPEAT = 50  # a learned loop must not run away with the tool budget


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def slugify(text: str, max_len: int = 48) -> str:
    """``"Reach level 2!"`` → ``"reach-level-2"``; cut at a word boundary; ``"skill"`` if nothing is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] if "-" in slug[:max_len] else slug[:max_len]
    return slug or "skill"


class SkillParameter(BaseModel):
    type: Literal["string", "integer", "number", "boolean"] = "string"
    description: str = ""
    default: Any = None
    enum: list[Any] | None = Field(None, description="The only values it takes: the decision grammar offers these.")


class SkillStep(BaseModel):
    tool: str = Field(min_length=1)
    args: dict[str, Any] = Field(default_factory=dict, description='May hold "{param}" placeholders.')
    repeat: int = Field(1, ge=1, le=MAX_REPEAT)
    until_text: str | None = Field(None, description="Stop repeating once the result contains this text.")
    while_accepted: bool = Field(False, description=(
        "A refused call ends this step's repeats and the skill goes on (act until the world stops accepting it); "
        "otherwise a refused call fails the skill."))
    only_if: str | None = Field(None, description=(
        "Run this step only when the world's condition of this name holds now (a state the world can test, "
        "such as 'low on resources'); otherwise it is skipped."))
    done_texts: list[str] = Field(default_factory=list, description=(
        "The skill (a cycled replay: its round) is done once a result of this step contains one of these texts "
        "(the world says the round is over)."))
    fails_on: list[str] = Field(default_factory=list, description=(
        "The step failed, though its call went through, once its result contains one of these texts (a "
        "refusal worded as a result: 'costs 25; you have 13'). This fails the skill even when the step repeats while "
        "accepted."))

    def describe(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.args.items())
        times = f" x{self.repeat}" if self.repeat > 1 else ""
        until = f" until {self.until_text!r}" if self.until_text else ""
        accepted = " while accepted" if self.while_accepted else ""
        done = f" (done on {' or '.join(map(repr, self.done_texts))})" if self.done_texts else ""
        condition = f" only if {self.only_if}" if self.only_if else ""
        fails = f" (fails on {' or '.join(map(repr, self.fails_on))})" if self.fails_on else ""
        return f"{self.tool}({args}){times}{until}{accepted}{done}{condition}{fails}"


class SkillStats(BaseModel):
    successes: int = Field(0, ge=0)
    failures: int = Field(0, ge=0)

    @property
    def runs(self) -> int:
        return self.successes + self.failures


class SkillVersion(BaseModel):
    """A summary of a superseded version; the full file stays in ``.history/``."""

    version: int
    updated: str
    steps: str
    successes: int = 0
    failures: int = 0


class Skill(BaseModel):
    name: str
    description: str = ""
    world: str
    goal: str = ""
    parameters: dict[str, SkillParameter] = Field(default_factory=dict)
    steps: list[SkillStep] = Field(min_length=1)
    kind: Literal["trajectory", "code", "starter"] = "trajectory"
    stats: SkillStats = Field(default_factory=SkillStats)
    version: int = Field(1, ge=1)
    created: str = Field(default_factory=now_iso)
    updated: str = Field(default_factory=now_iso)
    history: list[SkillVersion] = Field(default_factory=list)
    demoted: bool = False

    @field_validator("name")
    @classmethod
    def _name_is_slug(cls, value: str) -> str:
        # Names become file names: a slug can't escape the skills directory.
        if not SLUG.match(value):
            raise ValueError(f"skill name {value!r} must be a lower-case slug like 'reach-level-2'")
        return value

    @field_validator("world")
    @classmethod
    def _world_is_slug(cls, value: str) -> str:
        if not WORLD.match(value):
            raise ValueError(f"world {value!r} must be lower-case letters, digits, '-' or '_'")
        return value

    @property
    def key(self) -> str:
        return f"{self.world}/{self.name}"

    def same_steps(self, other: Skill) -> bool:
        return [s.model_dump() for s in self.steps] == [s.model_dump() for s in other.steps]

    def steps_text(self) -> str:
        return "; ".join(step.describe() for step in self.steps)

    def signature(self) -> str:
        """``name(param=default, …)``: how the model is told to call it."""
        params = ", ".join(f"{name}={p.default!r}" if p.default is not None else name
                           for name, p in self.parameters.items())
        return f"{self.name}({params})"

    def index_text(self) -> str:
        """What the skill index embeds: purpose first, then the actions."""
        return f"{self.name.replace('-', ' ')}: {self.description} | goal: {self.goal} | steps: {self.steps_text()}"

    def version_summary(self) -> SkillVersion:
        return SkillVersion(version=self.version, updated=self.updated, steps=self.steps_text(),
                            successes=self.stats.successes, failures=self.stats.failures)
