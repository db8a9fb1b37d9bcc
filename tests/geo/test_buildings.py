"""Buildings, zones and floor area read from OSM, and totals shared among weighted points (checked on paper)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from geo.buildings import buildings_from_osm, floor_area_m2, parse_floors, parse_height_m
from geo.demand import allocate_to_points
from tests.conftest import osm_extract

CRS = pyproj.CRS.from_epsg(32650)


def _square(i: int, lon: float, lat: float, d: float = 0.0002) -> tuple[list[str], list[int]]:
    ids = [i * 10 + k for k in range(4)]
    corners = [(lon, lat), (lon + d, lat), (lon + d, lat + d), (lon, lat + d)]
    nodes = [
        f"<node id='{n}' version='1' lat='{y:.7f}' lon='{x:.7f}'/>"
        for n, (x, y) in zip(ids, corners, strict=True)
    ]
    return nodes, [*ids, ids[0]]


def _osm(path: Path) -> Path:
    specs = [
        (1, 117.000, 28.000, {"building": "residential", "building:levels": "6"}),
        (2, 117.001, 28.000, {"building": "yes", "height": "30 m"}),
        (3, 117.002, 28.000, {"building": "yes", "amenity": "school"}),
        (4, 117.003, 28.000, {"building": "no"}),
        (5, 117.000, 28.001, {"landuse": "residential"}),
        (6, 117.001, 28.001, {"amenity": "hospital"}),
    ]
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='test'>"]
    ways = []
    for i, lon, lat, tags in specs:
        nodes, refs = _square(i, lon, lat)
        lines += nodes
        way = [f"<way id='{i}' version='1'>", *(f"<nd ref='{r}'/>" for r in refs)]
        way += [f"<tag k='{k}' v='{v}'/>" for k, v in tags.items()]
        ways += [*way, "</way>"]
    path.write_text("\n".join([*lines, *ways, "</osm>"]), encoding="utf-8")
    return path


def test_floors_and_heights_are_read_from_free_text():
    floors = parse_floors(["6", "6;7", "地上18层", "18F", "0", "unknown", None, 7.0, ""])
    np.testing.assert_array_equal(floors[:4], [6, 6, 18, 18])
    assert np.isnan(floors[4:7]).all() and floors[7] == 7 and np.isnan(floors[8])
    heights = parse_height_m(["18 m", "18.5米", "60'", "x"])
    np.testing.assert_allclose(heights[:3], [18, 18.5, 60 * 0.3048])
    assert np.isnan(heights[3])


def test_floor_area_takes_floors_then_height_then_the_default():
    squares = np.array([shapely.box(0, 0, 10, 10)] * 4)
    area = floor_area_m2(
        squares,
        floors=np.array([6, np.nan, np.nan, np.nan]),
        height_m=np.array([99, 30, 1, np.nan]),
        default_floors=3,
    )
    np.testing.assert_array_equal(area, [600, 1000, 100, 300])  # 30 m is 10 floors; 1 m still one floor


def test_buildings_and_zones_come_with_their_tags(tmp_path):
    buildings, zones = buildings_from_osm(_osm(tmp_path / "b.osm"), crs=CRS)
    assert buildings["building"].tolist() == ["residential", "yes", "yes"]  # building=no is not a building
    assert buildings["use"].tolist() == ["", "", "amenity=school"]
    assert buildings["floors"].tolist()[0] == 6 and np.isnan(buildings["floors"].tolist()[1])
    assert buildings["height_m"].tolist()[1] == 30
    assert sorted(zip(zones["key"], zones["value"], strict=True)) == [
        ("amenity", "hospital"),
        ("landuse", "residential"),
    ]
    # 0.0002 degrees at 28 N: about 19.6 m x 22.2 m
    assert buildings.area.iloc[0] == pytest.approx(19.64 * 22.18, rel=0.02)


def test_totals_are_shared_by_weight_and_empty_polygons_are_reported():
    polys = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10), shapely.box(20, 0, 30, 10)])
    xy = np.array([[1, 1], [2, 2], [15, 5], [40, 40], [25, 5]])
    points, served = allocate_to_points(polys, np.array([100.0, 50.0, 7.0]), xy, np.array([1.0, 3, 2, 5, 0]))
    np.testing.assert_array_equal(points.area, [0, 0, 1])
    np.testing.assert_allclose(
        points.weight, [25, 75, 50]
    )  # 100 split 1:3; the outside and zero points get none
    np.testing.assert_array_equal(served, [True, True, False])
    with pytest.raises(ValueError, match="non-negative"):
        allocate_to_points(polys, np.ones(3), xy, np.array([1.0, -1, 1, 1, 1]))


def test_a_real_extract_gives_its_buildings():
    buildings, zones = buildings_from_osm(osm_extract("nanjing"), crs=CRS)
    assert len(buildings) > 1200 and (buildings["floors"] > 0).sum() > 100
    assert {"residential", "commercial", "school"} <= set(buildings["building"]) | set(zones["value"])
