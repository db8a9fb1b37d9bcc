"""Service areas split between facilities: each part of the land goes to the facility whose street is nearest.

``mode="nearest"`` first splits the reached lines between facilities (each piece goes to the facility reaching it
first; a segment reached from both ends is split at the equal-time point). The band's dissolved area (the buffer of
all reached lines, built once per band) is then split: a point of it lies within ``buffer_m`` of some reached
street, and goes to the facility owning the nearest one. So no facility's own buffer is needed: the parts are the
dissolved area inside each facility's region of a Voronoi diagram of points placed every ``buffer_m / 5`` along the
facilities' lines, each point labelled with its piece's facility (the land whose nearest reached street, in a
straight line, is the facility's own). Streets deep inside one facility's territory give the diagram only their two
ends (see :func:`hidden_pieces`): a street wholly reached by one facility between two blocks whose every bounding
street is that facility's, and which hold no other facility's line, cannot be the nearest street of any land
outside those two blocks except through its ends, and inside them the facility wins anyway; this drops most of the
points at large numbers of facilities. The diagram is built in tiles of at most 120 000 points, each with the
points within ``2 * buffer_m`` around it (enough: a point of the area lies within ``buffer_m`` of its nearest
street, so its nearest Voronoi point is nearer than ``2 * buffer_m``). The parts are disjoint by construction and
together equal the dissolved area (up to rounding); each lies within its own facility's buffer up to slivers
narrower than half the point spacing (10 m at the default buffer) where two facilities' areas meet.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

from geo.network import WalkNetwork
from geo.service_area.blocks import THREADS, planar_faces, whole_blocks

#: Voronoi points for ``mode="nearest"`` are placed every ``buffer_m / _VORONOI_POINTS_PER_BUFFER`` along the lines.
_VORONOI_POINTS_PER_BUFFER = 5.0

#: Voronoi diagrams for ``mode="nearest"`` are built in tiles of at most this many points (memory and threads).
VORONOI_TILE_POINTS = 120_000


@dataclass(frozen=True)
class NearestSeeds:
    """The points of one band's Voronoi diagram and their owners (see :func:`nearest_seeds`)."""

    xy: np.ndarray  # (n, 2) points
    owner: np.ndarray  # (n,) owner of each point
    present: np.ndarray  # the owners reaching something, sorted


def nearest_seeds(
    net: WalkNetwork,
    pieces: dict[str, np.ndarray],
    lines: np.ndarray,
    crossing: np.ndarray,
    buffer_m: float,
) -> NearestSeeds:
    """The Voronoi points that split a band between owners: every ``buffer_m / 5`` along the owners' pieces, only
    the two ends of streets between two clean blocks of their own owner (see :func:`hidden_pieces`). No points when
    fewer than two owners reach anything (nothing to split).

    Parameters
    ----------
    net : the walking network.
    pieces : the band's pieces, by owner, from :func:`~geo.service_area.envelope.band_pieces`.
    lines : their LineStrings.
    crossing : per line, True when it may cross others away from its ends.
    buffer_m : half the width of the served band (metres).
    """
    order = np.argsort(pieces["owner"], kind="stable")
    owner = pieces["owner"][order]
    present = np.unique(owner)
    if present.size < 2:
        return NearestSeeds(np.empty((0, 2)), np.empty(0, dtype=owner.dtype), present)
    lines, crossing = lines[order], crossing[order]
    edge, start, end = pieces["edge"][order], pieces["start"][order], pieces["end"][order]
    row = np.searchsorted(present, owner)
    b_row, b_face, _ = whole_blocks(net, row, edge, start, end, buffer_m)
    hidden = hidden_pieces(net, row, edge, start, end, lines, crossing, b_row, b_face)
    # streets inside one owner's territory (see hidden_pieces) give only their two ends; the rest are segmentised
    xy, point_owner = _voronoi_points(lines, owner, np.flatnonzero(~hidden), np.flatnonzero(hidden), buffer_m)
    return NearestSeeds(xy, point_owner, present)


def split_nearest(
    seeds: NearestSeeds, owners: np.ndarray, area: shapely.Geometry, buffer_m: float
) -> np.ndarray:
    """The band's dissolved area split between owners: each point goes to the owner whose reached street is nearest.

    The parts partition ``area`` (the buffer of all the band's pieces, built once for the band by the caller): a
    point of it belongs to the owner of its nearest reached street, which lies within ``buffer_m`` of it, so no
    owner's own buffer is needed. The Voronoi diagram of ``seeds`` (from :func:`nearest_seeds`, built in tiles, see
    :func:`_voronoi_regions`) decides: each owner gets ``area`` inside its Voronoi region (see :func:`_clip_each`).
    Regions are disjoint, so the parts are too, and together they cover ``area``.

    Parameters
    ----------
    seeds : the band's Voronoi points, from :func:`nearest_seeds`.
    owners : every owner (facility), sorted; owners reaching nothing get an empty polygon.
    area : the band's dissolved area (the buffer of every piece).
    buffer_m : half the width of the served band (metres).
    """
    out = np.empty(owners.size, dtype=object)
    out[:] = shapely.Polygon()
    if seeds.present.size == 0 or shapely.is_empty(area):
        return out
    if seeds.present.size == 1:
        out[np.searchsorted(owners, seeds.present)] = area
        return out
    regions = _voronoi_regions(seeds.xy, seeds.owner, shapely.bounds(area), buffer_m)
    who = np.array(sorted(regions))
    parts = _clip_each(area, np.array([regions[w] for w in who], dtype=object))
    out[np.searchsorted(owners, who)] = polygonal(parts)
    return out


def _clip_each(area: shapely.Geometry, regions: np.ndarray) -> np.ndarray:
    """``area`` intersected with each of ``regions`` (threads share the work).

    An overlay with a large polygon indexes all of it, so ``area`` is first cut to each region's bounding box (a
    quick rectangle clip, redone as an overlay where GEOS finds that cut invalid) and only that piece is intersected.
    """
    box = shapely.bounds(regions)

    def clip(rows: np.ndarray) -> np.ndarray:
        local = np.array([shapely.clip_by_rect(area, *box[i]) for i in rows], dtype=object)
        bad = ~shapely.is_valid(local)
        if bad.any():
            local[bad] = shapely.intersection(area, shapely.box(*box[rows[bad]].T))
        return shapely.intersection(local, regions[rows])

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        done = list(pool.map(clip, np.array_split(np.arange(regions.size), THREADS)))
    return np.concatenate(done)


def _voronoi_points(
    lines: np.ndarray, owner: np.ndarray, shown: np.ndarray, inside: np.ndarray, buffer_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """The Voronoi diagram's points and their owners: points every ``buffer_m / 5`` along the ``shown`` lines and
    the two ends of the ``inside`` ones, without repeats, jittered by a fixed millimetre."""
    xy_shown, idx = shapely.get_coordinates(
        shapely.segmentize(lines[shown], buffer_m / _VORONOI_POINTS_PER_BUFFER), return_index=True
    )
    # the ends of the inside lines, from their coordinates (quicker than making end points)
    xy_inside, at = shapely.get_coordinates(lines[inside], return_index=True)
    head = np.flatnonzero(np.r_[True, at[1:] != at[:-1]]) if at.size else at
    tail = np.r_[head[1:] - 1, at.size - 1] if at.size else at
    owner_inside = owner[inside][at[head]]
    xy = np.vstack([xy_shown, xy_inside[head], xy_inside[tail]])
    point_owner = np.concatenate([owner[shown][idx], owner_inside, owner_inside])
    # drop repeated points (segment ends shared at nodes), sorted by x then y; a point shared by several owners'
    # lines (a node) goes to the lowest owner, as when all lines were segmentised
    order = np.lexsort((point_owner, xy[:, 1], xy[:, 0]))
    xy, point_owner = xy[order], point_owner[order]
    keep = np.r_[True, (xy[1:, 0] != xy[:-1, 0]) | (xy[1:, 1] != xy[:-1, 1])]
    xy, point_owner = xy[keep], point_owner[keep]
    # points on straight streets are collinear and cocircular by the thousand, which makes Voronoi diagrams
    # degenerate; a fixed millimetre jitter (seeded, so results repeat) keeps the diagram clean
    xy = xy + np.random.default_rng(0).uniform(-1e-3, 1e-3, size=xy.shape)
    return xy, point_owner


def hidden_pieces(
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

    A whole block of one owner (``b_row``, ``b_face`` from :func:`whole_blocks` with one row per owner) is *clean*
    when no line of another owner lies inside it (no other owner's dead end, no crossing line touching it). A
    piece is hidden when its segment is wholly reached and bounds two clean blocks of its own owner, or when it is
    a dead end inside one. For a point ``x`` outside both blocks, the nearest point of such a segment is one of its
    ends: the straight path from ``x`` to a point inside the segment arrives from one of the two blocks, so it
    crosses that block's boundary (a street) first, at a nearer point. Inside the clean blocks every other owner's
    point lies beyond a boundary street of this owner that keeps its Voronoi points, so the owner keeps the land
    there (up to the point spacing, as before). Hidden pieces therefore need only their end points in the diagram.

    Parameters
    ----------
    net : the walking network.
    row : (p,) owner row of each piece.
    edge, start, end : (p,) each piece's segment and extent (metres).
    lines : (p,) their LineStrings.
    crossing : (p,) True for lines that may cross others away from their ends.
    b_row, b_face : the owners' whole blocks from :func:`~geo.service_area.blocks.whole_blocks`.
    """
    hidden = np.zeros(edge.size, dtype=bool)
    if b_row.size == 0 or edge.size == 0:
        return hidden
    faces = planar_faces(net)
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

    Large point sets are cut into tiles of at most ``VORONOI_TILE_POINTS`` points: each tile's diagram is built
    from its points and those within ``2 * buffer_m`` around it, then clipped to the tile. This bounds memory (one
    diagram of two million points takes gigabytes) and lets tiles run in parallel threads.
    """
    margin = 2.0 * buffer_m
    x0, y0, x1, y1 = bounds
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    n_tiles = max(1, int(np.ceil(xy.shape[0] / VORONOI_TILE_POINTS)))
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
    with ThreadPoolExecutor(max_workers=min(THREADS, len(tiles))) as pool:
        for found in pool.map(tile_regions, tiles):
            for w, region in found:
                pieces.setdefault(w, []).append(region)
    return {
        w: parts[0] if len(parts) == 1 else shapely.union_all(np.array(parts, dtype=object))
        for w, parts in pieces.items()
    }


def minus_any(geoms: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Each geometry minus every one of ``others`` that intersects it.

    Parameters
    ----------
    geoms : the geometries.
    others : the geometries to take away.
    """
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


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of overlay results (drop slivers collapsed to lines or points); empty -> Polygon().

    Parameters
    ----------
    geoms : overlay results, any shape of array.
    """
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
