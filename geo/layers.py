"""Reading vector layers as planning bureaus hand them over.

Formats: GeoPackage (``file.gpkg#layer``), GeoJSON, Shapefile (plain or zipped, ``file.zip#member.shp``) and CSV
with longitude/latitude columns. Chinese GIS exports are often encoded in GBK/GB18030 without saying so: the
readers detect it. Nothing is changed silently: every decision (encoding, coordinate columns, conversions) is
returned as a note, and every problem is a :class:`~geo.errors.LayerError` naming the file, the layer and the fix.

Only the formats the study contract names are opened, each through its own reader: GeoJSON, GeoPackage and
Shapefile through their GDAL drivers named explicitly (and checked after opening), CSV through pandas. Before any
reader sees a file, its first bytes must match the format its name claims (:func:`check_file_format`), so a GDAL
VRT or any other format dressed as ``.geojson``/``.gpkg`` is refused; GDAL virtual paths (``/vsicurl/``, any
``/vsi...``) and URLs are refused wherever a user names a file (:func:`check_source_text`). Zips are read only after
every member was checked (:func:`safe_zip_members`, :func:`read_zip_members`): no path escaping the folder, no
symbolic links, no zip bombs, no damaged or forged CRC. Messages never quote a file's content.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable
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

#: Longitude and latitude ranges of China (with its seas), used to detect swapped columns.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)

SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".csv", ".txt")
#: The GDAL driver each vector suffix is opened with (and only with); CSV is read by pandas, zips hold Shapefiles.
GDAL_DRIVERS: dict[str, str] = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "ESRI Shapefile",
}
#: GeoPackage ``application_id`` values (header offset 68): "GPKG", and "GP10"/"GP11" of GeoPackage 1.0/1.1.
GPKG_APPLICATION_IDS: tuple[bytes, ...] = (b"GPKG", b"GP10", b"GP11")
#: A zip may not unpack to more than this (bytes) when no other limit is given.
ZIP_MAX_UNPACKED_BYTES = 2_000_000_000
#: A zip member larger than :data:`ZIP_RATIO_MIN_BYTES` may not be compressed more than this many times (zip bombs;
#: GIS files compress 3–10 times).
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1_000_000
#: How much of an XML file's start is read to find its root element (and refuse a DOCTYPE before it).
XML_PROLOG_BYTES = 1_000_000

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_VSI = re.compile(r"(^|/)vsi[a-z0-9_]*(/|$)", re.IGNORECASE)


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
        raise LayerError(
            "an empty layer path was given; name a file such as communities.geojson or data.gpkg#layer"
        )
    check_source_text(text, where=f"layer path {text!r}")
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
        raise LayerError(
            f"{where}: file {source.path} does not exist; check the path in study.toml (relative paths "
            "are relative to the study folder)"
        )
    if source.path.is_dir():
        raise LayerError(f"{where}: {source.path} is a folder, not a file; name the layer file itself")
    suffix = source.path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LayerError(
            f"{where}: files of type {suffix or '(none)'!r} are not read; give a GeoPackage (.gpkg), "
            "GeoJSON (.geojson), Shapefile (.shp or zipped .zip) or CSV with lon/lat columns (.csv)"
        )
    check_file_format(source.path, where=where)
    if suffix in (".csv", ".txt"):
        return _read_csv(source, where=where, encoding=encoding, crs=crs)
    if suffix == ".zip":
        return _read_zip(source, where=where, encoding=encoding, crs=crs)
    return _read_ogr(source, source.path, source.layer, where=where, encoding=encoding, crs=crs)


# --- what may be opened -------------------------------------------------------------------------------------------


def check_source_text(text: str, *, where: str, error: type[Exception] = LayerError) -> None:
    """Refuse a file name that is not a plain file path: GDAL virtual paths (``/vsicurl/``, any ``/vsi...``), URLs
    (``scheme://``) and control characters. Applies to every study, on any machine.

    Parameters
    ----------
    text : the path as the user wrote it (``#layer`` suffix allowed).
    where : what it is, for the message (e.g. ``facilities layer 'x.geojson'``).
    error : the error class to raise (:class:`LayerError`; the network passes ``NetworkError``).
    """
    raw = str(text)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        raise error(f"{where} contains control characters; write the file's name as plain text")
    path_text = raw.partition("#")[0].strip()
    if _URL.match(path_text):
        raise error(
            f"{where} is a URL; files are never downloaded from a study: download it yourself, put it in "
            "the study folder and name it relative to study.toml"
        )
    if _VSI.search(path_text.replace("\\", "/")):
        raise error(
            f"{where} is a GDAL virtual path (/vsi...), which studies may not use; name a file in the study "
            "folder, relative to study.toml"
        )


def _head(path: Path | str, n: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def file_format(path: Path | str) -> str | None:
    """The format a file's name claims: ``gpkg``, ``geojson``, ``shp``, ``zip``, ``csv``, ``osm``, ``osm.bz2``,
    ``osm.pbf``, ``graphml``; None for any other name."""
    name = str(path).lower()
    for ending, fmt in (
        (".osm.pbf", "osm.pbf"),
        (".pbf", "osm.pbf"),
        (".osm.bz2", "osm.bz2"),
        (".xml.bz2", "osm.bz2"),
        (".osm.xml", "osm"),
        (".osm", "osm"),
        (".xml", "osm"),
        (".graphml", "graphml"),
        (".gpkg", "gpkg"),
        (".geojson", "geojson"),
        (".json", "geojson"),
        (".shp", "shp"),
        (".zip", "zip"),
        (".csv", "csv"),
        (".txt", "csv"),
    ):
        if name.endswith(ending):
            return fmt
    return None


_FORMAT_NAMES = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "shp": "Shapefile",
    "zip": "zip",
    "csv": "CSV text",
    "osm": "OpenStreetMap XML",
    "osm.bz2": "bzip2-compressed OpenStreetMap XML",
    "osm.pbf": "OpenStreetMap PBF",
    "graphml": "GraphML",
}


def check_file_format(
    path: Path | str, *, where: str, head: bytes | None = None, error: type[Exception] = LayerError
) -> str:
    """Check that a file's first bytes are those of the format its name claims, before any reader opens it.

    GeoPackage: the SQLite header and a GeoPackage ``application_id``; GeoJSON: a JSON object (after a BOM and
    white space); Shapefile ``.shp``: file code 9994; zip: a zip header; CSV: text without NUL bytes; OSM XML: XML
    whose root element is ``<osm>``; ``.osm.bz2``: bzip2 holding such XML; ``.osm.pbf``: an ``OSMHeader`` block;
    GraphML: XML whose root element is ``<graphml>``. XML with a DOCTYPE (entity declarations) is refused: OSM and
    GraphML files never need one. A GDAL VRT or any other format under one of these names is refused.

    Parameters
    ----------
    path : the file.
    where : what it is, for the message.
    head : the file's first bytes when already read (zip members); read from ``path`` when None.
    error : the error class to raise.

    Returns
    -------
    str
        The format (see :func:`file_format`).
    """
    fmt = file_format(path)
    name = Path(str(path)).name
    if fmt is None:
        raise error(
            f"{where}: {name} is of a type studies do not use; give a GeoPackage, GeoJSON, zipped Shapefile or "
            "CSV layer, or an OSM (.osm, .osm.bz2, .osm.pbf) or GraphML network"
        )
    try:
        data = head if head is not None else _head(path, 4096)
    except OSError as exc:
        raise error(
            f"{where}: {name} cannot be opened ({exc.strerror or type(exc).__name__}); check its permissions"
        ) from None
    claimed = _FORMAT_NAMES[fmt]
    bad = f"{where}: {name} is not a {claimed} file (its first bytes are those of another format); "
    if fmt == "gpkg":
        if data[:16] != b"SQLite format 3\x00" or data[68:72] not in GPKG_APPLICATION_IDS:
            raise error(bad + "export the layer again as GeoPackage")
    elif fmt == "geojson":
        text = data.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
        if not text.startswith(b"{"):
            raise error(
                bad + 'a GeoJSON file holds one JSON object ({"type": "FeatureCollection", ...}); export '
                "the layer again as GeoJSON"
            )
    elif fmt == "shp":
        if data[:4] != b"\x00\x00\x27\x0a":
            raise error(
                bad + "give the Shapefile's own .shp (with its .shx, .dbf and .prj), or export it again"
            )
    elif fmt == "zip":
        if data[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            raise error(bad + "zip the layer's files again")
    elif fmt == "csv":
        if b"\x00" in data:
            raise error(bad + "save the table as CSV text (UTF-8) with lon/lat columns")
    elif fmt == "osm.pbf":
        if not (len(data) > 15 and data[4:6] == b"\x0a\x09" and data[6:15] == b"OSMHeader"):
            raise error(bad + "give a complete .osm.pbf extract (e.g. from Geofabrik), or an .osm file")
    elif fmt == "osm.bz2":
        if data[:3] != b"BZh":
            raise error(bad + "compress the .osm file with bzip2, or give it uncompressed")
        _check_xml_root(path, root="osm", where=where, name=name, error=error, compressed=True)
    elif fmt in ("osm", "graphml"):
        _check_xml_root(path, root=fmt, where=where, name=name, error=error, head=head)
    return fmt


def _xml_start(path: Path | str, *, compressed: bool, head: bytes | None) -> bytes:
    if head is not None:
        return head
    if compressed:
        import bz2

        out = b""
        try:
            with bz2.open(path, "rb") as f:
                out = f.read(XML_PROLOG_BYTES)
        except (OSError, EOFError, ValueError):
            return out
        return out
    return _head(path, XML_PROLOG_BYTES)


def _check_xml_root(
    path: Path | str,
    *,
    root: str,
    where: str,
    name: str,
    error: type[Exception],
    compressed: bool = False,
    head: bytes | None = None,
) -> None:
    """The XML's root element is ``root``; nothing but the XML declaration, comments and processing instructions
    come before it (no DOCTYPE: entity declarations could read other files or expand without end)."""
    claimed = "GraphML" if root == "graphml" else "OpenStreetMap XML"
    data = _xml_start(path, compressed=compressed, head=head)
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = n if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = n if end < 0 else end + 3
        elif text[pos : pos + 9].upper() == "<!DOCTYPE" or text.startswith("<!", pos):
            raise error(
                f"{where}: {name} declares a DOCTYPE, which {claimed} files never need and which could make "
                "the reader fetch other files; export the file again without it"
            )
        elif text.startswith("<", pos):
            match = re.match(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", text[pos : pos + 200])
            if match is None or match.group(2) != root:
                raise error(
                    f"{where}: {name} is not a {claimed} file (its root element is not <{root}>); "
                    + (
                        "save the graph with osmnx.save_graphml"
                        if root == "graphml"
                        else "give an OpenStreetMap extract (.osm, .osm.bz2 or .osm.pbf)"
                    )
                )
            return
        else:
            raise error(
                f"{where}: {name} is not a {claimed} file (it does not start with XML); "
                + (
                    "save the graph with osmnx.save_graphml"
                    if root == "graphml"
                    else "give an OpenStreetMap extract (.osm, .osm.bz2 or .osm.pbf)"
                )
            )
        if pos >= n:
            raise error(
                f"{where}: {name} has no <{root}> element within its first "
                f"{XML_PROLOG_BYTES // 1_000_000} MB; give a complete {claimed} file"
            )


# --- GeoPackage, GeoJSON, Shapefile -------------------------------------------------------------------------------


def _gdal_path(path: Path | str, driver: str) -> str:
    """``path`` with the driver named as GDAL's prefix where the driver has one (GeoJSON, GPKG), so no other driver
    is tried; Shapefiles have no prefix and are checked after opening."""
    text = str(path)
    if driver == "GeoJSON":
        return f"GeoJSON:{text}"
    if driver == "GPKG" and ":" not in text:  # GPKG:file:table syntax; a colon in the path would be misread
        return f"GPKG:{text}"
    return text


def _read_ogr(
    source: LayerSource,
    path: Path | str,
    layer: str | None,
    *,
    where: str,
    encoding: str | None,
    crs: str | None,
    notes: tuple[str, ...] = (),
) -> RawLayer:
    lower = str(path).lower()
    driver = next((d for s, d in GDAL_DRIVERS.items() if lower.endswith(s)), None)
    if driver is None:
        raise LayerError(
            f"{where}: {source.path.name} is not a GeoPackage, GeoJSON or Shapefile; give one of those, "
            "or a CSV with lon/lat columns"
        )
    gdal_path = _gdal_path(path, driver)
    what = {"GPKG": "GeoPackage", "GeoJSON": "GeoJSON", "ESRI Shapefile": "Shapefile"}[driver]
    unreadable = (
        f"{where}: {source.path.name} cannot be opened as a {what} (the file is damaged, incomplete or of "
        f"another format); export it again as {what} from your GIS"
    )
    try:
        layers = pyogrio.list_layers(gdal_path)
    except Exception:
        raise LayerError(unreadable) from None
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
        raise LayerError(unreadable) from None
    if opened != driver:
        raise LayerError(
            f"{where}: {source.path.name} opens as {opened or 'another format'}, not as {what}; only "
            "GeoPackage, GeoJSON and Shapefile layers are read: export it again as one of those"
        )
    found = list(notes)
    if encoding is None and driver == "ESRI Shapefile":
        encoding, note = _shapefile_encoding(path)
        if note:
            found.append(note)
    kwargs = {"encoding": encoding} if encoding else {}
    try:
        try:
            frame = pyogrio.read_dataframe(gdal_path, layer=layer_arg, **kwargs)
        except UnicodeDecodeError:
            if encoding or driver != "ESRI Shapefile":
                raise
            frame = pyogrio.read_dataframe(gdal_path, layer=layer_arg, encoding="GB18030")
            found.append("attributes read as GB18030/GBK (they are not valid UTF-8 as the file claims)")
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
    frame = _assign_crs(frame, where=where, crs=crs, notes=found).reset_index(drop=True)
    frame.insert(0, "_row", np.arange(1, len(frame) + 1))
    return RawLayer(frame=frame, source=source, notes=tuple(found), rejected=_no_rejects())


def _assign_crs(
    frame: gpd.GeoDataFrame, *, where: str, crs: str | None, notes: list[str]
) -> gpd.GeoDataFrame:
    try:
        declared = pyproj.CRS.from_user_input(crs) if crs else None
    except pyproj.exceptions.CRSError:
        raise LayerError(
            f"{where}: crs = {crs!r} is not a coordinate reference system pyproj knows; write it as "
            'EPSG:<code>, e.g. crs = "EPSG:4547"'
        ) from None
    if frame.crs is None:
        if declared is None:
            raise LayerError(
                f"{where} has no coordinate reference system (no .prj file or SRS); add the .prj file, "
                'or state it in study.toml, e.g. { path = "...", crs = "EPSG:4547" }'
            )
        notes.append(f"no CRS in the file: used {declared.to_string()} as study.toml states")
        return frame.set_crs(declared)
    if declared is not None and not pyproj.CRS.from_user_input(frame.crs).equals(declared):
        raise LayerError(
            f"{where}: the file declares {frame.crs.to_string()} but study.toml says {declared.to_string()}; "
            "remove the crs setting or fix the file"
        )
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
        return "GB18030", (
            "attributes read as GB18030/GBK (no .cpg file and the bytes are not UTF-8, as in most "
            "Chinese GIS exports); add a .cpg file to say otherwise"
        )


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


# --- zipped Shapefiles --------------------------------------------------------------------------------------------


def _zip_refusal(where: str, name: str, member: str) -> str:
    return (
        f"{where}: {name} contains {member!r}, a path that escapes the zip's folder; such archives are refused "
        "for safety: zip the layer files without folders above them"
    )


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def safe_zip_members(path: Path | str, *, where: str, name: str | None = None) -> list[str]:
    """Member names of a zip, refusing any that could reach outside the folder it is unpacked into.

    Refused: names that are absolute (``/x``), climb (``..``), carry a drive letter (``C:``) or a backslash, or
    hold control characters; symbolic links (Unix mode ``S_IFLNK``); encrypted members. Call
    :func:`read_zip_members` next to check sizes and CRCs before anything is used.

    Parameters
    ----------
    path : the zip file.
    where : what it is, for messages (e.g. ``uploaded study``).
    name : the zip's name for messages (default: ``path``'s file name).

    Raises
    ------
    LayerError
        One sentence naming the zip, the member and the fix.
    """
    label = name or Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise LayerError(
            f"{where}: {label} is not a valid zip file (damaged, truncated or of another format); zip "
            "the files again"
        ) from None
    seen: set[str] = set()
    for info in infos:
        member = info.filename
        if member in seen:
            raise LayerError(
                f"{where}: {label} holds two members named {member!r} (one would silently replace the "
                "other); zip the files again"
            )
        seen.add(member)
        pure = PurePosixPath(member)
        if (
            pure.is_absolute()
            or ".." in pure.parts
            or "\\" in member
            or re.match(r"^[A-Za-z]:", member)
            or any(ord(ch) < 32 for ch in member)
        ):
            raise LayerError(_zip_refusal(where, label, member))
        if _is_symlink(info):
            raise LayerError(
                f"{where}: {label} contains {member!r}, a symbolic link; links are refused for safety "
                "(they can point anywhere on the server): zip the files themselves"
            )
        if info.flag_bits & 0x1:
            raise LayerError(
                f"{where}: {label} contains {member!r}, which is encrypted; zip the files again "
                "without a password"
            )
    return [info.filename for info in infos]


def read_zip_members(
    path: Path | str,
    members: list[str] | None = None,
    *,
    where: str,
    name: str | None = None,
    max_unpacked_bytes: int = ZIP_MAX_UNPACKED_BYTES,
    extract_to: Path | None = None,
    on_size: Callable[[int], str] | None = None,
) -> int:
    """Read every member of a zip to its end, checking sizes and CRCs; optionally write them under ``extract_to``.

    Call :func:`safe_zip_members` first. Refused: a zip that declares, or turns out to unpack to, more than
    ``max_unpacked_bytes``; a member larger than :data:`ZIP_RATIO_MIN_BYTES` compressed more than
    :data:`ZIP_MAX_RATIO` times (zip bombs); a damaged zip (forged or wrong CRC, truncated data, broken structure).

    Parameters
    ----------
    path : the zip file.
    members : the members to read (default: every file member).
    where, name : for messages, as in :func:`safe_zip_members`.
    max_unpacked_bytes : the most the members may unpack to.
    extract_to : a folder to write the members into (their zip paths below it; modification times from the zip),
        or None to only check them.
    on_size : given the declared total when it is above the limit, returns the sentence to raise (default: a
        generic one).

    Returns
    -------
    int
        The bytes unpacked.

    Raises
    ------
    LayerError
        One sentence naming the zip and the fix; never the content.
    """
    label = name or Path(path).name
    damaged = (
        f"{where}: {label} is damaged (a CRC check failed, or the file is truncated or broken); the zip "
        "cannot be trusted: zip the files again and send the new zip"
    )
    total = 0
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [zf.getinfo(m) for m in members] if members is not None else zf.infolist()
            infos = [i for i in infos if not i.is_dir()]
            declared = sum(i.file_size for i in infos)
            if declared > max_unpacked_bytes:
                raise LayerError(
                    on_size(declared)
                    if on_size
                    else f"{where}: {label} would unpack to {declared / 1e6:.1f} MB, more than the "
                    f"{max_unpacked_bytes / 1e6:.0f} MB allowed; send a smaller zip"
                )
            for info in infos:
                if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > ZIP_MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise LayerError(
                        f"{where}: {label} member {info.filename!r} is compressed "
                        f"{info.file_size / max(info.compress_size, 1):.0f} times (a zip bomb?); zips "
                        f"compressed more than {ZIP_MAX_RATIO} times are refused: send the files "
                        "zipped normally"
                    )
            for info in infos:
                total = _read_member(
                    zf,
                    info,
                    total=total,
                    limit=max_unpacked_bytes,
                    where=where,
                    label=label,
                    extract_to=extract_to,
                )
    except LayerError:
        raise
    except _WriteError as exc:
        raise LayerError(
            f"{where}: {label} cannot be unpacked into {extract_to} ({exc.reason}); free some disk space "
            "or make the folder writable"
        ) from None
    except Exception:
        raise LayerError(damaged) from None
    return total


class _WriteError(Exception):
    """Writing an unpacked member failed (full disk, no permission), as opposed to reading a damaged zip."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(exc.strerror or type(exc).__name__)
        self.reason = exc.strerror or type(exc).__name__


def _read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    total: int,
    limit: int,
    where: str,
    label: str,
    extract_to: Path | None,
) -> int:
    target = None
    size = 0
    with contextlib.ExitStack() as stack:
        out = None
        if extract_to is not None:
            target = Path(extract_to).joinpath(*PurePosixPath(info.filename).parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                out = stack.enter_context(open(target, "wb"))
            except OSError as exc:
                raise _WriteError(exc) from None
        src = stack.enter_context(zf.open(info))
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if total + size > limit or size > info.file_size:
                raise LayerError(
                    f"{where}: {label} unpacks to more than its stated size or the "
                    f"{limit / 1e6:.0f} MB allowed (a zip bomb?); send a smaller, normal zip"
                )
            if out is not None:
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise _WriteError(exc) from None
    if size != info.file_size:
        raise zipfile.BadZipFile("size mismatch")
    if target is not None:
        try:
            stamp = time.mktime((*info.date_time, 0, 0, -1))
            os.utime(target, (stamp, stamp))
        except (OverflowError, ValueError, OSError):
            pass
    return total + size


def _read_zip(source: LayerSource, *, where: str, encoding: str | None, crs: str | None) -> RawLayer:
    members = safe_zip_members(source.path, where=where)
    read_zip_members(source.path, where=where)
    shps = [m for m in members if m.lower().endswith(".shp") and not m.startswith("__MACOSX/")]
    if source.layer is not None:
        if source.layer not in shps:
            raise LayerError(
                f"{where}: {source.path.name} has no member {source.layer!r}; its Shapefiles are "
                f"{', '.join(shps) or '(none)'}"
            )
        member = source.layer
    elif len(shps) == 1:
        member = shps[0]
    elif not shps:
        raise LayerError(
            f"{where}: {source.path.name} holds no .shp file; a zipped Shapefile needs the .shp, .shx, "
            ".dbf and .prj files"
        )
    else:
        raise LayerError(
            f"{where}: {source.path.name} holds {len(shps)} Shapefiles ({', '.join(shps)}); name one as "
            f"{source.path.name}#<member.shp>"
        )
    with zipfile.ZipFile(source.path) as zf, zf.open(member) as f:
        head = f.read(4096)
    check_file_format(member, where=f"{where}: {source.path.name} member", head=head)
    vsi = f"/vsizip/{source.path.resolve()}/{member}"
    return _read_ogr(source, vsi, None, where=where, encoding=encoding, crs=crs)


# --- CSV with coordinates -----------------------------------------------------------------------------------------


def decode_text(data: bytes, *, where: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode a text file: the given encoding, else UTF-8 (with or without BOM), else GB18030 (said in the note)."""
    if encoding:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError as exc:
            raise LayerError(
                f"{where}: cannot decode the file as {encoding} (invalid bytes at byte {exc.start}); fix "
                "the encoding setting in study.toml or save the file as UTF-8"
            ) from None
        except LookupError:
            raise LayerError(
                f"{where}: the encoding {encoding!r} is not one Python knows; fix the encoding setting "
                "in study.toml (e.g. gb18030 or utf-8)"
            ) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(
            "gb18030"
        ), "read as GB18030/GBK (the bytes are not UTF-8, as in Excel exports in China)"
    except UnicodeDecodeError:
        raise LayerError(
            f"{where}: the file is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV"
        ) from None


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
    except pd.errors.EmptyDataError:
        raise LayerError(
            f"{where}: {source.path.name} is empty; export the table again with its header row and rows"
        ) from None
    except (pd.errors.ParserError, ValueError, csv.Error):
        raise LayerError(
            f"{where}: {source.path.name} is not a readable CSV (rows with more fields than the header, "
            "or broken quoting); check the delimiter (comma) and quoting"
        ) from None
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
        raise LayerError(
            f"{where}: {source.path.name} has no coordinate columns; name them lon/lat (or lng, "
            f"longitude, x / latitude, y, 经度 / 纬度) or give a WKT column ({len(cols)} columns found, "
            "none of them named so)"
        )
    frame = gpd.GeoDataFrame(data, geometry=np.where(bad, None, geometry))
    if crs:
        frame = _assign_crs(frame, where=where, crs=crs, notes=notes)
    else:
        frame = frame.set_crs("EPSG:4326")
        notes.append(
            "coordinates taken as longitude/latitude in degrees (EPSG:4326; see coords for GCJ-02/BD-09)"
        )
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
    looks_swapped = (
        np.mean((x >= CHINA_LAT[0]) & (x <= CHINA_LAT[1])) > 0.9
        and np.mean((y >= CHINA_LON[0]) & (y <= CHINA_LON[1])) > 0.9
    )
    if impossible > 0.5 or looks_swapped:
        raise LayerError(
            f"{where}: longitude and latitude look swapped (x runs {np.nanmin(x):.4f}–{np.nanmax(x):.4f}, "
            f"y runs {np.nanmin(y):.4f}–{np.nanmax(y):.4f}; in China longitude is 73–136 and latitude 3–54); "
            "swap the two columns (or their names) in the file"
        )
    if np.any(np.abs(y) > 90.0) or np.any(np.abs(x) > 180.0):
        n = int(np.sum((np.abs(y) > 90.0) | (np.abs(x) > 180.0)))
        raise LayerError(
            f"{where}: {n} coordinates are outside longitude ±180 / latitude ±90; the file is probably "
            'in a projected CRS declared as lon/lat: state its CRS in study.toml (e.g. crs = "EPSG:4547")'
        )


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame(columns=["row", "reason"])
