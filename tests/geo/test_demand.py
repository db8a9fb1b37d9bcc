"""Demand points spread over polygons and assigned back to them, checked by hand."""

import numpy as np
import shapely

from geo.demand import assign_to_polygons, spread_over_polygons


def test_spread_over_a_square_uses_grid_centres_and_keeps_totals():
    square = shapely.box(0, 0, 300, 200)  # 3 x 2 cells of 100 m
    tiny = shapely.box(1000, 1000, 1010, 1010)  # holds no grid centre
    pts = spread_over_polygons(np.array([square, tiny]), np.array([60.0, 7.0]), spacing_m=100)
    assert pts.xy[pts.area == 0].tolist() == [
        [50, 50],
        [150, 50],
        [250, 50],
        [50, 150],
        [150, 150],
        [250, 150],
    ]
    assert np.allclose(pts.weight[pts.area == 0], 10.0)
    assert pts.xy[pts.area == 1].tolist() == [[1005, 1005]]
    assert np.isclose(pts.weight.sum(), 67.0)


def test_assign_to_polygons_first_match_and_nearest_within_distance():
    a, b = shapely.box(0, 0, 100, 100), shapely.box(50, 0, 150, 100)  # overlap 50..100
    xy = np.array([[10, 10], [75, 50], [140, 50], [160, 50], [400, 50]])
    assert assign_to_polygons(xy, np.array([a, b])).tolist() == [0, 0, 1, -1, -1]
    assert assign_to_polygons(xy, np.array([a, b]), max_distance_m=20).tolist() == [0, 0, 1, 1, -1]
