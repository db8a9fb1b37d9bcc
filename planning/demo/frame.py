"""The fixed frame of the demo district, in design metres (x east, y north from the south-west corner).

The district's extent, the city's column and row lines, the arterials bounding the superblocks, and the barriers:
the river 青溪河, the railway, the expressway and the lake 东湖; plus the projection that takes design metres to
WGS84 at the end.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pyproj
from numpy.typing import ArrayLike
from shapely.geometry import LineString, Polygon, box

#: The projection of the design frame: design metres (x east, y north) from the district's south-west corner.
DESIGN_CRS = pyproj.CRS.from_proj4(
    "+proj=tmerc +lat_0=28.4 +lon_0=117.95 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)

#: The district (minx, miny, maxx, maxy); the city is its north-east part, from (URBAN_X0, URBAN_Y0).
DISTRICT = (0.0, 0.0, 8500.0, 9500.0)
URBAN_X0, URBAN_Y0 = 3500.0, 5000.0
#: Community column boundaries in the city; x = 7400 is the railway north of the river and 新城路 south of it.
COLS = (3500.0, 4300.0, 5100.0, 5900.0, 6600.0, 7400.0, 8500.0)
#: The east-west arterials between community rows (S1 below ROW_S1, S2 up to the river, N1 from it to ROW_N2, ...).
ROW_S1, ROW_N2, ROW_N3, ROW_N4 = 5700.0, 7100.0, 7900.0, 8700.0
RIVER_HALF_WIDTH_M = 40.0
_BANK_OFFSET_M = 70.0
RAIL_X = 7400.0
#: The streets along either side of the railway north of the river.
RAIL_WEST_ST, RAIL_EAST_ST = 7360.0, 7440.0
EAST_ROAD_X, NORTH_ROAD_Y = 8400.0, 9400.0
#: The expressway interchange south of the city (its connector runs north along this x).
INTERCHANGE_X = 5000.0


def river_y(x: ArrayLike) -> np.ndarray:
    """The river's centreline: y as a function of x (design metres).

    Parameters
    ----------
    x : design metres east.
    """
    x = np.asarray(x, dtype=float)
    return 6300.0 + 110.0 * np.sin(2 * np.pi * x / 4200.0 + 0.6) + 35.0 * np.sin(2 * np.pi * x / 1500.0 + 1.3)


def bank_y(x: ArrayLike, side: int) -> np.ndarray:
    """The riverside roads: y as a function of x (design metres).

    Parameters
    ----------
    x : design metres east.
    side : +1 the north bank, -1 the south bank.
    """
    return river_y(x) + side * _BANK_OFFSET_M


def north_bank(x: ArrayLike) -> np.ndarray:
    """The north riverside road (滨江北路): :func:`bank_y` with ``side=1``."""
    return bank_y(x, 1)


def south_bank(x: ArrayLike) -> np.ndarray:
    """The south riverside road (滨江南路): :func:`bank_y` with ``side=-1``."""
    return bank_y(x, -1)


def motorway_y(x: ArrayLike) -> np.ndarray:
    """The expressway's centreline south of the city: y as a function of x (design metres).

    Parameters
    ----------
    x : design metres east.
    """
    x = np.asarray(x, dtype=float)
    return 4700.0 + 50.0 * np.sin(2 * np.pi * x / 7000.0 + 1.0)


def curve(
    fn: Callable[[ArrayLike], np.ndarray],
    x0: float,
    x1: float,
    *,
    step_m: float = 25.0,
    extra_x: Sequence[float] = (),
) -> np.ndarray:
    """Sample ``y = fn(x)`` from x0 to x1 as an (n, 2) array.

    Parameters
    ----------
    fn : y as a function of x.
    x0, x1 : the ends (design metres east).
    step_m : at most this far apart in x.
    extra_x : further x values to include (those between x0 and x1).
    """
    n = max(2, math.ceil((x1 - x0) / step_m) + 1)
    xs = np.unique(np.round(np.r_[np.linspace(x0, x1, n), [x for x in extra_x if x0 <= x <= x1]], 6))
    return np.column_stack([xs, fn(xs)])


def railway_coords() -> np.ndarray:
    """The railway: straight south along x = 7400 from the north edge, then a curve to the east edge."""
    ys = np.arange(9500.0, 5950.0 - 1e-9, -50.0)
    north = np.column_stack([np.full(len(ys), RAIL_X), ys])
    p = np.array([[7400.0, 5950.0], [7400.0, 5650.0], [7900.0, 5450.0], [8500.0, 5400.0]])
    t = np.linspace(0.0, 1.0, 41)[1:, None]
    arc = (1 - t) ** 3 * p[0] + 3 * t * (1 - t) ** 2 * p[1] + 3 * t**2 * (1 - t) * p[2] + t**3 * p[3]
    return np.vstack([north, arc])


def lake_polygon() -> Polygon:
    """东湖, the lake in the east of the city."""
    a = np.linspace(0.0, 2 * np.pi, 73)[:-1]
    return Polygon(np.column_stack([7950.0 + 250.0 * np.cos(a), 8300.0 + 170.0 * np.sin(a)]))


def river_centreline() -> LineString:
    """The river's centreline, run a little past both edges of the district."""
    return LineString(curve(river_y, -100.0, 8600.0, step_m=20.0))


def river_area() -> Polygon:
    """The river's water within the district."""
    return river_centreline().buffer(RIVER_HALF_WIDTH_M, cap_style="flat").intersection(box(*DISTRICT))


def motorway_line() -> LineString:
    """The expressway's centreline across the district (without the interchange's extra vertices)."""
    return LineString(curve(motorway_y, 0.0, 8500.0, step_m=50.0))
