"""Fetching and importing models into the models folder, safely and resumably.

A ``Download`` streams one file to ``NAME.part`` next to its destination and renames it only
once it is whole and verified, so the models folder never holds a half-written model under
its real name. A cut connection, a cancel or a crash leaves the ``.part`` file; the next
``run`` asks the server for the rest (HTTP Range) and carries on. Before a byte is written
the free disk space is compared with what is left to fetch. A sha256 mismatch deletes the
file. Progress (bytes, speed, ETA) goes to a callback; cancelling is a ``threading.Event``
checked between chunks. Nothing here knows about Qt: the model manager dialog runs
``Download.run`` on a worker thread and forwards ``Progress`` to the GUI thread.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from app.errors import SmartAgentError
from app.models.catalog import CatalogEntry, find
from app.models.gguf import is_gguf
from app.models.hardware import gb
from app.net.errors import connection_problem, status_phrase, unreachable
from app.net.http import Policy, new_session

CHUNK = 1024 * 1024
SPACE_MARGIN = 16 * 1024 * 1024  # never fill a disk to the last byte
PROGRESS_EVERY = 0.2  # seconds between progress reports
SPEED_WINDOW = 5.0  # seconds of history behind the speed figure

DiskFree = Callable[[Path], int]
"""How free space is read: passed in, so a test can give a fixed figure."""


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


class DownloadError(SmartAgentError):
    """A download or import failed; the message says what was kept and what to do."""


class DownloadCancelled(DownloadError):
    """The person cancelled; a download's ``.part`` file is kept for resuming."""


@dataclass(frozen=True)
class Progress:
    """One report: bytes on disk so far (a resumed part included), speed and time left."""

    stage: str  # "connecting" | "downloading" | "copying" | "done"
    done: int
    total: int | None
    speed: float = 0.0  # bytes per second over the last few seconds
    eta: float | None = None  # seconds left; None while unknown
    resumed_from: int = 0

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None

    def line(self) -> str:
        """One human line, e.g. ``1.2 GB / 4.7 GB (25%), 31.0 MB/s, 1 min 53 s left``."""
        size = f"{gb(self.done)} / {gb(self.total)}" if self.total else gb(self.done)
        percent = f" ({self.fraction:.0%})" if self.fraction is not None else ""
        speed = f", {self.speed / 1e6:.1f} MB/s" if self.speed else ""
        left = f", {_duration(self.eta)} left" if self.eta is not None else ""
        return f"{size}{percent}{speed}{left}"


ProgressCallback = Callable[[Progress], None]


class _Meter:
    """Turns byte counts into throttled Progress reports with a windowed speed."""

    def __init__(self, report: ProgressCallback | None, stage: str, resumed_from: int):
        self.report = report
        self.stage = stage
        self.resumed_from = resumed_from
        self.samples: deque[tuple[float, int]] = deque()
        self.last = 0.0

    def __call__(self, done: int, total: int | None, *, force: bool = False) -> None:
        now = time.monotonic()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > SPEED_WINDOW:
            self.samples.popleft()
        if self.report is None or (not force and now - self.last < PROGRESS_EVERY):
            return
        self.last = now
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        speed = (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0
        eta = (total - done) / speed if total and speed > 0 else None
        self.report(Progress(self.stage, done, total, speed, eta, self.resumed_from))


@dataclass
class Download:
    """One file from ``url`` to ``dest``; ``run`` may be called again to resume."""

    url: str
    dest: Path
    sha256: str | None = None
    name: str = ""
    expected_size: int | None = None  # the catalog's figure, used until the server gives one
    resume_attempts: int = 3  # automatic resumes after a cut connection, per run
    retry_wait: float = 1.0  # seconds before the first automatic resume; doubles each time
    timeout: tuple[float, float] = (10.0, 60.0)
    disk_free: DiskFree = field(default=free_bytes, repr=False)
    digest: str = field(default="", init=False)  # the sha256 of the finished file
    verified: bool = field(default=False, init=False)  # True when it matched ``sha256``
    _hasher: hashlib._Hash = field(default_factory=hashlib.sha256, init=False, repr=False)
    _hashed: int = field(default=0, init=False, repr=False)  # bytes of the part summed so far

    def __post_init__(self) -> None:
        self.name = self.name or self.dest.name
        if self.sha256:
            self.sha256 = check_sha256(self.sha256)

    @property
    def part(self) -> Path:
        return self.dest.with_name(self.dest.name + ".part")

    def run(
        self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None
    ) -> Path:
        """Fetch (or finish fetching) the file and return its path once whole and verified.

        Raises DownloadError (DownloadCancelled when ``cancel`` was set) with one line.
        """
        cancel = cancel or threading.Event()
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        if self.dest.exists() and not self.part.exists():
            return self._already_there(progress)
        if self.expected_size:
            needed = self.expected_size - self._part_size()
            check_space(self.dest.parent, needed, self.name, self.disk_free)
        self._hasher, self._hashed = hashlib.sha256(), 0
        # no transport retries: a cut connection is resumed here, from where the part ends
        with new_session(Policy(retries=0), {"Accept-Encoding": "identity"}) as session:
            attempt = 0
            while True:
                try:
                    done, total = self._fetch(session, progress, cancel)
                    break
                except _CutOff as cut:
                    if attempt == self.resume_attempts:
                        raise DownloadError(self._cut_line(cut)) from None
                    if cancel.wait(self.retry_wait * 2**attempt):
                        raise DownloadCancelled(self._cancel_line(cut.done)) from None
                    attempt += 1
        self._finish(done, total)
        if progress:
            progress(Progress("done", done, total))
        return self.dest

    # -- steps --------------------------------------------------------------------------------

    def _already_there(self, progress: ProgressCallback | None) -> Path:
        if self.sha256:
            self.digest = sha256_of(self.dest)
            if self.digest != self.sha256:
                raise DownloadError(
                    f"{self.dest} is already there but its checksum differs from the expected "
                    "one; delete it and download it again"
                )
            self.verified = True
        size = self.dest.stat().st_size
        if progress:
            progress(Progress("done", size, size))
        return self.dest

    def _part_size(self) -> int:
        return self.part.stat().st_size if self.part.exists() else 0

    def _restart(self) -> None:
        """Throw the part away: the server will send the whole file (again)."""
        self.part.unlink(missing_ok=True)
        self._hasher, self._hashed = hashlib.sha256(), 0

    def _fetch(
        self, session: requests.Session, progress: ProgressCallback | None, cancel: threading.Event
    ) -> tuple[int, int | None]:
        """One request: the rest of the file appended to the part. Returns (size, total)."""
        offset = self._part_size()
        if self._hashed < offset:  # bring the running checksum up to what the part holds
            self._hashed = _feed(self._hasher, self.part, self._hashed, offset)
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        if progress:
            progress(Progress("connecting", offset, self.expected_size, resumed_from=offset))
        try:
            response = session.get(self.url, headers=headers, stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            host = urlsplit(self.url).hostname or "the server"
            raise _CutOff(offset, unreachable(host, exc), connected=False) from None
        with response:
            status = response.status_code
            content_range = response.headers.get("Content-Range", "")
            if status == 416 and offset:  # nothing left to send: the part may be whole
                if _content_range_total(content_range) == offset:
                    return offset, offset
                self._restart()
                raise _CutOff(0, "the server no longer has the part we hold")
            if status >= 400:
                raise DownloadError(self._status_line(response))
            if status == 206:
                if _content_range_start(content_range) != offset:
                    self._restart()
                    raise _CutOff(0, "the server resumed at the wrong place")
                total = _content_range_total(content_range)
            else:  # 200: the whole file (again: this server ignores ranges)
                if offset:
                    self._restart()
                    offset = 0
                length = response.headers.get("Content-Length", "")
                total = int(length) if length.isdigit() else None
            total = total or self.expected_size
            if total is not None:
                check_space(self.dest.parent, total - offset, self.name, self.disk_free)
            return self._stream(response, offset, total, progress, cancel)

    def _stream(
        self,
        response: requests.Response,
        offset: int,
        total: int | None,
        progress: ProgressCallback | None,
        cancel: threading.Event,
    ) -> tuple[int, int | None]:
        meter = _Meter(progress, "downloading", offset)
        done = offset
        meter(done, total, force=True)
        with open(self.part, "ab") as out:
            try:
                for chunk in response.iter_content(chunk_size=CHUNK):
                    out.write(chunk)
                    self._hasher.update(chunk)
                    done += len(chunk)
                    self._hashed = done
                    meter(done, total)
                    if cancel.is_set():
                        raise DownloadCancelled(self._cancel_line(done))
            except requests.RequestException as exc:
                raise _CutOff(done, connection_problem(exc)) from None
        if total is not None and done < total:
            raise _CutOff(done, "the connection closed early")
        meter(done, total, force=True)
        return done, total

    def _finish(self, size: int, total: int | None) -> None:
        if total is not None and size != total:
            self.part.unlink(missing_ok=True)
            raise DownloadError(
                f"{self.name} arrived with {size} bytes instead of {total}; it was deleted"
            )
        self.digest = self._hasher.hexdigest()
        if self.sha256 and self.digest != self.sha256:
            self.part.unlink(missing_ok=True)
            raise DownloadError(
                f"checksum mismatch for {self.name}: expected sha256 {self.sha256}, got "
                f"{self.digest}; the downloaded file was deleted"
            )
        self.verified = bool(self.sha256)
        if self.dest.suffix.lower() == ".gguf" and not is_gguf(self.part):
            self.part.unlink(missing_ok=True)
            raise DownloadError(
                f"what arrived for {self.name} is not a GGUF model (perhaps a web page); "
                "it was deleted — check the URL"
            )
        os.replace(self.part, self.dest)

    def _cut_line(self, cut: _CutOff) -> str:
        if not cut.connected and not cut.done:
            return f"cannot download {self.name}: {cut.reason}"
        return (
            f"the download of {self.name} was cut off at {gb(cut.done)} ({cut.reason}); "
            f"{self.part.name} is kept — download it again to resume"
        )

    def _cancel_line(self, done: int) -> str:
        if not done:
            return f"the download of {self.name} was cancelled"
        return (
            f"the download of {self.name} was cancelled; {gb(done)} is kept in "
            f"{self.part.name} — download it again to resume"
        )

    def _status_line(self, response: requests.Response) -> str:
        status = response.status_code
        phrase = status_phrase(status)
        host = urlsplit(response.url or self.url).hostname or "the server"
        advice = {
            401: "the model may be gated: accept its licence on the website first",
            403: "the model may be gated: accept its licence on the website first",
            404: "check the URL or the model name",
        }.get(status, "try again later" if status >= 500 else "the request was not accepted")
        return f"{host} answered {status} ({phrase}) for {self.name}; {advice}"


class _CutOff(Exception):
    """The connection broke (or never came up): ``done`` bytes are in the part file."""

    def __init__(self, done: int, reason: str, *, connected: bool = True):
        super().__init__(reason)
        self.done, self.reason, self.connected = done, reason, connected


def check_space(folder: Path, needed: int, what: str, disk_free: DiskFree = free_bytes) -> None:
    """Refuse to start when ``needed`` bytes (and a margin) would not fit in ``folder``."""
    free = disk_free(folder)
    if needed + SPACE_MARGIN > free:
        raise DownloadError(
            f"not enough disk space for {what}: {gb(needed)} more is needed but "
            f"{folder} has only {gb(free)} free; free some space and try again"
        )


# -- building downloads ---------------------------------------------------------------------


def check_sha256(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise DownloadError(f"'{value}' is not a sha256 checksum (64 hexadecimal digits)")
    return value


def plan_download(
    what: str, models_dir: Path, sha256: str | None = None, disk_free: DiskFree = free_bytes
) -> Download:
    """The Download for a catalog NAME or an http(s) URL, saved in ``models_dir``."""
    what = what.strip()
    if what.startswith(("http://", "https://")):
        filename = unquote(urlsplit(what).path.rsplit("/", 1)[-1])
        if not filename or filename in (".", ".."):
            raise DownloadError(f"cannot tell a file name from the URL {what}")
        return Download(what, models_dir / filename, sha256=sha256 or None, disk_free=disk_free)
    entry = find(what)
    if entry is None:
        raise DownloadError(
            f"no model named '{what}' in the catalog; `smart-agent models` lists them, "
            "or give a download URL"
        )
    return catalog_download(entry, models_dir, sha256, disk_free)


def catalog_download(
    entry: CatalogEntry,
    models_dir: Path,
    sha256: str | None = None,
    disk_free: DiskFree = free_bytes,
) -> Download:
    if entry.format == "embedded":
        raise DownloadError(f"{entry.name} is the embedded default; it needs no download")
    if not entry.downloadable:
        raise DownloadError(
            f"{entry.name} is an EXL2 folder of several files: fetch it with "
            f"`huggingface-cli download {_repo(entry.url)} --revision {entry.revision} "
            f"--local-dir {models_dir / entry.name}` and use it as exl2:{models_dir / entry.name}"
        )
    return Download(
        entry.url,
        models_dir / entry.filename,
        sha256=sha256 or entry.sha256 or None,
        name=entry.name,
        expected_size=entry.size_bytes,
        disk_free=disk_free,
    )


# -- importing a local file -----------------------------------------------------------------


def import_model(
    source: Path,
    models_dir: Path,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    disk_free: DiskFree = free_bytes,
) -> Path:
    """Copy a local ``.gguf`` into the models folder (checked, space-checked, cancellable)."""
    source = source.expanduser()
    if not source.is_file():
        raise DownloadError(f"no such file: {source}")
    if not is_gguf(source):
        raise DownloadError(f"{source.name} is not a GGUF model (it does not start with 'GGUF')")
    models_dir.mkdir(parents=True, exist_ok=True)
    dest = models_dir / source.name
    if dest.exists():
        if dest.samefile(source):
            return dest
        raise DownloadError(f"a model named {dest.name} is already installed in {models_dir}")
    size = source.stat().st_size
    check_space(models_dir, size, source.name, disk_free)
    part = dest.with_name(dest.name + ".part")
    cancel = cancel or threading.Event()
    meter = _Meter(progress, "copying", 0)
    done = 0
    try:
        with open(source, "rb") as src, open(part, "wb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
                done += len(chunk)
                meter(done, size)
                if cancel.is_set():
                    raise DownloadCancelled(f"the import of {source.name} was cancelled")
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)  # an import has no resume: leave nothing behind
        raise
    if progress:
        progress(Progress("done", size, size))
    return dest


# -- helpers --------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    hasher = hashlib.sha256()
    _feed(hasher, path, 0, path.stat().st_size)
    return hasher.hexdigest()


def _feed(hasher: hashlib._Hash, path: Path, start: int, end: int) -> int:
    with open(path, "rb") as handle:
        handle.seek(start)
        position = start
        while position < end and (chunk := handle.read(min(CHUNK, end - position))):
            hasher.update(chunk)
            position += len(chunk)
    return position


def _content_range_start(header: str) -> int | None:
    """``bytes 100-199/200`` → 100."""
    unit, _, spec = header.partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit == "bytes" and first.isdigit() else None


def _content_range_total(header: str) -> int | None:
    """``bytes 100-199/200`` or ``bytes */200`` → 200."""
    total = header.rpartition("/")[2].strip()
    return int(total) if total.isdigit() else None


def _repo(url: str) -> str:
    """``https://huggingface.co/owner/name`` → ``owner/name``."""
    return "/".join(urlsplit(url).path.strip("/").split("/")[:2])


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"
