"""Helpers for the attack tests: the demo study as a benign base, zips of it with one evil change, and the check
that the command line refused in one sentence without a traceback or the planted secret."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from planning.cli import main
from tests.conftest import REPO

DEMO = REPO / "data" / "demo"
#: Text planted in files outside the study; it must never appear in any output.
SECRET = "TOPSECRET-5e1f-do-not-print"
#: The study.toml line naming the facilities layer and the network source in the demo.
FACILITIES_LINE = 'facilities = "facilities.csv"'
NETWORK_LINE = 'source = "streets.osm"'


def demo_copy(dest: Path) -> Path:
    """A copy of the demo study in ``dest`` (returned)."""
    shutil.copytree(DEMO, dest)
    return dest


def plant_secret(folder: Path) -> Path:
    """A CSV outside the study that would load as a facility layer (lon/lat inside the demo) and names the secret."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.csv"
    path.write_text(f"name,kind,lon,lat\n{SECRET},{SECRET},118.0,28.44\n", encoding="utf-8")
    return path


def study_toml(*, facilities: str | None = None, network: str | None = None) -> str:
    """The demo's study.toml with the facilities path and/or the network source replaced (TOML literal strings)."""
    text = (DEMO / "study.toml").read_text(encoding="utf-8")
    if facilities is not None:
        text = text.replace(FACILITIES_LINE, f"facilities = '{facilities}'")
    if network is not None:
        text = text.replace(NETWORK_LINE, f"source = '{network}'")
    return text


def zip_study(
    path: Path,
    *,
    toml: str | None = None,
    extra: dict[str, bytes | str] | None = None,
    skip: tuple[str, ...] = ("streets.osm",),
    root: str = "demo",
) -> Path:
    """Zip the demo under ``root/`` with study.toml replaced by ``toml`` and ``extra`` members added.

    The 1.6 MB OSM file is left out unless asked for (``skip=()``): attacks are refused before it is read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(DEMO.iterdir()):
            if file.name in skip:
                continue
            data = (
                toml.encode("utf-8")
                if (file.name == "study.toml" and toml is not None)
                else file.read_bytes()
            )
            zf.writestr(f"{root}/{file.name}" if root else file.name, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def zip_bytes(members: dict[str, bytes | str], *, stored: bool = False) -> bytes:
    """A zip of ``members`` in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line; returns the exit code, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(
    code: int, out: str, err: str, *, names: tuple[str, ...] = (), says: str | None = None
) -> str:
    """Exit 2, stderr exactly one line ``error: ...`` naming each of ``names``, no traceback, no secret; returns
    the line."""
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("[")]  # progress bars
    assert code == 2, (code, out, err)
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(("error: ", "错误：")), line
    assert "Traceback" not in out + err
    assert SECRET not in out + err
    assert "root:x:" not in out + err  # /etc/passwd
    for name in names:
        assert name in line, (name, line)
    if says is not None:
        assert re.search(says, line), (says, line)
    return line
