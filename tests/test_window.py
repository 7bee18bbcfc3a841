"""The real window, on a virtual display (Xvfb), driven with real key presses (xdotool)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pygame
import pytest
from conftest import decoded_frames, ffprobe, file_size_limited, have_xvfb, need, received

from visualizer.config import lesson_names
from visualizer.hud.layout import hud_layout, slider_track
from visualizer.hud.picker import picker_button, picker_rows
from visualizer.hud.slider import SpeedSlider
from visualizer.render.palette import RECORDING_DOT

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 30.0


def stop_timeout() -> float:
    """The seconds the shipped systemd unit gives a stop before it kills the app."""
    unit = (ROOT / "packaging" / "neural-particles.service").read_text()
    line = next(line for line in unit.splitlines() if line.startswith("TimeoutStopSec="))
    return float(line.split("=", 1)[1])


@pytest.fixture
def display():
    need(have_xvfb(), "Xvfb and xdotool")
    name = f":{300 + os.getpid() % 600}"
    server = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{name[1:]}").exists():
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield name
    server.terminate()
    server.wait(5)


def launch(
    display: str, home: Path, *args: str, command: list[str] | None = None, env: dict | None = None
) -> subprocess.Popen:
    """The app (or ``command``, then the app's arguments) on ``display`` with ``home``."""
    env = {**(env or os.environ), "DISPLAY": display, "HOME": str(home), "SDL_AUDIODRIVER": "dummy"}
    return subprocess.Popen(
        [*(command or [sys.executable, "main.py"]), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(stream, needle: str) -> list[str]:
    lines = []
    deadline = time.monotonic() + STARTUP_TIMEOUT
    for line in stream:
        lines.append(line)
        if needle in line:
            return lines
        assert time.monotonic() < deadline, f"no '{needle}' in {lines}"
    raise AssertionError(f"the app ended before '{needle}': {lines}")


def first_frame_then_sigterm(app: subprocess.Popen, timeout: float = 10.0) -> int:
    """Wait for the show's first frame, ask it to stop, and return its exit status."""
    try:
        wait_for_line(app.stderr, "first frame of the show")
        app.send_signal(signal.SIGTERM)
        return app.wait(timeout)
    finally:
        app.kill()


def xdotool(display: str, pid: int, *command: str) -> None:
    """Run ``xdotool *command`` with the app's window as ``{window}``."""
    env = {**os.environ, "DISPLAY": display}
    window = subprocess.run(
        ["xdotool", "search", "--sync", "--pid", str(pid)],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.split()[0]
    arguments = [part.format(window=window) for part in command]
    subprocess.run(["xdotool", *arguments], env=env, check=True, timeout=10)


def press(display: str, pid: int, key: str) -> None:
    xdotool(display, pid, "windowfocus", "--sync", "{window}")
    xdotool(display, pid, "key", key)


def click(display: str, pid: int, point: tuple[float, float]) -> None:
    x, y = (str(round(v)) for v in point)
    xdotool(display, pid, "mousemove", "--window", "{window}", x, y, "click", "1")


def test_the_window_opens_draws_saves_a_screenshot_and_quits_on_escape(display, tmp_path):
    (tmp_path / "Pictures").mkdir()
    with launch(display, tmp_path, "--speed", "10") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            time.sleep(1.0)  # a second of the show at 10×
            press(display, app.pid, "F12")
            saved = (
                wait_for_line(app.stdout, "screenshot saved")[-1]
                .split("screenshot saved: ")[1]
                .strip()
            )
            press(display, app.pid, "Escape")
            assert app.wait(10) == 0
        finally:
            app.kill()
    path = Path(saved)
    assert path.parent == tmp_path / "Pictures"
    image = pygame.surfarray.array3d(pygame.image.load(str(path)))
    assert image.shape[:2] == (1280, 720)
    assert (image.max(axis=2) > 200).sum() > 200  # lit neurons and particles, not a blank frame
    assert np.mean(image) < 80  # on the dark backdrop


def test_clicking_the_speed_slider_in_the_window_changes_the_speed(display, tmp_path):
    layout = hud_layout((1280, 720))
    slider = SpeedSlider(slider_track(layout), (1.0, 5.0, 10.0))
    x, y = round(slider.detent_x(2)), round(slider.track.y + slider.track.height / 2)
    with launch(display, tmp_path) as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            click(display, app.pid, (x, y))
            wait_for_line(app.stderr, "speed 10×")
            press(display, app.pid, "Escape")
            assert app.wait(10) == 0
        finally:
            app.kill()


def test_the_lesson_picker_starts_another_lesson_in_the_same_window(display, tmp_path):
    layout = hud_layout((1280, 720))
    button = picker_button(layout, images=True)
    rows = picker_rows(layout, len(lesson_names()))
    xor = rows[lesson_names().index("xor")]
    # Opening paused, the buttons for the pointer are on screen from the first frame.
    with launch(display, tmp_path, "--set", "choreography.start_paused=true") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            click(display, app.pid, (button.centre_x, button.y + button.height / 2))  # opens …
            click(display, app.pid, (xor.centre_x, xor.y + xor.height / 2))  # … and picks
            wait_for_line(app.stderr, "lesson xor")
            # The keys: K opens the list on the lesson on screen, Down moves to the next.
            for key in ("k", "Down", "Return"):
                press(display, app.pid, key)
            wait_for_line(app.stderr, "lesson worked-example")
            press(display, app.pid, "Escape")
            assert app.wait(10) == 0
        finally:
            app.kill()


def test_without_a_display_the_app_says_so_in_one_line(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env["SDL_VIDEODRIVER"] = "x11"
    result = subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
    assert len(errors) == 1 and errors[0].startswith(
        "neural-particles: error: cannot open a window"
    )
    assert "--offscreen" in errors[0] and "Traceback" not in result.stderr


def _no_display_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a service started before (or without) the desktop session."""
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    runtime = home / "runtime"  # a session's private folder: Wayland's client looks there
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {**env, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), **extra}


@pytest.mark.parametrize("args", [(), ("--kiosk",)])
def test_with_no_display_at_all_the_app_exits_2_at_once_instead_of_running_unseen(tmp_path, args):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=_no_display_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,  # unfixed, SDL's offscreen driver runs the show unseen until this ends
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "neural-particles: error: no display found (DISPLAY is not set); run it in a desktop "
        "session or point DISPLAY (or WAYLAND_DISPLAY) at one, e.g. DISPLAY=:0, or use "
        "--offscreen or --headless"
    ]
    assert elapsed < 10.0, f"{elapsed:.1f} s"


def test_a_display_that_does_not_answer_is_named(tmp_path):
    result = subprocess.run(
        [sys.executable, "main.py", "--kiosk"],
        cwd=ROOT,
        env=_no_display_env(tmp_path, DISPLAY=":987"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no display found (DISPLAY=:987 did not answer)" in result.stderr


def test_an_invisible_driver_asked_for_by_name_is_allowed(tmp_path):
    env = _no_display_env(tmp_path, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    with subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as app:
        assert first_frame_then_sigterm(app) == 0


def test_a_kiosk_ignores_esc_and_q_and_quits_only_on_the_chord(display, tmp_path):
    with launch(display, tmp_path, "--kiosk") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            press(display, app.pid, "Escape")
            press(display, app.pid, "q")
            time.sleep(1.0)
            assert app.poll() is None  # still running
            press(display, app.pid, "ctrl+alt+shift+q")
            assert app.wait(10) == 0
        finally:
            app.kill()


def test_in_visitor_mode_the_touch_that_wakes_the_kiosk_only_begins_its_story(display, tmp_path):
    layout = hud_layout((1280, 720))
    slider = SpeedSlider(slider_track(layout), (1.0, 5.0, 10.0))
    middle = slider.track.y + slider.track.height / 2
    with launch(display, tmp_path, "--kiosk", "--set", "kiosk.visitor_mode=true") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            click(display, app.pid, (slider.detent_x(2), middle))  # wakes it: not 10×
            wait_for_line(app.stderr, "a visitor: a fresh run (seed 1) tells its story")
            click(display, app.pid, (slider.detent_x(1), middle))  # awake: the slider's
            assert not any("speed 10×" in line for line in wait_for_line(app.stderr, "speed 5×"))
            press(display, app.pid, "ctrl+alt+shift+q")
            assert app.wait(10) == 0
        finally:
            app.kill()


def test_sigterm_shuts_a_kiosk_down_cleanly_within_a_second_and_saves_training(display, tmp_path):
    with launch(display, tmp_path, "--kiosk", "--speed", "10") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            time.sleep(2.0)
            started = time.monotonic()
            app.send_signal(signal.SIGTERM)
            assert app.wait(5) == 0
            elapsed = time.monotonic() - started
            log = app.stderr.read()
        finally:
            app.kill()
    assert "shutting down" in log and "shut down in" in log
    assert elapsed < 1.0, f"{elapsed:.2f} s from SIGTERM to exit"
    checkpoint = (
        tmp_path / ".local" / "share" / "neural-particles" / "checkpoints" / "checkpoint.npz"
    )
    assert checkpoint.is_file()


def test_under_systemd_a_kiosk_says_ready_pings_from_its_loop_and_stopping_first(
    display, tmp_path, notify_manager
):
    """The notify protocol end to end, as a service manager sees it (Type=notify with a
    watchdog), and the status file beside it; SIGTERM ends it well within the unit's stop
    timeout (a fraction of a second here; half the timeout, on a busy machine)."""
    manager, address = notify_manager
    manager.settimeout(STARTUP_TIMEOUT)
    env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000"}
    with launch(display, tmp_path, "--kiosk", "--speed", "10", env=env) as app:
        try:
            messages = [manager.recv(4096).decode() for _ in range(2)]
            while messages.count("WATCHDOG=1") < 3:  # one every 0.2 s, from the frame loop
                messages.append(manager.recv(4096).decode())
            status_file = tmp_path / ".local" / "state" / "neural-particles" / "status.json"
            status = json.loads(status_file.read_text())
            signalled = time.monotonic()
            app.send_signal(signal.SIGTERM)
            after = [manager.recv(4096).decode()]
            stopping_after = time.monotonic() - signalled
            assert app.wait(5) == 0
            exited_after = time.monotonic() - signalled
            after += received(manager)
        finally:
            app.kill()
    assert messages[0] == "READY=1" and messages[1].startswith("STATUS=")
    assert after[0] == "STOPPING=1"  # before the checkpoint is saved and the trainer joined
    assert status["pid"] == app.pid and status["restarts"] == 0 and status["language"] == "en"
    limit = stop_timeout() / 2
    assert stopping_after < exited_after < limit, f"{exited_after:.2f} s from SIGTERM to exit"


def test_a_corrupt_checkpoint_is_set_aside_and_the_kiosk_starts_afresh(display, tmp_path):
    folder = tmp_path / ".local" / "share" / "neural-particles" / "checkpoints"
    folder.mkdir(parents=True)
    (folder / "checkpoint.npz").write_bytes(b"not a checkpoint")
    with launch(display, tmp_path, "--kiosk") as app:
        assert first_frame_then_sigterm(app) == 0
    assert any(".corrupt-" in path.name for path in folder.iterdir())


def test_a_driver_without_opengl_3_3_is_one_clear_line(display, tmp_path):
    env = {
        **os.environ,
        "DISPLAY": display,
        "HOME": str(tmp_path),
        "MESA_GL_VERSION_OVERRIDE": "3.0",
    }
    result = subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    errors = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
    assert result.returncode == 2
    assert len(errors) == 1 and "OpenGL 3.3 is needed for the window" in errors[0]
    assert "Traceback" not in result.stderr


ONE_RGB = ("-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")


def grab_screen(display: str) -> np.ndarray:
    """What the display shows, as (height, width, 3) RGB: the window and F9's mark on it."""
    import imageio_ffmpeg

    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "x11grab", "-i", display, *ONE_RGB],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return np.frombuffer(result.stdout, np.uint8).reshape(720, 1280, 3)


def mark_pixels(picture: np.ndarray) -> tuple[int, int]:
    """The red dot's pixels and the white text's, where F9's mark goes (the stage's corner)."""
    stage, unit = hud_layout((1280, 720)).stage, hud_layout((1280, 720)).unit
    corner = picture[
        round(stage.y) : round(stage.y + 3 * unit), round(stage.x) : round(stage.x + 8 * unit)
    ].astype(int)
    red = np.round(np.array(RECORDING_DOT[:3]) * 255)
    return int((np.abs(corner - red).max(axis=2) < 40).sum()), int((corner.min(axis=2) > 200).sum())


def test_f9_records_a_clip_into_pictures_and_its_mark_is_on_screen_but_not_in_the_clip(
    display, tmp_path
):
    (tmp_path / "Pictures").mkdir()
    with launch(display, tmp_path, "--speed", "10") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            press(display, app.pid, "F9")
            wait_for_line(app.stderr, "recording ")
            time.sleep(1.5)  # a second and a half of the show into the clip
            screen = grab_screen(display)
            press(display, app.pid, "F9")
            saved = wait_for_line(app.stdout, "clip saved")[-1]
            press(display, app.pid, "Escape")
            assert app.wait(10) == 0
        finally:
            app.kill()
    path = Path(saved.split("clip saved: ")[1].split(" (MP4")[0])
    assert path.parent == tmp_path / "Pictures" and path.name.startswith("neural-particles-")
    assert path.suffix == ".mp4" and [p.name for p in path.parent.iterdir()] == [path.name]
    stream = ffprobe(path)
    assert (stream["codec_name"], stream["pix_fmt"]) == ("h264", "yuv420p")
    assert (stream["width"], stream["height"]) == (1280, 720) and stream["r_frame_rate"] == "30/1"
    assert int(stream["nb_read_frames"]) >= 30  # 1.5 s and more at 30 fps
    frames = decoded_frames(path, (1280, 720))
    assert (frames.max(axis=3) > 200).sum(axis=(1, 2)).min() > 200  # the show, lit
    dots, letters = mark_pixels(screen)
    assert dots > 50 and letters > 30  # on screen while recording …
    assert max(mark_pixels(frame) for frame in frames) == (0, 0)  # … and never in the clip


def test_a_disk_that_fills_up_while_f9_records_is_a_notice_and_the_show_goes_on(display, tmp_path):
    (tmp_path / "Pictures").mkdir()
    command, env = file_size_limited(200_000, tmp_path)  # a second or less of clip
    with launch(display, tmp_path, "--speed", "10", command=command, env=env) as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            press(display, app.pid, "F9")
            failed = wait_for_line(app.stderr, "cannot write the clip")[-1]
            press(display, app.pid, "1")  # the show is still running: it answers
            wait_for_line(app.stderr, "speed 1×")
            press(display, app.pid, "Escape")
            assert app.wait(10) == 0
        finally:
            app.kill()
    assert "ffmpeg was stopped by signal SIGXFSZ; the show goes on" in failed
    assert list((tmp_path / "Pictures").iterdir()) == []  # neither the clip nor its partial file


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def _saved_epoch(checkpoint: Path) -> int:
    """The epoch a kiosk's checkpoint has reached (0 before the first); written atomically,
    so it can be read while the kiosk runs."""
    if not checkpoint.exists():
        return 0
    with np.load(checkpoint) as saved:
        return json.loads(str(saved["meta"]))["epoch"]


def test_a_kiosk_whose_metrics_disk_is_full_logs_it_once_and_goes_on(display, tmp_path):
    # At 1000× an epoch's 15 cycles take about a second of frames.
    args = ("--kiosk", "--speed", "1000", "--metrics-out", "/dev/full", "--epochs", "50")
    checkpoint = tmp_path / ".local/share/neural-particles/checkpoints/checkpoint.npz"
    with launch(display, tmp_path, *args) as app:
        try:
            wait_for_line(app.stderr, "cannot write metrics to /dev/full")
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while _saved_epoch(checkpoint) < 4:  # two more epochs ended, and failed, unsaid
                assert app.poll() is None, "the kiosk quit"
                assert time.monotonic() < deadline, "no more epochs ended"
                time.sleep(0.1)
            app.send_signal(signal.SIGTERM)
            assert app.wait(5) == 0
            rest = app.stderr.read()
        finally:
            app.kill()
    assert "cannot write metrics" not in rest and "internal error" not in rest


def test_a_screenshot_that_cannot_be_written_is_a_notice_and_the_show_goes_on(display, tmp_path):
    (tmp_path / "Pictures").symlink_to("/proc")  # a folder even root cannot create files in
    with launch(display, tmp_path) as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            press(display, app.pid, "F12")
            folder = tmp_path / "Pictures"
            wait_for_line(app.stderr, f"cannot write the screenshot {folder}/neural-particles-")
            press(display, app.pid, "Escape")  # still running, and quits as usual
            assert app.wait(10) == 0
        finally:
            app.kill()


def test_a_kiosk_keeps_only_its_newest_screenshots(display, tmp_path):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    args = ("--kiosk", "--set", "kiosk.allow_keys=true", "--set", "kiosk.screenshots_kept=2")
    with launch(display, tmp_path, *args) as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            for _ in range(4):
                press(display, app.pid, "F12")
                wait_for_line(app.stdout, "screenshot saved")
            app.send_signal(signal.SIGTERM)
            assert app.wait(5) == 0
        finally:
            app.kill()
    assert len(list(pictures.glob("neural-particles-*.png"))) == 2


def test_sighup_a_logout_shuts_a_kiosk_down_like_sigterm_and_saves(display, tmp_path):
    with launch(display, tmp_path, "--kiosk", "--speed", "10") as app:
        try:
            wait_for_line(app.stderr, "first frame of the show")
            time.sleep(2.0)  # some training to save
            started = time.monotonic()
            app.send_signal(signal.SIGHUP)
            assert app.wait(5) == 0  # unhandled, SIGHUP kills the process: status -1
            elapsed = time.monotonic() - started
        finally:
            app.kill()
    assert elapsed < 1.0, f"{elapsed:.2f} s from SIGHUP to exit"
    assert (tmp_path / ".local/share/neural-particles/checkpoints/checkpoint.npz").is_file()


def test_a_window_larger_than_the_screen_opens_at_the_screen_size_and_stops_at_once(
    display, tmp_path
):
    args = ("--set", "window.width=16384", "--set", "window.height=16384")
    with launch(display, tmp_path, *args) as app:
        try:
            started = wait_for_line(app.stderr, "first frame of the show")
            app.send_signal(signal.SIGTERM)
            began = time.monotonic()
            assert app.wait(30) == 0
            elapsed = time.monotonic() - began
        finally:
            app.kill()
    assert any(
        "a 16384×16384 window does not fit the screen; opening 1280×720" in line for line in started
    )
    assert elapsed < 1.0, f"{elapsed:.2f} s from SIGTERM to exit"


def _forget_display(number: int) -> None:
    """Remove what a killed X server on ``:number`` left (a live one keeps its files)."""
    lock = Path(f"/tmp/.X{number}-lock")
    try:
        os.kill(int(lock.read_text().strip()), 0)
        return
    except (OSError, ValueError):
        pass
    for leftover in (lock, Path(f"/tmp/.X11-unix/X{number}")):
        leftover.unlink(missing_ok=True)


def test_losing_the_x_server_saves_the_kiosks_training_before_the_exit(tmp_path):
    need(have_xvfb(), "Xvfb and xdotool")
    number = 900 + os.getpid() % 90
    name = f":{number}"
    _forget_display(number)  # so that its socket's existence means this server is up
    server = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "640x480x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{name[1:]}").exists():
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        with launch(name, tmp_path, "--kiosk", "--speed", "10") as app:
            try:
                wait_for_line(app.stderr, "first frame of the show")
                time.sleep(2.0)  # some training to save
                server.kill()  # the X server dies under the kiosk
                status = app.wait(10)
                log = app.stderr.read()
            finally:
                app.kill()
    finally:
        server.kill()
        server.wait(5)
        _forget_display(number)  # killed, it cleaned up nothing
    assert status == 1 and "the connection to the display was lost" in log
    assert "saved a checkpoint after losing the display" in log
    checkpoint = tmp_path / ".local/share/neural-particles/checkpoints/checkpoint.npz"
    with np.load(checkpoint) as saved:
        meta = json.loads(str(saved["meta"]))
    assert (meta["epoch"], meta["batch"]) >= (1, 1)  # mid-epoch: not an epoch's own save


def test_a_second_kiosk_on_the_same_state_folder_says_so_in_one_line(display, tmp_path):
    with launch(display, tmp_path, "--kiosk") as first:
        try:
            wait_for_line(first.stderr, "first frame of the show")
            second = subprocess.run(
                [sys.executable, "main.py", "--kiosk"],
                cwd=ROOT,
                env={**os.environ, "DISPLAY": display, "HOME": str(tmp_path)},
                capture_output=True,
                text=True,
                timeout=60,
            )
            first.send_signal(signal.SIGTERM)
            assert first.wait(5) == 0
        finally:
            first.kill()
    folder = tmp_path / ".local/share/neural-particles/checkpoints"
    assert second.returncode == 2
    assert second.stderr == (
        f"neural-particles: error: another Neural Particles kiosk (process {first.pid}) is "
        f"already using {folder}; stop it first, or give this one its own folder "
        "(XDG_DATA_HOME)\n"
    )
