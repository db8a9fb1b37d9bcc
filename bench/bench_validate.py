"""Benchmark of loading and validating studies (issue 2).

Issue 2 asks for loading and validating the demo study under 3 s, and validating a 100 000-row facility layer under
10 s. This script measures, on this machine:

1. the cold import of ``planning.study`` (fresh interpreters, best and first of 3; reported apart, not counted);
2. ``planning.study.load_study("data/demo")`` in-process after the import (first call, and best of 3);
3. ``eldercircle validate data/demo`` end to end in a fresh process (imports included: what a user waits for);
4. ``load_study`` of a generated study in a temporary folder: a facility CSV of 100 000 rows with Chinese headers,
   text numbers (``1,200``, ``约800``, ``1200㎡``, ``60张``) and a few planted bad rows (missing coordinates, unknown
   kinds, ranges, words, negative areas, more nursing beds than beds), plus a GeoJSON communities layer of 400
   polygons. The planted defects are counted back: every bad row must be rejected and every text number repaired.

Run ``python bench/bench_validate.py [--quick] [--rows N] [--json]``. ``--quick`` uses 10 000 rows and 1 repeat.
Results print as Markdown tables; ``--json`` also writes ``bench/results/validate-<time>.json``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from common import REPO, machine_info, machine_line, peak_rss_mb, table, write_results

from geo import crs as gc
from planning.study import load_study

DEMO = REPO / "data" / "demo"
TARGET_DEMO_S = 3.0
TARGET_100K_S = 10.0
#: 100 000 lon/lat points from GCJ-02 and from BD-09 to WGS84 and back (moved here from tests/geo/test_crs.py: tests
#: assert no times).
TARGET_COORDS_S = 1.0

#: Facility kind labels written into the generated CSV: Chinese names, aliases, canonical names.
KIND_LABELS = (
    "街道综合养老服务中心",
    "日间照料中心",
    "社区嵌入式养老院",
    "养老院",
    "助餐点",
    "农村互助养老服务点",
    "社区卫生服务中心",
    "敬老院",
    "托老所",
    "长者食堂",
    "日间照料站",
    "day_care",
    "meal_point",
    "嵌入式养老院",
)
BEDDED = {"社区嵌入式养老院", "养老院", "敬老院", "嵌入式养老院"}

#: Planted defects, one per row, each making the row rejected.
DEFECTS = ("no_coords", "unknown_kind", "range", "word", "negative", "nursing_gt_beds")


def _venv_script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


# --- the generated study ------------------------------------------------------------------------------------------


def write_big_study(folder: Path, n_rows: int, *, seed: int = 3, bad_share: float = 0.0006) -> dict[str, int]:
    """Write ``study.toml``, ``facilities.csv`` (``n_rows`` rows) and ``communities.geojson`` into ``folder``.

    Returns the planted counts: ``bad_rows`` (rows that must be rejected) and ``text_numbers`` (cells written as
    text that the loader must parse and report).
    """
    rng = np.random.default_rng(seed)
    lon0, lat0, side_deg = 117.95, 28.40, 0.2  # about 20 km square near Shangrao, Jiangxi
    n_side = 20
    step = side_deg / n_side
    i = np.arange(n_side * n_side)
    cx, cy = lon0 + (i % n_side) * step, lat0 + (i // n_side) * step
    pop = rng.integers(2000, 12000, i.size)
    communities = gpd.GeoDataFrame(
        {
            "社区名称": [f"第{k:03d}社区" for k in i],
            "所属街道": [f"街道{k // 40:02d}" for k in i],
            "常住人口": pop,
            "老年人口": np.floor(pop * rng.uniform(0.12, 0.3, i.size)).astype(int),
            "类型": np.where(rng.random(i.size) < 0.8, "城市社区", "行政村"),
        },
        geometry=shapely.box(cx, cy, cx + step, cy + step),
        crs="EPSG:4326",
    )
    communities.to_file(folder / "communities.geojson", driver="GeoJSON")

    n = int(n_rows)
    kind = rng.choice(np.array(KIND_LABELS, dtype=object), n)
    lon = lon0 + rng.uniform(0.002, side_deg - 0.002, n)
    lat = lat0 + rng.uniform(0.002, side_deg - 0.002, n)
    floor = rng.integers(80, 4000, n)
    land = rng.integers(80, 5000, n)
    bedded = np.isin(kind, list(BEDDED))
    beds = rng.integers(10, 300, n)
    nursing = np.floor(beds * rng.uniform(0.2, 0.8, n)).astype(int)
    floor_s = floor.astype(str).astype(object)
    land_s = land.astype(str).astype(object)
    beds_s = np.where(bedded, beds.astype(str), "").astype(object)
    nursing_s = np.where(bedded, nursing.astype(str), "").astype(object)
    lon_s = np.char.mod("%.6f", lon).astype(object)
    lat_s = np.char.mod("%.6f", lat).astype(object)
    # text numbers the loader must read and report (a cell gets at most one treatment)
    u = rng.random(n)
    thousands = (u < 0.05) & (floor >= 1000)
    floor_s[thousands] = [f"{v:,}" for v in floor[thousands]]
    approx = (u >= 0.05) & (u < 0.08)
    floor_s[approx] = [f"约{v}" for v in floor[approx]]
    unit = (u >= 0.08) & (u < 0.10)
    floor_s[unit] = [f"{v}㎡" for v in floor[unit]]
    bed_unit = bedded & (rng.random(n) < 0.05)
    beds_s[bed_unit] = [f"{v}张" for v in beds[bed_unit]]
    blank_land = rng.random(n) < 0.3
    land_s[blank_land] = ""
    # planted defects: distinct rows, one defect each, on rows without text numbers
    clean = np.flatnonzero(~(thousands | approx | unit | bed_unit))
    n_bad = max(len(DEFECTS), round(bad_share * n))
    bad_rows = rng.choice(clean, size=n_bad, replace=False)
    what = np.array(DEFECTS)[np.arange(n_bad) % len(DEFECTS)]
    for r, d in zip(bad_rows, what, strict=False):
        if d == "no_coords":
            lon_s[r] = lat_s[r] = ""
        elif d == "unknown_kind":
            kind[r] = "养鸡场"
        elif d == "range":
            floor_s[r] = "800-1000"
        elif d == "word":
            floor_s[r] = "不详"
        elif d == "negative":
            floor_s[r] = "-50"
        elif d == "nursing_gt_beds":
            kind[r] = "养老院"
            beds_s[r], nursing_s[r] = "20", "35"
    frame = pd.DataFrame(
        {
            "名称": [f"设施{k:06d}" for k in range(n)],
            "类型": kind,
            "经度": lon_s,
            "纬度": lat_s,
            "建筑面积": floor_s,
            "用地面积": land_s,
            "床位数": beds_s,
            "护理型床位": nursing_s,
        }
    )
    frame.to_csv(folder / "facilities.csv", index=False, encoding="utf-8")
    (folder / "study.toml").write_text(
        '[study]\nname = "十万设施基准"\nsynthetic = true\n[layers]\ncommunities = "communities.geojson"\n'
        'facilities = "facilities.csv"\n[standards]\npreset = "jiangxi"\n',
        encoding="utf-8",
    )
    return {
        "rows": n,
        "bad_rows": int(n_bad),
        "text_numbers": int(thousands.sum() + approx.sum() + unit.sum() + bed_unit.sum()),
        "csv_mb": round((folder / "facilities.csv").stat().st_size / 2**20, 2),
    }


# --- measurements -------------------------------------------------------------------------------------------------


def cold_import(repeat: int = 3) -> dict[str, float]:
    """Wall time of ``import planning.study`` in fresh interpreters: the first run and the best of ``repeat``."""
    code = (
        "import time; t = time.perf_counter(); import planning.study, planning.validation; "
        "print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"first_s": times[0], "best_s": min(times)}


def time_load(path: Path, repeat: int) -> dict[str, Any]:
    """``load_study(path)`` in this process: first call, best of ``repeat`` and the split between reading and
    validating (from the progress messages of the best run)."""
    runs = []
    study = None
    for _ in range(max(1, repeat)):
        marks: list[tuple[float, str]] = []
        t0 = time.perf_counter()
        study = load_study(path, progress=lambda f, m, marks=marks: marks.append((time.perf_counter(), m)))
        t1 = time.perf_counter()
        read = sum(
            b[0] - a[0]
            for a, b in zip(marks, [*marks[1:], (t1, "")], strict=False)
            if a[1].startswith("reading")
        )
        runs.append({"total_s": t1 - t0, "read_s": read, "validate_s": t1 - t0 - read})
    best = min(runs, key=lambda r: r["total_s"])
    return {
        "first_s": runs[0]["total_s"],
        "best_s": best["total_s"],
        "read_s": best["read_s"],
        "validate_s": best["validate_s"],
        "study": study,
    }


def cli_validate(path: Path, repeat: int) -> dict[str, float]:
    """Wall time of ``eldercircle validate PATH`` in a fresh process (imports included), first and best."""
    times = []
    code = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [_venv_script("eldercircle"), "validate", str(path)],
            check=False,
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        times.append(time.perf_counter() - t0)
        code = proc.returncode
    return {"first_s": times[0], "best_s": min(times), "exit_code": code}


def time_coords(repeat: int, *, n_points: int = 100_000) -> dict[str, Any]:
    """GCJ-02 and BD-09 to WGS84 and back for ``n_points`` random points in China: the slower system's best time."""
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(73.5, 135.0, n_points), rng.uniform(18.0, 53.5, n_points)
    first, best = 0.0, np.inf
    for coords in ("gcj02", "bd09"):
        times = []
        for _ in range(max(repeat, 1)):
            t0 = time.perf_counter()
            w_lon, w_lat = gc.to_wgs84(lon, lat, coords=coords)
            gc.from_wgs84(w_lon, w_lat, coords=coords)
            times.append(time.perf_counter() - t0)
        first, best = (
            max(first, times[0]),
            min(best, min(times)) if coords == "gcj02" else max(best, min(times)),
        )
    return {"first_s": first, "best_s": best}


def count_findings(study, layer: str) -> dict[str, int]:
    rows = [f for f in study.findings if f.layer == layer]
    return {
        "accepted": len(getattr(study, layer)),
        "rejected": len(study.rejected.get(layer, [])),
        "repaired_rows": sum(1 for f in rows if f.action == "repaired" and f.row is not None),
        "findings": len(rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 000 facility rows, one repeat")
    parser.add_argument(
        "--rows", type=int, default=None, help="rows of the generated facility layer (100 000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="repeats per measurement (default 3; quick 1)"
    )
    parser.add_argument("--json", action="store_true", help="also write bench/results/validate-<time>.json")
    args = parser.parse_args(argv)
    rows = args.rows or (10_000 if args.quick else 100_000)
    repeat = args.repeat or (1 if args.quick else 3)
    info = machine_info()
    print(
        f"# Loading and validation benchmark\n\n{machine_line(info)}; load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )

    imp = cold_import(repeat)
    coords = time_coords(repeat)
    demo = time_load(DEMO, repeat)
    demo_counts = {k: count_findings(demo["study"], k)["accepted"] for k in ("communities", "facilities")}
    cli = cli_validate(DEMO, repeat)
    with tempfile.TemporaryDirectory(prefix="eldercircle-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        planted = write_big_study(folder, rows)
        gen_s = time.perf_counter() - t0
        big = time_load(folder, repeat)
        got = count_findings(big["study"], "facilities")
        big_cli = cli_validate(folder, 1)
    if got["rejected"] != planted["bad_rows"]:
        raise SystemExit(f"check failed: {planted['bad_rows']} bad rows planted, {got['rejected']} rejected")
    if got["repaired_rows"] != planted["text_numbers"]:
        raise SystemExit(
            f"check failed: {planted['text_numbers']} text numbers planted, {got['repaired_rows']} "
            "repaired rows reported"
        )

    results = [
        {
            "what": "import planning.study (fresh process)",
            "first_s": imp["first_s"],
            "best_s": imp["best_s"],
            "target_s": None,
        },
        {
            "what": "load_study(data/demo), after import",
            "first_s": demo["first_s"],
            "best_s": demo["best_s"],
            "read_s": demo["read_s"],
            "validate_s": demo["validate_s"],
            "target_s": TARGET_DEMO_S,
        },
        {
            "what": "eldercircle validate data/demo (process)",
            "first_s": cli["first_s"],
            "best_s": cli["best_s"],
            "target_s": TARGET_DEMO_S,
        },
        {
            "what": f"load_study, {rows:,}-row facility CSV",
            "first_s": big["first_s"],
            "best_s": big["best_s"],
            "read_s": big["read_s"],
            "validate_s": big["validate_s"],
            "target_s": TARGET_100K_S if rows >= 100_000 else None,
        },
        {
            "what": "GCJ-02 and BD-09 to WGS84 and back, 100,000 points (slower system)",
            "first_s": coords["first_s"],
            "best_s": coords["best_s"],
            "target_s": TARGET_COORDS_S,
        },
        {
            "what": f"eldercircle validate, {rows:,} rows (process)",
            "first_s": big_cli["first_s"],
            "best_s": big_cli["best_s"],
            "target_s": TARGET_100K_S if rows >= 100_000 else None,
        },
    ]
    for r in results:
        r["met"] = None if r["target_s"] is None else r["best_s"] < r["target_s"]
    print(
        table(
            results,
            ["what", "first_s", "best_s", "read_s", "validate_s", "target_s", "met"],
            headers=[
                "measurement",
                "first (s)",
                f"best of {repeat} (s)",
                "reading (s)",
                "validating (s)",
                "target (s)",
                "met",
            ],
        )
    )
    print(
        f"\ndemo: {demo_counts['communities']} communities, {demo_counts['facilities']} facilities; "
        f"`eldercircle validate` exit code {cli['exit_code']}"
    )
    print(
        f"generated study: {planted['rows']:,} facility rows ({planted['csv_mb']} MB CSV, written in {gen_s:.1f} s), "
        f"{planted['text_numbers']:,} text numbers and {planted['bad_rows']} bad rows planted; loader: "
        f"{got['accepted']:,} accepted, {got['rejected']} rejected, {got['repaired_rows']:,} rows repaired, "
        f"{got['findings']:,} findings (all planted defects found); exit code {big_cli['exit_code']}"
    )
    print(f"peak memory of this process: {peak_rss_mb():,.0f} MiB (VmHWM)")
    if args.json:
        path = write_results(
            "validate",
            {
                "machine": info,
                "rows": rows,
                "repeat": repeat,
                "planted": planted,
                "loaded": got,
                "results": results,
            },
        )
        print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
