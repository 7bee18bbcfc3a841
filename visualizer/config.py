"""The one typed, frozen configuration object, built from YAML before anything starts.

Contract: ``load_config(path=None, overrides=())`` reads the built-in ``config/default.yaml``
(the single source of default values, with a comment per key), merges an optional user
file and ``--set a.b=value`` overrides (values parsed as YAML) over it, and validates the
result into ``Config``. Anything wrong raises ``ConfigError`` whose message is one line
naming the key, the value and what was expected (and, for an unknown key, the nearest
valid one). ``dump_config`` renders the effective config as YAML.

The network's ends must fit its data: ``generated_widths`` tells every source's widths
from the config alone, except a file's, which only its data can tell. Those are read
outside this module (``training.data.fit_to_data`` loads the file) and passed in as plain
numbers to ``fit_network_to_data``, which sets ``network.sizes``' ends and validates again.

Types come from the dataclass annotations; ranges and choices from ``field`` metadata.
A key is a section when its type is a config dataclass; every other key, a mapping such as
``network.initial_parameters`` included, is one value that a file or ``--set`` replaces
whole.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from visualizer.errors import UserError, excerpt, one_line
from visualizer.kiosk import chord_parts
from visualizer.resources import resource_path
from visualizer.yaml_input import InputRefused, load_yaml, read_regular_file


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


DEFAULT_CONFIG_FILE = "default.yaml"
MAX_CONFIG_BYTES = 1_000_000  # a config is a few kB; this reads no device and no FIFO
LESSONS_FOLDER = "lessons"  # config/lessons/NAME.yaml: partial configs, each a lesson
DEFAULT_LESSON = "shapes"  # today's show: what runs without --lesson and --config
# The order the picker and --list-lessons give them in; other lesson files follow by name.
LESSON_ORDER = ("shapes", "xor", "worked-example", "digits", "minitorch")


def lesson_names() -> tuple[str, ...]:
    """Every lesson shipped in ``config/lessons/``, in ``LESSON_ORDER``."""
    stems = {path.stem for path in (resource_path("config") / LESSONS_FOLDER).glob("*.yaml")}
    known = tuple(name for name in LESSON_ORDER if name in stems)
    return known + tuple(sorted(stems - set(known)))


def lesson_file(name: str) -> Path:
    """The file of the lesson ``name``, or a ConfigError listing the lessons."""
    names = lesson_names()
    if name not in names:
        raise ConfigError(f"unknown lesson {excerpt(name)}; the lessons are {', '.join(names)}")
    return resource_path("config") / LESSONS_FOLDER / f"{name}.yaml"


def load_config(
    path: str | Path | None = None, overrides: Iterable[str] = (), lesson: str | None = None
) -> Config:
    """Defaults, then the ``lesson``'s file, then the file at ``path``, then each
    ``KEY=VALUE`` override; validated."""
    merged = _read_yaml(resource_path("config") / DEFAULT_CONFIG_FILE, "the built-in defaults")
    sources: dict[str, str] = {}
    if lesson is not None:
        _merge(
            merged, _read_yaml(lesson_file(lesson), f"lesson {lesson}"), f"lesson {lesson}", sources
        )
    if path is not None:
        _merge(merged, _read_yaml(Path(path), str(path)), str(path), sources)
    for override in overrides:
        key, value = parse_override(override)
        _merge(merged, _nest(key, value), "--set", sources)
    return _build(Config, merged, "", sources)


def fit_network_to_data(config: Config, widths: DataWidths, origin: str) -> Config:
    """``config`` with ``network.sizes`` starting and ending as ``widths`` require (the hidden
    sizes kept), validated again; ``origin`` names the data in any error, e.g. ``data.file
    x.csv``."""
    outputs = _output_units(config.network.output, widths, origin)
    plain = _plain(config)
    plain["network"]["sizes"] = [widths.inputs, *config.network.sizes[1:-1], outputs]
    fitted = _build(Config, plain, "", {"network.sizes": origin})
    _check_batch_norm_batches(fitted, widths.train_samples)
    return fitted


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``a.b=value`` and parse the value as YAML (so 3 is an int, [1, 2] a list)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--set expects KEY=VALUE, e.g. training.seed=3; got {excerpt(text)}")
    try:
        value = load_yaml(raw) if raw.strip() else ""
    except (yaml.YAMLError, InputRefused) as error:
        raise ConfigError(
            f"--set {one_line(key, 60)}: cannot parse {excerpt(raw)} as a value "
            f"({one_line(error, 120)})"
        ) from None
    return key, value


def allowed(key: str, value: Any) -> bool:
    """Whether ``value`` is a valid setting of the dotted ``key`` (type and range), as it
    would be in a file; e.g. for values that come back from a checkpoint."""
    *sections, name = key.split(".")
    section: Any = Config
    for part in sections:
        section = typing.get_type_hints(section)[part]
    spec = next(f for f in dataclasses.fields(section) if f.name == name)
    try:
        _coerce(value, typing.get_type_hints(section)[name], spec.metadata, key)
    except ConfigError:
        return False
    return True


def dump_config(config: Config) -> str:
    """The config as YAML, in the same shape the files use. For a file source the line of
    ``network.sizes`` says that its ends are the data's."""
    text = yaml.safe_dump(
        _plain(config), sort_keys=False, allow_unicode=True, default_flow_style=None
    )
    if config.data.source == "file":
        text = re.sub(r"^(  sizes: .*)$", rf"\1{_FITTED_NOTE}", text, count=1, flags=re.M)
    return text


_FITTED_NOTE = "  # first and last: the inputs and classes of data.file"


# ------------------------------------------------------------------ reading files


def _read_yaml(path: Path, label: str) -> dict[str, Any]:
    try:
        text = read_regular_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"config file {label} not found; check the path") from None
    except (OSError, InputRefused) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ConfigError(f"cannot read config file {label}: {one_line(why, 120)}") from None
    try:
        data = load_yaml(text)
    except (yaml.YAMLError, InputRefused) as error:
        raise ConfigError(
            f"config file {label} is not valid YAML: {one_line(error, 160)}"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file {label} must hold sections like 'training:', not a {type(data).__name__}"
        )
    return data


def _nest(dotted: str, value: Any) -> dict[str, Any]:
    nested: Any = value
    for part in reversed(dotted.split(".")):
        nested = {part: nested}
    return nested


def _merge(
    base: dict[str, Any],
    update: dict[str, Any],
    source: str,
    sources: dict[str, str],
    section: type = Config,
    prefix: str = "",
) -> None:
    """Merge ``update`` into ``base`` (the keys of ``section``) in place, noting in
    ``sources`` where each value came from; unknown keys are errors naming the nearest
    valid key."""
    hints = typing.get_type_hints(section)
    for key, value in update.items():
        dotted = f"{prefix}{key}"
        if key not in base:
            raise ConfigError(_unknown_key_message(dotted, list(base), prefix, source))
        kind = hints.get(key)
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{dotted} ({source}) is a section; give keys under it, "
                    f"e.g. {dotted}.{next(iter(base[key]))}: ..."
                )
            _merge(base[key], value, source, sources, kind, f"{dotted}.")
        else:
            base[key] = value
            sources[dotted] = source


def _unknown_key_message(dotted: str, valid: list[str], prefix: str, source: str) -> str:
    name = dotted.rsplit(".", 1)[-1]
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
    hint = f"did you mean '{prefix}{close[0]}'?" if close else f"valid keys: {', '.join(valid)}"
    return f"unknown config key '{dotted}' ({source}); {hint}"


# ------------------------------------------------------------------ validation


def _build(cls: type, data: dict[str, Any], prefix: str, sources: dict[str, str]):
    hints = typing.get_type_hints(cls)
    values = {}
    for spec in dataclasses.fields(cls):
        dotted = f"{prefix}{spec.name}"
        if spec.name not in data:
            raise ConfigError(f"config key '{dotted}' is missing from the built-in defaults")
        kind = hints[spec.name]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            values[spec.name] = _build(kind, data[spec.name], f"{dotted}.", sources)
            continue
        try:
            values[spec.name] = _coerce(data[spec.name], kind, spec.metadata, dotted)
        except ConfigError as error:
            source = sources.get(dotted, "the built-in defaults")
            raise ConfigError(f"{error} (set in {source})") from None
    config = cls(**values)
    _check_relations(config)
    return config


def _coerce(value: Any, kind: Any, limits: Mapping[str, Any], key: str) -> Any:
    origin = typing.get_origin(kind)
    if origin is Literal:
        choices = typing.get_args(kind)
        if value not in choices:
            options = ", ".join(str(c) for c in choices)
            raise ConfigError(f"{key} must be one of {options}; got {excerpt(value)}")
        return value
    if origin is types.UnionType:
        # A union pairs a scalar with a list type (float | tuple[float, ...]): the value's
        # own form picks the member, so that an error speaks of what was meant.
        scalar, listed = sorted(typing.get_args(kind), key=lambda k: typing.get_origin(k) is tuple)
        return _coerce(value, listed if isinstance(value, list) else scalar, limits, key)
    if origin is Mapping:
        name_kind, value_kind = typing.get_args(kind)
        if not isinstance(value, dict):
            raise ConfigError(
                f"{key} must be a mapping of names to values, or {{}}; got {excerpt(value)}"
            )
        return {
            _coerce(name, name_kind, {}, f"{key}: a name"): _coerce(
                item, value_kind, limits, f"{key}.{name}"
            )
            for name, item in value.items()
        }
    if origin is tuple:
        item_kind = typing.get_args(kind)[0]
        empty = limits.get("empty", False)
        if not isinstance(value, list) or not (value or empty):
            raise ConfigError(
                f"{key} must be a {'' if empty else 'non-empty '}list of "
                f"{_describe(item_kind)}; got {excerpt(value)}"
            )
        return tuple(
            _coerce(item, item_kind, limits, f"{key}[{i}]") for i, item in enumerate(value)
        )
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false; got {excerpt(value)}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be text; got {excerpt(value)}")
        return value
    if kind in (int, float):
        return _number(value, kind, limits, key)
    raise TypeError(f"unsupported config type {kind} for {key}")  # a bug in this module


def _number(value: Any, kind: type, limits: Mapping[str, Any], key: str) -> int | float:
    if kind is int and isinstance(value, float) and value.is_integer():
        value = int(value)  # 1e6 epochs: scientific notation reads as a float
    exact_int = isinstance(value, int) and not isinstance(value, bool)
    if kind is int and not exact_int:
        raise ConfigError(f"{key} must be a whole number; got {excerpt(value)}")
    if kind is float:
        if not (exact_int or isinstance(value, float)):
            raise ConfigError(f"{key} must be a number; got {excerpt(value)}")
        if not math.isfinite(value):
            raise ConfigError(f"{key} must be a finite number; got {excerpt(value)}")
        value = float(value)
    low, high, above = limits.get("minimum"), limits.get("maximum"), limits.get("above")
    if low is not None and (value <= low if above else value < low):
        relation = f"> {low:g}" if above else f">= {low:g}"
        raise ConfigError(f"{key} must be {relation}; got {excerpt(value)}")
    below = limits.get("below")
    if high is not None and (value >= high if below else value > high):
        relation = f"< {high:g}" if below else f"<= {high:g}"
        raise ConfigError(f"{key} must be {relation}; got {excerpt(value)}")
    return value


def _describe(kind: Any) -> str:
    """Values of ``kind``, in the plural: "numbers", "lists of numbers", …"""
    origin = typing.get_origin(kind)
    if origin is tuple:
        return f"lists of {_describe(typing.get_args(kind)[0])}"
    if origin is types.UnionType:
        return " or ".join(_describe(member) for member in typing.get_args(kind))
    plural = {int: "whole numbers", float: "numbers", str: "texts", bool: "true/false values"}
    return plural.get(kind, "values")


def _check_relations(section: Any) -> None:
    """Rules that tie several keys together, checked once their section is built."""
    if isinstance(section, Config):
        network = section.network
        if section.headless.explain and (network.batch_norm or network.dropout):
            raise ConfigError(
                "headless.explain prints plain layers (z, a, δ); it cannot explain "
                "network.batch_norm or network.dropout, so turn them off to use it"
            )
        widths = generated_widths(section.data)
        if widths is not None:
            _check_network_fits(section.network, widths, f"data.source {section.data.source}")
            _check_batch_norm_batches(section, widths.train_samples)
        if section.hud.numbers and max(section.network.sizes) > NUMBERED_NEURONS:
            raise ConfigError(
                f"hud.numbers writes every value on the network, which needs at most "
                f"{NUMBERED_NEURONS} neurons per layer; network.sizes is "
                f"{list(section.network.sizes)} (set hud.numbers: false)"
            )
    elif isinstance(section, DataConfig):
        if section.source == "file" and not section.file.strip():
            raise ConfigError(
                "data.file must name a .csv or .npz file or a folder of PNG folders when "
                "data.source is file (--data PATH sets both)"
            )
    elif isinstance(section, NetworkConfig):
        if len(section.sizes) < 2:
            raise ConfigError(
                f"network.sizes must list at least two layers; got {list(section.sizes)}"
            )
        outputs = section.sizes[-1]
        if section.output == "softmax" and not 2 <= outputs <= MAX_SOFTMAX_UNITS:
            raise ConfigError(
                f"network.sizes must end in 2 to {MAX_SOFTMAX_UNITS} for a softmax output "
                f"(one unit per class); got {outputs}"
            )
        if section.output == "sigmoid" and outputs != 1:
            raise ConfigError(
                f"network.sizes must end in 1 for a sigmoid output (two classes); got {outputs}"
            )
        _check_initial_parameters(section)
    elif isinstance(section, KioskConfig):
        try:
            chord_parts(section.exit_chord)
        except ValueError as error:
            raise ConfigError(f"kiosk.exit_chord {excerpt(section.exit_chord)}: {error}") from None
        names = lesson_names()
        for i, name in enumerate(section.lessons):
            if name not in names:
                raise ConfigError(
                    f"kiosk.lessons[{i}] {excerpt(name)} is not a lesson; the lessons are "
                    f"{', '.join(names)}"
                )
    elif isinstance(section, ShapesConfig):
        _check_range(section, "data.shapes", "area")
    elif isinstance(section, DigitsConfig):
        _check_range(section, "data.digits", "scale")
        _check_range(section, "data.digits", "weight")


def _check_range(section: Any, prefix: str, name: str) -> None:
    low, high = getattr(section, f"min_{name}"), getattr(section, f"max_{name}")
    if low > high:
        raise ConfigError(
            f"{prefix}.min_{name} ({low:g}) must not exceed {prefix}.max_{name} ({high:g})"
        )


def _check_batch_norm_batches(config: Config, train_size: int) -> None:
    """BatchNorm normalises over a batch: a batch of one sample has no variance to speak of
    (PyTorch refuses it too), so with it every training batch must hold two samples."""
    batch = min(config.training.batch_size, train_size)
    if config.network.batch_norm and 1 in (batch, train_size % batch):
        raise ConfigError(
            "network.batch_norm needs at least 2 samples in every training batch; "
            f"training.batch_size {config.training.batch_size} with {train_size} training "
            f"sample{'' if train_size == 1 else 's'} leaves a batch of 1"
        )


def _check_network_fits(network: NetworkConfig, widths: DataWidths, data: str) -> None:
    """``network.sizes`` starts with one input per value of a sample and ends with one unit
    per class (softmax), or one unit for two classes (sigmoid)."""
    sizes = network.sizes
    if sizes[0] != widths.inputs:
        per = "pixel" if widths.image_side else "feature"
        raise ConfigError(
            f"network.sizes[0] must be {widths.inputs} for {data} (one input per {per}); "
            f"got {sizes[0]}"
        )
    outputs = _output_units(network.output, widths, data)
    if sizes[-1] != outputs:
        raise ConfigError(
            f"network.sizes must end in {outputs} for {data} ({widths.classes} classes, "
            f"{network.output} output); got {sizes[-1]}"
        )


def _output_units(output: str, widths: DataWidths, data: str) -> int:
    """Output units for ``widths.classes``: one per class, or one sigmoid unit for two."""
    if output == "softmax":
        return widths.classes
    if widths.classes != 2:
        raise ConfigError(
            f"network.output sigmoid is one unit for two classes, but {data} has "
            f"{widths.classes} classes; use softmax"
        )
    return 1


def _check_initial_parameters(network: NetworkConfig) -> None:
    """Each given parameter is one of the network's, shaped as the seeds write it."""
    expected: dict[str, tuple[tuple[int, ...], str]] = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(network.sizes), start=1):
        # Named as training/network.py names them: after the layer they feed.
        expected[f"W{layer}"] = (
            (fan_out, fan_in),
            f"one row per neuron of layer {layer}, one number per neuron of layer {layer - 1}",
        )
        expected[f"b{layer}"] = ((fan_out,), f"one per neuron of layer {layer}")
    for name, values in network.initial_parameters.items():
        key = f"network.initial_parameters.{name}"
        if name not in expected:
            raise ConfigError(
                f"{key} is not a parameter of a network of sizes {list(network.sizes)}; "
                f"its parameters are {', '.join(expected)}"
            )
        shape, meaning = expected[name]
        given = _shape(values)
        if given != shape:
            raise ConfigError(
                f"{key} must be {_shape_words(shape)} ({meaning}); got {_shape_words(given)}"
            )


def _shape(values: ParameterValues) -> tuple[int, ...] | None:
    """(rows, columns) of a list of equally long rows, (n,) of a list of numbers, else None."""
    rows = [item for item in values if isinstance(item, tuple)]
    if not rows:
        return (len(values),)
    lengths = {len(row) for row in rows}
    if len(rows) == len(values) and len(lengths) == 1:
        return (len(rows), lengths.pop())
    return None


def _shape_words(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "rows of different lengths, or numbers mixed with rows"
    *rows, columns = shape
    numbers = f"{columns} number{'' if columns == 1 else 's'}"
    return f"{rows[0]} row{'' if rows[0] == 1 else 's'} of {numbers}" if rows else numbers


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
