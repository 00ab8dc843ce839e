"""A full ReWOO run on the embedded model (shipped adapters) whose plan calls an MCP tool
and whose evidence is that server's real answer.

The 135M planner was trained on the built-ins only; it plans an MCP tool reliably when the
task names it (the ranking keeps named tools in view for the same reason). Greedy decoding
makes the run reproducible.
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
    rt = Runtime(Settings.load())
    try:
        rt.start_mcp(wait=True)
        agent = rt.agent(mode="rewoo")
        events = list(rt.run(agent, "Read my notes with notes__list_notes."))
    finally:
        rt.close()
        kill_tagged(tag)
    plan = next(e for e in events if isinstance(e, PlanReady))
    steps = [s for s in plan.steps if s["tool"] == "notes__list_notes"]
    assert steps, plan.steps
    evidence = {e.id: e for e in events if isinstance(e, Evidence)}
    assert evidence[steps[0]["id"]].status == "ok", evidence
    assert evidence[steps[0]["id"]].text.strip() == "buy oat milk"
    assert isinstance(events[-1], RunFinished) and events[-1].status == "ok"
