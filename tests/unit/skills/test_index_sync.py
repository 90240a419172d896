"""The skill index follows the files: edits are picked up, entries without a file are repaired away."""

from __future__ import annotations

import threading
from pathlib import Path

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill, SkillStep


def skill(name: str, description: str, button: str = "Attack") -> Skill:
    return Skill(name=name, world="rpg", description=description, goal=description,
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": button})])


def test_a_search_hit_without_a_file_repairs_the_index(library: SkillLibrary, skills_root: Path) -> None:
    library.save(skill("buy-potion", "buy a healing potion at the shop"))
    library.save(skill("fight-slime", "attack the slime"))
    (skills_root / "rpg" / "buy-potion.json").unlink()  # another agent (or a person) removed it

    found = library.search("buy a healing potion", world="rpg", k=2)

    assert [s.name for s in found] == ["fight-slime"]
    assert library.index_count() == 1  # the dangling entry is gone
    assert library.sync_index() == (0, 0)


def test_a_file_edited_by_hand_is_reindexed_on_opening(skills_root: Path, index_dir: Path) -> None:
    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as first:
        first.save(skill("errand", "attack the slime"))
        first.save(skill("fight-slime", "fight monsters in the forest"))
    path = skills_root / "rpg" / "errand.json"
    edited = skill("errand", "buy a healing potion at the shop", button="Buy potion")
    path.write_text(edited.model_dump_json(), encoding="utf-8")

    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as second:
        assert second.index_count() == 2
        assert second.search("healing potion shop", world="rpg", k=1)[0].name == "errand"
        assert second.sync_index() == (0, 0)  # nothing left to do


def test_a_skill_saved_by_another_library_is_found_after_a_sync(tmp_path: Path) -> None:
    root = tmp_path / "skills"
    with SkillLibrary(root, tmp_path / "i1", HashEmbeddings(64)) as mine, \
            SkillLibrary(root, tmp_path / "i2", HashEmbeddings(64)) as theirs:
        theirs.save(skill("buy-potion", "buy a healing potion at the shop"))
        assert mine.search("healing potion", world="rpg", k=1) == []  # separate indexes: not yet
        assert mine.sync_index() == (1, 0)
        assert [s.name for s in mine.search("healing potion", world="rpg", k=1)] == ["buy-potion"]


def test_threads_saving_one_skill_keep_every_version(library: SkillLibrary, skills_root: Path) -> None:
    def save(n: int) -> None:
        for i in range(3):
            library.save(skill("fight", f"thread {n}", button=f"t{n}-{i}"))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    current = library.get("rpg", "fight")
    assert current is not None and current.version == 12
    assert len(list((skills_root / "rpg" / ".history").glob("fight.v*.json"))) == 11
    assert library.index_count() == 1
