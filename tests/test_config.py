"""Config: defaults, files, --set overrides, and one clear line for every mistake."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
import typing
from pathlib import Path

import pytest
import yaml

from visualizer.config import (
    ConfigError,
    DataWidths,
    NetworkConfig,
    dump_config,
    fit_network_to_data,
    load_config,
    parse_override,
)
from visualizer.resources import resource_path
from visualizer.training import network


def test_the_defaults_describe_the_seeds_network_and_data(default_config):
    assert default_config.network.sizes == (64, 16, 2)
    assert (default_config.data.train_size, default_config.data.test_size) == (240, 40)
    assert default_config.training.batch_size == 16
    assert default_config.training.epochs == 200


def test_config_objects_are_frozen(default_config):
    with pytest.raises(dataclasses.FrozenInstanceError):
        default_config.training.seed = 3


def test_the_config_layer_imports_nothing_built_on_it():
    # Every part reads the config; the config knows none of them (training included).
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, visualizer.config; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    above = ("visualizer.training", "visualizer.scene", "visualizer.render", "visualizer.hud")
    assert [name for name in loaded if name.startswith(above)] == []


def test_every_default_key_has_a_comment():
    lines = (resource_path("config") / "default.yaml").read_text().splitlines()
    keys = [line for line in lines if re.match(r"^\s+\w+:\s*\S", line)]
    assert keys, "no keys found"
    uncommented = [line for line in keys if "#" not in line]
    assert uncommented == []


def test_a_user_file_changes_only_the_keys_it_names(tmp_path, default_config):
    path = tmp_path / "mine.yaml"
    path.write_text("training:\n  seed: 5\n  learning_rate: 0.1\n")
    config = load_config(path)
    assert config.training.seed == 5 and config.training.learning_rate == 0.1
    assert config.training.epochs == default_config.training.epochs
    assert config.network == default_config.network


def test_set_overrides_win_over_the_file_and_values_are_yaml_typed(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("training:\n  seed: 5\n")
    config = load_config(path, ["training.seed=9", "network.sizes=[64, 32, 2]", "training.l2=0"])
    assert config.training.seed == 9
    assert config.network.sizes == (64, 32, 2)
    assert config.training.l2 == 0.0 and isinstance(config.training.l2, float)


def test_an_empty_file_means_all_defaults(tmp_path, default_config):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing changed\n")
    assert load_config(path) == default_config


def test_the_printed_config_loads_back_to_the_same_config(tmp_path, default_config):
    changed = load_config(overrides=["training.seed=4", "data.shapes.noise=0.1"])
    path = tmp_path / "printed.yaml"
    path.write_text(dump_config(changed))
    assert load_config(path) == changed


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "training.learnin_rate=0.1",
            "unknown config key 'training.learnin_rate' (--set); "
            "did you mean 'training.learning_rate'?",
        ),
        ("trainig.seed=1", "unknown config key 'trainig' (--set); did you mean 'training'?"),
        ("training.epochs=0", "training.epochs must be >= 1; got 0 (set in --set)"),
        ("training.epochs=2.5", "training.epochs must be a whole number; got 2.5 (set in --set)"),
        ("training.learning_rate=0", "training.learning_rate must be > 0; got 0.0 (set in --set)"),
        (
            "training.learning_rate=fast",
            "training.learning_rate must be a number; got 'fast' (set in --set)",
        ),
        ("training.seed=true", "training.seed must be a whole number; got True (set in --set)"),
        (
            "network.hidden_activation=gelu",
            "network.hidden_activation must be one of relu, sigmoid, tanh; "
            "got 'gelu' (set in --set)",
        ),
        (
            "network.sizes=64",
            "network.sizes must be a non-empty list of whole numbers; got 64 (set in --set)",
        ),
        (
            "network.sizes=[64, 16, 11]",
            "network.sizes must end in 2 to 10 for a softmax output (one unit per class); got 11",
        ),
        (
            "network.loss=hinge",
            "network.loss must be one of cross_entropy, mse; got 'hinge' (set in --set)",
        ),
        (
            "training.l2=.nan",
            "training.l2 must be a finite number; got nan (set in --set)",
        ),
        (
            "network.sizes=[49, 16, 2]",
            "network.sizes[0] must be 64 for data.source shapes (one input per pixel); got 49",
        ),
        (
            "data.source=digits",
            "network.sizes must end in 10 for data.source digits (10 classes, softmax output); "
            "got 2",
        ),
        (
            "data.source=mnist",
            "data.source must be one of shapes, digits, xor, worked-example, file; "
            "got 'mnist' (set in --set)",
        ),
        ("data.test_share=0.6", "data.test_share must be <= 0.5; got 0.6 (set in --set)"),
        ("data.test_share=0", "data.test_share must be > 0; got 0.0 (set in --set)"),
        (
            "data.source=file",
            "data.file must name a .csv or .npz file or a folder of PNG folders when "
            "data.source is file (--data PATH sets both)",
        ),
        (
            "data.digits.min_scale=0.99",
            "data.digits.min_scale (0.99) must not exceed data.digits.max_scale (0.95)",
        ),
        (
            "data.digits.max_weight=4.5",
            "data.digits.max_weight must be <= 4; got 4.5 (set in --set)",
        ),
        (
            "data.shapes.min_area=50",
            "data.shapes.min_area (50) must not exceed data.shapes.max_area (36)",
        ),
        (
            "training=3",
            "training (--set) is a section; give keys under it, e.g. training.seed: ...",
        ),
        ("network.dropout=1", "network.dropout must be < 1; got 1.0 (set in --set)"),
        ("network.dropout=-0.2", "network.dropout must be >= 0; got -0.2 (set in --set)"),
        ("network.batch_norm=1", "network.batch_norm must be true or false; got 1 (set in --set)"),
        ("training.seed", "--set expects KEY=VALUE, e.g. training.seed=3; got 'training.seed'"),
        ("training.seed=[1", "--set training.seed: cannot parse '[1' as a value"),
    ],
)
def test_bad_values_name_the_key_the_value_and_what_is_expected(override, message):
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=[override])
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


@pytest.mark.parametrize("batch_of_one", [["training.batch_size=1"], ["data.train_size=241"]])
def test_batch_norm_needs_two_images_in_every_training_batch(batch_of_one):
    load_config(overrides=batch_of_one)  # fine without BatchNorm
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=["network.batch_norm=true", *batch_of_one])
    assert str(caught.value).startswith("network.batch_norm needs at least 2 samples in every")
    assert str(caught.value).endswith("leaves a batch of 1")
    load_config(overrides=["network.batch_norm=true", "data.train_size=242"])


def test_batch_norm_counts_the_training_samples_of_every_source(default_config):
    worked = ["data.source=worked-example", "network.sizes=[2, 2, 1]", "network.output=sigmoid"]
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=[*worked, "network.batch_norm=true"])
    assert str(caught.value) == (
        "network.batch_norm needs at least 2 samples in every training batch; "
        "training.batch_size 16 with 1 training sample leaves a batch of 1"
    )
    xor = ["data.source=xor", "network.sizes=[2, 4, 1]", "network.output=sigmoid"]
    assert load_config(overrides=[*xor, "network.batch_norm=true"]).network.batch_norm
    # A file's count is its data's: here 33 = 2 batches of 16 and one of 1.
    config = default_config.replace(
        data={"source": "file", "file": "x.csv"}, network={"batch_norm": True}
    )
    with pytest.raises(ConfigError, match="with 33 training samples leaves a batch of 1"):
        fit_network_to_data(config, DataWidths(3, 4, None, 33), "data.file x.csv")
    assert fit_network_to_data(config, DataWidths(3, 4, None, 34), "x").network.batch_norm


def test_the_choices_offered_are_the_networks_own():
    hints = typing.get_type_hints(NetworkConfig)
    assert typing.get_args(hints["hidden_activation"]) == network.HIDDEN_ACTIVATIONS
    assert typing.get_args(hints["output"]) == network.OUTPUTS
    assert typing.get_args(hints["loss"]) == network.LOSSES


def test_softmax_outputs_may_have_2_to_10_units(default_config):
    config = default_config.replace(data={"source": "file", "file": "x.csv"})
    for units in (2, 3, 10):
        widths = DataWidths(inputs=5, classes=units, image_side=None, train_samples=40)
        fitted = fit_network_to_data(config, widths, "data.file x.csv")
        assert fitted.network.sizes == (5, 16, units)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            ["data.source=xor"],
            "network.sizes[0] must be 2 for data.source xor (one input per feature); got 64",
        ),
        (
            ["data.source=worked-example", "network.sizes=[2, 2, 3]"],
            "network.sizes must end in 2 for data.source worked-example (2 classes, softmax "
            "output); got 3",
        ),
        (
            ["data.source=digits", "network.sizes=[64, 32, 1]", "network.output=sigmoid"],
            "network.output sigmoid is one unit for two classes, but data.source digits has "
            "10 classes; use softmax",
        ),
        (
            ["data.source=digits", "data.digits.image_size=6", "network.sizes=[64, 32, 10]"],
            "network.sizes[0] must be 36 for data.source digits (one input per pixel); got 64",
        ),
    ],
)
def test_the_networks_ends_must_fit_the_generated_data(overrides, message):
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=overrides)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("overrides", "sizes"),
    [
        (["data.source=xor", "network.sizes=[2, 4, 1]", "network.output=sigmoid"], (2, 4, 1)),
        (["data.source=worked-example", "network.sizes=[2, 2, 2]"], (2, 2, 2)),
        (["data.source=digits", "network.sizes=[64, 32, 10]"], (64, 32, 10)),
        (["data.shapes.image_size=4", "network.sizes=[16, 4, 2]"], (16, 4, 2)),
    ],
)
def test_networks_that_fit_their_data_are_accepted(overrides, sizes):
    assert load_config(overrides=overrides).network.sizes == sizes


def test_a_files_widths_set_the_networks_ends_and_keep_its_hidden_sizes(default_config):
    config = default_config.replace(data={"source": "file", "file": "x.csv"})
    fitted = fit_network_to_data(config, DataWidths(3, 4, None, 40), "data.file x.csv")
    assert fitted.network.sizes == (3, 16, 4)
    sigmoid = config.replace(network={"output": "sigmoid", "sizes": (64, 8, 1)})
    assert fit_network_to_data(sigmoid, DataWidths(3, 2, None, 40), "x").network.sizes == (3, 8, 1)
    with pytest.raises(ConfigError) as caught:
        fit_network_to_data(sigmoid, DataWidths(3, 4, None, 40), "data.file x.csv")
    assert str(caught.value) == (
        "network.output sigmoid is one unit for two classes, but data.file x.csv has 4 "
        "classes; use softmax"
    )


def test_initial_parameters_are_checked_against_the_fitted_sizes(default_config):
    config = default_config.replace(
        data={"source": "file", "file": "x.csv"},
        network={"initial_parameters": {"b1": (0.0,) * 16, "b2": (0.0, 0.0)}},
    )
    with pytest.raises(ConfigError) as caught:
        fit_network_to_data(config, DataWidths(3, 4, None, 40), "data.file x.csv")
    assert str(caught.value).startswith(
        "network.initial_parameters.b2 must be 4 numbers (one per neuron of layer 2); got 2"
    )


def test_the_printed_config_of_a_file_says_its_ends_are_the_datas(default_config):
    config = default_config.replace(data={"source": "file", "file": "x.csv"})
    printed = dump_config(fit_network_to_data(config, DataWidths(3, 4, None, 40), "x"))
    (line,) = [line for line in printed.splitlines() if line.startswith("  sizes:")]
    assert line == "  sizes: [3, 16, 4]  # first and last: the inputs and classes of data.file"
    assert "# first and last" not in dump_config(default_config)


# Starting values for the default 64 → 16 → 2 network's last layer, written as the seeds
# write them: W2 one row per output neuron, each row one number per hidden neuron.
W2_ROWS = [[0.01 * (k + 1) * (1 if row else -1) for k in range(16)] for row in range(2)]


def _initial(**params) -> str:
    return f"network.initial_parameters={json.dumps(params)}"


def test_initial_parameters_are_read_from_a_file_and_print_back(tmp_path, default_config):
    assert default_config.network.initial_parameters == {}
    path = tmp_path / "start.yaml"
    path.write_text(
        yaml.safe_dump({"network": {"initial_parameters": {"W2": W2_ROWS, "b2": [0.5, -1]}}})
    )
    config = load_config(path)
    assert config.network.initial_parameters == {
        "W2": tuple(tuple(row) for row in W2_ROWS),
        "b2": (0.5, -1.0),
    }
    printed = tmp_path / "printed.yaml"
    printed.write_text(dump_config(config))
    assert load_config(printed) == config


def test_initial_parameters_are_one_value_that_set_replaces_whole(tmp_path):
    path = tmp_path / "start.yaml"
    path.write_text(yaml.safe_dump({"network": {"initial_parameters": {"W2": W2_ROWS}}}))
    config = load_config(path, ["network.initial_parameters.b2=[1, 2]"])
    assert config.network.initial_parameters == {"b2": (1.0, 2.0)}
    assert load_config(path, ["network.initial_parameters={}"]).network.initial_parameters == {}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            _initial(W3=[[1.0]]),
            "network.initial_parameters.W3 is not a parameter of a network of sizes "
            "[64, 16, 2]; its parameters are W1, b1, W2, b2",
        ),
        (
            _initial(W2=[[1, 2], [3, 4]]),
            "network.initial_parameters.W2 must be 2 rows of 16 numbers (one row per neuron "
            "of layer 2, one number per neuron of layer 1); got 2 rows of 2 numbers",
        ),
        (  # the (fan_in, fan_out) layout instead of the seeds' rows
            _initial(W2=[list(column) for column in zip(*W2_ROWS)]),
            "network.initial_parameters.W2 must be 2 rows of 16 numbers (one row per neuron "
            "of layer 2, one number per neuron of layer 1); got 16 rows of 2 numbers",
        ),
        (
            _initial(b2=[1]),
            "network.initial_parameters.b2 must be 2 numbers (one per neuron of layer 2); "
            "got 1 number",
        ),
        (
            _initial(b2=[[1, 2]]),
            "network.initial_parameters.b2 must be 2 numbers (one per neuron of layer 2); "
            "got 1 row of 2 numbers",
        ),
        (
            _initial(W2=[W2_ROWS[0], W2_ROWS[1][:15]]),
            "network.initial_parameters.W2 must be 2 rows of 16 numbers (one row per neuron "
            "of layer 2, one number per neuron of layer 1); got rows of different lengths, "
            "or numbers mixed with rows",
        ),
        (
            _initial(b2=[1, "x"]),
            "network.initial_parameters.b2[1] must be a number; got 'x' (set in --set)",
        ),
        (
            _initial(W2=[[1, True]]),
            "network.initial_parameters.W2[0][1] must be a number; got True (set in --set)",
        ),
        (
            "network.initial_parameters.b2=[1, .inf]",
            "network.initial_parameters.b2[1] must be a finite number; got inf (set in --set)",
        ),
        (
            "network.initial_parameters.W2=[[.nan]]",
            "network.initial_parameters.W2[0][0] must be a finite number; got nan (set in --set)",
        ),
        (
            "network.initial_parameters.b2=[]",
            "network.initial_parameters.b2 must be a non-empty list of numbers or lists of "
            "numbers; got [] (set in --set)",
        ),
        (
            "network.initial_parameters=[1, 2]",
            "network.initial_parameters must be a mapping of names to values, or {}; "
            "got [1, 2] (set in --set)",
        ),
        (
            "network.initial_parameters={1: [2]}",
            "network.initial_parameters: a name must be text; got 1 (set in --set)",
        ),
    ],
)
def test_bad_initial_parameters_are_refused_with_one_line(override, message):
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=[override])
    assert str(caught.value) == message


def test_a_bad_file_is_reported_by_name(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError, match=f"config file {missing} not found"):
        load_config(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("training: [unclosed\n")
    with pytest.raises(ConfigError, match=f"config file {broken} is not valid YAML"):
        load_config(broken)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("42\n")
    with pytest.raises(ConfigError, match="must hold sections"):
        load_config(scalar)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("training:\n  momentum: 2\n")
    with pytest.raises(
        ConfigError, match=f"training.momentum must be <= 0.999; got 2.0 \\(set in {wrong}\\)"
    ):
        load_config(wrong)


def test_parse_override_keeps_yaml_types():
    assert parse_override("a.b=3") == ("a.b", 3)
    assert parse_override("a.b=0.5") == ("a.b", 0.5)
    assert parse_override("a.b=[1, 2]") == ("a.b", [1, 2])
    assert parse_override("a.b=relu") == ("a.b", "relu")
    assert yaml.safe_load(dump_config(load_config()))["network"]["sizes"] == [64, 16, 2]


# ------------------------------------------------------------------ hostile input

BOMB = """\
data:
  train_size: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
  test_size: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
  shapes:
    image_size: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    min_area: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    max_area: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    max_aspect: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
network:
  hidden_activation: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
"""


def test_an_alias_bomb_under_real_keys_is_refused_before_it_is_expanded(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)  # 10⁷ values in a few lines
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "aliases expand to more than 10,000 values" in str(caught.value)
    assert len(str(caught.value)) < 300


def test_aliases_within_the_bound_still_work_and_a_self_reference_is_refused(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("training:\n  seed: &s 7\n  epochs: *s\n")
    assert (load_config(path).training.seed, load_config(path).training.epochs) == (7, 7)
    with pytest.raises(ConfigError, match="refers to a value that contains it"):
        load_config(overrides=["training.seed=&a [*a]"])


def test_a_long_wrong_value_is_quoted_as_a_short_excerpt():
    with pytest.raises(ConfigError) as caught:
        load_config(overrides=["network.hidden_activation=" + "x" * 100_000])
    text = str(caught.value)
    assert text.startswith("network.hidden_activation must be one of relu, sigmoid, tanh; got 'x")
    assert "…" in text or "..." in text
    assert len(text) < 200


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: Path("/dev/zero"), "it is a device, not a regular file"),
        (lambda tmp: _fifo(tmp / "pipe"), "it is a pipe (FIFO), not a regular file"),
        (lambda tmp: tmp, "Is a directory"),
        (lambda tmp: _big(tmp / "big.yaml"), "it is larger than 1,000,000 bytes"),
        (lambda tmp: _latin1(tmp / "latin.yaml"), "it is not UTF-8 text (byte 25)"),
    ],
)
def test_only_regular_files_of_bounded_size_are_read(tmp_path, make, message):
    if sys.platform == "win32":
        pytest.skip("POSIX devices, FIFOs and error texts")
    path = make(tmp_path)
    outcome = []  # read on a thread: unfixed, /dev/zero eats memory and a FIFO blocks forever

    def read() -> None:
        try:
            load_config(path)
        except ConfigError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10.0)
    assert outcome == [f"cannot read config file {path}: {message}"]


def _fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
    return path


def _big(path: Path) -> Path:
    path.write_text("# padding\n" * 100_001)
    return path


def _latin1(path: Path) -> Path:
    path.write_bytes("training:\n  seed: 1 # café\n".encode("latin-1"))
    return path


def test_a_duplicate_key_is_refused_naming_the_key_and_both_lines(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("training:\n  seed: 1\n  epochs: 3\n  seed: 2\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"config file {path} is not valid YAML: the key 'seed' appears twice, on lines 2 and 4"
    )
    twice = tmp_path / "sections.yaml"
    twice.write_text("training:\n  seed: 1\ntraining:\n  epochs: 3\n")
    with pytest.raises(ConfigError, match="'training' appears twice, on lines 1 and 3"):
        load_config(twice)


def test_scientific_notation_is_a_number_in_files_and_in_set(tmp_path):
    path = tmp_path / "sci.yaml"
    path.write_text("training:\n  learning_rate: 1e-3\n  l2: 2.5E-4\n  epochs: 1e3\n")
    config = load_config(path, ["training.momentum=5e-1", "choreography.speed=1E1"])
    assert config.training.learning_rate == 0.001 and config.training.l2 == 0.00025
    assert config.training.epochs == 1000 and isinstance(config.training.epochs, int)
    assert (config.training.momentum, config.choreography.speed) == (0.5, 10.0)
    assert parse_override("a=1e-3") == ("a", 0.001)
    assert parse_override("a=1e3x") == ("a", "1e3x")  # not a number: still text
    with pytest.raises(ConfigError, match=r"training\.epochs must be a whole number; got 1500\.5"):
        load_config(overrides=["training.epochs=1.5005e3"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("training:\n  seed: " + "9" * 5000 + "\n", "a value cannot be read"),
        ("training: " + "[" * 5000 + "]" * 5000 + "\n", "its values are nested too deeply"),
        ("training:\n  seed: 2024-13-45\n", "a value cannot be read"),
    ],
)
def test_values_python_cannot_build_are_one_line_not_a_traceback(tmp_path, text, message):
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and len(str(caught.value)) < 300
