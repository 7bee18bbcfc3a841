"""The digits 0–9: drawn from the shipped glyphs, balanced, seeded, jittered as configured,
and told apart by their pixels; the glyph file is what its script makes."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.resources import resource_path
from visualizer.training import digits
from visualizer.training.data import generate

ROOT = Path(__file__).resolve().parents[1]
GLYPHS = resource_path("assets").joinpath(*digits.GLYPHS_FILE)


@pytest.fixture(scope="module")
def data(default_config):
    return dataclasses.replace(default_config.data, source="digits")


def with_style(data, **changes):
    return dataclasses.replace(data, digits=dataclasses.replace(data.digits, **changes))


STILL = {  # no jitter: every digit upright, in the middle, 0.9 of the side tall, unlit noise
    "max_offset": 0.0,
    "max_rotation_degrees": 0.0,
    "min_scale": 0.9,
    "max_scale": 0.9,
    "noise": 0.0,
    "min_brightness": 1.0,
}


def test_digits_are_8x8_images_in_0_1_of_ten_balanced_classes(data):
    samples = generate(data, 1000, np.random.default_rng(0))
    assert samples.inputs.shape == (1000, 64) and samples.image_side == 8
    assert samples.class_names == tuple("0123456789")
    assert np.bincount(samples.labels).tolist() == [100] * 10
    assert samples.inputs.min() >= 0.0 and samples.inputs.max() <= 1.0
    assert samples.labels[:10].tolist() != list(range(10))  # shuffled, not in class order


def test_the_same_seed_draws_the_same_digits_and_another_seed_others(data):
    a, b = (generate(data, 50, np.random.default_rng(4)) for _ in range(2))
    c = generate(data, 50, np.random.default_rng(5))
    assert np.array_equal(a.inputs, b.inputs) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.inputs, c.inputs)


def test_rendering_in_chunks_draws_the_same_digits(data, monkeypatch):
    whole = generate(data, 30, np.random.default_rng(6))
    monkeypatch.setattr(digits, "_CHUNK_SUBSAMPLES", 7 * (8 * 4) ** 2)  # 7 images a chunk
    assert np.array_equal(generate(data, 30, np.random.default_rng(6)).inputs, whole.inputs)


def test_a_still_digit_stands_in_the_middle_as_tall_as_its_scale(data):
    # Drawn large, so that its ink box can be measured to a pixel: 0.9 × 32 = 28.8 tall.
    large = with_style(data, **STILL, image_size=32, supersample=2)
    samples = generate(large, 20, np.random.default_rng(1))
    for image in samples.inputs.reshape(-1, 32, 32):
        rows, columns = np.nonzero(image > 0.5)
        assert abs((rows.min() + rows.max() + 1) / 2 - 16) <= 1.0
        assert abs((columns.min() + columns.max() + 1) / 2 - 16) <= 1.0
        assert abs(rows.max() + 1 - rows.min() - 28.8) <= 1.5


def test_a_heavier_stroke_weight_lays_more_ink(data):
    ink = [
        generate(
            with_style(data, **STILL, min_weight=w, max_weight=w), 100, np.random.default_rng(2)
        )
        .inputs.sum(axis=1)
        .mean()
        for w in (0.0, 1.0, 2.0, 3.0, 4.0)
    ]
    assert all(b > a * 1.1 for a, b in itertools.pairwise(ink))


def test_the_ten_digits_are_told_apart_by_their_pixels(data):
    """Recognisable: fresh digits lie nearest their own class's mean image nearly always,
    with the default jitter (wrong glyphs for a label, or a garbled resampling, fail this)."""
    known = generate(data, 2000, np.random.default_rng(0))
    fresh = generate(data, 1000, np.random.default_rng(1))
    means = np.array([known.inputs[known.labels == k].mean(axis=0) for k in range(10)])
    distances = ((fresh.inputs[:, None, :] - means[None]) ** 2).sum(axis=2)
    assert np.mean(distances.argmin(axis=1) == fresh.labels) > 0.85


def test_the_glyph_file_holds_each_digit_centred_by_its_ink_box():
    with np.load(GLYPHS, allow_pickle=False) as file:
        glyphs, height = file["glyphs"], int(file["height"])
    assert glyphs.shape == (2, 10, 64, 64) and glyphs.dtype == np.uint8
    for glyph in glyphs.reshape(-1, 64, 64):
        rows, columns = np.nonzero(glyph)
        assert abs((rows.min() + rows.max()) / 2 - 31.5) <= 0.5
        assert abs((columns.min() + columns.max()) / 2 - 31.5) <= 0.5
        assert rows.max() - rows.min() + 1 <= height
    assert 40 <= height <= 56  # room around it to tilt and thicken


def test_the_glyph_script_makes_the_shipped_file_byte_for_byte(tmp_path):
    def make(name: str) -> bytes:
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "scripts/make_digit_glyphs.py", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        return out.read_bytes()

    made = make("glyphs.npz")
    with np.load(GLYPHS, allow_pickle=False) as shipped, np.load(tmp_path / "glyphs.npz") as new:
        same_freetype = str(shipped["made_with"]) == str(new["made_with"])
    # Another FreeType may rasterise other bytes; then the script must still repeat itself.
    assert made == (GLYPHS.read_bytes() if same_freetype else make("again.npz"))
