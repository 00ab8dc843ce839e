"""A full ReWOO run on the embedded model (shipped adapters) whose plan calls an MCP tool
and whose evidence is that server's real answer.

The 135M model plans an MCP tool only when the task names it, and then the base model
does, while the shipped planner adapter (trained on the built-ins' plans alone) steers back
to them; so this run uses the base model for every role, which also keeps it independent of
adapter retraining. Greedy decoding makes it reproducible; the network tools are denied so a
plan that strays cannot leave the machine.
"""

from __future__ import annotations

import uuid

import pytest

from app.events import Evidence, PlanReady, RunFinished
from app.runtime import Runtime
from app.settings import Settings
from tests.mcp_servers.fixtures import kill_tagged, notes_server, write_mcp_json

pytestmark = pytest.mark.integration


@pytest.mark.timeout(900)  # three roles on CPU: minutes on a busy machine
def test_the_embedded_planner_calls_an_mcp_tool_and_uses_its_answer(tmp_path):
    tag = uuid.uuid4().hex
    state = tmp_path / "state"
    state.mkdir()
    (state / "notes.txt").write_text("buy oat milk\n", encoding="utf-8")
    write_mcp_json({"notes": notes_server(tag, state)})
    offline = {"web_search": "deny", "wikipedia_search": "deny", "bilibili_search": "deny"}
    rt = Runtime(Settings({"models.shipped_adapters": False, "approval": offline}))
    try:
        rt.start_mcp(wait=True)
        agent = rt.agent(mode="rewoo")
        events = list(rt.run(agent, "Use notes__list_notes to list my notes."))
    finally:
        rt.close()
        kill_tagged(tag)
    plan = next(e for e in events if isinstance(e, PlanReady))
    steps = [s for s in plan.steps if s.tool == "notes__list_notes"]
    assert steps, plan.steps
    evidence = {e.id: e for e in events if isinstance(e, Evidence)}
    for step in steps:  # the base model repeats the step; each is a real call
        assert evidence[step.id].status == "ok", evidence
        assert evidence[step.id].text.strip() == "buy oat milk"
    assert isinstance(events[-1], RunFinished) and events[-1].status == "ok"
