"""Coverage of the elderly by walking time: per kind and band, per community and street, with the gaps.

The demand points are the study's population layer (elder density at a fine grain) or, where it has none, each
community's elderly spread evenly over a 100 m grid inside it. Walking times come from :mod:`geo.travel` on the
study's walking network: the access walk to the nearest street edge, then the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demand import SPREAD_SPACING_M, assign_to_polygons, spread_over_polygons
from geo.errors import OptionError
from geo.network import WalkNetwork, check_walk_speed, component_report, network_components
from geo.travel import nearest_times, snap_points
from planning.export import strip_personal
from planning.i18n import Notes, kind_label, notes_in
from planning.schema import FACILITY_KINDS, KIND_ALIASES
from planning.study import Study

DEFAULT_MINUTES = (5, 10, 15)
#: The longest walking-time band, in minutes. The standards ask about 5-, 10- and 15-minute walks (STANDARDS.md);
#: two hours is far beyond any service circle, and a larger value (``--minutes 100000``) would only make every
#: shortest-path search cover the whole network. A limit of the tool, not a standard.
MAX_MINUTES = 120
#: The most bands one run computes (each band is a column per kind and a ring of polygons per facility).
MAX_BANDS = 12
#: Points farther than this from every walkable street are not placed on the network (reported, not dropped).
DEFAULT_MAX_DISTANCE_M = 300.0
#: Kinds with beds, measured also by the two-step floating catchment (beds per 1000 elderly within reach).
BED_KINDS = ("embedded_home", "nursing_home")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """Coverage of the elderly by walking time.

    Attributes
    ----------
    minutes : the bands, increasing.
    kinds : the facility kinds measured.
    walk_speed_m_s : the walking speed used.
    demand : one row per demand point: ``id``, ``elderly``, ``community`` (index into the study's communities,
        -1 outside all), ``community_name``, ``street``, ``offset_m`` (distance to the nearest street), ``far``
        (farther than the limit from every street), ``component`` (network piece of its street; 0 = the largest)
        and ``walk_time_s_<kind>`` (NaN beyond the largest band or unreachable); geometry in the study CRS.
    totals : per kind and band: ``elderly_total``, ``elderly_covered``, ``share``.
    communities : per community: name, street, kind, elderly, and per kind and band ``covered_<kind>_<m>min``
        and ``share_<kind>_<m>min``.
    streets : the same per street.
    daycare_gaps : urban communities whose elderly are not all within the largest band of a day-care centre.
    access : for bed-based kinds, per community: beds per 1000 elderly reachable (two-step floating catchment).
    far_points : demand points and facilities farther than the limit from every street.
    notes : sentences on what was assumed or found (network pieces, demand spread, missing kinds).
    notes_zh : the same sentences in Chinese, one per note (see :meth:`notes_in`).
    """

    minutes: tuple[int, ...]
    kinds: tuple[str, ...]
    walk_speed_m_s: float
    demand: gpd.GeoDataFrame
    totals: pd.DataFrame
    communities: pd.DataFrame
    streets: pd.DataFrame
    daycare_gaps: pd.DataFrame
    access: pd.DataFrame
    far_points: pd.DataFrame
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in ``lang`` (``zh`` or ``en``); English stands in for a note without a Chinese version."""
        return notes_in(self.notes, self.notes_zh, lang)

    def time_column(self, kind: str) -> str:
        """Name of the walking-time column of ``kind`` in ``demand``."""
        return f"walk_time_s_{kind}"


def check_minutes(minutes: Sequence[float] | str, *, option: str = "--minutes") -> tuple[int, ...]:
    """Parse and check walking-time bands: whole minutes, positive, strictly increasing, at most
    :data:`MAX_MINUTES`, at most :data:`MAX_BANDS` of them.

    Parameters
    ----------
    minutes : ``"5,10,15"`` (commas between the items; full-width digits and commas are read as half-width) or a
        sequence of numbers.
    option : how to name the option in messages.

    Raises
    ------
    OptionError
        One sentence naming the option, the bad item and the fix, for a malformed list: an empty item
        (``5,,10``, ``5,10,``, ``,5``, a blank string), an item that is not a whole number (``x``, ``5;10``,
        ``5.5``, ``inf``), zero or a negative number, a band above :data:`MAX_MINUTES`, bands that do not
        increase (``10,5``) or repeat (``5,5``), more than :data:`MAX_BANDS` bands.
    """
    example = "give whole minutes separated by commas, e.g. 5,10,15"
    if isinstance(minutes, str):
        shown = minutes
        text = unicodedata.normalize("NFKC", minutes)
        if not text.strip():
            raise OptionError(f"{option} {shown!r} gives no minutes; {example}")
        items: list[object] = [p.strip() for p in text.split(",")]
    else:
        items = list(minutes)
        shown = ",".join(str(v) for v in items)
        if not items:
            raise OptionError(f"{option} gives no minutes; {example}")
    if len(items) > MAX_BANDS:
        raise OptionError(
            f"{option} {shown!r} gives {len(items)} bands; give at most {MAX_BANDS}, e.g. 5,10,15"
        )
    values: list[int] = []
    for n, item in enumerate(items, start=1):
        value = _whole_minutes(item, n=n, option=option, shown=shown, example=example)
        if values and value == values[-1]:
            raise OptionError(
                f"{option} {shown!r}: {value} is given twice, but bands must increase; give each "
                "band once, e.g. 5,10,15"
            )
        if values and value < values[-1]:
            raise OptionError(
                f"{option} {shown!r}: {value} comes after {values[-1]}, but bands must increase; "
                "give them from the shortest to the longest, e.g. 5,10,15"
            )
        values.append(value)
    return tuple(values)


def _whole_minutes(item: object, *, n: int, option: str, shown: str, example: str) -> int:
    """One band of :func:`check_minutes` as whole minutes; OptionError naming item ``n`` when it is not one."""
    if isinstance(item, str) and not item:
        raise OptionError(f"{option} {shown!r}: item {n} is empty; {example}")
    text = str(item).strip()
    if isinstance(item, bool) or (isinstance(item, str) and not _NUMBER.match(text)):
        hint = "separate the minutes with commas" if re.search(r"[;；、\s/|]", text) else "give whole numbers"
        raise OptionError(
            f"{option} {shown!r}: item {n} ({text!r}) is not a whole number of minutes; {hint}, e.g. 5,10,15"
        )
    try:
        value = float(text if isinstance(item, str) else item)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise OptionError(
            f"{option} {shown!r}: item {n} ({text!r}) is not a whole number of minutes; {example}"
        ) from None
    if not np.isfinite(value) or value != int(value):
        raise OptionError(
            f"{option} {shown!r}: item {n} ({text}) is not a whole number of minutes; bands are "
            "whole minutes, e.g. 5,10,15"
        )
    if value <= 0:
        raise OptionError(
            f"{option} {shown!r}: item {n} ({value:g}) is not above 0; bands must all be positive, "
            "e.g. 5,10,15"
        )
    if value > MAX_MINUTES:
        raise OptionError(
            f"{option} {shown!r}: item {n} ({value:g}) is more than {MAX_MINUTES} minutes, the longest "
            "band this tool computes; give bands of at most two hours' walk, e.g. 5,10,15"
        )
    return int(value)


def check_kinds(
    kinds: Sequence[str] | str | None, facilities: gpd.GeoDataFrame, *, option: str = "--kinds"
) -> tuple[str, ...]:
    """Parse and check facility kinds; None (or an empty sequence) means every kind present in the study.

    Kinds are the canonical names (``day_care``) or their Chinese names and aliases (日间照料中心), separated by
    commas.

    Raises
    ------
    OptionError
        One sentence naming the option, the bad item and the fix: a blank string or an empty item
        (``day_care,,x``, ``day_care,``), an unknown kind, a kind given twice, or a kind the study has no facility
        of (naming the kinds present).
    """
    present = [k for k in FACILITY_KINDS if (facilities["kind"] == k).any()]
    if kinds is None or (not isinstance(kinds, str) and len(kinds) == 0):
        return tuple(present)
    example = f"give facility kinds separated by commas, e.g. {','.join(present[:2]) or 'day_care'}"
    if isinstance(kinds, str):
        shown = kinds
        text = unicodedata.normalize("NFKC", kinds)
        if not text.strip():
            raise OptionError(
                f"{option} {shown!r} names no kind; leave {option} out for every kind present, or {example}"
            )
        items = [p.strip() for p in text.split(",")]
    else:
        items = [str(k).strip() for k in kinds]
        shown = ",".join(items)
    lookup = {**{k: k for k in FACILITY_KINDS}, **{a.replace(" ", ""): k for a, k in KIND_ALIASES.items()}}
    wanted: list[str] = []
    for n, item in enumerate(items, start=1):
        if not item:
            raise OptionError(f"{option} {shown!r}: item {n} is empty; {example}")
        kind = lookup.get(item) or lookup.get(item.lower().replace(" ", ""))
        if kind is None:
            raise OptionError(
                f"{option} {shown!r}: unknown facility kind {item}; choose from {', '.join(FACILITY_KINDS)}"
            )
        if kind in wanted:
            raise OptionError(f"{option} {shown!r}: {kind} is given twice; give each kind once")
        wanted.append(kind)
    missing = [k for k in wanted if k not in present]
    if missing:
        raise OptionError(
            f"{option} {shown!r}: the study has no facility of kind {', '.join(missing)}; kinds present: "
            f"{', '.join(present) or '(none)'}"
        )
    return tuple(wanted)


def demand_points(study: Study, *, spacing_m: float = SPREAD_SPACING_M) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Demand points of the study with their elderly weight, community and street.

    Returns
    -------
    (points, notes) : points in the study CRS with ``id``, ``elderly``, ``community``, ``community_name``, ``street``.
    """
    frame, notes = demand_points_notes(study, spacing_m=spacing_m)
    return frame, notes.en


def demand_points_notes(
    study: Study, *, spacing_m: float = SPREAD_SPACING_M
) -> tuple[gpd.GeoDataFrame, Notes]:
    """:func:`demand_points` with its notes in English and Chinese."""
    comm = study.communities
    polys = comm.geometry.to_numpy()
    notes = Notes()
    if study.population is not None and len(study.population):
        pop = study.population
        xy = shapely.get_coordinates(pop.geometry.to_numpy())
        owner = assign_to_polygons(xy, polys, max_distance_m=50.0)
        ids = pop["id"].astype(object).where(pop["id"].notna(), None).to_numpy() if "id" in pop else None
        if ids is None or any(v is None for v in ids):
            ids = pop["_row"].to_numpy() if "_row" in pop else np.arange(1, len(pop) + 1)
        weight = pop["elderly"].to_numpy(float)
        outside = owner < 0
        if outside.any():
            notes.add(
                f"{int(outside.sum())} population points ({weight[outside].sum():,.0f} elderly) lie outside "
                "every community; they count in district totals only",
                f"老年人口分布图层有 {int(outside.sum())} 个点（{weight[outside].sum():,.0f} 名老年人）不在任何社区/村范围内，"
                "只计入全区合计",
            )
        per_comm = np.bincount(owner[~outside], weights=weight[~outside], minlength=len(comm))
        stated = comm["elderly"].to_numpy(float)
        differs = np.abs(per_comm - stated) > np.maximum(1.0, 0.02 * stated)
        if differs.any():
            notes.add(
                f"in {int(differs.sum())} communities the population layer's elderly differ from the "
                "community totals by more than 2 %; coverage uses the population layer",
                f"{int(differs.sum())} 个社区/村的老年人口分布图层合计与社区图层的老年人口相差超过 2 %；"
                "覆盖计算以老年人口分布图层为准",
            )
        notes.add(
            f"demand: {len(pop)} points of the population layer",
            f"需求点：老年人口分布图层的 {len(pop)} 个点",
        )
    else:
        spread = spread_over_polygons(polys, comm["elderly"].to_numpy(float), spacing_m=spacing_m)
        xy, owner, weight = spread.xy, spread.area, spread.weight
        ids = np.arange(1, len(xy) + 1)
        notes.add(
            f"demand: no population layer, so each community's elderly are spread evenly over a "
            f"{spacing_m:g} m grid inside it ({len(xy)} points)",
            f"需求点：没有老年人口分布图层，各社区/村的老年人按 {spacing_m:g} 米格网均匀分布在其范围内"
            f"（共 {len(xy)} 个点）",
        )
    names = comm["name"].to_numpy(object)
    streets = comm["street"].to_numpy(object)
    frame = gpd.GeoDataFrame(
        {
            "id": ids,
            "elderly": weight,
            "community": owner,
            "community_name": np.where(owner >= 0, names[np.maximum(owner, 0)], None),
            "street": np.where(owner >= 0, streets[np.maximum(owner, 0)], None),
        },
        geometry=shapely.points(xy),
        crs=study.crs,
    )
    return frame, notes


def coverage_of_study(
    study: Study,
    network: WalkNetwork,
    *,
    minutes: Sequence[float] | str = DEFAULT_MINUTES,
    kinds: Sequence[str] | str | None = None,
    walk_speed_m_s: float | None = None,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    progress: Callable[[float, str], None] | None = None,
) -> CoverageResult:
    """Walking-time coverage of the study's elderly by each facility kind.

    Parameters
    ----------
    study : the loaded study.
    network : its walking network (in the study CRS).
    minutes : bands in minutes, increasing (default 5, 10, 15).
    kinds : facility kinds (default: every kind present).
    walk_speed_m_s : walking speed; default the network's (the study's) speed.
    max_distance_m : points farther than this from every street are reported and count as uncovered.
    progress : optional callback ``(fraction, message)``.
    """
    bands = check_minutes(minutes)
    kinds_t = check_kinds(kinds, study.facilities)
    if walk_speed_m_s is not None and check_walk_speed(walk_speed_m_s) != network.walk_speed_m_s:
        network = network.with_speed(walk_speed_m_s)
    limit_s = bands[-1] * 60.0
    step = (lambda f, m: progress(f, m)) if progress else (lambda f, m: None)
    step(0.0, "placing demand on the network")
    demand, notes = demand_points_notes(study)
    dxy = shapely.get_coordinates(demand.geometry.to_numpy())
    dsnap = snap_points(network, dxy, max_distance_m=max_distance_m)
    demand["offset_m"] = dsnap.offset_m
    demand["far"] = dsnap.far
    labels = network_components(network)
    comp = np.full(len(demand), -1)
    placed = dsnap.edge >= 0
    comp[placed] = labels[network.edge_u[dsnap.edge[placed]]]
    demand["component"] = comp
    report = component_report(network)
    if report.n_components > 1:
        off_main = placed & (comp != 0)
        notes.add(
            f"the network has {report.n_components} separate pieces; {report.other_nodes} of "
            f"{network.n_nodes} nodes lie outside the largest, and {int(off_main.sum())} demand points "
            f"({demand['elderly'].to_numpy()[off_main].sum():,.0f} elderly) sit on those pieces",
            f"步行网络由 {report.n_components} 个互不连通的部分组成；{network.n_nodes} 个节点中有 "
            f"{report.other_nodes} 个不在最大的部分上，{int(off_main.sum())} 个需求点"
            f"（{demand['elderly'].to_numpy()[off_main].sum():,.0f} 名老年人）位于这些部分",
        )
    far_rows = []
    if dsnap.far.any():
        notes.add(
            f"{int(dsnap.far.sum())} demand points ({demand['elderly'].to_numpy()[dsnap.far].sum():,.0f} "
            f"elderly) are farther than {max_distance_m:g} m from every walkable street: counted as uncovered",
            f"{int(dsnap.far.sum())} 个需求点（{demand['elderly'].to_numpy()[dsnap.far].sum():,.0f} 名老年人）"
            f"距最近的可步行道路超过 {max_distance_m:g} 米，按未覆盖计",
        )
        sub = demand[dsnap.far]
        far_rows.append(
            pd.DataFrame(
                {
                    "layer": "demand",
                    "id": sub["id"].to_numpy(),
                    "name": sub["community_name"],
                    "distance_m": sub["offset_m"].to_numpy(),
                }
            )
        )
    fac = study.facilities
    for i, kind in enumerate(kinds_t):
        step((i + 0.5) / (len(kinds_t) + 1), f"walking times to {kind}")
        sub = fac[fac["kind"] == kind]
        sxy = shapely.get_coordinates(sub.geometry.to_numpy())
        ssnap = snap_points(network, sxy, max_distance_m=max_distance_m)
        if ssnap.far.any():
            far_fac = sub[ssnap.far]
            far_rows.append(
                pd.DataFrame(
                    {
                        "layer": f"facilities ({kind})",
                        "id": far_fac["_row"].to_numpy(),
                        "name": far_fac["name"].to_numpy(),
                        "distance_m": ssnap.offset_m[ssnap.far],
                    }
                )
            )
            far_names = ", ".join(map(str, far_fac["name"].head(5)))
            notes.add(
                f"{int(ssnap.far.sum())} {kind} facilities are farther than {max_distance_m:g} m from every "
                f"walkable street and reach no one: {far_names}",
                f"{int(ssnap.far.sum())} 处{kind_label(kind, 'zh')}距最近的可步行道路超过 {max_distance_m:g} 米，"
                f"不覆盖任何老年人：{far_names.replace(', ', '、')}",
            )
        res = nearest_times(
            network,
            sxy,
            dxy,
            limit_s=limit_s,
            max_distance_m=max_distance_m,
            source_snap=ssnap,
            target_snap=dsnap,
        )
        t = res.time_s.astype(float)
        demand[f"walk_time_s_{kind}"] = np.where(np.isfinite(t) & (t <= limit_s), t, np.nan)
    step(len(kinds_t) / (len(kinds_t) + 1), "summarising")
    totals, per_comm, per_street = _summaries(study, demand, kinds_t, bands)
    gaps = _daycare_gaps(per_comm, bands) if "day_care" in kinds_t else pd.DataFrame()
    access = _two_step_access(
        study, network, demand, dsnap, kinds_t, limit_s=limit_s, max_distance_m=max_distance_m
    )
    far_points = (
        pd.concat(far_rows, ignore_index=True)
        if far_rows
        else pd.DataFrame(columns=["layer", "id", "name", "distance_m"])
    )
    step(1.0, "coverage done")
    return CoverageResult(
        minutes=bands,
        kinds=kinds_t,
        walk_speed_m_s=network.walk_speed_m_s,
        demand=demand,
        totals=totals,
        communities=per_comm,
        streets=per_street,
        daycare_gaps=gaps,
        access=access,
        far_points=far_points,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
    )


def _summaries(
    study: Study, demand: gpd.GeoDataFrame, kinds: tuple[str, ...], bands: tuple[int, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    w = demand["elderly"].to_numpy(float)
    total = float(w.sum())
    comm = study.communities
    owner = demand["community"].to_numpy()
    inside = owner >= 0
    per_comm = pd.DataFrame(
        {
            "name": comm["name"].to_numpy(),
            "street": comm["street"].to_numpy(),
            "kind": comm["kind"].to_numpy(),
            "elderly": np.bincount(owner[inside], weights=w[inside], minlength=len(comm)),
        }
    )
    rows = []
    for kind in kinds:
        t = demand[f"walk_time_s_{kind}"].to_numpy(float)
        for m in bands:
            cov = np.nan_to_num(t, nan=np.inf) <= m * 60.0
            covered = float(w[cov].sum())
            rows.append(
                {
                    "kind": kind,
                    "band_min": m,
                    "elderly_total": total,
                    "elderly_covered": covered,
                    "share": covered / total if total > 0 else float("nan"),
                }
            )
            c = np.bincount(owner[inside & cov], weights=w[inside & cov], minlength=len(comm))
            per_comm[f"covered_{kind}_{m}min"] = c
            with np.errstate(invalid="ignore", divide="ignore"):
                per_comm[f"share_{kind}_{m}min"] = np.where(
                    per_comm["elderly"] > 0, c / per_comm["elderly"], np.nan
                )
    totals = pd.DataFrame(rows, columns=["kind", "band_min", "elderly_total", "elderly_covered", "share"])
    covered_cols = [c for c in per_comm.columns if c.startswith("covered_")]
    per_street = (
        per_comm.assign(street=per_comm["street"].fillna("(no street)"))
        .groupby("street", sort=True)[["elderly", *covered_cols]]
        .sum()
        .reset_index()
    )
    per_street.insert(
        1,
        "communities",
        per_comm.assign(street=per_comm["street"].fillna("(no street)"))
        .groupby("street", sort=True)
        .size()
        .to_numpy(),
    )
    for kind in kinds:
        for m in bands:
            with np.errstate(invalid="ignore", divide="ignore"):
                per_street[f"share_{kind}_{m}min"] = np.where(
                    per_street["elderly"] > 0,
                    per_street[f"covered_{kind}_{m}min"] / per_street["elderly"],
                    np.nan,
                )
    return totals, per_comm, per_street


def _daycare_gaps(per_comm: pd.DataFrame, bands: tuple[int, ...]) -> pd.DataFrame:
    m = bands[-1]
    share = per_comm[f"share_day_care_{m}min"]
    gaps = per_comm[(per_comm["kind"] == "urban") & (share < 1.0 - 1e-9)].copy()
    gaps["elderly_uncovered"] = gaps["elderly"] - gaps[f"covered_day_care_{m}min"]
    return (
        gaps[["name", "street", "elderly", "elderly_uncovered", f"share_day_care_{m}min"]]
        .rename(columns={f"share_day_care_{m}min": "share"})
        .sort_values("elderly_uncovered", ascending=False)
        .reset_index(drop=True)
    )


def _two_step_access(
    study: Study,
    network: WalkNetwork,
    demand: gpd.GeoDataFrame,
    dsnap,
    kinds: tuple[str, ...],
    *,
    limit_s: float,
    max_distance_m: float,
) -> pd.DataFrame:
    """Two-step floating catchment (Luo & Wang 2003) with a binary catchment of ``limit_s``.

    Step 1: each home j gets R_j = beds_j / (elderly within limit_s of j). Step 2: each demand point gets
    A_i = sum of R_j over homes within limit_s of it. Reported as beds per 1000 elderly, weighted per community.
    """
    comm = study.communities
    out = pd.DataFrame({"name": comm["name"].to_numpy(), "street": comm["street"].to_numpy()})
    w = demand["elderly"].to_numpy(float)
    owner = demand["community"].to_numpy()
    inside = owner >= 0
    fac = study.facilities
    for kind in kinds:
        if kind not in BED_KINDS:
            continue
        sub = fac[(fac["kind"] == kind)]
        beds = sub["beds"].to_numpy(float)
        sxy = shapely.get_coordinates(sub.geometry.to_numpy())
        ssnap = snap_points(network, sxy, max_distance_m=max_distance_m)
        access = np.zeros(len(demand))
        for j in range(len(sub)):
            if not np.isfinite(beds[j]) or beds[j] <= 0 or ssnap.far[j]:
                continue
            t = nearest_times(
                network, None, None, limit_s=limit_s, source_snap=ssnap.subset([j]), target_snap=dsnap
            ).time_s
            reach = np.isfinite(t) & (t <= limit_s)
            pop = w[reach].sum()
            if pop > 0:
                access[reach] += beds[j] / pop
        per = np.bincount(owner[inside], weights=(w * access)[inside], minlength=len(comm))
        el = np.bincount(owner[inside], weights=w[inside], minlength=len(comm))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"beds_per_1000_elderly_{kind}"] = np.where(el > 0, 1000.0 * per / el, np.nan)
        demand[f"beds_per_1000_elderly_{kind}"] = 1000.0 * access
    return out


def network_for_study(
    study: Study, *, walk_speed_m_s: float | None = None, progress: Callable[[float, str], None] | None = None
) -> WalkNetwork:
    """Load the study's walking network in the study CRS and check that it overlaps the communities.

    The parsed network is kept in the disk cache of :mod:`geo.cache` (re-parsed when the source file changes)."""
    from geo.cache import cached_network
    from geo.errors import NetworkError
    from geo.network import check_overlap

    source = study.network_source_path()
    if source is None:
        raise NetworkError(
            f'study {study.folder} names no network: add [network] source = "streets.osm" (an OSM '
            "file, GraphML, a street-centreline layer, or place:<name>) to study.toml"
        )
    speed = study.network.walk_speed_m_s if walk_speed_m_s is None else check_walk_speed(walk_speed_m_s)
    net = cached_network(
        source,
        crs=study.crs,
        walk_speed_m_s=speed,
        include_private=study.network.include_private,
        progress=progress,
    )
    check_overlap(net, tuple(study.communities.total_bounds), context=f"network {study.network.source!r}")
    return net


def uncovered_density(
    result: CoverageResult, kind: str, *, minutes: int | None = None, cell_m: float = 200.0
) -> gpd.GeoDataFrame:
    """Elderly outside the ``minutes`` walk of ``kind``, summed on a square grid of ``cell_m`` (a density surface).

    Returns square cells (study CRS) with ``elderly_uncovered`` and ``per_ha``; empty cells are left out.
    """
    m = result.minutes[-1] if minutes is None else int(minutes)
    t = result.demand[result.time_column(kind)].to_numpy(float)
    unc = ~(np.nan_to_num(t, nan=np.inf) <= m * 60.0)
    w = result.demand["elderly"].to_numpy(float)[unc]
    xy = shapely.get_coordinates(result.demand.geometry.to_numpy()[unc])
    if len(xy) == 0:
        return gpd.GeoDataFrame({"elderly_uncovered": [], "per_ha": []}, geometry=[], crs=result.demand.crs)
    ij = np.floor(xy / cell_m).astype(np.int64)
    keys, inverse = np.unique(ij, axis=0, return_inverse=True)
    sums = np.bincount(inverse.reshape(-1), weights=w)
    x0, y0 = keys[:, 0] * cell_m, keys[:, 1] * cell_m
    cells = shapely.box(x0, y0, x0 + cell_m, y0 + cell_m)
    keep = sums > 0
    return gpd.GeoDataFrame(
        {"elderly_uncovered": sums[keep], "per_ha": sums[keep] / (cell_m * cell_m / 10_000.0)},
        geometry=cells[keep],
        crs=result.demand.crs,
    )


def json_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of ``frame`` (geometry left out) as JSON-ready dicts: numpy numbers as Python numbers, booleans as
    booleans, NaN, infinities and missing values as None."""

    def clean(v: object) -> object:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return float(v) if np.isfinite(v) else None
        if v is None or v is pd.NA or v is pd.NaT:
            return None
        return v

    plain = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return [{k: clean(v) for k, v in row.items()} for row in plain.astype(object).to_dict(orient="records")]


def coverage_json(result: CoverageResult) -> dict:
    """JSON-ready coverage: totals per kind and band, per-community and per-street rows, gaps, notes."""
    totals: dict[str, dict] = {}
    for kind in result.kinds:
        sub = result.totals[result.totals["kind"] == kind]
        totals[kind] = {
            f"{int(r.band_min)}min": {
                "elderly_total": float(r.elderly_total),
                "elderly_covered": float(r.elderly_covered),
                "share": float(r.share),
            }
            for r in sub.itertuples()
        }
    return {
        "minutes": list(result.minutes),
        "kinds": list(result.kinds),
        "walk_speed_m_s": result.walk_speed_m_s,
        "totals": totals,
        "communities": json_records(result.communities),
        "streets": json_records(result.streets),
        "daycare_gaps": json_records(result.daycare_gaps),
        "access_beds_per_1000_elderly": json_records(result.access),
        "far_points": json_records(result.far_points),
        "notes": list(result.notes),
        "notes_zh": result.notes_in("zh"),
    }


def points_frame(result: CoverageResult) -> gpd.GeoDataFrame:
    """Every demand point with its id, elderly weight and walking seconds to the nearest facility of each kind."""
    cols = ["id", "elderly", "community_name", "street", "far"] + [
        result.time_column(k) for k in result.kinds
    ]
    return result.demand[[*cols, "geometry"]].copy()


def service_circle_layer(
    study: Study,
    network: WalkNetwork,
    result: CoverageResult,
    *,
    rings: bool = False,
    mode: str = "dissolved",
    kinds: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> gpd.GeoDataFrame:
    """Service circles of every measured kind (or of ``kinds``, a subset of them) and band, built from the
    reachable network (see geo.service_area)."""
    from geo.service_area import service_areas

    wanted = tuple(result.kinds) if kinds is None else tuple(k for k in result.kinds if k in kinds)
    frames = []
    fac = study.facilities
    for i, kind in enumerate(wanted):
        sub = fac[fac["kind"] == kind]
        sxy = shapely.get_coordinates(sub.geometry.to_numpy())
        inner = (
            None
            if progress is None
            else (
                lambda f, m, i=i, kind=kind: progress(
                    (i + f) / len(wanted), f"service circles of {kind}: {m}"
                )
            )
        )
        areas = service_areas(network, sxy, minutes=result.minutes, mode=mode, rings=rings, progress=inner)
        areas.insert(0, "kind", kind)
        if mode != "dissolved" and "facility" in areas:
            names = sub["name"].to_numpy(object)
            areas["facility_name"] = [names[f] if f >= 0 else None for f in areas["facility"]]
        frames.append(areas)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return gpd.GeoDataFrame(out, geometry="geometry", crs=study.crs)


def coverage_layers(
    study: Study,
    network: WalkNetwork,
    result: CoverageResult,
    path: str,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> list[str]:
    """Write the map layers of a coverage run to a GeoPackage; returns the layer names written.

    The GeoPackage is built under a temporary name beside ``path`` and renamed over it when complete
    (:func:`geo.files.atomic_path`): a failure leaves the previous file as it was, never half a file.

    Raises
    ------
    OptionError
        When ``path`` does not end in ``.gpkg``.
    OutputError
        When the file cannot be written (no permission, full disk, a folder in the way).
    """
    from pathlib import Path

    from geo.files import atomic_path

    target = Path(path)
    if target.suffix.lower() != ".gpkg":
        raise OptionError(f"--layers {path}: map layers are written as a GeoPackage; name a .gpkg file")
    if target.is_dir():
        raise OptionError(f"--layers {path} is a folder; name a .gpkg file to write the map layers to")
    circles = service_circle_layer(study, network, result, progress=progress)
    comm = study.communities[["name", "street", "kind", "geometry"]].copy()
    for col in result.communities.columns:
        if col.startswith("share_"):
            comm[col] = result.communities[col].to_numpy()
    layers: list[tuple[str, gpd.GeoDataFrame]] = [
        ("service_circles", circles),
        ("communities_coverage", comm),
    ]
    for kind in result.kinds:
        dens = uncovered_density(result, kind)
        if len(dens):
            layers.append((f"uncovered_{kind}", dens))
    with atomic_path(target) as tmp:
        for name, frame in layers:  # names kept, any ID-card or phone number inside them redacted
            strip_personal(frame, layer=name, keep=frame.columns)[0].to_file(tmp, layer=name, driver="GPKG")
    return [name for name, _ in layers]
