"""`neuronaut skills list|show|export|import` in-process: real skill files, real Chroma index, hash embeddings."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from neuronaut.cli import main
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.skills.transfer import decide


def skill(name: str = "fight-slime", *, world: str = "rpg", repeat: int = 2, button: str = "⚔️ Attack",
          description: str = "") -> Skill:
    return Skill(name=name, world=world, goal=name.replace("-", " "), description=description or f"{name} by hand",
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": button}, repeat=repeat)])


def library(home: Path, embedding: int = 64) -> SkillLibrary:
    return SkillLibrary(home / "skills", home / "checkpoints" / "memory" / "skills-index", HashEmbeddings(embedding))


def cli(home: Path, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("NEURONAUT_HOME", str(home))
    monkeypatch.setenv("NEURONAUT_EMBEDDING_MODEL", "hash-64")
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    return lambda home, *args: cli(home, *args, monkeypatch=monkeypatch, capsys=capsys)


def one_error_line(code: int, err: str, fragment: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("neuronaut: error:"), err
    assert fragment in lines[0], lines[0]


def zip_of(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


# --- list / show -------------------------------------------------------------------------------


def test_list_is_a_table_with_status_version_and_record(home: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill("fight-slime"))
        lib.save(skill("buy-potion", button="Buy"))
        lib.record_result("rpg", "fight-slime", ok=True)
        for _ in range(3):
            lib.record_result("rpg", "buy-potion", ok=False)

    code, out, _ = run(home, "skills", "list")

    header, *rows = out.strip().splitlines()
    assert code == 0 and header.split() == ["WORLD", "NAME", "VER", "STATUS", "OK", "FAIL", "KIND", "DESCRIPTION"]
    assert rows[0].split()[:7] == ["rpg", "buy-potion", "v1", "demoted", "0", "3", "trajectory"]
    assert rows[1].split()[:7] == ["rpg", "fight-slime", "v1", "active", "1", "0", "trajectory"]


def test_list_of_an_empty_library_says_so(home: Path, run) -> None:
    code, out, _ = run(home, "skills", "list", "--world", "rpg")
    assert code == 0 and out.startswith("no skills for world 'rpg' in ")


def test_show_prints_metadata_parameters_versions_and_steps(home: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill(repeat=2))
        lib.record_result("rpg", "fight-slime", ok=True)
        learned = skill(repeat=4).model_copy(update={"parameters": {"level": SkillParameter(
            type="integer", default=2, description="the level to reach")}})
        lib.save(learned)
        lib.record_result("rpg", "fight-slime", ok=False)

    code, out, _ = run(home, "skills", "show", "fight-slime")

    assert code == 0
    assert out.startswith("rpg/fight-slime  v2  active  (trajectory)")
    assert "record       0 ok / 1 failed" in out
    assert "  level: integer = 2 — the level to reach" in out
    assert "call as      skill:fight-slime(level=2)" in out
    versions = out.split("versions\n")[1].split("steps\n")[0].splitlines()
    assert versions[0].startswith("  v1 ") and "1 ok / 0 failed" in versions[0] and "x2" in versions[0]
    assert versions[1].startswith("  v2 ") and versions[1].endswith("current")
    assert out.rstrip().endswith("1. press_inline_button(button_text='⚔️ Attack') x4")


def test_show_json_is_the_skill_file(home: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill())
    code, out, _ = run(home, "skills", "show", "rpg/fight-slime", "--json")
    assert code == 0
    assert Skill.model_validate_json(out) == Skill.model_validate_json(
        (home / "skills" / "rpg" / "fight-slime.json").read_text(encoding="utf-8"))


def test_a_name_in_two_worlds_needs_the_world(home: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill())
        lib.save(skill(world="swift"))

    one_error_line(*run(home, "skills", "show", "fight-slime")[::2], "several worlds (rpg, swift)")
    code, out, _ = run(home, "skills", "show", "fight-slime", "--world", "swift")
    assert code == 0 and out.startswith("swift/fight-slime")


def test_unknown_skill_and_missing_action_exit_2(home: Path, run) -> None:
    one_error_line(*run(home, "skills", "show", "nothing")[::2], "no skill named 'nothing'")
    one_error_line(*run(home, "skills", "show", "../../etc/passwd")[::2], "no skill named")
    assert run(home, "skills")[0] == 2


# --- export ------------------------------------------------------------------------------------


def test_export_of_a_selection_to_a_directory_takes_the_history_along(home: Path, tmp_path: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill(repeat=2))
        lib.save(skill(repeat=3))  # v2; v1 kept
        lib.save(skill("buy-potion", button="Buy"))
        lib.save(skill(world="swift"))
    target = tmp_path / "out"

    code, out, _ = run(home, "skills", "export", "--world", "rpg", "fight-slime", "-o", str(target))

    assert code == 0 and out.splitlines()[0] == f"exported 1 skill(s), 2 file(s), to {target}"
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.json"))
    assert files == ["rpg/.history/fight-slime.v1.json", "rpg/fight-slime.json"]


def test_export_refusals_are_one_line(home: Path, tmp_path: Path, run) -> None:
    one_error_line(*run(home, "skills", "export", "-o", str(tmp_path / "a.zip"))[::2], "no skills to export")
    with library(home) as lib:
        lib.save(skill())
    one_error_line(*run(home, "skills", "export", "-o", str(tmp_path / "a.rar"))[::2], ".zip or .tar.gz")
    one_error_line(*run(home, "skills", "export", "ghost", "-o", str(tmp_path / "a.zip"))[::2], "no skill named")
    blocker = tmp_path / "file"
    blocker.write_text("")
    one_error_line(*run(home, "skills", "export", "-o", str(blocker / "sub" / "a.zip"))[::2], "cannot write")


# --- import ------------------------------------------------------------------------------------


def test_whole_library_round_trip_is_reindexed_in_the_fresh_home(home: Path, tmp_path: Path, run) -> None:
    with library(home) as lib:
        lib.save(skill())
        lib.save(skill("buy-potion", button="Buy", description="buy a healing potion at the shop"))
    archive = tmp_path / "all.zip"
    assert run(home, "skills", "export", "-o", str(archive))[0] == 0
    fresh = tmp_path / "fresh"

    code, out, _ = run(fresh, "skills", "import", str(archive))

    assert code == 0 and out.splitlines()[-1] == f"imported from {archive}: 2 added, 0 updated, 0 skipped"
    with library(fresh) as lib:
        assert lib.index_count() == 2
        assert lib.search("a healing potion", world="rpg", k=1)[0].name == "buy-potion"


def test_import_reports_added_updated_and_skipped(home: Path, tmp_path: Path, run) -> None:
    with library(home) as lib:  # the exporting home: fight-slime v1 → v2, plus a new skill
        lib.save(skill(repeat=2))
        lib.save(skill(repeat=5))
        lib.save(skill("buy-potion", button="Buy"))
        lib.save(skill("check-status", button="/status"))
    archive = tmp_path / "a.tar.gz"
    run(home, "skills", "export", "-o", str(archive))
    local = tmp_path / "local"
    with library(local) as lib:
        lib.save(skill(repeat=2))  # the v1 the archive's v2 descends from
        lib.save(skill("check-status", button="/status", description="same steps, other words"))

    code, out, _ = run(local, "skills", "import", str(archive))

    assert code == 0
    assert "added    rpg/buy-potion v1" in out
    assert "updated  rpg/fight-slime → v2 (the previous version is kept in history)" in out
    assert "skipped  rpg/check-status: already here (v1)" in out
    assert out.splitlines()[-1].endswith("1 added, 1 updated, 1 skipped")
    assert (local / "skills" / "rpg" / ".history" / "fight-slime.v1.json").is_file()
    with library(local) as lib:
        assert lib.get("rpg", "fight-slime").steps[0].repeat == 5  # type: ignore[union-attr]
        assert lib.get("rpg", "check-status").description == "same steps, other words"  # type: ignore[union-attr]


def test_an_older_version_never_replaces_a_newer_local_one(home: Path, tmp_path: Path, run) -> None:
    archive = zip_of(tmp_path / "old.zip", {"rpg/fight-slime.json": skill(repeat=2).model_dump_json()})
    with library(home) as lib:
        lib.save(skill(repeat=2))
        lib.save(skill(repeat=7))  # local v2 supersedes the archive's v1
    before = (home / "skills" / "rpg" / "fight-slime.json").read_bytes()

    code, out, _ = run(home, "skills", "import", str(archive))

    assert code == 0 and "skipped  rpg/fight-slime: the local v2 already supersedes it" in out
    assert (home / "skills" / "rpg" / "fight-slime.json").read_bytes() == before


def test_a_diverged_skill_is_kept_unless_forced_and_then_the_local_one_is_history(home: Path, tmp_path: Path,
                                                                                 run) -> None:
    archive = zip_of(tmp_path / "other.zip", {"rpg/fight-slime.json": skill(repeat=9).model_dump_json()})
    with library(home) as lib:
        lib.save(skill(repeat=2))

    code, out, _ = run(home, "skills", "import", str(archive))
    assert code == 0 and "--force" in out and "0 added, 0 updated, 1 skipped" in out

    code, out, _ = run(home, "skills", "import", str(archive), "--force")
    assert code == 0 and "updated  rpg/fight-slime → v2" in out
    with library(home) as lib:
        current = lib.get("rpg", "fight-slime")
    assert current is not None and current.steps[0].repeat == 9 and [h.version for h in current.history] == [1]
    assert "x2" in current.history[0].steps


def test_a_malformed_archive_is_refused_and_nothing_is_written(home: Path, tmp_path: Path, run) -> None:
    bad = json.dumps({"name": "broken", "world": "rpg", "steps": []})
    archive = zip_of(tmp_path / "bad.zip", {"rpg/aa-good.json": skill("aa-good").model_dump_json(),
                                             "rpg/broken.json": bad})

    one_error_line(*run(home, "skills", "import", str(archive))[::2], "rpg/broken.json is not a valid skill")

    assert not list((home / "skills").rglob("*.json"))


def test_a_directory_import_ignores_other_files_and_says_so(home: Path, tmp_path: Path, run) -> None:
    source = tmp_path / "shared"
    (source / "rpg").mkdir(parents=True)
    (source / "rpg" / "fight-slime.json").write_text(skill().model_dump_json(), encoding="utf-8")
    (source / "README.md").write_text("my skills", encoding="utf-8")

    code, out, _ = run(home, "skills", "import", str(source))

    assert code == 0 and "ignored  1 file(s) that are not skills: README.md" in out
    assert "1 added, 0 updated, 0 skipped" in out


def test_another_homes_skills_directory_imports_as_it_is(home: Path, tmp_path: Path, run) -> None:
    other = tmp_path / "other"
    with library(other) as lib:
        lib.save(skill(repeat=2))
        lib.save(skill(repeat=3))

    code, out, _ = run(home, "skills", "import", str(other / "skills"))

    assert code == 0 and "ignored" not in out and "1 added" in out  # its lock files are not skills
    assert (home / "skills" / "rpg" / ".history" / "fight-slime.v1.json").is_file()


def test_a_directory_with_a_link_is_refused(home: Path, tmp_path: Path, run) -> None:
    source = tmp_path / "shared"
    (source / "rpg").mkdir(parents=True)
    (source / "rpg" / "fight-slime.json").symlink_to("/etc/passwd")
    one_error_line(*run(home, "skills", "import", str(source))[::2], "not a regular file")


def test_decide_covers_every_case() -> None:
    v1, other = skill(repeat=2), skill(repeat=3)
    v2 = other.model_copy(update={"version": 2, "history": [v1.version_summary()]})
    assert decide(None, v1)[0] == "add"
    assert decide(v1, v1)[0] == "skip"
    assert decide(v2, v1) == ("skip", "the local v2 already supersedes it")
    assert decide(v1, v2)[0] == "update"
    assert decide(v1, other)[0] == "skip" and decide(v1, other, force=True)[0] == "update"
