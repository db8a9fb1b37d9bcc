"""Demand points: where the study's elderly live, with their weight, community and street.

The demand points are the study's population layer (elder density at a fine grain) or, where it has none, each
community's elderly spread evenly over a 100 m grid inside it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.demand import SPREAD_SPACING_M, assign_to_polygons, spread_over_polygons
from planning.i18n import Notes
from planning.study import Study


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
