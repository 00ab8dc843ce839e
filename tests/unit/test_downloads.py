"""Downloads against a local HTTP file server that honours Range: full, resumed after a cut,
wrong checksum (nothing left behind), no disk space, cancel — and importing a local .gguf."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest

from app.models.catalog import find
from app.models.downloads import (
    Download,
    DownloadCancelled,
    DownloadError,
    Progress,
    import_model,
    plan_download,
)
from tests.helpers import cli
from tests.http_fixtures import FileRoute
from tests.loopback import LoopbackServer

PAYLOAD = b"GGUF" + os.urandom(3 * 1024 * 1024 + 12345)
SHA = hashlib.sha256(PAYLOAD).hexdigest()


@pytest.fixture
def files():
    with LoopbackServer() as server:
        route = FileRoute(PAYLOAD)
        server.route("GET", "/models/tiny.gguf", route)
        server.file = route  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def models_dir(tmp_path):
    return tmp_path / "models"


def url(server: LoopbackServer) -> str:
    return f"{server.url}/models/tiny.gguf"


def test_a_full_download_reports_progress_and_verifies(files, models_dir):
    reports: list[Progress] = []
    download = Download(url(files), models_dir / "tiny.gguf", sha256=SHA)
    path = download.run(reports.append)
    assert path.read_bytes() == PAYLOAD
    assert download.verified and download.digest == SHA
    assert not download.part.exists()
    stages = [r.stage for r in reports]
    assert stages[0] == "connecting" and stages[-1] == "done"
    moving = [r for r in reports if r.stage == "downloading"]
    assert moving[-1].done == len(PAYLOAD) and moving[-1].total == len(PAYLOAD)
    assert [r.done for r in moving] == sorted(r.done for r in moving)
    assert "GiB" in moving[-1].line() and "100%" in moving[-1].line()


def test_a_cut_connection_is_resumed_with_a_range_request(files, models_dir):
    files.file.cut_after = [1_500_000]
    download = Download(url(files), models_dir / "tiny.gguf", sha256=SHA, retry_wait=0)
    assert download.run().read_bytes() == PAYLOAD
    first, second = files.sent("GET", "/models/tiny.gguf")
    assert "Range" not in first.headers
    resumed_at = int(second.headers["Range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 1_500_000
    assert download.verified


def test_a_part_left_by_an_earlier_run_is_resumed(files, models_dir):
    files.file.cut_after = [2_000_000]
    first = Download(url(files), models_dir / "tiny.gguf", sha256=SHA, resume_attempts=0)
    with pytest.raises(DownloadError, match=r"cut off at .*tiny.gguf.part is kept"):
        first.run()
    kept = first.part.stat().st_size
    assert 0 < kept <= 2_000_000 and not first.dest.exists()
    again = Download(url(files), models_dir / "tiny.gguf", sha256=SHA)
    reports: list[Progress] = []
    assert again.run(reports.append).read_bytes() == PAYLOAD
    assert files.sent("GET", "/models/tiny.gguf")[1].headers["Range"] == f"bytes={kept}-"
    assert reports[0].resumed_from == kept


def test_a_server_that_ignores_ranges_restarts_cleanly(files, models_dir):
    files.file.cut_after = [1_000_000]
    files.file.ignore_range = True
    download = Download(url(files), models_dir / "tiny.gguf", sha256=SHA, retry_wait=0)
    assert download.run().read_bytes() == PAYLOAD and download.verified


def test_a_wrong_checksum_deletes_the_file_and_says_so(files, models_dir):
    wrong = "0" * 64
    download = Download(url(files), models_dir / "tiny.gguf", sha256=wrong)
    with pytest.raises(DownloadError) as caught:
        download.run()
    assert f"checksum mismatch for tiny.gguf: expected sha256 {wrong}, got {SHA}" in str(
        caught.value
    )
    assert "the downloaded file was deleted" in str(caught.value)
    assert list(models_dir.iterdir()) == []


def test_no_disk_space_is_refused_before_anything_is_written(files, models_dir):
    files.file.claimed_length = 10**16  # 10 PB: more than this disk (or any) has free
    with pytest.raises(DownloadError, match=r"not enough disk space for tiny.gguf: .* more"):
        Download(url(files), models_dir / "tiny.gguf").run()
    assert list(models_dir.iterdir()) == []


def test_a_catalog_size_that_cannot_fit_is_refused_before_connecting(files, models_dir):
    download = Download(url(files), models_dir / "tiny.gguf", expected_size=10**16)
    with pytest.raises(DownloadError, match="not enough disk space"):
        download.run()
    assert files.requests == []


def test_the_free_space_reading_is_passed_in(files, models_dir):
    download = Download(url(files), models_dir / "tiny.gguf", disk_free=lambda folder: 1_000_000)
    with pytest.raises(DownloadError, match=r"has only 0.0 GiB free"):
        download.run()
    assert files.requests != []  # refused once the server gave the size, before writing
    assert not download.part.exists()


def test_cancel_keeps_the_part_for_a_later_resume(files, models_dir):
    files.file.pause = 0.02
    cancel = threading.Event()

    def progress(report: Progress) -> None:
        if report.stage == "downloading" and report.done > 0:
            cancel.set()

    download = Download(url(files), models_dir / "tiny.gguf", sha256=SHA)
    with pytest.raises(DownloadCancelled, match="cancelled; .* kept in tiny.gguf.part"):
        download.run(progress, cancel)
    kept = download.part.stat().st_size
    assert 0 < kept < len(PAYLOAD) and not download.dest.exists()
    files.file.pause = 0
    assert download.run().read_bytes() == PAYLOAD and download.verified


def test_not_found_and_web_pages_are_clear_errors(files, models_dir):
    with pytest.raises(DownloadError, match=r"answered 404 \(not found\) for nope.gguf"):
        Download(f"{files.url}/nope.gguf", models_dir / "nope.gguf").run()
    files.route(
        "GET", "/page.gguf", lambda h, r: h.send_bytes(200, b"<html>login</html>", "text/html")
    )
    with pytest.raises(DownloadError, match="not a GGUF model .* it was deleted"):
        Download(f"{files.url}/page.gguf", models_dir / "page.gguf").run()
    assert list(models_dir.iterdir()) == []


def test_an_existing_file_is_not_fetched_again(files, models_dir):
    Download(url(files), models_dir / "tiny.gguf").run()
    again = Download(url(files), models_dir / "tiny.gguf", sha256=SHA)
    assert again.run() == models_dir / "tiny.gguf" and again.verified
    assert len(files.requests) == 1


def test_plans_from_catalog_names_and_urls(models_dir):
    entry = find("qwen2.5-7b-instruct-q4_k_m")
    assert entry is not None
    planned = plan_download("qwen2.5-7b-instruct-q4_k_m", models_dir)
    assert planned.dest == models_dir / "Qwen2.5-7B-Instruct-Q4_K_M.gguf"
    assert planned.url == entry.url and planned.expected_size == entry.size_bytes
    assert planned.sha256 is None  # the catalog knows none: the CLI says so
    by_url = plan_download("http://127.0.0.1:9/x/My%20Model.gguf", models_dir, SHA.upper())
    assert by_url.dest.name == "My Model.gguf" and by_url.sha256 == SHA
    with pytest.raises(DownloadError, match="no model named 'gpt-9'"):
        plan_download("gpt-9", models_dir)
    with pytest.raises(DownloadError, match="EXL2 folder .* `huggingface-cli download"):
        plan_download("qwen2.5-14b-instruct-exl2-4.0bpw", models_dir)
    with pytest.raises(DownloadError, match="not a sha256 checksum"):
        plan_download("qwen2.5-7b-instruct-q4_k_m", models_dir, "abc")


def test_import_copies_a_gguf_and_refuses_other_files(tmp_path, models_dir):
    source = tmp_path / "mine.gguf"
    source.write_bytes(PAYLOAD)
    reports: list[Progress] = []
    dest = import_model(source, models_dir, reports.append)
    assert dest == models_dir / "mine.gguf" and dest.read_bytes() == PAYLOAD
    assert reports[-1].stage == "done" and source.exists()
    with pytest.raises(DownloadError, match="already installed"):
        import_model(source, models_dir)
    text = tmp_path / "notes.gguf"
    text.write_text("hello")
    with pytest.raises(DownloadError, match="notes.gguf is not a GGUF model"):
        import_model(text, models_dir)
    cancel = threading.Event()
    cancel.set()
    other = tmp_path / "other.gguf"
    other.write_bytes(PAYLOAD)
    with pytest.raises(DownloadCancelled):
        import_model(other, models_dir, cancel=cancel)
    assert sorted(p.name for p in models_dir.iterdir()) == ["mine.gguf"]


# -- the command line -------------------------------------------------------------------------


def test_cli_pull_shows_progress_and_verifies(files, smart_agent_home):
    out = cli("models", "pull", url(files), "--sha256", SHA)
    assert out.returncode == 0, out.stderr
    path = smart_agent_home / "data" / "models" / "tiny.gguf"
    assert out.stdout.strip() == f"gguf:{path}" and path.read_bytes() == PAYLOAD
    assert "done: " in out.stderr and f"sha256 verified: {SHA}" in out.stderr


def test_cli_pull_without_a_checksum_says_so(files, smart_agent_home):
    out = cli("models", "pull", url(files))
    assert out.returncode == 0, out.stderr
    assert f"no checksum known; verify it with --sha256 (this file's sha256: {SHA})" in out.stderr


def test_cli_pull_with_a_wrong_checksum_fails_with_one_line(files, smart_agent_home):
    out = cli("models", "pull", url(files), "--sha256", "1" * 64)
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("smart-agent:")]
    assert len(errors) == 1 and "checksum mismatch" in errors[0]
    assert "Traceback" not in out.stderr
    assert not any((smart_agent_home / "data" / "models").iterdir())


def test_cli_usage_errors_exit_2():
    assert cli("models", "pull", "no-such-model").returncode == 2
    assert cli("models", "pull").returncode == 2
    assert cli("models", "pull", "http://127.0.0.1:9/a.gguf", "--sha256", "xyz").returncode == 2


def test_cli_import_and_the_listing_show_installed_and_partial(tmp_path, smart_agent_home):
    source = tmp_path / "mine.gguf"
    source.write_bytes(PAYLOAD)
    out = cli("models", "import", str(source))
    assert out.returncode == 0, out.stderr
    models = smart_agent_home / "data" / "models"
    (models / "half.gguf.part").write_bytes(b"GGUF" + b"\0" * 100)
    listing = json.loads(cli("models", "--json").stdout)
    kinds = {Path(item["path"]).name: item["kind"] for item in listing["installed"]}
    assert kinds == {"mine.gguf": "gguf", "half.gguf.part": "partial"}
    mine = next(i for i in listing["installed"] if i["kind"] == "gguf")
    assert mine["spec"] == f"gguf:{models / 'mine.gguf'}" and mine["fits"] is True
    text = cli("models").stdout
    assert "unfinished download half.gguf.part" in text and f"gguf:{models / 'mine.gguf'}" in text
