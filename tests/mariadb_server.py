"""A real, private MariaDB server for integration tests.

Tests must see how the engine itself behaves (read-only transactions, implicit commits,
privileges), so no mock will do. The server runs from a temporary datadir with its own
unix socket and a free 127.0.0.1 port, never touches the system service, and is killed and
deleted afterwards. Grant tables stay on: the tests need a real unprivileged user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pymysql

NOT_INSTALLED = (
    "MariaDB server not installed: run `sudo apt-get install -y mariadb-server` "
    "(the project's .ci/run does this)"
)
SAMPLE_SQL = Path(__file__).resolve().parents[1] / "app" / "data" / "films.sql"
READER = "reader"
READER_PASSWORD = "reader-secret-4711"
# Data privileges only: a refused write then proves the read-only transaction stopped it,
# not a missing grant. No FILE, SUPER or other global privilege.
READER_GRANTS = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE VIEW"
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/libexec", "/usr/local/mysql/bin")


class MariaDBNotInstalled(RuntimeError):
    """``mariadbd`` or ``mariadb-install-db`` is missing on this machine."""


def find_program(*names: str) -> str:
    """The first of ``names`` on PATH or in the sbin folders (often not on a user's PATH)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *_SBIN])
    for name in names:
        found = shutil.which(name, path=search)
        if found:
            return found
    raise MariaDBNotInstalled(NOT_INSTALLED)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MariaDBServer:
    """One ``mariadbd`` process; ``start()`` returns when it accepts connections."""

    root: Path
    port: int = field(default_factory=free_port)
    extra_options: tuple[str, ...] = ()
    process: subprocess.Popen[bytes] | None = None
    startup_seconds: float = 0.0

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socket(self) -> Path:
        return self.root / "mysql.sock"

    @property
    def log(self) -> Path:
        return self.root / "error.log"

    @property
    def files(self) -> Path:
        """The only folder the server may read or write files in (``secure_file_priv``)."""
        return self.root / "files"

    def url(self, user: str = READER, password: str | None = None, db: str = "films") -> str:
        secret = f":{password}" if password is not None else ""
        return f"mysql://{user}{secret}@127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 60.0) -> MariaDBServer:
        began = time.monotonic()
        self._install()
        self.process = subprocess.Popen(
            self._server_command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_ready(timeout)
        self._load_sample()
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Kill the server and delete everything it wrote."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, user: str = "root", password: str = "", db: str | None = None,
                **options: object) -> pymysql.connections.Connection:
        """A connection as ``user`` over the unix socket (root) or TCP (everyone else)."""
        where: dict[str, object] = (
            {"unix_socket": str(self.socket)} if user == "root"
            else {"host": "127.0.0.1", "port": self.port}
        )
        settings: dict[str, object] = {"charset": "utf8mb4", "autocommit": True, **where}
        settings.update(options)
        return pymysql.connect(user=user, password=password, database=db, **settings)

    def checksum(self) -> dict[str, object]:
        """Tables, their definitions and row checksums of ``films``: any change shows."""
        with self.connect(db="films") as connection, connection.cursor() as cursor:
            cursor.execute("SHOW FULL TABLES")
            tables = sorted(row[0] for row in cursor.fetchall())
            state: dict[str, object] = {"tables": tables}
            for table in tables:
                cursor.execute(f"SHOW CREATE TABLE `{table}`")
                state[f"create {table}"] = cursor.fetchone()[1]
                cursor.execute(f"CHECKSUM TABLE `{table}` EXTENDED")
                state[f"checksum {table}"] = cursor.fetchone()[1]
            cursor.execute("SELECT User, Host FROM mysql.user ORDER BY User, Host")
            state["users"] = cursor.fetchall()
            return state

    def _user_option(self) -> str:
        return f"--user={pwd.getpwuid(os.geteuid()).pw_name}"

    def _install(self) -> None:
        self.datadir.mkdir(parents=True)
        self.files.mkdir()
        install = find_program("mariadb-install-db", "mysql_install_db")
        result = subprocess.run(
            [install, "--no-defaults", f"--datadir={self.datadir}", self._user_option(),
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            capture_output=True, text=True, timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed: {result.stderr[-2000:]}")

    def _server_command(self) -> list[str]:
        return [
            find_program("mariadbd", "mysqld"), "--no-defaults",
            f"--datadir={self.datadir}", f"--socket={self.socket}", f"--port={self.port}",
            "--bind-address=127.0.0.1", f"--pid-file={self.root / 'mariadbd.pid'}",
            f"--log-error={self.log}", self._user_option(), "--skip-name-resolve",
            f"--secure-file-priv={self.files}", "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci", "--innodb-buffer-pool-size=32M",
            "--skip-log-bin", "--max-connections=50", *self.extra_options,
        ]

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"mariadbd exited at start:\n{self._log_tail()}")
            try:
                self.connect(connect_timeout=2).close()
                return
            except pymysql.err.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"mariadbd not ready in {timeout}s:\n{self._log_tail()}"
                    ) from None
                time.sleep(0.1)

    def _load_sample(self) -> None:
        statements = [s for s in SAMPLE_SQL.read_text(encoding="utf-8").split(";\n") if s.strip()]
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE films CHARACTER SET utf8mb4")
            cursor.execute("USE films")
            for statement in statements:
                cursor.execute(statement)
            for host in ("127.0.0.1", "localhost"):
                cursor.execute(f"CREATE USER '{READER}'@'{host}' IDENTIFIED BY %s",
                               (READER_PASSWORD,))
                cursor.execute(f"GRANT {READER_GRANTS} ON films.* TO '{READER}'@'{host}'")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no error log)"


def start_mariadb(*extra_options: str) -> MariaDBServer:
    """Start a private server with the sample ``films`` database and the ``reader`` user.

    ``extra_options`` go to ``mariadbd`` as they are. Raises MariaDBNotInstalled (with the
    install command) when the binaries are missing.
    """
    find_program("mariadbd", "mysqld")
    root = Path(tempfile.mkdtemp(prefix="sa-mariadb-"))  # short: unix sockets allow ~100 bytes
    server = MariaDBServer(root, extra_options=extra_options)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise
