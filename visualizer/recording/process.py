"""An encoder in a process of its own, fed pictures through its standard input.

Contract: ``EncoderProcess(command, name)`` starts ``command`` below the show's priority,
its messages going to a temporary file; ``send(data)`` writes to its input; ``finish(
seconds)`` closes the input and waits for it to exit; ``abort()`` kills it. A failure (it
could not start, it stopped, it ended with an error) raises ``ClipWriteError`` with its
last message, or how it ended.

Why a process: an encoder in the show's process would compete with the show for Python's
interpreter lock (a GIF encoder on a thread took the window from 33 to 25 frames per
second here); in a process of its own, at a lower priority, a busy machine slows the
encoder, which then drops pictures and says so, and not the show.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile

from visualizer.recording.writer import ClipWriteError

NICENESS = 19  # POSIX: the lowest, it takes what the show leaves; Windows: BELOW_NORMAL
_WINDOWS_FLAGS = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0) | getattr(
    subprocess, "CREATE_NEW_PROCESS_GROUP", 0
)


class EncoderProcess:
    def __init__(self, command: list[str], name: str) -> None:
        self._name = name
        # A file, not a pipe: a pipe nobody reads could fill up and block the encoder.
        self._messages = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or abort)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=self._messages,
                creationflags=_WINDOWS_FLAGS,
                start_new_session=True,  # a terminal's Ctrl+C stops the show, which ends the clip
            )
        except OSError as error:
            self._messages.close()
            raise ClipWriteError(f"{name} could not start ({error})") from None
        if sys.platform != "win32":
            with contextlib.suppress(OSError):  # not allowed: it runs at the show's priority
                os.setpriority(os.PRIO_PROCESS, self._process.pid, NICENESS)

    def send(self, data: bytes | memoryview) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(data)
        except OSError:  # it has stopped: its messages say why
            raise ClipWriteError(self._ended()) from None

    def finish(self, seconds: float) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(OSError):  # the exit status says what went wrong
            self._process.stdin.close()
        try:
            status = self._process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.abort()
            raise ClipWriteError(f"{self._name} did not finish within {seconds:.0f} s") from None
        if status != 0:
            raise ClipWriteError(self._ended())
        self._messages.close()

    def abort(self) -> None:
        self._process.kill()
        self._process.wait()
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe to a process that is gone
                self._process.stdin.close()
        self._messages.close()

    def _ended(self) -> str:
        """Why the encoder stopped: its last message, or how it exited."""
        status = self._process.wait()
        self._messages.seek(0)
        lines = self._messages.read().decode(errors="replace").strip().splitlines()
        if lines:  # ffmpeg's lines start with where they come from: "[out#0/mp4 @ 0x…] "
            return f"{self._name}: {lines[-1].split('] ')[-1][:200]}"
        if status < 0:
            return f"{self._name} was stopped by signal {_signal_name(-status)}"
        return f"{self._name} ended with status {status}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
