"""A city-scale benchmark a user can reproduce: every command on a synthetic district, timed as the user runs it.

``python bench/bench_city.py [--nodes 1000000] [--quick] [--network pbf|gpkg|both] [--only open]`` writes a
synthetic district of about ``--nodes`` junctions with the project's own generator,
``planning.batch.make_county(..., unwalkable=True)``: a perturbed street grid with a winding river, bridges, named
arterials, footways and steps, one motorway and some private service roads (which the walkable filter leaves out),
and a complete study around it (communities on a 1 km grid, facilities scaled to them, candidate sites,
elder-density points). One study folder per network format, with the same seed, so both hold the same streets: an OSM
PBF with highway tags and names (``pbf``), and a street-centreline GeoPackage (``gpkg``; it has no access column, so
its private roads stay in). Then it runs the ``eldercircle`` CLI in a fresh process per command, whole command, each
cold (an empty network cache: the walking network is built from the file) and warm (the cache filled by the cold
run):

* first open: the walking network opened as every command opens it (``load_study`` + ``network_for_study`` in a
  fresh ``python -c``), then the first ``coverage``; then ``validate`` (which reads the layers only);
* ``coverage --points``;
* ``coverage --layers`` with the service circles of each mode (``--circles dissolved|per_facility|nearest``);
* ``check``; ``site --kind day_care --add 20`` (fewer when the district has fewer day-care candidate sites: about
  one community in ten has one, so 20 from about 200 000 junctions); ``report``.

Wall time, CPU time and peak memory (``ru_maxrss`` of the child alone, from ``os.wait4``) of every run go to
bench/results/bench_city-<time>.json and a Markdown table. ``--quick`` is 100 000 junctions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common
import pyogrio

from planning.batch import make_county

CIRCLE_MODES = ("dissolved", "per_facility", "nearest")
#: The walking network alone, opened as every command opens it (the study's [network] through the cache): what a
#: first open costs before any analysis. ``validate`` reads the layers only.
OPEN_NETWORK = (
    "import sys; from planning.study import load_study; from planning.coverage.measure import network_for_study; "
    "network_for_study(load_study(sys.argv[1]))"
)


def _cli() -> list[str]:
    """The command a user types: the installed ``eldercircle`` beside this Python, else ``python -m planning.cli``."""
    exe = Path(sys.executable).with_name("eldercircle")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "planning.cli"]


def run(args: list[str], *, cache: Path, timeout_s: float = 3600) -> dict[str, Any]:
    """One whole CLI command in a fresh process: wall seconds, exit code, and the child's own peak memory (MiB; the
    child is reaped with ``os.wait4``, whose rusage is that process's alone)."""
    env = dict(os.environ, ELDERCIRCLE_CACHE_DIR=str(cache), PYTHONPATH=str(common.REPO))
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        cmd = [sys.executable, "-c", args[1], *args[2:]] if args[0] == "--python" else _cli() + args
        proc = subprocess.Popen(cmd, cwd=str(common.REPO), env=env, stdout=subprocess.DEVNULL, stderr=err)
        deadline = t0 + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout_s:.0f} s", "wall_s": time.perf_counter() - t0}
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out: dict[str, Any] = {
            "wall_s": wall,
            "cpu_s": usage.ru_utime
            + usage.ru_stime,  # the child's own CPU time: steadier than wall on a busy box
            "exit": proc.returncode,
            "peak_mb": usage.ru_maxrss / 1024,
        }
        if proc.returncode != 0:
            err.seek(0)
            out["error"] = " | ".join(err.read().strip().splitlines()[-4:])
    return out


def day_care_sites(study: Path) -> int:
    """How many of the study's candidate sites suit a day-care centre."""
    kinds = pyogrio.read_dataframe(study / "candidates.geojson", columns=["kinds"], read_geometry=False)[
        "kinds"
    ]
    return int(sum("day_care" in str(k).split(",") for k in kinds))


def commands(study: Path, out: Path, *, only: str) -> list[tuple[str, list[str]]]:
    """The commands timed on one study, in order."""
    k = min(SITE_K, day_care_sites(study))
    cmds: list[tuple[str, list[str]]] = [
        ("open the network", ["--python", OPEN_NETWORK, str(study)]),
        ("coverage (first open)", ["coverage", str(study)]),
    ]
    if only == "open":
        return cmds
    cmds += [
        ("validate", ["validate", str(study)]),
        ("coverage --points", ["coverage", str(study), "--points", str(out / "points.csv")]),
    ]
    for mode in CIRCLE_MODES:
        layers = ["coverage", str(study), "--layers", str(out / f"circles-{mode}.gpkg"), "--circles", mode]
        cmds.append((f"coverage --layers ({mode})", layers))
    cmds += [
        ("check", ["check", str(study)]),
        (f"site K={k}", ["site", str(study), "--kind", "day_care", "--add", str(k)]),
        ("report", ["report", str(study), "--out", str(out / "report"), "--force"]),
    ]
    return cmds


#: How many day-care centres ``site`` adds (at most as many as there are candidate sites for them).
SITE_K = 20
#: ``--network`` choices and the ``make_county`` network format of each.
NETWORK_FORMATS = {"pbf": "pbf", "gpkg": "centrelines"}


def make(work: Path, nodes: int, seed: int, networks: list[str]) -> dict[str, Path]:
    """Write one study folder per network kind (``work/study-<kind>``, kept from an earlier run with the same
    ``--work``); return the study folders."""
    studies: dict[str, Path] = {}
    for kind in networks:
        folder = studies[kind] = work / f"study-{kind}"
        if (folder / "study.toml").is_file():  # written by an earlier run with the same --work
            continue
        t0 = time.perf_counter()
        county = make_county(
            folder,
            nodes=nodes,
            seed=seed,
            network_format=NETWORK_FORMATS[kind],
            name="合成城区（基准测试，合成数据）",
            name_en=f"Synthetic district for benchmarks, seed {seed} (synthetic data)",
            unwalkable=True,
        )
        print(
            f"district ({kind}): {county.nodes:,} junctions, {county.ways:,} ways, {county.communities:,} "
            f"communities, {county.facilities:,} facilities, written in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
    return studies


def main() -> None:
    """Build the district, time every command cold and warm, write JSON and print a table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--nodes", type=int, default=1_000_000, help="about how many junctions the district has"
    )
    parser.add_argument("--quick", action="store_true", help="100 000 junctions")
    parser.add_argument("--seed", type=int, default=0, help="make_county's seed (the same for both networks)")
    parser.add_argument(
        "--network",
        choices=("pbf", "gpkg", "both"),
        default="both",
        help="the network file: OSM PBF, centreline GeoPackage, or both (one study folder each)",
    )
    parser.add_argument("--only", choices=("all", "open"), default="all", help="'open': first open only")
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="folder for the study folders, caches and outputs (default: a temp folder); study folders already "
        "in it are used again as they are, so give a new folder after changing --nodes or --seed",
    )
    args = parser.parse_args()
    nodes = 100_000 if args.quick else args.nodes
    networks = ["pbf", "gpkg"] if args.network == "both" else [args.network]
    work = args.work or Path(tempfile.mkdtemp(prefix="eldercircle-city-"))
    studies = make(work, nodes, args.seed, networks)
    rows = []
    for kind, study in studies.items():
        out = work / f"out-{kind}"
        out.mkdir(exist_ok=True)
        for label, cli_args in commands(study, out, only=args.only):
            cache = work / f"cache-{kind}-{len(rows)}"
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir()
            cold = run(cli_args, cache=cache)
            warm = run(cli_args, cache=cache)
            row = {
                "network": kind,
                "command": label,
                "cold_s": cold.get("wall_s"),
                "cold_cpu_s": cold.get("cpu_s"),
                "cold_peak_mb": cold.get("peak_mb"),
                "warm_s": warm.get("wall_s"),
                "warm_cpu_s": warm.get("cpu_s"),
                "warm_peak_mb": warm.get("peak_mb"),
                "error": cold.get("error") or warm.get("error") or "",
            }
            rows.append(row)
            print(
                f"{kind:5} {label:38} cold {row['cold_s']:.2f} s  warm {row['warm_s']:.2f} s {row['error']}",
                flush=True,
            )
            shutil.rmtree(cache, ignore_errors=True)
    result = {
        "machine": common.machine_info(),
        "nodes": nodes,
        "seed": args.seed,
        "work": str(work),
        "rows": rows,
    }
    path = common.write_results("bench_city", result)
    print()
    print(common.machine_line(result["machine"]))
    print(
        common.table(
            rows,
            [
                "network",
                "command",
                "cold_s",
                "cold_cpu_s",
                "cold_peak_mb",
                "warm_s",
                "warm_cpu_s",
                "warm_peak_mb",
                "error",
            ],
            headers=[
                "network",
                "command",
                "cold (s)",
                "cold CPU (s)",
                "cold peak (MiB)",
                "warm (s)",
                "warm CPU (s)",
                "warm peak (MiB)",
                "error",
            ],
        )
    )
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
