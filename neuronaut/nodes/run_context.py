"""What a node reads of the run it is part of, beyond its state."""

from __future__ import annotations

from langgraph.config import get_config


def current_thread_id() -> str:
    """The thread (run) this node executes for; "default" outside one."""
    return str(get_config().get("configurable", {}).get("thread_id", "default"))
