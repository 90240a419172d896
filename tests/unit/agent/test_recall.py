"""What the planner is shown of past runs: earlier attempts at its goal or one of its kind, never other goals'
or its own steps."""

import re

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.step_text import recalled_step
from neuronaut.memory.store import EpisodeMemory
from neuronaut.settings import Settings
from tests.helpers import fighter, is_critic, sends_forever


def earlier_attempts(prompt: str) -> list[str]:
    block = re.search(r"Earlier attempts at this goal or one like it \(untrusted\):\n((?:- .*\n?)+)", prompt)
    return [line[2:] for line in block.group(1).splitlines()] if block else []


async def run(settings: Settings, goal: str, policy, steps: int, thread: str, **options) -> ScriptedModel:
    model = ScriptedModel(fallback=policy)
    await arun_goal(goal, settings=settings, decision_model=model, max_steps=steps, thread_id=thread, **options)
    return model


async def test_a_run_is_shown_what_earlier_runs_did_for_its_goal_and_how_it_went(settings: Settings) -> None:
    await run(settings, "reach level 5", fighter, 4, "earlier")
    await run(settings, "have 30 gold", sends_forever("/for another goal"), 3, "other")
    model = await run(settings, "reach level 5", sends_forever("/now"), 3, "now")

    shown = [earlier_attempts(messages[-1].content) for messages, schema in model.calls if not is_critic(schema)]
    assert len(shown) >= 3 and all(shown), "every plan is shown the earlier attempt"
    for lines in shown:
        assert len(lines) == len(set(lines)) <= settings.top_k_memories
        for line in lines:
            # The earlier run's presses and how they went: no screen, no other goal's step, none of this run's.
            assert re.fullmatch(r"press_inline_button\(button_text='[^']+'\) → (ok|failed: .+)( \[.+\])?", line), line


async def test_a_run_is_shown_earlier_attempts_at_a_goal_of_its_kind_with_what_they_changed(
        settings: Settings) -> None:
    await run(settings, "reach level 5", fighter, 6, "earlier")
    model = await run(settings, "reach level 6", sends_forever("/now"), 2, "now")

    [first, *_] = [earlier_attempts(messages[-1].content) for messages, schema in model.calls if not is_critic(schema)]
    assert first and all(line.startswith("reach level 5: press_inline_button(") for line in first)
    with EpisodeMemory(settings.memory_dir, HashEmbeddings(128)) as memory:
        recalled = [recalled_step(h.metadata) for h in memory.search("fight", k=10, goal_like="reach level 6")]
    # What a press did, read by the checker: a fight's XP and HP.
    assert any(re.search(r"\[.*xp \d+→\d+.*\]", line) for line in recalled), recalled


async def test_a_goal_never_attempted_before_is_shown_no_earlier_attempts(settings: Settings) -> None:
    await run(settings, "reach level 5", fighter, 4, "earlier")
    model = await run(settings, "have 30 gold", fighter, 3, "now")

    assert not any(earlier_attempts(messages[-1].content) for messages, _ in model.calls)


async def test_without_memory_the_planner_is_shown_none(settings: Settings) -> None:
    await run(settings, "reach level 5", fighter, 4, "earlier")
    model = await run(settings, "reach level 5", fighter, 3, "now", use_memory=False)

    assert not any(earlier_attempts(messages[-1].content) for messages, _ in model.calls)


async def test_a_later_gold_goal_recalls_an_earlier_purchase_as_a_setback(settings: Settings) -> None:
    buy = {"thought": "t", "tool": "skill:buy", "args": {"item": "Potion"}}  # 8 of the hero's 10 gold
    earlier = ScriptedModel({"thought": "t", "tool": "send_message", "args": {"text": "/status"}}, buy)
    await arun_goal("have 30 gold", settings=settings, decision_model=earlier, max_steps=2, thread_id="earlier",
                    use_critic=False)
    model = await run(settings, "have 60 gold", sends_forever("/now"), 1, "now", use_critic=False)

    shown = earlier_attempts(model.calls[0][0][-1].content)
    assert "have 30 gold: skill:buy(item='Potion') → set the goal back [gold 10→2, potions 1→2]" in shown, shown


async def test_a_new_boss_is_shown_what_the_fight_with_another_boss_did_but_not_that_goals_own_skill(
        settings: Settings) -> None:
    with EpisodeMemory(settings.memory_dir, HashEmbeddings(128)) as memory:
        for step, tool in enumerate(("skill:buy", "skill:fight-boss", "skill:defeat-the-first-boss")):
            memory.add_step(thread_id="earlier", step=step, world="rpg", goal="defeat the first boss",
                            observation="Forest", action={"tool": tool, "args": {}}, outcome="won", ok=True,
                            family="boss", achieved=tool != "skill:buy")
    model = await run(settings, "defeat the Crystal Golem", sends_forever("/now"), 1, "now", use_critic=False)

    shown = earlier_attempts(model.calls[0][0][-1].content)
    # The primitive that won carries over to another boss; the purchase on the way fitted that boss's hero, and
    # the first boss's own skill would replay the first boss.
    assert shown == ["defeat the first boss: skill:fight-boss() → ok"], shown


async def test_only_the_step_after_which_the_goal_held_is_remembered_as_having_achieved_it(settings: Settings) -> None:
    await run(settings, "reach level 2", fighter, 60, "earlier")

    with EpisodeMemory(settings.memory_dir, HashEmbeddings(128)) as memory:
        hits = memory.search("fight", k=100, goal="reach level 2")
    achieved = [bool(h.metadata["achieved"]) for h in sorted(hits, key=lambda h: h.metadata["step"])]
    assert len(achieved) > 1 and achieved[-1] and not any(achieved[:-1]), achieved
