"""openai:URL against a loopback server that speaks the chat-completions API — and misbehaves.

Every failure must become one ModelError line a person can act on: HTTP 500s (retried only
before the first byte), streams cut off mid-reply, a server silent before its first byte,
a refused API key, replies that are not JSON, nobody listening.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest

from app.errors import ModelError
from app.llm import ModelPool
from app.llm.base import Grammar, JsonSchema
from app.llm.openai import OpenAIModel, parse_target
from app.llm.openai_session import API_KEY_ENV, API_KEY_HOST_ENV
from app.net.http import Policy
from app.settings import Settings
from tests.loopback import Handler, LoopbackServer, Request, free_port

MESSAGES = [{"role": "user", "content": "Say hello to the world, please."}]
FAST = Policy(connect_timeout=1.0, read_timeout=0.5, retries=2, backoff=0.01)


def event(payload: object) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()


def delta(text: str) -> bytes:
    return event({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]})


FINISH = event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
USAGE = event({"choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": 3}})
DONE = b"data: [DONE]\n\n"


def sse(*events: bytes, start: bool = True, end: bool = True):
    def reply(handler: Handler, request: Request) -> None:
        if start:
            handler.start_chunked()
        for item in events:
            handler.write_chunk(item)
        if end:
            handler.end_chunked()

    return reply


def models_list(*ids: str, owned_by: str = "someone"):
    def reply(handler: Handler, request: Request) -> None:
        handler.send_json(
            200, {"object": "list", "data": [{"id": i, "owned_by": owned_by} for i in ids]}
        )

    return reply


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        srv.route("GET", "/v1/models", models_list("tiny-model"))
        yield srv


def model(server: LoopbackServer, **kw) -> OpenAIModel:
    return OpenAIModel(server.url + "/v1", **{"policy": FAST, **kw})


def test_streams_pieces_and_takes_usage_from_the_server(server):
    server.route("POST", "/v1/chat/completions", sse(delta("Hel"), delta("lo"), delta("!"),
                                                    FINISH, USAGE, DONE))  # fmt: skip
    m = model(server)
    generation = m.generate(MESSAGES, max_tokens=7, stop=("\n\n",))
    assert list(generation) == ["Hel", "lo", "!"]
    assert generation.text == "Hello!"
    assert (generation.usage.prompt_tokens, generation.usage.completion_tokens) == (11, 3)
    body = server.sent("POST", "/v1/chat/completions")[0].json()
    assert body["model"] == "tiny-model" and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_tokens"] == 7 and body["stop"] == ["\n\n"]
    assert m.dialect == "openai" and not m.supports_grammar and m.supports_json_schema


def test_without_usage_from_the_server_tokens_are_counted(server):
    server.route("POST", "/v1/chat/completions", sse(delta("a"), delta("b"), FINISH, DONE))
    generation = model(server).generate(MESSAGES)
    assert generation.text == "ab"
    assert generation.usage.completion_tokens == 2
    assert generation.usage.prompt_tokens == len(MESSAGES[0]["content"]) // 4


def test_500s_before_the_first_byte_are_retried(server):
    calls = []

    def flaky(handler: Handler, request: Request) -> None:
        calls.append(1)
        if len(calls) < 3:
            handler.send_json(500, {"error": {"message": "warming up"}})
        else:
            sse(delta("ok"), FINISH, DONE)(handler, request)

    server.route("POST", "/v1/chat/completions", flaky)
    assert model(server).generate(MESSAGES).text == "ok"
    assert len(calls) == 3


def test_500s_that_persist_give_one_clear_line_with_what_the_server_said(server):
    server.route(
        "POST", "/v1/chat/completions",
        lambda h, r: h.send_json(500, {"error": {"message": "CUDA out of memory"}}),
    )  # fmt: skip
    with pytest.raises(ModelError) as caught:
        _ = model(server).generate(MESSAGES).text
    message = str(caught.value)
    assert "failed (HTTP 500 Internal Server Error) after 3 attempts" in message
    assert "CUDA out of memory" in message and "\n" not in message
    assert len(server.sent("POST", "/v1/chat/completions")) == 3


def test_a_stream_cut_off_mid_reply_is_an_error_and_is_not_retried(server):
    def cut(handler: Handler, request: Request) -> None:
        handler.start_chunked()
        handler.write_chunk(delta("The answer"))
        handler.write_chunk(delta(" is"))
        handler.wfile.write(b"40\r\npartial")  # a chunk that never completes
        handler.drop()

    server.route("POST", "/v1/chat/completions", cut)
    generation = model(server).generate(MESSAGES)
    with pytest.raises(ModelError, match=r"stopped in the middle of a reply \(after 2 pieces\)"):
        for _ in generation:
            pass
    assert generation.received == "The answer is"
    assert len(server.sent("POST", "/v1/chat/completions")) == 1


def test_a_stream_that_ends_without_finishing_is_cut_off(server):
    server.route("POST", "/v1/chat/completions", sse(delta("half a")))
    with pytest.raises(ModelError, match="stopped in the middle of a reply"):
        _ = model(server).generate(MESSAGES).text


def test_a_slow_first_byte_times_out_without_retrying(server):
    release, replied = threading.Event(), threading.Event()

    def slow(handler: Handler, request: Request) -> None:
        release.wait(60)  # until the test is done with it
        sse(delta("late"), FINISH, DONE)(handler, request)
        replied.set()

    server.route("POST", "/v1/chat/completions", slow)
    try:
        with pytest.raises(
            ModelError, match=r"sent nothing for 0.5 s \(setting openai.read_timeout\)"
        ):
            _ = model(server).generate(MESSAGES).text
        assert not replied.is_set()  # it gave up while the server still held the reply
    finally:
        release.set()
    assert len(server.sent("POST", "/v1/chat/completions")) == 1


def test_silence_in_the_middle_of_a_stream_times_out(server):
    release = threading.Event()

    def stall(handler: Handler, request: Request) -> None:
        handler.start_chunked()
        handler.write_chunk(delta("one"))
        release.wait(60)  # silent, the connection open, until the test is done

    server.route("POST", "/v1/chat/completions", stall)
    try:
        with pytest.raises(ModelError, match=r"went silent for 0.5 s in the middle of a reply"):
            _ = model(server).generate(MESSAGES).text
    finally:
        release.set()


def test_a_refused_key_names_the_keyring_entry_to_fill(monkeypatch):
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with LoopbackServer() as server:
        server.route(
            "GET", "/v1/models",
            lambda h, r: h.send_json(401, {"error": {"message": "Invalid API key"}}),
        )  # fmt: skip
        with pytest.raises(ModelError) as caught:
            model(server)
        monkeypatch.setenv(API_KEY_ENV, "sk-for-openai")  # set, but for api.openai.com
        with pytest.raises(ModelError) as elsewhere:
            model(server)
    host = server.url.removeprefix("http://")
    message = str(caught.value)
    assert "refused access (HTTP 401 Unauthorized): Invalid API key" in message
    assert f"keyring set smart-agent openai:{host}" in message and API_KEY_ENV in message
    assert f"{API_KEY_HOST_ENV}={host}" in message
    now = "(it goes only to api.openai.com now)"
    assert f"{API_KEY_HOST_ENV}={host} {now}" in str(elsewhere.value)


def authorization(server: LoopbackServer) -> str | None:
    """The Authorization header of the models request the server got (None: not sent)."""
    return server.sent("GET", "/v1/models")[-1].headers.get("Authorization")


@pytest.mark.parametrize(
    "owner, sent",
    [
        (None, False),  # unset: the key belongs to api.openai.com, not to this server
        ("api.openai.com", False),
        ("127.0.0.1", True),  # a host without a port: any of its ports
        ("127.0.0.1:{port}", True),
        ("127.0.0.1:1", False),  # another port is another server
        ("127.0.0.2", False),
    ],
)
def test_the_env_key_goes_only_to_the_host_it_belongs_to(server, monkeypatch, owner, sent):
    monkeypatch.setenv(API_KEY_ENV, "sk-test-123")
    if owner is None:
        monkeypatch.delenv(API_KEY_HOST_ENV, raising=False)
    else:
        port = server.url.rsplit(":", 1)[1]
        monkeypatch.setenv(API_KEY_HOST_ENV, owner.format(port=port))
    server.route("POST", "/v1/chat/completions", sse(delta("hi"), FINISH, DONE))
    assert model(server).generate(MESSAGES).text == "hi"
    expected = "Bearer sk-test-123" if sent else None
    assert authorization(server) == expected
    chat = server.sent("POST", "/v1/chat/completions")[0]
    assert chat.headers.get("Authorization") == expected


def test_a_stored_key_goes_only_to_the_server_it_was_stored_for(monkeypatch):
    from app.llm import openai_session

    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with LoopbackServer() as mine, LoopbackServer() as other:
        for srv in (mine, other):
            srv.route("GET", "/v1/models", models_list("tiny-model"))
        stored = {f"openai:{mine.url.removeprefix('http://')}": "sk-mine"}
        monkeypatch.setattr(openai_session, "get_secret", lambda name, env=None: stored.get(name))
        model(mine)
        model(other)
        assert authorization(mine) == "Bearer sk-mine"
        assert authorization(other) is None


def test_a_redirect_to_another_server_does_not_take_the_key_along(monkeypatch):
    with LoopbackServer() as mine, LoopbackServer() as other:
        other.route("GET", "/v1/models", models_list("tiny-model"))
        mine.route(
            "GET", "/v1/models",
            lambda h, r: h.send_json(307, {}, {"Location": other.url + "/v1/models"}),
        )  # fmt: skip
        monkeypatch.setenv(API_KEY_ENV, "sk-test-123")
        monkeypatch.setenv(API_KEY_HOST_ENV, mine.url.removeprefix("http://"))
        model(mine)
        assert authorization(mine) == "Bearer sk-test-123"
        assert authorization(other) is None


@pytest.mark.parametrize("how", ["env", "stored"])
def test_no_key_goes_over_plain_http_to_another_machine(monkeypatch, how):
    from app.llm import openai_session

    url = "http://192.0.2.7:8080/v1"  # TEST-NET: never reached, the refusal comes first
    monkeypatch.setenv(API_KEY_ENV, "sk-test-123")
    monkeypatch.setenv(API_KEY_HOST_ENV, "192.0.2.7" if how == "env" else "api.openai.com")
    stored = {"openai:192.0.2.7:8080": "sk-stored"} if how == "stored" else {}
    monkeypatch.setattr(openai_session, "get_secret", lambda name, env=None: stored.get(name))
    with pytest.raises(ModelError) as caught:
        OpenAIModel(url, policy=FAST)
    message = str(caught.value)
    assert "refusing to send the API key for 192.0.2.7:8080 over plain http://" in message
    assert "\n" not in message and "sk-" not in message


@pytest.mark.parametrize(
    "url, loopback",
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://127.1.2.3/v1", True),
        ("http://[::1]:8080/v1", True),
        ("http://LocalHost:11434/v1", True),
        ("http://10.0.0.5:8080/v1", False),
        ("http://localhost.example.com/v1", False),
        ("http://127.0.0.1.nip.io/v1", False),
    ],
)
def test_loopback_is_this_machine_only(url, loopback):
    from app.llm.openai_session import is_loopback

    assert is_loopback(url) is loopback


def test_garbage_in_the_stream_is_reported_as_not_json(server):
    server.route("POST", "/v1/chat/completions",
                 sse(delta("fine"), b"data: <html>oops</html>\n\n", DONE))  # fmt: skip
    with pytest.raises(ModelError, match=r"not JSON in its reply stream: '<html>oops</html>'"):
        _ = model(server).generate(MESSAGES).text


def test_a_web_page_instead_of_a_stream_is_reported(server):
    server.route(
        "POST", "/v1/chat/completions",
        lambda h, r: h.send_bytes(200, b"<html>Proxy login</html>", "text/html"),
    )  # fmt: skip
    with pytest.raises(ModelError, match=r"did not answer with a chat completion \(text/html\)"):
        _ = model(server).generate(MESSAGES).text


def test_replies_read_whole_are_capped_by_the_policy(server):
    """A models list and an unstreamed completion are read up to Policy.max_bytes, no further."""
    small = replace(FAST, max_bytes=1024)
    completion = {"choices": [{"message": {"content": "x" * 2000}}]}
    server.route("POST", "/v1/chat/completions", lambda h, r: h.send_json(200, completion))
    with pytest.raises(ModelError, match=r"sent a reply of more than 1 KiB; the rest was not read"):
        _ = model(server, policy=small).generate(MESSAGES).text
    assert model(server, policy=replace(small, max_bytes=4096)).generate(MESSAGES).text == (
        "x" * 2000
    )
    with LoopbackServer() as crowded:
        crowded.route("GET", "/v1/models", models_list(*(f"model-{n}" for n in range(100))))
        with pytest.raises(ModelError, match=r"answered /models with more than 1 KiB"):
            model(crowded, policy=small)


def test_an_error_event_mid_stream_is_reported(server):
    server.route("POST", "/v1/chat/completions",
                 sse(delta("a"), event({"error": {"message": "model unloaded"}})))  # fmt: skip
    with pytest.raises(ModelError, match="reported an error mid-reply: model unloaded"):
        _ = model(server).generate(MESSAGES).text


def test_a_server_that_ignores_streaming_still_works(server):
    completion = {
        "choices": [{"message": {"role": "assistant", "content": "all at once"}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 3},
    }
    server.route("POST", "/v1/chat/completions", lambda h, r: h.send_json(200, completion))
    generation = model(server).generate(MESSAGES)
    assert generation.text == "all at once" and generation.usage.completion_tokens == 3


def test_nobody_listening_is_connection_refused():
    port = free_port()
    with pytest.raises(ModelError) as caught:
        OpenAIModel(f"http://127.0.0.1:{port}/v1", policy=FAST)
    assert str(caught.value) == (
        f"cannot reach the model server at http://127.0.0.1:{port}/v1 "
        "(connection refused); is the server running?"
    )


def test_cancel_stops_between_chunks(server):
    rest, sent_rest = threading.Event(), threading.Event()

    def three_then_the_rest(handler: Handler, request: Request) -> None:
        sse(*[delta(f"w{i} ") for i in range(3)], end=False)(handler, request)
        rest.wait(60)  # the rest only once the test is done: a reader that waits hangs
        sse(*[delta(f"w{i} ") for i in range(3, 40)], FINISH, DONE, start=False)(handler, request)
        sent_rest.set()

    server.route("POST", "/v1/chat/completions", three_then_the_rest)
    cancel = threading.Event()
    generation = model(server).generate(MESSAGES, cancel=cancel)
    try:
        for piece in generation:
            if piece == "w2 ":
                cancel.set()
        assert not sent_rest.is_set()  # the other 37 chunks were never waited for
    finally:
        rest.set()
    assert generation.received == "w0 w1 w2 "


def test_llama_cpp_servers_get_the_grammar_and_a_json_object_schema(server):
    server.route("GET", "/v1/models", models_list("m", owned_by="llamacpp"))
    server.route("POST", "/v1/chat/completions", sse(delta("{}"), FINISH, DONE))
    m = model(server)
    assert m.dialect == "llama.cpp" and m.supports_grammar and m.supports_json_schema
    assert m.generate(MESSAGES, constraint=Grammar('root ::= "yes"')).text == "{}"
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    assert m.generate(MESSAGES, constraint=JsonSchema(schema)).text == "{}"
    first, second = (r.json() for r in server.sent("POST", "/v1/chat/completions"))
    assert first["grammar"] == 'root ::= "yes"' and "response_format" not in first
    assert second["response_format"] == {"type": "json_object", "schema": schema}


def test_llama_cpp_python_is_recognised_by_its_openapi_grammar_field(server):
    spec = {"components": {"schemas": {"CreateChatCompletionRequest": {
        "properties": {"messages": {}, "grammar": {}}}}}}  # fmt: skip
    server.route("GET", "/openapi.json", lambda h, r: h.send_json(200, spec))
    assert model(server).dialect == "llama.cpp"


def test_openai_servers_get_a_json_schema_and_never_a_grammar(server):
    server.route("POST", "/v1/chat/completions", sse(delta("{}"), FINISH, DONE))
    m = model(server)
    assert m.generate(MESSAGES, constraint=Grammar("root ::= x")).text == "{}"
    schema = {"type": "object"}
    assert m.generate(MESSAGES, constraint=JsonSchema(schema)).text == "{}"
    first, second = (r.json() for r in server.sent("POST", "/v1/chat/completions"))
    assert "grammar" not in first and "response_format" not in first
    assert second["response_format"]["type"] == "json_schema"
    assert second["response_format"]["json_schema"]["schema"] == schema


def test_a_server_that_refuses_constraints_is_asked_again_without_them(server):
    def picky(handler: Handler, request: Request) -> None:
        if "response_format" in request.json() or "stream_options" in request.json():
            handler.send_json(400, {"error": {"message": "unknown field response_format"}})
        else:
            sse(delta('{"a": 1}'), FINISH, DONE)(handler, request)

    server.route("POST", "/v1/chat/completions", picky)
    m = model(server)
    assert m.generate(MESSAGES, constraint=JsonSchema({"type": "object"})).text == '{"a": 1}'
    assert not m.supports_json_schema and m.dialect == "none"
    assert m.generate(MESSAGES).text == '{"a": 1}'
    assert len(server.sent("POST", "/v1/chat/completions")) == 3  # refused, plain, plain


def test_a_named_model_must_be_offered(server):
    with pytest.raises(ModelError, match="has no model 'big-one'; it offers: tiny-model"):
        OpenAIModel(server.url + "/v1#big-one", policy=FAST)
    assert OpenAIModel(server.url + "/v1#tiny-model", policy=FAST).model_name == "tiny-model"


def test_the_pool_builds_it_from_settings_and_the_spec(server):
    settings = Settings({"openai.dialect": "none", "openai.read_timeout": 0.5})
    m = ModelPool(settings).get(f"openai:{server.url}/v1")
    assert m.id == f"openai:{server.url}/v1"
    assert not m.supports_grammar and not m.supports_json_schema


@pytest.mark.parametrize("target", ["localhost:8080/v1", "ftp://h/v1", "http:///v1"])
def test_a_target_that_is_not_an_http_url_is_refused(target):
    with pytest.raises(ModelError, match="needs an http"):
        parse_target(target)


def test_done_without_a_finish_reason_is_a_broken_off_reply(server):
    server.route("POST", "/v1/chat/completions", sse(delta("par"), DONE))
    with pytest.raises(ModelError, match=r"ended a reply early without saying why \(after 1"):
        _ = model(server).generate(MESSAGES).text


@pytest.mark.parametrize("parallel", [1, 2])
def test_calls_in_flight_are_limited_to_openai_parallel(server, parallel):
    """Each request waits at the server for the other to arrive too: with room for two
    they meet at once; with room for one the wait runs out (its length only gives a
    client that sends both at once the time to show it) and they never overlap."""
    lock = threading.Lock()
    inside: list[int] = []  # requests not yet answered, at each arrival
    answering = [0]
    two_inside = threading.Event()

    def meet(handler: Handler, request: Request) -> None:
        with lock:
            inside.append(len(inside) + 1 - answering[0])
            if inside[-1] == 2:
                two_inside.set()
        two_inside.wait(60 if parallel == 2 else 0.5)
        with lock:
            answering[0] += 1  # before the reply: the client sends the next once it has it
        sse(delta("a"), delta("b"), FINISH, DONE)(handler, request)

    server.route("POST", "/v1/chat/completions", meet)
    m = model(server, parallel=parallel, policy=replace(FAST, read_timeout=120.0))
    texts: list[str] = []
    threads = [
        threading.Thread(target=lambda: texts.append(m.generate(MESSAGES).text)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert texts == ["ab", "ab"]
    assert max(inside) == parallel
