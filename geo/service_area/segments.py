"""Data the polygon work reads from every segment of a network, built once per network object and kept with it.

Seconds per metre, the segments meeting at each node, every vertex with its distance along its segment;
:func:`cut_segments` takes pieces of segments by distance along them. Which segments cross others is
:mod:`geo.service_area.crossings`.
"""

from __future__ import annotations

import numpy as np
import shapely

from geo.csr import derived, expand_ranges
from geo.network import WalkNetwork


def segment_rate(net: WalkNetwork) -> np.ndarray:
    """Seconds per metre along each segment.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "rate" not in d:
        d["rate"] = np.asarray(net.edge_time_s, dtype=float) / np.asarray(net.edge_length_m, dtype=float)
    return d["rate"]


def segment_incidence(net: WalkNetwork) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, edge ids) of the segments meeting at each node.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "incidence" not in d:
        ends = np.concatenate([net.edge_u, net.edge_v])
        edges = np.concatenate([np.arange(net.n_edges), np.arange(net.n_edges)])
        keep = np.ones(ends.size, dtype=bool)
        keep[net.n_edges :] = net.edge_v != net.edge_u  # a loop meets its node once
        ends, edges = ends[keep], edges[keep]
        order = np.argsort(ends, kind="stable")
        indptr = np.zeros(net.n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(ends, minlength=net.n_nodes), out=indptr[1:])
        d["incidence"] = (indptr, edges[order])
    return d["incidence"]


def segment_vertices(net: WalkNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All segment vertices, the offset of each segment's first vertex, and each vertex's distance along its
    segment.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "vertices" not in d:
        xy, idx = shapely.get_coordinates(net.edge_geometry, return_index=True)
        first = np.zeros(net.n_edges + 1, dtype=np.int64)
        np.cumsum(np.bincount(idx, minlength=net.n_edges), out=first[1:])
        step = np.zeros(len(xy))
        step[1:] = np.hypot(*(xy[1:] - xy[:-1]).T)
        step[first[:-1]] = 0.0
        cum = np.cumsum(step)
        cum -= cum[first[:-1]][idx]
        d["vertices"] = (xy, first, cum)
    return d["vertices"]


def cut_segments(net: WalkNetwork, edge: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """LineStrings of segment ``edge`` from ``start`` to ``end`` metres along it (vectorised substring).

    Parameters
    ----------
    net : the walking network.
    edge : (k,) segment of each piece.
    start, end : (k,) metres along the segment from its u end.
    """
    out = np.empty(edge.size, dtype=object)
    if edge.size == 0:
        return out
    whole = (start <= 0.0) & (end >= net.edge_length_m[edge])
    out[whole] = net.edge_geometry[edge[whole]]
    part = np.flatnonzero(~whole)
    if part.size:
        xy, first, cum = segment_vertices(net)
        e, s, t = edge[part], start[part], end[part]
        geoms = net.edge_geometry[e]
        p0 = shapely.get_coordinates(shapely.line_interpolate_point(geoms, s))
        p1 = shapely.get_coordinates(shapely.line_interpolate_point(geoms, t))
        nv = first[e + 1] - first[e]
        rep, vid = expand_ranges(first[e], nv)
        inner = (cum[vid] > s[rep] + 1e-9) & (cum[vid] < t[rep] - 1e-9)
        ids = np.concatenate([np.arange(part.size), rep[inner], np.arange(part.size)])
        key = np.concatenate([np.full(part.size, -1.0), cum[vid[inner]], np.full(part.size, np.inf)])
        coords = np.vstack([p0, xy[vid[inner]], p1])
        order = np.lexsort((key, ids))
        out[part] = shapely.linestrings(coords[order], indices=ids[order])
    return out
