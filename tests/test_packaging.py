"""What a wheel carries: every package of the source tree and every data folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_in_the_source_tree_is_listed():
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "visualizer").rglob("__init__.py")
    }
    assert on_disk <= set(SETUP["packages"]), on_disk - set(SETUP["packages"])


def test_every_data_folder_and_its_files_are_shipped():
    data = SETUP["package-data"]
    for package, folder in SETUP["package-dir"].items():
        shipped = {
            path
            for pattern in data[package]
            for path in (ROOT / folder).glob(pattern)
            if path.is_file()
        }
        on_disk = {path for path in (ROOT / folder).rglob("*") if path.is_file()}
        assert on_disk == shipped, sorted(str(p.relative_to(ROOT)) for p in on_disk - shipped)
