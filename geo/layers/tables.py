"""CSV tables with longitude/latitude (or WKT) columns, read by pandas; GBK/GB18030 text is detected and said in a
note, and rows without usable coordinates are rejected with the reason, never dropped.
"""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import LayerError
from geo.layers.checks import assign_crs
from geo.layers.source import LayerSource, RawLayer
from geo.messages import Message

#: Column names recognised as longitude / latitude in CSV files (compared case-insensitively).
LON_NAMES = (
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "经度",
    "东经",
    "wgs84_lon",
    "gcj02_lon",
    "bd09_lon",
    "lon_wgs84",
)
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "wgs84_lat", "gcj02_lat", "bd09_lat", "lat_wgs84")
#: A CSV column holding the geometry as WKT instead of lon/lat.
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "几何")


def decode_text(
    data: bytes, *, where: str | Message, encoding: str | None = None
) -> tuple[str, Message | None]:
    """Decode a text file: the given encoding, else UTF-8 (with or without BOM), else GB18030 (said in the note)."""
    if encoding:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError as exc:
            raise LayerError.of(
                "layer_decode_failed", where=where, encoding=encoding, byte=exc.start
            ) from None
        except LookupError:
            raise LayerError.of("layer_encoding_unknown", where=where, encoding=encoding) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), Message.of("text_gb18030")
    except UnicodeDecodeError:
        raise LayerError.of("layer_not_text", where=where) from None


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    for n in names:
        if n.lower() in lowered:
            return lowered[n.lower()]
    return None


def read_csv(source: LayerSource, *, where: str | Message, encoding: str | None, crs: str | None) -> RawLayer:
    """Read a CSV layer: points from longitude/latitude columns (:data:`LON_NAMES`, :data:`LAT_NAMES`), else
    geometries from a WKT column (:data:`WKT_NAMES`); rows without usable coordinates are rejected with the reason.

    Parameters
    ----------
    source : the file.
    where : what it is, for messages.
    encoding : the text encoding; UTF-8, else GB18030 (said in a note) when None.
    crs : the CRS of the coordinates; longitude/latitude in degrees (EPSG:4326) when None.

    Returns
    -------
    RawLayer
    """
    notes: list[Message] = []
    text, note = decode_text(source.path.read_bytes(), where=where, encoding=encoding)
    if note:
        notes.append(note)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise LayerError.of("csv_empty", where=where, file=source.path.name) from None
    except (pd.errors.ParserError, ValueError, csv.Error):
        raise LayerError.of("csv_unreadable", where=where, file=source.path.name) from None
    table.columns = [str(c).strip() for c in table.columns]
    cols = list(table.columns)
    lon_col, lat_col = _find_column(cols, LON_NAMES), _find_column(cols, LAT_NAMES)
    wkt_col = _find_column(cols, WKT_NAMES)
    rows = np.arange(1, len(table) + 1)
    if lon_col and lat_col:
        lon = pd.to_numeric(table[lon_col].str.strip(), errors="coerce").to_numpy(float)
        lat = pd.to_numeric(table[lat_col].str.strip(), errors="coerce").to_numpy(float)
        bad = ~(np.isfinite(lon) & np.isfinite(lat))
        geometry = shapely.points(np.where(bad, 0.0, lon), np.where(bad, 0.0, lat))
        notes.append(Message.of("coords_from_columns", lon=lon_col, lat=lat_col))
        reason = Message.of("row_without_coords", lon=lon_col, lat=lat_col)
        data = table.drop(columns=[lon_col, lat_col])
    elif wkt_col:
        raw = table[wkt_col].to_numpy(str)
        geometry = shapely.from_wkt(raw, on_invalid="ignore")
        bad = shapely.is_missing(geometry)
        notes.append(Message.of("geometry_from_wkt", column=wkt_col))
        reason = Message.of("row_bad_wkt", column=wkt_col)
        data = table.drop(columns=[wkt_col])
    else:
        raise LayerError.of("csv_no_coordinates", where=where, file=source.path.name, n=len(cols))
    frame = gpd.GeoDataFrame(data, geometry=np.where(bad, None, geometry))
    if crs:
        frame = assign_crs(frame, where=where, crs=crs, notes=notes)
    else:
        frame = frame.set_crs("EPSG:4326")
        notes.append(Message.of("coords_as_lonlat"))
    rejected = pd.DataFrame()
    if bad.any():
        rejected = table[bad].copy()
        rejected.insert(0, "row", rows[bad])
        rejected["reason"] = str(reason)
        frame = frame[~bad]
    frame = frame.copy()
    frame.insert(0, "_row", rows[~bad])
    return RawLayer(
        frame=frame.reset_index(drop=True),
        source=source,
        notes=tuple(notes),
        rejected=rejected,
        rejected_reasons=(reason,) * len(rejected),
    )
