"""Exact resume under kill -9: run, SIGKILL at a random point, resume until done, then audit the side effects.

    python bench/kill_trials.py [--trials 20] [--steps 4] [--seed 0] [--max-kills 2] [--scripted]

Each trial starts the real CLI (``neuronaut run "reach level 9" --max-steps K
--thread T --json``, the tiny ``smollm2-135m`` model, a fresh NEURONAUT_HOME)
in its own session and kills the whole process group (agent and MCP server)
with SIGKILL at a random point: right after a random progress line, often the
end of ``plan`` so the kill lands inside ``act``, or after a random delay. A
resumed run may be killed again (``--max-kills``); the last ``neuronaut resume
T --json`` must run to completion.

The audit compares the tool ledger (``checkpoints/tool-ledger.sqlite``) with
what the game actually received (``checkpoints/worlds/rpg-T.json``): the
simulator is deterministic, so replaying the ledger's calls into a fresh game
must give exactly the persisted game — same messages, same edits, same hero,
same random state. A call the ledger shows *started* but never *done* may or
may not have reached the game: both are tried. When no replay matches, a
replay with one call applied twice is tried, to name the duplicated call.

``--scripted`` swaps the model for the scripted fighter policy
(``tests/reliability/scripted_cli.py``): the same CLI, in seconds per trial.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from neuronaut.servers.rpg.chat import ChatError, SimulatedChat  # noqa: E402

GOAL = "reach level 9"  # unreachable within a few steps: every trial ends on its step budget
TINY_MODEL = "smollm2-135m"
NODES = ("perceive", "plan", "act", "verify", "learn")
SIDE_EFFECTING = ("send_message", "press_inline_button")
MAX_STARTED_ONLY_BRANCHES = 6  # 2**6 replays at most per trial


# --- killing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KillPoint:
    """Kill ``delay_s`` after the progress line of ``node`` at ``step`` (or after the first line, if node is None)."""

    step: int
    node: str | None
    delay_s: float

    def describe(self) -> str:
        if self.node is None:
            return f"{self.delay_s:.2f}s after the first progress line"
        return f"{self.delay_s:.2f}s after '[{self.step:>3}] {self.node}'"

    def matches(self, line: str) -> bool:
        if self.node is None:
            return line.startswith("[") and "] " in line
        return line.startswith(f"[{self.step:>3}] {self.node:<8}")


def choose_kill(rng: random.Random, first_step: int, last_step: int, step_s: float = 20.0) -> KillPoint:
    """A random point in the steps [first_step, last_step - 1), so the run is still alive when it comes.

    Half of them land in or right around ``act``; ``step_s`` is roughly how long a step takes (the scripted
    model's steps take a tenth of a second, the tiny model's tens of seconds) and bounds the random delays.
    """
    step = rng.randrange(first_step, max(first_step + 1, last_step - 1))
    roll = rng.random()
    if roll < 0.5:  # the end of plan: act (ledger started → call → done → checkpoint) runs next
        return KillPoint(step, "plan", rng.uniform(0.0, 0.15))
    if roll < 0.85:
        node = rng.choice(NODES)
        label = step + 1 if node in ("verify", "learn") else step  # verify and learn report the new step
        return KillPoint(label, node, rng.uniform(0.0, min(1.0, step_s / 5)))
    return KillPoint(0, None, rng.uniform(0.0, step_s * max(1, last_step - first_step - 1)))


def cli_command(scripted: bool, *args: str) -> list[str]:
    module = "tests.reliability.scripted_cli" if scripted else "neuronaut.cli"
    return [sys.executable, "-m", module, *args]


def trial_env(home: Path, *, real_embeddings: bool = False) -> dict[str, str]:
    env = {**os.environ, "NEURONAUT_HOME": str(home), "NEURONAUT_MODEL": TINY_MODEL, "NEURONAUT_N_CTX": "4096",
           "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    if not real_embeddings:
        env["NEURONAUT_EMBEDDING_MODEL"] = "hash-64"
    return env


@dataclass
class Attempt:
    command: str
    killed_at: str | None  # the kill point, or None if it ran to its end
    last_line: str  # the last progress line seen before the kill or the end
    returncode: int
    stdout: str
    stderr: str


def run_attempt(argv: list[str], env: dict[str, str], kill: KillPoint | None, timeout_s: float) -> Attempt:
    """Start ``argv`` in a new session; SIGKILL its process group at ``kill`` (if it gets that far)."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=ROOT, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()
    err: list[str] = []

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            err.append(line)
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout_s
    killed_at, last_line = None, ""
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"{' '.join(argv[2:5])} made no progress within {timeout_s:.0f}s") from None
            if line is None:
                break
            if line.startswith("["):
                last_line = line.rstrip()
            if kill is not None and kill.matches(line):
                time.sleep(kill.delay_s)
                try:
                    os.killpg(process.pid, signal.SIGKILL)  # the agent and its MCP server, wherever they are
                except ProcessLookupError:
                    break  # it finished first
                killed_at = kill.describe()
                break
    except BaseException:
        _kill_group(process)
        raise
    if killed_at is not None:
        process.wait(timeout=30)
        reader.join(timeout=30)
        if process.returncode == -signal.SIGKILL:
            return Attempt(" ".join(argv[3:5]), killed_at, last_line, process.returncode, "", "".join(err))
        # It had already finished when the signal was sent: an ordinary end.
    try:
        stdout, _ = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise TimeoutError(f"{' '.join(argv[2:5])} did not finish within {timeout_s:.0f}s") from None
    reader.join(timeout=30)
    return Attempt(" ".join(argv[3:5]), None, last_line, process.returncode, stdout, "".join(err))


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


# --- auditing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerCall:
    step: int
    call_index: int
    tool: str
    args: dict[str, Any]
    status: str  # 'started' or 'done'


def ledger_calls(ledger_db: Path, thread: str) -> list[LedgerCall]:
    if not ledger_db.exists():
        return []
    db = sqlite3.connect(f"file:{ledger_db}?mode=ro", uri=True)
    try:
        rows = db.execute("select step, call_index, tool, args, status from tool_calls where thread_id=? "
                          "order by step, call_index", (thread,)).fetchall()
    finally:
        db.close()
    return [LedgerCall(step, index, tool, json.loads(args), status) for step, index, tool, args, status in rows]


def world_state_path(home: Path, thread: str) -> Path:
    import re

    return home / "checkpoints" / "worlds" / f"rpg-{re.sub(r'[^A-Za-z0-9_.-]', '_', thread)[:80]}.json"


def fingerprint(chat: SimulatedChat) -> dict[str, Any]:
    """Everything the game's inputs determine; wall-clock dates and read receipts left out."""
    def message(m: dict[str, Any]) -> tuple:
        return (m["id"], m["sender"], m["outgoing"], m["text"], m["edit_date"] is not None,
                tuple(b["text"] for b in m.get("buttons", [])))

    messages = chat.get_messages(chat.CHAT_ID, 10_000).model_dump(mode="json")["messages"]
    updates = [u.model_dump(mode="json") for u in chat.updates_after(0)]
    return {
        "bot": chat.bot.to_dict(),
        "messages": [message(m) for m in messages],
        "updates": [(u["update_id"], u["kind"], message(u["message"])) for u in updates],
        "last_update_id": chat.last_update_id,
        "watermark": chat.reaction_watermark,
    }


def apply_call(chat: SimulatedChat, call: LedgerCall) -> None:
    args = call.args
    try:
        if call.tool == "send_message":
            chat.send_message(args["chat_id"], args["text"])
        elif call.tool == "press_inline_button":
            chat.press_inline_button(args["chat_id"], args.get("message_id"), args.get("button_text"),
                                     args.get("button_index"))
        else:
            raise ValueError(f"the audit does not know the side effect of {call.tool!r}")
    except ChatError:
        pass  # the server refused it the same way: an error result, nothing changed


def replay(seed: int, calls: list[LedgerCall]) -> dict[str, Any]:
    chat = SimulatedChat(seed=seed)
    chat.send_message(chat.CHAT_ID, "/start")  # RpgWorld.prepare at step 0: the one call outside the ledger
    for call in calls:
        apply_call(chat, call)
    return fingerprint(chat)


@dataclass
class Audit:
    done: int
    started_only: int
    duplicates: int
    sends_in_game: int
    matched: bool
    detail: str = ""


def audit_side_effects(home: Path, thread: str, seed: int = 1) -> Audit:
    """Does the persisted game equal exactly one application of every ledger call?"""
    calls = [c for c in ledger_calls(home / "checkpoints" / "tool-ledger.sqlite", thread) if c.tool in SIDE_EFFECTING]
    state = world_state_path(home, thread)
    actual = fingerprint(SimulatedChat(state_path=state))
    sends = sum(1 for m in actual["messages"] if m[2])
    done = [c for c in calls if c.status == "done"]
    uncertain = [c for c in calls if c.status == "started"]
    if len(uncertain) > MAX_STARTED_ONLY_BRANCHES:
        raise ValueError(f"{len(uncertain)} interrupted calls: too many to try every branch")
    branches = [[c for c, keep in zip(uncertain, mask) if keep]
                for mask in itertools.product((False, True), repeat=len(uncertain))]
    for reached in branches:
        applied = [c for c in calls if c.status == "done" or c in reached]
        if replay(seed, applied) == actual:
            return Audit(len(done), len(uncertain), 0, sends, True)
    for reached in branches:  # name the duplicate, if one explains the game
        applied = [c for c in calls if c.status == "done" or c in reached]
        for i, call in enumerate(applied):
            for j in range(i + 1, len(applied) + 1):  # the second copy, anywhere after the first
                if replay(seed, applied[:j] + [call] + applied[j:]) == actual:
                    return Audit(len(done), len(uncertain), 1, sends, False,
                                 f"step {call.step} call {call.call_index} {call.tool}({call.args}) reached the game "
                                 "twice")
    return Audit(len(done), len(uncertain), 1, sends, False, "the game matches no replay of the ledger")


# --- a trial -------------------------------------------------------------------------------------


@dataclass
class TrialResult:
    thread: str
    kills: list[str] = field(default_factory=list)
    resumes: int = 0
    completed: bool = False
    status: str = ""
    steps: int = 0
    resumed_from: int | None = None
    audit: Audit | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.completed and self.audit is not None and self.audit.duplicates == 0

    def line(self) -> str:
        audit = self.audit
        effects = (f"ledger {audit.done} done + {audit.started_only} interrupted, {audit.sends_in_game} sends in game, "
                   f"{audit.duplicates} duplicated" + (f" ({audit.detail})" if audit.detail else "")) if audit else "-"
        verdict = "ok  " if self.ok else "FAIL"
        return (f"{verdict} {self.thread}: killed {len(self.kills)}x [{'; '.join(self.kills)}], {self.resumes} resume(s) → "
                f"{self.status} at step {self.steps} (resumed from {self.resumed_from}); {effects}"
                + (f"; {self.problem}" if self.problem else ""))


def run_trial(home: Path, thread: str, steps: int, rng: random.Random, *, scripted: bool, max_kills: int = 1,
              timeout_s: float = 900.0, real_embeddings: bool = False) -> TrialResult:
    env = trial_env(home, real_embeddings=real_embeddings)
    result = TrialResult(thread)
    kills_left = rng.randint(1, max(1, max_kills))
    started = False  # whether a checkpoint exists to resume from
    last_step = 0
    final: Attempt | None = None
    for _ in range(max_kills + 5):
        kill = choose_kill(rng, last_step, steps, 0.1 if scripted else 20.0) if kills_left else None
        if not started:
            argv = cli_command(scripted, "run", GOAL, "--max-steps", str(steps), "--thread", thread, "--json")
        else:
            argv = cli_command(scripted, "resume", thread, "--json")
            result.resumes += 1
        attempt = run_attempt(argv, env, kill, timeout_s)
        if attempt.killed_at is not None:
            kills_left -= 1
            result.kills.append(f"{attempt.command.split()[0]} {attempt.killed_at}")
            started = started or "] " in attempt.last_line  # a progress line means the graph had started
            if attempt.last_line:
                last_step = min(steps - 1, int(attempt.last_line[1:4]))
            continue
        if not started and "no checkpointed run" in attempt.stderr:
            continue  # killed before the first checkpoint: nothing to resume, run it again
        final = attempt
        started = True
        if attempt.returncode not in (0, 1):
            result.problem = f"{attempt.command} exited {attempt.returncode}: {attempt.stderr.strip()[-400:]}"
        break
    if final is None or final.returncode not in (0, 1):
        result.problem = result.problem or "never ran to completion"
        return result
    data = json.loads(final.stdout.strip().splitlines()[-1])
    result.status, result.steps = data["status"], data["steps"]
    result.resumed_from = data.get("resumed_from_step")
    result.completed = (result.status == "achieved" or (result.status == "budget_exhausted" and data["steps"] == steps))
    if result.kills and result.resumed_from is None:
        result.completed = False
        result.problem = "the last attempt started over instead of resuming"
    elif result.status == "running":
        result.problem = ("resume returned at once, the run still 'running': it died after a node's writes were "
                          "saved but before the step's checkpoint, and aresume saw no next task")
    result.audit = audit_side_effects(home, thread)
    return result


def summary(results: list[TrialResult]) -> str:
    completed = sum(r.completed for r in results)
    duplicates = sum(r.audit.duplicates for r in results if r.audit)
    return f"{completed}/{len(results)} resumed and completed, {duplicates} duplicated side effects"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--steps", type=int, default=4, help="the step budget K of every run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-kills", type=int, default=2, help="kills per trial: 1..N, chosen at random")
    parser.add_argument("--scripted", action="store_true", help="the scripted fighter instead of the tiny model")
    parser.add_argument("--real-embeddings", action="store_true", help="MiniLM instead of hash embeddings")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds without progress before giving up")
    parser.add_argument("--keep", action="store_true", help="keep the trial homes (printed)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="kill-trials-"))
    model = "scripted fighter" if args.scripted else TINY_MODEL
    print(f"{args.trials} trials, {args.steps} steps each, model {model}, up to {args.max_kills} kill(s) per trial, "
          f"seed {args.seed}", flush=True)
    results = []
    started = time.perf_counter()
    for number in range(args.trials):
        home = root / f"trial-{number:02d}"
        trial = run_trial(home, f"kill-{number:02d}", args.steps, rng, scripted=args.scripted,
                          max_kills=args.max_kills, timeout_s=args.timeout, real_embeddings=args.real_embeddings)
        results.append(trial)
        print(trial.line(), flush=True)
    print(f"wall time {time.perf_counter() - started:.0f} s" + (f"; homes kept in {root}" if args.keep else ""))
    if not args.keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    print(summary(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
