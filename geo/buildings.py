"""Buildings and land-use zones from an OpenStreetMap file, and their floor area: where people can live.

This module measures; what counts as a home is decided in :mod:`planning` (which building uses and zones are
residential). :func:`buildings_from_osm` reads every building footprint with the tags that say how tall it is and
what it is used for, and every land-use or grounds polygon (``landuse=*``, school or hospital grounds) the
buildings may stand in; :func:`parse_floors` and :func:`parse_height_m` read the free text OSM and bureau layers
put in those columns; :func:`floor_area_m2` turns footprints into floor area.
"""

from __future__ import annotations

import re
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

#: Storey height used to read floors from a building's height (``height`` / 3 m), metres.
STOREY_HEIGHT_M = 3.0
#: Tags of a building that may say what it is used for, first found wins (``building=yes`` says nothing).
USE_TAGS: tuple[str, ...] = ("amenity", "shop", "office", "tourism", "healthcare", "leisure", "craft")
#: ``amenity`` values whose grounds (a polygon around several buildings) hold no homes.
GROUNDS_AMENITIES: frozenset[str] = frozenset(
    {"school", "university", "college", "kindergarten", "hospital", "clinic", "prison", "place_of_worship"}
)
BUILDING_COLUMNS: tuple[str, ...] = ("building", "use", "floors", "height_m", "osm_id")
ZONE_COLUMNS: tuple[str, ...] = ("key", "value")

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def parse_floors(values: Any) -> np.ndarray:
    """Floors above ground from free text: ``"6"``, ``"6.0"``, ``"6;7"`` (the first), ``"地上18层"``, ``"18F"``.

    Returns a float array, NaN where the text holds no positive number (blank, ``"unknown"``, ``"0"``)."""
    return _first_number(values, upper=200.0)


def parse_height_m(values: Any) -> np.ndarray:
    """Heights in metres from free text: ``"18"``, ``"18 m"``, ``"18.5米"``; feet (``"60'"``, ``"60 ft"``) are
    converted. NaN where the text holds no positive number."""
    text = pd.Series(np.asarray(values, dtype=object)).astype("string")
    metres = _first_number(text.to_numpy(object), upper=1000.0)
    feet = text.str.contains(r"(?:ft|feet|')", regex=True, na=False).to_numpy(bool)
    metres[feet] *= 0.3048
    return metres


def _first_number(values: Any, *, upper: float) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        if isinstance(value, int | float | np.integer | np.floating):
            number = float(value)
        else:
            found = _NUMBER.search(str(value))
            if found is None:
                continue
            number = float(found.group())
        if 0 < number <= upper:
            out[i] = number
    return out


def floor_area_m2(
    footprints: np.ndarray, *, floors: np.ndarray, height_m: np.ndarray, default_floors: np.ndarray | float
) -> np.ndarray:
    """Floor area of each building: footprint area times its floors.

    Floors come from ``floors`` where known, else from ``height_m`` / :data:`STOREY_HEIGHT_M` (at least one), else
    ``default_floors`` (a number, or one per building). Footprints are polygons in a projected CRS (metres)."""
    area = shapely.area(np.asarray(footprints, dtype=object))
    known = np.asarray(floors, dtype=float)
    from_height = np.maximum(np.round(np.asarray(height_m, dtype=float) / STOREY_HEIGHT_M), 1.0)
    default = np.broadcast_to(np.asarray(default_floors, dtype=float), area.shape)
    n = np.where(np.isfinite(known), known, np.where(np.isfinite(from_height), from_height, default))
    return area * n


def buildings_from_osm(
    path: str | Path, *, crs: pyproj.CRS | str | int
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Building footprints and land-use zones of an OSM file (XML, bz2 or PBF), in ``crs``.

    Returns
    -------
    (buildings, zones)
        ``buildings``: one polygon per building (``building=*`` other than ``no``) with ``building`` (the OSM value),
        ``use`` (the first of :data:`USE_TAGS` as ``key=value``, ``""`` when none), ``floors`` (from
        ``building:levels``, NaN when absent), ``height_m`` (from ``height``, NaN when absent), ``osm_id``.
        ``zones``: ``landuse=*`` polygons and the grounds of :data:`GROUNDS_AMENITIES`, with ``key`` and ``value``.

    Raises
    ------
    NetworkError
        The file is missing, not an OSM file, or cannot be parsed.
    """
    import osmium  # pyosmium: imported where a file is read

    p = Path(path)
    if not p.is_file():
        raise NetworkError.of("network_file_missing", path=str(p))
    check_file_format(p, where=Message.of("network_source_label", label=repr(p.name)), error=NetworkError)
    factory = osmium.geom.WKBFactory()
    rows: list[tuple[Any, ...]] = []
    zones: list[tuple[Any, ...]] = []
    processor = (
        osmium.FileProcessor(str(p))
        .with_areas()
        .with_filter(osmium.filter.KeyFilter("building", "landuse", "amenity"))
    )
    try:
        for item in processor:
            obj: Any = item
            if not obj.is_area():
                continue
            tags = obj.tags
            building, landuse, amenity = tags.get("building"), tags.get("landuse"), tags.get("amenity")
            if not (building and building != "no") and not landuse and amenity not in GROUNDS_AMENITIES:
                continue
            try:
                wkb = factory.create_multipolygon(obj)
            except RuntimeError:  # rings the extract cut open
                continue
            if building and building != "no":
                use = next((f"{k}={tags.get(k)}" for k in USE_TAGS if tags.get(k)), "")
                rows.append(
                    (wkb, building, use, tags.get("building:levels"), tags.get("height"), obj.orig_id())
                )
            elif landuse:
                zones.append((wkb, "landuse", landuse))
            else:
                zones.append((wkb, "amenity", amenity))
    except RuntimeError as exc:
        raise NetworkError.of(
            "basemap_unreadable", name=p.name, reason=str(exc).splitlines()[0][:200]
        ) from None
    return _buildings_frame(rows, crs), _zones_frame(zones, crs)


def _buildings_frame(rows: list[tuple[Any, ...]], crs: pyproj.CRS | str | int) -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb([r[0] for r in rows]) if rows else np.empty(0, dtype=object)
    frame = gpd.GeoDataFrame(
        {
            "building": [str(r[1]) for r in rows],
            "use": [str(r[2]) for r in rows],
            "floors": parse_floors([r[3] for r in rows]),
            "height_m": parse_height_m([r[4] for r in rows]),
            "osm_id": np.array([int(r[5]) for r in rows], dtype=np.int64),
        },
        geometry=gpd.GeoSeries(geoms, crs=4326),
        crs=4326,
    )
    return frame.to_crs(crs)


def _zones_frame(rows: list[tuple[Any, ...]], crs: pyproj.CRS | str | int) -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb([r[0] for r in rows]) if rows else np.empty(0, dtype=object)
    frame = gpd.GeoDataFrame(
        {"key": [str(r[1]) for r in rows], "value": [str(r[2]) for r in rows]},
        geometry=gpd.GeoSeries(geoms, crs=4326),
        crs=4326,
    )
    return frame.to_crs(crs)
