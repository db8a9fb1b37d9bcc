"""The test district of the standards tests: tiny layers whose every expected value is worked out by hand.

The test district (EPSG:32650, 1 km squares side by side from x = 500 000):

    square 0  东风社区  城关街道  urban existing  pop 6000  elderly 1200  households 2000
    square 1  西湖社区  城关街道  urban new       pop 4000  elderly  800  households 1500
    square 2  李家村    青山镇    rural           pop 2000  elderly  500
    square 3  王家村    青山镇    rural           pop 1000  elderly  300

    城关中心    street_centre     square 0  floor 1000  land 100
    西湖日照    day_care          square 1  floor  400  (land: 400 / 0.8 = 500 estimated)
    城关养老院  nursing_home      square 0  floor 2000  land 400  beds 100  nursing 50
    李家互助点  rural_mutual_aid  square 2  floor  100  land 100
    青山中心    street_centre     square 2  floor  999  land 500
    城关卫生院  health_centre     square 0, 100 m east of the nursing home

Land: 城关街道 100 + 500 + 400 = 1000 m² for 10 000 residents = 0.1 m²/resident (exactly Jiangxi's 0.1, half of
Henan's 0.2: short by 1000 m²); 青山镇 100 + 500 = 600 m² for 3000 = 0.2; district 1600 / 13 000.
Street centres: 城关街道 1000 m² (exactly the threshold), 青山镇 999 m² (short by 1).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planning.study import NetworkSettings, StandardsSettings, Study
from tests.studies import frames_study

X0, Y0 = 500_000.0, 3_150_000.0


def square(i: int) -> shapely.Polygon:
    return shapely.box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000)


def at(i: int, dx: float = 500, dy: float = 500) -> shapely.Point:
    return shapely.Point(X0 + i * 1000 + dx, Y0 + dy)


def communities(extra: list[dict] | None = None) -> gpd.GeoDataFrame:
    rows = [
        {
            "name": "东风社区",
            "street": "城关街道",
            "population": 6000,
            "elderly": 1200,
            "households": 2000,
            "kind": "urban",
            "built": "existing",
            "geometry": square(0),
        },
        {
            "name": "西湖社区",
            "street": "城关街道",
            "population": 4000,
            "elderly": 800,
            "households": 1500,
            "kind": "urban",
            "built": "new",
            "geometry": square(1),
        },
        {
            "name": "李家村",
            "street": "青山镇",
            "population": 2000,
            "elderly": 500,
            "households": np.nan,
            "kind": "rural",
            "built": "existing",
            "geometry": square(2),
        },
        {
            "name": "王家村",
            "street": "青山镇",
            "population": 1000,
            "elderly": 300,
            "households": np.nan,
            "kind": "rural",
            "built": "existing",
            "geometry": square(3),
        },
    ] + (extra or [])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=32650)
    frame["elderly_80"] = np.nan
    return frame


FACILITY_COLUMNS = [
    "name",
    "kind",
    "street",
    "floor_area_m2",
    "land_area_m2",
    "beds",
    "nursing_beds",
    "dementia_beds",
]


def facilities(extra: list[dict] | None = None, *, drop: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    rows = [
        {
            "name": "城关中心",
            "kind": "street_centre",
            "floor_area_m2": 1000,
            "land_area_m2": 100,
            "geometry": at(0, 200, 200),
        },
        {"name": "西湖日照", "kind": "day_care", "floor_area_m2": 400, "geometry": at(1)},
        {
            "name": "城关养老院",
            "kind": "nursing_home",
            "floor_area_m2": 2000,
            "land_area_m2": 400,
            "beds": 100,
            "nursing_beds": 50,
            "geometry": at(0, 600, 600),
        },
        {
            "name": "李家互助点",
            "kind": "rural_mutual_aid",
            "floor_area_m2": 100,
            "land_area_m2": 100,
            "geometry": at(2),
        },
        {
            "name": "青山中心",
            "kind": "street_centre",
            "floor_area_m2": 999,
            "land_area_m2": 500,
            "geometry": at(2, 300, 300),
        },
        {"name": "城关卫生院", "kind": "health_centre", "geometry": at(0, 700, 600)},
    ] + (extra or [])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=32650)
    for col in FACILITY_COLUMNS:
        if col not in frame:
            frame[col] = None if col == "street" else np.nan
    return frame.drop(columns=list(drop))


def candidates() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["候选一", "候选二"],
            "kinds": ["day_care", "nursing_home"],
            "floor_area_m2": [300.0, 500.0],
            "land_area_m2": [np.nan, 300.0],
            "beds": [np.nan, 10.0],
            "cost": [np.nan, np.nan],
        },
        geometry=[at(1, 500, 950), at(3)],
        crs=32650,
    )


def make_study(
    preset: str = "xinzhou",
    overrides: dict | None = None,
    *,
    comm: gpd.GeoDataFrame | None = None,
    fac: gpd.GeoDataFrame | None = None,
    cand: gpd.GeoDataFrame | None = None,
    source: str | None = None,
    folder: Path = Path("."),
) -> Study:
    return frames_study(
        communities() if comm is None else comm,
        facilities() if fac is None else fac,
        folder=folder,
        name="测试区",
        name_en="Test district",
        crs=pyproj.CRS.from_epsg(32650),
        candidates=candidates() if cand is None else cand,
        network=NetworkSettings(source=source),
        standards=StandardsSettings(preset, overrides or {}),
    )


ROAD = gpd.GeoDataFrame(
    {"role": ["road"]}, geometry=[shapely.LineString([(X0, Y0 + 1000), (X0 + 4000, Y0 + 1000)])], crs=32650
)


def row(result, rule_id: str, unit_name: str) -> pd.Series:
    rows = result.rows[(result.rows["rule_id"] == rule_id) & (result.rows["unit_name"] == unit_name)]
    assert len(rows) == 1, f"{rule_id} / {unit_name}: {len(rows)} rows"
    return rows.iloc[0]
