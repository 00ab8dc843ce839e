"""The HTTP stack is imported only when a server starts: the app's start-up, the CLI's
other commands and the Settings dialog do not pay for it."""

from __future__ import annotations

import subprocess
import sys

HTTP_STACK = ("starlette", "uvicorn", "sse_starlette", "anyio")


def test_the_cli_and_the_settings_dialog_do_not_import_the_http_stack():
    code = (
        "import os, sys\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "import app.cli, ui.settings_dialog, ui.server_settings\n"
        "app.cli.build_parser().parse_args(['serve', '--show-token'])\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HTTP_STACK!r}])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
