"""Which segments of a network meet others other than end to end at shared nodes (bridges, tunnels, overlaps,
T-junctions without a node): :func:`crossing_flags`, built once per network, from exact orientation tests on the
segments' straight pieces (:func:`pieces_meet`, pairs found by :func:`box_pairs`), GEOS deciding only what numpy
cannot decide robustly. Their pieces are noded before polygonising.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import shapely

from geo.csr import derived, expand_ranges
from geo.network import WalkNetwork
from geo.service_area.segments import segment_vertices


def crossing_flags(net: WalkNetwork) -> np.ndarray:
    """True for segments that meet another segment other than end to end at shared nodes (bridges, tunnels,
    overlaps, T-junctions without a node). Their pieces are noded before polygonising.

    The rules are those of :func:`crossing_flags_geos`, which this reproduces flag for flag: two segments without a
    common node are flagged when they touch at all (``shapely.intersects``); two segments sharing a node when their
    interiors meet (``relate_pattern "T********"``), where two straight segments from a common node meet when they
    leave it in the same direction (to 1e-9 of their lengths' product, from the nodes' coordinates) or join the same
    two nodes, provided their boxes meet. The pairs are found without GEOS, from the straight pieces (vertex to
    vertex) of every segment, whose boxes are matched by :func:`box_pairs`; pieces of segments without a common
    node are decided by exact orientation tests (:func:`pieces_meet`). GEOS decides only what numpy cannot decide
    robustly: pieces too near collinear for the floating-point filter, and the interiors of bent segments sharing a
    node. A network with empty or non-finite geometry is handled by GEOS throughout.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "crossing" not in d:
        xy, first, _ = segment_vertices(net)
        nv = np.diff(first)
        if nv.size and (nv.min() < 2 or not (np.isfinite(xy).all() and np.isfinite(net.node_xy).all())):
            d["crossing"] = crossing_flags_geos(net)
        else:
            d["crossing"] = _crossing_from_pieces(net, xy, first, nv)
    return d["crossing"]


def _crossing_from_pieces(net: WalkNetwork, xy: np.ndarray, first: np.ndarray, nv: np.ndarray) -> np.ndarray:
    """:func:`crossing_flags` of a network whose segments all have two or more finite vertices."""
    edge, start = expand_ranges(first[:-1], nv - 1)  # piece: vertex start -> start + 1 of segment edge
    xa, xb, ya, yb = xy[start, 0], xy[start + 1, 0], xy[start, 1], xy[start + 1, 1]
    x0, x1, y0, y1 = np.minimum(xa, xb), np.maximum(xa, xb), np.minimum(ya, yb), np.maximum(ya, yb)
    del xa, xb, ya, yb
    u, v = net.edge_u, net.edge_v
    straight = (nv == 2) & (u != v)
    # direction u -> v of each straight segment from its nodes' coordinates, as the rule for shared nodes reads it
    dxy = net.node_xy[v] - net.node_xy[u]
    length = np.hypot(dxy[:, 0], dxy[:, 1])
    dx, dy = dxy[:, 0], dxy[:, 1]
    if edge.size != net.n_edges:  # some segments are bent: their attributes per piece
        u, v, straight, length, dx, dy = (x[edge] for x in (u, v, straight, length, dx, dy))
    kinds: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"far": [], "aligned": [], "bent": []}
    for s, t in _box_pair_chunks(x0, y0, x1, y1):
        us, vs, ut, vt = u[s], v[s], u[t], v[t]
        shared = (us == ut) | (us == vt) | (vs == ut) | (vs == vt)
        both = straight[s] & straight[t]
        cross = dx[s] * dy[t] - dy[s] * dx[t]  # the same up to an exact sign for either common node
        aligned = both & (np.abs(cross) <= 1e-9 * (length[s] * length[t]))
        for kind, pick in (
            ("far", ~shared),
            ("aligned", shared & aligned),
            ("bent", shared & ~both & (edge[s] != edge[t])),
        ):
            kinds[kind].append((s[pick], t[pick]))
    flag = np.zeros(net.n_edges, dtype=bool)
    s, t = _joined(kinds["far"])
    meet = pieces_meet(xy[start[s]], xy[start[s] + 1], xy[start[t]], xy[start[t] + 1])
    # GEOS takes a whole line of zero length to touch no other line (though it touches one of zero length at the
    # same place): its pairs are left to GEOS
    point = np.ones(net.n_edges, dtype=bool)
    point[edge[(x0 != x1) | (y0 != y1)]] = False
    meet[point[edge[s]] | point[edge[t]]] = UNSURE
    _flag_far(net, edge[s], edge[t], meet, flag)
    s, t = _joined(kinds["aligned"])
    _flag_aligned(net, edge[s], edge[t], flag)
    s, t = _joined(kinds["bent"])
    _flag_bent(net, edge[s], edge[t], flag)
    return flag


def crossing_flags_geos(net: WalkNetwork) -> np.ndarray:
    """:func:`crossing_flags` computed with GEOS on every pair of segments whose boxes meet (an STRtree query): the
    fallback for networks with empty or non-finite geometry, and the reference the fast path reproduces.

    Parameters
    ----------
    net : the walking network.
    """
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
    same_pair = ((net.edge_u[near_i] == net.edge_u[near_j]) & (net.edge_v[near_i] == net.edge_v[near_j])) | (
        (net.edge_u[near_i] == net.edge_v[near_j]) & (net.edge_v[near_i] == net.edge_u[near_j])
    )
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
    return flag


#: Shewchuk's error bound of the floating-point orientation determinant, (3 + 16 eps) eps with eps = 2**-53: a sign
#: beyond it is exact.
_ORIENT_BOUND = (3.0 + 16.0 * 2.0**-53) * 2.0**-53
#: Orientation code for a determinant too near zero to trust its sign.
UNSURE = 2


def orientation(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Side of point ``c`` from the line ``a`` -> ``b`` for (k, 2) arrays of points: 1 left, -1 right, 0 on it, and
    ``UNSURE`` (2) where floating point cannot tell (Shewchuk's orient2d filter; every other answer is exact).

    Parameters
    ----------
    a, b, c : (k, 2) coordinates.
    """
    terms = (a[:, 0], c[:, 0], b[:, 1], c[:, 1]), (a[:, 1], c[:, 1], b[:, 0], c[:, 0])
    left, right = ((w - x) * (y - z) for w, x, y, z in terms)
    det = left - right
    # when the two products differ in sign (or one is zero) the sign of det is exact: differences and products
    # round to the right sign, and a product is zero only for an exactly zero difference
    exact = (left == 0.0) | (right == 0.0) | ((left > 0.0) != (right > 0.0))
    sure = exact | (np.abs(det) >= _ORIENT_BOUND * (np.abs(left) + np.abs(right)))
    # collinear points whose differences and products were all computed without rounding (small or round
    # coordinates: grids, hand-drawn lines) are exactly collinear
    tie = np.flatnonzero(~sure & (left == right))
    if tie.size:
        sure[tie] = np.logical_and.reduce([_rounds_not(*(x[tie] for x in t)) for t in terms])
    return np.where(sure, np.sign(det), UNSURE).astype(np.int8)


def _rounds_not(w: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """True where ``w - x``, ``y - z`` and their product are computed exactly in floating point (error-free
    transformations: Knuth's TwoSum and Dekker's TwoProduct with Veltkamp's split)."""
    exact = np.ones(w.size, dtype=bool)
    diffs = []
    for m, n in ((w, x), (y, z)):
        d = m - n
        back = d - m
        exact &= (m - (d - back)) + (-n - back) == 0.0
        diffs.append(d)
    d, e = diffs
    prod = d * e
    dh, dl = _split(d)
    eh, el = _split(e)
    return exact & (((dh * eh - prod) + dh * el + dl * eh) + dl * el == 0.0)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Veltkamp's split of doubles into two halves of 26 bits each (``hi + lo == a`` exactly)."""
    big = 134217729.0 * a  # 2**27 + 1
    hi = big - (big - a)
    return hi, a - hi


def pieces_meet(p1: np.ndarray, p2: np.ndarray, q1: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """Whether the closed straight pieces ``p1 p2`` and ``q1 q2`` have a point in common: 1 yes, 0 no, ``UNSURE``
    where an orientation is too near zero to decide. A piece of zero length is a point.

    The test of GEOS's LineIntersector: apart when both ends of one piece lie strictly on one side of the other's
    line; collinear pieces overlap when their boxes meet; otherwise they cross or touch.

    Parameters
    ----------
    p1, p2, q1, q2 : (k, 2) coordinates of the pieces' ends.
    """
    o1, o2 = orientation(p1, p2, q1), orientation(p1, p2, q2)
    o3, o4 = orientation(q1, q2, p1), orientation(q1, q2, p2)
    known_p = (o1 != UNSURE) & (o2 != UNSURE)
    known_q = (o3 != UNSURE) & (o4 != UNSURE)
    apart = (known_p & (o1 * o2 > 0)) | (known_q & (o3 * o4 > 0))
    line = np.flatnonzero((o1 == 0) & (o2 == 0) & (o3 == 0) & (o4 == 0))
    lo, hi = np.minimum(p1[line], p2[line]), np.maximum(p1[line], p2[line])
    qlo, qhi = np.minimum(q1[line], q2[line]), np.maximum(q1[line], q2[line])
    apart[line] = ~((lo <= qhi) & (qlo <= hi)).all(axis=1)
    return np.where(apart, 0, np.where(known_p & known_q, 1, UNSURE)).astype(np.int8)


def box_pairs(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(s, t)`` (s != t, each pair once, in no order) of boxes that meet, closed as in an STRtree
    query.

    Parameters
    ----------
    x0, y0, x1, y1 : (s,) finite box bounds, x0 <= x1 and y0 <= y1.
    """
    return _joined(list(_box_pair_chunks(x0, y0, x1, y1)))


def _box_pair_chunks(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, chunk: int = 1 << 15
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pairs of :func:`box_pairs`, a chunk at a time (small enough to stay in cache while the caller sorts
    them).

    The plane is cut into horizontal strips about twice as high as a box is on average (faster than once or three
    times on the synthetic city); a box enters every strip it spans, and within a strip, sorted by left edge, each
    box meets only boxes whose left edge lies in its own x range (a range found by one binary search). A pair is
    kept in the first strip both share.
    """
    if x0.size < 2:
        return
    xlo, ylo = float(x0.min()), float(y0.min())
    width, height = float(x1.max()) - xlo, float(y1.max()) - ylo
    step = max(2.0 * float(np.mean(y1 - y0)), 2.0 * float(np.mean(x1 - x0)), height / 65536.0, 1e-9)
    s0 = np.floor((y0 - ylo) / step).astype(np.int64)
    s1 = np.floor((y1 - ylo) / step).astype(np.int64)
    box, strip = expand_ranges(s0, s1 - s0 + 1)
    # one sorted key per (box, strip): strips far apart, the left edge within; rounding is monotone, so every box
    # whose left edge is <= this box's right edge sorts at or before the search key of this box's right edge
    span = 2.0 * width + 1.0
    order = np.argsort(strip * span + (x0[box] - xlo))
    box, strip = box[order], strip[order]
    del order
    reach = np.searchsorted(strip * span + (x0[box] - xlo), strip * span + (x1[box] - xlo), side="right")
    for c0 in range(0, box.size, chunk):
        c1 = min(c0 + chunk, box.size)
        pos = np.arange(c0 + 1, c1 + 1)
        rep, other = expand_ranges(pos, reach[c0:c1] - pos)
        rep += c0
        s, t = box[rep], box[other]
        keep = (
            (np.maximum(s0[s], s0[t]) == strip[rep])
            & (x0[t] <= x1[s])
            & (x0[s] <= x1[t])
            & (y0[t] <= y1[s])
            & (y0[s] <= y1[t])
        )
        yield s[keep], t[keep]


def _flag_far(net: WalkNetwork, i: np.ndarray, j: np.ndarray, meet: np.ndarray, flag: np.ndarray) -> None:
    """Flag segments ``i``, ``j`` without a common node whose pieces meet (``meet`` from :func:`pieces_meet`);
    where a piece pair is ``UNSURE``, GEOS decides on the whole segments."""
    yes = meet == 1
    flag[i[yes]] = True
    flag[j[yes]] = True
    unsure = meet == UNSURE
    if unsure.any():
        a, b = _unique_pairs(i[unsure], j[unsure], net.n_edges)
        g = net.edge_geometry
        hit = shapely.intersects(g[a], g[b])
        flag[a[hit]] = True
        flag[b[hit]] = True


def _flag_aligned(net: WalkNetwork, a: np.ndarray, b: np.ndarray, flag: np.ndarray) -> None:
    """Flag straight segments ``a``, ``b`` sharing a node, boxes meeting, on one line (to 1e-9) that join the same
    two nodes or leave their common node in the same direction."""
    u, v = net.edge_u, net.edge_v
    same = ((u[a] == u[b]) & (v[a] == v[b])) | ((u[a] == v[b]) & (v[a] == u[b]))
    xy = net.node_xy
    dot = ((xy[v[a]] - xy[u[a]]) * (xy[v[b]] - xy[u[b]])).sum(axis=1)
    common = np.where((u[a] == u[b]) | (u[a] == v[b]), u[a], v[a])
    turn = (u[a] == common) != (u[b] == common)  # one of the two leaves the common node against u -> v
    ahead = same | (np.where(turn, -dot, dot) > 0)
    flag[a[ahead]] = True
    flag[b[ahead]] = True


def _flag_bent(net: WalkNetwork, a: np.ndarray, b: np.ndarray, flag: np.ndarray) -> None:
    """Flag segments ``a``, ``b`` sharing a node, one of them bent (or a loop), with pieces whose boxes meet, when
    their interiors meet (GEOS)."""
    if a.size:
        a, b = _unique_pairs(a, b, net.n_edges)
        g = net.edge_geometry
        meet = shapely.relate_pattern(g[a], g[b], "T********")
        flag[a[meet]] = True
        flag[b[meet]] = True


def _joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of every chunk in one pair of arrays."""
    none = np.zeros(0, dtype=np.int64)
    return np.concatenate([none, *(s for s, _ in parts)]), np.concatenate([none, *(t for _, t in parts)])


def _unique_pairs(i: np.ndarray, j: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct unordered pairs of ``(i, j)`` (ids below ``n``), as (smaller, larger)."""
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    key = np.unique(lo * np.int64(n) + hi)
    return key // n, key % n
