"""Checks of whole rows: geometry (type, validity, repair), figures against each other, duplicates, blank names."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import LayerError
from planning.i18n import message
from planning.schema import DUPLICATE_TOLERANCE_DEG, DUPLICATE_TOLERANCE_M, LAYER_GEOMETRY
from planning.validation.columns import blank
from planning.validation.findings import Collector, layer_zh, row_list, row_list_zh


def check_geometry(out: gpd.GeoDataFrame, layer: str, log: Collector) -> None:
    """Reject empty geometries and geometries of the wrong type, repair invalid polygons, and replace polygons or
    single multi-points by a point inside where the layer holds points; ``out``'s geometry is set in place."""
    geoms = out.geometry.to_numpy()
    rows = out["_row"].to_numpy()
    want = LAYER_GEOMETRY[layer]
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(missing):
        log.reject(
            int(i),
            int(rows[i]),
            "geometry is empty; draw it or give coordinates",
            zh="没有几何图形（坐标为空）；请绘制图形或填写坐标",
        )
    types = np.array([g.geom_type if g is not None else "" for g in geoms], dtype=object)
    is_poly = np.isin(types, ["Polygon", "MultiPolygon"])
    is_point = types == "Point"
    valid = np.ones(len(geoms), dtype=bool)
    present = ~missing
    valid[present] = shapely.is_valid(geoms[present])
    if want == "polygon":
        wrong = present & ~is_poly
        if wrong.any() and wrong.sum() == present.sum():
            found = ", ".join(sorted(set(types[wrong])))
            raise LayerError(message("err_layer_not_polygons", layer=layer, source=log.source, found=found))
        for i in np.flatnonzero(wrong):
            log.reject(
                int(i),
                int(rows[i]),
                f"geometry is a {types[i]}; {layer} must be polygons",
                zh=f"几何类型为 {types[i]}；{layer_zh(layer)}图层必须是面（边界多边形），请重新导出",
            )
        geoms = _repair_polygons(geoms, present & is_poly & ~valid, rows, log)
    else:
        lines = present & ~is_poly & ~is_point
        for i in np.flatnonzero(lines):
            if types[i] == "MultiPoint" and len(geoms[i].geoms) == 1:
                continue
            log.reject(
                int(i),
                int(rows[i]),
                f"geometry is a {types[i]}; {layer} must be points (or polygons)",
                zh=f"几何类型为 {types[i]}；{layer_zh(layer)}图层必须是点（或面），请重新导出",
            )
        single_mp = present & (types == "MultiPoint")
        to_point = (present & is_poly) | single_mp
        if to_point.any():
            geoms = geoms.copy()
            geoms[to_point] = shapely.point_on_surface(shapely.make_valid(geoms[to_point]))
            log.add(
                "repaired",
                f"{int(to_point.sum())} polygon/multi-point geometries replaced by a point inside each "
                f"(rows {row_list(rows[to_point])})",
                zh=f"{int(to_point.sum())} 个面/多点图形已替换为其内部的一个点（第 {row_list_zh(rows[to_point])} 行）",
            )
    out.set_geometry(gpd.GeoSeries(geoms, crs=out.crs, index=out.index), inplace=True)


def _repair_polygons(geoms: np.ndarray, fix: np.ndarray, rows: np.ndarray, log: Collector) -> np.ndarray:
    """``geoms`` with the invalid polygons at ``fix`` repaired by ``make_valid`` (said), or rejected when nothing
    polygonal is left."""
    if not fix.any():
        return geoms
    reasons = shapely.is_valid_reason(geoms[fix])
    repaired = shapely.make_valid(geoms[fix])
    repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
    for j, i in enumerate(np.flatnonzero(fix)):
        if repaired[j] is None or repaired[j].is_empty:
            log.reject(
                int(i),
                int(rows[i]),
                f"invalid polygon ({reasons[j]}) cannot be repaired; redraw it",
                zh=f"多边形无效（{reasons[j]}），无法自动修复；请重新绘制",
            )
        else:
            log.add(
                "repaired",
                f"invalid polygon ({reasons[j]}) repaired with make_valid; area now "
                f"{repaired[j].area:.6g} in layer units",
                int(rows[i]),
                zh=f"无效多边形（{reasons[j]}）已自动修复；修复后面积为 {repaired[j].area:.6g}（图层单位）",
            )
    geoms = geoms.copy()
    geoms[fix] = repaired
    return geoms


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    if geom is None:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(polys) if polys else None
    return None


def check_rows(out: gpd.GeoDataFrame, layer: str, log: Collector) -> None:
    """Reject rows whose figures contradict each other (more elderly than residents, more nursing beds than beds,
    a community named twice in a street, ...) and note what later checks cannot count.

    Parameters
    ----------
    out : the layer with canonical columns and ``_row``.
    layer : the layer's role.
    log : where findings and rejections go.
    """
    check = _ROW_CHECKS.get(layer)
    if check is not None:
        check(out, out["_row"].to_numpy(), log)


def _check_communities(out: gpd.GeoDataFrame, rows: np.ndarray, log: Collector) -> None:
    pop, eld = out["population"].to_numpy(float), out["elderly"].to_numpy(float)
    for i in np.flatnonzero(eld > pop):
        log.reject(
            int(i),
            int(rows[i]),
            f"elderly {eld[i]:g} is greater than population {pop[i]:g}; "
            "check both figures (elderly counts residents aged 60 and over)",
            zh=f"老年人口 {eld[i]:g} 大于常住人口 {pop[i]:g}；请核对这两个数（老年人口指 60 岁及以上常住人口）",
        )
    e80 = out["elderly_80"].to_numpy(float)
    for i in np.flatnonzero(e80 > eld):
        log.reject(
            int(i),
            int(rows[i]),
            f"elderly_80 {e80[i]:g} is greater than elderly {eld[i]:g}; the 80+ are part of the 60+",
            zh=f"80 岁及以上人口 {e80[i]:g} 大于老年人口 {eld[i]:g}；80 岁以上老人包含在 60 岁以上老人中，请核对",
        )
    names = out["name"].to_numpy(object)
    streets = out["street"].to_numpy(object)
    for i in np.flatnonzero(pd.isna(names)):
        log.reject(
            int(i),
            int(rows[i]),
            "community name is blank; every community needs a name",
            zh="社区名称为空；每个社区/村都需要名称，请填写",
        )
    seen: dict[tuple[str, str], int] = {}
    for pos, (n, s) in enumerate(zip(names, streets, strict=False)):
        if n is None:
            continue
        key = (str(s or ""), str(n))
        if key in seen:
            log.reject(
                pos,
                int(rows[pos]),
                f"community {n!r} in street {s or '(none)'!r} duplicates row {seen[key]}; "
                "rename one (e.g. add 一/二) or merge the two rows",
                zh=f"{s or '（无街道）'}的社区「{n}」与第 {seen[key]} 行重复；请改名（如加「一」「二」）或合并两行",
            )
        else:
            seen[key] = int(rows[pos])
    no_street = pd.isna(streets)
    if no_street.any():
        log.add(
            "note",
            f"{int(no_street.sum())} communities have no street (rows {row_list(rows[no_street])}); "
            "per-street checks cannot count them until 街道 is filled in",
            zh=f"{int(no_street.sum())} 个社区没有所属街道（第 {row_list_zh(rows[no_street])} 行）；"
            "填写「街道」后才能计入按街道的核查",
        )


def _check_facilities(out: gpd.GeoDataFrame, rows: np.ndarray, log: Collector) -> None:
    for col in ("nursing_beds", "dementia_beds"):
        beds, part = out["beds"].to_numpy(float), out[col].to_numpy(float)
        for i in np.flatnonzero(part > beds):
            log.reject(
                int(i),
                int(rows[i]),
                f"{col} {part[i]:g} is greater than beds {beds[i]:g}; check both",
                zh=f"{_BEDS_ZH[col]} {part[i]:g} 大于总床位数 {beds[i]:g}；请核对这两个数",
            )
    no_area = np.isnan(out["floor_area_m2"].to_numpy(float)) & np.isnan(out["land_area_m2"].to_numpy(float))
    if no_area.any():
        log.add(
            "note",
            f"{int(no_area.sum())} facilities have neither floor nor land area (rows "
            f"{row_list(rows[no_area])}); land and size checks will list them as not assessable",
            zh=f"{int(no_area.sum())} 处设施既无建筑面积也无用地面积（第 {row_list_zh(rows[no_area])} 行）；"
            "用地与规模核查将列为无法评估，请补充面积",
        )


def _check_population(out: gpd.GeoDataFrame, rows: np.ndarray, log: Collector) -> None:
    pop = out["population"].to_numpy(float)
    eld = out["elderly"].to_numpy(float)
    for i in np.flatnonzero(eld > pop):
        log.reject(
            int(i),
            int(rows[i]),
            f"elderly {eld[i]:g} is greater than population {pop[i]:g}",
            zh=f"老年人口 {eld[i]:g} 大于人口 {pop[i]:g}；请核对这两个数",
        )


_ROW_CHECKS: dict[str, Callable[[gpd.GeoDataFrame, np.ndarray, Collector], None]] = {
    "communities": _check_communities,
    "facilities": _check_facilities,
    "population": _check_population,
}


def check_duplicates(out: gpd.GeoDataFrame, layer: str, log: Collector) -> None:
    """Reject exact duplicates: facilities with the same name, kind and point (candidates: name, kinds and point)
    within :data:`~planning.schema.DUPLICATE_TOLERANCE_M` of a row kept before them; the first is kept, so the
    facility is counted once. Rows already rejected are neither kept nor compared."""
    if layer not in ("facilities", "candidates") or not len(out):
        return
    kind_col = "kind" if layer == "facilities" else "kinds"
    tol = DUPLICATE_TOLERANCE_DEG if out.crs is not None and out.crs.is_geographic else DUPLICATE_TOLERANCE_M
    rows = out["_row"].to_numpy()
    names, kinds = out["name"].to_numpy(object), out[kind_col].to_numpy(object)
    geoms = out.geometry.to_numpy()
    xy = np.full((len(out), 2), np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    xy[present] = shapely.get_coordinates(shapely.point_on_surface(geoms[present]))
    kept: dict[tuple[str, str], list[int]] = {}
    noun, noun_zh = ("facility", "设施") if layer == "facilities" else ("candidate site", "候选地块")
    for i in range(len(out)):
        if i in log.reject_reasons or not present[i] or kinds[i] is None:
            continue
        kind = str(kinds[i]) if layer == "facilities" else ",".join(sorted(str(kinds[i]).split(",")))
        key = ("" if blank(names[i]) else str(names[i]).strip(), kind)
        same = kept.setdefault(key, [])
        first = next((j for j in same if np.hypot(*(xy[i] - xy[j])) <= tol), None)
        if first is None:
            same.append(i)
            continue
        shown = key[0] or "(no name)"
        log.reject(
            i,
            int(rows[i]),
            f"duplicates row {int(rows[first])} (same name {shown!r}, {kind_col} {key[1]} and "
            f"location): the {noun} is counted once; delete this row, or correct its name, kind or location "
            f"if it is another {noun}",
            zh=f"与第 {int(rows[first])} 行重复（名称「{key[0] or '（无名称）'}」、类型和位置均相同），该{noun_zh}只计一次；"
            f"请删除此行，如确为另一{noun_zh}，请更正其名称、类型或位置",
        )


def fill_names(out: gpd.GeoDataFrame, layer: str, log: Collector) -> None:
    """Name facilities and candidates left blank after their row (``facility row 7``), and say so."""
    if layer not in ("facilities", "candidates"):
        return
    names = out["name"].to_numpy(object)
    blank = pd.isna(names)
    if blank.any():
        rows = out["_row"].to_numpy()
        prefix = "facility" if layer == "facilities" else "candidate"
        names = names.copy()
        names[blank] = [f"{prefix} row {r}" for r in rows[blank]]
        out["name"] = names
        log.add(
            "repaired",
            f"{int(blank.sum())} blank names filled as '{prefix} row N' (rows {row_list(rows[blank])})",
            zh=f"{int(blank.sum())} 个空白名称已填为「{prefix} row 行号」（第 {row_list_zh(rows[blank])} 行）；"
            "请在文件中补充名称",
        )


_BEDS_ZH = {"nursing_beds": "护理型床位数", "dementia_beds": "认知障碍床位数"}
