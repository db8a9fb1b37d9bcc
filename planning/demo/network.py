"""The demo's street network: every way laid out, cut at barriers, noded, pruned and numbered as OSM nodes; and
walking distances on it for the README's figures.

The distances use the demo's own small Dijkstra (on its OSM ways, in metres), not :mod:`geo.travel`, whose rules
differ in details (two points on one segment walk straight to each other, parallel segments keep the shorter
instead of adding up, ties between equidistant segments break another way): with them one cell of the README's
day-care figure crosses the 900 m line, and the demo's files must not change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, Point, Polygon

from planning.demo.frame import (
    INTERCHANGE_X,
    URBAN_Y0,
    curve,
    lake_polygon,
    motorway_y,
    railway_coords,
    river_area,
    river_centreline,
    river_y,
)
from planning.demo.rural import rural_layout
from planning.demo.urban import Urban, urban_layout
from planning.demo.ways import (
    STREET_HIGHWAYS,
    Crossing,
    NodeRegistry,
    Way,
    apply_barriers,
    components,
    node_group,
    walkable,
    way_node_ids,
)

# barrier cut widths: a street that crosses a barrier without a designated crossing stops this far from it
_CUT_RIVER_M, _CUT_RAIL_M, _CUT_MOTORWAY_M, _CUT_LAKE_M = 5.0, 12.0, 15.0, 5.0


def _motorway_ways() -> tuple[list[Way], list[tuple[tuple[float, float], dict[str, str]]]]:
    """The expressway (one way, no shared nodes with streets), the interchange ramps and the connector."""
    xa, xb, xc = INTERCHANGE_X - 350.0, INTERCHANGE_X + 350.0, INTERCHANGE_X
    main = curve(motorway_y, 0.0, 8500.0, step_m=50.0, extra_x=(xa, xb))
    top = np.array([xc, float(motorway_y(xc)) + 70.0])
    ways = [
        Way(
            main,
            {"highway": "motorway", "name": "青白高速", "ref": "S88", "oneway": "no"},
            "motorway",
            cuttable=False,
        )
    ]
    tags: list[tuple[tuple[float, float], dict[str, str]]] = []
    for x, name in ((xa, "城南互通西匝道"), (xb, "城南互通东匝道")):
        start = np.array([x, float(motorway_y(x))])
        t = np.linspace(0.0, 1.0, 12)[:, None]
        ctrl = np.array([(x + xc) / 2, start[1] + 5.0])
        pts = (1 - t) ** 2 * start + 2 * t * (1 - t) * ctrl + t**2 * top
        ways.append(Way(pts, {"highway": "motorway_link", "name": name}, "motorway", cuttable=False))
        tags.append(
            ((float(start[0]), float(start[1])), {"highway": "motorway_junction", "name": "城南互通"})
        )
    ways.append(
        Way(
            np.array([top, [xc, URBAN_Y0]]),
            {"highway": "trunk", "name": "城南快速路", "foot": "no"},
            "surface",
            cuttable=False,
        )
    )
    return ways, tags


@dataclass(frozen=True)
class Network:
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


def _railway(
    river_line: LineString, river_area: Polygon, node_tags: list[tuple[tuple[float, float], dict[str, str]]]
) -> list[Way]:
    """The railway: a bridge over the river (青溪河铁路桥); each level crossing point becomes one of its vertices."""
    rail_coords = railway_coords()
    rail_line = LineString(rail_coords)
    level = [p for p, t in node_tags if t.get("railway") == "crossing"]
    rc = rail_coords.copy()
    for p in level:
        d = rail_line.project(Point(p))
        dd = np.r_[0.0, np.cumsum(np.hypot(*np.diff(rc, axis=0).T))]
        rc = np.insert(rc, int(np.searchsorted(dd, d)), p, axis=0)
    rail_way = Way(rc, {"railway": "rail", "name": "青白铁路", "gauge": "1435", "usage": "main"}, "other")
    rail_hit = rail_line.intersection(river_line)
    rail_parts = apply_barriers(
        [rail_way],
        {"river": river_area.buffer(_CUT_RIVER_M)},
        [
            Crossing(
                (rail_hit.x, rail_hit.y), "river", {"bridge": "yes", "layer": "1", "name": "青溪河铁路桥"}
            )
        ],
        [],
    )
    for w in rail_parts:
        w.group = "other"
    return rail_parts


def _check_no_grade_crossing(ways: list[Way], motor_ways: list[Way]) -> None:
    """No street crosses the expressway or its ramps except where they share a node (the connector's end)."""
    motor_union = shapely.union_all([LineString(w.coords) for w in motor_ways])
    for w in ways:
        line = LineString(w.coords)
        if w.layer == 0 and line.intersects(motor_union):
            hit = line.intersection(motor_union)
            ends = shapely.points([w.coords[0], w.coords[-1]])
            if not all(min(shapely.distance(p, ends)) < 0.05 for p in getattr(hit, "geoms", [hit])):
                raise AssertionError(f"demo street {w.tags} crosses the expressway at grade")


def _prune(ways: list[Way]) -> list[Way]:
    """The ways without the degenerate ones and without the fragments cut off by the barriers (components of
    fewer than 25 nodes; the expressway is not among them)."""
    reg = NodeRegistry()
    hw_ids = [way_node_ids(reg, w.coords) for w in ways]
    keep = [len(ids) >= 2 for ids in hw_ids]
    ways = [w for w, k in zip(ways, keep, strict=False) if k]
    hw_ids = [ids for ids, k in zip(hw_ids, keep, strict=False) if k]
    n_comp, labels = components(hw_ids, len(reg.xy))
    sizes = np.bincount(labels, minlength=n_comp)
    keep = [sizes[labels[ids[0] - 1]] >= 25 for ids in hw_ids]
    return [w for w, k in zip(ways, keep, strict=False) if k]


def _ring(poly: Polygon, step: float = 30.0) -> np.ndarray:
    """The exterior of ``poly`` with vertices at most ``step`` m apart, without the closing vertex."""
    return np.asarray(shapely.segmentize(poly.exterior, step).coords)[:-1]


def _area_ways(
    reg: NodeRegistry, river_area: Polygon, urban: Urban
) -> list[tuple[list[int], dict[str, str]]]:
    """The areas as closed ways: the river (centreline and water), the lake, the parks and the compounds."""
    out: list[tuple[list[int], dict[str, str]]] = [
        (
            way_node_ids(reg, np.asarray(LineString(curve(river_y, 0.0, 8500.0, step_m=40.0)).coords)),
            {"waterway": "river", "name": "青溪河"},
        )
    ]
    river_poly = (
        river_area if isinstance(river_area, Polygon) else max(river_area.geoms, key=lambda g: g.area)
    )
    out.append(
        (
            way_node_ids(reg, _ring(river_poly, 40.0), closed=True),
            {"natural": "water", "water": "river", "name": "青溪河"},
        )
    )
    out.append(
        (
            way_node_ids(reg, _ring(lake_polygon(), 30.0), closed=True),
            {"natural": "water", "water": "lake", "name": "东湖"},
        )
    )
    for poly, name in urban.parks:
        if isinstance(poly, Polygon) and not poly.is_empty:
            out.append((way_node_ids(reg, _ring(poly, 60.0), closed=True), {"leisure": "park", "name": name}))
    for poly, name, private in urban.compounds:
        if isinstance(poly, Polygon) and not poly.is_empty:
            tags = {"landuse": "residential", "residential": "gated", "name": name}
            if private:
                tags["access"] = "private"
            out.append((way_node_ids(reg, np.asarray(poly.exterior.coords)[:-1], closed=True), tags))
    return out


def _tags_by_node(
    node_xy: np.ndarray, node_tags: list[tuple[tuple[float, float], dict[str, str]]]
) -> dict[int, dict[str, str]]:
    """The tagged points (gates, junctions, level crossings) by the id of the OSM node within 5 cm of them."""
    tags_by_id: dict[int, dict[str, str]] = {}
    tree = shapely.STRtree(shapely.points(node_xy))
    for p, t in node_tags:
        hit = tree.query(Point(p), predicate="dwithin", distance=0.05)
        if len(hit):
            tags_by_id[int(hit[0]) + 1] = dict(t)
    return tags_by_id


def build_network(rng: np.random.Generator, village_polys: dict[str, Polygon]) -> Network:
    """Lay out every way, cut them at barriers, node them, prune stray fragments, and number the OSM nodes.

    Parameters
    ----------
    rng : the demo's random generator (drawn from by the urban, then the rural layout).
    village_polys : each village's polygon (:func:`~planning.demo.rural.village_cells`).

    Returns
    -------
    Network
        The street network in design metres, with the compounds, parks and hamlets laid out with it.
    """
    urban, urban_cross = urban_layout(rng)
    rural, rural_cross = rural_layout(rng, village_polys)
    motor, motor_tags = _motorway_ways()
    river_line = river_centreline()
    river = river_area()
    barriers = {
        "river": river.buffer(_CUT_RIVER_M),
        "rail": LineString(railway_coords()).buffer(_CUT_RAIL_M),
        "motorway": LineString(motor[0].coords).buffer(_CUT_MOTORWAY_M),
        "lake": lake_polygon().buffer(_CUT_LAKE_M),
    }
    node_tags = list(urban.node_tags) + motor_tags
    ways = apply_barriers(
        urban.ways + rural.ways + [w for w in motor if w.group == "surface"],
        barriers,
        urban_cross + rural_cross,
        node_tags,
    )
    motor_ways = [w for w in motor if w.group == "motorway"]
    rail_parts = _railway(river_line, river, node_tags)
    node_group(ways)
    node_group(motor_ways)
    _check_no_grade_crossing(ways, motor_ways)
    ways = _prune(ways)
    # number the nodes again (no gaps): streets, then the expressway, the railway and the areas
    reg = NodeRegistry()
    all_ways = [(way_node_ids(reg, w.coords), w.tags) for w in ways + motor_ways + rail_parts]
    all_ways += _area_ways(reg, river, urban)
    node_xy = np.array(reg.xy)
    walk_lines = tuple(
        LineString(w.coords)
        for w in ways
        if walkable(w.tags)
        and "bridge" not in w.tags
        and "tunnel" not in w.tags
        and w.tags["highway"] in STREET_HIGHWAYS
    )
    return Network(
        node_xy=node_xy,
        node_tags=_tags_by_node(node_xy, node_tags),
        ways=tuple((tuple(ids), tags) for ids, tags in all_ways if len(ids) >= 2),
        walk_lines=walk_lines,
        compounds=tuple(urban.compounds),
        parks=tuple(urban.parks),
        compound_cells=tuple(urban.compound_cells),
        unbuilt=tuple(urban.unbuilt),
        hamlets=tuple(rural.hamlets),
    )


def walk_distance_m(net: Network, sources: np.ndarray, targets: np.ndarray, *, limit_m: float) -> np.ndarray:
    """Network distance from the nearest source to each target over the walkable ways.

    Each point joins its nearest walkable segment by a straight leg, which counts. Parallel arcs between two
    nodes add up (scipy sums duplicate entries) and every arc carries 1e-9 m more: the README's figures were
    computed so.

    Parameters
    ----------
    net : the street network.
    sources, targets : (k, 2) design metres.
    limit_m : the search stops about 2 km beyond this; farther nodes are inf.

    Returns
    -------
    numpy.ndarray
        Metres per target (inf where unreached).
    """

    u_list, v_list = [], []
    for ids, tags in net.ways:
        if "highway" in tags and walkable(tags):
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
