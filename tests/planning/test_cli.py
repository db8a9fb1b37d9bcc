"""The command line: exit codes, the one-line summary, errors as one sentence."""

from __future__ import annotations

import csv
import json

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR
from tests.planning.test_study import LAT0, LON0, make_study


def test_validate_prints_mappings_repairs_rejections_and_summary(tmp_path, capsys):
    csv = (
        "名称,类型,经度,纬度,建筑面积\n"
        f'a,日间照料中心,{LON0 + 0.001},{LAT0 + 0.001},"1,200"\n'
        f"b,老年大学,{LON0 + 0.002},{LAT0 + 0.001},300\n"
    )
    folder = make_study(tmp_path / "s", facilities=csv)
    code = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1  # a row was rejected
    assert "mapped    facilities (facilities.csv): column '建筑面积' → floor_area_m2" in out
    assert (
        "repaired  facilities (facilities.csv) row 1: floor_area_m2 (建筑面积): '1,200' read as 1200" in out
    )
    assert "rejected  facilities (facilities.csv) row 2: kind (类型) '老年大学' is not a facility kind" in out
    assert out.index("== study ==") < out.index("== communities ==") < out.index("== facilities ==")
    assert "summary: 3 communities in 2 streets/towns, 16,000 residents, 3,000 elderly (18.8 %)" in out
    assert "1 rejected rows" in out
    assert "left out of every analysis" in err


def test_validate_clean_study_exits_zero(tmp_path, capsys):
    assert main(["validate", str(make_study(tmp_path / "s"))]) == 0
    assert "0 rejected rows" in capsys.readouterr().out


def test_validate_missing_study_is_one_sentence_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: study ") and "does not exist" in err and err.count("\n") == 1


# --- coverage on the demo study ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_coverage(tmp_path_factory):
    out = tmp_path_factory.mktemp("cov")
    code = main(
        [
            "coverage",
            str(DEMO_DIR),
            "--json",
            str(out / "cov.json"),
            "--points",
            str(out / "pts.csv"),
            "--kinds",
            "day_care,embedded_home,street_centre",
        ]
    )
    assert code == 0
    return out


def test_coverage_json_has_totals_per_kind_band_and_rows(demo_coverage):
    data = json.loads((demo_coverage / "cov.json").read_text(encoding="utf-8"))
    assert data["kinds"] == ["day_care", "embedded_home", "street_centre"] and data["minutes"] == [5, 10, 15]
    dc = data["totals"]["day_care"]
    assert set(dc) == {"5min", "10min", "15min"}
    assert dc["5min"]["elderly_covered"] <= dc["10min"]["elderly_covered"] <= dc["15min"]["elderly_covered"]
    assert dc["15min"]["elderly_total"] == pytest.approx(51848, rel=1e-6)
    assert 0 < dc["15min"]["share"] < 1
    assert len(data["communities"]) == 55 and len(data["streets"]) == 8
    assert "share_day_care_15min" in data["communities"][0]
    # the demo's deliberate gaps: new-town communities with no day care within 15 minutes
    gaps = {g["name"]: g for g in data["daycare_gaps"]}
    assert any(g["share"] == 0 for g in gaps.values())


def test_coverage_points_have_id_weight_and_times(demo_coverage):
    with open(demo_coverage / "pts.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2400
    assert {"id", "elderly", "walk_time_s_day_care", "walk_time_s_embedded_home", "lon", "lat"} <= set(
        rows[0]
    )
    assert rows[0]["id"].startswith("c")  # the population layer's own ids
    times = [float(r["walk_time_s_day_care"]) for r in rows if r["walk_time_s_day_care"]]
    assert len(times) < len(rows) and max(times) <= 900  # empty beyond the largest band


@pytest.mark.parametrize(
    "args, message",
    [
        (["--minutes", "10,5"], "must increase"),
        (["--minutes", "-5"], "must all be positive"),
        (["--speed", "2.5"], "outside the allowed 0.5–2.0 m/s"),
        (["--kinds", "canteen"], "unknown facility kind canteen"),
    ],
)
def test_coverage_bad_options_exit_2(args, message, capsys):
    assert main(["coverage", str(DEMO_DIR), *args, "--lang", "en"]) == 2
    assert message in capsys.readouterr().err


def test_coverage_without_network_source(tmp_path, capsys):
    assert main(["coverage", str(make_study(tmp_path / "s")), "--lang", "en"]) == 2
    assert "names no network" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_sites(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    assert (
        main(
            [
                "site",
                str(DEMO_DIR),
                "--kind",
                "day_care",
                "--add",
                "5",
                "--json",
                str(out / "add5.json"),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "site",
                str(DEMO_DIR),
                "--kind",
                "day_care",
                "--objective",
                "min-sites",
                "--json",
                str(out / "min.json"),
            ]
        )
        == 0
    )
    return out


def test_site_add_five_is_proven_optimal_with_gains_that_add_up(demo_sites):
    data = json.loads((demo_sites / "add5.json").read_text(encoding="utf-8"))
    assert data["objective"] == "coverage" and data["status"] == "optimal" and data["gap"] == 0
    sites = data["sites"]
    assert [s["order"] for s in sites] == [1, 2, 3, 4, 5]
    assert all(s["gain_elderly"] > 0 for s in sites)
    added = data["elderly_covered_after"] - data["elderly_covered_before"]
    assert sum(s["gain_elderly"] for s in sites) == pytest.approx(added)
    assert data["objective_value"] == pytest.approx(added) and data["bound"] == pytest.approx(added)
    assert data["greedy_value"] <= data["objective_value"]
    # the demo has 48.6 % of its elderly within 15 min of a day-care centre before
    assert (
        data["share_before"] == pytest.approx(0.486, abs=0.001) and data["share_after"] > data["share_before"]
    )
    assert len(data["curve"]) == 5 and data["curve"][-1]["share"] == pytest.approx(data["share_after"])
    assert len(data["communities"]) == 55 and len(data["streets"]) == 8
    assert all(-180 < s["lon"] < 180 and -90 < s["lat"] < 90 for s in sites)


def test_site_min_sites_covers_every_reachable_urban_point_and_lists_the_rest(demo_sites):
    data = json.loads((demo_sites / "min.json").read_text(encoding="utf-8"))
    assert data["objective"] == "min-sites" and data["status"] == "optimal"
    assert data["objective_value"] == len(data["sites"]) == data["bound"]
    assert data["greedy_value"] >= data["objective_value"]
    required_unreached = [u for u in data["unreachable"] if u["required"] > 0]
    assert required_unreached, "the demo's urban demand beyond every candidate must be reported"


def test_site_prints_the_chosen_sites(capsys):
    assert main(["site", str(DEMO_DIR), "--kind", "day_care", "--add", "2", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "候选地块" in out and "新增覆盖老人" in out and "已证明最优（差距 0）" in out
    assert "optimal (gap 0)" not in out  # the summary line is Chinese in zh
    assert "Running HiGHS" not in out  # HiGHS's banner is kept out of the tables
    assert main(["site", str(DEMO_DIR), "--kind", "day_care", "--add", "2", "--lang", "en"]) == 0
    assert "optimal (gap 0)" in capsys.readouterr().out


def test_coverage_prints_notes_in_the_chosen_language(capsys):
    assert main(["coverage", str(DEMO_DIR), "--kinds", "day_care"]) == 0
    out = capsys.readouterr().out
    assert "说明: 需求点：老年人口分布图层的" in out and "note:" not in out
    assert main(["coverage", str(DEMO_DIR), "--kinds", "day_care", "--lang", "en"]) == 0
    assert "note: demand: " in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "day_care", "--add", "0"], "the number of sites to add is 0"),
        (["--kind", "day_care", "--add", "1000"], "1000"),
        (["--kind", "canteen", "--add", "2"], "unknown facility kind"),
        (["--kind", "day_care", "--add", "2", "--objective", "p-median"], "p-median"),
        (["--kind", "day_care"], "--add"),
    ],
)
def test_site_bad_options_exit_2(args, message, capsys):
    assert main(["site", str(DEMO_DIR), *args, "--lang", "en"]) == 2
    assert message in capsys.readouterr().err


def test_coverage_in_chinese_says_no_english_word_and_keeps_its_columns_in_line(capsys, tmp_path):
    """Issue 14: in zh mode no English word reaches a person, and the table's columns line up by display width
    (a Chinese character takes two columns)."""
    import re

    from planning.display import text_width

    out_json = tmp_path / "cov.json"
    assert main(["coverage", str(DEMO_DIR), "--json", str(out_json)]) == 0
    out = capsys.readouterr().out.replace(str(out_json), "<文件>")  # a file name is the user's own
    words = set(re.findall(r"[A-Za-z]{2,}", out))
    assert not words, f"English in the Chinese output: {sorted(words)}"
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("设施类型"))
    table = lines[head : head + 8]
    ends = {text_width(line) for line in table}
    assert len(ends) == 1, table  # every row ends in the same display column


@pytest.mark.parametrize("mode", ["per_facility", "nearest"])
def test_coverage_circles_option_writes_one_polygon_per_facility_and_band(mode, tmp_path, capsys):
    import geopandas as gpd
    import shapely

    from planning.study import load_study

    path = tmp_path / "layers.gpkg"
    args = ["coverage", str(DEMO_DIR), "--kinds", "day_care", "--minutes", "5,10", "--layers", str(path)]
    assert main([*args, "--circles", mode]) == 0
    capsys.readouterr()
    circles = gpd.read_file(path, layer="service_circles")
    n_fac = int((load_study(DEMO_DIR).facilities["kind"] == "day_care").sum())
    assert n_fac > 1 and len(circles) == 2 * n_fac
    assert sorted(circles["facility"]) == sorted(list(range(n_fac)) * 2)
    assert sorted(circles["band_min"]) == [5] * n_fac + [10] * n_fac
    assert circles["facility_name"].notna().all()
    ten = circles[circles["band_min"] == 10].geometry.to_numpy()
    overlap = shapely.union_all(ten).area - sum(g.area for g in ten)
    if mode == "nearest":
        assert overlap > -1.0  # the facilities' parts do not overlap
    # the default is one dissolved area per band
    assert main(args) == 0
    capsys.readouterr()
    dissolved = gpd.read_file(path, layer="service_circles")
    assert len(dissolved) == 2 and (dissolved["facility"] == -1).all()
    assert shapely.union_all(ten).area == pytest.approx(dissolved.geometry.iloc[1].area, rel=0.01)


def test_coverage_circles_option_refuses_an_unknown_mode(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["coverage", str(DEMO_DIR), "--circles", "hulls"])
    assert exc.value.code == 2
    assert "--circles" in capsys.readouterr().err
