"""The HTTP session to one model server, and the API key it may carry.

An API key goes only to the host it belongs to:

* a key stored in the keyring (or the opt-in plain-text file) under ``openai:HOST[:PORT]``
  goes to that host and port only;
* ``SMART_AGENT_OPENAI_API_KEY`` goes to the host named in
  ``SMART_AGENT_OPENAI_API_KEY_HOST`` (``HOST`` for any port, or ``HOST:PORT``), and to
  ``api.openai.com`` when that is not set — never to whatever server a model spec names.

And no key goes over plain ``http://`` except to this machine (``localhost``, ``127.0.0.1``,
``::1``): anyone on the way could read it. Such a URL with a key is refused with one line.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

import requests

from app.errors import ModelError
from app.net.http import Policy, new_session
from app.secrets import get_secret
from app.settings import openai_key_secret

API_KEY_ENV = "SMART_AGENT_OPENAI_API_KEY"
API_KEY_HOST_ENV = "SMART_AGENT_OPENAI_API_KEY_HOST"
DEFAULT_KEY_HOST = "api.openai.com"


def secret_name(base_url: str) -> str:
    """The keyring entry that holds the API key of the server at ``base_url``."""
    return openai_key_secret(urlsplit(base_url).netloc).keyring


def env_key_host() -> str:
    """The host (or host:port) ``SMART_AGENT_OPENAI_API_KEY`` belongs to."""
    return os.environ.get(API_KEY_HOST_ENV, "").strip().lower() or DEFAULT_KEY_HOST


def is_loopback(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_key(base_url: str) -> str | None:
    """The key for the server at ``base_url``, or None; ModelError when one exists but the
    URL is plain http to another machine."""
    parts = urlsplit(base_url)
    owner = env_key_host()
    key = None
    if owner in (parts.netloc.lower(), (parts.hostname or "").lower()):
        key = os.environ.get(API_KEY_ENV) or None
    key = key or get_secret(secret_name(base_url))
    if key and parts.scheme != "https" and not is_loopback(base_url):
        raise ModelError(
            f"refusing to send the API key for {parts.netloc} over plain http:// (anyone on "
            "the way could read it); use an https:// URL — keys go over http only to this "
            "machine (localhost, 127.0.0.1, ::1)"
        )
    return key


def open_session(base_url: str) -> tuple[requests.Session, bool]:
    """A session for the server at ``base_url``, and whether it carries an API key.

    Without transport retries: the backend retries by itself, and only before a reply's
    first byte.
    """
    key = api_key(base_url)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return new_session(Policy(retries=0), headers), bool(key)


def missing_key_advice(base_url: str) -> str:
    """What to do when the server refuses us and we sent no key."""
    netloc = urlsplit(base_url).netloc.lower()
    advice = f"store its API key with `keyring set smart-agent {secret_name(base_url)}`"
    if os.environ.get(API_KEY_ENV):
        return (
            f"{advice}, or send {API_KEY_ENV} here with {API_KEY_HOST_ENV}={netloc} "
            f"(it goes only to {env_key_host()} now)"
        )
    return f"{advice} or set {API_KEY_ENV} with {API_KEY_HOST_ENV}={netloc}"
