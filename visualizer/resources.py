"""Where the project's data folders (``config/``, ``shaders/``, ``assets/``) are found.

In a source checkout they sit beside the package; an installed wheel carries them inside
it as ``visualizer/_data/<name>`` (pyproject.toml maps them there); a PyInstaller bundle
unpacks them next to the package as in a checkout.
"""

from __future__ import annotations

from pathlib import Path

from visualizer.errors import UserError

_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The folder ``name`` (``config``, ``shaders`` or ``assets``), or a UserError if missing."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise UserError(
        f"the {name}/ folder is missing from this installation ({_PACKAGE.parent}); "
        "reinstall with 'pip install neural-particles' or run from a full checkout"
    )
