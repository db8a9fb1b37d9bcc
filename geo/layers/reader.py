"""Reading one vector layer of any format the study contract names, each through its own reader."""

from __future__ import annotations

from pathlib import Path

from geo.errors import LayerError
from geo.layers.formats import check_file_format
from geo.layers.ogr import read_ogr
from geo.layers.source import LayerSource, RawLayer, parse_layer_spec
from geo.layers.tables import read_csv
from geo.layers.zips import read_zip
from geo.messages import Message

#: File endings read as layers (each by its own reader: CSV, zipped Shapefile, or GDAL for the others).
SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".csv", ".txt")


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
    where = Message.of("layer_label", name=name, label=source.label)
    if not source.path.exists():
        raise LayerError.of("layer_file_missing", where=where, path=str(source.path))
    if source.path.is_dir():
        raise LayerError.of("layer_is_folder", where=where, path=str(source.path))
    suffix = source.path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LayerError.of("layer_type_unknown", where=where, suffix=suffix or Message.of("none_listed"))
    check_file_format(source.path, where=where)
    if suffix in (".csv", ".txt"):
        return read_csv(source, where=where, encoding=encoding, crs=crs)
    if suffix == ".zip":
        return read_zip(source, where=where, encoding=encoding, crs=crs)
    return read_ogr(source, source.path, source.layer, where=where, encoding=encoding, crs=crs)
