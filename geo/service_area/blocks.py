"""Reached lines to polygons through the blocks they enclose.

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
see :func:`planar_faces`), and kept with the network like its CSR matrix. For a band (or a facility) a block is
*whole* when every segment bounding it is wholly reached; the whole blocks' union, buffered outwards, minus their
cached cores, is the area along their streets, and only the remaining pieces (the partly reached rim, streets
between rim blocks, dead ends near a core, segments crossing others without a node) are polygonised and buffered
as above. Any set of whole blocks gives the same result: every reached piece is either on a whole block's
boundary or buffered on its own. The cache is derived data keyed weakly on the network (like the CSR matrix), not
a result: nothing the caller sees depends on whether it was warm.

"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components

from geo.csr import derived, expand_ranges
from geo.network import WalkNetwork
from geo.service_area.crossings import crossing_flags
from geo.service_area.segments import cut_segments, segment_vertices

#: Threads for the polygon work (GEOS releases the GIL, so bands and facilities are built side by side).
THREADS = max(1, min(2, os.cpu_count() or 1))


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


def planar_faces(net: WalkNetwork) -> dict[str, np.ndarray]:
    """The blocks (bounded faces) of the network's plane drawing, from its rotation system, without GEOS polygonising.

    Segments flagged by :func:`crossing_flags` (bridges, overlaps, zero-length pieces) are left out, so the rest is a
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

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "faces" in d:
        return d["faces"]
    m = net.n_edges
    xy, first, _ = segment_vertices(net)
    nv = first[1:] - first[:-1]
    length = np.asarray(net.edge_length_m, dtype=float)
    planar = ~crossing_flags(net) & (nv >= 2) & (length > 0)
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
    half = _half_segments(net, edges, xy, first)
    comp, twin = half.comp, half.twin
    bounded = _bounded_cycles(xy, half)
    # dead ends and bridges: both halves on one cycle; they do not bound that face
    doubled = comp == comp[twin]
    rank = _cycle_rank(half.nxt, half.label)
    # boundary half-segments of bounded faces, in order around each face
    keep = np.flatnonzero(bounded[comp] & ~doubled)
    # np.lexsort((rank[keep], comp[keep])): the (cycle, position) pairs are distinct, so one key sorts the same
    keep = keep[np.argsort(comp[keep] * np.int64(2 * k) + rank[keep])]
    if keep.size == 0:  # no block at all (a tree of streets)
        d["faces"] = out
        return out
    poly, ok_ring, fid, at, e_loc = _face_rings(net, half, keep, xy, nv)
    faces_cyc = comp[keep[at]]
    usable = ok_ring.copy()
    _drop_blocks_holding_other_parts(net, half, keep[at], poly, usable)
    # (face, segment) pairs of boundaries; dead ends lying inside a usable face
    face_of_cycle = np.full(bounded.size, -1, dtype=np.int64)
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


@dataclass(frozen=True)
class _HalfSegments:
    """The planar segments in both directions: 0..k-1 run u -> v, k..2k-1 run v -> u; the twin of h is (h + k) % 2k.

    ``f0``/``f1`` are each segment's first and last vertex; ``nxt`` the next half-segment around the face on the
    left; ``comp`` the cycle (face) of each half-segment and ``label`` that cycle's smallest half-segment.
    """

    edges: np.ndarray
    start_node: np.ndarray
    end_node: np.ndarray
    f0: np.ndarray
    f1: np.ndarray
    twin: np.ndarray
    nxt: np.ndarray
    comp: np.ndarray
    label: np.ndarray


def _leaving(xy: np.ndarray, f0: np.ndarray, f1: np.ndarray, at: np.ndarray, towards: int) -> np.ndarray:
    """Direction of leaving vertex ``at`` to the next distinct vertex in direction ``towards`` (+1 / -1)."""
    pos = at + towards
    lo, hi = f0, f1
    vec = xy[pos] - xy[at]
    still = np.flatnonzero((vec[:, 0] == 0) & (vec[:, 1] == 0))
    while still.size:  # repeated vertices: look one further (the segment has positive length, so one exists)
        pos[still] += towards
        pos[still] = np.clip(pos[still], lo[still], hi[still])
        vec[still] = xy[pos[still]] - xy[at[still]]
        still = still[(vec[still, 0] == 0) & (vec[still, 1] == 0)]
    return np.arctan2(vec[:, 1], vec[:, 0])


def _half_segments(net: WalkNetwork, edges: np.ndarray, xy: np.ndarray, first: np.ndarray) -> _HalfSegments:
    """The half-segments of the planar segments ``edges``, linked around their faces (the rotation system)."""
    k = edges.size
    start_node = np.concatenate([net.edge_u[edges], net.edge_v[edges]])
    end_node = np.concatenate([net.edge_v[edges], net.edge_u[edges]])
    f0, f1 = first[edges], first[edges + 1] - 1  # first and last vertex of each segment
    angle = np.concatenate([_leaving(xy, f0, f1, f0.copy(), +1), _leaving(xy, f0, f1, f1.copy(), -1)])
    h = np.arange(2 * k)
    twin = (h + k) % (2 * k)
    # around each node, counter-clockwise: np.lexsort((angle, start_node)) as one stable sort by angle and stable
    # sorts by 16-bit digits of the node (least significant first), which numpy does by radix sort
    order = np.argsort(angle, kind="stable")
    shift = 0
    while shift == 0 or (net.n_nodes - 1) >> shift:
        digit = ((start_node[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    pos_in = np.empty(2 * k, dtype=np.int64)
    pos_in[order] = np.arange(2 * k)
    node_sorted = start_node[order]
    per_node = np.bincount(start_node, minlength=net.n_nodes)
    node_end = np.cumsum(per_node)
    grp_first = (node_end - per_node)[node_sorted]
    grp_last = node_end[node_sorted] - 1
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
    return _HalfSegments(edges, start_node, end_node, f0, f1, twin, nxt, comp, label)


def _bounded_cycles(xy: np.ndarray, half: _HalfSegments) -> np.ndarray:
    """True for the cycles of positive signed area: the bounded faces (counter-clockwise), one entry per cycle."""
    # signed area of each cycle (shoelace along the segments' vertices, around a local origin)
    origin = xy.mean(axis=0)
    rel = xy - origin
    cross = np.zeros(len(xy))
    cross[:-1] = rel[:-1, 0] * rel[1:, 1] - rel[1:, 0] * rel[:-1, 1]
    csum = np.concatenate([[0.0], np.cumsum(cross)])
    seg = csum[half.f1] - csum[half.f0]  # sum over the segment's own steps
    he_cross = np.concatenate([seg, -seg])
    n_cyc = half.comp.max() + 1
    area2 = np.bincount(half.comp, weights=he_cross, minlength=n_cyc)
    return area2 > 0


def _face_rings(
    net: WalkNetwork, half: _HalfSegments, keep: np.ndarray, xy: np.ndarray, nv: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The block polygons from their boundary half-segments ``keep`` (in order around each face).

    Returns the polygons (empty where the boundary is not one simple ring), which are simple rings, the block of
    each kept half-segment, the position of each block's first one in ``keep``, and each one's planar segment.
    """
    k = half.edges.size
    start_node, end_node, f0, f1 = half.start_node, half.end_node, half.f0, half.f1
    fcomp = half.comp[keep]
    at = np.flatnonzero(np.r_[True, fcomp[1:] != fcomp[:-1]])
    n_faces = at.size
    stop = np.append(at[1:], keep.size)
    # one closed ring each: every kept half-segment ends where the next kept one (cyclically) starts
    nxt_keep = np.empty_like(keep)
    nxt_keep[:-1] = keep[1:]
    nxt_keep[stop - 1] = keep[at]
    breaks = end_node[keep] != start_node[nxt_keep]
    broken = np.zeros(n_faces, dtype=bool)
    fid = np.repeat(np.arange(n_faces), stop - at)
    broken[fid[breaks]] = True
    # a ring passing a node twice (a loop touching the block's edge at one node) is not a simple ring either
    visit = np.sort(fid * np.int64(net.n_nodes) + start_node[keep])
    broken[(visit[1:][visit[1:] == visit[:-1]]) // net.n_nodes] = True
    # ring coordinates: each half-segment's vertices without its last one, then the ring's first vertex again
    fwd = keep < k
    e_loc = np.where(fwd, keep, keep - k)
    cnt = nv[half.edges[e_loc]] - 1
    rep = np.repeat(np.arange(keep.size), cnt)
    step_i = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    vid = np.where(fwd[rep], f0[e_loc][rep] + step_i, f1[e_loc][rep] - step_i)
    ring_of = fid[rep]
    n_per = np.bincount(ring_of, minlength=n_faces)
    ring_start = np.concatenate([[0], np.cumsum(n_per)[:-1]])
    ring_end = np.cumsum(n_per)
    coords = xy[np.insert(vid, ring_end, vid[ring_start])]
    ring_idx = np.insert(ring_of, ring_end, np.arange(n_faces))
    ok_ring = ~broken & (n_per >= 3)
    sel = ok_ring[ring_idx]
    poly = np.empty(n_faces, dtype=object)
    poly[:] = shapely.Polygon()
    if ok_ring.any():
        ids = ring_idx[sel]
        dense_ids = np.cumsum(np.r_[False, ids[1:] != ids[:-1]])  # ids are sorted: number them 0, 1, ...
        rings = shapely.linearrings(coords[sel], indices=dense_ids)
        poly[ok_ring] = shapely.polygons(rings)
    return poly, ok_ring, fid, at, e_loc


def _drop_blocks_holding_other_parts(
    net: WalkNetwork, half: _HalfSegments, ring_first: np.ndarray, poly: np.ndarray, usable: np.ndarray
) -> None:
    """Mark not usable (in place) the blocks holding another part of the network: a hole the ring does not know
    about. ``ring_first`` is the first boundary half-segment of each block."""
    k = half.edges.size
    start_node = half.start_node
    n_comp, node_comp = connected_components(
        sp.csr_matrix(
            (np.ones(k), (net.edge_u[half.edges], net.edge_v[half.edges])), shape=(net.n_nodes, net.n_nodes)
        ),
        directed=False,
    )
    part_of_face = node_comp[start_node[ring_first]]
    has_edges = np.bincount(node_comp[start_node], minlength=n_comp) > 0
    if has_edges.sum() > 1 and usable.any():
        rep_of = np.full(n_comp, -1, dtype=np.int64)
        rep_of[node_comp[start_node[::-1]]] = start_node[::-1]  # one node of each part
        rep_node = rep_of[has_edges]
        tree = shapely.STRtree(poly)
        pt_i, f_i = tree.query(shapely.points(net.node_xy[rep_node]), predicate="within")
        other = node_comp[rep_node[pt_i]] != part_of_face[f_i]
        usable[f_i[other]] = False


def face_cores(net: WalkNetwork, buffer_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Each usable block shrunk by ``buffer_m`` (its core), and for every segment whether it is a dead end inside a
    usable block running within ``buffer_m`` of that block's core (such a dead end widens the area on its own).

    Parameters
    ----------
    net : the walking network.
    buffer_m : half the width of the served band (metres).
    """
    d = derived(net)
    key = ("face_cores", float(buffer_m))
    if key not in d:
        faces = planar_faces(net)
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


def whole_blocks(
    net: WalkNetwork, row: np.ndarray, edge: np.ndarray, start: np.ndarray, end: np.ndarray, buffer_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split reached pieces into whole blocks and the rest, for many areas at once.

    ``row`` says which area (facility, or 0 for a dissolved band) each piece ``edge[start:end]`` belongs to. A usable
    block (:func:`planar_faces`) is whole for an area when every segment bounding it is wholly reached in that area.
    Returns the (row, block) pairs of whole blocks, sorted by row, and a mask of the pieces still to be buffered as
    lines: all pieces except those bounding a whole block of their area and dead ends lying inside one that run no
    nearer than ``buffer_m`` to its core (their buffer lies inside the block's area already).

    Parameters
    ----------
    net : the walking network.
    row : (p,) the area each piece belongs to, sorted.
    edge : (p,) segment of each piece.
    start, end : (p,) metres along the segment.
    buffer_m : half the width of the served band (metres).
    """
    faces = planar_faces(net)
    n_face = np.int64(max(faces["poly"].size, 1))
    ptr, fac = faces["edge_faces_ptr"], faces["edge_faces"]
    full = (start <= 0.0) & (end >= net.edge_length_m[edge])
    fp = np.flatnonzero(full)
    i, at = expand_ranges(ptr[edge[fp]], ptr[edge[fp] + 1] - ptr[edge[fp]])
    rep = fp[i]
    key = row[rep].astype(np.int64) * n_face + fac[at]
    uniq, seen = np.unique(key, return_counts=True)
    face = uniq % n_face
    whole = uniq[faces["usable"][face] & (seen == faces["n_bounding"][face])]
    bounding = np.zeros(edge.size, dtype=bool)
    bounding[rep[np.isin(key, whole, assume_unique=False)]] = True
    _, near = face_cores(net, buffer_m)
    inner = faces["inner_face"][edge]
    inside = np.flatnonzero((inner >= 0) & ~near[edge])
    inside = inside[np.isin(row[inside].astype(np.int64) * n_face + inner[inside], whole)]
    rest = ~bounding
    rest[inside] = False
    return whole // n_face, whole % n_face, rest


def area_from_blocks(
    net: WalkNetwork, blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray, buffer_m: float
) -> shapely.Geometry:
    """The buffer of whole blocks' boundaries (``buffer(union of blocks) - cores``) together with that of other
    lines (see the module notes: with the split of :func:`whole_blocks` this equals the buffer of all the
    reached lines).

    Parameters
    ----------
    net : the walking network.
    blocks : whole blocks (indices into :func:`planar_faces`).
    lines : the other reached lines.
    crossing : per line, True when it may cross others away from its ends.
    buffer_m : half the width of the served band (metres).
    """
    if blocks.size == 0:
        return buffer_lines(lines, crossing, buffer_m)
    poly = planar_faces(net)["poly"]
    cores, _ = face_cores(net, buffer_m)
    area = shapely.buffer(shapely.coverage_union_all(poly[blocks]), buffer_m)
    core = cores[blocks]
    core = core[~shapely.is_missing(core)]
    if core.size:
        area = shapely.difference(area, shapely.multipolygons(shapely.get_parts(core)))
    if lines.size:
        area = shapely.union(area, buffer_lines(lines, crossing, buffer_m))
    return area


def dissolved_area(
    net: WalkNetwork, pieces: dict[str, np.ndarray], buffer_m: float, *, pool: Executor | None = None
) -> shapely.Geometry:
    """The buffer of one band's reached pieces: the union of its :func:`dissolved_parts`.

    Parameters
    ----------
    net : the walking network.
    pieces : the band's pieces from :func:`~geo.service_area.envelope.band_pieces`.
    buffer_m : half the width of the served band (metres).
    pool : optional thread pool that builds the parts side by side.
    """
    return unite([part.result() for part in dissolved_parts(net, pieces, buffer_m, pool=pool)])


def dissolved_parts(
    net: WalkNetwork,
    pieces: dict[str, np.ndarray],
    buffer_m: float,
    *,
    pool: Executor | None = None,
) -> list[Future]:
    """The parts of one band's dissolved area, submitted to ``pool`` (built at once without one): the whole
    blocks' area, and the buffers of the other lines in spatial chunks of about ``RIM_CHUNK_LINES`` lines. Their
    union (:func:`unite`) is the band's area.

    A band of many small areas (5 minutes around a thousand facilities) has tens of thousands of rim lines; split
    in chunks they are united on every thread at once instead of on one, and each union is smaller.

    Parameters
    ----------
    net : the walking network.
    pieces : the band's pieces from :func:`~geo.service_area.envelope.band_pieces`.
    buffer_m : half the width of the served band (metres).
    pool : optional thread pool.
    """
    edge = pieces["edge"]
    _, blocks, rest = whole_blocks(
        net, np.zeros(edge.size, dtype=np.int64), edge, pieces["start"], pieces["end"], buffer_m
    )
    at = np.flatnonzero(rest)
    rim = cut_segments(net, edge[at], pieces["start"][at], pieces["end"][at])
    rim_crossing = crossing_flags(net)[edge[at]]
    run = pool.submit if pool is not None else _now
    parts = [run(area_from_blocks, net, blocks, rim[:0], rim_crossing[:0], buffer_m)]
    for chunk in spatial_chunks(rim, RIM_CHUNK_LINES):
        parts.append(run(buffer_lines, rim[chunk], rim_crossing[chunk], buffer_m))
    return parts


#: Rim lines of a dissolved band are buffered and united in spatial chunks of about this many lines.
RIM_CHUNK_LINES = 4000


def _now(fn: Callable[..., shapely.Geometry], *args: object) -> Future:
    """``fn(*args)`` run at once, as a finished future."""
    done: Future = Future()
    done.set_result(fn(*args))
    return done


def spatial_chunks(lines: np.ndarray, size: int) -> list[np.ndarray]:
    """Indices of ``lines`` in chunks of about ``size`` lines that lie near each other (runs of a Hilbert-like
    order of their first points on a 256 x 256 grid)."""
    if lines.size <= size:
        return [np.arange(lines.size)] if lines.size else []
    xy = shapely.get_coordinates(shapely.get_point(lines, 0))
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    cell = np.minimum(((xy - lo) / np.maximum(hi - lo, 1e-9) * 256).astype(np.int64), 255)
    order = np.argsort(_hilbert(cell[:, 0], cell[:, 1], 256), kind="stable")
    return np.array_split(order, int(np.ceil(lines.size / size)))


def _hilbert(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """Position of cells (x, y) along a Hilbert curve through an n x n grid (n a power of two)."""
    x, y = x.astype(np.int64), y.astype(np.int64)
    d = np.zeros(x.size, dtype=np.int64)
    s = n // 2
    while s > 0:
        rx = ((x & s) > 0).astype(np.int64)
        ry = ((y & s) > 0).astype(np.int64)
        d += s * s * ((3 * rx) ^ ry)
        # rotate the quadrant so that the curve inside it runs the same way
        flip = (ry == 0) & (rx == 1)
        x = np.where(flip, n - 1 - x, x)
        y = np.where(flip, n - 1 - y, y)
        x, y = np.where(ry == 0, y, x), np.where(ry == 0, x, y)
        s //= 2
    return d


def unite(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """The union of area parts (empty parts skipped; one part is returned as it is).

    Parameters
    ----------
    parts : polygons or multipolygons.
    """
    keep = [p for p in parts if p is not None and not p.is_empty]
    if not keep:
        return shapely.Polygon()
    return keep[0] if len(keep) == 1 else shapely.union_all(np.array(keep, dtype=object))


def buffer_lines(lines: np.ndarray, crossing: np.ndarray, buffer_m: float) -> shapely.Geometry:
    """The buffer of a set of lines, built from the blocks they enclose (see the module notes).

    ``crossing`` flags lines that may meet others away from their ends; only those are noded.

    Parameters
    ----------
    lines : the LineStrings.
    crossing : per line, True when it may cross others away from its ends.
    buffer_m : half the width of the served band (metres).
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
