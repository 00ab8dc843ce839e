"""The model manager dialog against a loopback file server: download by URL and from the
catalog with progress, wrong checksum, no space, HTTP errors, cancel and resume, closing
mid-download, importing a local .gguf, and saving the per-role choice."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from app import llm
from app.models.catalog import load_catalog, suggest
from app.models.downloads import Progress
from app.models.hardware import GIB, Machine
from app.settings import Settings
from tests.helpers import runtime, tiny_adapter
from tests.http_fixtures import FileRoute
from tests.loopback import LoopbackServer
from ui.model_manager_dialog import ModelManagerDialog, UrlDialog

pytestmark = pytest.mark.gui

PAYLOAD = b"GGUF" + os.urandom(3 * 1024 * 1024 + 4321)
SHA = hashlib.sha256(PAYLOAD).hexdigest()
MACHINE = Machine(ram_total=8 * GIB, ram_available=6 * GIB)  # a small machine, no GPU


@pytest.fixture
def files():
    with LoopbackServer() as server:
        route = FileRoute(PAYLOAD)
        server.route("GET", "/models/tiny.gguf", route)
        server.file = route  # type: ignore[attr-defined]
        yield server


def url(server: LoopbackServer) -> str:
    return f"{server.url}/models/tiny.gguf"


@pytest.fixture
def dialog(qtbot):
    return open_dialog(qtbot)


def open_dialog(qtbot, **options) -> ModelManagerDialog:
    shown = ModelManagerDialog(runtime(), machine=MACHINE, **options)
    qtbot.addWidget(shown)
    seen: list[Progress] = []
    shown.progressChanged.connect(seen.append)
    shown.seen = seen  # type: ignore[attr-defined]
    changes: list[bool] = []
    shown.modelsChanged.connect(lambda: changes.append(True))
    shown.changes = changes  # type: ignore[attr-defined]
    shown.show()
    return shown


def wait_idle(qtbot, dialog: ModelManagerDialog, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: dialog.job is None, timeout=timeout)


def message(dialog: ModelManagerDialog) -> tuple[str, bool]:
    assert dialog.message_label.isVisible()
    return dialog.message_label.text(), bool(dialog.message_label.property("error"))


def test_opening_lists_catalog_fit_and_machine_without_network(qtbot, monkeypatch):
    calls: list[object] = []

    def no_network(self, request, **kw):
        calls.append(request.url)
        raise AssertionError("the dialog went to the network")

    monkeypatch.setattr(requests.Session, "send", no_network)
    dialog = open_dialog(qtbot)
    assert "Models" in dialog.windowTitle()
    assert "8.0 GiB RAM (6.0 GiB free), no NVIDIA GPU found" in dialog.machine_label.text()
    entries = load_catalog()
    planner = suggest(MACHINE, "planner", entries)
    assert planner is not None and f"planner {planner.name}" in dialog.suggested_label.text()
    assert [row.name for row in dialog.rows] == [e.name for e in entries]
    for entry in entries:
        texts = dialog.row_texts(entry.name)
        assert texts["Model"] == entry.title and texts["Licence"] == entry.licence
        assert texts["Fits"].startswith("✓" if entry.fits(MACHINE) else "✗ too big")
    embedded = next(e for e in entries if e.format == "embedded")
    assert dialog.row_texts(embedded.name)["Status"] == "embedded (default)"
    assert "suggested planner" in dialog.row_texts(planner.name)["Fits"]
    assert dialog.roles_label.text().startswith("In use: planner default · caller default")
    assert not dialog.download_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert calls == []


def test_download_from_url_shows_progress_and_installs(qtbot, files, dialog):
    def fill_in() -> None:
        ask = QApplication.activeModalWidget()
        assert isinstance(ask, UrlDialog)
        ask.url_edit.setText(url(files))
        ask.sha_edit.setText(SHA.upper())
        ask.accept()

    QTimer.singleShot(0, fill_in)
    with qtbot.waitSignal(dialog.modelsChanged, timeout=20000):
        dialog.url_button.click()
    wait_idle(qtbot, dialog)
    dest = dialog.models_dir / "tiny.gguf"
    assert dest.read_bytes() == PAYLOAD
    assert message(dialog) == ("downloaded tiny.gguf; sha256 verified", False)
    moving = [p for p in dialog.seen if p.stage == "downloading"]
    assert moving and moving[-1].done == len(PAYLOAD) == moving[-1].total
    assert dialog.seen[-1].stage == "done"
    assert dialog.row_texts(f"gguf:{dest}")["Status"] == "installed"
    assert dialog.selected() is not None and dialog.selected().spec == f"gguf:{dest}"
    assert not dialog._progress_row.isVisible() and dialog.url_button.isEnabled()


def test_a_wrong_checksum_is_one_red_line_and_leaves_nothing(qtbot, files, dialog):
    assert dialog.download_url(url(files), "0" * 64)
    wait_idle(qtbot, dialog)
    text, error = message(dialog)
    assert error and text.startswith("checksum mismatch for tiny.gguf: expected sha256 0000")
    assert "the downloaded file was deleted" in text and "\n" not in text
    assert list(dialog.models_dir.iterdir()) == []
    assert dialog.changes == [] and dialog.rows[-1].kind == "catalog"


def test_no_space_http_errors_and_bad_input_are_clear_lines(qtbot, files, dialog):
    assert not dialog.download_url("ftp://example.org/a.gguf")
    assert "must start with https://" in message(dialog)[0] and dialog.job is None
    assert not dialog.download_url(url(files), "abc")
    assert message(dialog) == ("'abc' is not a sha256 checksum (64 hexadecimal digits)", True)

    assert dialog.download_url(f"{files.url}/nope.gguf")
    wait_idle(qtbot, dialog)
    assert message(dialog)[1] and "answered 404 (not found) for nope.gguf" in message(dialog)[0]

    dialog.disk_free = lambda folder: 1_000_000
    assert dialog.download_url(url(files))
    wait_idle(qtbot, dialog)
    text, error = message(dialog)
    assert error and text.startswith("not enough disk space for tiny.gguf")
    assert list(dialog.models_dir.iterdir()) == []


def test_cancel_keeps_the_part_and_a_later_download_resumes(qtbot, files, dialog):
    files.file.pause = 0.05  # about 1.3 MB/s: several progress reports before the end
    assert dialog.download_url(url(files), SHA)
    assert dialog._progress_row.isVisible() and dialog.cancel_button.isEnabled()
    assert not dialog.url_button.isEnabled() and not dialog.import_button.isEnabled()
    qtbot.waitUntil(lambda: any(p.done > 0 and p.speed > 0 for p in dialog.seen), timeout=20000)
    line = dialog.progress_label.text()
    assert line.startswith("Downloading tiny.gguf: ") and "MB/s" in line and "left" in line
    assert 0 < dialog.progress_bar.value() < 1000
    dialog.cancel_button.click()
    wait_idle(qtbot, dialog)
    text, error = message(dialog)
    assert not error and text.startswith("the download of tiny.gguf was cancelled")
    assert "kept in tiny.gguf.part — download it again to resume" in text
    part = dialog.models_dir / "tiny.gguf.part"
    kept = part.stat().st_size
    assert 0 < kept < len(PAYLOAD) and not (dialog.models_dir / "tiny.gguf").exists()
    assert dialog.row_texts("tiny.gguf.part")["Status"].startswith("unfinished")
    assert dialog.changes == []

    files.file.pause = 0
    with qtbot.waitSignal(dialog.modelsChanged, timeout=20000):
        assert dialog.download_url(url(files), SHA)
    wait_idle(qtbot, dialog)
    assert (dialog.models_dir / "tiny.gguf").read_bytes() == PAYLOAD and not part.exists()
    assert files.sent("GET", "/models/tiny.gguf")[-1].headers["Range"] == f"bytes={kept}-"
    assert message(dialog) == ("downloaded tiny.gguf; sha256 verified", False)


def test_closing_during_a_download_cancels_it(qtbot, files, dialog):
    files.file.pause = 0.05
    assert dialog.download_url(url(files))
    job = dialog.job
    assert job is not None
    qtbot.waitUntil(lambda: any(p.done > 0 for p in dialog.seen), timeout=20000)
    dialog.close()
    assert not dialog.isVisible() and job.cancel.is_set() and not job.is_alive()
    assert (dialog.models_dir / "tiny.gguf.part").stat().st_size < len(PAYLOAD)
    assert not (dialog.models_dir / "tiny.gguf").exists()


def test_import_a_local_gguf_and_use_it_for_each_role(qtbot, tmp_path, dialog, monkeypatch):
    source = tmp_path / "mine.gguf"
    source.write_bytes(PAYLOAD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    with qtbot.waitSignal(dialog.modelsChanged, timeout=20000):
        dialog.import_button.click()
    wait_idle(qtbot, dialog)
    dest = dialog.models_dir / "mine.gguf"
    assert dest.read_bytes() == PAYLOAD and source.exists()
    assert message(dialog) == ("imported mine.gguf", False)
    texts = dialog.row_texts(f"gguf:{dest}")
    assert texts["Status"] == "installed" and texts["Fits"] == "✓" and texts["Needs"]

    for role in ("planner", "caller", "solver"):
        assert dialog.use_buttons[role].isEnabled()
        dialog.use_buttons[role].click()
        assert Settings.load().get(f"models.{role}") == f"gguf:{dest}"
    assert message(dialog) == (f"solver set to gguf:{dest} and saved", False)
    assert f"caller gguf:{dest}" in dialog.roles_label.text()
    assert len(dialog.changes) == 4  # the import and three roles

    assert dialog.select("default")
    dialog.use_buttons["planner"].click()
    assert Settings.load().get("models.planner") == "default"
    assert Settings.load().get("models.caller") == f"gguf:{dest}"

    text_file = tmp_path / "notes.gguf"
    text_file.write_text("hello")
    assert dialog.import_file(text_file)
    wait_idle(qtbot, dialog)
    assert message(dialog) == ("notes.gguf is not a GGUF model (it does not start with 'GGUF')",
                               True)  # fmt: skip


def test_use_is_refused_for_a_model_not_on_disk(qtbot, dialog):
    row = next(r for r in dialog.rows if r.kind == "catalog" and r.fmt == "gguf")
    assert dialog.select(row.name)
    assert not dialog.use_buttons["planner"].isEnabled() and dialog.download_button.isEnabled()
    assert not dialog.use_selected_as("planner")
    assert message(dialog)[1] and Settings.load().get("models.planner") == "default"


CATALOG = """
schema = 1

[[model]]
name = "tiny-test"
title = "Tiny test model"
format = "gguf"
roles = ["planner", "caller"]
tier = "small"
size_bytes = {size}
licence = "MIT"
context_length = 2048
url = "{url}"
sha256 = "{sha}"
min_ram_gb = 1

[[model]]
name = "big-exl2"
title = "Big EXL2 model"
format = "exl2"
roles = ["planner"]
tier = "large"
size_bytes = 9000000000
licence = "Apache-2.0"
context_length = 32768
url = "https://huggingface.co/someone/big-exl2"
revision = "4.0bpw"
min_vram_gb = 24
"""


def test_download_selected_catalog_entry_then_use_it(qtbot, files, tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG.format(size=len(PAYLOAD), url=url(files), sha=SHA), encoding="utf-8")
    dialog = open_dialog(qtbot, catalog_file=path)
    assert [row.name for row in dialog.rows] == ["tiny-test", "big-exl2"]
    tiny = dialog.row_texts("tiny-test")
    assert tiny["Fits"] == "✓ (suggested planner/caller)" and tiny["Context"] == "2k"
    assert tiny["Size"] == "3.0 MiB" and tiny["Needs"] == "1 GiB RAM" and tiny["Status"] == ""
    big = dialog.row_texts("big-exl2")
    assert big["Fits"] == "✗ too big" and big["Needs"] == "24 GiB VRAM"

    assert dialog.select("big-exl2")
    dialog.download_button.click()
    text, error = message(dialog)
    assert error and "EXL2 folder" in text and "huggingface-cli download someone/big-exl2" in text
    assert files.requests == []

    assert dialog.select("tiny-test")
    with qtbot.waitSignal(dialog.modelsChanged, timeout=20000):
        dialog.download_button.click()
    wait_idle(qtbot, dialog)
    dest = dialog.models_dir / "tiny.gguf"
    assert dest.read_bytes() == PAYLOAD
    assert dialog.row_texts("tiny-test")["Status"] == "installed"
    assert [row.name for row in dialog.rows] == ["tiny-test", "big-exl2"]  # not listed twice
    assert dialog.selected() is not None and dialog.selected().name == "tiny-test"
    assert not dialog.download_button.isEnabled()
    dialog.use_buttons["caller"].click()
    assert Settings.load().get("models.caller") == f"gguf:{dest}"


def test_adapters_in_use_and_the_shipped_ones_switch(qtbot, tmp_path, monkeypatch):
    mine = tiny_adapter(tmp_path / "planner-mine.gguf", rank=4)
    shipped = tiny_adapter(tmp_path / "smollm2-135m-caller.gguf", rank=8)
    monkeypatch.setattr(llm, "shipped_adapter", lambda role: shipped if role == "caller" else None)
    dialog = ModelManagerDialog(runtime(**{"models.planner_adapter": str(mine)}), machine=MACHINE)
    qtbot.addWidget(dialog)
    dialog.show()
    lines = dialog.adapters_label.text().splitlines()
    assert lines[0] == "Adapters:"
    assert lines[1].startswith(f"  planner: {mine} (configured, ") and "rank 4" in lines[1]
    assert lines[2].startswith(f"  caller: {shipped} (shipped, ") and "rank 8" in lines[2]
    assert lines[3] == "  solver: none (the base model alone)"
    assert dialog.shipped_box.isChecked()

    with qtbot.waitSignal(dialog.modelsChanged):
        dialog.shipped_box.click()
    assert Settings.load().get("models.shipped_adapters") is False
    assert Settings.load().get("models.planner_adapter") == str(mine)  # the rest is kept
    assert "caller: none" in dialog.adapters_label.text()
    assert "planner: " + str(mine) in dialog.adapters_label.text()  # chosen: not shipped
    assert "shipped adapters off" in message(dialog)[0]
    dialog.shipped_box.click()
    assert Settings.load().get("models.shipped_adapters") is True
    assert f"caller: {shipped}" in dialog.adapters_label.text()
