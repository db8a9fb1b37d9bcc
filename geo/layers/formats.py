"""Format sniffing: a file's first bytes must be those of the format its name claims before any reader opens it.

A GDAL VRT or any other format dressed as ``.geojson``/``.gpkg`` is refused; XML (OSM, GraphML) must have the
expected root element and no DOCTYPE. Messages never quote a file's content.
"""

from __future__ import annotations

import bz2
import re
from collections.abc import Callable
from pathlib import Path

from geo.errors import LayerError

#: GeoPackage ``application_id`` values (header offset 68): "GPKG", and "GP10"/"GP11" of GeoPackage 1.0/1.1.
GPKG_APPLICATION_IDS: tuple[bytes, ...] = (b"GPKG", b"GP10", b"GP11")
#: How much of an XML file's start is read to find its root element (and refuse a DOCTYPE before it).
XML_PROLOG_BYTES = 1_000_000


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


#: For each format with a signature: the test its first bytes must pass, and the fix said when they do not.
_MAGIC: dict[str, tuple[Callable[[bytes], bool], str]] = {
    "gpkg": (
        lambda data: data[:16] == b"SQLite format 3\x00" and data[68:72] in GPKG_APPLICATION_IDS,
        "export the layer again as GeoPackage",
    ),
    "geojson": (
        lambda data: data.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{"),
        'a GeoJSON file holds one JSON object ({"type": "FeatureCollection", ...}); export the layer again as '
        "GeoJSON",
    ),
    "shp": (
        lambda data: data[:4] == b"\x00\x00\x27\x0a",
        "give the Shapefile's own .shp (with its .shx, .dbf and .prj), or export it again",
    ),
    "zip": (lambda data: data[:4] in (b"PK\x03\x04", b"PK\x05\x06"), "zip the layer's files again"),
    "csv": (lambda data: b"\x00" not in data, "save the table as CSV text (UTF-8) with lon/lat columns"),
    "osm.pbf": (
        lambda data: len(data) > 15 and data[4:6] == b"\x0a\x09" and data[6:15] == b"OSMHeader",
        "give a complete .osm.pbf extract (e.g. from Geofabrik), or an .osm file",
    ),
    "osm.bz2": (
        lambda data: data[:3] == b"BZh",
        "compress the .osm file with bzip2, or give it uncompressed",
    ),
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
    magic = _MAGIC.get(fmt)
    if magic is not None and not magic[0](data):
        raise error(
            f"{where}: {name} is not a {_FORMAT_NAMES[fmt]} file (its first bytes are those of another format); "
            + magic[1]
        )
    if fmt == "osm.bz2":
        _check_xml_root(path, root="osm", where=where, name=name, error=error, compressed=True)
    elif fmt in ("osm", "graphml"):
        _check_xml_root(path, root=fmt, where=where, name=name, error=error, head=head)
    return fmt


def _xml_start(path: Path | str, *, compressed: bool, head: bytes | None) -> bytes:
    if head is not None:
        return head
    if compressed:
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
