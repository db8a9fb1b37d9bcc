"""OpenStreetMap sources: OSM XML and PBF files, and place names downloaded through osmnx."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj

from geo.errors import NetworkError
from geo.messages import Message
from geo.network.graph import DEFAULT_WALK_SPEED_M_S, WalkNetwork, check_walk_speed
from geo.network.graphs import network_from_graph
from geo.network.inputs import network_file, projected_crs, short_reason, xml_reason

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
#: How the reason of a trunk way left out for want of a pavement ends (``highway=trunk without foot=yes or
#: sidewalk``).
_WITHOUT_FOOT = " without foot=yes or sidewalk"


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
    p, label, target = network_file(path, crs)
    if p.name.lower().endswith(OSM_PBF_ENDINGS):
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
    tag = {t: _tag_values(edges, t) for t in ("highway", "foot", "access", "sidewalk", "area")}
    osmid = np.array([d.get("osmid", -1) for _, _, _, d in edges], dtype=object)
    keep, reason = _walkable(tag, include_private=include_private)
    way_reasons = pd.DataFrame({"osmid": osmid, "reason": reason}).drop_duplicates("osmid")
    dropped = way_reasons.loc[way_reasons["reason"] != "", "reason"].value_counts()
    n_kept_ways = int(pd.unique(osmid[keep]).size) if keep.any() else 0
    found = tuple(_left_out(str(r), int(n)) for r, n in dropped.items() if r != "no highway tag")
    no_highway = int(dropped.get("no highway tag", 0))
    if not keep.any():
        raise NetworkError.of(
            "osm_no_walkable_ways",
            label=label,
            listed=found[:8] or Message.of("osm_no_highway_ways"),
            extra=Message.of("osm_untagged_ways", n=no_highway) if no_highway else "",
        )
    graph.remove_edges_from([(u, v, k) for (u, v, k, _), drop in zip(edges, ~keep, strict=False) if drop])
    graph.remove_nodes_from([node for node, degree in graph.degree() if degree == 0])
    graph = ox.simplify_graph(graph, edge_attrs_differ=["highway"], remove_rings=False)
    notes = [Message.of("osm_ways_kept", n=n_kept_ways)]
    if found:
        notes.append(Message.of("osm_left_out", found=found))
        if not include_private and any(
            r.startswith(("access=private", "foot=private")) for r in dropped.index
        ):
            notes.append(Message.of("osm_private_left_out"))
    return graph, notes


def _left_out(reason: str, n: int) -> Message:
    """One kind of way left out and how many: ``highway=motorway 3``."""
    head, sep, _ = reason.partition(_WITHOUT_FOOT)
    if sep:
        return Message.of("osm_left_out_no_foot", tag=head, n=n)
    return Message.of("osm_left_out_tag", tag=reason, n=n)


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
        np.array([f"highway={h}{_WITHOUT_FOOT}" for h in highway], dtype=object),
    )
    mark(tag["area"] == "yes", "area=yes")
    mark(foot == "no", "foot=no")
    if not include_private:
        mark(foot == "private", "foot=private")
        mark((access == "private") & ~foot_ok, "access=private")
    mark((access == "no") & ~foot_ok, "access=no")
    return reason == "", reason


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
