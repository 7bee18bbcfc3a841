"""The user's own data: CSV, .npz and PNG folders read right, split by class, standardised
from the training split, and every refusal one line naming the file, the place and the problem."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from visualizer.errors import UserError
from visualizer.training import user_formats
from visualizer.training.user_data import (
    load_table,
    standardised,
    stratified_split,
)
from visualizer.training.user_table import MAX_ROWS


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def save_png(path, pixels: np.ndarray) -> None:
    """A grey (height, width) 0..255 image, as an RGB PNG written by pygame."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rgb = np.repeat(pixels.T[:, :, None], 3, axis=2).astype(np.uint8)
    pygame.image.save(pygame.surfarray.make_surface(rgb), str(path))


# ------------------------------------------------------------------ reading


def test_a_csv_reads_features_and_text_labels_sorted_into_classes(tmp_path):
    path = write(
        tmp_path,
        "fruit.csv",
        '\ufeffweight, sugar ,label\n150,10.5,apple\n\n110,"2.5",lemon\n 170 ,11,apple\n'
        "100,3e0,lemon\n",
    )
    table = load_table(path)
    assert table.feature_names == ("weight", "sugar") and table.image_side is None
    assert table.class_names == ("apple", "lemon")
    assert table.labels.tolist() == [0, 1, 0, 1]
    assert table.inputs.tolist() == [[150, 10.5], [110, 2.5], [170, 11], [100, 3]]
    widths = table.widths(test_share=0.5)
    assert (widths.inputs, widths.classes, widths.image_side, widths.train_samples) == (
        2,
        2,
        None,
        2,
    )


def test_the_label_is_the_column_named_label_else_the_last(tmp_path):
    named = load_table(write(tmp_path, "a.csv", "x,Label,y\n1,a,2\n3,b,4\n5,a,6\n7,b,8\n"))
    assert named.feature_names == ("x", "y") and named.inputs[0].tolist() == [1, 2]
    last = load_table(write(tmp_path, "b.csv", "x,y,kind\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n"))
    assert last.feature_names == ("x", "y") and last.class_names == ("a", "b")


def test_numeric_labels_keep_numeric_order(tmp_path):
    rows = "".join(f"{i},{label}\n" for i, label in enumerate([10, 9, 2, 10, 9, 2, 2.5, 2.5]))
    table = load_table(write(tmp_path, "n.csv", "x,label\n" + rows))
    assert table.class_names == ("2", "2.5", "9", "10")
    assert table.labels.tolist() == [3, 2, 0, 3, 2, 0, 1, 1]


def test_an_npz_reads_x_and_y(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.arange(12).reshape(6, 2), y=np.array([1, 0, 1, 0, 2, 2]))
    table = load_table(path)
    assert table.inputs.dtype == np.float64 and table.inputs.shape == (6, 2)
    assert table.class_names == ("0", "1", "2") and table.labels.tolist() == [1, 0, 1, 0, 2, 2]
    assert table.feature_names == ("x1", "x2")
    np.savez(path, X=np.eye(4), y=np.array(["cat", "dog", "cat", "dog"]))
    assert load_table(path).class_names == ("cat", "dog")


def test_a_folder_of_png_folders_reads_images_named_by_their_folders(tmp_path):
    rng = np.random.default_rng(0)
    pictures = {
        name: [rng.integers(0, 256, (4, 4)) for _ in range(count)]
        for name, count in (("square", 3), ("circle", 2))
    }
    for name, images in pictures.items():
        for i, pixels in enumerate(images):
            save_png(tmp_path / "shapes" / name / f"{i}.png", pixels)
    (tmp_path / "shapes" / "circle" / "notes.txt").write_text("not an image")
    table = load_table(tmp_path / "shapes")
    assert table.class_names == ("circle", "square") and table.image_side == 4
    assert table.feature_names is None and table.labels.tolist() == [0, 0, 1, 1, 1]
    expected = [p.ravel() / 255 for p in pictures["circle"] + pictures["square"]]
    assert np.allclose(table.inputs, expected, atol=1e-12)


def test_a_table_is_read_once_and_again_when_its_file_changes(tmp_path, monkeypatch):
    path = write(tmp_path, "a.csv", "x,label\n1,a\n2,b\n3,a\n4,b\n")
    first = load_table(path)
    assert load_table(str(path)) is first
    with pytest.raises(ValueError):
        first.inputs[0, 0] = 9.0  # shared by every run: read-only
    path.write_text("x,label\n1,a\n2,b\n3,a\n5,b\n")
    os.utime(path, ns=(1, 1))  # another modification time, whatever the clock's resolution
    changed = load_table(path)
    assert changed.inputs[3, 0] == 5.0 and changed.digest != first.digest


# ------------------------------------------------------------------ split and scale


def test_the_split_is_stratified_shuffled_and_fixed_by_the_generator():
    labels = np.repeat([0, 1, 2], [50, 30, 2])
    train, test = stratified_split(labels, 0.2, np.random.default_rng(0))
    assert np.bincount(labels[test]).tolist() == [10, 6, 1]  # at least one, never all
    assert np.bincount(labels[train]).tolist() == [40, 24, 1]
    assert sorted([*train, *test]) == list(range(len(labels)))
    assert not np.array_equal(train, np.sort(train))  # shuffled: classes mixed
    again = stratified_split(labels, 0.2, np.random.default_rng(0))
    other = stratified_split(labels, 0.2, np.random.default_rng(1))
    assert np.array_equal(again[1], test) and not np.array_equal(other[1], test)


def test_features_are_standardised_with_the_training_splits_mean_and_deviation():
    rng = np.random.default_rng(3)
    train = rng.normal([5.0, -2.0, 7.0], [3.0, 0.5, 0.0], (40, 3))
    test = rng.normal([5.0, -2.0, 7.0], [3.0, 0.5, 0.0], (10, 3))
    scaled_train, scaled_test = standardised(train, test)
    assert np.allclose(scaled_train.mean(axis=0), 0.0)
    assert np.allclose(scaled_train.std(axis=0)[:2], 1.0)
    assert np.all(scaled_train[:, 2] == 0.0)  # a constant feature is only centred
    expected = (test[:, 0] - train[:, 0].mean()) / train[:, 0].std()
    assert np.allclose(scaled_test[:, 0], expected)


# ------------------------------------------------------------------ refusals


def refused(path) -> str:
    with pytest.raises(UserError) as caught:
        load_table(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def csv_rows(count: int) -> str:
    return "x,label\n" + "".join(f"{i},{'ab'[i % 2]}\n" for i in range(count))


CSV_REFUSALS = {
    "empty": ("", ": is empty"),
    "blank-lines-only": ("\n \n", ": is empty"),
    "header-only": ("x,label\n", ": has a header but no rows"),
    "no-header": (
        "1,2\n3,4\n",
        ", line 1: holds numbers, not column names: the first line must be a header",
    ),
    "single-column": (
        "label\na\nb\n",
        ": has a single column; it needs feature columns and a label",
    ),
    "ragged": ("x,y,label\n1,2,a\n3,b\n", ", line 3: 2 values, but the header names 3 columns"),
    "not-a-number": ("x,y,label\n1,2,a\n3,abc,b\n", ", line 3, column 'y': 'abc' is not a number"),
    "empty-value": ("x,y,label\n1,,a\n3,4,b\n", ", line 2, column 'y': the value is empty"),
    "nan": ("x,label\n1,a\nnan,b\n", ", line 3, column 'x': nan is not a finite number"),
    "infinity": ("x,label\n-inf,a\n1,b\n", ", line 2, column 'x': -inf is not a finite number"),
    "empty-label": ("x,label\n1,a\n2, \n", ", line 3, column 'label': the label is empty"),
    "one-class": (
        "x,label\n1,a\n2,a\n",
        ", column 'label': every row has the label 'a'; it takes at least two classes",
    ),
    "lone-sample": (
        "x,label\n1,a\n2,a\n3,b\n",
        ", column 'label': class 'b' has a single "
        "sample; every class needs at least two (one to train on, one to test on)",
    ),
    "too-many-features": (
        ",".join(f"f{i}" for i in range(65)) + ",label\n",
        ": has 65 feature columns; the show draws at most 64 inputs",
    ),
    "too-many-classes": (
        "x,label\n" + "".join(f"{i},c{i % 11}\n" for i in range(22)),
        ", column 'label': holds 11 classes; at most 10",
    ),
    "too-many-rows": (
        csv_rows(MAX_ROWS + 1),
        ": has more than 100,000 rows (the most it can hold)",
    ),
    "bad-csv": (
        "x,label\n1,a\n2," + "b" * 200_000 + "\n",
        ", line 3: is not valid CSV (field larger than field limit (131072))",
    ),
}


@pytest.mark.parametrize(("text", "problem"), CSV_REFUSALS.values(), ids=CSV_REFUSALS.keys())
def test_a_csv_that_cannot_be_trained_on_is_refused_in_one_line(tmp_path, text, problem):
    path = write(tmp_path, "data.csv", text)
    assert refused(path) == f"data file {path}{problem}"


def test_a_csv_that_is_not_utf8_text_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("x,label\n1,café\n".encode("latin-1"))
    assert refused(path) == f"data file {path}: is not UTF-8 text (byte 13)"


def test_a_missing_file_is_refused(tmp_path):
    path = tmp_path / "nowhere.csv"
    assert refused(path) == f"data file {path} not found; check the path"


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.csv", "x,label\n1,a\n2,b\n")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", denied)
    assert refused(path) == f"cannot read data file {path}: Permission denied"


def test_another_kind_of_file_is_refused(tmp_path):
    path = write(tmp_path, "data.json", "{}")
    assert refused(path) == (
        f"data file {path}: expected a .csv or .npz file, or a folder of PNG folders"
    )


def npz(tmp_path, **arrays):
    path = tmp_path / "data.npz"
    with path.open("wb") as file:
        np.savez(file, **arrays)
    return path


X4, Y4 = np.arange(8.0).reshape(4, 2), np.array([0, 1, 0, 1])
NPZ_REFUSALS = {
    "no-y": (
        {"X": X4},
        ": has no array 'y'; it must hold X (rows × features) and y (one label "
        "per row), and holds X",
    ),
    "objects": (
        {"X": X4, "y": np.array([{}, 1, 0, 1], dtype=object)},
        ", array 'y': holds Python objects (a pickle), which are never read; save numbers, or "
        "labels as text",
    ),
    "x-not-2d": (
        {"X": np.arange(4.0), "y": Y4},
        ", array 'X': has shape (4,); it must be rows × features (2-D)",
    ),
    "x-not-numbers": (
        {"X": np.array([["a"], ["b"]]), "y": Y4[:2]},
        ", array 'X': holds <U1 values, not numbers",
    ),
    "x-empty": ({"X": np.zeros((0, 2)), "y": Y4[:0]}, ", array 'X': is empty (shape (0, 2))"),
    "y-length": (
        {"X": X4, "y": Y4[:3]},
        ", array 'y': has shape (3,); it must hold one label per row of X (4,)",
    ),
    "x-nan": (
        {"X": np.array([[0.0], [np.nan], [1], [2]]), "y": Y4},
        ", array 'X', row 1, column 0: nan is not a finite number",
    ),
    "y-nan": (
        {"X": X4, "y": np.array([0, 1, np.nan, 1])},
        ", array 'y', row 2: nan is not a finite label",
    ),
    "one-class": (
        {"X": X4, "y": np.zeros(4)},
        ", array 'y': every row has the label '0'; it takes at least two classes",
    ),
    "too-many-features": (
        {"X": np.zeros((4, 65)), "y": Y4},
        ": has 65 columns in array 'X'; the show draws at most 64 inputs",
    ),
    "too-many-rows": (
        {"X": np.zeros((MAX_ROWS + 1, 1)), "y": np.zeros(MAX_ROWS + 1)},
        ", array 'X': has 100,001 rows; at most 100,000",
    ),
}


@pytest.mark.parametrize(("arrays", "problem"), NPZ_REFUSALS.values(), ids=NPZ_REFUSALS.keys())
def test_an_npz_that_cannot_be_trained_on_is_refused_in_one_line(tmp_path, arrays, problem):
    path = npz(tmp_path, **arrays)
    assert refused(path) == f"data file {path}{problem}"


def test_a_file_that_is_not_an_npz_archive_is_refused(tmp_path):
    path = write(tmp_path, "data.npz", "x,label\n")
    assert refused(path).startswith(f"data file {path}: is not a readable .npz archive (")
    single = tmp_path / "single.npz"
    with single.open("wb") as file:
        np.save(file, X4)
    assert (
        refused(single) == f"data file {single}: is a single array; save X and y with numpy.savez"
    )


def folder_of(tmp_path, images: dict[str, list[np.ndarray]]):
    root = tmp_path / "images"
    root.mkdir()
    for name, pictures in images.items():
        (root / name).mkdir()
        for i, pixels in enumerate(pictures):
            save_png(root / name / f"{i}.png", pixels)
    return root


SQUARE = np.zeros((4, 4))


def test_a_folder_with_fewer_than_two_class_folders_is_refused(tmp_path):
    root = folder_of(tmp_path, {"only": [SQUARE, SQUARE]})
    assert refused(root) == (
        f"data file {root}: holds 1 class folder; it needs one folder of PNG images per class, "
        "and at least two classes"
    )


def test_a_folder_with_too_many_classes_is_refused(tmp_path):
    root = folder_of(tmp_path, {f"c{i}": [] for i in range(11)})
    assert refused(root) == f"data file {root}: holds 11 class folders; at most 10"


def test_a_class_folder_without_pngs_is_refused(tmp_path):
    root = folder_of(tmp_path, {"a": [SQUARE, SQUARE], "b": []})
    assert refused(root) == f"data file {root / 'b'}: holds no .png images"


def test_images_of_different_sizes_are_refused(tmp_path):
    root = folder_of(tmp_path, {"a": [SQUARE, SQUARE], "b": [np.zeros((5, 5)), SQUARE]})
    assert refused(root) == (
        f"data file {root / 'b' / '0.png'}: is 5×5 pixels, but {root / 'a' / '0.png'} is 4×4; "
        "all images must be the same size"
    )


def test_images_that_are_not_square_are_refused(tmp_path):
    root = folder_of(tmp_path, {"a": [np.zeros((3, 4))], "b": [SQUARE]})
    assert refused(root) == (
        f"data file {root / 'a' / '0.png'}: is 4×3 pixels; images must be square (one input "
        "per pixel)"
    )


def test_images_larger_than_the_show_draws_are_refused(tmp_path):
    root = folder_of(tmp_path, {"a": [np.zeros((33, 33))], "b": [SQUARE]})
    assert refused(root) == (
        f"data file {root / 'a' / '0.png'}: is 33×33 pixels; at most 32×32 (one input neuron "
        "per pixel)"
    )


def test_a_png_the_reader_cannot_decode_is_refused_by_name(tmp_path):
    root = folder_of(tmp_path, {"a": [SQUARE, SQUARE], "b": [SQUARE]})
    (root / "b" / "1.png").write_bytes(b"GIF89a")
    assert refused(root) == (
        f"data file {root / 'b' / '1.png'}: is not a PNG file (its first bytes are not the PNG "
        "signature)"
    )


def test_a_class_folder_with_a_single_image_is_refused(tmp_path):
    root = folder_of(tmp_path, {"a": [SQUARE, SQUARE], "b": [SQUARE]})
    assert refused(root) == (
        f"data file {root}: class 'b' has a single sample; every class needs at least two (one "
        "to train on, one to test on)"
    )


def test_a_folder_of_too_many_images_is_refused_before_decoding_any(tmp_path, monkeypatch):
    root = folder_of(tmp_path, {"a": [SQUARE, SQUARE], "b": [SQUARE, SQUARE]})
    monkeypatch.setattr(user_formats, "MAX_ROWS", 3)
    monkeypatch.setattr(user_formats, "read_png", None)  # decoding anything would fail
    assert refused(root) == f"data file {root}: holds 4 images; at most 3"
