"""The whole demo district, laid out from one seeded random generator: network, communities, residents,
facilities, candidate sites, and the walking distances its README reports.

The generator's draws happen in one fixed order (streets, then demography, cells, facilities, candidates); change
the order and every file changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from planning.demo.facilities import candidate_table, facility_table
from planning.demo.frame import DESIGN_CRS
from planning.demo.network import Network, build_network, walk_distance_m
from planning.demo.places import URBAN_COMMUNITIES, VILLAGES
from planning.demo.population import community_polygons, demography, population_cells
from planning.demo.rural import village_cells
from planning.i18n import message
from planning.progress import Progress

#: The seed of the one random generator; change it and every file changes.
SEED = 20261115


@dataclass(frozen=True)
class Design:
    """Everything the demo writes, in design metres."""

    communities: gpd.GeoDataFrame
    cells: pd.DataFrame
    facilities: pd.DataFrame
    candidates: pd.DataFrame
    net: Network
    day_care_m: np.ndarray  # walking distance of each cell to the nearest day-care centre (inf beyond 2 km)


def demo_design(progress: Progress) -> Design:
    """Lay out the whole district from the seeded generator :data:`SEED`.

    Parameters
    ----------
    progress : callback ``(fraction, message)``; the design reports from 0.05 to 0.65.

    Returns
    -------
    Design
        Everything the demo writes, in design metres.
    """
    rng = np.random.default_rng(SEED)
    village_polys = village_cells()
    progress(0.05, message("progress_demo_streets"))
    net = build_network(rng, village_polys)
    progress(0.45, message("progress_demo_places"))
    polys = community_polygons(village_polys)
    names = [c[0] for c in URBAN_COMMUNITIES] + [v[0] for v in VILLAGES]
    streets = [c[1] for c in URBAN_COMMUNITIES] + [v[1] for v in VILLAGES]
    table = demography(rng, names, streets)
    communities = gpd.GeoDataFrame(
        {
            "name": names,
            "street": streets,
            "population": table.population.to_numpy(),
            "elderly": table.elderly.to_numpy(),
            "elderly_80": table.elderly_80.to_numpy(),
            "households": table.households.to_numpy(),
            "kind": ["urban"] * len(URBAN_COMMUNITIES) + ["rural"] * len(VILLAGES),
            "built": [c[5] for c in URBAN_COMMUNITIES] + ["existing"] * len(VILLAGES),
        },
        geometry=polys,
        crs=DESIGN_CRS,
    )
    progress(0.55, message("progress_demo_residents"))
    cells = population_cells(rng, polys, table, net)
    progress(0.65, message("progress_demo_facilities"))
    facilities = facility_table(rng, names, polys, net)
    taken = [np.array(xy) for xy in facilities[["x", "y"]].to_numpy()]
    candidates = candidate_table(rng, names, polys, net, taken)
    day = facilities[facilities.kind == "day_care"][["x", "y"]].to_numpy()
    day_m = walk_distance_m(net, day, cells[["x", "y"]].to_numpy(), limit_m=900.0)
    return Design(communities, cells, facilities, candidates, net, day_m)
