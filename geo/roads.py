"""Major roads for siting screens: expressways (motorway, trunk) and their junctions, read from OSM files.

GB 50437 4.2.1–4.2.4 asks elderly-care sites to lie away from expressways and busy junctions (STANDARDS.md B).
This module only reads the roads; the distance rule itself lives in :mod:`planning.standards`.

Junctions are the OSM ``highway=motorway_junction`` nodes and the ends of ``motorway_link``/``trunk_link`` ways
that do not touch another expressway carriageway: the points where ramps meet ordinary streets.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.errors import NetworkError
from geo.layers import check_file_format
from geo.messages import Message

#: OSM ``highway`` values read as expressways (carriageways and their ramps).
EXPRESSWAY_HIGHWAYS: tuple[str, ...] = ("motorway", "motorway_link", "trunk", "trunk_link")
#: OSM ``highway`` values of the ramps, whose free ends are junctions with the ordinary street network.
LINK_HIGHWAYS: tuple[str, ...] = ("motorway_link", "trunk_link")
#: File endings osmnx reads as OSM XML.
OSM_XML_SUFFIXES: tuple[str, ...] = (".osm", ".xml", ".osm.bz2", ".xml.bz2")

_EMPTY_COLUMNS = ["highway", "name", "role", "osm_id"]


def is_osm_xml(path: str | Path | None) -> bool:
    """Whether ``path`` names an OSM XML file that :func:`major_roads_from_osm` can read."""
    if path is None:
        return False
    name = str(path).split("#")[0].lower()
    return name.endswith(OSM_XML_SUFFIXES)


def major_roads_from_osm(
    path: str | Path, *, crs: pyproj.CRS | str | int | None = None, snap_tolerance_m: float = 1.0
) -> gpd.GeoDataFrame:
    """Expressway lines and junction points from an OSM XML file.

    Parameters
    ----------
    path : an OSM XML file (``.osm``, ``.osm.bz2``).
    crs : the CRS to return (projected, metres); None keeps WGS84 (EPSG:4326).
    snap_tolerance_m : a link end within this distance of another expressway way counts as touching it
        (only used when ``crs`` is projected; in WGS84 ends must coincide).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature: ``highway`` (OSM value), ``name``, ``role`` (``road`` for ways, ``junction`` for
        junction points), ``osm_id``; geometry LineString or Point. Empty (with these columns) when the file has
        no expressway.

    Raises
    ------
    NetworkError
        When the file does not exist or is not OSM XML that osmnx can parse.
    """
    import osmnx as ox  # heavy import, only when reading

    p = Path(path).expanduser()
    _check_osm_file(p)
    target = pyproj.CRS.from_user_input(crs) if crs is not None else pyproj.CRS.from_epsg(4326)
    tags: dict[str, bool | str | list[str]] = {"highway": [*EXPRESSWAY_HIGHWAYS, "motorway_junction"]}
    try:
        raw = ox.features_from_xml(p, tags=tags)
    except ox._errors.InsufficientResponseError:
        return gpd.GeoDataFrame(columns=_EMPTY_COLUMNS, geometry=[], crs=target)
    except (ParseError, ValueError, KeyError, TypeError, OSError) as exc:
        raise NetworkError.of(
            "roads_unreadable", path=str(p), error=type(exc).__name__
        ) from None  # the text may quote the file
    if raw.empty:
        return gpd.GeoDataFrame(columns=_EMPTY_COLUMNS, geometry=[], crs=target)
    raw = raw.reset_index()
    highway = raw["highway"].astype(str).to_numpy()
    names = raw["name"].to_numpy(object) if "name" in raw else np.full(len(raw), None, dtype=object)
    geoms = raw.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    is_line = np.isin(kinds, (1, 2)) & np.isin(highway, EXPRESSWAY_HIGHWAYS)  # LineString, LinearRing
    is_node = (kinds == 0) & (highway == "motorway_junction")
    ids = raw["id"].to_numpy()

    def rows(keep: np.ndarray, role: str) -> gpd.GeoDataFrame:
        """The kept rows as ``highway``, ``name``, ``role``, ``osm_id`` in the target CRS."""
        return gpd.GeoDataFrame(
            {"highway": highway[keep], "name": names[keep], "role": role, "osm_id": ids[keep]},
            geometry=geoms[keep],
            crs=raw.crs,
        ).to_crs(target)

    lines, nodes = rows(is_line, "road"), rows(is_node, "junction")
    link_ends = _free_link_ends(lines, tolerance=snap_tolerance_m if target.is_projected else 0.0)
    out = pd.concat([lines, nodes, link_ends], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=target)


def _check_osm_file(p: Path) -> None:
    """Raise :class:`NetworkError` unless ``p`` is an existing OSM XML file (no VRT or entity-laden XML behind the
    name)."""
    if not p.is_file():
        raise NetworkError.of("roads_file_missing", path=str(p))
    if not is_osm_xml(p):
        raise NetworkError.of("roads_not_osm_xml", path=str(p))
    check_file_format(p, where=Message.of("osm_file_label", path=str(p)), error=NetworkError)


def _free_link_ends(lines: gpd.GeoDataFrame, *, tolerance: float) -> gpd.GeoDataFrame:
    """End points of ramp ways that touch no other expressway way: where ramps meet ordinary streets."""
    is_link = lines["highway"].isin(LINK_HIGHWAYS).to_numpy()
    if not is_link.any():
        return gpd.GeoDataFrame(columns=_EMPTY_COLUMNS, geometry=[], crs=lines.crs)
    geoms = lines.geometry.to_numpy()
    link_idx = np.flatnonzero(is_link)
    starts = shapely.get_point(geoms[link_idx], 0)
    ends = shapely.get_point(geoms[link_idx], -1)
    pts = np.concatenate([starts, ends])
    owner = np.concatenate([link_idx, link_idx])
    tree = shapely.STRtree(geoms)
    if tolerance > 0:
        pairs = tree.query(pts, predicate="dwithin", distance=tolerance)
    else:
        pairs = tree.query(pts, predicate="intersects")
    # count touching ways other than the ramp itself
    other = pairs[1] != owner[pairs[0]]
    touches = np.bincount(pairs[0][other], minlength=len(pts)) > 0
    free = ~touches
    # a ramp end meeting a street is a junction; duplicated points (two ramps ending together) kept once
    xy = shapely.get_coordinates(pts[free])
    _, first = np.unique(np.round(xy, 6), axis=0, return_index=True)
    keep = np.flatnonzero(free)[np.sort(first)]
    return gpd.GeoDataFrame(
        {
            "highway": lines["highway"].to_numpy()[owner[keep]],
            "name": lines["name"].to_numpy()[owner[keep]],
            "role": "junction",
            "osm_id": lines["osm_id"].to_numpy()[owner[keep]],
        },
        geometry=pts[keep],
        crs=lines.crs,
    )


def distance_to_roads(points: np.ndarray, roads: gpd.GeoDataFrame, *, role: str) -> np.ndarray:
    """Distance (CRS units, metres when projected) from each point to the nearest road feature of ``role``.

    Parameters
    ----------
    points : array of shapely Points in the CRS of ``roads``.
    roads : the frame from :func:`major_roads_from_osm`.
    role : ``road`` or ``junction``.

    Returns
    -------
    numpy.ndarray
        Float distances; ``inf`` when ``roads`` has no feature of that role.
    """
    geoms = roads.geometry.to_numpy()[(roads["role"] == role).to_numpy()]
    points = np.asarray(points, dtype=object)
    if len(geoms) == 0 or len(points) == 0:
        return np.full(len(points), np.inf)
    tree = shapely.STRtree(geoms)
    idx = tree.nearest(points)
    return shapely.distance(points, geoms[idx])
