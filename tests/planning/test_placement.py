"""Placing community totals in homes: residential buildings by floor area, compounds first, land use and grid as
fallbacks (hand-made studies whose answers can be counted on paper), and the accuracy gained on a real city."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo.buildings import buildings_from_osm
from geo.crs import projected_crs_for
from geo.network import network_from_osm
from planning.coverage import coverage_of_study, demand_points_notes, place_elderly
from planning.coverage.placement import residential
from planning.settings import DemandSettings, NetworkSettings
from tests.conftest import osm_extract
from tests.studies import frames_study

CRS = pyproj.CRS.from_epsg(32650)


def _communities(boxes, elderly) -> gpd.GeoDataFrame:
    n = len(boxes)
    return gpd.GeoDataFrame(
        {
            "_row": np.arange(1, n + 1),
            "name": [f"c{i}" for i in range(n)],
            "street": ["s"] * n,
            "population": [1000.0] * n,
            "elderly": elderly,
            "elderly_80": [np.nan] * n,
            "households": [300.0] * n,
            "kind": ["urban"] * n,
            "built": ["existing"] * n,
        },
        geometry=[shapely.box(*b) for b in boxes],
        crs=CRS,
    )


def _no_facilities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"_row": [], "name": [], "kind": []}, geometry=[], crs=CRS)


def _buildings(rows) -> gpd.GeoDataFrame:
    """rows: (x, y, side_m, floors text, use text)."""
    return gpd.GeoDataFrame(
        {
            "name": [f"b{i}" for i in range(len(rows))],
            "floors": [r[3] for r in rows],
            "height_m": [None] * len(rows),
            "use": [r[4] for r in rows],
        },
        geometry=[shapely.box(x, y, x + s, y + s) for x, y, s, _f, _u in rows],
        crs=CRS,
    )


def _study(**fields):
    comm = _communities([(0, 0, 200, 100), (200, 0, 400, 100)], [90.0, 40.0])
    fields.setdefault("demand", DemandSettings(method="buildings"))
    return frames_study(comm, _no_facilities(), crs=CRS, **fields)


def test_elderly_go_to_homes_by_floor_area_and_never_to_a_school():
    buildings = _buildings(
        [
            (10, 10, 10, "6", "住宅"),  # 600 m² of floor
            (50, 10, 10, "地上3层", ""),  # untyped: a home, 300 m²
            (100, 10, 20, "4", "学校"),  # a school: nobody lives there
        ]
    )
    placed = place_elderly(_study(buildings=buildings), method="buildings", default_floors=6)
    pts = placed.points
    first = pts.area == 0
    np.testing.assert_allclose(np.sort(pts.weight[first]), [30.0, 60.0])  # 90 split 600:300
    assert not (shapely.contains_xy(shapely.box(100, 10, 120, 30), pts.xy[:, 0], pts.xy[:, 1])).any()
    # the second community has no building: an even 100 m grid (two cells), and it says so
    assert list(placed.method) == ["buildings", "grid"]
    np.testing.assert_allclose(pts.weight[pts.area == 1], [20.0, 20.0])
    assert pts.weight.sum() == pytest.approx(130.0)


def test_a_compound_with_its_own_elderly_is_placed_in_its_own_buildings_first():
    buildings = _buildings([(10, 10, 10, "6", "住宅"), (50, 10, 10, "6", "住宅")])
    compounds = gpd.GeoDataFrame(
        {"name": ["翠苑小区"], "elderly": [70.0], "households": [np.nan]},
        geometry=[shapely.box(0, 0, 30, 30)],
        crs=CRS,
    )
    placed = place_elderly(
        _study(buildings=buildings, compounds=compounds), method="buildings", default_floors=6
    )
    pts = placed.points
    in_compound = pts.xy[:, 0] < 30
    assert pts.weight[in_compound & (pts.area == 0)].sum() == pytest.approx(70.0)
    assert pts.weight[~in_compound & (pts.area == 0)].sum() == pytest.approx(
        20.0
    )  # the community's remainder


def test_a_compound_given_households_takes_its_communitys_elderly_per_household():
    buildings = _buildings([(10, 10, 10, "6", "住宅"), (50, 10, 10, "6", "住宅")])
    compounds = gpd.GeoDataFrame(
        {"name": ["翠苑小区"], "elderly": [np.nan], "households": [100.0]},
        geometry=[shapely.box(0, 0, 30, 30)],
        crs=CRS,
    )
    pts = place_elderly(
        _study(buildings=buildings, compounds=compounds), method="buildings", default_floors=6
    ).points
    # the community: 90 elderly in 300 households, 0.3 per household: 100 households hold 30
    assert pts.weight[(pts.xy[:, 0] < 30) & (pts.area == 0)].sum() == pytest.approx(30.0)


def test_residential_reads_osm_values_chinese_uses_and_grounds():
    geoms = np.array([shapely.box(i * 20, 0, i * 20 + 10, 10) for i in range(7)])
    building = pd.Series(["residential", "yes", "yes", "commercial", "", "", "apartments"])
    use = pd.Series(["", "", "", "", "商业办公", "住宅楼", "amenity=school"])
    zones = gpd.GeoDataFrame(
        {"key": ["amenity"], "value": ["school"]}, geometry=[shapely.box(35, -5, 55, 15)]
    )
    got = residential(building, use, geoms, zones)
    # the second untyped building stands in school grounds; an apartment block used as a school is not a home
    assert got.tolist() == [True, True, False, False, False, True, False]


def test_demand_notes_say_how_the_elderly_were_placed_in_both_languages():
    buildings = _buildings([(10, 10, 10, "6", "住宅")])
    frame, notes = demand_points_notes(_study(buildings=buildings))
    assert set(frame["placed_by"]) == {"buildings", "grid"}
    assert any("residential buildings in 1 communities" in n for n in notes.en)
    assert any("按住宅建筑面积分配" in n for n in notes.zh)


#: Grounds nobody lives in, as the test sees them (campuses, hospitals, commerce, industry).
_NOT_HOMES = {
    "school",
    "university",
    "college",
    "hospital",
    "kindergarten",
    "commercial",
    "retail",
    "industrial",
}


def _truth_study(path):
    """A real city: homes known (the test fills the residential buildings, unevenly: 0.7–1.3 times their floor
    area's share), only community totals given to the tool (nine communities)."""
    rng = np.random.default_rng(7)
    ll = buildings_from_osm(path, crs=4326)[0]
    lon, lat = ll.union_all().centroid.coords[0]
    crs = projected_crs_for(lon, lat)
    net = network_from_osm(path, crs=crs)
    b, zones = buildings_from_osm(path, crs=crs)
    x0, y0 = net.node_xy.min(axis=0)
    x1, y1 = net.node_xy.max(axis=0)
    c = b.geometry.representative_point()
    grounds = shapely.union_all(zones.loc[zones["value"].isin(_NOT_HOMES)].geometry.to_numpy())
    homes = b["building"].isin(["residential", "apartments", "house", "dormitory"])
    homes |= (b["building"] == "yes") & (b["use"] == "") & ~c.within(grounds)
    inside = (c.x > x0) & (c.x < x1) & (c.y > y0) & (c.y < y1)
    b, c = b[homes & inside].reset_index(drop=True), c[homes & inside].reset_index(drop=True)
    floors = np.where(np.isfinite(b["floors"]), b["floors"], 6.0)
    truth = np.round(b.area.to_numpy() * floors / 60.0 * rng.uniform(0.7, 1.3, len(b)), 1)
    n = 3
    xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
    boxes = [(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(n) for j in range(n)]
    comm = _communities(boxes, [0.0] * len(boxes)).set_crs(crs, allow_override=True)
    owner = np.array([next((k for k, bx in enumerate(boxes) if shapely.box(*bx).contains(p)), -1) for p in c])
    comm["elderly"] = np.bincount(owner[owner >= 0], weights=truth[owner >= 0], minlength=len(boxes))
    pop = gpd.GeoDataFrame(
        {"_row": np.arange(1, len(b) + 1), "elderly": truth}, geometry=c.to_numpy(), crs=crs
    )
    study = frames_study(
        comm, _no_facilities(), crs=crs, network=NetworkSettings(source=str(path)), synthetic=False
    )
    return study, pop, net


def _day_care_at(study, seed: int):
    """Three day-care centres at street nodes picked by ``seed``."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = study.communities.total_bounds
    xy = rng.uniform([x0, y0], [x1, y1], size=(3, 2))
    fac = gpd.GeoDataFrame(
        {"_row": [1, 2, 3], "name": ["d1", "d2", "d3"], "kind": ["day_care"] * 3},
        geometry=shapely.points(xy),
        crs=study.crs,
    )
    return replace(study, facilities=fac)


def _shares(study, net):
    res = coverage_of_study(study, net, minutes=(5, 10), kinds="day_care")
    col = [c for c in res.communities.columns if c.startswith("share_day_care_10")]
    return res.communities[col[0]].to_numpy(float), res


def placement_errors(extract, seeds=range(4)):
    """Mean absolute error of the per-community 10-minute day-care share, per method, over facility layouts."""
    study, pop, net = _truth_study(osm_extract(extract))
    keep = study.communities["elderly"].to_numpy() > 0
    errors: dict[str, list[float]] = {"buildings": [], "landuse": [], "grid": []}
    runs = {}
    for seed in seeds:
        s = _day_care_at(study, seed)
        truth, _ = _shares(replace(s, population=pop), net)
        for method in errors:
            got, runs[method] = _shares(replace(s, demand=DemandSettings(method=method)), net)
            errors[method].append(float(np.abs(got - truth)[keep].mean()))
    return {m: float(np.mean(v)) for m, v in errors.items()}, runs


@pytest.mark.parametrize("extract", ["nanjing", "beijing"])
def test_buildings_are_at_least_twice_as_close_to_the_truth_as_the_even_grid(extract):
    errors, runs = placement_errors(extract)
    placed = runs["buildings"].placement
    assert set(placed.loc[placed["elderly"] > 0, "placed_by"]) == {"buildings"}
    assert set(runs["grid"].placement.loc[placed["elderly"] > 0, "placed_by"]) == {"grid"}
    assert errors["grid"] > 0.03, f"the grid should be visibly off on a real city: {errors}"
    assert errors["buildings"] * 2 <= errors["grid"], errors
