"""Studies uploaded through the browser: a zipped study folder, or single layers with a column mapping.

No Streamlit here (the sidebar and the Data page call these; the guard at the end only runs when Streamlit
runs this file as a page), so the safety rules can be tested directly:
- an upload larger than the stated limit is refused;
- a zip member whose path escapes the folder (``../x``, ``/etc/x``, ``C:\\x``) is refused
  (:func:`geo.layers.safe_zip_members`), and so is a member of a file type a study does not use;
- a zip that would unpack to more than :data:`MAX_UNPACKED_FACTOR` times the limit is refused (zip bombs).
Every upload is written under the browser session's own temporary folder, so sessions never see each other's data.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from geo.errors import LayerError, StudyError
from geo.layers import RawLayer, read_layer, safe_zip_members
from planning.schema import LAYER_COLUMNS, OPTIONAL_LAYERS, REQUIRED_LAYERS

#: Upload limit stated in the UI; the same number is ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 200
#: A zip may unpack to at most this many times the upload limit.
MAX_UNPACKED_FACTOR = 5
#: File types a study folder may hold (layers, Shapefile parts, networks, the study file, notes).
STUDY_FILE_TYPES: tuple[str, ...] = (
    ".toml", ".gpkg", ".geojson", ".json", ".csv", ".txt", ".zip",
    ".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd", ".shp.xml",
    ".osm", ".pbf", ".osm.pbf", ".bz2", ".osm.bz2", ".xml", ".graphml", ".md",
)
#: Members of a zip that are skipped silently (archive tool droppings).
_IGNORED = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
#: File types accepted for single layers, and for the network.
LAYER_FILE_TYPES: tuple[str, ...] = ("gpkg", "geojson", "json", "zip", "csv", "txt")
NETWORK_FILE_TYPES: tuple[str, ...] = ("osm", "pbf", "bz2", "graphml", "gpkg", "geojson", "zip")
LAYER_ROLES: tuple[str, ...] = REQUIRED_LAYERS + OPTIONAL_LAYERS


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB"


def check_size(name: str, n_bytes: int, *, max_mb: float = MAX_UPLOAD_MB) -> None:
    """Refuse an upload above the limit, with the sizes in the message."""
    if n_bytes > max_mb * 1_000_000:
        raise StudyError(f"upload {name!r} is {_mb(n_bytes)}, above the {max_mb:g} MB limit; upload a smaller "
                         "extract (clip the network to the study area) or run the app on your own machine with a "
                         "local study folder")


def safe_name(name: str) -> str:
    """A file name without folders or characters that could address another place (keeps Chinese)."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base).lstrip(".")
    return base or "upload"


def _suffix_allowed(member: str) -> bool:
    lower = member.lower()
    return any(lower.endswith(s) for s in STUDY_FILE_TYPES)


def study_from_zip(data: bytes, dest: Path, *, name: str = "study.zip", max_mb: float = MAX_UPLOAD_MB) -> Path:
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
        Too large; not a zip; a member escaping the folder or of an unknown type; no or several study.toml.
    """
    check_size(name, len(data), max_mb=max_mb)
    if not name.lower().endswith(".zip"):
        raise StudyError(f"upload {name!r} is not a .zip file; zip the study folder (with its study.toml) and upload "
                         "the .zip, or upload single layers on the Data page")
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = dest / safe_name(name)  # under the user's own file name: the loader's messages name the archive
    archive.write_bytes(data)
    where = f"uploaded study {name!r}"
    members = safe_zip_members(archive, where="uploaded study")
    files = [m for m in members if not m.endswith("/") and not _IGNORED.search(m)]
    unknown = [m for m in files if not _suffix_allowed(m)]
    if unknown:
        raise StudyError(f"{where} holds files of a type a study does not use: {', '.join(unknown[:8])}"
                         + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
                         + f"; remove them and zip again (accepted: {', '.join(STUDY_FILE_TYPES)})")
    with zipfile.ZipFile(archive) as zf:
        unpacked = sum(zf.getinfo(m).file_size for m in files)
        if unpacked > max_mb * MAX_UNPACKED_FACTOR * 1_000_000:
            raise StudyError(f"{where} would unpack to {_mb(unpacked)}, more than {MAX_UNPACKED_FACTOR} times the "
                             f"{max_mb:g} MB upload limit; upload a smaller study")
        root = dest / "study"
        for m in files:
            target = root.joinpath(*PurePosixPath(m.replace("\\", "/")).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    archive.unlink()
    tomls = sorted(p for p in root.rglob("study.toml") if p.is_file()) if root.exists() else []
    if not tomls:
        raise StudyError(f"{where} holds no study.toml; zip the study folder that contains study.toml (run "
                         "`eldercircle demo --out DIR` for an example)")
    if len(tomls) > 1:
        listed = ", ".join(str(p.relative_to(root)) for p in tomls[:5])
        raise StudyError(f"{where} holds {len(tomls)} study.toml files ({listed}); upload one study at a time")
    return tomls[0].parent


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
    """Write an uploaded file into ``folder`` under a safe name; zips are checked for escaping members."""
    check_size(name, len(data), max_mb=max_mb)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    path.write_bytes(data)
    if path.suffix.lower() == ".zip":
        try:
            members = safe_zip_members(path, where=f"uploaded file {name!r}")
        except LayerError:
            path.unlink()
            raise
        unknown = [m for m in members if not m.endswith("/") and not _IGNORED.search(m) and not _suffix_allowed(m)]
        if unknown:
            path.unlink()
            raise StudyError(f"uploaded file {name!r} holds files of a type a layer does not use: "
                             f"{', '.join(unknown[:8])}; zip only the Shapefile's .shp, .shx, .dbf, .prj (and .cpg)")
    return path


def read_uploaded_layer(path: Path, role: str) -> UploadedLayer:
    """Read an uploaded layer for the mapping step (the loader's messages pass through as :class:`LayerError`)."""
    if role not in LAYER_ROLES:
        raise StudyError(f"unknown layer role {role!r}; use one of {', '.join(LAYER_ROLES)}")
    raw: RawLayer = read_layer(str(path), name=role)
    columns = tuple(str(c) for c in raw.frame.columns if c not in ("geometry", "_row"))
    return UploadedLayer(role=role, path=Path(path), columns=columns, rows=len(raw.frame), rejected=raw.rejected,
                         notes=raw.notes, guess=guess_mapping(columns, role))


def check_mapping(role: str, mapping: dict[str, str | None], columns: tuple[str, ...]) -> None:
    """Refuse a mapping that misses a required column or uses one file column twice."""
    missing = [c.name for c in LAYER_COLUMNS[role] if c.required and not mapping.get(c.name)]
    if missing:
        raise StudyError(f"{role} layer: choose the file's column for {', '.join(missing)} (required)")
    chosen = [v for v in mapping.values() if v]
    twice = sorted({v for v in chosen if chosen.count(v) > 1})
    if twice:
        raise StudyError(f"{role} layer: column {', '.join(map(repr, twice))} is chosen for more than one field; "
                         "pick each file column once")
    stray = [v for v in chosen if v not in columns]
    if stray:
        raise StudyError(f"{role} layer: column {', '.join(map(repr, stray))} is not in the file")


def _toml_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def study_from_layers(dest: Path, layers: dict[str, tuple[Path, dict[str, str | None]]], *,
                      network: Path | None, name: str = "上传的研究区", coords: str = "wgs84",
                      preset: str = "national") -> Path:
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
            raise StudyError(f"the {role} layer is required; upload it (GeoPackage, GeoJSON, zipped Shapefile or CSV "
                             "with lon/lat columns)")
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[str] = []
    for role in LAYER_ROLES:  # every layer checked before anything is written; one message for all
        if role not in layers:
            continue
        path, mapping = layers[role]
        frame = read_layer(str(path), name=role).frame
        try:
            check_mapping(role, mapping, tuple(str(c) for c in frame.columns if c not in ("geometry", "_row")))
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
        entries.append(f"{role} = \"layers.gpkg#{role}\"")
    lines = ["# written by the eldercircle app from uploaded layers and the column mapping chosen there",
             "[study]", f"name = {_toml_string(name)}", f"coords = {_toml_string(coords)}", "", "[layers]", *entries]
    if network is not None:
        target = dest / safe_name(Path(network).name)
        shutil.copyfile(network, target)
        lines += ["", "[network]", f"source = {_toml_string(target.name)}"]
    lines += ["", "[standards]", f"preset = {_toml_string(preset)}", ""]
    (dest / "study.toml").write_text("\n".join(lines), encoding="utf-8")
    return dest


def content_id(data: bytes) -> str:
    """A short digest naming an upload's folder (the same file uploaded twice lands in the same place)."""
    return hashlib.sha256(data).hexdigest()[:12]


if __name__ == "__main__":  # run as a page by Streamlit's legacy pages/ discovery: not a page, go to the app
    from pages.common import hand_over_to_router

    hand_over_to_router()
