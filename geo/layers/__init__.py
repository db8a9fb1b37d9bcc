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

Modules: :mod:`~geo.layers.source` (the layer spec, what a read layer holds, which names may be opened),
:mod:`~geo.layers.formats` (format sniffing), :mod:`~geo.layers.zips` (zip checks, zipped Shapefiles),
:mod:`~geo.layers.tables` (CSV), :mod:`~geo.layers.ogr` (GeoPackage, GeoJSON, Shapefile),
:mod:`~geo.layers.checks` (CRS and swapped coordinates), :mod:`~geo.layers.reader` (:func:`read_layer`).
"""

from geo.layers.checks import CHINA_LAT, CHINA_LON, check_swapped_lon_lat
from geo.layers.formats import GPKG_APPLICATION_IDS, XML_PROLOG_BYTES, check_file_format, file_format
from geo.layers.ogr import GDAL_DRIVERS
from geo.layers.reader import SUFFIXES, read_layer
from geo.layers.source import LayerSource, RawLayer, check_source_text, parse_layer_spec
from geo.layers.tables import LAT_NAMES, LON_NAMES, WKT_NAMES, decode_text
from geo.layers.zips import (
    ZIP_MAX_RATIO,
    ZIP_MAX_UNPACKED_BYTES,
    ZIP_RATIO_MIN_BYTES,
    read_zip_members,
    safe_zip_members,
)

__all__ = [
    "CHINA_LAT",
    "CHINA_LON",
    "GDAL_DRIVERS",
    "GPKG_APPLICATION_IDS",
    "LAT_NAMES",
    "LON_NAMES",
    "SUFFIXES",
    "WKT_NAMES",
    "XML_PROLOG_BYTES",
    "ZIP_MAX_RATIO",
    "ZIP_MAX_UNPACKED_BYTES",
    "ZIP_RATIO_MIN_BYTES",
    "LayerSource",
    "RawLayer",
    "check_file_format",
    "check_source_text",
    "check_swapped_lon_lat",
    "decode_text",
    "file_format",
    "parse_layer_spec",
    "read_layer",
    "read_zip_members",
    "safe_zip_members",
]
