"""What a config will cost in memory, estimated before anything is allocated.

Contract: ``check_memory(config, picture=None, headless=False)`` raises ``UserError``
when the estimate for ``config`` (in the show, or headless; offscreen with a picture of
``picture`` pixels) exceeds ``memory_limit()``, with one line giving both figures and
naming the keys that cost the most; ``estimate(...)`` returns the parts, in bytes.
Nothing here allocates: the figures are arithmetic on the config.

The estimate is an upper bound, checked against ``tracemalloc``'s peaks (figures
below); by it, the default show needs 14 MB (36 MB offscreen at 1280×720). Parts:

- **parameters**: float64 copies of every weight and bias: the network's own (weights,
  gradients, masks, scratch), the optimizer's velocity, the records in flight (each
  holds the weights before and after and the gradients), in the show also the
  trainer's snapshot, a checkpoint being written, the renderer's and the drawing
  probe's. Measured: 14 copies headless, 24 in the show's trainer and its records alone;
  counted: ``HEADLESS_PARAMETER_COPIES`` and ``SHOW_PARAMETER_COPIES``;
- **activations**: the network keeps, per batch size it has seen, about four float64
  buffers as wide as all its layers together, for a batch, the last batch, and the
  training and test sets (scored at each epoch's end);
- **images** (or a file's samples): both sets as float64 (twice: one more copy while a
  checkpoint's digest is taken), plus generating the larger set of shapes or digits:
  measured, up to 34 and 40 bytes a pixel, and for one chunk of subsamples (both
  generators draw in chunks) 40 and 95 bytes a subsample, with the digits' glyphs;
- **history**: every finished epoch's figures, kept by the run and by the show's curves
  (about 420 bytes an epoch, counted as ``HISTORY_BYTES_PER_EPOCH``); the batches' losses
  are thinned to at most ``CAPACITY`` points (``training/thinning.py``), so they need
  well under a megabyte however long the run;
- **picture** (offscreen only): 24 bytes a pixel: the target, the two baked pictures,
  the read-back copy and the PNG being encoded.
"""

from __future__ import annotations

import os

from visualizer.config import GENERATED_SOURCES, Config
from visualizer.errors import UserError
from visualizer.training.parameters import parameter_count
from visualizer.training.thinning import CAPACITY
from visualizer.training.user_data import load_table

GIB = 1 << 30
MEMORY_CAP = 4 * GIB  # never more than this, however large the machine
SHOW_PARAMETER_COPIES = 32
HEADLESS_PARAMETER_COPIES = 16
ACTIVATION_BUFFERS = 4
IMAGE_COPIES = 2
GENERATION_BYTES_PER_PIXEL = 40
GENERATION_BYTES_PER_SUBSAMPLE = {"shapes": 40, "digits": 100}  # measured: 40 and 95
GENERATION_CHUNK_BYTES = 256 << 20  # both draw at most this many subsamples' worth at once
PICTURE_BYTES_PER_PIXEL = 24
HISTORY_BYTES_PER_EPOCH = 512
CURVE_BYTES = 4 * 64 * CAPACITY  # a few copies of the thinned loss curve, as Python lists
FLOAT = 8

# What each part is made of, for the message: the keys a user can turn down.
KEYS = {
    "parameters": "network.sizes",
    "activations": "network.sizes, data.train_size, data.test_size",
    "images": "data.train_size, data.test_size, data.{source}.image_size or .supersample",
    "history": "training.epochs",
    "picture": "--size",
}


def memory_limit() -> int:
    """The lesser of ``MEMORY_CAP`` and half of this machine's memory (if it says)."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return MEMORY_CAP
    return min(MEMORY_CAP, physical // 2) if physical > 0 else MEMORY_CAP


def estimate(
    config: Config, picture: tuple[int, int] | None = None, headless: bool = False
) -> dict[str, int]:
    """Bytes each part of a show (or a headless run) of ``config`` may need at once."""
    sizes = config.network.sizes
    train, test = _samples(config)
    batch = min(config.training.batch_size, train)
    copies = HEADLESS_PARAMETER_COPIES if headless else SHOW_PARAMETER_COPIES
    parts = {
        "parameters": copies * FLOAT * parameter_count(sizes, config.network.batch_norm),
        "activations": ACTIVATION_BUFFERS * FLOAT * (train + test + 2 * batch) * sum(sizes),
        "images": IMAGE_COPIES * FLOAT * (train + test) * sizes[0] + _generation(config),
        "history": HISTORY_BYTES_PER_EPOCH * config.training.epochs + CURVE_BYTES,
    }
    if picture is not None:
        parts["picture"] = PICTURE_BYTES_PER_PIXEL * picture[0] * picture[1]
    return parts


def _samples(config: Config) -> tuple[int, int]:
    """How many training and test samples the run holds."""
    data = config.data
    if data.source in GENERATED_SOURCES:
        return data.train_size, data.test_size
    if data.source == "file":  # read (and cached) already, to fit the network to it
        table = load_table(data.file)
        train = table.widths(data.test_share).train_samples
        return train, len(table.labels) - train
    return 4, 4  # xor's four points, or the worked example's one, as train and test


def _generation(config: Config) -> int:
    """What drawing the larger generated set needs on top of the images themselves."""
    data = config.data
    if data.source not in GENERATED_SOURCES:
        return 0
    style = data.shapes if data.source == "shapes" else data.digits
    largest = max(data.train_size, data.test_size)
    subsamples = largest * (style.image_size * style.supersample) ** 2
    pixels = largest * style.image_size**2
    chunk = min(GENERATION_CHUNK_BYTES, GENERATION_BYTES_PER_SUBSAMPLE[data.source] * subsamples)
    return GENERATION_BYTES_PER_PIXEL * pixels + chunk


def check_memory(
    config: Config, picture: tuple[int, int] | None = None, headless: bool = False
) -> None:
    """``UserError`` if ``config`` would need more memory than ``memory_limit()``."""
    parts = estimate(config, picture, headless)
    total, limit = sum(parts.values()), memory_limit()
    if total <= limit:
        return
    costliest = max(parts, key=parts.__getitem__)
    raise UserError(
        f"this config would need about {_gib(total)} of memory, more than the "
        f"{_gib(limit)} allowed (the lesser of {_gib(MEMORY_CAP)} and half this machine's "
        f"memory), most of it for the {costliest} ({_gib(parts[costliest])}): make "
        f"{_keys(costliest, config)} smaller"
    )


def _keys(part: str, config: Config) -> str:
    """The keys behind ``part`` for this config's data source (a file's is its size)."""
    source = config.data.source
    if source not in GENERATED_SOURCES and part in ("activations", "images"):
        return "network.sizes or data.file" if part == "activations" else "data.file"
    return KEYS[part].format(source=source)


def _gib(count: int) -> str:
    return f"{count / GIB:,.1f} GiB"
