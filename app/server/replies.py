"""What the routes share: JSON bodies in (checked against the OpenAPI schemas), JSON and
SSE out, errors in the OpenAI shape (``{"error": {"message", "type", "code"}}``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from jsonschema import Draft202012Validator
from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.events import Event
from app.untrusted import json_line


class ApiError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.kind = kind


class Json(JSONResponse):
    """JSON as ``--events`` writes it: C1 and bidi characters escaped, same value."""

    def render(self, content: Any) -> bytes:
        return json_line(json.dumps(content, ensure_ascii=False, default=str)).encode()


def error_reply(status: int, message: str, kind: str = "invalid_request_error") -> Json:
    return Json({"error": {"message": message, "type": kind, "code": status}}, status)


async def read_json(request: Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The body as JSON valid against ``schema``: 400 when it is not JSON, 422 otherwise."""
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not JSON") from None
    error = next(iter(Draft202012Validator(schema).iter_errors(body)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "body"
        raise ApiError(422, f"{where}: {error.message}"[:500])
    return body  # type: ignore[no-any-return]


def event_data(event: Event) -> dict[str, Any]:
    """The event's JSON value (what ``--events`` writes, parsed back)."""
    return json.loads(event.to_json())  # type: ignore[no-any-return]


def sse(lines: AsyncIterator[str], headers: dict[str, str] | None = None) -> EventSourceResponse:
    """Each string as one ``data:`` line; a comment every 15 s keeps proxies from timing out."""

    async def messages() -> AsyncIterator[dict[str, str]]:
        async for line in lines:
            yield {"data": json_line(line)}

    return EventSourceResponse(messages(), ping=15, headers=headers)
