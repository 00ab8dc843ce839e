"""The core's one HTTP module (app.net), against a real server on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest
from urllib3.response import HTTPResponse
from werkzeug import Request, Response

from app import __version__
from app.errors import ToolError
from app.net import errors, http

PROVIDER = "Test Service"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


FAST = http.Policy(
    connect_timeout=1.0, read_timeout=2.0, retries=2, backoff=0.0, retry_after_max=0.05,
    max_bytes=4096,
)


def get(url: str, policy: http.Policy = FAST, **kwargs) -> http.Reply:
    return http.request(PROVIDER, "GET", url, policy=policy, **kwargs)


def test_user_agent_is_truthful_and_names_the_version(httpserver):
    agent = f"SmartAgent/{__version__} (+local desktop assistant)"
    httpserver.expect_request("/ua", headers={"User-Agent": agent}).respond_with_data("hello")

    assert get(httpserver.url_for("/ua")).text == "hello"


def test_json_reply_is_parsed(httpserver):
    httpserver.expect_request("/data").respond_with_json({"answer": 42})

    assert get(httpserver.url_for("/data")).json() == {"answer": 42}


def test_429_is_retried_a_bounded_number_of_times_and_retry_after_is_capped(httpserver):
    httpserver.expect_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    policy = replace(FAST, retry_after_max=0.2)
    started = time.monotonic()

    with pytest.raises(ToolError, match=r"rate limited by Test Service \(HTTP 429\)"):
        get(httpserver.url_for("/busy"), policy)

    assert len(httpserver.log) == 3  # the first try and two retries, no more
    assert time.monotonic() - started >= 0.4  # it did wait, twice (a sleep is never shorter)
    # ... 0.2 s each, not the 120 s asked for: what the session's retry makes of the header
    retry = http.new_session(policy).get_adapter(httpserver.url_for("/")).max_retries
    assert retry.get_retry_after(HTTPResponse(status=429, headers={"Retry-After": "120"})) == 0.2


def test_a_passing_server_error_is_retried_until_it_clears(httpserver):
    replies = iter([Response("down", status=503), Response('{"ok": true}', status=200)])
    httpserver.expect_request("/flaky").respond_with_handler(lambda request: next(replies))

    assert get(httpserver.url_for("/flaky")).json() == {"ok": True}
    assert len(httpserver.log) == 2


def test_post_is_not_retried(httpserver):
    httpserver.expect_request("/form", method="POST").respond_with_data("down", status=503)

    with pytest.raises(ToolError) as caught:
        http.request(PROVIDER, "POST", httpserver.url_for("/form"), data={"q": "x"}, policy=FAST)

    assert str(caught.value) == "Test Service answered 503 (service unavailable); try again later"
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (404, "Test Service answered 404 (not found); check the address"),
        (401, "Test Service answered 401 (unauthorized); check the API key"),
        (400, "Test Service answered 400 (bad request); the request was not accepted"),
    ],
)
def test_client_errors_become_readable_lines(httpserver, status, expected):
    httpserver.expect_request("/x").respond_with_data("no", status=status)

    with pytest.raises(ToolError) as caught:
        get(httpserver.url_for("/x"))

    assert str(caught.value) == expected
    assert len(httpserver.log) == 1  # 4xx other than 429 is not retried


def test_unchecked_reply_keeps_the_status_for_the_caller(httpserver):
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)

    reply = get(httpserver.url_for("/gone"), check=False)

    assert reply.status == 410
    with pytest.raises(ToolError, match=r"410 \(gone\): it moved; the request"):
        reply.raise_for_status("it moved")


def test_slow_server_times_out_without_a_retry(httpserver):
    release, answered = threading.Event(), threading.Event()

    def slow(request: Request) -> Response:
        release.wait(60)  # until the test is done with it
        answered.set()
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    try:
        with pytest.raises(ToolError, match=r"Test Service did not answer within 0\.2 s"):
            get(httpserver.url_for("/slow"), replace(FAST, read_timeout=0.2))
        assert not answered.is_set()  # it gave up while the server still held the reply
    finally:
        release.set()


def test_server_stalling_mid_reply_times_out(httpserver):
    release = threading.Event()

    def stalling():
        yield b"first part"
        release.wait(60)  # silent, the connection open, until the test is done
        yield b"never read"

    httpserver.expect_request("/stall").respond_with_handler(lambda request: Response(stalling()))
    try:
        with pytest.raises(ToolError, match=r"did not answer within 0\.2 s"):
            get(httpserver.url_for("/stall"), replace(FAST, read_timeout=0.2))
    finally:
        release.set()


def test_unreachable_server_is_named_with_the_reason():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(ToolError) as caught:
        get(f"http://127.0.0.1:{port}/")

    assert str(caught.value) == (
        "cannot reach Test Service at 127.0.0.1 (connection refused); check the network connection"
    )


def test_invalid_address_is_reported():
    with pytest.raises(ToolError, match="not a valid URL"):
        get("localhost:8888/search")


def test_oversize_reply_with_content_length_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 4097)

    with pytest.raises(ToolError, match="Test Service sent more than 4 KiB; the rest was not"):
        get(httpserver.url_for("/big"))


def test_oversize_streamed_reply_is_cut_off(httpserver):
    def endless(request: Request) -> Response:
        return Response((b"y" * 1000 for _ in range(50)), content_type="text/plain")

    httpserver.expect_request("/stream").respond_with_handler(endless)

    with pytest.raises(ToolError, match="more than 4 KiB"):
        get(httpserver.url_for("/stream"))


def test_reply_exactly_at_the_limit_is_read(httpserver):
    httpserver.expect_request("/edge").respond_with_data("z" * 4096)

    assert len(get(httpserver.url_for("/edge")).body) == 4096


def test_bad_json_is_reported(httpserver):
    httpserver.expect_request("/html").respond_with_data("<html>maintenance</html>")

    with pytest.raises(ToolError, match="Test Service sent a reply that is not valid JSON"):
        get(httpserver.url_for("/html")).json()


def test_charset_of_the_reply_is_honoured(httpserver):
    httpserver.expect_request("/latin").respond_with_data(
        "café".encode("latin-1"), content_type="text/plain; charset=ISO-8859-1"
    )
    httpserver.expect_request("/utf8").respond_with_data("café".encode(), content_type="text/html")

    assert get(httpserver.url_for("/latin")).text == "café"
    assert get(httpserver.url_for("/utf8")).text == "café"  # no charset: UTF-8, not Latin-1


def test_proxy_comes_from_the_environment(httpserver, monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/").rstrip("/"))
    httpserver.expect_request("/via-proxy").respond_with_data("proxied")

    reply = get("http://example.invalid/via-proxy")

    assert reply.text == "proxied"
    assert httpserver.log[0][0].headers["Host"] == "example.invalid"


def test_one_session_per_provider():
    first = http.session("Alpha", FAST)

    assert http.session("Alpha", FAST) is first
    assert http.session("Beta", FAST) is not first
    assert first.trust_env


def test_another_policy_gives_another_session():
    before = http.session("Gamma", FAST)

    after = http.session("Gamma", replace(FAST, retries=0))

    assert after is not before
    assert before.get_adapter("https://x").max_retries.total == 2
    assert after.get_adapter("https://x").max_retries.total == 0


def test_new_session_carries_the_user_agent_and_extra_headers():
    session = http.new_session(replace(FAST, retries=0), {"Authorization": "Bearer k"})

    assert session.headers["User-Agent"] == http.USER_AGENT
    assert session.headers["Authorization"] == "Bearer k"
    assert session.trust_env


def test_one_wording_for_a_request_that_did_not_get_through():
    refused = requests_error(ConnectionRefusedError(111, "Connection refused"))
    offline = requests_error(OSError(101, "Network is unreachable"))

    assert errors.unreachable("the model server", refused) == (
        "cannot reach the model server (connection refused)"
    )
    assert errors.connection_problem(offline) == "this machine is offline (network unreachable)"
    assert errors.status_phrase(503) == "service unavailable"
    assert errors.status_phrase(599) == "unknown status"


def requests_error(cause: OSError):
    import requests

    try:
        raise requests.ConnectionError("failed") from cause
    except requests.ConnectionError as exc:
        return exc


def test_endpoint_prefers_the_environment(monkeypatch):
    monkeypatch.delenv("SMART_AGENT_TEST_URL", raising=False)
    assert http.endpoint("SMART_AGENT_TEST_URL", "https://real.example/") == "https://real.example/"
    monkeypatch.setenv("SMART_AGENT_TEST_URL", "http://127.0.0.1:9/")
    assert http.endpoint("SMART_AGENT_TEST_URL", "https://real.example/") == "http://127.0.0.1:9/"


def test_a_tool_context_carries_a_policy_without_importing_requests():
    """The registry is imported early (settings, the tool list); requests only when a
    tool talks HTTP."""
    code = (
        "import sys\n"
        "from app.tools.registry import ToolContext\n"
        "context = ToolContext(workspace=None, settings=None)\n"
        "print(context.http.read_timeout, 'requests' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["10.0", "False"]
