"""Saved scenarios in the report: `report --scenario A --scenario B --adopt A` on a copy of the demo writes a print
sheet per scenario, the comparison sheets in the workbook, and a public map of the adopted plan; Chinese all the
way, and a stale scenario sheet goes with --force."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from planning.cli import main
from planning.demo import DEMO_DIR
from planning.scenario import AddedFacility, Scenario, save_scenario
from planning.study import load_study
from tests.planning.test_zh_scan import english_words, the_study_own_words_out


@pytest.fixture(scope="module")
def plans_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans") / "study"
    shutil.copytree(DEMO_DIR, folder)
    study = load_study(folder)
    closed = str(study.facilities.loc[study.facilities["kind"] == "day_care", "name"].iloc[0])
    a = Scenario(name="甲方案", study=study.name, notes="街道办提供的空置用房")
    a = a.with_added(
        AddedFacility(kind="day_care", lon=118.012, lat=28.462, name="新城日照中心", floor_area_m2=400)
    )
    a = a.with_closed(closed)
    b = Scenario(name="乙方案", study=study.name).with_added(
        AddedFacility(kind="embedded_home", lon=118.0, lat=28.47, name="乙嵌入式", beds=60)
    )
    save_scenario(study, a)
    save_scenario(study, b)
    out = folder.parent / "report"
    args = [
        "report",
        str(folder),
        "--out",
        str(out),
        "--scenario",
        "甲方案",
        "--scenario",
        "乙方案",
        "--adopt",
        "甲方案",
    ]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 0
    return folder, out


def test_each_scenario_gets_its_print_sheet(plans_report):
    _folder, out = plans_report
    for name in ("甲方案", "乙方案"):
        pdf = out / f"plan_{name}_print.pdf"
        assert pdf.is_file() and (out / f"plan_{name}_print.png").is_file()
        exe = shutil.which("pdftotext")
        if exe:
            text = subprocess.run([exe, str(pdf), "-"], capture_output=True, text=True).stdout
            flat = "".join(text.split())
            assert f"方案「{name}」" in flat and "现状" in flat
            # the study's own sources line is its words, not ours: the demo names its generator's file, and the
            # text beside the notes may come between the halves of that line in pdftotext's reading order
            words = english_words(the_study_own_words_out(text).replace("planning/demo.py", " "))
            assert not words - {"ODbL"}, sorted(words)


def test_the_workbook_compares_the_scenarios_in_chinese(plans_report):
    _folder, out = plans_report
    wb = load_workbook(out / "report.xlsx")
    assert {"方案对比", "方案甲方案-结论变化", "方案甲方案-社区", "方案乙方案-结论变化"} <= set(wb.sheetnames)
    side = wb["方案对比"]
    assert [c.value for c in side[1]] == ["指标", "现状", "甲方案", "乙方案"]
    labels = [row[0].value for row in side.iter_rows(min_row=2)]
    assert "日间照料中心 15 分钟内老年人" in labels
    for title in ("方案对比", "方案甲方案-结论变化", "方案甲方案-社区"):
        words = set()
        for row in wb[title].iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    words |= english_words(value)
        assert not words, (title, sorted(words))
    communities = wb["方案甲方案-社区"]
    assert communities.max_row > 1  # the closed and the added centre move some communities


def test_the_public_map_shows_the_adopted_plan(plans_report):
    _folder, out = plans_report
    html = (out / "public_coverage_map.html").read_text(encoding="utf-8")
    assert "采纳方案：甲方案" in html
    assert json.dumps("新城日照中心")[1:-1] in html  # the plan's new centre is on the published map (as JSON)


def test_a_scenario_not_asked_for_again_is_removed_with_force(plans_report):
    folder, out = plans_report
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["report", str(folder), "--out", str(out), "--force", "--scenario", "乙方案"]) == 0
    assert not (out / "plan_甲方案_print.pdf").exists() and (out / "plan_乙方案_print.pdf").is_file()


def test_an_unknown_scenario_is_one_sentence(tmp_path):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["report", str(DEMO_DIR), "--out", str(tmp_path / "r"), "--scenario", "没有这个方案"])
    said = err.getvalue().strip().splitlines()
    assert code == 2 and "没有这个方案" in said[-1] and "--save" in said[-1]
    assert not any("路网" in line for line in said)  # refused before the network is loaded
