"""Walking times on a :class:`~geo.network.WalkNetwork`: snapping points to streets and nearest-facility times.

A point (a home, a facility) joins the network at the nearest point of the nearest street segment, not at the
nearest node. Its walking time counts the whole access walk:

* the straight walk from the point to the street (``offset_m`` at the network's walking speed),
* the walk along the segment to one of its end nodes, in proportion to the segment's time
  (``edge_time_s * along_m / edge_length_m``, so steps keep their slower factor),
* the network path between end nodes,

and two points on the same segment may also walk straight along it to each other. Shortest paths run in compiled
code (:func:`scipy.sparse.csgraph.dijkstra`) on a CSR matrix of seconds, with one virtual node per source joined to
its segment's two end nodes; ``min_only=True`` gives, in one run, the time from the nearest source to every node and
which source that is.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

from geo.csr import derived, graph_with_sources, segmented_prefix_argmin
from geo.errors import OptionError
from geo.network import WalkNetwork

#: Points farther than this from every walkable street are not placed on the network (metres).
DEFAULT_MAX_DISTANCE_M = 300.0


@dataclass(frozen=True)
class Snap:
    """Points placed on the nearest street segment.

    Attributes
    ----------
    edge : (k,) int, index of the nearest segment; -1 when the point is farther than ``max_distance_m``.
    along_m : (k,) distance from the segment's u end along its geometry to the projected point (NaN where far).
    offset_m : (k,) straight distance from the point to the segment (inf for an empty or NaN point).
    far : (k,) bool, True when the point is not placed (``offset_m > max_distance_m``). Far points are kept in every
        array and reported by callers, never dropped.
    """

    edge: np.ndarray
    along_m: np.ndarray
    offset_m: np.ndarray
    far: np.ndarray

    def __len__(self) -> int:
        return int(self.edge.shape[0])

    def subset(self, index: np.ndarray | slice | list[int]) -> Snap:
        """The snaps of some of the points, in the order given."""
        return Snap(
            edge=self.edge[index],
            along_m=self.along_m[index],
            offset_m=self.offset_m[index],
            far=self.far[index],
        )


@dataclass(frozen=True)
class NearestTimes:
    """Walking time from the nearest source to each target.

    Attributes
    ----------
    time_s : (n_targets,) seconds from the nearest source, access walks included; ``np.inf`` beyond ``limit_s``,
        unreachable, or where the target or every source is far from the network.
    source : (n_targets,) index of that nearest source (into the sources as given), -1 where ``time_s`` is inf.
    target_far : (n_targets,) bool, targets farther than ``max_distance_m`` from every street.
    source_far : (n_sources,) bool, sources farther than ``max_distance_m`` from every street (they reach no one).
    """

    time_s: np.ndarray
    source: np.ndarray
    target_far: np.ndarray
    source_far: np.ndarray


def _edge_tree(net: WalkNetwork) -> shapely.STRtree:
    d = derived(net)
    tree = d.get("tree")
    if tree is None:
        # small nodes make nearest-neighbour queries about twice as fast as the default (10) on street networks
        tree = shapely.STRtree(net.edge_geometry, node_capacity=4)
        d["tree"] = tree
    return tree


def check_limit(limit_s: float) -> float:
    """Return a time limit as float seconds, or raise :class:`OptionError` when it is not a number >= 0.

    Parameters
    ----------
    limit_s : the limit in seconds.
    """
    try:
        limit = float(limit_s)
    except (TypeError, ValueError):
        raise OptionError.of("time_limit_not_number", value=repr(limit_s)) from None
    if not limit >= 0:
        raise OptionError.of("time_limit_negative", value=repr(limit_s))
    return limit


def _check_max_distance(max_distance_m: float) -> float:
    dist = float(max_distance_m)
    if not dist >= 0:
        raise OptionError.of("max_distance_negative", value=repr(max_distance_m))
    return dist


#: Side of the cells points are sorted into before the nearest-segment search (metres): about a few street blocks.
_SNAP_CELL_M = 100.0

#: Snapping splits its points into this many chunks queried from a thread pool (GEOS releases the GIL) once there
#: are at least ``SNAP_PARALLEL_MIN`` points.
_SNAP_THREADS = 2
SNAP_PARALLEL_MIN = 20_000


def _spatial_order(xy: np.ndarray) -> np.ndarray:
    """A permutation of the points by rows of ``_SNAP_CELL_M`` cells, west to east within a row; NaNs last."""
    with np.errstate(invalid="ignore"):
        cx = np.floor(xy[:, 0] / _SNAP_CELL_M)
        cy = np.floor(xy[:, 1] / _SNAP_CELL_M)
    return np.lexsort((xy[:, 0], cx, cy))


def _nearest_one(tree: shapely.STRtree, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    (pi, ei), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    # ties are broken by the tree; keep one match per point
    pi, first = np.unique(pi, return_index=True)
    return pi, ei[first], dist[first]


def _nearest_segments(tree: shapely.STRtree, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(point index, segment index, distance) of the nearest segment of every non-empty point, points ascending.

    Large inputs are split into contiguous chunks searched in parallel threads; the tree is read-only and shared.
    """
    k = points.size
    if k < SNAP_PARALLEL_MIN:
        return _nearest_one(tree, points)
    bounds = np.linspace(0, k, _SNAP_THREADS + 1).astype(np.int64)
    with ThreadPoolExecutor(max_workers=_SNAP_THREADS) as pool:
        parts = list(
            pool.map(lambda ab: _nearest_one(tree, points[ab[0] : ab[1]]), itertools.pairwise(bounds))
        )
    return (
        np.concatenate([p[0] + a for p, a in zip(parts, bounds[:-1], strict=False)]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def snap_points(net: WalkNetwork, xy: np.ndarray, *, max_distance_m: float = DEFAULT_MAX_DISTANCE_M) -> Snap:
    """Place points on the nearest street segment.

    Parameters
    ----------
    net : the walking network.
    xy : (k, 2) point coordinates in the network's CRS (metres).
    max_distance_m : points farther than this from every segment get ``far=True`` and ``edge=-1``; their
        ``offset_m`` still says how far they are.

    Returns
    -------
    Snap
        One entry per point, in input order.
    """
    limit = _check_max_distance(max_distance_m)
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    k = xy.shape[0]
    edge = np.full(k, -1, dtype=np.int64)
    along = np.full(k, np.nan)
    offset = np.full(k, np.inf)
    if k:
        # query in spatial order (rows of cells): neighbouring queries walk the same tree nodes, which roughly halves
        # the time of the nearest-segment search; the answers are scattered back to input order
        order = _spatial_order(xy)
        points = shapely.points(xy[order])
        pi, ei, dist = _nearest_segments(_edge_tree(net), points)
        ei_geom = net.edge_geometry[ei]
        at = shapely.line_locate_point(ei_geom, points[pi])
        pi = order[pi]
        edge[pi] = ei
        offset[pi] = dist
        along[pi] = np.clip(at, 0.0, net.edge_length_m[ei])
    far = ~(offset <= limit)
    edge[far] = -1
    along[far] = np.nan
    return Snap(edge=edge, along_m=along, offset_m=offset, far=far)


def access_times(net: WalkNetwork, snap: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The access walks of the placed points (those not far from the network).

    Parameters
    ----------
    net : the walking network.
    snap : points placed with :func:`snap_points`.

    Returns
    -------
    placed : indices of the placed points.
    off_t : seconds of the straight walk from each point to its segment.
    to_u, to_v : seconds along the segment from the point's foot to the u end and to the v end.
    """
    placed = np.flatnonzero(snap.edge >= 0)
    e = snap.edge[placed]
    rate = net.edge_time_s[e] / net.edge_length_m[e]  # seconds per metre along this segment
    off_t = snap.offset_m[placed] / net.walk_speed_m_s
    to_u = snap.along_m[placed] * rate
    to_v = (net.edge_length_m[e] - snap.along_m[placed]) * rate
    return placed, off_t, to_u, to_v


def node_times_from_sources(
    net: WalkNetwork, source_snap: Snap, *, limit_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Walking time from the nearest source to every node, and which source that is.

    Parameters
    ----------
    net : the walking network.
    source_snap : the sources placed with :func:`snap_points`; far sources take no part.
    limit_s : nodes farther than this (seconds) get ``inf``; a smaller limit is faster.

    Returns
    -------
    time_s : (n_nodes,) seconds, access walk of the source included; ``inf`` beyond ``limit_s``.
    source : (n_nodes,) index of the nearest source (into ``source_snap``), -1 where ``time_s`` is inf.
    """
    limit = check_limit(limit_s)
    n = net.n_nodes
    placed, off_t, to_u, to_v = access_times(net, source_snap)
    if placed.size == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    graph = graph_with_sources(net, placed, off_t, to_u, to_v, source_snap.edge[placed])
    virtual = n + np.arange(placed.size)
    dist, _, origin = dijkstra(
        graph, directed=True, indices=virtual, min_only=True, return_predecessors=True, limit=limit
    )
    time_s = dist[:n]
    origin = origin[:n]
    source = np.full(n, -1, dtype=np.int64)
    reached = np.isfinite(time_s)
    source[reached] = placed[origin[reached] - n]
    return time_s, source


def node_times_per_source(
    net: WalkNetwork, source_snap: Snap, *, limit_s: float, sources: np.ndarray | None = None
) -> np.ndarray:
    """Walking time from each of some sources separately to every node (a dense block; use small batches).

    Parameters
    ----------
    net : the walking network.
    source_snap : the sources placed with :func:`snap_points`.
    limit_s : nodes farther than this (seconds) get ``inf``.
    sources : indices into ``source_snap`` to run (default all). Far sources give rows of ``inf``.

    Returns
    -------
    (len(sources), n_nodes) float array of seconds. Memory is ``8 * len(sources) * n_nodes`` bytes.
    """
    limit = check_limit(limit_s)
    n = net.n_nodes
    rows = np.arange(len(source_snap)) if sources is None else np.asarray(sources, dtype=np.int64).reshape(-1)
    sub = source_snap.subset(rows)
    placed, off_t, to_u, to_v = access_times(net, sub)
    if placed.size == 0:
        return np.full((rows.size, n), np.inf)
    graph = graph_with_sources(net, placed, off_t, to_u, to_v, sub.edge[placed])
    dist = dijkstra(graph, directed=True, indices=n + np.arange(placed.size), limit=limit)[:, :n]
    if placed.size == rows.size:
        return dist
    out = np.full((rows.size, n), np.inf)
    out[placed] = dist
    return out


def _same_segment_best(
    src_edge: np.ndarray,
    src_along: np.ndarray,
    src_time: np.ndarray,
    tgt_edge: np.ndarray,
    tgt_along: np.ndarray,
    rate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Quickest direct walk along a shared segment from any source on it to each target.

    ``src_time`` is the source's own access time (offset walk); ``rate`` is seconds per metre of each target's
    segment. Returns (time, source position) per target, (inf, -1) where no source shares the segment.
    """
    nt = tgt_edge.size
    best_t = np.full(nt, np.inf)
    best_s = np.full(nt, -1, dtype=np.int64)
    if nt == 0 or src_edge.size == 0:
        return best_t, best_s
    ns = src_edge.size
    edges = np.concatenate([src_edge, tgt_edge])
    along = np.concatenate([src_along, tgt_along])
    is_tgt = np.concatenate([np.zeros(ns, dtype=bool), np.ones(nt, dtype=bool)])
    # seconds per metre of each source's segment, taken from the targets on it (segments without targets don't matter)
    uniq, inv = np.unique(edges, return_inverse=True)
    seg_rate = np.zeros(uniq.size)
    seg_rate[inv[ns:]] = rate
    src_rate = seg_rate[inv[:ns]]
    for side in (+1, -1):
        # +1: sources at or before the target (walk forwards); -1: at or after it (walk backwards)
        order = np.lexsort((is_tgt, side * along, edges))
        val = np.full(edges.size, np.inf)
        # the source's time carried back to along=0 (side +1) or forward past along=0 (side -1), so that adding
        # side * target along gives the walk source -> target
        val[:ns] = src_time - side * src_along * src_rate
        pos = segmented_prefix_argmin(edges[order], val[order])
        at_tgt = is_tgt[order]
        t_idx = order[at_tgt] - ns
        s_pos = pos[at_tgt]
        ok = s_pos >= 0
        s_idx = np.where(ok, order[np.maximum(s_pos, 0)], -1)
        cand = np.full(t_idx.size, np.inf)
        cand[ok] = val[s_idx[ok]] + side * tgt_along[t_idx[ok]] * rate[t_idx[ok]]
        better = cand < best_t[t_idx]
        best_t[t_idx[better]] = cand[better]
        best_s[t_idx[better]] = s_idx[better]
    return best_t, best_s


def nearest_times(
    net: WalkNetwork,
    source_xy: np.ndarray | None,
    target_xy: np.ndarray | None,
    *,
    limit_s: float,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    source_snap: Snap | None = None,
    target_snap: Snap | None = None,
) -> NearestTimes:
    """Walking time from the nearest source to each target, with access walks at both ends.

    Parameters
    ----------
    net : the walking network.
    source_xy, target_xy : (k, 2) coordinates in the network's CRS; either may be None when its snap is given.
    limit_s : times above this (seconds) are reported as ``inf``; a smaller limit is faster.
    max_distance_m : points farther than this from every street are flagged far (used only when snapping here).
    source_snap, target_snap : snaps from :func:`snap_points`, to reuse across calls.

    Returns
    -------
    NearestTimes
        Arrays as long as the inputs: far points are flagged, never dropped.
    """
    limit = check_limit(limit_s)
    if source_snap is None:
        if source_xy is None:
            raise OptionError.of("nearest_times_no_sources")
        source_snap = snap_points(net, source_xy, max_distance_m=max_distance_m)
    if target_snap is None:
        if target_xy is None:
            raise OptionError.of("nearest_times_no_targets")
        target_snap = snap_points(net, target_xy, max_distance_m=max_distance_m)
    nt = len(target_snap)
    time_s = np.full(nt, np.inf)
    source = np.full(nt, -1, dtype=np.int64)
    node_t, node_s = node_times_from_sources(net, source_snap, limit_s=limit)
    tp, t_off, t_u, t_v = access_times(net, target_snap)
    if tp.size:
        e = target_snap.edge[tp]
        u, v = net.edge_u[e], net.edge_v[e]
        via_u = node_t[u] + t_u
        via_v = node_t[v] + t_v
        use_v = via_v < via_u
        best = np.where(use_v, via_v, via_u)
        best_src = np.where(use_v, node_s[v], node_s[u])
        # two points on one segment may walk straight to each other without passing an end node
        sp_, s_off, _, _ = access_times(net, source_snap)
        if sp_.size:
            s_edge = source_snap.edge[sp_]
            on_shared = np.isin(e, s_edge)
            if on_shared.any():
                sel = np.flatnonzero(on_shared)
                rate = net.edge_time_s[e[sel]] / net.edge_length_m[e[sel]]
                direct, which = _same_segment_best(
                    s_edge, source_snap.along_m[sp_], s_off, e[sel], target_snap.along_m[tp[sel]], rate
                )
                closer = direct < best[sel]
                best[sel[closer]] = direct[closer]
                best_src[sel[closer]] = sp_[which[closer]]
        total = best + t_off
        ok = total <= limit
        time_s[tp[ok]] = total[ok]
        source[tp[ok]] = best_src[ok]
    return NearestTimes(
        time_s=time_s, source=source, target_far=target_snap.far.copy(), source_far=source_snap.far.copy()
    )
