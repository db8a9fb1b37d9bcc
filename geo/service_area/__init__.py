"""Service areas: who reaches whom within a walk, and the land within a walk of a facility.

:mod:`geo.service_area.reach` gives the sparse walking times between every source and every target within a limit
(the cost matrix siting is built from). The polygons are built from the streets actually reachable in time, never
from convex hulls: :mod:`geo.service_area.segments` holds the per-network segment data,
:mod:`geo.service_area.envelope` finds the reached part of every segment, :mod:`geo.service_area.blocks` turns reached
lines into polygons through the blocks they enclose, :mod:`geo.service_area.nearest` splits areas between
facilities, and :mod:`geo.service_area.areas` is the entry point, :func:`service_areas`.
"""

from geo.service_area.areas import MODES, SERVICE_AREA_BUFFER_M, service_areas
from geo.service_area.envelope import reached_lines
from geo.service_area.reach import DEFAULT_MAX_BATCH_BYTES, reach_matrix, reach_pattern

__all__ = [
    "DEFAULT_MAX_BATCH_BYTES",
    "MODES",
    "SERVICE_AREA_BUFFER_M",
    "reach_matrix",
    "reach_pattern",
    "reached_lines",
    "service_areas",
]
