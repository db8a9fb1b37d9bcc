"""Who reaches whom: sparse walking times between every source and every target within a limit.

:func:`reach_matrix` is the many-to-many companion of :func:`geo.travel.nearest_times`: the same time definition
(the access walk from the source to its street segment, the partial segment to an end node, the network, the
partial segment and the access walk to the target, and the straight walk along a segment that both points share),
but one time per (source, target) pair instead of only the nearest source. Its column-wise minimum over the sources
equals ``nearest_times(...).time_s`` exactly (as float32).

Shortest paths run with :func:`scipy.sparse.csgraph.dijkstra` from the sources' virtual nodes (the graph of
:mod:`geo.travel`), in batches of sources with ``limit`` so that the dense block of node times stays within
``max_batch_bytes``. Targets are evaluated from the reached nodes through a node -> targets incidence list (each
target hangs on both ends of its segment), vectorised; pairs on a shared segment are added in one vectorised pass.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from geo.csr import expand_ranges, graph_with_sources
from geo.network import WalkNetwork
from geo.travel import Snap, access_times, check_limit

#: Memory allowed for one batch's dense block of node times (bytes).
DEFAULT_MAX_BATCH_BYTES = 128 * 1024 * 1024


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
    n = net.n_nodes
    empty = sp.csr_matrix(
        (np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(ns + 1, np.int64)), shape=(ns, nt)
    )
    sp_idx, s_off, s_u, s_v = access_times(net, source_snap)
    tp_idx, t_off, t_u, t_v = access_times(net, target_snap)
    if sp_idx.size == 0 or tp_idx.size == 0:
        return empty
    # node -> targets incidence (each placed target on both end nodes of its segment, with the partial time)
    t_edge = target_snap.edge[tp_idx]
    inc_node = np.concatenate([net.edge_u[t_edge], net.edge_v[t_edge]]).astype(np.int64)
    inc_tgt = np.concatenate([tp_idx, tp_idx])
    inc_part = np.concatenate([t_u, t_v])
    inc_off = np.concatenate([t_off, t_off])
    order = np.argsort(inc_node, kind="stable")
    inc_node, inc_tgt, inc_part, inc_off = inc_node[order], inc_tgt[order], inc_part[order], inc_off[order]
    inc_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(inc_node, minlength=n), out=inc_ptr[1:])
    has_target = np.diff(inc_ptr) > 0
    # shared segments: for each placed source, the placed targets on its segment
    t_order = np.argsort(t_edge, kind="stable")
    t_edge_sorted = t_edge[t_order]
    s_edge = source_snap.edge[sp_idx]
    lo = np.searchsorted(t_edge_sorted, s_edge, side="left")
    hi = np.searchsorted(t_edge_sorted, s_edge, side="right")
    # the graph with one virtual node per placed source (exactly the graph nearest_times runs on)
    graph = graph_with_sources(net, sp_idx, s_off, s_u, s_v, s_edge)
    width = graph.shape[0]
    k = sp_idx.size
    if batch is None:
        batch = max(1, int(max_batch_bytes // (8 * width)))
    batch = int(max(1, min(batch, k)))
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    vals_out: list[np.ndarray] = []
    for start in range(0, k, batch):
        stop = min(start + batch, k)
        local = np.arange(start, stop)
        dist = dijkstra(graph, directed=True, indices=n + local, limit=limit)[:, :n]
        r, node = np.nonzero(np.isfinite(dist) & has_target[None, :])
        d = dist[r, node]
        del dist
        rep, pos = expand_ranges(inc_ptr[node], inc_ptr[node + 1] - inc_ptr[node])
        # same arithmetic as nearest_times: (node time + partial segment) + target's access walk
        pair_src = r[rep]
        pair_tgt = inc_tgt[pos]
        pair_t = (d[rep] + inc_part[pos]) + inc_off[pos]
        # shared segment: straight along it, (src offset -/+ src_along*rate) +/- tgt_along*rate, then + tgt offset
        s_lo, s_hi = lo[local], hi[local]
        scnt = s_hi - s_lo
        if scnt.sum():
            srep, spos = expand_ranges(s_lo, scnt)
            tj = t_order[spos]  # position among placed targets
            si = local[srep]  # position among placed sources
            e = t_edge[tj]
            rate = net.edge_time_s[e] / net.edge_length_m[e]
            a_s = source_snap.along_m[sp_idx[si]]
            a_t = target_snap.along_m[tp_idx[tj]]
            fwd = np.where(a_s <= a_t, (s_off[si] - a_s * rate) + a_t * rate, np.inf)
            bwd = np.where(a_s >= a_t, (s_off[si] + a_s * rate) - a_t * rate, np.inf)
            direct = np.minimum(fwd, bwd) + t_off[tj]
            pair_src = np.concatenate([pair_src, srep])
            pair_tgt = np.concatenate([pair_tgt, tp_idx[tj]])
            pair_t = np.concatenate([pair_t, direct])
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
        rows_out.append(sp_idx[start + key // nt])
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


def reach_pattern(reach: sp.csr_matrix) -> sp.csr_matrix:
    """The boolean pattern of a :func:`reach_matrix` (True for every stored pair, zero-second pairs included)."""
    m = reach.tocsr()
    return sp.csr_matrix((np.ones(m.indices.size, dtype=bool), m.indices, m.indptr), shape=m.shape)
