"""The OpenAI-compatible face: ``GET /v1/models`` and ``POST /v1/chat/completions``.

Model ``smart-agent`` runs the agent on the last user message (a follow-up of the run
named by the extra field ``continue``, if given): a run like any other (in the history,
its approvals answered through ``/v1/runs/{id}/approvals``), whose answer is the
completion; its id is the completion's ``run_id`` (and the ``X-Run-Id`` header), so the
plan and evidence can be read from ``/v1/runs/{id}``. Any other offered model spec answers
the messages itself, as a plain chat model.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.errors import SmartAgentError
from app.events import Answer, AnswerDelta, Event, RunFinished
from app.llm.base import Generation, Message
from app.server.api import offered_models, start_run
from app.server.openapi import CHAT_REQUEST
from app.server.replies import ApiError, Json, read_json, sse
from app.server.runs import Busy, RunManager

AGENT_MODEL = "smart-agent"
log = logging.getLogger(__name__)


async def list_models(request: Request) -> Response:
    names = [AGENT_MODEL, *offered_models(request.app.state.runs.runtime)]
    data = [
        {"id": name, "object": "model", "created": 0, "owned_by": "smart-agent"} for name in names
    ]
    return Json({"object": "list", "data": data})


def _text(content: Any) -> str:
    if isinstance(content, list):  # content parts: the text ones, in order
        return "".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
    return content or ""


def _messages(body: dict[str, Any]) -> list[Message]:
    roles = {"system": "system", "assistant": "assistant"}
    return [
        {"role": roles.get(m["role"], "user"), "content": _text(m["content"])}
        for m in body["messages"]
    ]


class _Completion:
    """Builds the chat.completion objects of one reply."""

    def __init__(self, model: str, run_id: str = ""):
        self.model = model
        self.run_id = run_id
        self.id = f"chatcmpl-{run_id or uuid.uuid4().hex[:12]}"
        self.created = int(time.time())

    def _base(self, kind: str) -> dict[str, Any]:
        base = {"id": self.id, "object": kind, "created": self.created, "model": self.model}
        return {**base, "run_id": self.run_id} if self.run_id else base

    def chunk(self, delta: dict[str, str], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return json.dumps({**self._base("chat.completion.chunk"), "choices": [choice]})

    def whole(self, text: str, usage: dict[str, int]) -> dict[str, Any]:
        message = {"role": "assistant", "content": text}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return {**self._base("chat.completion"), "choices": [choice], "usage": usage}


def _answer_pieces(event: Event, streamed: bool) -> str:
    """What of ``event`` belongs to the answer text ('' for the rest)."""
    if isinstance(event, AnswerDelta):
        return event.text
    if isinstance(event, Answer) and not streamed:
        return event.text
    if isinstance(event, RunFinished) and event.status != "ok" and not streamed:
        return f"[run {event.status}: {event.error or event.status}]"
    return ""


def _usage(finished: RunFinished | None) -> dict[str, int]:
    prompt = sum(
        int(u.get("prompt_tokens", 0)) for u in (finished.usage if finished else {}).values()
    )
    done = sum(
        int(u.get("completion_tokens", 0)) for u in (finished.usage if finished else {}).values()
    )
    return {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}


async def _agent_reply(request: Request, body: dict[str, Any]) -> Response:
    users = [m for m in _messages(body) if m["role"] == "user" and m["content"].strip()]
    if not users:
        raise ApiError(400, "there is no user message to run")
    run = {"task": users[-1]["content"], "continue": body.get("continue")}
    handle = await start_run(request, {k: v for k, v in run.items() if v is not None})
    completion = _Completion(AGENT_MODEL, handle.run_id)
    headers = {"X-Run-Id": handle.run_id}
    if not body.get("stream"):
        parts: list[str] = []
        async for event in handle.follow():
            parts.append(_answer_pieces(event, any(parts)))
        return Json(completion.whole("".join(parts), _usage(handle.finished())), headers=headers)

    async def chunks() -> AsyncIterator[str]:
        yield completion.chunk({"role": "assistant", "content": ""})
        streamed = False
        async for event in handle.follow():
            text = _answer_pieces(event, streamed)
            if text:
                streamed = True
                yield completion.chunk({"content": text})
        yield completion.chunk({}, "stop")
        yield "[DONE]"

    return sse(chunks(), headers)


async def _model_reply(request: Request, body: dict[str, Any]) -> Response:
    """A plain chat with one offered model (it holds a run slot while it writes)."""
    manager: RunManager = request.app.state.runs
    try:
        manager.acquire()
    except Busy as exc:
        raise ApiError(429, str(exc), "rate_limit_error") from None
    cancel = threading.Event()
    try:
        generation = await anyio.to_thread.run_sync(_generate, manager, body, cancel)
    except BaseException:
        manager.release()
        raise
    reply = _Reply(generation, cancel, manager.release)
    completion = _Completion(body["model"])
    if not body.get("stream"):
        text = "".join([piece async for piece in reply])
        usage = generation.usage
        counts = {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
        }
        return Json(completion.whole(text, {**counts, "total_tokens": sum(counts.values())}))

    async def chunks() -> AsyncIterator[str]:
        yield completion.chunk({"role": "assistant", "content": ""})
        async for piece in reply:
            yield completion.chunk({"content": piece})
        yield completion.chunk({}, "stop")
        yield "[DONE]"

    return sse(chunks())


class _Reply:
    """A model's reply written on its own thread, which gives the run slot back when the
    reply ends; a listener that goes away sets ``cancel``: the model stops between tokens."""

    def __init__(self, generation: Generation, cancel: threading.Event, release: Any):
        self._pieces: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._cancel = cancel
        self._release = release
        self._generation = generation
        threading.Thread(target=self._write, name="api-model", daemon=True).start()

    def _write(self) -> None:
        try:
            for piece in self._generation:
                self._pieces.put(piece)
        except Exception:  # the model failed part-way: the reply ends where it got to
            log.exception("model reply failed")
        finally:
            self._pieces.put(None)
            self._release()

    async def __aiter__(self) -> AsyncIterator[str]:
        try:
            while (
                piece := await anyio.to_thread.run_sync(self._pieces.get, abandon_on_cancel=True)
            ) is not None:
                yield piece
        finally:
            self._cancel.set()


def _generate(manager: RunManager, body: dict[str, Any], cancel: threading.Event) -> Generation:
    try:
        model = manager.runtime.pool.get(body["model"])
        return model.generate(
            _messages(body),
            max_tokens=body.get("max_completion_tokens") or body.get("max_tokens") or 512,
            temperature=body.get("temperature") or 0.0,
            cancel=cancel,
        )
    except SmartAgentError as exc:
        raise ApiError(400, str(exc)) from None


async def chat_completions(request: Request) -> Response:
    body = await read_json(request, CHAT_REQUEST)
    if body["model"] == AGENT_MODEL:
        return await _agent_reply(request, body)
    if body["model"] not in offered_models(request.app.state.runs.runtime):
        raise ApiError(404, f"model '{body['model']}' is not offered here", "model_not_found")
    return await _model_reply(request, body)


ROUTES = [
    Route("/v1/models", list_models, methods=["GET"]),
    Route("/v1/chat/completions", chat_completions, methods=["POST"]),
]
