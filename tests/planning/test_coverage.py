"""Coverage on a tiny hand-built study whose answers are checked on paper."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.errors import OptionError
from geo.network import network_from_lines
from planning.coverage import (
    check_kinds,
    check_minutes,
    coverage_json,
    coverage_of_study,
    points_frame,
    service_circle_layer,
    uncovered_density,
)
from planning.study import NetworkSettings, StandardsSettings, Study

X0, Y0 = 500_000.0, 3_150_000.0  # UTM 50N metres
CRS = "EPSG:32650"


def P(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def tiny_study(*, population=True) -> Study:
    """A 2 km street along y=0; community A over x 0..1000, B over 1000..2000 (both north of the street)."""
    comm = gpd.GeoDataFrame({
        "_row": [1, 2], "name": ["A", "B"], "street": ["S", "S"], "population": [100.0, 100.0],
        "elderly": [30.0, 30.0], "elderly_80": [np.nan] * 2, "households": [np.nan] * 2,
        "kind": ["urban", "urban"], "built": ["existing"] * 2,
    }, geometry=[shapely.box(X0, Y0 + 10, X0 + 1000, Y0 + 110), shapely.box(X0 + 1000, Y0 + 10, X0 + 2000, Y0 + 110)],
        crs=CRS)
    fac = gpd.GeoDataFrame({
        "_row": [1, 2], "name": ["日照", "养老院"], "kind": ["day_care", "nursing_home"], "street": [None, None],
        "floor_area_m2": [400.0, 3000.0], "land_area_m2": [np.nan] * 2, "beds": [np.nan, 6.0],
        "nursing_beds": [np.nan] * 2, "dementia_beds": [np.nan] * 2,
    }, geometry=[P(100, -20), P(1900, -10)], crs=CRS)
    pop = None
    if population:
        pop = gpd.GeoDataFrame({"_row": [1, 2, 3, 4], "id": ["p1", "p2", "p3", "p4"], "elderly": [10.0, 20.0, 30.0, 0.0],
                                "population": [np.nan] * 4},
                               geometry=[P(100, 50), P(500, 50), P(1500, 50), P(1800, 500)], crs=CRS)
    return Study(folder=Path("."), name="tiny", name_en="tiny", synthetic=True, data_date="", sources=(),
                 coords="wgs84", crs=gpd.GeoSeries([], crs=CRS).crs, communities=comm, facilities=fac,
                 candidates=None, population=pop, network=NetworkSettings(source=None),
                 standards=StandardsSettings(), findings=(), rejected={}, layer_sources={})


@pytest.fixture(scope="module")
def street():
    return network_from_lines([shapely.LineString([(X0, Y0), (X0 + 1000, Y0)]),
                               shapely.LineString([(X0 + 1000, Y0), (X0 + 2000, Y0)])], crs=CRS)


def test_walking_times_and_shares_by_hand(street):
    result = coverage_of_study(tiny_study(), street)
    t = result.demand.set_index("id")["walk_time_s_day_care"]
    # access 20 m + along the street + 50 m up to the point, at 1 m/s
    assert t["p1"] == pytest.approx(70.0)
    assert t["p2"] == pytest.approx(470.0)
    assert np.isnan(t["p3"])  # 20 + 1400 + 50 = 1470 s > 15 min
    assert np.isnan(t["p4"])  # 500 m from the street: far, not placed
    dc = result.totals[result.totals["kind"] == "day_care"].set_index("band_min")
    assert dc["elderly_total"].tolist() == [60.0, 60.0, 60.0]
    assert dc["elderly_covered"].tolist() == [10.0, 30.0, 30.0]
    assert dc.loc[15, "share"] == pytest.approx(0.5)
    comm = result.communities.set_index("name")
    assert comm.loc["A", "share_day_care_10min"] == 1.0 and comm.loc["A", "share_day_care_5min"] == pytest.approx(1 / 3)
    assert comm.loc["B", "covered_day_care_15min"] == 0.0
    assert result.streets.set_index("street").loc["S", "share_day_care_15min"] == pytest.approx(0.5)
    assert result.daycare_gaps["name"].tolist() == ["B"]
    assert result.daycare_gaps["elderly_uncovered"].tolist() == [30.0]
    assert result.demand.set_index("id").loc["p4", "far"]
    assert any("farther than 300 m" in n for n in result.notes)


def test_two_step_floating_catchment_by_hand(street):
    result = coverage_of_study(tiny_study(), street)
    # the home (6 beds) reaches only p3 (10 + 400 + 50 = 460 s): R = 6 / 30 elderly; p3 gets 0.2 beds per elder
    access = result.access.set_index("name")["beds_per_1000_elderly_nursing_home"]
    assert access["B"] == pytest.approx(200.0)
    assert access["A"] == 0.0


def test_slower_walkers_cover_less(street):
    result = coverage_of_study(tiny_study(), street, walk_speed_m_s=0.5)
    t = result.demand.set_index("id")["walk_time_s_day_care"]
    assert t["p1"] == pytest.approx(140.0)  # (20 + 50) m at 0.5 m/s
    assert np.isnan(t["p2"])  # (20 + 400 + 50) m at 0.5 m/s = 940 s > 900 s
    assert result.walk_speed_m_s == 0.5


def test_without_population_layer_communities_are_spread(street):
    result = coverage_of_study(tiny_study(population=False), street, kinds="day_care")
    assert result.demand["elderly"].sum() == pytest.approx(60.0)
    assert any("spread evenly over a 100 m grid" in n for n in result.notes)
    assert result.kinds == ("day_care",)


def test_outputs_json_points_and_density(street, tmp_path):
    result = coverage_of_study(tiny_study(), street)
    data = json.loads(json.dumps(coverage_json(result), allow_nan=False))
    assert data["totals"]["day_care"]["15min"] == {"elderly_total": 60.0, "elderly_covered": 30.0, "share": 0.5}
    assert {r["name"] for r in data["communities"]} == {"A", "B"}
    pts = points_frame(result)
    assert list(pts.columns[:5]) == ["id", "elderly", "community_name", "street", "far"]
    assert "walk_time_s_nursing_home" in pts
    dens = uncovered_density(result, "day_care", cell_m=200)
    assert dens["elderly_uncovered"].sum() == pytest.approx(30.0)  # p3 (30) and p4 (0 elderly)


@pytest.mark.parametrize("minutes, message", [("0,5", "must all be positive"), ("10,5", "must increase"),
                                              ("5,5", "must increase"), ("a,b", "whole numbers"), ("", "no minutes")])
def test_bad_minutes(minutes, message):
    with pytest.raises(OptionError, match=message):
        check_minutes(minutes)


def test_kinds_checked_against_the_study():
    fac = tiny_study().facilities
    assert check_kinds(None, fac) == ("day_care", "nursing_home")
    with pytest.raises(OptionError, match="has no facility of kind meal_point; kinds present: day_care, nursing_home"):
        check_kinds("meal_point", fac)
    with pytest.raises(OptionError, match="unknown facility kind canteen"):
        check_kinds("canteen", fac)


def test_facility_far_from_every_street_is_reported(street):
    study = tiny_study()
    study.facilities.loc[1, "geometry"] = P(1900, -600)  # the nursing home, 600 m from the street
    result = coverage_of_study(study, street)
    far = result.far_points
    assert far[far["layer"] == "facilities (nursing_home)"]["name"].tolist() == ["养老院"]
    assert far[far["layer"] == "facilities (nursing_home)"]["distance_m"].iloc[0] == pytest.approx(600.0)
    assert any("nursing_home facilities are farther than 300 m" in n and "养老院" in n for n in result.notes)
    assert result.demand["walk_time_s_nursing_home"].isna().all()


def test_coverage_notes_have_chinese_versions(street):
    study = tiny_study()
    study.facilities.loc[1, "geometry"] = P(1900, -600)  # the nursing home, 600 m from the street
    result = coverage_of_study(study, street)
    assert len(result.notes_zh) == len(result.notes) > 0
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in result.notes_zh)
    zh = result.notes_in("zh")
    assert any("处养老院距最近的可步行道路超过 300 米" in n and "养老院" in n for n in zh), zh
    assert result.notes_in("en") == list(result.notes)
    data = coverage_json(result)
    assert data["notes_zh"] == zh and data["notes"] == list(result.notes)


def test_service_circles_of_some_kinds(street):
    result = coverage_of_study(tiny_study(), street, minutes=(5, 15))
    everything = service_circle_layer(tiny_study(), street, result)
    one = service_circle_layer(tiny_study(), street, result, kinds=("nursing_home",))
    assert set(everything["kind"]) == {"day_care", "nursing_home"}
    assert list(one["kind"]) == ["nursing_home", "nursing_home"] and list(one["band_min"]) == [5, 15]
    assert one.geometry.equals(everything[everything["kind"] == "nursing_home"].geometry.reset_index(drop=True))
