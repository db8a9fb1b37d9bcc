"""The candidate-site rules: distance from expressways and their junctions, and the size of the site (floor
area, beds, floor or land per bed) for the kinds it may host.

The measures and phrases here are shared with the siting screen (:mod:`planning.standards.screen`), so a site the
screen excludes fails the same row of the check.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.cache import cached_major_roads
from geo.errors import NetworkError
from geo.roads import distance_to_roads, is_osm_xml
from planning.display import format_number
from planning.i18n import say
from planning.land import number_values
from planning.schema import FACILITY_KINDS
from planning.standards.rows import Context, UnitRows, judge, not_assessable_row, rows_frame
from planning.standards.rules import Rule
from planning.standards.text import format_value
from planning.study import Study

#: The rules measured from expressways (the others of a candidate are sizes).
ROAD_RULES = ("candidate_expressway_min_distance_m", "candidate_junction_min_distance_m")
#: What each road rule measures from: (Chinese, English).
_ROAD_WHAT = {
    "road": ("高速公路/快速路", "expressway"),
    "junction": ("高速出入口/立交匝道口", "expressway junction"),
}
#: What a candidate size rule measures: (Chinese, English) name of the quantity.
_SIZE_WHAT = {
    "m2": ("建筑面积", "floor area"),
    "beds": ("床位", ""),
    "floor_per_bed": ("每床建筑面积", "floor area per bed"),
    "land_per_bed": ("每床用地", "land per bed"),
}


def candidate_kinds(ctx: Context) -> tuple[pd.DataFrame, list[set[str]]] | None:
    """The study's candidate sites (renumbered from 0) and the kinds each may host (all kinds when its ``kinds`` is
    blank), kept in ``ctx.cache`` for the next rule; None when the study has none.

    Parameters
    ----------
    ctx : the check's context.

    Returns
    -------
    tuple of (pandas.DataFrame, list of set of str), or None
    """
    cand = ctx.study.candidates
    if cand is None or not len(cand):
        return None
    if "candidates" not in ctx.cache:
        cand = cand.reset_index(drop=True)
        kinds = (
            cand["kinds"].astype(object).where(cand["kinds"].notna(), ",".join(FACILITY_KINDS))
            if "kinds" in cand
            else pd.Series(",".join(FACILITY_KINDS), index=cand.index)
        )
        ctx.cache["candidates"] = cand
        ctx.cache["candidate_kinds"] = [{k.strip() for k in str(ks).split(",")} for ks in kinds]
    return ctx.cache["candidates"], ctx.cache["candidate_kinds"]


def _candidate_frame(ctx: Context, rule: Rule) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Candidates that may host one of the rule's kinds (and None), or None and a not-assessable row."""
    found = candidate_kinds(ctx)
    if found is None:
        return None, not_assessable_row(
            ctx, rule, "研究区没有候选地块", "the study has no candidate sites", level="candidate"
        )
    cand, cand_kinds = found
    wanted = set(rule.kinds)
    sel = np.array([bool(wanted & ks) for ks in cand_kinds], dtype=bool)
    if not sel.any():
        what = "、".join(FACILITY_KINDS[k] for k in rule.kinds)
        return None, not_assessable_row(
            ctx,
            rule,
            f"没有可建{what}的候选地块",
            f"no candidate site may host {', '.join(rule.kinds)}",
            level="candidate",
        )
    return cand[sel], None


def check_roads(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Per candidate site that may host the rule's kinds: the distance to the nearest expressway (or junction).

    A :data:`~planning.standards.rows.Checker`: one row per candidate site (or one not-assessable row).
    """
    cand, na = _candidate_frame(ctx, rule)
    if cand is None:
        return na
    what_zh, what_en = _ROAD_WHAT[_road_role(rule)]
    roads, why = expressways_layer(ctx.study, ctx.expressways, ctx.cache)
    if roads is None:
        return not_assessable_row(ctx, rule, why[0], why[1], level="candidate")
    dist = road_distance(rule, cand.geometry.to_numpy(), roads)
    verdict, shortfall = judge(dist, rule.value, ">=")
    need = np.where(verdict == "fail", rule.value - dist, 0.0)
    zh, en = [], []
    for d, v in zip(dist, verdict, strict=False):
        if not np.isfinite(d):
            zh.append(f"达标：路网文件中没有{what_zh}")
            en.append(f"meets the standard: no {what_en} in the network file")
        elif v == "pass":
            zh.append(f"达标：距最近的{what_zh}{format_number(d, 0, 'zh')}米")
            en.append(f"meets the standard: {format_number(d)} m from the nearest {what_en}")
        else:
            zh.append(road_phrase(rule, d, "zh") + "（噪声、安全）")
            en.append(road_phrase(rule, d, "en") + " (noise, safety)")
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level="candidate",
            unit_name=cand["name"].to_numpy(object),
            value=np.where(np.isfinite(dist), dist, np.nan),
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="m",
            zh=zh,
            en=en,
        ),
    )


def expressways_layer(
    study: Study, expressways: Any, cache: dict[str, Any]
) -> tuple[gpd.GeoDataFrame | None, tuple[str, str]]:
    """Expressway lines and junctions in the study CRS (given, or read from its OSM network), or None and why.

    Parameters
    ----------
    study : the study (its CRS and network source).
    expressways : a layer of expressway lines and junction points, ``"auto"`` (read from the study's OSM network
        file) or None.
    cache : where the answer is kept for the next rule (``roads`` and ``why``).

    Returns
    -------
    roads : geopandas.GeoDataFrame or None
        With ``role`` = ``road`` or ``junction``.
    why : tuple of str
        Why there are none (Chinese, English); empty when there are.
    """
    if "roads" in cache:
        return cache["roads"], cache["why"]
    roads, why = None, ("", "")
    if isinstance(expressways, gpd.GeoDataFrame):
        roads = expressways.to_crs(study.crs) if expressways.crs is not None else expressways
        if "role" not in roads:
            roads = roads.assign(
                role=np.where(shapely.get_type_id(roads.geometry.to_numpy()) == 0, "junction", "road")
            )
    elif isinstance(expressways, str) and expressways == "auto":
        src = study.network_source_path()
        if src is not None and is_osm_xml(src):
            try:
                roads = cached_major_roads(src, crs=study.crs)
            except NetworkError as exc:
                why = (
                    f"无法读取路网文件中的高速公路：{say(exc, 'zh')}",
                    f"expressways could not be read: {exc}",
                )
        else:
            why = (
                "研究区的路网不是OSM文件，无法识别高速公路；请提供OSM路网",
                "the study's network is not an OSM file, so expressways are unknown; give an OSM network",
            )
    else:
        why = ("未提供高速公路图层", "no expressway layer given")
    cache["roads"], cache["why"] = roads, why
    return roads, why


def check_candidate_size(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Per candidate site that may host the rule's kinds: its floor area, beds, or floor or land per bed.

    A :data:`~planning.standards.rows.Checker`: one row per candidate site (or one not-assessable row).
    """
    cand, na = _candidate_frame(ctx, rule)
    if cand is None:
        return na
    value, missing, missing_zh = candidate_size(
        rule,
        number_values(cand, "floor_area_m2"),
        number_values(cand, "land_area_m2"),
        number_values(cand, "beds"),
    )
    known = np.isfinite(value)
    verdict, shortfall = judge(np.where(known, value, 0.0), rule.value, rule.compare, assessable=known)
    need = np.where(verdict == "fail", shortfall, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = [], [], []
    for v, x in zip(verdict, value, strict=False):
        if v == "not_assessable":
            zh.append(f"无法评估：缺少{missing_zh}")
            en.append(f"not assessable: missing {missing}")
            reason.append(f"missing {missing}")
        elif v == "pass":
            zh.append(f"达标：{size_phrase(rule, x, 'zh')}")
            en.append(f"meets the standard: {size_phrase(rule, x, 'en')}")
            reason.append("")
        else:
            zh.append(size_phrase(rule, x, "zh"))
            en.append(size_phrase(rule, x, "en"))
            reason.append("")
    need_unit = {"m2": "m2_floor", "beds": "beds"}.get(rule.unit, "")
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level="candidate",
            unit_name=cand["name"].to_numpy(object),
            value=np.where(known, value, np.nan),
            verdict=verdict,
            shortfall=shortfall,
            need=need if need_unit else np.nan,
            need_unit=need_unit,
            zh=zh,
            en=en,
            reason=reason,
        ),
    )


def _road_role(rule: Rule) -> str:
    """``road`` for the expressway rule, ``junction`` for the junction rule."""
    return "road" if rule.id == "candidate_expressway_min_distance_m" else "junction"


def road_distance(rule: Rule, geoms: np.ndarray, roads: gpd.GeoDataFrame) -> np.ndarray:
    """Metres from each site (a point, or a point on its polygon) to the rule's road feature; inf when none.

    Parameters
    ----------
    rule : ``candidate_expressway_min_distance_m`` (to roads) or ``candidate_junction_min_distance_m``.
    geoms : the sites' geometries (study CRS).
    roads : from :func:`expressways_layer`.

    Returns
    -------
    numpy.ndarray
    """
    pts = np.asarray(geoms, dtype=object)
    if len(pts):
        pts = np.where(shapely.get_type_id(pts) == 0, pts, shapely.point_on_surface(pts))
    return distance_to_roads(pts, roads, role=_road_role(rule))


def road_phrase(rule: Rule, distance_m: float, lang: str) -> str:
    """What a failing distance means: ``距高速公路/快速路仅50米，不足100米`` / ``only 50 m from an expressway,
    under 100 m``.

    Parameters
    ----------
    rule : a road rule (its value is the threshold).
    distance_m : the site's distance.
    lang : ``zh`` or ``en``.

    Returns
    -------
    str
    """
    what_zh, what_en = _ROAD_WHAT[_road_role(rule)]
    if lang == "zh":
        return (
            f"距{what_zh}仅{format_number(distance_m, 0, 'zh')}米，不足{format_number(rule.value, 0, 'zh')}米"
        )
    return f"only {format_number(distance_m)} m from an {what_en}, under {format_number(rule.value)} m"


def _size_key(rule: Rule) -> str:
    """What a candidate size rule measures: a key of :data:`_SIZE_WHAT`."""
    if rule.unit in ("m2", "beds"):
        return rule.unit
    return "floor_per_bed" if "floor" in rule.id else "land_per_bed"


def candidate_size(
    rule: Rule, floor: np.ndarray, land: np.ndarray, beds: np.ndarray
) -> tuple[np.ndarray, str, str]:
    """The value a candidate size rule judges (NaN where unknown), and the missing column (English, Chinese).

    Parameters
    ----------
    rule : a candidate size rule (floor area, beds, floor or land per bed).
    floor, land, beds : per site, NaN where unknown.

    Returns
    -------
    value : numpy.ndarray
    missing, missing_zh : str
        The column(s) to fill where the value is unknown.
    """
    key = _size_key(rule)
    if key == "m2":
        return floor, "floor_area_m2", "建筑面积"
    if key == "beds":
        return beds, "beds", "床位数"
    part, missing, missing_zh = (
        (floor, "floor_area_m2", "建筑面积") if key == "floor_per_bed" else (land, "land_area_m2", "用地面积")
    )
    ok = beds > 0
    value = np.where(ok, part / np.where(ok, beds, 1.0), np.nan)
    if np.isnan(beds).any():
        missing, missing_zh = f"{missing} or beds", f"{missing_zh}或床位数"
    return value, missing, missing_zh


def size_phrase(rule: Rule, value: float, lang: str) -> str:
    """A site's size against the rule: ``建筑面积300㎡，应不少于350㎡`` / ``floor area 300 m², at least 350 m²
    required``.

    Parameters
    ----------
    rule : a candidate size rule.
    value : the site's value in the rule's unit.
    lang : ``zh`` or ``en``.

    Returns
    -------
    str
    """
    what_zh, what_en = _SIZE_WHAT[_size_key(rule)]
    if lang == "zh":
        word = "不少于" if rule.compare == ">=" else "不超过"
        return f"{what_zh}{format_value(value, rule.unit, 'zh')}，应{word}{format_value(rule.value, rule.unit, 'zh')}"
    word = "at least" if rule.compare == ">=" else "at most"
    head = f"{what_en} " if what_en else ""
    return f"{head}{format_value(value, rule.unit, 'en')}, {word} {format_value(rule.value, rule.unit, 'en')} required"


# --- candidate screening for siting -----------------------------------------------------------------------------
