"""The API's bearer token: made on the first ``serve``, kept with the other secrets.

It lives in the OS keyring (``app.secrets``); on a machine without one it goes to the
owner-only plain-text secrets file, since a server that cannot keep its token cannot be
started safely any other way. ``SMART_AGENT_API_TOKEN`` overrides both (for scripts).
"""

from __future__ import annotations

import secrets

from app.secrets import get_secret, set_secret

TOKEN_SECRET = "api_token"
TOKEN_ENV = "SMART_AGENT_API_TOKEN"


def api_token(create: bool = True) -> str | None:
    """The token clients must send; made and stored on first use when ``create``."""
    token = get_secret(TOKEN_SECRET, env=TOKEN_ENV)
    if token or not create:
        return token
    token = secrets.token_urlsafe(32)
    set_secret(TOKEN_SECRET, token, plaintext=True)
    return token
