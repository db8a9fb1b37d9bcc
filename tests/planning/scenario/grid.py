"""A hand-made district for scenarios, small enough to count on paper.

A street grid with 400 m blocks: east-west streets at y = 0, 400, 800 and north-south streets at x = 0, 400, ...,
1600 (metres from the origin, UTM 50N). Walking 1 m/s: 5 min = 300 m, 10 min = 600 m, 15 min = 900 m.
Four urban communities: A (x < 800, y < 400) and C (x < 800, y > 400) in street 西街; B and D east of x = 800 in
东街. The elderly stand on the north-south streets, halfway along a block (no access walk):

    A: (0, 200) 10, (400, 200) 20        B: (1200, 200) 30, (1600, 200) 40
    C: (0, 600) 50, (400, 600) 60        D: (1200, 600) 70, (1600, 600) 80

Two day-care centres: 西中心 at (0, 0) and 东中心 at (1600, 800); a meal point 助餐点 at (400, 400).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pyproj
import shapely

from geo.network import WalkNetwork, network_from_lines
from planning.settings import StandardsSettings
from planning.study import Study
from tests.studies import frames_study

X0, Y0 = 600_000.0, 3_150_000.0
CRS = "EPSG:32650"
XS = (0, 400, 800, 1200, 1600)
YS = (0, 400, 800)
ELDERLY = {
    (0, 200): 10.0,
    (400, 200): 20.0,
    (1200, 200): 30.0,
    (1600, 200): 40.0,
    (0, 600): 50.0,
    (400, 600): 60.0,
    (1200, 600): 70.0,
    (1600, 600): 80.0,
}
WEST, EAST = (0, 0), (1600, 800)


def P(x: float, y: float) -> shapely.Point:  # noqa: N802 - a point of the grid
    return shapely.Point(X0 + x, Y0 + y)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """The WGS84 lon/lat of the grid point (x, y)."""
    t = pyproj.Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lon, lat = t.transform(X0 + x, Y0 + y)
    return float(lon), float(lat)


def segments() -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The grid's street segments as pairs of grid points."""
    out = []
    for y in YS:
        out += [((a, y), (b, y)) for a, b in itertools.pairwise(XS)]
    for x in XS:
        out += [((x, a), (x, b)) for a, b in itertools.pairwise(YS)]
    return out


def grid_network() -> WalkNetwork:
    lines = [shapely.LineString([(X0 + a[0], Y0 + a[1]), (X0 + b[0], Y0 + b[1])]) for a, b in segments()]
    return network_from_lines(lines, crs=CRS, walk_speed_m_s=1.0)


def grid_study(*, name: str = "网格区", folder: Path = Path("grid")) -> Study:
    boxes = {
        "A": (-100, -100, 800, 400, "西街"),
        "B": (800, -100, 1700, 400, "东街"),
        "C": (-100, 400, 800, 900, "西街"),
        "D": (800, 400, 1700, 900, "东街"),
    }
    elderly = {k: 0.0 for k in boxes}
    for (x, y), n in ELDERLY.items():
        elderly[("A" if x < 800 else "B") if y < 400 else ("C" if x < 800 else "D")] += n
    comm = gpd.GeoDataFrame(
        {
            "_row": [1, 2, 3, 4],
            "name": list(boxes),
            "street": [b[4] for b in boxes.values()],
            "population": [elderly[k] * 5 for k in boxes],
            "elderly": [elderly[k] for k in boxes],
            "elderly_80": [np.nan] * 4,
            "households": [np.nan] * 4,
            "kind": ["urban"] * 4,
            "built": ["existing"] * 4,
        },
        geometry=[shapely.box(X0 + b[0], Y0 + b[1], X0 + b[2], Y0 + b[3]) for b in boxes.values()],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "_row": [1, 2, 3],
            "name": ["西中心", "东中心", "助餐点"],
            "kind": ["day_care", "day_care", "meal_point"],
            "street": [None, None, None],
            "floor_area_m2": [400.0, 400.0, 100.0],
            "land_area_m2": [np.nan] * 3,
            "beds": [10.0, 10.0, np.nan],
            "nursing_beds": [np.nan] * 3,
            "dementia_beds": [np.nan] * 3,
            "built": ["existing"] * 3,
            "destitute_care": [None] * 3,
        },
        geometry=[P(*WEST), P(*EAST), P(400, 400)],
        crs=CRS,
    )
    pop = gpd.GeoDataFrame(
        {
            "_row": list(range(1, len(ELDERLY) + 1)),
            "id": [f"p{i}" for i in range(1, len(ELDERLY) + 1)],
            "elderly": list(ELDERLY.values()),
            "population": [np.nan] * len(ELDERLY),
        },
        geometry=[P(x, y) for x, y in ELDERLY],
        crs=CRS,
    )
    standards = StandardsSettings(preset="xinzhou", circle_kinds=("day_care",))
    return frames_study(comm, fac, folder=folder, name=name, population=pop, standards=standards)


def walked_elderly(sources: list[tuple[int, int]], minutes: int) -> float:
    """The elderly within ``minutes`` of the nearest of ``sources`` (grid nodes), by networkx's Dijkstra on a graph
    built here from the grid, each elderly point a node splitting its block."""
    g = nx.Graph()
    for a, b in segments():
        g.add_edge(a, b, length=float(abs(a[0] - b[0]) + abs(a[1] - b[1])))
    for x, y in ELDERLY:
        below, above = (x, y - 200), (x, y + 200)
        g.remove_edge(below, above)
        g.add_edge(below, (x, y), length=200.0)
        g.add_edge((x, y), above, length=200.0)
    dist = nx.multi_source_dijkstra_path_length(g, set(sources), weight="length")
    return sum(n for p, n in ELDERLY.items() if dist.get(p, np.inf) <= minutes * 60.0)
