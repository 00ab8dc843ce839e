"""The ``smart-agent`` command: the desktop app, or the core's headless commands.

The entry point lives on the front end's side so that the core (``app.cli``) never imports
a front end: headless commands go straight to ``app.cli``, and the two that need the desktop
(no command: the app; ``--install-desktop-entry``) come back here. Qt is imported only
when the app starts, so headless commands never load it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app import cli
from app.errors import SmartAgentError


def front_end(args: argparse.Namespace, settings: Any) -> int:
    if args.install_desktop_entry:
        from ui.desktop_entry import install_desktop_entry

        entry = install_desktop_entry()[-1]
        print(f"Installed {entry} and the Smart Agent icons; it shows in the application menu.")
        return cli.EXIT_OK
    try:
        from ui.app import main as gui_main
    except ImportError as exc:
        raise SmartAgentError(
            f"the desktop app cannot start: {exc} (install the app with `make setup`)"
        ) from exc
    return gui_main(args, settings)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, front_end)


if __name__ == "__main__":
    sys.exit(main())
