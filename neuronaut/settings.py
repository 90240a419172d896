"""One settings object: defaults, then an optional TOML file, then the environment.

Nothing else in NeuroNaut reads ``os.environ``; components receive a ``Settings``
(or the values they need from it).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from importlib.metadata import entry_points
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from neuronaut.errors import UserError

ENV_PREFIX = "NEURONAUT_"
Section = TypeVar("Section", bound=BaseModel)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_home() -> Path:
    # A source checkout keeps runtime data in its own checkpoints/ and skills/;
    # an installed package keeps it in the user's home.
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "neuronaut").is_dir():
        return PROJECT_ROOT
    return Path.home() / ".neuronaut"


class McpServerConfig(BaseModel):
    """One MCP server declared in neuronaut.toml (``[servers.<name>]``): no code needed to add it."""

    command: str | None = None
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] | None = None
    cwd: str | None = None
    url: str | None = Field(None, description="A streamable HTTP server instead of a command.")
    headers: dict[str, str] | None = None
    worlds: list[str] = Field(default_factory=lambda: ["generic"], description="Worlds that may use it.")
    tools: list[str] | None = Field(None, description="Only these of its tools (default: all).")
    approve: list[str] = Field(default_factory=list, description="Its tools that need a person's approval.")
    read_only_tools: list[str] = Field(
        default_factory=list, description="Its tools that only read (for a server that does not annotate them).")
    fixed_args: dict[str, Any] = Field(
        default_factory=dict, description="Arguments set for every tool that takes them (e.g. repo_path); hidden from the model."
    )

    model_config = {"frozen": True}


class Settings(BaseModel):
    """Everything configurable. Environment: ``NEURONAUT_<FIELD>`` (upper case)."""

    home: Path = Field(default_factory=_default_home, description="Root of all runtime data.")
    model: str = Field("qwen2.5-coder-1.5b", description="A preset name or a path to a GGUF file.")
    world: str = "rpg"
    max_steps: int = Field(40, ge=1)
    max_wall_s: float | None = Field(None, gt=0, description="Stop a run after this much time in its nodes.")
    max_tokens: int | None = Field(None, gt=0, description="Stop a run after this many prompt + completion tokens.")
    when_stuck: Literal["stop", "steer"] = Field(
        "stop", description="A run cycling between the same screens: stop it with a reason, or (unattended runs) "
        "steer it by taking the cycle's actions off the menu for a few steps and going on.",
    )
    n_ctx: int = Field(8192, ge=512)
    n_batch: int = Field(512, ge=8)
    n_threads: int = Field(default_factory=lambda: os.cpu_count() or 2, ge=1)
    max_decision_tokens: int = Field(160, ge=16)
    temperature: float = Field(0.2, ge=0.0)
    seed: int = 7
    prefix_cache_entries: int = Field(
        3, ge=0, description="Saved KV states of stable prompt prefixes kept under checkpoints/prefix-cache, "
        "so a new process skips their prefill (0 = none).",
    )
    top_k_skills: int = Field(3, ge=0)
    top_k_memories: int = Field(2, ge=0)
    checkpoints_kept: int = Field(100, ge=10, description="Newest checkpoints kept per thread (older are pruned).")
    finished_checkpoints_kept: int = Field(
        10, ge=1, description="Checkpoints kept per thread once its run has ended (its final state, enough for "
        "`status` and for resuming with a larger budget): exploration starts a thread per goal, for days.",
    )
    ledger_steps_kept: int = Field(
        200, ge=10, description="Steps of side-effecting tool calls kept in the ledger per thread (older are pruned)."
    )
    memory_steps_kept: int = Field(
        20000, ge=0, description="Newest steps kept in episodic memory per world (older are pruned; 0 = keep all). "
        "Ingested documents are never pruned.",
    )
    tool_timeout_s: float = Field(60.0, gt=0)
    embedding_model: str = "all-MiniLM-L6-v2"
    chroma_url: str = Field(
        "", description="A shared Chroma server (`chroma run`), e.g. http://127.0.0.1:8000, for memory and the skill "
        "index of several agents; empty = embedded Chroma under home.",
    )
    models_path: Path | None = Field(None, description="Where assembled models live (default: under home).")
    log_level: str = "WARNING"
    # The real Telegram server (see `neuronaut telegram login`).
    telegram_api_id: int | None = None
    telegram_api_hash: str | None = None
    telegram_session: str | None = Field(None, description="A Telethon StringSession.")
    telegram_allowed_chats: list[str] = Field(
        default_factory=list, description="Chats (ids or @usernames) where acting is allowed."
    )
    telegram_read_only: bool = False
    approval: Literal["world", "always", "never"] = Field(
        "world", description="When a person must allow a tool call: as the world says (destructive tools), always, never."
    )
    approve_tools: list[str] = Field(default_factory=list, description="Tools that always need a person's approval.")
    approve_reads: bool = Field(
        False, description="Let tools that only read run without asking, where a server does not annotate them "
        "and their names say so (`--approve-reads`); writes still ask.")
    model_endpoints: list[str] = Field(
        default_factory=list,
        description="OpenAI-compatible /v1 addresses: empty = the in-process GGUF, one = that endpoint, several = a LiteLLM pool.",
    )
    endpoint_constraint: Literal["grammar", "response_format", "none"] = "grammar"
    endpoint_timeout_s: float = Field(120.0, gt=0, description="Per attempt, including the wait in a server's queue.")
    pool_retries: int = Field(3, ge=0)
    pool_allowed_fails: int = Field(1, ge=0)
    pool_cooldown_s: float = Field(30.0, gt=0)
    servers: dict[str, McpServerConfig] = Field(default_factory=dict, description="Extra MCP servers by name.")
    worlds: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Each world's own settings by world name ([worlds.<name>]); the world "
        "validates its section (``world_section``).",
    )

    model_config = {"frozen": True}

    def world_section(self, world: str, model: type[Section]) -> Section:
        """The ``[worlds.<world>]`` section validated by the world's own ``model``; a bad value is a UserError."""
        try:
            return model(**self.worlds.get(world, {}))
        except ValidationError as exc:
            raise UserError(f"invalid settings in [worlds.{world}]: {_problems(exc)}") from None

    def with_world(self, world: str, **values: Any) -> Settings:
        """A copy with ``values`` set in the world's section (e.g. another game seed)."""
        return self.model_copy(update={"worlds": {**self.worlds, world: {**self.worlds.get(world, {}), **values}}})

    # Runtime data layout, all below `home`.
    @property
    def checkpoints_dir(self) -> Path:
        return self.home / "checkpoints"

    @property
    def skills_dir(self) -> Path:
        return self.home / "skills"

    @property
    def checkpoint_db(self) -> Path:
        return self.checkpoints_dir / "runs.sqlite"

    @property
    def ledger_db(self) -> Path:
        return self.checkpoints_dir / "tool-ledger.sqlite"

    @property
    def memory_dir(self) -> Path:
        return self.checkpoints_dir / "memory"

    @property
    def models_dir(self) -> Path:
        return self.models_path or self.checkpoints_dir / "models"

    @property
    def logs_dir(self) -> Path:
        return self.checkpoints_dir / "logs"

    @property
    def worlds_dir(self) -> Path:
        return self.checkpoints_dir / "worlds"

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults < ``$NEURONAUT_HOME/neuronaut.toml`` (or ``NEURONAUT_CONFIG``) < env < overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        home = overrides.get("home") or env.get(ENV_PREFIX + "HOME")
        config = env.get(ENV_PREFIX + "CONFIG") or (Path(home or _default_home()) / "neuronaut.toml")
        values.update(_read_toml(Path(config)))
        for name in cls.model_fields:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw not in (None, ""):
                values[name] = _parse_env_value(name, raw)
        _refuse_world_variables(env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            raise UserError(f"invalid settings: {_problems(exc)}") from None

    def process_environment(self) -> dict[str, str]:
        """Variables the libraries we embed need so that nothing reaches a model hub."""
        return {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",  # Chroma's telemetry
            "TOKENIZERS_PARALLELISM": "false",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # the CLI owns the terminal
            "TQDM_DISABLE": "1",
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # litellm fetches a price list from the internet otherwise
        }

    def apply_process_environment(self) -> None:
        for key, value in self.process_environment().items():
            os.environ.setdefault(key, value)


_LIST_FIELDS = {"telegram_allowed_chats", "approve_tools", "model_endpoints"}


def _parse_env_value(name: str, raw: str) -> Any:
    if name in _LIST_FIELDS:
        return _split_list(raw)
    if name in _JSON_FIELDS:
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise UserError(f"{ENV_PREFIX}{name.upper()} must be JSON: {exc.msg}") from None
    return raw


_JSON_FIELDS = {"servers", "worlds"}
_TABLES = ("servers", "worlds")  # [servers.<name>] and [worlds.<name>] tables sit at the top level


def _split_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read settings file {path}: {exc}") from None
    section = data.get("neuronaut", data)
    _refuse_world_keys(section, path)
    values = {k: v for k, v in section.items() if k in Settings.model_fields}
    values.update({table: data[table] for table in _TABLES if table in data})
    return values


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


def _installed_worlds() -> list[str]:
    # Names only, from the installed metadata: loading the plug-ins would import every world's code.
    return sorted({entry.name for entry in entry_points(group="neuronaut.worlds")})


def _world_key(name: str) -> tuple[str, str] | None:
    """(world, key) when ``name`` reads as ``<world>_<key>`` for an installed world and is no field of ours:
    world settings once were flat fields named so, and a stale one must not be silently ignored."""
    if name in Settings.model_fields or "_" not in name:
        return None
    for world in _installed_worlds():
        prefix = world.replace("-", "_") + "_"
        if name.startswith(prefix) and len(name) > len(prefix):
            return world, name[len(prefix):]
    return None


def _refuse_world_variables(env: Mapping[str, str]) -> None:
    for variable in env:
        moved = variable.startswith(ENV_PREFIX) and _world_key(variable[len(ENV_PREFIX):].lower())
        if moved:
            world, key = moved
            example = json.dumps({world: {key: "..."}})
            raise UserError(f"{variable} is no longer read: world settings live in [worlds.{world}] of "
                            f"neuronaut.toml or in {ENV_PREFIX}WORLDS, e.g. {ENV_PREFIX}WORLDS='{example}'")


def _refuse_world_keys(section: Mapping[str, Any], path: Path) -> None:
    for name in section:
        moved = isinstance(name, str) and _world_key(name)
        if moved:
            world, key = moved
            raise UserError(f"{path}: {name} is no longer read: write {key} = ... under [worlds.{world}]")
