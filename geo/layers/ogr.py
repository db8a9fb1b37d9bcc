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
    where: str,
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
        raise LayerError(
            f"{where}: {source.path.name} is not a GeoPackage, GeoJSON or Shapefile; give one of those, "
            "or a CSV with lon/lat columns"
        )
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


def _unreadable(source: LayerSource, *, where: str, driver: str) -> LayerError:
    what = _DRIVER_NAMES[driver]
    return LayerError(
        f"{where}: {source.path.name} cannot be opened as a {what} (the file is damaged, incomplete or of "
        f"another format); export it again as {what} from your GIS"
    )


def _open_checked(
    source: LayerSource, gdal_path: str, layer: str | None, *, driver: str, where: str
) -> str | None:
    """Open the file's layer list and check the layer named and the driver GDAL opened it with; returns the layer
    argument for pyogrio (None but for GeoPackages)."""
    try:
        layers = pyogrio.list_layers(gdal_path)
    except Exception:
        raise _unreadable(source, where=where, driver=driver) from None
    names = [str(row[0]) for row in layers]
    if layer is not None and driver == "GPKG" and layer not in names:
        raise LayerError(
            f"{where}: GeoPackage {source.path.name} has no layer {layer!r}; its layers are "
            f"{', '.join(names) or '(none)'}; write e.g. {source.path.name}#{names[0] if names else 'layer'}"
        )
    if layer is None and len(names) > 1 and driver == "GPKG":
        raise LayerError(
            f"{where}: GeoPackage {source.path.name} holds {len(names)} layers ({', '.join(names)}); "
            f"name one as {source.path.name}#<layer>"
        )
    layer_arg = layer if driver == "GPKG" else None
    try:
        opened = pyogrio.read_info(gdal_path, layer=layer_arg).get("driver")
    except Exception:
        raise _unreadable(source, where=where, driver=driver) from None
    if opened != driver:
        raise LayerError(
            f"{where}: {source.path.name} opens as {opened or 'another format'}, not as {_DRIVER_NAMES[driver]}; "
            "only GeoPackage, GeoJSON and Shapefile layers are read: export it again as one of those"
        )
    return layer_arg


def _read_frame(
    source: LayerSource,
    gdal_path: str,
    layer_arg: str | None,
    *,
    driver: str,
    where: str,
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
        raise LayerError(
            f"{where}: the encoding {encoding!r} is not one Python knows; fix the encoding setting in "
            "study.toml (e.g. gb18030 or utf-8)"
        ) from None
    except Exception:
        raise LayerError(
            f"{where}: {source.path.name} cannot be read as a {what} (a damaged or incomplete file, or "
            f"attributes in another encoding); export it again from your GIS"
        ) from None
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise LayerError(
            f"{where}: {source.path.name} has no geometry column; export it with its geometry, or give a "
            "CSV with lon/lat columns"
        )
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
