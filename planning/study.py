"""The study: a folder with ``study.toml`` naming its layers, loaded into one projected CRS and validated.

``study.toml``::

    [study]
    name = "信州区"                 # shown in titles
    crs = "EPSG:4547"              # optional working CRS (projected); default: the UTM zone of the centroid
    coords = "wgs84"               # wgs84 | gcj02 | bd09: the system of lon/lat layers (Amap/Tencent = gcj02,
                                   # Baidu = bd09). GCJ-02 data declared as WGS84 cannot be detected reliably
                                   # (it is only shifted by 100–700 m): say it here.
    [layers]
    communities = "communities.gpkg#communities"
    facilities = "facilities.csv"
    candidates = { path = "candidates.zip", encoding = "gb18030", crs = "EPSG:4547", coords = "gcj02" }
    population = "population.gpkg#elder_density"
    [network]
    source = "streets.osm"         # .osm/.osm.pbf/.osm.bz2, .graphml, a centreline layer, or "place:<name>"
    walk_speed_m_s = 1.0
    [standards]
    preset = "national"
    [standards.overrides]
    land_per_resident_m2 = 0.2

A study may also be given as a ``.zip`` of such a folder: it is checked and unpacked through
:mod:`planning.intake`, and then *confined*: every layer path and the network source must be relative and stay inside
the study (no absolute path, ``~``, ``..``, drive letter, symbolic link), and ``place:`` and URLs are refused. Folder
studies on the analyst's own machine are free, unless ``ELDERCIRCLE_PUBLIC=1`` confines them too. Everywhere, files
are opened only as the format their first bytes show, and GDAL virtual paths (``/vsi...``) are refused.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo import crs as geocrs
from geo.errors import LayerError, NetworkError, OptionError, StudyError
from geo.layers import LayerSource, check_source_text, check_swapped_lon_lat, parse_layer_spec, read_layer
from planning.census import census_path, fill_elderly, read_census
from planning.i18n import message, say
from planning.intake import (
    check_crs_text,
    confine_path,
    made_by_intake,
    named_by_zip,
    public_mode,
    study_folder_from_zip,
)
from planning.progress import Progress, named, silent
from planning.schema import FACILITY_KINDS, OPTIONAL_LAYERS, REQUIRED_LAYERS
from planning.settings import (
    STUDY_FILE,
    DemandSettings,
    NetworkSettings,
    StandardsSettings,
    demand_settings,
    network_settings,
    standards_settings,
    study_note,
    toml_table,
    unknown_entries,
)
from planning.validation import Finding, validate_layer

_LAYER_OPTIONS = {"path", "encoding", "crs", "coords"}


@dataclass(frozen=True, eq=False)
class Study:
    """A loaded, validated study; every layer in ``crs`` (projected, metres).

    Attributes
    ----------
    folder : the study folder.
    name, name_en : display names.
    synthetic : True for invented data (the demo); the UI says so and shows no basemap by default.
    data_date : the date of the data, for published maps.
    sources : where the data come from, for published maps (``sources_en``: the same in English, where given).
    coords : the coordinate system of lon/lat layers as stated (wgs84, gcj02, bd09).
    crs : the working projected CRS.
    communities, facilities : required layers (polygons; points).
    candidates, population : optional layers (points) or None.
    network : network settings.
    standards : standards preset and overrides.
    findings : everything the loader read, mapped, repaired and rejected.
    rejected : rejected rows per layer, as given, with the reason.
    layer_sources : each layer's file as named in study.toml.
    confined : True when the study was loaded confined (a zip, an upload, or ``ELDERCIRCLE_PUBLIC=1``): its paths
        stay inside ``folder``.
    origin : the ``.zip`` the study was unpacked from, or None for a folder.
    demand : how the elderly are placed inside communities (``[demand]``).
    buildings, compounds : optional polygon layers the elderly are placed by (residential buildings; 小区 with
        their own elderly or households), or None.
    """

    folder: Path
    name: str
    name_en: str
    synthetic: bool
    data_date: str
    sources: tuple[str, ...]
    coords: str
    crs: pyproj.CRS
    communities: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame | None
    population: gpd.GeoDataFrame | None
    network: NetworkSettings
    standards: StandardsSettings
    findings: tuple[Finding, ...]
    rejected: dict[str, pd.DataFrame]
    layer_sources: dict[str, str]
    confined: bool = False
    origin: Path | None = None
    demand: DemandSettings = field(default_factory=DemandSettings)
    buildings: gpd.GeoDataFrame | None = None
    compounds: gpd.GeoDataFrame | None = None
    sources_en: tuple[str, ...] = ()

    def sources_in(self, lang: str) -> str:
        """The data sources as one line in ``lang`` (``sources_en`` in English where given), or a dash."""
        if lang == "en":
            return "; ".join(self.sources_en or self.sources) or "—"
        return "；".join(self.sources) or "—"

    @property
    def n_rejected(self) -> int:
        """Number of rows rejected over all layers."""
        return int(sum(len(r) for r in self.rejected.values()))

    def network_source_path(self) -> str | None:
        """The network source resolved against the study folder (``place:`` names unchanged).

        In a confined study the path is checked again to stay inside the folder (never ``~``-expanded)."""
        src = self.network.source
        if src is None:
            return None
        layer = ("#" + src.split("#", 1)[1]) if "#" in src else ""
        if self.confined:
            full = confine_path(
                src,
                self.folder,
                where=message("err_where_study_source", study=str(self.origin or self.folder)),
                error=NetworkError,
            )
            return str(full) + layer
        if src.startswith("place:"):
            return src
        path = Path(src.split("#")[0]).expanduser()
        full = path if path.is_absolute() else self.folder / path
        return str(full) + layer


def read_study_toml(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """Find and parse ``study.toml`` (``path`` is the folder or the file itself)."""
    p = Path(path).expanduser()
    toml_path = p if p.suffix.lower() == ".toml" else p / STUDY_FILE
    if not p.exists():
        raise StudyError(message("err_study_missing", path=str(p)))
    if not toml_path.is_file():
        raise StudyError(message("err_study_no_toml", path=str(p)))
    try:
        config = tomllib.loads(toml_path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(message("err_toml_invalid", path=str(toml_path), error=str(exc))) from None
    except UnicodeDecodeError:
        raise StudyError(message("err_toml_not_utf8", path=str(toml_path))) from None
    return toml_path.parent, config


def load_study(path: str | Path, *, progress: Progress | None = None, confined: bool | None = None) -> Study:
    """Load a study folder or zip: read every layer, map columns, convert coordinates, project, validate.

    Parameters
    ----------
    path : the study folder (or its ``study.toml``), or a ``.zip`` of the folder (checked and unpacked through
        :func:`planning.intake.study_folder_from_zip`).
    progress : optional callback ``(fraction, message)`` for long loads.
    confined : keep every path the study names inside its folder, refuse ``place:`` and URLs
        (:func:`planning.intake.confine_path`). None (default): confined for a zip, for a folder the intake made
        from uploads (:func:`planning.intake.made_by_intake`), and for anything when ``ELDERCIRCLE_PUBLIC=1``;
        folders on this machine are free otherwise.

    Returns
    -------
    Study
        Rows that failed validation are kept in ``Study.rejected`` and listed in ``Study.findings``.

    Raises
    ------
    StudyError
        For a missing or malformed study.toml, or a layer that cannot be read as a whole (LayerError); for a zip,
        the message names the zip (and paths inside it), not the folder it was unpacked into.
    """
    given = Path(path).expanduser()
    origin: Path | None = None
    if given.suffix.lower() == ".zip":
        origin = given
        given = study_folder_from_zip(given)
        if confined is None:
            confined = True
    if confined is None:
        confined = public_mode() or made_by_intake(given if given.is_dir() else given.parent)
    if origin is None:
        return _load_folder(given, progress=progress, confined=confined, origin=None)
    try:
        return _load_folder(given, progress=progress, confined=confined, origin=origin)
    except StudyError as exc:
        raise named_by_zip(exc, given, origin) from None


def _load_folder(path: Path, *, progress: Progress | None, confined: bool, origin: Path | None) -> Study:
    folder, config = read_study_toml(path)
    if confined and (folder / STUDY_FILE).is_symlink():
        raise StudyError(message("err_toml_symlink", path=str(folder / STUDY_FILE)))
    toml_label = str(folder / STUDY_FILE)
    findings = unknown_entries(config)
    info = toml_table(config, "study", toml_label)
    layers_cfg = toml_table(config, "layers", toml_label)
    coords = str(info.get("coords", "wgs84")).lower()
    if coords not in geocrs.COORD_SYSTEMS:
        raise OptionError(
            message(
                "err_study_coords", toml=toml_label, coords=coords, systems=", ".join(geocrs.COORD_SYSTEMS)
            )
        )
    findings += _layer_entries(layers_cfg, toml_label)
    read = _read_layers(
        layers_cfg, folder=folder, coords=coords, toml_label=toml_label, confined=confined, progress=progress
    )
    findings += read.findings
    demand = demand_settings(config, toml_label)
    if demand.census is not None:
        census = read_census(
            census_path(demand.census, folder, toml_label=toml_label, confined=confined), label=demand.census
        )
        read.frames["communities"], filled = fill_elderly(
            read.frames["communities"], census, source=read.labels["communities"]
        )
        findings += filled
    if confined:
        check_crs_text(info.get("crs"), where=f"{toml_label}: [study] crs")
    target = _working_crs(info, read.frames["communities"], toml_label=toml_label, findings=findings)
    layers = _validate_layers(read, target, findings=findings, progress=progress)
    _check_layers_overlap(layers, read.labels)
    network = network_settings(config, folder, toml_label=toml_label, confined=confined, findings=findings)
    standards = standards_settings(config, toml_label)
    (progress or silent)(1.0, message("progress_study_loaded"))
    return Study(
        folder=folder,
        name=str(info.get("name", folder.name)),
        name_en=str(info.get("name_en", info.get("name", folder.name))),
        synthetic=bool(info.get("synthetic", False)),
        data_date=str(info.get("data_date", "")),
        sources=tuple(str(s) for s in info.get("sources", ())),
        sources_en=tuple(str(s) for s in info.get("sources_en", info.get("sources", ()))),
        coords=coords,
        crs=target,
        communities=layers["communities"],
        facilities=layers["facilities"],
        candidates=layers["candidates"],
        population=layers["population"],
        buildings=layers["buildings"],
        compounds=layers["compounds"],
        network=network,
        standards=standards,
        findings=tuple(findings),
        rejected=read.rejected,
        layer_sources=read.labels,
        confined=confined,
        origin=origin,
        demand=demand,
    )


def _layer_entries(layers_cfg: dict[str, Any], toml_label: str) -> list[Finding]:
    """Refuse a [layers] table without a required layer; a note for each entry that names no known layer."""
    for name in REQUIRED_LAYERS:
        if name not in layers_cfg:
            raise StudyError(message("err_layers_no_entry", toml=toml_label, name=name))
    known = REQUIRED_LAYERS + OPTIONAL_LAYERS
    return [
        study_note(
            f"[layers] {name} is not a known layer and is ignored (known: {', '.join(known)})",
            f"[layers] 中的 {name} 不是已知图层，已忽略（已知图层：{'、'.join(known)}）",
        )
        for name in layers_cfg
        if name not in known
    ]


@dataclass(frozen=True)
class _ReadLayers:
    """The layers as read, in their own CRS, before validation."""

    frames: dict[str, gpd.GeoDataFrame]
    labels: dict[str, str]
    rejected: dict[str, pd.DataFrame]
    findings: list[Finding]


def _read_layers(
    layers_cfg: dict[str, Any],
    *,
    folder: Path,
    coords: str,
    toml_label: str,
    confined: bool,
    progress: Progress | None,
) -> _ReadLayers:
    names = [n for n in REQUIRED_LAYERS + OPTIONAL_LAYERS if n in layers_cfg]
    read = _ReadLayers(frames={}, labels={}, rejected={}, findings=[])
    step = progress or silent
    for i, name in enumerate(names):
        step(i / (len(names) + 1), message("progress_reading_layer", name=named("layer", name)))
        frame, label, read_findings, read_rejects = _read_one(
            name,
            layers_cfg[name],
            folder=folder,
            study_coords=coords,
            toml_label=toml_label,
            confined=confined,
        )
        read.frames[name], read.labels[name] = frame, label
        read.findings.extend(read_findings)
        if len(read_rejects):
            read.rejected[name] = read_rejects
    return read


def _working_crs(
    info: dict[str, Any], communities: gpd.GeoDataFrame, *, toml_label: str, findings: list[Finding]
) -> pyproj.CRS:
    """The study's one projected CRS, chosen once: the declared one, else the UTM zone of the communities' centre;
    said in ``findings``, with a warning when a declared CRS is meant for another area."""
    lon, lat = _centre_lon_lat(communities)
    declared = info.get("crs")
    target = geocrs.working_crs(declared=declared, lon=lon, lat=lat, context=f"{toml_label} [study] crs")
    findings.append(
        study_note(
            f"working CRS {target.name} ({target.to_string()})"
            + ("" if declared else f", the UTM zone of the communities' centre {lon:.4f}E {lat:.4f}N"),
            f"工作坐标系为 {target.name}（{target.to_string()}）"
            + ("" if declared else f"，即社区/村中心 {lon:.4f}E {lat:.4f}N 所在的 UTM 投影带"),
        )
    )
    area = target.area_of_use
    if (
        declared
        and area is not None
        and not (area.west <= lon <= area.east and area.south <= lat <= area.north)
    ):
        findings.append(
            study_note(
                f"the declared CRS {target.to_string()} is meant for {area.west:g}–{area.east:g}E, "
                f"{area.south:g}–{area.north:g}N, but the communities' centre is {lon:.3f}E {lat:.3f}N; "
                "distances there are stretched: choose the zone that contains the study",
                f"声明的坐标系 {target.to_string()} 适用于 {area.west:g}–{area.east:g}E、"
                f"{area.south:g}–{area.north:g}N，但社区/村中心位于 {lon:.3f}E {lat:.3f}N，距离会失真；"
                "请选择包含研究区的投影带",
            )
        )
    return target


def _validate_layers(
    read: _ReadLayers,
    target: pyproj.CRS,
    *,
    findings: list[Finding],
    progress: Progress | None,
) -> dict[str, gpd.GeoDataFrame | None]:
    """Every layer projected to ``target`` and validated; rejected rows join ``read.rejected``."""
    layers: dict[str, gpd.GeoDataFrame | None] = {n: None for n in REQUIRED_LAYERS + OPTIONAL_LAYERS}
    n = len(read.frames)
    step = progress or silent
    for name, frame in read.frames.items():
        step((n + 0.5) / (n + 1), message("progress_validating_layer", name=named("layer", name)))
        validated = validate_layer(frame.to_crs(target), name, source=read.labels[name])
        findings.extend(validated.findings)
        if len(validated.rejected):
            read.rejected[name] = pd.concat(
                [read.rejected.get(name, pd.DataFrame()), validated.rejected], ignore_index=True
            )
        layers[name] = validated.frame
    return layers


def _read_one(
    name: str, cfg: Any, *, folder: Path, study_coords: str, toml_label: str, confined: bool = False
) -> tuple[gpd.GeoDataFrame, str, list[Finding], pd.DataFrame]:
    opts = _layer_options(name, cfg, toml_label)
    check_source_text(opts["path"], where=f"{toml_label}: [layers] {name} {opts['path']!r}")
    if confined:
        confine_path(opts["path"], folder, where=f"{toml_label}: [layers] {name}", error=LayerError)
        check_crs_text(opts.get("crs"), where=f"{toml_label}: [layers] {name} crs")
    source: LayerSource = parse_layer_spec(opts["path"], base_dir=folder)
    layer = read_layer(source, encoding=opts.get("encoding"), crs=opts.get("crs"), name=name)
    findings = [Finding(name, source.label, None, "note", str(n), say(n, "zh")) for n in layer.notes]
    where = f"{name} layer {source.label!r}"
    frame = layer.frame
    if frame.empty:
        raise LayerError(message("err_layer_no_rows", layer=name, source=source.label))
    coords = str(opts.get("coords", study_coords)).lower()
    if coords not in geocrs.COORD_SYSTEMS:
        systems = ", ".join(geocrs.COORD_SYSTEMS)
        raise OptionError(
            message("err_layer_coords", toml=toml_label, name=name, coords=coords, systems=systems)
        )
    geocrs.check_coords_fit(frame.crs, coords, layer=name, source=source.label, own="coords" in opts)
    if frame.crs.is_geographic:
        check_swapped_lon_lat(frame, where=where)
        if coords != "wgs84":
            frame = frame.copy()
            frame.geometry = gpd.GeoSeries(
                geocrs.geometries_to_wgs84(frame.geometry.to_numpy(), coords=coords),
                crs=frame.crs,
                index=frame.index,
            )
            en = f"coordinates converted from {coords.upper()} to WGS84 as study.toml states"
            zh = f"已按 study.toml 的设置将坐标由 {coords.upper()} 转换为 WGS84"
            findings.append(Finding(name, source.label, None, "repaired", en, zh))
    elif coords != "wgs84":
        en = f"coords = {coords} ignored: the layer is in the projected CRS {frame.crs.name}"
        zh = f"coords = {coords} 未采用：该图层为投影坐标系 {frame.crs.name}"
        findings.append(Finding(name, source.label, None, "note", en, zh))
    rejected = layer.rejected
    if len(rejected):
        for row, reason, note in zip(
            rejected["row"], rejected["reason"], layer.rejected_reasons, strict=True
        ):
            findings.append(Finding(name, source.label, int(row), "rejected", str(reason), say(note, "zh")))
    return frame, source.label, findings, rejected


def _layer_options(name: str, cfg: Any, toml_label: str) -> dict[str, Any]:
    """A [layers] entry as its options: a path string, or a table of path, encoding, crs, coords."""
    if isinstance(cfg, str):
        return {"path": cfg}
    if not isinstance(cfg, dict):
        raise StudyError(message("err_layer_entry", toml=toml_label, name=name))
    opts = dict(cfg)
    unknown = set(opts) - _LAYER_OPTIONS
    if unknown:
        options = ", ".join(sorted(unknown))
        raise StudyError(message("err_layer_options_unknown", toml=toml_label, name=name, options=options))
    if "path" not in opts:
        raise StudyError(message("err_layer_options_no_path", toml=toml_label, name=name))
    if not isinstance(opts["path"], str):
        raise StudyError(message("err_layer_path_type", toml=toml_label, name=name))
    return opts


def _centre_lon_lat(frame: gpd.GeoDataFrame) -> tuple[float, float]:
    geo = frame.to_crs(4326)
    x0, y0, x1, y1 = geo.total_bounds
    if not all(map(math.isfinite, (x0, y0, x1, y1))):
        raise LayerError(message("err_communities_no_geometry"))
    return (x0 + x1) / 2.0, (y0 + y1) / 2.0


def _check_layers_overlap(layers: dict[str, gpd.GeoDataFrame | None], labels: dict[str, str]) -> None:
    base = layers["communities"]
    if base is None or base.empty:
        return
    x0, y0, x1, y1 = base.total_bounds
    margin = max(2000.0, 0.2 * max(x1 - x0, y1 - y0))
    for name in ("facilities", "candidates", "population", "buildings", "compounds"):
        frame = layers.get(name)
        if frame is None or frame.empty:
            continue
        centres = frame.geometry.centroid  # a point's centroid is the point; polygons by their centre
        xy = np.column_stack([centres.x, centres.y])
        inside = (
            (xy[:, 0] >= x0 - margin)
            & (xy[:, 0] <= x1 + margin)
            & (xy[:, 1] >= y0 - margin)
            & (xy[:, 1] <= y1 + margin)
        )
        if not inside.any():
            raise LayerError(
                message("err_layer_far_away", layer=name, source=labels[name], n=len(frame), km=margin / 1000)
            )


def key_figures(study: Study) -> dict[str, Any]:
    """The study's headline numbers: residents, elderly, their share, communities, facilities per kind."""
    c = study.communities
    pop = float(np.nansum(c["population"].to_numpy(float)))
    eld = float(np.nansum(c["elderly"].to_numpy(float)))
    counts = study.facilities["kind"].value_counts()
    return {
        "residents": pop,
        "elderly": eld,
        "elderly_share": eld / pop if pop > 0 else float("nan"),
        "streets": int(c["street"].nunique(dropna=True)),
        "communities_urban": int((c["kind"] == "urban").sum()),
        "communities_rural": int((c["kind"] == "rural").sum()),
        "communities": int(c["kind"].isin(("urban", "rural")).sum()),
        "facilities": {k: int(counts.get(k, 0)) for k in FACILITY_KINDS},
        "candidates": 0 if study.candidates is None else len(study.candidates),
        "rejected_rows": study.n_rejected,
    }
