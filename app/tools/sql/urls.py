"""Database connection URLs: ``sqlite:///PATH`` and ``mysql://USER@HOST:PORT/DB``.

A relative SQLite PATH is relative to the workspace (as in SQLAlchemy, ``sqlite:////abs``
is absolute; ``~`` is expanded). ``mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?unix_socket=PATH]``
(also ``mariadb://``): without an inline password, the password of connection NAME comes
from the keyring entry ``db_password_NAME`` or ``SMART_AGENT_DB_PASSWORD_<NAME>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from app.secrets import get_secret
from app.settings import db_password_secret

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MYSQL_SCHEMES = ("mysql", "mariadb", "mysql+pymysql")


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed connection URL; ``password`` is None when it comes from the keyring."""

    engine: Literal["sqlite", "mysql"]
    path: Path | None = None
    user: str = ""
    password: str | None = field(default=None, repr=False)
    host: str = "localhost"
    port: int = 3306
    database: str = ""
    unix_socket: str | None = None

    def display(self) -> str:
        """The URL without its password, for messages."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.path}"
        where = f"?unix_socket={self.unix_socket}" if self.unix_socket else ""
        return f"mysql://{self.user}@{self.host}:{self.port}/{self.database}{where}"


def parse_database_url(url: str) -> DatabaseURL:
    """Parse ``sqlite:///PATH`` or ``mysql://USER@HOST:PORT/DB``; ValueError says what is wrong."""
    text = url.strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme == "sqlite":
        return _parse_sqlite_url(text)
    if scheme in _MYSQL_SCHEMES:
        return _parse_mysql_url(text)
    raise ValueError(
        f"unsupported database URL '{without_password(text)}': "
        "use sqlite:///PATH or mysql://USER@HOST:PORT/DB"
    )


def parse_db_option(text: str) -> tuple[str, DatabaseURL]:
    """Parse the command line's ``NAME=URL``; the name must be an identifier."""
    name, sep, url = text.partition("=")
    if not sep or not _NAME.fullmatch(name.strip()):
        shown = without_password(text)
        raise ValueError(f"'{shown}' is not NAME=URL (NAME like films or sales_db)")
    return name.strip(), parse_database_url(url)


def _parse_sqlite_url(text: str) -> DatabaseURL:
    if not text.lower().startswith("sqlite:///") or len(text) == len("sqlite:///"):
        raise ValueError(f"SQLite URLs look like sqlite:///PATH, not '{text}'")
    return DatabaseURL(engine="sqlite", path=Path(text[len("sqlite:///") :]).expanduser())


def _parse_mysql_url(text: str) -> DatabaseURL:
    parts = urlsplit(text)
    shown = without_password(text)
    try:
        port = parts.port or 3306
    except ValueError:
        raise ValueError(f"bad port in '{shown}'") from None
    database = unquote(parts.path.lstrip("/"))
    if not parts.username or not database or "/" in database:
        raise ValueError(f"MySQL URLs look like mysql://USER@HOST:PORT/DB, not '{shown}'")
    query = parse_qs(parts.query)
    sockets = query.get("unix_socket") or query.get("socket") or []
    return DatabaseURL(
        engine="mysql",
        user=unquote(parts.username),
        password=unquote(parts.password) if parts.password is not None else None,
        host=parts.hostname or "localhost",
        port=port,
        database=database,
        unix_socket=sockets[0] if sockets else None,
    )


def without_password(text: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", text)


def password_for(name: str, url: DatabaseURL) -> str | None:
    """The inline password, else the keyring's ``db_password_NAME`` or the environment's."""
    if url.password is not None:
        return url.password
    secret = db_password_secret(name)
    return get_secret(secret.keyring, env=secret.env)
