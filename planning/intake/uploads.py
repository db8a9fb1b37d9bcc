"""Single uploaded layers: saved after the checks every file gets, read for the column mapping, and written into a
study folder the loader then validates as any other.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import StudyError
from geo.layers import (
    RawLayer,
    check_file_format,
    file_format,
    read_layer,
    read_zip_members,
    safe_zip_members,
)
from geo.messages import Message
from planning.i18n import message
from planning.intake.limits import (
    IGNORED_MEMBERS,
    MAX_UNPACKED_FACTOR,
    MAX_UPLOAD_MB,
    check_size,
    safe_name,
    suffix_allowed,
)
from planning.intake.paths import UNPACKED_MARKER
from planning.schema import LAYER_COLUMNS, OPTIONAL_LAYERS, REQUIRED_LAYERS
from planning.validation import match_columns

#: File types accepted for single layers, and for the network.
LAYER_FILE_TYPES: tuple[str, ...] = ("gpkg", "geojson", "json", "zip", "csv", "txt")
NETWORK_FILE_TYPES: tuple[str, ...] = ("osm", "pbf", "bz2", "graphml", "gpkg", "geojson", "zip")
LAYER_ROLES: tuple[str, ...] = REQUIRED_LAYERS + OPTIONAL_LAYERS


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
    notes : what the reader decided (encoding, coordinate columns), as codes with parameters (``str()`` gives the
        English, :func:`planning.i18n.say` the Chinese).
    guess : canonical column -> file column, the automatic mapping (None where nothing matched).
    """

    role: str
    path: Path
    columns: tuple[str, ...]
    rows: int
    rejected: pd.DataFrame
    notes: tuple[Message, ...]
    guess: dict[str, str | None]


def guess_mapping(columns: tuple[str, ...] | list[str], role: str) -> dict[str, str | None]:
    """Canonical column -> the file's column, matched on the canonical name then the accepted aliases (as the
    loader matches them, :func:`planning.validation.match_columns`); None where nothing matched."""
    found = match_columns(columns, role)
    return {col.name: found.get(col.name) for col in LAYER_COLUMNS[role]}


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
    said = message("err_where_uploaded_file", name=name)
    where = str(said)
    try:
        if file_format(path) is None:
            raise StudyError(message("err_upload_type", where=said))
        check_file_format(path, where=where)
        if path.suffix.lower() == ".zip":
            members = safe_zip_members(path, where=where, name=name)
            unknown = [
                m
                for m in members
                if not m.endswith("/") and not IGNORED_MEMBERS.search(m) and not suffix_allowed(m)
            ]
            if unknown:
                raise StudyError(message("err_upload_zip_types", where=said, files=", ".join(unknown[:8])))
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
        raise StudyError(message("err_layer_role", role=role, roles=", ".join(LAYER_ROLES)))
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
        raise StudyError(message("err_mapping_missing", role=role, columns=", ".join(missing)))
    chosen = [v for v in mapping.values() if v]
    twice = sorted({v for v in chosen if chosen.count(v) > 1})
    if twice:
        raise StudyError(message("err_mapping_twice", role=role, columns=", ".join(map(repr, twice))))
    stray = [v for v in chosen if v not in columns]
    if stray:
        raise StudyError(message("err_mapping_stray", role=role, columns=", ".join(map(repr, stray))))


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
    frames = _read_mapped_layers(layers)
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    gpkg = dest / "layers.gpkg"
    entries = []
    for role, frame in frames.items():
        _write_mapped_layer(frame, layers[role][1], gpkg, role=role)
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


def _read_mapped_layers(layers: dict[str, tuple[Path, dict[str, str | None]]]) -> dict[str, gpd.GeoDataFrame]:
    """Every layer read and its mapping checked before anything is written; one message for all problems."""
    for role in REQUIRED_LAYERS:
        if role not in layers:
            raise StudyError(message("err_layer_required", role=role))
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[Message | str] = []
    for role in LAYER_ROLES:
        if role not in layers:
            continue
        path, mapping = layers[role]
        frame = read_layer(str(path), name=role).frame
        try:
            check_mapping(
                role, mapping, tuple(str(c) for c in frame.columns if c not in ("geometry", "_row"))
            )
        except StudyError as exc:
            problems.append(exc.message or str(exc))
        frames[role] = frame
    if problems:
        said = problems[-1]
        for problem in reversed(problems[:-1]):
            said = message("err_parts", first=problem, rest=said)
        raise StudyError(said)
    return frames


def _write_mapped_layer(
    frame: gpd.GeoDataFrame, mapping: dict[str, str | None], gpkg: Path, *, role: str
) -> None:
    """Write one layer into ``gpkg`` with its chosen columns renamed to the canonical names (a column already named
    like a canonical one but not chosen becomes ``<name>_orig``; the reader's row numbers become ``source_row``)."""
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
