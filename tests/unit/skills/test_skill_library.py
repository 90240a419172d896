"""SkillLibrary: files are the truth, the index is derived (HashEmbeddings keep it fast)."""

from __future__ import annotations

import json
from pathlib import Path

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.manifest import read_manifest
from neuronaut.memory.store import EpisodeMemory
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill, SkillStats, SkillStep


def make_skill(name: str = "fight-slime", *, world: str = "rpg", description: str = "attack the slime until it dies",
               button: str = "⚔️ Attack", repeat: int = 3) -> Skill:
    return Skill(name=name, description=description, world=world, goal=description,
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": button}, repeat=repeat)])


def shop_skill(world: str = "rpg") -> Skill:
    return make_skill("buy-potion", world=world, description="buy a healing potion at the shop", button="Buy potion",
                      repeat=1)


def test_saved_skill_is_a_json_file_and_comes_back(library: SkillLibrary, skills_root: Path) -> None:
    library.save(make_skill())

    data = json.loads((skills_root / "rpg" / "fight-slime.json").read_text(encoding="utf-8"))
    loaded = library.get("rpg", "fight-slime")

    assert data["steps"][0]["repeat"] == 3
    assert loaded is not None and loaded.steps == make_skill().steps and loaded.version == 1


def test_get_of_a_missing_or_malformed_address_is_none(library: SkillLibrary) -> None:
    assert library.get("rpg", "nothing") is None
    assert library.get("rpg", "../../etc/passwd") is None


def test_list_filters_by_world(library: SkillLibrary) -> None:
    library.save(make_skill())
    library.save(shop_skill())
    library.save(shop_skill(world="swift"))

    assert [s.name for s in library.list("rpg")] == ["buy-potion", "fight-slime"]
    assert [s.key for s in library.list()] == ["rpg/buy-potion", "rpg/fight-slime", "swift/buy-potion"]


def test_a_broken_file_is_skipped_not_fatal(library: SkillLibrary, skills_root: Path) -> None:
    library.save(make_skill())
    (skills_root / "rpg" / "broken.json").write_text("{not json", encoding="utf-8")

    assert [s.name for s in library.list()] == ["fight-slime"]


def test_new_steps_make_a_new_version_and_keep_the_old_one(library: SkillLibrary, skills_root: Path) -> None:
    library.save(make_skill(repeat=3))
    library.record_result("rpg", "fight-slime", ok=True)

    saved = library.save(make_skill(repeat=5))

    old_file = skills_root / "rpg" / ".history" / "fight-slime.v1.json"
    assert saved.version == 2 and saved.steps[0].repeat == 5
    assert saved.stats == SkillStats()  # the new steps have no track record yet
    assert [(h.version, h.successes) for h in saved.history] == [(1, 1)]
    assert Skill.model_validate_json(old_file.read_text(encoding="utf-8")).steps[0].repeat == 3


def test_same_steps_keep_version_and_stats(library: SkillLibrary) -> None:
    library.save(make_skill())
    library.record_result("rpg", "fight-slime", ok=True)

    saved = library.save(make_skill(description="hit the slime"))

    assert saved.version == 1 and saved.stats.successes == 1 and saved.description == "hit the slime"


def test_search_finds_skills_by_meaning(library: SkillLibrary) -> None:
    library.save(make_skill())
    library.save(shop_skill())

    found = library.search("I need a healing potion", world="rpg", k=2)

    assert [s.name for s in found] == ["buy-potion", "fight-slime"]


def test_search_stays_in_its_world(library: SkillLibrary) -> None:
    library.save(shop_skill(world="swift"))
    library.save(make_skill())

    assert [s.key for s in library.search("healing potion", world="rpg", k=5)] == ["rpg/fight-slime"]


def test_index_is_rebuilt_from_files_when_deleted(skills_root: Path, index_dir: Path) -> None:
    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as first:
        first.save(make_skill())
        first.save(shop_skill())
    for path in sorted(index_dir.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    index_dir.rmdir()

    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as second:
        assert second.index_count() == 2
        assert second.search("healing potion", world="rpg", k=1)[0].name == "buy-potion"


def test_index_is_rebuilt_when_files_were_added_by_hand(skills_root: Path, index_dir: Path) -> None:
    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as first:
        first.save(make_skill())
    (skills_root / "rpg" / "buy-potion.json").write_text(shop_skill().model_dump_json(), encoding="utf-8")

    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as second:
        assert second.index_count() == 2
        assert second.search("healing potion", world="rpg", k=1)[0].name == "buy-potion"


def test_index_is_rebuilt_on_embedding_swap(skills_root: Path, index_dir: Path) -> None:
    with SkillLibrary(skills_root, index_dir, HashEmbeddings(64)) as first:
        first.save(make_skill())
        first.save(shop_skill())

    with SkillLibrary(skills_root, index_dir, HashEmbeddings(32)) as second:
        assert second.index_count() == 2
        assert second.search("healing potion", world="rpg", k=1)[0].name == "buy-potion"

    manifest = read_manifest(index_dir / "skills.manifest.json")
    assert manifest is not None and manifest.model_name == "hash-32" and len(manifest.collections) == 1


def test_three_more_failures_than_successes_demote(library: SkillLibrary) -> None:
    library.save(make_skill())
    for _ in range(2):
        library.record_result("rpg", "fight-slime", ok=False)
    assert library.get("rpg", "fight-slime").demoted is False  # type: ignore[union-attr]

    skill = library.record_result("rpg", "fight-slime", ok=False)

    assert skill.demoted is True and skill.stats.failures == 3


def test_failures_balanced_by_successes_do_not_demote(library: SkillLibrary) -> None:
    library.save(make_skill())
    for ok in (True, True, False, False, False, False):
        skill = library.record_result("rpg", "fight-slime", ok=ok)

    assert skill.demoted is False and skill.stats.runs == 6


def test_demoted_skills_are_left_out_of_search_but_still_readable(library: SkillLibrary) -> None:
    library.save(make_skill())
    library.save(shop_skill())
    for _ in range(3):
        library.record_result("rpg", "buy-potion", ok=False)

    found = library.search("healing potion", world="rpg", k=5)

    assert [s.name for s in found] == ["fight-slime"]
    assert library.get("rpg", "buy-potion") is not None


def test_ensure_starters_adds_missing_and_keeps_existing(library: SkillLibrary) -> None:
    library.save(make_skill(description="edited by hand"))

    added = library.ensure_starters([make_skill(description="starter text"), shop_skill()])

    assert added == ["rpg/buy-potion"]
    assert library.get("rpg", "fight-slime").description == "edited by hand"  # type: ignore[union-attr]


def test_skills_and_episodes_can_share_one_index_directory(tmp_path: Path) -> None:
    shared = tmp_path / "memory"
    with EpisodeMemory(shared, HashEmbeddings(64)) as memory, \
            SkillLibrary(tmp_path / "skills", shared, HashEmbeddings(32)) as library:
        memory.add_step(thread_id="t", step=0, world="rpg", goal="buy a potion", observation="shop",
                        action={"tool": "press_inline_button", "args": {"button_text": "Buy"}}, outcome="ok", ok=True)
        library.save(shop_skill())
        library.rebuild_index()

        assert memory.count() == 1 and library.index_count() == 1
        assert library.search("potion", world="rpg", k=1)[0].name == "buy-potion"
