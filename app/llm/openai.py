"""openai:BASE_URL[#MODEL] — any server that speaks OpenAI's chat-completions API.

llama.cpp's ``llama-server``, llama-cpp-python's ``llama_cpp.server``, Ollama, LM Studio,
vLLM and OpenAI itself all do; this is also how a person who outgrows one machine points
Smart Agent at a shared inference server. Replies stream as server-sent events.

What a server can constrain differs, so the *dialect* is decided once, when the model is
loaded (setting ``openai.dialect``; ``auto`` probes):

* ``llama.cpp`` — the server takes a GBNF ``grammar`` field and a JSON schema as
  ``response_format: {"type": "json_object", "schema": …}``. Probed by: ``owned_by`` of
  ``llamacpp`` in the models list or a ``/props`` endpoint (llama-server), or a ``grammar``
  field in the server's ``/openapi.json`` (llama-cpp-python).
* ``openai`` — only ``response_format: {"type": "json_schema", …}`` (OpenAI, vLLM, Ollama,
  LM Studio). The plan is then parsed and retried with the error (no grammar).
* ``none`` — nothing is constrained; the agent parses and retries.

A server that still rejects a constrained request (HTTP 400/422) is asked once more
without the constraint, and the model stops claiming to constrain from then on.

Retries happen only before the reply's first byte (connection errors and HTTP 5xx): a
reply that has begun is never started again, since the person has already seen part of it.

API keys go only to the host they belong to, and over plain http only to this machine
(``app.llm.openai_session``).

Calls to one server are limited to ``openai.parallel`` at a time (default 1): several
local servers serve one request at a time, and llama-cpp-python's even breaks off the
running reply when a second one arrives. Servers that batch (vLLM) can be given more.
"""

from __future__ import annotations

import codecs
import json
import logging
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from app.errors import ModelError
from app.llm.base import Constraint, Generation, Grammar, JsonSchema, Message, Model, Usage
from app.llm.openai_session import missing_key_advice, open_session
from app.net.errors import unreachable
from app.net.http import Policy, ReplyTooLarge, read_capped
from app.text import elide

log = logging.getLogger(__name__)

DIALECTS = ("llama.cpp", "openai", "none")
MAX_STOP = 4  # OpenAI accepts at most four stop sequences
PROBE_TIMEOUT = 3.0
SERVER_POLICY = Policy(read_timeout=120.0)  # a model may take long before its first token
_EXCERPT = 200


def parse_target(target: str) -> tuple[str, str | None]:
    """``"http://h:1/v1#m"`` → ("http://h:1/v1", "m"); ModelError when it is not a URL."""
    base, _, model = target.strip().partition("#")
    base = base.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelError(
            f"'openai:{target}' needs an http(s) base URL, "
            "e.g. openai:http://127.0.0.1:11434/v1#qwen2.5:7b"
        )
    return base, model.strip() or None


class OpenAIModel(Model):
    def __init__(
        self,
        target: str,
        *,
        dialect: str = "auto",
        policy: Policy = SERVER_POLICY,
        parallel: int = 1,
        model_id: str | None = None,
    ):
        super().__init__()
        self.base_url, model = parse_target(target)
        self._slots = threading.BoundedSemaphore(max(1, parallel))
        self.id = model_id or f"openai:{target}"
        # timeouts, and retries before a reply's first byte (done here, not by the transport)
        self.timeout = (policy.connect_timeout, policy.read_timeout)
        self.retries = policy.retries
        self.backoff = policy.backoff
        self.max_bytes = policy.max_bytes  # a models list, a probe or a whole (unstreamed) reply
        self.where = f"the model server at {self.base_url}"
        self._session, self.has_key = open_session(self.base_url)
        self.offered = self._list_models()
        self.model_name = self._choose_model(model)
        self.dialect = dialect if dialect in DIALECTS else self._probe_dialect()
        self.supports_grammar = self.dialect == "llama.cpp"
        self.supports_json_schema = self.dialect in ("llama.cpp", "openai")
        self._stream_options = True

    # -- loading: reachability, model name, dialect -------------------------------------------

    def _list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: proves the server is there and takes our key (or needs none)."""
        response = self._send("GET", "/models", None, threading.Event())
        try:
            if response.status_code == 404:
                return []  # a server without a models list; a #MODEL must then be named
            if response.status_code >= 400:
                raise self._status_error(response, "/models")
            try:
                listing = json.loads(read_capped(response, self.max_bytes))
            except ReplyTooLarge as exc:
                raise ModelError(f"{self.where} answered /models with {exc}") from None
            except ValueError:
                raise ModelError(
                    f"{self.where} did not answer /models with JSON; check that the URL is "
                    "an OpenAI-compatible API (it usually ends in /v1)"
                ) from None
        finally:
            response.close()
        data = listing.get("data") if isinstance(listing, dict) else None
        return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []

    def _choose_model(self, wanted: str | None) -> str | None:
        names = [str(m.get("id")) for m in self.offered if m.get("id")]
        if wanted is None:
            if not names:
                raise ModelError(
                    f"{self.where} lists no models; name one: openai:{self.base_url}#MODEL"
                )
            return names[0]
        if names and wanted not in names:
            shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
            raise ModelError(f"{self.where} has no model '{wanted}'; it offers: {shown}")
        return wanted

    def _probe_dialect(self) -> str:
        if any(m.get("owned_by") == "llamacpp" for m in self.offered):
            return "llama.cpp"
        root = self.base_url.removesuffix("/v1")
        props = self._probe_json(f"{root}/props")
        if isinstance(props, dict) and "default_generation_settings" in props:
            return "llama.cpp"
        spec = self._probe_json(f"{root}/openapi.json")
        try:
            request = spec["components"]["schemas"]["CreateChatCompletionRequest"]
            if "grammar" in request["properties"]:
                return "llama.cpp"
        except (KeyError, TypeError):
            pass
        return "openai"

    def _probe_json(self, url: str) -> Any:
        """A best-effort GET: the JSON, or None for any failure (probes never fail a load)."""
        try:
            timeout = (self.timeout[0], PROBE_TIMEOUT)
            with self._session.get(url, timeout=timeout, stream=True) as response:
                if response.status_code != 200:
                    return None
                return json.loads(read_capped(response, self.max_bytes))
        except (requests.RequestException, ReplyTooLarge, ValueError):
            return None

    # -- generation ---------------------------------------------------------------------------

    def generate(
        self,
        messages: list[Message],
        *,
        constraint: Constraint | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
        stop: tuple[str, ...] = (),
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Stream a reply; at most ``parallel`` calls are in flight to the server at once."""
        usage = Usage()
        body: dict[str, Any] = {
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        if self.model_name:
            body["model"] = self.model_name
        if stop:
            body["stop"] = list(stop[:MAX_STOP])
        return Generation(
            self._stream(body, constraint, messages, cancel or threading.Event(), usage), usage
        )

    def _constrain(self, body: dict[str, Any], constraint: Constraint | None) -> dict[str, Any]:
        body = dict(body)
        if self._stream_options:
            body["stream_options"] = {"include_usage": True}
        if isinstance(constraint, Grammar) and self.supports_grammar:
            body["grammar"] = constraint.text
        elif isinstance(constraint, JsonSchema) and self.supports_json_schema:
            if self.dialect == "llama.cpp":
                body["response_format"] = {"type": "json_object", "schema": constraint.schema}
            else:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "reply", "schema": constraint.schema, "strict": False},
                }
        return body

    def _stream(
        self,
        body: dict[str, Any],
        constraint: Constraint | None,
        messages: list[Message],
        cancel: threading.Event,
        usage: Usage,
    ) -> Iterator[str]:
        while not self._slots.acquire(timeout=0.1):
            if cancel.is_set():
                return
        try:
            yield from self._exchange(body, constraint, messages, cancel, usage)
        finally:
            self._slots.release()

    def _exchange(
        self,
        body: dict[str, Any],
        constraint: Constraint | None,
        messages: list[Message],
        cancel: threading.Event,
        usage: Usage,
    ) -> Iterator[str]:
        start = time.perf_counter()
        extended = self._constrain(body, constraint)
        response = self._send("POST", "/chat/completions", extended, cancel)
        if response.status_code in (400, 422) and extended != body:
            refusal = _server_message(response)
            response.close()
            response = self._send("POST", "/chat/completions", body, cancel)
            if response.status_code < 400:
                self._forget_extras(refusal)
        usage.seconds = time.perf_counter() - start
        try:
            if response.status_code >= 400:
                raise self._status_error(response, "/chat/completions")
            if cancel.is_set():
                return
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind == "text/event-stream":
                yield from self._read_events(response, cancel, usage)
            else:
                yield from self._read_whole(response, kind, usage)
        finally:
            response.close()
        if not usage.prompt_tokens:  # the server sent no usage: estimate (~4 characters a token)
            usage.prompt_tokens = max(1, sum(len(m["content"]) for m in messages) // 4)

    def _forget_extras(self, refusal: str) -> None:
        """The server refused our constraints (or stream_options): never send them again."""
        log.warning(
            "%s refused a constrained request (%s) but answered a plain one; "
            "it is treated as unconstrained from now on",
            self.where,
            refusal,
        )
        self._stream_options = False
        self.supports_grammar = self.supports_json_schema = False
        self.dialect = "none"

    def _read_whole(self, response: requests.Response, kind: str, usage: Usage) -> Iterator[str]:
        """A server that ignored ``stream: true`` and sent the whole completion as JSON."""
        try:
            text = read_capped(response, self.max_bytes).decode("utf-8", errors="replace")
        except ReplyTooLarge as exc:
            raise ModelError(f"{self.where} sent a reply of {exc}") from None
        except requests.RequestException:
            raise self._cut_off_error(0) from None
        try:
            completion = json.loads(text)
            content = completion["choices"][0]["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            shown = kind or "no Content-Type"
            raise ModelError(
                f"{self.where} did not answer with a chat completion ({shown}): "
                f"{elide(text, _EXCERPT)!r}"
            ) from None
        reported = completion.get("usage")
        if isinstance(reported, dict):
            usage.prompt_tokens = int(reported.get("prompt_tokens") or 0)
            usage.completion_tokens = int(reported.get("completion_tokens") or 0)
        if content:
            usage.completion_tokens = usage.completion_tokens or 1
            yield str(content)

    def _read_events(
        self, response: requests.Response, cancel: threading.Event, usage: Usage
    ) -> Iterator[str]:
        pieces = 0
        finished = False
        clock = time.perf_counter
        events = _sse_data(response.iter_content(chunk_size=None))
        while True:
            began = clock()
            try:
                data = next(events, None)
            except requests.ConnectionError as exc:
                if any(isinstance(arg, ReadTimeoutError) for arg in exc.args):
                    raise self._silence_error(pieces) from None
                raise self._cut_off_error(pieces) from None
            except requests.RequestException:
                raise self._cut_off_error(pieces) from None
            finally:
                usage.seconds += clock() - began
            if data is None:
                break
            if data.strip() == "[DONE]":
                break
            try:
                chunk = json.loads(data)
            except ValueError:
                raise ModelError(
                    f"{self.where} sent something that is not JSON in its reply stream: "
                    f"{elide(data, _EXCERPT)!r}"
                ) from None
            if not isinstance(chunk, dict):
                shown = elide(data, _EXCERPT)
                raise ModelError(f"{self.where} sent an unexpected reply: {shown!r}")
            if "error" in chunk:
                raise ModelError(f"{self.where} reported an error mid-reply: {_message_of(chunk)}")
            if isinstance(chunk.get("usage"), dict):
                reported = chunk["usage"]
                usage.prompt_tokens = int(reported.get("prompt_tokens") or 0)
                usage.completion_tokens = int(reported.get("completion_tokens") or 0)
            for choice in chunk.get("choices") or []:
                if not isinstance(choice, dict):
                    continue
                text = (choice.get("delta") or {}).get("content")
                if text:
                    pieces += 1
                    yield text
                if choice.get("finish_reason"):
                    finished = True
            if cancel.is_set():
                return
        if not finished:
            if data is not None:  # [DONE] came, but no finish_reason: the reply was broken off
                raise ModelError(
                    f"{self.where} ended a reply early without saying why (after {pieces} "
                    "pieces); it may serve one request at a time — keep openai.parallel at 1"
                )
            raise self._cut_off_error(pieces)
        if not usage.completion_tokens:
            usage.completion_tokens = pieces  # llama.cpp servers stream one token per chunk

    # -- HTTP -------------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, cancel: threading.Event
    ) -> requests.Response:
        """The response (headers read, body streaming), retrying only before its first byte."""
        url = self.base_url + path
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._session.request(
                    method, url, json=body, stream=True, timeout=self.timeout
                )
            except requests.ConnectTimeout:
                if last:
                    raise ModelError(
                        f"could not connect to {self.where} within {self.timeout[0]:g} s "
                        f"({attempt + 1} attempts); check that it is running and reachable"
                    ) from None
            except requests.ReadTimeout:
                raise ModelError(
                    f"{self.where} sent nothing for {self.timeout[1]:g} s "
                    "(setting openai.read_timeout); it may be busy or still loading the model"
                ) from None
            except requests.ConnectionError as exc:
                if last:
                    reason = unreachable(self.where, exc)
                    raise ModelError(f"{reason}; is the server running?") from None
            except requests.RequestException as exc:
                raise ModelError(f"the request to {self.where} failed: {exc}") from None
            else:
                if response.status_code < 500 or last:
                    return response
                response.close()
            if cancel.wait(self.backoff * 2**attempt):
                break
        raise ModelError(f"the request to {self.where} was cancelled")

    def _status_error(self, response: requests.Response, path: str) -> ModelError:
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "unknown status"
        said = _server_message(response)
        said = f": {said}" if said else ""
        if status in (401, 403):
            advice = (
                "check the API key stored for it"
                if self.has_key
                else missing_key_advice(self.base_url)
            )
            return ModelError(
                f"{self.where} refused access (HTTP {status} {phrase}){said}; {advice}"
            )
        if status == 404:
            return ModelError(
                f"{self.where} has no {path} (HTTP 404){said}; check the base URL "
                "(it usually ends in /v1) and the model name"
            )
        if status >= 500:
            tries = f" after {self.retries + 1} attempts" if self.retries else ""
            return ModelError(f"{self.where} failed (HTTP {status} {phrase}){tries}{said}")
        return ModelError(f"{self.where} rejected the request (HTTP {status} {phrase}){said}")

    def _silence_error(self, pieces: int) -> ModelError:
        if pieces:
            return ModelError(
                f"{self.where} went silent for {self.timeout[1]:g} s in the middle of a reply "
                f"(after {pieces} pieces); the reply is incomplete"
            )
        return ModelError(
            f"{self.where} sent nothing for {self.timeout[1]:g} s "
            "(setting openai.read_timeout); it may be busy or still loading the model"
        )

    def _cut_off_error(self, pieces: int) -> ModelError:
        return ModelError(
            f"{self.where} stopped in the middle of a reply (after {pieces} pieces); "
            "the reply is incomplete — check the server's log"
        )

    def close(self) -> None:
        self._session.close()


def _sse_data(chunks: Iterator[bytes]) -> Iterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined), as text."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    buffer = ""
    data: list[str] = []
    for chunk in chunks:
        buffer += decoder.decode(chunk)
        *lines, buffer = buffer.split("\n")
        for line in lines:
            line = line.rstrip("\r")
            if not line:
                if data:
                    yield "\n".join(data)
                    data = []
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            # comments (": ping"), "event:", "id:" and "retry:" lines carry nothing we use
    buffer += decoder.decode(b"", final=True)
    if buffer.startswith("data:"):
        data.append(buffer[5:].removeprefix(" "))
    if data:
        yield "\n".join(data)


def _server_message(response: requests.Response) -> str:
    """What the server said about an error, in one short line (its body, read at most 64 KiB)."""
    try:
        raw = response.raw.read(64 * 1024, decode_content=True) if response.raw else b""
    except Exception:  # the body is only a courtesy; a broken one must not hide the status
        return ""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else ""
    try:
        return _message_of(json.loads(text))
    except ValueError:
        return elide(text, _EXCERPT)


def _message_of(payload: Any) -> str:
    if isinstance(payload, dict):
        for key in ("error", "detail", "message"):
            if key in payload:
                return _message_of(payload[key])
        return elide(json.dumps(payload), _EXCERPT)
    if isinstance(payload, list) and payload:
        return _message_of(payload[0])
    return elide(str(payload), _EXCERPT)
