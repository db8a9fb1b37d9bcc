"""Where a layer comes from: the layer spec (``file.gpkg#layer``), what a read layer holds, and which file names
may be opened at all.

GDAL virtual paths (``/vsicurl/``, any ``/vsi...``) and URLs are refused wherever a user names a file
(:func:`check_source_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import LayerError, StudyError
from geo.messages import Message

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
    notes : decisions taken while reading (encoding, coordinate columns, conversions), for the report; each a
        :class:`~geo.messages.Message` (a code and its parameters; ``str()`` gives the English).
    rejected : rows that could not be read (e.g. CSV rows without coordinates), with a ``reason`` column (English)
        and their 1-based ``row`` number; nothing the user gave is lost.
    rejected_reasons : the reason of each rejected row as a :class:`~geo.messages.Message`, in ``rejected``'s
        order.
    """

    frame: gpd.GeoDataFrame
    source: LayerSource
    notes: tuple[Message, ...]
    rejected: pd.DataFrame
    rejected_reasons: tuple[Message, ...] = ()


def parse_layer_spec(spec: str, *, base_dir: Path | str | None = None) -> LayerSource:
    """Split ``file.gpkg#layer`` into the file and the layer, resolving relative paths against ``base_dir``."""
    text = str(spec).strip()
    if not text:
        raise LayerError.of("layer_path_empty")
    check_source_text(text, where=Message.of("layer_path_label", path=text))
    path_text, _, layer = text.partition("#")
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return LayerSource(path=path, layer=layer or None, label=text)


def check_source_text(text: str, *, where: str | Message, error: type[StudyError] = LayerError) -> None:
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
        raise error.of("path_control_chars", where=where)
    path_text = raw.partition("#")[0].strip()
    if _URL.match(path_text):
        raise error.of("path_is_url", where=where)
    if _VSI.search(path_text.replace("\\", "/")):
        raise error.of("path_is_gdal_virtual", where=where)
