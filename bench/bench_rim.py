"""The rim step of per-facility service circles, single-thread CPU, today's way against alternatives (issue 18).

The rim step is what ``geo.service_area.blocks.area_from_blocks`` does besides the whole blocks: the buffer of the
reached lines that bound no whole block (``buffer_lines``), united with the blocks' area. Its inputs are recorded
from one per-facility run (``service_areas`` is called as usual; ``area_from_blocks`` is wrapped to keep a copy of
its arguments, the polygons are not changed), then every variant is applied to the same inputs in this thread and
timed with ``time.thread_time`` (CPU of this thread only, so a busy shared machine hardly moves it). Each variant's
polygons are compared with today's: per polygon the symmetric difference over today's area (median, max) and the
total area.

Variants (all tried for issue 18; none is >= 3x within 1 %):

- ``thin``: the rim lines buffered by ``eps`` (thin capsules that barely overlap), united, and that polygon buffered
  by ``buffer_m - eps`` (``buffer(buffer(L, e), r - e) = buffer(L, r)`` up to the arc approximation);
- ``one_poly``: whole blocks and thin capsules united into one polygon, one ``buffer(P, buffer_m)``, cores removed;
- ``multi``: one buffer of the rim as a MultiLineString;
- ``quad_segs``: today's union of capsules with coarser arcs;
- ``drop``: capsules already covered by the blocks' area left out of the union.

Run ``python bench/bench_rim.py [--side 300] [--facilities 60]`` (``--side 552 --facilities 100``: 303 059 nodes).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from common import random_points_in_bounds, synthetic_city  # noqa: E402

import geo.service_area.areas as areas_mod  # noqa: E402
from geo.service_area import blocks as bl  # noqa: E402
from geo.service_area import service_areas  # noqa: E402

BUFFER_M = 50.0
Inputs = tuple[np.ndarray, np.ndarray, np.ndarray]
Variant = Callable[[np.ndarray, np.ndarray, np.ndarray], shapely.Geometry]


def record(side: int, n_fac: int) -> tuple[object, list[Inputs]]:
    """One per-facility run (5/10/15 min) with the arguments of every ``area_from_blocks`` call kept."""
    net = synthetic_city(side, seed=0)
    fxy = random_points_in_bounds(net, n_fac, seed=102)
    kept: list[Inputs] = []
    original = bl.area_from_blocks

    def keep(
        net_: object, blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray, buffer_m: float
    ) -> shapely.Geometry:
        kept.append((blocks.copy(), lines.copy(), crossing.copy()))
        return original(net_, blocks, lines, crossing, buffer_m)  # type: ignore[arg-type]

    areas_mod.area_from_blocks = keep  # type: ignore[assignment]
    try:
        service_areas(net, fxy, minutes=(5, 10, 15), mode="per_facility", buffer_m=BUFFER_M)
    finally:
        areas_mod.area_from_blocks = original
    return net, [k for k in kept if k[0].size or k[1].size]


def variants(net: object) -> dict[str, Variant]:
    """Today's rim step and the alternatives, each mapping (blocks, lines, crossing) to the area."""
    poly = bl.planar_faces(net)["poly"]  # type: ignore[arg-type]
    cores, _ = bl.face_cores(net, BUFFER_M)  # type: ignore[arg-type]

    def block_area(blocks: np.ndarray) -> shapely.Geometry | None:
        if blocks.size == 0:
            return None
        area = shapely.buffer(shapely.coverage_union_all(poly[blocks]), BUFFER_M)
        core = cores[blocks]
        core = core[~shapely.is_missing(core)]
        return shapely.difference(area, shapely.multipolygons(shapely.get_parts(core))) if core.size else area

    def with_blocks(rim: Callable[[np.ndarray, np.ndarray], shapely.Geometry]) -> Variant:
        def run(blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray) -> shapely.Geometry:
            area = block_area(blocks)
            if lines.size == 0:
                return area
            r = rim(lines, crossing)
            return r if area is None else shapely.union(area, r)

        return run

    def caps(quad_segs: int, drop: bool) -> Variant:
        def run(blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray) -> shapely.Geometry:
            area = block_area(blocks)
            c = shapely.buffer(lines, BUFFER_M, quad_segs=quad_segs)
            if drop and area is not None:
                shapely.prepare(area)
                c = c[~shapely.covered_by(c, area)]
            return shapely.union_all(np.concatenate([[area] if area is not None else [], c]))

        return run

    def one_poly(eps: float) -> Variant:
        def run(blocks: np.ndarray, lines: np.ndarray, crossing: np.ndarray) -> shapely.Geometry:
            parts = [shapely.coverage_union_all(poly[blocks])] if blocks.size else []
            p = shapely.union_all(np.concatenate([parts, shapely.buffer(lines, eps, quad_segs=1)]))
            area = shapely.buffer(p, BUFFER_M)
            core = cores[blocks]
            core = core[~shapely.is_missing(core)]
            return (
                shapely.difference(area, shapely.multipolygons(shapely.get_parts(core)))
                if core.size
                else area
            )

        return run

    def thin(lines: np.ndarray, crossing: np.ndarray) -> shapely.Geometry:
        eps = 0.05
        return shapely.buffer(shapely.union_all(shapely.buffer(lines, eps, quad_segs=1)), BUFFER_M - eps)

    return {
        "today (buffer_lines)": with_blocks(
            lambda lines, crossing: bl.buffer_lines(lines, crossing, BUFFER_M)
        ),
        "thin eps 0.05": with_blocks(thin),
        "one_poly eps 0.05": one_poly(0.05),
        "multi": with_blocks(
            lambda lines, crossing: shapely.buffer(shapely.multilinestrings(lines), BUFFER_M)
        ),
        "caps quad_segs 4": caps(4, drop=False),
        "caps drop covered": caps(8, drop=True),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", type=int, default=300)
    ap.add_argument("--facilities", type=int, default=60)
    args = ap.parse_args()
    net, inputs = record(args.side, args.facilities)
    print(f"{len(inputs)} areas, {sum(len(k[1]) for k in inputs)} rim lines")
    ref = None
    t_ref = 0.0
    for name, f in variants(net).items():
        c = time.thread_time()
        out = np.array([f(*k) for k in inputs], dtype=object)
        dt = time.thread_time() - c
        if ref is None:
            ref, t_ref = out, dt
        ra = shapely.area(ref)
        rel = shapely.area(shapely.symmetric_difference(out, ref)) / np.maximum(ra, 1e-12)
        print(
            f"{name:22s} {dt:7.3f} s CPU  x{t_ref / dt:4.2f}  rel symdiff median {np.median(rel):.2e} "
            f"max {rel.max():.2e}  total {shapely.area(out).sum() / ra.sum() - 1:+.2e}"
        )


if __name__ == "__main__":
    main()
