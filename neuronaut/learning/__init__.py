"""Lifelong learning around the agent loop: critic, curriculum, exploration, progress, and a ReAct baseline.

Submodules are imported on use: the ReAct baseline pulls in LangGraph's prebuilt
agent, which the rest does not need.
"""

from neuronaut.learning.critic import CriticVerdict, critique
from neuronaut.learning.curriculum import Curriculum, CurriculumExhausted, Proposal
from neuronaut.learning.explore import ExploreSummary, GoalAttempt, explore
from neuronaut.learning.progress_file import ProgressFile, ProgressSummary

__all__ = [
    "CriticVerdict", "critique", "Curriculum", "CurriculumExhausted", "Proposal", "ExploreSummary",
    "GoalAttempt", "explore", "ProgressFile", "ProgressSummary",
]
