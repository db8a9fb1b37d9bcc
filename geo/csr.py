"""The network as arrays for compiled shortest paths, and the loop-free array steps built on them.

:func:`network_csr` is the walking network as a CSR matrix of seconds; :func:`graph_with_sources` adds one virtual
node per source to it. :func:`derived` keeps such per-network data (the CSR matrix, the STRtree of segments, the
blocks of :mod:`geo.service_area`) with the network object. :func:`expand_ranges` and
:func:`segmented_prefix_argmin` are the vectorised steps :mod:`geo.travel` and :mod:`geo.service_area` share.
"""

from __future__ import annotations

import weakref

import numpy as np
import scipy.sparse as sp

from geo.network import WalkNetwork

# Per-network derived data (CSR matrix, STRtree). Keyed weakly on the network object itself, so it lives exactly as
# long as that network and never leaks from one network to another (``with_speed`` returns a new network).
_DERIVED: weakref.WeakKeyDictionary[WalkNetwork, dict] = weakref.WeakKeyDictionary()


def derived(net: WalkNetwork) -> dict:
    """The dict of data derived from ``net`` (CSR matrix, STRtree, blocks, ...), kept as long as ``net`` lives.

    Parameters
    ----------
    net : the walking network; each network object has its own dict.
    """
    d = _DERIVED.get(net)
    if d is None:
        d = {}
        _DERIVED[net] = d
    return d


def network_csr(net: WalkNetwork) -> sp.csr_matrix:
    """The network as a symmetric (n, n) CSR matrix of walking seconds.

    Both directions of every segment are stored (the network is undirected); between two nodes joined by several
    segments only the quickest is kept; self-loops are left out (they never shorten a path). The matrix is built
    once per network object and reused; treat it as read-only.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    csr = d.get("csr")
    if csr is None:
        u = np.asarray(net.edge_u, dtype=np.int64)
        v = np.asarray(net.edge_v, dtype=np.int64)
        t = np.asarray(net.edge_time_s, dtype=float)
        rows, cols, w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([t, t])
        keep = rows != cols
        rows, cols, w = rows[keep], cols[keep], w[keep]
        shape = (net.n_nodes, net.n_nodes)
        # scipy's conversion is a linear-time bucket sort, but it adds up repeated entries: use it when there are
        # none (the usual case) and sort explicitly to keep the quickest of parallel segments otherwise
        csr = sp.csr_matrix((w, (rows, cols)), shape=shape)
        if csr.nnz != rows.size:
            key = rows * np.int64(max(net.n_nodes, 1)) + cols
            order = np.argsort(key)
            key, rows, cols, w = key[order], rows[order], cols[order], w[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            w = np.minimum.reduceat(w, starts)
            rows, cols = rows[starts], cols[starts]
            indptr = np.zeros(net.n_nodes + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=net.n_nodes), out=indptr[1:])
            csr = sp.csr_matrix((w, cols, indptr), shape=shape)
        csr.sort_indices()
        d["csr"] = csr
    return csr


def expand_ranges(start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every element of the ranges ``start[i] : start[i] + count[i]``, loop-free: ``(rep, pos)`` with ``rep`` the
    range each element comes from and ``pos`` the element, ranges in order.

    Parameters
    ----------
    start : (r,) first element of each range.
    count : (r,) length of each range.
    """
    rep = np.repeat(np.arange(count.size), count)
    pos = start[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count))
    return rep, pos


def segmented_prefix_argmin(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each position of a sequence sorted by ``group``, the position of the smallest ``value`` seen so far in
    its group (itself included), ties to the earliest; -1 when every value so far is inf.

    Exact (works on ranks, not on shifted floats) and loop-free.

    Parameters
    ----------
    group : (s,) group of each position, sorted.
    value : (s,) the values (inf for none).
    """
    size = value.size
    if size == 0:
        return np.empty(0, dtype=np.int64)
    order = np.argsort(value, kind="stable")
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size)
    gid = np.zeros(size, dtype=np.int64)
    gid[1:] = np.cumsum(group[1:] != group[:-1])
    # later groups are shifted below every earlier key, so the running minimum restarts at each group
    key = rank - gid * (size + 1)
    best = order[np.minimum.accumulate(key) + gid * (size + 1)]
    return np.where(np.isfinite(value[best]), best, -1)


def graph_with_sources(
    net: WalkNetwork,
    placed: np.ndarray,
    off_t: np.ndarray,
    to_u: np.ndarray,
    to_v: np.ndarray,
    edge: np.ndarray,
) -> sp.csr_matrix:
    """The network CSR with one extra row per source: a virtual node with arcs to its segment's two ends.

    The arcs carry the access time (offset walk plus along-segment part). They run one way only (virtual -> node),
    so no path passes through a source.

    Parameters
    ----------
    net : the walking network.
    placed : (k,) the placed sources (their count sizes the virtual nodes).
    off_t, to_u, to_v : (k,) access walk seconds: straight to the segment, then to its u and v ends.
    edge : (k,) the segment of each source.
    """
    base = network_csr(net)
    n, k = net.n_nodes, placed.size
    u, v = net.edge_u[edge], net.edge_v[edge]
    loop = u == v
    cu, cv = off_t + to_u, off_t + to_v
    # a loop segment has one end node: keep the quicker way round
    cu = np.where(loop, np.minimum(cu, cv), cu)
    counts = np.where(loop, 1, 2)
    cols = np.column_stack([u, v]).ravel()
    vals = np.column_stack([cu, cv]).ravel()
    keep = np.column_stack([np.ones(k, dtype=bool), ~loop]).ravel()
    indptr = np.concatenate([base.indptr, base.indptr[-1] + np.cumsum(counts)])
    indices = np.concatenate([base.indices, cols[keep]])
    data = np.concatenate([base.data, vals[keep]])
    return sp.csr_matrix((data, indices, indptr), shape=(n + k, n + k))
