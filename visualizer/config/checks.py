"""Validation: a merged mapping of plain values becomes the typed, frozen ``Config``.

``build(cls, data, prefix, sources)`` coerces each key to its annotated type within its
``field`` metadata's limits and checks the relations between keys; every failure is one
``ConfigError`` line naming the key, the value, what was expected and where it was set.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

from visualizer.config.lessons import lesson_names
from visualizer.config.schema import (
    MAX_SOFTMAX_UNITS,
    NUMBERED_NEURONS,
    Config,
    ConfigError,
    DataConfig,
    DataWidths,
    DigitsConfig,
    KioskConfig,
    NetworkConfig,
    ParameterValues,
    ShapesConfig,
    UiConfig,
    generated_widths,
)
from visualizer.errors import excerpt
from visualizer.kiosk import chord_parts
from visualizer.words import available_languages


def build(cls: type, data: dict[str, Any], prefix: str, sources: dict[str, str]):
    hints = typing.get_type_hints(cls)
    values = {}
    for spec in dataclasses.fields(cls):
        dotted = f"{prefix}{spec.name}"
        if spec.name not in data:
            raise ConfigError(f"config key '{dotted}' is missing from the built-in defaults")
        kind = hints[spec.name]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            values[spec.name] = build(kind, data[spec.name], f"{dotted}.", sources)
            continue
        try:
            values[spec.name] = coerce(data[spec.name], kind, spec.metadata, dotted)
        except ConfigError as error:
            source = sources.get(dotted, "the built-in defaults")
            raise ConfigError(f"{error} (set in {source})") from None
    config = cls(**values)
    _check_relations(config)
    return config


def coerce(value: Any, kind: Any, limits: Mapping[str, Any], key: str) -> Any:
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
        return coerce(value, listed if isinstance(value, list) else scalar, limits, key)
    if origin is Mapping:
        name_kind, value_kind = typing.get_args(kind)
        if not isinstance(value, dict):
            raise ConfigError(
                f"{key} must be a mapping of names to values, or {{}}; got {excerpt(value)}"
            )
        return {
            coerce(name, name_kind, {}, f"{key}: a name"): coerce(
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
        return tuple(coerce(item, item_kind, limits, f"{key}[{i}]") for i, item in enumerate(value))
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
            check_batch_norm_batches(section, widths.train_samples)
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
        for i, code in enumerate(section.languages):
            _check_language(code, f"kiosk.languages[{i}]")
    elif isinstance(section, UiConfig):
        _check_language(section.language, "ui.language")
    elif isinstance(section, ShapesConfig):
        _check_range(section, "data.shapes", "area")
    elif isinstance(section, DigitsConfig):
        _check_range(section, "data.digits", "scale")
        _check_range(section, "data.digits", "weight")


def _check_language(code: str, key: str) -> None:
    codes = available_languages()
    if code not in codes:
        raise ConfigError(
            f"{key} {excerpt(code)} is not a language; the languages are {', '.join(codes)}"
        )


def _check_range(section: Any, prefix: str, name: str) -> None:
    low, high = getattr(section, f"min_{name}"), getattr(section, f"max_{name}")
    if low > high:
        raise ConfigError(
            f"{prefix}.min_{name} ({low:g}) must not exceed {prefix}.max_{name} ({high:g})"
        )


def check_batch_norm_batches(config: Config, train_size: int) -> None:
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
    outputs = output_units(network.output, widths, data)
    if sizes[-1] != outputs:
        raise ConfigError(
            f"network.sizes must end in {outputs} for {data} ({widths.classes} classes, "
            f"{network.output} output); got {sizes[-1]}"
        )


def output_units(output: str, widths: DataWidths, data: str) -> int:
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


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {name: plain(item) for name, item in value.items()}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value
