"""Land and floor area of elderly-care facilities: location, land basis, per-street and per-community totals.

Three 1 km squares (EPSG:32650): A and B in 城关街道, C in 青山镇; every number below is worked out by hand.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from planning.land import (
    ASSUMED_FAR,
    cobuild_floor_by_community,
    facility_land,
    land_by_street,
    land_of_district,
    locate_facilities,
    text_values,
)

X0, Y0 = 500_000.0, 3_150_000.0


def square(i: int) -> shapely.Polygon:
    return shapely.box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000)


def at(x: float, y: float = 500) -> shapely.Point:
    return shapely.Point(X0 + x, Y0 + y)


COMM = gpd.GeoDataFrame(
    {
        "name": ["A", "B", "C"],
        "street": ["城关街道", " 城关街道 ", "青山镇"],
        "population": [6000.0, 4000.0, 2000.0],
        "households": [2000.0, 1500.0, np.nan],
    },
    geometry=[square(0), square(1), square(2)],
    crs=32650,
)


def fac() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["centre", "daycare", "home", "meal", "clinic", "border", "far", "registered"],
            "kind": [
                "street_centre",
                "day_care",
                "nursing_home",
                "meal_point",
                "health_centre",
                "day_care",
                "day_care",
                "meal_point",
            ],
            "street": [None, None, None, "", None, None, None, "青山镇"],
            "floor_area_m2": [1000.0, 400.0, 2000.0, np.nan, 900.0, 100.0, 80.0, 60.0],
            "land_area_m2": [100.0, np.nan, 400.0, np.nan, 700.0, np.nan, np.nan, np.nan],
        },
        geometry=[at(200), at(1500), at(600), at(1200), at(700), at(1000), at(9000), at(300)],
        crs=32650,
    )


def test_text_values_strip_blanks():
    assert list(text_values(COMM, "street")) == ["城关街道", "城关街道", "青山镇"]
    assert list(text_values(fac(), "street"))[3] is None
    assert list(text_values(COMM, "absent")) == [None, None, None]


def test_locate_facilities_by_polygon_and_own_street():
    loc = locate_facilities(fac(), COMM)
    # 'border' sits on the A|B edge: the first community in layer order; 'far' is in none
    assert list(loc["community"]) == [0, 1, 0, 1, 0, 0, -1, 0]
    assert list(loc["street"]) == [
        "城关街道",
        "城关街道",
        "城关街道",
        "城关街道",
        "城关街道",
        "城关街道",
        None,
        "青山镇",
    ]
    assert list(loc["street_from"]) == ["community"] * 6 + [None, "given"]


def test_facility_land_given_estimated_none_and_not_counted():
    f = fac()
    f.loc[f["name"] == "meal", "floor_area_m2"] = np.nan
    land = facility_land(f)
    by = land.set_index("name")
    assert by.loc["centre", "land_m2"] == 100 and by.loc["centre", "basis"] == "land_area"
    assert by.loc["daycare", "land_m2"] == 400 / ASSUMED_FAR == 500
    assert by.loc["daycare", "basis"] == "floor_area_far"
    assert (
        by.loc["daycare", "basis_en"] == "land estimated as floor area 400 m² / FAR 0.8 = 500 m² "
        "(GB 50437-2007 §5 (FAR ≤ 0.8))"
    )
    assert "400㎡÷容积率0.8" in by.loc["daycare", "basis_zh"]
    # thousands: plain in Chinese, as the check's sentences write them; thin groups in English
    f_big = f.copy()
    f_big.loc[f_big["name"] == "daycare", "floor_area_m2"] = 1200
    big = facility_land(f_big).set_index("name").loc["daycare"]
    assert big["basis_zh"].startswith("用地按建筑面积1200㎡÷容积率0.8估算为1500㎡（")
    assert big["basis_en"].startswith("land estimated as floor area 1 200 m² / FAR 0.8 = 1 500 m² (")
    assert np.isnan(by.loc["meal", "land_m2"]) and by.loc["meal", "basis"] == "none"
    assert not by.loc["clinic", "counts"] and np.isnan(by.loc["clinic", "land_m2"])
    assert facility_land(f, assumed_far=0.5).set_index("name").loc["daycare", "land_m2"] == 800
    with pytest.raises(ValueError):
        facility_land(f, assumed_far=0)


def test_land_by_street_and_district():
    f = fac()
    land = facility_land(f)
    loc = locate_facilities(f, COMM)
    streets = land_by_street(COMM, land, loc).set_index("street")
    # 城关街道: centre 100 + daycare 500 + home 400 + border 125 (100 / 0.8) = 1125; meal has no area
    assert streets.loc["城关街道", "residents"] == 10000
    assert streets.loc["城关街道", "land_m2"] == pytest.approx(1125)
    assert (
        streets.loc["城关街道", "land_given_m2"] == 500
        and streets.loc["城关街道", "land_estimated_m2"] == 625
    )
    assert streets.loc["城关街道", "n_estimated"] == 2 and streets.loc["城关街道", "n_unknown"] == 1
    assert streets.loc["城关街道", "unknown_names"] == ["meal"]
    # 青山镇: the registered meal point, 60 / 0.8 = 75
    assert streets.loc["青山镇", "residents"] == 2000 and streets.loc["青山镇", "land_m2"] == pytest.approx(
        75
    )
    district = land_of_district(COMM, land)
    # plus 'far' (100 m²) that lies in no community
    assert district["residents"] == 12000 and district["land_m2"] == pytest.approx(1125 + 75 + 100)
    assert district["n_unknown"] == 1 and district["street"] is None


def test_cobuild_floor_by_community():
    f = fac()
    loc = locate_facilities(f, COMM)
    out = cobuild_floor_by_community(COMM, f, loc)
    # A: centre 1000 + border 100 (home and clinic do not count; registered meal stands in A: 60)
    assert list(out["floor_m2"]) == [1160, 400, 0]
    assert list(out["n_facilities"]) == [3, 2, 0]
    assert list(out["n_unknown"]) == [0, 1, 0] and out.loc[1, "unknown_names"] == ["meal"]
