"""An MCP server that is slow to start: the lever for "SIGTERM while servers start".

    python -m tests.mcp_servers.slow_start STATE_DIR SECONDS [--stubborn]

It writes STATE_DIR/started as soon as it runs, then sleeps SECONDS without reading its
stdin (initialize goes unanswered all that time), then serves as the notes server does.
``--stubborn`` ignores SIGTERM too, so only the SDK's final SIGKILL ends it while it sleeps.
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path

from tests.mcp_servers.notes import build


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--stubborn", action="store_true")
    args = parser.parse_args()
    if args.stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    args.state.mkdir(parents=True, exist_ok=True)
    (args.state / "started").write_text(str(time.time()), encoding="utf-8")
    time.sleep(args.seconds)
    build(args.state).run()


if __name__ == "__main__":
    main()
