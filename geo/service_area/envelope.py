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


def ends_envelope(
    net: WalkNetwork,
    group_edge: np.ndarray,
    tu: np.ndarray,
    tv: np.ndarray,
    owner_u: np.ndarray,
    owner_v: np.ndarray,
    special: np.ndarray,
    extra: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> dict[str, np.ndarray]:
    """:func:`lower_envelope` of groups reached through their two end nodes, plus a few groups with more cones.

    Most groups (segments) have just two cones, from their u end (``tu``, inf for none) and from their v end
    (``tv``); their envelope has a closed form, computed here without sorting, with the same arithmetic as
    :func:`lower_envelope`. The ``special`` groups (sorted, unique: those holding a source) also get the cones
    ``extra`` = (group, apex, time, owner) and go through :func:`lower_envelope`. Returns the same dict.

    Parameters
    ----------
    net : the walking network.
    group_edge : (g,) the segment of each group.
    tu, tv : (g,) seconds at each group's u and v ends (inf where not reached).
    owner_u, owner_v : (g,) who reaches each end.
    special : groups that also have ``extra`` cones.
    extra : their cones (group, apex, time, owner).
    """
    plain = np.ones(group_edge.size, dtype=bool)
    plain[special] = False
    out = _two_cones(net, np.flatnonzero(plain), group_edge, tu, tv, owner_u, owner_v)
    if special.size == 0:
        return out
    sg, sa, st, so = extra
    su, sv = np.isfinite(tu[special]), np.isfinite(tv[special])
    rest = lower_envelope(
        net,
        group_edge,
        np.concatenate([special[su], special[sv], sg]),
        np.concatenate([np.zeros(su.sum()), net.edge_length_m[group_edge[special[sv]]], sa]),
        np.concatenate([tu[special[su]], tv[special[sv]], st]),
        np.concatenate([owner_u[special[su]], owner_v[special[sv]], so]),
    )
    # both parts are sorted by group and hold different groups: a stable merge keeps each group's order
    order = np.argsort(np.concatenate([out["group"], rest["group"]]), kind="stable")
    return {name: np.concatenate([out[name], rest[name]])[order] for name, _ in _ENVELOPE_FIELDS}


def _two_cones(
    net: WalkNetwork,
    g: np.ndarray,
    group_edge: np.ndarray,
    tu: np.ndarray,
    tv: np.ndarray,
    owner_u: np.ndarray,
    owner_v: np.ndarray,
) -> dict[str, np.ndarray]:
    """The envelope of groups ``g`` (sorted), each with at most its two end cones (see :func:`ends_envelope`)."""
    e = group_edge[g]
    r = segment_rate(net)[e]
    length = net.edge_length_m[e]
    t_u, t_v = tu[g], tv[g]
    has_u, has_v = np.isfinite(t_u), np.isfinite(t_v)
    both = has_u & has_v
    with np.errstate(invalid="ignore", over="ignore"):
        # the v cone is dominated when the u cone reaches v no later (ties: the first, u, wins)
        v_out = both & (t_u + length * r <= t_v)
        # the u cone when the v cone reaches u strictly sooner beyond rounding
        u_out = both & ~v_out & (t_v + length * r < t_u - 1e-9 * (1.0 + np.abs(t_u)))
        # a segment of length 0: its two cones share an apex, and the quicker (u on a tie) wins
        zero = both & (length == 0)
        v_out = np.where(zero, t_u <= t_v, v_out)
        u_out = np.where(zero, t_v < t_u, u_out)
        cut = np.clip((t_v - t_u) / (2.0 * r) + (length + 0.0) / 2.0, 0.0, length)
    keep_u, keep_v = has_u & ~u_out, has_v & ~v_out
    pair = keep_u & keep_v
    ku, kv = np.flatnonzero(keep_u), np.flatnonzero(keep_v)
    # interleave: each group's u cone (apex 0) before its v cone (apex = length)
    before = np.cumsum(keep_u) + np.cumsum(keep_v)  # cones kept up to and including each group
    pos_u = before[ku] - 1 - keep_v[ku]
    pos_v = before[kv] - 1
    size = ku.size + kv.size
    out = {name: np.empty(size, dtype=dtype) for name, dtype in _ENVELOPE_FIELDS}
    for pos, k, apex, t, o, lo, hi in (
        (
            pos_u,
            ku,
            np.zeros(ku.size),
            t_u[ku],
            owner_u[g[ku]],
            np.zeros(ku.size),
            np.where(pair[ku], cut[ku], length[ku]),
        ),
        (pos_v, kv, length[kv], t_v[kv], owner_v[g[kv]], np.where(pair[kv], cut[kv], 0.0), length[kv]),
    ):
        out["group"][pos] = g[k]
        out["edge"][pos] = e[k]
        out["apex"][pos] = apex
        out["time"][pos] = t
        out["owner"][pos] = o
        out["lo"][pos] = lo
        out["hi"][pos] = hi
        out["rate"][pos] = r[k]
        out["length"][pos] = length[k]
    return out


_ENVELOPE_FIELDS = (
    ("group", np.int64),
    ("edge", np.int64),
    ("apex", float),
    ("time", float),
    ("owner", np.int64),
    ("lo", float),
    ("hi", float),
    ("rate", float),
    ("length", float),
)


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
    tu = np.where(node_time[u] <= limit_s, node_time[u], np.inf)
    tv = np.where(node_time[v] <= limit_s, node_time[v], np.inf)
    owner = np.asarray(node_owner, dtype=np.int64)
    special = np.empty(0, dtype=np.int64)
    cones = (special, np.empty(0), np.empty(0), special)
    if snap is not None:
        s_group = np.searchsorted(edges, s_edge)
        special = np.unique(s_group)
        cones = (s_group, s_apex, s_time, src.astype(np.int64))
    return ends_envelope(net, edges, tu, tv, owner[u], owner[v], special, cones)


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
