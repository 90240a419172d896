"""The automatic curriculum: which goal to pursue next, Voyager-style.

Voyager's rules: a goal must be novel (not done yet), feasible now (one step
beyond the current state), and checkable (here: in a form the world's checker
parses). A small model cannot be trusted to invent well-formed goals, so the
curriculum builds the candidates itself (the next rungs of a per-world ladder
plus goals the world generates from its progress) and the model only chooses one,
through a grammar whose ``goal`` is an enum of those candidates. Its choice is
still validated (the world's ``parse_goal``, novelty, failure count); when it
is unusable, or there is no model, the ladder decides.

A goal that a learned skill already reaches (the same goal but for its numbers,
e.g. "reach level 3" once `reach-level-2` is learned) is "feasible now" in the
strongest sense: it is proposed first, without asking the model, and the habit
then pursues it without a model call either. Only untried goals are chosen so;
a goal whose attempt failed goes back to the model's choice, and after
``SKILL_STREAK`` such goals in a row the model chooses once.

Before either, episodic memory may have chosen already: ``route`` is the goals
earlier runs reached, in the order they reached them (``EpisodeMemory.achieved_goals``).
Of the candidates, the one that comes first on that route is proposed without
asking the model: a second run of a world climbs the first one's way (goals
no skill proposes included), and the model chooses again once the candidates
leave the route. A goal tried and failed in this run of the world is left to the
model, like a skill's.

Two ablations pick without the model: ``pick="ladder"`` follows the hand-ordered
ladder (Voyager's "manual curriculum"), ``pick="random"`` draws any open goal of
the world at random, feasible now or not (Voyager's "random curriculum", what
its ablation called "without the automatic curriculum").
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from langchain_core.messages import HumanMessage

from neuronaut.errors import NeuronautError, UserError
from neuronaut.learning.goals import GoalSpace, goal_kind, normal
from neuronaut.llm.base import Completion, DecisionModel, ModelOutputError
from neuronaut.prompts import render_prompt
from neuronaut.skills.matching import skill_for_goal
from neuronaut.skills.model import Skill
from neuronaut.worlds.base import World

log = logging.getLogger(__name__)

REASON_MAX_CHARS = 100  # ~25 tokens: a short reasoning keeps the choice a small part of a goal's time
MAX_FAILURES = 2  # a goal that failed this often is not proposed again
WINDOW = 3  # open ladder rungs offered at once: feasible now, not far beyond
MAX_CANDIDATES = 6
_NUMBER = re.compile(r"\d+")
Pick = Literal["model", "ladder", "random"]
PICKS: tuple[str, ...] = get_args(Pick)
Source = Literal["model", "ladder", "random", "skill", "memory"]  # what chose a proposal
SKILL_STREAK = 3  # goals in a row a skill may choose before the model chooses again


class CurriculumExhausted(NeuronautError):
    """No novel goal is left that has not failed too often."""


@dataclass
class Proposal:
    goal: str
    source: Source
    reason: str
    world_options: dict[str, Any] = field(default_factory=dict)  # the world options its run needs (from the goal space)
    completion: Completion | None = None  # the model call's cost, when one was made

    @property
    def llm_calls(self) -> int:
        return 0 if self.completion is None else 1


class Curriculum:
    def __init__(self, space: GoalSpace, *, max_failures: int = MAX_FAILURES, window: int = WINDOW,
                 max_candidates: int = MAX_CANDIDATES, prompt: str = "curriculum", pick: Pick = "model",
                 seed: int | None = None) -> None:
        if pick not in PICKS:
            raise UserError(f"unknown curriculum pick {pick!r}: choose {', '.join(PICKS)}")
        self.space = space
        self.pick = pick
        self.random = random.Random(seed)
        self.max_failures = max_failures
        self.window = window
        self.max_candidates = max_candidates
        self.prompt = prompt

    @classmethod
    def for_world(cls, world: World, **options: Any) -> Curriculum:
        """The curriculum over what ``world`` knows of its goals (nothing: the model alone proposes them)."""
        return cls(world.goal_space() or GoalSpace(world.name, ()), **options)

    async def propose(self, model: DecisionModel | None, *, world: World, progress: Mapping[str, Any],
                      completed: Collection[str], failed: Sequence[str], skills: Sequence[Skill] = (),
                      route: Sequence[str] = ()) -> Proposal:
        """The next goal. ``failed`` has one item per failed attempt; ``skills`` are the world's learned skills
        (none under the no-skills ablation), ``route`` the goals earlier runs reached, in order (none under the
        no-memory ablation); raises ``CurriculumExhausted``."""
        done, failures = {normal(g) for g in completed}, Counter(normal(g) for g in failed)
        rungs = self.open_ladder(progress, done, failures)
        candidates = self.candidates(progress, done, failures, rungs)
        if not candidates:
            raise CurriculumExhausted(f"no novel goal left for the {self.space.world} world "
                                      f"({len(done)} done, {len(failures)} failed too often or pending)")
        if self.pick == "random":
            every = [*self.open_ladder(progress, done, failures, feasible_only=False),
                     *self.space.generate(progress, done)]
            pool = list({normal(g): g for g in every if self._is_open(g, progress, done, failures)}.values())
            goal = self.random.choice(pool or candidates)
            return Proposal(goal, "random", "drawn at random (random curriculum)", self.space.world_options(goal))
        if self.pick == "model" and (remembered := self._on_the_route(candidates, route, failures)):
            return remembered
        if (self.pick == "model" and not self._skill_streak(list(completed), skills)
                and (extended := self._extended_by_a_skill(candidates, skills, failures))):
            return extended
        if model is None or self.pick == "ladder" or len(candidates) == 1:
            why = ("the only candidate" if len(candidates) == 1 else "the ladder's order" if self.pick == "ladder"
                   else "no curriculum model")
            return self._ladder(rungs or candidates, failures, why)
        completion, problem = await self._ask(model, world, progress, done, failures, candidates)
        if problem is None:
            goal = str(completion.data["goal"]).strip()
            problem = self._rejection(goal, world, progress, done, failures)
            if problem is None:
                reason = " ".join(str(completion.data.get("reasoning", "")).split())[:REASON_MAX_CHARS]
                return Proposal(goal, "model", reason or "chosen by the model", self.space.world_options(goal),
                                completion)
        log.info("curriculum: model proposal rejected (%s); falling back to the ladder", problem)
        proposal = self._ladder(rungs or candidates, failures, f"model proposal rejected: {problem}")
        proposal.completion = completion
        return proposal

    def open_ladder(self, progress: Mapping[str, Any], done: set[str], failures: Counter[str],
                    feasible_only: bool = True) -> list[str]:
        """Ladder goals still worth trying (and, unless told otherwise, feasible now), in ladder order."""
        return [g for g in self.space.ladder if self._is_open(g, progress, done, failures)
                and (not feasible_only or self.space.feasible(g, progress))]

    def candidates(self, progress: Mapping[str, Any], done: set[str], failures: Counter[str],
                   rungs: list[str] | None = None) -> list[str]:
        rungs = self.open_ladder(progress, done, failures) if rungs is None else rungs
        generated = [g for g in self.space.generate(progress, done) if self._is_open(g, progress, done, failures)]
        unique = {normal(g): g for g in [*rungs[: self.window], *generated]}
        return easiest_of_each_kind(list(unique.values()))[: self.max_candidates]

    def _is_open(self, goal: str, progress: Mapping[str, Any], done: set[str], failures: Counter[str]) -> bool:
        key = normal(goal)
        return key not in done and failures[key] < self.max_failures and not self.space.holds(goal, progress)

    @staticmethod
    def _skill_streak(completed: list[str], skills: Sequence[Skill]) -> bool:
        """The last SKILL_STREAK goals done were all reached by a skill: the model chooses this time.

        Without it a routine that keeps working climbs level after level with no model call and no end (an
        exploration's budget counts model calls), and nothing novel that no skill reaches is ever chosen."""
        recent = completed[-SKILL_STREAK:]
        return len(recent) == SKILL_STREAK and all(skill_for_goal(skills, goal) for goal in recent)

    def _extended_by_a_skill(self, candidates: list[str], skills: Sequence[Skill],
                             failures: Counter[str]) -> Proposal | None:
        for goal in candidates:
            found = skill_for_goal(skills, goal) if not failures[normal(goal)] else None
            if found is not None:
                skill, args = found
                return Proposal(goal, "skill", f"the skill {skill.name} reaches it with {args}",
                                self.space.world_options(goal))
        return None

    def _on_the_route(self, candidates: list[str], route: Sequence[str], failures: Counter[str]) -> Proposal | None:
        untried = {normal(g): g for g in candidates if not failures[normal(g)]}
        for position, goal in enumerate(route, 1):
            if (found := untried.get(normal(goal))) is not None:
                return Proposal(found, "memory", f"earlier runs took this way: goal {position} of the {len(route)} "
                                "they reached", self.space.world_options(found))
        return None

    def _ladder(self, rungs: list[str], failures: Counter[str], why: str) -> Proposal:
        # Untried rungs before retried ones (Voyager retries failed tasks later), but only among
        # the next few: a failure must not send the agent to a far harder goal.
        window = list(enumerate(rungs[: self.window]))
        _, goal = min(window, key=lambda pair: (failures[normal(pair[1])], pair[0]))
        return Proposal(goal, "ladder", why, self.space.world_options(goal))

    async def _ask(self, model: DecisionModel, world: World, progress: Mapping[str, Any], done: set[str],
                   failures: Counter[str], candidates: list[str]) -> tuple[Completion | None, str | None]:
        text = render_prompt(
            self.prompt, world_description=world.description, progress=_describe(progress),
            completed=", ".join(sorted(done)) or "none yet",
            failed=", ".join(f"{g} ({n}x)" for g, n in failures.items()) or "none",
            candidates="\n".join(_listed(g, self.space.needs(g, progress)) for g in candidates),
        )
        try:
            completion = await model.decide([HumanMessage(content=text)], proposal_schema(candidates))
        except ModelOutputError as exc:
            return exc.completion, f"unusable answer: {exc}"
        if not isinstance(completion.data.get("goal"), str):
            return completion, "the answer has no goal"
        return completion, None

    def _rejection(self, goal: str, world: World, progress: Mapping[str, Any], done: set[str],
                   failures: Counter[str]) -> str | None:
        try:
            world.parse_goal(goal)
        except UserError as exc:
            return str(exc)
        key = normal(goal)
        if key in done:
            return f"{goal!r} is already done"
        if failures[key] >= self.max_failures:
            return f"{goal!r} failed {failures[key]} times"
        if self.space.holds(goal, progress):
            return f"{goal!r} already holds"
        return None


def easiest_of_each_kind(goals: list[str]) -> list[str]:
    """Of goals that differ only in their numbers, the one with the smallest: "feasible now" for goals of a kind.

    Offered "reach level 2" and "reach level 3", a model may take the second, run out of steps and learn
    nothing; reaching level 2 first leaves a skill that climbs to level 3 without the model."""
    easiest: dict[str, tuple[list[int], str]] = {}  # kind → (its numbers, goal); keeps the kind's first position
    for goal in goals:
        kind = goal_kind(goal)
        numbers = [int(n) for n in _NUMBER.findall(goal)]
        if kind not in easiest or numbers < easiest[kind][0]:
            easiest[kind] = (numbers, goal)
    return [goal for _, goal in easiest.values()]


def _listed(goal: str, needs: str) -> str:
    return f"- {goal} ({needs})" if needs else f"- {goal}"


def proposal_schema(candidates: list[str]) -> dict[str, Any]:
    """Reasoning first (a small model's choice follows its own words), then one candidate, verbatim."""
    return {
        "type": "object",
        "properties": {
            "reasoning": {"type": "string", "maxLength": REASON_MAX_CHARS},
            "goal": {"enum": list(candidates)},
        },
        "required": ["reasoning", "goal"],
        "additionalProperties": False,
    }


def _describe(progress: Mapping[str, Any]) -> str:
    if not progress:
        return "unknown (nothing done yet)"
    return json.dumps(dict(progress), ensure_ascii=False, sort_keys=True)
