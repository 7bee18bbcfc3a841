"""Reading configs: the built-in defaults, a lesson, a user file and ``--set`` overrides,
merged in that order and validated (``checks.build``); and writing one back as YAML.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from visualizer.config.checks import build, check_batch_norm_batches, coerce, output_units, plain
from visualizer.config.lessons import lesson_file
from visualizer.config.schema import Config, ConfigError, DataWidths
from visualizer.errors import excerpt, one_line
from visualizer.resources import resource_path
from visualizer.yaml_input import InputRefused, load_yaml, read_regular_file

DEFAULT_CONFIG_FILE = "default.yaml"
MAX_CONFIG_BYTES = 1_000_000  # a config is a few kB; this reads no device and no FIFO


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
    return build(Config, merged, "", sources)


def fit_network_to_data(config: Config, widths: DataWidths, origin: str) -> Config:
    """``config`` with ``network.sizes`` starting and ending as ``widths`` require (the hidden
    sizes kept), validated again; ``origin`` names the data in any error, e.g. ``data.file
    x.csv``."""
    outputs = output_units(config.network.output, widths, origin)
    values = plain(config)
    values["network"]["sizes"] = [widths.inputs, *config.network.sizes[1:-1], outputs]
    fitted = build(Config, values, "", {"network.sizes": origin})
    check_batch_norm_batches(fitted, widths.train_samples)
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
        coerce(value, typing.get_type_hints(section)[name], spec.metadata, key)
    except ConfigError:
        return False
    return True


def dump_config(config: Config) -> str:
    """The config as YAML, in the same shape the files use. For a file source the line of
    ``network.sizes`` says that its ends are the data's."""
    text = yaml.safe_dump(
        plain(config), sort_keys=False, allow_unicode=True, default_flow_style=None
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
