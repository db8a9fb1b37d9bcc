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
from geo.messages import Message
from planning.i18n import message
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


def confine_path(
    spec: str, folder: Path | str, *, where: str | Message, error: type[StudyError] = StudyError
) -> Path:
    """The file a confined study names: a relative path that stays inside ``folder``.

    Refused: absolute paths, ``~``, ``..`` components, Windows drive letters and UNC paths, URLs and ``place:``,
    GDAL virtual paths, and any path whose resolved form leaves the folder or passes through a symbolic link.

    Parameters
    ----------
    spec : the path as written in study.toml (a ``#layer`` suffix is allowed and ignored here).
    folder : the study folder.
    where : what names it, for the message (e.g. ``study.toml: [layers] facilities``; a message when it has words
        to translate).
    error : the error class to raise.

    Returns
    -------
    Path
        The file inside the folder (it may not exist; the reader says so).
    """
    text = str(spec).strip()
    check_source_text(text, where=f"{where} {text!r}", error=error)
    path_text = text.partition("#")[0].strip()
    if path_text.lower().startswith("place:"):  # URLs were refused by check_source_text
        raise error(message("err_path_fetches", where=where, text=text))
    unix = path_text.replace("\\", "/")
    if unix.startswith("~"):
        raise error(message("err_path_home", where=where, text=text))
    if unix.startswith("/") or _DRIVE.match(unix):
        raise error(message("err_path_absolute", where=where, text=text))
    parts = [p for p in unix.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise error(message("err_path_climbs", where=where, text=text))
    if not parts:
        raise error(message("err_path_no_file", where=where, text=text))
    base = Path(folder)
    current = base
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise error(message("err_path_symlink", where=where, text=text))
    try:
        inside = current.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise error(message("err_path_outside", where=where, text=text))
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
        raise NetworkError(message("err_source_not_text", where=where))
    text = source.strip()
    if not text:
        raise NetworkError(message("err_source_empty", where=where))
    check_source_text(text, where=f"{where} {text!r}", error=NetworkError)
    if text.lower().startswith("place:"):
        if confined:
            raise NetworkError(message("err_source_download", where=where, text=text))
        return None
    if confined:
        path = confine_path(text, folder, where=where, error=NetworkError)
    else:
        raw = Path(text.partition("#")[0].strip()).expanduser()
        path = raw if raw.is_absolute() else Path(folder) / raw
    if not path.exists():
        code = "err_source_missing_confined" if confined else "err_source_missing"
        raise NetworkError(message(code, where=where, text=text, folder=str(folder)))
    if not path.is_file():
        raise NetworkError(message("err_source_not_file", where=where, text=text))
    fmt = file_format(path)
    if fmt not in NETWORK_FORMATS:
        raise NetworkError(message("err_source_type", where=where, text=text))
    check_file_format(path, where=f"{where} {text!r}", error=NetworkError)
    if fmt == "osm.bz2" and confined:
        _check_bz2_size(path, where=where, text=text, limit=MAX_UPLOAD_MB * MAX_UNPACKED_FACTOR * 1_000_000)
    if fmt == "zip":
        try:
            safe_zip_members(path, where=f"{where} {text!r}")
            read_zip_members(path, where=f"{where} {text!r}")
        except LayerError as exc:
            raise NetworkError(exc.message or str(exc)) from None
    return path


def _check_bz2_size(path: Path, *, where: str, text: str, limit: int) -> None:
    """Refuse a bzip2 file that decompresses to more than ``limit`` bytes (a bomb), or is damaged."""
    total = 0
    try:
        with bz2.open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise NetworkError(message("err_bz2_bomb", where=where, text=text, limit=mb(limit)))
    except (OSError, EOFError, ValueError):
        raise NetworkError(message("err_bz2_damaged", where=where, text=text)) from None


def check_crs_text(value: object, *, where: str) -> None:
    """In a confined study, a CRS is written as an authority code (``EPSG:4547``) or a number, nothing else (PROJ
    strings can name files)."""
    if value is None:
        return
    if not _CRS_CODE.match(str(value)):
        raise OptionError(message("err_crs_not_code", where=where, value=str(value)[:40]))
