"""Ways while the demo network is built: polylines with tags in design metres, cut where they cross a barrier
(except at designated crossings), noded where they cross or touch, and numbered as OSM nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import substring

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
STREET_HIGHWAYS = (
    "primary",
    "secondary",
    "tertiary",
    "residential",
    "unclassified",
    "pedestrian",
    "living_street",
)


@dataclass
class Way:
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
class Crossing:
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


def apply_barriers(
    ways: list[Way],
    barriers: dict[str, Polygon],
    crossings: list[Crossing],
    node_tags: list[tuple[tuple[float, float], dict[str, str]]],
) -> list[Way]:
    """Cut every cuttable way where it crosses a barrier, except at designated crossings.

    Parameters
    ----------
    ways : the ways to cut.
    barriers : barrier name -> area to cut out (pieces shorter than 8 m are dropped).
    crossings : the designated crossings: the part of a way inside the barrier's span there becomes a bridge or
        tunnel, or stays a street with a tagged node (level crossing).
    node_tags : the tagged points; the level crossings' points are appended to it.

    Returns
    -------
    list of Way
        The pieces, none cuttable any more.
    """
    cut_all = shapely.union_all(list(barriers.values()))
    shapely.prepare(cut_all)
    span = {name: poly.buffer(10.0) for name, poly in barriers.items()}
    out: list[Way] = []
    for way in ways:
        if not way.cuttable:
            out.append(way)
            continue
        line = LineString(way.coords)
        free: list[LineString] = [line]
        kept: list[Way] = []
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
                    kept.append(Way(mc, dict(way.tags), way.group, cuttable=False))
                    node_tags.append((cr.point, cr.node_tags))
                else:
                    kept.append(
                        Way(np.asarray(middle.coords), {**way.tags, **cr.tags}, way.group, cuttable=False)
                    )
                free = free[:k] + [g for g in (before, after) if g is not None] + free[k + 1 :]
                break
        for piece in free:
            rest = piece.difference(cut_all) if shapely.intersects(cut_all, piece) else piece
            for g in getattr(rest, "geoms", [rest]):
                if isinstance(g, LineString) and g.length >= 8.0:
                    kept.append(Way(np.asarray(g.coords), dict(way.tags), way.group, cuttable=False))
        out.extend(kept)
    return out


def node_group(ways: list[Way], *, snap_m: float = 0.5) -> None:
    """Insert, in place, a vertex wherever two ways of the group cross (same layer) and wherever a way's end
    touches another way, so that the OSM nodes are shared there.

    Parameters
    ----------
    ways : the group (changed in place).
    snap_m : a way's end this close to another way touches it.

    Raises
    ------
    AssertionError
        When two ways of the group overlap (the layout is wrong).
    """
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


class NodeRegistry:
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


def way_node_ids(reg: NodeRegistry, coords: np.ndarray, *, closed: bool = False) -> list[int]:
    """The OSM node ids of a way's vertices, repeated neighbours merged.

    Parameters
    ----------
    reg : the node registry (new nodes are added to it).
    coords : (n, 2) design metres.
    closed : close the ring (last id = first id) for an area.
    """
    ids: list[int] = []
    for x, y in coords:
        nid = reg.get(x, y)
        if not ids or ids[-1] != nid:
            ids.append(nid)
    if closed and len(ids) > 2 and ids[0] != ids[-1]:
        ids.append(ids[0])
    return ids


def walkable(tags: dict[str, str]) -> bool:
    """Whether a pedestrian may use the way (the loader's rule: walkable highway, not foot=no, not private).

    Parameters
    ----------
    tags : the way's OSM tags.
    """
    return (
        tags.get("highway") in _WALK_HIGHWAYS
        and tags.get("foot") != "no"
        and tags.get("access") not in ("private", "no")
    )


def components(node_lists: list[list[int]], n_nodes: int) -> tuple[int, np.ndarray]:
    """Connected components of the graph formed by the node lists.

    Parameters
    ----------
    node_lists : the OSM node ids (from 1) of each way.
    n_nodes : how many nodes there are.

    Returns
    -------
    tuple
        The number of components and the component of each node (index = id - 1).
    """
    u = np.concatenate([np.asarray(ids[:-1]) for ids in node_lists if len(ids) > 1] or [np.zeros(0, int)]) - 1
    v = np.concatenate([np.asarray(ids[1:]) for ids in node_lists if len(ids) > 1] or [np.zeros(0, int)]) - 1
    g = coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    return connected_components(g, directed=False)
