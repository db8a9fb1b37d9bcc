"""Walking networks: what the elderly can walk on, as arrays ready for compiled shortest paths.

A :class:`WalkNetwork` is undirected (pedestrians ignore one-way rules), in a projected CRS (metres), with one
row per street segment. Loaders for OpenStreetMap files, GraphML and street-centreline layers build it; the
travel-time and service-area code reads only this dataclass.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from geo.errors import LayerError, NetworkError, OptionError
from geo.layers import check_file_format, check_source_text

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
        raise OptionError(
            f"walking speed {walk_speed_m_s!r} is not a number; give metres per second between "
            f"{MIN_WALK_SPEED_M_S} and {MAX_WALK_SPEED_M_S}, e.g. 1.0"
        ) from None
    if not (MIN_WALK_SPEED_M_S <= speed <= MAX_WALK_SPEED_M_S) or not np.isfinite(speed):
        raise OptionError(
            f"walking speed {speed:g} m/s is outside the allowed {MIN_WALK_SPEED_M_S}–{MAX_WALK_SPEED_M_S} m/s; "
            "older people walk about 0.8–1.0 m/s (STANDARDS.md D), so give a value such as 1.0"
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
    notes : sentences on what the loader kept, left out or assumed (ways dropped and why), for reports.
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
    notes: tuple[str, ...] = ()

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
        )


def network_from_lines(
    geometry: np.ndarray | list,
    *,
    crs: pyproj.CRS | str,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    steps: np.ndarray | list | None = None,
    source: str = "",
    snap_tolerance_m: float = 0.01,
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
    """
    speed = check_walk_speed(walk_speed_m_s)
    crs = pyproj.CRS.from_user_input(crs)
    if not crs.is_projected:
        raise NetworkError(
            f"network {source or '(lines)'}: CRS {crs.name} is not projected; project it to metres first"
        )
    geoms = np.asarray(geometry, dtype=object)
    if geoms.size == 0:
        raise NetworkError(f"network {source or '(lines)'} has no walkable lines")
    types = shapely.get_type_id(geoms)
    if np.any(types != 1):
        bad = int(np.flatnonzero(types != 1)[0])
        raise NetworkError(
            f"network {source or '(lines)'}: line {bad} is a {shapely.get_type_id(geoms[bad])!r} geometry, "
            "not a LineString; explode multi-lines first"
        )
    lengths = shapely.length(geoms)
    keep = lengths > 0
    geoms, lengths = geoms[keep], lengths[keep]
    steps_arr = np.zeros(len(keep), dtype=bool) if steps is None else np.asarray(steps, dtype=bool)
    steps_arr = steps_arr[keep]
    starts = shapely.get_coordinates(shapely.get_point(geoms, 0))
    ends = shapely.get_coordinates(shapely.get_point(geoms, -1))
    ends_xy = np.vstack([starts, ends])
    key = np.round(ends_xy / snap_tolerance_m).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
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
    )


# ================================================================================================================
# Loaders: OpenStreetMap files, GraphML, street-centreline layers, osmnx place names
# ================================================================================================================

#: OSM ``highway`` values an older pedestrian may walk on. Footways and paths, streets of every class up to
#: primary (Chinese urban primaries and secondaries have pavements), service and track roads, cycleways (shared in
#: practice), indoor corridors, bridleways, the legacy ``road`` and the non-standard ``crossing`` way.
WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "track",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "cycleway",
    "corridor",
    "bridleway",
    "road",
    "crossing",
)
#: ``highway`` values kept only when the way says pedestrians may use it (``foot`` yes/designated/permissive,
#: or a ``sidewalk`` on either side): in Chinese cities ``trunk`` is mostly an urban expressway (快速路).
FOOT_ONLY_HIGHWAYS: tuple[str, ...] = ("trunk", "trunk_link")
#: ``highway`` values never walked (listed for reports; every value outside WALKABLE_HIGHWAYS and
#: FOOT_ONLY_HIGHWAYS is left out too, e.g. elevator, busway, rest_area).
NOT_WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "construction",
    "proposed",
    "abandoned",
    "platform",
    "raceway",
    "bus_guideway",
    "escape",
)
#: ``foot`` values that open a way to pedestrians whatever ``access`` says.
FOOT_ALLOWED: tuple[str, ...] = ("yes", "designated", "permissive")
#: ``sidewalk`` values saying a pavement runs along the carriageway.
SIDEWALK_PRESENT: tuple[str, ...] = ("yes", "both", "left", "right")
#: OSM way tags kept while reading (``osmnx.settings.useful_tags_way`` during the read, then restored).
OSM_WAY_TAGS: tuple[str, ...] = (
    "highway",
    "foot",
    "access",
    "sidewalk",
    "bridge",
    "tunnel",
    "layer",
    "level",
    "area",
    "service",
    "name",
)
#: File endings read as OSM XML (osmnx) and as OSM PBF (converted to XML with pyosmium first).
OSM_XML_ENDINGS: tuple[str, ...] = (".osm", ".osm.bz2", ".xml", ".xml.bz2", ".osm.xml")
OSM_PBF_ENDINGS: tuple[str, ...] = (".pbf",)
#: File endings read as street-centreline layers (``file.gpkg#layer`` names a GeoPackage layer).
CENTRELINE_ENDINGS: tuple[str, ...] = (".gpkg", ".shp", ".zip", ".geojson", ".json")

#: Centreline columns (compared case-insensitively) marking lines that pass over or under others.
BRIDGE_COLUMNS: tuple[str, ...] = ("bridge", "is_bridge", "桥梁", "是否桥梁")
TUNNEL_COLUMNS: tuple[str, ...] = ("tunnel", "is_tunnel", "隧道", "是否隧道")
LEVEL_COLUMNS: tuple[str, ...] = ("level", "layer", "层级", "高程层")
#: Centreline columns holding the road class (OSM exports, bureau data).
CLASS_COLUMNS: tuple[str, ...] = (
    "highway",
    "fclass",
    "type",
    "道路等级",
    "道路类型",
    "道路类别",
    "等级",
    "类型",
)
#: Words in a class column marking steps, and expressways (which are left out).
STEPS_WORDS: tuple[str, ...] = ("steps", "台阶", "楼梯", "阶梯")
EXPRESSWAY_WORDS: tuple[str, ...] = ("motorway", "expressway", "高速公路", "快速路")
#: Values of a bridge/tunnel column that mean "no" (compared lower-case); anything else (yes, 1, true, 是, T,
#: viaduct, a bridge's name) means yes.
FALSE_WORDS: tuple[str, ...] = ("", "0", "0.0", "no", "n", "false", "f", "否", "无", "none", "null", "nan")

#: Ends of centrelines closer than this (metres) are one node; a line end this close to another line splits it.
CENTRELINE_SNAP_M = 0.01


def network_from_source(
    source: str,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    include_private: bool = False,
    base_dir: Path | str | None = None,
    layer_crs: pyproj.CRS | str | int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> WalkNetwork:
    """Load a walking network from whatever the study names.

    Dispatch on the source: ``place:<name>`` → :func:`network_from_place` (online); ``*.osm``, ``*.osm.bz2``,
    ``*.xml`` and ``*.osm.pbf`` → :func:`network_from_osm`; ``*.graphml`` → :func:`network_from_graphml`;
    ``*.gpkg[#layer]``, ``*.shp``, ``*.zip`` (zipped Shapefile), ``*.geojson`` → :func:`network_from_centrelines`.

    Parameters
    ----------
    source : the file (``#layer`` suffix for a GeoPackage layer or zip member) or ``place:<name>``.
    crs : the study's projected CRS; the network is returned in it.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    include_private : keep OSM ``access=private`` ways (gated compounds residents walk through).
    base_dir : folder that relative paths are relative to (the study folder).
    layer_crs : CRS of a centreline layer whose file does not state one (e.g. a Shapefile without .prj).
    progress : optional callback ``(fraction, message)``.

    Raises
    ------
    NetworkError
        Missing or unreadable file, unknown file type, no walkable ways.
    """
    step = progress or _no_progress
    text = str(source).strip()
    if not text:
        raise NetworkError(
            "the network source is empty; name an OSM file, a GraphML file, a street-centreline "
            "layer or place:<name> as [network] source in study.toml"
        )
    check_source_text(text, where=f"network source {text!r}", error=NetworkError)
    if text.lower().startswith("place:"):
        step(0.0, f"downloading the walking network of {text[6:].strip()}")
        net = network_from_place(text[6:].strip(), crs=crs, walk_speed_m_s=walk_speed_m_s)
        step(1.0, f"walking network: {net.n_nodes} nodes, {net.n_edges} segments")
        return net
    path_text, _, layer = text.partition("#")
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    kind = _source_kind(path)
    _check_file(path, label=text)
    if kind != "centrelines":  # centreline layers are checked by geo.layers.read_layer
        check_file_format(path, where=f"network source {text!r}", error=NetworkError)
    step(0.0, f"reading the walking network from {path.name}")
    if kind == "osm":
        net = network_from_osm(path, crs=crs, walk_speed_m_s=walk_speed_m_s, include_private=include_private)
    elif kind == "graphml":
        net = network_from_graphml(path, crs=crs, walk_speed_m_s=walk_speed_m_s)
    else:
        spec = str(path) + (f"#{layer}" if layer else "")
        net = network_from_centrelines(
            spec, crs=crs, walk_speed_m_s=walk_speed_m_s, source=text, layer_crs=layer_crs
        )
    step(1.0, f"walking network: {net.n_nodes} nodes, {net.n_edges} segments")
    return net


def network_from_osm(
    path: str | Path,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    include_private: bool = False,
) -> WalkNetwork:
    """Read the walkable ways of an OpenStreetMap file (XML, bzip2-compressed XML or PBF).

    osmnx parses the file (``graph_from_xml`` with ``retain_all=True``: disconnected pieces are kept and reported
    by :func:`component_report`, not dropped); ways are then filtered by their tags:

    * kept: ``highway`` in :data:`WALKABLE_HIGHWAYS`; ``trunk``/``trunk_link`` only with ``foot`` in
      :data:`FOOT_ALLOWED` or a ``sidewalk``;
    * left out: every other ``highway`` value (motorway, construction, platform, …), ways without ``highway``
      (buildings, land use), ``area=yes`` (squares drawn as areas), ``foot=no``, and ``access``/``foot`` =
      ``private`` unless ``include_private`` (``foot=yes/designated/permissive`` overrides ``access``),
      ``access=no`` unless ``foot`` overrides it.

    The kept graph is simplified with osmnx (interstitial nodes removed; a change of ``highway`` value, e.g.
    footway → steps, stays a node so steps remain separate segments) and each two-way pair of edges becomes one
    undirected segment. Steps (``highway=steps``) cost :data:`STEPS_TIME_FACTOR` times their flat walking time.
    A PBF file (or an XML file whose ways reference nodes it lacks, as clipped extracts do) is first rewritten as
    XML with pyosmium (``pip install osmium``), keeping the highway ways cut at the missing nodes.

    Parameters
    ----------
    path : the OSM file, coordinates in WGS84.
    crs : the study's projected CRS; coordinates and lengths are returned in it.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    include_private : keep ``access=private`` ways.

    Raises
    ------
    NetworkError
        Missing or unreadable file, or no walkable ways in it.
    """
    speed = check_walk_speed(walk_speed_m_s)
    p = Path(path).expanduser()
    label = str(p)
    target = _projected_crs(crs, label=label)
    _check_file(p, label=label)
    check_file_format(p, where=f"network source {label}", error=NetworkError)
    if p.name.lower().endswith(OSM_PBF_ENDINGS):
        with tempfile.TemporaryDirectory(prefix="eldercircle-osm-") as tmp:
            xml = Path(tmp) / "walk.osm"
            _walkable_osm_copy(p, xml, label=label, reason="it is a PBF file")
            graph, notes = _osm_walk_graph(xml, label=label, include_private=include_private)
    else:
        try:
            graph, notes = _osm_walk_graph(p, label=label, include_private=include_private)
        except _ClippedExtractError:
            with tempfile.TemporaryDirectory(prefix="eldercircle-osm-") as tmp:
                xml = Path(tmp) / "walk.osm"
                _walkable_osm_copy(
                    p,
                    xml,
                    label=label,
                    reason="its ways reference nodes the file does not hold (a clipped extract)",
                )
                graph, notes = _osm_walk_graph(xml, label=label, include_private=include_private)
                notes.append("ways that leave the extract were cut where their nodes are missing")
    return _network_from_graph(graph, crs=target, walk_speed_m_s=speed, source=label, notes=notes)


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
    import osmnx as ox

    speed = check_walk_speed(walk_speed_m_s)
    p = Path(path).expanduser()
    label = str(p)
    target = _projected_crs(crs, label=label)
    _check_file(p, label=label)
    check_file_format(p, where=f"network source {label}", error=NetworkError)
    try:
        graph = ox.load_graphml(p)
    except Exception as exc:
        raise NetworkError(
            f"GraphML file {label} cannot be read ({_xml_reason(exc)}); save the graph again with "
            "osmnx.save_graphml, or give the OSM file itself"
        ) from None
    if graph.number_of_edges() == 0:
        raise NetworkError(
            f"GraphML file {label} has no edges; save a graph that holds the streets "
            "(e.g. osmnx.graph_from_place(..., network_type='walk'))"
        )
    notes = [f"GraphML: {graph.number_of_edges()} directed edges read as undirected segments"]
    return _network_from_graph(graph, crs=target, walk_speed_m_s=speed, source=label, notes=notes)


def network_from_place(
    name: str,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
) -> WalkNetwork:
    """Download the walking network of a place from OpenStreetMap (online only; never used by the tests).

    ``osmnx.graph_from_place(name, network_type="walk", retain_all=True)``, simplified as in
    :func:`network_from_osm`.

    Parameters
    ----------
    name : a place name Nominatim knows, e.g. ``"信州区, 上饶市, 江西省"``.
    crs : the study's projected CRS.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.

    Raises
    ------
    NetworkError
        When the download fails (offline, unknown place).
    """
    import osmnx as ox

    speed = check_walk_speed(walk_speed_m_s)
    label = f"place:{name}"
    target = _projected_crs(crs, label=label)
    if not str(name).strip():
        raise NetworkError(
            "place: names no place; write e.g. place:信州区, 上饶市, 江西省, or give an OSM file"
        )
    try:
        graph = ox.graph_from_place(name, network_type="walk", simplify=False, retain_all=True)
    except Exception as exc:
        raise NetworkError(
            f"could not download the walking network of {name!r} from OpenStreetMap "
            f"({_short(exc)}); check the internet connection and the place name, or download an "
            "OSM extract and name the file as [network] source"
        ) from None
    graph = ox.simplify_graph(graph, edge_attrs_differ=["highway"], remove_rings=False)
    return _network_from_graph(
        graph,
        crs=target,
        walk_speed_m_s=speed,
        source=label,
        notes=["downloaded with osmnx network_type='walk'"],
    )


def network_from_centrelines(
    layer: gpd.GeoDataFrame | str | Path,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    source: str = "",
    layer_crs: pyproj.CRS | str | int | None = None,
) -> WalkNetwork:
    """Build a network from a street-centreline layer (bureau road data, OSM line exports).

    Lines are noded where they cross or where one ends on another, so crossing streets connect — except lines
    that pass over or under: a truthy ``bridge``/``tunnel`` column (yes, 1, true, 是, T; also 桥梁, 是否桥梁,
    隧道) or a nonzero ``level``/``layer`` column (层级, 高程层). Such lines connect to the rest only at their own
    ends (an end lying on another line splits that line), and are noded fully only with lines of the same
    bridge/tunnel/level group. Every line is walkable except expressways named in a class column
    (``highway``, ``fclass``, ``type``, 道路等级, 道路类型, …: motorway, 高速公路, 快速路), which are left out and
    counted in the notes; steps come from the same columns (steps, 台阶, 楼梯).
    A line crossing itself is not noded at its own crossing.

    Parameters
    ----------
    layer : a GeoDataFrame, or a file: ``file.gpkg#layer``, ``file.shp``, ``file.zip`` (zipped Shapefile),
        ``file.geojson``.
    crs : the study's projected CRS; the layer is projected to it.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    source : label for reports (default: the file name).
    layer_crs : the layer's CRS when the file does not state one.

    Raises
    ------
    NetworkError
        Unreadable file, no CRS, a layer of polygons or points, no lines left.
    """
    speed = check_walk_speed(walk_speed_m_s)
    if isinstance(layer, gpd.GeoDataFrame):
        label = source or "(centreline layer)"
        frame = layer.reset_index(drop=True)
        if frame.crs is None:
            if layer_crs is None:
                raise NetworkError(
                    f"centreline layer {label} has no coordinate reference system; set its CRS "
                    "(GeoDataFrame.set_crs) or pass layer_crs"
                )
            frame = frame.set_crs(pyproj.CRS.from_user_input(layer_crs))
        rows = np.arange(1, len(frame) + 1)
    else:
        frame, rows, label = _read_centrelines(layer, source=source, layer_crs=layer_crs)
    target = _projected_crs(crs, label=label)
    notes: list[str] = []
    geoms = frame.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    is_line = np.isin(types, (1, 2, 5))  # LineString, LinearRing, MultiLineString
    if not is_line.any():
        raise NetworkError(_not_lines_message(label, types))
    if not is_line.all():
        bad = rows[~is_line]
        notes.append(f"left out {bad.size} rows that are not lines (rows {_row_list(bad)})")
    columns = [str(c) for c in frame.columns if c != "geometry"]
    class_cols = _find_columns(columns, CLASS_COLUMNS)
    classes = [frame[c].astype("string").fillna("").str.strip().str.lower().to_numpy(str) for c in class_cols]
    express = np.zeros(len(frame), dtype=bool)
    steps = np.zeros(len(frame), dtype=bool)
    for values in classes:
        express |= _contains_any(values, EXPRESSWAY_WORDS)
        steps |= _contains_any(values, STEPS_WORDS)
    if (express & is_line).any():
        n_exp = int((express & is_line).sum())
        notes.append(
            f"left out {n_exp} expressway lines (motorway/高速公路/快速路 in column "
            f"{', '.join(repr(c) for c in class_cols)}): pedestrians cannot walk on them"
        )
    passing, group, how = _level_groups(frame, columns)
    keep = is_line & ~express
    if not keep.any():
        raise NetworkError(
            f"centreline layer {label} has no walkable lines (all {int(is_line.sum())} lines are "
            "expressways); give the layer of ordinary streets and footpaths"
        )
    frame = frame.loc[keep]
    if frame.crs is not None and not pyproj.CRS.from_user_input(frame.crs).equals(target):
        frame = frame.to_crs(target)
    parts, part_of = shapely.get_parts(shapely.force_2d(frame.geometry.to_numpy()), return_index=True)
    lines = _as_linestrings(parts)
    ok = shapely.length(lines) > 0
    lines, part_of = lines[ok], part_of[ok]
    if lines.size == 0:
        raise NetworkError(
            f"centreline layer {label} has only empty or zero-length lines; export the street geometry again"
        )
    src_steps, src_passing, src_group = steps[keep][part_of], passing[keep][part_of], group[keep][part_of]
    pieces, piece_of, n_splits = _node_lines(lines, src_group, src_passing, tolerance_m=CENTRELINE_SNAP_M)
    notes.append(
        f"{lines.size} centrelines split into {pieces.size} segments at {n_splits} "
        f"crossing{'' if n_splits == 1 else 's'} and junction{'' if n_splits == 1 else 's'}"
    )
    if src_passing.any():
        notes.append(
            f"{int(src_passing.sum())} of them pass over or under others (column {how}) and connect to "
            "other streets only at their ends"
        )
    net = network_from_lines(
        pieces,
        crs=target,
        walk_speed_m_s=speed,
        steps=src_steps[piece_of],
        source=label,
        snap_tolerance_m=CENTRELINE_SNAP_M,
    )
    return replace(net, notes=tuple(notes))


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


def check_overlap(net: WalkNetwork, bounds_xy: tuple[float, float, float, float], *, context: str) -> None:
    """Raise :class:`NetworkError` when the network does not reach the study area at all.

    Parameters
    ----------
    net : the network.
    bounds_xy : ``(minx, miny, maxx, maxy)`` of the study layers, in the network's CRS (metres).
    context : what is being checked, for the message (e.g. ``"network 'streets.osm'"``).
    """
    if net.n_nodes == 0:
        raise NetworkError(
            f"{context}: the walking network is empty; give a network that covers the study area"
        )
    minx, miny, maxx, maxy = (float(b) for b in bounds_xy)
    nx0, ny0 = net.node_xy.min(axis=0)
    nx1, ny1 = net.node_xy.max(axis=0)
    if nx1 >= minx and nx0 <= maxx and ny1 >= miny and ny0 <= maxy:
        return
    gap_x = max(minx - nx1, nx0 - maxx, 0.0)
    gap_y = max(miny - ny1, ny0 - maxy, 0.0)
    gap_km = float(np.hypot(gap_x, gap_y)) / 1000.0
    raise NetworkError(
        f"{context}: the walking network (x {nx0:.0f}–{nx1:.0f} m, y {ny0:.0f}–{ny1:.0f} m) and the study layers "
        f"(x {minx:.0f}–{maxx:.0f} m, y {miny:.0f}–{maxy:.0f} m, both in {net.crs.name}) do not overlap — they are "
        f"{gap_km:.1f} km apart; usual causes: the network file covers another area, GCJ-02 (Amap) or BD-09 "
        '(Baidu) coordinates declared as WGS84 (set coords = "gcj02" or "bd09"), or a wrong crs setting'
    )


# --- helpers: files ---------------------------------------------------------------------------------------------


class _ClippedExtractError(Exception):
    """osmnx refused the file because ways reference nodes that are not in it."""


def _no_progress(fraction: float, message: str) -> None:
    """A progress callback that does nothing."""


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _xml_reason(exc: BaseException) -> str:
    """Why an XML file could not be read, without quoting it: the kind of problem and where (line, column)."""
    import xml.sax

    if isinstance(exc, xml.sax.SAXParseException):
        return f"not well-formed XML at line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
    position = getattr(exc, "position", None)  # xml.etree.ElementTree.ParseError
    if isinstance(position, tuple) and len(position) == 2:
        return f"not well-formed XML at line {position[0]}, column {position[1]}"
    if isinstance(exc, (EOFError, OSError)):
        return "the file is truncated or damaged"
    if isinstance(exc, (KeyError, ValueError, TypeError)):
        return "its elements or attributes are not those the format has"
    return type(exc).__name__


def _source_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(OSM_XML_ENDINGS) or name.endswith(OSM_PBF_ENDINGS):
        return "osm"
    if name.endswith(".graphml"):
        return "graphml"
    if name.endswith(CENTRELINE_ENDINGS):
        return "centrelines"
    raise NetworkError(
        f"network source {path} is of an unknown type; give an OSM file (.osm, .osm.bz2, .osm.pbf), a GraphML file "
        "(.graphml), a street-centreline layer (.gpkg#layer, .shp, zipped .zip, .geojson) or place:<name>"
    )


def _check_file(path: Path, *, label: str) -> None:
    if not path.exists():
        raise NetworkError(
            f"network file {path} does not exist; check [network] source in study.toml (relative "
            "paths are relative to the study folder)"
        )
    if path.is_dir():
        raise NetworkError(
            f"network source {label} is a folder, not a file; name the OSM, GraphML or centreline file itself"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise NetworkError(
            f"network file {path} cannot be opened ({exc.strerror or type(exc).__name__}); check its "
            "permissions"
        ) from None


def _projected_crs(crs: pyproj.CRS | str | int, *, label: str) -> pyproj.CRS:
    try:
        target = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise NetworkError(
            f"network {label}: {crs!r} is not a CRS pyproj knows ({_short(exc)}); give one such as "
            "EPSG:4547 or EPSG:32650"
        ) from None
    if not target.is_projected:
        raise NetworkError(
            f"network {label}: the target CRS {target.name} is not projected; give the study's "
            "metric CRS (e.g. the UTM zone, EPSG:32650 for 114–120°E)"
        )
    return target


# --- helpers: OpenStreetMap ---------------------------------------------------------------------------------------

#: osmnx keeps the way tags to parse in a global setting; this lock keeps concurrent loads (two app sessions)
#: from seeing each other's value.
_OSMNX_SETTINGS_LOCK = threading.Lock()


def _osm_walk_graph(path: Path, *, label: str, include_private: bool) -> tuple[Any, list[str]]:
    """Parse an OSM XML file with osmnx, keep the walkable edges, simplify; return the graph and notes."""
    with _OSMNX_SETTINGS_LOCK:
        return _osm_walk_graph_locked(path, label=label, include_private=include_private)


def _osm_walk_graph_locked(path: Path, *, label: str, include_private: bool) -> tuple[Any, list[str]]:
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    saved = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = list(OSM_WAY_TAGS)
    try:
        graph = ox.graph_from_xml(path, bidirectional=True, simplify=False, retain_all=True)
    except InsufficientResponseError:
        raise NetworkError(
            f"{label} has no walkable ways (it holds no OSM nodes or ways); give an OSM extract of "
            "the study area"
        ) from None
    except ValueError as exc:
        if "missing nodes" in str(exc):
            raise _ClippedExtractError(str(exc)) from None
        raise NetworkError(
            f"{label} cannot be read as OSM XML ({_xml_reason(exc)}); check that it is a complete "
            "OpenStreetMap XML file (.osm)"
        ) from None
    except Exception as exc:
        raise NetworkError(
            f"{label} cannot be read as OSM XML ({_xml_reason(exc)}); check that "
            "it is a complete, uncompressed or bzip2-compressed OpenStreetMap XML file"
        ) from None
    finally:
        ox.settings.useful_tags_way = saved

    edges = list(graph.edges(keys=True, data=True))
    tag = {t: _tag_values(edges, t) for t in ("highway", "foot", "access", "sidewalk", "area")}
    osmid = np.array([d.get("osmid", -1) for _, _, _, d in edges], dtype=object)
    keep, reason = _walkable(tag, include_private=include_private)
    way_reasons = pd.DataFrame({"osmid": osmid, "reason": reason}).drop_duplicates("osmid")
    dropped = way_reasons.loc[way_reasons["reason"] != "", "reason"].value_counts()
    n_kept_ways = int(pd.unique(osmid[keep]).size) if keep.any() else 0
    found = [f"{r} {n}" for r, n in dropped.items() if r != "no highway tag"]
    no_highway = int(dropped.get("no highway tag", 0))
    if not keep.any():
        listed = ", ".join(found[:8]) or "no highway ways at all"
        extra = f"; {no_highway} other ways (buildings, land use) have no highway tag" if no_highway else ""
        raise NetworkError(
            f"{label} has no walkable ways (found {listed}{extra}); give an extract that includes "
            "the footways and streets of the study area"
        )
    graph.remove_edges_from([(u, v, k) for (u, v, k, _), drop in zip(edges, ~keep, strict=False) if drop])
    graph.remove_nodes_from([node for node, degree in graph.degree() if degree == 0])
    graph = ox.simplify_graph(graph, edge_attrs_differ=["highway"], remove_rings=False)
    notes = [f"{n_kept_ways} walkable OSM ways kept"]
    if found:
        text = ", ".join(found)
        notes.append(f"left out: {text}")
        if not include_private and any(
            r.startswith(("access=private", "foot=private")) for r in dropped.index
        ):
            notes.append(
                "private ways (gated compounds) are left out; set include_private = true in [network] "
                "if residents may walk through them"
            )
    return graph, notes


def _tag_values(edges: list, tag: str) -> np.ndarray:
    """One OSM tag of every edge, lower-case text ('' when absent; lists joined with ';')."""
    out = []
    for _, _, _, d in edges:
        value = d.get(tag)
        if value is None:
            out.append("")
        elif isinstance(value, (list, tuple)):
            out.append(";".join(str(x) for x in value).lower())
        else:
            out.append(str(value).strip().lower())
    return np.array(out, dtype=object)


def _walkable(tag: dict[str, np.ndarray], *, include_private: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which edges a pedestrian may use, and the reason each other edge is left out."""
    highway, foot, access = tag["highway"], tag["foot"], tag["access"]
    foot_ok = np.isin(foot, FOOT_ALLOWED)
    sidewalk = np.isin(tag["sidewalk"], SIDEWALK_PRESENT)
    n = highway.size
    reason = np.full(n, "", dtype=object)

    def mark(mask: np.ndarray, text: np.ndarray | str) -> None:
        todo = mask & (reason == "")
        reason[todo] = text[todo] if isinstance(text, np.ndarray) else text

    mark(highway == "", "no highway tag")
    known = np.isin(highway, WALKABLE_HIGHWAYS) | np.isin(highway, FOOT_ONLY_HIGHWAYS)
    mark(~known, np.array(["highway=" + h for h in highway], dtype=object))
    mark(
        np.isin(highway, FOOT_ONLY_HIGHWAYS) & ~foot_ok & ~sidewalk,
        np.array([f"highway={h} without foot=yes or sidewalk" for h in highway], dtype=object),
    )
    mark(tag["area"] == "yes", "area=yes")
    mark(foot == "no", "foot=no")
    if not include_private:
        mark(foot == "private", "foot=private")
        mark((access == "private") & ~foot_ok, "access=private")
    mark((access == "no") & ~foot_ok, "access=no")
    return reason == "", reason


def _walkable_osm_copy(src: Path, dst: Path, *, label: str, reason: str) -> None:
    """Write the highway ways of ``src`` and their nodes to OSM XML ``dst``, cutting ways at missing nodes."""
    try:
        import osmium
    except ImportError:
        raise NetworkError(
            f"{label} cannot be read directly because {reason}; install pyosmium "
            "(pip install osmium) or convert it first, e.g. osmium cat --strategy complete_ways "
            "in.osm.pbf -o streets.osm"
        ) from None
    try:
        tracker = osmium.IdTracker()
        ways = osmium.FileProcessor(str(src), osmium.osm.WAY).with_filter(osmium.filter.KeyFilter("highway"))
        for way in ways:
            tracker.add_references(way)
        node_ids = tracker.node_ids()
        next_id = -1
        entities = osmium.osm.NODE | osmium.osm.WAY
        with osmium.SimpleWriter(str(dst), overwrite=True) as writer:
            for obj in osmium.FileProcessor(str(src), entities).with_locations():
                if isinstance(obj, osmium.osm.Node):
                    if obj.id in node_ids:
                        writer.add_node(obj)
                    continue
                if not isinstance(obj, osmium.osm.Way) or "highway" not in obj.tags:
                    continue
                refs = [n.ref for n in obj.nodes]
                valid = [n.location.valid() for n in obj.nodes]
                if all(valid):
                    writer.add_way(obj)
                    continue
                tags = dict(obj.tags)
                for run in _runs(refs, valid):
                    writer.add_way(osmium.osm.mutable.Way(id=next_id, nodes=run, tags=tags))
                    next_id -= 1
    except NetworkError:
        raise
    except Exception:
        raise NetworkError(
            f"{label} cannot be read as an OSM file (a damaged or incomplete file); check that it is "
            "a complete .osm.pbf or .osm file"
        ) from None


def _runs(refs: list[int], valid: list[bool]) -> list[list[int]]:
    """Runs of at least two consecutive present nodes."""
    runs: list[list[int]] = []
    current: list[int] = []
    for ref, ok in zip(refs, valid, strict=False):
        if ok:
            current.append(ref)
        else:
            if len(current) >= 2:
                runs.append(current)
            current = []
    if len(current) >= 2:
        runs.append(current)
    return runs


# --- helpers: graphs to arrays ------------------------------------------------------------------------------------


def _network_from_graph(
    graph: Any, *, crs: pyproj.CRS, walk_speed_m_s: float, source: str, notes: list[str]
) -> WalkNetwork:
    """Turn an osmnx MultiDiGraph (lon/lat or any CRS in ``graph.graph['crs']``) into an undirected WalkNetwork."""
    node_ids = list(graph.nodes)
    x = np.array([graph.nodes[n].get("x", np.nan) for n in node_ids], dtype=float)
    y = np.array([graph.nodes[n].get("y", np.nan) for n in node_ids], dtype=float)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        bad = int((~(np.isfinite(x) & np.isfinite(y))).sum())
        raise NetworkError(
            f"network {source}: {bad} nodes have no x/y coordinates; save the graph with osmnx "
            "(nodes need x and y attributes)"
        )
    edges = list(graph.edges(data=True))
    if not edges:
        raise NetworkError(
            f"network {source} has no walkable ways after filtering; give a network that includes "
            "the footways and streets of the study area"
        )
    index = pd.Index(node_ids)
    u = index.get_indexer([e[0] for e in edges]).astype(np.int64)
    v = index.get_indexer([e[1] for e in edges]).astype(np.int64)
    geoms = np.array([e[2].get("geometry") for e in edges], dtype=object)
    steps = np.array([_is_steps(e[2].get("highway")) for e in edges], dtype=bool)

    graph_crs = pyproj.CRS.from_user_input(graph.graph.get("crs") or "EPSG:4326")
    transformer = pyproj.Transformer.from_crs(graph_crs, crs, always_xy=True)
    px, py = transformer.transform(x, y)
    node_xy = np.column_stack([px, py]).astype(float)
    if not np.isfinite(node_xy).all():
        raise NetworkError(
            f"network {source}: node coordinates cannot be projected to {crs.name}; check the "
            "graph's crs attribute"
        )

    missing = np.array([g is None for g in geoms], dtype=bool)
    if missing.any():
        geoms[missing] = shapely.linestrings(np.stack([node_xy[u[missing]], node_xy[v[missing]]], axis=1))
    if (~missing).any():
        geoms[~missing] = shapely.transform(
            geoms[~missing], lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    geoms = _orient_to_nodes(geoms, u, v, node_xy)

    lengths = shapely.length(geoms)
    mid = shapely.get_coordinates(shapely.line_interpolate_point(geoms, 0.5, normalized=True))
    key = np.column_stack(
        [np.minimum(u, v), np.maximum(u, v), np.round(lengths * 100.0), np.round(mid * 100.0)]
    ).astype(np.int64)
    _, first = np.unique(key, axis=0, return_index=True)
    keep = np.sort(first)
    u, v, geoms, lengths, steps = u[keep], v[keep], geoms[keep], lengths[keep], steps[keep]

    used = np.unique(np.concatenate([u, v]))
    remap = np.full(len(node_ids), -1, dtype=np.int64)
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
    )


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


# --- helpers: centrelines -----------------------------------------------------------------------------------------


def _read_centrelines(
    layer: str | Path, *, source: str, layer_crs: Any
) -> tuple[gpd.GeoDataFrame, np.ndarray, str]:
    from geo.layers import read_layer

    spec = str(layer)
    label = source or spec
    crs_text = None if layer_crs is None else pyproj.CRS.from_user_input(layer_crs).to_string()
    try:
        raw = read_layer(spec, crs=crs_text, name="network")
    except LayerError as exc:
        text = str(exc)
        if "coordinate reference system" in text:
            raise NetworkError(
                f"centreline layer {label} has no coordinate reference system (no .prj file or SRS); "
                "add the Shapefile's .prj file (or export the layer as GeoPackage with its CRS), or "
                'state the layer\'s CRS, e.g. layer_crs="EPSG:4547"'
            ) from None
        raise NetworkError(text) from None
    return raw.frame.drop(columns="_row"), raw.frame["_row"].to_numpy(), label


def _not_lines_message(label: str, types: np.ndarray) -> str:
    names = {
        0: "points",
        4: "points",
        3: "polygons",
        6: "polygons",
        7: "mixed geometry collections",
        -1: "empty geometries",
    }
    valid = types[types >= 0]
    common = int(np.bincount(valid).argmax()) if valid.size else -1
    what = names.get(common, "non-line geometries")
    return (
        f"centreline layer {label} is a layer of {what}; a network needs street centrelines (LineString), "
        "so give the road-centreline layer (or an OSM file)"
    )


def _find_columns(columns: list[str], names: tuple[str, ...]) -> list[str]:
    wanted = {n.lower() for n in names}
    return [c for c in columns if c.strip().lower() in wanted]


def _contains_any(values: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(values.size, dtype=bool)
    for w in words:
        out |= np.char.find(values.astype(str), w) >= 0
    return out


def _truthy(series: pd.Series) -> np.ndarray:
    """Bridge/tunnel flags: numbers are true when nonzero, text unless it says no (see FALSE_WORDS)."""
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).to_numpy(bool)
    if pd.api.types.is_numeric_dtype(series):
        return series.fillna(0).to_numpy(float) != 0
    text = series.astype("string").fillna("").str.strip().str.lower().to_numpy(str)
    return ~np.isin(text, FALSE_WORDS)


def _level_groups(frame: gpd.GeoDataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """Per row: passes over/under (bool), its noding group (int), and which columns said so."""
    n = len(frame)
    bridge = np.zeros(n, dtype=bool)
    tunnel = np.zeros(n, dtype=bool)
    level = np.zeros(n, dtype=float)
    used: list[str] = []
    for c in _find_columns(columns, BRIDGE_COLUMNS):
        bridge |= _truthy(frame[c])
        used.append(c)
    for c in _find_columns(columns, TUNNEL_COLUMNS):
        tunnel |= _truthy(frame[c])
        used.append(c)
    for c in _find_columns(columns, LEVEL_COLUMNS):
        values = pd.to_numeric(frame[c], errors="coerce")
        values = values.fillna(0).to_numpy(float)
        level = np.where(level != 0, level, values)
        used.append(c)
    passing = bridge | tunnel | (level != 0)
    key = pd.MultiIndex.from_arrays([bridge, tunnel, level])
    group = pd.factorize(key)[0].astype(np.int64)
    return passing, group, ", ".join(repr(c) for c in used)


def _as_linestrings(parts: np.ndarray) -> np.ndarray:
    """LineStrings from LineString/LinearRing parts (rings become closed LineStrings)."""
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(owner, minlength=parts.size)
    ok = counts >= 2
    if not ok.all():
        keep = ok[owner]
        coords, owner = coords[keep], owner[keep]
    out = np.full(parts.size, None, dtype=object)
    if coords.size:
        _, owner_idx = np.unique(owner, return_inverse=True)
        out[ok] = shapely.linestrings(coords, indices=owner_idx.reshape(-1))
    out[~ok] = shapely.linestrings([[0.0, 0.0], [0.0, 0.0]])  # zero length: dropped by the caller
    return out


def _node_lines(
    lines: np.ndarray, group: np.ndarray, passing: np.ndarray, *, tolerance_m: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Split lines where they cross lines of their own group and where an allowed line end lies on them.

    A line ``a`` is split at: every intersection with a line of its own group; every end of another line within
    ``tolerance_m`` of it when that line is of the same group or passes over/under (then its end is a ramp or a
    bridge head joining ``a``). Returns the pieces, the index of the line each came from, and the number of
    distinct split points.
    """
    n = lines.size
    tree = shapely.STRtree(lines)
    split_line: list[np.ndarray] = []
    split_xy: list[np.ndarray] = []
    # crossings within a group
    i, j = tree.query(lines, predicate="intersects")
    pair = (i < j) & (group[i] == group[j])
    i, j = i[pair], j[pair]
    if i.size:
        xy, k = shapely.get_coordinates(shapely.intersection(lines[i], lines[j]), return_index=True)
        split_line += [i[k], j[k]]
        split_xy += [xy, xy]
    # line ends lying on other lines
    ends = np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    owner = np.concatenate([np.arange(n), np.arange(n)])
    e, a = tree.query(ends, predicate="dwithin", distance=tolerance_m)
    allowed = (a != owner[e]) & ((group[a] == group[owner[e]]) | passing[owner[e]])
    e, a = e[allowed], a[allowed]
    if e.size:
        split_line.append(a)
        split_xy.append(shapely.get_coordinates(ends[e]))
    if not split_line:
        return lines, np.arange(n), 0
    s_line = np.concatenate(split_line)
    s_xy = np.concatenate(split_xy)
    s_d = shapely.line_locate_point(lines[s_line], shapely.points(s_xy))
    length = shapely.length(lines)
    interior = (s_d > tolerance_m) & (s_d < length[s_line] - tolerance_m)
    s_line, s_xy, s_d = s_line[interior], s_xy[interior], s_d[interior]
    _, uniq = np.unique(
        np.column_stack([s_line, np.round(s_d / tolerance_m)]).astype(np.int64), axis=0, return_index=True
    )
    s_line, s_xy, s_d = s_line[uniq], s_xy[uniq], s_d[uniq]
    if s_line.size == 0:
        return lines, np.arange(n), 0

    coords, c_line = shapely.get_coordinates(lines, return_index=True)
    step = np.hypot(*np.diff(coords, axis=0).T)
    step[c_line[1:] != c_line[:-1]] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(step)])
    starts = np.searchsorted(c_line, np.arange(n))
    c_d = cum - cum[starts[c_line]]
    # items: vertices (kind 0), split ends of piece k (kind 1), split starts of piece k+1 (kind 2)
    item_line = np.concatenate([c_line, s_line, s_line])
    item_d = np.concatenate([c_d, s_d, s_d])
    item_xy = np.concatenate([coords, s_xy, s_xy])
    item_kind = np.concatenate(
        [np.zeros(c_line.size, np.int8), np.ones(s_line.size, np.int8), np.full(s_line.size, 2, np.int8)]
    )
    order = np.lexsort((item_kind, item_d, item_line))
    item_line, item_xy, item_kind = item_line[order], item_xy[order], item_kind[order]
    piece = item_line + np.cumsum(item_kind == 2)
    same = np.r_[False, (piece[1:] == piece[:-1]) & np.all(item_xy[1:] == item_xy[:-1], axis=1)]
    piece, item_xy, item_line = piece[~same], item_xy[~same], item_line[~same]
    counts = np.bincount(piece)
    good = counts[piece] >= 2
    piece, item_xy, item_line = piece[good], item_xy[good], item_line[good]
    _, first, inverse = np.unique(piece, return_index=True, return_inverse=True)
    pieces = shapely.linestrings(item_xy, indices=inverse.reshape(-1))
    n_points = int(np.unique(np.round(s_xy / tolerance_m).astype(np.int64), axis=0).shape[0])
    return pieces, item_line[first], n_points


def _row_list(rows: np.ndarray, limit: int = 12) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" and {rows.size - limit} more" if rows.size > limit else "")
