"""The offline basemap: streets, water, railways, green space and place names of a study's area.

Bureau machines are often offline, so the map under the circles is drawn from the study's own data rather than
from tiles: its OpenStreetMap file (XML, ``.osm.bz2`` or PBF, read with pyosmium straight into geometries) or, for
a centreline or GraphML network, the network's own streets. :func:`basemap_from_osm` and
:func:`basemap_from_network` return a frozen :class:`Basemap` of six small frames in the study's projected CRS;
how they are drawn (by zoom on the web, at print scale on paper) is the map builders' business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.errors import NetworkError
from geo.layers import check_file_format
from geo.messages import Message
from geo.network.graph import WalkNetwork

#: OSM ``highway`` values drawn, and their rank: 0 expressways, 1 arterials, 2 local streets, 3 service ways and
#: paths. Lower ranks are drawn wider and shown from lower zooms.
ROAD_RANKS: dict[str, int] = {
    **dict.fromkeys(("motorway", "motorway_link", "trunk", "trunk_link"), 0),
    **dict.fromkeys(("primary", "primary_link", "secondary", "secondary_link"), 1),
    **dict.fromkeys(
        ("tertiary", "tertiary_link", "residential", "unclassified", "living_street", "pedestrian", "road"), 2
    ),
    **dict.fromkeys(("service", "footway", "path", "steps", "cycleway", "track", "bridleway"), 3),
}
#: OSM ``railway`` values drawn (abandoned, disused and tunnelled lines are not).
RAILWAYS: frozenset[str] = frozenset({"rail", "light_rail", "narrow_gauge", "tram", "monorail", "subway"})
#: OSM ``waterway`` lines drawn, and their rank (0 rivers and canals, 1 streams and drains).
WATERWAY_RANKS: dict[str, int] = {"river": 0, "canal": 0, "stream": 1, "drain": 1, "ditch": 1}
#: Tags whose areas are water.
WATER_TAGS: dict[str, frozenset[str]] = {
    "natural": frozenset({"water", "bay"}),
    "waterway": frozenset({"riverbank", "dock"}),
    "landuse": frozenset({"reservoir", "basin"}),
}
#: Tags whose areas are parks, woods and other green space.
GREEN_TAGS: dict[str, frozenset[str]] = {
    "leisure": frozenset({"park", "garden", "nature_reserve", "golf_course", "recreation_ground"}),
    "landuse": frozenset({"forest", "grass", "recreation_ground", "meadow", "village_green", "orchard"}),
    "natural": frozenset({"wood", "scrub", "grassland", "heath"}),
}
#: OSM ``place`` values labelled, and their rank (0 towns, 1 suburbs, 2 quarters and villages, 3 hamlets).
PLACE_RANKS: dict[str, int] = {
    **dict.fromkeys(("city", "town"), 0),
    **dict.fromkeys(("suburb", "borough"), 1),
    **dict.fromkeys(("quarter", "neighbourhood", "village"), 2),
    **dict.fromkeys(("hamlet", "isolated_dwelling", "locality"), 3),
}
#: The keys an object needs to be read at all (everything else in the file is skipped while reading).
_KEYS = ("highway", "railway", "waterway", "natural", "landuse", "leisure", "place", "water")
#: Name tags, most wanted first (a Chinese name where the file has one).
NAME_TAGS: tuple[str, ...] = ("name:zh-Hans", "name:zh", "name")
#: The layers of a :class:`Basemap` and the columns each carries besides ``geometry``.
BASEMAP_COLUMNS: dict[str, tuple[str, ...]] = {
    "water": ("name",),
    "green": ("name",),
    "waterways": ("rank", "name"),
    "rail": ("name",),
    "roads": ("rank", "name"),
    "places": ("rank", "name"),
}
OSM_BASEMAP_ENDINGS: tuple[str, ...] = (".osm", ".xml", ".osm.bz2", ".xml.bz2", ".osm.pbf", ".pbf")


@dataclass(frozen=True, eq=False)
class Basemap:
    """What the map under the data shows, one GeoDataFrame per layer, all in one projected CRS.

    Attributes
    ----------
    water : water areas (rivers drawn as areas, lakes, reservoirs); column ``name``.
    green : parks, woods and grass; column ``name``.
    waterways : rivers, canals and streams as lines; ``rank`` (0 river/canal, 1 stream), ``name``.
    rail : railway lines above ground; ``name``.
    roads : streets and paths; ``rank`` (:data:`ROAD_RANKS`), ``name`` (``""`` where unnamed).
    places : place-name points (towns, suburbs, neighbourhoods, villages); ``rank`` (:data:`PLACE_RANKS`), ``name``.
    crs : the CRS of every frame.
    source : where the features came from (a file name), for the map's attribution.
    from_osm : True when read from OpenStreetMap (the map must then credit its contributors).
    """

    water: gpd.GeoDataFrame
    green: gpd.GeoDataFrame
    waterways: gpd.GeoDataFrame
    rail: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    crs: pyproj.CRS
    source: str = ""
    from_osm: bool = False

    def layers(self) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
        """``(name, frame)`` for each layer, in drawing order (areas first, labels last)."""
        for name in BASEMAP_COLUMNS:
            yield name, getattr(self, name)

    @property
    def n_features(self) -> int:
        """How many features the basemap holds over all layers."""
        return sum(len(frame) for _name, frame in self.layers())

    def to_crs(self, crs: pyproj.CRS | str | int) -> Basemap:
        """The same basemap in ``crs`` (e.g. EPSG:4326 for a web map)."""
        moved = {name: frame.to_crs(crs) for name, frame in self.layers()}
        return Basemap(
            **moved, crs=pyproj.CRS.from_user_input(crs), source=self.source, from_osm=self.from_osm
        )

    def clipped(self, bounds: tuple[float, float, float, float]) -> Basemap:
        """The basemap cut to ``bounds`` (minx, miny, maxx, maxy in its CRS); features outside are left out."""
        return Basemap(
            **{name: clip_frame(frame, bounds) for name, frame in self.layers()},
            crs=self.crs,
            source=self.source,
            from_osm=self.from_osm,
        )


def empty_layer(name: str, crs: pyproj.CRS | str | int) -> gpd.GeoDataFrame:
    """An empty frame with the columns of layer ``name``."""
    columns = {c: pd.Series(dtype="int64" if c == "rank" else "object") for c in BASEMAP_COLUMNS[name]}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def clip_frame(frame: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Rows of ``frame`` cut to the rectangle ``bounds``; rows that fall wholly outside are left out."""
    if not len(frame):
        return frame
    geoms = shapely.clip_by_rect(frame.geometry.to_numpy(), *bounds)
    keep = ~shapely.is_empty(geoms)
    out = frame.loc[keep].copy()
    return out.set_geometry(gpd.GeoSeries(geoms[keep], index=out.index, crs=frame.crs))


def _name(tags: Any) -> str:
    for tag in NAME_TAGS:
        value = tags.get(tag)
        if value:
            return str(value).strip()
    return ""


def _first(tags: Any, table: dict[str, frozenset[str]]) -> bool:
    return any(tags.get(key) in values for key, values in table.items())


def _underground(tags: Any) -> bool:
    tunnel = tags.get("tunnel")
    return (tunnel is not None and tunnel != "no") or str(tags.get("layer", "0")).startswith("-")


class _Rows:
    """Rows of each layer as they are read: geometry (WKB) and the layer's columns."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[bytes | str, tuple[Any, ...]]]] = {
            name: [] for name in BASEMAP_COLUMNS
        }

    def add(self, layer: str, wkb: bytes | str, *values: Any) -> None:
        self.rows[layer].append((wkb, values))

    def frame(self, layer: str, crs: pyproj.CRS | str | int) -> gpd.GeoDataFrame:
        rows = self.rows[layer]
        if not rows:
            return empty_layer(layer, crs)
        geoms = shapely.from_wkb([wkb for wkb, _values in rows])
        data = dict(
            zip(BASEMAP_COLUMNS[layer], zip(*(values for _wkb, values in rows), strict=True), strict=True)
        )
        frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
        if "rank" in frame.columns:
            frame["rank"] = frame["rank"].astype("int64")
        return frame.to_crs(crs)


def _read_way(rows: _Rows, factory: Any, way: Any) -> None:
    tags = way.tags
    highway, railway, waterway = tags.get("highway"), tags.get("railway"), tags.get("waterway")
    wanted = (
        (highway in ROAD_RANKS and tags.get("area") != "yes")
        or railway in RAILWAYS
        or waterway in WATERWAY_RANKS
    )
    if not wanted or _underground(tags):
        return
    try:
        wkb = factory.create_linestring(way)
    except RuntimeError:  # fewer than two located nodes (a way cut by the extract's edge)
        return
    if highway in ROAD_RANKS:
        rows.add("roads", wkb, ROAD_RANKS[highway], _name(tags))
    elif railway in RAILWAYS:
        rows.add("rail", wkb, _name(tags))
    else:
        rows.add("waterways", wkb, WATERWAY_RANKS[waterway], _name(tags))


def _read_area(rows: _Rows, factory: Any, area: Any) -> None:
    tags = area.tags
    water = _first(tags, WATER_TAGS)
    place = tags.get("place")
    if not (water or _first(tags, GREEN_TAGS) or (place in PLACE_RANKS and _name(tags))):
        return
    try:
        wkb = factory.create_multipolygon(area)
    except RuntimeError:  # an area whose rings the extract cut open
        return
    if water:
        rows.add("water", wkb, _name(tags))
    elif _first(tags, GREEN_TAGS):
        rows.add("green", wkb, _name(tags))
    else:
        point = shapely.point_on_surface(shapely.from_wkb(wkb))
        rows.add("places", shapely.to_wkb(point), PLACE_RANKS[place], _name(tags))


def basemap_from_osm(path: str | Path, *, crs: pyproj.CRS | str | int) -> Basemap:
    """The basemap of an OpenStreetMap file.

    Parameters
    ----------
    path : an OSM XML (``.osm``, ``.osm.bz2``) or PBF (``.osm.pbf``) file.
    crs : the projected CRS to return the layers in (the study's).

    Returns
    -------
    Basemap
        Roads by rank, railways, rivers and streams, water and green areas, place names; tunnels left out. Ways
        the extract cut to fewer than two nodes and areas whose rings it cut open are skipped (they cannot be
        drawn).

    Raises
    ------
    NetworkError
        The file is missing, is not an OSM file, or cannot be parsed.
    """
    import osmium  # pyosmium: imported where a file is read

    p = Path(path)
    where = Message.of("network_source_label", label=repr(p.name))
    if not p.is_file():
        raise NetworkError.of("network_file_missing", path=str(p))
    check_file_format(p, where=where, error=NetworkError)
    rows, factory = _Rows(), osmium.geom.WKBFactory()
    processor = (
        osmium.FileProcessor(str(p))
        .with_locations()
        .with_areas()
        .with_filter(osmium.filter.KeyFilter(*_KEYS))
    )
    try:
        for item in processor:
            obj: Any = item
            if obj.is_way():
                _read_way(rows, factory, obj)
            elif obj.is_area():
                _read_area(rows, factory, obj)
            elif obj.is_node() and obj.tags.get("place") in PLACE_RANKS and _name(obj.tags):
                rows.add("places", factory.create_point(obj), PLACE_RANKS[obj.tags["place"]], _name(obj.tags))
    except RuntimeError as exc:
        raise NetworkError.of(
            "basemap_unreadable", name=p.name, reason=str(exc).splitlines()[0][:200]
        ) from None
    frames = {name: rows.frame(name, crs) for name in BASEMAP_COLUMNS}
    return Basemap(**frames, crs=pyproj.CRS.from_user_input(crs), source=p.name, from_osm=True)


def basemap_from_network(network: WalkNetwork) -> Basemap:
    """A basemap of streets only, from a network that came without an OSM file (centrelines, GraphML).

    Every street is drawn as a local street (rank 2: the network does not say which are arterials), with its
    name where the network kept one. The other layers are empty."""
    crs = network.crs
    n = len(network.edge_geometry)
    names = network.edge_name if network.edge_name is not None else np.full(n, "", dtype=object)
    roads = gpd.GeoDataFrame(
        {"rank": np.full(n, 2, dtype="int64"), "name": [str(v or "") for v in names]},
        geometry=gpd.GeoSeries(network.edge_geometry, crs=crs),
        crs=crs,
    )
    frames = {name: empty_layer(name, crs) for name in BASEMAP_COLUMNS if name != "roads"}
    return Basemap(**frames, roads=roads, crs=crs, source=Path(network.source).name, from_osm=False)


def is_osm_basemap_source(path: str | Path | None) -> bool:
    """Whether ``path`` names a file :func:`basemap_from_osm` reads (OSM XML, bz2 or PBF)."""
    if path is None:
        return False
    return str(path).split("#")[0].lower().endswith(OSM_BASEMAP_ENDINGS)


def basemap_frame(basemap: Basemap) -> gpd.GeoDataFrame:
    """All layers of ``basemap`` as one frame, a ``layer`` column naming each row's layer (for the disk cache)."""
    parts = []
    for name, frame in basemap.layers():
        part = frame.reindex(columns=["rank", "name", frame.geometry.name]).copy()
        part["rank"] = part["rank"].fillna(0).astype("int64")
        part.insert(0, "layer", name)
        parts.append(part.rename_geometry("geometry") if frame.geometry.name != "geometry" else part)
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=basemap.crs)


def basemap_of_frame(
    frame: gpd.GeoDataFrame, *, crs: pyproj.CRS | str | int, source: str = "", from_osm: bool = False
) -> Basemap:
    """The :class:`Basemap` whose :func:`basemap_frame` is ``frame``."""
    layers = {}
    for name, columns in BASEMAP_COLUMNS.items():
        part = frame.loc[frame["layer"] == name, [*columns, "geometry"]].reset_index(drop=True)
        part["name"] = part["name"].fillna("").astype(str)
        layers[name] = gpd.GeoDataFrame(part, geometry="geometry", crs=crs)
    return Basemap(**layers, crs=pyproj.CRS.from_user_input(crs), source=source, from_osm=from_osm)
