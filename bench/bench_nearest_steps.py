"""Nearest-mode service circles step by step: where a band's time goes (issue 18).

On the synthetic city (``--side 552``: 303 059 nodes) with the 1 000 facilities of ``bench/bench_circles.py``, the
walking times and the envelope are computed once; then for each band (5, 10, 15 minutes) the steps of
``mode="nearest"`` run one after another, each timed in CPU seconds of this process: the band's dissolved area
(``dissolved_area``, the one call per band), the Voronoi points (``nearest_seeds``: whole blocks, hidden streets,
points) and the split (``split_nearest``: the Voronoi regions in tiles, then the dissolved area cut by them).
``--threads 1`` (default) runs the polygon work in one thread, so the CPU seconds add up to the work done; the
counts let runs on other machines be compared.

Run ``python bench/bench_nearest_steps.py [--side 552] [--threads 1]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

MINUTES = (5, 10, 15)
BUFFER_M = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--side", type=int, default=552, help="grid side of the synthetic city (552: 303 059 nodes)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads for the Voronoi tiles and the cut")
    args = parser.parse_args()

    import shapely
    from common import peak_rss_mb, random_points_in_bounds, synthetic_city

    from geo.service_area import nearest
    from geo.service_area.blocks import dissolved_area, face_cores
    from geo.service_area.crossings import crossing_flags
    from geo.service_area.envelope import band_pieces, network_envelope
    from geo.service_area.segments import cut_segments, segment_vertices
    from geo.travel import node_times_from_sources, snap_points

    nearest.THREADS = args.threads
    net = synthetic_city(args.side, seed=0)
    fxy = random_points_in_bounds(net, 1000, seed=102)
    snap = snap_points(net, fxy)
    segment_vertices(net)
    face_cores(net, BUFFER_M)
    limit = 60.0 * MINUTES[-1]
    node_t, node_s = node_times_from_sources(net, snap, limit_s=limit)
    env = network_envelope(net, node_t, node_s, limit, snap)
    crossing = crossing_flags(net)
    print(f"{net.n_nodes:,} nodes, {len(fxy):,} facilities, threads {args.threads}")
    total = 0.0
    for minutes in MINUTES:
        limit_s = 60.0 * minutes
        clock = time.process_time()

        def lap() -> float:
            nonlocal clock
            now = time.process_time()
            took, clock = now - clock, now
            return took

        whole = band_pieces(env, limit_s, by_owner=False)
        area = dissolved_area(net, whole, BUFFER_M)
        t_area = lap()
        pieces = band_pieces(env, limit_s, by_owner=True)
        lines = cut_segments(net, pieces["edge"], pieces["start"], pieces["end"])
        seeds = nearest.nearest_seeds(net, pieces, lines, crossing[pieces["edge"]], BUFFER_M)
        t_seeds = lap()
        parts = nearest.split_nearest(seeds, np.arange(len(fxy)), area, BUFFER_M)
        t_split = lap()
        band = t_area + t_seeds + t_split
        total += band
        print(
            f"{minutes:2d} min: dissolved area {t_area:5.2f} s, points {t_seeds:5.2f} s "
            f"({seeds.xy.shape[0]:,} points, {lines.size:,} pieces), split {t_split:5.2f} s; "
            f"band {band:5.2f} s CPU; parts {shapely.area(parts).sum() / max(area.area, 1e-9):.9f} of the area",
            flush=True,
        )
    print(f"bands {total:.2f} s CPU, peak {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
