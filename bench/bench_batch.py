"""Benchmark of batch runs on Dask (issue 17): a synthetic province of counties of varied size on 1, 2 and 4 workers.

Run ``python bench/bench_batch.py [--counties 40] [--sizes 20000,300000] [--broken 3] [--workers 1,2,4]
[--singles 3] [--seed 0] [--format pbf] [--memory-limit 6GB]``; while developing, ``--counties 6 --sizes
20000,60000``.

- The province: :func:`planning.batch.make_province` with ``sizes``: synthetic counties whose street networks have
  between the two sizes of walkable junctions (log-uniform from ``--seed``), each a complete study (communities,
  facilities, candidates, elder-density points) with its network as OSM PBF; the last ``--broken`` are broken (a
  missing layer, a cut network file, an unknown preset: one of each in turn).
- Per worker count: wall time of :func:`planning.batch.run_batch` on a ``LocalCluster`` of that many
  single-threaded process workers (cluster start included), from an empty network cache (each worker parses its
  counties' networks, as on a first run) into an empty output folder; the speed-up over the first worker count; the
  peak memory of each worker process (``VmHWM``, read by ``client.run`` at the end: a worker restarted by the nanny
  reports only its own life); each study's own seconds.
- The single commands: ``eldercircle coverage --json`` then ``eldercircle check --json`` as separate processes on
  ``--singles`` good counties (the smallest, the largest, and between), sharing a fresh network cache as a user's
  two commands do (coverage parses the network, check reads it back); wall time and peak memory (``VmHWM``) of each
  process. The overhead per study is the batch's own seconds for that county (on the first worker count) less the two
  commands' wall time: negative when the batch is quicker (it loads the study and its network once for both steps,
  and imports once per worker).
- Capacity: the batch's seconds (first worker count) over the good counties' junctions (time per node), and a
  least-squares line of the single coverage commands' peak memory against junctions (memory per node), turned into
  what one machine can take.

Numbers are written to bench/results/batch-<time>.json and printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import machine_info, machine_line, peak_rss_mb, table, total_ram_gb, write_results
from distributed import Client, LocalCluster

from planning.batch import BREAKS, BatchOptions, make_province, run_batch

#: Run in a fresh interpreter: one eldercircle command, then this process's peak memory (MiB) on the last line.
_SINGLE = """\
import sys
from planning.cli import main
code = main(sys.argv[1:])
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(f"\\nVmHWM_MiB={hwm / 1024:.1f}")
sys.exit(code)
"""


def _nodes(folder: Path) -> int | None:
    """The walkable junctions the county's network file holds (None for a county whose file is cut)."""
    import osmium

    try:
        return sum(1 for _ in osmium.FileProcessor(str(folder / "streets.osm.pbf"), osmium.osm.NODE))
    except (RuntimeError, OSError):
        return None


def _batch(province: Path, workers: int, scratch: Path, memory_limit: str | None) -> dict[str, Any]:
    os.environ["ELDERCIRCLE_CACHE_DIR"] = str(scratch / f"cache-{workers}")  # the workers inherit it
    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            memory_limit=memory_limit or "auto",
        ) as cluster,
        Client(cluster) as client,
    ):
        result = run_batch(
            [province], out_dir=scratch / f"out-{workers}", options=BatchOptions(), client=client
        )
        peaks = list(client.run(peak_rss_mb).values())
    wall = time.perf_counter() - t0
    return {
        "workers": workers,
        "wall_s": wall,
        "ok": sum(r.ok for r in result.records),
        "failed": len(result.failed),
        "study_s": sum(r.seconds for r in result.records),
        "peak_worker_mb": max(peaks),
        "mean_peak_worker_mb": float(np.mean(peaks)),
        "studies": {r.name: {"ok": r.ok, "seconds": r.seconds, "reason": r.reason} for r in result.records},
    }


def _single(study: Path, scratch: Path) -> dict[str, Any]:
    """``coverage`` then ``check`` on one study, each a fresh process, sharing a fresh network cache."""
    env = os.environ | {"ELDERCIRCLE_CACHE_DIR": str(scratch / f"cache-single-{study.name}")}
    out: dict[str, Any] = {}
    for command in ("coverage", "check"):
        argv = [
            sys.executable,
            "-c",
            _SINGLE,
            command,
            str(study),
            "--json",
            str(scratch / f"{command}.json"),
        ]
        t0 = time.perf_counter()
        proc = subprocess.run(argv, check=True, env=env, capture_output=True, text=True)
        out[f"{command}_s"] = time.perf_counter() - t0
        out[f"{command}_mb"] = float(proc.stdout.rsplit("VmHWM_MiB=", 1)[1])
    out["single_s"] = out["coverage_s"] + out["check_s"]
    out["single_mb"] = max(out["coverage_mb"], out["check_mb"])
    return out


def _pick_singles(sizes: dict[str, int | None], k: int) -> list[str]:
    """``k`` good counties spread over the sizes: the smallest, the largest, and evenly between."""
    good = sorted((n, name) for name, n in sizes.items() if n is not None)
    if k <= 0 or not good:
        return []
    at = np.unique(np.linspace(0, len(good) - 1, min(k, len(good))).round().astype(int))
    return [good[i][1] for i in at]


def _fit(x: list[float], y: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line (slope 0 with fewer than two distinct x)."""
    if len(set(x)) < 2:
        return (float(np.mean(y)) if y else math.nan), 0.0
    slope, intercept = np.polyfit(np.asarray(x, float), np.asarray(y, float), 1)
    return float(intercept), float(slope)


def _capacity(time_per_node: float, mem_fit: tuple[float, float], cores: int, ram_gb: float) -> list[str]:
    """What one machine can take, from the measured time per junction and memory per junction."""
    m0, m_per = mem_fit
    lines = [
        f"time per study ≈ {time_per_node * 1e6:.0f} µs per junction, one core (the batch's seconds over the good "
        f"counties' junctions; a 100 000-junction county: {time_per_node * 1e5:.0f} s; 1 000 000: "
        f"{time_per_node * 1e6:.0f} s)",
        f"peak memory per worker ≈ {m0:.0f} MiB + {m_per * 1e3:.2f} MiB per 1 000 junctions (least squares over "
        f"the single coverage commands; 100 000: {m0 + m_per * 1e5:.0f} MiB; 300 000: {m0 + m_per * 3e5:.0f} MiB; "
        f"1 000 000: {m0 + m_per * 1e6:.0f} MiB)",
    ]
    for label, n_cores, ram in (("this machine", cores, ram_gb), ("a 16-core 64 GiB server", 16, 64.0)):
        for nodes in (300_000, 1_000_000):
            need_mb = m0 + m_per * nodes
            workers = max(1, min(n_cores, int(ram * 1024 * 0.8 // need_mb)))
            per_hour = workers * 3600 / max(1e-9, time_per_node * nodes)
            lines.append(
                f"{label}: counties of {nodes:,} junctions need {need_mb / 1024:.1f} GiB each, so "
                f"{workers} workers at once (of {n_cores} cores, 80 % of {ram:.0f} GiB), about {per_hour:.0f} "
                "counties an hour"
            )
    lines.append(
        "move to a cluster (dask scheduler + dask workers, --scheduler) when the largest county's memory times the "
        "cores wanted exceeds the machine's memory, or when counties × time per county / workers exceeds the time "
        "the province must be done in"
    )
    return lines


def _report(args: argparse.Namespace, sizes: dict[str, int | None], rows: list[dict], singles: dict) -> dict:
    first = rows[0]
    for r in rows:
        r["speedup"] = first["wall_s"] / r["wall_s"]
        r["per_study_s"] = r["wall_s"] / max(1, r["ok"] + r["failed"])
    single_rows = []
    for name, s in singles.items():
        batch_s = first["studies"][name]["seconds"]
        single_rows.append(
            {
                "county": name,
                "nodes": sizes[name],
                **s,
                "batch_s": batch_s,
                "overhead_s": batch_s - s["single_s"],
            }
        )
    good = [n for n, st in first["studies"].items() if st["ok"] and sizes.get(n)]
    time_per_node = sum(first["studies"][n]["seconds"] for n in good) / max(
        1, sum(sizes[n] or 0 for n in good)
    )
    mem_fit = _fit([r["nodes"] for r in single_rows], [r["single_mb"] for r in single_rows])
    info = machine_info()
    print(machine_line(info))
    known = [n for n in sizes.values() if n]
    print(
        f"{args.counties} counties ({args.broken} broken), {min(known):,}–{max(known):,} junctions "
        f"({sum(known):,} in all)"
    )
    print(
        table(
            rows,
            [
                "workers",
                "wall_s",
                "speedup",
                "per_study_s",
                "study_s",
                "peak_worker_mb",
                "mean_peak_worker_mb",
                "ok",
                "failed",
            ],
        )
    )
    print()
    print(
        table(
            single_rows,
            [
                "county",
                "nodes",
                "coverage_s",
                "check_s",
                "single_s",
                "batch_s",
                "overhead_s",
                "coverage_mb",
                "check_mb",
            ],
        )
    )
    print()
    capacity = _capacity(time_per_node, mem_fit, os.cpu_count() or 1, total_ram_gb())
    for line in capacity:
        print("- " + line)
    return {
        "machine": info,
        "args": vars(args),
        "sizes": sizes,
        "runs": rows,
        "singles": single_rows,
        "time_per_node_s": time_per_node,
        "memory_fit": mem_fit,
        "capacity": capacity,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--counties", type=int, default=40)
    parser.add_argument("--sizes", default="20000,300000", help="smallest,largest network in junctions")
    parser.add_argument("--broken", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--singles", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-limit", default=None, help="each worker's limit (default: RAM shared out)")
    parser.add_argument("--keep", type=Path, default=None, help="write the province and outputs here, kept")
    args = parser.parse_args()
    low, high = (int(s) for s in args.sizes.split(","))
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        scratch = args.keep or Path(tmp)
        broken = [BREAKS[i % len(BREAKS)] for i in range(args.broken)]
        t0 = time.perf_counter()
        folders = make_province(
            scratch / "province", args.counties, broken=broken, sizes=(low, high), seed=args.seed
        )
        print(f"province written in {time.perf_counter() - t0:.1f} s", flush=True)
        sizes = {f.name: _nodes(f) for f in folders}
        broken_names = {f.name for f in folders[len(folders) - args.broken :]} if args.broken else set()
        good_sizes = {n: s for n, s in sizes.items() if n not in broken_names}
        singles = {
            name: _single(scratch / "province" / name, scratch)
            for name in _pick_singles(good_sizes, args.singles)
        }
        print(f"single commands done: {json.dumps(singles)}", flush=True)
        rows = []
        for w in counts:
            rows.append(_batch(scratch / "province", w, scratch, args.memory_limit))
            print(f"{w} workers: {rows[-1]['wall_s']:.1f} s", flush=True)
        data = _report(args, sizes, rows, singles)
    print(f"results: {write_results('batch', data)}")


if __name__ == "__main__":
    main()
