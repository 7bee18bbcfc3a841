"""The status file: atomic rewrites, never through a symlink, and failures that are logged
once and never stop the show."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from visualizer.status_file import StatusFile


def test_the_folder_is_made_and_the_file_holds_the_json(tmp_path):
    path = tmp_path / "state" / "neural-particles" / "status.json"
    assert StatusFile(path).write({"run": 1, "last_error": None})
    assert json.loads(path.read_text()) == {"run": 1, "last_error": None}


def test_a_rewrite_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "status.json"
    status = StatusFile(path)
    assert status.write({"epoch": 1, "note": "a" * 10_000})
    with path.open() as reader:  # a monitoring tool in the middle of reading …
        assert status.write({"epoch": 2})
        # … still reads the whole old file: the new one is another file, renamed over it,
        # not the old one truncated and written again.
        assert json.loads(reader.read()) == {"epoch": 1, "note": "a" * 10_000}
    assert json.loads(path.read_text()) == {"epoch": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["status.json"]


def test_a_symlink_planted_at_its_path_is_replaced_not_followed(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    path = tmp_path / "status.json"
    path.symlink_to(precious)
    assert StatusFile(path).write({"run": 2})
    assert precious.read_text() == "keep me"
    assert not path.is_symlink() and json.loads(path.read_text()) == {"run": 2}


def test_an_unwritable_folder_is_logged_once_and_the_show_goes_on(tmp_path, caplog):
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be")  # fails even for root
    status = StatusFile(blocker / "status.json")
    with caplog.at_level(logging.ERROR):
        results = [status.write({"epoch": epoch}) for epoch in range(5)]
    assert results == [False] * 5
    assert len(caplog.records) == 1
    assert "cannot write the status file" in caplog.text and str(blocker) in caplog.text
    assert blocker.read_text() == "a file where the folder should be"


def test_a_folder_at_its_path_is_a_failure_of_its_own_kind_and_leaves_nothing_behind(
    tmp_path, caplog
):
    path = tmp_path / "status.json"
    path.mkdir()
    (path / "inside").write_text("untouched")
    status = StatusFile(path)
    with caplog.at_level(logging.ERROR):
        assert not status.write({"epoch": 1})
        assert not status.write({"epoch": 2})
    assert len(caplog.records) == 1
    assert (path / "inside").read_text() == "untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["status.json"]  # no temporary
    path.joinpath("inside").unlink()
    path.rmdir()
    assert status.write({"epoch": 3})  # the next write tries again, and works
    assert json.loads(Path(path).read_text()) == {"epoch": 3}
