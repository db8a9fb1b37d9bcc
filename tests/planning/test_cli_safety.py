"""The command line with bad outcomes: rejected rows are stated by every analysis command, and a file that cannot
be written (a folder in the way, a full disk) is one sentence and exit 2, with the previous file kept whole."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR
from tests.conftest import REPO

EVIL_ROW = "坏设施<b>,老年大学,118.0,28.46,100,,,\n"


@pytest.fixture
def demo_with_rejected_row(tmp_path):
    """The demo study with one facility row of an unknown kind (validation rejects it)."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder)
    with open(folder / "facilities.csv", "a", encoding="utf-8") as f:
        f.write(EVIL_ROW)
    return folder


def _rows(folder) -> int:
    return sum(1 for _ in open(folder / "facilities.csv", encoding="utf-8")) - 1


def test_check_states_the_rejected_rows_before_its_figures(demo_with_rejected_row, capsys):
    code = main(["check", str(demo_with_rejected_row), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    row = _rows(demo_with_rejected_row)
    line = next(x for x in out.splitlines() if "rows rejected" in x)
    assert line.startswith(
        "note: facilities layer (facilities.csv): 1 rows rejected and left out of every analysis"
    )
    assert f"row {row} '坏设施<b>'" in line and "is not a facility kind" in line
    assert out.index(line) < out.index("20 rules of preset xinzhou")


def test_site_states_the_rejected_rows_in_chinese(demo_with_rejected_row, capsys):
    code = main(
        ["site", str(demo_with_rejected_row), "--kind", "day_care", "--add", "1", "--time-limit", "20"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert (
        f"注意: 养老服务设施图层（facilities.csv）有 1 行被拒绝，未计入任何分析：第 {_rows(demo_with_rejected_row)} 行「坏设施<b>」（「类型」"
        in out
    )


def test_a_clean_study_says_nothing_about_rejections(capsys):
    assert main(["check", str(DEMO_DIR), "--lang", "en"]) == 0
    assert "rejected" not in capsys.readouterr().out


def test_json_path_under_a_file_is_one_sentence_exit_2(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code = main(["check", str(DEMO_DIR), "--json", str(blocker / "check.json"), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    last = err.splitlines()[-1]  # the lines before it are the progress bar's
    assert last.startswith(f"error: cannot write {blocker / 'check.json'}") and "folder, not a file" in last
    assert "Traceback" not in err


def _limit_file_size(n_bytes: int):
    def apply() -> None:  # in the child: writes past n_bytes fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, n_bytes))

    return apply


def test_a_full_disk_keeps_the_previous_output_and_says_one_sentence(tmp_path):
    """A real write failure from the kernel (the file-size limit stands in for a full disk): exit 2, one sentence,
    the previous JSON still whole and no temporary file left beside it."""
    out = tmp_path / "out"
    out.mkdir()
    previous = {"previous": True}
    (out / "check.json").write_text(json.dumps(previous), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planning.cli",
            "check",
            str(DEMO_DIR),
            "--json",
            str(out / "check.json"),
            "--lang",
            "en",
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        preexec_fn=_limit_file_size(20_000),
        timeout=600,
    )
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.splitlines()[-1]
    assert last.startswith(f"error: cannot write {out / 'check.json'}") and "disk space" in last
    assert "Traceback" not in proc.stderr
    assert json.loads((out / "check.json").read_text(encoding="utf-8")) == previous
    assert sorted(p.name for p in out.iterdir()) == ["check.json"]


def test_terminal_control_characters_in_names_are_shown_as_escapes(tmp_path, capsys):
    """A name carrying an ANSI escape (here: retitle the window, clear the screen) or a bidi override reaches the
    terminal in every table: it is printed as visible escapes, never acted on."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder)
    with open(folder / "facilities.csv", "a", encoding="utf-8") as f:
        f.write("\x1b]0;pwned\x07\x1b[2J坏\u202e设施,老年大学,118.0,28.46,100,,,\n")
    code = main(["check", str(folder), "--lang", "zh"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "「\\x1b]0;pwned\\x07\\x1b[2J坏\\u202e设施」" in out


def test_coverage_outputs_carry_no_phone_number_and_no_live_formula(tmp_path, capsys):
    """A community named with a phone number inside and a street named like a formula: the JSON, the points CSV and
    the map layers keep the names but never the number, and the CSV cell cannot run as a formula."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder)
    path = folder / "communities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = data["features"][0]["properties"]
    name_key = next(k for k in first if k in ("name", "名称", "社区名称"))
    street_key = next(k for k in first if k in ("street", "街道", "所属街道"))
    street = first[street_key]
    first[name_key] = "联系13812345678社区"
    for feature in data["features"]:
        if feature["properties"][street_key] == street:
            feature["properties"][street_key] = '=HYPERLINK("http://127.0.0.1:9/","x")'
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "coverage",
            str(folder),
            "--kinds",
            "day_care",
            "--json",
            str(out / "cov.json"),
            "--points",
            str(out / "pts.csv"),
            "--layers",
            str(out / "layers.gpkg"),
        ]
    )
    capsys.readouterr()
    assert code == 0
    for file in out.iterdir():
        assert b"13812345678" not in file.read_bytes(), file.name
    text = (out / "pts.csv").read_text(encoding="utf-8")
    assert "联系***社区" in text
    assert ',"\'=HYPERLINK(""http' in text and ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
