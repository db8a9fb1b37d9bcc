"""Benchmark of a scenario comparison (issue 16): the demo study with one day-care centre added.

Run ``python bench/bench_scenario.py [--repeat 5] [--json]``. Issue 16 asks for the result of an edit within 1 s on
the demo, the study's own coverage and check already at hand (the app caches them; the CLI computes them once). The
stages are timed apart: applying the scenario (with the street check), the coverage of the touched kind only, the
standards check of the edited study, and the whole :func:`planning.scenario.compare_scenario` (best of
``--repeat``, warm: the network and imports loaded). For scale, a full coverage run of every kind is timed too.
"""

from __future__ import annotations

import argparse

import pyproj
from common import machine_info, machine_line, timed, write_results

from planning.coverage import coverage_of_study, network_for_study
from planning.demo import DEMO_DIR
from planning.scenario import AddedFacility, Scenario, apply_scenario, compare_scenario
from planning.standards import check_of_study
from planning.study import load_study

TARGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="write bench/results/scenario-<time>.json")
    args = parser.parse_args()
    study = load_study(DEMO_DIR)
    network = network_for_study(study)
    centre = study.communities.geometry.iloc[3].centroid
    lon, lat = pyproj.Transformer.from_crs(study.crs, "EPSG:4326", always_xy=True).transform(
        centre.x, centre.y
    )
    scenario = Scenario("bench", study.name, added=(AddedFacility("day_care", lon, lat),))
    baseline = coverage_of_study(study, network)
    baseline_check = check_of_study(study, network)
    after = apply_scenario(study, scenario, network=network)
    stages = {
        "apply_scenario": lambda: apply_scenario(study, scenario, network=network),
        "coverage, day_care only": lambda: coverage_of_study(after, network, kinds=("day_care",)),
        "coverage, every kind": lambda: coverage_of_study(after, network),
        "check_of_study (after)": lambda: check_of_study(after, network),
        "compare_scenario (warm)": lambda: compare_scenario(
            study, network, scenario, baseline=baseline, baseline_check=baseline_check
        ),
    }
    results = {}
    for name, func in stages.items():
        seconds, _ = timed(func, repeat=args.repeat)
        results[name] = seconds
    print(machine_line())
    print(
        f"demo: {len(study.communities)} communities, {len(study.facilities)} facilities, {network.n_nodes} nodes"
    )
    for name, seconds in results.items():
        print(f"{name:28s} {seconds:6.3f} s")
    total = results["compare_scenario (warm)"]
    print(f"target {TARGET_S:g} s: {'met' if total <= TARGET_S else 'missed'} ({total:.3f} s)")
    if args.json:
        write_results("scenario", {"machine": machine_info(), "seconds": results, "target_s": TARGET_S})


if __name__ == "__main__":
    main()
