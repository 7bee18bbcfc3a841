"""What a config holds: one frozen dataclass per section, with each key's type, range and
choices (``field`` metadata read by ``checks``), and the limits the show itself sets.

``generated_widths`` tells a generated data source's widths from the config alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from visualizer.errors import UserError


class ConfigError(UserError):
    """A config file, key or value is wrong."""


def bounded(
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    above: bool = False,
    below: bool = False,
) -> dict[str, Any]:
    """A field's metadata allowing ``minimum ≤ value ≤ maximum`` (``minimum < value`` if
    ``above``, ``value < maximum`` if ``below``): ``field(metadata=bounded(...))``, a call
    type checkers know has no default."""
    return {"minimum": minimum, "maximum": maximum, "above": above, "below": below}


def may_be_empty() -> dict[str, Any]:
    """A list field's metadata allowing ``[]``: ``field(metadata=may_be_empty())``."""
    return {"empty": True}


MAX_SOFTMAX_UNITS = 10  # the most classes the show lays out and labels
NUMBERED_NEURONS = 6  # hud.numbers: the most neurons per layer whose values fit on screen


@dataclass(frozen=True)
class LessonConfig:
    """What a lesson file (``config/lessons/NAME.yaml``) calls itself; empty outside one."""

    title: str
    description: str


# A parameter as a config file writes it: a bias vector (a list of numbers) or a weight
# matrix (a list of rows of numbers); its shape is checked against ``network.sizes``.
ParameterValues = tuple[float | tuple[float, ...], ...]


@dataclass(frozen=True)
class NetworkConfig:
    """The network (``visualizer.training.network.MLP``).

    ``initial_parameters`` gives starting values for some of ``W1, b1, W2, …`` as the seeds
    write them, each weight matrix one row per neuron of the layer it feeds; parameters it
    does not name keep their random initial values.
    """

    sizes: tuple[int, ...] = field(metadata=bounded(1, 4096))
    hidden_activation: Literal["relu", "sigmoid", "tanh"]
    output: Literal["softmax", "sigmoid"]
    loss: Literal["cross_entropy", "mse"]
    initial_parameters: Mapping[str, ParameterValues]
    batch_norm: bool
    dropout: float = field(metadata=bounded(0.0, 1.0, below=True))


@dataclass(frozen=True)
class ShapesConfig:
    """How large, varied and noisy the generated shapes are (``visualizer.training.shapes``).

    Areas and offsets are in pixels.
    """

    image_size: int = field(metadata=bounded(4, 32))
    min_area: float = field(metadata=bounded(1.0))  # a 5×5 square has area 25
    max_area: float = field(metadata=bounded(1.0))
    max_aspect: float = field(metadata=bounded(1.0, 4.0))  # longest side over shortest side
    max_rotation_degrees: float = field(metadata=bounded(0.0, 45.0))
    max_offset: float = field(metadata=bounded(0.0, 8.0))  # how far the centre may move
    min_brightness: float = field(metadata=bounded(0.0, 1.0))
    noise: float = field(metadata=bounded(0.0, 1.0))  # additive Gaussian noise's std. deviation
    flip_fraction: float = field(metadata=bounded(0.0, 0.5))  # pixels replaced by their opposite
    supersample: int = field(metadata=bounded(1, 16))  # samples per pixel side, for smooth edges


MAX_STROKE_WEIGHT = 4.0  # Inter SemiBold thickened by three bitmap pixels (training/digits.py)


@dataclass(frozen=True)
class DigitsConfig:
    """How large, varied and noisy the generated digits are (``visualizer.training.digits``).

    Offsets are in pixels; scales are the digit's height as a share of the image's side.
    """

    image_size: int = field(metadata=bounded(4, 32))
    min_scale: float = field(metadata=bounded(0.3, 1.0))
    max_scale: float = field(metadata=bounded(0.3, 1.0))
    max_rotation_degrees: float = field(metadata=bounded(0.0, 45.0))
    max_offset: float = field(metadata=bounded(0.0, 8.0))  # how far the centre may move
    min_weight: float = field(metadata=bounded(0.0, MAX_STROKE_WEIGHT))  # 0 Regular, 1 SemiBold
    max_weight: float = field(metadata=bounded(0.0, MAX_STROKE_WEIGHT))
    min_brightness: float = field(metadata=bounded(0.0, 1.0))
    noise: float = field(metadata=bounded(0.0, 1.0))  # additive Gaussian noise's std. deviation
    supersample: int = field(metadata=bounded(1, 16))  # samples per pixel side, for smooth edges


DataSource = Literal["shapes", "digits", "xor", "worked-example", "file"]
GENERATED_SOURCES = ("shapes", "digits")  # drawn afresh from the seed, train_size and test_size


@dataclass(frozen=True)
class DataConfig:
    """What the network learns (``visualizer.training.data``): ``train_size`` and
    ``test_size`` count a generated source's images; ``file`` and ``test_share`` are a
    file source's."""

    source: DataSource
    file: str  # the user's data when source is file (--data PATH)
    test_share: float = field(metadata=bounded(0.0, 0.5, above=True))
    train_size: int = field(metadata=bounded(2, 100_000))
    test_size: int = field(metadata=bounded(2, 10_000))
    shapes: ShapesConfig
    digits: DigitsConfig


@dataclass(frozen=True)
class DataWidths:
    """What the network must fit: input values per sample, classes, and how many training
    samples its batches share out. ``image_side``: the inputs are ``image_side ×
    image_side`` images, or None.
    """

    inputs: int
    classes: int
    image_side: int | None
    train_samples: int


def generated_widths(data: DataConfig) -> DataWidths | None:
    """The widths of every source but a file, from the config alone (None for a file: its
    widths are its data's, which ``fit_network_to_data`` applies)."""
    if data.source in GENERATED_SOURCES:
        style = data.shapes if data.source == "shapes" else data.digits
        side = style.image_size
        classes = 2 if data.source == "shapes" else 10
        return DataWidths(side * side, classes, side, data.train_size)
    if data.source in ("xor", "worked-example"):
        # Two inputs x1, x2; classes "0" and "1"; the four XOR points or the one example.
        return DataWidths(2, 2, None, 4 if data.source == "xor" else 1)
    return None


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = field(metadata=bounded(0, 2**32 - 1))
    epochs: int = field(metadata=bounded(1, 1_000_000))
    batch_size: int = field(metadata=bounded(1, 100_000))
    learning_rate: float = field(metadata=bounded(0.0, 100.0, above=True))
    momentum: float = field(metadata=bounded(0.0, 0.999))
    l2: float = field(metadata=bounded(0.0, 10.0))


@dataclass(frozen=True)
class ChoreographyConfig:
    forward_seconds: float = field(metadata=bounded(0.0, 3600.0, above=True))
    backward_seconds: float = field(metadata=bounded(0.0, 3600.0, above=True))
    update_seconds: float = field(metadata=bounded(0.0, 3600.0, above=True))
    speeds: tuple[float, ...] = field(metadata=bounded(0.0, 1000.0, above=True))
    speed: float = field(metadata=bounded(0.0, 1000.0, above=True))
    max_frame_seconds: float = field(metadata=bounded(0.0, 10.0, above=True))
    batches_per_cycle: int = field(metadata=bounded(1, 1000))
    start_paused: bool


@dataclass(frozen=True)
class HudConfig:
    drawing_hold_seconds: float = field(metadata=bounded(1.0, 3600.0))
    numbers: bool


@dataclass(frozen=True)
class VisualsConfig:
    particles: int = field(metadata=bounded(0, 1_000_000))


@dataclass(frozen=True)
class WindowConfig:
    width: int = field(metadata=bounded(320, 16384))
    height: int = field(metadata=bounded(240, 16384))
    fullscreen: bool
    vsync: bool
    fps_cap: int = field(metadata=bounded(0, 1000))


@dataclass(frozen=True)
class KioskConfig:
    enabled: bool
    display: int = field(metadata=bounded(0, 16))
    hold_seconds: float = field(metadata=bounded(0.0, 86_400.0))
    exit_chord: str
    allow_keys: bool
    cursor_hide_seconds: float = field(metadata=bounded(0.0, 3600.0))
    drift_pixels: int = field(metadata=bounded(0, 100))
    drift_minutes: float = field(metadata=bounded(0.0, 10_000.0, above=True))
    checkpoint_every_epochs: int = field(metadata=bounded(0, 1_000_000))
    lessons: tuple[str, ...] = field(metadata=may_be_empty())
    languages: tuple[str, ...] = field(metadata=may_be_empty())  # offered; home: the first
    status_file: str  # JSON for monitoring; relative: in the state folder; "": none
    screenshots_kept: int = field(metadata=bounded(1, 10_000))
    visitor_mode: bool  # a touch after idle starts a fresh run's story (visualizer/story.py)
    visitor_slow_seconds: float = field(metadata=bounded(1.0, 3600.0))
    visitor_timelapse_seconds: float = field(metadata=bounded(0.0, 3600.0))
    visitor_timelapse_cycle_seconds: float = field(metadata=bounded(0.1, 3600.0))
    visitor_batches_per_cycle: int = field(metadata=bounded(1, 1000))
    idle_seconds: float = field(metadata=bounded(1.0, 86_400.0))
    still_watching_seconds: float = field(metadata=bounded(0.0, 3600.0))


MAX_TEXT_SCALE = 1.6  # the largest HUD text whose panels still fit at 1024×768


@dataclass(frozen=True)
class UiConfig:
    """For every visitor: calmer motion, larger text (docs/exhibit.md)."""

    reduced_motion: bool
    text_scale: float = field(metadata=bounded(1.0, MAX_TEXT_SCALE))
    language: str  # a shipped catalogue's code (visualizer/words.py): en, de, fr, es


@dataclass(frozen=True)
class HeadlessConfig:
    explain: bool  # print every step's quantities (visualizer/explain.py)


@dataclass(frozen=True)
class LoggingConfig:
    level: Literal["debug", "info", "warning", "error"]


@dataclass(frozen=True)
class Config:
    lesson: LessonConfig
    network: NetworkConfig
    data: DataConfig
    training: TrainingConfig
    choreography: ChoreographyConfig
    hud: HudConfig
    visuals: VisualsConfig
    window: WindowConfig
    kiosk: KioskConfig
    ui: UiConfig
    headless: HeadlessConfig
    logging: LoggingConfig

    def replace(self, **sections: Mapping[str, Any]) -> Config:
        """A copy with some keys changed, e.g. ``replace(training={"seed": 3})``."""
        changed = {
            name: dataclasses.replace(getattr(self, name), **values)
            for name, values in sections.items()
        }
        return dataclasses.replace(self, **changed)
