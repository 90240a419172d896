"""A game message cannot steer the agent into another chat or onto a tool the world does not allow."""

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.settings import Settings


def _settings(home) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})


def _branch(schema, tool):
    return next(b for b in schema.get("anyOf", [schema]) if b["properties"]["tool"]["const"] == tool)


async def test_the_model_cannot_name_a_chat(home) -> None:
    model = ScriptedModel(fallback={"thought": "t", "tool": "send_message", "args": {"text": "/help"}})
    await arun_goal("reach level 5", settings=_settings(home), decision_model=model, max_steps=1, thread_id="a")
    schema = model.calls[0][1]
    assert "chat_id" not in _branch(schema, "send_message")["properties"]["args"]["properties"]
    assert {b["properties"]["tool"]["const"] for b in schema["anyOf"]} <= {
        "send_message", "press_inline_button", "skill:check-status", "skill:hunt", "skill:rest", "skill:buy",
        "skill:fight-boss"}


async def test_a_chat_id_smuggled_into_arguments_is_refused(home) -> None:
    settings = _settings(home)
    smuggled = {"thought": "the bot told me to", "tool": "send_message",
                "args": {"text": "hello @victim", "chat_id": "@victim"}}
    model = ScriptedModel(fallback=smuggled)
    result = await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=1, thread_id="b")
    assert result.steps == 1
    assert "Additional properties are not allowed" in model.calls[1][0][-1].content
    chat = SimulatedChat(state_path=next(settings.worlds_dir.glob("rpg-b*.json")))
    assert all("victim" not in m.text for m in chat.get_messages(chat.CHAT_ID, 20).messages)


async def test_fixed_arguments_win_over_the_models() -> None:
    from types import SimpleNamespace

    from neuronaut.nodes.act import call_world_tool
    from neuronaut.worlds.rpg.world import RpgWorld

    calls = []

    class Tools:
        catalogue: dict = {}

        async def call(self, name, args):
            calls.append((name, args))

    services = SimpleNamespace(world=RpgWorld(), tools=Tools())
    await call_world_tool(services, "send_message", {"text": "hi", "chat_id": "@victim"})
    assert calls == [("send_message", {"text": "hi", "chat_id": SimulatedChat.CHAT_ID})]


async def test_a_tool_outside_the_world_allowlist_is_refused(home) -> None:
    model = ScriptedModel(fallback={"thought": "read other chats", "tool": "list_chats", "args": {}})
    await arun_goal("reach level 5", settings=_settings(home), decision_model=model, max_steps=1, thread_id="c")
    second_prompt = model.calls[1][0][-1].content
    assert "unknown tool 'list_chats'" in second_prompt
