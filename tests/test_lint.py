"""ruff keeps the code clean and formatted, and mypy checks its type hints; running them here
makes the one test command prove it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return _run("ruff", *args)


def test_ruff_finds_no_lint_errors():
    result = _ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_ruff_formatted():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors():
    # What to check and how strictly is in pyproject.toml's [tool.mypy].
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


MAX_MODULE_LINES = 450  # a module longer than this holds more than one job: split it


def test_no_module_in_the_package_is_over_450_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "visualizer").rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
