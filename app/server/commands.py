"""``smart-agent serve``: the HTTP API in the foreground.

    smart-agent serve [--host H] [--port P] [--max-runs N] [--allow-remote]
    smart-agent serve --show-token

Kept out of ``app.cli`` (which dispatches to it); the HTTP stack is imported only when a
server starts.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.errors import UsageError

EXIT_OK = 0


def add_serve_parser(sub: Any) -> None:
    from app.server import DEFAULT_PORT

    serve = sub.add_parser("serve", help="serve the agent as a local HTTP API (OpenAI-compatible)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--max-runs", type=int, default=4, help="runs at work at once")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host: anyone who can reach it and has the token "
        "can run tools on this machine",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name clients may reach this server by (with --allow-remote)",
    )
    serve.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="URL",
        help="a web origin allowed to call the API (none by default)",
    )
    serve.add_argument("--show-token", action="store_true", help="print the API token and exit")


def cmd_serve(runtime: Any, args: argparse.Namespace) -> int:
    from app.server.guard import is_loopback
    from app.server.token import api_token

    token = api_token()
    assert token is not None
    if args.show_token:
        print(token)
        return EXIT_OK
    if not is_loopback(args.host) and not args.allow_remote:
        raise UsageError(
            f"--host {args.host} is reachable from other machines; add --allow-remote to mean it"
        )
    if args.max_runs < 1:
        raise UsageError("--max-runs must be at least 1")
    from app.server.app import ApiServer

    server = ApiServer(
        runtime,
        token,
        args.host,
        args.port,
        max_runs=args.max_runs,
        hosts=args.allow_host,
        origins=args.allow_origin,
    )
    if not is_loopback(args.host):
        names = ", ".join([args.host, *args.allow_host])
        print(
            f"smart-agent: warning: serving on {args.host}, not only this machine: anyone "
            "who can reach it and holds the token can run tools here. Requests must name "
            f"it as {names} (more with --allow-host)",
            file=sys.stderr,
        )
    print(
        f"smart-agent: serving on http://{args.host}:{args.port} "
        "(token: `smart-agent serve --show-token`; Ctrl+C stops)",
        file=sys.stderr,
    )
    try:
        server.serve()
    except KeyboardInterrupt:  # Ctrl+C is how a server is stopped: runs at work are cancelled
        pass
    print("smart-agent: server stopped", file=sys.stderr)
    return EXIT_OK


SERVE_COMMANDS = {"serve": cmd_serve}
