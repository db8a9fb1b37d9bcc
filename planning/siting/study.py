"""Siting on a study: place the demand, the existing facilities and the candidate sites on the walking network,
build the coverage matrix of the walking threshold, solve the objective's model and summarise what the chosen
sites add per community and street (:func:`siting_of_study`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from geo.errors import InfeasibleError, OptionError
from geo.service_area import reach_matrix, reach_pattern
from geo.travel import Snap, snap_points
from planning.coverage import demand_points_notes, note_fragments
from planning.i18n import Notes, kind_label, message
from planning.progress import Progress, named, silent
from planning.siting.candidates import CandidateSites, Screen, candidate_sites
from planning.siting.capacitated import capacitated_coverage
from planning.siting.milp import HighsSolver, Solver
from planning.siting.models import ModelOptions, ModelResult, max_coverage, min_sites
from planning.siting.options import (
    DEFAULT_BEDS_PER_1000_ELDERLY,
    DEFAULT_SITING_MINUTES,
    SITING_MINUTES_CITATION,
    SitingOptions,
    check_options,
)
from planning.siting.result import SitingResult


@dataclass(frozen=True, eq=False)
class _Placed:
    """Everything on the network before a model is solved."""

    study: Any
    options: SitingOptions
    demand: pd.DataFrame
    weight: np.ndarray
    dsnap: Snap
    existing: gpd.GeoDataFrame
    e_reach: sparse.csr_matrix  # demand x existing facilities, within the threshold
    covered: np.ndarray  # demand covered by an existing facility
    found: CandidateSites
    cands: gpd.GeoDataFrame  # the usable candidates with ``reach_elderly``
    c_reach: sparse.csr_matrix  # demand x candidates, within the threshold
    notes: Notes


@dataclass(frozen=True, eq=False)
class _Solved:
    """A model's answer with the elderly covered (or served) per demand point before and after."""

    model: ModelResult
    before: np.ndarray
    after: np.ndarray
    required: np.ndarray
    capacity: np.ndarray | None = None  # (capacitated) elderly each candidate can serve


def _existing_reach(
    study: Any, network: Any, options: SitingOptions, dsnap: Snap, notes: Notes, step: Progress
) -> tuple[gpd.GeoDataFrame, sparse.csr_matrix]:
    """The existing facilities of the kind and which demand each reaches within the threshold; those farther than
    ``max_distance_m`` from every street cover no one and are named in a note."""
    kind, max_m = options.kind, options.max_distance_m
    fac = study.facilities
    existing = fac[fac["kind"] == kind]
    exy = shapely.get_coordinates(existing.geometry.to_numpy()).reshape(-1, 2)
    esnap = snap_points(network, exy, max_distance_m=max_m)
    if esnap.far.any():
        far_names = list(map(str, existing["name"].to_numpy(object)[esnap.far][:5]))
        notes.add(
            f"{int(esnap.far.sum())} existing {kind} facilities are farther than {max_m:g} m from "
            "every walkable street and cover no one: " + ", ".join(far_names),
            f"{int(esnap.far.sum())} 处现有{kind_label(kind, 'zh')}距最近的可步行道路超过 {max_m:g} 米，"
            "不覆盖任何老年人：" + "、".join(far_names),
        )
    note_fragments(network, esnap, existing, kind, notes)
    step(0.1, message("progress_existing_times"))
    e_reach = reach_pattern(reach_matrix(network, esnap, dsnap, limit_s=options.limit_s)).T.tocsr()
    return existing, e_reach


def _demand(study: Any, options: SitingOptions) -> tuple[pd.DataFrame, Notes]:
    """The demand points with the notes on how they were made and the threshold; refuses a study of 0 elderly."""
    demand, notes = demand_points_notes(study)
    mins = options.minutes
    notes.add(
        f"walking threshold {mins:g} min; the policy target is the {DEFAULT_SITING_MINUTES}-minute elderly-care "
        f"service circle ({SITING_MINUTES_CITATION})",
        f"步行时间阈值 {mins:g} 分钟；政策目标为{DEFAULT_SITING_MINUTES}分钟养老服务圈（{SITING_MINUTES_CITATION}）",
    )
    if not np.any(demand["elderly"].to_numpy(float) > 0):
        raise InfeasibleError(
            message(
                "err_siting_no_elderly",
                study=getattr(study, "folder", message("err_the_study")),
                n_communities=len(study.communities),
                n_points=len(demand),
                column="老年人口",
            )
        )
    return demand, notes


def _place(
    study: Any, network: Any, options: SitingOptions, screen: Screen | None, step: Progress
) -> _Placed:
    """Demand, existing facilities and candidate sites on the network, and who reaches whom."""
    step(0.0, message("progress_placing_demand"))
    demand, notes = _demand(study, options)
    w = demand["elderly"].to_numpy(float)
    dxy = shapely.get_coordinates(demand.geometry.to_numpy())
    dsnap = snap_points(network, dxy, max_distance_m=options.max_distance_m)
    existing, e_reach = _existing_reach(study, network, options, dsnap, notes, step)
    covered = np.diff(e_reach.indptr) > 0
    step(0.2, message("progress_candidate_sites"))
    found = candidate_sites(
        study, network, options, demand=dsnap, uncovered=(~covered) & (w > 0), screen=screen
    )
    notes.extend(found.notes.en, found.notes.zh)
    step(0.35, message("progress_candidate_times", n=len(found.sites)))
    c_reach = reach_pattern(reach_matrix(network, found.snap, dsnap, limit_s=options.limit_s)).T.tocsr()
    nc, add = len(found.sites), options.add
    if add is not None and options.objective != "min-sites" and int(add) > nc:
        more = message("err_siting_more_excluded", n=len(found.excluded)) if len(found.excluded) else ""
        raise OptionError(
            message("err_siting_add_too_many", add=int(add), kind=options.kind, n=nc, excluded=more)
        )
    cands = found.sites.copy()
    cands["reach_elderly"] = np.asarray(c_reach.T @ np.where(covered, 0.0, w)).reshape(-1)
    return _Placed(
        study=study,
        options=options,
        demand=demand,
        weight=w,
        dsnap=dsnap,
        existing=existing,
        e_reach=e_reach,
        covered=covered,
        found=found,
        cands=cands,
        c_reach=c_reach,
        notes=notes,
    )


def _cost(placed: _Placed) -> np.ndarray | None:
    """The candidates' costs when a budget binds."""
    return placed.cands["cost"].to_numpy(float) if placed.options.budget is not None else None


def _within_reach(placed: _Placed, model: ModelResult, required: np.ndarray) -> _Solved:
    """Covered = within the threshold of an existing or a chosen site."""
    w, covered = placed.weight, placed.covered
    after = covered | (np.asarray(placed.c_reach[:, model.chosen].sum(axis=1)).reshape(-1) > 0)
    return _Solved(model, np.where(covered, w, 0.0), np.where(after, w, 0.0), required)


def _solve_coverage(placed: _Placed, solver: Solver) -> _Solved:
    """Maximal coverage of the elderly no existing facility covers."""
    o = placed.options
    model = max_coverage(
        placed.c_reach,
        placed.weight,
        ModelOptions(sites=o.add, budget=o.budget, time_limit_s=o.time_limit_s, curve=o.curve),
        cost=_cost(placed),
        covered=placed.covered,
        solver=solver,
    )
    return _within_reach(placed, model, np.zeros(len(placed.weight), dtype=bool))


def _solve_min_sites(placed: _Placed, solver: Solver) -> _Solved:
    """The fewest sites covering every required demand point (urban communities', or all under scope ``all``)."""
    o, w = placed.options, placed.weight
    owner = placed.demand["community"].to_numpy()
    ckind = placed.study.communities["kind"].to_numpy(object)
    in_urban = (owner >= 0) & (ckind[np.maximum(owner, 0)] == "urban")
    required = (w > 0) & (in_urban if o.scope == "urban" else np.ones(len(w), dtype=bool))
    if not required.any():
        raise InfeasibleError(
            message(
                "err_siting_no_urban_elderly" if o.scope == "urban" else "err_siting_no_elderly_anywhere",
                study=getattr(placed.study, "folder", message("err_the_study")),
                kinds="城市社区/行政村",
            )
        )
    model = min_sites(
        placed.c_reach,
        required=required,
        weight=w,
        covered=placed.covered,
        solver=solver,
        time_limit_s=o.time_limit_s,
    )
    if o.add is not None and model.objective > int(o.add):
        placed.notes.add(
            f"covering every required demand point needs {model.objective:.0f} sites, more than the "
            f"{int(o.add)} asked for",
            f"覆盖全部须覆盖的需求点需要 {model.objective:.0f} 处站点，多于设定的 {int(o.add)} 处",
        )
    return _within_reach(placed, model, required)


def _existing_beds(placed: _Placed) -> np.ndarray:
    """Beds of the existing homes; those without beds serve no one and are named in a note."""
    existing, kind = placed.existing, placed.options.kind
    beds_e = existing["beds"].to_numpy(float) if "beds" in existing else np.full(len(existing), np.nan)
    no_beds = ~np.isfinite(beds_e)
    if no_beds.any():
        nb_names = list(map(str, existing["name"].to_numpy(object)[no_beds][:5]))
        placed.notes.add(
            f"{int(no_beds.sum())} existing {kind} facilities have no beds and serve no one in the "
            "capacitated model: " + ", ".join(nb_names),
            f"{int(no_beds.sum())} 处现有{kind_label(kind, 'zh')}没有床位数，在按床位容量覆盖模型中不服务任何老年人："
            + "、".join(nb_names),
        )
    return np.where(np.isfinite(beds_e), beds_e, 0.0)


def _solve_capacitated(placed: _Placed, solver: Solver) -> _Solved:
    """Capacitated coverage over the candidates and the existing homes (which stay open)."""
    o = placed.options
    nc, ne = len(placed.cands), len(placed.existing)
    beds_c = placed.cands["beds"].to_numpy(float)
    beds_e = _existing_beds(placed)
    bpk = float(o.beds_per_1000_elderly)
    per_bed = 1000.0 / bpk
    cost = _cost(placed)
    model = capacitated_coverage(
        sparse.hstack([placed.c_reach, placed.e_reach], format="csr"),
        placed.weight,
        np.concatenate([beds_c, beds_e]) * per_bed,
        ModelOptions(sites=o.add, budget=o.budget, time_limit_s=o.time_limit_s),
        existing=np.concatenate([np.zeros(nc, dtype=bool), np.ones(ne, dtype=bool)]),
        cost=None if cost is None else np.concatenate([cost, np.zeros(ne)]),
        solver=solver,
    )
    assert model.served is not None and model.served_before is not None
    placed.notes.add(
        f"capacity: {bpk:g} beds per 1000 elderly (GB 50437-2007 (2018 rev.) "
        f"3.2.1 asks >= {DEFAULT_BEDS_PER_1000_ELDERLY:g}), so one bed serves {per_bed:g} elderly",
        f"床位容量：每千名老年人 {bpk:g} 张床位（GB 50437-2007（2018年版）3.2.1 "
        f"要求不少于 {DEFAULT_BEDS_PER_1000_ELDERLY:g} 张），即每张床位服务 {per_bed:g} 名老年人",
    )
    required = np.zeros(len(placed.weight), dtype=bool)
    return _Solved(model, model.served_before, model.served, required, capacity=beds_c * per_bed)


_MODELS: dict[str, Callable[[_Placed, Solver], _Solved]] = {
    "coverage": _solve_coverage,
    "min-sites": _solve_min_sites,
    "capacitated": _solve_capacitated,
}


def _sites_frame(cands: gpd.GeoDataFrame, solved: _Solved, total: float, crs: Any) -> gpd.GeoDataFrame:
    """The chosen sites in entry order with what each adds and the elderly covered after it enters."""
    res = solved.model
    cum = float(solved.before.sum()) + np.cumsum(res.gains)
    sites = cands.iloc[res.chosen].copy()
    sites.insert(0, "order", np.arange(1, len(res.chosen) + 1))
    sites["gain_elderly"] = res.gains
    sites["cumulative_elderly"] = cum
    sites["share_after"] = cum / total
    keep_cols = [
        "order",
        "candidate",
        "name",
        "generated",
        "gain_elderly",
        "cumulative_elderly",
        "share_after",
        "reach_elderly",
        "cost",
        "beds",
    ] + (["capacity_elderly"] if solved.capacity is not None else [])
    return gpd.GeoDataFrame(
        sites[[*keep_cols, "geometry"]].reset_index(drop=True), geometry="geometry", crs=crs
    )


def _candidates_frame(cands: gpd.GeoDataFrame, chosen: np.ndarray, crs: Any) -> gpd.GeoDataFrame:
    """Every usable candidate with ``chosen`` and its ``order`` of entry (NaN when not chosen)."""
    out = cands.copy()
    out["chosen"] = False
    out.iloc[chosen, out.columns.get_loc("chosen")] = True
    order_col = np.full(len(out), np.nan)
    order_col[chosen] = np.arange(1, len(chosen) + 1)
    out["order"] = order_col
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry", crs=crs)


def _curve_frame(curve: pd.DataFrame, before_total: float, total: float) -> pd.DataFrame:
    """The model's curve with the elderly covered and the share, existing facilities included."""
    frame = curve.copy()
    frame["elderly_covered"] = before_total + frame["elderly_added"].to_numpy(float)
    frame["share"] = frame["elderly_covered"] / total
    return frame[["sites", "elderly_added", "elderly_covered", "share", "method"]]


def _summarise(placed: _Placed, solved: _Solved, network: Any, t0: float) -> SitingResult:
    """The :class:`SitingResult` of a solved model."""
    o, study, res, notes = placed.options, placed.study, solved.model, placed.notes
    before_total, after_total = float(solved.before.sum()), float(solved.after.sum())
    total = float(placed.weight.sum())
    cands = placed.cands.copy()
    if solved.capacity is not None:
        cands["capacity_elderly"] = solved.capacity
    comm = study.communities
    per_comm, per_street = _before_after(comm, placed.demand, solved.before, solved.after)
    reach_any = placed.covered | (np.diff(placed.c_reach.indptr) > 0)
    unreachable = _unreachable(
        comm,
        placed.demand,
        placed.dsnap,
        reach_any,
        solved.required,
        max_distance_m=o.max_distance_m,
        minutes=o.minutes,
        kind=o.kind,
    )
    if len(unreachable):
        points, elderly = int(unreachable["points"].sum()), unreachable["elderly"].sum()
        notes.add(
            f"{elderly:,.0f} elderly in {points} demand points are within {o.minutes:g} min of no candidate and "
            f"no existing {o.kind}: listed as unreachable",
            f"{points} 个需求点的 {elderly:,.0f} 名老年人步行 {o.minutes:g} 分钟内既无候选地块也无现有"
            f"{kind_label(o.kind, 'zh')}：列为无法覆盖",
        )
    return SitingResult(
        kind=o.kind,
        objective=o.objective,
        minutes=o.minutes,
        walk_speed_m_s=float(network.walk_speed_m_s),
        sites=_sites_frame(cands, solved, total, study.crs),
        elderly_total=total,
        covered_before=before_total,
        covered_after=after_total,
        communities=per_comm,
        streets=per_street,
        curve=_curve_frame(res.curve, before_total, total),
        curve_method=res.curve_method,
        objective_value=float(res.objective),
        bound=float(res.bound),
        gap=float(res.gap),
        status=res.status,
        solver=res.solver,
        greedy_value=float(res.greedy_objective),
        time_s=time.perf_counter() - t0,
        solve_time_s=res.time_s,
        unreachable=unreachable,
        excluded=placed.found.excluded,
        candidates=_candidates_frame(cands, res.chosen, study.crs),
        generated=placed.found.generated,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
        gap_tolerance=res.gap_tolerance,
    )


def siting_of_study(
    study: Any,
    network: Any,
    options: SitingOptions,
    *,
    screen: Screen | None = None,
    solver: Solver | None = None,
    progress: Progress | None = None,
) -> SitingResult:
    """Choose new sites of one facility kind for the study.

    Parameters
    ----------
    study : the loaded :class:`~planning.study.Study`.
    network : its :class:`~geo.network.WalkNetwork` (study CRS; its walking speed is used).
    options : what to site and how (:class:`SitingOptions`: kind, K, objective, budget, minutes, ...).
    screen : optional screening of candidate sites: called with the candidates (GeoDataFrame), returns a reason per
        row (None, NaN or '' where the site passes); sites with a reason are excluded and listed.
    solver : a :class:`~planning.siting.milp.Solver` (default :class:`~planning.siting.milp.HighsSolver`, limit
        ``options.time_limit_s``).
    progress : optional callback ``(fraction, message)``.

    Raises
    ------
    OptionError
        For a bad kind, objective, K, budget or minutes (with the numbers).
    InfeasibleError
        When no elderly are counted, or no candidate site is usable (with the reasons).
    """
    t0 = time.perf_counter()
    step = progress or silent
    options = check_options(options)
    placed = _place(study, network, options, screen, step)
    limit = 60.0 if options.time_limit_s is None else float(options.time_limit_s)
    step(0.5, message("progress_solving", objective=named("objective", options.objective)))
    solved = _MODELS[options.objective](placed, solver or HighsSolver(time_limit_s=limit))
    placed.notes.extend(solved.model.notes, solved.model.notes_zh)
    step(0.9, message("progress_summarising"))
    return _summarise(placed, solved, network, t0)


def _before_after(
    comm: pd.DataFrame, demand: pd.DataFrame, before: np.ndarray, after: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Elderly covered before/after per community and per street."""
    owner = demand["community"].to_numpy()
    inside = owner >= 0
    w = demand["elderly"].to_numpy(float)
    n = len(comm)
    per = pd.DataFrame(
        {
            "name": comm["name"].to_numpy(object),
            "street": comm["street"].to_numpy(object),
            "kind": comm["kind"].to_numpy(object) if "kind" in comm else "urban",
            "elderly": np.bincount(owner[inside], weights=w[inside], minlength=n),
            "covered_before": np.bincount(owner[inside], weights=before[inside], minlength=n),
            "covered_after": np.bincount(owner[inside], weights=after[inside], minlength=n),
        }
    )
    _add_gain_shares(per)
    st = per.assign(street=per["street"].fillna("(no street)"))
    streets = (
        st.groupby("street", sort=True)
        .agg(
            communities=("name", "size"),
            elderly=("elderly", "sum"),
            covered_before=("covered_before", "sum"),
            covered_after=("covered_after", "sum"),
        )
        .reset_index()
    )
    _add_gain_shares(streets)
    return per, streets


def _add_gain_shares(frame: pd.DataFrame) -> None:
    """Add ``gain``, ``share_before`` and ``share_after`` (NaN where no elderly) to a before/after frame."""
    frame["gain"] = frame["covered_after"] - frame["covered_before"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for when in ("before", "after"):
            frame[f"share_{when}"] = np.where(
                frame["elderly"] > 0, frame[f"covered_{when}"] / frame["elderly"], np.nan
            )


def _unreachable(
    comm: pd.DataFrame,
    demand: pd.DataFrame,
    dsnap: Any,
    reach_any: np.ndarray,
    required: np.ndarray,
    *,
    max_distance_m: float,
    minutes: float,
    kind: str,
) -> pd.DataFrame:
    """Demand (elderly > 0) reached by no candidate and no existing facility, per community and reason."""
    w = demand["elderly"].to_numpy(float)
    lost = (w > 0) & ~reach_any
    cols = ["community", "street", "kind", "points", "elderly", "required", "reason", "reason_zh"]
    if not lost.any():
        return pd.DataFrame(columns=cols)
    owner = demand["community"].to_numpy()
    names = np.where(
        owner >= 0, comm["name"].to_numpy(object)[np.maximum(owner, 0)], "(outside every community)"
    )
    streets = np.where(owner >= 0, comm["street"].to_numpy(object)[np.maximum(owner, 0)], None)
    kinds = np.where(
        owner >= 0,
        (comm["kind"].to_numpy(object) if "kind" in comm else np.full(len(comm), "urban", dtype=object))[
            np.maximum(owner, 0)
        ],
        None,
    )
    reason = np.where(
        dsnap.far,
        f"farther than {max_distance_m:g} m from every walkable street",
        f"no candidate site and no existing {kind} within {minutes:g} min",
    )
    reason_zh = np.where(
        dsnap.far,
        f"距任何可步行道路都超过 {max_distance_m:g} 米",
        f"步行 {minutes:g} 分钟内既无候选地块也无现有{kind_label(kind, 'zh')}",
    )
    frame = pd.DataFrame(
        {
            "community": names,
            "street": streets,
            "kind": kinds,
            "elderly": w,
            "required": required,
            "reason": reason,
            "reason_zh": reason_zh,
        }
    )[lost]
    frame["street"] = frame["street"].fillna("(no street)")
    frame["kind"] = frame["kind"].fillna("")
    out = (
        frame.groupby(["community", "street", "kind", "reason", "reason_zh"], sort=False)
        .agg(points=("elderly", "size"), elderly=("elderly", "sum"), required=("required", "sum"))
        .reset_index()
    )
    out["required"] = out["required"].astype(int)
    return out[cols].sort_values("elderly", ascending=False).reset_index(drop=True)
