"""The graph type: :class:`WalkNetwork`, walking speeds, and the network of hand-given lines.

A :class:`WalkNetwork` is undirected (pedestrians ignore one-way rules), in a projected CRS (metres), with one
row per street segment. The loaders of :mod:`geo.network` build it; the travel-time and service-area code reads only
this dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

from geo.errors import NetworkError, OptionError
from geo.messages import Message

#: Allowed walking speeds (m/s). STANDARDS.md section D: default 1.0 m/s, adjustable down to at least 0.5 m/s.
MIN_WALK_SPEED_M_S = 0.5
MAX_WALK_SPEED_M_S = 2.0
DEFAULT_WALK_SPEED_M_S = 1.0

#: Steps (stairs) cost this many times their flat walking time. Older people climb stairs at roughly half
#: their level-ground speed (and more slowly still going down with poor knees); 2.0 is the documented default.
STEPS_TIME_FACTOR = 2.0


def check_walk_speed(walk_speed_m_s: float) -> float:
    """Return the speed as float, or raise :class:`OptionError` when it is outside 0.5–2.0 m/s."""
    try:
        speed = float(walk_speed_m_s)
    except (TypeError, ValueError):
        raise OptionError.of(
            "walk_speed_not_number", value=repr(walk_speed_m_s), lo=MIN_WALK_SPEED_M_S, hi=MAX_WALK_SPEED_M_S
        ) from None
    if not (MIN_WALK_SPEED_M_S <= speed <= MAX_WALK_SPEED_M_S) or not np.isfinite(speed):
        raise OptionError.of(
            "walk_speed_out_of_range", speed=speed, lo=MIN_WALK_SPEED_M_S, hi=MAX_WALK_SPEED_M_S
        )
    return speed


@dataclass(frozen=True, eq=False)
class WalkNetwork:
    """An undirected walking network in a projected CRS.

    Attributes
    ----------
    node_xy : (n, 2) float array of node coordinates in metres.
    edge_u, edge_v : (m,) int arrays, the end nodes of each segment (``edge_geometry`` runs from u to v).
    edge_length_m : (m,) float array, the segment's length along its geometry.
    edge_time_s : (m,) float array, walking seconds at ``walk_speed_m_s`` (steps cost ``STEPS_TIME_FACTOR`` more).
    edge_geometry : (m,) array of shapely LineStrings from node u to node v.
    edge_steps : (m,) bool array, True for steps.
    walk_speed_m_s : the speed the times were computed with.
    crs : the projected CRS of the coordinates.
    source : where the network came from (a path or ``place:<name>``), for reports.
    notes : what the loader kept, left out or assumed (ways dropped and why), and what the cache did, for reports;
        each a :class:`~geo.messages.Message` (``str()`` gives the English).
    edge_name : (m,) object array of street names (OSM ``name``; ``""`` where unnamed), or None when the source
        has no names.
    """

    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_time_s: np.ndarray
    edge_geometry: np.ndarray
    edge_steps: np.ndarray
    walk_speed_m_s: float
    crs: pyproj.CRS
    source: str = ""
    notes: tuple[Message, ...] = ()
    edge_name: np.ndarray | None = None

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_xy.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of undirected segments."""
        return int(self.edge_u.shape[0])

    def with_speed(self, walk_speed_m_s: float) -> WalkNetwork:
        """Return the same network with times for another walking speed."""
        speed = check_walk_speed(walk_speed_m_s)
        factor = np.where(self.edge_steps, STEPS_TIME_FACTOR, 1.0)
        return WalkNetwork(
            node_xy=self.node_xy,
            edge_u=self.edge_u,
            edge_v=self.edge_v,
            edge_length_m=self.edge_length_m,
            edge_time_s=self.edge_length_m * factor / speed,
            edge_geometry=self.edge_geometry,
            edge_steps=self.edge_steps,
            walk_speed_m_s=speed,
            crs=self.crs,
            source=self.source,
            notes=self.notes,
            edge_name=self.edge_name,
        )


def unique_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, axis=0, return_index=True, return_inverse=True)`` of an (n, k) int64 array, without the
    slow row sort: the columns are folded into one int64 key (same lexicographic order) when their ranges allow.

    Returns the index of the first occurrence of each distinct row (rows in sorted order) and the inverse.
    """
    if key.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo, hi = key.min(axis=0), key.max(axis=0)
    span = (hi - lo + 1).astype(object)  # python ints: no overflow while checking
    total = 1
    for s in span:
        total *= int(s)
    if total >= 2**62:  # sort the rows column by column (stable: the first of equal rows comes first)
        order = np.lexsort(key.T[::-1])
        ordered = key[order]
        new = np.r_[True, np.any(ordered[1:] != ordered[:-1], axis=1)]
        inverse = np.empty(key.shape[0], np.int64)
        inverse[order] = np.cumsum(new) - 1
        return order[new], inverse
    flat = np.zeros(key.shape[0], np.int64)
    for col in range(key.shape[1]):
        flat = flat * np.int64(int(span[col])) + (key[:, col] - lo[col])
    _, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def network_from_lines(
    geometry: np.ndarray | list,
    *,
    crs: pyproj.CRS | str,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    steps: np.ndarray | list | None = None,
    source: str = "",
    snap_tolerance_m: float = 0.01,
    names: np.ndarray | list | None = None,
) -> WalkNetwork:
    """Build a network from LineStrings whose ends meet exactly where they connect.

    Each LineString becomes one segment between its first and last point; ends closer than
    ``snap_tolerance_m`` become one node. Lines are not noded where they merely cross (that is the
    centreline loader's job, which knows bridges and levels). Meant for tiny hand-built test graphs and as
    the last step of every loader.

    Parameters
    ----------
    geometry : LineStrings in ``crs`` (metres).
    crs : a projected CRS.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    steps : optional bool per line, True for steps.
    source : label for reports.
    snap_tolerance_m : ends closer than this are the same node.
    names : optional street name per line (``""`` or None where unnamed).
    """
    speed = check_walk_speed(walk_speed_m_s)
    crs = pyproj.CRS.from_user_input(crs)
    label = source or Message.of("network_label_lines")
    if not crs.is_projected:
        raise NetworkError.of("network_crs_not_projected", source=label, crs=crs.name)
    geoms = np.asarray(geometry, dtype=object)
    if geoms.size == 0:
        raise NetworkError.of("network_no_lines", source=label)
    types = shapely.get_type_id(geoms)
    if np.any(types != 1):
        bad = int(np.flatnonzero(types != 1)[0])
        raise NetworkError.of(
            "network_not_linestring", source=label, line=bad, kind=repr(shapely.get_type_id(geoms[bad]))
        )
    lengths = shapely.length(geoms)
    keep = lengths > 0
    geoms, lengths = geoms[keep], lengths[keep]
    steps_arr = np.zeros(len(keep), dtype=bool) if steps is None else np.asarray(steps, dtype=bool)
    steps_arr = steps_arr[keep]
    names_arr = None if names is None else np.array([n or "" for n in names], dtype=object)[keep]
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    first_vertex = np.searchsorted(owner, np.arange(geoms.size))
    last_vertex = np.r_[first_vertex[1:], owner.size] - 1
    ends_xy = np.vstack([coords[first_vertex], coords[last_vertex]])
    key = np.round(ends_xy / snap_tolerance_m).astype(np.int64)
    first, inverse = unique_rows(key)
    node_xy = ends_xy[first]
    m = len(geoms)
    u, v = inverse[:m], inverse[m:]
    factor = np.where(steps_arr, STEPS_TIME_FACTOR, 1.0)
    return WalkNetwork(
        node_xy=node_xy,
        edge_u=u.astype(np.int64),
        edge_v=v.astype(np.int64),
        edge_length_m=lengths,
        edge_time_s=lengths * factor / speed,
        edge_geometry=geoms,
        edge_steps=steps_arr,
        walk_speed_m_s=speed,
        crs=crs,
        source=source,
        edge_name=names_arr,
    )
