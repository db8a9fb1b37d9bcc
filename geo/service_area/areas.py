"""Service circles: the land within a walk of a facility, built from the streets actually reachable in time.

A service circle is never a convex hull of reached nodes (that would jump rivers, railways and walls). It is the
reachable part of the walking network, cut exactly where the time runs out, widened by ``buffer_m`` on each side:
the band of land along a reached street whose front doors and yards open onto it.

:func:`service_areas` walks from the facilities once (or once per facility), finds the reached pieces of every
segment (:mod:`geo.service_area.envelope`), and turns them into polygons through the network's blocks
(:mod:`geo.service_area.blocks`), split between facilities when asked (:mod:`geo.service_area.nearest`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import shapely

from geo.csr import expand_ranges
from geo.errors import OptionError
from geo.messages import Message
from geo.network import WalkNetwork
from geo.progress import Progress, silent
from geo.service_area.blocks import (
    THREADS,
    area_from_blocks,
    dissolved_area,
    dissolved_parts,
    face_cores,
    unite,
    whole_blocks,
)
from geo.service_area.crossings import crossing_flags
from geo.service_area.envelope import band_pieces, ends_envelope, network_envelope, source_cones
from geo.service_area.local import fastest_pace, local_node_times, spatial_order
from geo.service_area.nearest import minus_any, nearest_seeds, polygonal, split_nearest
from geo.service_area.segments import cut_segments, segment_incidence, segment_vertices
from geo.travel import (
    DEFAULT_MAX_DISTANCE_M,
    Snap,
    node_times_from_sources,
    snap_points,
)

#: Half the width of the band of land along a reached street counted as served (metres): the building fronts,
#: yards and gates that open onto the street. 50 m covers a typical Chinese residential block frontage and the walk
#: from a compound gate to the nearest building entrance.
SERVICE_AREA_BUFFER_M = 50.0

#: How service areas can be split between facilities.
MODES = ("dissolved", "per_facility", "nearest")

#: Per-facility Dijkstra runs in batches of this many facilities (neighbours, on the nodes they may reach).
BATCH_FACILITIES = 32


def _check_minutes(minutes: float | Sequence[float]) -> tuple[float, ...]:
    try:
        bands = tuple(float(m) for m in np.atleast_1d(np.asarray(minutes, dtype=float)))
    except (TypeError, ValueError):
        raise OptionError.of("minutes_not_numbers", value=repr(minutes)) from None
    if (
        not bands
        or any(not (m > 0 and np.isfinite(m)) for m in bands)
        or any(b <= a for a, b in itertools.pairwise(bands))
    ):
        raise OptionError.of("minutes_not_increasing", value=repr(minutes))
    return bands


def _band_label(m: float) -> int | float:
    return int(m) if float(m).is_integer() else float(m)


def service_areas(
    net: WalkNetwork,
    facility_xy: np.ndarray,
    *,
    minutes: float | Sequence[float] = (5, 10, 15),
    mode: str = "dissolved",
    rings: bool = False,
    buffer_m: float = SERVICE_AREA_BUFFER_M,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Service-circle polygons of facilities for walking-time bands.

    Parameters
    ----------
    net : the walking network (its speed is the walking speed used).
    facility_xy : (F, 2) facility coordinates in the network's CRS.
    minutes : the bands, increasing (default 5, 10, 15 minutes).
    mode : ``"dissolved"`` one area per band for all facilities together; ``"per_facility"`` one area per facility
        and band (areas of neighbouring facilities overlap); ``"nearest"`` one area per facility and band, split so
        that every part belongs to the facility reaching its streets first (areas do not overlap).
    rings : when True each band's area excludes the previous band's (5-10 minutes without the 0-5 area).
    buffer_m : half the width of the served band along each reached street (metres).
    max_distance_m : facilities farther than this from every street reach nothing (their areas are empty).
    progress : optional callback ``(fraction, message)``.

    Returns
    -------
    GeoDataFrame with columns ``band_min``, ``band_from_min`` (0, or the previous band when ``rings``),
    ``facility`` (index into ``facility_xy``; -1 for dissolved areas) and ``geometry`` (Polygon or MultiPolygon,
    empty where nothing is reached), in ``net.crs``. Per-facility and nearest modes give one row per facility and
    band, facility-major.
    """
    bands = _check_minutes(minutes)
    if mode not in MODES:
        raise OptionError.of("service_area_mode_unknown", mode=repr(mode), modes=", ".join(MODES))
    try:
        buffer_m = float(buffer_m)
    except (TypeError, ValueError):
        raise OptionError.of("buffer_not_number", value=repr(buffer_m)) from None
    if not (buffer_m > 0 and np.isfinite(buffer_m)):
        raise OptionError.of("buffer_not_positive", value=repr(buffer_m))
    step = progress or silent
    step(0.0, Message.of("progress_facilities_placing"))
    xy = np.asarray(facility_xy, dtype=float).reshape(-1, 2)
    snap = snap_points(net, xy, max_distance_m=max_distance_m)
    limits = [60.0 * m for m in bands]
    segment_vertices(net)  # built here, once, before both threads below read it
    # the blocks of the network (built once per network) are found in a second thread while the walking times are
    # computed in this one; everything that draws polygons waits for them
    with ThreadPoolExecutor(max_workers=1) as background:
        blocks = background.submit(face_cores, net, buffer_m)
        areas, facility = _areas_by_mode(net, snap, mode, limits, buffer_m, blocks.result, step)
    if rings and len(bands) > 1:
        inner, outer = areas[:, :-1], areas[:, 1:]
        if mode == "nearest":
            # a facility's ring loses the previous band of every facility near it, so no two rings overlap
            outer = np.column_stack([minus_any(outer[:, b], inner[:, b]) for b in range(outer.shape[1])])
        else:
            outer = shapely.difference(outer, inner)
        areas = np.concatenate([areas[:, :1], polygonal(outer)], axis=1)
    step(1.0, Message.of("progress_service_areas_done"))
    band_min = np.tile([_band_label(m) for m in bands], areas.shape[0])
    band_from = np.tile(
        [0] + ([_band_label(m) for m in bands[:-1]] if rings else [0] * (len(bands) - 1)), areas.shape[0]
    )
    geoms = polygonal(areas.reshape(-1))
    return gpd.GeoDataFrame(
        {"band_min": band_min, "band_from_min": band_from, "facility": facility, "geometry": geoms},
        geometry="geometry",
        crs=net.crs,
    )


def _areas_by_mode(
    net: WalkNetwork,
    snap: Snap,
    mode: str,
    limits: list[float],
    buffer_m: float,
    blocks_ready: Callable[[], object],
    step: Progress,
) -> tuple[np.ndarray, np.ndarray]:
    """(areas (rows, bands), facility per row) of one mode, before rings; see :func:`service_areas`."""
    n_fac, n_band = len(snap), len(limits)
    if mode == "per_facility":
        areas = _per_facility(net, snap, limits, buffer_m, blocks_ready, step)  # (F, B)
        return areas, np.repeat(np.arange(n_fac), n_band)
    step(0.05, Message.of("progress_facility_times"))
    node_t, node_s = node_times_from_sources(net, snap, limit_s=limits[-1])
    env = network_envelope(net, node_t, node_s, limits[-1], snap)
    step(0.1, Message.of("progress_network_blocks"))
    blocks_ready()
    crossing = crossing_flags(net)
    if mode == "dissolved":
        step(0.2, Message.of("progress_band_areas", n_band=n_band))
        areas = np.empty((1, n_band), dtype=object)
        # every band's parts (whole blocks, rim chunks) go to the pool as soon as its pieces are known; the smallest
        # band has the longest rim (most separate pieces) and goes first
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            parts = []
            for limit in limits:
                pieces = band_pieces(env, limit, by_owner=False)
                parts.append(dissolved_parts(net, pieces, buffer_m, pool=pool))
            for b, band_parts in enumerate(parts):
                areas[0, b] = unite([part.result() for part in band_parts])
        return areas, np.full(n_band, -1)
    areas = np.empty((n_fac, n_band), dtype=object)
    owners = np.arange(n_fac)

    for b, limit in enumerate(limits):
        step(0.1 + 0.85 * b / n_band, Message.of("progress_band_nearest", band=b + 1, n_band=n_band))
        # the band's dissolved area, its rim in chunks on two threads, then split between the owners
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            dissolved = dissolved_area(net, band_pieces(env, limit, by_owner=False), buffer_m, pool=pool)
        pieces = band_pieces(env, limit, by_owner=True)
        lines = cut_segments(net, pieces["edge"], pieces["start"], pieces["end"])
        seeds = nearest_seeds(net, pieces, lines, crossing[pieces["edge"]], buffer_m)
        del pieces, lines
        areas[:, b] = split_nearest(seeds, owners, dissolved, buffer_m)
    return areas, np.repeat(np.arange(n_fac), n_band)


def _per_facility(
    net: WalkNetwork,
    snap: Snap,
    limits: list[float],
    buffer_m: float,
    blocks_ready: Callable[[], object],
    step: Progress,
) -> np.ndarray:
    """(F, bands) areas, one Dijkstra per facility run in batches.

    The polygons of one batch (every facility and band of it, no wait between bands) are built by a pool of
    ``THREADS`` threads while this thread computes the next batch's walking times and reached pieces (numpy and
    scipy work), so neither waits for the other; at most two batches are in flight, which bounds memory.
    """
    n_fac, n_band = len(snap), len(limits)
    areas = np.empty((n_fac, n_band), dtype=object)
    areas[:] = shapely.Polygon()
    # facilities in spatial order, so that a batch's walking times need only the nodes around a few of them
    todo = spatial_order(net, snap, np.flatnonzero(~snap.far), limits[-1] * fastest_pace(net))
    batch = BATCH_FACILITIES
    src_all, s_edge_all, s_apex_all, s_time_all = source_cones(net, snap)
    src_pos = np.full(n_fac, -1, dtype=np.int64)
    src_pos[src_all] = np.arange(src_all.size)
    cones = (s_edge_all, s_apex_all, s_time_all)
    in_flight: list[list] = []  # per batch: (facility, band, future)

    def collect(jobs: list) -> None:
        for f, b, future in jobs:
            areas[f, b] = future.result()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for k0 in range(0, todo.size, batch):
            step(
                0.02 + 0.96 * k0 / max(todo.size, 1),
                Message.of(
                    "progress_facility_batch", first=k0 + 1, last=min(k0 + batch, todo.size), total=todo.size
                ),
            )
            rows = todo[k0 : k0 + batch]
            env, g_row = _batch_envelope(net, snap, rows, limits[-1], src_pos[rows], cones)
            blocks_ready()
            jobs = _submit_batch(pool, net, env, g_row, rows, limits, buffer_m)
            # at most two batches in flight: wait for the previous one before computing the next
            if in_flight:
                collect(in_flight.pop())
            in_flight.append(jobs)
        while in_flight:
            collect(in_flight.pop())
    return areas


def _batch_envelope(
    net: WalkNetwork,
    snap: Snap,
    rows: np.ndarray,
    limit_s: float,
    sp: np.ndarray,
    cones: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The envelope of one batch of facilities ``rows``, each seen alone, and the batch row of each group.

    ``sp`` is each row's position among the placed sources, ``cones`` their (edge, apex, time) from
    :func:`~geo.service_area.envelope.source_cones`.
    """
    s_edge_all, s_apex_all, s_time_all = cones
    m = np.int64(net.n_edges)
    indptr, inc = segment_incidence(net)
    times, sub = local_node_times(net, snap, rows, limit_s)  # (b, k) on the nodes ``sub`` the batch may reach
    r_idx, local = np.nonzero(times <= limit_s)
    nodes = sub[local]
    rep, pos = expand_ranges(indptr[nodes], indptr[nodes + 1] - indptr[nodes])
    keys = np.unique(np.concatenate([r_idx[rep] * m + inc[pos], np.arange(rows.size) * m + s_edge_all[sp]]))
    g_row, g_edge = keys // m, keys % m
    # segment ends outside ``sub`` are beyond the limit (inf), as they are in a run on the whole network
    col = np.full(net.n_nodes, -1, dtype=np.int64)
    col[sub] = np.arange(sub.size)
    cu, cv = col[net.edge_u[g_edge]], col[net.edge_v[g_edge]]
    tu = np.where(cu >= 0, times[g_row, cu], np.inf)
    tv = np.where(cv >= 0, times[g_row, cv], np.inf)
    del times
    gs = np.searchsorted(keys, np.arange(rows.size) * m + s_edge_all[sp])  # each facility's own segment
    own = (gs, s_apex_all[sp], s_time_all[sp], np.arange(rows.size))
    return ends_envelope(net, g_edge, tu, tv, g_row, g_row, gs, own), g_row


def _submit_batch(
    pool: ThreadPoolExecutor,
    net: WalkNetwork,
    env: dict[str, np.ndarray],
    g_row: np.ndarray,
    rows: np.ndarray,
    limits: list[float],
    buffer_m: float,
) -> list:
    """Submit the polygons of one batch (every facility and band) to ``pool``: (facility, band, future) each."""
    crossing = crossing_flags(net)
    jobs = []
    # the largest band first: its polygons take longest, so the pool's threads finish the batch together
    for b in reversed(range(len(limits))):
        pieces = band_pieces(env, limits[b], by_owner=False)
        edge, start, end = pieces["edge"], pieces["start"], pieces["end"]
        row = g_row[pieces["group"]]
        b_row, b_face, rest = whole_blocks(net, row, edge, start, end, buffer_m)
        b_cuts = np.searchsorted(b_row, np.arange(rows.size + 1))
        # only the pieces bounding no whole block are drawn as lines
        at = np.flatnonzero(rest)
        lines = cut_segments(net, edge[at], start[at], end[at])
        line_crossing = crossing[edge[at]]
        cuts = np.searchsorted(row[at], np.arange(rows.size + 1))
        for k in range(rows.size):
            sl = slice(cuts[k], cuts[k + 1])
            future = pool.submit(
                area_from_blocks,
                net,
                b_face[b_cuts[k] : b_cuts[k + 1]],
                lines[sl],
                line_crossing[sl],
                buffer_m,
            )
            jobs.append((rows[k], b, future))
    return jobs
