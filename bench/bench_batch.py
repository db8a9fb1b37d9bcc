"""Benchmark of batch runs on Dask (issue 17): a synthetic province on 1, 2 (and 4) local workers.

Run ``python bench/bench_batch.py [--counties 8] [--broken 1] [--workers 1,2,4] [--singles 2]``.

- The province: :func:`planning.batch.make_province` (copies of the demo district, 14 645 OSM nodes each, moved
  apart; the last ``--broken`` are broken). Every run starts from an empty network cache (each worker parses its
  counties' OSM files, as on a first run) and an empty output folder.
- Per worker count: wall time of :func:`planning.batch.run_batch` on a ``LocalCluster`` of that many single-threaded
  process workers (cluster start included), speed-up over 1 worker, peak memory per worker (VmHWM of each worker
  process), the sum of the studies' own seconds.
- The single commands: ``eldercircle coverage`` + ``eldercircle check`` (``--json``) on ``--singles`` counties in
  fresh processes with an empty cache; the overhead per study is the batch's wall time on one worker over the
  number of good studies, less that.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine_info, machine_line, peak_rss_mb, table, write_results
from distributed import Client, LocalCluster

from planning.batch import BREAKS, BatchOptions, make_province, run_batch


def _batch(province: Path, workers: int, scratch: Path) -> dict:
    os.environ["ELDERCIRCLE_CACHE_DIR"] = str(scratch / f"cache-{workers}")  # the workers inherit it
    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        result = run_batch(
            [province], out_dir=scratch / f"out-{workers}", options=BatchOptions(), client=client
        )
        peaks = client.run(peak_rss_mb)
    wall = time.perf_counter() - t0
    return {
        "workers": workers,
        "wall_s": wall,
        "ok": sum(r.ok for r in result.records),
        "failed": len(result.failed),
        "study_s": sum(r.seconds for r in result.records),
        "peak_worker_mb": max(peaks.values()),
    }


def _single(study: Path, scratch: Path) -> float:
    env = os.environ | {"ELDERCIRCLE_CACHE_DIR": str(scratch / f"cache-single-{study.name}")}
    t0 = time.perf_counter()
    for command in ("coverage", "check"):
        argv = [
            sys.executable,
            "-m",
            "planning.cli",
            command,
            str(study),
            "--json",
            str(scratch / f"{command}.json"),
        ]
        subprocess.run(argv, check=True, env=env, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument("--broken", type=int, default=1)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--singles", type=int, default=2)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        scratch = Path(tmp)
        broken = [BREAKS[i % len(BREAKS)] for i in range(args.broken)]
        folders = make_province(scratch / "province", args.counties, broken=broken)
        singles = [_single(f, scratch) for f in folders[: args.singles]]
        single_s = min(singles)
        rows = [_batch(scratch / "province", w, scratch) for w in counts]
    one = next((r["wall_s"] for r in rows if r["workers"] == 1), rows[0]["wall_s"])
    for r in rows:
        r["speedup"] = one / r["wall_s"]
        r["per_study_s"] = r["wall_s"] / max(1, r["ok"])
    overhead = rows[0]["wall_s"] / max(1, rows[0]["ok"]) - single_s if rows[0]["workers"] == 1 else None
    info = machine_info()
    print(machine_line(info))
    print(
        f"{args.counties} counties ({args.broken} broken); single commands (coverage + check): {single_s:.2f} s"
    )
    columns = ["workers", "wall_s", "speedup", "per_study_s", "study_s", "peak_worker_mb", "ok", "failed"]
    print(table(rows, columns))
    if overhead is not None:
        print(f"overhead per study on 1 worker against the single commands: {overhead:+.2f} s")
    path = write_results(
        "batch",
        {"machine": info, "args": vars(args), "single_s": singles, "runs": rows, "overhead_s": overhead},
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
