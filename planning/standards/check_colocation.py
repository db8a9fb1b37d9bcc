"""Co-location of care institutions with a community health centre, as the texts ask it: of new builds.

宜春 二(四)12 支持新建社区卫生服务机构与养老服务机构…统筹规划、毗邻建设; 磐安县 二(二)7 鼓励新建、改建基层医疗机构与
养老机构一体化或毗邻建设. Both speak of new builds, so the rule judges the care institutions (养老机构: nursing homes
and embedded homes, :data:`~planning.standards.rules.INSTITUTION_KINDS`) marked ``built = new`` and the candidate
sites that may host one; an existing institution gets an ``advisory`` line with its distance, never a fail.

Distances are walked on the network when given (:func:`health_walk_m` for facilities,
:func:`candidate_health_walk_m` for candidate sites), else measured in a straight line when the check allows it
(and every row says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.network import WalkNetwork
from geo.travel import nearest_times
from planning.display import format_number
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.check_sites import candidate_kinds
from planning.standards.rows import Context, UnitRows, judge, not_assessable_row, rows_frame, summary_row
from planning.standards.rules import Rule
from planning.study import Study

#: The note of a straight-line distance (Chinese, English).
_STRAIGHT = (
    "（直线距离：未计算步行距离，实际步行距离更长）",
    " (straight-line distance: walking distances not computed; the walk is longer)",
)


def walks_to_health_m(
    network: WalkNetwork,
    health_xy: np.ndarray,
    xy: np.ndarray,
    *,
    max_walk_m: float = 2000.0,
    max_distance_m: float = 300.0,
) -> np.ndarray:
    """Metres walked from each point of ``xy`` to the nearest of ``health_xy``.

    Parameters
    ----------
    network : the walking network (study CRS).
    health_xy : the health centres, (n, 2).
    xy : the points measured, (m, 2).
    max_walk_m : search no farther; beyond it the distance is ``inf``.
    max_distance_m : points farther than this from every walkable street are not placed on the network (NaN).

    Returns
    -------
    numpy.ndarray
        Metres walked (walking time x speed, so steps count at their slower pace), ``inf`` when no health centre
        lies within ``max_walk_m``, NaN off the network.
    """
    if not len(health_xy) or not len(xy):
        return np.full(len(xy), np.nan)
    res = nearest_times(
        network, health_xy, xy, limit_s=max_walk_m / network.walk_speed_m_s, max_distance_m=max_distance_m
    )
    return np.where(res.target_far, np.nan, res.time_s * network.walk_speed_m_s)


def candidate_health_walk_m(
    study: Study, network: WalkNetwork, *, max_walk_m: float = 2000.0, max_distance_m: float = 300.0
) -> pd.Series | None:
    """Walking distance from each candidate site to the nearest community health centre, for ``check_study``.

    Parameters
    ----------
    study : the study (its candidates, and the ``health_centre`` facilities).
    network : its walking network (study CRS).
    max_walk_m, max_distance_m : as in :func:`walks_to_health_m`.

    Returns
    -------
    pandas.Series or None
        Indexed like ``study.candidates`` (a point on each site); None when the study has no candidates.
    """
    cand = study.candidates
    if cand is None:
        return None
    fac = study.facilities
    health = (fac["kind"] == "health_centre").to_numpy()
    geoms = cand.geometry.to_numpy()
    if len(geoms):
        geoms = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.point_on_surface(geoms))
    xy = shapely.get_coordinates(geoms) if len(geoms) else np.empty((0, 2))
    health_xy = shapely.get_coordinates(fac.geometry.to_numpy()[health]) if health.any() else np.empty((0, 2))
    dist = walks_to_health_m(network, health_xy, xy, max_walk_m=max_walk_m, max_distance_m=max_distance_m)
    return pd.Series(dist, index=cand.index, dtype=float)


def _kinds_text(rule: Rule) -> tuple[str, str]:
    """The institutions the rule checks (Chinese, English)."""
    return (
        "、".join(FACILITY_KINDS[k] for k in rule.kinds),
        " or ".join(FACILITY_KINDS_EN[k].lower() for k in rule.kinds),
    )


def _built(ctx: Context) -> np.ndarray:
    """Per facility: ``new`` or ``existing`` (a facility without the ``built`` column, or blank, is existing)."""
    if "built" not in ctx.fac:
        return np.full(len(ctx.fac), "existing", dtype=object)
    return np.where(ctx.fac["built"].to_numpy(object) == "new", "new", "existing").astype(object)


def _straight_m(points: np.ndarray, health: np.ndarray) -> np.ndarray:
    """Straight-line metres from each point to the nearest health centre."""
    if not len(points):
        return np.empty(0)
    pts = np.where(shapely.get_type_id(points) == 0, points, shapely.point_on_surface(points))
    nearest = shapely.STRtree(health).nearest(pts)
    return shapely.distance(pts, health[nearest])


def _distances(
    ctx: Context, targets: np.ndarray, cand_geoms: np.ndarray, cand_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]] | None:
    """Metres to the nearest health centre: of the target facilities and of the candidate sites, and the note
    (Chinese, English) saying when they are straight lines; None when neither walks nor straight lines may be used.

    A candidate site whose walk is not given (its facilities' are) is unknown (NaN)."""
    health = ctx.fac.geometry.to_numpy()[(ctx.fac["kind"] == "health_centre").to_numpy()]
    if ctx.health_walk_m is not None:
        fac_m = ctx.health_walk_m.to_numpy(float)[targets]
        walks, cands = ctx.candidate_health_walk_m, ctx.study.candidates
        cand_m = (
            np.full(len(cand_geoms), np.nan)
            if walks is None or cands is None
            else walks.reindex(cands.index).to_numpy(float)[cand_index]
        )
        return fac_m, cand_m, ("", "")
    if not ctx.straight_line_fallback:
        return None
    return (
        _straight_m(ctx.fac.geometry.to_numpy()[targets], health),
        _straight_m(cand_geoms, health),
        _STRAIGHT,
    )


def check_health(ctx: Context, rule: Rule) -> pd.DataFrame:
    """New care institutions and candidate sites for one: the walk (or, as a fallback, the straight line) to the
    nearest community health centre; existing institutions: an advisory line.

    A :data:`~planning.standards.rows.Checker`: the district summary (of the new institutions and candidate sites
    judged), then one row per institution and one per candidate site that may host one.
    """
    kinds_zh, kinds_en = _kinds_text(rule)
    targets = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    found = candidate_kinds(ctx)
    cand, cand_kinds = found if found is not None else (None, [])
    cand_sel = np.array([bool(set(rule.kinds) & ks) for ks in cand_kinds], dtype=bool)
    if not targets.any() and not cand_sel.any():
        return not_assessable_row(
            ctx,
            rule,
            f"研究区没有养老机构（{kinds_zh}），也没有可建养老机构的候选地块",
            f"the study has no care institution ({kinds_en}) and no candidate site for one",
        )
    if not (ctx.fac["kind"] == "health_centre").any():
        return not_assessable_row(
            ctx,
            rule,
            "设施图层中没有社区卫生服务中心（health_centre），请补充后再检查",
            "the facilities layer has no health_centre; add the community health centres to check adjacency",
        )
    cand_geoms = cand.geometry.to_numpy()[cand_sel] if cand is not None else np.empty(0, dtype=object)
    measured = _distances(ctx, targets, cand_geoms, np.flatnonzero(cand_sel))
    if measured is None:
        return not_assessable_row(
            ctx,
            rule,
            "未计算到社区卫生服务中心的步行距离（运行 eldercircle coverage 或提供步行路网）",
            "walking distances to health centres not computed (run eldercircle coverage / give a network)",
        )
    fac_m, cand_m, note = measured
    new = _built(ctx)[targets] == "new"
    fac_rows = _facility_rows(ctx, rule, targets, fac_m, new, note)
    cand_rows = None
    if cand is not None and cand_sel.any():
        cand_rows = _judged_rows(
            ctx, rule, cand_m, note, level="candidate", names=cand["name"].to_numpy(object)[cand_sel]
        )
    judged = np.concatenate(
        [
            fac_rows.loc[fac_rows["verdict"] != "advisory", "verdict"].to_numpy(object),
            np.empty(0, dtype=object) if cand_rows is None else cand_rows["verdict"].to_numpy(object),
        ]
    )
    district = _district_row(ctx, rule, judged, n_existing=int((~new).sum()))
    return pd.concat([f for f in (district, fac_rows, cand_rows) if f is not None], ignore_index=True)


def _district_row(ctx: Context, rule: Rule, judged: np.ndarray, *, n_existing: int) -> pd.DataFrame:
    """The district row: the new institutions and candidate sites that pass; advisory when none is judged."""
    tail_zh = f"；现有养老机构{n_existing}处仅作提示（文件要求的是新建养老机构）" if n_existing else ""
    tail_en = (
        f"; {n_existing} existing institutions advisory only (the texts ask this of new builds)"
        if n_existing
        else ""
    )
    if len(judged):
        row = summary_row(
            ctx,
            rule,
            judged,
            what_zh="新建养老机构和候选地块",
            what_en="new institutions and candidate sites",
            need_unit="facilities",
        )
        row["explanation_zh"] += tail_zh
        row["explanation_en"] += tail_en
        return row
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=np.nan,
            verdict="advisory",
            shortfall=np.nan,
            need=np.nan,
            need_unit="",
            zh="提示：没有新建养老机构（建设状态 = 新建）或可建养老机构的候选地块需要判定" + tail_zh,
            en="advisory: no new institution (built = new) and no candidate site for one to judge" + tail_en,
        ),
    )


def _facility_rows(
    ctx: Context, rule: Rule, targets: np.ndarray, dist: np.ndarray, new: np.ndarray, note: tuple[str, str]
) -> pd.DataFrame:
    """One row per institution: new ones judged, existing ones advisory."""
    names = ctx.fac["name"].to_numpy(object)[targets]
    streets = ctx.located["street"].to_numpy(object)[targets]
    judged = _judged_rows(
        ctx, rule, dist[new], note, level="facility", names=names[new], streets=streets[new]
    )
    texts = [_advisory_text(d, rule.value, note) for d in dist[~new]]
    advisory = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="facility",
            unit_name=names[~new],
            street=streets[~new],
            value=np.where(np.isfinite(dist[~new]), dist[~new], np.nan),
            verdict="advisory",
            shortfall=np.nan,
            need=np.nan,
            need_unit="",
            zh=[t[0] for t in texts],
            en=[t[1] for t in texts],
        ),
    )
    order = np.concatenate([np.flatnonzero(new), np.flatnonzero(~new)])
    both = pd.concat([judged, advisory], ignore_index=True)
    return both.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _advisory_text(distance_m: float, threshold: float, note: tuple[str, str]) -> tuple[str, str]:
    """What an existing institution's row says (Chinese, English)."""
    tail_zh = "；文件鼓励新建养老机构与社区卫生服务机构毗邻建设，现有设施仅作提示"
    tail_en = "; the texts ask this of new builds, so this is advisory, never a fail"
    if np.isnan(distance_m):
        return (
            f"现有设施：到社区卫生服务中心的距离未知{tail_zh}",
            f"existing: distance to a health centre unknown{tail_en}",
        )
    if np.isinf(distance_m):
        return (
            f"现有设施：步行可达范围内没有社区卫生服务中心{note[0]}{tail_zh}",
            f"existing: no health centre reachable on foot{note[1]}{tail_en}",
        )
    d_zh, d_en = format_number(distance_m, 0, "zh"), format_number(distance_m)
    thr_zh, thr_en = format_number(threshold, 0, "zh"), format_number(threshold)
    within = judge(np.array([distance_m]), threshold, "<=")[0][0] == "pass"
    where_zh = f"在{thr_zh}米以内" if within else f"超过{thr_zh}米"
    where_en = f"within {thr_en} m" if within else f"more than {thr_en} m"
    return (
        f"现有设施：距最近的社区卫生服务中心{d_zh}米，{where_zh}{note[0]}{tail_zh}",
        f"existing: {d_en} m to the nearest health centre, {where_en}{note[1]}{tail_en}",
    )


def _judged_rows(
    ctx: Context,
    rule: Rule,
    dist: np.ndarray,
    note: tuple[str, str],
    *,
    level: str,
    names: np.ndarray,
    streets: np.ndarray | None = None,
) -> pd.DataFrame:
    """Rows of new institutions (``level`` facility) or candidate sites (``candidate``), judged against the rule."""
    known = ~np.isnan(dist)
    verdict, shortfall = judge(np.where(known, dist, 0.0), rule.value, "<=", assessable=known)
    need = np.where(verdict == "fail", dist - rule.value, np.where(verdict == "pass", 0.0, np.nan))
    texts = [_judged_text(rule, verdict[i], dist[i], note, level=level) for i in range(len(names))]
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level=level,
            unit_name=np.asarray(names, dtype=object),
            street=None if streets is None else np.asarray(streets, dtype=object),
            value=np.where(np.isinf(dist), np.nan, dist),
            verdict=verdict,
            shortfall=np.where(np.isinf(shortfall), np.nan, shortfall),
            need=np.where(np.isinf(need), np.nan, need),
            need_unit="m",
            zh=[t[0] for t in texts],
            en=[t[1] for t in texts],
            reason=[t[2] for t in texts],
        ),
    )


def _judged_text(
    rule: Rule, verdict: str, distance_m: float, note: tuple[str, str], *, level: str
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of a new institution's or a candidate site's row."""
    what_zh, what_en = (
        ("新建养老机构", "new build") if level == "facility" else ("候选地块", "candidate site")
    )
    note_zh, note_en = note
    if np.isnan(distance_m):
        return (
            f"无法评估：{what_zh}到社区卫生服务中心的距离未知（不在步行路网上或未计算）",
            f"not assessable: {what_en}: distance to a health centre unknown (off the network or not computed)",
            "distance to the nearest health centre unknown",
        )
    if np.isinf(distance_m):
        return (
            f"{what_zh}：步行可达范围内没有社区卫生服务中心{note_zh}",
            f"{what_en}: no health centre reachable on foot{note_en}",
            "",
        )
    d_zh, d_en = format_number(distance_m, 0, "zh"), format_number(distance_m)
    if verdict == "pass":
        return (
            f"达标：{what_zh}距最近的社区卫生服务中心{d_zh}米{note_zh}",
            f"meets the standard: {what_en}, {d_en} m to the nearest health centre{note_en}",
            "",
        )
    return (
        f"{what_zh}距最近的社区卫生服务中心{d_zh}米，超过{format_number(rule.value, 0, 'zh')}米{note_zh}",
        f"{what_en}: {d_en} m to the nearest health centre, more than {format_number(rule.value)} m{note_en}",
        "",
    )
