"""The small PNG reader: what pygame writes, every filter, and one line for what it cannot read."""

from __future__ import annotations

import os
import struct
import zlib

import numpy as np
import pytest

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from visualizer.training.png import PngError, png_size, read_png

LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601, as the reader documents


def saved_by_pygame(surface: pygame.Surface, tmp_path) -> bytes:
    path = tmp_path / "image.png"
    pygame.image.save(surface, str(path))
    return path.read_bytes()


def rgb_of(surface: pygame.Surface) -> np.ndarray:
    """(height, width, 3) in 0..1, as pygame holds it."""
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2) / 255.0


def test_an_rgb_image_from_pygame_reads_as_its_luma(tmp_path):
    colours = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    surface = pygame.surfarray.make_surface(colours)  # 5 wide, 7 high
    data = saved_by_pygame(surface, tmp_path)
    assert data[25] == 2  # colour type RGB
    luminance = read_png(data)
    assert luminance.shape == (7, 5) and png_size(data) == (5, 7)
    assert np.allclose(luminance, rgb_of(surface) @ LUMA, atol=1e-12)


def test_an_rgba_image_from_pygame_composites_over_black(tmp_path):
    rng = np.random.default_rng(1)
    surface = pygame.Surface((6, 4), pygame.SRCALPHA)
    for x in range(6):
        for y in range(4):
            surface.set_at((x, y), tuple(int(v) for v in rng.integers(0, 256, 4)))
    data = saved_by_pygame(surface, tmp_path)
    assert data[25] == 6  # colour type RGBA
    alpha = pygame.surfarray.array_alpha(surface).T / 255.0
    assert np.allclose(read_png(data), (rgb_of(surface) @ LUMA) * alpha, atol=1e-12)


def test_a_grey_palette_image_from_pygame_reads_as_its_greys(tmp_path):
    surface = pygame.Surface((8, 8), depth=8)
    surface.set_palette([(i, i, i) for i in range(256)])
    greys = np.arange(64, dtype=np.uint8).reshape(8, 8) * 4
    pygame.surfarray.blit_array(surface, greys.T)
    data = saved_by_pygame(surface, tmp_path)
    assert data[25] == 3  # colour type palette
    assert np.allclose(read_png(data), greys / 255.0, atol=1e-12)


# ------------------------------------------------------------------ grey PNGs, made here


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def encode(samples: np.ndarray, colour: int, filter_type: int = 0, **header) -> bytes:
    """A PNG of ``samples`` (height, width, channels) uint8, every line filtered with
    ``filter_type``: the encoder's side of PNG spec §9, written independently of the reader."""
    height, width, channels = samples.shape
    lines = samples.reshape(height, width * channels).astype(np.int64)
    raw = b""
    for y in range(height):
        line = lines[y]
        above = lines[y - 1] if y else np.zeros_like(line)
        left = np.concatenate([np.zeros(channels, np.int64), line[:-channels]])
        upper_left = np.concatenate([np.zeros(channels, np.int64), above[:-channels]])
        if filter_type == 4:
            p = left + above - upper_left
            pa, pb, pc = np.abs(p - left), np.abs(p - above), np.abs(p - upper_left)
            predicted = np.where(
                (pa <= pb) & (pa <= pc), left, np.where(pb <= pc, above, upper_left)
            )
        else:
            predicted = [0 * line, left, above, (left + above) // 2][filter_type]
        raw += bytes([filter_type]) + bytes(((line - predicted) % 256).astype(np.uint8))
    fields = {"depth": 8, "colour": colour, "interlace": 0} | header
    ihdr = struct.pack(
        ">IIBBBBB", width, height, fields["depth"], fields["colour"], 0, 0, fields["interlace"]
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("filter_type", [0, 1, 2, 3, 4], ids=["none", "sub", "up", "avg", "paeth"])
def test_grey_images_read_exactly_through_every_filter(filter_type):
    grey = np.random.default_rng(filter_type).integers(0, 256, (6, 9, 1), dtype=np.uint8)
    assert np.array_equal(read_png(encode(grey, 0, filter_type)), grey[..., 0] / 255.0)


@pytest.mark.parametrize("filter_type", [1, 3, 4], ids=["sub", "avg", "paeth"])
def test_grey_and_alpha_images_composite_over_black(filter_type):
    pixels = np.random.default_rng(7).integers(0, 256, (5, 4, 2), dtype=np.uint8)
    expected = pixels[..., 0] / 255.0 * (pixels[..., 1] / 255.0)
    assert np.allclose(read_png(encode(pixels, 4, filter_type)), expected, atol=1e-15)


# ------------------------------------------------------------------ refusals

GREY = np.zeros((2, 2, 1), np.uint8)


def damaged_crc() -> bytes:
    data = bytearray(encode(GREY, 0))
    data[-20] ^= 0xFF  # a byte inside the IDAT chunk's data
    return bytes(data)


def with_image_data(data: bytes) -> bytes:
    """A 2×2 grey PNG whose IDAT chunk holds ``data``."""
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def palette(indices: np.ndarray, entries: int | None) -> bytes:
    data = encode(indices, 3)
    if entries is None:
        return data
    at = data.index(b"IDAT") - 4
    return data[:at] + chunk(b"PLTE", bytes(range(3 * entries))) + data[at:]


REFUSALS = {
    "not-png": (b"GIF89a...", "is not a PNG file (its first bytes are not the PNG signature)"),
    "16-bit": (
        encode(GREY, 0, depth=16),
        "has 16 bits per sample (grey); only 8-bit images are read",
    ),
    "interlaced": (encode(GREY, 0, interlace=1), "is interlaced; save it without interlacing"),
    "colour-type": (encode(GREY, 5), "colour type 5 is not a PNG colour type"),
    "truncated": (encode(GREY, 0)[:-14], "ends inside its IDAT chunk; the file is truncated"),
    "no-iend": (encode(GREY, 0)[:-12], "ends before its IEND chunk; the file is truncated"),
    "crc": (damaged_crc(), "has a damaged IDAT chunk (its CRC does not match)"),
    "filter": (
        with_image_data(zlib.compress(b"\x07\x00\x00" * 2)),
        "uses filter type 7, which PNG does not define; the file is damaged",
    ),
    "short-data": (
        with_image_data(zlib.compress(b"\x00\x00\x00")),
        "holds 3 bytes of image data where 2×2 pixels need 6; the file is damaged",
    ),
    "not-deflate": (
        with_image_data(b"not deflate"),
        "has damaged image data (Error -3 while decompressing data: incorrect header check)",
    ),
    "no-palette": (palette(GREY, None), "is a palette image without a palette (PLTE chunk)"),
    "palette-index": (
        palette(np.full((2, 2, 1), 5, np.uint8), 2),
        "uses palette entry 5 of a palette of 2 colours; the file is damaged",
    ),
}


@pytest.mark.parametrize(("data", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_what_it_cannot_read_is_refused_with_one_line(data, message):
    with pytest.raises(PngError) as caught:
        read_png(data)
    assert str(caught.value) == message
