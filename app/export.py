"""A stored run, or a whole conversation, written out for people (Markdown) or programs
(JSON). A conversation of one run is written exactly as that run."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.events import Answer, Event, Evidence, PlanReady, RunFinished, Thought, ToolCall
from app.store import RunRecord


def run_to_json(record: RunRecord, events: list[Event]) -> str:
    """The run's record and every event, as one JSON document."""
    document: dict[str, Any] = {"run": record.to_dict(), "events": [e.to_dict() for e in events]}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def conversation_to_json(runs: list[tuple[RunRecord, list[Event]]]) -> str:
    """Every run of a conversation, in order: ``{"conversation": id, "runs": [...]}``."""
    if len(runs) == 1:
        return run_to_json(*runs[0])
    document = {
        "conversation": runs[0][0].conversation or runs[0][0].id,
        "runs": [{"run": r.to_dict(), "events": [e.to_dict() for e in ev]} for r, ev in runs],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def conversation_to_markdown(runs: list[tuple[RunRecord, list[Event]]]) -> str:
    """Each run of a conversation as ``run_to_markdown`` writes it, one after another."""
    if len(runs) == 1:
        return run_to_markdown(*runs[0])
    parts = [f"# Conversation: {runs[0][0].task}", ""]
    parts += [run_to_markdown(record, events, level=2) for record, events in runs]
    return "\n".join(parts)


def run_to_markdown(record: RunRecord, events: list[Event], level: int = 1) -> str:
    """Task, plan, each step's call and evidence, then the answer; the task a heading of
    ``level`` (a turn of a conversation is one level down)."""
    when = datetime.fromtimestamp(record.started_at).strftime("%Y-%m-%d %H:%M:%S")
    h = "#" * level
    out = [f"{h} {record.task}", "", f"*{when} · {record.agent} · {record.status}*", ""]
    plan = next((e for e in events if isinstance(e, PlanReady)), None)
    if plan is not None and plan.steps:
        out += [f"{h}# Plan", ""]
        for step in plan.steps:
            out.append(f"{step['id'][1:]}. {step.get('plan', '')} — `{step['tool']}`")
        out.append("")
    body = [e for e in events if isinstance(e, (Thought, ToolCall, Evidence))]
    if body:
        out += [f"{h}# Steps", ""]
    for event in body:
        if isinstance(event, Thought):
            out += [f"> {event.text}", ""]
        elif isinstance(event, ToolCall):
            arguments = json.dumps(event.arguments, ensure_ascii=False)
            out += [f"{h}## #{event.id} `{event.tool}`", "", f"```json\n{arguments}\n```", ""]
        else:
            out += [f"**{event.status}** ({event.seconds:.2f} s)", "", _fenced(event.text), ""]
    answer = next((e.text for e in reversed(events) if isinstance(e, Answer)), record.answer)
    if answer:
        out += [f"{h}# Answer", "", answer, ""]
    finished = next((e for e in events if isinstance(e, RunFinished)), None)
    if finished is not None and finished.error:
        out += [f"**Error:** {finished.error}", ""]
    return "\n".join(out)


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"
