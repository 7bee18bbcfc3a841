"""The systemd user unit and the XDG autostart entry in packaging/: what they promise, and
that systemd's and freedesktop's own validators accept them."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

from conftest import need

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "packaging" / "neural-particles.service"
AUTOSTART = ROOT / "packaging" / "neural-particles-kiosk.desktop"


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_the_unit_is_a_watched_notify_service_of_the_graphical_session():
    unit = _ini(UNIT)
    service = unit["Service"]
    assert service["Type"] == "notify" and service["NotifyAccess"] == "main"
    assert service["ExecStart"].endswith("neural-particles --kiosk")
    assert int(service["WatchdogSec"]) >= 10
    assert service["Restart"] == "always" and int(service["RestartSec"]) > 0
    # A display that comes up late exits 2 and must be retried (docs/exhibit.md).
    assert "RestartPreventExitStatus" not in service
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    for key in ("After", "PartOf"):
        assert unit["Unit"][key] == "graphical-session.target"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"


def _verify(unit: Path, home: Path) -> subprocess.CompletedProcess:
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    return subprocess.run(
        ["systemd-analyze", "verify", "--user", "--man=no", str(unit)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_systemd_verifies_the_unit(tmp_path):
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze")
    # The command ExecStart names (%h is the home folder) must exist to be verified.
    command = tmp_path / "neural-particles" / ".venv" / "bin" / "neural-particles"
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n")
    command.chmod(0o755)
    result = _verify(UNIT, tmp_path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    # … and the check bites: a misspelt key is reported.
    misspelt = tmp_path / "neural-particles.service"
    misspelt.write_text(UNIT.read_text().replace("WatchdogSec=", "WatchdogSecs="))
    assert "Unknown key 'WatchdogSecs'" in _verify(misspelt, tmp_path).stderr


def test_the_autostart_entry_starts_the_kiosk_and_stays_out_of_the_menu():
    entry = _ini(AUTOSTART)["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split() == ["neural-particles", "--kiosk"]
    assert entry["NoDisplay"] == "true" and entry["Terminal"] == "false"


def test_desktop_file_validate_accepts_the_autostart_entry():
    need(shutil.which("desktop-file-validate") is not None, "desktop-file-validate")
    result = subprocess.run(
        ["desktop-file-validate", str(AUTOSTART)], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
