"""Walking times from a few facilities at a time, each on its own, on the part of the network they can reach.

A dense (facilities x all nodes) block of times costs far more to allocate and fill than the Dijkstra runs
themselves take on a large city (each facility reaches a few thousand of 300 000 nodes). No walk is quicker than
the straight line at the network's fastest pace: every segment takes at least its chord over the fastest
segment's pace (``length / time``, its length being at least its chord), and the access walk at least the straight
line at the walking speed. So every node a facility reaches within ``limit`` lies within ``limit * fastest pace``
of the facility's foot on its street (the walk along its own segment and on), and a Dijkstra run on the nodes of
those discs alone gives exactly the times of a run on the whole network for every node within the limit (beyond
the limit both give ``inf``).
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geo.csr import derived, graph_with_sources
from geo.network import WalkNetwork
from geo.service_area.segments import segment_rate
from geo.travel import Snap, access_times, check_limit


def fastest_pace(net: WalkNetwork) -> float:
    """The largest metres per second of any segment (length over time) or of the straight access walk.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "fastest_pace" not in d:
        rate = segment_rate(net)  # seconds per metre
        ok = rate > 0
        pace = float(1.0 / rate[ok].min()) if ok.any() else 0.0
        d["fastest_pace"] = max(pace, float(net.walk_speed_m_s))
    return d["fastest_pace"]


def node_tree(net: WalkNetwork) -> cKDTree:
    """A k-d tree of the network's nodes, built once per network object.

    Parameters
    ----------
    net : the walking network.
    """
    d = derived(net)
    if "node_tree" not in d:
        d["node_tree"] = cKDTree(np.asarray(net.node_xy, dtype=float))
    return d["node_tree"]


def spatial_order(net: WalkNetwork, snap: Snap, rows: np.ndarray, cell_m: float) -> np.ndarray:
    """``rows`` sorted along rows of ``cell_m`` cells (alternating direction), so that a batch of consecutive
    facilities shares most of its reachable nodes.

    Parameters
    ----------
    net : the walking network.
    snap : the facilities' placements.
    rows : the facilities to order (placed ones).
    cell_m : the cell size (metres).
    """
    if rows.size == 0:
        return rows
    xy = _feet(net, snap, rows)
    cell = max(float(cell_m), 1.0)
    band = np.floor((xy[:, 1] - xy[:, 1].min()) / cell).astype(np.int64)
    x = np.where(band % 2 == 0, xy[:, 0], -xy[:, 0])
    return rows[np.lexsort((x, band))]


def _feet(net: WalkNetwork, snap: Snap, rows: np.ndarray) -> np.ndarray:
    """The points on their segments where facilities ``rows`` (placed) join the network."""
    return shapely.get_coordinates(
        shapely.line_interpolate_point(net.edge_geometry[snap.edge[rows]], snap.along_m[rows])
    )


def local_node_times(
    net: WalkNetwork, snap: Snap, rows: np.ndarray, limit_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Walking times from each facility of ``rows`` on its own, on the nodes it may reach (see the module notes).

    Parameters
    ----------
    net : the walking network.
    snap : the facilities' placements.
    rows : facilities to run (placed ones, ``snap.edge >= 0``).
    limit_s : nodes farther than this (seconds) get ``inf``.

    Returns
    -------
    times : (len(rows), k) seconds to the ``k`` nodes below, ``inf`` beyond ``limit_s``; exactly the times of
        :func:`geo.travel.node_times_per_source` on those nodes (every other node is beyond the limit).
    nodes : (k,) the nodes (sorted ids) of those columns.
    """
    limit = check_limit(limit_s)
    rows = np.asarray(rows, dtype=np.int64)
    radius = limit * fastest_pace(net)
    radius += 1e-6 * radius + 1.0  # rounding: keep a metre more than needed
    near = node_tree(net).query_ball_point(_feet(net, snap, rows), radius, return_sorted=False)
    nodes = np.unique(
        np.concatenate([np.asarray(ix, dtype=np.int64) for ix in near] + [np.empty(0, np.int64)])
    )
    # each facility's own segment ends (its first steps) are within the disc anyway; added for safety
    e = snap.edge[rows]
    nodes = np.union1d(nodes, np.concatenate([net.edge_u[e], net.edge_v[e]]).astype(np.int64))
    sub = snap.subset(rows)
    placed, off_t, to_u, to_v = access_times(net, sub)
    full = graph_with_sources(net, placed, off_t, to_u, to_v, sub.edge[placed])
    n = net.n_nodes
    keep = np.concatenate([nodes, n + np.arange(placed.size)])
    graph = full[keep][:, keep]
    times = np.full((rows.size, nodes.size), np.inf)
    if placed.size:
        dist = dijkstra(graph, directed=True, indices=nodes.size + np.arange(placed.size), limit=limit)
        times[placed] = dist[:, : nodes.size]
    return times, nodes
