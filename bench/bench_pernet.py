"""Per-network set-up of service circles, this checkout against another one (old code), side by side (issue 18).

The first call of ``geo.service_area.service_areas`` on a network builds data kept with it (``geo.csr.derived``):
the segments' vertices, the flags of segments crossing others without a node (``crossing_flags``), the blocks of
the plane drawing (``planar_faces``) and their cores (``face_cores``). Each step is timed cold, in that order, in
a fresh process per checkout on the synthetic city (``--side 552``: 303 059 nodes), the two checkouts alternating
(old, new, old, new, ... for ``--repeat`` rounds) so that a busy shared machine hurts both alike: wall seconds and
CPU seconds of the process (all threads). The outputs of the first round are compared: the crossing flags (same
boolean array) and the blocks (same polygons, same arrays).

Run ``python bench/bench_pernet.py --old /path/to/old/checkout [--side 552] [--repeat 3]``. The old checkout can be
made with ``git worktree add /tmp/old <commit>`` or ``git archive <commit> | tar -x -C /tmp/old``.
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
STEPS = ("segment_vertices", "crossing_flags", "planar_faces", "face_cores")


def work(root: str, side: int, out: str) -> None:
    """Each step once, cold, in this process, code from ``root``; writes times and outputs (pickle) to ``out``."""
    sys.path[:0] = [root, str(HERE.parent)]
    import shapely
    from common import synthetic_city

    from geo.service_area.blocks import face_cores, planar_faces
    from geo.service_area.crossings import crossing_flags
    from geo.service_area.segments import segment_vertices

    net = synthetic_city(side, seed=0)
    calls = {
        "segment_vertices": lambda: segment_vertices(net),
        "crossing_flags": lambda: crossing_flags(net),
        "planar_faces": lambda: planar_faces(net),
        "face_cores": lambda: face_cores(net, 50.0),
    }
    stats: dict[str, Any] = {"nodes": net.n_nodes, "edges": net.n_edges, "load1": os.getloadavg()[0]}
    for step in STEPS:
        t0, c0 = time.perf_counter(), time.process_time()
        calls[step]()
        stats[step] = {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}
    faces = planar_faces(net)
    arrays = {k: np.asarray(v) for k, v in faces.items() if k != "poly"}
    with open(out, "wb") as fh:
        pickle.dump(
            {
                "stats": stats,
                "flags": np.asarray(crossing_flags(net)),
                "poly": shapely.to_wkb(faces["poly"]),
                "arrays": arrays,
            },
            fh,
        )


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Whether the two runs built the same flags and the same blocks."""
    same_arrays = old["arrays"].keys() == new["arrays"].keys() and all(
        np.array_equal(old["arrays"][k], new["arrays"][k]) for k in old["arrays"]
    )
    return {
        "flags_equal": bool(np.array_equal(old["flags"], new["flags"])),
        "flagged": int(np.asarray(new["flags"]).sum()),
        "blocks": len(new["poly"]),
        "block_polygons_equal": bool(
            len(old["poly"]) == len(new["poly"]) and list(old["poly"]) == list(new["poly"])
        ),
        "block_arrays_equal": bool(same_arrays),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the old checkout (its geo/ is imported)")
    parser.add_argument("--new", default=str(HERE.parent.parent), help="the new checkout (default this one)")
    parser.add_argument(
        "--side", type=int, default=552, help="grid side of the synthetic city (552: 303 059 nodes)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (old, new)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker[0], int(args.worker[1]), args.worker[2])
        return
    runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
    first: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="eldercircle-pernet-") as tmp:
        for r in range(args.repeat):
            for tag, root in (("old", args.old), ("new", args.new)):
                out = str(Path(tmp) / f"{tag}-{r}.pkl")
                cmd = [sys.executable, str(HERE), "--old", args.old, "--worker", root, str(args.side), out]
                subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": root})
                with open(out, "rb") as fh:
                    data = pickle.load(fh)
                runs[tag].append(data["stats"])
                first.setdefault(tag, data)
                s = data["stats"]
                cells = ", ".join(f"{k} {s[k]['wall_s']:.3f} s ({s[k]['cpu_s']:.3f} CPU)" for k in STEPS)
                print(f"{tag} round {r}: {cells}; load {s['load1']:.1f}", flush=True)
    summary: dict[str, dict[str, float]] = {}
    for step in STEPS:
        line = []
        for clock in ("wall_s", "cpu_s"):
            old = min(s[step][clock] for s in runs["old"])
            new = min(s[step][clock] for s in runs["new"])
            summary.setdefault(step, {}).update({f"old_best_{clock}": old, f"new_best_{clock}": new})
            line.append(f"{clock[:-2]} old {old:.3f} s, new {new:.3f} s, {old / max(new, 1e-9):.2f}x")
        print(f"{step:17s} best of {args.repeat}: " + "; ".join(line), flush=True)
    diff = compare(first["old"], first["new"])
    print(f"outputs: {json.dumps(diff)}", flush=True)
    print(json.dumps({"runs": runs, "summary": summary, "outputs": diff}, indent=1, default=float))


if __name__ == "__main__":
    main()
