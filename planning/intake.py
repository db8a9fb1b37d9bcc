"""The one intake for untrusted input: zipped studies (command line and app), single uploaded layers, and the
confinement of every path a study names.

Used by the command line (:func:`planning.study.load_study` unpacks a ``.zip`` through :func:`study_folder_from_zip`)
and by the app's sidebar and Data page (:func:`study_from_zip`, :func:`save_upload`, :func:`read_uploaded_layer`,
:func:`study_from_layers`). No Streamlit here, so every rule is tested directly:

- an upload larger than the stated limit is refused (:func:`check_size`);
- a zip is refused when a member's path escapes the folder (absolute, ``..``, drive letters, backslashes), is a
  symbolic link, is encrypted or of a file type a study does not use; when it would unpack to more than
  :data:`MAX_UNPACKED_FACTOR` times the limit or a member is compressed suspiciously well (zip bombs); and when a
  CRC check fails or the zip is truncated or broken (every member is read to its end before anything is used);
- inside a zip or an upload, and everywhere when ``ELDERCIRCLE_PUBLIC=1``, every layer path and the network source
  must be a relative path that stays inside the study folder (no absolute path, ``~``, ``..``, drive letter, UNC
  path or symbolic link), and ``place:`` and URLs are refused (:func:`confine_path`, :func:`check_network_source`);
- every file is opened only as the format its name claims, after its first bytes were checked
  (:func:`geo.layers.check_file_format`).

Every refusal is one sentence naming the file and the fix; none quotes a file's content. Uploads are written under
the browser session's own folder; zipped studies given to the command line are unpacked once into the cache folder,
under the zip's SHA-256 (so the network cache hits on the next command), or into a temporary folder when the cache
is off.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from geo.errors import LayerError, NetworkError, OptionError, StudyError
from geo.layers import (
    RawLayer,
    check_file_format,
    check_source_text,
    file_format,
    read_layer,
    read_zip_members,
    safe_zip_members,
)
from planning.schema import LAYER_COLUMNS, OPTIONAL_LAYERS, REQUIRED_LAYERS

#: Upload limit stated in the UI; the same number is ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 200
#: A zip may unpack to at most this many times the upload limit.
MAX_UNPACKED_FACTOR = 5
#: The environment variable that confines every study (folders too) as zipped ones are: ``ELDERCIRCLE_PUBLIC=1``.
PUBLIC_ENV = "ELDERCIRCLE_PUBLIC"
#: File types a study folder may hold (layers, Shapefile parts, networks, the study file, notes).
STUDY_FILE_TYPES: tuple[str, ...] = (
    ".toml",
    ".gpkg",
    ".geojson",
    ".json",
    ".csv",
    ".txt",
    ".zip",
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qix",
    ".sbn",
    ".sbx",
    ".qmd",
    ".shp.xml",
    ".osm",
    ".pbf",
    ".osm.pbf",
    ".bz2",
    ".osm.bz2",
    ".xml",
    ".graphml",
    ".md",
)
#: Members of a zip that are skipped silently (archive tool droppings).
_IGNORED = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
#: File types accepted for single layers, and for the network.
LAYER_FILE_TYPES: tuple[str, ...] = ("gpkg", "geojson", "json", "zip", "csv", "txt")
NETWORK_FILE_TYPES: tuple[str, ...] = ("osm", "pbf", "bz2", "graphml", "gpkg", "geojson", "zip")
LAYER_ROLES: tuple[str, ...] = REQUIRED_LAYERS + OPTIONAL_LAYERS
#: Formats (:func:`geo.layers.file_format`) a network source may have.
NETWORK_FORMATS: tuple[str, ...] = ("osm", "osm.bz2", "osm.pbf", "graphml", "gpkg", "geojson", "shp", "zip")
#: The file written last into a folder the intake made (an unpacked zip, a study built from uploads); a zip's
#: folder without it is never used, and a study below it is loaded confined (:func:`made_by_intake`).
UNPACKED_MARKER = ".eldercircle-unpacked"

_DRIVE = re.compile(r"^[A-Za-z]:")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_CRS_CODE = re.compile(r"^\s*(?:[A-Za-z]+:\d+|\d+)\s*$")


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB"


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


def check_size(name: str, n_bytes: int, *, max_mb: float = MAX_UPLOAD_MB) -> None:
    """Refuse an upload above the limit, with the sizes in the message."""
    if n_bytes > max_mb * 1_000_000:
        raise StudyError(
            f"upload {name!r} is {_mb(n_bytes)}, above the {max_mb:g} MB limit; upload a smaller "
            "extract (clip the network to the study area) or run the app on your own machine with a "
            "local study folder"
        )


def safe_name(name: str) -> str:
    """A file name without folders or characters that could address another place (keeps Chinese)."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base).lstrip(".")
    return base or "upload"


def content_id(data: bytes) -> str:
    """A short digest naming an upload's folder (the same file uploaded twice lands in the same place)."""
    return hashlib.sha256(data).hexdigest()[:12]


# --- paths a study names ------------------------------------------------------------------------------------------


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
    if _URL.match(path_text) or path_text.lower().startswith("place:"):
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
    import bz2

    total = 0
    try:
        with bz2.open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise NetworkError(
                        f"{where} decompresses to more than {_mb(limit)} (a bzip2 bomb?); give a "
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


# --- zipped studies -----------------------------------------------------------------------------------------------


def _suffix_allowed(member: str) -> bool:
    lower = member.lower()
    return any(lower.endswith(s) for s in STUDY_FILE_TYPES)


def _unpack_study(archive: Path, root: Path, *, where: str, name: str, max_unpacked_bytes: int) -> None:
    """Check every member of ``archive`` and unpack the study's files under ``root``."""
    members = safe_zip_members(archive, where=where, name=name)
    files = [m for m in members if not m.endswith("/") and not _IGNORED.search(m)]
    unknown = [m for m in files if not _suffix_allowed(m)]
    if unknown:
        raise StudyError(
            f"{where}: {name} holds files of a type a study does not use: {', '.join(unknown[:8])}"
            + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
            + f"; remove them and zip again (accepted: {', '.join(STUDY_FILE_TYPES)})"
        )
    limit_mb = max_unpacked_bytes / 1_000_000

    def too_big(declared: int) -> str:
        return (
            f"{where}: {name} would unpack to {_mb(declared)}, more than {MAX_UNPACKED_FACTOR} times the "
            f"{limit_mb / MAX_UNPACKED_FACTOR:g} MB upload limit; upload a smaller study"
        )

    root.mkdir(parents=True, exist_ok=True)
    read_zip_members(
        archive,
        files,
        where=where,
        name=name,
        max_unpacked_bytes=max_unpacked_bytes,
        extract_to=root,
        on_size=too_big,
    )


def _study_root(root: Path, *, where: str, name: str) -> Path:
    tomls = sorted(p for p in root.rglob("study.toml") if p.is_file()) if root.exists() else []
    if not tomls:
        raise StudyError(
            f"{where} {name} holds no study.toml; zip the study folder that contains study.toml (run "
            "`eldercircle demo --out DIR` for an example)"
        )
    if len(tomls) > 1:
        listed = ", ".join(str(p.relative_to(root)) for p in tomls[:5])
        raise StudyError(
            f"{where} {name} holds {len(tomls)} study.toml files ({listed}); send one study at a time"
        )
    return tomls[0].parent


def study_from_zip(
    data: bytes, dest: Path, *, name: str = "study.zip", max_mb: float = MAX_UPLOAD_MB
) -> Path:
    """Unpack an uploaded zipped study folder into ``dest`` and return the folder holding its study.toml.

    Parameters
    ----------
    data : the zip file's bytes.
    dest : an empty folder of this browser session (created when missing; replaced when it exists).
    name : the uploaded file's name, for messages.
    max_mb : the upload limit in MB.

    Raises
    ------
    StudyError
        Too large; not a zip; damaged; a member escaping the folder, a link or of an unknown type; a zip bomb; no or
        several study.toml.
    """
    check_size(name, len(data), max_mb=max_mb)
    if not name.lower().endswith(".zip"):
        raise StudyError(
            f"upload {name!r} is not a .zip file; zip the study folder (with its study.toml) and upload "
            "the .zip, or upload single layers on the Data page"
        )
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = dest / safe_name(name)  # under the user's own file name: the loader's messages name the archive
    archive.write_bytes(data)
    root = dest / "study"
    try:
        _unpack_study(
            archive,
            root,
            where="uploaded study",
            name=name,
            max_unpacked_bytes=int(max_mb * MAX_UNPACKED_FACTOR * 1_000_000),
        )
    except StudyError:
        shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        archive.unlink(missing_ok=True)
    folder = _study_root(root, where="uploaded study", name=repr(name))
    (root / UNPACKED_MARKER).write_text("upload\n", encoding="utf-8")
    return folder


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _studies_dir() -> Path | None:
    from geo.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    folder = base / "studies"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def _remove_later(folder: Path) -> None:
    atexit.register(shutil.rmtree, folder, True)


def study_folder_from_zip(path: Path | str, *, max_mb: float = MAX_UPLOAD_MB) -> Path:
    """Unpack a zipped study given on the command line (after every check of :func:`study_from_zip`) and return the
    folder holding its study.toml.

    The folder is ``<cache>/studies/<sha256 of the zip>``, reused by later commands on the same zip; a marker file
    is written last, so a half-unpacked folder is never used. Files keep the zip's modification times, so the
    network cache (keyed by path, size and time) hits on the next command. When the cache is off or cannot be
    written, the zip is unpacked into a temporary folder removed when the program ends.

    Parameters
    ----------
    path : the ``.zip`` file.
    max_mb : the upload limit in MB; the zip may unpack to :data:`MAX_UNPACKED_FACTOR` times it.

    Raises
    ------
    StudyError
        One sentence naming the zip and the fix.
    """
    archive = Path(path).expanduser()
    where = "study"
    name = str(archive)
    if not archive.is_file():
        raise StudyError(
            f"study {archive} does not exist or is not a file; give the study folder or its .zip"
        )
    try:
        digest = _sha256_file(archive)
    except OSError as exc:
        raise StudyError(
            f"study {archive} cannot be read ({exc.strerror or type(exc).__name__}); check its permissions"
        ) from None
    limit = int(max_mb * MAX_UNPACKED_FACTOR * 1_000_000)
    studies = _studies_dir()
    if studies is not None:
        final = studies / digest
        if (final / UNPACKED_MARKER).is_file():
            return _study_root(final, where=where, name=name)
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=studies))
        except OSError:
            studies = None
    if studies is None:
        work = Path(tempfile.mkdtemp(prefix="eldercircle-study-"))
        _remove_later(work)
    try:
        _unpack_study(archive, work, where=where, name=name, max_unpacked_bytes=limit)
        _study_root(work, where=where, name=name)
        (work / UNPACKED_MARKER).write_text(digest + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if studies is None:
        return _study_root(work, where=where, name=name)
    final = studies / digest
    try:
        if final.exists() and not (final / UNPACKED_MARKER).is_file():
            shutil.rmtree(final, ignore_errors=True)  # a half-unpacked folder of an older run
        os.rename(work, final)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)  # another process unpacked the same zip first
        if not (final / UNPACKED_MARKER).is_file():
            raise StudyError(
                f"study {archive} could not be unpacked into {studies}; free some disk space or set "
                "ELDERCIRCLE_CACHE_DIR to a folder you can write to"
            ) from None
    return _study_root(final, where=where, name=name)


# --- single layers ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedLayer:
    """One uploaded layer file, read and ready for the column mapping.

    Attributes
    ----------
    role : ``communities``, ``facilities``, ``candidates`` or ``population``.
    path : the saved file in the session folder.
    columns : its attribute columns, in file order.
    rows : rows read.
    rejected : rows the reader could not use (e.g. CSV rows without coordinates), with ``row`` and ``reason``.
    notes : what the reader decided (encoding, coordinate columns).
    guess : canonical column -> file column, the automatic mapping (None where nothing matched).
    """

    role: str
    path: Path
    columns: tuple[str, ...]
    rows: int
    rejected: pd.DataFrame
    notes: tuple[str, ...]
    guess: dict[str, str | None]


def _normal(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "").replace("_", "")


def guess_mapping(columns: tuple[str, ...] | list[str], role: str) -> dict[str, str | None]:
    """Canonical column -> the file's column, matched on the canonical name then the accepted aliases."""
    available = {_normal(c): c for c in columns}
    used: set[str] = set()
    out: dict[str, str | None] = {}
    for col in LAYER_COLUMNS[role]:
        out[col.name] = None
        for candidate in (col.name, *col.aliases):
            hit = available.get(_normal(candidate))
            if hit is not None and hit not in used:
                out[col.name] = hit
                used.add(hit)
                break
    return out


def save_upload(data: bytes, name: str, folder: Path, *, max_mb: float = MAX_UPLOAD_MB) -> Path:
    """Write an uploaded layer or network file into ``folder`` under a safe name, after the checks every file gets.

    The first bytes must match the format the name claims (:func:`geo.layers.check_file_format`); a zip (a zipped
    Shapefile) is checked member by member as a zipped study is (paths, links, types, size, CRC). A refused file is
    removed again.

    Raises
    ------
    StudyError
        Too large, of another format than its name says, or a refused zip.
    """
    check_size(name, len(data), max_mb=max_mb)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    path.write_bytes(data)
    where = f"uploaded file {name!r}"
    try:
        if file_format(path) is None:
            raise StudyError(
                f"{where} is of a type the app does not read; upload a GeoPackage, GeoJSON, zipped "
                "Shapefile or CSV layer, or an OSM (.osm, .osm.bz2, .osm.pbf) or GraphML network"
            )
        check_file_format(path, where=where)
        if path.suffix.lower() == ".zip":
            members = safe_zip_members(path, where=where, name=name)
            unknown = [
                m
                for m in members
                if not m.endswith("/") and not _IGNORED.search(m) and not _suffix_allowed(m)
            ]
            if unknown:
                raise StudyError(
                    f"{where} holds files of a type a layer does not use: {', '.join(unknown[:8])}; zip "
                    "only the Shapefile's .shp, .shx, .dbf, .prj (and .cpg)"
                )
            read_zip_members(
                path, where=where, name=name, max_unpacked_bytes=int(max_mb * MAX_UNPACKED_FACTOR * 1_000_000)
            )
    except StudyError:
        path.unlink(missing_ok=True)
        raise
    return path


def read_uploaded_layer(path: Path, role: str) -> UploadedLayer:
    """Read an uploaded layer for the mapping step (the loader's messages pass through as :class:`LayerError`)."""
    if role not in LAYER_ROLES:
        raise StudyError(f"unknown layer role {role!r}; use one of {', '.join(LAYER_ROLES)}")
    raw: RawLayer = read_layer(str(path), name=role)
    columns = tuple(str(c) for c in raw.frame.columns if c not in ("geometry", "_row"))
    return UploadedLayer(
        role=role,
        path=Path(path),
        columns=columns,
        rows=len(raw.frame),
        rejected=raw.rejected,
        notes=raw.notes,
        guess=guess_mapping(columns, role),
    )


def check_mapping(role: str, mapping: dict[str, str | None], columns: tuple[str, ...]) -> None:
    """Refuse a mapping that misses a required column or uses one file column twice."""
    missing = [c.name for c in LAYER_COLUMNS[role] if c.required and not mapping.get(c.name)]
    if missing:
        raise StudyError(f"{role} layer: choose the file's column for {', '.join(missing)} (required)")
    chosen = [v for v in mapping.values() if v]
    twice = sorted({v for v in chosen if chosen.count(v) > 1})
    if twice:
        raise StudyError(
            f"{role} layer: column {', '.join(map(repr, twice))} is chosen for more than one field; "
            "pick each file column once"
        )
    stray = [v for v in chosen if v not in columns]
    if stray:
        raise StudyError(f"{role} layer: column {', '.join(map(repr, stray))} is not in the file")


def _toml_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def study_from_layers(
    dest: Path,
    layers: dict[str, tuple[Path, dict[str, str | None]]],
    *,
    network: Path | None,
    name: str = "上传的研究区",
    coords: str = "wgs84",
    preset: str = "national",
) -> Path:
    """Write a study folder from single layers and their column mappings; returns the folder.

    Each layer is read, its mapped columns renamed to the canonical names (other columns kept; a column already
    named like a canonical one but not chosen is renamed ``<name>_orig``), and written to ``layers.gpkg``; the
    network file is copied; ``study.toml`` names them. The loader then validates everything as for any study.

    Parameters
    ----------
    dest : the session's folder for this study (replaced when it exists).
    layers : role -> (uploaded file, canonical column -> file column or None).
    network : the uploaded network file (OSM, GraphML or centrelines), or None.
    name : the study's display name.
    coords : ``wgs84``, ``gcj02`` or ``bd09``: the system of the layers' longitudes/latitudes.
    preset : the standards preset.
    """
    for role in REQUIRED_LAYERS:
        if role not in layers:
            raise StudyError(
                f"the {role} layer is required; upload it (GeoPackage, GeoJSON, zipped Shapefile or CSV "
                "with lon/lat columns)"
            )
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[str] = []
    for role in LAYER_ROLES:  # every layer checked before anything is written; one message for all
        if role not in layers:
            continue
        path, mapping = layers[role]
        frame = read_layer(str(path), name=role).frame
        try:
            check_mapping(
                role, mapping, tuple(str(c) for c in frame.columns if c not in ("geometry", "_row"))
            )
        except StudyError as exc:
            problems.append(str(exc))
        frames[role] = frame
    if problems:
        raise StudyError("; ".join(problems))
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    gpkg = dest / "layers.gpkg"
    entries = []
    for role, frame in frames.items():
        mapping = layers[role][1]
        columns = tuple(str(c) for c in frame.columns if c not in ("geometry", "_row"))
        chosen = {src: canon for canon, src in mapping.items() if src}
        rename: dict[str, str] = {}
        for col in columns:
            if col in chosen:
                rename[col] = chosen[col]
            elif col in mapping:  # named like a canonical column the user did not choose for it
                rename[col] = f"{col}_orig"
        out = frame.rename(columns=rename)
        if "_row" in out:
            out = out.rename(columns={"_row": "source_row"})
        gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs).to_file(gpkg, layer=role, driver="GPKG")
        entries.append(f'{role} = "layers.gpkg#{role}"')
    lines = [
        "# written by the eldercircle app from uploaded layers and the column mapping chosen there",
        "[study]",
        f"name = {_toml_string(name)}",
        f"coords = {_toml_string(coords)}",
        "",
        "[layers]",
        *entries,
    ]
    if network is not None:
        target = dest / safe_name(Path(network).name)
        shutil.copyfile(network, target)
        lines += ["", "[network]", f"source = {_toml_string(target.name)}"]
    lines += ["", "[standards]", f"preset = {_toml_string(preset)}", ""]
    (dest / "study.toml").write_text("\n".join(lines), encoding="utf-8")
    (dest / UNPACKED_MARKER).write_text("upload\n", encoding="utf-8")
    return dest
