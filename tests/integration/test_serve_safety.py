"""What guards ``smart-agent serve``: the token, Host and Origin, the body bound, the run
bound under 20 concurrent clients (proved with the history, not with timing)."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from tests.helpers import cli
from tests.serve_helpers import AUTH, SAVE_CALL, SAVE_PLAN, TIME_PLAN, serve, sse_events

__all__ = ["serve"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}],
    ids=["missing", "wrong", "not-bearer"],
)
def test_no_valid_token_is_401_on_every_route(serve, headers):
    served = serve([TIME_PLAN, "x"])
    with httpx.Client(base_url=served.url, headers=headers) as http:
        for method, path in [
            ("GET", "/v1/runs"),
            ("POST", "/v1/runs"),
            ("GET", "/v1/models"),
            ("POST", "/v1/chat/completions"),
            ("GET", "/openapi.json"),
        ]:
            reply = http.request(method, path, json={"task": "x"})
            assert reply.status_code == 401, (method, path)
            assert reply.headers["www-authenticate"] == "Bearer"
    assert served.runtime.store.runs() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},  # DNS rebinding: the page's own name resolving to us
        {"Host": "evil.example:8765"},
        {"Origin": "http://evil.example"},  # a web page in the person's browser
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:8765"},  # even a page served from this machine
    ],
)
def test_a_foreign_host_or_origin_is_403_even_with_the_token(serve, headers):
    served = serve([TIME_PLAN, "x"])
    with served.client() as http:
        reply = http.post("/v1/runs", json={"task": "x"}, headers=headers)
        assert reply.status_code == 403
    assert served.runtime.store.runs() == []


def test_allowed_names_and_origins_get_through(serve):
    served = serve([TIME_PLAN, "x"], hosts=["agent.lan"], origins=["http://app.lan"])
    with served.client() as http:
        for headers in (
            {"Host": "localhost"},
            {"Host": "agent.lan:1"},
            {"Origin": "http://app.lan"},
        ):
            assert http.get("/v1/runs", headers=headers).status_code == 200


def test_a_10_mb_body_is_413_and_starts_nothing(serve):
    served = serve([TIME_PLAN, "x"])
    body = json.dumps({"task": "x" * (10 * 1024 * 1024)}).encode()
    with served.client() as http:
        assert http.post("/v1/runs", content=body).status_code == 413

        def chunks():  # no Content-Length: the bound holds as the body arrives
            for start in range(0, len(body), 65536):
                yield body[start : start + 65536]

        assert http.post("/v1/runs", content=chunks()).status_code == 413
    assert served.runtime.store.runs() == []


def test_20_concurrent_clients_each_run_finished_or_refused_and_the_history_keeps_all(serve):
    """4 slots; every run waits on an approval, so exactly 4 start and 16 are refused
    (429) before anyone answers. Then the refused retry until they get a slot. The
    history must hold 20 finished runs whose events are exactly what each client got."""
    clients, slots = 20, 4
    served = serve([SAVE_PLAN] * 2 * clients, [SAVE_CALL] * clients, max_runs=slots)
    first_wave: dict[int, int] = {}
    streamed: dict[str, list[dict]] = {}
    refusals = []
    lock = threading.Lock()
    asked, go = threading.Barrier(clients + 1), threading.Event()

    def client(n: int) -> None:
        with served.client() as http:
            attempt = 0
            while True:
                with http.stream("POST", "/v1/runs", json={"task": f"save {n}"}) as response:
                    if attempt == 0:
                        first_wave[n] = response.status_code
                    if response.status_code == 429:
                        with lock:
                            refusals.append(n)
                        if attempt == 0:
                            asked.wait(30)
                            go.wait(30)
                        attempt += 1
                        continue
                    assert response.status_code == 200
                    run_id, events = response.headers["x-run-id"], []
                    for event in sse_events(response):
                        events.append(event)
                        if event["type"] == "approval_requested":
                            if attempt == 0:
                                asked.wait(30)
                                go.wait(30)
                            answer = {"decision": "deny"}
                            http.post(f"/v1/runs/{run_id}/approvals/E1", json=answer)
                    with lock:
                        streamed[run_id] = events
                    return

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    asked.wait(30)  # every client has its answer: a run waiting on its question, or 429
    assert sorted(first_wave.values()) == [200] * slots + [429] * (clients - slots)
    go.set()
    for thread in threads:
        thread.join(60)
    assert len(streamed) == clients and len(refusals) >= clients - slots
    store = served.runtime.store
    runs = store.runs(limit=100)
    assert sorted(r.id for r in runs) == sorted(streamed)  # nothing lost, nothing extra
    assert {r.status for r in runs} == {"failed"}  # each run's only step was denied
    for run_id, events in streamed.items():
        assert [json.loads(e.to_json()) for e in store.events(run_id)] == events
        assert events[-1]["type"] == "run_finished"


def test_serve_refuses_a_non_loopback_address_without_the_flag_and_shows_its_token():
    refused = cli("serve", "--host", "0.0.0.0")
    assert refused.returncode == 2 and "--allow-remote" in refused.stderr
    first = cli("serve", "--show-token")
    assert first.returncode == 0 and len(first.stdout.strip()) >= 32
    assert cli("serve", "--show-token").stdout == first.stdout  # made once, then kept
    assert AUTH  # the tests' own token is not the generated one
    assert first.stdout.strip() != AUTH["Authorization"].split()[1]


def test_a_port_in_use_is_one_line_not_a_traceback():
    """The one SystemExit that means 'could not listen' (uvicorn's, before it started) is
    said as such; a signal uvicorn re-raises after a started server shut down is not
    (tests/integration/test_mcp_sigterm.py)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = cli("serve", "--port", str(port))
    assert busy.returncode == 1, busy.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "Traceback" not in busy.stderr
