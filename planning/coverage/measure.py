"""Coverage of the elderly by walking time: per kind and band, per community and street, with the gaps.

Walking times come from :mod:`geo.travel` on the study's walking network: the access walk to the nearest street
edge, then the network.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.cache import cached_network
from geo.network import WalkNetwork, check_overlap, check_walk_speed, component_report, network_components
from geo.travel import Snap, nearest_times, snap_points
from planning.coverage.demand import demand_points_notes, placement_table
from planning.coverage.options import (
    BED_KINDS,
    DEFAULT_MAX_DISTANCE_M,
    DEFAULT_MINUTES,
    check_kinds,
    check_minutes,
)
from planning.coverage.result import CoverageResult
from planning.errors import NetworkError
from planning.i18n import Notes, kind_label, message, say
from planning.progress import Progress, named, silent
from planning.study import Study


def coverage_of_study(
    study: Study,
    network: WalkNetwork,
    *,
    minutes: Sequence[float] | str = DEFAULT_MINUTES,
    kinds: Sequence[str] | str | None = None,
    walk_speed_m_s: float | None = None,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    progress: Progress | None = None,
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
    step = progress or silent
    step(0.0, message("progress_placing_demand"))
    demand, notes = demand_points_notes(study)
    dsnap = _place_demand(network, demand, notes, max_distance_m=max_distance_m)
    far_rows = _far_demand(demand, dsnap, notes, max_distance_m=max_distance_m)
    fac = study.facilities
    for i, kind in enumerate(kinds_t):
        step((i + 0.5) / (len(kinds_t) + 1), message("progress_walking_times_to", kind=named("kind", kind)))
        sub = fac[fac["kind"] == kind]
        far_rows += _walk_times(
            network, demand, dsnap, sub, kind, notes, limit_s=limit_s, max_distance_m=max_distance_m
        )
    step(len(kinds_t) / (len(kinds_t) + 1), message("progress_summarising"))
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
    step(1.0, message("progress_coverage_done"))
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
        placement=placement_table(study, demand),
    )


def _place_demand(
    network: WalkNetwork, demand: gpd.GeoDataFrame, notes: Notes, *, max_distance_m: float
) -> Snap:
    """Snap the demand points to the network: adds ``offset_m``, ``far`` and ``component`` to ``demand`` and a note
    when the network is in pieces; returns the snap."""
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
    return dsnap


def _far_demand(
    demand: gpd.GeoDataFrame, dsnap: Snap, notes: Notes, *, max_distance_m: float
) -> list[pd.DataFrame]:
    """The demand points farther than ``max_distance_m`` from every street (rows of ``far_points``), noted."""
    if not dsnap.far.any():
        return []
    notes.add(
        f"{int(dsnap.far.sum())} demand points ({demand['elderly'].to_numpy()[dsnap.far].sum():,.0f} "
        f"elderly) are farther than {max_distance_m:g} m from every walkable street: counted as uncovered",
        f"{int(dsnap.far.sum())} 个需求点（{demand['elderly'].to_numpy()[dsnap.far].sum():,.0f} 名老年人）"
        f"距最近的可步行道路超过 {max_distance_m:g} 米，按未覆盖计",
    )
    sub = demand[dsnap.far]
    return [
        pd.DataFrame(
            {
                "layer": "demand",
                "id": sub["id"].to_numpy(),
                "name": sub["community_name"],
                "distance_m": sub["offset_m"].to_numpy(),
            }
        )
    ]


def _walk_times(
    network: WalkNetwork,
    demand: gpd.GeoDataFrame,
    dsnap: Snap,
    sub: gpd.GeoDataFrame,
    kind: str,
    notes: Notes,
    *,
    limit_s: float,
    max_distance_m: float,
) -> list[pd.DataFrame]:
    """Walking seconds from every demand point to the nearest facility ``sub`` of ``kind`` (the column
    ``walk_time_s_<kind>`` of ``demand``, NaN beyond ``limit_s``); returns the rows of the facilities farther than
    ``max_distance_m`` from every street (noted)."""
    sxy = shapely.get_coordinates(sub.geometry.to_numpy())
    ssnap = snap_points(network, sxy, max_distance_m=max_distance_m)
    far_rows = []
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
    note_fragments(network, ssnap, sub, kind, notes)
    dxy = shapely.get_coordinates(demand.geometry.to_numpy())
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
    return far_rows


#: A piece of the network with fewer nodes than this share of the largest piece's is a fragment cut off from it ...
FRAGMENT_SHARE = 0.1
#: ... and the note on the facilities standing on fragments names at most this many of them.
FRAGMENT_NAMES = 5


def fragment_facilities(network: WalkNetwork, snap: Snap) -> np.ndarray:
    """(k,) bool: the placed points whose street segment lies on a small piece of the network cut off from the
    largest one (fewer nodes than :data:`FRAGMENT_SHARE` of it)."""
    placed = snap.edge >= 0
    out = np.zeros(len(snap), dtype=bool)
    if not placed.any():
        return out
    labels = network_components(network)
    sizes = np.bincount(labels)
    comp = labels[np.asarray(network.edge_u)[snap.edge[placed]]]
    out[placed] = (comp != 0) & (sizes[comp] < FRAGMENT_SHARE * sizes[0])
    return out


def note_fragments(network: WalkNetwork, snap: Snap, sub: gpd.GeoDataFrame, kind: str, notes: Notes) -> None:
    """A note naming the facilities of ``kind`` on fragments of the network (up to :data:`FRAGMENT_NAMES`)."""
    cut = fragment_facilities(network, snap)
    if not cut.any():
        return
    names = [str(n) for n in sub["name"].to_numpy(object)[cut][:FRAGMENT_NAMES]]
    n = int(cut.sum())
    more = n > FRAGMENT_NAMES
    notes.add(
        say(
            "note_fragment_facilities", "en", n=n, kind=kind, names=", ".join(names) + (", …" if more else "")
        ),
        say(
            "note_fragment_facilities",
            "zh",
            n=n,
            kind=kind_label(kind, "zh"),
            names="、".join(names) + ("等" if more else ""),
        ),
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
    dsnap: Snap,
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
    study: Study, *, walk_speed_m_s: float | None = None, progress: Progress | None = None
) -> WalkNetwork:
    """Load the study's walking network in the study CRS and check that it overlaps the communities.

    The parsed network is kept in the disk cache of :mod:`geo.cache` (re-parsed when the source file changes)."""
    source = study.network_source_path()
    if source is None:
        raise NetworkError(message("err_study_no_network", folder=study.folder))
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
