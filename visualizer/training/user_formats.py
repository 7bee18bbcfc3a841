"""Reading the user's data: a CSV, an .npz, or a folder of PNG folders, into a ``Table``.

Contract: ``read_csv``, ``read_npz`` and ``read_folder`` each return the ``Table`` at a path
or raise the one-line ``UserError`` of ``user_table.refuse``; they never write. The formats
and every refusal are in docs/dataset.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from visualizer.errors import UserError
from visualizer.training.png import PngError, png_size, read_png
from visualizer.training.user_table import (
    MAX_CLASSES,
    MAX_FEATURES,
    MAX_IMAGE_SIDE,
    MAX_ROWS,
    Table,
    one_line,
    refuse,
    unreadable,
)


def read_csv(path: Path) -> Table:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refuse(path, "", f"is not UTF-8 text (byte {error.start:,})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    lines: list[int] = []
    cells: list[list[str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if header is None:
                header = _header(path, row)
                continue
            if len(row) != len(header):
                raise refuse(
                    path,
                    f", line {reader.line_num}",
                    f"{len(row)} values, but the header names {len(header)} columns",
                )
            if len(cells) == MAX_ROWS:
                raise refuse(path, "", f"has more than {MAX_ROWS:,} rows (the most it can hold)")
            lines.append(reader.line_num)
            cells.append(row)
    except csv.Error as error:
        raise refuse(path, f", line {reader.line_num}", f"is not valid CSV ({error})") from None
    if header is None:
        raise refuse(path, "", "is empty")
    if not cells:
        raise refuse(path, "", "has a header but no rows")

    names = [name.lower() for name in header]
    label_column = names.index("label") if "label" in names else len(header) - 1
    features = [i for i in range(len(header)) if i != label_column]
    table = np.array(cells, dtype=str)
    inputs = _numbers(path, table[:, features], [header[i] for i in features], lines)
    column = f"column '{header[label_column]}'"
    labels = [cell.strip() for cell in table[:, label_column]]
    if "" in labels:
        line = lines[labels.index("")]
        raise refuse(path, f", line {line}, {column}", "the label is empty")
    label_indices, class_names = _classes(path, f", {column}", labels)
    return Table(
        inputs,
        label_indices,
        class_names,
        None,
        tuple(header[i] for i in features),
        hashlib.sha256(data).hexdigest(),
    )


def _header(path: Path, row: list[str]) -> list[str]:
    header = [name.strip() or f"column {i + 1}" for i, name in enumerate(row)]
    if all(_is_number(name) for name in header):
        raise refuse(
            path, ", line 1", "holds numbers, not column names: the first line must be a header"
        )
    if len(header) < 2:
        raise refuse(path, "", "has a single column; it needs feature columns and a label")
    _check_features(path, len(header) - 1, "feature columns")
    return header


def _numbers(path: Path, cells: np.ndarray, names: list[str], lines: list[int]) -> np.ndarray:
    """The feature cells as float64; refused at the first that is not a finite number."""
    try:
        values = cells.astype(np.float64)
    except ValueError:  # find the cell; numpy's parser is stricter than Python's float()
        values = np.array(
            [
                [
                    _number(path, cell, lines[row], names[column])
                    for column, cell in enumerate(cells_of_row)
                ]
                for row, cells_of_row in enumerate(cells)
            ]
        )
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        row, column = bad[0]
        where = f", line {lines[row]}, column '{names[column]}'"
        raise refuse(path, where, f"{cells[row, column].strip()} is not a finite number")
    return values


def _number(path: Path, cell: str, line: int, name: str) -> float:
    try:
        return float(cell)
    except ValueError:
        problem = f"{cell.strip()!r} is not a number" if cell.strip() else "the value is empty"
        raise refuse(path, f", line {line}, column '{name}'", problem) from None


def read_npz(path: Path) -> Table:
    data = _read_bytes(path)
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise refuse(path, "", f"is not a readable .npz archive ({one_line(error)})") from None
    if not hasattr(archive, "files"):  # np.load read a lone .npy array
        raise refuse(path, "", "is a single array; save X and y with numpy.savez")
    with archive:
        for name in ("X", "y"):
            if name not in archive.files:
                held = ", ".join(archive.files) or "nothing"
                raise refuse(
                    path,
                    "",
                    f"has no array '{name}'; it must hold X (rows × features) and y (one "
                    f"label per row), and holds {held}",
                )
        inputs, labels = _member(path, archive, "X"), _member(path, archive, "y")
    if inputs.ndim != 2:
        raise refuse(
            path, ", array 'X'", f"has shape {inputs.shape}; it must be rows × features (2-D)"
        )
    if inputs.dtype.kind not in "biuf":
        raise refuse(path, ", array 'X'", f"holds {inputs.dtype} values, not numbers")
    if len(inputs) == 0 or inputs.shape[1] == 0:
        raise refuse(path, ", array 'X'", f"is empty (shape {inputs.shape})")
    if len(inputs) > MAX_ROWS:
        raise refuse(path, ", array 'X'", f"has {len(inputs):,} rows; at most {MAX_ROWS:,}")
    _check_features(path, inputs.shape[1], "columns in array 'X'")
    if labels.ndim != 1 or len(labels) != len(inputs):
        raise refuse(
            path,
            ", array 'y'",
            f"has shape {labels.shape}; it must hold one label per row of X ({len(inputs)},)",
        )
    values = inputs.astype(np.float64)
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        row, column = bad[0]
        raise refuse(
            path,
            f", array 'X', row {row}, column {column}",
            f"{values[row, column]} is not a finite number",
        )
    label_indices, class_names = _classes(path, ", array 'y'", _label_texts(path, labels))
    features = tuple(f"x{i + 1}" for i in range(values.shape[1]))
    return Table(
        values, label_indices, class_names, None, features, hashlib.sha256(data).hexdigest()
    )


def _member(path: Path, archive: np.lib.npyio.NpzFile, name: str) -> np.ndarray:
    try:
        return archive[name]
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise refuse(
                path,
                f", array '{name}'",
                "holds Python objects (a pickle), which are never read; save numbers, or "
                "labels as text",
            ) from None
        raise refuse(path, f", array '{name}'", f"cannot be read ({one_line(error)})") from None
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise refuse(path, f", array '{name}'", f"cannot be read ({one_line(error)})") from None


def _label_texts(path: Path, labels: np.ndarray) -> list[str]:
    """An npz's labels as the text a CSV would hold."""
    if labels.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(labels))
        if len(bad):
            raise refuse(
                path, f", array 'y', row {bad[0]}", f"{labels[bad[0]]} is not a finite label"
            )
    if labels.dtype.kind == "b":
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iufU":
        raise refuse(path, ", array 'y'", f"holds {labels.dtype} values, not numbers or text")
    return [str(label) for label in labels.tolist()]


def read_folder(path: Path) -> Table:
    folders = sorted(item for item in path.iterdir() if item.is_dir() and item.name[0] != ".")
    if len(folders) < 2:
        raise refuse(
            path,
            "",
            f"holds {len(folders)} class folder{'' if len(folders) == 1 else 's'}; it needs "
            "one folder of PNG images per class, and at least two classes",
        )
    if len(folders) > MAX_CLASSES:
        raise refuse(path, "", f"holds {len(folders)} class folders; at most {MAX_CLASSES}")
    files = []
    for folder in folders:
        pngs = sorted(item for item in folder.iterdir() if item.suffix.lower() == ".png")
        if not pngs:
            raise refuse(folder, "", "holds no .png images")
        files.append(pngs)
    count = sum(len(pngs) for pngs in files)
    if count > MAX_ROWS:
        raise refuse(path, "", f"holds {count:,} images; at most {MAX_ROWS:,}")

    digest = hashlib.sha256()
    first: tuple[Path, tuple[int, int]] | None = None
    images, labels = [], []
    for label, pngs in enumerate(files):
        for file in pngs:
            data = _read_bytes(file)
            digest.update(f"{file.relative_to(path)}\0{len(data)}\0".encode())
            digest.update(data)
            try:
                size = png_size(data)
                _check_image_size(file, size, first)
                images.append(read_png(data).ravel())
            except PngError as error:
                raise refuse(file, "", str(error)) from None
            first = first or (file, size)
            labels.append(label)
    _check_class_sizes(path, np.array(labels), tuple(folder.name for folder in folders), "")
    assert first is not None  # every class folder holds an image
    return Table(
        np.array(images),
        np.array(labels, dtype=np.int64),
        tuple(folder.name for folder in folders),
        first[1][0],
        None,
        digest.hexdigest(),
    )


def _check_image_size(
    file: Path, size: tuple[int, int], first: tuple[Path, tuple[int, int]] | None
) -> None:
    width, height = size
    if width != height:
        raise refuse(
            file, "", f"is {width}×{height} pixels; images must be square (one input per pixel)"
        )
    if width > MAX_IMAGE_SIDE:
        raise refuse(
            file,
            "",
            f"is {width}×{height} pixels; at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} "
            "(one input neuron per pixel)",
        )
    if first is not None and size != first[1]:
        other, (w, h) = first
        raise refuse(
            file,
            "",
            f"is {width}×{height} pixels, but {other} is {w}×{h}; all images must be the same size",
        )


# ------------------------------------------------------------------ shared checks


def _classes(path: Path, where: str, texts: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Label indices and class names: numeric order if every label is a number."""
    if all(_is_number(text) for text in texts):
        values = np.array([float(text) for text in texts])
        unique, labels = np.unique(values, return_inverse=True)
        names = tuple(f"{value:g}" for value in unique)
    else:
        unique_texts, labels = np.unique(np.array(texts, dtype=str), return_inverse=True)
        names = tuple(str(text) for text in unique_texts)
    labels = labels.astype(np.int64)
    if len(names) < 2:
        raise refuse(
            path, where, f"every row has the label {names[0]!r}; it takes at least two classes"
        )
    if len(names) > MAX_CLASSES:
        raise refuse(path, where, f"holds {len(names)} classes; at most {MAX_CLASSES}")
    _check_class_sizes(path, labels, names, where)
    return labels, names


def _check_class_sizes(path: Path, labels: np.ndarray, names: tuple[str, ...], where: str) -> None:
    counts = np.bincount(labels, minlength=len(names))
    if counts.min() < 2:
        name = names[int(counts.argmin())]
        raise refuse(
            path,
            where,
            f"class {name!r} has a single sample; every class needs at least two (one to "
            "train on, one to test on)",
        )


def _check_features(path: Path, count: int, what: str) -> None:
    if count > MAX_FEATURES:
        raise refuse(path, "", f"has {count} {what}; the show draws at most {MAX_FEATURES} inputs")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UserError(unreadable(path, error)) from None
