"""The Python API: run a goal, resume a run. A run's services open (``neuronaut.services``) and close here.

Bad input is rejected before anything heavy loads, in this order: goal,
world, the goal's form for that world, the data directory, then the model.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from neuronaut.errors import NeuronautError, ToolServerError, UserError
from neuronaut.graph import build_graph
from neuronaut.llm.base import DecisionModel
from neuronaut.services import Services, load_decision_model, load_endpoint_model, open_services, prepare_data_dirs
from neuronaut.settings import Settings
from neuronaut.storage import configure_saver_connection, list_threads, storage_failure
from neuronaut.state import RunOptions, initial_state
from neuronaut.worlds import World, get_world

log = logging.getLogger(__name__)

# Re-exported: the CLI, Studio's graph module and the benchmarks open services through the API.
__all__ = ["RunResult", "aresume", "arun_goal", "load_decision_model", "load_endpoint_model", "new_thread_id",
           "open_services", "peek_runs", "prepare_data_dirs", "resume", "run_goal"]

Events = Callable[[dict[str, Any]], None]
Approver = Callable[[dict[str, Any]], Any]  # gets the approval question, returns the answer (True/False)


@dataclass
class RunResult:
    status: str
    goal: str
    thread_id: str
    world: str
    steps: int
    llm_calls: int
    skills_learned: list[str]
    skills_used: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0
    stop_reason: str = ""
    resumed_from_step: int | None = None
    progress: dict[str, Any] = field(default_factory=dict)  # what the checker read, e.g. a level reached
    package_dir: str | None = None  # where the world built its product (World.result_dir), e.g. a package
    answer: str = ""  # the final answer the run ended with (a world's final action, e.g. the generic finish)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for optional in ("resumed_from_step", "package_dir"):
            if data[optional] is None:
                data.pop(optional)
        return data


def new_thread_id(world: str) -> str:
    return f"{world}-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def run_goal(goal: str, *, world: str = "rpg", model: str | None = None, max_steps: int | None = None,
             thread_id: str | None = None, **kwargs: Any) -> RunResult:
    """Pursue ``goal`` in ``world`` until it is verified, the budget runs out, or it is interrupted."""
    return _run_sync(arun_goal(goal, world=world, model=model, max_steps=max_steps, thread_id=thread_id, **kwargs))


def resume(thread_id: str, **kwargs: Any) -> RunResult:
    """Continue a checkpointed run from its last completed node."""
    return _run_sync(aresume(thread_id, **kwargs))


async def arun_goal(
    goal: str, *, world: str = "rpg", model: str | None = None, max_steps: int | None = None,
    thread_id: str | None = None, settings: Settings | None = None, decision_model: DecisionModel | None = None,
    use_skills: bool = True, use_memory: bool = True, events: Events | None = None,
    world_options: dict[str, Any] | None = None, max_wall_s: float | None = None, max_tokens: int | None = None,
    approver: Approver | None = None, use_critic: bool = True,
) -> RunResult:
    """``world_options`` go to the world's constructor (e.g. the path of a task file the world reads)."""
    settings = settings or Settings.load()
    the_world = get_world(world, settings, **(world_options or {}))
    goal = " ".join((goal or "").split()) or the_world.default_goal() or ""
    if not goal:
        raise UserError("the goal is empty; say what the agent should achieve, e.g. \"reach level 2\"")
    the_world.parse_goal(goal)  # a goal the world cannot pursue fails here, before a thread is opened
    thread_id = thread_id or new_thread_id(world)
    options = RunOptions(max_steps=max_steps or settings.max_steps, max_wall_s=max_wall_s or settings.max_wall_s,
                         max_tokens=max_tokens or settings.max_tokens, use_skills=use_skills, use_memory=use_memory,
                         use_critic=use_critic)
    async with _open_run(settings, the_world, thread_id, model, decision_model, events) as (graph, services):
        config = _config(thread_id)
        if (await graph.aget_state(config)).values:
            raise UserError(f"thread {thread_id!r} already exists; continue it with `neuronaut resume {thread_id}` "
                            "or choose a new thread id")
        result = await _drive(graph, services, initial_state(goal, world, options, world_options), config, None,
                              approver)
        return _naming_dir(result, the_world)


async def aresume(
    thread_id: str, *, settings: Settings | None = None, model: str | None = None,
    decision_model: DecisionModel | None = None, events: Events | None = None, max_steps: int | None = None,
    approve: bool | None = None, approver: Approver | None = None,
) -> RunResult:
    """Continue a run; ``approve`` answers a pending approval question (or ``approver`` asks a person)."""
    settings = settings or Settings.load()
    state = await _peek_state(settings, thread_id)
    if state is None:
        raise UserError(f"no checkpointed run with thread id {thread_id!r} in {settings.checkpoint_db}")
    values, has_next = state
    the_world = get_world(values["world"], settings, **values.get("world_options", {}))
    async with _open_run(settings, the_world, thread_id, model, decision_model, events) as (graph, services):
        config = _config(thread_id)
        step = values.get("step", 0)
        if max_steps and max_steps != values.get("options", {}).get("max_steps"):
            options = {**values.get("options", {}), "max_steps": max_steps}
            if not has_next and values.get("status") == "budget_exhausted" and max_steps > step:
                # A larger budget reopens a run that stopped only for lack of steps: learn routes it on.
                await graph.aupdate_state(config, {"options": options, "status": "running", "stop_reason": ""},
                                          as_node="learn")
                has_next = True
            else:
                await graph.aupdate_state(config, {"options": options})
        # A kill between a node's saved writes and the step's checkpoint leaves no "next" task although the
        # run is unfinished: invoking again applies those writes and goes on, so only a terminal status stops here.
        if not has_next and values.get("status", "running") != "running":
            final = (await graph.aget_state(config)).values
            return _naming_dir(_result(final, thread_id, 0.0, resumed_from_step=step), the_world)
        inputs = Command(resume=approve) if approve is not None else None
        return _naming_dir(await _drive(graph, services, inputs, config, step, approver), the_world)


def _naming_dir(result: RunResult, world: World) -> RunResult:
    built = world.result_dir()
    result.package_dir = str(built) if built is not None else None
    return result


async def _drive(graph, services: Services, inputs, config, resumed_from: int | None,
                 approver: Approver | None) -> RunResult:
    started = time.perf_counter()
    thread_id = config["configurable"]["thread_id"]
    try:
        while True:
            await graph.ainvoke(inputs, config, context=services, durability="sync")
            pending = (await graph.aget_state(config)).interrupts
            if not pending:
                break
            question = pending[0].value
            if approver is None:
                values = (await graph.aget_state(config)).values
                reason = (f"waiting for approval: {question.get('question')} — answer with `neuronaut resume "
                          f"{thread_id} --approve` or `--deny`")
                return _result({**values, "status": "interrupted", "stop_reason": reason}, thread_id,
                               time.perf_counter() - started, resumed_from)
            inputs = Command(resume=await asyncio.to_thread(approver, question))
    except (KeyboardInterrupt, asyncio.CancelledError):
        values = (await graph.aget_state(config)).values
        return _result({**values, "status": "interrupted", "stop_reason": "interrupted; resume to continue"},
                       thread_id, time.perf_counter() - started, resumed_from)
    except ToolServerError as exc:
        # The last completed node is checkpointed: once the server works again, resume picks up there.
        values = (await graph.aget_state(config)).values
        reason = f"{exc}; fix it, then continue with `neuronaut resume {thread_id}`"
        return _result({**values, "status": "failed", "stop_reason": reason}, thread_id,
                       time.perf_counter() - started, resumed_from)
    values = (await graph.aget_state(config)).values
    return _result(values, config["configurable"]["thread_id"], time.perf_counter() - started, resumed_from)


def _result(values: dict[str, Any], thread_id: str, wall_s: float, resumed_from_step: int | None) -> RunResult:
    return RunResult(
        status=values.get("status", "failed"), goal=values.get("goal", ""), thread_id=thread_id,
        world=values.get("world", ""), steps=values.get("step", 0), llm_calls=values.get("llm_calls", 0),
        skills_learned=list(values.get("skills_learned", [])), skills_used=sorted(set(values.get("skills_used", []))),
        prompt_tokens=values.get("prompt_tokens", 0), completion_tokens=values.get("completion_tokens", 0),
        wall_s=round(wall_s, 2), stop_reason=values.get("stop_reason", ""), resumed_from_step=resumed_from_step,
        progress=dict((values.get("verdict") or {}).get("progress") or {}), answer=_final_answer(values),
    )


def _final_answer(values: dict[str, Any]) -> str:
    """The answer of the run's last step, when that step was a final action that went through."""
    outcome = values.get("outcome") or {}
    if not (outcome.get("final") and outcome.get("ok")):
        return ""
    return str((outcome.get("structured") or {}).get("answer", outcome.get("text", "")))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}, "recursion_limit": 100_000}


@asynccontextmanager
async def _open_run(settings, world: World, thread_id, model, decision_model, events) -> AsyncIterator[tuple[Any, Services]]:
    prepare_data_dirs(settings)
    try:
        async with AsyncExitStack() as stack:
            # The loader is looked up here, at call time, so a harness can swap ``api.load_decision_model``.
            services = await open_services(stack, settings, world, thread_id, model=model, events=events,
                                           decision_model=decision_model, load_model=load_decision_model)
            saver = await stack.enter_async_context(AsyncSqliteSaver.from_conn_string(str(settings.checkpoint_db)))
            await configure_saver_connection(saver.conn)
            yield build_graph(checkpointer=saver), services
    except NeuronautError:
        raise
    except Exception as exc:
        # A write that failed for lack of room, wherever it was (checkpoints, ledger, Chroma, skills): the last
        # completed node is checkpointed, so once there is room a resume continues from there.
        folders = (settings.checkpoints_dir, settings.memory_dir, settings.skills_dir, settings.worlds_dir)
        if (problem := storage_failure(exc, settings.home, folders)) is None:
            raise
        log.info("run %s stopped by storage: %s", thread_id, _first_line(exc))
        raise UserError(f"{problem}, then continue with `neuronaut resume {thread_id}`") from None


async def peek_runs(settings: Settings, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs with their status, read without disturbing a run that is writing."""
    threads = list_threads(settings.checkpoint_db)[:limit]
    rows = []
    for thread in threads:
        peeked = await _peek_state(settings, thread.thread_id)
        values, has_next = peeked or ({}, False)
        status = values.get("status", "?")
        if status == "running" and has_next:
            status = "running/resumable"  # a live run and a killed one look the same from outside
        rows.append({"thread_id": thread.thread_id, "status": status, "step": values.get("step", 0),
                     "goal": values.get("goal", ""), "checkpoints": thread.checkpoints})
    return rows


async def _peek_state(settings: Settings, thread_id: str) -> tuple[dict[str, Any], bool] | None:
    if not Path(settings.checkpoint_db).is_file():
        return None
    async with AsyncSqliteSaver.from_conn_string(str(settings.checkpoint_db)) as saver:
        snapshot = await build_graph(checkpointer=saver).aget_state(_config(thread_id))
    if not snapshot.values:
        return None
    return dict(snapshot.values), bool(snapshot.next)


def _run_sync(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Inside Jupyter a loop is already running: run ours in a worker thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
