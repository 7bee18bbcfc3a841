"""A small PNG reader for the user's training images: numpy and zlib, no other dependency.

Contract: ``png_size(data)`` is ``(width, height)`` from the header alone (cheap: check
it before decoding); ``read_png(data)`` decodes the whole image into its luminance,
``(height, width)`` float64 in 0..1, row 0 at the top. Read: 8 bits per sample, grey,
grey + alpha, RGB, RGBA and palette (with a ``tRNS`` chunk's alpha), not interlaced; every
chunk's CRC is checked. Anything else — another bit depth, interlacing, a truncated or
damaged file — raises ``PngError`` whose message is one line saying what is wrong.

Luminance is ITU-R BT.601 luma of the stored (gamma-encoded) values, 0.299 R + 0.587 G +
0.114 B, as most image libraries convert colour to grey; alpha composites over black (the
show's background): a transparent pixel is dark. A grey or RGB image's colour key
(``tRNS``) is ignored.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type → samples per pixel
_COLOUR_NAMES = {0: "grey", 2: "RGB", 3: "palette", 4: "grey + alpha", 6: "RGBA"}
_LUMA = np.array([0.299, 0.587, 0.114])


class PngError(ValueError):
    """The bytes are not a PNG this reader can decode; the message says why, in one line."""


def png_size(data: bytes) -> tuple[int, int]:
    """``(width, height)`` from the header."""
    width, height, *_ = _header(data)
    return width, height


def read_png(data: bytes) -> np.ndarray:
    """The image's luminance, ``(height, width)`` in 0..1."""
    width, height, depth, colour, interlace = _header(data)
    if colour not in _CHANNELS:
        raise PngError(f"colour type {colour} is not a PNG colour type")
    if depth != 8:
        raise PngError(
            f"has {depth} bits per sample ({_COLOUR_NAMES[colour]}); only 8-bit images are read"
        )
    if interlace:
        raise PngError("is interlaced; save it without interlacing")
    chunks = _chunks(data)
    samples = _samples(chunks, width, height, colour)
    values = _from_palette(samples[..., 0], chunks) if colour == 3 else samples / 255.0
    if colour in (3, 4, 6):  # the last channel is alpha: composite over black
        values = values[..., :-1] * values[..., -1:]
    return values @ _LUMA if values.shape[-1] == 3 else values[..., 0]


def _header(data: bytes) -> tuple[int, int, int, int, int]:
    if not data.startswith(SIGNATURE):
        raise PngError("is not a PNG file (its first bytes are not the PNG signature)")
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise PngError("has no IHDR header; the file is damaged")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if width == 0 or height == 0:
        raise PngError(f"is {width}×{height} pixels: it holds no image")
    return width, height, depth, colour, interlace


def _chunks(data: bytes) -> dict[bytes, list[bytes]]:
    """Every chunk's data by type, in order, each CRC checked."""
    chunks: dict[bytes, list[bytes]] = {}
    position = len(SIGNATURE)
    while True:
        if position + 8 > len(data):
            raise PngError("ends before its IEND chunk; the file is truncated")
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 8 + length
        if end + 4 > len(data):
            raise PngError(f"ends inside its {kind.decode('latin-1')} chunk; the file is truncated")
        body = data[position + 8 : end]
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if zlib.crc32(kind + body) != crc:
            raise PngError(f"has a damaged {kind.decode('latin-1')} chunk (its CRC does not match)")
        if kind == b"IEND":
            return chunks
        chunks.setdefault(kind, []).append(body)
        position = end + 4


def _samples(chunks: dict[bytes, list[bytes]], width: int, height: int, colour: int) -> np.ndarray:
    """The decompressed, unfiltered samples, ``(height, width, channels)`` uint8."""
    try:
        raw = zlib.decompress(b"".join(chunks.get(b"IDAT", [])))
    except zlib.error as error:
        raise PngError(f"has damaged image data ({error})") from None
    per_pixel = _CHANNELS[colour]
    stride = width * per_pixel
    if len(raw) != height * (stride + 1):
        raise PngError(
            f"holds {len(raw)} bytes of image data where {width}×{height} pixels need "
            f"{height * (stride + 1)}; the file is damaged"
        )
    rows = np.frombuffer(raw, np.uint8).reshape(height, stride + 1)
    samples = np.zeros((height + 1, stride), np.uint8)  # row 0: the zeros above the image
    for y in range(height):
        samples[y + 1] = _unfilter(rows[y, 0], rows[y, 1:], samples[y], per_pixel)
    return samples[1:].reshape(height, width, per_pixel)


def _unfilter(kind: int, line: np.ndarray, above: np.ndarray, step: int) -> np.ndarray:
    """One scanline's samples from its filtered bytes and the line above (PNG spec §9)."""
    if kind == 0:
        return line
    if kind == 2:
        return line + above  # uint8 arithmetic wraps modulo 256, as the spec says
    if kind not in (1, 3, 4):
        raise PngError(f"uses filter type {kind}, which PNG does not define; the file is damaged")
    out = bytearray(line.tobytes())
    up = above.tobytes()
    for i in range(len(out)):
        left = out[i - step] if i >= step else 0
        if kind == 1:
            predicted = left
        elif kind == 3:
            predicted = (left + up[i]) >> 1
        else:
            upper_left = up[i - step] if i >= step else 0
            predicted = _paeth(left, up[i], upper_left)
        out[i] = (out[i] + predicted) & 0xFF
    return np.frombuffer(bytes(out), np.uint8)


def _paeth(left: int, up: int, upper_left: int) -> int:
    estimate = left + up - upper_left
    distances = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
    if distances[0] <= distances[1] and distances[0] <= distances[2]:
        return left
    return up if distances[1] <= distances[2] else upper_left


def _from_palette(indices: np.ndarray, chunks: dict[bytes, list[bytes]]) -> np.ndarray:
    """Palette indices → RGBA in 0..1."""
    if b"PLTE" not in chunks:
        raise PngError("is a palette image without a palette (PLTE chunk)")
    palette = np.frombuffer(chunks[b"PLTE"][0], np.uint8)
    if len(palette) % 3:
        raise PngError("has a palette whose length is not a multiple of 3; the file is damaged")
    colours = palette.reshape(-1, 3) / 255.0
    alpha = np.ones(len(colours))
    if b"tRNS" in chunks:
        given = np.frombuffer(chunks[b"tRNS"][0], np.uint8)[: len(colours)] / 255.0
        alpha[: len(given)] = given
    index = indices.astype(np.intp)
    if index.max() >= len(colours):
        raise PngError(
            f"uses palette entry {index.max()} of a palette of {len(colours)} colours; "
            "the file is damaged"
        )
    return np.concatenate([colours[index], alpha[index][..., None]], axis=-1)
