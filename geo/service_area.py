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

Polygonising the reached lines anew for every band and facility would dominate the run time (seconds per band on a
city of 300 000 nodes), so the blocks of the whole network are found once per network object, without GEOS, from
the plane drawing itself (segments sorted by direction around each node, faces traced by turning at every node;
see :func:`_planar_faces`), and kept with the network like its CSR matrix. For a band (or a facility) a block is
*whole* when every segment bounding it is wholly reached; the whole blocks' union, buffered outwards, minus their
cached cores, is the area along their streets, and only the remaining pieces (the partly reached rim, streets
between rim blocks, dead ends near a core, segments crossing others without a node) are polygonised and buffered
as above. Any set of whole blocks gives the same result: every reached piece is either on a whole block's
boundary or buffered on its own. The cache is derived data keyed weakly on the network (like the CSR matrix), not
a result: nothing the caller sees depends on whether it was warm.

Nearest-facility areas
----------------------
``mode="nearest"`` first splits the reached lines between facilities (each piece goes to the facility reaching it
first; a segment reached from both ends is split at the equal-time point). Each facility then gets the buffer of its
own pieces. Those buffers overlap wherever two facilities' streets come within ``2 * buffer_m`` of each other, so
the overlaps are shared out by a Voronoi diagram of points placed every ``buffer_m / 5`` along the involved
facilities' lines, each point labelled with its piece's facility: a facility keeps the part of its buffer inside its
Voronoi region, i.e. the land whose nearest reached street (straight line) is its own. Streets deep inside one
facility's territory give the diagram only their two ends (see :func:`_hidden_pieces`): a street wholly reached by
one facility between two blocks whose every bounding street is that facility's, and which hold no other facility's
line, cannot be the nearest street of any land outside those two blocks except through its ends, and inside them
the facility wins anyway; this drops most of the points at large numbers of facilities. The diagram is built in
tiles of at most 120 000 points, each with the points within ``2 * buffer_m`` around it (enough: a point kept lies
within ``buffer_m`` of its nearest street, so its nearest Voronoi point is nearer than ``2 * buffer_m``). The parts
are disjoint by construction, each lies within its own facility's buffer, and together they equal the dissolved
area up to slivers narrower than half the point spacing (10 m at the default buffer) along the outer rim where two
facilities' areas meet.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components

from geo.errors import OptionError
from geo.network import WalkNetwork
from geo.travel import (
    DEFAULT_MAX_DISTANCE_M,
    Snap,
    _access_times,
    _check_limit,
    _derived,
    _expand_ranges,
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

#: Voronoi diagrams for ``mode="nearest"`` are built in tiles of at most this many points (memory and threads).
_VORONOI_TILE_POINTS = 120_000

#: Per-facility Dijkstra runs in batches holding at most this many node times (8 bytes each) at once.
_BATCH_CELLS = 8_000_000

#: Threads for the polygon work (GEOS releases the GIL, so bands and facilities are built side by side).
_THREADS = max(1, min(2, os.cpu_count() or 1))


# --- checks -------------------------------------------------------------------------------------------------------


def _check_minutes(minutes) -> tuple[float, ...]:
    try:
        bands = tuple(float(m) for m in np.atleast_1d(np.asarray(minutes, dtype=float)))
    except (TypeError, ValueError):
        raise OptionError(
            f"minutes {minutes!r} are not numbers; give increasing minutes such as 5,10,15"
        ) from None
    if (
        not bands
        or any(not (m > 0 and np.isfinite(m)) for m in bands)
        or any(b <= a for a, b in itertools.pairwise(bands))
    ):
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
        keep[net.n_edges :] = net.edge_v != net.edge_u  # a loop meets its node once
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
        straight = (
            (ncoord[near_i] == 2)
            & (ncoord[near_j] == 2)
            & (net.edge_u[near_i] != net.edge_v[near_i])
            & (net.edge_u[near_j] != net.edge_v[near_j])
        )
        # two straight segments from a common node overlap only when they leave it in the same direction
        same_pair = (
            (net.edge_u[near_i] == net.edge_u[near_j]) & (net.edge_v[near_i] == net.edge_v[near_j])
        ) | ((net.edge_u[near_i] == net.edge_v[near_j]) & (net.edge_v[near_i] == net.edge_u[near_j]))
        xy = net.node_xy
        si, sj = np.flatnonzero(straight & ~same_pair), np.flatnonzero(straight & same_pair)
        a, b = near_i[si], near_j[si]
        common = np.where(
            (net.edge_u[a] == net.edge_u[b]) | (net.edge_u[a] == net.edge_v[b]), net.edge_u[a], net.edge_v[a]
        )
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


def _envelope(
    net: WalkNetwork,
    group_edge: np.ndarray,
    group: np.ndarray,
    apex: np.ndarray,
    time: np.ndarray,
    owner: np.ndarray,
) -> dict[str, np.ndarray]:
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
        # strictly sooner beyond rounding: two cones with one apex and one time (a source on a node reached from
        # that same source) must not rule each other out, the first by the test above and this one by a rounding
        # error in ``t + a * r - a * r``
        sooner = vr[nxt[has]] - a[has] * r[has]
        dominated[has] |= sooner < t[has] - 1e-9 * (1.0 + np.abs(t[has]) + a[has] * r[has])
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
    return {
        "group": g,
        "edge": e,
        "apex": a,
        "time": t,
        "owner": o,
        "lo": lo,
        "hi": hi,
        "rate": r,
        "length": length,
    }


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
        rep, vid = _expand_ranges(first[e], nv)
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


def _network_envelope(
    net: WalkNetwork, node_time: np.ndarray, node_owner: np.ndarray, limit_s: float, snap: Snap | None
) -> dict[str, np.ndarray]:
    """Envelope over every segment touched by a node reached within ``limit_s`` or holding a source."""
    reached = np.flatnonzero(node_time <= limit_s)
    indptr, inc = _incidence(net)
    _, pos = _expand_ranges(indptr[reached], indptr[reached + 1] - indptr[reached])
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
    return _envelope(
        net,
        edges,
        np.concatenate(group),
        np.concatenate(apex),
        np.concatenate(time),
        np.concatenate(owner).astype(np.int64),
    )


def reached_lines(
    net: WalkNetwork, node_time_s: np.ndarray, *, limit_s: float, source_snap: Snap | None = None
) -> np.ndarray:
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


# --- the blocks of the whole network, found once per network ------------------------------------------------------


def _cycle_rank(nxt: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Position of each element of a permutation's cycles, counted from the cycle's smallest element (loop-free:
    pointer jumping, ``log2`` of the longest cycle passes)."""
    size = nxt.size
    head = label == np.arange(size)  # labels are the smallest element of each cycle
    succ = np.where(head[nxt], -1, nxt)  # cut each cycle just before its head
    dist = (succ >= 0).astype(np.int64)
    hop = succ.copy()
    while True:
        go = np.flatnonzero(hop >= 0)
        if go.size == 0:
            break
        dist[go] += dist[hop[go]]
        hop[go] = hop[hop[go]]
    # dist = steps to the cycle's last element; the head has the largest
    return dist[label] - dist


def _planar_faces(net: WalkNetwork) -> dict[str, np.ndarray]:
    """The blocks (bounded faces) of the network's plane drawing, from its rotation system, without GEOS polygonising.

    Segments flagged by :func:`_crossing` (bridges, overlaps, zero-length pieces) are left out, so the rest is a
    plane drawing whose segments meet only at shared nodes. Around every node the segments are sorted by the
    direction they leave it; walking each half-segment on to the next segment clockwise around its far end traces
    every face with the face on the left, bounded faces counter-clockwise (positive area). A segment seen from the
    same face on both sides (a dead end, a bridge between parts) is not part of that face's boundary; a face whose
    boundary is not one simple closed ring once those are set aside (a street loop hanging inside a block by a
    single path, or touching its edge at one node), or that holds another part of the network, is marked not
    usable (its streets are then always buffered as lines).

    Returns a dict: ``poly`` (F,) the block polygons, ``usable`` (F,) bool, ``n_bounding`` (F,) the number of
    segments bounding each block, ``edge_faces_ptr``/``edge_faces`` (CSR) the blocks each segment bounds,
    ``inner_face`` (m,) the usable block a segment lies inside without bounding it (dead ends), -1 otherwise.
    """
    d = _derived(net)
    if "faces" in d:
        return d["faces"]
    m = net.n_edges
    xy, first, _ = _vertices(net)
    nv = first[1:] - first[:-1]
    length = np.asarray(net.edge_length_m, dtype=float)
    planar = ~_crossing(net) & (nv >= 2) & (length > 0)
    edges = np.flatnonzero(planar)
    k = edges.size
    out = {
        "poly": np.empty(0, dtype=object),
        "usable": np.zeros(0, dtype=bool),
        "inner_face": np.full(m, -1, dtype=np.int64),
        "n_bounding": np.empty(0, dtype=np.int64),
        "edge_faces_ptr": np.zeros(m + 1, dtype=np.int64),
        "edge_faces": np.empty(0, dtype=np.int64),
    }
    if k < 3:
        d["faces"] = out
        return out
    # half-segments: 0..k-1 run u -> v, k..2k-1 run v -> u; the twin of h is (h + k) % 2k
    start_node = np.concatenate([net.edge_u[edges], net.edge_v[edges]])
    end_node = np.concatenate([net.edge_v[edges], net.edge_u[edges]])
    f0, f1 = first[edges], first[edges + 1] - 1  # first and last vertex of each segment

    def leaving(at: np.ndarray, towards: int) -> np.ndarray:
        """Direction of leaving vertex ``at`` to the next distinct vertex in direction ``towards`` (+1 / -1)."""
        pos = at + towards
        lo, hi = f0, f1
        vec = xy[pos] - xy[at]
        still = np.flatnonzero((vec[:, 0] == 0) & (vec[:, 1] == 0))
        while (
            still.size
        ):  # repeated vertices: look one further (the segment has positive length, so one exists)
            pos[still] += towards
            pos[still] = np.clip(pos[still], lo[still], hi[still])
            vec[still] = xy[pos[still]] - xy[at[still]]
            still = still[(vec[still, 0] == 0) & (vec[still, 1] == 0)]
        return np.arctan2(vec[:, 1], vec[:, 0])

    angle = np.concatenate([leaving(f0.copy(), +1), leaving(f1.copy(), -1)])
    h = np.arange(2 * k)
    twin = (h + k) % (2 * k)
    order = np.lexsort((angle, start_node))  # around each node, counter-clockwise
    pos_in = np.empty(2 * k, dtype=np.int64)
    pos_in[order] = np.arange(2 * k)
    node_sorted = start_node[order]
    grp_first = np.searchsorted(node_sorted, node_sorted, side="left")
    grp_last = np.searchsorted(node_sorted, node_sorted, side="right") - 1
    # clockwise neighbour (previous in counter-clockwise order, cyclically) of each half-segment
    p = pos_in
    cw = np.where(p == grp_first[p], grp_last[p], p - 1)
    nxt = order[cw[twin]]  # next(h) = clockwise neighbour of twin(h) around h's far end
    # cycles of the permutation = faces
    graph = sp.csr_matrix((np.ones(2 * k, dtype=np.int8), (h, nxt)), shape=(2 * k, 2 * k))
    _, comp = connected_components(graph, directed=True, connection="weak")
    first_of = np.full(comp.max() + 1, 2 * k, dtype=np.int64)
    np.minimum.at(first_of, comp, h)
    label = first_of[comp]  # smallest half-segment of each cycle
    # signed area of each cycle (shoelace along the segments' vertices, around a local origin)
    origin = xy.mean(axis=0)
    rel = xy - origin
    cross = np.zeros(len(xy))
    cross[:-1] = rel[:-1, 0] * rel[1:, 1] - rel[1:, 0] * rel[:-1, 1]
    csum = np.concatenate([[0.0], np.cumsum(cross)])
    seg = csum[f1] - csum[f0]  # sum over the segment's own steps
    he_cross = np.concatenate([seg, -seg])
    n_cyc = comp.max() + 1
    area2 = np.bincount(comp, weights=he_cross, minlength=n_cyc)
    bounded = area2 > 0
    # dead ends and bridges: both halves on one cycle; they do not bound that face
    doubled = comp == comp[twin]
    rank = _cycle_rank(nxt, label)
    # boundary half-segments of bounded faces, in order around each face
    keep = np.flatnonzero(bounded[comp] & ~doubled)
    keep = keep[np.lexsort((rank[keep], comp[keep]))]
    if keep.size == 0:  # no block at all (a tree of streets)
        d["faces"] = out
        return out
    fcomp = comp[keep]
    at = np.flatnonzero(np.r_[True, fcomp[1:] != fcomp[:-1]])
    faces_cyc = fcomp[at]
    stop = np.append(at[1:], keep.size)
    # one closed ring each: every kept half-segment ends where the next kept one (cyclically) starts
    nxt_keep = np.empty_like(keep)
    nxt_keep[:-1] = keep[1:]
    nxt_keep[stop - 1] = keep[at]
    breaks = end_node[keep] != start_node[nxt_keep]
    broken = np.zeros(faces_cyc.size, dtype=bool)
    fid = np.repeat(np.arange(faces_cyc.size), stop - at)
    broken[fid[breaks]] = True
    # a ring passing a node twice (a loop touching the block's edge at one node) is not a simple ring either
    visit = np.sort(fid * np.int64(net.n_nodes) + start_node[keep])
    broken[(visit[1:][visit[1:] == visit[:-1]]) // net.n_nodes] = True
    # ring coordinates: each half-segment's vertices without its last one, then the ring's first vertex again
    fwd = keep < k
    e_loc = np.where(fwd, keep, keep - k)
    cnt = nv[edges[e_loc]] - 1
    rep = np.repeat(np.arange(keep.size), cnt)
    step_i = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    vid = np.where(fwd[rep], f0[e_loc][rep] + step_i, f1[e_loc][rep] - step_i)
    ring_of = fid[rep]
    n_per = np.bincount(ring_of, minlength=faces_cyc.size)
    ring_start = np.concatenate([[0], np.cumsum(n_per)[:-1]])
    coords = np.insert(xy[vid], np.cumsum(n_per), xy[vid[ring_start]], axis=0)
    ring_idx = np.insert(ring_of, np.cumsum(n_per), np.arange(faces_cyc.size))
    ok_ring = ~broken & (n_per >= 3)
    sel = np.isin(ring_idx, np.flatnonzero(ok_ring))
    poly = np.empty(faces_cyc.size, dtype=object)
    poly[:] = shapely.Polygon()
    if ok_ring.any():
        ids = ring_idx[sel]
        dense_ids = np.cumsum(np.r_[False, ids[1:] != ids[:-1]])  # ids are sorted: number them 0, 1, ...
        rings = shapely.linearrings(coords[sel], indices=dense_ids)
        poly[ok_ring] = shapely.polygons(rings)
    usable = ok_ring.copy()
    # another part of the network inside a block would be a hole the ring does not know about
    n_comp, node_comp = connected_components(
        sp.csr_matrix((np.ones(k), (net.edge_u[edges], net.edge_v[edges])), shape=(net.n_nodes, net.n_nodes)),
        directed=False,
    )
    part_of_face = node_comp[start_node[keep[at]]]
    has_edges = np.bincount(node_comp[start_node], minlength=n_comp) > 0
    if has_edges.sum() > 1 and usable.any():
        rep_of = np.full(n_comp, -1, dtype=np.int64)
        rep_of[node_comp[start_node[::-1]]] = start_node[::-1]  # one node of each part
        rep_node = rep_of[has_edges]
        tree = shapely.STRtree(poly)
        pt_i, f_i = tree.query(shapely.points(net.node_xy[rep_node]), predicate="within")
        other = node_comp[rep_node[pt_i]] != part_of_face[f_i]
        usable[f_i[other]] = False
    # (face, segment) pairs of boundaries; dead ends lying inside a usable face
    face_of_cycle = np.full(n_cyc, -1, dtype=np.int64)
    face_of_cycle[faces_cyc] = np.arange(faces_cyc.size)
    inner_face = np.full(m, -1, dtype=np.int64)
    dh = np.flatnonzero(doubled[:k] & bounded[comp[:k]])
    fo = face_of_cycle[comp[dh]]
    good = usable[fo]
    inner_face[edges[dh[good]]] = fo[good]
    edge_of_face = edges[e_loc]
    by_edge = np.argsort(edge_of_face, kind="stable")
    edge_faces_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(edge_of_face, minlength=m), out=edge_faces_ptr[1:])
    out = {
        "poly": poly,
        "usable": usable,
        "n_bounding": np.bincount(fid, minlength=faces_cyc.size),
        "edge_faces_ptr": edge_faces_ptr,
        "edge_faces": fid[by_edge],
        "inner_face": inner_face,
    }
    d["faces"] = out
    return out


def _face_cores(net: WalkNetwork, buffer_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Each usable block shrunk by ``buffer_m`` (its core), and for every segment whether it is a dead end inside a
    usable block running within ``buffer_m`` of that block's core (such a dead end widens the area on its own)."""
    d = _derived(net)
    key = ("face_cores", float(buffer_m))
    if key not in d:
        faces = _planar_faces(net)
        cores = np.empty(faces["poly"].size, dtype=object)
        cores[:] = None
        use = np.flatnonzero(faces["usable"])
        cores[use] = shapely.buffer(faces["poly"][use], -buffer_m)
        cores[use[shapely.is_empty(cores[use])]] = None
        inner = np.flatnonzero(faces["inner_face"] >= 0)
        near = np.zeros(net.n_edges, dtype=bool)
        core_of = cores[faces["inner_face"][inner]]
        has = ~shapely.is_missing(core_of)
        near[inner[has]] = shapely.dwithin(net.edge_geometry[inner[has]], core_of[has], buffer_m)
        d[key] = (cores, near)
    return d[key]


def _whole_blocks(
    net: WalkNetwork, row: np.ndarray, edge: np.ndarray, start: np.ndarray, end: np.ndarray, buffer_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split reached pieces into whole blocks and the rest, for many areas at once.

    ``row`` says which area (facility, or 0 for a dissolved band) each piece ``edge[start:end]`` belongs to. A usable
    block (:func:`_planar_faces`) is whole for an area when every segment bounding it is wholly reached in that area.
    Returns the (row, block) pairs of whole blocks, sorted by row, and a mask of the pieces still to be buffered as
    lines: all pieces except those bounding a whole block of their area and dead ends lying inside one that run no
    nearer than ``buffer_m`` to its core (their buffer lies inside the block's area already).
    """
    faces = _planar_faces(net)
    n_face = np.int64(max(faces["poly"].size, 1))
    ptr, fac = faces["edge_faces_ptr"], faces["edge_faces"]
    full = (start <= 0.0) & (end >= net.edge_length_m[edge])
    fp = np.flatnonzero(full)
    i, at = _expand_ranges(ptr[edge[fp]], ptr[edge[fp] + 1] - ptr[edge[fp]])
    rep = fp[i]
    key = row[rep].astype(np.int64) * n_face + fac[at]
    uniq, seen = np.unique(key, return_counts=True)
    face = uniq % n_face
    whole = uniq[faces["usable"][face] & (seen == faces["n_bounding"][face])]
    bounding = np.zeros(edge.size, dtype=bool)
    bounding[rep[np.isin(key, whole, assume_unique=False)]] = True
    _, near = _face_cores(net, buffer_m)
    inner = faces["inner_face"][edge]
    inside = np.flatnonzero((inner >= 0) & ~near[edge])
    inside = inside[np.isin(row[inside].astype(np.int64) * n_face + inner[inside], whole)]
    rest = ~bounding
    rest[inside] = False
    return whole // n_face, whole % n_face, rest


def _area_from_blocks(
    net: WalkNetwork, blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray, buffer_m: float
) -> shapely.Geometry:
    """The buffer of whole blocks' boundaries (``buffer(union of blocks) - cores``) together with that of other
    lines (see the module notes: with the split of :func:`_whole_blocks` this equals the buffer of all the
    reached lines)."""
    if blocks.size == 0:
        return _buffer_lines(lines, crossing, buffer_m)
    poly = _planar_faces(net)["poly"]
    cores, _ = _face_cores(net, buffer_m)
    area = shapely.buffer(shapely.coverage_union_all(poly[blocks]), buffer_m)
    core = cores[blocks]
    core = core[~shapely.is_missing(core)]
    if core.size:
        area = shapely.difference(area, shapely.multipolygons(shapely.get_parts(core)))
    if lines.size:
        area = shapely.union(area, _buffer_lines(lines, crossing, buffer_m))
    return area


def _dissolved_area(
    net: WalkNetwork, pieces: dict[str, np.ndarray], lines: np.ndarray, crossing: np.ndarray, buffer_m: float
) -> shapely.Geometry:
    """The buffer of one band's reached lines, whole blocks taken from the per-network faces."""
    _, blocks, rest = _whole_blocks(
        net, np.zeros(lines.size, dtype=np.int64), pieces["edge"], pieces["start"], pieces["end"], buffer_m
    )
    return _area_from_blocks(net, blocks, lines[rest], crossing[rest], buffer_m)


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
        return shapely.union_all(
            np.concatenate([np.array(parts, dtype=object), shapely.buffer(rest, buffer_m)])
        )
    return parts[0] if parts else shapely.Polygon()


def _split_nearest(
    net: WalkNetwork,
    pieces: dict[str, np.ndarray],
    lines: np.ndarray,
    crossing: np.ndarray,
    owners: np.ndarray,
    buffer_m: float,
) -> np.ndarray:
    """Each owner's area, the overlaps between owners given to whichever owner's street is nearest.

    Every owner first gets the buffer of its own pieces (whole blocks from the per-network faces, the rest as
    lines). Where buffers of different owners overlap, a Voronoi diagram of points placed every ``buffer_m / 5``
    along the involved owners' lines decides (built in tiles, see :func:`_voronoi_regions`): each owner keeps the
    part of its buffer inside its Voronoi region. Regions are disjoint, so the parts are too. Streets between two
    clean blocks of their own owner (:func:`_hidden_pieces`) add only their end points to the diagram.
    """
    out = np.empty(owners.size, dtype=object)
    out[:] = shapely.Polygon()
    if lines.size == 0:
        return out
    order = np.argsort(pieces["owner"], kind="stable")
    owner = pieces["owner"][order]
    lines, crossing = lines[order], crossing[order]
    edge, start, end = pieces["edge"][order], pieces["start"][order], pieces["end"][order]
    present, first = np.unique(owner, return_index=True)
    stop = np.append(first[1:], owner.size)
    row = np.searchsorted(present, owner)
    b_row, b_face, rest = _whole_blocks(net, row, edge, start, end, buffer_m)
    b_cuts = np.searchsorted(b_row, np.arange(present.size + 1))

    def own_area(k: int) -> shapely.Geometry:
        sl = slice(first[k], stop[k])
        keep = rest[sl]
        return _area_from_blocks(
            net, b_face[b_cuts[k] : b_cuts[k + 1]], lines[sl][keep], crossing[sl][keep], buffer_m
        )

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        own = np.array(list(pool.map(own_area, range(present.size))), dtype=object)
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
    pick = np.flatnonzero(np.isin(owner, present[involved]))
    hidden = _hidden_pieces(net, row, edge, start, end, lines, crossing, b_row, b_face)[pick]
    # streets inside one owner's territory (see _hidden_pieces) give only their two ends; the rest are segmentised
    shown, inside = pick[~hidden], pick[hidden]
    xy_shown, idx = shapely.get_coordinates(
        shapely.segmentize(lines[shown], buffer_m / _VORONOI_POINTS_PER_BUFFER), return_index=True
    )
    xy = np.vstack(
        [
            xy_shown,
            shapely.get_coordinates(shapely.get_point(lines[inside], 0)),
            shapely.get_coordinates(shapely.get_point(lines[inside], -1)),
        ]
    )
    point_owner = np.concatenate([owner[shown][idx], owner[inside], owner[inside]])
    # a point shared by several owners' lines (a node) goes to the lowest owner, as when all lines were segmentised
    by_owner = np.argsort(point_owner, kind="stable")
    xy, point_owner = xy[by_owner], point_owner[by_owner]
    # drop repeated points (segment ends shared at nodes): one sort of complex numbers is quicker than a row sort
    _, keep = np.unique(xy[:, 0] + 1j * xy[:, 1], return_index=True)
    xy = xy[keep]
    point_owner = point_owner[keep]
    # points on straight streets are collinear and cocircular by the thousand, which makes Voronoi diagrams
    # degenerate; a fixed millimetre jitter (seeded, so results repeat) keeps the diagram clean
    xy = xy + np.random.default_rng(0).uniform(-1e-3, 1e-3, size=xy.shape)
    regions = _voronoi_regions(xy, point_owner, shapely.total_bounds(own[involved]), buffer_m)
    who = np.array(sorted(regions))
    k = np.searchsorted(present, who)
    out[slot[k]] = _polygonal(shapely.intersection(own[k], np.array([regions[w] for w in who], dtype=object)))
    return out


def _hidden_pieces(
    net: WalkNetwork,
    row: np.ndarray,
    edge: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    lines: np.ndarray,
    crossing: np.ndarray,
    b_row: np.ndarray,
    b_face: np.ndarray,
) -> np.ndarray:
    """Pieces whose inner Voronoi points cannot decide anything outside their owner's own blocks.

    A whole block of one owner (``b_row``, ``b_face`` from :func:`_whole_blocks` with one row per owner) is *clean*
    when no line of another owner lies inside it (no other owner's dead end, no crossing line touching it). A
    piece is hidden when its segment is wholly reached and bounds two clean blocks of its own owner, or when it is
    a dead end inside one. For a point ``x`` outside both blocks, the nearest point of such a segment is one of its
    ends: the straight path from ``x`` to a point inside the segment arrives from one of the two blocks, so it
    crosses that block's boundary (a street) first, at a nearer point. Inside the clean blocks every other owner's
    point lies beyond a boundary street of this owner that keeps its Voronoi points, so the owner keeps the land
    there (up to the point spacing, as before). Hidden pieces therefore need only their end points in the diagram.
    """
    hidden = np.zeros(edge.size, dtype=bool)
    if b_row.size == 0 or edge.size == 0:
        return hidden
    faces = _planar_faces(net)
    n_face = faces["poly"].size
    clean = np.ones(b_row.size, dtype=bool)
    # another owner's dead end inside the block
    inner = faces["inner_face"][edge]
    d = np.flatnonzero(inner >= 0)
    lo = np.full(n_face, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_face, -1, dtype=np.int64)
    np.minimum.at(lo, inner[d], row[d])
    np.maximum.at(hi, inner[d], row[d])
    has = hi[b_face] >= 0
    clean[has & ((lo[b_face] != b_row) | (hi[b_face] != b_row))] = False
    # any crossing line (bridge, tunnel, unnoded junction) touching the block
    cross = np.flatnonzero(crossing)
    if cross.size:
        _, hit = shapely.STRtree(faces["poly"][b_face]).query(lines[cross], predicate="intersects")
        clean[hit] = False
    key = np.unique(b_row[clean].astype(np.int64) * n_face + b_face[clean])
    ptr, fac = faces["edge_faces_ptr"], faces["edge_faces"]
    full = (start <= 0.0) & (end >= net.edge_length_m[edge]) & (ptr[edge + 1] - ptr[edge] == 2)
    f = np.flatnonzero(full)
    r = row[f].astype(np.int64) * n_face
    both = np.isin(r + fac[ptr[edge[f]]], key) & np.isin(r + fac[ptr[edge[f]] + 1], key)
    hidden[f[both]] = True
    hidden[d[np.isin(row[d].astype(np.int64) * n_face + inner[d], key)]] = True
    return hidden


def _voronoi_regions(
    xy: np.ndarray, point_owner: np.ndarray, bounds: np.ndarray, buffer_m: float
) -> dict[int, shapely.Geometry]:
    """Each owner's Voronoi region (the union of its points' cells), valid wherever the nearest point lies within
    ``2 * buffer_m`` (everywhere within ``buffer_m`` of the owners' streets, which is all that is kept).

    Large point sets are cut into tiles of at most ``_VORONOI_TILE_POINTS`` points: each tile's diagram is built
    from its points and those within ``2 * buffer_m`` around it, then clipped to the tile. This bounds memory (one
    diagram of two million points takes gigabytes) and lets tiles run in parallel threads.
    """
    margin = 2.0 * buffer_m
    x0, y0, x1, y1 = bounds
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    n_tiles = max(1, int(np.ceil(xy.shape[0] / _VORONOI_TILE_POINTS)))
    nx = max(1, round(float(np.sqrt(n_tiles * (x1 - x0) / max(y1 - y0, 1e-9)))))
    ny = max(1, int(np.ceil(n_tiles / nx)))
    xs, ys = np.linspace(x0, x1, nx + 1), np.linspace(y0, y1, ny + 1)
    tiles = [(xs[a], ys[b], xs[a + 1], ys[b + 1]) for a in range(nx) for b in range(ny)]

    def tile_regions(box: tuple[float, float, float, float]) -> list[tuple[int, shapely.Geometry]]:
        bx0, by0, bx1, by1 = box
        sel = np.flatnonzero(
            (xy[:, 0] >= bx0 - margin)
            & (xy[:, 0] <= bx1 + margin)
            & (xy[:, 1] >= by0 - margin)
            & (xy[:, 1] <= by1 + margin)
        )
        if sel.size == 0:
            return []
        core = shapely.box(bx0, by0, bx1, by1)
        whole = len(tiles) == 1
        frame = shapely.box(bx0 - margin, by0 - margin, bx1 + margin, by1 + margin)
        cells = shapely.get_parts(
            shapely.voronoi_polygons(shapely.multipoints(xy[sel]), extend_to=frame, ordered=True)
        )
        own = point_owner[sel]
        by = np.argsort(own, kind="stable")
        who, at = np.unique(own[by], return_index=True)
        to = np.append(at[1:], by.size)
        found = []
        for w, a, b in zip(who, at, to, strict=False):
            region = _dissolve_cells(cells[by[a:b]])
            if not whole:
                region = shapely.intersection(region, core)
            found.append((int(w), region))
        return found

    pieces: dict[int, list[shapely.Geometry]] = {}
    with ThreadPoolExecutor(max_workers=min(_THREADS, len(tiles))) as pool:
        for found in pool.map(tile_regions, tiles):
            for w, region in found:
                pieces.setdefault(w, []).append(region)
    return {
        w: parts[0] if len(parts) == 1 else shapely.union_all(np.array(parts, dtype=object))
        for w, parts in pieces.items()
    }


def _minus_any(geoms: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Each geometry minus every one of ``others`` that intersects it."""
    out = geoms.copy()
    gi, oi = shapely.STRtree(others).query(geoms, predicate="intersects")
    order = np.argsort(gi, kind="stable")
    gi, oi = gi[order], oi[order]
    rows, at = np.unique(gi, return_index=True)
    for k, a, b in zip(rows, at, np.append(at[1:], gi.size), strict=False):
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


def service_areas(
    net: WalkNetwork,
    facility_xy: np.ndarray,
    *,
    minutes=(5, 10, 15),
    mode: str = "dissolved",
    rings: bool = False,
    buffer_m: float = SERVICE_AREA_BUFFER_M,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    progress: Callable[[float, str], None] | None = None,
) -> gpd.GeoDataFrame:
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
    snap = snap_points(net, xy, max_distance_m=max_distance_m)
    limits = [60.0 * m for m in bands]
    _vertices(net)  # built here, once, before both threads below read it
    # the blocks of the network (built once per network) are found in a second thread while the walking times are
    # computed in this one; everything that draws polygons waits for them
    with ThreadPoolExecutor(max_workers=1) as background:
        blocks = background.submit(_face_cores, net, buffer_m)
        areas, facility = _areas_by_mode(net, snap, mode, limits, buffer_m, blocks.result, step)
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
    band_from = np.tile(
        [0] + ([_band_label(m) for m in bands[:-1]] if rings else [0] * (len(bands) - 1)), areas.shape[0]
    )
    geoms = _polygonal(areas.reshape(-1))
    return gpd.GeoDataFrame(
        {"band_min": band_min, "band_from_min": band_from, "facility": facility, "geometry": geoms},
        geometry="geometry",
        crs=net.crs,
    )


def _areas_by_mode(
    net: WalkNetwork,
    snap: Snap,
    mode: str,
    limits: list[float],
    buffer_m: float,
    blocks_ready: Callable[[], object],
    step: Callable[[float, str], None],
) -> tuple[np.ndarray, np.ndarray]:
    """(areas (rows, bands), facility per row) of one mode, before rings; see :func:`service_areas`."""
    n_fac, n_band = len(snap), len(limits)
    if mode == "per_facility":
        areas = _per_facility(net, snap, limits, buffer_m, blocks_ready, step)  # (F, B)
        return areas, np.repeat(np.arange(n_fac), n_band)
    step(0.05, "walking times from all facilities")
    node_t, node_s = node_times_from_sources(net, snap, limit_s=limits[-1])
    env = _network_envelope(net, node_t, node_s, limits[-1], snap)
    step(0.1, "blocks of the network")
    blocks_ready()
    crossing = _crossing(net)
    if mode == "dissolved":

        def band_area(limit: float) -> shapely.Geometry:
            pieces = _band_pieces(env, limit, by_owner=False)
            lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
            return _dissolved_area(net, pieces, lines, crossing[pieces["edge"]], buffer_m)

        step(0.2, f"areas of {n_band} bands")
        areas = np.empty((1, n_band), dtype=object)
        # bands run side by side; the smallest band has the longest rim (most separate pieces) and starts first
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            areas[0, :] = list(pool.map(band_area, limits))
        return areas, np.full(n_band, -1)
    areas = np.empty((n_fac, n_band), dtype=object)
    owners = np.arange(n_fac)
    for b, limit in enumerate(limits):
        step(0.1 + 0.85 * b / n_band, f"band {b + 1} of {n_band}: areas by nearest facility")
        pieces = _band_pieces(env, limit, by_owner=True)
        lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
        areas[:, b] = _split_nearest(net, pieces, lines, crossing[pieces["edge"]], owners, buffer_m)
    return areas, np.repeat(np.arange(n_fac), n_band)


def _per_facility(
    net: WalkNetwork,
    snap: Snap,
    limits: list[float],
    buffer_m: float,
    blocks_ready: Callable[[], object],
    step: Callable[[float, str], None],
) -> np.ndarray:
    """(F, bands) areas, one Dijkstra per facility run in batches.

    The polygons of one batch (every facility and band of it, no wait between bands) are built by a pool of
    ``_THREADS`` threads while this thread computes the next batch's walking times and reached pieces (numpy and
    scipy work), so neither waits for the other; at most two batches are in flight, which bounds memory.
    """
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
    in_flight: list[list] = []  # per batch: (facility, band, future)

    def collect(jobs: list) -> None:
        for f, b, future in jobs:
            areas[f, b] = future.result()

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        for k0 in range(0, todo.size, batch):
            step(
                0.02 + 0.96 * k0 / max(todo.size, 1),
                f"service areas of facilities {k0 + 1}-{min(k0 + batch, todo.size)} of {todo.size}",
            )
            rows = todo[k0 : k0 + batch]
            times = node_times_per_source(net, snap, limit_s=limits[-1], sources=rows)  # (b, n)
            r_idx, nodes = np.nonzero(times <= limits[-1])
            rep, pos = _expand_ranges(indptr[nodes], indptr[nodes + 1] - indptr[nodes])
            sp = src_pos[rows]
            keys = np.unique(
                np.concatenate([r_idx[rep] * m + inc[pos], np.arange(rows.size) * m + s_edge_all[sp]])
            )
            g_row, g_edge = keys // m, keys % m
            tu = times[g_row, net.edge_u[g_edge]]
            tv = times[g_row, net.edge_v[g_edge]]
            del times
            gu, gv = np.flatnonzero(np.isfinite(tu)), np.flatnonzero(np.isfinite(tv))
            gs = np.searchsorted(keys, np.arange(rows.size) * m + s_edge_all[sp])
            group = np.concatenate([gu, gv, gs])
            apex = np.concatenate([np.zeros(gu.size), net.edge_length_m[g_edge[gv]], s_apex_all[sp]])
            time = np.concatenate([tu[gu], tv[gv], s_time_all[sp]])
            owner = np.concatenate([g_row[gu], g_row[gv], np.arange(rows.size)])
            env = _envelope(net, g_edge, group, apex, time, owner)
            blocks_ready()
            crossing = _crossing(net)
            jobs = []
            # the largest band first: its polygons take longest, so the pool's threads finish the batch together
            for b in reversed(range(n_band)):
                pieces = _band_pieces(env, limits[b], by_owner=False)
                lines = _cut(net, pieces["edge"], pieces["start"], pieces["end"])
                row = g_row[pieces["group"]]
                cuts = np.searchsorted(row, np.arange(rows.size + 1))
                b_row, b_face, rest = _whole_blocks(
                    net, row, pieces["edge"], pieces["start"], pieces["end"], buffer_m
                )
                b_cuts = np.searchsorted(b_row, np.arange(rows.size + 1))
                edge_crossing = crossing[pieces["edge"]]
                for k in range(rows.size):
                    sl = slice(cuts[k], cuts[k + 1])
                    keep = rest[sl]
                    jobs.append(
                        (
                            rows[k],
                            b,
                            pool.submit(
                                _area_from_blocks,
                                net,
                                b_face[b_cuts[k] : b_cuts[k + 1]],
                                lines[sl][keep],
                                edge_crossing[sl][keep],
                                buffer_m,
                            ),
                        )
                    )
            # at most two batches in flight: wait for the previous one before computing the next
            if in_flight:
                collect(in_flight.pop())
            in_flight.append(jobs)
        while in_flight:
            collect(in_flight.pop())
    return areas
