"""The API's OpenAPI document; its request schemas are also what the server validates
bodies against (``jsonschema``), so the document cannot drift from the behaviour."""

from __future__ import annotations

from typing import Any

from app import __version__
from app.events import RUN_STATUSES
from app.settings import AGENT_MODES

RUN_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
MODEL_SPEC = {"type": "string", "minLength": 1, "maxLength": 1000}

RUN_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["task"],
    "additionalProperties": False,
    "properties": {
        "task": {"type": "string", "minLength": 1, "maxLength": 20000},
        "agent": {"type": "string", "enum": list(AGENT_MODES)},
        "models": {
            "type": "object",
            "additionalProperties": False,
            "properties": {role: MODEL_SPEC for role in ("planner", "caller", "solver")},
        },
        "continue": {**RUN_ID, "description": "id of the run this one follows up, or 'last'"},
    },
}

APPROVAL_ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["decision"],
    "additionalProperties": False,
    "properties": {
        "decision": {"type": "string", "enum": ["allow", "deny"]},
        "arguments": {"type": "object", "description": "edited arguments (allow only)"},
    },
}

_CONTENT_PART = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string"}, "text": {"type": "string"}},
}
CHAT_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["model", "messages"],
    "properties": {
        "model": MODEL_SPEC,
        "messages": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "items": {
                "type": "object",
                "required": ["role", "content"],
                "properties": {
                    "role": {"type": "string", "enum": ["system", "user", "assistant", "tool"]},
                    "content": {
                        "anyOf": [
                            {"type": "string"},
                            {"type": "array", "items": _CONTENT_PART},
                            {"type": "null"},
                        ]
                    },
                },
            },
        },
        "stream": {"type": "boolean"},
        "continue": {**RUN_ID, "description": "smart-agent only: the run this one follows up"},
        "max_tokens": {"type": ["integer", "null"], "minimum": 1, "maximum": 8192},
        "max_completion_tokens": {"type": ["integer", "null"], "minimum": 1, "maximum": 8192},
        "temperature": {"type": ["number", "null"], "minimum": 0, "maximum": 2},
    },
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "properties": {"message": {"type": "string"}, "type": {"type": "string"}},
        }
    },
}
_RUN = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "task": {"type": "string"},
        "agent": {"type": "string"},
        "status": {
            "type": "string",
            "enum": list(RUN_STATUSES),
            "description": "ok: every step succeeded; partial: an answer from part of the "
            "evidence (some steps failed, were denied or skipped); failed: no step succeeded, "
            "no answer, or an error; cancelled; interrupted: the server stopped mid-run",
        },
        "answer": {"type": ["string", "null"]},
        "error": {"type": ["string", "null"]},
    },
}
_EVENTS = {"type": "array", "items": {"type": "object", "required": ["type", "run_id", "t"]}}


def _errors(*codes: int) -> dict[str, Any]:
    common = {401: "no valid bearer token", 403: "foreign Host or Origin", 413: "body too large"}
    words = {
        400: "bad request",
        404: "no such run",
        409: "not possible in the run's state",
        422: "the body does not fit the schema",
        429: "every run slot is taken",
        501: "not available in this build",
        **common,
    }
    return {
        str(code): {
            "description": words[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
        for code in sorted({*codes, *common})
    }


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_SSE = {
    "description": "Server-Sent Events: `data: <event JSON, as --events>` per event",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}
_ID = [{"name": "run_id", "in": "path", "required": True, "schema": RUN_ID}]


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Smart Agent API", "version": __version__},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/v1/runs": {
                "post": {
                    "summary": "Start a run; its events stream back as SSE",
                    "requestBody": _body(RUN_REQUEST),
                    "responses": {"200": _SSE, **_errors(400, 404, 422, 429, 501)},
                },
                "get": {
                    "summary": "Past and present runs, newest first",
                    "parameters": [
                        {"name": "search", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"runs": {"type": "array", "items": _RUN}},
                            }
                        ),
                        **_errors(422),
                    },
                },
            },
            "/v1/runs/{run_id}": {
                "parameters": _ID,
                "get": {
                    "summary": "One run: its record, events and open approval questions",
                    "responses": {
                        "200": _json(
                            {"type": "object", "properties": {"run": _RUN, "events": _EVENTS}}
                        ),
                        **_errors(404),
                    },
                },
                "delete": {
                    "summary": "Delete an ended run from the history",
                    "responses": {"204": {"description": "deleted"}, **_errors(404, 409)},
                },
            },
            "/v1/runs/{run_id}/events": {
                "parameters": _ID,
                "get": {
                    "summary": "The run's events as SSE: all so far, then live until it ends",
                    "responses": {"200": _SSE, **_errors(404)},
                },
            },
            "/v1/runs/{run_id}/cancel": {
                "parameters": _ID,
                "post": {
                    "summary": "Cancel a run at work",
                    "responses": {"202": _json(_RUN, "cancelling"), **_errors(404, 409)},
                },
            },
            "/v1/runs/{run_id}/approvals/{step}": {
                "parameters": [
                    *_ID,
                    {"name": "step", "in": "path", "required": True, "schema": RUN_ID},
                ],
                "post": {
                    "summary": "Answer the open approval question of a step",
                    "requestBody": _body(APPROVAL_ANSWER),
                    "responses": {"200": _json(_RUN, "answered"), **_errors(404, 409, 422)},
                },
            },
            "/v1/models": {
                "get": {
                    "summary": "Models: smart-agent (the agent) and the model specs offered",
                    "responses": {"200": _json({"type": "object"})},
                },
            },
            "/v1/chat/completions": {
                "post": {
                    "summary": "OpenAI-compatible chat; model smart-agent runs the agent",
                    "requestBody": _body(CHAT_REQUEST),
                    "responses": {
                        "200": {
                            "description": "a chat.completion, or chat.completion.chunk SSE",
                            "content": {
                                "application/json": {"schema": {"type": "object"}},
                                "text/event-stream": {"schema": {"type": "string"}},
                            },
                        },
                        **_errors(400, 404, 422, 429),
                    },
                },
            },
        },
    }
