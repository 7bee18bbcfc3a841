"""The README's promises: its commands are the ones CI runs, and its example runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_readme_opens_with_the_install_and_run_command_then_the_test_command():
    app, tests = (block.strip() for block in _blocks("sh")[:2])
    assert README.index(app) < README.index(tests) < README.index("## ")
    assert "pip install ." in app and "neural-particles" in app
    assert "pip install -e '.[test]'" in tests and "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command():
    tests = _blocks("sh")[1].strip()
    ci_lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == tests


def test_the_readme_python_example_runs():
    (example,) = _blocks("python")
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["forward"].activations[1].shape == (16, 16)
