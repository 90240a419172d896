from neuronaut.llm.grammar import schema_grammar, schema_to_gbnf

BUTTONS = {"type": "object", "properties": {"b": {"enum": ["🌲 Forest", "🛏️ Inn"]}}, "required": ["b"]}


def test_emoji_outside_the_bmp_become_one_code_point() -> None:
    grammar = schema_to_gbnf(BUTTONS)
    assert "\\U0001F332 Forest" in grammar
    assert "\\ud83c" not in grammar.lower()


def test_characters_inside_the_bmp_are_left_alone() -> None:
    assert "\\ufe0f" in schema_to_gbnf(BUTTONS)  # the variation selector after 🛏


def test_grammar_parses() -> None:
    assert schema_grammar(BUTTONS) is not None
