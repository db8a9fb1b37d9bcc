"""The embedded demo study: a SYNTHETIC district, generated deterministically by :func:`write_demo_study`.

Every street, place, facility and figure here is invented. The district (示范区) sits at a plausible place in
Jiangxi (about 117.95–118.04 E, 28.40–28.49 N, WGS84) so that maps look right, but nothing in it is real.

What it holds
-------------
* six urban streets (街道) with 40 communities (社区) and two towns (镇) with 15 administrative villages (行政村),
  about 250 000 residents; the elderly share runs from about 12 % in the new town to about 30 % in the old town;
* ``streets.osm``: an OpenStreetMap XML street network with arterials, local streets, gated compounds reached
  through gates, a river crossed by four bridges, a railway crossed three times (an underpass, a level crossing
  and an overpass), an expressway with an interchange, footways, steps, one private compound, and a coarse rural
  road network;
* a facilities table with Chinese headers, candidate sites, and an elder-density layer of 100 m cells;
* deliberate shortfalls that the standards checks must find (listed in the folder's README.md and in
  :data:`SHORTFALLS`).

How it is made
--------------
Everything is laid out in a local metric frame ("design metres": x east, y north from the south-west corner of the
district) and converted to WGS84 at the end with one fixed transverse Mercator projection. Randomness comes from one
``numpy.random.Generator`` with a fixed seed, drawn in a fixed order, so the files are identical on every run
(GeoPackage bytes may differ in internal timestamps; their contents do not).

Streets are built as polylines with tags, then (1) cut where they cross a barrier (river, lake, railway, expressway)
except at the designated bridges, tunnels and level crossings, (2) noded: every crossing and every street end that
touches another street becomes a shared OSM node, (3) pruned of fragments cut off from everything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from numpy.typing import ArrayLike
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import substring

from geo.errors import StudyError
from geo.files import atomic_path, atomic_write

#: The folder of the embedded demo study in the repository.
DEMO_DIR: Path = Path(__file__).resolve().parents[2] / "data" / "demo"

#: The seed of the one random generator; change it and every file changes.
SEED = 20261115

#: The files the demo writes (and the only files ``overwrite=True`` replaces).
DEMO_FILES: tuple[str, ...] = (
    "study.toml",
    "README.md",
    "communities.geojson",
    "facilities.csv",
    "candidates.geojson",
    "population.gpkg",
    "streets.osm",
)

#: The projection of the design frame: design metres (x east, y north) from the district's south-west corner.
DESIGN_CRS = pyproj.CRS.from_proj4(
    "+proj=tmerc +lat_0=28.4 +lon_0=117.95 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)

Progress = Callable[[float, str], None]

# ---------------------------------------------------------------------------------------------------------------
# The fixed frame of the district (design metres)
# ---------------------------------------------------------------------------------------------------------------

_DISTRICT = (0.0, 0.0, 8500.0, 9500.0)
_URBAN_X0, _URBAN_Y0 = 3500.0, 5000.0
#: Community column boundaries in the city; x = 7400 is the railway north of the river and 新城路 south of it.
_COLS = (3500.0, 4300.0, 5100.0, 5900.0, 6600.0, 7400.0, 8500.0)
_ROW_S1, _ROW_N2, _ROW_N3, _ROW_N4 = 5700.0, 7100.0, 7900.0, 8700.0
_RIVER_HALF_WIDTH_M = 40.0
_BANK_OFFSET_M = 70.0
_RAIL_X = 7400.0
_RAIL_WEST_ST, _RAIL_EAST_ST = 7360.0, 7440.0
_EAST_ROAD_X, _NORTH_ROAD_Y = 8400.0, 9400.0
_INTERCHANGE_X = 5000.0

# barrier cut widths: a street that crosses a barrier without a designated crossing stops this far from it
_CUT_RIVER_M, _CUT_RAIL_M, _CUT_MOTORWAY_M, _CUT_LAKE_M = 5.0, 12.0, 15.0, 5.0

_WALK_HIGHWAYS = (
    "primary",
    "secondary",
    "tertiary",
    "residential",
    "unclassified",
    "service",
    "footway",
    "path",
    "steps",
    "pedestrian",
    "living_street",
    "track",
)
#: Public streets that facilities and candidate sites face (not compound driveways, footways or tracks).
_STREET_HIGHWAYS = (
    "primary",
    "secondary",
    "tertiary",
    "residential",
    "unclassified",
    "pedestrian",
    "living_street",
)


def _river_y(x: ArrayLike) -> np.ndarray:
    """The river's centreline: y as a function of x (design metres)."""
    x = np.asarray(x, dtype=float)
    return 6300.0 + 110.0 * np.sin(2 * np.pi * x / 4200.0 + 0.6) + 35.0 * np.sin(2 * np.pi * x / 1500.0 + 1.3)


def _bank_y(x: ArrayLike, side: int) -> np.ndarray:
    """The riverside roads: ``side`` +1 north bank, -1 south bank."""
    return _river_y(x) + side * _BANK_OFFSET_M


def _north_bank(x: ArrayLike) -> np.ndarray:
    return _bank_y(x, 1)


def _south_bank(x: ArrayLike) -> np.ndarray:
    return _bank_y(x, -1)


def _motorway_y(x: ArrayLike) -> np.ndarray:
    """The expressway's centreline south of the city."""
    x = np.asarray(x, dtype=float)
    return 4700.0 + 50.0 * np.sin(2 * np.pi * x / 7000.0 + 1.0)


def _curve(
    fn: Callable[[ArrayLike], np.ndarray],
    x0: float,
    x1: float,
    *,
    step_m: float = 25.0,
    extra_x: Sequence[float] = (),
) -> np.ndarray:
    """Sample ``y = fn(x)`` from x0 to x1 every ``step_m`` (plus ``extra_x``) as an (n, 2) array."""
    n = max(2, math.ceil((x1 - x0) / step_m) + 1)
    xs = np.unique(np.round(np.r_[np.linspace(x0, x1, n), [x for x in extra_x if x0 <= x <= x1]], 6))
    return np.column_stack([xs, fn(xs)])


def _railway_coords() -> np.ndarray:
    """The railway: straight south along x = 7400 from the north edge, then a curve to the east edge."""
    ys = np.arange(9500.0, 5950.0 - 1e-9, -50.0)
    north = np.column_stack([np.full(len(ys), _RAIL_X), ys])
    p = np.array([[7400.0, 5950.0], [7400.0, 5650.0], [7900.0, 5450.0], [8500.0, 5400.0]])
    t = np.linspace(0.0, 1.0, 41)[1:, None]
    arc = (1 - t) ** 3 * p[0] + 3 * t * (1 - t) ** 2 * p[1] + 3 * t**2 * (1 - t) * p[2] + t**3 * p[3]
    return np.vstack([north, arc])


def _lake_polygon() -> Polygon:
    """东湖, the lake in the east of the city."""
    a = np.linspace(0.0, 2 * np.pi, 73)[:-1]
    return Polygon(np.column_stack([7950.0 + 250.0 * np.cos(a), 8300.0 + 170.0 * np.sin(a)]))


# ---------------------------------------------------------------------------------------------------------------
# Ways: polylines with tags, cut at barriers, noded, pruned
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class _Way:
    """A street (or other OSM way) in design metres while the network is being built."""

    coords: np.ndarray
    tags: dict[str, str]
    group: str = (
        "surface"  # surface: noded with each other; motorway: noded among themselves; area/other: never
    )
    cuttable: bool = True  # cut where it crosses a barrier

    @property
    def layer(self) -> int:
        return int(self.tags.get("layer", "0"))


@dataclass(frozen=True)
class _Crossing:
    """A designated crossing of a barrier: the part of the way near ``point`` inside the barrier becomes a
    bridge/tunnel (``tags``), or stays a street with a tagged node (level crossing)."""

    point: tuple[float, float]
    barrier: str
    tags: dict[str, str]
    node_tags: dict[str, str] | None = None


def _split_at(
    line: LineString, d0: float, d1: float
) -> tuple[LineString | None, LineString, LineString | None]:
    """The parts of ``line`` before d0, between d0 and d1, and after d1 (distances along the line)."""
    length = line.length
    before = substring(line, 0.0, d0) if d0 > 0.5 else None
    after = substring(line, d1, length) if d1 < length - 0.5 else None
    return before, substring(line, d0, d1), after


def _apply_barriers(
    ways: list[_Way],
    barriers: dict[str, Polygon],
    crossings: list[_Crossing],
    node_tags: list[tuple[tuple[float, float], dict[str, str]]],
) -> list[_Way]:
    """Cut every cuttable way where it crosses a barrier, except at designated crossings."""
    cut_all = shapely.union_all(list(barriers.values()))
    shapely.prepare(cut_all)
    span = {name: poly.buffer(10.0) for name, poly in barriers.items()}
    out: list[_Way] = []
    for way in ways:
        if not way.cuttable:
            out.append(way)
            continue
        line = LineString(way.coords)
        free: list[LineString] = [line]
        kept: list[_Way] = []
        for cr in crossings:
            p = Point(cr.point)
            for k, piece in enumerate(free):
                if piece.distance(p) > 1.0:
                    continue
                zone = piece.intersection(span[cr.barrier])
                parts = [g for g in getattr(zone, "geoms", [zone]) if not g.is_empty and g.distance(p) < 1.0]
                if not parts:
                    continue
                d_points = [piece.project(Point(c)) for c in parts[0].coords]
                d0, d1 = max(min(d_points), 0.0), min(max(d_points), piece.length)
                before, middle, after = _split_at(piece, d0, d1)
                if cr.node_tags is not None:  # level crossing: the crossing point becomes a vertex
                    dm = piece.project(p)
                    mc = np.asarray(middle.coords)
                    dd = np.array([piece.project(Point(c)) for c in mc])
                    at = int(np.searchsorted(dd, dm))
                    mc = np.insert(mc, at, [[cr.point[0], cr.point[1]]], axis=0)
                    kept.append(_Way(mc, dict(way.tags), way.group, cuttable=False))
                    node_tags.append((cr.point, cr.node_tags))
                else:
                    kept.append(
                        _Way(np.asarray(middle.coords), {**way.tags, **cr.tags}, way.group, cuttable=False)
                    )
                free = free[:k] + [g for g in (before, after) if g is not None] + free[k + 1 :]
                break
        for piece in free:
            rest = piece.difference(cut_all) if shapely.intersects(cut_all, piece) else piece
            for g in getattr(rest, "geoms", [rest]):
                if isinstance(g, LineString) and g.length >= 8.0:
                    kept.append(_Way(np.asarray(g.coords), dict(way.tags), way.group, cuttable=False))
        out.extend(kept)
    return out


def _node_group(ways: list[_Way], *, snap_m: float = 0.5) -> None:
    """Insert, in place, a vertex wherever two ways of the group cross (same layer) and wherever a way's end
    touches another way, so that the OSM nodes are shared there."""
    if len(ways) < 2:
        return
    lines = np.array([LineString(w.coords) for w in ways], dtype=object)
    layers = np.array([w.layer for w in ways])
    extra: list[list[np.ndarray]] = [[] for _ in ways]
    tree = shapely.STRtree(lines)
    a, b = tree.query(lines, predicate="intersects")
    keep = (a < b) & (layers[a] == layers[b])
    a, b = a[keep], b[keep]
    if len(a):
        inter = shapely.intersection(lines[a], lines[b])
        kinds = shapely.get_type_id(inter)
        if np.any(np.isin(kinds, (1, 5))):
            bad = np.flatnonzero(np.isin(kinds, (1, 5)))[0]
            raise AssertionError(f"demo ways overlap: {ways[a[bad]].tags} / {ways[b[bad]].tags}")
        pts, idx = shapely.get_coordinates(inter, return_index=True)
        for (x, y), k in zip(pts, idx, strict=False):
            extra[a[k]].append(np.array([x, y]))
            extra[b[k]].append(np.array([x, y]))
    ends = np.array([w.coords[0] for w in ways] + [w.coords[-1] for w in ways])
    owner = np.r_[np.arange(len(ways)), np.arange(len(ways))]
    e, j = tree.query(shapely.points(ends), predicate="dwithin", distance=snap_m)
    for ei, ji in zip(e, j, strict=False):
        if owner[ei] != ji:
            extra[ji].append(ends[ei])
    for i, pts_i in enumerate(extra):
        if not pts_i:
            continue
        line = lines[i]
        coords = ways[i].coords
        seg = np.hypot(*np.diff(coords, axis=0).T)
        d_vert = np.r_[0.0, np.cumsum(seg)]
        p = np.array(pts_i)
        d_new = shapely.line_locate_point(line, shapely.points(p))
        all_d = np.r_[d_vert, d_new]
        all_p = np.vstack([coords, p])
        order = np.lexsort((np.r_[np.zeros(len(d_vert)), np.ones(len(d_new))], all_d))
        ways[i].coords = all_p[order]


class _NodeRegistry:
    """Coordinates to OSM node ids; points closer than 5 cm share one node."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, int], int] = {}
        self.xy: list[tuple[float, float]] = []

    def get(self, x: float, y: float) -> int:
        kx, ky = round(x * 20.0), round(y * 20.0)
        for dx in (0, -1, 1):
            for dy in (0, -1, 1):
                found = self.ids.get((kx + dx, ky + dy))
                if (
                    found is not None
                    and math.hypot(self.xy[found - 1][0] - x, self.xy[found - 1][1] - y) < 0.05
                ):
                    return found
        self.xy.append((float(x), float(y)))
        nid = len(self.xy)
        self.ids[(kx, ky)] = nid
        return nid


def _way_node_ids(reg: _NodeRegistry, coords: np.ndarray, *, closed: bool = False) -> list[int]:
    ids: list[int] = []
    for x, y in coords:
        nid = reg.get(x, y)
        if not ids or ids[-1] != nid:
            ids.append(nid)
    if closed and len(ids) > 2 and ids[0] != ids[-1]:
        ids.append(ids[0])
    return ids


def _walkable(tags: dict[str, str]) -> bool:
    """Whether a pedestrian may use the way (the loader's rule: walkable highway, not foot=no, not private)."""
    return (
        tags.get("highway") in _WALK_HIGHWAYS
        and tags.get("foot") != "no"
        and tags.get("access") not in ("private", "no")
    )


def _components(node_lists: list[list[int]], n_nodes: int) -> tuple[int, np.ndarray]:
    """Connected components of the graph formed by the node lists."""
    u = np.concatenate([np.asarray(ids[:-1]) for ids in node_lists if len(ids) > 1] or [np.zeros(0, int)]) - 1
    v = np.concatenate([np.asarray(ids[1:]) for ids in node_lists if len(ids) > 1] or [np.zeros(0, int)]) - 1
    g = coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    return connected_components(g, directed=False)


# ---------------------------------------------------------------------------------------------------------------
# Helpers for shapes
# ---------------------------------------------------------------------------------------------------------------


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


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total`` (ties broken by position)."""
    w = np.asarray(weights, float)
    share = w / w.sum() * total
    base = np.floor(share).astype(np.int64)
    left = int(total - base.sum())
    order = np.lexsort((np.arange(len(w)), -(share - base)))
    base[order[:left]] += 1
    return base


# ---------------------------------------------------------------------------------------------------------------
# The urban layout: superblocks between arterials, each a lattice of local streets with compounds and parks
# ---------------------------------------------------------------------------------------------------------------

#: The six urban streets: (name, local street spacing m, chance a lattice cell is in a gated compound).
_STREETS = {
    "老城街道": (120.0, 0.15),
    "西城街道": (190.0, 0.45),
    "北门街道": (200.0, 0.40),
    "东湖街道": (200.0, 0.45),
    "南湖街道": (200.0, 0.50),
    "新城街道": (270.0, 0.75),
}

#: Urban communities: name, street, column, row (S1 S2 N1 N2 N3 N4), half ("", "w", "e"), built state.
_URBAN_COMMUNITIES: tuple[tuple[str, str, int, str, str, str], ...] = (
    ("西关社区", "西城街道", 0, "N1", "", "existing"),
    ("枫林社区", "西城街道", 1, "N1", "", "existing"),
    ("桂花社区", "西城街道", 0, "N2", "", "existing"),
    ("西苑社区", "西城街道", 1, "N2", "", "existing"),
    ("长塘社区", "西城街道", 0, "N3", "", "existing"),
    ("梅园社区", "西城街道", 1, "N3", "", "existing"),
    ("青松社区", "西城街道", 0, "N4", "", "existing"),
    ("兴隆社区", "西城街道", 1, "N4", "", "existing"),
    ("府前社区", "老城街道", 2, "N1", "", "existing"),
    ("文庙社区", "老城街道", 2, "N2", "", "existing"),
    ("钟楼社区", "老城街道", 2, "N3", "", "existing"),
    ("水门社区", "老城街道", 3, "N1", "", "existing"),
    ("鼓楼社区", "老城街道", 3, "N2", "w", "existing"),
    ("书院社区", "老城街道", 3, "N2", "e", "existing"),
    ("仓前社区", "老城街道", 3, "N3", "", "existing"),
    ("南门社区", "老城街道", 4, "N1", "", "existing"),
    ("北门社区", "北门街道", 2, "N4", "", "existing"),
    ("天佑社区", "北门街道", 3, "N4", "", "existing"),
    ("龙井社区", "北门街道", 4, "N4", "", "existing"),
    ("胜利社区", "北门街道", 4, "N3", "", "existing"),
    ("红旗社区", "北门街道", 4, "N2", "", "existing"),
    ("湖滨社区", "东湖街道", 5, "N1", "", "existing"),
    ("铁路社区", "东湖街道", 5, "N2", "w", "existing"),
    ("东站社区", "东湖街道", 5, "N2", "e", "existing"),
    ("东湖社区", "东湖街道", 5, "N3", "w", "existing"),
    ("荷塘社区", "东湖街道", 5, "N3", "e", "existing"),
    ("柳岸社区", "东湖街道", 5, "N4", "", "existing"),
    ("南岸社区", "南湖街道", 0, "S2", "", "existing"),
    ("望江社区", "南湖街道", 1, "S2", "", "existing"),
    ("南湖社区", "南湖街道", 2, "S2", "", "existing"),
    ("金沙社区", "南湖街道", 0, "S1", "", "existing"),
    ("云锦社区", "南湖街道", 1, "S1", "", "existing"),
    ("湖光社区", "南湖街道", 2, "S1", "", "existing"),
    ("新城社区", "新城街道", 3, "S2", "", "existing"),
    ("锦绣社区", "新城街道", 4, "S2", "", "existing"),
    ("翠苑社区", "新城街道", 5, "S2", "", "new"),
    ("阳光社区", "新城街道", 3, "S1", "", "existing"),
    ("金桂社区", "新城街道", 4, "S1", "w", "new"),
    ("紫荆社区", "新城街道", 4, "S1", "e", "new"),
    ("润园社区", "新城街道", 5, "S1", "", "new"),
)

#: Population and age of each street/town: (population range per community, elderly share range, 80+ share range).
_DEMOGRAPHY = {
    "老城街道": ((5600, 8000), (0.265, 0.305), (0.17, 0.20)),
    "西城街道": ((4400, 6000), (0.185, 0.230), (0.15, 0.19)),
    "北门街道": ((4300, 6100), (0.175, 0.215), (0.15, 0.19)),
    "东湖街道": ((4200, 6100), (0.160, 0.200), (0.15, 0.18)),
    "南湖街道": ((4500, 6400), (0.150, 0.190), (0.15, 0.18)),
    "新城街道": ((3200, 6200), (0.115, 0.140), (0.15, 0.16)),
    "青山镇": ((1400, 2900), (0.225, 0.285), (0.16, 0.20)),
    "白沙镇": ((1400, 2900), (0.220, 0.280), (0.16, 0.20)),
}

_COMPOUND_STEMS = (
    "锦绣",
    "阳光",
    "翠湖",
    "金桂",
    "紫荆",
    "润泽",
    "书香",
    "江景",
    "丽景",
    "华府",
    "明珠",
    "御景",
    "和平",
    "建设",
    "电力",
    "粮苑",
    "教师",
    "铁路",
    "纺织",
    "银河",
    "香樟",
    "桃李",
    "清华",
    "景福",
    "盛世",
    "凤凰",
    "名苑",
    "水岸",
    "龙湾",
    "天誉",
    "嘉和",
    "幸福",
    "怡景",
    "福星",
    "长青",
    "百合",
    "兰亭",
    "梧桐",
    "春江",
    "碧桂",
    "东方",
    "滨江",
)
_COMPOUND_SUFFIXES = ("花园", "小区", "苑", "新村", "家园", "名邸")

_LOCAL_NAME_STEMS = (
    "光明",
    "和平",
    "建国",
    "团结",
    "民主",
    "育才",
    "朝阳",
    "青年",
    "新华",
    "复兴",
    "东风",
    "红星",
    "五一",
    "园林",
    "学府",
    "银杏",
    "樟树",
    "桂园",
    "花园",
    "同心",
    "兴业",
    "丰收",
    "康乐",
    "体育",
    "市场",
    "仓后",
    "书院",
    "织锦",
    "三清",
    "信江",
    "茶山",
    "金龙",
    "玉带",
    "凤鸣",
    "吉庆",
    "安居",
    "福寿",
    "万年",
    "长宁",
    "永安",
    "庆丰",
    "泰和",
)


@dataclass
class _Urban:
    """What the urban layout produced."""

    ways: list[_Way] = field(default_factory=list)
    compounds: list[tuple[Polygon, str, bool]] = field(default_factory=list)  # fence, name, private
    parks: list[tuple[Polygon, str]] = field(default_factory=list)
    compound_cells: list[Polygon] = field(default_factory=list)
    unbuilt: list[Polygon] = field(default_factory=list)
    node_tags: list[tuple[tuple[float, float], dict[str, str]]] = field(default_factory=list)
    n_names: int = 0
    private_done: bool = False


def _community_street(col: int, row: str) -> str:
    for _name, street, c, r, _half, _built in _URBAN_COMMUNITIES:
        if c == col and r == row:
            return street
    raise KeyError((col, row))


def _superblock_x(col: int, north: bool) -> tuple[float, float]:
    """The x range of a superblock's lattice (between the roads that bound it)."""
    x0, x1 = _COLS[col], _COLS[col + 1]
    if col == 4 and north:
        x1 = _RAIL_WEST_ST
    if col == 5:
        x0 = _RAIL_EAST_ST if north else _RAIL_X
        x1 = _EAST_ROAD_X
    return x0, x1


def _superblock_y(row: str) -> tuple[Callable[[ArrayLike], np.ndarray], Callable[[ArrayLike], np.ndarray]]:
    """Functions giving the bottom and top road of a row at x."""
    const = {
        "S1": (_URBAN_Y0, _ROW_S1),
        "N2": (_ROW_N2, _ROW_N3),
        "N3": (_ROW_N3, _ROW_N4),
        "N4": (_ROW_N4, _NORTH_ROAD_Y),
    }
    if row == "S2":
        return (lambda x: np.full_like(np.asarray(x, float), _ROW_S1)), (lambda x: _bank_y(x, -1))
    if row == "N1":
        return (lambda x: _bank_y(x, 1)), (lambda x: np.full_like(np.asarray(x, float), _ROW_N2))
    lo, hi = const[row]
    return (lambda x: np.full_like(np.asarray(x, float), lo)), (
        lambda x: np.full_like(np.asarray(x, float), hi)
    )


def _arterials(urban: _Urban) -> list[_Crossing]:
    """The arterial roads and the designated crossings on them."""
    ways = urban.ways
    y0, yn = _URBAN_Y0, _NORTH_ROAD_Y
    ns = [
        (3500.0, "西环路", "secondary"),
        (4300.0, "建设路", "secondary"),
        (5100.0, "人民路", "primary"),
        (5900.0, "中山路", "primary"),
        (6600.0, "解放路", "secondary"),
        (_EAST_ROAD_X, "东环路", "secondary"),
    ]
    for x, name, hw in ns:
        ways.append(_Way(np.array([[x, y0], [x, yn]]), {"highway": hw, "name": name}))
    ways.append(
        _Way(np.array([[_RAIL_X, y0], [_RAIL_X, _ROW_S1]]), {"highway": "secondary", "name": "新城路"})
    )
    for x, name in ((_RAIL_WEST_ST, "铁路西街"), (_RAIL_EAST_ST, "铁路东街")):
        ways.append(
            _Way(np.array([[x, float(_bank_y(x, 1))], [x, yn]]), {"highway": "tertiary", "name": name})
        )
    ew = [
        (y0, "迎宾大道", "primary"),
        (_ROW_S1, "南湖路", "secondary"),
        (_ROW_N2, "胜利路", "primary"),
        (_ROW_N3, "文化路", "secondary"),
        (_ROW_N4, "北门路", "secondary"),
        (yn, "北环路", "secondary"),
    ]
    for y, name, hw in ew:
        ways.append(_Way(np.array([[3500.0, y], [8500.0, y]]), {"highway": hw, "name": name}))
    ways.append(_Way(_curve(_north_bank, 3500.0, 8500.0), {"highway": "secondary", "name": "滨江北路"}))
    ways.append(_Way(_curve(_south_bank, 3500.0, 8500.0), {"highway": "secondary", "name": "滨江南路"}))
    rail = LineString(_railway_coords())
    crossings = [
        _Crossing(
            (3500.0, float(_river_y(3500.0))), "river", {"bridge": "yes", "layer": "1", "name": "西环大桥"}
        ),
        _Crossing(
            (5100.0, float(_river_y(5100.0))), "river", {"bridge": "yes", "layer": "1", "name": "人民大桥"}
        ),
        _Crossing(
            (6600.0, float(_river_y(6600.0))), "river", {"bridge": "yes", "layer": "1", "name": "解放大桥"}
        ),
        _Crossing((_RAIL_X, _ROW_N2), "rail", {"tunnel": "yes", "layer": "-1", "name": "胜利路下穿通道"}),
        _Crossing((_RAIL_X, _ROW_N4), "rail", {}, node_tags={"railway": "crossing"}),
    ]
    over = rail.intersection(LineString([(3500.0, _ROW_S1), (8500.0, _ROW_S1)]))
    crossings.append(
        _Crossing((over.x, over.y), "rail", {"bridge": "yes", "layer": "1", "name": "南湖路跨线桥"})
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
    street = _community_street(col, row)
    spacing, p_compound = _STREETS[street]
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
            urban.ways.append(_Way(run, {"highway": hw, "name": "文庙步行街" if pedestrian else name}))
    for j in range(1, ny + 1):
        name = _street_name(urban, "巷" if old_town else "路")
        for run in _runs([g[i, j] for i in range(ncx + 1)], h_keep[:, j]):
            hw = "tertiary" if len(run) > 4 and rng.random() < 0.3 else "residential"
            if old_town and rng.random() < 0.15:
                hw = "living_street"
            urban.ways.append(_Way(run, {"highway": hw, "name": name}))
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
                urban.ways.append(_Way(np.array([a, mid, b]), tags))
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
    stem = _LOCAL_NAME_STEMS[k % len(_LOCAL_NAME_STEMS)]
    return stem + ("", "二", "三", "四", "五", "六", "七", "八")[(k // len(_LOCAL_NAME_STEMS)) % 8] + suffix


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
        _COMPOUND_STEMS[k % len(_COMPOUND_STEMS)]
        + _COMPOUND_SUFFIXES[(k // len(_COMPOUND_STEMS)) % len(_COMPOUND_SUFFIXES)]
    )
    urban.compounds.append((fence, name, private))
    urban.private_done = urban.private_done or private
    urban.compound_cells.append(region)
    base = {"access": "private"} if private else {}
    urban.ways.append(_Way(ring_xy, {"highway": "service", "service": "driveway", **base}))
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
            urban.ways.append(_Way(np.array([ends[0], c, ends[1]]), {"highway": "service", **base}))
    # footways to the buildings: short dead ends from ring vertices inward
    n_foot = int(rng.integers(2, 5))
    for idx in rng.choice(len(ring_xy) - 1, size=min(n_foot, len(ring_xy) - 1), replace=False):
        p = ring_xy[int(idx)]
        d = c - p
        dist = float(np.hypot(*d))
        if dist < 40.0:
            continue
        q = p + d / dist * min(35.0, dist / 2)
        urban.ways.append(_Way(np.array([p, q]), {"highway": "footway", **base}))
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
        urban.ways.append(_Way(np.array([o, f, inner]), {"highway": "service", **base}))


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
        _Way(
            ring_xy,
            {"highway": "footway", "name": f"{name}环湖步道" if region.intersects(lake) else f"{name}步道"},
        )
    )
    for k, p in enumerate(entrances):
        q = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - p).T)))]
        if np.hypot(*(q - p)) < 5.0:
            continue
        hw = "steps" if steps and k % 2 == 0 else "footway"
        urban.ways.append(_Way(np.array([p, q]), {"highway": hw}))
    # a path across the middle of a park without a lake
    if not region.intersects(lake):
        minx, miny, maxx, maxy = ring_poly.bounds
        c = np.array(ring_poly.centroid.coords[0])
        a = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - np.array([minx, miny])).T)))]
        b = ring_xy[int(np.argmin(np.hypot(*(ring_xy[:-1] - np.array([maxx, maxy])).T)))]
        urban.ways.append(_Way(np.array([a, c + rng.uniform(-10, 10, 2), b]), {"highway": "path"}))


def _urban_layout(rng: np.random.Generator) -> tuple[_Urban, list[_Crossing]]:
    urban = _Urban()
    crossings = _arterials(urban)
    rail_zone = LineString(_railway_coords()).buffer(30.0)
    lake = _lake_polygon()
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
        _Way(
            np.array([[_EAST_ROAD_X, 5250.0], [8250.0, 5262.0], [8120.0, 5300.0]]),
            {"highway": "service", "name": "货运专用通道", "foot": "no"},
        )
    )
    return urban, crossings


# ---------------------------------------------------------------------------------------------------------------
# The rural towns: villages (Voronoi cells), hamlets, village roads
# ---------------------------------------------------------------------------------------------------------------

#: Villages: name, town, seed point (the main hamlet), whether it has a rural mutual-aid point.
_VILLAGES: tuple[tuple[str, str, tuple[float, float], bool], ...] = (
    ("上坊村", "青山镇", (900.0, 8700.0), True),
    ("竹林村", "青山镇", (2500.0, 8500.0), False),
    ("石门村", "青山镇", (1500.0, 7300.0), True),
    ("桃源村", "青山镇", (900.0, 5500.0), True),
    ("青山村", "青山镇", (2450.0, 5650.0), True),
    ("李家村", "青山镇", (1000.0, 3300.0), True),
    ("王家村", "青山镇", (2600.0, 3000.0), True),
    ("黄泥村", "青山镇", (1700.0, 1100.0), False),
    ("张家村", "白沙镇", (4400.0, 4050.0), True),
    ("白沙村", "白沙镇", (6000.0, 3950.0), True),
    ("洪桥村", "白沙镇", (7700.0, 4100.0), True),
    ("徐家村", "白沙镇", (4600.0, 2300.0), True),
    ("下湾村", "白沙镇", (6300.0, 2200.0), True),
    ("杨柳村", "白沙镇", (7900.0, 2100.0), False),
    ("塘口村", "白沙镇", (5600.0, 700.0), False),
)
#: The town seats (镇区): the main hamlet of these villages is the town's centre.
_TOWN_SEATS = {"青山镇": "青山村", "白沙镇": "白沙村"}
_TOWN_POLYGONS = {"青山镇": box(0.0, 0.0, 3500.0, 9500.0), "白沙镇": box(3500.0, 0.0, 8500.0, 5000.0)}
#: Where the rural roads meet the city's ring roads.
_CITY_GATES = {
    "W1": (3500.0, 8300.0),
    "W2": (3500.0, 5400.0),
    "S1": (4300.0, 5000.0),
    "S2": (5900.0, 5000.0),
    "S3": (7400.0, 5000.0),
}
#: The county roads (tertiary) between villages and to the city.
_COUNTY_ROADS = (
    ("上坊村", "竹林村"),
    ("上坊村", "石门村"),
    ("竹林村", "石门村"),
    ("竹林村", "W1"),
    ("石门村", "桃源村"),
    ("桃源村", "青山村"),
    ("青山村", "W2"),
    ("桃源村", "李家村"),
    ("青山村", "王家村"),
    ("李家村", "王家村"),
    ("李家村", "黄泥村"),
    ("王家村", "黄泥村"),
    ("王家村", "徐家村"),
    ("S1", "张家村"),
    ("S2", "白沙村"),
    ("S3", "洪桥村"),
    ("张家村", "白沙村"),
    ("白沙村", "洪桥村"),
    ("张家村", "徐家村"),
    ("白沙村", "下湾村"),
    ("洪桥村", "杨柳村"),
    ("徐家村", "下湾村"),
    ("下湾村", "杨柳村"),
    ("徐家村", "塘口村"),
    ("下湾村", "塘口村"),
)


def _village_cells() -> dict[str, Polygon]:
    """Each village's polygon: the Voronoi cell of its seed within its town."""
    out: dict[str, Polygon] = {}
    for town, poly in _TOWN_POLYGONS.items():
        seeds = [(name, p) for name, t, p, _ in _VILLAGES if t == town]
        pts = shapely.MultiPoint([p for _, p in seeds])
        cells = shapely.voronoi_polygons(pts, extend_to=poly.buffer(5000.0))
        for name, p in seeds:
            cell = next(c for c in cells.geoms if c.contains(Point(p)))
            out[name] = cell.intersection(poly)
    return out


@dataclass
class _Rural:
    ways: list[_Way] = field(default_factory=list)
    hamlets: list[tuple[str, tuple[float, float], float]] = field(
        default_factory=list
    )  # village, centre, radius


def _rural_layout(
    rng: np.random.Generator, village_polys: dict[str, Polygon]
) -> tuple[_Rural, list[_Crossing]]:
    """County roads between villages (bridged over the expressway, one bridge over the river), hamlets with
    their lanes, village roads, tracks into the fields and footpaths."""
    rural = _Rural()
    points = {name: p for name, _t, p, _ in _VILLAGES} | _CITY_GATES
    short = {name: name[:-1] for name, *_ in _VILLAGES} | {k: "城区" for k in _CITY_GATES}
    river = LineString(_curve(_river_y, 0.0, 8500.0, step_m=20.0))
    motorway = LineString(_curve(_motorway_y, 0.0, 8500.0, step_m=50.0))
    crossings: list[_Crossing] = []
    for k, (a, b) in enumerate(_COUNTY_ROADS):
        coords = _wiggle(points[a], points[b], rng, amp_m=60.0)
        line = LineString(coords)
        name = (
            f"{short[a]}至{short[b]}公路"
            if "城区" not in (short[a], short[b])
            else f"{short[b] if short[a] == '城区' else short[a]}进城公路"
        )
        rural.ways.append(_Way(coords, {"highway": "tertiary", "name": name, "ref": f"Y{k + 1:03d}"}))
        for barrier, centre, tags in (
            ("river", river, {"bridge": "yes", "layer": "1", "name": "青山大桥"}),
            ("motorway", motorway, {"bridge": "yes", "layer": "1"}),
        ):
            hit = line.intersection(centre)
            for p in getattr(hit, "geoms", [hit]):
                if not p.is_empty:
                    crossings.append(_Crossing((p.x, p.y), barrier, dict(tags)))
    avoid = shapely.union_all(
        [river.buffer(220.0), motorway.buffer(200.0), LineString(_railway_coords()).buffer(150.0)]
    )
    for name, town, seed, _aid in _VILLAGES:
        poly = village_polys[name]
        seat = _TOWN_SEATS[town] == name
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
        for h, (c, radius) in enumerate(centres):
            rural.hamlets.append((name, (float(c[0]), float(c[1])), radius))
            # lanes through the hamlet centre
            th0 = rng.uniform(0, np.pi)
            lane_ends = []
            n_lanes = 3 if (seat and h == 0) else 2
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
                rural.ways.append(
                    _Way(lane, {"highway": "residential", "name": f"{short[name]}{'一二三'[m]}巷"})
                )
                lane_ends += [p0, p1]
            if h > 0:  # village road to the main hamlet
                rural.ways.append(
                    _Way(
                        _wiggle(c, seed, rng, amp_m=40.0),
                        {"highway": "unclassified", "name": f"{short[name]}村道"},
                    )
                )
            # tracks into the fields and a footpath
            for e in rng.choice(len(lane_ends), size=2, replace=False):
                start = lane_ends[int(e)]
                d = start - c
                d = d / max(np.hypot(*d), 1e-9)
                th = math.atan2(d[1], d[0]) + rng.uniform(-0.6, 0.6)
                end = start + rng.uniform(300.0, 600.0) * np.array([math.cos(th), math.sin(th)])
                end = np.clip(
                    end, [_DISTRICT[0] + 20, _DISTRICT[1] + 20], [_DISTRICT[2] - 20, _DISTRICT[3] - 20]
                )
                if end[0] > _URBAN_X0 - 30 and end[1] > _URBAN_Y0 - 30:
                    continue
                rural.ways.append(
                    _Way(_wiggle(start, end, rng, amp_m=20.0, step_m=30.0), {"highway": "track"})
                )
            th = rng.uniform(0, 2 * np.pi)
            end = c + 180.0 * np.array([math.cos(th), math.sin(th)])
            rural.ways.append(_Way(_wiggle(c, end, rng, amp_m=10.0, step_m=30.0), {"highway": "path"}))
    return rural, crossings


def _motorway_ways() -> tuple[list[_Way], list[tuple[tuple[float, float], dict[str, str]]]]:
    """The expressway (one way, no shared nodes with streets), the interchange ramps and the connector."""
    xa, xb, xc = _INTERCHANGE_X - 350.0, _INTERCHANGE_X + 350.0, _INTERCHANGE_X
    main = _curve(_motorway_y, 0.0, 8500.0, step_m=50.0, extra_x=(xa, xb))
    top = np.array([xc, float(_motorway_y(xc)) + 70.0])
    ways = [
        _Way(
            main,
            {"highway": "motorway", "name": "青白高速", "ref": "S88", "oneway": "no"},
            "motorway",
            cuttable=False,
        )
    ]
    tags: list[tuple[tuple[float, float], dict[str, str]]] = []
    for x, name in ((xa, "城南互通西匝道"), (xb, "城南互通东匝道")):
        start = np.array([x, float(_motorway_y(x))])
        t = np.linspace(0.0, 1.0, 12)[:, None]
        ctrl = np.array([(x + xc) / 2, start[1] + 5.0])
        pts = (1 - t) ** 2 * start + 2 * t * (1 - t) * ctrl + t**2 * top
        ways.append(_Way(pts, {"highway": "motorway_link", "name": name}, "motorway", cuttable=False))
        tags.append(
            ((float(start[0]), float(start[1])), {"highway": "motorway_junction", "name": "城南互通"})
        )
    ways.append(
        _Way(
            np.array([top, [xc, _URBAN_Y0]]),
            {"highway": "trunk", "name": "城南快速路", "foot": "no"},
            "surface",
            cuttable=False,
        )
    )
    return ways, tags


# ---------------------------------------------------------------------------------------------------------------
# The street network as OSM
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Network:
    """The finished network in design metres: OSM nodes, highway ways and other ways."""

    node_xy: np.ndarray  # (n, 2), node id = row + 1
    node_tags: dict[int, dict[str, str]]
    ways: tuple[tuple[tuple[int, ...], dict[str, str]], ...]  # highway ways first, then the others
    walk_lines: tuple[LineString, ...]  # walkable highway ways (public), for snapping facilities
    compounds: tuple[tuple[Polygon, str, bool], ...]
    parks: tuple[tuple[Polygon, str], ...]
    compound_cells: tuple[Polygon, ...]
    unbuilt: tuple[Polygon, ...]
    hamlets: tuple[tuple[str, tuple[float, float], float], ...]


def _build_network(rng: np.random.Generator, village_polys: dict[str, Polygon]) -> _Network:
    """Lay out every way, cut them at barriers, node them, prune stray fragments, and number the OSM nodes."""
    urban, urban_cross = _urban_layout(rng)
    rural, rural_cross = _rural_layout(rng, village_polys)
    motor, motor_tags = _motorway_ways()
    river_line = LineString(_curve(_river_y, -100.0, 8600.0, step_m=20.0))
    district = box(*_DISTRICT)
    river_area = river_line.buffer(_RIVER_HALF_WIDTH_M, cap_style="flat").intersection(district)
    rail_coords = _railway_coords()
    rail_line = LineString(rail_coords)
    motorway_line = LineString(motor[0].coords)
    lake = _lake_polygon()
    barriers = {
        "river": river_area.buffer(_CUT_RIVER_M),
        "rail": rail_line.buffer(_CUT_RAIL_M),
        "motorway": motorway_line.buffer(_CUT_MOTORWAY_M),
        "lake": lake.buffer(_CUT_LAKE_M),
    }
    node_tags = list(urban.node_tags) + motor_tags
    ways = _apply_barriers(
        urban.ways + rural.ways + [w for w in motor if w.group == "surface"],
        barriers,
        urban_cross + rural_cross,
        node_tags,
    )
    motor_ways = [w for w in motor if w.group == "motorway"]
    # the railway: a bridge over the river; the level crossing point becomes one of its vertices
    level = [p for p, t in node_tags if t.get("railway") == "crossing"]
    rc = rail_coords.copy()
    for p in level:
        d = rail_line.project(Point(p))
        dd = np.r_[0.0, np.cumsum(np.hypot(*np.diff(rc, axis=0).T))]
        rc = np.insert(rc, int(np.searchsorted(dd, d)), p, axis=0)
    rail_way = _Way(rc, {"railway": "rail", "name": "青白铁路", "gauge": "1435", "usage": "main"}, "other")
    rail_hit = rail_line.intersection(river_line)
    rail_parts = _apply_barriers(
        [rail_way],
        {"river": river_area.buffer(_CUT_RIVER_M)},
        [
            _Crossing(
                (rail_hit.x, rail_hit.y), "river", {"bridge": "yes", "layer": "1", "name": "青溪河铁路桥"}
            )
        ],
        [],
    )
    for w in rail_parts:
        w.group = "other"
    _node_group(ways)
    _node_group(motor_ways)
    # check: no street crosses the expressway or its ramps except where they share a node (the connector's end)
    motor_union = shapely.union_all([LineString(w.coords) for w in motor_ways])
    for w in ways:
        line = LineString(w.coords)
        if w.layer == 0 and line.intersects(motor_union):
            hit = line.intersection(motor_union)
            ends = shapely.points([w.coords[0], w.coords[-1]])
            if not all(min(shapely.distance(p, ends)) < 0.05 for p in getattr(hit, "geoms", [hit])):
                raise AssertionError(f"demo street {w.tags} crosses the expressway at grade")
    # number the nodes once to find the fragments
    reg = _NodeRegistry()
    hw_ids = [_way_node_ids(reg, w.coords) for w in ways]
    keep = [len(ids) >= 2 for ids in hw_ids]
    ways = [w for w, k in zip(ways, keep, strict=False) if k]
    hw_ids = [ids for ids, k in zip(hw_ids, keep, strict=False) if k]
    # prune fragments cut off by the barriers: components of fewer than 25 nodes (the expressway is not among them)
    n_comp, labels = _components(hw_ids, len(reg.xy))
    sizes = np.bincount(labels, minlength=n_comp)
    keep = [sizes[labels[ids[0] - 1]] >= 25 for ids in hw_ids]
    ways = [w for w, k in zip(ways, keep, strict=False) if k]
    # number the nodes again (no gaps): streets, then the expressway, the railway and the areas
    reg = _NodeRegistry()
    all_ways: list[tuple[list[int], dict[str, str]]] = []
    for w in ways:
        all_ways.append((_way_node_ids(reg, w.coords), w.tags))
    for w in motor_ways:
        all_ways.append((_way_node_ids(reg, w.coords), w.tags))
    for w in rail_parts:
        all_ways.append((_way_node_ids(reg, w.coords), w.tags))

    # areas: the river, the lake, parks, compounds
    def _ring(poly: Polygon, step: float = 30.0) -> np.ndarray:
        return np.asarray(shapely.segmentize(poly.exterior, step).coords)[:-1]

    all_ways.append(
        (
            _way_node_ids(reg, np.asarray(LineString(_curve(_river_y, 0.0, 8500.0, step_m=40.0)).coords)),
            {"waterway": "river", "name": "青溪河"},
        )
    )
    river_poly = (
        river_area if isinstance(river_area, Polygon) else max(river_area.geoms, key=lambda g: g.area)
    )
    all_ways.append(
        (
            _way_node_ids(reg, _ring(river_poly, 40.0), closed=True),
            {"natural": "water", "water": "river", "name": "青溪河"},
        )
    )
    all_ways.append(
        (
            _way_node_ids(reg, _ring(lake, 30.0), closed=True),
            {"natural": "water", "water": "lake", "name": "东湖"},
        )
    )
    for poly, name in urban.parks:
        if isinstance(poly, Polygon) and not poly.is_empty:
            all_ways.append(
                (_way_node_ids(reg, _ring(poly, 60.0), closed=True), {"leisure": "park", "name": name})
            )
    for poly, name, private in urban.compounds:
        if isinstance(poly, Polygon) and not poly.is_empty:
            tags = {"landuse": "residential", "residential": "gated", "name": name}
            if private:
                tags["access"] = "private"
            all_ways.append((_way_node_ids(reg, np.asarray(poly.exterior.coords)[:-1], closed=True), tags))
    node_xy = np.array(reg.xy)
    tags_by_id: dict[int, dict[str, str]] = {}
    tree = shapely.STRtree(shapely.points(node_xy))
    for p, t in node_tags:
        hit = tree.query(Point(p), predicate="dwithin", distance=0.05)
        if len(hit):
            tags_by_id[int(hit[0]) + 1] = dict(t)
    walk_lines = tuple(
        LineString(w.coords)
        for w in ways
        if _walkable(w.tags)
        and "bridge" not in w.tags
        and "tunnel" not in w.tags
        and w.tags["highway"] in _STREET_HIGHWAYS
    )
    return _Network(
        node_xy=node_xy,
        node_tags=tags_by_id,
        ways=tuple((tuple(ids), tags) for ids, tags in all_ways if len(ids) >= 2),
        walk_lines=walk_lines,
        compounds=tuple(urban.compounds),
        parks=tuple(urban.parks),
        compound_cells=tuple(urban.compound_cells),
        unbuilt=tuple(urban.unbuilt),
        hamlets=tuple(rural.hamlets),
    )


# ---------------------------------------------------------------------------------------------------------------
# Communities, population cells
# ---------------------------------------------------------------------------------------------------------------

_ROW_NAMES = ("S1", "S2", "N1", "N2", "N3", "N4")


def _urban_key(x: float, y: float) -> tuple[int, str, str]:
    """(column, row, half) of a point in the city."""
    col = int(np.searchsorted(_COLS, x, side="right")) - 1
    if y < float(_river_y(x)):
        row = "S1" if y < _ROW_S1 else "S2"
    else:
        row = "N1" if y < _ROW_N2 else ("N2" if y < _ROW_N3 else ("N3" if y < _ROW_N4 else "N4"))
    half = "w" if x < (_COLS[col] + _COLS[col + 1]) / 2 else "e"
    return col, row, half


def _community_polygons(village_polys: dict[str, Polygon]) -> list[Polygon]:
    """Polygons of all communities (urban, then villages), tiling the district exactly."""
    _x0, _y0, x1, y1 = _DISTRICT
    lines = [
        box(*_DISTRICT).exterior,
        LineString([(_URBAN_X0, _URBAN_Y0), (_URBAN_X0, y1)]),
        LineString([(_URBAN_X0, _URBAN_Y0), (x1, _URBAN_Y0)]),
        LineString(_curve(_river_y, _URBAN_X0, x1, step_m=20.0)),
    ]
    lines += [LineString([(x, _URBAN_Y0), (x, y1)]) for x in _COLS[1:-1]]
    lines += [LineString([(_URBAN_X0, y), (x1, y)]) for y in (_ROW_S1, _ROW_N2, _ROW_N3, _ROW_N4)]
    row_range = {
        "S1": (_URBAN_Y0, _ROW_S1),
        "N2": (_ROW_N2, _ROW_N3),
        "N3": (_ROW_N3, _ROW_N4),
        "N4": (_ROW_N4, y1),
    }
    for _name, _street, col, row, half, _built in _URBAN_COMMUNITIES:
        if half == "w":
            xm = (_COLS[col] + _COLS[col + 1]) / 2
            lines.append(LineString([(xm, row_range[row][0]), (xm, row_range[row][1])]))
    for poly in village_polys.values():
        lines.append(poly.exterior)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines))))
    names = [c[0] for c in _URBAN_COMMUNITIES] + [v[0] for v in _VILLAGES]
    urban_index = {
        (c, r, h or hh): k for k, (_n, _s, c, r, h, _b) in enumerate(_URBAN_COMMUNITIES) for hh in ("w", "e")
    }
    groups: dict[int, list[Polygon]] = {k: [] for k in range(len(names))}
    for face in faces:
        p = face.representative_point()
        if p.x > _URBAN_X0 and p.y > _URBAN_Y0:
            col, row, half = _urban_key(p.x, p.y)
            groups[urban_index[(col, row, half)]].append(face)
        else:
            village = next(name for name, poly in village_polys.items() if poly.contains(p))
            groups[names.index(village)].append(face)
    out = []
    for k in range(len(names)):
        merged = shapely.union_all(groups[k])
        if merged.geom_type != "Polygon":
            raise AssertionError(f"demo community {names[k]} is not one polygon")
        out.append(shapely.normalize(merged))
    return out


def _demography(rng: np.random.Generator, names: list[str], streets: list[str]) -> pd.DataFrame:
    """Population, elderly, 80+, households of each community, drawn within the street's ranges."""
    rows = []
    for name, street in zip(names, streets, strict=False):
        (p0, p1), (e0, e1), (o0, o1) = _DEMOGRAPHY[street]
        if name in _TOWN_SEATS.values():
            p0, p1 = 3500, 4500
        pop = int(round(rng.uniform(p0, p1) / 10.0) * 10)
        elderly = round(pop * rng.uniform(e0, e1))
        elderly_80 = round(elderly * rng.uniform(o0, o1))
        households = round(pop / rng.uniform(2.5, 2.7))
        rows.append((pop, elderly, elderly_80, households))
    return pd.DataFrame(rows, columns=["population", "elderly", "elderly_80", "households"])


def _population_cells(
    rng: np.random.Generator,
    polys: list[Polygon],
    table: pd.DataFrame,
    net: _Network,
    lake: Polygon,
    river_area: Polygon,
) -> pd.DataFrame:
    """100 m cells with residents: centre (design metres), community index, population, elderly."""
    x0, y0, x1, y1 = _DISTRICT
    gx, gy = np.meshgrid(np.arange(x0 + 50.0, x1, 100.0), np.arange(y0 + 50.0, y1, 100.0), indexing="xy")
    centres = shapely.points(gx.ravel(), gy.ravel())
    tree = shapely.STRtree(polys)
    ci, pi = tree.query(centres, predicate="within")
    community = -np.ones(len(centres), dtype=int)
    community[ci] = pi
    excluded = shapely.union_all(
        [
            river_area.buffer(25.0),
            lake.buffer(20.0),
            LineString(_railway_coords()).buffer(35.0),
            LineString(_curve(_motorway_y, 0.0, 8500.0, step_m=50.0)).buffer(60.0),
            *[p for p, _ in net.parks],
            *net.unbuilt,
        ]
    )
    ok = (community >= 0) & ~shapely.contains_xy(excluded, gx.ravel(), gy.ravel())
    urban = (gx.ravel() > _URBAN_X0) & (gy.ravel() > _URBAN_Y0)
    # rural cells only in hamlets
    near_hamlet = np.zeros(len(centres), dtype=bool)
    hamlet_weight = np.zeros(len(centres))
    for _village, (hx, hy), radius in net.hamlets:
        d = np.hypot(gx.ravel() - hx, gy.ravel() - hy)
        inside = d <= radius
        near_hamlet |= inside
        hamlet_weight = np.maximum(hamlet_weight, np.where(inside, 1.0 - 0.5 * d / radius, 0.0))
    ok &= urban | near_hamlet
    compound = shapely.union_all(list(net.compound_cells))
    in_compound = shapely.contains_xy(compound, gx.ravel(), gy.ravel())
    weight = np.where(urban, np.where(in_compound, 1.5, 1.0), hamlet_weight + 0.2)
    weight = weight * rng.lognormal(0.0, 0.35, len(centres))
    idx = np.flatnonzero(ok)
    out = []
    for k in range(len(polys)):
        cells = idx[community[idx] == k]
        if len(cells) == 0:
            raise AssertionError(f"demo community {k} has no residential cell")
        pop = _largest_remainder(int(table.population[k]), weight[cells])
        keep = pop > 0
        cells, pop = cells[keep], pop[keep]
        e_weight = pop * rng.lognormal(0.0, 0.2, len(cells))
        eld = _largest_remainder(int(table.elderly[k]), e_weight)
        over = eld > pop
        if over.any():  # move the excess to the cells with most room (never happens with the default seed)
            excess = int((eld - pop)[over].sum())
            eld = np.minimum(eld, pop)
            room = pop - eld
            for j in np.argsort(-room, kind="stable")[:excess]:
                eld[j] += 1
        for c, p, e in zip(cells, pop, eld, strict=False):
            out.append((float(gx.ravel()[c]), float(gy.ravel()[c]), k, int(p), int(e)))
    frame = pd.DataFrame(out, columns=["x", "y", "community", "population", "elderly"])
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Facilities and candidate sites
# ---------------------------------------------------------------------------------------------------------------

_KIND_ZH = {
    "street_centre": "街道综合养老服务中心",
    "day_care": "日间照料中心",
    "embedded_home": "社区嵌入式养老院",
    "nursing_home": "养老院",
    "meal_point": "助餐点",
    "rural_mutual_aid": "农村互助养老服务点",
    "health_centre": "社区卫生服务中心",
}

#: The facilities: kind, name, community, position in the community's bounding box (0–1), floor m², land m²
#: (None: blank), beds (None: blank), nursing-type beds (None: blank).
_FACILITIES: tuple[
    tuple[str, str, str, tuple[float, float], float, float | None, int | None, int | None], ...
] = (
    ("street_centre", "老城街道综合养老服务中心", "文庙社区", (0.55, 0.45), 1200, 950, 120, 54),
    ("street_centre", "西城街道综合养老服务中心", "桂花社区", (0.50, 0.50), 680, None, 30, 12),
    ("street_centre", "北门街道综合养老服务中心", "天佑社区", (0.50, 0.45), 850, 700, 40, 16),
    ("street_centre", "东湖街道综合养老服务中心", "东站社区", (0.50, 0.40), 1500, 1600, 150, 66),
    ("street_centre", "南湖街道综合养老服务中心", "望江社区", (0.45, 0.50), 1100, None, 90, 40),
    ("street_centre", "青山镇综合养老服务中心", "青山村", (0.52, 0.45), 1300, 1500, 100, 38),
    ("street_centre", "白沙镇综合养老服务中心", "白沙村", (0.48, 0.52), 1050, 1200, 60, 24),
    ("day_care", "西关社区日间照料中心", "西关社区", (0.50, 0.55), 420, 380, 10, 0),
    ("day_care", "西苑社区日间照料中心", "西苑社区", (0.40, 0.50), 560, None, 12, 2),
    ("day_care", "长塘社区日间照料中心", "长塘社区", (0.55, 0.45), 380, 320, 8, 0),
    ("day_care", "兴隆社区日间照料中心", "兴隆社区", (0.45, 0.50), 610, 520, 12, 2),
    ("day_care", "府前社区日间照料中心", "府前社区", (0.15, 0.75), 350, None, 8, 0),
    ("day_care", "文庙社区日间照料中心", "文庙社区", (0.25, 0.70), 400, 300, 10, 2),
    ("day_care", "钟楼社区日间照料中心", "钟楼社区", (0.10, 0.80), 330, None, 8, 0),
    ("day_care", "北门社区日间照料中心", "北门社区", (0.15, 0.20), 450, 400, 10, 2),
    ("day_care", "龙井社区日间照料中心", "龙井社区", (0.55, 0.55), 520, 450, 12, 2),
    ("day_care", "柳岸社区日间照料中心", "柳岸社区", (0.55, 0.50), 600, 500, 15, 3),
    ("day_care", "东站社区日间照料中心", "东站社区", (0.60, 0.70), 480, None, 10, 2),
    ("day_care", "湖滨社区日间照料中心", "湖滨社区", (0.65, 0.55), 500, 420, 10, 2),
    ("day_care", "南岸社区日间照料中心", "南岸社区", (0.45, 0.45), 550, 480, 12, 2),
    ("day_care", "云锦社区日间照料中心", "云锦社区", (0.50, 0.55), 420, None, 10, 0),
    ("day_care", "南湖社区日间照料中心", "南湖社区", (0.55, 0.45), 650, 560, 15, 3),
    ("day_care", "新城社区日间照料中心", "新城社区", (0.08, 0.25), 700, 600, 15, 3),
    ("day_care", "青山村日间照料中心", "青山村", (0.45, 0.55), 300, 350, 8, 0),
    ("day_care", "湖光社区日间照料中心", "湖光社区", (0.45, 0.50), 480, 420, 10, 2),
    ("day_care", "金沙社区日间照料中心", "金沙社区", (0.55, 0.60), 400, None, 10, 0),
    ("day_care", "青松社区日间照料中心", "青松社区", (0.40, 0.55), 380, 330, 8, 0),
    ("day_care", "梅园社区日间照料中心", "梅园社区", (0.50, 0.35), 450, None, 10, 2),
    ("day_care", "东湖社区日间照料中心", "东湖社区", (0.35, 0.20), 520, 460, 12, 2),
    ("embedded_home", "西苑社区嵌入式养老院", "西苑社区", (0.65, 0.35), 2200, 1300, 60, 33),
    ("embedded_home", "南湖社区嵌入式养老院", "南湖社区", (0.30, 0.60), 1900, 1100, 55, 30),
    ("embedded_home", "荷塘社区嵌入式养老院", "荷塘社区", (0.60, 0.30), 1500, None, 40, 22),
    ("embedded_home", "钟楼社区嵌入式养老院", "钟楼社区", (0.60, 0.35), 1100, 700, 30, 16),
    ("nursing_home", "示范区社会福利院", "长塘社区", (0.30, 0.75), 11000, 12500, 300, 174),
    ("nursing_home", "东湖颐养院", "柳岸社区", (0.25, 0.30), 9500, 10500, 280, 162),
    ("nursing_home", "青山镇敬老院", "桃源村", (0.60, 0.55), 5200, 6800, 180, 72),
    ("meal_point", "府前社区长者食堂", "府前社区", (0.80, 0.85), 180, None, None, None),
    ("meal_point", "水门社区老年助餐点", "水门社区", (0.50, 0.70), 120, None, None, None),
    ("meal_point", "仓前社区长者食堂", "仓前社区", (0.60, 0.50), 200, 160, None, None),
    ("meal_point", "梅园社区长者食堂", "梅园社区", (0.50, 0.50), 160, None, None, None),
    ("meal_point", "青松社区老年助餐点", "青松社区", (0.40, 0.40), 110, None, None, None),
    ("meal_point", "胜利社区长者食堂", "胜利社区", (0.50, 0.50), 150, None, None, None),
    ("meal_point", "铁路社区老年助餐点", "铁路社区", (0.50, 0.50), 130, None, None, None),
    ("meal_point", "荷塘社区长者食堂", "荷塘社区", (0.40, 0.70), 170, 150, None, None),
    ("meal_point", "金沙社区长者食堂", "金沙社区", (0.50, 0.50), 190, None, None, None),
    ("meal_point", "湖光社区老年助餐点", "湖光社区", (0.50, 0.40), 120, None, None, None),
    ("meal_point", "润园社区长者食堂", "润园社区", (0.30, 0.80), 460, 380, None, None),
    ("meal_point", "翠苑社区老年助餐点", "翠苑社区", (0.60, 0.60), 120, None, None, None),
    ("meal_point", "白沙村老年助餐点", "白沙村", (0.55, 0.48), 150, 180, None, None),
    ("meal_point", "李家村老年助餐点", "李家村", (0.50, 0.55), 100, None, None, None),
    ("meal_point", "鼓楼社区长者食堂", "鼓楼社区", (0.30, 0.40), 160, None, None, None),
    ("health_centre", "老城街道社区卫生服务中心", "钟楼社区", (0.35, 0.50), 1600, 1800, None, None),
    ("health_centre", "西城街道社区卫生服务中心", "西苑社区", (0.70, 0.40), 1400, 1500, None, None),
    ("health_centre", "北门街道社区卫生服务中心", "龙井社区", (0.30, 0.40), 1200, None, None, None),
    ("health_centre", "东湖街道社区卫生服务中心", "东站社区", (0.45, 0.30), 1500, 1600, None, None),
    ("health_centre", "南湖街道社区卫生服务中心", "望江社区", (0.70, 0.70), 1300, 1400, None, None),
    ("health_centre", "新城街道社区卫生服务中心", "阳光社区", (0.75, 0.30), 1800, 2200, None, None),
    ("health_centre", "青山镇卫生院", "青山村", (0.40, 0.40), 2000, 3000, None, None),
    ("health_centre", "白沙镇卫生院", "白沙村", (0.40, 0.60), 1800, 2600, None, None),
)

#: Candidate sites: community, position (0–1), kinds; sizes, beds and cost are drawn from the kinds.
_CANDIDATES: tuple[tuple[str, tuple[float, float], str], ...] = (
    ("书院社区", (0.50, 0.30), "day_care,meal_point"),
    ("书院社区", (0.60, 0.80), "embedded_home,day_care"),
    ("水门社区", (0.70, 0.60), "day_care,meal_point"),
    ("水门社区", (0.30, 0.30), "day_care"),
    ("南门社区", (0.40, 0.55), "embedded_home,day_care"),
    ("南门社区", (0.75, 0.75), "day_care,meal_point"),
    ("南门社区", (0.20, 0.20), "day_care"),
    ("仓前社区", (0.75, 0.40), "day_care,meal_point"),
    ("鼓楼社区", (0.70, 0.60), "day_care"),
    ("红旗社区", (0.40, 0.50), "day_care,meal_point"),
    ("红旗社区", (0.75, 0.25), "embedded_home,day_care"),
    ("胜利社区", (0.35, 0.30), "day_care"),
    ("锦绣社区", (0.50, 0.60), "day_care,meal_point"),
    ("锦绣社区", (0.80, 0.30), "embedded_home,day_care"),
    ("翠苑社区", (0.70, 0.70), "day_care,meal_point"),
    ("翠苑社区", (0.50, 0.35), "street_centre,day_care"),
    ("金桂社区", (0.50, 0.50), "day_care,meal_point"),
    ("金桂社区", (0.30, 0.80), "street_centre,day_care"),
    ("紫荆社区", (0.50, 0.60), "embedded_home,day_care"),
    ("紫荆社区", (0.70, 0.85), "day_care"),
    ("润园社区", (0.60, 0.75), "day_care,meal_point"),
    ("润园社区", (0.25, 0.60), "embedded_home"),
    ("阳光社区", (0.70, 0.70), "day_care"),
    ("新城社区", (0.80, 0.40), "day_care,meal_point"),
    ("桂花社区", (0.30, 0.30), "day_care,meal_point"),
    ("梅园社区", (0.60, 0.70), "embedded_home,day_care"),
    ("文庙社区", (0.80, 0.30), "day_care"),
    ("云锦社区", (0.30, 0.30), "embedded_home"),
    ("柳岸社区", (0.75, 0.75), "day_care,meal_point"),
    ("天佑社区", (0.20, 0.70), "embedded_home,day_care"),
    ("湖光社区", (0.70, 0.60), "day_care"),
    ("荷塘社区", (0.80, 0.80), "meal_point"),
    ("云锦社区", (0.88, 0.04), "day_care,meal_point"),  # beside the expressway connector's junction
    ("张家村", (0.0, 0.0), "rural_mutual_aid,day_care"),  # beside the expressway (placed explicitly below)
    ("竹林村", (0.45, 0.50), "rural_mutual_aid"),
    ("黄泥村", (0.50, 0.55), "rural_mutual_aid"),
    ("杨柳村", (0.50, 0.50), "rural_mutual_aid"),
    ("塘口村", (0.45, 0.45), "rural_mutual_aid"),
    ("白沙村", (0.60, 0.40), "day_care"),
    ("王家村", (0.50, 0.50), "rural_mutual_aid,meal_point"),
)
#: Explicit design positions (overriding the bounding-box position) of a few candidates, by list index.
_CANDIDATE_AT = {33: (4340.0, 4700.0)}
#: The candidates placed close to the expressway or its connector (indices into :data:`_CANDIDATES`).
_NEAR_EXPRESSWAY = (32, 33)


def _place(
    target: np.ndarray,
    poly: Polygon,
    tree: shapely.STRtree,
    lines: np.ndarray,
    taken: list[np.ndarray],
    *,
    offset_m: float = 18.0,
) -> np.ndarray:
    """A point inside ``poly`` about ``offset_m`` from the nearest walkable street to ``target``."""
    inner = poly.buffer(-8.0)
    centre = np.array(poly.representative_point().coords[0])
    for step in range(12):
        t = target + (centre - target) * step / 12.0
        k = int(tree.query_nearest(Point(t))[0])
        line = lines[k]
        q = np.array(line.interpolate(line.project(Point(t))).coords[0])
        d = t - q
        dist = float(np.hypot(*d))
        if dist < 1.0:  # target on the street: step off it at right angles
            a, b = np.asarray(line.coords)[0], np.asarray(line.coords)[-1]
            d = np.array([-(b - a)[1], (b - a)[0]])
            dist = float(np.hypot(*d))
        for sign in (1.0, -1.0):
            p = q + sign * d / dist * offset_m
            if inner.contains(Point(p)) and all(np.hypot(*(p - o)) > 25.0 for o in taken):
                taken.append(p)
                return p
    raise AssertionError(f"demo: cannot place a point near {target.round()}")


def _facility_table(
    rng: np.random.Generator, names: list[str], polys: list[Polygon], net: _Network
) -> pd.DataFrame:
    lines = np.array(net.walk_lines, dtype=object)
    tree = shapely.STRtree(lines)
    taken: list[np.ndarray] = []
    rows = []
    by_name = dict(zip(names, polys, strict=False))
    aid = [(name, town) for name, town, _p, has in _VILLAGES if has]
    specs = list(_FACILITIES) + [
        (
            "rural_mutual_aid",
            f"{name}互助养老服务点",
            name,
            (0.5, 0.5),
            float(int(rng.integers(15, 40)) * 10),
            float(int(rng.integers(20, 50)) * 10) if rng.random() < 0.7 else None,
            int(rng.integers(0, 9)),
            0,
        )
        for name, _town in aid
    ]
    for kind, name, community, (rx, ry), floor, land, beds, nursing in specs:
        poly = by_name[community]
        minx, miny, maxx, maxy = poly.bounds
        target = np.array([minx + rx * (maxx - minx), miny + ry * (maxy - miny)])
        if kind == "rural_mutual_aid":
            seed = next(p for n, _t, p, _h in _VILLAGES if n == community)
            target = np.array(seed) + rng.uniform(-60.0, 60.0, 2)
        p = _place(target, poly, tree, lines, taken)
        rows.append((name, _KIND_ZH[kind], kind, community, p[0], p[1], floor, land, beds, nursing))
    return pd.DataFrame(
        rows,
        columns=[
            "name",
            "kind_zh",
            "kind",
            "community",
            "x",
            "y",
            "floor_area_m2",
            "land_area_m2",
            "beds",
            "nursing_beds",
        ],
    )


def _candidate_table(
    rng: np.random.Generator, names: list[str], polys: list[Polygon], net: _Network, taken: list[np.ndarray]
) -> pd.DataFrame:
    lines = np.array(net.walk_lines, dtype=object)
    tree = shapely.STRtree(lines)
    by_name = dict(zip(names, polys, strict=False))
    rows = []
    for k, (community, (rx, ry), kinds) in enumerate(_CANDIDATES):
        poly = by_name[community]
        minx, miny, maxx, maxy = poly.bounds
        target = np.array(_CANDIDATE_AT.get(k, (minx + rx * (maxx - minx), miny + ry * (maxy - miny))))
        p = _place(target, poly, tree, lines, taken, offset_m=15.0)
        ks = kinds.split(",")
        if "street_centre" in ks:
            floor, land, beds = rng.uniform(1200, 1700), rng.uniform(1200, 1900), int(rng.integers(40, 81))
        elif ks[0] == "embedded_home":
            floor, land, beds = rng.uniform(1500, 2800), rng.uniform(900, 1800), int(rng.integers(30, 61))
        elif ks[0] == "rural_mutual_aid":
            floor, land, beds = rng.uniform(180, 400), rng.uniform(250, 600), int(rng.integers(4, 11))
        elif ks[0] == "meal_point":
            floor, land, beds = rng.uniform(120, 260), rng.uniform(100, 250), 0
        else:
            floor, land, beds = rng.uniform(350, 750), rng.uniform(300, 650), int(rng.integers(0, 3)) * 5
        floor, land = round(floor / 10.0) * 10.0, round(land / 10.0) * 10.0
        cost = round(floor * rng.uniform(0.30, 0.42) + land * rng.uniform(0.05, 0.15), 1)
        rows.append(
            (f"候选地块{k + 1:02d}（{community}）", kinds, community, p[0], p[1], floor, land, beds, cost)
        )
    return pd.DataFrame(
        rows,
        columns=["name", "kinds", "community", "x", "y", "floor_area_m2", "land_area_m2", "beds", "cost"],
    )


# ---------------------------------------------------------------------------------------------------------------
# Walking distances on the demo's own network (for the README's figures)
# ---------------------------------------------------------------------------------------------------------------


def _walk_distance_m(
    net: _Network, sources: np.ndarray, targets: np.ndarray, *, limit_m: float
) -> np.ndarray:
    """Network distance (m) from the nearest source to each target over walkable ways, including the straight
    legs from each point to its nearest walkable segment; inf beyond ``limit_m``."""
    from scipy.sparse.csgraph import dijkstra

    u_list, v_list = [], []
    for ids, tags in net.ways:
        if "highway" in tags and _walkable(tags):
            u_list.append(np.asarray(ids[:-1]) - 1)
            v_list.append(np.asarray(ids[1:]) - 1)
    u, v = np.concatenate(u_list), np.concatenate(v_list)
    xy = net.node_xy
    seg = shapely.linestrings(np.stack([xy[u], xy[v]], axis=1))
    length = shapely.length(seg)
    n = len(xy)
    tree = shapely.STRtree(seg)

    def attach(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        pts = shapely.points(points)
        k = tree.query_nearest(pts, return_distance=False, all_matches=False)[1]
        along = shapely.line_locate_point(seg[k], pts)
        leg = shapely.distance(pts, seg[k])
        return k, along, length[k] - along, leg

    ks, a_s, b_s, l_s = attach(sources)
    src = n
    rows = np.r_[u, v, np.full(len(ks) * 2, src)]
    cols = np.r_[v, u, u[ks], v[ks]]
    w = np.r_[length, length, a_s + l_s, b_s + l_s] + 1e-9
    g = coo_matrix((w, (rows, cols)), shape=(n + 1, n + 1)).tocsr()
    d = dijkstra(g, directed=True, indices=src, limit=limit_m + 2000.0)
    kt, a_t, b_t, l_t = attach(targets)
    return np.minimum(d[u[kt]] + a_t, d[v[kt]] + b_t) + l_t


# ---------------------------------------------------------------------------------------------------------------
# The whole design, and the files
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    """Everything the demo writes, in design metres."""

    communities: gpd.GeoDataFrame
    cells: pd.DataFrame
    facilities: pd.DataFrame
    candidates: pd.DataFrame
    net: _Network
    day_care_m: np.ndarray  # walking distance of each cell to the nearest day-care centre (inf beyond 2 km)


def _design(progress: Progress) -> _Design:
    rng = np.random.default_rng(SEED)
    village_polys = _village_cells()
    progress(0.05, "laying out streets, compounds, the river, the railway and the expressway")
    net = _build_network(rng, village_polys)
    progress(0.45, "drawing communities and villages")
    polys = _community_polygons(village_polys)
    names = [c[0] for c in _URBAN_COMMUNITIES] + [v[0] for v in _VILLAGES]
    streets = [c[1] for c in _URBAN_COMMUNITIES] + [v[1] for v in _VILLAGES]
    table = _demography(rng, names, streets)
    communities = gpd.GeoDataFrame(
        {
            "name": names,
            "street": streets,
            "population": table.population.to_numpy(),
            "elderly": table.elderly.to_numpy(),
            "elderly_80": table.elderly_80.to_numpy(),
            "households": table.households.to_numpy(),
            "kind": ["urban"] * len(_URBAN_COMMUNITIES) + ["rural"] * len(_VILLAGES),
            "built": [c[5] for c in _URBAN_COMMUNITIES] + ["existing"] * len(_VILLAGES),
        },
        geometry=polys,
        crs=DESIGN_CRS,
    )
    progress(0.55, "spreading residents over 100 m cells")
    river_area = (
        LineString(_curve(_river_y, -100.0, 8600.0, step_m=20.0))
        .buffer(_RIVER_HALF_WIDTH_M, cap_style="flat")
        .intersection(box(*_DISTRICT))
    )
    cells = _population_cells(rng, polys, table, net, _lake_polygon(), river_area)
    progress(0.65, "placing facilities and candidate sites")
    facilities = _facility_table(rng, names, polys, net)
    taken = [np.array(xy) for xy in facilities[["x", "y"]].to_numpy()]
    candidates = _candidate_table(rng, names, polys, net, taken)
    day = facilities[facilities.kind == "day_care"][["x", "y"]].to_numpy()
    day_m = _walk_distance_m(net, day, cells[["x", "y"]].to_numpy(), limit_m=900.0)
    return _Design(communities, cells, facilities, candidates, net, day_m)


def _transformer() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(DESIGN_CRS, "EPSG:4326", always_xy=True)


def _osm_xml(net: _Network) -> str:
    """The network as OSM XML 0.6, with sorted ids and fixed formatting."""
    lon, lat = _transformer().transform(net.node_xy[:, 0], net.node_xy[:, 1])
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<osm version="0.6" generator="eldercircle planning/demo.py">',
        (
            "  <!-- SYNTHETIC street network of the eldercircle demo district (示范区): every street, place and "
            "name is invented; generated by `python -m planning.demo`. -->"
        ),
        (
            f'  <bounds minlat="{lat.min():.7f}" minlon="{lon.min():.7f}" maxlat="{lat.max():.7f}" '
            f'maxlon="{lon.max():.7f}"/>'
        ),
    ]
    for k in range(len(lon)):
        nid = k + 1
        tags = net.node_tags.get(nid)
        head = f'  <node id="{nid}" version="1" lat="{lat[k]:.7f}" lon="{lon[k]:.7f}"'
        if tags:
            out.append(head + ">")
            out.extend(f"    <tag k={quoteattr(key)} v={quoteattr(val)}/>" for key, val in tags.items())
            out.append("  </node>")
        else:
            out.append(head + "/>")
    for w, (ids, tags) in enumerate(net.ways):
        out.append(f'  <way id="{w + 1}" version="1">')
        out.extend(f'    <nd ref="{i}"/>' for i in ids)
        out.extend(f"    <tag k={quoteattr(key)} v={quoteattr(val)}/>" for key, val in tags.items())
        out.append("  </way>")
    out.append("</osm>")
    return "\n".join(out) + "\n"


def _lonlat_points(frame: pd.DataFrame) -> np.ndarray:
    lon, lat = _transformer().transform(frame.x.to_numpy(), frame.y.to_numpy())
    return shapely.points(np.round(lon, 7), np.round(lat, 7))


def _fmt(v: object) -> str:
    """A CSV number: blank for missing, no trailing .0."""
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    f = float(v)  # type: ignore[arg-type]
    return str(int(f)) if f == int(f) else f"{f:g}"


def _facilities_csv(facilities: pd.DataFrame) -> str:
    lon, lat = _transformer().transform(facilities.x.to_numpy(), facilities.y.to_numpy())
    lines = ["名称,类型,经度,纬度,建筑面积,用地面积,床位数,护理型床位"]
    for k, row in enumerate(facilities.itertuples(index=False)):
        lines.append(
            ",".join(
                [
                    row.name,
                    row.kind_zh,
                    f"{lon[k]:.6f}",
                    f"{lat[k]:.6f}",
                    _fmt(row.floor_area_m2),
                    _fmt(row.land_area_m2),
                    _fmt(row.beds),
                    _fmt(row.nursing_beds),
                ]
            )
        )
    return "\n".join(lines) + "\n"


_STUDY_TOML = """\
# eldercircle study: the embedded demo district. SYNTHETIC: every street, place, facility and figure is invented.
[study]
name = "示范区（合成数据）"
name_en = "Demo district (synthetic data)"
synthetic = true
coords = "wgs84"
data_date = "2026-11"
sources = ["Synthetic data generated by planning/demo.py (eldercircle); not a real place."]

[layers]
communities = "communities.geojson"
facilities = "facilities.csv"
candidates = "candidates.geojson"
population = "population.gpkg#elder_density"

[network]
source = "streets.osm"
walk_speed_m_s = 1.0

[standards]
preset = "jiangxi"
"""


@dataclass(frozen=True)
class _Figures:
    """The demo's key figures and deliberate shortfalls, as its README states them."""

    communities_urban: int
    villages: int
    population: int
    elderly: int
    elderly_share: float
    elderly_share_min: float
    elderly_share_max: float
    cells: int
    facilities: dict[str, int]
    street_centre_floor_area_m2: dict[str, float]
    streets_without_centre: list[str]
    streets_centre_under_1000_m2: list[str]
    mutual_aid_villages: int
    villages_without_mutual_aid: list[str]
    beds: int
    nursing_beds: int
    facilities_without_land_area: int
    day_care_share_within_900m: float
    communities_without_day_care_within_900m: list[str]
    osm_nodes: int
    osm_ways: int

    @property
    def mutual_aid_share(self) -> float:
        return self.mutual_aid_villages / self.villages

    @property
    def nursing_share(self) -> float:
        return self.nursing_beds / self.beds

    @property
    def beds_per_1000_elderly(self) -> float:
        return self.beds / self.elderly * 1000.0


def _figures(d: _Design) -> _Figures:
    """Count what the README states."""
    com, fac, cells = d.communities, d.facilities, d.cells
    urban = (com.kind == "urban").to_numpy()
    street_of = dict(zip(com.name, com.street, strict=False))
    centres = fac[fac.kind == "street_centre"]
    centre_area = {
        street_of[c]: float(a) for c, a in zip(centres.community, centres.floor_area_m2, strict=False)
    }
    streets = list(dict.fromkeys(com.street))
    aid_villages = set(fac[fac.kind == "rural_mutual_aid"].community)
    villages = list(com[~urban].name)
    covered = d.day_care_m <= 900.0
    in_city = (cells.community < int(urban.sum())).to_numpy()
    reached = np.bincount(cells.community, weights=covered * cells.elderly, minlength=len(com))
    return _Figures(
        communities_urban=int(urban.sum()),
        villages=len(villages),
        population=int(com.population.sum()),
        elderly=int(com.elderly.sum()),
        elderly_share=float(com.elderly.sum() / com.population.sum()),
        elderly_share_min=float((com.elderly / com.population).min()),
        elderly_share_max=float((com.elderly / com.population).max()),
        cells=len(cells),
        facilities={k: int((fac.kind == k).sum()) for k in _KIND_ZH},
        street_centre_floor_area_m2=centre_area,
        streets_without_centre=[s for s in streets if s not in centre_area],
        streets_centre_under_1000_m2=[s for s in streets if centre_area.get(s, math.inf) < 1000.0],
        mutual_aid_villages=sum(v in aid_villages for v in villages),
        villages_without_mutual_aid=[v for v in villages if v not in aid_villages],
        beds=int(np.nansum(fac.beds.to_numpy(float))),
        nursing_beds=int(np.nansum(fac.nursing_beds.to_numpy(float))),
        facilities_without_land_area=int(fac.land_area_m2.isna().sum()),
        day_care_share_within_900m=float(
            (covered * cells.elderly)[in_city].sum() / cells.elderly[in_city].sum()
        ),
        communities_without_day_care_within_900m=[
            str(n) for n, r, u in zip(com.name, reached, urban, strict=False) if u and r == 0.0
        ],
        osm_nodes=len(d.net.node_xy),
        osm_ways=len(d.net.ways),
    )


def _cobuilding(d: _Design) -> list[tuple[str, int, float, float]]:
    """New communities: (name, households, co-built floor area m², Jiangxi minimum m² = 20 per 100 households)."""
    fac, com = d.facilities, d.communities
    kinds = ("street_centre", "day_care", "embedded_home", "meal_point")
    out = []
    for row in com[com.built == "new"].itertuples():
        area = float(fac[(fac.community == row.name) & fac.kind.isin(kinds)].floor_area_m2.sum())
        out.append((str(row.name), int(row.households), area, row.households / 100.0 * 20.0))
    return out


def _land_per_resident(d: _Design) -> list[tuple[str, float, float]]:
    """Per street: (street, elderly-care land m² (blank land estimated as floor area / 0.8), m² per resident)."""
    fac, com = d.facilities, d.communities
    street_of = dict(zip(com.name, com.street, strict=False))
    kinds = ("street_centre", "day_care", "embedded_home", "nursing_home", "meal_point", "rural_mutual_aid")
    f = fac[fac.kind.isin(kinds)]
    land = np.where(f.land_area_m2.isna(), f.floor_area_m2 / 0.8, f.land_area_m2)
    per = pd.Series(land, index=f.community.map(street_of).to_numpy()).groupby(level=0).sum()
    pop = com.groupby("street").population.sum()
    return [
        (s, float(per.get(s, 0.0)), float(per.get(s, 0.0)) / float(pop[s])) for s in dict.fromkeys(com.street)
    ]


def _readme(d: _Design) -> str:
    """The folder's README: what the demo is, what it holds, and its deliberate shortfalls with numbers."""
    import textwrap

    f = _figures(d)
    fac = f.facilities
    small = f.streets_centre_under_1000_m2
    gaps = f.communities_without_day_care_within_900m
    cob = _cobuilding(d)
    low_land = [(s, v) for s, _land, v in _land_per_resident(d) if v < 0.1]
    connector = LineString(
        [(_INTERCHANGE_X, float(_motorway_y(_INTERCHANGE_X)) + 70.0), (_INTERCHANGE_X, _URBAN_Y0)]
    )
    expressways = shapely.union_all([LineString(_curve(_motorway_y, 0.0, 8500.0, step_m=50.0)), connector])
    near = [
        (str(r.name), expressways.distance(Point(r.x, r.y)))
        for r in d.candidates.iloc[list(_NEAR_EXPRESSWAY)].itertuples()
    ]
    intro = (
        "This folder is a **synthetic** study: every street, place, facility, name and figure in it is invented, and "
        "it is not a real place, although it sits at a plausible spot in Jiangxi (about 117.95–118.04 E, "
        "28.40–28.49 N, WGS84) so that maps look right. It is generated, reproducibly, by `python -m planning.demo` "
        "(or `eldercircle demo --out DIR`) from `planning/demo.py`; do not edit the files by hand, change the "
        f"generator. It holds 6 urban streets (街道) with {f.communities_urban} communities and 2 towns (镇) with "
        f"{f.villages} administrative villages, {f.population:,} residents of whom {f.elderly:,} are 60 or "
        f"older ({f.elderly_share * 100:.1f} %; from {f.elderly_share_min * 100:.1f} % in the new town to "
        f"{f.elderly_share_max * 100:.1f} % in the old town), in `communities.geojson`; {sum(fac.values())} "
        f"facilities in `facilities.csv` (Chinese headers and kind names: {fac['street_centre']} street centres, "
        f"{fac['day_care']} day-care centres, {fac['embedded_home']} embedded homes, {fac['nursing_home']} nursing "
        f"homes, {fac['meal_point']} meal points, {fac['rural_mutual_aid']} rural mutual-aid points, "
        f"{fac['health_centre']} health centres); {len(d.candidates)} candidate sites in `candidates.geojson` (cost "
        f"in 万元); {f.cells:,} elder-density points at the centres of 100 m cells in `population.gpkg` (layer "
        "`elder_density`, summing exactly to the community totals); and an OpenStreetMap XML street network in "
        f"`streets.osm` ({f.osm_nodes:,} nodes, {f.osm_ways:,} ways) with arterials, local streets, footways "
        "and steps, gated compounds reached only through their gates (`barrier=gate`; one compound is "
        "`access=private`), the river 青溪河 crossed by 4 bridges, the railway crossed 3 times (an underpass, a level "
        "crossing and an overpass), the expressway 青白高速 with an interchange and a connector closed to pedestrians "
        "(`foot=no`), and coarse rural roads."
    )
    items = [
        (
            f"Street comprehensive elderly service centres: under 1000 m² in {len(small)} streets ("
            + "、".join(f"{s} {f.street_centre_floor_area_m2[s]:.0f} m²" for s in small)
            + f"); {'、'.join(f.streets_without_centre)} has none."
        ),
        (
            f"Day care: {len(gaps)} urban communities have no resident within a 15-minute walk (900 m) of a day-care "
            f"centre ({'、'.join(gaps)}); {f.day_care_share_within_900m * 100:.0f} % of the urban elderly live within "
            "900 m of one. The gaps lie in the old town east of 中山路 and north of the river, and in the new town "
            "east of 新城社区."
        ),
        (
            f"Rural mutual-aid points in {f.mutual_aid_villages} of {f.villages} villages "
            f"({f.mutual_aid_share * 100:.1f} %, below 85 %); none in {'、'.join(f.villages_without_mutual_aid)}."
        ),
        (
            f"Nursing-type beds: {f.nursing_beds:,} of {f.beds:,} beds ({f.nursing_share * 100:.1f} %, below "
            "60 % and below 55 %)."
        ),
        f"Beds: {f.beds_per_1000_elderly:.1f} per 1000 elderly (below 40).",
        (
            f"Land area is blank for {f.facilities_without_land_area} facilities (only floor area is given), so the "
            "land check must estimate it."
        ),
        "Land for elderly care below 0.1 m² per resident (blank land estimated as floor area / 0.8): "
        + "; ".join(f"{s} {v:.3f} m²" for s, v in low_land)
        + ".",
        "Co-building in the new communities (built = new; Jiangxi asks 20 m² per 100 households): "
        + "; ".join(f"{n} {h:,} households, {a:.0f} m² co-built (needs {r:.0f} m²)" for n, h, a, r in cob)
        + ".",
        "Two candidate sites lie close to the expressway or its connector (for the siting screen): "
        + "; ".join(f"{n} {m:.0f} m" for n, m in near)
        + ".",
    ]
    wrap = textwrap.TextWrapper(width=110, break_long_words=False, break_on_hyphens=False)
    body = "\n".join(wrap.fill(intro).splitlines())
    bullets = "\n".join(
        textwrap.fill(
            item,
            width=110,
            initial_indent="- ",
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        for item in items
    )
    return (
        f"# Demo study: 示范区 (SYNTHETIC DATA)\n\n{body}\n\nDeliberate shortfalls (the standards checks and "
        "later issues must find them; walking figures are computed\non the demo's own network at 1.0 m/s and "
        f"may differ slightly from the tool's):\n\n{bullets}\n"
    )


def _write_bytes(folder: Path, name: str, data: bytes) -> None:
    """Write one file of the demo atomically (:func:`geo.files.atomic_write`)."""
    atomic_write(folder / name, data)


def _write_frame(folder: Path, name: str, frame: gpd.GeoDataFrame, *, layer: str | None = None) -> None:
    """Write one layer of the demo atomically (:func:`geo.files.atomic_path`: temporary file, then rename)."""
    import pyogrio

    with atomic_path(folder / name) as tmp:
        if name.endswith(".geojson"):
            pyogrio.write_dataframe(
                frame,
                tmp,
                driver="GeoJSON",
                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "7", "WRITE_NAME": "NO"},
            )
        else:
            pyogrio.write_dataframe(frame, tmp, driver="GPKG", layer=layer)


def write_demo_study(
    out_dir: str | Path, *, overwrite: bool = False, progress: Progress | None = None
) -> Path:
    """Write the demo study folder (study.toml and its layers, all SYNTHETIC) and return the folder.

    Parameters
    ----------
    out_dir : the folder to write; created when missing.
    overwrite : write into a folder that is not empty, replacing the demo's own files (:data:`DEMO_FILES`);
        other files in it are left alone.
    progress : optional callback ``(fraction, message)``.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    StudyError
        When the folder is not empty and ``overwrite`` is False, when ``out_dir`` is a file, or when the files
        cannot be written.
    """
    folder = Path(out_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise StudyError(f"{folder} is a file, not a folder; give a new or empty folder for the demo study")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise StudyError(
            f"folder {folder} is not empty; give a new or empty folder for the demo study, or "
            "use --force (overwrite=True) to replace only the demo's own files in it"
        )
    report: Progress = progress if progress is not None else (lambda fraction, message: None)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        design = _design(report)
        report(0.75, "writing streets.osm")
        _write_bytes(folder, "streets.osm", _osm_xml(design.net).encode("utf-8"))
        report(0.85, "writing communities, facilities, candidates and population")
        com = design.communities.to_crs("EPSG:4326")
        com = com[
            [
                "name",
                "street",
                "population",
                "elderly",
                "elderly_80",
                "households",
                "kind",
                "built",
                "geometry",
            ]
        ]
        _write_frame(folder, "communities.geojson", com)
        _write_bytes(folder, "facilities.csv", _facilities_csv(design.facilities).encode("utf-8"))
        cand = design.candidates
        cand_frame = gpd.GeoDataFrame(
            {
                "name": cand.name.to_numpy(),
                "kinds": cand.kinds.to_numpy(),
                "floor_area_m2": cand.floor_area_m2.to_numpy(float),
                "land_area_m2": cand.land_area_m2.to_numpy(float),
                "beds": cand.beds.to_numpy(np.int64),
                "cost": cand.cost.to_numpy(float),
            },
            geometry=_lonlat_points(cand),
            crs="EPSG:4326",
        )
        _write_frame(folder, "candidates.geojson", cand_frame)
        cells = design.cells
        cell_frame = gpd.GeoDataFrame(
            {
                "id": [f"c{k:06d}" for k in range(1, len(cells) + 1)],
                "population": cells.population.to_numpy(np.int64),
                "elderly": cells.elderly.to_numpy(np.int64),
            },
            geometry=_lonlat_points(cells),
            crs="EPSG:4326",
        )
        _write_frame(folder, "population.gpkg", cell_frame, layer="elder_density")
        _write_bytes(folder, "study.toml", _STUDY_TOML.encode("utf-8"))
        _write_bytes(folder, "README.md", _readme(design).encode("utf-8"))
    except OSError as exc:
        raise StudyError(
            f"cannot write the demo study into {folder} ({exc.strerror or exc}); choose a folder "
            "you may write to"
        ) from None
    report(1.0, f"demo study written to {folder}")
    return folder

