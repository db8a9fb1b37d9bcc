"""``eldercircle check`` and ``eldercircle report`` as a planner runs them: the demo study, presets, bad input.

The demo's deliberate shortfalls are listed in data/demo/README.md; the values below are the ones it states.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR
from planning.standards import rules_for
from tests.planning.test_study import make_study


def run(args: list[str]) -> tuple[int, str, str]:
    """Exit code, standard output, and standard error without the progress bars."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    errors = "".join(line for line in err.getvalue().splitlines(keepends=True) if not line.startswith("["))
    return code, out.getvalue(), errors


@pytest.fixture(scope="module")
def jiangxi(tmp_path_factory):
    """The demo checked with its own preset (xinzhou: Jiangxi with 上饶's and 信州区's targets), Chinese, JSON."""
    if not (DEMO_DIR / "study.toml").is_file():
        pytest.skip("data/demo is missing; run python -m planning.demo")
    path = tmp_path_factory.mktemp("check") / "jiangxi.json"
    code, out, _ = run(["check", str(DEMO_DIR), "--json", str(path)])
    assert code == 0
    return out, json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def henan(tmp_path_factory):
    """The same study checked against the Henan preset, English table."""
    if not (DEMO_DIR / "study.toml").is_file():
        pytest.skip("data/demo is missing; run python -m planning.demo")
    path = tmp_path_factory.mktemp("check") / "henan.json"
    code, out, _ = run(["check", str(DEMO_DIR), "--preset", "henan", "--lang", "en", "--json", str(path)])
    assert code == 0
    return out, json.loads(path.read_text(encoding="utf-8"))


def rows_of(data: dict, rule_id: str) -> dict[str, dict]:
    return {r["unit_name"]: r for r in data["rows"] if r["rule_id"] == rule_id}


def test_check_demo_lists_every_rule_with_values_and_citations(jiangxi):
    out, data = jiangxi
    rules = rules_for("xinzhou")
    assert [r["id"] for r in data["rules"]] == list(rules.ids())
    assert list(dict.fromkeys(r["rule_id"] for r in data["rows"])) == list(rules.ids())
    for rule in rules:
        assert f"【{rule.title_zh}】" in out and rule.citation in out, rule.id
    assert all(r["citation"] for r in data["rows"])
    assert "未核实" in out  # the unverified defaults are shown as such
    # the one-line summary ends the output, and the table is Chinese
    last = out.strip().splitlines()[-1]
    assert last.startswith("示范区（合成数据）：按“上饶市信州区”标准检查20条规则") and "不达标" in last
    assert "层级  单元" in out


def test_check_demo_finds_the_deliberate_shortfalls(jiangxi):
    _, data = jiangxi
    centre = rows_of(data, "street_centre_min_floor_m2")
    assert {
        s: (centre[s]["verdict"], centre[s]["value_m2"]) for s in ("西城街道", "北门街道", "新城街道")
    } == {"西城街道": ("fail", 680), "北门街道": ("fail", 850), "新城街道": ("fail", 0)}
    assert {s for s, r in centre.items() if r["level"] == "street" and r["verdict"] == "fail"} == {
        "西城街道",
        "北门街道",
        "新城街道",
    }
    daycare = rows_of(data, "daycare_urban_communities_share")
    for name in (
        "书院社区",
        "南门社区",
        "红旗社区",
        "锦绣社区",
        "翠苑社区",
        "金桂社区",
        "紫荆社区",
        "润园社区",
    ):
        assert daycare[name]["verdict"] == "fail" and daycare[name]["value_share"] == 0, name
    rural = rows_of(data, "rural_mutual_aid_villages_share")["示范区（合成数据）"]
    assert rural["verdict"] == "fail" and rural["value_share"] == pytest.approx(11 / 15)
    for village in ("竹林村", "黄泥村", "杨柳村", "塘口村"):
        assert village in rural["explanation_zh"]
    district = "示范区（合成数据）"
    assert rows_of(data, "nursing_beds_share")[district]["verdict"] == "fail"
    assert rows_of(data, "beds_per_1000_elderly")[district]["verdict"] == "fail"
    land = rows_of(data, "land_per_resident_m2")
    for street, value in (("老城街道", 0.065), ("北门街道", 0.061), ("新城街道", 0.035)):
        assert land[street]["verdict"] == "fail" and land[street]["value_m2_per_resident"] == pytest.approx(
            value, abs=5e-4
        ), street
        assert land[street]["need_m2_land"] > 0
    assert {s for s, r in land.items() if r["verdict"] == "fail"} == {"老城街道", "北门街道", "新城街道"}
    # blank land areas are estimated, and each estimate is stated
    estimated = [x for x in data["facility_land"] if x["basis"] == "floor_area_far"]
    assert len(estimated) == 25 and all("容积率0.8" in x["basis_zh"] for x in estimated)
    cobuild = rows_of(data, "cobuild_new_m2_per_100_households")
    assert {n: cobuild[n]["verdict"] for n in ("翠苑社区", "金桂社区", "紫荆社区", "润园社区")} == {
        "翠苑社区": "fail",
        "金桂社区": "fail",
        "紫荆社区": "fail",
        "润园社区": "pass",
    }
    assert cobuild["金桂社区"]["need_m2_floor"] == pytest.approx(462.2)  # 20 x 2311 / 100
    road = rows_of(data, "candidate_expressway_min_distance_m")
    assert road["候选地块33（云锦社区）"]["value_m"] == pytest.approx(16, abs=1)
    assert road["候选地块34（张家村）"]["value_m"] == pytest.approx(51, abs=1)
    assert {n for n, r in road.items() if r["verdict"] == "fail"} == {
        "候选地块33（云锦社区）",
        "候选地块34（张家村）",
    }


def test_switching_the_preset_changes_the_verdicts(jiangxi, henan):
    _, jx = jiangxi
    out, hn = henan
    assert hn["preset"] == "henan"
    jl, hl = rows_of(jx, "land_per_resident_m2"), rows_of(hn, "land_per_resident_m2")
    # 南湖街道 has 0.163 m² per resident: it meets Jiangxi's 0.1 only with its estimated land (0.078 on the land
    # given: the verdict hangs on the estimate, issue 13) and misses Henan's 0.2 either way
    assert jl["南湖街道"]["threshold_m2_per_resident"] == 0.1
    assert jl["南湖街道"]["verdict"] == "depends_on_estimate"
    assert hl["南湖街道"]["threshold_m2_per_resident"] == 0.2 and hl["南湖街道"]["verdict"] == "fail"
    assert hl["南湖街道"]["need_m2_land"] == pytest.approx(0.2 * 32820 - 5348, abs=1)
    # the province's own rule: a provincial preset borrows no county's target
    assert hl["南湖街道"]["citation"].startswith("河南省养老服务条例")
    # a street above 0.2 passes both; the streets below 0.1 fail both
    assert jl["东湖街道"]["verdict"] == hl["东湖街道"]["verdict"] == "pass"
    assert jl["新城街道"]["verdict"] == hl["新城街道"]["verdict"] == "fail"
    # co-building: Henan asks 30 / 20 m² per 100 households instead of 20 / 15
    assert (
        rows_of(hn, "cobuild_new_m2_per_100_households")["润园社区"]["threshold_m2_per_100_households"] == 30
    )
    # the street-centre rule is a Jiangxi (信州区) target, not Henan's
    assert "street_centre_min_floor_m2" not in {r["id"] for r in hn["rules"]}
    assert rows_of(hn, "nursing_beds_share")["示范区（合成数据）"]["threshold_share"] == 0.55
    assert "Henan" in out and "FAIL" in out and "unverified" in out
    n = len(rules_for("henan"))
    assert [r["id"] for r in hn["rules"]] == list(rules_for("henan").ids())
    assert out.strip().splitlines()[-1].startswith(f"示范区（合成数据）: {n} rules of preset henan")


def test_check_unknown_preset_is_one_sentence_exit_2():
    code, _, err = run(["check", str(DEMO_DIR), "--preset", "hunan", "--lang", "en"])
    assert code == 2
    assert err.startswith("error: [standards] preset 'hunan' is unknown; choose one of national, jiangxi")
    assert err.count("\n") == 1


def test_check_without_network_says_which_rules_are_not_assessable(tmp_path):
    code, out, _ = run(["check", str(make_study(tmp_path / "s")), "--lang", "en"])
    assert code == 0
    assert (
        "the study names no network, so the 15-minute service circle and health-centre rules are not assessable"
        in out
    )


# --- report: bad input (the files themselves are tested in test_report.py) ---------------------------------------


def test_report_k_below_one_is_refused(tmp_path):
    code, _, err = run(
        ["report", str(DEMO_DIR), "--out", str(tmp_path / "r"), "--k-anon", "0", "--lang", "en"]
    )
    assert code == 2 and "k = 0" in err and "at least 1" in err
    assert not (tmp_path / "r").exists()


def test_report_never_overwrites_without_force(tmp_path):
    out = tmp_path / "r"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    code, _, err = run(["report", str(DEMO_DIR), "--out", str(out), "--lang", "en"])
    assert code == 2 and "is not empty (1 entries: notes.txt)" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_report_of_a_study_without_coverage_results(tmp_path):
    code, _, err = run(
        ["report", str(make_study(tmp_path / "s")), "--out", str(tmp_path / "r"), "--lang", "en"]
    )
    assert code == 2 and "names no network" in err and err.count("\n") == 1


def test_report_output_is_a_file(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(["report", str(DEMO_DIR), "--out", str(target), "--lang", "en"])
    assert code == 2 and "is a file, not a folder" in err
    assert Path(target).read_text(encoding="utf-8") == "x"
