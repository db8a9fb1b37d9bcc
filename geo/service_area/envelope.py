"""Which part of each segment is reached within a time, and from where: the lower envelope of reaching cones.

How the reachable network is found
----------------------------------
Along one segment of length L every reaching "cone" gives a time that grows at the segment's rate r (seconds per
metre; steps keep their factor): from end u, ``d_u + p * r``; from end v, ``d_v + (L - p) * r``; from a facility
placed on the segment at ``a``, ``offset_time + |p - a| * r``. Since all cones on a segment share one slope, their
lower envelope splits the segment into consecutive intervals, one per cone, at the equal-time points. Clipping each
interval to its cone's reach ``(limit - time) / r`` gives the reached pieces for any band, and the owner of each piece
(for ``mode="nearest"``) without any further search. Everything is vectorised over all segments at once.
"""

from __future__ import annotations

import numpy as np

from geo.csr import expand_ranges, segmented_prefix_argmin
from geo.network import WalkNetwork
from geo.service_area.segments import cut_segments, segment_incidence, segment_rate
from geo.travel import Snap, access_times, check_limit


def lower_envelope(
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

    Parameters
    ----------
    net : the walking network.
    group_edge : the segment of each group.
    group : (c,) group of each cone.
    apex : (c,) metres along the segment where each cone starts.
    time : (c,) seconds at the apex.
    owner : (c,) the source (or facility row) each cone comes from.
    """
    order = np.lexsort((time, apex, group))
    g, a, t, o = group[order], apex[order], time[order], owner[order]
    e = group_edge[g]
    r = segment_rate(net)[e]
    size = g.size
    dominated = np.zeros(size, dtype=bool)
    if size:
        # cones at or before this apex (earlier in the order) reach it no later -> dominated (ties: the first wins)
        vl = t - a * r
        best = segmented_prefix_argmin(g, vl)
        prev = np.full(size, -1, dtype=np.int64)
        same_prev = np.zeros(size, dtype=bool)
        same_prev[1:] = g[1:] == g[:-1]
        prev[1:] = best[:-1]
        prev[~same_prev] = -1
        has = prev >= 0
        dominated[has] = vl[prev[has]] + a[has] * r[has] <= t[has]
        # cones after it reaching it strictly sooner
        vr = t + a * r
        best_rev = segmented_prefix_argmin(g[::-1], vr[::-1])
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


def band_pieces(env: dict[str, np.ndarray], limit_s: float, *, by_owner: bool) -> dict[str, np.ndarray]:
    """The pieces of each interval reached within ``limit_s``, contiguous pieces of one group merged.

    Parameters
    ----------
    env : the envelope from :func:`lower_envelope`.
    limit_s : the band's time budget in seconds.
    by_owner : keep pieces of different owners apart (``mode='nearest'``).
    """
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


def source_cones(net: WalkNetwork, snap: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(source index, edge, apex along, time) of every placed source.

    Parameters
    ----------
    net : the walking network.
    snap : the sources placed with :func:`geo.travel.snap_points`.
    """
    placed, off_t, _, _ = access_times(net, snap)
    return placed, snap.edge[placed], snap.along_m[placed], off_t


def network_envelope(
    net: WalkNetwork, node_time: np.ndarray, node_owner: np.ndarray, limit_s: float, snap: Snap | None
) -> dict[str, np.ndarray]:
    """Envelope over every segment touched by a node reached within ``limit_s`` or holding a source.

    Parameters
    ----------
    net : the walking network.
    node_time : (n_nodes,) seconds from the nearest source.
    node_owner : (n_nodes,) that source.
    limit_s : the largest band in seconds.
    snap : the sources, whose own segments are walked straight from them (None: through end nodes only).
    """
    reached = np.flatnonzero(node_time <= limit_s)
    indptr, inc = segment_incidence(net)
    _, pos = expand_ranges(indptr[reached], indptr[reached + 1] - indptr[reached])
    edges = inc[pos]
    if snap is not None:
        src, s_edge, s_apex, s_time = source_cones(net, snap)
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
    return lower_envelope(
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
    limit = check_limit(limit_s)
    node_time = np.asarray(node_time_s, dtype=float)
    env = network_envelope(net, node_time, np.zeros(net.n_nodes, dtype=np.int64), limit, source_snap)
    pieces = band_pieces(env, limit, by_owner=False)
    return cut_segments(net, pieces["edge"], pieces["start"], pieces["end"])
