import pytest
from langchain_core.messages import HumanMessage

from neuronaut.llm.base import ModelOutputError
from neuronaut.llm.scripted import ScriptedModel

SCHEMA = {"type": "object"}


async def test_answers_come_out_in_order() -> None:
    model = ScriptedModel().enqueue({"a": 1}, {"a": 2})
    assert (await model.decide([HumanMessage("x")], SCHEMA)).data == {"a": 1}
    assert (await model.decide([HumanMessage("y")], SCHEMA)).data == {"a": 2}


async def test_records_prompts_and_schemas() -> None:
    model = ScriptedModel({"a": 1})
    await model.decide([HumanMessage("hello")], SCHEMA)
    assert model.calls[0][0][0].content == "hello" and model.calls[0][1] == SCHEMA


@pytest.mark.parametrize("raw", ["", "{not json", "[1, 2]"])
async def test_malformed_text_raises_model_output_error(raw: str) -> None:
    with pytest.raises(ModelOutputError):
        await ScriptedModel(raw).decide([HumanMessage("x")], SCHEMA)


async def test_empty_queue_without_fallback_is_a_test_bug() -> None:
    with pytest.raises(AssertionError, match="no answer queued"):
        await ScriptedModel().decide([HumanMessage("x")], SCHEMA)
