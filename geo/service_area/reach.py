"""Who reaches whom: sparse walking times between every source and every target within a limit.

:func:`reach_matrix` is the many-to-many companion of :func:`geo.travel.nearest_times`: the same time definition
(the access walk from the source to its street segment, the partial segment to an end node, the network, the
partial segment and the access walk to the target, and the straight walk along a segment that both points share),
but one time per (source, target) pair instead of only the nearest source. Its column-wise minimum over the sources
equals ``nearest_times(...).time_s`` exactly (as float32).

Shortest paths run with :func:`scipy.sparse.csgraph.dijkstra` from the sources' virtual nodes (the graph of
:func:`geo.csr.graph_with_sources`), in batches of sources with ``limit`` so that the dense block of node times stays within
``max_batch_bytes``. Targets are evaluated from the reached nodes through a node -> targets incidence list (each
target hangs on both ends of its segment), vectorised; pairs on a shared segment are added in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from geo.csr import expand_ranges, graph_with_sources
from geo.network import WalkNetwork
from geo.travel import Snap, access_times, check_limit

#: Memory allowed for one batch's dense block of node times (bytes).
DEFAULT_MAX_BATCH_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class _Placed:
    """The placed points of one side of a reach matrix and their access walks (see :func:`geo.travel.access_times`)."""

    index: np.ndarray
    off_t: np.ndarray
    to_u: np.ndarray
    to_v: np.ndarray
    edge: np.ndarray
    along_m: np.ndarray

    @classmethod
    def of(cls, net: WalkNetwork, snap: Snap) -> _Placed:
        index, off_t, to_u, to_v = access_times(net, snap)
        return cls(index, off_t, to_u, to_v, snap.edge[index], snap.along_m[index])


@dataclass(frozen=True)
class _TargetIndex:
    """Where the placed targets hang on the network: a node -> targets incidence list (each target on both end
    nodes of its segment, with the partial segment time and its access walk), and the targets sorted by segment."""

    ptr: np.ndarray
    target: np.ndarray
    part: np.ndarray
    off: np.ndarray
    has_target: np.ndarray
    by_edge: np.ndarray
    edge_sorted: np.ndarray

    @classmethod
    def of(cls, net: WalkNetwork, tgt: _Placed) -> _TargetIndex:
        n = net.n_nodes
        inc_node = np.concatenate([net.edge_u[tgt.edge], net.edge_v[tgt.edge]]).astype(np.int64)
        inc_tgt = np.concatenate([tgt.index, tgt.index])
        inc_part = np.concatenate([tgt.to_u, tgt.to_v])
        inc_off = np.concatenate([tgt.off_t, tgt.off_t])
        order = np.argsort(inc_node, kind="stable")
        inc_node, inc_tgt, inc_part, inc_off = (
            inc_node[order],
            inc_tgt[order],
            inc_part[order],
            inc_off[order],
        )
        inc_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(inc_node, minlength=n), out=inc_ptr[1:])
        t_order = np.argsort(tgt.edge, kind="stable")
        return cls(inc_ptr, inc_tgt, inc_part, inc_off, np.diff(inc_ptr) > 0, t_order, tgt.edge[t_order])


def reach_matrix(
    net: WalkNetwork,
    source_snap: Snap,
    target_snap: Snap,
    *,
    limit_s: float,
    batch: int | None = None,
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
) -> sp.csr_matrix:
    """Walking seconds from every source to every target within ``limit_s``, as a sparse matrix.

    Parameters
    ----------
    net : the walking network.
    source_snap, target_snap : points placed with :func:`geo.travel.snap_points`; far points get empty rows/columns.
    limit_s : pairs farther apart than this (seconds) are left out.
    batch : sources per Dijkstra run; default as many as fit in ``max_batch_bytes``.
    max_batch_bytes : memory for one batch's dense (batch x nodes) block of float64 times.

    Returns
    -------
    scipy.sparse.csr_matrix
        (n_sources, n_targets) float32 seconds, sorted indices. A pair at 0 s (the same spot) is stored as an
        explicit zero: test membership with the sparsity structure (``indptr``/``indices``), not with the values.
    """
    limit = check_limit(limit_s)
    ns, nt = len(source_snap), len(target_snap)
    empty = sp.csr_matrix(
        (np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(ns + 1, np.int64)), shape=(ns, nt)
    )
    src, tgt = _Placed.of(net, source_snap), _Placed.of(net, target_snap)
    if src.index.size == 0 or tgt.index.size == 0:
        return empty
    targets = _TargetIndex.of(net, tgt)
    # the graph with one virtual node per placed source (exactly the graph nearest_times runs on)
    graph = graph_with_sources(net, src.index, src.off_t, src.to_u, src.to_v, src.edge)
    k = src.index.size
    if batch is None:
        batch = max(1, int(max_batch_bytes // (8 * graph.shape[0])))
    batch = int(max(1, min(batch, k)))
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    vals_out: list[np.ndarray] = []
    for start in range(0, k, batch):
        local = np.arange(start, min(start + batch, k))
        dist = dijkstra(graph, directed=True, indices=net.n_nodes + local, limit=limit)[:, : net.n_nodes]
        pair_src, pair_tgt, pair_t = _pairs_through_nodes(dist, targets)
        del dist
        shared = _pairs_on_shared_segments(net, src, tgt, targets, local)
        if shared is not None:
            pair_src = np.concatenate([pair_src, shared[0]])
            pair_tgt = np.concatenate([pair_tgt, shared[1]])
            pair_t = np.concatenate([pair_t, shared[2]])
        ok = pair_t <= limit
        pair_src, pair_tgt, pair_t = pair_src[ok], pair_tgt[ok], pair_t[ok]
        if pair_t.size == 0:
            continue
        key = pair_src.astype(np.int64) * nt + pair_tgt
        o = np.lexsort((pair_t, key))
        key, pair_t = key[o], pair_t[o]
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, best = key[first], pair_t[first]
        rows_out.append(src.index[start + key // nt])
        cols_out.append(key % nt)
        vals_out.append(best.astype(np.float32))
    if not rows_out:
        return empty
    rows = np.concatenate(rows_out)
    cols = np.concatenate(cols_out).astype(np.int32)
    vals = np.concatenate(vals_out)
    # batches run in placed-source order and each batch's pairs are sorted by (source, target): the rows are sorted
    indptr = np.zeros(ns + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=ns), out=indptr[1:])
    out = sp.csr_matrix((vals, cols, indptr), shape=(ns, nt))
    out.has_sorted_indices = True
    return out


def _pairs_through_nodes(
    dist: np.ndarray, targets: _TargetIndex
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(batch row, target, seconds) of every target hanging on a node the batch reaches."""
    inc_ptr = targets.ptr
    r, node = np.nonzero(np.isfinite(dist) & targets.has_target[None, :])
    d = dist[r, node]
    rep, pos = expand_ranges(inc_ptr[node], inc_ptr[node + 1] - inc_ptr[node])
    # same arithmetic as nearest_times: (node time + partial segment) + target's access walk
    return r[rep], targets.target[pos], (d[rep] + targets.part[pos]) + targets.off[pos]


def _pairs_on_shared_segments(
    net: WalkNetwork, src: _Placed, tgt: _Placed, targets: _TargetIndex, local: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(batch row, target, seconds) of the straight walks along a segment that a source of the batch and a target
    share; None when they share none.

    Straight along it: (src offset -/+ src_along*rate) +/- tgt_along*rate, then + tgt offset.
    """
    s_edge = src.edge[local]
    s_lo = np.searchsorted(targets.edge_sorted, s_edge, side="left")
    s_hi = np.searchsorted(targets.edge_sorted, s_edge, side="right")
    scnt = s_hi - s_lo
    if not scnt.sum():
        return None
    srep, spos = expand_ranges(s_lo, scnt)
    tj = targets.by_edge[spos]  # position among placed targets
    si = local[srep]  # position among placed sources
    e = tgt.edge[tj]
    rate = net.edge_time_s[e] / net.edge_length_m[e]
    a_s = src.along_m[si]
    a_t = tgt.along_m[tj]
    fwd = np.where(a_s <= a_t, (src.off_t[si] - a_s * rate) + a_t * rate, np.inf)
    bwd = np.where(a_s >= a_t, (src.off_t[si] + a_s * rate) - a_t * rate, np.inf)
    direct = np.minimum(fwd, bwd) + tgt.off_t[tj]
    return srep, tgt.index[tj], direct


def reach_pattern(reach: sp.csr_matrix) -> sp.csr_matrix:
    """The boolean pattern of a :func:`reach_matrix` (True for every stored pair, zero-second pairs included).

    Parameters
    ----------
    reach : a matrix from :func:`reach_matrix`.
    """
    m = reach.tocsr()
    return sp.csr_matrix((np.ones(m.indices.size, dtype=bool), m.indices, m.indptr), shape=m.shape)
