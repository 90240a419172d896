"""Several processes saving into one skills directory at once: every version is kept, every file stays valid.

Each worker is a real process with its own ``SkillLibrary`` over the shared
skills directory (and its own embedded index: the index is derived, the files
are what they share). They start together and hammer the same skill name.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill, SkillStep

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 4
SAVES = 5
RESULTS = 10

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from neuronaut.memory.embeddings import HashEmbeddings
    from neuronaut.skills.library import SkillLibrary
    from neuronaut.skills.model import Skill, SkillStep

    root, index, worker, saves, results, start = sys.argv[1:]
    with SkillLibrary(Path(root), Path(index), HashEmbeddings(32)) as library:
        while time.time() < float(start):
            time.sleep(0.005)
        for i in range(int(saves)):
            # Different steps every time: each save must become a new version.
            step = SkillStep(tool="press_inline_button", args={"button_text": f"w{worker}-{i}"})
            library.save(Skill(name="fight", world="rpg", description=f"worker {worker} save {i}", steps=[step]))
        for _ in range(int(results)):
            library.record_result("rpg", "tally", ok=True)
""")


def skill(name: str, button: str) -> Skill:
    return Skill(name=name, world="rpg", description=name,
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": button})])


def test_concurrent_saves_of_one_skill_keep_every_version(tmp_path: Path) -> None:
    root = tmp_path / "skills"
    with SkillLibrary(root, tmp_path / "index-0", HashEmbeddings(32)) as library:
        library.save(skill("tally", "count"))
    start = time.time() + 6.0  # every worker has imported and opened its library by then
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(tmp_path / f"index-{n + 1}"), str(n),
                          str(SAVES), str(RESULTS), str(start)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err

    total = WORKERS * SAVES
    current = Skill.model_validate_json((root / "rpg" / "fight.json").read_text(encoding="utf-8"))
    history = sorted((root / "rpg" / ".history").glob("fight.v*.json"))
    kept = [Skill.model_validate_json(path.read_text(encoding="utf-8")) for path in history]
    assert current.version == total  # no save was lost to a race
    assert sorted(s.version for s in kept) == list(range(1, total))
    assert [h.version for h in current.history] == list(range(1, total))
    # Every save's steps survive exactly once, in the current file or in the history.
    buttons = sorted(s.steps[0].args["button_text"] for s in [*kept, current])
    assert buttons == sorted(f"w{n}-{i}" for n in range(WORKERS) for i in range(SAVES))
    tally = Skill.model_validate_json((root / "rpg" / "tally.json").read_text(encoding="utf-8"))
    assert tally.stats.successes == WORKERS * RESULTS  # read-modify-write of the stats lost no count
    assert not list(root.rglob("*.tmp"))


def test_a_fresh_library_sees_the_files_the_workers_left(tmp_path: Path) -> None:
    root = tmp_path / "skills"
    with SkillLibrary(root, tmp_path / "a", HashEmbeddings(32)) as first:
        first.save(skill("fight-slime", "Attack"))
    with SkillLibrary(root, tmp_path / "b", HashEmbeddings(32)) as second:
        second.save(skill("buy-potion", "Buy potion"))
    with SkillLibrary(root, tmp_path / "a", HashEmbeddings(32)) as again:
        assert again.index_count() == 2  # synced from the files on opening
        assert again.search("buy potion", world="rpg", k=1)[0].name == "buy-potion"
