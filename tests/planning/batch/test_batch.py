"""``eldercircle batch`` on a small synthetic province (two good counties, one broken): the first run through the
command on a LocalCluster of 2 process workers; the re-runs through :func:`run_batch` on a LocalCluster of 2 thread
workers (processes=False, for speed)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dask
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from planning.batch import (
    KEY_FILE,
    SUMMARY_FILES,
    BatchOptions,
    find_studies,
    make_province,
    run_batch,
    study_key,
)
from planning.batch.run import outcome, plan_batch
from planning.batch.studies import read_key
from planning.cli import main
from planning.errors import OptionError
from planning.i18n import say

GOOD = ("county-01", "county-02")
BROKEN = "county-03"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("province")
    make_province(root, 3, broken=["missing_layer"])
    return root


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def first_run(province: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("out")
    code, stdout, _ = _cli("batch", str(province), "--out", str(out), "--workers", "2")
    return out, code, stdout


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_the_broken_study_is_named_with_its_reason_and_the_run_exits_1(
    first_run: tuple[Path, int, str],
) -> None:
    _, code, stdout = first_run
    assert code == 1
    tail = stdout[stdout.index("以下 1 个研究区失败") :]
    assert BROKEN in tail and "facilities.csv" in tail and "不存在" in tail
    for name in GOOD:
        assert f"完成：{name}" in stdout
    assert "2 个研究区完成，1 个失败" in stdout


def test_a_good_study_writes_what_the_single_commands_write(
    first_run: tuple[Path, int, str], province: Path, tmp_path: Path
) -> None:
    out = first_run[0]
    study = province / GOOD[0]
    assert _cli("coverage", str(study), "--json", str(tmp_path / "coverage.json"))[0] == 0
    assert _cli("check", str(study), "--json", str(tmp_path / "check.json"))[0] == 0
    for name in ("coverage.json", "check.json"):
        assert (out / GOOD[0] / name).read_bytes() == (tmp_path / name).read_bytes(), name
    assert (out / GOOD[0] / KEY_FILE).is_file() and (out / BROKEN / KEY_FILE).is_file()
    assert not (out / BROKEN / "coverage.json").exists()


def test_the_summary_has_one_row_per_study(first_run: tuple[Path, int, str]) -> None:
    out = first_run[0]
    for name in SUMMARY_FILES:
        assert (out / name).stat().st_size > 0, name
    studies = json.loads((out / "summary.json").read_text(encoding="utf-8"))["studies"]
    assert [s["name"] for s in studies] == [*GOOD, BROKEN]
    good = studies[0]
    assert good["status"] == "ok" and good["elderly"] > 0 and 0 < good["circle"] <= 1
    assert good["passed"] > 0 and good["shortfalls"] and good["shares"]["day_care"] > 0
    assert studies[2]["status"] == "failed" and "facilities.csv" in studies[2]["reason"]
    table = pd.read_csv(out / "summary.csv", encoding="utf-8-sig")
    assert len(table) == 3 and {"研究区", "状态", "失败原因", "15 分钟养老服务圈覆盖率"} <= set(table.columns)
    assert list(table["状态"]) == ["完成", "完成", "失败"]
    book = pd.read_excel(out / "summary.xlsx")
    assert len(book) == 3 and book.columns[0] == "研究区"
    assert "各研究区 15 分钟养老服务圈覆盖率" in (out / "overview.html").read_text(encoding="utf-8")


def test_a_rerun_skips_every_unchanged_study_and_force_redoes_them(
    first_run: tuple[Path, int, str], province: Path, client: Client
) -> None:
    out = first_run[0]
    before = {n: (out / n / KEY_FILE).stat().st_mtime_ns for n in (*GOOD, BROKEN)}
    again = run_batch([province], out_dir=out, options=BatchOptions(), client=client)
    assert all(r.reused for r in again.records) and again.exit_code == 1
    assert {n: (out / n / KEY_FILE).stat().st_mtime_ns for n in before} == before
    forced = run_batch([province], out_dir=out, options=BatchOptions(force=True), client=client)
    assert not any(r.reused for r in forced.records)
    assert [r.status for r in forced.records] == ["ok", "ok", "failed"]
    assert all((out / n / KEY_FILE).stat().st_mtime_ns != before[n] for n in before)


def test_a_study_left_without_its_key_is_redone(
    first_run: tuple[Path, int, str], province: Path, client: Client
) -> None:
    out = first_run[0]
    (out / GOOD[1] / KEY_FILE).unlink()  # as a run killed before the key was written leaves it
    (out / GOOD[1] / "check.json").write_text("{half", encoding="utf-8")
    result = run_batch([province], out_dir=out, options=BatchOptions(), client=client)
    reused = {r.name: r.reused for r in result.records}
    assert reused == {GOOD[0]: True, GOOD[1]: False, BROKEN: True}
    assert json.loads((out / GOOD[1] / "check.json").read_text(encoding="utf-8"))["summary"]["pass"] > 0


def test_the_key_follows_the_inputs_and_the_options(province: Path, tmp_path: Path) -> None:
    study = province / GOOD[0]
    key = study_key(study, BatchOptions())
    assert key == study_key(study, BatchOptions(workers=3, force=True))  # how it runs does not count
    assert key != study_key(study, BatchOptions(preset="jiangxi"))
    assert key != study_key(study, BatchOptions(lang="en"))
    copy = tmp_path / "copy"
    make_province(copy, 1)
    (copy / "county-01" / "facilities.csv").write_bytes(
        (study / "facilities.csv").read_bytes().replace(b"1200", b"1300")
    )
    assert study_key(copy / "county-01", BatchOptions()) != key


def test_studies_are_found_in_folders_globs_and_zips(province: Path, tmp_path: Path) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted((province / GOOD[0]).iterdir()):
            z.write(f, f"zipped/{f.name}")
    found = find_studies([str(province), str(province / "county-0*"), str(archive)])
    assert [n for n, _ in found] == [*GOOD, BROKEN, "zipped"]
    with pytest.raises(OptionError) as err:
        find_studies([str(tmp_path / "nowhere")])
    assert "nowhere" in say(err.value, "zh") and "study.toml" in say(err.value, "zh")


def test_usage_errors_exit_2_in_chinese(tmp_path: Path) -> None:
    code, _, err = _cli("batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert code == 2 and "错误：" in err and "不是研究区" in err
    code, _, err = _cli(
        "batch", str(tmp_path), "--out", str(tmp_path / "o"), "--workers", "0", "--lang", "en"
    )
    assert code == 2 and "--workers must be a whole number" in err
    code, _, err = _cli("batch", str(tmp_path), "--out", str(tmp_path / "o"), "--memory-limit", "lots")
    assert code == 2 and "--memory-limit 应为内存大小" in err


def test_an_unreachable_scheduler_is_one_sentence(province: Path, tmp_path: Path) -> None:
    options = BatchOptions(scheduler="tcp://127.0.0.1:9", lang="zh", connect_s=2)
    with pytest.raises(OptionError) as err:
        run_batch([province / GOOD[0]], out_dir=tmp_path, options=options)
    said = say(err.value, "zh")
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in said
    assert not (tmp_path / GOOD[0] / KEY_FILE).exists()


def test_every_broken_county_fails_with_its_own_reason(tmp_path: Path, client: Client) -> None:
    root = tmp_path / "prov"
    make_province(root, 3, broken=["missing_layer", "corrupt_osm", "unknown_preset"])
    result = run_batch([root], out_dir=tmp_path / "out", options=BatchOptions(), client=client)
    reasons = {r.name: r.reason for r in result.records}
    assert "facilities.csv" in reasons["county-01"]
    assert "streets.osm" in reasons["county-02"] and "OSM XML" in reasons["county-02"]
    assert "atlantis" in reasons["county-03"] and "预设" in reasons["county-03"]
    for reason in reasons.values():  # Chinese sentences: no English sentence (three words running) in them
        assert re.search(r"[\u4e00-\u9fff]", reason) and not re.search(
            r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", reason
        )


def _die() -> None:
    os._exit(1)  # as a worker killed for memory goes


def test_a_study_whose_worker_is_lost_is_recorded_failed() -> None:
    """A real worker process dies under the task (retried by the scheduler, then given up): the study is failed
    with a sentence, not a traceback."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        future = c.submit(_die, retries=1, pure=False)
        with contextlib.suppress(Exception):
            future.result(timeout=60)
        record = outcome(future, "county-09", "/p/county-09", BatchOptions(lang="zh"))
    assert record.status == "failed" and "工作进程" in record.reason and "--memory-limit" in record.reason
    assert record.retry  # not the study's data: the next run tries it again


def test_the_run_says_why_there_is_no_dashboard_link(first_run: tuple[Path, int, str]) -> None:
    stdout = first_run[2]
    if importlib.util.find_spec("bokeh") is None:
        line = next(x for x in stdout.splitlines() if "仪表板" in x)
        assert "bokeh" in line and "pip install bokeh" in line and "http" not in line
    else:
        assert re.search(r"Dask 仪表板：http://\S+/status", stdout)


def test_a_rerun_says_why_a_study_that_failed_on_its_data_is_skipped(
    first_run: tuple[Path, int, str], province: Path
) -> None:
    out = first_run[0]
    code, stdout, _ = _cli("batch", str(province), "--out", str(out))  # all unchanged: no cluster is started
    assert code == 1 and "共 3 个研究区：0 个待运行，3 个输入与选项未变而跳过" in stdout
    line = next(x for x in stdout.splitlines() if x.startswith(f"跳过：{BROKEN}"))
    assert "上次因数据问题失败" in line and "facilities.csv" in line and "--force" in line
    old = read_key(out / BROKEN)
    assert old is not None and not old[1].retry
    said = say("batch_skipped_failed", "en", name=BROKEN, reason=old[1].reason)
    assert said.startswith(f"skipped: {BROKEN} failed last time on its data (")


def _out_of_memory() -> None:
    raise MemoryError


def test_a_failure_that_is_not_the_studys_data_is_retried_on_the_next_run(
    province: Path, tmp_path: Path, client: Client
) -> None:
    out = tmp_path / "out"
    (out / GOOD[0] / "coverage.json").mkdir(
        parents=True
    )  # a folder in the way of an output, as a bad disk does
    first = run_batch([province / GOOD[0]], out_dir=out, options=BatchOptions(), client=client)
    record = first.records[0]
    assert record.status == "failed" and record.retry
    assert "coverage.json" in record.reason and "下次运行会重试" in record.reason
    assert read_key(out / GOOD[0]) is not None  # kept, with its reason, for the next run to say
    (out / GOOD[0] / "coverage.json").rmdir()  # the disk is fixed; the study's files are unchanged
    plan = plan_batch([province / GOOD[0]], out_dir=out, options=BatchOptions())
    assert list(plan.retried) == [GOOD[0]] and not plan.reused
    again = run_batch([province / GOOD[0]], out_dir=out, options=BatchOptions(), client=client, plan=plan)
    assert again.records[0].ok and not again.records[0].reused
    future = client.submit(_out_of_memory, pure=False)
    with contextlib.suppress(MemoryError):
        future.result(timeout=60)
    oom = outcome(future, "county-08", "/p/county-08", BatchOptions(lang="en"))
    assert oom.retry and oom.reason.startswith("out of memory") and "--memory-limit" in oom.reason
