"""How a network falls apart into separate pieces, and whether it reaches the study area at all."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from geo.errors import NetworkError
from geo.messages import Message
from geo.network.graph import WalkNetwork


def network_components(net: WalkNetwork) -> np.ndarray:
    """Connected-component label of every node: 0 for the largest piece, then by decreasing size.

    Ties in size are ordered by their lowest node index, so labels are deterministic.
    """
    n = net.n_nodes
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    adjacency = sparse.coo_matrix((np.ones(net.n_edges), (net.edge_u, net.edge_v)), shape=(n, n)).tocsr()
    _, raw = csgraph.connected_components(adjacency, directed=False)
    sizes = np.bincount(raw)
    first = np.full(sizes.size, n, dtype=np.int64)
    np.minimum.at(first, raw, np.arange(n))
    order = np.lexsort((first, -sizes))  # largest first, then by first node
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[raw].astype(np.int64)


@dataclass(frozen=True)
class ComponentReport:
    """How a network falls apart into separate pieces.

    Attributes
    ----------
    n_components : number of pieces.
    largest_nodes : nodes in the largest piece.
    other_nodes : nodes in all other pieces.
    sizes : node count of every piece, largest first.
    """

    n_components: int
    largest_nodes: int
    other_nodes: int
    sizes: tuple[int, ...]


def component_report(net: WalkNetwork) -> ComponentReport:
    """Count the network's separate pieces (see :func:`network_components`)."""
    labels = network_components(net)
    sizes = np.bincount(labels) if labels.size else np.zeros(0, dtype=np.int64)
    largest = int(sizes[0]) if sizes.size else 0
    return ComponentReport(
        n_components=int(sizes.size),
        largest_nodes=largest,
        other_nodes=int(net.n_nodes - largest),
        sizes=tuple(int(s) for s in sizes),
    )


def check_overlap(
    net: WalkNetwork, bounds_xy: tuple[float, float, float, float], *, context: str | Message
) -> None:
    """Raise :class:`NetworkError` when the network does not reach the study area at all.

    Parameters
    ----------
    net : the network.
    bounds_xy : ``(minx, miny, maxx, maxy)`` of the study layers, in the network's CRS (metres).
    context : what is being checked, for the message (e.g. ``"network 'streets.osm'"``).
    """
    if net.n_nodes == 0:
        raise NetworkError.of("network_empty", context=context)
    minx, miny, maxx, maxy = (float(b) for b in bounds_xy)
    nx0, ny0 = net.node_xy.min(axis=0)
    nx1, ny1 = net.node_xy.max(axis=0)
    if nx1 >= minx and nx0 <= maxx and ny1 >= miny and ny0 <= maxy:
        return
    gap_x = max(minx - nx1, nx0 - maxx, 0.0)
    gap_y = max(miny - ny1, ny0 - maxy, 0.0)
    gap_km = float(np.hypot(gap_x, gap_y)) / 1000.0
    raise NetworkError.of(
        "network_no_overlap",
        context=context,
        nx0=float(nx0),
        nx1=float(nx1),
        ny0=float(ny0),
        ny1=float(ny1),
        minx=minx,
        maxx=maxx,
        miny=miny,
        maxy=maxy,
        crs=net.crs.name,
        gap_km=gap_km,
    )
