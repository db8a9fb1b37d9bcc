"""Checks every network loader shares: the file, the target CRS, and short reasons for what went wrong."""

from __future__ import annotations

import xml.sax
from pathlib import Path

import pyproj

from geo.errors import NetworkError
from geo.layers import check_file_format
from geo.messages import Message


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's text (at most 200 characters), or its type's name.

    Parameters
    ----------
    exc : the exception.
    """
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def xml_reason(exc: BaseException) -> Message | str:
    """Why an XML file could not be read, without quoting it: the kind of problem and where (line, column), or the
    exception's type name.

    Parameters
    ----------
    exc : the exception the XML reader raised.
    """
    if isinstance(exc, xml.sax.SAXParseException):
        return Message.of("xml_not_well_formed", line=exc.getLineNumber(), column=exc.getColumnNumber())
    position = getattr(exc, "position", None)  # xml.etree.ElementTree.ParseError
    if isinstance(position, tuple) and len(position) == 2:
        return Message.of("xml_not_well_formed", line=position[0], column=position[1])
    if isinstance(exc, (EOFError, OSError)):
        return Message.of("xml_truncated")
    if isinstance(exc, (KeyError, ValueError, TypeError)):
        return Message.of("xml_unexpected_content")
    return type(exc).__name__


def check_network_file(path: Path, *, label: str) -> None:
    """Raise :class:`NetworkError` unless ``path`` is a file that can be opened.

    Parameters
    ----------
    path : the network file.
    label : the source as the study names it, for messages.
    """
    if not path.exists():
        raise NetworkError.of("network_file_missing", path=str(path))
    if path.is_dir():
        raise NetworkError.of("network_source_is_folder", label=label)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise NetworkError.of(
            "network_file_cannot_open", path=str(path), reason=exc.strerror or type(exc).__name__
        ) from None


def projected_crs(crs: pyproj.CRS | str | int, *, label: str) -> pyproj.CRS:
    """The study's target CRS, or :class:`NetworkError` when it is unknown or not projected.

    Parameters
    ----------
    crs : anything pyproj reads (``EPSG:4547``, a WKT, an EPSG number).
    label : the network source, for messages.
    """
    try:
        target = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise NetworkError.of(
            "network_crs_unknown", label=label, crs=repr(crs), reason=short_reason(exc)
        ) from None
    if not target.is_projected:
        raise NetworkError.of("network_target_not_projected", label=label, crs=target.name)
    return target


def network_file(path: str | Path, crs: pyproj.CRS | str | int) -> tuple[Path, str, pyproj.CRS]:
    """A network file as every file loader opens it: the path (``~`` expanded), its label for messages and the
    study's projected CRS, once the CRS is known to be projected and the file to exist, open and hold the format
    its name claims (:func:`projected_crs`, :func:`check_network_file`, :func:`geo.layers.check_file_format`).

    Parameters
    ----------
    path : the network file.
    crs : the study's projected CRS.
    """
    p = Path(path).expanduser()
    label = str(p)
    target = projected_crs(crs, label=label)
    check_network_file(p, label=label)
    check_file_format(p, where=Message.of("network_source_label", label=label), error=NetworkError)
    return p, label, target
