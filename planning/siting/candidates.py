"""Candidate sites: from the study's candidates layer (those that may host the kind), generated from street nodes
when the layer has none (or when asked), and screened: a site farther than the limit from every street, without a
cost under a budget, without beds in the capacitated model or with a reason from the screening hook is excluded and
listed with the reason in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.errors import InfeasibleError
from geo.messages import Message
from geo.travel import Snap, node_times_from_sources, snap_points
from planning.i18n import Notes, kind_label, message, say, tr
from planning.siting.options import SitingOptions

#: Generated candidates: street nodes where at least this many streets meet ...
GENERATED_MIN_DEGREE = 3
#: ... thinned so that no two are closer than this (straight line).
GENERATED_SPACING_M = 150.0
#: A generated candidate is named by the nearest named street no farther than this (straight line) ...
NAME_REACH_M = 200.0
#: Beds assumed for a generated embedded-home candidate (a typical small embedded home; eldercircle's default).
DEFAULT_GENERATED_BEDS = 60.0

#: A screening hook: called with the candidates, returns a reason per row (None, NaN or '' where the site passes).
Screen = Callable[[gpd.GeoDataFrame], pd.Series]


def _kinds_contain(kinds: pd.Series, kind: str) -> np.ndarray:
    """Whether each candidate's comma list of kinds holds ``kind``; a blank list allows every kind (as the loader
    and the standards checks read it)."""
    return np.array(
        [
            kind in [k.strip() for k in v.split(",")] if isinstance(v, str) and v.strip() else True
            for v in kinds.to_numpy(object)
        ],
        dtype=bool,
    )


def _screen_reasons(screen: Screen | None, frame: gpd.GeoDataFrame) -> np.ndarray:
    """Reasons from the screening hook (None/NaN/'' pass), as an object array aligned with ``frame``."""
    out = np.full(len(frame), None, dtype=object)
    if screen is None or len(frame) == 0:
        return out
    reasons = screen(frame)
    values = (
        pd.Series(reasons).reindex(frame.index)
        if isinstance(reasons, pd.Series)
        else pd.Series(list(reasons), index=frame.index)
    )
    for i, v in enumerate(values.to_numpy(object)):
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip():
            out[i] = str(v)
    return out


def generate_candidates(
    network: Any,
    demand_snap: Any,
    uncovered: np.ndarray,
    *,
    limit_s: float,
    min_degree: int = GENERATED_MIN_DEGREE,
    spacing_m: float = GENERATED_SPACING_M,
) -> tuple[np.ndarray, np.ndarray]:
    """Street nodes where a new facility could go: nodes where at least ``min_degree`` segments meet, within
    ``limit_s`` of some uncovered demand point, thinned so no two are closer than ``spacing_m``.

    Thinning keeps, per square cell of ``spacing_m``, the node nearest the cell's centre (vectorised), then drops
    nodes closer than ``spacing_m`` to one kept before (in order of degree, then position; a loop over the few
    hundred cell winners only).

    Returns
    -------
    (node ids, (k, 2) coordinates) of the generated candidates.
    """
    n = network.n_nodes
    u, v = np.asarray(network.edge_u), np.asarray(network.edge_v)
    proper = u != v
    degree = np.bincount(np.concatenate([u[proper], v[proper]]), minlength=n)
    if not np.any(uncovered):
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    times, _ = node_times_from_sources(
        network, demand_snap.subset(np.flatnonzero(uncovered)), limit_s=limit_s
    )
    ok = np.flatnonzero((degree >= min_degree) & np.isfinite(times))
    if ok.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    xy = network.node_xy[ok]
    cell = np.floor(xy / spacing_m).astype(np.int64)
    centre = (cell + 0.5) * spacing_m
    dist = np.hypot(*(xy - centre).T)
    order = np.lexsort((dist, cell[:, 1], cell[:, 0]))
    c_sorted = cell[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = np.any(c_sorted[1:] != c_sorted[:-1], axis=1)
    winners = ok[order[first]]
    w_xy = network.node_xy[winners]
    pri = np.lexsort((w_xy[:, 1], w_xy[:, 0], -degree[winners]))
    winners, w_xy = winners[pri], w_xy[pri]
    tree = cKDTree(w_xy)
    dropped = np.zeros(winners.size, dtype=bool)
    for i in range(winners.size):
        if dropped[i]:
            continue
        near = np.asarray(tree.query_ball_point(w_xy[i], r=spacing_m - 1e-9), dtype=np.int64)
        dropped[near[near > i]] = True
    keep = ~dropped
    sel = np.sort(np.flatnonzero(keep))
    return winners[sel], w_xy[sel]


@dataclass(frozen=True, eq=False)
class CandidateSites:
    """The usable candidate sites of one kind and the excluded ones.

    Attributes
    ----------
    sites : the usable sites (study CRS): ``candidate`` (row of the candidates layer, or the street node of a
        generated candidate), ``name``, ``generated``, ``cost``, ``beds``.
    snap : their places on the network, aligned with ``sites``.
    excluded : the excluded sites: ``candidate``, ``name``, ``generated``, ``reason`` (English), ``reason_zh``.
    generated : True when street-node candidates were generated.
    notes : what was assumed and excluded, in both languages.
    """

    sites: gpd.GeoDataFrame
    snap: Snap
    excluded: pd.DataFrame
    generated: bool
    notes: Notes


def _layer_candidates(study: Any, kind: str, notes: Notes) -> gpd.GeoDataFrame | None:
    """The sites of the candidates layer that may host ``kind`` (None without a layer or rows)."""
    layer = study.candidates
    if layer is None or not len(layer):
        return None
    mask = _kinds_contain(layer["kinds"], kind) if "kinds" in layer else np.ones(len(layer), dtype=bool)
    sub = layer[mask]
    rows = sub["_row"].to_numpy() if "_row" in sub else sub.index.to_numpy()
    if not mask.all():
        notes.add(
            f"{int(mask.sum())} of {len(layer)} candidate sites may host {kind} (their kinds column)",
            f"按候选地块图层的适用类型列，{len(layer)} 个候选地块中有 {int(mask.sum())} 个可建{kind_label(kind, 'zh')}",
        )
    return gpd.GeoDataFrame(
        {
            "candidate": rows,
            "name": sub["name"].to_numpy(object),
            "generated": False,
            "cost": sub["cost"].to_numpy(float) if "cost" in sub else np.nan,
            "beds": sub["beds"].to_numpy(float) if "beds" in sub else np.nan,
        },
        geometry=sub.geometry.to_numpy(),
        crs=study.crs,
    )


def _generated_candidates(
    network: Any, dsnap: Snap, uncovered: np.ndarray, options: SitingOptions, study: Any, notes: Notes
) -> gpd.GeoDataFrame | None:
    """Street-node candidates (:func:`generate_candidates`) as sites, or None when there is none."""
    nodes, xy = generate_candidates(network, dsnap, uncovered, limit_s=options.limit_s)
    if not len(nodes):
        return None
    beds = options.objective == "capacitated"
    minutes = options.limit_s / 60
    notes.add(
        f"{len(nodes)} candidate sites GENERATED from street nodes where >= {GENERATED_MIN_DEGREE} "
        f"streets meet, within {minutes:g} min of uncovered elderly, >= {GENERATED_SPACING_M:g} m "
        "apart: they are places to look at, not vetted sites"
        + (f"; each assumed to hold {DEFAULT_GENERATED_BEDS:g} beds" if beds else ""),
        f"由路网节点自动生成 {len(nodes)} 个候选点（{GENERATED_MIN_DEGREE} 条及以上道路交汇、步行 "
        f"{minutes:g} 分钟内有未覆盖老年人、相互间距不小于 {GENERATED_SPACING_M:g} 米）："
        "仅供实地踏勘参考，并非已核实的候选地块"
        + (f"；每处按 {DEFAULT_GENERATED_BEDS:g} 张床位计" if beds else ""),
    )
    return gpd.GeoDataFrame(
        {
            "candidate": nodes,
            "name": [en for en, _ in generated_site_names(network, xy, study.communities)],
            "generated": True,
            "cost": np.nan,
            "beds": DEFAULT_GENERATED_BEDS if beds else np.nan,
        },
        geometry=shapely.points(xy),
        crs=study.crs,
    )


def nearest_street_names(network: Any, xy: np.ndarray, *, reach_m: float = NAME_REACH_M) -> list[str]:
    """The name of the nearest named street segment to each point within ``reach_m`` (``""`` where none, or when
    the network keeps no names). Among equally near segments (a crossing) the longest one names the point."""
    names = getattr(network, "edge_name", None)
    out = [""] * len(xy)
    if names is None or not len(xy):
        return out
    named = np.flatnonzero(np.array([bool(n) for n in names], dtype=bool))
    if not named.size:
        return out
    tree = shapely.STRtree(network.edge_geometry[named])
    (pt, hit), dist = tree.query_nearest(
        shapely.points(np.asarray(xy, dtype=float)),
        max_distance=reach_m,
        return_distance=True,
        all_matches=True,
    )
    length = np.asarray(network.edge_length_m)[named[hit]]
    best: dict[int, tuple[float, float, str]] = {}
    for p, h, d, ln in zip(pt.tolist(), hit.tolist(), dist.tolist(), length.tolist(), strict=True):
        cand = (round(d, 6), -ln, str(names[named[h]]))
        if p not in best or cand < best[p]:
            best[p] = cand
    for p, (_, _, name) in best.items():
        out[p] = name
    return out


def community_names(communities: gpd.GeoDataFrame | None, xy: np.ndarray) -> list[str]:
    """The name of the community each point stands in (the first by row order on a shared border; ``""`` when
    outside every community or the layer has no names)."""
    out = [""] * len(xy)
    if communities is None or not len(communities) or "name" not in communities or not len(xy):
        return out
    tree = shapely.STRtree(communities.geometry.to_numpy())
    pt, poly = tree.query(shapely.points(np.asarray(xy, dtype=float)), predicate="intersects")
    labels = communities["name"].to_numpy(object)
    for p, c in sorted(zip(pt.tolist(), poly.tolist(), strict=True), reverse=True):
        value = labels[c]
        out[p] = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    return out


def _name_key(street: str, community: str) -> str:
    if street:
        return "site_generated_street_community" if community else "site_generated_street"
    return "site_generated_community" if community else "site_generated"


def generated_site_names(
    network: Any, xy: np.ndarray, communities: gpd.GeoDataFrame | None
) -> list[tuple[str, str]]:
    """(English, Chinese) names of generated sites, numbered 1, 2, … in order: by the nearest named street and the
    community they stand in (``by 建设路 (翠苑社区) · generated site 12``, 「建设路旁（翠苑社区）· 生成候选点12」);
    the community only when no named street is within :data:`NAME_REACH_M`; never a node id."""
    streets = nearest_street_names(network, xy)
    comms = community_names(communities, xy)
    out = []
    for i, (street, community) in enumerate(zip(streets, comms, strict=True), start=1):
        key = _name_key(street, community)
        out.append(
            (
                say(key, "en", street=street, community=community, n=i),
                say(key, "zh", street=street, community=community, n=i),
            )
        )
    return out


#: The English names of generated sites (from the catalogue's templates), most specific first.
_NAME_PATTERNS = tuple(
    (
        key,
        re.compile(
            "^"
            + re.sub(
                r"\\\{(\w+)\\\}",
                lambda m: f"(?P<{m.group(1)}>{'[0-9]+' if m.group(1) == 'n' else '.+'})",
                re.escape(tr(key, "en")),
            )
            + "$"
        ),
    )
    for key in (
        "site_generated_street_community",
        "site_generated_street",
        "site_generated_community",
        "site_generated",
    )
)


def site_name(name: Any, lang: str) -> str:
    """A site's name in ``lang``: a generated site's English name (:func:`generated_site_names`) in ``lang``,
    any other name as it is."""
    text = str(name)
    if lang == "en":
        return text
    for key, pattern in _NAME_PATTERNS:
        m = pattern.match(text)
        if m:
            return say(key, lang, **m.groupdict())
    return text


def _no_candidates(study: Any, options: SitingOptions, uncovered: np.ndarray) -> InfeasibleError:
    """The error when no candidate site exists for the kind, with what the layer holds and the fix."""
    layer, kind = study.candidates, options.kind
    folder = getattr(study, "folder", message("err_the_study"))
    minutes = options.limit_s / 60
    if layer is not None and len(layer):
        present = (
            sorted({k.strip() for v in layer["kinds"].dropna() for k in str(v).split(",")})
            if "kinds" in layer
            else []
        )
        where = message(
            "err_candidates_none_fit",
            n=len(layer),
            study=folder,
            kind=kind,
            present=", ".join(present) or message("err_none_word"),
        )
    else:
        where = message("err_candidates_no_layer", study=folder)
    if options.generate is False:
        return InfeasibleError(message("err_candidates_not_generated", where=where, kind=kind))
    if not np.any(uncovered):
        return InfeasibleError(message("err_candidates_all_covered", where=where, minutes=minutes, kind=kind))
    return InfeasibleError(
        message(
            "err_candidates_none_generated", where=where, min_degree=GENERATED_MIN_DEGREE, minutes=minutes
        )
    )


def _exclusions(
    cands: gpd.GeoDataFrame, snap: Snap, options: SitingOptions, screen: Screen | None
) -> tuple[np.ndarray, np.ndarray]:
    """Why each site is excluded (None where it is usable), in English and Chinese: the screen's own reason first,
    then off the network, then no cost under a budget, then no beds in the capacitated model."""
    reasons = _screen_reasons(screen, cands)
    reasons_zh = reasons.copy()  # a screen's own reasons are in the language it was built for
    max_m = options.max_distance_m
    for i in np.flatnonzero(snap.far):
        if reasons[i] is None:
            reasons[i] = (
                f"{snap.offset_m[i]:,.0f} m from the nearest walkable street (more than {max_m:g} m): outside "
                "the network"
            )
            reasons_zh[i] = (
                f"距最近的可步行道路 {snap.offset_m[i]:,.0f} 米（超过 {max_m:g} 米）：不在步行网络上"
            )
    if options.budget is not None:
        for i in np.flatnonzero(~np.isfinite(cands["cost"].to_numpy(float))):
            if reasons[i] is None:
                reasons[i] = "no cost given (a budget needs the cost of every site)"
                reasons_zh[i] = "未填写成本（有预算约束时每个地块都需要成本）"
    if options.objective == "capacitated":
        beds = cands["beds"].to_numpy(float)
        for i in np.flatnonzero(~(np.isfinite(beds) & (beds > 0))):
            if reasons[i] is None:
                reasons[i] = "no beds given (the capacitated model needs the beds of every site)"
                reasons_zh[i] = "未填写床位数（按床位容量覆盖模型需要每个地块的床位数）"
    return reasons, reasons_zh


def _all_excluded(excluded: pd.DataFrame, options: SitingOptions) -> InfeasibleError:
    """The error when every candidate site is excluded, with the count per reason."""
    counts = (
        excluded["reason"]
        .map(lambda r: r.split(" (")[0] if "outside the network" not in r else "outside the network")
        .value_counts()
    )
    parts = [message("err_excluded_count", n=n, reason=_REASON_CODES.get(r, r)) for r, n in counts.items()]
    return InfeasibleError(
        message(
            "err_candidates_all_excluded",
            n=len(excluded),
            kind=options.kind,
            counts=_joined(parts),
            max_m=options.max_distance_m,
        )
    )


#: The short English reasons :func:`_exclusions` gives, as messages (a screen's own reasons are in its language).
_REASON_CODES: dict[str, Message] = {
    "outside the network": message("err_reason_off_network"),
    "no cost given": message("err_reason_no_cost"),
    "no beds given": message("err_reason_no_beds"),
}


def _joined(parts: list[Message]) -> Message | str:
    """``parts`` as one message, separated by semicolons in their language ("" for none)."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return message("err_joined", first=parts[0], rest=_joined(parts[1:]))


def candidate_sites(
    study: Any,
    network: Any,
    options: SitingOptions,
    *,
    demand: Snap,
    uncovered: np.ndarray,
    screen: Screen | None = None,
) -> CandidateSites:
    """The usable candidate sites of ``options.kind`` with their snap, and the excluded ones with reasons.

    Parameters
    ----------
    study : the loaded :class:`~planning.study.Study`.
    network : its :class:`~geo.network.WalkNetwork`.
    options : checked siting options (kind, objective, budget, generate, minutes, max_distance_m).
    demand : the demand points' snap.
    uncovered : (demand,) bool, elderly no existing facility covers (generated candidates lie within reach of them).
    screen : optional screening hook (see :data:`Screen`).

    Raises
    ------
    InfeasibleError
        When no candidate site exists for the kind, or every one is excluded (with the reasons).
    """
    notes = Notes()
    from_layer = _layer_candidates(study, options.kind, notes)
    n_from_layer = 0 if from_layer is None else len(from_layer)
    frames = [] if from_layer is None else [from_layer]
    generated = False
    if (n_from_layer == 0) if options.generate is None else bool(options.generate):
        made = _generated_candidates(network, demand, uncovered, options, study, notes)
        if made is not None:
            frames.append(made)
            generated = True
    if not frames or sum(len(f) for f in frames) == 0:
        raise _no_candidates(study, options, uncovered)
    cands = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=study.crs)
    if screen is None:
        notes.add(
            "no site screening applied (distance from expressways, size): candidates are used as given",
            "未进行候选地块筛选（与快速路的距离、用地规模）：候选地块按原样使用",
        )
    xy = shapely.get_coordinates(cands.geometry.to_numpy()).reshape(-1, 2)
    snap = snap_points(network, xy, max_distance_m=options.max_distance_m)
    reasons, reasons_zh = _exclusions(cands, snap, options, screen)
    bad = np.array([r is not None for r in reasons], dtype=bool)
    excluded = pd.DataFrame(
        {
            "candidate": cands["candidate"].to_numpy()[bad],
            "name": cands["name"].to_numpy()[bad],
            "generated": cands["generated"].to_numpy()[bad],
            "reason": reasons[bad],
            "reason_zh": reasons_zh[bad],
        },
        columns=["candidate", "name", "generated", "reason", "reason_zh"],
    )
    if bad.all():
        raise _all_excluded(excluded, options)
    if bad.any():
        notes.add(
            f"{int(bad.sum())} of {len(cands)} candidate sites excluded (see the excluded list)",
            f"{len(cands)} 个候选地块中有 {int(bad.sum())} 个被排除（见被排除的候选点列表）",
        )
    keep = np.flatnonzero(~bad)
    sites = cands.iloc[keep].reset_index(drop=True)
    return CandidateSites(
        sites=sites, snap=snap.subset(keep), excluded=excluded, generated=generated, notes=notes
    )
