"""Export / import of skill archives, including hostile archives."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill, SkillStep


def skill(name: str = "fight-slime", repeat: int = 2) -> Skill:
    return Skill(name=name, description=f"{name} skill", world="rpg",
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=repeat)])


@pytest.fixture
def fresh(tmp_path: Path):
    lib = SkillLibrary(tmp_path / "fresh" / "skills", tmp_path / "fresh" / "index", HashEmbeddings(64))
    yield lib
    lib.close()


@pytest.mark.parametrize("archive_name", ["skills.zip", "skills.tar.gz"])
def test_export_import_round_trip(library: SkillLibrary, fresh: SkillLibrary, tmp_path: Path,
                                  archive_name: str) -> None:
    library.save(skill(repeat=2))
    library.save(skill(repeat=4))  # version 2, version 1 kept in history
    library.record_result("rpg", "fight-slime", ok=True)
    library.save(skill("buy-potion"))

    archive = library.export(tmp_path / archive_name)
    imported = fresh.import_(archive)

    assert sorted(imported) == ["rpg/buy-potion", "rpg/fight-slime"]
    assert fresh.get("rpg", "fight-slime") == library.get("rpg", "fight-slime")
    assert (fresh.root / "rpg" / ".history" / "fight-slime.v1.json").is_file()
    assert fresh.search("fight slime", world="rpg", k=1)[0].name == "fight-slime"


def test_export_refuses_an_unknown_format(library: SkillLibrary, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.zip or \.tar\.gz"):
        library.export(tmp_path / "skills.rar")


def _zip_with(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_import_refuses_a_member_climbing_out_and_writes_nothing(fresh: SkillLibrary, tmp_path: Path) -> None:
    good = skill().model_dump_json()
    archive = _zip_with(tmp_path / "evil.zip", {"rpg/fight-slime.json": good, "../evil.json": good})

    with pytest.raises(UserError, match="escapes"):
        fresh.import_(archive)

    assert fresh.list() == []
    assert not (fresh.root.parent / "evil.json").exists()


def test_import_refuses_an_absolute_member(fresh: SkillLibrary, tmp_path: Path) -> None:
    archive = _zip_with(tmp_path / "abs.zip", {"/tmp/evil.json": skill().model_dump_json()})

    with pytest.raises(UserError, match="escapes"):
        fresh.import_(archive)


def test_import_refuses_a_tar_symlink(fresh: SkillLibrary, tmp_path: Path) -> None:
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        link = tarfile.TarInfo("rpg/fight-slime.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)

    with pytest.raises(UserError, match="not a regular file"):
        fresh.import_(path)


def test_import_refuses_an_invalid_skill(fresh: SkillLibrary, tmp_path: Path) -> None:
    bad = json.dumps({"name": "fight-slime", "world": "rpg", "steps": []})
    archive = _zip_with(tmp_path / "bad.zip", {"rpg/fight-slime.json": bad})

    with pytest.raises(UserError, match="not a valid skill"):
        fresh.import_(archive)


def test_import_refuses_a_file_naming_another_skill(fresh: SkillLibrary, tmp_path: Path) -> None:
    archive = _zip_with(tmp_path / "mismatch.zip", {"rpg/other-name.json": skill().model_dump_json()})

    with pytest.raises(UserError, match="holds skill rpg/fight-slime"):
        fresh.import_(archive)


def test_import_over_an_existing_skill_makes_a_new_version(fresh: SkillLibrary, tmp_path: Path) -> None:
    fresh.save(skill(repeat=2))
    archive = _zip_with(tmp_path / "newer.zip", {"rpg/fight-slime.json": skill(repeat=6).model_dump_json()})

    fresh.import_(archive)

    current = fresh.get("rpg", "fight-slime")
    assert current is not None and current.version == 2 and current.steps[0].repeat == 6


def test_import_skips_files_that_are_not_skills(fresh: SkillLibrary, tmp_path: Path) -> None:
    buf = {"README.txt": "hello", "rpg/fight-slime.json": skill().model_dump_json()}

    assert fresh.import_(_zip_with(tmp_path / "mixed.zip", buf)) == ["rpg/fight-slime"]
    assert not (fresh.root / "README.txt").exists()


def test_import_of_a_missing_archive_is_a_user_error(fresh: SkillLibrary, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        fresh.import_(tmp_path / "nope.zip")


def test_import_of_a_corrupt_archive_is_a_user_error(fresh: SkillLibrary, tmp_path: Path) -> None:
    path = tmp_path / "corrupt.zip"
    path.write_bytes(io.BytesIO(b"not a zip").getvalue())

    with pytest.raises(UserError, match="cannot read"):
        fresh.import_(path)
