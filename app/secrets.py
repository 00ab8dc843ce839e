"""Secrets (API keys, database passwords) live in the OS keyring, never in files or logs."""

from __future__ import annotations

import os

SERVICE = "smart-agent"


class NoKeyringError(Exception):
    """No usable keyring backend exists on this machine."""


def get_secret(name: str, env: str | None = None) -> str | None:
    """The secret ``name`` from the keyring; ``env`` names an environment variable that wins."""
    if env and os.environ.get(env):
        return os.environ[env]
    try:
        import keyring
        import keyring.errors

        return keyring.get_password(SERVICE, name)
    except Exception:  # keyring backends raise many kinds; no secret is the honest answer
        return None


def set_secret(name: str, value: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise NoKeyringError(f"no keyring is available to store '{name}': {exc}") from exc


def delete_secret(name: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass
