"""``smart-agent serve``'s runs over real HTTP (httpx): streamed end to end, approvals
answered, cancelled, followed up, deleted; a client that leaves does not stop its run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from app.events import Event
from tests.serve_helpers import SAVE_CALL, SAVE_PLAN, TIME_PLAN, serve, sse_events

__all__ = ["serve"]

CONTRACT = [
    "run_started",
    "plan",
    "step_started",
    "tool_call",
    "evidence",
    "answer",
    "run_finished",
]


def _types(events):
    return [e["type"] for e in events if e["type"] not in ("plan_delta", "answer_delta")]


def test_a_run_streams_its_events_end_to_end_and_lands_in_the_history(serve):
    served = serve([TIME_PLAN, "It is evening in Tokyo."])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "Time in Tokyo?"}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            run_id = response.headers["x-run-id"]
            events = list(sse_events(response))
        assert _types(events) == CONTRACT
        assert {e["run_id"] for e in events} == {run_id}
        assert events[-1]["status"] == "ok"
        answer = next(e for e in events if e["type"] == "answer")["text"]
        assert "evening" in answer
        # the same JSON as --events, and the same events as the history holds
        stored = served.runtime.store.events(run_id)
        assert events == [json.loads(e.to_json()) for e in stored]
        assert all(isinstance(Event.from_dict(e), Event) for e in events)
        got = http.get(f"/v1/runs/{run_id}").json()
        assert got["run"]["status"] == "ok" and got["events"] == events
        assert run_id in [r["id"] for r in http.get("/v1/runs").json()["runs"]]
        replayed = http.get(f"/v1/runs/{run_id}/events")
        assert [
            json.loads(line[5:]) for line in replayed.text.splitlines() if line.startswith("data:")
        ] == events


def test_an_approval_is_an_event_answered_over_the_api_with_edited_arguments(serve):
    served = serve([SAVE_PLAN, "Saved."], [SAVE_CALL])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "save hi"}) as response:
            run_id = response.headers["x-run-id"]
            events = []
            for event in sse_events(response):
                events.append(event)
                if event["type"] == "approval_requested":
                    assert event["tool"] == "save_file" and event["id"] == "E1"
                    pending = http.get(f"/v1/runs/{run_id}").json()["approvals"]
                    assert pending["E1"]["tool"] == "save_file"
                    edited = {"path": "notes.md", "content": "edited over the API"}
                    answer = {"decision": "allow", "arguments": edited}
                    reply = http.post(f"/v1/runs/{run_id}/approvals/E1", json=answer)
                    assert reply.status_code == 200, reply.text
                    again = http.post(f"/v1/runs/{run_id}/approvals/E1", json=answer)
                    assert again.status_code == 409  # answered already
    resolved = next(e for e in events if e["type"] == "approval_resolved")
    assert resolved["decision"] == "allow"
    assert resolved["arguments"]["content"] == "edited over the API"
    assert next(e for e in events if e["type"] == "evidence")["status"] == "ok"
    saved = served.runtime.settings.workspace / "notes.md"
    assert saved.read_text(encoding="utf-8") == "edited over the API"


def test_edited_arguments_that_break_the_schema_are_refused_and_the_question_stays_open(serve):
    served = serve([SAVE_PLAN, "Not saved."], [SAVE_CALL])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "save hi"}) as response:
            run_id = response.headers["x-run-id"]
            for event in sse_events(response):
                if event["type"] == "approval_requested":
                    bad = {"decision": "allow", "arguments": {"path": 5}}
                    reply = http.post(f"/v1/runs/{run_id}/approvals/E1", json=bad)
                    assert reply.status_code == 422
                    deny = http.post(f"/v1/runs/{run_id}/approvals/E1", json={"decision": "deny"})
                    assert deny.status_code == 200
                last = event
    assert last["status"] == "failed"  # its only step was denied; the API says so as it is
    assert served.runtime.store.get(run_id).status == "failed"
    evidence = [e for e in served.runtime.store.events(run_id) if e.type == "evidence"]
    assert evidence[0].status == "denied"


def test_cancel_stops_a_run_waiting_on_its_approval(serve):
    served = serve([SAVE_PLAN, "Saved."], [SAVE_CALL])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "save hi"}) as response:
            run_id = response.headers["x-run-id"]
            for event in sse_events(response):
                if event["type"] == "approval_requested":
                    assert http.post(f"/v1/runs/{run_id}/cancel").status_code == 202
                last = event
        assert last["type"] == "run_finished" and last["status"] == "cancelled"
        assert http.post(f"/v1/runs/{run_id}/cancel").status_code == 409  # it has ended
        assert http.get(f"/v1/runs/{run_id}").json()["run"]["status"] == "cancelled"
        assert http.delete(f"/v1/runs/{run_id}").status_code == 204
        assert http.get(f"/v1/runs/{run_id}").status_code == 404
        assert http.delete(f"/v1/runs/{run_id}").status_code == 404


def test_a_client_that_disconnects_does_not_stop_its_run(serve):
    served = serve([SAVE_PLAN, "Saved."], [SAVE_CALL])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "save hi"}) as response:
            run_id = response.headers["x-run-id"]
            for event in sse_events(response):
                if event["type"] == "approval_requested":
                    break  # leaves: the connection closes with the run waiting
        assert http.delete(f"/v1/runs/{run_id}").status_code == 409  # still at work
        answer = http.post(f"/v1/runs/{run_id}/approvals/E1", json={"decision": "allow"})
        assert answer.status_code == 200
        with http.stream("GET", f"/v1/runs/{run_id}/events") as followed:
            events = list(sse_events(followed))
    assert events[0]["type"] == "run_started" and events[-1]["status"] == "ok"
    assert served.runtime.store.get(run_id).status == "ok"
    assert (served.runtime.settings.workspace / "notes.md").read_text() == "hi"


def test_a_follow_up_continues_an_earlier_run(serve):
    served = serve([TIME_PLAN, "Evening.", TIME_PLAN, "Still evening."])
    with served.client() as http:
        first = http.post("/v1/runs", json={"task": "Time in Tokyo?"})
        first_id = first.headers["x-run-id"]
        second = http.post("/v1/runs", json={"task": "and now?", "continue": first_id})
        started = json.loads(second.text.split("data:", 1)[1].split("\n", 1)[0])
        assert started["parent"] == first_id
        missing = http.post("/v1/runs", json={"task": "x", "continue": "000000000000"})
        assert missing.status_code == 404


def test_bad_requests_get_4xx_with_a_message(serve):
    served = serve([])
    with served.client() as http:
        assert http.post("/v1/runs", content=b"{not json").status_code == 400
        assert http.post("/v1/runs", json={"agent": "react"}).status_code == 422
        assert http.post("/v1/runs", json={"task": "x", "agent": "nope"}).status_code == 422
        foreign = {"task": "x", "models": {"planner": "openai:http://example.com#m"}}
        reply = http.post("/v1/runs", json=foreign)
        assert reply.status_code == 400 and "not offered" in reply.json()["error"]["message"]
        assert http.get("/v1/runs/nope").status_code == 404
        assert http.get("/v1/runs/%25").status_code == 404
        assert http.get("/v1/runs?limit=0").status_code == 422


def test_stopping_the_server_cancels_the_runs_at_work_and_records_them(serve):
    served = serve([SAVE_PLAN, "Saved."], [SAVE_CALL])
    with served.client() as http:
        with http.stream("POST", "/v1/runs", json={"task": "save hi"}) as response:
            run_id = response.headers["x-run-id"]
            for event in sse_events(response):
                if event["type"] == "approval_requested":
                    break
    served.server.stop()
    record = served.runtime.store.get(run_id)
    assert record.status == "cancelled"
    assert served.runtime.store.events(run_id)[-1].type == "run_finished"


def test_smart_agent_serve_in_its_own_process_serves_until_interrupted(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SMART_AGENT_API_TOKEN": "process-token"}
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/v1/models"
        headers = {"Authorization": "Bearer process-token"}
        for _ in range(300):
            try:
                reply = httpx.get(url, headers=headers)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert reply.status_code == 200 and reply.json()["data"][0]["id"] == "smart-agent"
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert f"serving on http://127.0.0.1:{port}" in stderr
