"""EpisodeMemory with HashEmbeddings: fast, deterministic, still a real ranking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.index import open_client, open_store
from neuronaut.memory.manifest import read_manifest
from neuronaut.memory.step_text import format_step, recalled_step
from neuronaut.memory.store import EpisodeMemory


def attack_step(store: EpisodeMemory, *, thread_id: str = "t1", step: int = 0, world: str = "rpg",
                outcome: str = "You hit the slime for 3 damage") -> None:
    store.add_step(
        thread_id=thread_id, step=step, world=world, goal="reach level 2",
        observation="A wild slime appears. Buttons: Attack, Flee",
        action={"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}},
        outcome=outcome, ok=True,
    )


def shop_step(store: EpisodeMemory, *, world: str = "rpg", step: int = 1) -> None:
    store.add_step(
        thread_id="t1", step=step, world=world, goal="buy a potion",
        observation="The shop sells potions for 10 gold",
        action={"tool": "press_inline_button", "args": {"button_text": "Buy potion"}},
        outcome="You bought a healing potion", ok=True,
    )


def test_replaying_a_step_overwrites_instead_of_duplicating(memory: EpisodeMemory) -> None:
    attack_step(memory, outcome="first attempt")
    attack_step(memory, outcome="replayed after resume")

    assert memory.count("step") == 1
    [hit] = memory.search("slime attack", k=5)
    assert "replayed after resume" in hit.text and "first attempt" not in hit.text


def test_step_ids_differ_by_thread_and_step(memory: EpisodeMemory) -> None:
    attack_step(memory, thread_id="t1", step=0)
    attack_step(memory, thread_id="t1", step=1)
    attack_step(memory, thread_id="t2", step=0)

    assert memory.count("step") == 3


def test_search_ranks_the_overlapping_step_first(memory: EpisodeMemory) -> None:
    attack_step(memory, step=0)
    shop_step(memory, step=1)

    hits = memory.search("buy a healing potion in the shop", k=2)

    assert [h.metadata["goal"] for h in hits] == ["buy a potion", "reach level 2"]
    assert hits[0].score > hits[1].score


def test_search_is_filtered_by_world(memory: EpisodeMemory) -> None:
    attack_step(memory, thread_id="a", world="rpg")
    attack_step(memory, thread_id="b", world="swift")

    hits = memory.search("slime attack", world="swift", k=5)

    assert [h.metadata["world"] for h in hits] == ["swift"]
    assert hits[0].metadata["thread_id"] == "b"


def test_search_can_leave_out_one_threads_steps(memory: EpisodeMemory) -> None:
    attack_step(memory, thread_id="this-run", step=0)
    attack_step(memory, thread_id="this-run", step=1)
    attack_step(memory, thread_id="earlier-run", step=0)

    hits = memory.search("slime attack", world="rpg", k=5, other_than_thread="this-run")

    assert [(h.metadata["thread_id"], h.metadata["step"]) for h in hits] == [("earlier-run", 0)]


def test_search_can_keep_the_steps_of_one_goal(memory: EpisodeMemory) -> None:
    attack_step(memory, step=0)
    shop_step(memory, step=1)

    hits = memory.search("buy a healing potion in the shop", k=5, goal="reach level 2")

    assert [h.metadata["goal"] for h in hits] == ["reach level 2"]


def gold_step(store: EpisodeMemory, goal: str, *, thread_id: str) -> None:
    store.add_step(thread_id=thread_id, step=0, world="rpg", goal=goal, observation="Town: Shop, Forest",
                   action={"tool": "skill:buy", "args": {"item": "Potion"}}, outcome="Bought a Potion", ok=True,
                   change="gold 40→30")


def test_search_can_keep_the_steps_of_one_goal_and_those_of_its_kind(memory: EpisodeMemory) -> None:
    gold_step(memory, "have 30 gold", thread_id="a")
    gold_step(memory, "Have 100 gold", thread_id="b")
    gold_step(memory, "reach level 3", thread_id="c")

    hits = memory.search("Town", k=5, goal_like="have 60 gold", other_than_thread="b")

    assert [h.metadata["goal"] for h in hits] == ["have 30 gold"]


def test_search_given_a_family_also_keeps_the_steps_that_achieved_other_goals_in_it(memory: EpisodeMemory) -> None:
    memory.add_step(thread_id="a", step=0, world="rpg", goal="defeat the first boss", observation="Forest shop",
                    action={"tool": "skill:buy", "args": {"item": "Leather Armour"}}, outcome="bought", ok=True,
                    family="boss")  # on the way: the gear that boss's hero lacked
    memory.add_step(thread_id="a", step=1, world="rpg", goal="defeat the first boss", observation="Forest",
                    action={"tool": "skill:fight-boss", "args": {"area": "Forest"}}, outcome="won", ok=True,
                    family="boss", achieved=True)
    gold_step(memory, "have 30 gold", thread_id="b")

    in_family = memory.search("Forest", k=5, goal_like="defeat the Crystal Golem", family="boss")
    without = memory.search("Forest", k=5, goal_like="defeat the Crystal Golem")

    assert [h.metadata["tool"] for h in in_family] == ["skill:fight-boss"]
    assert without == []


def test_a_step_stored_before_kinds_were_recorded_is_still_found_for_its_own_goal(memory: EpisodeMemory) -> None:
    gold_step(memory, "have 30 gold", thread_id="a")
    store = memory._stores["step"]  # as an older version wrote it: no goal_kind
    [old] = store.get(include=["metadatas", "documents"])["metadatas"]
    store.delete(ids=["a:0"])
    store.add_texts(["an old step"], metadatas=[{k: v for k, v in old.items() if k != "goal_kind"}], ids=["a:0"])

    assert [h.metadata["thread_id"] for h in memory.search("Town", k=5, goal_like="have 30 gold")] == ["a"]
    assert memory.search("Town", k=5, goal_like="have 60 gold") == []


def test_a_recalled_step_shows_what_it_changed(memory: EpisodeMemory) -> None:
    gold_step(memory, "have 30 gold", thread_id="a")

    [hit] = memory.search("Town", k=1)

    assert recalled_step(hit.metadata) == "skill:buy(item='Potion') → ok [gold 40→30]"


def test_a_recalled_step_that_set_its_goal_back_says_so_not_ok(memory: EpisodeMemory) -> None:
    # "→ ok [gold 40→30]" for a gold goal reads as a purchase that worked; the checker says it lost ground.
    memory.add_step(thread_id="a", step=0, world="rpg", goal="have 30 gold", observation="Town: Shop, Forest",
                    action={"tool": "skill:buy", "args": {"item": "Potion"}}, outcome="Bought a Potion", ok=True,
                    change="gold 40→30", setback=True)

    [hit] = memory.search("Town", k=1)

    assert recalled_step(hit.metadata) == "skill:buy(item='Potion') → set the goal back [gold 40→30]"


def test_search_respects_k(memory: EpisodeMemory) -> None:
    for step in range(4):
        attack_step(memory, step=step)

    assert len(memory.search("slime", k=2)) == 2
    assert memory.search("slime", k=0) == []


def test_documents_and_steps_are_searched_separately(memory: EpisodeMemory) -> None:
    attack_step(memory)
    memory.add_document(doc_id="readme", text="Potions restore health.", world="rpg", source="README.md")

    steps = memory.search("potions health slime", kind="step", k=5)
    docs = memory.search("potions health slime", kind="document", k=5)

    assert [h.metadata["kind"] for h in steps] == ["step"]
    assert [h.metadata["source"] for h in docs] == ["README.md"]
    assert memory.count("step") == 1 and memory.count("document") == 1 and memory.count() == 2


def test_a_long_document_is_chunked_and_the_right_chunk_retrieved(memory: EpisodeMemory) -> None:
    text = "# Guide\n\n" + "\n\n".join(
        [("Combat: press Attack to hit monsters. " * 15), ("Shop: buy potions with gold. " * 15)]
    )
    chunks = memory.add_document(doc_id="guide", text=text, world="rpg", source="guide.md")

    [hit] = memory.search("buy potions with gold", kind="document", k=1)

    assert chunks >= 2
    assert "Shop" in hit.text and "Combat" not in hit.text


def test_re_adding_a_shorter_document_drops_its_stale_chunks(memory: EpisodeMemory) -> None:
    long_text = "\n\n".join(f"Paragraph {i}: " + "words " * 60 for i in range(5))
    assert memory.add_document(doc_id="spec", text=long_text, world="rpg", source="spec.md") > 1

    memory.add_document(doc_id="spec", text="Short spec now.", world="rpg", source="spec.md")

    assert memory.count("document") == 1


def test_unknown_kind_is_rejected(memory: EpisodeMemory) -> None:
    with pytest.raises(ValueError, match="kind"):
        memory.search("x", kind="skill")  # type: ignore[arg-type]


def test_data_survives_closing_and_reopening(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as first:
        attack_step(first)
        first.add_document(doc_id="d", text="Slimes are weak.", world="rpg", source="notes")

    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as second:
        assert second.count("step") == 1 and second.count("document") == 1
        assert second.search("slime", k=1)[0].metadata["thread_id"] == "t1"


def test_swapping_the_embedding_model_re_embeds_everything(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as old:
        attack_step(old, step=0)
        shop_step(old, step=1)
        old.add_document(doc_id="d", text="Potions restore health.", world="rpg", source="notes")

    with EpisodeMemory(memory_dir, HashEmbeddings(32)) as new:
        assert new.count("step") == 2 and new.count("document") == 1
        assert new.search("buy potion shop", k=1)[0].metadata["goal"] == "buy a potion"
        assert new.search("potions", kind="document", k=1)[0].metadata["doc_id"] == "d"

    manifest = read_manifest(memory_dir / "episodes.manifest.json")
    assert manifest is not None and (manifest.model_name, manifest.dimension) == ("hash-32", 32)


def test_swapping_the_model_drops_the_old_collections(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as old:
        attack_step(old)
        old_names = set(old._names.values())
    EpisodeMemory(memory_dir, HashEmbeddings(32)).close()

    client = open_client(memory_dir / "chroma")
    try:
        remaining = {c.name for c in client.list_collections()}
    finally:
        client.close()
    assert old_names.isdisjoint(remaining) and len(remaining) == 2


def test_an_interrupted_re_embed_is_redone_from_the_old_index(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as old:
        attack_step(old, step=0)
        attack_step(old, step=1)
    # Simulate a crash mid-copy: the new model's collection holds a stray partial record,
    # while the manifest still names the old, complete collections.
    with EpisodeMemory(memory_dir / "scratch", HashEmbeddings(32)) as scratch:
        partial_name = scratch._names["step"]
    client = open_client(memory_dir / "chroma")
    open_store(client, partial_name, HashEmbeddings(32)).add_texts(["stray"], metadatas=[{"kind": "x"}], ids=["junk"])
    client.close()

    with EpisodeMemory(memory_dir, HashEmbeddings(32)) as new:
        assert new.count("step") == 2
        assert all(h.metadata["kind"] == "step" for h in new.search("stray", k=5))


def test_step_text_reads_as_goal_saw_did_result() -> None:
    text = format_step(
        goal="reach level 2", observation="A slime appears",
        action={"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}},
        outcome="You hit it", ok=True, critique="attacking works",
    )
    assert text == (
        "goal: reach level 2 | saw: A slime appears | did: press_inline_button(button_text='⚔️ Attack') "
        "| result: ok You hit it | lesson: attacking works"
    )


def test_step_metadata_keeps_the_action_as_json(memory: EpisodeMemory) -> None:
    attack_step(memory)

    [hit] = memory.search("slime", k=1)

    assert json.loads(hit.metadata["action"])["args"] == {"button_text": "⚔️ Attack"}
    assert hit.metadata["ok"] is True and hit.metadata["step"] == 0


def test_a_recalled_step_reads_action_and_outcome_without_the_screen(memory: EpisodeMemory) -> None:
    attack_step(memory)

    [hit] = memory.search("slime", k=1)

    assert recalled_step(hit.metadata) == "press_inline_button(button_text='⚔️ Attack') → ok"


def test_a_recalled_failure_carries_its_error_and_lesson(memory: EpisodeMemory) -> None:
    memory.add_step(thread_id="t1", step=0, world="rpg", goal="own Leather Armour", observation="Shop",
                    action={"tool": "skill:buy", "args": {"item": "Leather Armour"}},
                    outcome="Not enough gold: Leather Armour costs 25. " + "x" * 400, ok=False,
                    critique="earn gold by hunting first")

    [hit] = memory.search("shop", k=1)
    line = recalled_step(hit.metadata)

    assert line.startswith("skill:buy(item='Leather Armour') → failed: Not enough gold: Leather Armour costs 25. xxx")
    assert line.endswith("… (lesson: earn gold by hunting first)") and len(line) < 250


def test_a_step_stored_before_results_were_kept_is_recalled_without_one() -> None:
    old = {"goal": "reach level 2", "action": '{"tool": "skill:hunt", "args": {}}', "ok": False}

    assert recalled_step(old) == "skill:hunt() → failed"


def reached(store: EpisodeMemory, goal: str, *, thread_id: str, world: str = "rpg", achieved: bool = True) -> None:
    store.add_step(thread_id=thread_id, step=3, world=world, goal=goal, observation="", ok=True, outcome="",
                   action={"tool": "skill:hunt", "args": {}}, achieved=achieved)


def test_the_goals_reached_in_a_world_are_listed_once_in_the_order_first_reached(memory: EpisodeMemory) -> None:
    reached(memory, "reach level 2", thread_id="game1-a")
    reached(memory, "defeat the first boss", thread_id="game1-b", achieved=False)  # tried, not reached
    reached(memory, "own an Iron Sword", thread_id="game1-c")
    reached(memory, "write hello", thread_id="swift-a", world="swift")
    reached(memory, "reach level 2", thread_id="game2-a")

    assert memory.achieved_goals("rpg") == ["reach level 2", "own an Iron Sword"]
    assert memory.achieved_goals("swift") == ["write hello"]
    assert memory.achieved_goals("browser") == []
