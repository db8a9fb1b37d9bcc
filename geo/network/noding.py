"""Where centrelines meet, found segment by segment with arrays: the split points of :func:`node_lines`.

The lines' segments are indexed once in an STRtree (bounding boxes only); pairs of segments of different lines of one
noding group whose boxes meet are then sorted with plain arithmetic: pairs that only share an end point (the common
case: streets drawn through a shared vertex) give that vertex; disjoint pairs give nothing; every other pair (a proper
crossing, an end lying on the other segment, collinear overlap) is handed to GEOS, segment against segment, so the
points are the ones ``shapely.intersection`` of the whole lines gives.
"""

from __future__ import annotations

import numpy as np
import shapely

#: Candidate segment pairs are tested in chunks of this many pairs (bounds memory on a million-node layer).
_CHUNK = 2_000_000


def _orient(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Twice the signed area of the triangles (a, b, c), row by row."""
    return (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])


def _contacts(
    p: np.ndarray, q: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For segment pairs (a[k], b[k]): which touch only at a shared end, whether that end is the start of a and
    of b (else their end), and which pairs need GEOS."""
    p1, p2, q1, q2 = p[a], q[a], p[b], q[b]
    o1, o2 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    o3, o4 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    apart = (o1 * o2 > 0) | (o3 * o4 > 0)
    lo_a, hi_a = np.minimum(p1, p2), np.maximum(p1, p2)
    lo_b, hi_b = np.minimum(q1, q2), np.maximum(q1, q2)
    apart |= np.any((hi_a < lo_b) | (hi_b < lo_a), axis=1)
    same = [np.all(x == y, axis=1) for x, y in ((p1, q1), (p1, q2), (p2, q1), (p2, q2))]
    shared = same[0] | same[1] | same[2] | same[3]
    collinear = (o1 == 0) & (o2 == 0)
    n_shared = same[0].astype(np.int8) + same[1] + same[2] + same[3]
    vertex_only = shared & ~collinear & (n_shared == 1) & ~apart
    return vertex_only, same[0] | same[1], same[0] | same[2], ~apart & ~vertex_only


def _cell_pairs(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a, b) of segments whose boxes may meet: both touch a common cell of a grid (a superset; a pair may
    be listed more than once). Long segments are cut into cell-sized pieces for the grid, so each piece's box
    spans at most 2 x 2 cells."""
    lo, hi = np.minimum(p, q), np.maximum(p, q)
    extent = (hi - lo).max(axis=1)
    cell = float(np.quantile(extent, 0.9)) if extent.size else 1.0
    cell = max(cell, 1e-6 * max(1.0, float(np.abs(p).max(initial=0.0))))
    n_sub = np.maximum(1, np.ceil(extent / cell)).astype(np.int64)
    seg = np.repeat(np.arange(p.shape[0]), n_sub)
    k = np.arange(seg.size) - np.repeat(np.cumsum(n_sub) - n_sub, n_sub)
    f0 = (k / n_sub[seg])[:, None]
    f1 = ((k + 1) / n_sub[seg])[:, None]
    a_xy = p[seg] + (q[seg] - p[seg]) * f0
    b_xy = p[seg] + (q[seg] - p[seg]) * f1
    origin = lo.min(axis=0)
    c0 = np.floor((np.minimum(a_xy, b_xy) - origin) / cell).astype(np.int64)
    c1 = np.floor((np.maximum(a_xy, b_xy) - origin) / cell).astype(np.int64)
    width = int(c1[:, 0].max()) + 2
    cells, owners = [], []
    for dx in (0, 1):
        for dy in (0, 1):
            ok = (c0[:, 0] + dx <= c1[:, 0]) & (c0[:, 1] + dy <= c1[:, 1])
            cells.append((c0[ok, 1] + dy) * width + c0[ok, 0] + dx)
            owners.append(seg[ok])
    cell_id = np.concatenate(cells)
    owner = np.concatenate(owners)
    order = np.argsort(cell_id, kind="stable")
    cell_id, owner = cell_id[order], owner[order]
    bounds = np.flatnonzero(np.r_[True, cell_id[1:] != cell_id[:-1], True])
    size = np.diff(bounds)
    group_start = np.repeat(bounds[:-1], size)
    rank = np.arange(cell_id.size) - group_start
    after = np.repeat(size, size) - rank - 1  # entries after this one in its cell
    first = np.repeat(np.arange(cell_id.size), after)
    offset = np.arange(first.size) - np.repeat(np.cumsum(after) - after, after) + 1
    return owner[first], owner[first + offset]


def segment_crossings(lines: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every point where two lines of the same group meet, once per line: (line index, xy, vertex index or -1).

    The same points (up to duplicates) as ``shapely.get_coordinates(shapely.intersection(lines[i], lines[j]))``
    over every pair of intersecting lines ``i < j`` of one group, listed for ``i`` and for ``j``. A point that is a
    vertex of its line comes with that vertex's index in ``shapely.get_coordinates(lines)``.
    """
    coords, c_line = shapely.get_coordinates(lines, return_index=True)
    inner = np.flatnonzero(c_line[1:] == c_line[:-1])
    p, q, seg_line = coords[inner], coords[inner + 1], c_line[inner]
    out_line: list[np.ndarray] = []
    out_xy: list[np.ndarray] = []
    out_vertex: list[np.ndarray] = []
    a_all, b_all = _cell_pairs(p, q)
    hard_pairs: list[np.ndarray] = []
    for lo in range(0, a_all.size, _CHUNK):
        a, b = a_all[lo : lo + _CHUNK], b_all[lo : lo + _CHUNK]
        keep = (seg_line[a] != seg_line[b]) & (group[seg_line[a]] == group[seg_line[b]])
        a, b = a[keep], b[keep]
        swap = seg_line[a] > seg_line[b]
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        vertex, at_start_a, at_start_b, hard = _contacts(p, q, a, b)
        va, vb = a[vertex], b[vertex]
        where = np.where(at_start_a[vertex][:, None], p[va], q[va])
        out_line += [seg_line[va], seg_line[vb]]
        out_xy += [where, where]
        out_vertex += [inner[va] + ~at_start_a[vertex], inner[vb] + ~at_start_b[vertex]]
        hard_pairs.append(np.column_stack([a[hard], b[hard]]))
    hard_ab = np.concatenate(hard_pairs) if hard_pairs else np.zeros((0, 2), np.int64)
    if hard_ab.size:
        pair = np.unique(hard_ab, axis=0)
        ha, hb = pair[:, 0], pair[:, 1]
        seg_a = shapely.linestrings(np.stack([p[ha], q[ha]], axis=1))
        seg_b = shapely.linestrings(np.stack([p[hb], q[hb]], axis=1))
        xy, k = shapely.get_coordinates(shapely.intersection(seg_a, seg_b), return_index=True)
        out_line += [seg_line[ha][k], seg_line[hb][k]]
        out_xy += [xy, xy]
        out_vertex += [np.full(k.size, -1), np.full(k.size, -1)]
    if not out_line:
        return np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64)
    return (
        np.concatenate(out_line).astype(np.int64),
        np.concatenate(out_xy),
        np.concatenate(out_vertex).astype(np.int64),
    )


def locate_on_lines(lines: np.ndarray, line: np.ndarray, xy: np.ndarray, vertex_d: np.ndarray) -> np.ndarray:
    """Distance along ``lines[line]`` of each point ``xy``, as ``shapely.line_locate_point`` gives it.

    ``vertex_d`` is the distance of the point when it is a vertex of its line (NaN otherwise); it is used unless
    the line touches itself (then GEOS finds the first visit, as it does for every point that is no vertex).
    """
    d = np.asarray(vertex_d, dtype=float).copy()
    if line.size == 0:
        return d
    simple = shapely.is_simple(lines)
    rest = np.flatnonzero(np.isnan(d) | ~simple[line])
    if rest.size:
        d[rest] = shapely.line_locate_point(lines[line[rest]], shapely.points(xy[rest]))
    return d
