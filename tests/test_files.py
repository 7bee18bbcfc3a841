"""Files written whole or not at all: the atomic writer, PNG screenshots and their count."""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pygame
import pytest

from visualizer.atomic_file import temporaries, write_atomically
from visualizer.errors import UserError
from visualizer.render.snapshot import save_png
from visualizer.screenshots import save_screenshot


def test_a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"the old picture")

    def fill_the_disk(file) -> None:
        file.write(b"half a new pic")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, fill_the_disk)
    assert path.read_bytes() == b"the old picture"
    assert list(tmp_path.iterdir()) == [path] and temporaries(path) == []


def test_a_symlink_at_the_path_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    link = tmp_path / "entry.desktop"
    link.symlink_to(victim)
    write_atomically(link, b"new")
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_bytes() == b"new"


@pytest.mark.parametrize("target", ["/dev/full", "folder"])
def test_a_png_is_never_written_over_a_device_or_a_folder(tmp_path, target):
    path = Path(target) if target.startswith("/") else tmp_path
    if not path.exists():
        pytest.skip(f"no {path} here")
    with pytest.raises(UserError, match=f"cannot write the screenshot {path}: it "):
        save_png(np.zeros((4, 4, 3), np.uint8), path)


def test_save_png_writes_a_png_whatever_the_name_says(tmp_path):
    rgb = np.zeros((6, 10, 3), np.uint8)
    rgb[..., 0] = 200
    path = save_png(rgb, tmp_path / "shot.PNG")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pygame.surfarray.array3d(pygame.image.load(str(path))).shape == (10, 6, 3)


def test_the_kiosk_keeps_only_the_newest_screenshots_and_nothing_else_is_touched(tmp_path):
    mine = tmp_path / "neural-particles-holiday.png"  # not a name the app writes
    mine.write_bytes(b"a visitor's own file")
    start = datetime(2026, 5, 1, 12, 0, 0)
    rgb = np.zeros((4, 4, 3), np.uint8)
    saved = [
        save_screenshot(rgb, tmp_path, start + timedelta(seconds=0.25 * i), keep=3)
        for i in range(6)
    ]
    assert sorted(tmp_path.iterdir()) == sorted([mine, *saved[-3:]])
    assert saved[1].name == "neural-particles-20260501-120000-250.png"
    assert len({p.name for p in saved}) == 6  # two in one second do not overwrite each other


def test_without_a_limit_every_screenshot_stays(tmp_path):
    start = datetime(2026, 5, 1, 12, 0, 0)
    for i in range(4):
        save_screenshot(np.zeros((4, 4, 3), np.uint8), tmp_path, start.replace(second=i), None)
    assert len(os.listdir(tmp_path)) == 4
