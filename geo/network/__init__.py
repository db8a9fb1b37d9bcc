"""Walking networks: what the elderly can walk on, as arrays ready for compiled shortest paths.

The graph type is :class:`WalkNetwork` (:mod:`geo.network.graph`): undirected, in a projected CRS (metres), one row
per street segment. Its sources are OpenStreetMap files and place names (:mod:`geo.network.osm`), GraphML files
saved by osmnx (:mod:`geo.network.graphs`) and street-centreline layers (:mod:`geo.network.centrelines`);
:func:`network_from_source` (:mod:`geo.network.sources`) picks one from what the study names.
:mod:`geo.network.components` tells how the network falls apart into pieces and whether it reaches the study.
Snapping points to it and walking times on it live in :mod:`geo.travel`.
"""

from geo.network.centrelines import network_from_centrelines
from geo.network.components import ComponentReport, check_overlap, component_report, network_components
from geo.network.graph import (
    DEFAULT_WALK_SPEED_M_S,
    MAX_WALK_SPEED_M_S,
    MIN_WALK_SPEED_M_S,
    STEPS_TIME_FACTOR,
    WalkNetwork,
    check_walk_speed,
    network_from_lines,
)
from geo.network.graphs import network_from_graphml
from geo.network.osm import network_from_osm, network_from_place
from geo.network.sources import network_from_source
from geo.network.walkable import FOOT_ALLOWED, WALKABLE_HIGHWAYS

__all__ = [
    "DEFAULT_WALK_SPEED_M_S",
    "FOOT_ALLOWED",
    "MAX_WALK_SPEED_M_S",
    "MIN_WALK_SPEED_M_S",
    "STEPS_TIME_FACTOR",
    "WALKABLE_HIGHWAYS",
    "ComponentReport",
    "WalkNetwork",
    "check_overlap",
    "check_walk_speed",
    "component_report",
    "network_components",
    "network_from_centrelines",
    "network_from_graphml",
    "network_from_lines",
    "network_from_osm",
    "network_from_place",
    "network_from_source",
]
