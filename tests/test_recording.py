"""Recording clips: the clock, the GIF's timing, the recorder's bound, real files checked
with ffprobe and Pillow, the refusals, a missing encoder and a disk that fills up."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pygame
import pytest
from conftest import decoded_frames, ffprobe, file_size_limited, make_frame, need
from PIL import Image

from visualizer import cli
from visualizer.choreography import Phase
from visualizer.recording import recorder as recorder_module
from visualizer.recording.clock import ClipClock, every_nth
from visualizer.recording.gif_encoder import GifFile
from visualizer.recording.recorder import POOL, ClipFailed, ClipSummary, Recorder
from visualizer.recording.target import GIF, MP4, check_clip_target
from visualizer.recording.window import WindowClips
from visualizer.recording.writer import ClipWriteError
from visualizer.render.context import OffscreenTarget
from visualizer.render.palette import RECORDING_DOT
from visualizer.said import Said
from visualizer.show import Show
from visualizer.words import words_for

ROOT = Path(__file__).resolve().parents[1]
INSTALL = "pip install 'neural-particles[video]'"


def gif_frames(path: Path) -> tuple[list[np.ndarray], list[int]]:
    """Each frame of a GIF as shown (composited), and its delay in milliseconds."""
    frames, delays = [], []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
            delays.append(image.info["duration"])
    return frames, delays


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def one_error_line(result: subprocess.CompletedProcess | str) -> str:
    stderr = result if isinstance(result, str) else result.stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert stderr.startswith("neural-particles: error: "), stderr
    return stderr


# ---------------------------------------------------------------- the clip's clock


def test_each_offscreen_picture_is_exactly_one_clip_frame_however_long_the_run():
    dt = 1 / 60  # not exact in binary: a float clock would slip a frame over a long run
    clock = ClipClock(1 / Fraction(dt))
    assert [clock.advance(dt) for _ in range(200_000)] == [1] * 200_000


def test_a_gif_takes_every_nth_picture_and_keeps_at_most_30_fps():
    sixty = 1 / Fraction(1 / 60)  # a hair over 60: 1/60 is not exact in binary
    assert every_nth(sixty, 30) == sixty / 2  # every other picture
    assert every_nth(Fraction(50), 30) == 25
    assert every_nth(Fraction(30), 30) == 30 and every_nth(Fraction(2), 30) == 2
    clock = ClipClock(every_nth(1 / Fraction(1 / 60), 30))
    assert [clock.advance(1 / 60) for _ in range(6)] == [1, 0, 1, 0, 1, 0]


def test_in_the_window_a_stalled_picture_fills_the_frames_it_stood_for():
    clock = ClipClock(Fraction(30))
    # The first picture is at 0 s whatever came before; then 16, 18 and 16 ms; then a stall.
    assert [clock.advance(dt) for dt in (5.0, 0.016, 0.018, 0.016, 0.2)] == [1, 0, 1, 0, 6]
    assert clock.frames == 8


# ---------------------------------------------------------------- the GIF encoder


def picture(size: tuple[int, int], value: int) -> bytes:
    """An RGBA picture, bottom row first: one colour, with the top-left pixel marked."""
    rgba = np.full((size[1], size[0], 4), value, np.uint8)
    rgba[-1, 0] = (255, 0, 0, 255)  # the last row read is the top of the picture
    return rgba.tobytes()


def test_a_gif_keeps_the_clips_clock_in_centiseconds_and_splits_a_very_long_pause(tmp_path):
    path = tmp_path / "clip.gif"
    gif = GifFile(open(path, "wb"), (8, 6), Fraction(30))  # noqa: SIM115 (closed by close)
    for value in range(6):
        gif.add(picture((8, 6), 40 * value), 1)
    gif.add(picture((8, 6), 250), 30 * 700)  # 700 s: longer than GIF's longest delay
    gif.close()
    frames, delays = gif_frames(path)
    assert delays[:6] == [30, 40, 30, 30, 40, 30]  # 3.33 cs each, rounded so the sum keeps time
    assert delays[6:] == [655350, 44650] and sum(delays) == 200 + 700_000
    assert frames[0][0, 0].tolist() == [255, 0, 0]  # the right way up
    assert frames[3][3, 3].tolist() == [120, 120, 120]
    assert all(frame.shape == (6, 8, 3) for frame in frames)


# ---------------------------------------------------------------- the recorder


EVERY_PICTURE = 1 / Fraction(1 / 30)  # a clip frame for each picture 1/30 s apart


class SlowWriter:
    """A writer that holds every picture until released: an encoder falling behind."""

    def __init__(self, path, size, rate, live):
        self.size = size
        self.frames: list[int] = []
        self.release = threading.Event()
        self.path = path
        SlowWriter.last = self

    def write(self, rgba, frames):
        self.release.wait(10)
        self.frames.append(frames)

    def finish(self):
        self.path.write_bytes(b"clip")

    def abort(self):
        pass


@pytest.fixture
def slow_writer(monkeypatch):
    monkeypatch.setattr(
        recorder_module, "_open_writer", lambda f, p, s, r, live: SlowWriter(p, s, r, live)
    )
    return SlowWriter


def test_a_live_recorder_drops_pictures_the_encoder_cannot_take_and_keeps_the_clips_time(
    ctx, tmp_path, slow_writer
):
    target = OffscreenTarget(ctx, (32, 16))
    recorder = Recorder(tmp_path / "clip.mp4", (32, 16), EVERY_PICTURE, live=True)
    try:
        for _ in range(10):  # each 1/30 s: one clip frame each; the encoder takes none
            recorder.capture(target.framebuffer, 1 / 30)
        writer = slow_writer.last
        assert recorder.dropped == 10 - POOL  # the pool is the bound: the show never waited
        writer.release.set()
        deadline = time.monotonic() + 10
        while recorder._free.qsize() < POOL:  # the encoder gives the buffers back
            assert time.monotonic() < deadline
            time.sleep(0.01)
        recorder.capture(target.framebuffer, 1 / 30)
        clip = recorder.result()
    finally:
        target.release()
    # The next picture fills its own frame and the dropped pictures' frames: the clip keeps
    # the show's time.
    assert writer.frames == [1, 1, 1, 1 + 10 - POOL] and clip.frames == 11
    assert clip.dropped == 10 - POOL and "7 pictures dropped" in clip.describe()
    assert (tmp_path / "clip.mp4").read_bytes() == b"clip"


def test_an_offscreen_recorder_waits_for_the_encoder_and_drops_nothing(ctx, tmp_path, slow_writer):
    target = OffscreenTarget(ctx, (32, 16))
    recorder = Recorder(tmp_path / "clip.mp4", (32, 16), EVERY_PICTURE, live=False)
    threading.Timer(0.2, lambda: slow_writer.last.release.set()).start()
    try:
        for _ in range(10):
            recorder.capture(target.framebuffer, 1 / 30)
        clip = recorder.result()
    finally:
        target.release()
    assert slow_writer.last.frames == [1] * 10 and clip.dropped == 0


def test_a_writer_that_fails_leaves_no_file_and_says_why(ctx, tmp_path, monkeypatch):
    class FullDisk(SlowWriter):
        def write(self, rgba, frames):
            self.path.write_bytes(b"half a clip")
            raise ClipWriteError("No space left on device")

    monkeypatch.setattr(
        recorder_module, "_open_writer", lambda f, p, s, r, live: FullDisk(p, s, r, live)
    )
    target = OffscreenTarget(ctx, (32, 16))
    recorder = Recorder(tmp_path / "clip.gif", (32, 16), Fraction(30), live=False)
    try:
        recorder.capture(target.framebuffer, 0.0)
        with pytest.raises(ClipFailed, match=r"clip\.gif: No space left on device"):
            recorder.result()
    finally:
        target.release()
    assert recorder.failed and list(tmp_path.iterdir()) == []


def test_a_summary_says_what_was_left_out_and_what_was_dropped():
    odd = ClipSummary(Path("c.mp4"), MP4, (321, 200), (320, 200), 90, Fraction(30), 0)
    assert odd.describe() == (
        "c.mp4 (MP4 (H.264), 320×200, 90 frames at 30 fps: 3.0 s); "
        "H.264 needs even sides: the last column is left out"
    )
    both = ClipSummary(Path("c.mp4"), MP4, (321, 201), (320, 200), 9, Fraction(30), 2)
    assert both.describe().endswith(
        "the last column and row are left out; 2 pictures dropped: the encoder fell behind"
    )
    assert ClipSummary(Path("c.gif"), GIF, (9, 9), (9, 9), 9, Fraction(30), 0).describe() == (
        "c.gif (GIF, 9×9, 9 frames at 30 fps: 0.3 s)"
    )


# ---------------------------------------------------------------- real clips, offscreen

SHORT_CYCLE = (
    "--set",
    "choreography.forward_seconds=0.3",
    "--set",
    "choreography.backward_seconds=0.3",
    "--set",
    "choreography.update_seconds=0.2",
)


def test_an_offscreen_mp4_is_h264_yuv420p_with_every_frame_the_right_way_up(tmp_path):
    clip, shot = tmp_path / "clip.mp4", tmp_path / "last.png"
    result = run(
        "--offscreen", "--size", "320x200", "--frames", "24", *SHORT_CYCLE,
        "--record", str(clip), "--screenshot", str(shot),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"clip saved: {clip} (MP4 (H.264), 320×200, 24 frames at 60 fps: 0.4 s)" in (
        result.stdout
    )
    stream = ffprobe(clip)
    assert (stream["codec_name"], stream["pix_fmt"]) == ("h264", "yuv420p")
    assert (stream["width"], stream["height"], stream["nb_read_frames"]) == (320, 200, "24")
    assert stream["r_frame_rate"] == "60/1" and stream["color_space"] == "bt709"
    last = decoded_frames(clip, (320, 200))[-1].astype(int)
    expected = pygame.surfarray.array3d(pygame.image.load(str(shot))).transpose(1, 0, 2)
    assert np.abs(last - expected).mean() < 0.2 * np.abs(last - expected[::-1]).mean()  # upright
    assert np.abs((last - expected).mean(axis=(0, 1))).max() < 2  # no tint: BT.709 both ways
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clip.mp4", "last.png"]


def test_an_odd_size_loses_its_last_column_and_row_and_says_so(tmp_path):
    clip = tmp_path / "clip.mp4"
    result = run("--offscreen", "--size", "321x201", "--frames", "3", "--record", str(clip))
    assert result.returncode == 0, result.stderr
    assert "320×200" in result.stdout and "the last column and row are left out" in result.stdout
    stream = ffprobe(clip)
    assert (stream["width"], stream["height"], stream["nb_read_frames"]) == (320, 200, "3")


def test_an_offscreen_gif_has_every_other_frame_at_30_fps(tmp_path):
    clip, shot = tmp_path / "clip.gif", tmp_path / "last.png"
    result = run(
        "--offscreen", "--size", "320x200", "--frames", "24", *SHORT_CYCLE,
        "--record", str(clip), "--screenshot", str(shot),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(GIF, 320×200, 12 frames at 30 fps: 0.4 s)" in result.stdout
    frames, delays = gif_frames(clip)
    assert len(frames) == 12 and sum(delays) == 400 and frames[0].shape == (200, 320, 3)
    # The last GIF frame is the 23rd picture, the screenshot the 24th: nearly the same.
    expected = pygame.surfarray.array3d(pygame.image.load(str(shot))).transpose(1, 0, 2)
    assert np.abs(frames[-1].astype(int) - expected).mean() < 6


# ---------------------------------------------------------------- refusals


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder nobody may write into (even root: sysfs refuses new files)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").touch()
    except OSError:
        yield folder
    else:  # root ignores the permission bits
        (folder / "probe").unlink()
        need(Path("/sys/kernel").is_dir(), "a folder that cannot be written")
        yield Path("/sys")
    folder.chmod(0o755)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("clip.avi", "a clip is an .mp4 or a .gif file; got"),
        ("missing/clip.mp4", "does not exist"),
        ("folder.mp4", "it is a folder; give a file name"),
        ("locked", "the folder cannot be written"),
    ],
)
def test_a_broken_target_is_refused_before_anything_is_drawn(
    where, message, tmp_path, unwritable_folder, monkeypatch, capsys
):
    (tmp_path / "folder.mp4").mkdir()
    path = unwritable_folder / "clip.mp4" if where == "locked" else tmp_path / where

    def never(*args, **kwargs):
        raise AssertionError("rendering started")

    monkeypatch.setattr("visualizer.offscreen.run_offscreen", never)
    monkeypatch.setattr(cli, "_run_window", never)
    for mode in (["--offscreen"], []):
        assert cli.main([*mode, "--record", str(path)]) == 2
        stderr = one_error_line(capsys.readouterr().err)
        assert message in stderr


def test_a_clip_needs_pictures_so_headless_refuses_it(capsys):
    assert cli.main(["--headless", "--record", "clip.mp4"]) == 2
    assert "--record needs pictures" in one_error_line(capsys.readouterr().err)


def test_without_imageio_ffmpeg_one_line_says_how_to_install_it(tmp_path):
    stub = tmp_path / "stub" / "imageio_ffmpeg"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named imageio_ffmpeg')\n")
    env = {**os.environ, "PYTHONPATH": f"{stub.parent}{os.pathsep}{ROOT}"}
    result = run("--offscreen", "--record", str(tmp_path / "clip.mp4"), env=env)
    assert result.returncode == 2
    stderr = one_error_line(result)
    assert "recording MP4 (H.264) needs imageio-ffmpeg" in stderr and INSTALL in stderr
    assert not (tmp_path / "clip.mp4").exists()


def test_without_pillow_a_gif_is_refused_with_the_same_advice(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # importing it now fails, as when missing
    with pytest.raises(Exception, match=r"recording GIF needs Pillow .*neural-particles\[video\]"):
        check_clip_target(tmp_path / "clip.gif")


class FakeShow:
    """What the window's clips use of the show: notices (in English here)."""

    def __init__(self):
        self.said: list[str] = []

    def say(self, key, **values):
        self.said.append(Said.of(key, **values).text(words_for("en")))


def test_in_the_window_a_missing_encoder_is_a_notice_and_the_show_goes_on(monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    show = FakeShow()
    clips = WindowClips(show)  # type: ignore[arg-type]
    clips.toggle((640, 360))
    assert not clips.recording
    assert show.said == [f"Recording MP4 (H.264) needs the video extra: {INSTALL}"]


def test_record_in_the_window_starts_at_once_and_a_new_window_size_ends_the_clip(
    ctx, tmp_path, capsys
):
    show = FakeShow()
    clips = WindowClips(show, tmp_path / "clip.mp4")  # type: ignore[arg-type]
    target = OffscreenTarget(ctx, (64, 48))
    try:
        for _ in range(5):  # 1/30 s apart, and a hair more: five pictures at 30 fps
            clips.capture(target.framebuffer, (64, 48), 1 / 30 + 1e-6)
            recorder = clips._recorder
            deadline = time.monotonic() + 10
            while recorder._free.qsize() < POOL:  # as at 30 fps: the encoder keeps up
                assert time.monotonic() < deadline
                time.sleep(0.01)
        assert clips.recording
        clips.capture(target.framebuffer, (80, 48), 1 / 30)  # the window was resized
        assert not clips.recording
        clips.close()
    finally:
        target.release()
    assert show.said == ["Recording stopped: the window changed size"]
    assert capsys.readouterr().out == (
        f"clip saved: {tmp_path / 'clip.mp4'} (MP4 (H.264), 64×48, 5 frames at 30 fps: 0.2 s)\n"
    )
    assert ffprobe(tmp_path / "clip.mp4")["nb_read_frames"] == "5"


# ---------------------------------------------------------------- a disk that fills up


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("clip.mp4", "ffmpeg was stopped by signal SIGXFSZ"),
        ("clip.gif", "the GIF encoder: File too large"),
    ],
)
def test_a_disk_that_fills_up_mid_clip_is_one_line_and_leaves_no_partial_file(
    name, reason, tmp_path
):
    need(sys.platform != "win32", "RLIMIT_FSIZE (POSIX)")
    out = tmp_path / "clips"
    out.mkdir()
    command, env = file_size_limited(64_000, tmp_path)
    args = ["--offscreen", "--size", "640x360", "--frames", "120", "--speed", "10", "--record"]
    result = subprocess.run(
        [*command, *args, str(out / name)],  # 134 kB as an MP4, more as a GIF
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    stderr = one_error_line(result)
    assert f"cannot write the clip {out / name}: {reason}" in stderr
    assert list(out.iterdir()) == []  # neither the clip nor its partial file


# ---------------------------------------------------------------- the recording mark


def test_the_recording_mark_is_a_red_dot_and_rec_with_the_time_in_the_stages_corner(
    ctx, default_config, records
):
    size = (1280, 720)
    target = OffscreenTarget(ctx, size)
    show = Show(default_config, ctx, size)
    try:
        frame = make_frame(records[0], Phase.FORWARD, 0.5)
        show.frame = frame
        show.draw(frame, target.framebuffer)
        before = target.read_rgb().astype(int)
        show.renderer.draw_recording_mark(target.framebuffer, 75.0)
        after = target.read_rgb().astype(int)
        stage = show.renderer.hud_layout.stage
    finally:
        show.close()
        target.release()
    changed = np.argwhere(np.abs(after - before).max(axis=2) > 0)
    (top, left), (bottom, right) = changed.min(axis=0), changed.max(axis=0)
    assert stage.x <= left and right < stage.x + 0.2 * stage.width
    assert stage.y <= top and bottom < stage.y + 0.1 * stage.height
    mark = after[top : bottom + 1, left : right + 1]
    red = np.round(np.array(RECORDING_DOT[:3]) * 255)
    assert (np.abs(mark - red).max(axis=2) < 30).sum() > 50  # the dot
    assert (mark.min(axis=2) > 200).sum() > 30  # "REC 1:15" in white
