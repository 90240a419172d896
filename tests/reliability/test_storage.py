"""Storage under stress: a second process reads while a run writes; unwritable and full disks are clear
errors, and a run stopped by a full disk resumes exactly once there is room.

Full and read-only disks are real, not mocked: the CLI runs inside a private
mount namespace (``unshare -m``, so nothing leaks to the host) with its data
directory on a small tmpfs (ENOSPC when full) or on a read-only bind mount
(EROFS). Those tests skip where mount namespaces are not permitted.
RLIMIT_FSIZE needs no namespace: past the limit write() fails with EFBIG, which
SQLite reports only as "disk I/O error"; that too is one clear line and a resumable run.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from neuronaut.api import arun_goal
from neuronaut.errors import UserError
from neuronaut.llm.scripted import ScriptedModel
from tests.helpers import fighter
from tests.reliability.conftest import ROOT, fast_env, fast_settings

READER = textwrap.dedent("""
    import json, sqlite3, sys, time
    from pathlib import Path
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    db_path, thread, stop = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    serde = JsonPlusSerializer()
    print(json.dumps({"ready": True}), flush=True)
    for _ in range(2400):  # bounded: at most about two minutes of reading
        if stop.exists():
            break
        time.sleep(0.05)
        if not db_path.exists():
            continue  # the run has not opened its database yet
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
            try:
                count = db.execute("select count(*) from checkpoints where thread_id=?", (thread,)).fetchone()[0]
                row = db.execute("select type, checkpoint from checkpoints where thread_id=? "
                                 "order by checkpoint_id desc limit 1", (thread,)).fetchone()
            finally:
                db.close()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                continue  # the saver creates its tables on first use
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
            continue
        except Exception as exc:
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
            continue
        step = serde.loads_typed(row)["channel_values"].get("step") if row else None
        print(json.dumps({"count": count, "step": step}), flush=True)
""")


async def test_a_second_process_reads_the_checkpoints_while_a_run_writes(home: Path) -> None:
    settings = fast_settings(home)
    stop = home.parent / "stop-reading"
    reader = await asyncio.create_subprocess_exec(
        sys.executable, "-c", READER, str(settings.checkpoint_db), "busy", str(stop),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT)
    try:
        assert json.loads(await asyncio.wait_for(reader.stdout.readline(), 120)) == {"ready": True}
        result = await arun_goal("reach level 9", settings=settings, thread_id="busy", max_steps=30,
                                 decision_model=ScriptedModel(fallback=fighter))
    finally:
        stop.touch()
        out, err = await asyncio.wait_for(reader.communicate(), 180)
    reads = [json.loads(line) for line in out.decode().splitlines()]
    assert reader.returncode == 0, err.decode()[-2000:]
    assert [r for r in reads if "error" in r] == []
    steps = [r["step"] for r in reads if r.get("step") is not None]
    assert len(set(steps)) >= 2  # it saw the run move, so it read while the run was writing
    assert max(steps) <= result.steps == 30


async def test_a_long_run_keeps_its_checkpoints_small_and_learns_from_every_step(home: Path) -> None:
    """The state carries a short window of full steps; the skill still replays the whole run, the ledger
    still has every side effect, and each checkpoint stays a few dozen KB however long the run."""
    from neuronaut.state import TRAJECTORY_WINDOW
    from neuronaut.tools.ledger import ToolLedger

    settings = fast_settings(home)
    result = await arun_goal("reach level 2", settings=settings, thread_id="long", max_steps=120,
                             decision_model=ScriptedModel(fallback=fighter))
    assert result.status == "achieved" and result.steps > TRAJECTORY_WINDOW + 10, result
    with sqlite3.connect(settings.checkpoint_db) as db:
        (biggest,) = db.execute("select max(length(checkpoint)) from checkpoints where thread_id='long'").fetchone()
    assert biggest < 48_000, biggest  # a 200-step window made them ~160 KB once the window had filled
    ledger = ToolLedger(settings.ledger_db)
    try:
        acted = ledger.count("long", status="done")
    finally:
        ledger.close()
    skill = json.loads((settings.skills_dir / "rpg" / "reach-level-2.json").read_text())
    assert sum(step.get("repeat", 1) for step in skill["steps"]) == acted  # every press, not just the window's


async def test_a_data_directory_that_cannot_exist_is_a_clear_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings = fast_settings(blocker / "home")
    with pytest.raises(UserError, match="cannot write to .*set NEURONAUT_HOME to a writable directory"):
        await arun_goal("reach level 9", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                        max_steps=1, thread_id="nowhere")


# --- real read-only and full filesystems, in a private mount namespace --------------------------------


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True, timeout=30)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _namespaces_work(), reason="mount namespaces (unshare -m) are not permitted here")


def in_namespace(script: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a shell script as root of a private mount namespace; $CLI is the real CLI with the scripted model."""
    env = {**fast_env(home), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HF_HUB_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT),
           "CLI": f"{sys.executable} -m tests.reliability.scripted_cli"}
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)


def assert_one_clean_line(stderr: str, fragment: str) -> None:
    errors = [line for line in stderr.splitlines() if line.startswith("neuronaut: error:")]
    assert len(errors) == 1 and fragment in errors[0], stderr[-3000:]
    assert "Traceback" not in stderr


@needs_mounts
def test_a_read_only_data_directory_is_a_clear_user_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "checkpoints").mkdir(parents=True)
    done = in_namespace('mount --bind -o ro "$NEURONAUT_HOME" "$NEURONAUT_HOME"\n'
                        '$CLI run "reach level 9" --max-steps 3 --thread ro --json || echo "exit=$?"', home)
    assert "exit=2" in done.stdout
    assert_one_clean_line(done.stderr, "Read-only file system")


@dataclass
class FullDisk:
    run: str  # the CLI's stdout + stderr for the run that filled the disk
    resume: str  # and for the resume once there was room again
    home: Path  # a copy of the data directory after the resume


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory: pytest.TempPathFactory) -> FullDisk:
    """One run whose checkpoints, ledger and game share a 2 MB tmpfs (the memory store has its own roomy one):
    it fills up mid-run; then the tmpfs grows to 64 MB and the run is resumed."""
    if not _namespaces_work():
        pytest.skip("mount namespaces (unshare -m) are not permitted here")
    root = tmp_path_factory.mktemp("full-disk")
    home, copy = root / "home", root / "copy"
    home.mkdir()
    copy.mkdir()
    in_namespace(textwrap.dedent(f"""
        mount -t tmpfs -o size=2m tmpfs "$NEURONAUT_HOME"
        mkdir -p "$NEURONAUT_HOME/checkpoints/memory"
        mount -t tmpfs -o size=64m tmpfs "$NEURONAUT_HOME/checkpoints/memory"
        $CLI run "reach level 9" --max-steps 40 --thread full --json > "{root}/run.txt" 2>&1 || echo "exit=$?" >> "{root}/run.txt"
        mount -o remount,size=64m "$NEURONAUT_HOME"
        $CLI resume full --json > "{root}/resume.txt" 2>&1 || echo "exit=$?" >> "{root}/resume.txt"
        cp -a "$NEURONAUT_HOME/." "{copy}/"
    """), home)
    return FullDisk((root / "run.txt").read_text(), (root / "resume.txt").read_text(), copy)


@pytest.mark.slow
def test_a_full_disk_under_the_checkpoints_is_a_clear_user_error(full_disk: FullDisk) -> None:
    assert "exit=2" in full_disk.run
    assert_one_clean_line(full_disk.run, "is full; free some space, then continue with `neuronaut resume full`")


@pytest.mark.slow
def test_a_run_stopped_by_a_full_disk_resumes_exactly_once_there_is_room(full_disk: FullDisk) -> None:
    from bench.kill_trials import audit_side_effects

    resumed = json.loads([line for line in full_disk.resume.splitlines() if line.startswith("{")][-1])
    assert (resumed["status"], resumed["steps"]) == ("budget_exhausted", 40)
    assert resumed["resumed_from_step"] > 0
    audit = audit_side_effects(full_disk.home, "full")
    assert (audit.matched, audit.duplicates) == (True, 0), audit.detail


@needs_mounts
@pytest.mark.slow
def test_a_full_disk_under_the_memory_store_is_a_clear_error_and_the_run_resumes(tmp_path: Path) -> None:
    # Chroma says only "Error in compaction: ..." (its Rust core's words): the nearly full folder gives it away.
    home = tmp_path / "home"
    home.mkdir()
    done = in_namespace(textwrap.dedent("""
        mkdir -p "$NEURONAUT_HOME/checkpoints/memory"
        mount -t tmpfs -o size=700k tmpfs "$NEURONAUT_HOME/checkpoints/memory"
        $CLI run "reach level 9" --max-steps 40 --thread mem --json || echo "exit=$?"
        mount -o remount,size=64m "$NEURONAUT_HOME/checkpoints/memory"
        $CLI resume mem --json || echo "exit=$?"
    """), home)
    assert "exit=2" in done.stdout
    assert_one_clean_line(done.stderr, "checkpoints/memory is full; free some space, then continue with "
                                       "`neuronaut resume mem`")
    resumed = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    assert (resumed["status"], resumed["steps"]) == ("budget_exhausted", 40)
    assert resumed["resumed_from_step"] > 0


@pytest.mark.slow
def test_a_file_size_limit_is_a_clear_error_and_the_run_resumes(tmp_path: Path) -> None:
    """Past RLIMIT_FSIZE write() fails with EFBIG and SQLite says only "disk I/O error": still one clear line."""
    from bench.kill_trials import audit_side_effects

    home = tmp_path / "home"
    limit = 1_000_000

    def cli(*args: str, fsize: int | None = None) -> subprocess.CompletedProcess:
        def set_limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        env = {**fast_env(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HF_HUB_OFFLINE": "1",
               "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}
        return subprocess.run([sys.executable, "-m", "tests.reliability.scripted_cli", *args], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=300, preexec_fn=set_limit if fsize else None)

    stopped = cli("run", "reach level 9", "--max-steps", "40", "--thread", "fsize", "--json", fsize=limit)
    assert stopped.returncode == 2, stopped.stderr[-3000:]
    assert_one_clean_line(stopped.stderr, f"file-size limit of {limit} bytes; raise it (ulimit -f) or free some "
                                          "space, then continue with `neuronaut resume fsize`")
    resumed = cli("resume", "fsize", "--json")
    result = json.loads(resumed.stdout.splitlines()[-1])
    assert (result["status"], result["steps"]) == ("budget_exhausted", 40), resumed.stderr[-3000:]
    assert result["resumed_from_step"] > 0
    audit = audit_side_effects(home, "fsize")
    assert (audit.matched, audit.duplicates) == (True, 0), audit.detail
