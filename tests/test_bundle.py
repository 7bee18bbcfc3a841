"""The one-folder desktop app: build it with PyInstaller as docs/packaging.md says, run it.

The bundle is built once into a temporary folder (about 30 s on two cores) and run from
there, away from the checkout, so it must carry its own Python, libraries and data folders.
Needs PyInstaller (``pip install '.[bundle]'``; the ``test`` extra has it too).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import need

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "neural-particles.spec"
NAME = "neural-particles"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built app's folder, ``<dist>/neural-particles``."""
    need(
        importlib.util.find_spec("PyInstaller") is not None, "PyInstaller (pip install '.[bundle]')"
    )
    work = tmp_path_factory.mktemp("pyinstaller")
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm"]
    command += ["--distpath", str(work / "dist"), "--workpath", str(work / "build")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return work / "dist" / NAME


def _run(bundle: Path, *args: str, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess:
    executable = bundle / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(SDL_AUDIODRIVER="dummy", **extra_env)
    return subprocess.run(
        [str(executable), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_bundle_carries_the_data_folders_where_the_app_looks_for_them(bundle: Path):
    # PyInstaller 6 puts everything under _internal (sys._MEIPASS), where the package's
    # __file__ lives, so visualizer.resources finds the folders beside the package.
    internal = bundle / "_internal"
    assert (internal / "config" / "default.yaml").is_file()
    assert (internal / "shaders" / "common.glsl").is_file()
    assert (internal / "assets" / "fonts" / "OFL.txt").is_file()


def test_the_bundle_prints_its_version(bundle: Path, tmp_path: Path):
    from visualizer import __version__

    result = _run(bundle, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{NAME} {__version__}"


def test_the_bundle_trains_headless(bundle: Path, tmp_path: Path):
    result = _run(bundle, "--headless", "--epochs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "epoch 2/2" in result.stdout
    assert "done:" in result.stdout


def test_the_bundle_lists_its_lessons_and_trains_one(bundle: Path, tmp_path: Path):
    from visualizer.config import lesson_names

    listed = _run(bundle, "--list-lessons", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split(" — ")[0] for line in listed.stdout.splitlines()] == list(lesson_names())
    result = _run(bundle, "--lesson", "xor", "--headless", "--epochs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 → 4 → 1" in result.stdout and "epoch 2/2" in result.stdout


def test_the_bundle_renders_offscreen(bundle: Path, tmp_path: Path, gl):
    # ``gl`` proves this machine has EGL (or skips/fails as conftest.need says).
    shot = tmp_path / "shot.png"
    result = _run(bundle, "--offscreen", "--frames", "5", "--screenshot", str(shot), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert shot.is_file()
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_user_error_in_the_bundle_is_one_line_and_status_2(bundle: Path, tmp_path: Path):
    result = _run(bundle, "--set", "training.learnin_rate=0.1", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{NAME}: error: ") and "training.learnin_rate" in line


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a freedesktop menu entry")
def test_the_bundle_adds_itself_to_the_desktop_menu(bundle: Path, tmp_path: Path):
    data_home = tmp_path / "share"
    result = _run(bundle, "--install-desktop-entry", cwd=tmp_path, XDG_DATA_HOME=str(data_home))
    assert result.returncode == 0, result.stderr
    entry = (data_home / "applications" / f"{NAME}.desktop").read_text(encoding="utf-8")
    assert f"Exec={(bundle / NAME).resolve()}\n" in entry  # the bundle, not a Python
    assert (data_home / "icons" / "hicolor" / "256x256" / "apps" / f"{NAME}.png").is_file()
