"""One entry for whatever the study names as its network: a file of any supported kind, or ``place:<name>``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyproj

from geo.errors import NetworkError
from geo.layers import check_file_format, check_source_text
from geo.messages import Message
from geo.network.centrelines import CENTRELINE_ENDINGS, network_from_centrelines
from geo.network.graph import DEFAULT_WALK_SPEED_M_S, WalkNetwork
from geo.network.graphs import network_from_graphml
from geo.network.inputs import check_network_file
from geo.network.osm import OSM_PBF_ENDINGS, OSM_XML_ENDINGS, network_from_osm, network_from_place
from geo.progress import silent


def network_from_source(
    source: str,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    include_private: bool = False,
    base_dir: Path | str | None = None,
    layer_crs: pyproj.CRS | str | int | None = None,
    progress: Callable[[float, str | Message], None] | None = None,
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
    step = progress or silent
    text = str(source).strip()
    if not text:
        raise NetworkError.of("network_source_empty")
    where = Message.of("network_source_label", label=repr(text))
    check_source_text(text, where=where, error=NetworkError)
    if text.lower().startswith("place:"):
        step(0.0, Message.of("progress_network_download", place=text[6:].strip()))
        net = network_from_place(text[6:].strip(), crs=crs, walk_speed_m_s=walk_speed_m_s)
        step(1.0, Message.of("progress_network_size", n_nodes=net.n_nodes, n_edges=net.n_edges))
        return net
    path_text, _, layer = text.partition("#")
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    kind = _source_kind(path)
    check_network_file(path, label=text)
    if kind != "centrelines":  # centreline layers are checked by geo.layers.read_layer
        check_file_format(path, where=where, error=NetworkError)
    step(0.0, Message.of("progress_network_reading", name=path.name))
    if kind == "osm":
        net = network_from_osm(
            path, crs=crs, walk_speed_m_s=walk_speed_m_s, include_private=include_private, progress=progress
        )
    elif kind == "graphml":
        net = network_from_graphml(path, crs=crs, walk_speed_m_s=walk_speed_m_s)
    else:
        spec = str(path) + (f"#{layer}" if layer else "")
        net = network_from_centrelines(
            spec, crs=crs, walk_speed_m_s=walk_speed_m_s, source=text, layer_crs=layer_crs, progress=progress
        )
    step(1.0, Message.of("progress_network_size", n_nodes=net.n_nodes, n_edges=net.n_edges))
    return net


def _source_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(OSM_XML_ENDINGS) or name.endswith(OSM_PBF_ENDINGS):
        return "osm"
    if name.endswith(".graphml"):
        return "graphml"
    if name.endswith(CENTRELINE_ENDINGS):
        return "centrelines"
    raise NetworkError.of("network_source_type_unknown", path=str(path))
