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
class Urban:
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


def _arterials(urban: Urban) -> list[Crossing]:
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


@dataclass(frozen=True)
class _Zones:
    """The fixed zones every superblock's lattice respects: parks (outline, name, stepped entrances), the strip
    along the railway and the lake (no compounds there), and the land still unbuilt."""

    parks: list[tuple[Polygon, str, bool]]
    rail_zone: Polygon
    lake: Polygon
    unbuilt_zone: Polygon


@dataclass(frozen=True)
class _Superblock:
    """The lattice of one superblock: jittered nodes ``g[i, j]`` (column 0 and the last column, row 0 and the last
    row on the arterials around it or on a riverside road) and the cells between them."""

    col: int
    row: str
    street: str
    g: np.ndarray  # (nx + 2, ny + 2, 2)
    cell_poly: list[list[Polygon]]
    centroids: list[list[Point]]

    @property
    def nx(self) -> int:
        """Interior lattice lines running north-south."""
        return int(self.g.shape[0]) - 2

    @property
    def ny(self) -> int:
        """Interior lattice lines running east-west."""
        return int(self.g.shape[1]) - 2

    @property
    def edge_row(self) -> int:
        """The row of cells along the riverside road (kept free of compounds and alleys); -1 for none."""
        return 0 if self.row == "N1" else (self.ny if self.row == "S2" else -1)

    @property
    def old_town(self) -> bool:
        """Whether the superblock lies in the old town (lanes, living streets, alleys)."""
        return self.street == "老城街道"


@dataclass
class _Plan:
    """Which region (park or compound) holds each cell, and which lattice segments remain streets.

    Vertical segment (i, j) runs g[i, j] -> g[i, j + 1]; horizontal (i, j) runs g[i, j] -> g[i + 1, j].
    """

    occupant: np.ndarray  # (ncx, ncy): -1 free, else the index in ``regions``
    regions: list[_Region]
    v_keep: np.ndarray = field(default_factory=lambda: np.ones((0, 0), dtype=bool))
    h_keep: np.ndarray = field(default_factory=lambda: np.ones((0, 0), dtype=bool))

    def region_of(self, i: int, j: int) -> int:
        """The region of cell (i, j): -1 free, -2 outside the lattice."""
        ncx, ncy = self.occupant.shape
        return int(self.occupant[i, j]) if 0 <= i < ncx and 0 <= j < ncy else -2


def _superblock(rng: np.random.Generator, col: int, row: str) -> _Superblock:
    """The jittered lattice of one superblock, its line spacing set by the street it belongs to."""
    street = community_street(col, row)
    spacing = STREETS[street][0]
    x0, x1 = _superblock_x(col, row.startswith("N"))
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
    g = np.stack([gx, gy], axis=-1)
    cell_poly = [
        [Polygon([g[i, j], g[i + 1, j], g[i + 1, j + 1], g[i, j + 1]]) for j in range(ny + 1)]
        for i in range(nx + 1)
    ]
    centroids = [[cell.centroid for cell in column] for column in cell_poly]
    return _Superblock(col, row, street, g, cell_poly, centroids)


def _plan(rng: np.random.Generator, block: _Superblock, zones: _Zones) -> _Plan:
    """Parks where the fixed park outlines cover cells, then gated compounds of 1–2 by 1–2 cells drawn at random
    (more and larger in the new town), never on the riverside row, by the railway or near the lake."""
    ncx, ncy = block.nx + 1, block.ny + 1
    plan = _Plan(-np.ones((ncx, ncy), dtype=int), [])
    for park_poly, park_name, steps in zones.parks:
        members = [
            (i, j) for i in range(ncx) for j in range(ncy) if park_poly.contains(block.centroids[i][j])
        ]
        if members:
            for i, j in members:
                plan.occupant[i, j] = len(plan.regions)
            plan.regions.append(_Region("park", members, park_name, steps))
    near_lake = zones.lake.buffer(60.0)
    blocked = np.array(
        [
            [
                j == block.edge_row
                or block.cell_poly[i][j].intersects(zones.rail_zone)
                or block.cell_poly[i][j].intersects(near_lake)
                for j in range(ncy)
            ]
            for i in range(ncx)
        ]
    )
    p_compound = STREETS[block.street][1]
    shapes = [(2, 2), (2, 1), (1, 2), (1, 1)]
    probs = [0.5, 0.2, 0.2, 0.1] if block.street == "新城街道" else [0.1, 0.3, 0.3, 0.3]
    occupant = plan.occupant
    for flat in rng.permutation(ncx * ncy):
        i, j = divmod(int(flat), ncy)
        if occupant[i, j] >= 0 or blocked[i, j] or rng.random() > p_compound:
            continue
        w, h = shapes[int(rng.choice(4, p=probs))]
        i1, j1 = min(i + w - 1, ncx - 1), min(j + h - 1, ncy - 1)
        if np.any(occupant[i : i1 + 1, j : j1 + 1] >= 0) or np.any(blocked[i : i1 + 1, j : j1 + 1]):
            i1, j1 = i, j
        occupant[i : i1 + 1, j : j1 + 1] = len(plan.regions)
        plan.regions.append(_Region("compound", [(a, b) for a in range(i, i1 + 1) for b in range(j, j1 + 1)]))
    _keep_segments(block, plan)
    return plan


def _keep_segments(block: _Superblock, plan: _Plan) -> None:
    """Mark, in ``plan``, the lattice segments that stay streets: all but those inside one park or compound."""
    nx, ny = block.nx, block.ny
    region_of = plan.region_of
    plan.v_keep = np.ones((nx + 2, ny + 1), dtype=bool)
    plan.h_keep = np.ones((nx + 1, ny + 2), dtype=bool)
    for i in range(1, nx + 1):
        for j in range(ny + 1):
            plan.v_keep[i, j] = not (region_of(i - 1, j) >= 0 and region_of(i - 1, j) == region_of(i, j))
    for j in range(1, ny + 1):
        for i in range(nx + 1):
            plan.h_keep[i, j] = not (region_of(i, j - 1) >= 0 and region_of(i, j - 1) == region_of(i, j))


def _local_streets(urban: Urban, rng: np.random.Generator, block: _Superblock, plan: _Plan) -> None:
    """The kept segments of each interior lattice line, chained into named ways."""
    g, nx, ny = block.g, block.nx, block.ny
    old_town = block.old_town
    for i in range(1, nx + 1):
        name = _street_name(urban, "巷" if old_town else "街")
        pedestrian = old_town and block.col == 2 and block.row == "N2" and i == (nx + 1) // 2
        for run in _runs([g[i, j] for j in range(ny + 2)], plan.v_keep[i]):
            hw = (
                "pedestrian"
                if pedestrian
                else ("tertiary" if len(run) > 4 and rng.random() < 0.3 else "residential")
            )
            urban.ways.append(Way(run, {"highway": hw, "name": "文庙步行街" if pedestrian else name}))
    for j in range(1, ny + 1):
        name = _street_name(urban, "巷" if old_town else "路")
        for run in _runs([g[i, j] for i in range(nx + 2)], plan.h_keep[:, j]):
            hw = "tertiary" if len(run) > 4 and rng.random() < 0.3 else "residential"
            if old_town and rng.random() < 0.15:
                hw = "living_street"
            urban.ways.append(Way(run, {"highway": hw, "name": name}))


def _compound_region(urban: Urban, rng: np.random.Generator, block: _Superblock, region: _Region) -> None:
    """A compound over a rectangle of cells, gated where a left-out lattice line used to meet the outer street
    (at the side midpoints for a single cell); the first small one in 东湖街道 is private."""
    g = block.g
    i0, j0 = region.cells[0]
    i1, j1 = region.cells[-1]
    outline = (
        [g[i, j0] for i in range(i0, i1 + 2)]
        + [g[i1 + 1, j] for j in range(j0 + 1, j1 + 2)]
        + [g[i, j1 + 1] for i in range(i1, i0 - 1, -1)]
        + [g[i0, j] for j in range(j1, j0, -1)]
    )
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
    private = not urban.private_done and block.street == "东湖街道" and len(gates) <= 4
    _compound(urban, rng, Polygon(outline), gates, private=private)


def _park_entrances(block: _Superblock, plan: _Plan, k: int) -> list[np.ndarray]:
    """The lattice nodes where a street left out of park ``k`` used to run: the park's entrances."""
    nx, ny = block.nx, block.ny
    ncx, ncy = nx + 1, ny + 1
    region_of = plan.region_of
    entrances = []
    for i in range(nx + 2):
        for j in range(ny + 2):
            lost = (
                any(0 <= jj < ncy and not plan.v_keep[i, jj] and region_of(i, jj) == k for jj in (j - 1, j))
                if 0 < i <= nx
                else False
            )
            lost = lost or (
                any(0 <= ii < ncx and not plan.h_keep[ii, j] and region_of(ii, j) == k for ii in (i - 1, i))
                if 0 < j <= ny
                else False
            )
            if lost:
                entrances.append(block.g[i, j])
    return entrances


def _alleys(urban: Urban, rng: np.random.Generator, block: _Superblock, plan: _Plan) -> None:
    """Old-town alleys across the open blocks, a few of them stepped lanes."""
    g = block.g
    for i in range(block.nx + 1):
        for j in range(block.ny + 1):
            if plan.occupant[i, j] >= 0 or j == block.edge_row or rng.random() > 0.35:
                continue
            if rng.random() < 0.5:
                a, b = (g[i, j] + g[i + 1, j]) / 2, (g[i, j + 1] + g[i + 1, j + 1]) / 2
            else:
                a, b = (g[i, j] + g[i, j + 1]) / 2, (g[i + 1, j] + g[i + 1, j + 1]) / 2
            mid = (a + b) / 2 + rng.uniform(-8, 8, 2)
            tags = {"highway": "steps", "name": "石阶巷"} if rng.random() < 0.08 else {"highway": "footway"}
            urban.ways.append(Way(np.array([a, mid, b]), tags))


def _lattice(urban: Urban, rng: np.random.Generator, col: int, row: str, zones: _Zones) -> None:
    """Local streets, gated compounds, parks and alleys of one superblock (the land between four arterials).

    Local streets run along the interior lattice lines; the segments inside a compound or a park are left out.
    The random draws come in a fixed order: lattice, regions, streets, compounds and parks, alleys.
    """
    block = _superblock(rng, col, row)
    plan = _plan(rng, block, zones)
    _local_streets(urban, rng, block, plan)
    for k, region in enumerate(plan.regions):
        if region.kind == "compound":
            _compound_region(urban, rng, block, region)
        else:
            shape = shapely.union_all([block.cell_poly[i][j] for i, j in region.cells])
            entrances = _park_entrances(block, plan, k)
            _park(urban, rng, shape, region.name, entrances, steps=region.steps, lake=zones.lake)
    if block.old_town:
        _alleys(urban, rng, block, plan)
    for i in range(block.nx + 1):
        for j in range(block.ny + 1):
            if plan.occupant[i, j] < 0 and zones.unbuilt_zone.contains(block.centroids[i][j]):
                urban.unbuilt.append(block.cell_poly[i][j])


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


def _street_name(urban: Urban, suffix: str) -> str:
    """A new local street name (unique in the city): 光明路, 和平街, ..., then 光明二路, ..."""
    k = urban.n_names
    urban.n_names += 1
    stem = LOCAL_NAME_STEMS[k % len(LOCAL_NAME_STEMS)]
    return stem + ("", "二", "三", "四", "五", "六", "七", "八")[(k // len(LOCAL_NAME_STEMS)) % 8] + suffix


def _compound(
    urban: Urban, rng: np.random.Generator, region: Polygon, gate_points: list[np.ndarray], *, private: bool
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
    urban: Urban,
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


def urban_layout(rng: np.random.Generator) -> tuple[Urban, list[Crossing]]:
    """The city's ways: arterials, then the superblocks row by row (south to north) and column by column, then
    the freight yard's service road; with the designated crossings of the river and the railway.

    Parameters
    ----------
    rng : the demo's random generator (drawn from in a fixed order).

    Returns
    -------
    tuple
        What the layout produced (:class:`Urban`) and the designated crossings on the arterials.
    """
    urban = Urban()
    crossings = _arterials(urban)
    lake = lake_polygon()
    zones = _Zones(
        parks=[
            (box(5180.0, 6500.0, 5650.0, 7000.0), "人民公园", False),
            (box(5100.0, 8950.0, 5600.0, 9400.0), "北山公园", True),
            (lake.buffer(90.0), "东湖公园", False),
        ],
        rail_zone=LineString(railway_coords()).buffer(30.0),
        lake=lake,
        unbuilt_zone=shapely.union_all(
            [
                box(7400.0, 5000.0, 8500.0, 5400.0),
                box(7050.0, 5000.0, 7400.0, 5330.0),
                box(6600.0, 5900.0, 6950.0, 6150.0),
            ]
        ),
    )
    for row in ("S1", "S2", "N1", "N2", "N3", "N4"):
        for col in range(6):
            _lattice(urban, rng, col, row, zones)
    # the freight yard by the railway: a service road closed to pedestrians
    urban.ways.append(
        Way(
            np.array([[EAST_ROAD_X, 5250.0], [8250.0, 5262.0], [8120.0, 5300.0]]),
            {"highway": "service", "name": "货运专用通道", "foot": "no"},
        )
    )
    return urban, crossings
