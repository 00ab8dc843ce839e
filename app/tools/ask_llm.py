"""llm: ask the planner model directly."""

from __future__ import annotations

from app.errors import ToolError
from app.tools.registry import ToolContext, tool


@tool(name="llm", timeout=120)
def ask_llm(prompt: str, context: ToolContext) -> str:
    """Ask the language model a question it can answer from its own knowledge.

    Args:
        prompt: The question or instruction for the model.
    """
    if context.ask_model is None:
        raise ToolError("no model is available to the llm tool")
    return context.ask_model(prompt).strip()
