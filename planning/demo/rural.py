"""The rural towns of the demo: villages (Voronoi cells of their seeds), hamlets, county roads between villages
and to the city, hamlet lanes, village roads, tracks into the fields and footpaths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry import LineString, Point, Polygon

from planning.demo.frame import (
    DISTRICT,
    URBAN_X0,
    URBAN_Y0,
    curve,
    motorway_line,
    railway_coords,
    river_y,
)
from planning.demo.places import CITY_GATES, COUNTY_ROADS, TOWN_POLYGONS, TOWN_SEATS, VILLAGES
from planning.demo.ways import Crossing, Way


def _wiggle(
    a: ArrayLike, b: ArrayLike, rng: np.random.Generator, *, amp_m: float, step_m: float = 35.0
) -> np.ndarray:
    """A gently winding road from a to b (the ends exact)."""
    pa, pb = np.asarray(a, float), np.asarray(b, float)
    d = pb - pa
    length = float(np.hypot(*d))
    n = max(2, int(length // step_m) + 1)
    t = np.linspace(0.0, 1.0, n)
    normal = np.array([-d[1], d[0]]) / max(length, 1e-9)
    k = rng.choice([0.5, 1.0, 1.5])
    phase = rng.uniform(0, 2 * np.pi)
    amp = amp_m * rng.uniform(0.5, 1.0)
    off = amp * np.sin(np.pi * t) * np.sin(2 * np.pi * k * t + phase)
    pts = pa + t[:, None] * d + off[:, None] * normal
    pts[0], pts[-1] = pa, pb
    return pts


def village_cells() -> dict[str, Polygon]:
    """Each village's polygon: the Voronoi cell of its seed within its town."""
    out: dict[str, Polygon] = {}
    for town, poly in TOWN_POLYGONS.items():
        seeds = [(name, p) for name, t, p, _ in VILLAGES if t == town]
        pts = shapely.MultiPoint([p for _, p in seeds])
        cells = shapely.voronoi_polygons(pts, extend_to=poly.buffer(5000.0))
        for name, p in seeds:
            cell = next(c for c in cells.geoms if c.contains(Point(p)))
            out[name] = cell.intersection(poly)
    return out


@dataclass
class Rural:
    """What the rural layout produced: its ways, and the hamlets (village, centre, radius m) where people live."""

    ways: list[Way] = field(default_factory=list)
    hamlets: list[tuple[str, tuple[float, float], float]] = field(default_factory=list)


def _county_roads(
    rural: Rural, rng: np.random.Generator, river: LineString, motorway: LineString
) -> list[Crossing]:
    """The county roads (tertiary, ``ref`` Y001…) and their crossings: bridges over the expressway, and one over
    the river (青山大桥)."""
    points = {name: p for name, _t, p, _ in VILLAGES} | CITY_GATES
    short = {name: name[:-1] for name, *_ in VILLAGES} | {k: "城区" for k in CITY_GATES}
    crossings: list[Crossing] = []
    for k, (a, b) in enumerate(COUNTY_ROADS):
        coords = _wiggle(points[a], points[b], rng, amp_m=60.0)
        line = LineString(coords)
        name = (
            f"{short[a]}至{short[b]}公路"
            if "城区" not in (short[a], short[b])
            else f"{short[b] if short[a] == '城区' else short[a]}进城公路"
        )
        rural.ways.append(Way(coords, {"highway": "tertiary", "name": name, "ref": f"Y{k + 1:03d}"}))
        for barrier, centre, tags in (
            ("river", river, {"bridge": "yes", "layer": "1", "name": "青山大桥"}),
            ("motorway", motorway, {"bridge": "yes", "layer": "1"}),
        ):
            hit = line.intersection(centre)
            for p in getattr(hit, "geoms", [hit]):
                if not p.is_empty:
                    crossings.append(Crossing((p.x, p.y), barrier, dict(tags)))
    return crossings


def _hamlet_centres(
    rng: np.random.Generator, seed: tuple[float, float], poly: Polygon, avoid: Polygon, *, seat: bool
) -> list[tuple[np.ndarray, float]]:
    """A village's hamlets (centre, radius m): the main one at its seed (larger at a town seat), and one or two
    more inside the village, away from the barriers and from each other."""
    centres = [(np.array(seed), 300.0 if seat else 200.0)]
    n_extra = int(rng.integers(1, 3))
    tries = 0
    while len(centres) < 1 + n_extra and tries < 40:
        tries += 1
        r, th = rng.uniform(550.0, 950.0), rng.uniform(0, 2 * np.pi)
        c = np.array(seed) + r * np.array([math.cos(th), math.sin(th)])
        if (
            poly.buffer(-150.0).contains(Point(c))
            and not avoid.contains(Point(c))
            and all(np.hypot(*(c - q)) > 450.0 for q, _ in centres)
        ):
            centres.append((c, 140.0))
    return centres


def _lanes(
    rural: Rural, rng: np.random.Generator, c: np.ndarray, radius: float, *, short: str, n_lanes: int
) -> list[np.ndarray]:
    """Lanes through a hamlet's centre (一巷, 二巷, 三巷); returns the lanes' ends."""
    th0 = rng.uniform(0, np.pi)
    lane_ends = []
    for m in range(n_lanes):
        th = th0 + m * np.pi / n_lanes
        half = radius * rng.uniform(0.8, 1.1)
        u = np.array([math.cos(th), math.sin(th)])
        p0, p1 = c - half * u, c + half * u
        lane = np.vstack(
            [
                _wiggle(p0, c, rng, amp_m=8.0, step_m=30.0),
                _wiggle(c, p1, rng, amp_m=8.0, step_m=30.0)[1:],
            ]
        )
        rural.ways.append(Way(lane, {"highway": "residential", "name": f"{short}{'一二三'[m]}巷"}))
        lane_ends += [p0, p1]
    return lane_ends


def _fields(rural: Rural, rng: np.random.Generator, c: np.ndarray, lane_ends: list[np.ndarray]) -> None:
    """Two tracks from lane ends into the fields (never into the city) and a footpath from the hamlet's centre."""
    for e in rng.choice(len(lane_ends), size=2, replace=False):
        start = lane_ends[int(e)]
        d = start - c
        d = d / max(np.hypot(*d), 1e-9)
        th = math.atan2(d[1], d[0]) + rng.uniform(-0.6, 0.6)
        end = start + rng.uniform(300.0, 600.0) * np.array([math.cos(th), math.sin(th)])
        end = np.clip(end, [DISTRICT[0] + 20, DISTRICT[1] + 20], [DISTRICT[2] - 20, DISTRICT[3] - 20])
        if end[0] > URBAN_X0 - 30 and end[1] > URBAN_Y0 - 30:
            continue
        rural.ways.append(Way(_wiggle(start, end, rng, amp_m=20.0, step_m=30.0), {"highway": "track"}))
    th = rng.uniform(0, 2 * np.pi)
    end = c + 180.0 * np.array([math.cos(th), math.sin(th)])
    rural.ways.append(Way(_wiggle(c, end, rng, amp_m=10.0, step_m=30.0), {"highway": "path"}))


def rural_layout(rng: np.random.Generator, village_polys: dict[str, Polygon]) -> tuple[Rural, list[Crossing]]:
    """County roads between villages (bridged over the expressway, one bridge over the river), hamlets with
    their lanes, village roads, tracks into the fields and footpaths.

    Parameters
    ----------
    rng : the demo's random generator (drawn from in a fixed order).
    village_polys : each village's polygon (:func:`village_cells`).

    Returns
    -------
    tuple
        What the layout produced (:class:`Rural`) and the designated crossings of the county roads.
    """
    rural = Rural()
    river = LineString(curve(river_y, 0.0, 8500.0, step_m=20.0))
    motorway = motorway_line()
    crossings = _county_roads(rural, rng, river, motorway)
    avoid = shapely.union_all(
        [river.buffer(220.0), motorway.buffer(200.0), LineString(railway_coords()).buffer(150.0)]
    )
    for name, town, seed, _aid in VILLAGES:
        seat = TOWN_SEATS[town] == name
        centres = _hamlet_centres(rng, seed, village_polys[name], avoid, seat=seat)
        for h, (c, radius) in enumerate(centres):
            rural.hamlets.append((name, (float(c[0]), float(c[1])), radius))
            lane_ends = _lanes(rural, rng, c, radius, short=name[:-1], n_lanes=3 if (seat and h == 0) else 2)
            if h > 0:  # village road to the main hamlet
                rural.ways.append(
                    Way(
                        _wiggle(c, seed, rng, amp_m=40.0),
                        {"highway": "unclassified", "name": f"{name[:-1]}村道"},
                    )
                )
            _fields(rural, rng, c, lane_ends)
    return rural, crossings
