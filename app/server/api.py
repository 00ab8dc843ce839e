"""``/v1/runs``: start runs (their events stream back), list, read, cancel, delete them,
and answer their approval questions."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.errors import SmartAgentError, StoreError, ToolError, UnknownRun
from app.events import Event
from app.server.approvals import NotAsked
from app.server.openapi import APPROVAL_ANSWER, RUN_ID, RUN_REQUEST
from app.server.replies import ApiError, Json, event_data, read_json, sse
from app.server.runs import Busy, RunHandle, RunManager
from app.store import RunRecord
from app.tools.approval import Decision

_RUN_ID = re.compile(RUN_ID["pattern"])


def offered_models(runtime: Any) -> list[str]:
    """Model specs a client may name: the configured ones, the embedded default and the
    GGUF files in the models folder. Nothing else: a spec can name any file or URL, and
    the server should not open a file, or send a stored API key, wherever a client says."""
    specs = [runtime.settings.get(f"models.{role}") for role in ("planner", "caller", "solver")]
    specs.append("default")
    folder = runtime.paths.models_dir
    if folder.is_dir():
        specs += [f"gguf:{path}" for path in sorted(folder.glob("*.gguf"))]
    return list(dict.fromkeys(spec for spec in specs if spec))


def run_builder(runtime: Any, body: dict[str, Any]) -> Callable[[RunHandle], Iterator[Event]]:
    """What ``RunManager.start`` calls to make the run (on a worker thread: it may load
    models); a request naming a model this server does not offer is refused first."""
    models: dict[str, str] = body.get("models") or {}
    offered = offered_models(runtime)
    for role, spec in models.items():
        if spec not in offered:
            raise ApiError(400, f"model '{spec}' ({role}) is not offered here; see /v1/models")

    def build(handle: RunHandle) -> Iterator[Event]:
        agent = runtime.agent(
            mode=body.get("agent"),
            planner=models.get("planner"),
            caller=models.get("caller"),
            solver=models.get("solver"),
            approver=handle.approvals.approve,
        )
        return runtime.run(
            agent, body["task"], cancel=handle.cancel, continue_from=body.get("continue")
        )

    return build


async def start_run(request: Request, body: dict[str, Any]) -> RunHandle:
    """Start a run for ``body`` (a run request): 429 when busy, 404 for an unknown
    ``continue``, 400 when its models or agent cannot be had."""
    manager: RunManager = request.app.state.runs
    build = run_builder(manager.runtime, body)
    try:
        return await anyio.to_thread.run_sync(manager.start, build)
    except Busy as exc:
        raise ApiError(429, str(exc), "rate_limit_error") from None
    except UnknownRun as exc:
        raise ApiError(404, str(exc)) from None
    except SmartAgentError as exc:
        raise ApiError(400, str(exc)) from None


async def _event_lines(events: AsyncIterator[Event]) -> AsyncIterator[str]:
    async for event in events:
        yield event.to_json()


async def post_run(request: Request) -> Response:
    handle = await start_run(request, await read_json(request, RUN_REQUEST))
    return sse(_event_lines(handle.follow()), {"X-Run-Id": handle.run_id})


def _record(request: Request) -> RunRecord:
    run_id = request.path_params["run_id"]
    if not _RUN_ID.fullmatch(run_id):
        raise ApiError(404, f"no run '{run_id}'")
    try:
        record = request.app.state.runs.runtime.store.get(run_id)
    except StoreError:
        record = None
    if record is None or record.id != run_id:
        raise ApiError(404, f"no run '{run_id}'")
    return record


async def list_runs(request: Request) -> Response:
    try:
        limit = int(request.query_params.get("limit", "100"))
    except ValueError:
        raise ApiError(422, "limit must be a whole number") from None
    if not 1 <= limit <= 1000:
        raise ApiError(422, "limit must be between 1 and 1000")
    store = request.app.state.runs.runtime.store
    runs = store.runs(search=request.query_params.get("search", ""), limit=limit)
    return Json({"runs": [run.to_dict() for run in runs]})


async def get_run(request: Request) -> Response:
    record = _record(request)
    manager: RunManager = request.app.state.runs
    handle = manager.get(record.id)
    return Json(
        {
            "run": record.to_dict(),
            "events": [event_data(e) for e in manager.runtime.store.events(record.id)],
            "approvals": {
                step: {"tool": tool, "arguments": arguments}
                for step, (tool, arguments) in (
                    handle.approvals.pending() if handle else {}
                ).items()
            },
        }
    )


async def run_events(request: Request) -> Response:
    """All the run's events so far, then (while it works) the rest as they come."""
    record = _record(request)
    manager: RunManager = request.app.state.runs
    handle = manager.get(record.id)
    if handle is not None:
        return sse(_event_lines(handle.follow()), {"X-Run-Id": record.id})
    stored = manager.runtime.store.events(record.id)

    async def replay() -> AsyncIterator[str]:
        for event in stored:
            yield event.to_json()

    return sse(replay(), {"X-Run-Id": record.id})


async def delete_run(request: Request) -> Response:
    record = _record(request)
    manager: RunManager = request.app.state.runs
    if manager.get(record.id) is not None:
        raise ApiError(409, "the run is still at work: cancel it first")
    manager.runtime.store.delete(record.id)
    return Response(status_code=204)


def _live(request: Request) -> RunHandle:
    record = _record(request)
    handle = request.app.state.runs.get(record.id)
    if handle is None:
        raise ApiError(409, f"run {record.id} has ended ({record.status})")
    return handle


async def cancel_run(request: Request) -> Response:
    handle = _live(request)
    handle.cancel.set()
    return Json({"id": handle.run_id, "status": "cancelling"}, 202)


async def answer_approval(request: Request) -> Response:
    """Allow (optionally with edited arguments) or deny a step's open question."""
    handle = _live(request)
    body = await read_json(request, APPROVAL_ANSWER)
    step = request.path_params["step"]
    question = handle.approvals.pending().get(step)
    if question is None:
        raise ApiError(409, f"step {step} has no open approval question")
    tool_name, asked = question
    if body["decision"] == "deny":
        decision = Decision(False, asked, note="denied over the API")
    else:
        arguments = body.get("arguments", asked)
        try:
            arguments = request.app.state.runs.runtime.tools.get(tool_name).validate(arguments)
        except ToolError as exc:
            raise ApiError(422, f"edited arguments: {exc}") from None
        decision = Decision(True, arguments)
    try:
        handle.approvals.answer(step, decision)
    except NotAsked:
        raise ApiError(409, f"step {step} has no open approval question") from None
    return Json({"id": handle.run_id, "step": step, "decision": body["decision"]})


ROUTES = [
    Route("/v1/runs", post_run, methods=["POST"]),
    Route("/v1/runs", list_runs, methods=["GET"]),
    Route("/v1/runs/{run_id}", get_run, methods=["GET"]),
    Route("/v1/runs/{run_id}", delete_run, methods=["DELETE"]),
    Route("/v1/runs/{run_id}/events", run_events, methods=["GET"]),
    Route("/v1/runs/{run_id}/cancel", cancel_run, methods=["POST"]),
    Route("/v1/runs/{run_id}/approvals/{step}", answer_approval, methods=["POST"]),
]
