"""Benchmark of placing community totals in homes (issue 15): residential buildings by floor area.

Issue 15 asks for 100 000 buildings placed in 5 s or less. A synthetic district of ``--buildings`` footprints
(squares of 10–40 m, floors given as text on two thirds of them, uses mixing 住宅, blank, 商业 and 学校) in a grid of
``--communities`` communities, given as the study's buildings layer; timed: :func:`planning.coverage.place_elderly`
(residential test, floor area, allocation, grid fallback), best of ``--repeat``, and its stages apart. The real
extracts (when ../shared/realdata is beside the checkout) time reading buildings from the OSM file and placing.

Run ``python bench/bench_placement.py [--buildings 100000] [--communities 400] [--repeat 3] [--json]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import common
import geopandas as gpd
import numpy as np
import pyproj
import shapely

sys.path.insert(0, str(common.REPO))

from geo.buildings import buildings_from_osm
from planning.coverage import place_elderly
from planning.settings import NetworkSettings
from tests.studies import frames_study

CRS = pyproj.CRS.from_epsg(32650)


def synthetic_study(n_buildings: int, n_communities: int, *, seed: int = 1):
    """A square district of ``n_communities`` square communities holding ``n_buildings`` footprints."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_communities)))
    extent = 100.0 * np.sqrt(n_buildings)  # about one building per hectare
    cell = extent / side
    boxes = [
        shapely.box(i * cell, j * cell, (i + 1) * cell, (j + 1) * cell)
        for i in range(side)
        for j in range(side)
    ]
    n = len(boxes)
    comm = gpd.GeoDataFrame(
        {
            "_row": np.arange(1, n + 1),
            "name": [f"社区{i}" for i in range(n)],
            "street": [f"街道{i // 20}" for i in range(n)],
            "population": rng.integers(3000, 12000, n).astype(float),
            "elderly": rng.integers(500, 3000, n).astype(float),
            "elderly_80": np.nan,
            "households": np.nan,
            "kind": "urban",
            "built": "existing",
        },
        geometry=boxes,
        crs=CRS,
    )
    xy = rng.uniform(0, extent, size=(n_buildings, 2))
    size = rng.uniform(10, 40, n_buildings)
    floors = np.where(rng.random(n_buildings) < 2 / 3, rng.integers(1, 30, n_buildings).astype(str), None)
    use = rng.choice(["住宅", "", "", "商业", "学校", "residential"], n_buildings)
    buildings = gpd.GeoDataFrame(
        {"floors": floors, "height_m": None, "use": use},
        geometry=shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + size, xy[:, 1] + size),
        crs=CRS,
    )
    facilities = gpd.GeoDataFrame({"_row": [], "name": [], "kind": []}, geometry=[], crs=CRS)
    return frames_study(comm, facilities, crs=CRS, buildings=buildings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--communities", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="also write bench/results/placement.json")
    args = parser.parse_args()
    print(common.machine_line())
    study = synthetic_study(args.buildings, args.communities)
    seconds, placed = common.timed(
        lambda: place_elderly(study, method="buildings", default_floors=6.0), repeat=args.repeat
    )
    homes = placed.homes
    rows = [
        {
            "case": f"synthetic, {args.buildings:,} buildings, {len(study.communities)} communities",
            "homes": len(homes.xy) if homes else 0,
            "read": "-",
            "place": seconds,
            "peak": common.peak_rss_mb(),
        }
    ]
    results = {"synthetic": {"buildings": args.buildings, "seconds": seconds}}
    for name, path in common.available_extracts().items():
        read_s, (frame, _zones) = common.timed(
            lambda p=path: buildings_from_osm(p, crs=CRS), repeat=args.repeat
        )
        real = synthetic_study(10, 4)
        x0, y0, x1, y1 = frame.total_bounds
        comm = real.communities.iloc[:1].copy()
        comm["geometry"] = [shapely.box(x0, y0, x1, y1)]
        real = frames_study(comm, real.facilities, crs=CRS, network=NetworkSettings(source=str(Path(path))))
        place_s, _ = common.timed(
            lambda s=real: place_elderly(s, method="buildings", default_floors=6.0), repeat=args.repeat
        )
        rows.append({"case": f"{name} (OSM, {len(frame):,} buildings)", "read": read_s, "place": place_s})
        results[name] = {"read_s": read_s, "place_s": place_s, "buildings": len(frame)}
    columns = ["case", "homes", "read", "place", "peak"]
    headers = ["case", "residential buildings", "read OSM s", "place_elderly s", "peak MB"]
    print(common.table(rows, columns, headers=headers))
    if args.json:
        common.write_results("placement", {"machine": common.machine_info(), "results": results})


if __name__ == "__main__":
    main()
