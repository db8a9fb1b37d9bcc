"""OpenStreetMap sources: OSM XML and PBF files, and place names downloaded through osmnx."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pyproj

from geo.errors import NetworkError
from geo.messages import Message
from geo.network.graph import DEFAULT_WALK_SPEED_M_S, WalkNetwork, check_walk_speed
from geo.network.graphs import network_from_graph
from geo.network.inputs import network_file, projected_crs, short_reason, xml_reason
from geo.network.osmgraph import network_from_osm_arrays
from geo.network.osmread import OsmArrays, read_osm_arrays
from geo.network.walkable import FILTER_TAGS, tag_text, walkable, way_notes
from geo.progress import Progress, silent

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


def network_from_osm(
    path: str | Path,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    include_private: bool = False,
    reader: str = "auto",
    progress: Progress | None = None,
) -> WalkNetwork:
    """Read the walkable ways of an OpenStreetMap file (XML, bzip2-compressed XML or PBF).

    pyosmium reads the file into arrays and the network is built from them
    (:func:`geo.network.osmgraph.network_from_osm_arrays`): the network osmnx gives, in the same order, without
    a networkx graph in between. Without pyosmium (``pip install osmium``), or for an XML file pyosmium cannot read,
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
    Of a PBF file (or an XML file whose ways reference nodes it lacks, as clipped extracts do) only the highway ways
    are read, cut at the missing nodes (the osmnx path first rewrites them as XML with pyosmium).

    Parameters
    ----------
    path : the OSM file, coordinates in WGS84.
    crs : the study's projected CRS; coordinates and lengths are returned in it.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    include_private : keep ``access=private`` ways.
    reader : ``"auto"`` (pyosmium arrays when pyosmium is installed), ``"pyosmium"`` or ``"osmnx"`` (the networkx
        path, kept for comparison and as the fallback).
    progress : optional callback ``(fraction, message)`` (the pyosmium path says when the file is read).

    Raises
    ------
    NetworkError
        Missing or unreadable file, or no walkable ways in it.
    """
    speed = check_walk_speed(walk_speed_m_s)
    p, label, target = network_file(path, crs)
    pbf = p.name.lower().endswith(OSM_PBF_ENDINGS)
    if reader not in ("auto", "pyosmium", "osmnx"):
        raise ValueError(f"unknown OSM reader {reader!r}")
    if reader != "osmnx" and (pbf or _has_pyosmium()):
        data = _read_arrays(p, label=label, pbf=pbf, strict=pbf or reader == "pyosmium")
        if data is not None:
            step = progress or silent
            step(0.4, Message.of("progress_network_read", n_nodes=data.node_id.size, n_ways=data.way_id.size))
            step(0.5, Message.of("progress_network_building"))
            return network_from_osm_arrays(
                data, crs=target, walk_speed_m_s=speed, label=label, include_private=include_private
            )
    if pbf:
        with tempfile.TemporaryDirectory(prefix="eldercircle-osm-") as tmp:
            xml = Path(tmp) / "walk.osm"
            _walkable_osm_copy(p, xml, label=label, reason=Message.of("osm_why_pbf"))
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
                    reason=Message.of("osm_why_clipped"),
                )
                graph, notes = _osm_walk_graph(xml, label=label, include_private=include_private)
                notes.append(Message.of("osm_ways_cut"))
    return network_from_graph(graph, crs=target, walk_speed_m_s=speed, source=label, notes=notes)


def _has_pyosmium() -> bool:
    try:
        import osmium  # noqa: F401  (optional: pip install osmium)
    except ImportError:
        return False
    return True


def _read_arrays(p: Path, *, label: str, pbf: bool, strict: bool) -> OsmArrays | None:
    """The file as arrays, read by pyosmium; None for an XML file pyosmium cannot read (osmnx then reads it and
    says what is wrong with it), :class:`NetworkError` for a PBF file."""
    if not _has_pyosmium():
        raise NetworkError.of("osm_needs_pyosmium", label=label, reason=Message.of("osm_why_pbf"))
    try:
        return read_osm_arrays(p, pbf=pbf)
    except Exception:
        if strict:
            raise NetworkError.of("osm_unreadable_file", label=label) from None
        return None


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
    import osmnx as ox  # heavy (about 1 s to import): only when a graph is read

    speed = check_walk_speed(walk_speed_m_s)
    label = f"place:{name}"
    target = projected_crs(crs, label=label)
    if not str(name).strip():
        raise NetworkError.of("network_place_empty")
    try:
        graph = ox.graph_from_place(name, network_type="walk", simplify=False, retain_all=True)
    except Exception as exc:
        raise NetworkError.of("network_download_failed", place=name, reason=short_reason(exc)) from None
    graph = ox.simplify_graph(graph, edge_attrs_differ=["highway"], remove_rings=False)
    return network_from_graph(
        graph,
        crs=target,
        walk_speed_m_s=speed,
        source=label,
        notes=[Message.of("osm_downloaded")],
    )


class _ClippedExtractError(Exception):
    """osmnx refused the file because ways reference nodes that are not in it."""


#: osmnx keeps the way tags to parse in a global setting; this lock keeps concurrent loads (two app sessions)
#: from seeing each other's value.
_OSMNX_SETTINGS_LOCK = threading.Lock()


def _osm_walk_graph(path: Path, *, label: str, include_private: bool) -> tuple[Any, list[Message]]:
    """Parse an OSM XML file with osmnx, keep the walkable edges, simplify; return the graph and notes."""
    with _OSMNX_SETTINGS_LOCK:
        return _osm_walk_graph_locked(path, label=label, include_private=include_private)


def _osm_walk_graph_locked(path: Path, *, label: str, include_private: bool) -> tuple[Any, list[Message]]:
    import osmnx as ox  # heavy (about 1 s to import): only when a graph is read
    from osmnx._errors import InsufficientResponseError  # with osmnx, as above

    saved = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = list(OSM_WAY_TAGS)
    try:
        graph = ox.graph_from_xml(path, bidirectional=True, simplify=False, retain_all=True)
    except InsufficientResponseError:
        raise NetworkError.of("osm_no_data", label=label) from None
    except ValueError as exc:
        if "missing nodes" in str(exc):
            raise _ClippedExtractError(str(exc)) from None
        raise NetworkError.of("osm_not_xml", label=label, reason=xml_reason(exc)) from None
    except Exception as exc:
        raise NetworkError.of("osm_unreadable_xml", label=label, reason=xml_reason(exc)) from None
    finally:
        ox.settings.useful_tags_way = saved

    edges = list(graph.edges(keys=True, data=True))
    tag = {t: tag_text(np.array([d.get(t) for _, _, _, d in edges], dtype=object)) for t in FILTER_TAGS}
    osmid = np.array([d.get("osmid", -1) for _, _, _, d in edges], dtype=object)
    keep, reason = walkable(tag, include_private=include_private)
    notes = way_notes(osmid, reason, keep, label=label, include_private=include_private)
    graph.remove_edges_from([(u, v, k) for (u, v, k, _), drop in zip(edges, ~keep, strict=False) if drop])
    graph.remove_nodes_from([node for node, degree in graph.degree() if degree == 0])
    graph = ox.simplify_graph(graph, edge_attrs_differ=["highway"], remove_rings=False)
    return graph, notes


def _walkable_osm_copy(src: Path, dst: Path, *, label: str, reason: Message) -> None:
    """Write the highway ways of ``src`` and their nodes to OSM XML ``dst``, cutting ways at missing nodes."""
    try:
        import osmium  # optional (pip install osmium): only for PBF files and clipped extracts
    except ImportError:
        raise NetworkError.of("osm_needs_pyosmium", label=label, reason=reason) from None
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
        raise NetworkError.of("osm_unreadable_file", label=label) from None


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
