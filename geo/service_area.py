"""Service circles: the land within a walk of a facility, built from the streets actually reachable in time.

A service circle is never a convex hull of reached nodes (that would jump rivers, railways and walls). It is the
reachable part of the walking network, cut exactly where the time runs out, widened by ``buffer_m`` on each side:
the band of land along a reached street whose front doors and yards open onto it.

How the reachable network is found
----------------------------------
Along one segment of length L every reaching "cone" gives a time that grows at the segment's rate r (seconds per
metre; steps keep their factor): from end u, ``d_u + p * r``; from end v, ``d_v + (L - p) * r``; from a facility
placed on the segment at ``a``, ``offset_time + |p - a| * r``. Since all cones on a segment share one slope, their
lower envelope splits the segment into consecutive intervals, one per cone, at the equal-time points. Clipping each
interval to its cone's reach ``(limit - time) / r`` gives the reached pieces for any band, and the owner of each piece
(for ``mode="nearest"``) without any further search. Everything is vectorised over all segments at once.

How lines become polygons
-------------------------
Buffering a heavily overlapping set of street segments in one GEOS call is slow (seconds for a few thousand
segments on a dense grid), and so is a union of per-segment buffers. The buffer is therefore built from the blocks
the reached streets enclose: the lines are polygonised into faces (blocks); the union of the blocks (a coverage
union, cheap) buffered outwards by ``buffer_m`` covers every point within ``buffer_m`` of a block's edge from
outside and every point inside a block, minus each block's core (the block shrunk by ``buffer_m``), which is what
lies farther than ``buffer_m`` from its streets. Streets that bound no block (dead ends, bridges between blocks,
partly reached segments) are buffered separately and added. The result equals the buffer of the lines (up to
the arc approximation of GEOS buffers) at a fraction of the cost.

Nearest-facility areas
----------------------
``mode="nearest"`` first splits the reached lines between facilities (each piece goes to the facility reaching it
first; a segment reached from both ends is split at the equal-time point). Each facility then gets the buffer of its
own pieces. Those buffers overlap wherever two facilities' streets come within ``2 * buffer_m`` of each other, so
the overlaps are shared out by a Voronoi diagram of points placed every ``buffer_m / 5`` along the involved
facilities' lines, each point labelled with its piece's facility: a facility keeps the part of its buffer inside its
Voronoi region, i.e. the land whose nearest reached street (straight line) is its own. The parts are disjoint by
construction, each lies within its own facility's buffer, and together they equal the dissolved area up to
slivers narrower than half the point spacing (10 m at the default buffer) along the outer rim where two
facilities' areas meet.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import OptionError
from geo.network import WalkNetwork
from geo.travel import (
    DEFAULT_MAX_DISTANCE_M,
    Snap,
    _access_times,
    _check_limit,
    _derived,
    _segmented_prefix_argmin,
    node_times_from_sources,
    node_times_per_source,
    snap_points,
)

#: Half the width of the band of land along a reached street counted as served (metres): the building fronts,
#: yards and gates that open onto the street. 50 m covers a typical Chinese residential block frontage and the walk
#: from a compound gate to the nearest building entrance.
SERVICE_AREA_BUFFER_M = 50.0

#: How service areas can be split between facilities.
MODES = ("dissolved", "per_facility", "nearest")

#: Voronoi points for ``mode="nearest"`` are placed every ``buffer_m / _VORONOI_POINTS_PER_BUFFER`` along the lines.
_VORONOI_POINTS_PER_BUFFER = 5.0

#: Per-facility Dijkstra runs in batches holding at most this many node times (8 bytes each) at once.
_BATCH_CELLS = 8_000_000


# --- checks -------------------------------------------------------------------------------------------------------

def _check_minutes(minutes) -> tuple[float, ...]:
    try:
        bands = tuple(float(m) for m in np.atleast_1d(np.asarray(minutes, dtype=float)))
    except (TypeError, ValueError):
        raise OptionError(f"minutes {minutes!r} are not numbers; give increasing minutes such as 5,10,15") from None
    if not bands or any(not (m > 0 and np.isfinite(m)) for m in bands) or any(
            b <= a for a, b in itertools.pairwise(bands)):
        raise OptionError(f"minutes {minutes!r} must be positive and strictly increasing; give e.g. 5,10,15")
    return bands


def _band_label(m: float) -> int | float:
    return int(m) if float(m).is_integer() else float(m)


# --- per-network helpers ------------------------------------------------------------------------------------------

def _rate(net: WalkNetwork) -> np.ndarray:
    """Seconds per metre along each segment."""
    d = _derived(net)
    if "rate" not in d:
        d["rate"] = np.asarray(net.edge_time_s, dtype=float) / np.asarray(net.edge_length_m, dtype=float)
    return d["rate"]


def _incidence(net: WalkNetwork) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, edge ids) of the segments meeting at each node."""
    d = _derived(net)
    if "incidence" not in d:
        ends = np.concatenate([net.edge_u, net.edge_v])
        edges = np.concatenate([np.arange(net.n_edges), np.arange(net.n_edges)])
        keep = np.ones(ends.size, dtype=bool)
        keep[net.n_edges:] = net.edge_v != net.edge_u  # a loop meets its node once
        ends, edges = ends[keep], edges[keep]
        order = np.argsort(ends, kind="stable")
        indptr = np.zeros(net.n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(ends, minlength=net.n_nodes), out=indptr[1:])
        d["incidence"] = (indptr, edges[order])
    return d["incidence"]


def _vertices(net: WalkNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All segment vertices, the offset of each segment's first vertex, and each vertex's distance along its
    segment."""
    d = _derived(net)
    if "vertices" not in d:
        xy, idx = shapely.get_coordinates(net.edge_geometry, return_index=True)
        first = np.zeros(net.n_edges + 1, dtype=np.int64)
        np.cumsum(np.bincount(idx, minlength=net.n_edges), out=first[1:])
        step = np.zeros(len(xy))
        step[1:] = np.hypot(*(xy[1:] - xy[:-1]).T)
        step[first[:-1]] = 0.0
        cum = np.cumsum(step)
        cum -= cum[first[:-1]][idx]
        d["vertices"] = (xy, first, cum)
    return d["vertices"]


def _crossing(net: WalkNetwork) -> np.ndarray:
    """True for segments that meet another segment other than end to end at shared nodes (bridges, tunnels,
    overlaps, T-junctions without a node). Their pieces are noded before polygonising."""
    d = _derived(net)
    if "crossing" not in d:
        g = net.edge_geometry
        tree = shapely.STRtree(g, node_capacity=4)
        i, j = tree.query(g)
        keep = i < j
        i, j = i[keep], j[keep]
        ui, vi, uj, vj = net.edge_u[i], net.edge_v[i], net.edge_u[j], net.edge_v[j]
        shared = (ui == uj) | (ui == vj) | (vi == uj) | (vi == vj)
        flag = np.zeros(net.n_edges, dtype=bool)
        # segments without a common node must not touch at all
        far = ~shared
        hit = shapely.intersects(g[i[far]], g[j[far]])
        flag[i[far][hit]] = True
        flag[j[far][hit]] = True
        # segments sharing a node may meet only at their ends: interiors must stay apart
        near_i, near_j = i[shared], j[shared]
        ncoord = shapely.get_num_coordinates(g)
        straight = (ncoord[near_i] == 2) & (ncoord[near_j] == 2) & (net.edge_u[near_i] != net.edge_v[near_i]) & (
            net.edge_u[near_j] != net.edge_v[near_j])
        # two straight segments from a common node overlap only when they leave it in the same direction
        same_pair = ((net.edge_u[near_i] == net.edge_u[near_j]) & (net.edge_v[near_i] == net.edge_v[near_j])) | (
            (net.edge_u[near_i] == net.edge_v[near_j]) & (net.edge_v[near_i] == net.edge_u[near_j]))
        xy = net.node_xy
        si, sj = np.flatnonzero(straight & ~same_pair), np.flatnonzero(straight & same_pair)
        a, b = near_i[si], near_j[si]
        common = np.where((net.edge_u[a] == net.edge_u[b]) | (net.edge_u[a] == net.edge_v[b]), net.edge_u[a],
                          net.edge_v[a])
        oa = np.where(net.edge_u[a] == common, net.edge_v[a], net.edge_u[a])
        ob = np.where(net.edge_u[b] == common, net.edge_v[b], net.edge_u[b])
        da, db = xy[oa] - xy[common], xy[ob] - xy[common]
        cross = da[:, 0] * db[:, 1] - da[:, 1] * db[:, 0]
        dot = (da * db).sum(axis=1)
        scale = np.hypot(*da.T) * np.hypot(*db.T)
        overlap = (np.abs(cross) <= 1e-9 * scale) & (dot > 0)
        flag[a[overlap]] = True
        flag[b[overlap]] = True
        # two straight segments between the same two nodes are the same line
        flag[near_i[sj]] = True
        flag[near_j[sj]] = True
        bent = np.flatnonzero(~straight)
        if bent.size:
            meet = shapely.relate_pattern(g[near_i[bent]], g[near_j[bent]], "T********")
            flag[near_i[bent][meet]] = True
            flag[near_j[bent][meet]] = True
        d["crossing"] = flag
    return d["crossing"]


# --- the lower envelope of reaching cones on each segment ----------------------------------------------------------

def _envelope(net: WalkNetwork, group_edge: np.ndarray, group: np.ndarray, apex: np.ndarray, time: np.ndarray,
              owner: np.ndarray) -> dict[str, np.ndarray]:
    """Split each group's segment between the cones reaching it first.

    A group is one segment seen from one set of sources (one segment, or one segment for one facility). Returns the
    surviving cones sorted by group and apex with their interval ``[lo, hi]`` along the segment.
    """
    order = np.lexsort((time, apex, group))
    g, a, t, o = group[order], apex[order], time[order], owner[order]
    e = group_edge[g]
    r = _rate(net)[e]
    size = g.size
    dominated = np.zeros(size, dtype=bool)
    if size:
        # cones at or before this apex (earlier in the order) reach it no later -> dominated (ties: the first wins)
        vl = t - a * r
        best = _segmented_prefix_argmin(g, vl)
        prev = np.full(size, -1, dtype=np.int64)
        same_prev = np.zeros(size, dtype=bool)
        same_prev[1:] = g[1:] == g[:-1]
        prev[1:] = best[:-1]
        prev[~same_prev] = -1
        has = prev >= 0
        dominated[has] = vl[prev[has]] + a[has] * r[has] <= t[has]
        # cones after it reaching it strictly sooner
        vr = t + a * r
        best_rev = _segmented_prefix_argmin(g[::-1], vr[::-1])
        best_r = np.where(best_rev >= 0, size - 1 - best_rev, -1)[::-1]
        nxt = np.full(size, -1, dtype=np.int64)
        same_next = np.zeros(size, dtype=bool)
        same_next[:-1] = g[:-1] == g[1:]
        nxt[:-1] = best_r[1:]
        nxt[~same_next] = -1
        has = nxt >= 0
        dominated[has] |= vr[nxt[has]] - a[has] * r[has] < t[has]
    keep = ~dominated
    g, a, t, o, e, r = g[keep], a[keep], t[keep], o[keep], e[keep], r[keep]
    length = net.edge_length_m[e]
    lo = np.zeros(g.size)
    hi = length.copy()
    if g.size > 1:
        pair = g[1:] == g[:-1]
        cut = (t[1:] - t[:-1]) / (2.0 * r[1:]) + (a[1:] + a[:-1]) / 2.0
        cut = np.clip(cut, 0.0, length[1:])
        hi[:-1][pair] = cut[pair]
        lo[1:][pair] = cut[pair]
    return {"group": g, "edge": e, "apex": a, "time": t, "owner": o, "lo": lo, "hi": hi, "rate": r,
            "length": length}


def _band_pieces(env: dict[str, np.ndarray], limit_s: float, *, by_owner: bool) -> dict[str, np.ndarray]:
    """The pieces of each interval reached within ``limit_s``, contiguous pieces of one group merged."""
    reach = (limit_s - env["time"]) / env["rate"]
    start = np.maximum(np.maximum(env["lo"], env["apex"] - reach), 0.0)
    end = np.minimum(np.minimum(env["hi"], env["apex"] + reach), env["length"])
    ok = (env["time"] <= limit_s) & (end > start)
    g, e, o, s, t = env["group"][ok], env["edge"][ok], env["owner"][ok], start[ok], end[ok]
    if g.size:
        run = np.ones(g.size, dtype=bool)
        run[1:] = (g[1:] != g[:-1]) | (s[1:] != t[:-1])
        if by_owner:
            run[1:] |= o[1:] != o[:-1]
        first = np.flatnonzero(run)
        last = np.append(first[1:], g.size) - 1
        g, e, o, s, t = g[first], e[first], o[first], s[first], t[last]
    return {"group": g, "edge": e, "owner": o, "start": s, "end": t}


def _cut(net: WalkNetwork, edge: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """LineStrings of segment ``edge`` from ``start`` to ``end`` metres along it (vectorised substring)."""
    out = np.empty(edge.size, dtype=object)
    if edge.size == 0:
        return out
    whole = (start <= 0.0) & (end >= net.edge_length_m[edge])
    out[whole] = net.edge_geometry[edge[whole]]
    part = np.flatnonzero(~whole)
    if part.size:
        xy, first, cum = _vertices(net)
        e, s, t = edge[part], start[part], end[part]
        geoms = net.edge_geometry[e]
        p0 = shapely.get_coordinates(shapely.line_interpolate_point(geoms, s))
        p1 = shapely.get_coordinates(shapely.line_interpolate_point(geoms, t))
        nv = first[e + 1] - first[e]
        rep = np.repeat(np.arange(part.size), nv)
        vid = first[e][rep] + (np.arange(rep.size) - np.repeat(np.cumsum(nv) - nv, nv))
        inner = (cum[vid] > s[rep] + 1e-9) & (cum[vid] < t[rep] - 1e-9)
        ids = np.concatenate([np.arange(part.size), rep[inner], np.arange(part.size)])
        key = np.concatenate([np.full(part.size, -1.0), cum[vid[inner]], np.full(part.size, np.inf)])
        coords = np.vstack([p0, xy[vid[inner]], p1])
        order = np.lexsort((key, ids))
        out[part] = shapely.linestrings(coords[order], indices=ids[order])
    return out


# --- cones from node times and sources ----------------------------------------------------------------------------

def _source_cones(net: WalkNetwork, snap: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(source index, edge, apex along, time) of every placed source."""
    placed, off_t, _, _ = _access_times(net, snap)
    return placed, snap.edge[placed], snap.along_m[placed], off_t


def _network_envelope(net: WalkNetwork, node_time: np.ndarray, node_owner: np.ndarray, limit_s: float,
                      snap: Snap | None) -> dict[str, np.ndarray]:
    """Envelope over every segment touched by a node reached within ``limit_s`` or holding a source."""
    reached = np.flatnonzero(node_time <= limit_s)
    indptr, inc = _incidence(net)
    deg = indptr[reached + 1] - indptr[reached]
    rep = np.repeat(np.arange(reached.size), deg)
    pos = indptr[reached][rep] + (np.arange(rep.size) - np.repeat(np.cumsum(deg) - deg, deg))
    edges = inc[pos]
    if snap is not None:
        src, s_edge, s_apex, s_time = _source_cones(net, snap)
        edges = np.concatenate([edges, s_edge])
    edges = np.unique(edges)
    u, v = net.edge_u[edges], net.edge_v[edges]
    tu, tv = node_time[u], node_time[v]
    gu, gv = np.flatnonzero(tu <= limit_s), np.flatnonzero(tv <= limit_s)
    group = [gu, gv]
    apex = [np.zeros(gu.size), net.edge_length_m[edges[gv]]]
    time = [tu[gu], tv[gv]]
    owner = [node_owner[u[gu]], node_owner[v[gv]]]
    if snap is not None:
        group.append(np.searchsorted(edges, s_edge))
        apex.append(s_apex)
        time.append(s_time)
        owner.append(src)
    return _envelope(net, edges, np.concatenate(group), np.concatenate(apex), np.concatenate(time),
                     np.concatenate(owner).astype(np.int64))


def reached_lines(net: WalkNetwork, node_time_s: np.ndarray, *, limit_s: float,
                  source_snap: Snap | None = None) -> np.ndarray:
    """The street lines walkable within ``limit_s``: whole segments and the reached parts of partly reached ones.

    Parameters
    ----------
    net : the walking network.
    node_time_s : (n_nodes,) seconds to each node, as from :func:`geo.travel.node_times_from_sources`.
    limit_s : the time budget in seconds.
    source_snap : the sources those times came from. Give it so that the stretch of a source's own segment
        walked straight from the source is included (otherwise only what is reached through end nodes is).

    Returns
    -------
    (k,) array of LineStrings in the network's CRS, each running in its segment's u -> v direction; pieces of one
    segment never overlap, so their total length is the reached street length.
    """
    limit = _check_limit(limit_s)
    node_time = np.asarray(node_time_s, dtype=float)
    env = _network_envelope(net, node_time, np.zeros(net.n_nodes, dtype=np.int64), limit, source_snap)
    pieces = _band_pieces(env, limit, by_owner=False)
    return _cut(net, pieces["edge"], pieces["start"], pieces["end"])


# --- lines to polygons --------------------------------------------------------------------------------------------

def _buffer_lines(lines: np.ndarray, crossing: np.ndarray, buffer_m: float) -> shapely.Geometry:
    """The buffer of a set of lines, built from the blocks they enclose (see the module notes).

    ``crossing`` flags lines that may meet others away from their ends; only those are noded.
    """
    if lines.size == 0:
        return shapely.Polygon()
    if crossing.any():
        noded = shapely.get_parts(shapely.union_all(lines[crossing]))
        lines = np.concatenate([lines[~crossing], noded])
    faces, cuts, dangles, invalid = shapely.polygonize_full(lines)
    faces = shapely.get_parts(faces)
    rest = np.concatenate([shapely.get_parts(cuts), shapely.get_parts(dangles), shapely.get_parts(invalid)])
    if rest.size:
        rest = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(rest)))
    parts = []
    if faces.size:
        blocks = shapely.coverage_union_all(faces)
        area = shapely.buffer(blocks, buffer_m)
        cores = shapely.buffer(faces, -buffer_m)
        cores = shapely.get_parts(cores[~shapely.is_empty(cores)])
        core = shapely.multipolygons(cores) if cores.size else None
        if core is not None:
            area = shapely.difference(area, core)
        if rest.size:
            # a dead end inside the blocks is already covered, unless it runs within buffer_m of a block's core
            shapely.prepare(blocks)
            covered = shapely.covered_by(rest, blocks)
            if core is not None:
                shapely.prepare(core)
                covered &= ~shapely.dwithin(rest, core, buffer_m)
            rest = rest[~covered]
        parts.append(area)
    if rest.size:
        # one union of everything is quicker than a union of the street buffers followed by a second union
        return shapely.union_all(np.concatenate([np.array(parts, dtype=object), shapely.buffer(rest, buffer_m)]))
    return parts[0] if parts else shapely.Polygon()


def _split_nearest(lines: np.ndarray, owner: np.ndarray, crossing: np.ndarray, owners: np.ndarray,
                   buffer_m: float) -> np.ndarray:
    """Each owner's area, the overlaps between owners given to whichever owner's street is nearest.

    Every owner first gets the buffer of its own pieces. Where buffers of different owners overlap, a Voronoi
    diagram of points placed every ``buffer_m / 5`` along the involved owners' lines decides: each owner keeps the
    part of its buffer inside its Voronoi region. Regions are disjoint, so the parts are too.
    """
    out = np.empty(owners.size, dtype=object)
    out[:] = shapely.Polygon()
    if lines.size == 0:
        return out
    order = np.argsort(owner, kind="stable")
    lines, owner, crossing = lines[order], owner[order], crossing[order]
    present, first = np.unique(owner, return_index=True)
    stop = np.append(first[1:], owner.size)
    own = np.array([_buffer_lines(lines[a:b], crossing[a:b], buffer_m) for a, b in zip(first, stop)], dtype=object)
    slot = np.searchsorted(owners, present)
    out[slot] = own
    if present.size < 2:
        return out
    i, j = shapely.STRtree(own).query(own, predicate="intersects")
    pair = i < j
    i, j = i[pair], j[pair]
    touching = ~shapely.touches(own[i], own[j])
    involved = np.unique(np.concatenate([i[touching], j[touching]]))
    if involved.size < 2:
        return out
    pick = np.isin(owner, present[involved])
    dense = shapely.segmentize(lines[pick], buffer_m / _VORONOI_POINTS_PER_BUFFER)
    xy, idx = shapely.get_coordinates(dense, return_index=True)
    xy, keep = np.unique(xy, axis=0, return_index=True)
    point_owner = owner[pick][idx[keep]]
    # points on straight streets are collinear and cocircular by the thousand, which makes Voronoi diagrams
    # degenerate; a fixed millimetre jitter (seeded, so results repeat) keeps the diagram clean
    xy = xy + np.random.default_rng(0).uniform(-1e-3, 1e-3, size=xy.shape)
    x0, y0, x1, y1 = shapely.total_bounds(own[involved])
    frame = shapely.box(x0 - buffer_m, y0 - buffer_m, x1 + buffer_m, y1 + buffer_m)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True))
    by = np.argsort(point_owner, kind="stable")
    who, at = np.unique(point_owner[by], return_index=True)
    to = np.append(at[1:], by.size)
    regions = np.array([_dissolve_cells(cells[by[a:b]]) for a, b in zip(at, to)], dtype=object)
    k = np.searchsorted(present, who)
    out[slot[k]] = _polygonal(shapely.intersection(own[k], regions))
    return out


def _minus_any(geoms: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Each geometry minus every one of ``others`` that intersects it."""
    out = geoms.copy()
    gi, oi = shapely.STRtree(others).query(geoms, predicate="intersects")
    order = np.argsort(gi, kind="stable")
    gi, oi = gi[order], oi[order]
    rows, at = np.unique(gi, return_index=True)
    for k, a, b in zip(rows, at, np.append(at[1:], gi.size)):
        out[k] = shapely.difference(geoms[k], shapely.union_all(others[oi[a:b]]))
    return out


def _dissolve_cells(cells: np.ndarray) -> shapely.Geometry:
    """Union of Voronoi cells (a coverage: the quick coverage union, or a full union if GEOS finds it unnoded)."""
    try:
        return shapely.coverage_union_all(cells)
    except shapely.errors.GEOSException:
        return shapely.union_all(cells)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of overlay results (drop slivers collapsed to lines or points); empty -> Polygon()."""
    geoms = np.asarray(geoms, dtype=object)
    shape = geoms.shape
    flat = geoms.reshape(-1).copy()
    kind = shapely.get_type_id(flat)
    mixed = np.flatnonzero(kind == 7)  # GeometryCollection
    for i in mixed:
        parts = shapely.get_parts(flat[i])
        parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        flat[i] = shapely.union_all(parts) if parts.size else shapely.Polygon()
    empty = shapely.is_missing(flat) | shapely.is_empty(flat)
    flat[empty] = shapely.Polygon()
    return flat.reshape(shape)


# --- the public entry point ---------------------------------------------------------------------------------------

def service_areas(net: WalkNetwork, facility_xy: np.ndarray, *, minutes=(5, 10, 15), mode: str = "dissolved",
                  rings: bool = False, buffer_m: float = SERVICE_AREA_BUFFER_M,
                  max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
                  progress: Callable[[float, str], None] | None = None) -> gpd.GeoDataFrame:
    """Service-circle polygons of facilities for walking-time bands.

    Parameters
    ----------
    net : the walking network (its speed is the walking speed used).
    facility_xy : (F, 2) facility coordinates in the network's CRS.
    minutes : the bands, increasing (default 5, 10, 15 minutes).
    mode : ``"dissolved"`` one area per band for all facilities together; ``"per_facility"`` one area per facility
        and band (areas of neighbouring facilities overlap); ``"nearest"`` one area per facility and band, split so
        that every part belongs to the facility reaching its streets first (areas do not overlap).
    rings : when True each band's area excludes the previous band's (5-10 minutes without the 0-5 area).
    buffer_m : half the width of the served band along each reached street (metres).
    max_distance_m : facilities farther than this from every street reach nothing (their areas are empty).
    progress : optional callback ``(fraction, message)``.

    Returns
    -------
    GeoDataFrame with columns ``band_min``, ``band_from_min`` (0, or the previous band when ``rings``),
    ``facility`` (index into ``facility_xy``; -1 for dissolved areas) and ``geometry`` (Polygon or MultiPolygon,
    empty where nothing is reached), in ``net.crs``. Per-facility and nearest modes give one row per facility and
    band, facility-major.
    """
    bands = _check_minutes(minutes)
    if mode not in MODES:
        raise OptionError(f"service area mode {mode!r} is unknown; use one of {', '.join(MODES)}")
    try:
        buffer_m = float(buffer_m)
    except (TypeError, ValueError):
        raise OptionError(f"buffer_m {buffer_m!r} is not a number; give metres such as 50") from None
    if not (buffer_m > 0 and np.isfinite(buffer_m)):
        raise OptionError(f"buffer_m {buffer_m!r} must be a positive number of metres, such as 50")
    step = progress or (lambda fraction, message: None)
    step(0.0, "placing facilities on the network")
    xy = np.asarray(facility_xy, dtype=float).reshape(-1, 2)
    n_fac = xy.shape[0]
    snap = snap_points(net, xy, max_distance_m=max_distance_m)
    limits = [60.0 * m for m in bands]
    crossing = _crossing(net)

    if mode == "per_facility":
        areas = _per_facility(net, snap, limits, buffer_m, crossing, step)  # (F, B)
        facility = np.repeat(np.arange(n_fac), len(bands))
    else:
        step(0.05, "walking times from all facilities")
        node_t, node_s = node_times_from_sources(net, snap, limit_s=limits[-1])
        env = _network_envelope(net, node_t, node_s, limits[-1], snap)
        if mode == "dissolved":
            areas = np.empty((1, len(bands)), dtype=object)
            for b, limit in enumerate(limits):
                step(0.1 + 0.85 * b / len(bands), f"{_band_label(bands[b])}-minute area")
                pieces = _band_pieces(env, limit, by_owner=False)
                lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
                areas[0, b] = _buffer_lines(lines, crossing[pieces["edge"]], buffer_m)
            facility = np.full(len(bands), -1)
        else:
            areas = np.empty((n_fac, len(bands)), dtype=object)
            owners = np.arange(n_fac)
            for b, limit in enumerate(limits):
                step(0.1 + 0.85 * b / len(bands), f"{_band_label(bands[b])}-minute areas by nearest facility")
                pieces = _band_pieces(env, limit, by_owner=True)
                lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
                areas[:, b] = _split_nearest(lines, pieces["owner"], crossing[pieces["edge"]], owners, buffer_m)
            facility = np.repeat(np.arange(n_fac), len(bands))
    if rings and len(bands) > 1:
        inner, outer = areas[:, :-1], areas[:, 1:]
        if mode == "nearest":
            # a facility's ring loses the previous band of every facility near it, so no two rings overlap
            outer = np.column_stack([_minus_any(outer[:, b], inner[:, b]) for b in range(outer.shape[1])])
        else:
            outer = shapely.difference(outer, inner)
        areas = np.concatenate([areas[:, :1], _polygonal(outer)], axis=1)
    step(1.0, "service areas done")
    band_min = np.tile([_band_label(m) for m in bands], areas.shape[0])
    band_from = np.tile([0] + ([_band_label(m) for m in bands[:-1]] if rings else [0] * (len(bands) - 1)),
                        areas.shape[0])
    geoms = _polygonal(areas.reshape(-1))
    return gpd.GeoDataFrame({"band_min": band_min, "band_from_min": band_from, "facility": facility,
                             "geometry": geoms}, geometry="geometry", crs=net.crs)


def _per_facility(net: WalkNetwork, snap: Snap, limits: list[float], buffer_m: float, crossing: np.ndarray,
                  step: Callable[[float, str], None]) -> np.ndarray:
    """(F, bands) areas, one Dijkstra per facility run in batches."""
    n_fac, n_band = len(snap), len(limits)
    areas = np.empty((n_fac, n_band), dtype=object)
    areas[:] = shapely.Polygon()
    todo = np.flatnonzero(~snap.far)
    batch = max(1, min(256, _BATCH_CELLS // max(net.n_nodes, 1)))
    m = np.int64(net.n_edges)
    indptr, inc = _incidence(net)
    src_all, s_edge_all, s_apex_all, s_time_all = _source_cones(net, snap)
    src_pos = np.full(n_fac, -1, dtype=np.int64)
    src_pos[src_all] = np.arange(src_all.size)
    for k0 in range(0, todo.size, batch):
        step(0.02 + 0.96 * k0 / max(todo.size, 1), f"service areas of facilities {k0 + 1}-"
             f"{min(k0 + batch, todo.size)} of {todo.size}")
        rows = todo[k0:k0 + batch]
        times = node_times_per_source(net, snap, limit_s=limits[-1], sources=rows)  # (b, n)
        r_idx, nodes = np.nonzero(times <= limits[-1])
        deg = indptr[nodes + 1] - indptr[nodes]
        rep = np.repeat(np.arange(nodes.size), deg)
        pos = indptr[nodes][rep] + (np.arange(rep.size) - np.repeat(np.cumsum(deg) - deg, deg))
        sp = src_pos[rows]
        keys = np.unique(np.concatenate([r_idx[rep] * m + inc[pos], np.arange(rows.size) * m + s_edge_all[sp]]))
        g_row, g_edge = keys // m, keys % m
        tu = times[g_row, net.edge_u[g_edge]]
        tv = times[g_row, net.edge_v[g_edge]]
        gu, gv = np.flatnonzero(np.isfinite(tu)), np.flatnonzero(np.isfinite(tv))
        gs = np.searchsorted(keys, np.arange(rows.size) * m + s_edge_all[sp])
        group = np.concatenate([gu, gv, gs])
        apex = np.concatenate([np.zeros(gu.size), net.edge_length_m[g_edge[gv]], s_apex_all[sp]])
        time = np.concatenate([tu[gu], tv[gv], s_time_all[sp]])
        owner = np.concatenate([g_row[gu], g_row[gv], np.arange(rows.size)])
        env = _envelope(net, g_edge, group, apex, time, owner)
        for b, limit in enumerate(limits):
            pieces = _band_pieces(env, limit, by_owner=False)
            lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
            row = g_row[pieces["group"]]
            cuts = np.searchsorted(row, np.arange(rows.size + 1))
            for k in range(rows.size):
                sl = slice(cuts[k], cuts[k + 1])
                areas[rows[k], b] = _buffer_lines(lines[sl], crossing[pieces["edge"][sl]], buffer_m)
    return areas
