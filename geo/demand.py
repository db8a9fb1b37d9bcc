"""Demand points: where the people counted in areas live, as weighted points for travel-time work."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

#: Default spacing of the grid used to spread an area's total over the area (metres).
SPREAD_SPACING_M = 100.0


@dataclass(frozen=True)
class DemandPoints:
    """Weighted points.

    Attributes
    ----------
    xy : (n, 2) coordinates in the areas' projected CRS.
    area : (n,) index of the area (polygon) each point belongs to, -1 when it lies in none.
    weight : (n,) the people the point stands for.
    """

    xy: np.ndarray
    area: np.ndarray
    weight: np.ndarray


def spread_over_polygons(
    polygons: np.ndarray, totals: np.ndarray, *, spacing_m: float = SPREAD_SPACING_M
) -> DemandPoints:
    """Spread each polygon's total evenly over the centres of a square grid inside it.

    A polygon too small to hold a grid centre gets one point inside it (``point_on_surface``), so no total is lost:
    the weights of each polygon sum exactly to its total.

    Parameters
    ----------
    polygons : polygons in a projected CRS (metres).
    totals : the count to spread per polygon.
    spacing_m : grid spacing; the grid is anchored on whole multiples of it so neighbouring polygons share one grid.
    """
    polygons = np.asarray(polygons, dtype=object)
    totals = np.asarray(totals, dtype=float)
    if spacing_m <= 0:
        raise ValueError("spacing_m must be positive")
    xs, ys, owner = [], [], []
    bounds = shapely.bounds(polygons)
    for i, (poly, (x0, y0, x1, y1)) in enumerate(zip(polygons, bounds, strict=False)):
        if poly is None or poly.is_empty:
            continue
        gx = np.arange(np.floor(x0 / spacing_m) * spacing_m + spacing_m / 2, x1, spacing_m)
        gy = np.arange(np.floor(y0 / spacing_m) * spacing_m + spacing_m / 2, y1, spacing_m)
        if gx.size and gy.size:
            grid_x, grid_y = np.meshgrid(gx, gy)
            mx, my = grid_x.ravel(), grid_y.ravel()
            shapely.prepare(poly)
            inside = shapely.contains_xy(poly, mx, my)
            mx, my = mx[inside], my[inside]
        else:
            mx = my = np.empty(0)
        if mx.size == 0:
            p = shapely.point_on_surface(poly)
            mx, my = np.array([p.x]), np.array([p.y])
        xs.append(mx)
        ys.append(my)
        owner.append(np.full(mx.size, i))
    if not xs:
        return DemandPoints(np.empty((0, 2)), np.empty(0, dtype=np.int64), np.empty(0))
    area = np.concatenate(owner)
    counts = np.bincount(area, minlength=len(polygons))
    weight = totals[area] / counts[area]
    return DemandPoints(
        np.column_stack([np.concatenate(xs), np.concatenate(ys)]), area.astype(np.int64), weight
    )


def assign_to_polygons(xy: np.ndarray, polygons: np.ndarray, *, max_distance_m: float = 0.0) -> np.ndarray:
    """Index of the polygon containing each point (the first, where polygons overlap), -1 where none does.

    With ``max_distance_m`` > 0, points outside every polygon go to the nearest polygon within that distance
    (points on a boundary road, say).
    """
    polygons = np.asarray(polygons, dtype=object)
    points = shapely.points(xy)
    tree = shapely.STRtree(polygons)
    pt_idx, poly_idx = tree.query(points, predicate="intersects")
    out = np.full(len(points), -1, dtype=np.int64)
    # per point, polygons in descending order: the last write (the smallest index) wins
    order = np.lexsort((-poly_idx, pt_idx))
    out[pt_idx[order]] = poly_idx[order]
    if max_distance_m > 0:
        missing = np.flatnonzero(out < 0)
        if missing.size:
            near_pt, near_poly = tree.query_nearest(
                points[missing], max_distance=max_distance_m, all_matches=False
            )
            out[missing[near_pt]] = near_poly
    return out


def allocate_to_points(
    polygons: np.ndarray, totals: np.ndarray, xy: np.ndarray, weights: np.ndarray
) -> tuple[DemandPoints, np.ndarray]:
    """Share each polygon's total among the weighted points inside it, in proportion to their weights.

    The dasymetric step: points are, say, residential buildings weighted by floor area. A point belongs to the
    first polygon containing it (:func:`assign_to_polygons`); points in no polygon, and points of zero weight, get
    nothing. The weights of each polygon's points sum exactly to its total.

    Parameters
    ----------
    polygons : polygons in a projected CRS (metres).
    totals : the count to share per polygon.
    xy : (n, 2) point coordinates in the same CRS.
    weights : (n,) non-negative weights (floor area, households).

    Returns
    -------
    (points, served)
        ``points``: the points that received a share (``area`` their polygon, ``weight`` their share);
        ``served``: per polygon, True when it had points of positive weight (a polygon without any keeps its total
        for the caller to place another way).
    """
    polygons = np.asarray(polygons, dtype=object)
    totals = np.asarray(totals, dtype=float)
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    weights = np.asarray(weights, dtype=float)
    if len(weights) != len(xy) or (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError("weights must be finite, non-negative and one per point")
    owner = assign_to_polygons(xy, polygons) if len(xy) else np.empty(0, dtype=np.int64)
    keep = (owner >= 0) & (weights > 0)
    owner, kept_xy, w = owner[keep], xy[keep], weights[keep]
    per_polygon = np.bincount(owner, weights=w, minlength=len(polygons))
    served = per_polygon > 0
    share = totals[owner] * w / per_polygon[owner] if len(owner) else np.empty(0)
    return DemandPoints(kept_xy, owner.astype(np.int64), share), served
