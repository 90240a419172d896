"""Two kinds of failure, kept apart as pydantic-ai does.

``UserError`` and its children are problems a person must fix (bad input, a
missing model, an unwritable directory): the CLI prints them as one line and
exits non-zero. Mistakes the *model* makes (an unknown tool, bad arguments) are
never raised: they go back to the model as observations.
"""


class NeuronautError(Exception):
    """Base class for errors NeuroNaut raises on purpose."""


class UserError(NeuronautError):
    """Something a person must fix; the message says what and how."""


class ModelNotAvailable(UserError):
    """The chosen model is missing, partial or corrupt."""


class ToolServerError(NeuronautError):
    """An MCP server crashed, hung or answered garbage repeatedly."""
