"""Lifelong exploration: propose a goal, pursue it, record the outcome, repeat.

The loop owns no agent: each goal runs through an injected ``run_goal`` (by
default ``neuronaut.api.arun_goal``) and an unfinished one continues through an
injected ``resume`` (default ``neuronaut.api.aresume``), so tests drive it with
a scripted model and the CLI with the real one.

Resuming is file-based. Before a goal's run starts, its thread id is written to
``PROGRESS.md``; when the run ends the attempt is recorded and the marker
cleared. A crash, a kill or Ctrl-C in between leaves the marker, and the next
``explore`` resumes that thread before proposing anything new. Completed and
failed goals are read back from the same file, so a new session neither
repeats what is done nor retries what failed too often.

Budgets (goals, steps, LLM calls) count this session only and are checked
between goals; the next goal's step limit is cut to what the budget has left,
so a session never overshoots its step or LLM-call budget by more than the
retries of a single step. A resumed goal is charged its whole cost (its
pre-interruption part cannot be told apart), which errs on the safe side.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from neuronaut.errors import UserError
from neuronaut.learning.curriculum import Curriculum, CurriculumExhausted
from neuronaut.learning.progress_file import ACHIEVED, FAILED_STATUSES, ProgressFile, Unfinished
from neuronaut.llm.base import DecisionModel
from neuronaut.settings import Settings
from neuronaut.skills.layout import read_skills
from neuronaut.skills.model import slugify
from neuronaut.worlds.base import World

log = logging.getLogger(__name__)

# run_goal(goal, *, thread_id, world_options, max_steps) and resume(thread_id) return a RunResult-like
# object: status, steps, llm_calls, skills_learned, thread_id, and optionally progress (a dict).
RunGoal = Callable[..., Awaitable[Any]]
Resume = Callable[..., Awaitable[Any]]
# Reads the world's progress after a goal (e.g. the numbers its goals are about); overrides result.progress.
ProgressProbe = Callable[[Any], Awaitable[dict[str, Any]]]
# The goals earlier runs reached in the world, in order (default: read from episodic memory).
Route = Callable[[], Awaitable[list[str]]]


@dataclass
class GoalAttempt:
    goal: str
    status: str
    steps: int
    llm_calls: int
    thread_id: str
    source: str  # what chose the goal (a curriculum Source: "model", "memory", "skill"…) or "resume"
    reason: str = ""
    skills_learned: list[str] = field(default_factory=list)


@dataclass
class ExploreSummary:
    attempts: list[GoalAttempt] = field(default_factory=list)
    curriculum_calls: int = 0
    stop_reason: str = ""
    progress: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> list[str]:
        return [a.goal for a in self.attempts if a.status == ACHIEVED]

    @property
    def failed(self) -> list[str]:
        return [a.goal for a in self.attempts if a.status in FAILED_STATUSES]

    @property
    def steps(self) -> int:
        return sum(a.steps for a in self.attempts)

    @property
    def llm_calls(self) -> int:
        return self.curriculum_calls + sum(a.llm_calls for a in self.attempts)

    @property
    def skills_learned(self) -> list[str]:
        return list(dict.fromkeys(s for a in self.attempts for s in a.skills_learned))


@dataclass
class _Budget:
    goals: int | None
    steps: int | None
    llm_calls: int | None

    def exhausted(self, summary: ExploreSummary) -> str:
        if self.goals is not None and len(summary.attempts) >= self.goals:
            return f"goal budget of {self.goals} used"
        if self.steps is not None and summary.steps >= self.steps:
            return f"step budget of {self.steps} used"
        if self.llm_calls is not None and summary.llm_calls >= self.llm_calls:
            return f"LLM-call budget of {self.llm_calls} used"
        return ""

    def step_cap(self, summary: ExploreSummary, per_goal: int | None) -> int | None:
        """The next goal's step limit: at most what is left (each step costs at least one LLM call)."""
        left = [per_goal] if per_goal else []
        if self.steps is not None:
            left.append(self.steps - summary.steps)
        if self.llm_calls is not None:
            left.append(self.llm_calls - summary.llm_calls)
        return max(1, min(left)) if left else None


async def explore(*, world: World, settings: Settings, budget_goals: int | None = None,
                  budget_steps: int | None = None, run_goal: RunGoal | None = None, curriculum: Curriculum,
                  progress_file: ProgressFile, model: DecisionModel | None = None, resume: Resume | None = None,
                  budget_llm_calls: int | None = None, max_steps_per_goal: int | None = None,
                  world_options: dict[str, Any] | None = None,
                  progress_probe: ProgressProbe | None = None,
                  run_options: dict[str, bool] | None = None, route: Route | None = None) -> ExploreSummary:
    """Run the curriculum loop until a budget is used, the curriculum is exhausted, or it is interrupted.

    ``model`` proposes goals (None: the ladder alone) and, with the default ``run_goal``, plays them.
    ``world_options`` go to every run (e.g. one shared world instance); a proposal's own options win.
    ``run_options`` are the ablation switches (``use_skills=False``…) of the default ``run_goal``; without
    ``use_skills=False`` the curriculum also sees the world's learned skills, and without ``use_memory=False``
    the ``route`` earlier runs took, read once when the session starts.
    """
    run_goal = run_goal or _default_run_goal(world, settings, model, run_options or {})
    resume = resume or _default_resume(settings, model)
    budget = _Budget(budget_goals, budget_steps, budget_llm_calls)
    recorded = progress_file.read()
    completed, failed = list(recorded.completed), list(recorded.failed)
    # Nothing recorded yet: the run starts a new world, whose state the curriculum knows.
    summary = ExploreSummary(progress=dict(recorded.progress or curriculum.space.start))

    def options_on(name: str) -> bool:
        return (run_options or {}).get(name, True)

    async def record(goal: str, source: str, reason: str, result: Any) -> None:
        progress = await progress_probe(result) if progress_probe else dict(getattr(result, "progress", None) or {})
        summary.progress = {**summary.progress, **progress}
        attempt = _attempt(goal, source, reason, result)
        summary.attempts.append(attempt)
        progress_file.record_goal(goal, attempt.status, attempt.steps, attempt.llm_calls, attempt.skills_learned,
                                  thread_id=attempt.thread_id, progress=summary.progress)
        if attempt.status == ACHIEVED:
            completed.append(goal)
        elif attempt.status in FAILED_STATUSES:
            failed.append(goal)
        log.info("explore: %s → %s (%d steps, %d LLM calls)", goal, attempt.status, attempt.steps, attempt.llm_calls)

    remembered = await (route or _default_route(settings, world))() if options_on("use_memory") else []
    try:
        if recorded.unfinished is not None and not budget.exhausted(summary):
            result = await _resume(resume, recorded.unfinished, progress_file)
            if result is not None:
                await record(recorded.unfinished.goal, "resume", "unfinished in the last session", result)
        while True:
            if summary.attempts and summary.attempts[-1].status == "interrupted":
                summary.stop_reason = "interrupted; run explore again to resume"
                break
            if stop := budget.exhausted(summary):
                summary.stop_reason = stop
                break
            skills = read_skills(settings.skills_dir, world.name) if options_on("use_skills") else []
            proposal = await curriculum.propose(model, world=world, progress=summary.progress,
                                                completed=completed, failed=failed, skills=skills,
                                                route=remembered)
            summary.curriculum_calls += proposal.llm_calls
            options = {**(world_options or {}), **proposal.world_options}
            thread_id = new_explore_thread_id(world.name, proposal.goal)
            progress_file.start_goal(proposal.goal, thread_id, options)
            log.info("explore: next goal %r from the %s (%s)", proposal.goal, proposal.source, proposal.reason)
            result = await run_goal(proposal.goal, thread_id=thread_id, world_options=options,
                                    max_steps=budget.step_cap(summary, max_steps_per_goal))
            await record(proposal.goal, proposal.source, proposal.reason, result)
    except CurriculumExhausted as exc:
        summary.stop_reason = str(exc)
    except (KeyboardInterrupt, asyncio.CancelledError):
        # The goal in flight is still marked unfinished in PROGRESS.md: the next session resumes it.
        summary.stop_reason = "interrupted; run explore again to resume"
    return summary


def new_explore_thread_id(world: str, goal: str) -> str:
    return f"explore-{world}-{slugify(goal, 32)}-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"


async def _resume(resume: Resume, unfinished: Unfinished, progress_file: ProgressFile) -> Any | None:
    log.info("explore: resuming %r (thread %s)", unfinished.goal, unfinished.thread_id)
    try:
        return await resume(unfinished.thread_id)
    except UserError as exc:
        # Never checkpointed (killed before its first step) or deleted: propose afresh instead.
        log.warning("explore: cannot resume thread %s (%s); forgetting it", unfinished.thread_id, exc)
        progress_file.clear_unfinished()
        return None


def _attempt(goal: str, source: str, reason: str, result: Any) -> GoalAttempt:
    return GoalAttempt(
        goal=goal, status=str(getattr(result, "status", "failed")), steps=int(getattr(result, "steps", 0)),
        llm_calls=int(getattr(result, "llm_calls", 0)), thread_id=str(getattr(result, "thread_id", "")),
        source=source, reason=reason, skills_learned=list(getattr(result, "skills_learned", []) or []),
    )


# The defaults import neuronaut.api inside their functions (the API's graph imports the nodes, which import this
# package), and episode memory too (it loads Chroma, which a session given its own route never needs).
def _default_run_goal(world: World, settings: Settings, model: DecisionModel | None,
                      run_options: dict[str, bool]) -> RunGoal:
    async def run(goal: str, **kwargs: Any) -> Any:
        from neuronaut.api import arun_goal

        return await arun_goal(goal, world=world.name, settings=settings, decision_model=model, **run_options,
                               **kwargs)

    return run


def _default_route(settings: Settings, world: World) -> Route:
    async def route() -> list[str]:
        from neuronaut.memory.embeddings import load_embeddings
        from neuronaut.memory.store import EpisodeMemory

        def read() -> list[str]:
            settings.apply_process_environment()
            with EpisodeMemory(settings.memory_dir, load_embeddings(settings.embedding_model),
                               chroma_url=settings.chroma_url) as memory:
                return memory.achieved_goals(world.name)

        return await asyncio.to_thread(read)

    return route


def _default_resume(settings: Settings, model: DecisionModel | None) -> Resume:
    async def run(thread_id: str, **kwargs: Any) -> Any:
        from neuronaut.api import aresume

        return await aresume(thread_id, settings=settings, decision_model=model, **kwargs)

    return run
