"""The walking network of an OSM file from pyosmium arrays, without building a networkx graph: the same network,
in the same node and segment order, as osmnx's ``graph_from_xml`` (bidirectional, not simplified, every piece kept),
the walkable filter, ``simplify_graph(edge_attrs_differ=["highway"], remove_rings=False)`` and
:func:`~geo.network.graphs.network_from_graph` give.

How the osmnx graph is mirrored:

* every way adds its edges forward, then backward (insertion rank ``r``); a node's neighbours are listed in the
  order their first edge was added (``first[u, v]``), edges to one neighbour in insertion order;
* a node is interstitial when it has exactly two walkable segments to two different neighbours, both with the
  same ``highway`` value; every other node with a walkable segment is an end point;
* from every end point, through every interstitial neighbour (in neighbour order), the chain of interstitial
  nodes is followed to the next end point and becomes one edge (added after the node's first neighbours, or
  beside an existing edge to the same neighbour); chains' inner nodes are removed; rings without an end point
  stay as they are;
* edges are then listed node by node (file order), neighbour by neighbour, and the two listings of a segment
  become one (:func:`~geo.network.graphs.network_from_edges`).
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

from geo.errors import NetworkError
from geo.messages import Message
from geo.network.graph import WalkNetwork
from geo.network.graphs import network_from_edges, street_name
from geo.network.osmread import OsmArrays
from geo.network.walkable import FILTER_TAGS, tag_text, walkable, way_notes


def _directed_edges(data: OsmArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every way's edges forward then backward, in insertion order: (u, v, way)."""
    sizes = np.diff(data.way_start)
    n_seg = np.maximum(sizes - 1, 0)
    owner = np.repeat(np.arange(sizes.size), n_seg)
    k = np.arange(owner.size) - np.repeat(np.cumsum(n_seg) - n_seg, n_seg)
    a = data.way_nodes[data.way_start[owner] + k]
    b = data.way_nodes[data.way_start[owner] + k + 1]
    # way w's block: its forward edges, then its backward edges
    block = np.repeat(np.cumsum(2 * n_seg) - 2 * n_seg, n_seg)
    rank_f = block + k
    rank_b = block + n_seg[owner] + k
    total = int(2 * n_seg.sum())
    u = np.empty(total, np.int64)
    v = np.empty(total, np.int64)
    w = np.empty(total, np.int64)
    u[rank_f], v[rank_f], w[rank_f] = a, b, owner
    u[rank_b], v[rank_b], w[rank_b] = b, a, owner
    return u, v, w


def _first_rank(u: np.ndarray, v: np.ndarray, n_nodes: int) -> np.ndarray:
    """For each edge (in insertion order), the insertion rank of the first edge with the same (u, v)."""
    key = u * np.int64(n_nodes) + v
    order = np.argsort(key, kind="stable")
    ks = key[order]
    new = np.r_[True, ks[1:] != ks[:-1]]
    group_first = order[np.flatnonzero(new)]
    out = np.empty(u.size, np.int64)
    out[order] = group_first[np.cumsum(new) - 1]
    return out


def _interstitial(
    u: np.ndarray, v: np.ndarray, hw: np.ndarray, n_nodes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which nodes osmnx would remove (two segments to two neighbours, one highway value), their two neighbours,
    and which nodes have a walkable segment at all."""
    out_deg = np.bincount(u, minlength=n_nodes)
    pair = np.sort(u * np.int64(n_nodes) + v)
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if pair.size else pair
    n_nb = np.bincount(pair // n_nodes, minlength=n_nodes)
    hw_min = np.full(n_nodes, np.iinfo(np.int64).max)
    hw_max = np.full(n_nodes, -1)
    np.minimum.at(hw_min, u, hw)
    np.maximum.at(hw_max, u, hw)
    inter = (out_deg == 2) & (n_nb == 2) & (hw_min == hw_max)
    nb = np.full((n_nodes, 2), -1, np.int64)
    sel = inter[u]
    su, sv = u[sel], v[sel]
    order = np.argsort(su, kind="stable")
    su, sv = su[order], sv[order]
    nb[su[0::2], 0] = sv[0::2]
    nb[su[1::2], 1] = sv[1::2]
    return inter, nb, out_deg > 0


def _chains(
    starts_u: np.ndarray, starts_x: np.ndarray, inter: np.ndarray, nb: np.ndarray
) -> tuple[list[list[int]], np.ndarray]:
    """Follow each chain from end point ``starts_u[i]`` through interstitial ``starts_x[i]`` to the next end
    point, once (from the end listed first): the node lists, and the index of the start each was followed from."""
    is_inter = inter.tolist()
    nb0 = nb[:, 0].tolist()
    nb1 = nb[:, 1].tolist()
    walked = [False] * len(is_inter)
    paths: list[list[int]] = []
    firsts: list[int] = []
    for i, (a, x) in enumerate(zip(starts_u.tolist(), starts_x.tolist(), strict=True)):
        if walked[x]:  # the same chain, met from its other end: osmnx lists it twice, one listing survives
            continue
        path = [a, x]
        prev, cur = a, x
        while is_inter[cur]:  # back at ``a`` (a loop) ends the chain too: ``a`` is an end point
            walked[cur] = True
            nxt = nb1[cur] if nb0[cur] == prev else nb0[cur]
            path.append(nxt)
            prev, cur = cur, nxt
        paths.append(path)
        firsts.append(i)
    return paths, np.asarray(firsts, dtype=np.int64)


def network_from_osm_arrays(
    data: OsmArrays,
    *,
    crs: pyproj.CRS,
    walk_speed_m_s: float,
    label: str,
    include_private: bool,
) -> WalkNetwork:
    """The walking network of :class:`~geo.network.osmread.OsmArrays` (see the module docstring).

    Raises
    ------
    NetworkError
        No data in the file, or no walkable way.
    """
    n_nodes = int(data.node_id.size)
    if data.way_id.size == 0 and (n_nodes == 0 or data.highway_only):
        raise NetworkError.of("osm_no_data", label=label)
    u_all, v_all, w_all = _directed_edges(data)
    first_all = _first_rank(u_all, v_all, n_nodes)
    tag = {t: tag_text(data.tags[t]) for t in FILTER_TAGS}
    keep_way, reason_way = walkable(tag, include_private=include_private)
    # the osmnx path counted ways over its edges in graph order: node by node, neighbour by neighbour
    listing = np.lexsort((np.arange(u_all.size), first_all, u_all))
    ways, at = np.unique(w_all[listing], return_index=True)  # the first listing of every way
    wo = ways[np.argsort(at, kind="stable")]
    keep_e = keep_way[wo]
    notes = way_notes(
        data.way_id[wo].astype(object), reason_way[wo], keep_e, label=label, include_private=include_private
    )
    if data.cut:
        notes.append(Message.of("osm_ways_cut"))
    kept = keep_way[w_all]
    u, v, w, first = u_all[kept], v_all[kept], w_all[kept], first_all[kept]
    rank = np.flatnonzero(kept)
    raw_hw = np.array(["" if h is None else str(h) for h in data.tags["highway"]], dtype=object)
    _, hw_code = np.unique(raw_hw.astype(str), return_inverse=True)
    inter, nb, has_edge = _interstitial(u, v, hw_code.reshape(-1)[w], n_nodes)
    end = has_edge & ~inter
    # chains start at an end point's interstitial neighbours, in the end point's neighbour order
    start_sel = end[u] & inter[v]
    su, sx, sfirst = u[start_sel], v[start_sel], first[start_sel]
    pair_first = np.unique(np.column_stack([su, sx, sfirst]), axis=0)  # one per neighbour (first edge of it)
    order = np.lexsort((pair_first[:, 2], pair_first[:, 0]))
    pair_first = pair_first[order]
    paths, walked = _chains(pair_first[:, 0], pair_first[:, 1], inter, nb)
    removed = np.zeros(n_nodes, bool)
    removed[pair_first[:, 1]] = True  # every chain's first inner node; the rest follow below
    if paths:
        sizes = np.fromiter((len(p) - 2 for p in paths), np.int64, count=len(paths))
        removed[np.fromiter((n for p in paths for n in p[1:-1]), np.int64, count=int(sizes.sum()))] = True
    return _assemble(
        data,
        (u, v, w, first, rank, removed),
        paths,
        pair_first[walked, 2],
        crs=crs,
        walk_speed_m_s=walk_speed_m_s,
        label=label,
        notes=notes,
    )


def _assemble(
    data: OsmArrays,
    kept: tuple[np.ndarray, ...],
    paths: list[list[int]],
    path_first: np.ndarray,
    *,
    crs: pyproj.CRS,
    walk_speed_m_s: float,
    label: str,
    notes: list[Message],
) -> WalkNetwork:
    """List the simplified graph's edges in osmnx's order and hand them to ``network_from_edges``."""
    u, v, w, first, rank, removed = kept
    n_nodes = int(data.node_id.size)
    # each segment is listed from both ends and the listing from the end met first survives: list it only there
    stay = ~removed[u] & ~removed[v] & (u < v)
    ou, ov, ow, ofirst, orank = u[stay], v[stay], w[stay], first[stay], rank[stay]
    n_paths = len(paths)
    cu = np.array([p[0] for p in paths], dtype=np.int64)
    cv = np.array([p[-1] for p in paths], dtype=np.int64)
    # a chain's neighbour slot: beside a remaining edge u->B, or appended in the order chains were added
    direct = dict(zip((ou * n_nodes + ov).tolist(), ofirst.tolist(), strict=False))
    slot_tier = np.ones(n_paths, np.int64)
    slot = np.zeros(n_paths, np.int64)
    appended: dict[int, int] = {}
    for i, key in enumerate((cu * n_nodes + cv).tolist()):
        if key in direct:
            slot_tier[i], slot[i] = 0, direct[key]
        else:
            slot[i] = appended.setdefault(key, int(path_first[i]))
    e_u = np.r_[ou, cu]
    e_v = np.r_[ov, cv]
    key_cols = (
        np.r_[orank, path_first],  # within a neighbour: remaining edges by rank, then chains in order
        np.r_[np.zeros(ou.size, np.int64), np.ones(n_paths, np.int64)],
        np.r_[ofirst, slot],
        np.r_[np.zeros(ou.size, np.int64), slot_tier],
        e_u,
    )
    order = np.lexsort(key_cols)
    lonlat = data.node_lonlat
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    px, py = transformer.transform(lonlat[:, 0], lonlat[:, 1])
    node_xy = np.column_stack([px, py]).astype(float)
    if not np.isfinite(node_xy).all():
        raise NetworkError.of("network_cannot_project", source=label, crs=crs.name)
    straight = shapely.linestrings(np.stack([node_xy[ou], node_xy[ov]], axis=1))
    if n_paths:
        sizes = np.fromiter((len(p) for p in paths), np.int64, count=n_paths)
        flat = np.fromiter((n for p in paths for n in p), np.int64, count=int(sizes.sum()))
        chained = shapely.linestrings(node_xy[flat], indices=np.repeat(np.arange(n_paths), sizes))
    else:
        chained = np.zeros(0, dtype=object)
    geoms = np.r_[straight, chained].astype(object)
    hw = data.tags["highway"]
    steps = np.r_[hw[ow] == "steps", _chain_steps(paths, u, v, w, hw, n_nodes)].astype(bool)
    names = np.r_[
        np.array([street_name(x) for x in data.tags["name"][ow]], dtype=object),
        _chain_names(paths, u, v, w, data.tags["name"], n_nodes),
    ]
    return network_from_edges(
        node_xy,
        e_u[order],
        e_v[order],
        geoms[order],
        steps[order],
        names[order],
        crs=crs,
        walk_speed_m_s=walk_speed_m_s,
        source=label,
        notes=notes,
        oriented=True,
    )


def _chain_ways(
    paths: list[list[int]], u: np.ndarray, v: np.ndarray, w: np.ndarray, n_nodes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The way of every edge along the chains (flat), and each chain's first edge index in that list."""
    sizes = np.fromiter((len(p) - 1 for p in paths), np.int64, count=len(paths))
    a = np.fromiter((n for p in paths for n in p[:-1]), np.int64, count=int(sizes.sum()))
    b = np.fromiter((n for p in paths for n in p[1:]), np.int64, count=int(sizes.sum()))
    key = u * np.int64(n_nodes) + v
    order = np.argsort(key, kind="stable")
    at = order[np.searchsorted(key[order], a * np.int64(n_nodes) + b)]
    return w[at], np.r_[0, np.cumsum(sizes)[:-1]], sizes


def _chain_steps(
    paths: list[list[int]], u: np.ndarray, v: np.ndarray, w: np.ndarray, hw: np.ndarray, n_nodes: int
) -> np.ndarray:
    """A chain is steps when its ``highway`` (one value along it) is steps."""
    if not paths:
        return np.zeros(0, bool)
    ways, first, _ = _chain_ways(paths, u, v, w, n_nodes)
    return np.asarray(hw[ways[first]] == "steps", dtype=bool)


def _chain_names(
    paths: list[list[int]], u: np.ndarray, v: np.ndarray, w: np.ndarray, name: np.ndarray, n_nodes: int
) -> np.ndarray:
    """A chain's street name: the first non-empty name along it (osmnx keeps the set of names of a chain that
    changes name, in no fixed order)."""
    if not paths:
        return np.zeros(0, dtype=object)
    ways, first, sizes = _chain_ways(paths, u, v, w, n_nodes)
    way_name = np.array([street_name(x) for x in name], dtype=object)
    text = way_name[ways]
    named = text != ""
    big = np.int64(ways.size)
    pos = np.where(named, np.arange(ways.size), big)
    first_named = np.minimum.reduceat(pos, first) if ways.size else np.zeros(0, np.int64)
    out = np.full(len(paths), "", dtype=object)
    has = first_named < np.asarray(first) + sizes
    out[has] = text[first_named[has]]
    return out
