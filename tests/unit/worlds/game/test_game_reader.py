"""Readers: model-written code, run in the sandbox, trusted only after agreeing with the model's own
reading on three different screens, set aside when wrong or when the layout changes, kept per bot."""

from pathlib import Path

from neuronaut.worlds.game.knowledge import KnowledgeStore
from neuronaut.worlds.game.perception import TRUST_AFTER, Perception
from neuronaut.worlds.game.reader import ReaderSandbox
from neuronaut.prompts import load_prompt
from tests.unit.worlds.game.gamekit import CRAWL_V1, CRAWL_V2, WRONG, Oracle, oracle_model


PROMPTS = Path(__file__).parents[4] / "neuronaut" / "worlds" / "game" / "prompts"


def card(level: int, exp: int, coins: int) -> str:
    return f"HERO\nLVL {level} | EXP {exp}/25\nHP 20/20\nCOINS {coins}\nDEPTH 1 (deepest 1)\nWARDENS —"


def card_v2(level: int, exp: int, coins: int) -> str:
    return (f"~ Adventurer ~\nLevel: {level} ({exp}/25 exp)\nHealth 20 of 20, coins: {coins}\n"
            "Now at 1, deepest 1; wardens slain: none")


def perception(home: Path, oracle: Oracle | None) -> Perception:
    found = Perception(oracle_model(oracle) if oracle else None, KnowledgeStore(home / "bots"),
                       ReaderSandbox(home / "sandbox", timeout_s=1.0), lambda name: load_prompt(name, PROMPTS))
    found.load("@some_bot")
    return found


async def test_a_reader_is_trusted_after_three_different_screens_agree_and_then_reads_alone(home: Path) -> None:
    oracle = Oracle([CRAWL_V1])
    seen = perception(home, oracle)
    first = await seen.measure(card(1, 0, 0))
    assert first.source == "model" and first.values == {"level": 1, "coins": 0}
    await seen.measure(card(1, 0, 0))  # the same screen again is no new evidence
    await seen.measure(card(1, 4, 2))
    assert seen.knowledge.reader.status == "candidate" and seen.knowledge.reader.agreed == 2
    third = await seen.measure(card(1, 9, 5))
    assert third.source == "model" and seen.knowledge.reader.status == "trusted"
    assert seen.knowledge.reader.agreed == TRUST_AFTER
    readings = oracle.readings
    fourth = await seen.measure(card(2, 1, 7))
    assert fourth.source == "reader" and fourth.values == {"level": 2, "coins": 7}
    assert oracle.readings == readings and oracle.written == 1  # the code read it; the model was not asked


async def test_a_reader_that_disagrees_with_the_model_is_rejected_and_written_again(home: Path) -> None:
    oracle = Oracle([WRONG, CRAWL_V1])
    seen = perception(home, oracle)
    await seen.measure(card(1, 0, 3))
    newest, rejected = seen.knowledge.readers
    assert rejected.code == WRONG.strip() and rejected.status == "rejected" and "level: 99" in rejected.note
    assert newest.code == CRAWL_V1.strip() and newest.status == "candidate" and newest.agreed == 1


async def test_a_reader_that_hangs_or_raises_is_refused_not_run_in_the_agent(home: Path) -> None:
    hangs = "def read(text):\n    while True:\n        pass\n"
    raises = "import os\ndef read(text):\n    return {'level': len(os.listdir('/root'))}\n"
    oracle = Oracle([hangs, raises])
    seen = perception(home, oracle)
    await seen.measure(card(1, 0, 3))
    notes = [r.note for r in seen.knowledge.readers]
    assert [r.status for r in seen.knowledge.readers] == ["rejected", "rejected"]
    assert "timed out" in notes[1] and ("Error" in notes[0] or "missing" in notes[0]), notes


async def test_a_trusted_reader_is_kept_for_the_bot_and_used_by_a_later_run_without_the_model(home: Path) -> None:
    seen = perception(home, Oracle([CRAWL_V1]))
    for exp in (0, 3, 6):
        await seen.measure(card(1, exp, exp))
    later = perception(home, None)  # another run, no model at all
    measured = await later.measure(card(3, 1, 40))
    assert measured.source == "reader" and measured.values == {"level": 3, "coins": 40}


async def test_a_layout_change_sets_the_reader_aside_and_a_new_one_is_learned(home: Path) -> None:
    oracle = Oracle([CRAWL_V1, CRAWL_V2])
    seen = perception(home, oracle)
    for exp in (0, 3, 6):
        await seen.measure(card(1, exp, exp))
    changed = await seen.measure(card_v2(1, 8, 9))
    assert changed.source == "model" and changed.values == {"level": 1, "coins": 9} and seen.relearned == 1
    for exp in (10, 12):
        await seen.measure(card_v2(1, exp, exp))
    statuses = [(r.code == CRAWL_V2.strip(), r.status) for r in seen.knowledge.readers]
    assert statuses == [(True, "trusted"), (False, "stopped-matching")]
    assert (await seen.measure(card_v2(2, 0, 20))).source == "reader"


async def test_a_trusted_reader_that_reads_wrong_numbers_is_caught_by_a_spot_check(home: Path) -> None:
    from neuronaut.worlds.game.perception import SPOT_CHECK_EVERY

    # Trusted on the first layout; then a layout that moves the numbers: it still finds "LVL" and "COINS",
    # but reads the coins from the wrong place.
    oracle = Oracle([CRAWL_V1, CRAWL_V2])
    seen = perception(home, oracle)
    for exp in (0, 3, 6):
        await seen.measure(card(1, exp, exp))
    for coins in range(1, SPOT_CHECK_EVERY):
        assert (await seen.measure(card(1, 7, 100 + coins))).source == "reader"
    shifted = "Level: 3 (2/40 exp)\nold badge: LVL 1 | COINS 5"  # still has LVL and COINS, in the wrong place
    readings = oracle.readings
    measured = await seen.measure(shifted)
    assert measured.values == {"level": 3, "coins": 5} and oracle.readings == readings + 1
    assert measured.source == "model" and seen.relearned == 1
    old = next(r for r in seen.knowledge.readers if r.code == CRAWL_V1.strip())
    assert old.status == "stopped-matching" and "disagrees with the model" in old.note
