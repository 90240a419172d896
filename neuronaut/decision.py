"""The action space of one step and the JSON schema every decision must satisfy.

The schema is an ``anyOf`` with one branch per action: the tool name is a
constant and its arguments follow that tool's own schema, narrowed by what the
world sees now (e.g. only the choices offered on screen). Turned into a llama.cpp
grammar, it makes every decision a valid call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonschema

from neuronaut.tools.types import ToolSpec
from neuronaut.worlds.base import World
from neuronaut.worlds.capabilities import drafting
from neuronaut.worlds.joined import fixed_args

SKILL_PREFIX = "skill:"
THOUGHT_MAX_CHARS = 120
PARAMETER_HINT_CHARS = 120  # one parameter's description in the tool list
PARAMETER_HINTS_CHARS = 300  # all of one tool's


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    params: dict[str, Any]  # a JSON object schema
    kind: str = "tool"  # "tool" or "skill"


def tool_actions(catalogue: dict[str, ToolSpec], world: World, goal: str | None = None) -> list[Action]:
    """The world's tools as the model sees them: fixed and hidden arguments removed; with a ``goal``, only
    the tools the world describes for it (``World.tools_for``)."""
    actions = []
    drafter = drafting(world)
    drafted_args = drafter.drafted_args if drafter else {}
    specs = [spec for name, spec in sorted(catalogue.items())
             if world.allowed_tools is None or name in world.allowed_tools]
    if goal is not None:
        specs = world.tools_for(goal, specs)
    for spec in specs:
        name = spec.name
        removed = set(fixed_args(world, spec)) | set(world.hidden_args.get(name, frozenset()))
        description = _first_paragraph(spec.description)
        drafted = drafted_args.get(name)
        if drafted:
            removed.add(drafted)
            description += f" Your thought says what the {drafted} must do; you write the {drafted} itself next."
        schema = clean_schema(inline_refs(spec.input_schema), removed)
        if world.describes_parameters and (hints := parameter_hints(schema)):
            description += f" ({hints})"
        actions.append(Action(name, description, schema))
    actions += [Action(a["name"], a["description"], a["params"]) for a in world.extra_actions()]
    return actions


def skill_action(name: str, description: str, parameters: dict[str, Any]) -> Action:
    props = {}
    for param, spec in parameters.items():
        spec = spec.model_dump() if hasattr(spec, "model_dump") else dict(spec)
        props[param] = {k: v for k, v in spec.items() if k in ("type", "description", "enum") and v is not None}
    schema = {"type": "object", "properties": props, "required": sorted(props)}
    return Action(SKILL_PREFIX + name, description, schema, kind="skill")


def inline_refs(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """Replace each "$ref" with its "$defs" entry: grammars and small models need no indirection."""
    if defs is None:
        defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = defs[schema["$ref"].rsplit("/", 1)[-1]]
            return inline_refs({**target, **{k: v for k, v in schema.items() if k != "$ref"}}, defs)
        return {k: inline_refs(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [inline_refs(v, defs) for v in schema]
    return schema


def clean_schema(schema: dict[str, Any], removed: set[str]) -> dict[str, Any]:
    """A tool's input schema reduced to what a small model and a grammar handle well."""
    props = {}
    for key, prop in (schema.get("properties") or {}).items():
        if key in removed:
            continue
        props[key] = _simplify(prop)
    required = [r for r in schema.get("required", []) if r in props]
    return {"type": "object", "properties": props, "required": required}


def _simplify(prop: dict[str, Any]) -> dict[str, Any]:
    options = prop.get("anyOf") or prop.get("oneOf")
    if options:
        concrete = [o for o in options if o.get("type") != "null"]
        base = dict(concrete[0]) if len(concrete) == 1 else {"anyOf": concrete}
    else:
        base = dict(prop)
    kept = {k: v for k, v in base.items() if k not in ("title", "default", "examples")}
    if "description" in prop and "description" not in kept:
        kept["description"] = prop["description"]
    if kept.get("type") == "object" and "properties" in kept:
        kept = clean_schema(kept, set())
    if kept.get("type") == "array" and isinstance(kept.get("items"), dict):
        kept["items"] = _simplify(kept["items"])
    return kept


def narrow(actions: list[Action], choices: dict[str, dict[str, list[str]]]) -> list[Action]:
    """Restrict arguments to the values the world offers now (enum), and require them; an action with an
    argument that has no value left is not offered."""
    narrowed = []
    for action in actions:
        offered = choices.get(action.name)
        if not offered:
            narrowed.append(action)
            continue
        if any(arg in action.params.get("properties", {}) and not values for arg, values in offered.items()):
            continue
        params = {**action.params, "properties": dict(action.params["properties"])}
        required = list(params.get("required", []))
        for arg, values in offered.items():
            if arg in params["properties"]:
                params["properties"][arg] = {**params["properties"][arg], "enum": list(dict.fromkeys(values))}
                params["properties"][arg].pop("type", None)
                required.append(arg) if arg not in required else None
        params["required"] = required
        narrowed.append(Action(action.name, action.description, params, action.kind))
    return narrowed


def decision_schema(actions: list[Action]) -> dict[str, Any]:
    branches = [
        {
            "type": "object",
            "properties": {
                "thought": {"type": "string", "maxLength": THOUGHT_MAX_CHARS},
                "tool": {"const": action.name},
                "args": _args_schema(action.params),
            },
            "required": ["thought", "tool", "args"],
        }
        for action in actions
    ]
    return branches[0] if len(branches) == 1 else {"anyOf": branches}


def _args_schema(params: dict[str, Any]) -> dict[str, Any]:
    # Every shown argument is emitted: optional ones would let a small model ramble.
    props = params.get("properties", {})
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def validate_decision(data: dict[str, Any], actions: list[Action]) -> str | None:
    """None when ``data`` is a valid decision for ``actions``, else what is wrong (for the model)."""
    by_name = {a.name: a for a in actions}
    tool = data.get("tool")
    if not isinstance(tool, str) or tool not in by_name:
        return f"unknown tool {tool!r}; choose one of: {', '.join(by_name)}"
    args = data.get("args")
    if not isinstance(args, dict):
        return "args must be a JSON object"
    try:
        jsonschema.validate(args, _args_schema(by_name[tool].params))
    except jsonschema.ValidationError as exc:
        return f"invalid arguments for {tool}: {exc.message}"
    return None


def describe(actions: list[Action]) -> str:
    """Stable text for the prompt: names, parameters and purpose (no per-step values)."""
    lines = []
    for action in actions:
        params = ", ".join(
            f"{name}: {_type_name(prop)}" for name, prop in action.params.get("properties", {}).items()
        )
        lines.append(f"- {action.name}({params}): {action.description}")
    return "\n".join(lines)


def _type_name(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        return " | ".join(_type_name(p) for p in prop["anyOf"])
    kind = prop.get("type", "value")
    if kind == "array":
        return f"list[{_type_name(prop.get('items', {}))}]"
    return str(kind)


def parameter_hints(schema: dict[str, Any], limit: int = PARAMETER_HINTS_CHARS) -> str:
    """What each parameter means, from its description and allowed values, in one short clause:
    ``timezone: IANA timezone name (e.g. 'Europe/London')``."""
    hints = []
    for name, prop in (schema.get("properties") or {}).items():
        said = " ".join(str(prop.get("description", "")).split())[:PARAMETER_HINT_CHARS]
        if prop.get("enum"):
            said = f"{said}; one of {', '.join(map(str, prop['enum'][:8]))}".lstrip("; ")
        if said:
            hints.append(f"{name}: {said}")
    text = "; ".join(hints)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())[:300]
