"""A stored run written out for people (Markdown) or programs (JSON)."""

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


def run_to_markdown(record: RunRecord, events: list[Event]) -> str:
    """Task, plan, each step's call and evidence, then the answer."""
    when = datetime.fromtimestamp(record.started_at).strftime("%Y-%m-%d %H:%M:%S")
    out = [f"# {record.task}", "", f"*{when} · {record.agent} · {record.status}*", ""]
    plan = next((e for e in events if isinstance(e, PlanReady)), None)
    if plan is not None and plan.steps:
        out += ["## Plan", ""]
        for step in plan.steps:
            out.append(f"{step['id'][1:]}. {step.get('plan', '')} — `{step['tool']}`")
        out.append("")
    body = [e for e in events if isinstance(e, (Thought, ToolCall, Evidence))]
    if body:
        out += ["## Steps", ""]
    for event in body:
        if isinstance(event, Thought):
            out += [f"> {event.text}", ""]
        elif isinstance(event, ToolCall):
            arguments = json.dumps(event.arguments, ensure_ascii=False)
            out += [f"### #{event.id} `{event.tool}`", "", f"```json\n{arguments}\n```", ""]
        else:
            out += [f"**{event.status}** ({event.seconds:.2f} s)", "", _fenced(event.text), ""]
    answer = next((e.text for e in reversed(events) if isinstance(e, Answer)), record.answer)
    if answer:
        out += ["## Answer", "", answer, ""]
    finished = next((e for e in events if isinstance(e, RunFinished)), None)
    if finished is not None and finished.error:
        out += [f"**Error:** {finished.error}", ""]
    return "\n".join(out)


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"
