"""MCP servers this project did not write, started for real: their tools are tools.

``mcp-server-time`` (PyPI, stdio), ``@modelcontextprotocol/server-everything`` (npm, stdio,
Node.js) and a streamable-HTTP server on 127.0.0.1; runs through the real agent and gate.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from app.events import ApprovalRequested, Evidence, RunFinished
from app.runtime import Runtime
from app.settings import Settings
from app.tools.approval import Decision
from app.tools.registry import ToolContext
from tests.helpers import replay_script
from tests.mcp_servers.fixtures import (
    NPM_SERVERS,
    env,
    everything_server,
    kill_tagged,
    notes_server,
    start_http_notes,
    time_server,
    write_mcp_json,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def tag():
    value = uuid.uuid4().hex
    yield value
    kill_tagged(value)  # only if a test failed half-way: the tests below check none is left


def started(servers: dict) -> Runtime:
    write_mcp_json(servers)
    rt = Runtime(Settings.load())
    rt.start_mcp(wait=True)
    return rt


def context(rt: Runtime) -> ToolContext:
    return ToolContext(workspace=rt.settings.workspace, settings=rt.settings)


def test_time_server_answers_a_rewoo_step(tmp_path, tag):
    rt = started({"time": time_server(tag)})
    try:
        assert [s.state for s in rt.mcp.statuses()] == ["ready"]
        tool = rt.tools.get("time__get_current_time")
        assert tool.risk == "read" and tool.fast_path_argument == "timezone"
        plan = "Plan: Get the time in Tokyo.\n#E1 = time__get_current_time[Asia/Tokyo]\n"
        spec = replay_script(tmp_path, [plan, "It is night in Tokyo."])
        agent = rt.agent(planner=spec, caller=spec)
        events = list(rt.run(agent, "What time is it in Tokyo?"))
    finally:
        rt.close()
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "ok", evidence.text
    assert '"timezone": "Asia/Tokyo"' in evidence.text
    now = datetime.now(timezone(timedelta(hours=9))).strftime("%Y-%m-%dT%H")
    assert now[:10] in evidence.text  # the server's real answer: today's date in Tokyo
    assert isinstance(events[-1], RunFinished) and events[-1].status == "ok"


def test_an_error_from_the_server_is_error_evidence(tag):
    rt = started({"time": time_server(tag)})
    try:
        tool = rt.tools.get("time__get_current_time")
        with pytest.raises(Exception, match="reported an error: .*Nowhere/Atlantis"):
            tool.invoke({"timezone": "Nowhere/Atlantis"}, context(rt))
    finally:
        rt.close()


def test_everything_server_text_structured_and_images(tag):
    rt = started({"everything": everything_server(tag)})
    try:
        ctx = context(rt)
        assert (
            rt.tools.get("everything__echo")
            .invoke({"message": "hi there"}, ctx)
            .endswith("hi there")
        )
        add = rt.tools.get("everything__get_sum")
        assert add.parameters["properties"]["a"]["type"] == "number"
        assert "5" in add.invoke({"a": 2, "b": 3}, ctx)
        image = rt.tools.get("everything__get_tiny_image").invoke({}, ctx)
        assert "[image image/png, about" in image
        # a write-annotated tool is a write, asked first
        assert rt.tools.get("everything__toggle_simulated_logging").risk == "write"
    finally:
        rt.close()


def test_filesystem_server_reads_and_its_writes_are_asked(tmp_path, tag):
    script = NPM_SERVERS / "server-filesystem" / "dist" / "index.js"
    if not script.exists():
        everything_server(tag)  # fails with the install hint
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "todo.txt").write_text("water the plants\n", encoding="utf-8")
    rt = started({"fs": {"command": "node", "args": [str(script), str(shared)], "env": env(tag)}})
    try:
        read = rt.tools.get("fs__read_text_file")
        assert read.risk == "read"
        assert read.invoke({"path": str(shared / "todo.txt")}, context(rt)).strip() == (
            "water the plants"
        )
        assert rt.tools.get("fs__write_file").risk == "write"
        with pytest.raises(Exception, match="reported an error: .*denied"):
            read.invoke({"path": "/etc/hostname"}, context(rt))  # outside its folder
    finally:
        rt.close()


def test_streamable_http_server_on_loopback(tmp_path, tag):
    process, url = start_http_notes(tmp_path / "state", tag)
    try:
        rt = started({"notes": {"url": url}})
        try:
            ctx = context(rt)
            assert rt.mcp.statuses()[0].state == "ready"
            assert rt.tools.get("notes__add_note").risk == "write"
            assert rt.tools.get("notes__add_note").invoke({"text": "milk"}, ctx) == "saved"
            assert rt.tools.get("notes__list_notes").invoke({}, ctx).strip() == "milk"
        finally:
            rt.close()
    finally:
        process.terminate()
        process.wait(10)


def test_a_write_tool_is_asked_and_a_denial_keeps_it_from_running(tmp_path, tag):
    state = tmp_path / "state"
    rt = started({"notes": notes_server(tag, state)})
    asked = []

    def deny(request):
        asked.append(request)
        return Decision(allow=False, arguments=request.arguments)

    try:
        plan = "Plan: Save the note.\n#E1 = notes__add_note[buy milk]\n"
        spec = replay_script(tmp_path, [plan, "I could not save it."])
        events = list(rt.run(rt.agent(planner=spec, caller=spec, approver=deny), "Note: milk"))
        no_one = replay_script(tmp_path, [plan, "Not saved."], "no_one.json")
        unasked = list(rt.run(rt.agent(planner=no_one, caller=no_one), "Note: milk"))
    finally:
        rt.close()
    assert [r.tool.name for r in asked] == ["notes__add_note"]
    assert any(isinstance(e, ApprovalRequested) for e in events)
    for run in (events, unasked):  # asked and denied; no one to ask: denied
        evidence = next(e for e in run if isinstance(e, Evidence))
        assert evidence.status == "denied"
    assert not (state / "notes.txt").exists()


def test_other_servers_keep_working_when_one_is_broken(tag):
    from tests.mcp_servers.fixtures import garbage_server, silent_server

    rt = started(
        {"time": time_server(tag), "silent": silent_server(tag), "garbage": garbage_server(tag)}
    )
    try:
        states = {s.name: (s.state, s.error) for s in rt.mcp.statuses()}
        assert states["time"] == ("ready", "")
        assert states["silent"] == ("failed", "did not answer within 2 s")
        assert states["garbage"][0] == "failed"
        assert "not JSON-RPC (it wrote 'Server ready on port 8080!')" in states["garbage"][1]
        assert sorted(rt.mcp.problems) == [
            "MCP server garbage failed: " + states["garbage"][1],
            "MCP server silent failed: did not answer within 2 s",
        ]
        assert "time__get_current_time" in rt.tools and "silent__x" not in rt.tools
        assert "UTC" in rt.tools.get("time__get_current_time").invoke(
            {"timezone": "UTC"}, context(rt)
        )
    finally:
        rt.close()
