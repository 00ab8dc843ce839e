"""Secrets (API keys, database passwords) live in the OS keyring, never in files or logs.

The one exception is the person's explicit choice: on a machine without a keyring backend
the settings dialog offers to keep secrets in a plain-text file readable only by its owner
(``PLAINTEXT_FILE`` in the config folder). Nothing writes that file unless asked to.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from app.paths import Paths

SERVICE = "smart-agent"
PLAINTEXT_FILE = "secrets-plaintext.json"


class NoKeyringError(Exception):
    """No usable keyring backend exists on this machine."""


def keyring_available() -> bool:
    """Whether a real keyring backend is in use (not keyring's fail or null stand-ins)."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring install is the same as none
        return False
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def get_secret(name: str, env: str | None = None) -> str | None:
    """The secret ``name`` from the keyring; ``env`` names an environment variable that wins.

    Without a keyring value, the opt-in plain-text file is the last place looked.
    """
    if env and os.environ.get(env):
        return os.environ[env]
    try:
        import keyring
        import keyring.errors

        value = keyring.get_password(SERVICE, name)
    except Exception:  # keyring backends raise many kinds; no secret is the honest answer
        value = None
    return value if value is not None else _read_plaintext().get(name)


def set_secret(name: str, value: str, *, plaintext: bool = False) -> None:
    """Store ``value`` in the keyring; ``plaintext`` (the person's choice) allows the file
    fallback when no keyring backend exists."""
    if plaintext and not keyring_available():
        _write_plaintext({**_read_plaintext(), name: value})
        return
    import keyring
    import keyring.errors

    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise NoKeyringError(f"no keyring is available to store '{name}': {exc}") from exc


def delete_secret(name: str) -> None:
    stored = _read_plaintext()
    if stored.pop(name, None) is not None:
        _write_plaintext(stored)
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.KeyringError:  # not there, or no keyring: nothing to delete
        pass


def plaintext_path() -> Path:
    return Paths.from_env().config / PLAINTEXT_FILE


def _read_plaintext() -> dict[str, str]:
    try:
        data = json.loads(plaintext_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_plaintext(values: dict[str, str]) -> None:
    """Atomically replace the file; mkstemp creates it 0600, so no other user can read it."""
    path = plaintext_path()
    if not values:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secrets-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(values, handle, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
