"""Rasterise the digits 0–9 from the shipped Inter fonts into assets/digits/glyphs.npz.

    python scripts/make_digit_glyphs.py [OUT.npz]

The digits generator (visualizer/training/digits.py) draws its 8×8 images from these
bitmaps with numpy alone, so the fonts are read once, here, and never at run time.

The file holds ``glyphs``: uint8 coverage 0..255 of shape (weights, 10, SIDE, SIDE), one
SIDE×SIDE bitmap per font weight (Inter Regular, then SemiBold) and digit, each rendered
at one point size (so "1" stays narrower than "0") and centred by its ink box; ``height``:
the tallest digit's ink height in bitmap pixels (what a scale is measured against); and
``made_with``: the fonts and the FreeType that drew them. The bytes are reproducible: the
same FreeType draws the same file (a stored zip, with no timestamps).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import zipfile
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame.freetype

ROOT = Path(__file__).resolve().parents[1]
FONTS = ("Inter-Regular.otf", "Inter-SemiBold.otf")  # stroke weight 0 and 1
DIGITS = "0123456789"
SIDE = 64  # bitmap pixels per side
POINT_SIZE = 64  # digits come out 47–49 pixels tall: room to rotate and thicken
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the file


def rasterise(font_path: Path) -> np.ndarray:
    """The ten digits of one font: (10, SIDE, SIDE) uint8, each centred by its ink box."""
    font = pygame.freetype.Font(str(font_path), POINT_SIZE)
    glyphs = np.zeros((len(DIGITS), SIDE, SIDE), np.uint8)
    for index, digit in enumerate(DIGITS):
        raw, (width, height) = font.render_raw(digit)
        coverage = np.frombuffer(raw, np.uint8).reshape(height, width)
        rows, columns = np.nonzero(coverage)
        ink = coverage[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
        top, left = (SIDE - ink.shape[0]) // 2, (SIDE - ink.shape[1]) // 2
        glyphs[index, top : top + ink.shape[0], left : left + ink.shape[1]] = ink
    return glyphs


def ink_height(glyphs: np.ndarray) -> int:
    rows = np.nonzero(glyphs.any(axis=(0, 1, 3)))[0]
    return int(rows.max() - rows.min() + 1)


def freetype_version() -> str:
    """Which FreeType rasterised the glyphs: another version may draw other bytes."""
    return "FreeType " + ".".join(map(str, pygame.freetype.get_version()))


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez`` without its timestamps, so the same arrays give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(zipfile.ZipInfo(f"{name}.npy", ZIP_EPOCH), "w") as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "assets/digits/glyphs.npz")
    args = parser.parse_args()
    pygame.freetype.init()
    glyphs = np.stack([rasterise(ROOT / "assets" / "fonts" / name) for name in FONTS])
    made_with = f"{', '.join(FONTS)} at {POINT_SIZE} px by {freetype_version()}"
    write_npz(
        args.out,
        {
            "glyphs": glyphs,
            "height": np.array(ink_height(glyphs)),
            "made_with": np.array(made_with),
        },
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
