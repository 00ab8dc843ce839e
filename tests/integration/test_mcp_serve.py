"""``smart-agent mcp serve`` driven by the SDK's own client over stdio: run_task answers,
a write in that run is denied (no one to ask), and the history is readable."""

from __future__ import annotations

import json
import os
import sys
import uuid

import anyio
import pytest

from app.settings import Settings
from tests.helpers import replay_script
from tests.mcp_servers.fixtures import (
    kill_tagged,
    notes_server,
    tagged_pids,
    time_server,
    wait_for,
    write_mcp_json,
)

pytestmark = pytest.mark.integration


async def session_calls(calls: list[tuple[str, dict]]) -> tuple[list, list]:
    from mcp import ClientSession, StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "app.cli", "mcp", "serve"], env=dict(os.environ)
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        tools = (await session.list_tools()).tools
        results = [await session.call_tool(name, args) for name, args in calls]
    return tools, results


def test_run_task_over_mcp_answers_denies_the_write_and_history_reads(tmp_path):
    tag = uuid.uuid4().hex
    state = tmp_path / "state"
    write_mcp_json({"time": time_server(tag), "notes": notes_server(tag, state)})
    plan = (
        "Plan: Get the time in UTC.\n#E1 = time__get_current_time[UTC]\n"
        "Plan: Save it as a note.\n#E2 = notes__add_note[#E1]\n"
    )
    spec = replay_script(tmp_path, [plan, "It is now noon in UTC; the note was not saved."])
    settings = Settings.load()
    settings.set("models.planner", spec)
    settings.set("models.caller", spec)
    settings.save()
    try:
        tools, results = anyio.run(
            session_calls, [("run_task", {"task": "Note the UTC time"}), ("list_runs", {})]
        )
    finally:
        kill_tagged(tag)
    by_name = {t.name: t for t in tools}
    assert set(by_name) == {"run_task", "list_runs", "get_run"}
    assert by_name["list_runs"].annotations.read_only_hint is True
    assert by_name["run_task"].annotations.read_only_hint is False

    run, listing = (r.structured_content for r in results)
    assert not results[0].is_error, results[0].content
    assert run["status"] == "partial"  # an answer, but the note's write was denied
    assert run["answer"] == "It is now noon in UTC; the note was not saved."
    assert [s["tool"] for s in run["plan"]] == ["time__get_current_time", "notes__add_note"]
    evidence = {e["id"]: e for e in run["evidence"]}
    assert evidence["E1"]["status"] == "ok" and '"timezone": "UTC"' in evidence["E1"]["text"]
    assert evidence["E2"]["status"] == "denied"
    assert not (state / "notes.txt").exists()
    assert listing["result"][0]["id"] == run["run_id"]

    _, (record,) = anyio.run(session_calls, [("get_run", {"run_id": run["run_id"]})])
    got = record.structured_content
    assert got["task"] == "Note the UTC time" and got["status"] == "partial"
    assert "approval_resolved" in json.dumps([e["type"] for e in got["events"]])
    assert wait_for(lambda: not tagged_pids(tag), 10)
