"""Demand points: where the study's elderly live, with their weight, community and street.

The demand points are the study's population layer (elder density at a fine grain) or, where it has none, each
community's elderly placed in its residential buildings by floor area, else on its residential land, else on an
even 100 m grid (:mod:`planning.coverage.placement`); ``[demand] method`` in study.toml chooses, ``auto`` by
default. Every point says how it was placed (``placed_by``) and the notes say it per method.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demand import SPREAD_SPACING_M, assign_to_polygons
from geo.errors import StudyError
from planning.coverage.placement import Placement, place_elderly
from planning.i18n import Notes, message
from planning.study import Study


def demand_method(study: Study) -> str:
    """The placement method of the study: ``[demand] method``, where ``auto`` is ``layer`` with a population layer
    and ``buildings`` (falling back per community to land use and grid) without one.

    Raises
    ------
    StudyError
        ``layer`` asked for a study without a population layer.
    """
    has_layer = study.population is not None and len(study.population) > 0
    asked = study.demand.method
    if asked == "auto":
        return "layer" if has_layer else "buildings"
    if asked == "layer" and not has_layer:
        raise StudyError(message("err_demand_no_layer", folder=str(study.origin or study.folder)))
    return asked


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
    method = demand_method(study)
    per_community = np.full(len(comm), method, dtype=object)
    if method == "layer" and study.population is not None:
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
        placement = place_elderly(
            study, method=method, default_floors=study.demand.default_floors, spacing_m=spacing_m
        )
        xy, owner, weight = placement.points.xy, placement.points.area, placement.points.weight
        ids = np.arange(1, len(xy) + 1)
        per_community = placement.method
        _placement_notes(notes, placement, asked=method, spacing_m=spacing_m, n_points=len(xy))
    names = comm["name"].to_numpy(object)
    streets = comm["street"].to_numpy(object)
    frame = gpd.GeoDataFrame(
        {
            "id": ids,
            "elderly": weight,
            "community": owner,
            "community_name": np.where(owner >= 0, names[np.maximum(owner, 0)], None),
            "street": np.where(owner >= 0, streets[np.maximum(owner, 0)], None),
            "placed_by": np.where(owner >= 0, per_community[np.maximum(owner, 0)], method),
        },
        geometry=shapely.points(xy),
        crs=study.crs,
    )
    return frame, notes


def _placement_notes(
    notes: Notes, placement: Placement, *, asked: str, spacing_m: float, n_points: int
) -> None:
    """Say how the elderly were placed: per method, how many communities; where the buildings came from."""
    counts = {m: int((placement.method == m).sum()) for m in ("buildings", "landuse", "grid")}
    homes = placement.homes
    if counts["grid"] == len(placement.method) and (asked == "grid" or homes is None):
        notes.add(
            f"demand: no population layer, so each community's elderly are spread evenly over a "
            f"{spacing_m:g} m grid inside it ({n_points} points)",
            f"需求点：没有老年人口分布图层，各社区/村的老年人按 {spacing_m:g} 米格网均匀分布在其范围内"
            f"（共 {n_points} 个点）",
        )
        return
    if homes is not None and homes.n_buildings == 0:
        notes.add(
            f"demand: {homes.source} has no buildings, so residential land use and the grid place the elderly",
            f"需求点：{homes.source} 中没有建筑物，老年人按居住用地或格网分配",
        )
    elif homes is not None:
        used = len(homes.xy)
        notes.add(
            f"demand: buildings from {homes.source}: {homes.n_buildings:,} read, {used:,} residential "
            f"(weighted by floor area), {homes.n_non_residential:,} not residential (no elderly placed in them)",
            f"需求点：建筑物来自 {homes.source}，共读取 {homes.n_buildings:,} 栋，其中住宅 {used:,} 栋"
            f"（按建筑面积分配老年人），非住宅 {homes.n_non_residential:,} 栋（不分配老年人）",
        )
    notes.add(
        f"demand: elderly placed by residential buildings in {counts['buildings']} communities, by residential "
        f"land use in {counts['landuse']}, and evenly over a {spacing_m:g} m grid in {counts['grid']} "
        f"(no residential building or land use in them) ({n_points} points)",
        f"需求点：{counts['buildings']} 个社区/村的老年人按住宅建筑面积分配，{counts['landuse']} 个按居住用地分配，"
        f"{counts['grid']} 个按 {spacing_m:g} 米格网均匀分布（其范围内没有住宅建筑或居住用地）（共 {n_points} 个点）",
    )


def placement_table(study: Study, demand: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per community: how its elderly were placed (the ``placed_by`` of its points) and on how many points."""
    comm = study.communities
    inside = demand.loc[demand["community"] >= 0]
    points = np.bincount(inside["community"].to_numpy(int), minlength=len(comm))
    method = np.full(len(comm), "none", dtype=object)
    first = inside.drop_duplicates("community")
    method[first["community"].to_numpy(int)] = first["placed_by"].to_numpy(object)
    return pd.DataFrame(
        {
            "name": comm["name"].to_numpy(object),
            "street": comm["street"].to_numpy(object),
            "elderly": comm["elderly"].to_numpy(float),
            "placed_by": method,
            "points": points,
        }
    )
