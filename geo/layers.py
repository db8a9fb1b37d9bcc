"""Reading vector layers as planning bureaus hand them over.

Formats: GeoPackage (``file.gpkg#layer``), GeoJSON, Shapefile (plain or zipped, ``file.zip#member.shp``) and CSV
with longitude/latitude columns. Chinese GIS exports are often encoded in GBK/GB18030 without saying so: the
readers detect it. Nothing is changed silently: every decision (encoding, coordinate columns, conversions) is
returned as a note, and every problem is a :class:`~geo.errors.LayerError` naming the file, the layer and the fix.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from geo.errors import LayerError

#: Column names recognised as longitude / latitude in CSV files (compared case-insensitively).
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经", "wgs84_lon", "gcj02_lon", "bd09_lon", "lon_wgs84")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "wgs84_lat", "gcj02_lat", "bd09_lat", "lat_wgs84")
#: A CSV column holding the geometry as WKT instead of lon/lat.
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "几何")

#: Longitude and latitude ranges of China (with its seas), used to detect swapped columns.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)

SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".csv", ".txt")


@dataclass(frozen=True)
class LayerSource:
    """Where a layer comes from.

    Attributes
    ----------
    path : the file.
    layer : the layer inside a GeoPackage, or the member inside a zip; None when the file has one.
    label : the spec as the user wrote it (for messages).
    """

    path: Path
    layer: str | None
    label: str


@dataclass(frozen=True)
class RawLayer:
    """A layer as read, before any domain validation.

    Attributes
    ----------
    frame : the rows in file order, with a ``geometry`` column in ``frame.crs`` and ``_row``, the row's 1-based
        number in the file (the data row, header excluded), for messages.
    source : where it came from.
    notes : decisions taken while reading (encoding, coordinate columns, conversions), for the report.
    rejected : rows that could not be read (e.g. CSV rows without coordinates), with a ``reason`` column and
        their 1-based ``row`` number; nothing the user gave is lost.
    """

    frame: gpd.GeoDataFrame
    source: LayerSource
    notes: tuple[str, ...]
    rejected: pd.DataFrame


def parse_layer_spec(spec: str, *, base_dir: Path | str | None = None) -> LayerSource:
    """Split ``file.gpkg#layer`` into the file and the layer, resolving relative paths against ``base_dir``."""
    text = str(spec).strip()
    if not text:
        raise LayerError("an empty layer path was given; name a file such as communities.geojson or data.gpkg#layer")
    path_text, _, layer = text.partition("#")
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return LayerSource(path=path, layer=layer or None, label=text)


def read_layer(
    spec: str | LayerSource,
    *,
    base_dir: Path | str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    name: str = "layer",
) -> RawLayer:
    """Read one vector layer.

    Parameters
    ----------
    spec : ``file.gpkg#layer``, ``file.geojson``, ``file.shp``, ``file.zip[#member.shp]`` or ``file.csv``.
    base_dir : folder that relative paths are relative to (the study folder).
    encoding : force a text encoding (Shapefile attributes, CSV); detected when None.
    crs : the CRS of the coordinates when the file does not say (CSV with projected x/y, Shapefile without .prj).
        A CRS the file declares wins over this one only if they agree; otherwise an error says so.
    name : the layer's role in the study (``communities``, ...), used in messages.

    Returns
    -------
    RawLayer
    """
    source = spec if isinstance(spec, LayerSource) else parse_layer_spec(spec, base_dir=base_dir)
    where = f"{name} layer {source.label!r}"
    if not source.path.exists():
        raise LayerError(f"{where}: file {source.path} does not exist; check the path in study.toml (relative paths "
                         "are relative to the study folder)")
    if source.path.is_dir():
        raise LayerError(f"{where}: {source.path} is a folder, not a file; name the layer file itself")
    suffix = source.path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LayerError(f"{where}: files of type {suffix or '(none)'!r} are not read; give a GeoPackage (.gpkg), "
                         "GeoJSON (.geojson), Shapefile (.shp or zipped .zip) or CSV with lon/lat columns (.csv)")
    if suffix in (".csv", ".txt"):
        return _read_csv(source, where=where, encoding=encoding, crs=crs)
    if suffix == ".zip":
        return _read_zip(source, where=where, encoding=encoding, crs=crs)
    return _read_ogr(source, source.path, source.layer, where=where, encoding=encoding, crs=crs)


# --- GeoPackage, GeoJSON, Shapefile -------------------------------------------------------------------------------

def _read_ogr(source: LayerSource, path: Path | str, layer: str | None, *, where: str, encoding: str | None,
              crs: str | None, notes: tuple[str, ...] = ()) -> RawLayer:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise LayerError(f"{where}: {source.path.name} cannot be opened as a GIS file ({_short(exc)}); "
                         "check that it is a complete, uncorrupted GeoPackage/GeoJSON/Shapefile") from None
    names = [str(row[0]) for row in layers]
    if layer is not None and str(path).lower().endswith(".gpkg") and layer not in names:
        raise LayerError(f"{where}: GeoPackage {source.path.name} has no layer {layer!r}; its layers are "
                         f"{', '.join(names) or '(none)'}; write e.g. {source.path.name}#{names[0] if names else 'layer'}")
    if layer is None and len(names) > 1 and str(path).lower().endswith(".gpkg"):
        raise LayerError(f"{where}: GeoPackage {source.path.name} holds {len(names)} layers ({', '.join(names)}); "
                         f"name one as {source.path.name}#<layer>")
    notes = list(notes)
    if encoding is None and str(path).lower().endswith(".shp"):
        encoding, note = _shapefile_encoding(path)
        if note:
            notes.append(note)
    kwargs = {"encoding": encoding} if encoding else {}
    layer_arg = layer if str(path).lower().endswith(".gpkg") else None
    try:
        try:
            frame = pyogrio.read_dataframe(path, layer=layer_arg, **kwargs)
        except UnicodeDecodeError:
            if encoding or not str(path).lower().endswith(".shp"):
                raise
            frame = pyogrio.read_dataframe(path, layer=layer_arg, encoding="GB18030")
            notes.append("attributes read as GB18030/GBK (they are not valid UTF-8 as the file claims)")
    except Exception as exc:
        raise LayerError(f"{where}: {source.path.name} cannot be read ({_short(exc)}); re-export it from your GIS") from None
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise LayerError(f"{where}: {source.path.name} has no geometry column; export it with its geometry, or give a "
                         "CSV with lon/lat columns")
    frame = _assign_crs(frame, where=where, crs=crs, notes=notes).reset_index(drop=True)
    frame.insert(0, "_row", np.arange(1, len(frame) + 1))
    return RawLayer(frame=frame, source=source, notes=tuple(notes), rejected=_no_rejects())


def _assign_crs(frame: gpd.GeoDataFrame, *, where: str, crs: str | None, notes: list[str]) -> gpd.GeoDataFrame:
    declared = pyproj.CRS.from_user_input(crs) if crs else None
    if frame.crs is None:
        if declared is None:
            raise LayerError(f"{where} has no coordinate reference system (no .prj file or SRS); add the .prj file, "
                             'or state it in study.toml, e.g. { path = "...", crs = "EPSG:4547" }')
        notes.append(f"no CRS in the file: used {declared.to_string()} as study.toml states")
        return frame.set_crs(declared)
    if declared is not None and not pyproj.CRS.from_user_input(frame.crs).equals(declared):
        raise LayerError(f"{where}: the file declares {frame.crs.to_string()} but study.toml says {declared.to_string()}; "
                         "remove the crs setting or fix the file")
    return frame


def _shapefile_encoding(path: Path | str) -> tuple[str | None, str | None]:
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
        return "UTF-8", "attributes read as UTF-8 (no .cpg file; the bytes are valid UTF-8)"
    except UnicodeDecodeError:
        return "GB18030", ("attributes read as GB18030/GBK (no .cpg file and the bytes are not UTF-8, as in most "
                           "Chinese GIS exports); add a .cpg file to say otherwise")


def _read_bytes(path: str) -> bytes | None:
    if path.startswith("/vsizip/"):
        zpath, _, member = path[len("/vsizip/"):].partition(".zip/")
        try:
            with zipfile.ZipFile(zpath + ".zip") as zf:
                return zf.read(member)
        except KeyError:
            return None
    p = Path(path)
    return p.read_bytes() if p.is_file() else None


# --- zipped Shapefiles --------------------------------------------------------------------------------------------

def safe_zip_members(path: Path, *, where: str) -> list[str]:
    """Member names of a zip, refusing any that would escape the folder it is unpacked into."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.namelist()
    except zipfile.BadZipFile:
        raise LayerError(f"{where}: {path.name} is not a valid zip file; zip the layer's files again") from None
    for member in members:
        pure = PurePosixPath(member.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", member):
            raise LayerError(f"{where}: {path.name} contains {member!r}, a path that escapes the zip's folder; "
                             "such archives are refused for safety: zip the layer files without folders above them")
    return members


def _read_zip(source: LayerSource, *, where: str, encoding: str | None, crs: str | None) -> RawLayer:
    members = safe_zip_members(source.path, where=where)
    shps = [m for m in members if m.lower().endswith(".shp") and not m.startswith("__MACOSX/")]
    if source.layer is not None:
        if source.layer not in shps:
            raise LayerError(f"{where}: {source.path.name} has no member {source.layer!r}; its Shapefiles are "
                             f"{', '.join(shps) or '(none)'}")
        member = source.layer
    elif len(shps) == 1:
        member = shps[0]
    elif not shps:
        raise LayerError(f"{where}: {source.path.name} holds no .shp file; a zipped Shapefile needs the .shp, .shx, "
                         ".dbf and .prj files")
    else:
        raise LayerError(f"{where}: {source.path.name} holds {len(shps)} Shapefiles ({', '.join(shps)}); name one as "
                         f"{source.path.name}#<member.shp>")
    vsi = f"/vsizip/{source.path.resolve()}/{member}"
    return _read_ogr(source, vsi, None, where=where, encoding=encoding, crs=crs)


# --- CSV with coordinates -----------------------------------------------------------------------------------------

def decode_text(data: bytes, *, where: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode a text file: the given encoding, else UTF-8 (with or without BOM), else GB18030 (said in the note)."""
    if encoding:
        try:
            return data.decode(encoding), None
        except (UnicodeDecodeError, LookupError) as exc:
            raise LayerError(f"{where}: cannot decode the file as {encoding} ({_short(exc)}); fix the encoding "
                             "setting in study.toml or save the file as UTF-8") from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "read as GB18030/GBK (the bytes are not UTF-8, as in Excel exports in China)"
    except UnicodeDecodeError:
        raise LayerError(f"{where}: the file is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV") from None


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    for n in names:
        if n.lower() in lowered:
            return lowered[n.lower()]
    return None


def _read_csv(source: LayerSource, *, where: str, encoding: str | None, crs: str | None) -> RawLayer:
    notes: list[str] = []
    text, note = decode_text(source.path.read_bytes(), where=where, encoding=encoding)
    if note:
        notes.append(note)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LayerError(f"{where}: {source.path.name} is not a readable CSV ({_short(exc)}); check the delimiter "
                         "(comma) and quoting") from None
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
        notes.append(f"coordinates from columns {lon_col!r} (longitude) and {lat_col!r} (latitude)")
        reasons = np.where(bad, f"missing or non-numeric coordinates in {lon_col!r}/{lat_col!r}", "")
        data = table.drop(columns=[lon_col, lat_col])
    elif wkt_col:
        raw = table[wkt_col].to_numpy(str)
        geometry = shapely.from_wkt(raw, on_invalid="ignore")
        bad = shapely.is_missing(geometry)
        notes.append(f"geometry from the WKT column {wkt_col!r}")
        reasons = np.where(bad, f"unreadable WKT in column {wkt_col!r}", "")
        data = table.drop(columns=[wkt_col])
    else:
        raise LayerError(f"{where}: {source.path.name} has no coordinate columns; name them lon/lat (or lng, "
                         f"longitude, x / latitude, y, 经度 / 纬度) or give a WKT column; columns found: {', '.join(cols)}")
    frame = gpd.GeoDataFrame(data, geometry=np.where(bad, None, geometry))
    if crs:
        frame = _assign_crs(frame, where=where, crs=crs, notes=notes)
    else:
        frame = frame.set_crs("EPSG:4326")
        notes.append("coordinates taken as longitude/latitude in degrees (EPSG:4326; see coords for GCJ-02/BD-09)")
    rejected = pd.DataFrame()
    if bad.any():
        rejected = table[bad].copy()
        rejected.insert(0, "row", rows[bad])
        rejected["reason"] = reasons[bad]
        frame = frame[~bad]
    frame = frame.copy()
    frame.insert(0, "_row", rows[~bad])
    return RawLayer(frame=frame.reset_index(drop=True), source=source, notes=tuple(notes), rejected=rejected)


# --- checks shared by every format --------------------------------------------------------------------------------

def check_swapped_lon_lat(frame: gpd.GeoDataFrame, *, where: str) -> None:
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
    looks_swapped = (np.mean((x >= CHINA_LAT[0]) & (x <= CHINA_LAT[1])) > 0.9
                     and np.mean((y >= CHINA_LON[0]) & (y <= CHINA_LON[1])) > 0.9)
    if impossible > 0.5 or looks_swapped:
        raise LayerError(
            f"{where}: longitude and latitude look swapped (x runs {np.nanmin(x):.4f}–{np.nanmax(x):.4f}, "
            f"y runs {np.nanmin(y):.4f}–{np.nanmax(y):.4f}; in China longitude is 73–136 and latitude 3–54); "
            "swap the two columns (or their names) in the file"
        )
    if np.any(np.abs(y) > 90.0) or np.any(np.abs(x) > 180.0):
        n = int(np.sum((np.abs(y) > 90.0) | (np.abs(x) > 180.0)))
        raise LayerError(f"{where}: {n} coordinates are outside longitude ±180 / latitude ±90; the file is probably "
                         "in a projected CRS declared as lon/lat: state its CRS in study.toml (e.g. crs = \"EPSG:4547\")")


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame(columns=["row", "reason"])


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
