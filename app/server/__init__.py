"""``smart-agent serve``: the agent as a local HTTP API (Starlette on uvicorn).

One ``Runtime`` serves every request: runs go through ``app.server.runs`` on worker
threads, their events reach clients as Server-Sent Events (the JSON of ``--events``) and
the history as with any other front end. ``app.server.guard`` stands in front of every
route: Host and Origin checks, the bearer token, the body size bound.

Nothing here is imported until a server starts: the app's start-up does not pay for the
HTTP stack.
"""

DEFAULT_PORT = 8765
