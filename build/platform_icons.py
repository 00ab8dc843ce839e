"""Windows .ico and macOS .icns files from the app's PNG icons (resources/icons/smart-agent-N.png).

Both formats can hold PNG images as they are (ICO since Windows Vista, ICNS since OS X 10.7),
so no imaging library is needed and the pixels are exactly the ones the Linux package ships.
PyInstaller (EXE/BUNDLE icons) and Inno Setup (SetupIconFile) read the results from
build/work/icons/. Run as ``python build/platform_icons.py`` or from the spec.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons"
TARGET = ROOT / "build" / "work" / "icons"

# ICNS element types that hold a PNG of the given pixel size (Retina @2x types included).
ICNS_TYPES = {
    b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512,
    b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512,
}  # fmt: skip


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def square_pngs(folder: Path) -> dict[int, bytes]:
    """{size: PNG bytes} of smart-agent-N.png files that really are N×N."""
    images = {}
    for path in folder.glob("smart-agent-*.png"):
        data = path.read_bytes()
        width, height = png_size(data)
        if width == height:
            images[width] = data
    if not images:
        raise SystemExit(f"no smart-agent-N.png icons in {folder}")
    return images


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO of every size up to 256 (the format's limit; 256 is written as 0)."""
    sizes = sorted(size for size in images if size <= 256)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory, blobs = b"", b""
    for size in sizes:
        data = images[size]
        directory += struct.pack(
            "<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset + len(blobs)
        )
        blobs += data
    return header + directory + blobs


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size]
        for kind, size in ICNS_TYPES.items()
        if size in images
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(source: Path = SOURCE, target: Path = TARGET) -> tuple[Path, Path]:
    images = square_pngs(source)
    target.mkdir(parents=True, exist_ok=True)
    ico_path, icns_path = target / "smart-agent.ico", target / "smart-agent.icns"
    ico_path.write_bytes(ico(images))
    icns_path.write_bytes(icns(images))
    return ico_path, icns_path


if __name__ == "__main__":
    for written in write_icons(*(Path(arg) for arg in sys.argv[1:3])):
        print(written)
