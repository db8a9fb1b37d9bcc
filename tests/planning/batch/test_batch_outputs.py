"""``eldercircle batch --report`` writes for each study what the single commands write (``coverage --json``,
``check --json``, ``report --out``): on a LocalCluster of 2 process workers, and on a separately started
``dask scheduler`` with two ``dask worker`` processes (a scheduler file in tmp).

The same names, and the same contents, except for fields that embed when or how a file was made and differ between
two runs of the same command:

* ``public_coverage_map.html`` (folium): the map's element ids (``map_<32 hex>``, ``geo_json_<32 hex>`` …), drawn at
  random per run; masked;
* ``layers.gpkg``: the GeoPackage's ``gpkg_contents.last_change`` timestamp (SQLite pages differ with it); compared
  as the layers it holds (names, columns, values, geometries);
* ``report.xlsx``: the workbook's ``docProps/core.xml`` created/modified times; compared as its sheets' cells, with
  the siting's solve time in the 说明 sheet (``用时 0.4 秒``) masked;
* PDF files: ``/CreationDate`` and ``/ModDate`` when a writer sets them; masked.

Every other file (coverage.json, check.json, the PNG prints, scenario.html) must be byte-identical.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest

from planning.batch import KEY_FILE, make_province
from planning.cli import main

REPO = Path(__file__).resolve().parents[3]
_IDS = re.compile(rb"_[0-9a-f]{32}(?![0-9a-f])")
#: A time the run measured itself, in a sentence (the siting's solve time: 用时 0.4 秒, 0.4 s).
_TIMES = re.compile(r"(用时 |; |, )\d+(\.\d+)? ?(秒|s)\b")
_PDF_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)")


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def counties(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_province(tmp_path_factory.mktemp("prov"), 2, sizes=(2500, 4000), seed=11)


@pytest.fixture(scope="module")
def singles(counties: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each county through the single commands, into ``<tmp>/<county>/`` as a batch run lays it out."""
    root = tmp_path_factory.mktemp("singles")
    for study in counties:
        out = root / study.name
        out.mkdir()
        assert _cli("coverage", str(study), "--json", str(out / "coverage.json"))[0] == 0
        assert _cli("check", str(study), "--json", str(out / "check.json"))[0] == 0
        assert _cli("report", str(study), "--out", str(out / "report"))[0] == 0
    return root


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_gpkg(got: Path, want: Path) -> None:
    names = [str(n) for n, _ in pyogrio.list_layers(want)]
    assert [str(n) for n, _ in pyogrio.list_layers(got)] == names
    for name in names:
        a, b = pyogrio.read_dataframe(got, layer=name), pyogrio.read_dataframe(want, layer=name)
        pd.testing.assert_frame_equal(
            a.drop(columns="geometry"), b.drop(columns="geometry"), check_exact=True
        )
        assert a.geometry.to_wkb().tolist() == b.geometry.to_wkb().tolist(), name


def _xlsx(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [tuple(_no_time(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def _no_time(value: object) -> object:
    return _TIMES.sub(r"\1<t> \3", value) if isinstance(value, str) else value


def _same(batch: Path, single: Path) -> None:
    """The batch's study folder holds the single commands' files (and its key file), each the same."""
    got, want = _files(batch), _files(single)
    assert set(got) == set(want) | {KEY_FILE}
    for rel, path in want.items():
        if path.suffix == ".gpkg":
            _same_gpkg(got[rel], path)
        elif path.suffix == ".xlsx":
            assert _xlsx(got[rel]) == _xlsx(path), rel
        elif path.suffix == ".html":
            assert _IDS.sub(b"_<id>", got[rel].read_bytes()) == _IDS.sub(b"_<id>", path.read_bytes()), rel
        elif path.suffix == ".pdf":
            assert _PDF_DATES.sub(b"", got[rel].read_bytes()) == _PDF_DATES.sub(b"", path.read_bytes()), rel
        else:
            assert got[rel].read_bytes() == path.read_bytes(), rel


def test_report_on_a_local_cluster_writes_what_the_single_commands_write(
    counties: list[Path], singles: Path, tmp_path: Path
) -> None:
    code, stdout = _cli("batch", *map(str, counties), "--out", str(tmp_path), "--workers", "2", "--report")
    assert code == 0, stdout
    for study in counties:
        _same(tmp_path / study.name, singles / study.name)


@contextlib.contextmanager
def _dask_cluster(folder: Path, workers: int = 2) -> Iterator[Path]:
    """A ``dask scheduler`` and ``workers`` ``dask worker`` processes (one thread each) started apart from this
    process, as on a cluster; yields the scheduler file. The processes are stopped (by their own ids) on exit."""
    file = folder / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    python_m = [sys.executable, "-m"]  # the `dask scheduler` and `dask worker` commands of this interpreter
    procs = [
        subprocess.Popen(
            [
                *python_m,
                "distributed.cli.dask_scheduler",
                "--scheduler-file",
                str(file),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=folder,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert file.is_file(), "the scheduler did not start"
        for k in range(workers):
            procs.append(
                subprocess.Popen(
                    [
                        *python_m,
                        "distributed.cli.dask_worker",
                        "--scheduler-file",
                        str(file),
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--name",
                        f"w{k}",
                        "--no-dashboard",
                        "--local-directory",
                        str(folder / f"w{k}"),
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=folder,
                )
            )
        yield file
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _wait_for_workers(file: Path, n: int) -> None:
    from distributed import Client

    with Client(scheduler_file=str(file), timeout=60) as client:
        client.wait_for_workers(n, timeout=120)


def test_report_on_a_separately_started_scheduler_writes_what_the_single_commands_write(
    counties: list[Path], singles: Path, tmp_path: Path
) -> None:
    with _dask_cluster(tmp_path) as file:
        _wait_for_workers(file, 2)
        out = tmp_path / "out"
        code, stdout = _cli(
            "batch", *map(str, counties), "--out", str(out), "--scheduler", str(file), "--report"
        )
    assert code == 0, stdout
    assert "已连接 Dask 调度器" in stdout and "2 个工作进程" in stdout
    assert "该调度器没有提供 Dask 仪表板" in stdout, stdout
    for study in counties:
        _same(out / study.name, singles / study.name)
