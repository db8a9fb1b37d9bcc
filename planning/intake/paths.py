"""Paths a study names: confinement of uploaded, zipped and public studies to their folder, the network source
checked before anything reads it, CRS written as codes.
"""

from __future__ import annotations

import bz2
import os
import re
from pathlib import Path

from geo.errors import LayerError, NetworkError, OptionError, StudyError
from geo.layers import check_file_format, check_source_text, file_format, read_zip_members, safe_zip_members
from planning.intake.limits import MAX_UNPACKED_FACTOR, MAX_UPLOAD_MB, mb

#: The environment variable that confines every study (folders too) as zipped ones are: ``ELDERCIRCLE_PUBLIC=1``.
PUBLIC_ENV = "ELDERCIRCLE_PUBLIC"
#: Formats (:func:`geo.layers.file_format`) a network source may have.
NETWORK_FORMATS: tuple[str, ...] = ("osm", "osm.bz2", "osm.pbf", "graphml", "gpkg", "geojson", "shp", "zip")
#: The file written last into a folder the intake made (an unpacked zip, a study built from uploads); a zip's
#: folder without it is never used, and a study below it is loaded confined (:func:`made_by_intake`).
UNPACKED_MARKER = ".eldercircle-unpacked"

_DRIVE = re.compile(r"^[A-Za-z]:")
_CRS_CODE = re.compile(r"^\s*(?:[A-Za-z]+:\d+|\d+)\s*$")


def public_mode() -> bool:
    """Whether ``ELDERCIRCLE_PUBLIC`` is set (to anything but empty, ``0``, ``false``, ``no`` or ``off``): every
    study, folders on this machine included, is then confined as a zipped one."""
    value = os.environ.get(PUBLIC_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def made_by_intake(folder: Path | str) -> bool:
    """Whether a study folder was made by this intake from untrusted input (an unpacked zip or uploaded layers):
    :data:`UNPACKED_MARKER` lies in it or in one of its three nearest parents. Such studies are loaded confined,
    whoever loads them (the app loads uploaded studies by their folder)."""
    here = Path(folder)
    return any((candidate / UNPACKED_MARKER).is_file() for candidate in (here, *list(here.parents)[:3]))


def confine_path(spec: str, folder: Path | str, *, where: str, error: type[StudyError] = StudyError) -> Path:
    """The file a confined study names: a relative path that stays inside ``folder``.

    Refused: absolute paths, ``~``, ``..`` components, Windows drive letters and UNC paths, URLs and ``place:``,
    GDAL virtual paths, and any path whose resolved form leaves the folder or passes through a symbolic link.

    Parameters
    ----------
    spec : the path as written in study.toml (a ``#layer`` suffix is allowed and ignored here).
    folder : the study folder.
    where : what names it, for the message (e.g. ``study.toml: [layers] facilities``).
    error : the error class to raise.

    Returns
    -------
    Path
        The file inside the folder (it may not exist; the reader says so).
    """
    text = str(spec).strip()
    check_source_text(text, where=f"{where} {text!r}", error=error)
    path_text = text.partition("#")[0].strip()
    fix = 'name a file inside the study folder, relative to study.toml (e.g. "facilities.csv")'
    if path_text.lower().startswith("place:"):  # URLs were refused by check_source_text
        raise error(
            f"{where} {text!r} would fetch data from the internet, which uploaded and public studies may not "
            f"do; put the file in the study and {fix}"
        )
    unix = path_text.replace("\\", "/")
    if unix.startswith("~"):
        raise error(
            f"{where} {text!r} points into a home folder; uploaded and public studies may only read their own "
            f"files: {fix}"
        )
    if unix.startswith("/") or _DRIVE.match(unix):
        raise error(
            f"{where} {text!r} is an absolute path; uploaded and public studies may only read their own "
            f"files: {fix}"
        )
    parts = [p for p in unix.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise error(
            f"{where} {text!r} climbs out of the study folder (..); uploaded and public studies may only read "
            f"their own files: {fix}"
        )
    if not parts:
        raise error(f"{where} {text!r} names no file; {fix}")
    base = Path(folder)
    current = base
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise error(
                f"{where} {text!r} passes through a symbolic link; uploaded and public studies may only read "
                f"their own files: put the file itself in the study and {fix}"
            )
    try:
        inside = current.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise error(f"{where} {text!r} leads outside the study folder; {fix}")
    return current


def check_network_source(source: object, folder: Path | str, *, where: str, confined: bool) -> Path | None:
    """Check ``[network] source`` before anything reads it; returns its file (None for ``place:`` when allowed).

    Everywhere: URLs and GDAL virtual paths are refused, the file must exist, be of a network format and its first
    bytes must match that format (zips are checked member by member). When ``confined`` (a zipped or uploaded
    study, or ``ELDERCIRCLE_PUBLIC=1``), the path must also stay inside the study (:func:`confine_path`) and
    ``place:`` (a download) is refused.

    Raises
    ------
    NetworkError
        One sentence naming study.toml's entry and the fix.
    """
    if not isinstance(source, str):
        raise NetworkError(f'{where} must be a file name in quotes, e.g. source = "streets.osm"')
    text = source.strip()
    if not text:
        raise NetworkError(f"{where} is empty; name an OSM file, a GraphML file or a street-centreline layer")
    check_source_text(text, where=f"{where} {text!r}", error=NetworkError)
    if text.lower().startswith("place:"):
        if confined:
            raise NetworkError(
                f"{where} {text!r} would download the network from the internet, which uploaded and "
                "public studies may not do; put an OSM extract (.osm, .osm.pbf) of the area in the study "
                'and name it, e.g. source = "streets.osm"'
            )
        return None
    if confined:
        path = confine_path(text, folder, where=where, error=NetworkError)
    else:
        raw = Path(text.partition("#")[0].strip()).expanduser()
        path = raw if raw.is_absolute() else Path(folder) / raw
    if not path.exists():
        raise NetworkError(
            f"{where} {text!r} does not exist in {folder}; give the OSM file, GraphML or centreline "
            "layer" + ("" if confined else ", or place:<name> to download it")
        )
    if not path.is_file():
        raise NetworkError(f"{where} {text!r} is not a file; name the OSM, GraphML or centreline file itself")
    fmt = file_format(path)
    if fmt not in NETWORK_FORMATS:
        raise NetworkError(
            f"{where} {text!r} is of a type networks do not use; give an OSM file (.osm, .osm.bz2, "
            ".osm.pbf), a GraphML file (.graphml) or a street-centreline layer (.gpkg#layer, .geojson, "
            "zipped Shapefile)"
        )
    check_file_format(path, where=f"{where} {text!r}", error=NetworkError)
    if fmt == "osm.bz2" and confined:
        _check_bz2_size(
            path, where=f"{where} {text!r}", limit=MAX_UPLOAD_MB * MAX_UNPACKED_FACTOR * 1_000_000
        )
    if fmt == "zip":
        try:
            safe_zip_members(path, where=f"{where} {text!r}")
            read_zip_members(path, where=f"{where} {text!r}")
        except LayerError as exc:
            raise NetworkError(str(exc)) from None
    return path


def _check_bz2_size(path: Path, *, where: str, limit: int) -> None:
    """Refuse a bzip2 file that decompresses to more than ``limit`` bytes (a bomb), or is damaged."""
    total = 0
    try:
        with bz2.open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise NetworkError(
                        f"{where} decompresses to more than {mb(limit)} (a bzip2 bomb?); give a "
                        "smaller extract, clipped to the study area"
                    )
    except (OSError, EOFError, ValueError):
        raise NetworkError(
            f"{where} is a damaged or truncated bzip2 file; compress the .osm file again"
        ) from None


def check_crs_text(value: object, *, where: str) -> None:
    """In a confined study, a CRS is written as an authority code (``EPSG:4547``) or a number, nothing else (PROJ
    strings can name files)."""
    if value is None:
        return
    if not _CRS_CODE.match(str(value)):
        raise OptionError(
            f"{where} = {str(value)[:40]!r} is not an authority code; uploaded and public studies write "
            'the CRS as EPSG:<code>, e.g. crs = "EPSG:4547"'
        )
