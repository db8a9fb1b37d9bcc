"""The city of the demo: arterials and their designated crossings, then superblocks between them, each a jittered
lattice of local streets with gated compounds (fence, driveways, gates), parks and old-town alleys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry import LineString, Point, Polygon, box

from planning.demo.frame import (
    COLS,
    EAST_ROAD_X,
    NORTH_ROAD_Y,
    RAIL_EAST_ST,
    RAIL_WEST_ST,
    RAIL_X,
    ROW_N2,
    ROW_N3,
    ROW_N4,
    ROW_S1,
    URBAN_Y0,
    bank_y,
    curve,
    lake_polygon,
    north_bank,
    railway_coords,
    river_y,
    south_bank,
)
from planning.demo.places import (
    COMPOUND_STEMS,
    COMPOUND_SUFFIXES,
    LOCAL_NAME_STEMS,
    STREETS,
    community_street,
)
from planning.demo.ways import Crossing, Way


@dataclass
class _Urban:
    """What the urban layout produced."""

    ways: list[Way] = field(default_factory=list)
    compounds: list[tuple[Polygon, str, bool]] = field(default_factory=list)  # fence, name, private
    parks: list[tuple[Polygon, str]] = field(default_factory=list)
    compound_cells: list[Polygon] = field(default_factory=list)
    unbuilt: list[Polygon] = field(default_factory=list)
    node_tags: list[tuple[tuple[float, float], dict[str, str]]] = field(default_factory=list)
    n_names: int = 0
    private_done: bool = False


def _superblock_x(col: int, north: bool) -> tuple[float, float]:
    """The x range of a superblock's lattice (between the roads that bound it)."""
    x0, x1 = COLS[col], COLS[col + 1]
    if col == 4 and north:
        x1 = RAIL_WEST_ST
    if col == 5:
        x0 = RAIL_EAST_ST if north else RAIL_X
        x1 = EAST_ROAD_X
    return x0, x1


def _superblock_y(row: str) -> tuple[Callable[[ArrayLike], np.ndarray], Callable[[ArrayLike], np.ndarray]]:
    """Functions giving the bottom and top road of a row at x."""
    const = {
        "S1": (URBAN_Y0, ROW_S1),
        "N2": (ROW_N2, ROW_N3),
        "N3": (ROW_N3, ROW_N4),
        "N4": (ROW_N4, NORTH_ROAD_Y),
    }
    if row == "S2":
        return (lambda x: np.full_like(np.asarray(x, float), ROW_S1)), (lambda x: bank_y(x, -1))
    if row == "N1":
        return (lambda x: bank_y(x, 1)), (lambda x: np.full_like(np.asarray(x, float), ROW_N2))
    lo, hi = const[row]
    return (lambda x: np.full_like(np.asarray(x, float), lo)), (
        lambda x: np.full_like(np.asarray(x, float), hi)
    )


def _arterials(urban: _Urban) -> list[Crossing]:
    """The arterial roads and the designated crossings on them."""
    ways = urban.ways
    y0, yn = URBAN_Y0, NORTH_ROAD_Y
    ns = [
        (3500.0, "西环路", "secondary"),
        (4300.0, "建设路", "secondary"),
        (5100.0, "人民路", "primary"),
        (5900.0, "中山路", "primary"),
        (6600.0, "解放路", "secondary"),
        (EAST_ROAD_X, "东环路", "secondary"),
    ]
    for x, name, hw in ns:
        ways.append(Way(np.array([[x, y0], [x, yn]]), {"highway": hw, "name": name}))
    ways.append(Way(np.array([[RAIL_X, y0], [RAIL_X, ROW_S1]]), {"highway": "secondary", "name": "新城路"}))
    for x, name in ((RAIL_WEST_ST, "铁路西街"), (RAIL_EAST_ST, "铁路东街")):
        ways.append(Way(np.array([[x, float(bank_y(x, 1))], [x, yn]]), {"highway": "tertiary", "name": name}))
    ew = [
        (y0, "迎宾大道", "primary"),
        (ROW_S1, "南湖路", "secondary"),
        (ROW_N2, "胜利路", "primary"),
        (ROW_N3, "文化路", "secondary"),
        (ROW_N4, "北门路", "secondary"),
        (yn, "北环路", "secondary"),
    ]
    for y, name, hw in ew:
        ways.append(Way(np.array([[3500.0, y], [8500.0, y]]), {"highway": hw, "name": name}))
    ways.append(Way(curve(north_bank, 3500.0, 8500.0), {"highway": "secondary", "name": "滨江北路"}))
    ways.append(Way(curve(south_bank, 3500.0, 8500.0), {"highway": "secondary", "name": "滨江南路"}))
    rail = LineString(railway_coords())
    crossings = [
        Crossing(
            (3500.0, float(river_y(3500.0))), "river", {"bridge": "yes", "layer": "1", "name": "西环大桥"}
        ),
        Crossing(
            (5100.0, float(river_y(5100.0))), "river", {"bridge": "yes", "layer": "1", "name": "人民大桥"}
        ),
        Crossing(
            (6600.0, float(river_y(6600.0))), "river", {"bridge": "yes", "layer": "1", "name": "解放大桥"}
        ),
        Crossing((RAIL_X, ROW_N2), "rail", {"tunnel": "yes", "layer": "-1", "name": "胜利路下穿通道"}),
        Crossing((RAIL_X, ROW_N4), "rail", {}, node_tags={"railway": "crossing"}),
    ]
    over = rail.intersection(LineString([(3500.0, ROW_S1), (8500.0, ROW_S1)]))
    crossings.append(
        Crossing((over.x, over.y), "rail", {"bridge": "yes", "layer": "1", "name": "南湖路跨线桥"})
    )
    return crossings


@dataclass
class _Region:
    """Lattice cells merged into one gated compound or one park."""

    kind: str  # "compound" | "park"
    cells: list[tuple[int, int]]
    name: str = ""
    steps: bool = False


def _lattice(
    urban: _Urban,
    rng: np.random.Generator,
    col: int,
    row: str,
    parks: list[tuple[Polygon, str, bool]],
    rail_zone: Polygon,
    lake: Polygon,
    unbuilt_zone: Polygon,
) -> None:
    """Local streets, gated compounds, parks and alleys of one superblock (the land between four arterials).

    The superblock is a lattice of jittered nodes ``g[i, j]``; column 0 and the last column, row 0 and the last row
    lie on the arterials around it (or on a riverside road). Local streets run along the interior lattice lines;
    the segments inside a compound or a park are left out.
    """
    north = row.startswith("N")
    street = community_street(col, row)
    spacing, p_compound = STREETS[street]
    x0, x1 = _superblock_x(col, north)
    lo, hi = _superblock_y(row)
    yl = float(np.max(lo(np.linspace(x0, x1, 50)))) if row == "N1" else float(lo(x0))
    yh = float(np.min(hi(np.linspace(x0, x1, 50)))) if row == "S2" else float(hi(x0))
    nx = max(1, round((x1 - x0) / spacing) - 1)
    xs = np.linspace(x0, x1, nx + 2)
    if row in ("N1", "S2"):  # the first lattice row keeps clear of the curved riverside road
        ny = max(1, round((yh - yl - 0.4 * spacing) / spacing))
        ys = (
            np.r_[yl, np.linspace(yl + 0.5 * spacing, yh, ny + 1)]
            if row == "N1"
            else np.r_[np.linspace(yl, yh - 0.5 * spacing, ny + 1), yh]
        )
    else:
        ny = max(1, round((yh - yl) / spacing) - 1)
        ys = np.linspace(yl, yh, ny + 2)
    jit = 0.12 * spacing
    gx = np.repeat(xs[:, None], ny + 2, axis=1) + rng.uniform(-jit, jit, (nx + 2, ny + 2))
    gy = np.repeat(ys[None, :], nx + 2, axis=0) + rng.uniform(-jit, jit, (nx + 2, ny + 2))
    gx[0, :], gx[-1, :] = x0, x1
    gy[:, 0], gy[:, -1] = lo(gx[:, 0]), hi(gx[:, -1])
    g = np.stack([gx, gy], axis=-1)  # (nx + 2, ny + 2, 2)
    ncx, ncy = nx + 1, ny + 1
    cell_poly = [
        [Polygon([g[i, j], g[i + 1, j], g[i + 1, j + 1], g[i, j + 1]]) for j in range(ncy)]
        for i in range(ncx)
    ]
    centroids = [[cell_poly[i][j].centroid for j in range(ncy)] for i in range(ncx)]
    occupant = -np.ones((ncx, ncy), dtype=int)  # -1 free, else the index in ``regions``
    regions: list[_Region] = []
    for park_poly, park_name, steps in parks:
        members = [(i, j) for i in range(ncx) for j in range(ncy) if park_poly.contains(centroids[i][j])]
        if members:
            for i, j in members:
                occupant[i, j] = len(regions)
            regions.append(_Region("park", members, park_name, steps))
    edge_row = 0 if row == "N1" else (ncy - 1 if row == "S2" else -1)
    near_lake = lake.buffer(60.0)
    blocked = np.array(
        [
            [
                j == edge_row
                or cell_poly[i][j].intersects(rail_zone)
                or cell_poly[i][j].intersects(near_lake)
                for j in range(ncy)
            ]
            for i in range(ncx)
        ]
    )
    new_town = street == "新城街道"
    shapes = [(2, 2), (2, 1), (1, 2), (1, 1)]
    probs = [0.5, 0.2, 0.2, 0.1] if new_town else [0.1, 0.3, 0.3, 0.3]
    for flat in rng.permutation(ncx * ncy):
        i, j = divmod(int(flat), ncy)
        if occupant[i, j] >= 0 or blocked[i, j] or rng.random() > p_compound:
            continue
        w, h = shapes[int(rng.choice(4, p=probs))]
        i1, j1 = min(i + w - 1, ncx - 1), min(j + h - 1, ncy - 1)
        if np.any(occupant[i : i1 + 1, j : j1 + 1] >= 0) or np.any(blocked[i : i1 + 1, j : j1 + 1]):
            i1, j1 = i, j
        occupant[i : i1 + 1, j : j1 + 1] = len(regions)
        regions.append(_Region("compound", [(a, b) for a in range(i, i1 + 1) for b in range(j, j1 + 1)]))

    def region_of(i: int, j: int) -> int:
        return int(occupant[i, j]) if 0 <= i < ncx and 0 <= j < ncy else -2

    # vertical segment (i, j) runs g[i, j] -> g[i, j + 1]; horizontal (i, j) runs g[i, j] -> g[i + 1, j]
    v_keep = np.ones((nx + 2, ncy), dtype=bool)
    h_keep = np.ones((ncx, ny + 2), dtype=bool)
    for i in range(1, nx + 1):
        for j in range(ncy):
            v_keep[i, j] = not (region_of(i - 1, j) >= 0 and region_of(i - 1, j) == region_of(i, j))
    for j in range(1, ny + 1):
        for i in range(ncx):
            h_keep[i, j] = not (region_of(i, j - 1) >= 0 and region_of(i, j - 1) == region_of(i, j))
    # chain the kept segments of each lattice line into ways
    old_town = street == "老城街道"
    for i in range(1, nx + 1):
        name = _street_name(urban, "巷" if old_town else "街")
        pedestrian = old_town and col == 2 and row == "N2" and i == (nx + 1) // 2
        for run in _runs([g[i, j] for j in range(ncy + 1)], v_keep[i]):
            hw = (
                "pedestrian"
                if pedestrian
                else ("tertiary" if len(run) > 4 and rng.random() < 0.3 else "residential")
            )
            urban.ways.append(Way(run, {"highway": hw, "name": "文庙步行街" if pedestrian else name}))
    for j in range(1, ny + 1):
        name = _street_name(urban, "巷" if old_town else "路")
        for run in _runs([g[i, j] for i in range(ncx + 1)], h_keep[:, j]):
            hw = "tertiary" if len(run) > 4 and rng.random() < 0.3 else "residential"
            if old_town and rng.random() < 0.15:
                hw = "living_street"
            urban.ways.append(Way(run, {"highway": hw, "name": name}))
    # compounds (fence, driveways, gates) and parks (paths, entrances)
    for k, region in enumerate(regions):
        if region.kind == "compound":
            i0, j0 = region.cells[0]
            i1, j1 = region.cells[-1]
            outline = (
                [g[i, j0] for i in range(i0, i1 + 2)]
                + [g[i1 + 1, j] for j in range(j0 + 1, j1 + 2)]
                + [g[i, j1 + 1] for i in range(i1, i0 - 1, -1)]
                + [g[i0, j] for j in range(j1, j0, -1)]
            )
            # gates where a left-out lattice line used to meet the outer street; side midpoints for one cell
            gates = (
                [g[i, j0] for i in range(i0 + 1, i1 + 1)]
                + [g[i, j1 + 1] for i in range(i0 + 1, i1 + 1)]
                + [g[i0, j] for j in range(j0 + 1, j1 + 1)]
                + [g[i1 + 1, j] for j in range(j0 + 1, j1 + 1)]
            )
            if not gates:
                gates = [
                    (g[i0, j0] + g[i0 + 1, j0]) / 2,
                    (g[i0, j0 + 1] + g[i0 + 1, j0 + 1]) / 2,
                    (g[i0, j0] + g[i0, j0 + 1]) / 2,
                    (g[i0 + 1, j0] + g[i0 + 1, j0 + 1]) / 2,
                ]
            private = not urban.private_done and street == "东湖街道" and len(gates) <= 4
            _compound(urban, rng, Polygon(outline), gates, private=private)
        else:
            shape = shapely.union_all([cell_poly[i][j] for i, j in region.cells])
            entrances = []
            for i in range(nx + 2):
                for j in range(ny + 2):
                    lost = (
                        any(
                            0 <= jj < ncy and not v_keep[i, jj] and region_of(i, jj) == k for jj in (j - 1, j)
                        )
                        if 0 < i <= nx
                        else False
                    )
                    lost = lost or (
                        any(
                            0 <= ii < ncx and not h_keep[ii, j] and region_of(ii, j) == k for ii in (i - 1, i)
                        )
                        if 0 < j <= ny
                        else False
                    )
                    if lost:
                        entrances.append(g[i, j])
            _park(urban, rng, shape, region.name, entrances, steps=region.steps, lake=lake)
    # old-town alleys across the open blocks, a few of them stepped lanes
    if old_town:
        for i in range(ncx):
            for j in range(ncy):
                if occupant[i, j] >= 0 or j == edge_row or rng.random() > 0.35:
                    continue
                if rng.random() < 0.5:
                    a, b = (g[i, j] + g[i + 1, j]) / 2, (g[i, j + 1] + g[i + 1, j + 1]) / 2
                else:
                    a, b = (g[i, j] + g[i, j + 1]) / 2, (g[i + 1, j] + g[i + 1, j + 1]) / 2
                mid = (a + b) / 2 + rng.uniform(-8, 8, 2)
                tags = (
                    {"highway": "steps", "name": "石阶巷"} if rng.random() < 0.08 else {"highway": "footway"}
                )
                urban.ways.append(Way(np.array([a, mid, b]), tags))
    for i in range(ncx):
        for j in range(ncy):
            if occupant[i, j] < 0 and unbuilt_zone.contains(centroids[i][j]):
                urban.unbuilt.append(cell_poly[i][j])


def _runs(nodes: list[np.ndarray], keep: np.ndarray) -> list[np.ndarray]:
    """The maximal runs of kept segments along a line of nodes (segment k joins node k and k + 1)."""
    out: list[np.ndarray] = []
    run: list[np.ndarray] = []
    for k in range(len(nodes) - 1):
        if keep[k]:
            run = run or [nodes[k]]
            run.append(nodes[k + 1])
        elif run:
            out.append(np.array(run))
            run = []
    if run:
        out.append(np.array(run))
    return out


def _street_name(urban: _Urban, suffix: str) -> str:
    """A new local street name (unique in the city): 光明路, 和平街, ..., then 光明二路, ..."""
    k = urban.n_names
    urban.n_names += 1
    stem = LOCAL_NAME_STEMS[k % len(LOCAL_NAME_STEMS)]
    return stem + ("", "二", "三", "四", "五", "六", "七", "八")[(k // len(LOCAL_NAME_STEMS)) % 8] + suffix


def _compound(
    urban: _Urban, rng: np.random.Generator, region: Polygon, gate_points: list[np.ndarray], *, private: bool
) -> None:
    """A gated compound: fence, internal ring road and spine, footways, and 1–3 gates to the outer streets."""
    fence = region.buffer(-12.0, join_style="mitre")
    ring_poly = region.buffer(-24.0, join_style="mitre")
    if fence.is_empty or ring_poly.is_empty or ring_poly.area < 2000.0 or not isinstance(ring_poly, Polygon):
        return
    ring = shapely.segmentize(ring_poly.exterior, 30.0)
    ring_xy = np.asarray(ring.coords)
    k = len(urban.compounds)
    name = (
        COMPOUND_STEMS[k % len(COMPOUND_STEMS)]
        + COMPOUND_SUFFIXES[(k // len(COMPOUND_STEMS)) % len(COMPOUND_SUFFIXES)]
    )
    urban.compounds.append((fence, name, private))
    urban.private_done = urban.private_done or private
    urban.compound_cells.append(region)
    base = {"access": "private"} if private else {}
    urban.ways.append(Way(ring_xy, {"highway": "service", "service": "driveway", **base}))
    # spine along the longer side through the centre, ends on ring vertices
    minx, miny, maxx, maxy = ring_poly.bounds
    c = np.array(ring_poly.centroid.coords[0])
    if maxx - minx >= 140.0 or maxy - miny >= 140.0:
        direction = np.array([1.0, 0.0]) if maxx - minx >= maxy - miny else np.array([0.0, 1.0])
        targets = [c - direction * 1e4, c + direction * 1e4]
        ends = []
        for t in targets:
            seg = LineString([c, t]).intersection(ring)
            p = np.array(seg.coords[0] if isinstance(seg, Point) else shapely.get_coordinates(seg)[0])
            ends.append(ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - p).T)))])
        if np.hypot(*(ends[0] - ends[1])) > 60.0:
            urban.ways.append(Way(np.array([ends[0], c, ends[1]]), {"highway": "service", **base}))
    # footways to the buildings: short dead ends from ring vertices inward
    n_foot = int(rng.integers(2, 5))
    for idx in rng.choice(len(ring_xy) - 1, size=min(n_foot, len(ring_xy) - 1), replace=False):
        p = ring_xy[int(idx)]
        d = c - p
        dist = float(np.hypot(*d))
        if dist < 40.0:
            continue
        q = p + d / dist * min(35.0, dist / 2)
        urban.ways.append(Way(np.array([p, q]), {"highway": "footway", **base}))
    # gates
    pts = [np.asarray(p, float) for p in gate_points]
    big = region.area > 60000.0
    n_gates = min(len(pts), int(rng.choice([2, 3, 3])) if big else int(rng.choice([1, 2, 2])))
    for idx in sorted(rng.choice(len(pts), size=n_gates, replace=False)):
        o = pts[int(idx)]
        inner = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - o).T)))]
        d = inner - o
        dist = float(np.hypot(*d))
        if dist < 13.0:
            continue
        f = o + d / dist * 12.0
        gate_tags = {"barrier": "gate", **base}
        urban.node_tags.append(((float(f[0]), float(f[1])), gate_tags))
        urban.ways.append(Way(np.array([o, f, inner]), {"highway": "service", **base}))


def _park(
    urban: _Urban,
    rng: np.random.Generator,
    region: Polygon,
    name: str,
    entrances: list[np.ndarray],
    *,
    steps: bool,
    lake: Polygon,
) -> None:
    """A park: a ring of footways inside it (round the lake where there is one) and paths from its entrances."""
    ring_poly = lake.buffer(30.0) if region.intersects(lake) else region.buffer(-25.0, join_style="mitre")
    if ring_poly.is_empty or not isinstance(ring_poly, Polygon):
        return
    urban.parks.append((region.buffer(-12.0, join_style="mitre"), name))
    ring_xy = np.asarray(shapely.segmentize(ring_poly.exterior, 25.0).coords)
    urban.ways.append(
        Way(
            ring_xy,
            {"highway": "footway", "name": f"{name}环湖步道" if region.intersects(lake) else f"{name}步道"},
        )
    )
    for k, p in enumerate(entrances):
        q = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - p).T)))]
        if np.hypot(*(q - p)) < 5.0:
            continue
        hw = "steps" if steps and k % 2 == 0 else "footway"
        urban.ways.append(Way(np.array([p, q]), {"highway": hw}))
    # a path across the middle of a park without a lake
    if not region.intersects(lake):
        minx, miny, maxx, maxy = ring_poly.bounds
        c = np.array(ring_poly.centroid.coords[0])
        a = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - np.array([minx, miny])).T)))]
        b = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - np.array([maxx, maxy])).T)))]
        urban.ways.append(Way(np.array([a, c + rng.uniform(-10, 10, 2), b]), {"highway": "path"}))


def urban_layout(rng: np.random.Generator) -> tuple[_Urban, list[Crossing]]:
    urban = _Urban()
    crossings = _arterials(urban)
    rail_zone = LineString(railway_coords()).buffer(30.0)
    lake = lake_polygon()
    parks = [
        (box(5180.0, 6500.0, 5650.0, 7000.0), "人民公园", False),
        (box(5100.0, 8950.0, 5600.0, 9400.0), "北山公园", True),
        (lake.buffer(90.0), "东湖公园", False),
    ]
    unbuilt_zone = shapely.union_all(
        [
            box(7400.0, 5000.0, 8500.0, 5400.0),
            box(7050.0, 5000.0, 7400.0, 5330.0),
            box(6600.0, 5900.0, 6950.0, 6150.0),
        ]
    )
    rows = ("S1", "S2", "N1", "N2", "N3", "N4")
    for row in rows:
        for col in range(6):
            _lattice(urban, rng, col, row, parks, rail_zone, lake, unbuilt_zone)
    # the freight yard by the railway: a service road closed to pedestrians
    urban.ways.append(
        Way(
            np.array([[EAST_ROAD_X, 5250.0], [8250.0, 5262.0], [8120.0, 5300.0]]),
            {"highway": "service", "name": "货运专用通道", "foot": "no"},
        )
    )
    return urban, crossings
