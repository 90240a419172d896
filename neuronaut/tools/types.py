"""Plain data about servers, tools and tool calls."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.tools import BaseTool

from neuronaut.tools.sanitize import clean_line, clean_text

# A server's own words reach the prompt: capped like chat text, so a description cannot
# crowd out the goal or smuggle a long instruction in.
DESCRIPTION_MAX_CHARS = 1000
PARAMETER_TEXT_MAX_CHARS = 300


@dataclass(frozen=True)
class ServerSpec:
    """How to reach one MCP server: a stdio command or a streamable HTTP URL."""

    name: str
    command: str | None = None
    args: tuple[str, ...] = ()
    env: dict[str, str] | None = None
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] | None = None

    @property
    def transport(self) -> Literal["stdio", "streamable_http"]:
        return "streamable_http" if self.url else "stdio"

    def connection(self) -> dict[str, Any]:
        """The connection dict langchain-mcp-adapters expects."""
        if self.url:
            return {"transport": "streamable_http", "url": self.url, "headers": self.headers or {}}
        conn: dict[str, Any] = {"transport": "stdio", "command": self.command, "args": list(self.args)}
        if self.env is not None:
            conn["env"] = self.env
        if self.cwd:
            conn["cwd"] = self.cwd
        return conn


@dataclass(frozen=True)
class ToolSpec:
    name: str
    server: str
    description: str
    input_schema: dict[str, Any]
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    annotated: bool = False  # the server gave hints; without them read_only/destructive are MCP's defaults


_HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


def tool_spec_from_langchain(name: str, server: str, tool: BaseTool) -> ToolSpec:
    hints = tool.metadata or {}
    schema = tool.args_schema if isinstance(tool.args_schema, dict) else tool.get_input_jsonschema()
    read_only = bool(hints.get("readOnlyHint"))
    return ToolSpec(
        name=name,
        server=server,
        description=clean_text(tool.description, DESCRIPTION_MAX_CHARS),
        input_schema=clean_schema_text(schema or {"type": "object", "properties": {}}),
        read_only=read_only,
        # MCP's default for destructiveHint is true for tools that are not read-only.
        destructive=bool(hints.get("destructiveHint", not read_only)) and not read_only,
        idempotent=bool(hints.get("idempotentHint")),
        annotated=any(hints.get(hint) is not None for hint in _HINTS),
    )


def clean_schema_text(schema: Any) -> Any:
    """The schema with every description and title sanitised and capped; structure and names unchanged."""
    if isinstance(schema, dict):
        cleaned = {}
        for key, value in schema.items():
            if key == "description" and isinstance(value, str):
                cleaned[key] = clean_text(value, PARAMETER_TEXT_MAX_CHARS)
            elif key == "title" and isinstance(value, str):
                cleaned[key] = clean_line(value, PARAMETER_TEXT_MAX_CHARS)
            else:
                cleaned[key] = clean_schema_text(value)
        return cleaned
    if isinstance(schema, list):
        return [clean_schema_text(item) for item in schema]
    return schema


@dataclass
class ToolOutcome:
    """What one tool call returned, as the agent sees it."""

    tool: str
    args: dict[str, Any]
    ok: bool
    text: str = ""
    structured: dict[str, Any] | None = None
    error: str | None = None
    duration_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def failure(cls, tool: str, args: dict[str, Any], error: str) -> ToolOutcome:
        return cls(tool=tool, args=args, ok=False, text=error, error=error)

    def summary(self, limit: int = 400) -> str:
        body = self.text if self.text else json.dumps(self.structured or {}, ensure_ascii=False)
        body = " ".join(body.split())
        prefix = "" if self.ok else "ERROR: "
        return prefix + (body if len(body) <= limit else body[: limit - 1] + "…")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolOutcome:
        """The outcome ``to_dict`` wrote (keys it does not know are left out)."""
        known = ("tool", "args", "ok", "text", "structured", "error", "duration_s")
        return cls(**{key: data[key] for key in known if key in data})

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool, "args": self.args, "ok": self.ok, "text": self.text,
            "structured": self.structured, "error": self.error, "duration_s": round(self.duration_s, 4),
        }
