from pathlib import Path

import pytest

from neuronaut.tools.ledger import INTERRUPTED, CallKey, ToolLedger
from neuronaut.tools.types import ToolOutcome

KEY = CallKey("thread", 3, 0)
PRESS = {"chat_id": 1, "button_text": "Buy"}


@pytest.fixture
def ledger(tmp_path: Path) -> ToolLedger:
    return ToolLedger(tmp_path / "ledger.sqlite")


def test_an_unknown_call_has_no_previous_attempt(ledger: ToolLedger) -> None:
    assert ledger.previous(KEY, "press_inline_button", PRESS) is None


def test_a_finished_call_replays_its_outcome(ledger: ToolLedger) -> None:
    ledger.started(KEY, "press_inline_button", PRESS)
    ledger.done(KEY, ToolOutcome(tool="press_inline_button", args=PRESS, ok=True, text="bought"))
    replay = ledger.previous(KEY, "press_inline_button", PRESS)
    assert replay.ok and replay.text == "bought" and replay.extra["replayed_from_ledger"]


def test_a_call_cut_off_mid_way_is_reported_not_repeated(ledger: ToolLedger) -> None:
    ledger.started(KEY, "press_inline_button", PRESS)
    replay = ledger.previous(KEY, "press_inline_button", PRESS)
    assert not replay.ok and replay.error == INTERRUPTED


def test_a_different_decision_on_the_re_run_is_a_new_call(ledger: ToolLedger) -> None:
    ledger.started(KEY, "press_inline_button", PRESS)
    assert ledger.previous(KEY, "press_inline_button", {**PRESS, "button_text": "Sell"}) is None


def test_the_ledger_survives_a_reopen(tmp_path: Path) -> None:
    first = ToolLedger(tmp_path / "l.sqlite")
    first.started(KEY, "send_message", {"text": "hi"})
    first.close()
    assert ToolLedger(tmp_path / "l.sqlite").count(status="started") == 1


def test_pruning_keeps_each_threads_newest_steps_and_what_a_re_run_needs(ledger: ToolLedger) -> None:
    for thread, steps in (("long", range(1, 31)), ("short", range(1, 4))):
        for step in steps:
            key = CallKey(thread, step, 0)
            ledger.started(key, "press_inline_button", PRESS)
            ledger.done(key, ToolOutcome(tool="press_inline_button", args=PRESS, ok=True, text=f"step {step}"))
    ledger.started(CallKey("long", 31, 0), "press_inline_button", PRESS)  # cut off mid-call, then pruned

    assert ledger.prune("long", keep_steps=10) == 21  # steps 1..21 of 31
    assert ledger.count("long") == 10 and ledger.count("short") == 3
    assert ledger.previous(CallKey("long", 21, 0), "press_inline_button", PRESS) is None
    assert ledger.previous(CallKey("long", 22, 0), "press_inline_button", PRESS).text == "step 22"
    assert ledger.previous(CallKey("long", 31, 0), "press_inline_button", PRESS).error == INTERRUPTED
    assert ledger.prune("long", keep_steps=10) == 0


def test_compacting_an_ended_thread_keeps_its_audit_trail_and_the_last_steps_outcomes(ledger: ToolLedger) -> None:
    for thread in ("ended", "other"):
        for step in (1, 2, 3):
            key = CallKey(thread, step, 0)
            ledger.started(key, "press_inline_button", PRESS)
            ledger.done(key, ToolOutcome(tool="press_inline_button", args=PRESS, ok=True, text=f"step {step}"))

    assert ledger.compact("ended") == 2
    assert ledger.count("ended", status="done") == 3  # which calls were made is still on record
    older = ledger.previous(CallKey("ended", 1, 0), "press_inline_button", PRESS)
    assert older.ok and older.extra["replayed_from_ledger"] and "no longer kept" in older.text
    assert ledger.previous(CallKey("ended", 3, 0), "press_inline_button", PRESS).text == "step 3"
    assert ledger.previous(CallKey("other", 1, 0), "press_inline_button", PRESS).text == "step 1"
