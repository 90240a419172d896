"""JSON schema → llama.cpp grammar, with non-BMP characters (emoji) kept intact.

llama-cpp-python's converter writes literals with ``json.dumps``, so an emoji
such as 🌲 becomes the surrogate pair ``\\ud83c\\udf32``; llama.cpp reads each
half as an invalid code point and the model can then only emit the text
without the emoji. The labels a world offers often carry emoji, so the pairs are rejoined
into ``\\UXXXXXXXX`` escapes, which llama.cpp's grammar parser understands.
"""

from __future__ import annotations

import json
import re
from typing import Any

from llama_cpp import LlamaGrammar
from llama_cpp.llama_grammar import json_schema_to_gbnf

_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _join_pair(match: re.Match[str]) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def schema_to_gbnf(schema: dict[str, Any]) -> str:
    return _SURROGATE_PAIR.sub(_join_pair, json_schema_to_gbnf(json.dumps(schema)))


def schema_grammar(schema: dict[str, Any]) -> LlamaGrammar:
    return LlamaGrammar.from_string(schema_to_gbnf(schema), verbose=False)
