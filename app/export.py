"""A stored run, or a whole conversation, written out for people (Markdown) or programs
(JSON). A conversation of one run is written exactly as that run."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.events import Event
from app.run_view import Node, RunTree
from app.store import RunRecord


def run_to_json(record: RunRecord, events: list[Event]) -> str:
    """The run's record, its view (each step with its calls and evidence, as
    ``app.run_view`` builds it for every front end) and every event, as one JSON document."""
    return json.dumps(_run_document(record, events), indent=2, ensure_ascii=False, default=str)


def _run_document(record: RunRecord, events: list[Event]) -> dict[str, Any]:
    return {
        "run": record.to_dict(),
        "view": RunTree.of(events).to_dict(),
        "events": [e.to_dict() for e in events],
    }


def conversation_to_json(runs: list[tuple[RunRecord, list[Event]]]) -> str:
    """Every run of a conversation, in order: ``{"conversation": id, "runs": [...]}``."""
    if len(runs) == 1:
        return run_to_json(*runs[0])
    document = {
        "conversation": runs[0][0].conversation or runs[0][0].id,
        "runs": [_run_document(record, events) for record, events in runs],
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
    """Task, plan, each step with its call and evidence, then the answer; the task a heading
    of ``level`` (a turn of a conversation is one level down). Drawn from the run view, so
    a step's evidence is under that step however parallel steps finished."""
    view = RunTree.of(events)
    when = datetime.fromtimestamp(record.started_at).strftime("%Y-%m-%d %H:%M:%S")
    h = "#" * level
    out = [f"{h} {record.task}", "", f"*{when} · {record.agent} · {record.status}*", ""]
    if view.plan:
        out += [f"{h}# Plan", ""]
        out += [f"{step.id[1:]}. {step.plan} — `{step.tool}`" for step in view.plan]
        out.append("")
    if any(node.kind == "thought" or node.children for node in view.root.children):
        out += [f"{h}# Steps", ""]
    for node in view.root.children:
        if node.kind == "thought":
            out += [f"> {node.text}", ""]
        elif node.children:  # a step planned but never reached has nothing to show
            out += _step_markdown(node, h)
    answer = view.answer or record.answer
    if answer:
        out += [f"{h}# Answer", "", answer, ""]
    if view.error:
        out += [f"**Error:** {view.error}", ""]
    return "\n".join(out)


def _step_markdown(step: Node, h: str) -> list[str]:
    out: list[str] = []
    calls = step.of_kind("call")
    if not calls:  # refused or skipped before a call was made
        out += [f"{h}## #{step.key} `{step.tool}`", ""]
    for call in calls:
        arguments = json.dumps(call.arguments, ensure_ascii=False)
        out += [f"{h}## #{call.key} `{call.tool}`", "", f"```json\n{arguments}\n```", ""]
        out += _evidence_markdown(call)
    return out + _evidence_markdown(step)


def _evidence_markdown(parent: Node) -> list[str]:
    out: list[str] = []
    for evidence in parent.of_kind("evidence"):
        seconds = evidence.seconds or 0.0
        out += [f"**{evidence.status}** ({seconds:.2f} s)", "", _fenced(evidence.text), ""]
    return out


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"
