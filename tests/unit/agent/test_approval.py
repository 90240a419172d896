"""Tools that need a person's approval wait on LangGraph's interrupt; the answer is checkpointed."""

from neuronaut.api import aresume, arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from tests.helpers import fighter


def _settings(home) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64",
                              "NEURONAUT_APPROVE_TOOLS": "press_inline_button"})


async def test_without_a_person_the_run_waits_checkpointed(home) -> None:
    result = await arun_goal("reach level 5", settings=_settings(home), decision_model=ScriptedModel(fallback=fighter),
                             max_steps=3, thread_id="wait")
    assert result.status == "interrupted" and "--approve" in result.stop_reason
    assert result.steps == 0


async def test_an_approval_lets_the_call_through(home) -> None:
    settings = _settings(home)
    await arun_goal("reach level 5", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                    max_steps=1, thread_id="yes")
    result = await aresume("yes", settings=settings, decision_model=ScriptedModel(fallback=fighter), approve=True)
    assert result.steps == 1 and result.status == "budget_exhausted"


async def test_a_refusal_becomes_an_observation(home) -> None:
    settings = _settings(home)
    model = ScriptedModel(fallback=fighter)
    await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=2, thread_id="no")
    result = await aresume("no", settings=settings, decision_model=model, approve=False)
    assert result.status == "interrupted"  # step 2 asks again
    assert "did not allow press_inline_button" in model.calls[-1][0][-1].content


async def test_an_approver_answers_inline(home) -> None:
    questions = []
    result = await arun_goal("reach level 5", settings=_settings(home), decision_model=ScriptedModel(fallback=fighter),
                             max_steps=2, thread_id="inline", approver=lambda q: questions.append(q) or True)
    assert result.steps == 2 and len(questions) == 2
    assert questions[0]["tool"] == "press_inline_button"
