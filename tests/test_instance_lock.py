"""One kiosk per state folder."""

from __future__ import annotations

import os

import pytest

from visualizer.errors import UserError
from visualizer.instance_lock import LOCK_NAME, instance_lock


def test_a_second_holder_is_told_who_holds_the_folder_and_the_lock_ends_with_the_first(
    tmp_path,
):
    folder = tmp_path / "state"
    with instance_lock(folder):
        with pytest.raises(UserError) as raised, instance_lock(folder):
            pass
        assert str(raised.value) == (
            f"another Neural Particles kiosk (process {os.getpid()}) is already using "
            f"{folder}; stop it first, or give this one its own folder (XDG_DATA_HOME)"
        )
    with instance_lock(folder):  # released: the next kiosk starts
        assert (folder / LOCK_NAME).read_text() == f"{os.getpid()}\n"


def test_a_symlink_planted_at_the_lock_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / LOCK_NAME).symlink_to(victim)
    with pytest.raises(UserError, match="cannot use the state folder"), instance_lock(tmp_path):
        pass
    assert victim.read_text() == "precious\n"
