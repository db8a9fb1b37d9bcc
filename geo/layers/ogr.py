"""GeoPackage, GeoJSON and Shapefile layers, each opened through its own GDAL driver named explicitly (and checked
after opening); Shapefile attributes in GBK/GB18030 without a ``.cpg`` are detected and said in a note.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.errors import LayerError
from geo.layers.checks import assign_crs
from geo.layers.source import LayerSource, RawLayer
from geo.messages import Message

#: The GDAL driver each vector suffix is opened with (and only with); CSV is read by pandas, zips hold Shapefiles.
GDAL_DRIVERS: dict[str, str] = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "ESRI Shapefile",
}

_DRIVER_NAMES = {"GPKG": "GeoPackage", "GeoJSON": "GeoJSON", "ESRI Shapefile": "Shapefile"}


def _gdal_path(path: Path | str, driver: str) -> str:
    """``path`` with the driver named as GDAL's prefix where the driver has one (GeoJSON, GPKG), so no other driver
    is tried; Shapefiles have no prefix and are checked after opening."""
    text = str(path)
    if driver == "GeoJSON":
        return f"GeoJSON:{text}"
    if driver == "GPKG" and ":" not in text:  # GPKG:file:table syntax; a colon in the path would be misread
        return f"GPKG:{text}"
    return text


def read_ogr(
    source: LayerSource,
    path: Path | str,
    layer: str | None,
    *,
    where: str | Message,
    encoding: str | None,
    crs: str | None,
) -> RawLayer:
    """Read a GeoPackage, GeoJSON or Shapefile layer through the GDAL driver its name claims, and only that one.

    Parameters
    ----------
    source : where the layer comes from (for messages and the result).
    path : the file to open (a ``/vsizip/`` path for a zipped Shapefile).
    layer : the GeoPackage layer, or None when the file has one.
    where : what it is, for messages.
    encoding : the attributes' encoding; detected for Shapefiles when None.
    crs : the CRS study.toml states, if any.

    Returns
    -------
    RawLayer
    """
    lower = str(path).lower()
    driver = next((d for s, d in GDAL_DRIVERS.items() if lower.endswith(s)), None)
    if driver is None:
        raise LayerError.of("layer_not_gdal_format", where=where, file=source.path.name)
    gdal_path = _gdal_path(path, driver)
    layer_arg = _open_checked(source, gdal_path, layer, driver=driver, where=where)
    found: list[Message] = []
    if encoding is None and driver == "ESRI Shapefile":
        encoding, note = _shapefile_encoding(path)
        if note:
            found.append(note)
    frame = _read_frame(
        source, gdal_path, layer_arg, driver=driver, where=where, encoding=encoding, notes=found
    )
    frame = assign_crs(frame, where=where, crs=crs, notes=found).reset_index(drop=True)
    frame.insert(0, "_row", np.arange(1, len(frame) + 1))
    return RawLayer(frame=frame, source=source, notes=tuple(found), rejected=_no_rejects())


def _unreadable(source: LayerSource, *, where: str | Message, driver: str) -> LayerError:
    return LayerError.of("layer_cannot_open", where=where, file=source.path.name, what=_DRIVER_NAMES[driver])


def _open_checked(
    source: LayerSource, gdal_path: str, layer: str | None, *, driver: str, where: str | Message
) -> str | None:
    """Open the file's layer list and check the layer named and the driver GDAL opened it with; returns the layer
    argument for pyogrio (None but for GeoPackages)."""
    try:
        layers = pyogrio.list_layers(gdal_path)
    except Exception:
        raise _unreadable(source, where=where, driver=driver) from None
    names = [str(row[0]) for row in layers]
    if layer is not None and driver == "GPKG" and layer not in names:
        raise LayerError.of(
            "gpkg_no_such_layer",
            where=where,
            file=source.path.name,
            layer=layer,
            names=", ".join(names) or Message.of("none_listed"),
            first=names[0] if names else "layer",
        )
    if layer is None and len(names) > 1 and driver == "GPKG":
        raise LayerError.of(
            "gpkg_many_layers", where=where, file=source.path.name, n=len(names), names=", ".join(names)
        )
    layer_arg = layer if driver == "GPKG" else None
    try:
        opened = pyogrio.read_info(gdal_path, layer=layer_arg).get("driver")
    except Exception:
        raise _unreadable(source, where=where, driver=driver) from None
    if opened != driver:
        raise LayerError.of(
            "layer_wrong_driver",
            where=where,
            file=source.path.name,
            opened=opened or Message.of("format_other"),
            what=_DRIVER_NAMES[driver],
        )
    return layer_arg


def _read_frame(
    source: LayerSource,
    gdal_path: str,
    layer_arg: str | None,
    *,
    driver: str,
    where: str | Message,
    encoding: str | None,
    notes: list[Message],
) -> gpd.GeoDataFrame:
    """The layer's rows; Shapefile attributes that are not the UTF-8 they claim are read again as GB18030 (said in
    ``notes``)."""
    what = _DRIVER_NAMES[driver]
    kwargs = {"encoding": encoding} if encoding else {}
    try:
        try:
            frame = pyogrio.read_dataframe(gdal_path, layer=layer_arg, **kwargs)
        except UnicodeDecodeError:
            if encoding or driver != "ESRI Shapefile":
                raise
            frame = pyogrio.read_dataframe(gdal_path, layer=layer_arg, encoding="GB18030")
            notes.append(Message.of("attributes_gb18030_fallback"))
    except LookupError:
        raise LayerError.of("layer_encoding_unknown", where=where, encoding=encoding) from None
    except Exception:
        raise LayerError.of("layer_unreadable", where=where, file=source.path.name, what=what) from None
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise LayerError.of("layer_no_geometry", where=where, file=source.path.name)
    return frame


def _shapefile_encoding(path: Path | str) -> tuple[str | None, Message | None]:
    """Encoding of a Shapefile's attributes: its .cpg when present, else UTF-8 if the .dbf decodes, else GB18030."""
    text = str(path)
    cpg_path = text[:-4] + ".cpg"
    dbf_path = text[:-4] + ".dbf"
    cpg = _read_bytes(cpg_path)
    if cpg is not None and cpg.strip():
        return None, None  # GDAL honours the .cpg itself
    dbf = _read_bytes(dbf_path)
    if dbf is None or len(dbf) < 32:
        return None, None
    if dbf[29] != 0:  # language driver id set: GDAL uses it
        return None, None
    header_len = int.from_bytes(dbf[8:10], "little")
    body = dbf[header_len:]
    if all(b < 128 for b in body):
        return None, None
    try:
        body.decode("utf-8")
        return "UTF-8", Message.of("attributes_utf8")
    except UnicodeDecodeError:
        return "GB18030", Message.of("attributes_gb18030")


def _read_bytes(path: str) -> bytes | None:
    if path.startswith("/vsizip/"):
        zpath, _, member = path[len("/vsizip/") :].partition(".zip/")
        try:
            with zipfile.ZipFile(zpath + ".zip") as zf:
                return zf.read(member)
        except KeyError:
            return None
    p = Path(path)
    return p.read_bytes() if p.is_file() else None


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame(columns=["row", "reason"])
