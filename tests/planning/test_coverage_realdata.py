"""Coverage end to end on the real OpenStreetMap extracts of ../shared/realdata (skipped when absent).

Facilities and elderly are placed by the test on real buildings: every building centroid is a demand point
weighted by its footprint; a spread of buildings host the facilities. Times are cross-checked against networkx.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
import pytest
import shapely

from geo.crs import projected_crs_for
from geo.network import network_from_osm
from planning.coverage import coverage_of_study
from planning.study import NetworkSettings
from tests.conftest import osm_extract
from tests.studies import frames_study


def study_on_buildings(path: Path):
    buildings = ox.features_from_xml(path, tags={"building": True})
    buildings = buildings[buildings.geom_type.isin(["Polygon", "MultiPolygon"])]
    lon, lat = buildings.union_all().centroid.coords[0]
    crs = projected_crs_for(lon, lat)
    net = network_from_osm(path, crs=crs)
    b = buildings.to_crs(crs).reset_index(drop=True)
    # keep buildings within the network's extent (extracts include ways spilling out of the box)
    x0, y0 = net.node_xy.min(axis=0)
    x1, y1 = net.node_xy.max(axis=0)
    c = b.geometry.centroid
    b = b[(c.x > x0) & (c.x < x1) & (c.y > y0) & (c.y < y1)].reset_index(drop=True)
    centroids = b.geometry.centroid
    area = b.geometry.area.to_numpy()
    elderly = np.round(area / 50.0, 1)  # one older resident per 50 m² of footprint
    comm = _quadrants(x0, y0, x1, y1, crs)
    fac = _facilities_on_largest(centroids, area, crs)
    pop = gpd.GeoDataFrame(
        {
            "_row": np.arange(1, len(b) + 1),
            "id": [f"b{i}" for i in range(len(b))],
            "elderly": elderly,
            "population": elderly * 5,
        },
        geometry=centroids.to_numpy(),
        crs=crs,
    )
    study = frames_study(
        comm,
        fac,
        folder=path.parent,
        name=path.stem,
        name_en=path.stem,
        synthetic=False,
        crs=crs,
        population=pop,
        network=NetworkSettings(source=str(path)),
    )
    return study, net


def _quadrants(x0: float, y0: float, x1: float, y1: float, crs) -> gpd.GeoDataFrame:
    """Four urban communities, the quadrants of the box, in two streets."""
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    quads = [
        shapely.box(x0, y0, xm, ym),
        shapely.box(xm, y0, x1, ym),
        shapely.box(x0, ym, xm, y1),
        shapely.box(xm, ym, x1, y1),
    ]
    return gpd.GeoDataFrame(
        {
            "_row": [1, 2, 3, 4],
            "name": ["SW", "SE", "NW", "NE"],
            "street": ["S1", "S1", "S2", "S2"],
            "population": [1e5] * 4,
            "elderly": [1e4] * 4,
            "elderly_80": [np.nan] * 4,
            "households": [np.nan] * 4,
            "kind": ["urban"] * 4,
            "built": ["existing"] * 4,
        },
        geometry=quads,
        crs=crs,
    )


def _facilities_on_largest(centroids, area: np.ndarray, crs) -> gpd.GeoDataFrame:
    """Six facilities on a spread of the buildings by size (five day-care centres, a nursing home)."""
    order = np.argsort(-area)
    hosts = order[:: max(1, len(order) // 6)][:6]
    kinds = ["day_care"] * (len(hosts) - 1) + ["nursing_home"]
    return gpd.GeoDataFrame(
        {
            "_row": np.arange(1, len(hosts) + 1),
            "name": [f"f{i}" for i in range(len(hosts))],
            "kind": kinds,
            "street": [None] * len(hosts),
            "floor_area_m2": [500.0] * len(hosts),
            "land_area_m2": [np.nan] * len(hosts),
            "beds": [np.nan] * (len(hosts) - 1) + [100.0],
            "nursing_beds": [np.nan] * len(hosts),
            "dementia_beds": [np.nan] * len(hosts),
        },
        geometry=centroids.iloc[hosts].to_numpy(),
        crs=crs,
    )


@pytest.mark.parametrize("name", ["nanjing", "beijing", "shenzhen", "guixi"])
def test_coverage_runs_on_real_extract(name):
    study, net = study_on_buildings(osm_extract(name))
    result = coverage_of_study(study, net, minutes=(5, 10, 15))
    dc = result.totals[result.totals["kind"] == "day_care"]
    shares = dc["share"].to_numpy()
    assert np.all((shares >= 0) & (shares <= 1)) and np.all(np.diff(shares) >= 0)
    assert dc["elderly_total"].iloc[0] == pytest.approx(study.population["elderly"].sum())
    placed = ~result.demand["far"].to_numpy()
    assert placed.mean() > 0.8, f"only {placed.mean():.0%} of buildings lie within 300 m of a walkable street"
    assert shares[-1] > 0.05  # five day-care centres on real streets reach someone
    per_comm = result.communities["elderly"].sum()
    assert per_comm == pytest.approx(study.population["elderly"].sum(), rel=0.02)


def test_real_times_equal_networkx_dijkstra():
    study, net = study_on_buildings(osm_extract("nanjing"))
    result = coverage_of_study(study, net, minutes=(15,), kinds="day_care")
    times = result.demand["walk_time_s_day_care"].to_numpy()
    # an independent graph: street nodes, plus one node per point joined to its nearest edge's two ends
    g = nx.Graph()
    for u, v, t in zip(net.edge_u, net.edge_v, net.edge_time_s, strict=False):
        if not g.has_edge(u, v) or g[u][v]["t"] > t:
            g.add_edge(int(u), int(v), t=float(t))
    geoms = net.edge_geometry

    def attach(label, point):
        d = shapely.distance(geoms, point)
        e = int(np.argmin(d))
        along = shapely.line_locate_point(geoms[e], point)
        frac = along / net.edge_length_m[e]
        access = d[e] / net.walk_speed_m_s
        g.add_edge(label, int(net.edge_u[e]), t=access + frac * net.edge_time_s[e])
        g.add_edge(label, int(net.edge_v[e]), t=access + (1 - frac) * net.edge_time_s[e])
        return e, along, access

    fac = study.facilities[study.facilities["kind"] == "day_care"]
    # a point's node may carry paths through it, but never shortens one (triangle inequality)
    src = [(i, attach(("f", i), p)) for i, p in enumerate(fac.geometry)]
    sources = {("f", i) for i, _ in src}
    rng = np.random.default_rng(7)
    sample = rng.choice(len(result.demand), size=40, replace=False)
    checked = 0
    for k in sample:
        p = result.demand.geometry.iloc[k]
        e, along, access = attach(("d", int(k)), p)
        if access * net.walk_speed_m_s > 300:
            continue
        dist_k = nx.multi_source_dijkstra_path_length(g, sources, weight="t")
        expected = dist_k.get(("d", int(k)), np.inf)
        # the same-edge shortcut (facility and point on one edge) is a straight walk along it
        for _, (fe, falong, faccess) in src:
            if fe == e:
                expected = min(
                    expected,
                    faccess + access + abs(falong - along) / net.edge_length_m[e] * net.edge_time_s[e],
                )
        got = times[k]
        if expected > 900:
            assert np.isnan(got)
        else:
            assert got == pytest.approx(expected, abs=1e-6)
            checked += 1
    assert checked >= 10
