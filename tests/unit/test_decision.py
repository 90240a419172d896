import json

from neuronaut.decision import (
    Action, clean_schema, decision_schema, describe, narrow, skill_action, validate_decision,
)

PRESS_SCHEMA = {
    "type": "object",
    "properties": {
        "chat_id": {"anyOf": [{"type": "integer"}, {"type": "string"}], "title": "Chat Id"},
        "message_id": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "button_text": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Button Text"},
    },
    "required": ["chat_id"],
}


def _press() -> Action:
    return Action("press_inline_button", "Press a button.", clean_schema(PRESS_SCHEMA, {"chat_id", "message_id"}))


def test_fixed_and_hidden_arguments_are_removed() -> None:
    assert list(_press().params["properties"]) == ["button_text"]


def test_optional_types_lose_their_null_branch() -> None:
    assert _press().params["properties"]["button_text"] == {"type": "string"}


def test_choices_become_a_required_enum() -> None:
    [action] = narrow([_press()], {"press_inline_button": {"button_text": ["⚔️ Attack", "🏃 Flee"]}})
    assert action.params["properties"]["button_text"]["enum"] == ["⚔️ Attack", "🏃 Flee"]
    assert "button_text" in action.params["required"]


def test_an_action_with_no_value_left_for_an_argument_is_not_offered() -> None:
    grind = skill_action("grind", "Fight until level up.", {"area": {"type": "string"}})
    actions = narrow([_press(), grind], {"skill:grind": {"area": []}})
    assert [a.name for a in actions] == ["press_inline_button"]


def test_schema_has_one_branch_per_action() -> None:
    actions = [_press(), skill_action("grind", "Fight until level up.", {"times": {"type": "integer"}})]
    schema = decision_schema(actions)
    assert [b["properties"]["tool"]["const"] for b in schema["anyOf"]] == ["press_inline_button", "skill:grind"]


def test_schema_compiles_to_a_llama_grammar() -> None:
    from llama_cpp import LlamaGrammar

    actions = narrow([_press()], {"press_inline_button": {"button_text": ["⚔️ Attack"]}})
    LlamaGrammar.from_json_schema(json.dumps(decision_schema(actions)), verbose=False)


def test_validation_names_the_valid_tools() -> None:
    problem = validate_decision({"tool": "delete_everything", "args": {}}, [_press()])
    assert "press_inline_button" in problem


def test_validation_rejects_a_button_not_on_screen() -> None:
    actions = narrow([_press()], {"press_inline_button": {"button_text": ["⚔️ Attack"]}})
    problem = validate_decision({"tool": "press_inline_button", "args": {"button_text": "Buy"}}, actions)
    assert problem is not None and "invalid arguments" in problem


def test_valid_decision_passes() -> None:
    actions = narrow([_press()], {"press_inline_button": {"button_text": ["⚔️ Attack"]}})
    assert validate_decision({"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}}, actions) is None


def test_description_lists_parameters_and_purpose() -> None:
    assert describe([_press()]) == "- press_inline_button(button_text: string): Press a button."


def test_referenced_definitions_are_inlined_so_a_grammar_can_be_built() -> None:
    from llama_cpp import LlamaGrammar

    from neuronaut.decision import inline_refs

    edit = {
        "$defs": {"Edit": {"type": "object", "properties": {"oldText": {"type": "string"}, "newText": {"type": "string"}},
                           "required": ["oldText", "newText"]}},
        "type": "object",
        "properties": {"path": {"type": "string"}, "edits": {"type": "array", "items": {"$ref": "#/$defs/Edit"}}},
        "required": ["path", "edits"],
    }
    action = Action("edit_file", "Edit a file.", clean_schema(inline_refs(edit), set()))
    assert action.params["properties"]["edits"]["items"]["properties"]["oldText"] == {"type": "string"}
    LlamaGrammar.from_json_schema(json.dumps(decision_schema([action])), verbose=False)
