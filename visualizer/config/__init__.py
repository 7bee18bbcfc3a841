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

The package's rooms: ``schema`` (the sections, their keys and limits), ``lessons`` (the
shipped lessons), ``loading`` (reading, merging, overrides, dumping) and ``checks``
(validation into ``Config``). Import from ``visualizer.config``.
"""

from visualizer.config.lessons import DEFAULT_LESSON, LESSON_ORDER, lesson_file, lesson_names
from visualizer.config.loading import (
    allowed,
    dump_config,
    fit_network_to_data,
    load_config,
    parse_override,
)
from visualizer.config.schema import (
    GENERATED_SOURCES,
    MAX_SOFTMAX_UNITS,
    MAX_STROKE_WEIGHT,
    MAX_TEXT_SCALE,
    NUMBERED_NEURONS,
    ChoreographyConfig,
    Config,
    ConfigError,
    DataConfig,
    DataWidths,
    DigitsConfig,
    HeadlessConfig,
    HudConfig,
    KioskConfig,
    LessonConfig,
    LoggingConfig,
    NetworkConfig,
    ShapesConfig,
    TrainingConfig,
    UiConfig,
    VisualsConfig,
    WindowConfig,
    bounded,
    generated_widths,
    may_be_empty,
)

__all__ = [
    "DEFAULT_LESSON",
    "GENERATED_SOURCES",
    "LESSON_ORDER",
    "MAX_SOFTMAX_UNITS",
    "MAX_STROKE_WEIGHT",
    "MAX_TEXT_SCALE",
    "NUMBERED_NEURONS",
    "ChoreographyConfig",
    "Config",
    "ConfigError",
    "DataConfig",
    "DataWidths",
    "DigitsConfig",
    "HeadlessConfig",
    "HudConfig",
    "KioskConfig",
    "LessonConfig",
    "LoggingConfig",
    "NetworkConfig",
    "ShapesConfig",
    "TrainingConfig",
    "UiConfig",
    "VisualsConfig",
    "WindowConfig",
    "allowed",
    "bounded",
    "dump_config",
    "fit_network_to_data",
    "generated_widths",
    "lesson_file",
    "lesson_names",
    "load_config",
    "may_be_empty",
    "parse_override",
]
