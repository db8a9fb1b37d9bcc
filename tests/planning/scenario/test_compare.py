"""Before and after on the hand-made grid (counted on paper, confirmed by networkx), and on the demo: the merged
coverage equals a full run, save -> load gives the same comparison, the JSON has its Chinese fields."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.crs import from_wgs84
from planning.coverage import coverage_of_study, network_for_study
from planning.demo import DEMO_DIR
from planning.scenario import (
    AddedFacility,
    Scenario,
    apply_scenario,
    compare_scenario,
    comparison_json,
    read_scenario,
    save_scenario,
)
from planning.scenario.compare import changed_rows
from planning.standards import check_of_study
from planning.study import load_study
from tests.planning.scenario.grid import EAST, WEST, grid_network, grid_study, lonlat, walked_elderly

NEW = (1200, 400)


@pytest.fixture(scope="module")
def study():
    return grid_study()


@pytest.fixture(scope="module")
def network():
    return grid_network()


def within(comparison, minutes: int) -> tuple[float, float]:
    row = comparison.district[comparison.district["figure"] == f"within_day_care_{minutes}min"].iloc[0]
    return row["before"], row["after"]


def test_adding_a_centre_gains_what_is_counted_on_paper(study, network):
    scenario = Scenario("add", study.name, added=(AddedFacility("day_care", *lonlat(*NEW)),))
    comparison = compare_scenario(study, network, scenario)
    # before: 西中心 reaches (0,200) 10 in 5 min; (400,200) 20 and (0,600) 50 in 10; 东中心 reaches (1600,600) 80
    # in 5 min, (1200,600) 70 and (1600,200) 40 in 10. The new centre at (1200,400) reaches (1200,200) 30 and
    # (1200,600) 70 in 5 min; only (400,600) 60 stays beyond every 15-minute walk.
    assert within(comparison, 5) == (90.0, 190.0)
    assert within(comparison, 10) == (270.0, 300.0)
    assert within(comparison, 15) == (270.0, 300.0)
    for m in (5, 10, 15):
        assert within(comparison, m) == (
            walked_elderly([WEST, EAST], m),
            walked_elderly([WEST, EAST, NEW], m),
        )
    communities = comparison.communities.set_index("name")
    assert communities.loc["B", "within_day_care_5min_before"] == 0
    assert communities.loc["B", "within_day_care_5min_after"] == 30
    assert communities.loc["D", "within_day_care_5min_after"] == 150
    assert list(changed_rows(comparison.communities)["name"]) == ["B", "D"]
    streets = comparison.streets.set_index("name")
    assert streets.loc["东街", "within_day_care_15min_before"] == 190
    assert streets.loc["东街", "within_day_care_15min_after"] == 220
    assert streets.loc["东街", "circle_15min_after"] == pytest.approx(1.0)
    assert list(changed_rows(comparison.streets)["name"]) == ["东街"]


def test_closing_a_centre_loses_what_is_counted_on_paper(study, network):
    comparison = compare_scenario(study, network, Scenario("close", study.name, closed=("东中心",)))
    assert within(comparison, 5) == (90.0, 10.0)
    assert (
        within(comparison, 15)
        == (270.0, 80.0)
        == (walked_elderly([WEST, EAST], 15), walked_elderly([WEST], 15))
    )
    circle = comparison.district[comparison.district["figure"] == "circle_15min"].iloc[0]
    assert (circle["before"], circle["after"]) == pytest.approx((270 / 360, 80 / 360))
    assert "-190" in comparison.summary and "-190" in comparison.summary_zh
    assert "东中心" not in set(comparison.after.demand.columns)


def test_closing_every_centre_of_a_kind(study, network):
    comparison = compare_scenario(study, network, Scenario("none", study.name, closed=("东中心", "西中心")))
    assert within(comparison, 15) == (270.0, 0.0)
    assert "day_care" not in comparison.after.kinds


def test_verdicts_that_change_are_listed_with_their_citation(study, network):
    scenario = Scenario("add", study.name, added=(AddedFacility("day_care", *lonlat(*NEW)),))
    comparison = compare_scenario(study, network, scenario)
    verdicts = comparison.verdicts
    # 东街's circle goes from 190 of 220 elderly (86 %, below the 100 % asked) to all of them
    assert list(verdicts["rule_id"]) == ["service_circle_15min_share"] and list(verdicts["unit"]) == ["东街"]
    assert (verdicts["verdict_before"].iloc[0], verdicts["verdict_after"].iloc[0]) == ("fail", "pass")
    assert verdicts["value_before"].iloc[0] == pytest.approx(190 / 220)
    assert verdicts["citation"].map(bool).all()
    ids = set(verdicts["rule_id"])
    assert ids <= set(comparison.check_before.rows["rule_id"])
    for row in verdicts.itertuples():
        assert row.verdict_before != row.verdict_after


def test_saved_and_loaded_gives_the_same_comparison(tmp_path, network):
    study = grid_study(folder=tmp_path)
    scenario = Scenario(
        "方案A",
        study.name,
        coords="gcj02",
        closed=("西中心",),
        added=(AddedFacility("day_care", 118.0, 28.0),),
    )

    lon, lat = from_wgs84(*lonlat(*NEW), coords="gcj02")
    scenario = Scenario(
        "方案A", study.name, coords="gcj02", closed=("西中心",), added=(AddedFacility("day_care", lon, lat),)
    )
    first = compare_scenario(study, network, scenario)
    loaded = read_scenario(save_scenario(study, scenario), study=study)
    second = compare_scenario(study, network, loaded)
    assert comparison_json(first) == comparison_json(second)
    pd.testing.assert_frame_equal(first.communities, second.communities)


@pytest.fixture(scope="module")
def demo():
    study = load_study(DEMO_DIR)
    return study, network_for_study(study)


def test_on_the_demo_merged_coverage_equals_a_full_run(demo):
    study, network = demo
    centre = study.communities.geometry.iloc[3].centroid
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(study.crs, "EPSG:4326", always_xy=True).transform(
        centre.x, centre.y
    )
    closed = study.facilities[study.facilities["kind"] == "meal_point"]["name"].iloc[0]
    scenario = Scenario("demo", study.name, added=(AddedFacility("day_care", lon, lat),), closed=(closed,))
    baseline = coverage_of_study(study, network)
    comparison = compare_scenario(
        study, network, scenario, baseline=baseline, baseline_check=check_of_study(study, network)
    )
    full = coverage_of_study(apply_scenario(study, scenario), network)
    pd.testing.assert_frame_equal(full.totals, comparison.after.totals)
    pd.testing.assert_frame_equal(
        full.communities, comparison.after.communities[list(full.communities.columns)]
    )
    # the circle of the district and the streets is the check's own
    check = check_of_study(apply_scenario(study, scenario), network)
    rows = check.rows[
        (check.rows["rule_id"] == "service_circle_15min_share") & (check.rows["verdict"] != "advisory")
    ]
    circle = comparison.district[comparison.district["figure"] == "circle_15min"].iloc[0]
    assert circle["after"] == rows[rows["level"] == "district"]["value"].iloc[0]
    data = comparison_json(comparison)
    text = json.dumps(data, ensure_ascii=False)
    assert data["summary_zh"].startswith("方案「demo」") and "NaN" not in text
    assert all("figure_zh" in row for row in data["district"])
