"""Kiosk logic, paths and logs: no window needed."""

from __future__ import annotations

import itertools
import logging

import pygame
import pytest

from visualizer.config import ConfigError, load_config
from visualizer.controls import Action, KioskKeys, Plain, PointerDown, SetSpeed, commands_for
from visualizer.kiosk import (
    NAMED_KEYS,
    AttractCycle,
    CursorIdle,
    chord_parts,
    drift,
    parse_chord,
)
from visualizer.logs import FILE_ONLY, LOG_NAME, MAX_BYTES, setup_logging
from visualizer.paths import checkpoint_dir, user_data_dir, user_log_dir

SPEEDS = (1.0, 5.0, 10.0)
CHORD_MODS = pygame.KMOD_LCTRL | pygame.KMOD_LALT | pygame.KMOD_LSHIFT


def key(code: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)


def test_the_exit_chord_needs_every_modifier():
    chord = parse_chord("ctrl+alt+shift+q")
    assert chord.matches(pygame.K_q, CHORD_MODS)
    assert chord.matches(pygame.K_q, pygame.KMOD_RCTRL | pygame.KMOD_RALT | pygame.KMOD_RSHIFT)
    assert not chord.matches(pygame.K_q, pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    assert not chord.matches(pygame.K_w, CHORD_MODS)
    assert parse_chord("ctrl+f10").key == pygame.K_F10


ASCII_SIGNS = [chr(c) for c in range(33, 127) if chr(c) not in "+{|}~" and not chr(c).isupper()]


@pytest.mark.parametrize("key", [*ASCII_SIGNS, *(f"f{n}" for n in range(1, 16)), *NAMED_KEYS])
def test_every_key_the_config_accepts_is_one_pygame_can_name(key):
    chord_parts(f"ctrl+{key}")
    code = parse_chord(f"ctrl+{key}").key
    assert code > 0 and pygame.key.name(code) != ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hyper+q",
        "ctrl+alt",
        "ctrl+banana",
        "ctrl+f16",
        "ctrl+f１",
        "ctrl+ｑ",
        "ctrl+é",
        "ctrl+~",
    ],
)
def test_a_bad_chord_is_a_config_error(text):
    with pytest.raises(ValueError):
        chord_parts(text)
    with pytest.raises(ConfigError, match=r"kiosk\.exit_chord"):
        load_config(overrides=[f"kiosk.exit_chord={text or '+'}"])


def test_in_a_kiosk_only_the_chord_quits_and_keys_are_off_unless_allowed():
    locked = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=False)
    for quitting in (key(pygame.K_ESCAPE), key(pygame.K_q), pygame.event.Event(pygame.QUIT)):
        assert commands_for(quitting, SPEEDS, (800, 600), locked) == []
    assert commands_for(key(pygame.K_q, CHORD_MODS), SPEEDS, (800, 600), locked) == [
        Plain(Action.QUIT)
    ]
    keys = (
        pygame.K_SPACE,
        pygame.K_r,
        pygame.K_d,
        pygame.K_2,
        pygame.K_F11,
        pygame.K_F5,
        pygame.K_F9,
    )
    for other in keys:
        assert commands_for(key(other), SPEEDS, (800, 600), locked) == []
    touch = pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5, dx=0, dy=0, finger_id=0)
    assert isinstance(commands_for(touch, SPEEDS, (800, 600), locked)[0], PointerDown)
    allowed = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=True)
    assert commands_for(key(pygame.K_2), SPEEDS, (800, 600), allowed) == [SetSpeed(5.0)]
    assert commands_for(key(pygame.K_F9), SPEEDS, (800, 600), allowed) == [Plain(Action.RECORD)]
    assert commands_for(key(pygame.K_ESCAPE), SPEEDS, (800, 600), allowed) == []
    assert commands_for(key(pygame.K_F11), SPEEDS, (800, 600), allowed) == []


def test_the_attract_cycle_holds_a_finished_run_then_asks_once_for_the_next():
    cycle = AttractCycle(hold_seconds=10.0)
    assert not cycle.tick(100.0, finished=False)
    assert [cycle.tick(3.0, finished=True) for _ in range(4)] == [False, False, False, True]
    assert cycle.seconds_left == 10.0  # counting again for the next finished run


def test_the_cursor_hides_when_left_alone_and_shows_when_moved():
    cursor = CursorIdle(hide_after=3.0)
    assert not cursor.tick(0.1)
    cursor.moved()
    assert cursor.tick(1.0) and cursor.tick(1.5)
    assert not cursor.tick(1.0)


def test_the_drift_wanders_slowly_within_its_amplitude_over_both_axes():
    offsets = [drift(second, 6, 1200.0) for second in range(0, 7200, 5)]
    assert max(abs(x) for x, _ in offsets) == 6 and max(abs(y) for _, y in offsets) == 6
    steps = [max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in itertools.pairwise(offsets)]
    assert max(steps) <= 1  # never more than a pixel in five seconds
    assert len(set(offsets)) > 60  # it covers an area, not a line
    assert drift(123.0, 0, 1200.0) == (0, 0)


def test_user_folders_follow_the_xdg_variables(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert user_log_dir() == tmp_path / "state" / "neural-particles"
    assert user_data_dir() == tmp_path / "data" / "neural-particles"
    assert checkpoint_dir() == tmp_path / "data" / "neural-particles" / "checkpoints"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # ignored, as the spec says
    assert user_data_dir().is_absolute()


def test_logs_go_to_a_rotating_file_and_file_only_records_skip_stderr(tmp_path, capsys):
    path = setup_logging("info", tmp_path)
    try:
        logging.getLogger("visualizer.test").info("to both")
        logging.getLogger("visualizer.test").info("to the file", extra={FILE_ONLY: True})
        logging.getLogger("visualizer.test").debug("below the level")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
        assert path.name == LOG_NAME and "to both" in text and "to the file" in text
        assert "below the level" not in text
        stderr = capsys.readouterr().err
        assert "to both" in stderr and "to the file" not in stderr
        rotating = [h for h in logging.getLogger().handlers if hasattr(h, "maxBytes")]
        assert rotating[0].maxBytes == MAX_BYTES and rotating[0].backupCount == 5
    finally:
        setup_logging("warning", tmp_path)


def test_an_unwritable_log_folder_leaves_logging_on_stderr(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    try:
        assert setup_logging("info", blocker / "logs") is None
    finally:
        setup_logging("warning", tmp_path)
