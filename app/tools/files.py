"""save_file: write a text file inside the workspace folder, and nowhere else.

The path comes from a model, so it is treated as hostile. It is checked in three layers:

1. **Text**: refused outright when absolute, ``~``-based, a Windows drive or UNC path, when it
   holds a NUL byte, another control or a bidi character (which make a name look like
   another) or ``:``, names a reserved Windows device (CON, NUL...), names a folder,
   or climbs out of the workspace with ``..``. Backslashes count as separators everywhere,
   so ``notes\\a.md`` means the same on every platform.
2. **Links**: every existing link along the path, the file itself included, is resolved and
   must stay inside the (resolved) workspace, and outside the app's config and data folders
   even when the workspace holds them (a saved settings file would change approvals).
3. **Races**: where the OS offers ``openat``-style calls, the folders are then opened one by
   one with ``O_NOFOLLOW`` from the workspace down, and the file is created, linked and
   renamed relative to the verified parent's descriptor; a link swapped in after the check
   makes the save fail instead of escaping.

The write is atomic: a temporary file in the target folder, fsync, then ``os.link`` (which
fails when the target exists, so a concurrent create is never clobbered) or ``os.replace``
when overwriting is asked for. A refused or failed save leaves the disk as it was: no
temporary file and no folder created on the way stays behind.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import ToolError
from app.paths import Paths
from app.tools.registry import ToolContext, tool
from app.untrusted import hidden_in_name, visible_name

MAX_FILE_BYTES = 10 * 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_USE_DIR_FDS = (
    hasattr(os, "O_DIRECTORY")
    and {os.open, os.mkdir, os.link, os.rename, os.unlink, os.rmdir} <= os.supports_dir_fd
)


@tool(risk="write")
def save_file(path: str, content: str, overwrite: bool = False, *, context: ToolContext) -> str:
    """Save text to a file in the workspace folder, creating folders as needed.

    Args:
        path: File path relative to the workspace, such as notes/films.md.
        content: The full text to write (UTF-8).
        overwrite: Replace the file if it already exists; otherwise an existing file is kept.
    """
    parts = workspace_parts(path)
    shown = "/".join(parts)
    data = encode_content(content)
    workspace = Path(context.workspace)
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        root = workspace.resolve(strict=True)
        target = checked_target(root, parts, shown)
        refuse_app_folders(target, context, shown)
        replaced = _write(root, target.relative_to(root).parts, data, overwrite, shown)
    except OSError as exc:
        raise ToolError(f"could not save {shown}: {exc.strerror or exc}") from None
    note = ", replacing the old file" if replaced else ""
    return f"saved {shown} ({human_size(len(data))}) in the workspace{note}"


def workspace_parts(path: str) -> list[str]:
    """The path's components after the text checks, with ``.`` and inner ``..`` folded away."""
    if not isinstance(path, str) or not path.strip():
        raise ToolError("the file path is empty; give a name such as notes.md")
    if "\x00" in path:
        raise ToolError("the file path contains a NUL byte")
    hidden = hidden_in_name(path)
    if hidden:
        raise ToolError(
            f"'{visible_name(path)}': file names cannot hold control or bidi characters "
            f"({', '.join(hidden)}), which hide what a name really is"
        )
    if path.startswith(("\\\\", "//")):
        raise ToolError(f"'{path}' is a network (UNC) path; give a path inside the workspace")
    if _DRIVE.match(path):
        raise ToolError(f"'{path}' names a drive; give a path relative to the workspace")
    if path.startswith(("/", "\\")):
        raise ToolError(f"'{path}' is an absolute path; give a path relative to the workspace")
    if path.startswith("~"):
        raise ToolError(f"'{path}' points into a home folder; give a path inside the workspace")
    raw = re.split(r"[\\/]", path)
    if raw[-1] in ("", ".", ".."):
        raise ToolError(f"'{path}' names a folder, not a file")
    parts: list[str] = []
    for part in raw:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise ToolError(f"'{path}' leads outside the workspace")
            parts.pop()
            continue
        check_name(part, path)
        parts.append(part)
    if not parts:
        raise ToolError(f"'{path}' names the workspace folder itself, not a file")
    return parts


def check_name(part: str, path: str) -> None:
    """Refuse names that Windows cannot store, so a workspace stays portable."""
    if ":" in part:
        raise ToolError(f"'{path}': ':' is not allowed in file names")
    if part.split(".")[0].strip().upper() in _RESERVED:
        raise ToolError(f"'{path}': '{part}' is a reserved device name on Windows")


def encode_content(content: str) -> bytes:
    """The content as UTF-8, refused when it is over ``MAX_FILE_BYTES``."""
    try:
        data = content.encode("utf-8")
    except UnicodeEncodeError:
        raise ToolError("the content holds characters that cannot be saved as UTF-8") from None
    if len(data) > MAX_FILE_BYTES:
        raise ToolError(
            f"the content is {human_size(len(data))}; "
            f"save_file writes at most {human_size(MAX_FILE_BYTES)}"
        )
    return data


def checked_target(root: Path, parts: list[str], shown: str) -> Path:
    """The resolved file path, after checking that no link along it leaves ``root``."""
    try:
        for depth in range(1, len(parts) + 1):
            prefix = root.joinpath(*parts[:depth])
            if prefix.is_symlink() and not prefix.resolve().is_relative_to(root):
                where = "/".join(parts[:depth])
                raise ToolError(
                    f"cannot save {shown}: '{where}' is a link that leads outside the workspace"
                )
        target = root.joinpath(*parts).resolve()
    except RuntimeError:
        raise ToolError(f"cannot save {shown}: the links along the path go in a loop") from None
    if target == root or not target.is_relative_to(root):
        raise ToolError(f"cannot save {shown}: the path leads outside the workspace")
    if target.is_dir():
        raise ToolError(f"cannot save {shown}: it is a folder")
    return target


def refuse_app_folders(target: Path, context: ToolContext, shown: str) -> None:
    """Refuse a target inside the app's config or data folder, whatever the workspace is.

    Settings, approval policies, user tools and the history live there: a file saved there
    could let the next run act without asking. ``samefile`` on the existing folders along
    the way also catches another spelling of them (case-insensitive file systems).
    """
    paths = context.settings.paths if context.settings is not None else Paths.from_env()
    for folder, what in ((paths.config, "settings"), (paths.data, "data")):
        inside = target.is_relative_to(folder.resolve())
        if not inside and folder.exists():
            inside = any(p.exists() and os.path.samefile(p, folder) for p in target.parents)
        if inside:
            raise ToolError(
                f"cannot save {shown}: it is inside Smart Agent's own {what} folder "
                f"({folder}), which tools may not change"
            )


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass
class _Folder:
    """A folder addressed by a descriptor where the OS allows, else by its path."""

    path: Path
    fd: int | None = None

    def name(self, name: str) -> str:
        return name if self.fd is not None else str(self.path / name)

    def opener(self, name: str, flags: int) -> int:
        """For ``open(opener=...)``: open relative to this folder, never through a link."""
        return os.open(name, flags | _NOFOLLOW, 0o666, dir_fd=self.fd)


@dataclass
class _Walk:
    """The folders opened on the way down and those created, undone on failure."""

    opened: list[_Folder] = field(default_factory=list)
    created: list[tuple[_Folder, str]] = field(default_factory=list)

    def root(self, path: Path) -> _Folder:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC) if _USE_DIR_FDS else None
        self.opened.append(_Folder(path, fd))
        return self.opened[-1]

    def child(self, parent: _Folder, name: str, shown: str) -> _Folder:
        """Enter (or create) ``name`` in ``parent`` without following a link."""
        if not self._is_folder(parent, name, shown):
            try:
                os.mkdir(parent.name(name), dir_fd=parent.fd)
                self.created.append((parent, name))
            except FileExistsError:
                pass  # made by a concurrent save; it is checked below like any folder
        if parent.fd is None:
            if not self._is_folder(parent, name, shown):
                raise ToolError(f"cannot save {shown}: the folders changed while saving")
            folder = _Folder(parent.path / name)
        else:
            flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC
            try:
                fd = os.open(name, flags, dir_fd=parent.fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
                    raise ToolError(
                        f"cannot save {shown}: '{name}' is not a plain folder (it changed "
                        "while saving, or is a file)"
                    ) from None
                raise
            folder = _Folder(parent.path / name, fd)
        self.opened.append(folder)
        return folder

    @staticmethod
    def _is_folder(parent: _Folder, name: str, shown: str) -> bool:
        try:
            info = os.stat(parent.name(name), dir_fd=parent.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        if stat.S_ISDIR(info.st_mode):
            return True
        kind = "a link" if stat.S_ISLNK(info.st_mode) else "a file"
        raise ToolError(f"cannot save {shown}: '{name}' is {kind}, not a folder")

    def undo(self) -> None:
        """Remove the folders this save created (only while still empty)."""
        for parent, name in reversed(self.created):
            try:
                os.rmdir(parent.name(name), dir_fd=parent.fd)
            except OSError:
                pass

    def close(self) -> None:
        for folder in self.opened:
            if folder.fd is not None:
                os.close(folder.fd)


def _write(root: Path, parts: tuple[str, ...], data: bytes, overwrite: bool, shown: str) -> bool:
    """Write ``data`` atomically to ``root/parts``; True when an old file was replaced."""
    walk = _Walk()
    try:
        folder = walk.root(root)
        for name in parts[:-1]:
            folder = walk.child(folder, name, shown)
        return _place(folder, parts[-1], data, overwrite, shown)
    except BaseException:
        walk.undo()
        raise
    finally:
        walk.close()


def _place(folder: _Folder, name: str, data: bytes, overwrite: bool, shown: str) -> bool:
    """Write a temp file next to ``name`` and move it into place; see the module docstring."""
    temp = f".save-{secrets.token_hex(6)}.tmp"
    try:
        with open(folder.name(temp), "xb", opener=folder.opener) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replaced = _move(folder, temp, name, overwrite, shown)
    finally:
        try:
            os.unlink(folder.name(temp), dir_fd=folder.fd)
        except FileNotFoundError:
            pass
    if folder.fd is not None:
        os.fsync(folder.fd)
    return replaced


def _move(folder: _Folder, temp: str, name: str, overwrite: bool, shown: str) -> bool:
    """Put the temp file in place; True when an old file was replaced."""
    if overwrite:
        existed = _exists(folder, name)
        os.replace(folder.name(temp), folder.name(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
        return existed
    refusal = ToolError(f"{shown} already exists; set overwrite to replace it")
    try:
        os.link(folder.name(temp), folder.name(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except FileExistsError:
        raise refusal from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        _copy_exclusive(folder, temp, name, refusal)
    return False


def _copy_exclusive(folder: _Folder, temp: str, name: str, refusal: ToolError) -> None:
    """Where hard links are not supported: create the target with O_EXCL and copy into it.

    Not atomic for readers, but it still never clobbers a file created meanwhile, and a
    failed copy removes the half-written target.
    """
    with open(folder.name(temp), "rb", opener=folder.opener) as reader:
        data = reader.read()
    try:
        writer = open(folder.name(name), "xb", opener=folder.opener)
    except FileExistsError:
        raise refusal from None
    try:
        with writer:
            writer.write(data)
            writer.flush()
            os.fsync(writer.fileno())
    except BaseException:
        os.unlink(folder.name(name), dir_fd=folder.fd)
        raise


def _exists(folder: _Folder, name: str) -> bool:
    try:
        os.stat(folder.name(name), dir_fd=folder.fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True
