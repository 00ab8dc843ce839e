"""save_file on a real filesystem: confinement to the workspace, atomic writes, no leftovers."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from app.errors import ToolError
from app.settings import Settings
from app.tools.files import MAX_FILE_BYTES, _write, save_file
from app.tools.registry import ToolContext, tool_from_function

posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: folders, link targets and file bytes."""
    tree: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                tree[key] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[key] = ("dir",)
            else:
                tree[key] = ("file", path.read_bytes())
    return tree


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "keep.txt").write_text("keep me")
    return workspace


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("outside data")
    return folder


@pytest.fixture
def context(ws: Path) -> ToolContext:
    return ToolContext(workspace=ws, settings=Settings())


def refused(
    tmp_path: Path, context: ToolContext, path: str, content: str = "x", overwrite: bool = False
) -> str:
    """Call save_file expecting a refusal; assert nothing under tmp_path changed."""
    before = snapshot(tmp_path)
    with pytest.raises(ToolError) as caught:
        save_file(path, content, overwrite, context=context)
    assert snapshot(tmp_path) == before
    return str(caught.value)


def test_schema_is_a_write_tool_with_path_content_overwrite():
    tool = tool_from_function(save_file)
    assert tool.name == "save_file"
    assert tool.risk == "write"
    assert list(tool.parameters["properties"]) == ["path", "content", "overwrite"]
    assert tool.parameters["required"] == ["path", "content"]
    assert tool.parameters["properties"]["overwrite"]["default"] is False


def test_saves_exact_bytes_and_reports_name_and_size(ws, context):
    text = "line 1\r\nline 2 — ünïcode\n" * 50
    message = save_file("films.md", text, context=context)
    assert (ws / "films.md").read_bytes() == text.encode("utf-8")
    assert message.startswith("saved films.md (")
    assert "KB) in the workspace" in message


def test_creates_missing_workspace_and_parent_folders(tmp_path):
    context = ToolContext(workspace=tmp_path / "new-ws", settings=Settings())
    save_file("a/b/c.txt", "deep", context=context)
    assert (tmp_path / "new-ws" / "a" / "b" / "c.txt").read_text() == "deep"


def test_backslashes_and_inner_dotdot_stay_inside(ws, context):
    save_file("notes\\a.txt", "one", context=context)
    save_file("x/../notes/./b.txt", "two", context=context)
    assert (ws / "notes" / "a.txt").read_text() == "one"
    assert (ws / "notes" / "b.txt").read_text() == "two"
    assert not (ws / "x").exists()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../x", "outside the workspace"),
        ("a/../../x", "outside the workspace"),
        ("a\\..\\..\\x", "outside the workspace"),
        ("/etc/passwd", "absolute"),
        ("\\x", "absolute"),
        ("~/x", "home folder"),
        ("~root/x", "home folder"),
        ("C:\\x", "drive"),
        ("C:x", "drive"),
        ("c:/x", "drive"),
        ("\\\\server\\share\\x", "UNC"),
        ("//server/share/x", "UNC"),
        ("a\x00b", "NUL"),
        ("", "empty"),
        ("   ", "empty"),
        ("docs/", "folder"),
        ("docs/.", "folder"),
        ("docs/..", "folder"),
        (".", "folder"),
        ("a/..", "folder"),
        ("CON", "reserved"),
        ("sub/nul.txt", "reserved"),
        ("notes:stream", "':'"),
    ],
)
def test_refuses_path_tricks_and_changes_nothing(tmp_path, ws, outside, context, path, reason):
    assert reason in refused(tmp_path, context, path)


def test_lexical_refusal_does_not_create_the_workspace(tmp_path):
    context = ToolContext(workspace=tmp_path / "missing", settings=Settings())
    with pytest.raises(ToolError):
        save_file("../escape.txt", "x", context=context)
    assert not (tmp_path / "missing").exists()
    assert not (tmp_path / "escape.txt").exists()


def test_existing_file_is_kept_without_overwrite(tmp_path, ws, context):
    message = refused(tmp_path, context, "keep.txt", "new text")
    assert "already exists" in message and "overwrite" in message
    assert (ws / "keep.txt").read_text() == "keep me"


def test_overwrite_replaces_atomically(ws, context):
    with open(ws / "keep.txt", "rb") as old_handle:
        message = save_file("keep.txt", "replaced", overwrite=True, context=context)
        # A reader of the old file still sees the old bytes: the file was replaced by a
        # rename, not truncated and rewritten in place.
        assert old_handle.read() == b"keep me"
    assert (ws / "keep.txt").read_text() == "replaced"
    assert "replacing the old file" in message
    assert sorted(p.name for p in ws.iterdir()) == ["keep.txt"]


def test_size_cap_counts_utf8_bytes(tmp_path, ws, context):
    message = refused(tmp_path, context, "big.txt", "é" * (MAX_FILE_BYTES // 2 + 1))
    assert "10.0 MB" in message
    save_file("limit.txt", "a" * MAX_FILE_BYTES, context=context)
    assert (ws / "limit.txt").stat().st_size == MAX_FILE_BYTES


def test_unencodable_content_is_refused(tmp_path, ws, context):
    assert "UTF-8" in refused(tmp_path, context, "bad.txt", "lone \ud800 surrogate")


def test_path_naming_a_folder_or_going_through_a_file(tmp_path, ws, context):
    (ws / "docs").mkdir()
    assert "folder" in refused(tmp_path, context, "docs", overwrite=True)
    assert "not a folder" in refused(tmp_path, context, "keep.txt/inner.txt")


def test_failure_after_creating_folders_removes_them(tmp_path, ws, context):
    message = refused(tmp_path, context, "new/deeper/" + "n" * 300, "x")
    assert "could not save" in message
    assert not (ws / "new").exists()


@posix_only
def test_symlinked_folder_to_outside_is_refused(tmp_path, ws, outside, context):
    (ws / "link").symlink_to(outside, target_is_directory=True)
    message = refused(tmp_path, context, "link/x.txt")
    assert "'link' is a link that leads outside" in message
    refused(tmp_path, context, "link/secret.txt", "pwned", overwrite=True)
    refused(tmp_path, context, "link/new/deeper.txt")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "outside data"


@posix_only
def test_nested_symlink_to_outside_is_refused(tmp_path, ws, outside, context):
    (ws / "a").mkdir()
    (ws / "a" / "up").symlink_to("../../outside", target_is_directory=True)
    assert "'a/up' is a link" in refused(tmp_path, context, "a/up/x.txt")


@posix_only
def test_symlinked_file_to_outside_is_refused(tmp_path, ws, outside, context):
    (ws / "evil.txt").symlink_to(outside / "secret.txt")
    (ws / "dangling.txt").symlink_to(outside / "not-yet.txt")
    refused(tmp_path, context, "evil.txt", "pwned", overwrite=True)
    refused(tmp_path, context, "dangling.txt", "pwned")
    assert (outside / "secret.txt").read_text() == "outside data"
    assert not (outside / "not-yet.txt").exists()


@posix_only
def test_link_swapped_in_after_the_check_is_not_followed(tmp_path, ws, outside):
    """The write layer alone, given parts as if checked before a link replaced them."""
    (ws / "link").symlink_to(outside, target_is_directory=True)
    (ws / "evil.txt").symlink_to(outside / "secret.txt")
    before = snapshot(outside)
    with pytest.raises(ToolError, match="link"):
        _write(ws, ("link", "x.txt"), b"pwned", False, "link/x.txt")
    with pytest.raises(ToolError, match="already exists"):
        _write(ws, ("evil.txt",), b"pwned", False, "evil.txt")
    _write(ws, ("evil.txt",), b"replaced the link", True, "evil.txt")
    assert snapshot(outside) == before
    assert not (ws / "evil.txt").is_symlink()
    assert (ws / "evil.txt").read_bytes() == b"replaced the link"


@posix_only
def test_symlink_loop_is_refused(tmp_path, ws, context):
    (ws / "loop").symlink_to("loop")
    refused(tmp_path, context, "loop/x.txt")


@posix_only
def test_links_that_stay_inside_are_followed(ws, context):
    (ws / "real").mkdir()
    (ws / "alias").symlink_to("real", target_is_directory=True)
    (ws / "same.txt").symlink_to("keep.txt")
    save_file("alias/x.txt", "through alias", context=context)
    save_file("same.txt", "via link", overwrite=True, context=context)
    assert (ws / "real" / "x.txt").read_text() == "through alias"
    assert (ws / "keep.txt").read_text() == "via link"
    assert (ws / "same.txt").is_symlink()


@posix_only
def test_workspace_that_is_itself_a_link_works(tmp_path):
    real = tmp_path / "real-ws"
    real.mkdir()
    (tmp_path / "ws-link").symlink_to(real, target_is_directory=True)
    context = ToolContext(workspace=tmp_path / "ws-link", settings=Settings())
    save_file("a.txt", "ok", context=context)
    assert (real / "a.txt").read_text() == "ok"


def test_concurrent_creates_never_clobber(ws, context):
    """Eight saves race for one new name without overwrite: exactly one wins, intact."""
    results: dict[int, str] = {}
    start = threading.Barrier(8)

    def attempt(number: int) -> None:
        start.wait()
        try:
            save_file("race/once.txt", f"writer {number}\n" * 1000, context=context)
            results[number] = "saved"
        except ToolError as exc:
            results[number] = str(exc)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [n for n, outcome in results.items() if outcome == "saved"]
    assert len(winners) == 1
    assert all("already exists" in results[n] for n in results if n not in winners)
    assert (ws / "race" / "once.txt").read_text() == f"writer {winners[0]}\n" * 1000
    assert [p.name for p in (ws / "race").iterdir()] == ["once.txt"]
