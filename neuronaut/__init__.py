"""NeuroNaut: a private, local-first, lifelong-learning agent.

The public API is ``run_goal`` (and ``resume``), its ``RunResult``, and ``Settings``.
"""

from neuronaut.api import RunResult, resume, run_goal
from neuronaut.settings import Settings

__all__ = ["RunResult", "Settings", "resume", "run_goal"]
__version__ = "0.1.0"
