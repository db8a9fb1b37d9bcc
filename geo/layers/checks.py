"""Checks shared by every format: the layer's CRS against study.toml's, and longitude/latitude swapped."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo.errors import LayerError
from geo.messages import Message

#: Longitude and latitude ranges of China (with its seas), used to detect swapped columns.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


def assign_crs(
    frame: gpd.GeoDataFrame, *, where: str | Message, crs: str | None, notes: list[Message]
) -> gpd.GeoDataFrame:
    """The frame in the CRS it declares, or in ``crs`` (from study.toml, said in ``notes``) when it declares none;
    refused when it declares none and none is stated, or when the two disagree.

    Parameters
    ----------
    frame : the layer as read.
    where : what it is, for messages.
    crs : the CRS study.toml states, or None.
    notes : the reader's notes, appended to.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    try:
        declared = pyproj.CRS.from_user_input(crs) if crs else None
    except pyproj.exceptions.CRSError:
        raise LayerError.of("layer_crs_unknown", where=where, crs=crs) from None
    if frame.crs is None:
        if declared is None:
            raise LayerError.of("layer_no_crs", where=where)
        notes.append(Message.of("crs_from_study", crs=declared.to_string()))
        return frame.set_crs(declared)
    if declared is not None and not pyproj.CRS.from_user_input(frame.crs).equals(declared):
        raise LayerError.of(
            "layer_crs_conflict", where=where, declared=frame.crs.to_string(), stated=declared.to_string()
        )
    return frame


def check_swapped_lon_lat(frame: gpd.GeoDataFrame, *, where: str | Message) -> None:
    """Raise when a geographic layer's x and y look like latitude and longitude the wrong way round.

    Detection: most coordinates have |y| > 90 (impossible for latitude), or x lies in China's latitude band
    while y lies in its longitude band. Never guessed silently: the user swaps the columns.
    """
    if frame.crs is None or not frame.crs.is_geographic or frame.empty:
        return
    xy = shapely.get_coordinates(frame.geometry.to_numpy())
    if len(xy) == 0:
        return
    x, y = xy[:, 0], xy[:, 1]
    impossible = np.mean(np.abs(y) > 90.0)
    looks_swapped = (
        np.mean((x >= CHINA_LAT[0]) & (x <= CHINA_LAT[1])) > 0.9
        and np.mean((y >= CHINA_LON[0]) & (y <= CHINA_LON[1])) > 0.9
    )
    if impossible > 0.5 or looks_swapped:
        raise LayerError.of(
            "layer_lonlat_swapped",
            where=where,
            x0=float(np.nanmin(x)),
            x1=float(np.nanmax(x)),
            y0=float(np.nanmin(y)),
            y1=float(np.nanmax(y)),
        )
    if np.any(np.abs(y) > 90.0) or np.any(np.abs(x) > 180.0):
        n = int(np.sum((np.abs(y) > 90.0) | (np.abs(x) > 180.0)))
        raise LayerError.of("layer_coords_out_of_range", where=where, n=n)
