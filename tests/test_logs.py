"""The log file: never a traceback, never followed through a symlink, warnings said once."""

from __future__ import annotations

import errno
import logging

import pytest

from visualizer.logs import FILE_ONLY, LOG_NAME, setup_logging


class _FullDisk:
    """A log stream on a disk with no room left: writes are buffered, flushes fail."""

    def write(self, text: str) -> int:
        return len(text)

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return 0

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        self.flush()


@pytest.fixture
def restore_logging(tmp_path):
    yield
    setup_logging("warning", tmp_path / "restored")


def test_a_full_log_disk_is_one_warning_then_stderr_only(tmp_path, capsys, restore_logging):
    setup_logging("info", tmp_path)
    (file,) = [h for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
    file.stream.close()
    file.stream = _FullDisk()
    log = logging.getLogger("visualizer.test")
    log.error("stopped: a user error", extra={FILE_ONLY: True})
    log.error("stopped again", extra={FILE_ONLY: True})
    log.warning("still said on stderr")
    setup_logging("warning", tmp_path / "elsewhere")  # closing the broken file is quiet too
    assert capsys.readouterr().err.splitlines() == [
        f"WARNING visualizer.logs: cannot write the log file {tmp_path / LOG_NAME} "
        "(No space left on device): logging to stderr only",
        "WARNING visualizer.test: still said on stderr",
    ]


def test_an_unusable_log_folder_is_said_once_however_often_logging_is_set_up(
    tmp_path, capsys, restore_logging
):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert setup_logging("warning", blocker) is None
    assert setup_logging("info", blocker) is None  # the CLI sets up twice: before the config
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1 and errors[0].startswith("WARNING visualizer.logs: no log file (")


def test_a_symlink_planted_at_the_log_path_is_not_followed(tmp_path, capsys, restore_logging):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / LOG_NAME).symlink_to(victim)
    assert setup_logging("info", tmp_path) is None
    logging.getLogger("visualizer.test").info("must not reach the victim")
    assert victim.read_text() == "precious\n"
    assert "no log file" in capsys.readouterr().err
