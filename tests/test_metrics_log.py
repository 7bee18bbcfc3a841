"""The metrics file: whole JSON lines, even after a write the disk cut short."""

from __future__ import annotations

import errno
import json

import pytest

from visualizer.metrics_log import MetricsLog, MetricsWriteFailed


class _FillsUp:
    """A file on a disk that fills after ``room`` more bytes, then empties again."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.data = b""

    def write(self, data: bytes) -> int:
        if self.room == 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        part = data[: self.room]
        self.room -= len(part)
        self.data += part
        return len(part)

    def close(self) -> None:
        pass


def test_a_line_cut_short_by_a_full_disk_leaves_the_next_lines_whole(tmp_path, records):
    epoch_end = next(r for r in records if r.ends_epoch)
    log = MetricsLog(tmp_path / "m.jsonl")
    log._file.close()
    disk = log._file = _FillsUp(room=20)
    with pytest.raises(MetricsWriteFailed) as caught:
        log.write(epoch_end)
    assert caught.value.kind == errno.ENOSPC
    assert str(caught.value).endswith("m.jsonl: No space left on device")
    assert log.write_or_report(epoch_end) is not None  # the first report of this kind
    assert log.write_or_report(epoch_end) is None  # said once, not every epoch
    disk.room = 10_000  # space again
    log.write(epoch_end)
    log.write(epoch_end)
    torn, *whole = disk.data.decode().split("\n")
    assert len(torn) == 20 and whole[-1] == ""
    assert [json.loads(line)["epoch"] for line in whole[:-1]] == [1, 1]
