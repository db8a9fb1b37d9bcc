"""Benchmark of the standards check: a synthetic study of 5 000 communities and 20 000 facilities, built in memory.

Run ``python bench/bench_check.py [--communities N] [--facilities M] [--preset jiangxi]``; prints the time of
:func:`planning.standards.check_study` (issue 4 asks for under 20 s at 5 000 / 20 000). Day-care shares and
health-centre walking distances are random stand-ins for coverage results; candidates and an expressway are
included so every rule runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planning.schema import FACILITY_KINDS
from planning.standards import check_json, check_study, check_table, rules_for
from planning.study import NetworkSettings, StandardsSettings, Study

X0, Y0 = 500_000.0, 3_150_000.0
CELL_M = 300.0


def synthetic_study(n_communities: int = 5000, n_facilities: int = 20000, *, n_candidates: int = 500,
                    preset: str = "jiangxi", seed: int = 1) -> Study:
    """A grid of square communities in EPSG:32650 (50 per street), facilities scattered at random inside them."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_communities)))
    i = np.arange(n_communities)
    col, row = i % side, i // side
    x0, y0 = X0 + col * CELL_M, Y0 + row * CELL_M
    polys = shapely.box(x0, y0, x0 + CELL_M, y0 + CELL_M)
    population = rng.integers(500, 8000, n_communities).astype(float)
    elderly = np.floor(population * rng.uniform(0.12, 0.30, n_communities))
    rural = rng.random(n_communities) < 0.2
    streets = np.array([f"街道{k // 50:03d}" for k in i], dtype=object)
    streets[rng.random(n_communities) < 0.002] = None  # a few communities without a street
    communities = gpd.GeoDataFrame({
        "name": [f"社区{k:05d}" for k in i], "street": streets, "population": population, "elderly": elderly,
        "elderly_80": np.floor(elderly * 0.17), "households": np.floor(population / 2.6),
        "kind": np.where(rural, "rural", "urban"),
        "built": np.where(rng.random(n_communities) < 0.2, "new", "existing"),
    }, geometry=polys, crs=32650)
    kinds = np.array(list(FACILITY_KINDS))
    fk = kinds[rng.integers(0, len(kinds), n_facilities)]
    host = rng.integers(0, n_communities, n_facilities)
    fx = x0[host] + rng.uniform(5, CELL_M - 5, n_facilities)
    fy = y0[host] + rng.uniform(5, CELL_M - 5, n_facilities)
    floor = np.round(rng.uniform(100, 3000, n_facilities))
    land = np.where(rng.random(n_facilities) < 0.5, np.round(floor * rng.uniform(0.8, 2.0, n_facilities)), np.nan)
    floor[rng.random(n_facilities) < 0.01] = np.nan  # some with neither area
    bedded = np.isin(fk, ["nursing_home", "embedded_home"])
    beds = np.where(bedded, rng.integers(20, 300, n_facilities), np.nan)
    nursing = np.where(bedded, np.floor(beds * rng.uniform(0.3, 0.8, n_facilities)), np.nan)
    facilities = gpd.GeoDataFrame({
        "name": [f"设施{k:05d}" for k in range(n_facilities)], "kind": fk, "street": None,
        "floor_area_m2": floor, "land_area_m2": land, "beds": beds, "nursing_beds": nursing,
        "dementia_beds": np.where(bedded, np.floor(beds * 0.05), np.nan),
    }, geometry=shapely.points(fx, fy), crs=32650)
    ck = rng.integers(0, n_communities, n_candidates)
    candidates = gpd.GeoDataFrame({
        "name": [f"候选{k:04d}" for k in range(n_candidates)],
        "kinds": rng.choice(["day_care,meal_point", "embedded_home,day_care", "nursing_home", "street_centre"],
                            n_candidates),
        "floor_area_m2": np.round(rng.uniform(200, 5000, n_candidates)),
        "land_area_m2": np.round(rng.uniform(200, 5000, n_candidates)),
        "beds": rng.integers(10, 200, n_candidates).astype(float), "cost": np.nan,
    }, geometry=shapely.points(x0[ck] + CELL_M / 2, y0[ck] + CELL_M / 2), crs=32650)
    return Study(folder=Path("."), name="基准区", name_en="Benchmark", synthetic=True, data_date="", sources=(),
                 coords="wgs84", crs=pyproj.CRS.from_epsg(32650), communities=communities, facilities=facilities,
                 candidates=candidates, population=None, network=NetworkSettings(source=None),
                 standards=StandardsSettings(preset=preset, overrides={}), findings=(), rejected={},
                 layer_sources={})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--facilities", type=int, default=20000)
    parser.add_argument("--preset", default="jiangxi")
    args = parser.parse_args()
    study = synthetic_study(args.communities, args.facilities, preset=args.preset)
    rng = np.random.default_rng(2)
    daycare = pd.Series(np.clip(rng.uniform(0.5, 1.3, len(study.communities)), 0, 1), index=study.communities.index)
    walk = pd.Series(rng.uniform(0, 1200, len(study.facilities)), index=study.facilities.index)
    x0, y0, x1, y1 = study.communities.total_bounds
    road = gpd.GeoDataFrame({"role": ["road", "junction"]}, geometry=[
        shapely.LineString([(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)]),
        shapely.Point((x0 + x1) / 2, (y0 + y1) / 2)],
        crs=32650)
    rules = rules_for(args.preset)
    t0 = time.perf_counter()
    result = check_study(study, rules=rules, daycare_share=daycare, facility_health_walk_m=walk, expressways=road)
    t1 = time.perf_counter()
    check_table(result, max_rows_per_rule=20)
    t2 = time.perf_counter()
    check_json(result)
    t3 = time.perf_counter()
    print(f"check_study: {len(study.communities)} communities, {len(study.facilities)} facilities, "
          f"{len(study.candidates)} candidates, preset {args.preset}: {len(result.rows)} rows in {t1 - t0:.2f} s "
          f"(table {t2 - t1:.2f} s, json {t3 - t2:.2f} s)")
    print(result.counts())


if __name__ == "__main__":
    main()
