"""The menu entry and the icons: what --install-desktop-entry writes, the freedesktop
validator's verdict on it, --uninstall-desktop-entry removing it again, and the Windows ICO.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import need

from visualizer import desktop_entry
from visualizer.desktop_entry import (
    ICON_SIZES,
    install_desktop_entry,
    uninstall_desktop_entry,
)
from visualizer.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "assets" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def expected_files(data_home: Path) -> list[Path]:
    icons = data_home / "icons" / "hicolor"
    return [data_home / "applications" / "neural-particles.desktop"] + [
        icons / f"{size}x{size}" / "apps" / "neural-particles.png" for size in ICON_SIZES
    ]


def validate(path: Path) -> subprocess.CompletedProcess:
    validator = shutil.which("desktop-file-validate")
    need(validator is not None, "desktop-file-validate (Debian package desktop-file-utils)")
    return subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=30)


def glib_accepts(path: Path) -> bool:
    """Whether GLib (GDesktopAppInfo, what GNOME and most menus use) loads the entry; it
    also insists that Exec's program and TryExec exist. Through ctypes: PyGObject is not a
    dependency, but libgio comes with desktop-file-utils."""
    name = ctypes.util.find_library("gio-2.0")
    need(name is not None, "GLib's libgio-2.0 (Debian package libglib2.0-0)")
    gio = ctypes.CDLL(name)
    gio.g_desktop_app_info_new_from_filename.restype = ctypes.c_void_p
    gio.g_desktop_app_info_new_from_filename.argtypes = [ctypes.c_char_p]
    gio.g_object_unref.argtypes = [ctypes.c_void_p]
    info = gio.g_desktop_app_info_new_from_filename(os.fsencode(path))
    if info:
        gio.g_object_unref(info)
    return bool(info)


def entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:])


def test_install_writes_the_entry_and_every_icon_and_uninstall_removes_exactly_them(tmp_path):
    written = install_desktop_entry(tmp_path)
    assert written == expected_files(tmp_path)
    assert all(path.is_file() for path in written)
    for size in ICON_SIZES:
        copied = tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "neural-particles.png"
        assert copied.read_bytes() == (ICONS / f"neural-particles-{size}.png").read_bytes()
    keys = entry(written[0])
    assert keys["Type"] == "Application" and keys["Name"] == "Neural Particles"
    assert keys["Icon"] == "neural-particles" and keys["Terminal"] == "false"
    assert Path(keys["TryExec"]).is_absolute() and Path(keys["TryExec"]).exists()

    assert uninstall_desktop_entry(tmp_path) == written
    assert not any(path.exists() for path in written)
    assert uninstall_desktop_entry(tmp_path) == []  # already gone: no error


def test_the_installed_entry_passes_desktop_file_validate_and_glib(tmp_path):
    (desktop, *_) = install_desktop_entry(tmp_path)
    result = validate(desktop)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    assert glib_accepts(desktop)


def test_an_awkward_command_path_is_quoted_as_the_spec_says(tmp_path, monkeypatch):
    command = ["/opt/my apps/$HOME/50%/python", "-m", "visualizer"]
    monkeypatch.setattr(desktop_entry, "_command", lambda: command)
    (desktop, *_) = install_desktop_entry(tmp_path)
    assert entry(desktop)["Exec"] == (
        f'{shutil.which("env")} "/opt/my apps/\\\\$HOME/50%%/python" -m visualizer'
    )
    assert entry(desktop)["TryExec"] == command[0]
    result = validate(desktop)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_a_program_whose_path_holds_a_percent_sign_is_found_by_glib(tmp_path, monkeypatch):
    folder = tmp_path / "50% off"
    folder.mkdir()
    (folder / "python").symlink_to(sys.executable)  # a real program: GLib looks for it
    command = [str(folder / "python"), "-m", "visualizer"]
    monkeypatch.setattr(desktop_entry, "_command", lambda: command)
    (desktop, *_) = install_desktop_entry(tmp_path / "share")
    keys = entry(desktop)
    assert keys["Exec"].endswith(f'"{folder}/python" -m visualizer'.replace("%", "%%"))
    assert keys["TryExec"] == command[0]  # no field codes there: % stays itself
    result = validate(desktop)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    assert glib_accepts(desktop)


@pytest.mark.parametrize("odd", ["line\nbreak", "a\ttab", "\udcff-not-utf-8"])
def test_a_path_a_desktop_file_cannot_express_is_one_line_and_writes_nothing(
    tmp_path, monkeypatch, odd
):
    monkeypatch.setattr(desktop_entry, "_command", lambda: [f"/opt/{odd}/python", "-m", "x"])
    with pytest.raises(UserError) as raised:
        install_desktop_entry(tmp_path)
    message = str(raised.value)
    assert "\n" not in message and "cannot write a menu entry for '/opt/" in message
    assert "a .desktop file cannot hold a path with a line break, a tab" in message
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_planted_at_the_entry_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    desktop = tmp_path / "share" / "applications" / "neural-particles.desktop"
    desktop.parent.mkdir(parents=True)
    desktop.symlink_to(victim)
    install_desktop_entry(tmp_path / "share")
    assert victim.read_text() == "precious\n"
    assert not desktop.is_symlink() and entry(desktop)["Name"] == "Neural Particles"


def test_an_unwritable_data_home_is_a_one_line_user_error_naming_the_path(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a file where a folder must go fails even for root
    with pytest.raises(UserError) as raised:
        install_desktop_entry(blocker)
    message = str(raised.value)
    assert "\n" not in message
    assert f"cannot write {blocker / 'applications' / 'neural-particles.desktop'}" in message
    assert "XDG_DATA_HOME" in message


def run(*args: str, data_home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cli_installs_into_xdg_data_home_and_uninstalls_printing_each_path(tmp_path):
    files = expected_files(tmp_path)
    installed = run("--install-desktop-entry", data_home=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.splitlines() == [f"wrote {path}" for path in files]
    assert all(path.is_file() for path in files)

    removed = run("--uninstall-desktop-entry", data_home=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [f"removed {path}" for path in files]
    assert not any(path.exists() for path in files)

    again = run("--uninstall-desktop-entry", data_home=tmp_path)
    assert again.returncode == 0
    assert again.stdout == f"nothing to remove: no menu entry under {tmp_path}\n"


def test_install_and_uninstall_together_are_a_usage_error(tmp_path):
    result = run("--install-desktop-entry", "--uninstall-desktop-entry", data_home=tmp_path)
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert not any(tmp_path.iterdir())


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_every_icon_png_is_there_at_its_size():
    for size in ICON_SIZES:
        assert png_size((ICONS / f"neural-particles-{size}.png").read_bytes()) == (size, size)


def test_the_windows_ico_holds_the_pngs_from_16_to_256():
    data = (ICONS / "neural-particles.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 7)  # type 1: an icon
    sizes = []
    for index in range(count):
        width, height, colours, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        size = width or 256  # 0 stands for 256
        assert (height or 256) == size and (colours, planes, bits) == (0, 1, 32)
        image = data[offset : offset + length]
        assert len(image) == length and png_size(image) == (size, size)
        assert image == (ICONS / f"neural-particles-{size}.png").read_bytes()
        sizes.append(size)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
