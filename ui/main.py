"""The ``smart-agent`` command: the desktop app, or the core's headless commands.

The entry point lives on the front end's side so that the core (``app.cli``) never imports
a front end: headless commands go straight to ``app.cli``, and the two that need the desktop
(no command: the app; ``--install-desktop-entry``) come back here. Qt is imported only
when the app starts, so headless commands never load it; and a plain start of the app
skips the headless commands' parser and everything it imports, so the window shows sooner.
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import Any

from app.errors import SmartAgentError

EXIT_FAILED = 1
DESKTOP_ONLY = {"--quick-prompt"}  # arguments that need no parser: start the app


def front_end(args: argparse.Namespace, settings: Any) -> int:
    if args.install_desktop_entry:
        from ui.desktop_entry import install_desktop_entry

        entry = install_desktop_entry()[-1]
        print(f"Installed {entry} and the Smart Agent icons; it shows in the application menu.")
        return 0
    try:
        from ui.app import main as gui_main
    except ImportError as exc:
        raise SmartAgentError(
            f"the desktop app cannot start: {exc} (install the app with `make setup`)"
        ) from exc
    return gui_main(args, settings)


def start_desktop(quick_prompt: bool) -> int:
    """The app itself, without ``app.cli``: settings, the window, then the log file.

    The cyclic garbage collector waits until the app's own collector runs it on the GUI
    thread (``ui.collector``): before that it would only walk, some 50 times, the modules
    and classes being imported, which live as long as the app (about 7 ms of CPU).
    """
    from app import crash
    from app.settings import Settings

    args = argparse.Namespace(command=None, install_desktop_entry=False, quick_prompt=quick_prompt)
    gc.disable()
    try:
        settings = Settings.load()
        crash.enable(settings.paths.logs)  # fatal errors leave their stacks from here on
        return front_end(args, settings)  # the app opens the log file once it has painted
    except SmartAgentError as exc:
        from app.untrusted import visible

        print(f"smart-agent: error: {visible(exc)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if set(arguments) <= DESKTOP_ONLY:
        return start_desktop(quick_prompt=bool(arguments))
    from app import cli

    return cli.main(argv, front_end)


if __name__ == "__main__":
    sys.exit(main())
