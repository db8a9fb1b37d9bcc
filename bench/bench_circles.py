"""Service circles, this checkout against another one (old code), side by side (issue 18).

For each mode, ``service_areas`` for the 1 000 facilities of ``bench/bench_coverage.py`` (its third kind: random
points in the box, seed 102) x 5/10/15 minutes on the synthetic city (``--side 552``: 303 059 nodes) runs in a fresh
process per checkout, the two checkouts alternating (old, new, old, new, ... for ``--repeat`` rounds), so that a
busy shared machine hurts both alike. Each process times one cold call (the per-network data is built inside it):
wall seconds, CPU seconds of the whole process (all threads), peak memory (``VmHWM``). The polygons of the first
round are compared: per polygon the symmetric difference over the old polygon's area (median, max), the total area
per band, validity, empties.

Run ``python bench/bench_circles.py --old /path/to/old/checkout [--modes per_facility,nearest,dissolved]
[--side 552] [--repeat 1]``. The old checkout can be made with ``git worktree add /tmp/old <commit>`` or
``git archive <commit> | tar -x -C /tmp/old``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve()
MINUTES = (5, 10, 15)


def work(root: str, mode: str, side: int, out: str) -> None:
    """One cold call in this process, code from ``root``; writes stats (JSON) and polygons (pickle) to ``out``."""
    sys.path[:0] = [root, str(HERE.parent)]
    import shapely
    from common import peak_rss_mb, random_points_in_bounds, synthetic_city

    from geo.service_area import service_areas

    net = synthetic_city(side, seed=0)
    fxy = random_points_in_bounds(net, 1000, seed=102)
    t0, c0 = time.perf_counter(), time.process_time()
    gdf = service_areas(net, fxy, minutes=MINUTES, mode=mode, buffer_m=50.0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    g = gdf.geometry.to_numpy()
    stats = {
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_mb": peak_rss_mb(),
        "load1": os.getloadavg()[0],
        "nodes": net.n_nodes,
        "valid": bool(shapely.is_valid(g).all()),
    }
    with open(out, "wb") as fh:
        pickle.dump({"stats": stats, "wkb": shapely.to_wkb(g), "band": gdf["band_min"].to_numpy()}, fh)


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Area differences between two runs' polygons (same rows)."""
    import shapely

    a, b = shapely.from_wkb(old["wkb"]), shapely.from_wkb(new["wkb"])
    aa, ab = shapely.area(a), shapely.area(b)
    sd = shapely.area(shapely.symmetric_difference(a, b))
    rel = sd[aa > 0] / aa[aa > 0]
    bands = {}
    for m in MINUTES:
        sel = old["band"] == m
        bands[m] = {"old_km2": aa[sel].sum() / 1e6, "new_km2": ab[sel].sum() / 1e6}
    return {
        "polygons": int(a.size),
        "rel_symdiff_median": float(np.median(rel)) if rel.size else 0.0,
        "rel_symdiff_max": float(rel.max()) if rel.size else 0.0,
        "same_empties": bool((shapely.is_empty(a) == shapely.is_empty(b)).all()),
        "bands": bands,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the old checkout (its geo/ is imported)")
    parser.add_argument("--new", default=str(HERE.parent.parent), help="the new checkout (default this one)")
    parser.add_argument("--modes", default="per_facility,nearest,dissolved")
    parser.add_argument(
        "--side", type=int, default=552, help="grid side of the synthetic city (552: 303 059 nodes)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (old, new) per mode")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker[0], args.worker[1], int(args.worker[2]), args.worker[3])
        return
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="eldercircle-circles-") as tmp:
        for mode in args.modes.split(","):
            runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
            first: dict[str, dict[str, Any]] = {}
            for r in range(args.repeat):
                for tag, root in (("old", args.old), ("new", args.new)):
                    out = str(Path(tmp) / f"{mode}-{tag}-{r}.pkl")
                    cmd = [
                        sys.executable,
                        str(HERE),
                        "--old",
                        args.old,
                        "--worker",
                        root,
                        mode,
                        str(args.side),
                        out,
                    ]
                    subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": root})
                    with open(out, "rb") as fh:
                        data = pickle.load(fh)
                    runs[tag].append(data["stats"])
                    first.setdefault(tag, data)
                    s = data["stats"]
                    print(
                        f"{mode:13s} {tag}: {s['wall_s']:6.2f} s wall, {s['cpu_s']:6.2f} s CPU, "
                        f"{s['peak_mb']:6.0f} MiB peak, load {s['load1']:.1f}",
                        flush=True,
                    )
            diff = compare(first["old"], first["new"])
            print(f"{mode:13s} areas: {json.dumps(diff)}", flush=True)
            results[mode] = {"runs": runs, "areas": diff}
    print(json.dumps(results, indent=1, default=float))


if __name__ == "__main__":
    main()
