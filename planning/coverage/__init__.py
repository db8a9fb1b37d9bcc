"""Coverage of the elderly by walking time: who lives within 5, 10 or 15 minutes' walk of each facility kind.

A run: :func:`network_for_study` loads the study's walking network, :func:`coverage_of_study` measures coverage
and returns a frozen :class:`CoverageResult`, which the outputs read (:func:`coverage_json`, :func:`points_frame`,
:func:`service_circle_layer`, :func:`uncovered_density`, :func:`coverage_layers`).

Modules: ``options`` (bands and kinds, parsed and checked), ``demand`` (the demand points), ``placement`` (elderly
placed in residential buildings, land use or a grid when only community totals are given), ``measure`` (the run),
``result`` (its type), ``records`` (JSON-ready tables), ``layers`` (map layers and their GeoPackage).
The walking-speed limits and the network type are re-exported here, so callers of planning (the app) need not
import :mod:`geo`.
"""

from geo.network import DEFAULT_WALK_SPEED_M_S, MAX_WALK_SPEED_M_S, MIN_WALK_SPEED_M_S, WalkNetwork
from planning.coverage.demand import demand_method, demand_points, demand_points_notes, placement_table
from planning.coverage.layers import coverage_layers, service_circle_layer, uncovered_density
from planning.coverage.measure import (
    coverage_of_study,
    fragment_facilities,
    network_for_study,
    note_fragments,
)
from planning.coverage.options import (
    BED_KINDS,
    DEFAULT_MAX_DISTANCE_M,
    DEFAULT_MINUTES,
    MAX_BANDS,
    MAX_MINUTES,
    check_kinds,
    check_minutes,
)
from planning.coverage.placement import PLACEMENT_METHODS, Placement, place_elderly
from planning.coverage.records import coverage_json, points_frame, points_table, write_points
from planning.coverage.result import CoverageResult

__all__ = [
    "BED_KINDS",
    "DEFAULT_MAX_DISTANCE_M",
    "DEFAULT_MINUTES",
    "DEFAULT_WALK_SPEED_M_S",
    "MAX_BANDS",
    "MAX_MINUTES",
    "MAX_WALK_SPEED_M_S",
    "MIN_WALK_SPEED_M_S",
    "PLACEMENT_METHODS",
    "CoverageResult",
    "Placement",
    "WalkNetwork",
    "check_kinds",
    "check_minutes",
    "coverage_json",
    "coverage_layers",
    "coverage_of_study",
    "demand_method",
    "demand_points",
    "demand_points_notes",
    "fragment_facilities",
    "network_for_study",
    "note_fragments",
    "place_elderly",
    "placement_table",
    "points_frame",
    "points_table",
    "service_circle_layer",
    "uncovered_density",
    "write_points",
]
