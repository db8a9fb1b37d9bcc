"""osmnx graphs to :class:`~geo.network.graph.WalkNetwork`: GraphML files, and the last step of the OSM loaders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.errors import NetworkError
from geo.messages import Message
from geo.network.graph import (
    DEFAULT_WALK_SPEED_M_S,
    STEPS_TIME_FACTOR,
    WalkNetwork,
    check_walk_speed,
    unique_rows,
)
from geo.network.inputs import network_file, xml_reason


def network_from_graphml(
    path: str | Path,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
) -> WalkNetwork:
    """Read a network saved by osmnx (``osmnx.save_graphml``), e.g. a ``network_type="walk"`` graph.

    Edges are taken as they are (no tag filter: the graph was filtered when it was made) and treated as
    undirected: a two-way pair u→v, v→u becomes one segment. Nodes need ``x``/``y`` in the graph's ``crs``
    attribute (WGS84 when absent); edges without ``geometry`` are straight. ``highway=steps`` edges are steps.

    Parameters
    ----------
    path : the GraphML file.
    crs : the study's projected CRS.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.

    Raises
    ------
    NetworkError
        Missing or unreadable file, nodes without coordinates, no edges.
    """
    import osmnx as ox  # heavy (about 1 s to import): only when a graph is read

    speed = check_walk_speed(walk_speed_m_s)
    p, label, target = network_file(path, crs)
    try:
        graph = ox.load_graphml(p)
    except Exception as exc:
        raise NetworkError.of("graphml_unreadable", label=label, reason=xml_reason(exc)) from None
    if graph.number_of_edges() == 0:
        raise NetworkError.of("graphml_no_edges", label=label)
    notes = [Message.of("graphml_edges_read", n=int(graph.number_of_edges()))]
    return network_from_graph(graph, crs=target, walk_speed_m_s=speed, source=label, notes=notes)


def network_from_graph(
    graph: Any, *, crs: pyproj.CRS, walk_speed_m_s: float, source: str, notes: list[Message]
) -> WalkNetwork:
    """Turn an osmnx MultiDiGraph (lon/lat or any CRS in ``graph.graph['crs']``) into an undirected WalkNetwork.

    Parameters
    ----------
    graph : an osmnx MultiDiGraph; ``graph.graph['crs']`` is its CRS (WGS84 when absent).
    crs : the projected CRS of the result.
    walk_speed_m_s : walking speed, already checked.
    source : label for reports and messages.
    notes : what the loader kept or left out.
    """
    node_ids = list(graph.nodes)
    x = np.array([graph.nodes[n].get("x", np.nan) for n in node_ids], dtype=float)
    y = np.array([graph.nodes[n].get("y", np.nan) for n in node_ids], dtype=float)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        bad = int((~(np.isfinite(x) & np.isfinite(y))).sum())
        raise NetworkError.of("network_nodes_without_xy", source=source, n=bad)
    edges = list(graph.edges(data=True))
    if not edges:
        raise NetworkError.of("network_no_walkable_ways", source=source)
    index = pd.Index(node_ids)
    u = index.get_indexer([e[0] for e in edges]).astype(np.int64)
    v = index.get_indexer([e[1] for e in edges]).astype(np.int64)
    geoms = np.array([e[2].get("geometry") for e in edges], dtype=object)
    steps = np.array([_is_steps(e[2].get("highway")) for e in edges], dtype=bool)
    names = np.array([street_name(e[2].get("name")) for e in edges], dtype=object)

    graph_crs = pyproj.CRS.from_user_input(graph.graph.get("crs") or "EPSG:4326")
    transformer = pyproj.Transformer.from_crs(graph_crs, crs, always_xy=True)
    px, py = transformer.transform(x, y)
    node_xy = np.column_stack([px, py]).astype(float)
    if not np.isfinite(node_xy).all():
        raise NetworkError.of("network_cannot_project", source=source, crs=crs.name)

    missing = np.array([g is None for g in geoms], dtype=bool)
    if missing.any():
        geoms[missing] = shapely.linestrings(np.stack([node_xy[u[missing]], node_xy[v[missing]]], axis=1))
    if (~missing).any():
        geoms[~missing] = shapely.transform(
            geoms[~missing], lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    return network_from_edges(
        node_xy,
        u,
        v,
        geoms,
        steps,
        names,
        crs=crs,
        walk_speed_m_s=walk_speed_m_s,
        source=source,
        notes=notes,
    )


def network_from_edges(
    node_xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    geoms: np.ndarray,
    steps: np.ndarray,
    names: np.ndarray,
    *,
    crs: pyproj.CRS,
    walk_speed_m_s: float,
    source: str,
    notes: list[Message],
    oriented: bool = False,
) -> WalkNetwork:
    """The last step of the OSM loaders: directed edges (a two-way street listed both ways) in the graph's edge
    order become one undirected segment each (the first listing kept), and nodes without segments are dropped.

    Parameters
    ----------
    node_xy : projected node coordinates.
    u, v : end node indices of every edge.
    geoms : projected LineStrings of the edges (any direction).
    steps, names : per edge.
    crs, walk_speed_m_s, source, notes : as :class:`WalkNetwork` takes them.
    oriented : the geometries already run from u to v and end exactly on the nodes.
    """
    if not oriented:
        geoms = _orient_to_nodes(geoms, u, v, node_xy)
    lengths = shapely.length(geoms)
    mid = shapely.get_coordinates(shapely.line_interpolate_point(geoms, 0.5, normalized=True))
    key = np.column_stack(
        [np.minimum(u, v), np.maximum(u, v), np.round(lengths * 100.0), np.round(mid * 100.0)]
    ).astype(np.int64)
    first, _ = unique_rows(key)
    keep = np.sort(first)
    u, v, geoms, lengths, steps, names = (
        u[keep],
        v[keep],
        geoms[keep],
        lengths[keep],
        steps[keep],
        names[keep],
    )

    used = np.unique(np.concatenate([u, v]))
    remap = np.full(node_xy.shape[0], -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    factor = np.where(steps, STEPS_TIME_FACTOR, 1.0)
    return WalkNetwork(
        node_xy=node_xy[used],
        edge_u=remap[u],
        edge_v=remap[v],
        edge_length_m=lengths,
        edge_time_s=lengths * factor / walk_speed_m_s,
        edge_geometry=geoms,
        edge_steps=steps,
        walk_speed_m_s=walk_speed_m_s,
        crs=crs,
        source=source,
        notes=tuple(notes),
        edge_name=names,
    )


def street_name(name: Any) -> str:
    """An edge's street name: the first non-empty of a simplified edge's list of names (``""`` for none)."""
    values = name if isinstance(name, (list, tuple)) else [name]
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _is_steps(highway: Any) -> bool:
    if isinstance(highway, (list, tuple, set)):
        return "steps" in highway
    return highway == "steps"


def _orient_to_nodes(geoms: np.ndarray, u: np.ndarray, v: np.ndarray, node_xy: np.ndarray) -> np.ndarray:
    """Make every geometry run from node u to node v, ending exactly on the node coordinates."""
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    first = np.searchsorted(owner, np.arange(geoms.size))
    last = np.r_[first[1:], owner.size] - 1
    forward = np.hypot(*(coords[first] - node_xy[u]).T) + np.hypot(*(coords[last] - node_xy[v]).T)
    backward = np.hypot(*(coords[first] - node_xy[v]).T) + np.hypot(*(coords[last] - node_xy[u]).T)
    flip = backward < forward
    if flip.any():
        geoms = geoms.copy()
        geoms[flip] = shapely.reverse(geoms[flip])
        coords, owner = shapely.get_coordinates(geoms, return_index=True)
    coords[first] = node_xy[u]
    coords[last] = node_xy[v]
    return shapely.linestrings(coords, indices=owner)
