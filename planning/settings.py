"""What study.toml says besides its layers: the [network], [standards] and [demand] tables, read and checked.

Each table becomes a small frozen dataclass (:class:`NetworkSettings`, :class:`StandardsSettings`,
:class:`DemandSettings`); a value out of range is refused with the file, the key, the value and the choices, and a
section or key the loader does not know gets a note (a :class:`~planning.validation.Finding`), never silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import OptionError, StudyError
from geo.network import DEFAULT_WALK_SPEED_M_S, check_walk_speed
from planning.i18n import message
from planning.intake import check_network_source
from planning.schema import FACILITY_KINDS
from planning.validation import Finding

STUDY_FILE = "study.toml"
#: The sections of study.toml and the keys each knows (``[study]`` and ``[layers]`` are read by planning.study).
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "study": frozenset(
        {"name", "name_en", "synthetic", "coords", "crs", "data_date", "sources", "sources_en"}
    ),
    "layers": frozenset(),  # layer names: checked by planning.study against the layers it knows
    "network": frozenset({"source", "walk_speed_m_s", "include_private"}),
    "standards": frozenset({"preset", "overrides", "bed_basis", "circle_kinds"}),
    "demand": frozenset({"method", "default_floors", "census"}),
}
#: How the elderly of a community are placed when the study has no population layer of points: ``layer`` (the
#: population layer), ``buildings`` (residential buildings by floor area), ``landuse`` (residential land-use areas),
#: ``grid`` (an even grid over the community); ``auto`` picks the first the study can do.
DEMAND_METHODS: tuple[str, ...] = ("auto", "layer", "buildings", "landuse", "grid")
#: Floors assumed for a residential building whose floors and height are not known (a typical Chinese walk-up).
DEFAULT_FLOORS = 6.0


@dataclass(frozen=True)
class NetworkSettings:
    """Where the walking network comes from and how fast the elderly walk.

    Attributes
    ----------
    source : an OSM file, a GraphML file, a centreline layer, or ``place:<name>``; resolved against the folder.
    walk_speed_m_s : walking speed (default 1.0 m/s; 0.5–2.0 allowed; STANDARDS.md D).
    include_private : keep ``access=private`` ways (gated compounds whose residents may walk through them).
    """

    source: str | None
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S
    include_private: bool = False


@dataclass(frozen=True)
class StandardsSettings:
    """The standards preset and the study's overrides of its values."""

    preset: str = "national"
    overrides: dict[str, Any] = field(default_factory=dict)
    #: Which beds the bed rules count (:data:`BED_BASES`): ``institutions`` (nursing homes and embedded homes, the
    #: 养老院 + 老年养护院 of GB 50437 3.2.1 and the 养老机构 of the texts' nursing-bed share) or ``all`` (every
    #: facility's beds, day-care and street-centre beds included).
    bed_basis: str = "institutions"
    #: The facility kinds of the 15-minute service circle (default the network 信州区 一(一) names).
    circle_kinds: tuple[str, ...] = ("street_centre", "embedded_home", "day_care")


#: The bases a bed figure may be counted on.
BED_BASES = ("institutions", "all")


@dataclass(frozen=True)
class DemandSettings:
    """How the elderly are placed inside their communities (``[demand]``).

    Attributes
    ----------
    method : one of :data:`DEMAND_METHODS`.
    default_floors : floors of a residential building that states neither floors nor height.
    census : a table of 60+ shares per street (relative to the study folder), for communities that give residents
        but no elderly (:mod:`planning.census`), or None.
    """

    method: str = "auto"
    default_floors: float = DEFAULT_FLOORS
    census: str | None = None


def study_note(message_en: str, message_zh: str, *, layer: str = "study") -> Finding:
    """A note about study.toml itself."""
    return Finding(layer, STUDY_FILE, None, "note", message_en, message_zh)


def unknown_entries(config: dict[str, Any]) -> list[Finding]:
    """A note for each section of study.toml the loader does not use, and for each unknown key of a known one."""
    notes = [
        study_note(
            f"section [{key}] is not used (known: {', '.join(sorted(KNOWN_KEYS))})",
            f"study.toml 中的 [{key}] 节未被使用（可用的节：{'、'.join(sorted(KNOWN_KEYS))}）",
        )
        for key in config
        if key not in KNOWN_KEYS
    ]
    for section, keys in KNOWN_KEYS.items():
        table = config.get(section)
        if not keys or not isinstance(table, dict):
            continue
        for key in table:
            if key not in keys:
                known = ", ".join(sorted(keys))
                notes.append(
                    study_note(
                        f"[{section}] {key} is not a known key and is ignored (known: {known})",
                        f"[{section}] 中的 {key} 不是可用的设置项，已忽略（可用：{'、'.join(sorted(keys))}）",
                    )
                )
    return notes


def demand_settings(config: dict[str, Any], toml_label: str) -> DemandSettings:
    """[demand]: the placement method and the default floors, checked."""
    cfg = toml_table(config, "demand", toml_label, required=False)
    method = str(cfg.get("method", "auto")).strip().lower()
    if method not in DEMAND_METHODS:
        raise StudyError(
            message(
                "err_demand_method",
                toml=toml_label,
                value=cfg.get("method"),
                choices=", ".join(DEMAND_METHODS),
            )
        )
    floors = cfg.get("default_floors", DEFAULT_FLOORS)
    if isinstance(floors, bool) or not isinstance(floors, int | float) or not 1 <= floors <= 100:
        raise StudyError(message("err_default_floors", toml=toml_label, value=floors))
    census = cfg.get("census")
    if census is not None and (not isinstance(census, str) or not census.strip()):
        raise StudyError(message("err_census_setting", toml=toml_label, value=census))
    return DemandSettings(method=method, default_floors=float(floors), census=census)


def network_settings(
    config: dict[str, Any], folder: Path, *, toml_label: str, confined: bool, findings: list[Finding]
) -> NetworkSettings:
    """[network]: the walking speed checked, the source checked before anything reads it (or a note that there is
    none)."""
    net_cfg = toml_table(config, "network", toml_label, required=False)
    speed_raw = net_cfg.get("walk_speed_m_s", DEFAULT_WALK_SPEED_M_S)
    try:
        speed = check_walk_speed(speed_raw)
    except OptionError as exc:
        said = exc.message or str(exc)
        raise OptionError(message("err_walk_speed_in_study", toml=toml_label, error=said)) from None
    source = net_cfg.get("source")
    if source is None:
        findings.append(
            study_note(
                "[network] has no source: coverage needs one (an OSM file, GraphML, centrelines "
                "or place:<name>)",
                "[network] 没有 source：服务圈覆盖计算需要步行网络（OSM 文件、GraphML、道路中心线或 "
                "place:<地名>）",
                layer="network",
            )
        )
    else:
        check_network_source(source, folder, where=f"{toml_label}: [network] source", confined=confined)
    return NetworkSettings(
        source=None if source is None else str(source),
        walk_speed_m_s=speed,
        include_private=bool(net_cfg.get("include_private", False)),
    )


def standards_settings(config: dict[str, Any], toml_label: str) -> StandardsSettings:
    std_cfg = toml_table(config, "standards", toml_label, required=False)
    overrides = std_cfg.get("overrides", {})
    if not isinstance(overrides, dict):
        raise StudyError(message("err_overrides_not_table", toml=toml_label))
    basis = str(std_cfg.get("bed_basis", "institutions")).strip().lower()
    if basis not in BED_BASES:
        raise StudyError(
            message(
                "err_bed_basis", toml=toml_label, value=std_cfg.get("bed_basis"), choices=", ".join(BED_BASES)
            )
        )
    kinds = std_cfg.get("circle_kinds", StandardsSettings.circle_kinds)
    kinds = (
        [kinds] if isinstance(kinds, str) else list(kinds) if isinstance(kinds, (list, tuple)) else [kinds]
    )
    for kind in kinds:
        if kind not in FACILITY_KINDS or kind == "health_centre":
            choices = ", ".join(k for k in FACILITY_KINDS if k != "health_centre")
            raise StudyError(message("err_circle_kinds", toml=toml_label, value=kind, choices=choices))
    return StandardsSettings(
        preset=str(std_cfg.get("preset", "national")),
        overrides=dict(overrides),
        bed_basis=basis,
        circle_kinds=tuple(dict.fromkeys(kinds)),
    )


def toml_table(config: dict[str, Any], key: str, toml_label: str, *, required: bool = True) -> dict[str, Any]:
    """The table ``key`` of study.toml (empty when absent and not required), or a sentence naming what it is."""
    value = config.get(key)
    if value is None:
        if required and key == "layers":
            raise StudyError(message("err_no_layers_table", toml=toml_label))
        return {}
    if not isinstance(value, dict):
        raise StudyError(message("err_not_a_table", toml=toml_label, table=key, kind=type(value).__name__))
    return value
