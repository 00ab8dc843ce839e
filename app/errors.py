"""Typed errors of the core.

Each carries a message written for the person using the app: front ends print
``str(error)`` as the one line they show, never a traceback.
"""


class SmartAgentError(Exception):
    """Base of every error the core raises on purpose."""


class PlanError(SmartAgentError):
    """The planner's output is not a valid plan."""


class ModelError(SmartAgentError):
    """A model could not be loaded or failed to generate."""


class ToolError(SmartAgentError):
    """A tool failed; the message becomes the step's evidence."""


class ApprovalDenied(ToolError):
    """The person (or the policy) refused a tool call."""


class SettingsError(SmartAgentError):
    """A setting has a value of the wrong kind."""


class StoreError(SmartAgentError):
    """The history database cannot be used."""


class UnknownRun(StoreError):
    """No run in the history has this id (or the id prefix is ambiguous)."""


class NeedsApproval(SmartAgentError):
    """A tool found that this call would write (e.g. SQL the read-only engine refused).

    The worker then asks the approval gate with ``reason`` and, if allowed, calls the tool
    again with ``ToolContext.allow_write`` set.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UsageError(SmartAgentError):
    """The command line itself is wrong (exit code 2)."""
