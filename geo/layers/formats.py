"""Format sniffing: a file's first bytes must be those of the format its name claims before any reader opens it.

A GDAL VRT or any other format dressed as ``.geojson``/``.gpkg`` is refused; XML (OSM, GraphML) must have the
expected root element and no DOCTYPE. Messages never quote a file's content.
"""

from __future__ import annotations

import bz2
import re
from collections.abc import Callable
from pathlib import Path

from geo.errors import LayerError, StudyError
from geo.messages import Message

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


#: The message naming each format (its kind of file, for sentences).
_FORMAT_NAMES = {
    "gpkg": "format_name_gpkg",
    "geojson": "format_name_geojson",
    "shp": "format_name_shp",
    "zip": "format_name_zip",
    "csv": "format_name_csv",
    "osm": "format_name_osm",
    "osm.bz2": "format_name_osm_bz2",
    "osm.pbf": "format_name_osm_pbf",
    "graphml": "format_name_graphml",
}


#: For each format with a signature: the test its first bytes must pass, and the fix said when they do not (a code
#: of :data:`geo.messages.EN`).
_MAGIC: dict[str, tuple[Callable[[bytes], bool], str]] = {
    "gpkg": (
        lambda data: data[:16] == b"SQLite format 3\x00" and data[68:72] in GPKG_APPLICATION_IDS,
        "format_fix_gpkg",
    ),
    "geojson": (
        lambda data: data.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{"),
        "format_fix_geojson",
    ),
    "shp": (lambda data: data[:4] == b"\x00\x00\x27\x0a", "format_fix_shp"),
    "zip": (lambda data: data[:4] in (b"PK\x03\x04", b"PK\x05\x06"), "format_fix_zip"),
    "csv": (lambda data: b"\x00" not in data, "format_fix_csv"),
    "osm.pbf": (
        lambda data: len(data) > 15 and data[4:6] == b"\x0a\x09" and data[6:15] == b"OSMHeader",
        "format_fix_osm_pbf",
    ),
    "osm.bz2": (lambda data: data[:3] == b"BZh", "format_fix_osm_bz2"),
}


def check_file_format(
    path: Path | str, *, where: str | Message, head: bytes | None = None, error: type[StudyError] = LayerError
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
        raise error.of("file_type_unknown", where=where, file=name)
    try:
        data = head if head is not None else _head(path, 4096)
    except OSError as exc:
        raise error.of(
            "file_cannot_open", where=where, file=name, reason=exc.strerror or type(exc).__name__
        ) from None
    magic = _MAGIC.get(fmt)
    if magic is not None and not magic[0](data):
        raise error.of(
            "file_wrong_magic",
            where=where,
            file=name,
            format=Message.of(_FORMAT_NAMES[fmt]),
            fix=Message.of(magic[1]),
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
    where: str | Message,
    name: str,
    error: type[StudyError],
    compressed: bool = False,
    head: bytes | None = None,
) -> None:
    """The XML's root element is ``root``; nothing but the XML declaration, comments and processing instructions
    come before it (no DOCTYPE: entity declarations could read other files or expand without end)."""
    claimed = Message.of(_FORMAT_NAMES["graphml" if root == "graphml" else "osm"])
    fix = Message.of("format_fix_graphml" if root == "graphml" else "format_fix_osm_extract")
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
            raise error.of("xml_doctype", where=where, file=name, claimed=claimed)
        elif text.startswith("<", pos):
            match = re.match(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", text[pos : pos + 200])
            if match is None or match.group(2) != root:
                raise error.of("xml_wrong_root", where=where, file=name, claimed=claimed, root=root, fix=fix)
            return
        else:
            raise error.of("xml_not_xml", where=where, file=name, claimed=claimed, fix=fix)
        if pos >= n:
            raise error.of(
                "xml_no_root",
                where=where,
                file=name,
                root=root,
                mb=XML_PROLOG_BYTES // 1_000_000,
                claimed=claimed,
            )
