"""Settings → Models offers installed models, the catalog with fit, and Browse (issue 15)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from app.models.catalog import load_catalog
from ui.model_picker import OTHER, ModelPicker, SpecRole

pytestmark = pytest.mark.gui


def rows(picker: ModelPicker) -> list[tuple[str, object, bool]]:
    model = picker.combo.model()
    return [
        (picker.combo.itemText(i), picker.combo.itemData(i, SpecRole), model.item(i).isEnabled())
        for i in range(picker.combo.count())
    ]


def test_the_list_holds_default_installed_and_the_catalog(qtbot, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    mine = models / "mine.gguf"
    mine.write_bytes(b"GGUF" + b"\0" * 2048)
    picker = ModelPicker("default", models)
    qtbot.addWidget(picker)
    listed = rows(picker)
    assert listed[0][1] == "default" and "Embedded" in listed[0][0] and listed[0][2]
    assert picker.value() == "default" and not picker.other.isVisibleTo(picker)
    installed = [r for r in listed if r[1] == f"gguf:{mine}"]
    assert installed and "installed" in installed[0][0] and installed[0][2]
    catalog = [r for r in listed if "not downloaded" in r[0]]
    gguf_entries = [e for e in load_catalog() if e.format != "embedded"]
    assert len(catalog) == len(gguf_entries)
    assert all(not enabled for _, _, enabled in catalog)  # File → Models… downloads them
    assert all("fits this machine" in t or "too big" in t for t, _, _ in catalog)
    assert any(e.licence in catalog[0][0] for e in gguf_entries)
    picker.combo.setCurrentIndex(listed.index(installed[0]))
    assert picker.value() == f"gguf:{mine}"


def test_a_two_core_machine_sees_the_big_models_as_too_big(qtbot, tmp_path):
    from app.models.hardware import GIB, Machine

    picker = ModelPicker("default", tmp_path, machine=Machine(64 * GIB, 60 * GIB, (), 2))
    qtbot.addWidget(picker)
    big = [t for t, _, _ in rows(picker) if "14B" in t or "14b" in t.lower()]
    assert big and all("too big for this machine" in t for t in big)


def test_browse_and_other_give_any_model(qtbot, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.gguf"
    elsewhere.write_bytes(b"GGUF")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(elsewhere), "GGUF models (*.gguf)")
    )
    picker = ModelPicker("openai:http://127.0.0.1:8080/v1#local", tmp_path / "none")
    qtbot.addWidget(picker)
    assert picker.combo.currentText() == OTHER and picker.other.isVisibleTo(picker)
    assert picker.value() == "openai:http://127.0.0.1:8080/v1#local"
    picker.browse.click()
    assert picker.value() == f"gguf:{elsewhere}"
    assert "chosen file" in picker.combo.currentText()
    again = ModelPicker(f"gguf:{elsewhere}", tmp_path / "none")  # a saved choice shows as such
    qtbot.addWidget(again)
    assert again.value() == f"gguf:{elsewhere}" and "chosen file" in again.combo.currentText()
