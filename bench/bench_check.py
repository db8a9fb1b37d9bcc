"""Benchmark of the standards check (issue 4): the demo study, and a synthetic study of 5 000 communities and 20 000
facilities built in memory.

Run ``python bench/bench_check.py [--communities N] [--facilities M] [--preset xinzhou] [--repeat 3] [--json]``.
Issue 4 asks for the full check on the demo under 2 s and on 5 000 communities / 20 000 facilities under 20 s.

- Demo: the stages of ``eldercircle check data/demo`` timed in this process (loading, walking network, day-care
  coverage, health-centre walks, :func:`planning.standards.check_study` with the expressways read from the OSM file,
  the table and the JSON), best of ``--repeat``; then the whole command in a fresh process (imports included).
- Synthetic: day-care shares and health-centre walking distances are random stand-ins for coverage results;
  candidates and an expressway are included so every rule runs.
- The siting screen (:func:`planning.standards.screen_candidates`) on the 500 synthetic candidates.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from common import machine_info, write_results

from geo.network import network_from_source
from geo.roads import major_roads_from_osm
from planning.coverage import coverage_of_study, network_for_study
from planning.demo import DEMO_DIR
from planning.schema import FACILITY_KINDS
from planning.standards import (
    check_json,
    check_study,
    check_table,
    health_walk_m,
    rules_for,
    screen_candidates,
    walk_times_of,
    walked_kinds,
)
from planning.study import NetworkSettings, StandardsSettings, Study, load_study

X0, Y0 = 500_000.0, 3_150_000.0
CELL_M = 300.0


def synthetic_study(
    n_communities: int = 5000,
    n_facilities: int = 20000,
    *,
    n_candidates: int = 500,
    preset: str = "xinzhou",
    seed: int = 1,
) -> Study:
    """A grid of square communities in EPSG:32650 (50 per street), facilities scattered at random inside them."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_communities)))
    i = np.arange(n_communities)
    col, row = i % side, i // side
    x0, y0 = X0 + col * CELL_M, Y0 + row * CELL_M
    communities = _grid_communities(rng, x0, y0)
    facilities = _scattered_facilities(rng, x0, y0, n_facilities)
    candidates = _candidate_sites(rng, x0, y0, n_candidates)
    return Study(
        folder=Path("."),
        name="基准区",
        name_en="Benchmark",
        synthetic=True,
        data_date="",
        sources=(),
        coords="wgs84",
        crs=pyproj.CRS.from_epsg(32650),
        communities=communities,
        facilities=facilities,
        candidates=candidates,
        population=None,
        network=NetworkSettings(source=None),
        standards=StandardsSettings(preset=preset, overrides={}),
        findings=(),
        rejected={},
        layer_sources={},
    )


def _grid_communities(rng: np.random.Generator, x0: np.ndarray, y0: np.ndarray) -> gpd.GeoDataFrame:
    """Square communities with their lower-left corners at ``x0, y0``, 50 per street, a fifth of them rural."""
    n_communities = len(x0)
    i = np.arange(n_communities)
    polys = shapely.box(x0, y0, x0 + CELL_M, y0 + CELL_M)
    population = rng.integers(500, 8000, n_communities).astype(float)
    elderly = np.floor(population * rng.uniform(0.12, 0.30, n_communities))
    rural = rng.random(n_communities) < 0.2
    streets = np.array([f"街道{k // 50:03d}" for k in i], dtype=object)
    streets[rng.random(n_communities) < 0.002] = None  # a few communities without a street
    communities = gpd.GeoDataFrame(
        {
            "name": [f"社区{k:05d}" for k in i],
            "street": streets,
            "population": population,
            "elderly": elderly,
            "elderly_80": np.floor(elderly * 0.17),
            "households": np.floor(population / 2.6),
            "kind": np.where(rural, "rural", "urban"),
            "built": np.where(rng.random(n_communities) < 0.2, "new", "existing"),
        },
        geometry=polys,
        crs=32650,
    )
    return communities


def _scattered_facilities(
    rng: np.random.Generator, x0: np.ndarray, y0: np.ndarray, n_facilities: int
) -> gpd.GeoDataFrame:
    """Facilities of every kind at random inside random communities; some without areas, beds where they belong."""
    n_communities = len(x0)
    kinds = np.array(list(FACILITY_KINDS))
    fk = kinds[rng.integers(0, len(kinds), n_facilities)]
    host = rng.integers(0, n_communities, n_facilities)
    fx = x0[host] + rng.uniform(5, CELL_M - 5, n_facilities)
    fy = y0[host] + rng.uniform(5, CELL_M - 5, n_facilities)
    floor = np.round(rng.uniform(100, 3000, n_facilities))
    land = np.where(
        rng.random(n_facilities) < 0.5, np.round(floor * rng.uniform(0.8, 2.0, n_facilities)), np.nan
    )
    floor[rng.random(n_facilities) < 0.01] = np.nan  # some with neither area
    bedded = np.isin(fk, ["nursing_home", "embedded_home"])
    beds = np.where(bedded, rng.integers(20, 300, n_facilities), np.nan)
    nursing = np.where(bedded, np.floor(beds * rng.uniform(0.3, 0.8, n_facilities)), np.nan)
    facilities = gpd.GeoDataFrame(
        {
            "name": [f"设施{k:05d}" for k in range(n_facilities)],
            "kind": fk,
            "street": None,
            "floor_area_m2": floor,
            "land_area_m2": land,
            "beds": beds,
            "nursing_beds": nursing,
            "dementia_beds": np.where(bedded, np.floor(beds * 0.05), np.nan),
        },
        geometry=shapely.points(fx, fy),
        crs=32650,
    )
    return facilities


def _candidate_sites(
    rng: np.random.Generator, x0: np.ndarray, y0: np.ndarray, n_candidates: int
) -> gpd.GeoDataFrame:
    """Candidate sites at the centres of random communities, with random sizes and kinds."""
    n_communities = len(x0)
    ck = rng.integers(0, n_communities, n_candidates)
    candidates = gpd.GeoDataFrame(
        {
            "name": [f"候选{k:04d}" for k in range(n_candidates)],
            "kinds": rng.choice(
                ["day_care,meal_point", "embedded_home,day_care", "nursing_home", "street_centre"],
                n_candidates,
            ),
            "floor_area_m2": np.round(rng.uniform(200, 5000, n_candidates)),
            "land_area_m2": np.round(rng.uniform(200, 5000, n_candidates)),
            "beds": rng.integers(10, 200, n_candidates).astype(float),
            "cost": np.nan,
        },
        geometry=shapely.points(x0[ck] + CELL_M / 2, y0[ck] + CELL_M / 2),
        crs=32650,
    )
    return candidates


def _best(func, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def demo_timings(repeat: int = 3) -> dict[str, float]:
    """Seconds per stage of ``eldercircle check data/demo`` (in this process), and the whole command."""
    # a fresh network cache (geo.cache): the first command on a study parses the OSM file, the next ones read arrays
    cache = tempfile.mkdtemp(prefix="eldercircle-bench-cache-")
    os.environ["ELDERCIRCLE_CACHE_DIR"] = cache
    out: dict[str, float] = {}
    out["load_study"], study = _best(lambda: load_study(DEMO_DIR), repeat)
    out["walking_network_parse_osm"], _ = _best(
        lambda: network_from_source(study.network_source_path(), crs=study.crs), repeat
    )
    network_for_study(study)  # fills the cache
    out["walking_network"], net = _best(lambda: network_for_study(study), repeat)
    # the walking times the rules read: day care, the service circle's kinds and meal points (preset xinzhou)
    kinds = walked_kinds(study, rules_for(study.standards.preset))
    out["walking_coverage"], cov = _best(
        lambda: coverage_of_study(study, net, minutes=(15,), kinds=kinds), repeat
    )
    walk = walk_times_of(cov)
    out["health_walks"], health = _best(lambda: health_walk_m(study, net), repeat)
    out["check_study"], result = _best(
        lambda: check_study(study, walk_times=walk, facility_health_walk_m=health), repeat
    )
    out["expressways_parse_osm_uncached"], _ = _best(
        lambda: major_roads_from_osm(study.network_source_path(), crs=study.crs), repeat
    )
    out["check_table"], _ = _best(lambda: check_table(result), repeat)
    out["check_json"], _ = _best(lambda: check_json(result), repeat)
    out["rows"] = float(len(result.rows))
    out["in_process_total"] = sum(
        out[k]
        for k in (
            "load_study",
            "walking_network",
            "walking_coverage",
            "health_walks",
            "check_study",
            "check_table",
            "check_json",
        )
    )
    out["after_network_total"] = out["in_process_total"] - out["walking_network"]
    exe = Path(sys.executable).with_name("eldercircle")
    with tempfile.TemporaryDirectory() as tmp:

        def command(env: dict[str, str] | None = None) -> None:
            subprocess.run(
                [str(exe), "check", str(DEMO_DIR), "--json", str(Path(tmp) / "check.json")],
                check=True,
                capture_output=True,
                env=env,
            )

        out["command_no_cache"], _ = _best(
            lambda: command({**os.environ, "ELDERCIRCLE_CACHE_DIR": "off"}), min(repeat, 2)
        )
        out["command"], _ = _best(command, min(repeat, 2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--facilities", type=int, default=20000)
    parser.add_argument("--preset", default="xinzhou")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo study")
    parser.add_argument("--json", action="store_true", help="write bench/results/check-<time>.json")
    args = parser.parse_args()
    results: dict[str, object] = {}
    if not args.no_demo:
        demo = demo_timings(args.repeat)
        results["demo"] = demo
        print("demo study (data/demo, xinzhou), best of", args.repeat)
        for k, v in demo.items():
            print(f"  {k:<32} {v:8.3f}" + ("" if k == "rows" else " s"))
    t0 = time.perf_counter()
    study = synthetic_study(args.communities, args.facilities, preset=args.preset)
    build_s = time.perf_counter() - t0
    rng = np.random.default_rng(2)
    daycare = pd.Series(
        np.clip(rng.uniform(0.5, 1.3, len(study.communities)), 0, 1), index=study.communities.index
    )
    walk = pd.Series(rng.uniform(0, 1200, len(study.facilities)), index=study.facilities.index)
    x0, y0, x1, y1 = study.communities.total_bounds
    road = gpd.GeoDataFrame(
        {"role": ["road", "junction"]},
        geometry=[
            shapely.LineString([(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)]),
            shapely.Point((x0 + x1) / 2, (y0 + y1) / 2),
        ],
        crs=32650,
    )
    rules = rules_for(args.preset)
    check_s, result = _best(
        lambda: check_study(
            study, rules=rules, daycare_share=daycare, facility_health_walk_m=walk, expressways=road
        ),
        args.repeat,
    )
    table_s, _ = _best(lambda: check_table(result, max_rows_per_rule=20), args.repeat)
    json_s, _ = _best(lambda: check_json(result), args.repeat)
    screen_build_s, screen = _best(
        lambda: screen_candidates(study, kind="day_care", expressways=road), args.repeat
    )
    screen_call_s, reasons = _best(lambda: screen(study.candidates), args.repeat)
    large = {
        "communities": len(study.communities),
        "facilities": len(study.facilities),
        "candidates": len(study.candidates),
        "rows": len(result.rows),
        "build_s": build_s,
        "check_study_s": check_s,
        "check_table_s": table_s,
        "check_json_s": json_s,
        "screen_build_s": screen_build_s,
        "screen_call_s": screen_call_s,
        "screened_out": int(reasons.notna().sum()),
        "verdicts": result.counts(),
    }
    results["synthetic"] = large
    print(
        f"check_study: {len(study.communities)} communities, {len(study.facilities)} facilities, "
        f"{len(study.candidates)} candidates, preset {args.preset}: {len(result.rows)} rows in {check_s:.2f} s "
        f"(table {table_s:.2f} s, json {json_s:.2f} s; best of {args.repeat}; study built in {build_s:.2f} s)"
    )
    print(
        f"screen_candidates(kind=day_care): built in {screen_build_s:.3f} s, {len(study.candidates)} candidates "
        f"screened in {screen_call_s:.3f} s, {large['screened_out']} excluded"
    )
    print(result.counts())
    if args.json:
        results["machine"] = machine_info()
        print("written", write_results("check", results))


if __name__ == "__main__":
    main()
