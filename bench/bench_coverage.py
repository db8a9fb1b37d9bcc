"""Benchmark of walking times and service circles (issue 3): this project against networkx, pandana and the OSMnx
isochrone recipe, side by side in one run, on a synthetic city of 300 000 nodes and on the real OSM extracts.

Contenders, each in its own fresh process (so that its peak memory, ``VmHWM``, is its own):

* **project, nearest times** — :func:`geo.travel.snap_points` for the demand points (once), then
  :func:`geo.travel.nearest_times` for each of 3 facility kinds (facilities snapped to streets inside it), limit
  15 minutes. "cold" is the first run on a freshly loaded network (it builds the segment tree and the CSR matrix);
  "warm" is the best of 3 repeats on the same network object.
* **project, service circles** — :func:`geo.service_area.service_areas` for the facilities of the largest kind,
  bands 5/10/15 min, one process per mode (dissolved, per_facility, nearest), cold: the first call builds the
  per-network data (crossing flags, the network's blocks). ``--areas-warm`` also times a second call on the same
  network object.
* **networkx** — ``multi_source_dijkstra_path_length(G, sources, cutoff=900, weight="time")`` per kind on an
  undirected ``nx.Graph`` of the same segments, demand and facilities snapped to their nearest *node* with a
  ``scipy.spatial.cKDTree`` (counted), then one dictionary lookup per demand point. Building the graph is reported
  apart and not counted.
* **pandana** (if installed) — ``pandana.Network`` (contraction hierarchy; build reported apart, not counted), then
  ``get_node_ids`` for the demand, ``set_pois(kind, 900, 1, x, y)`` + ``nearest_pois(900, kind, num_pois=1)`` per
  kind and one lookup per demand point. ``nearest_pois`` does not use ``precompute``; ``precompute(900)`` (the range
  cache for aggregations) is timed apart where its memory is affordable. pandana runs OpenMP threads on both cores.
* **OSMnx isochrone recipe, strongest form** (contender ``recipe``) — the osmnx-examples notebook 13
  "isolines-isochrones" ``make_iso_polys`` with edge buffers, written as its user would at best: per facility ONE
  ``nx.single_source_dijkstra_path_length(G, centre, cutoff=900, weight="time")`` on an ``nx.Graph`` of the same
  segments (the largest band as cutoff, not an ego graph per band); per band the reached nodes and the segments with
  both ends reached (the edges of the notebook's induced ego graph) selected with numpy masks, their geometries
  taken from a shapely array, buffered by 50 m (the project's buffer width; the notebook uses 25) and united by one
  vectorised ``shapely.buffer`` + ``shapely.union_all``; the notebook's node buffers of radius 0 are empty and are
  not made. The unions run on ``--recipe-threads`` threads (2, as the project's circles; GEOS releases the GIL)
  while the main thread runs the next Dijkstra. Runs on every facility by default (``--recipe-facilities`` N: a
  random sample of N, extrapolated linearly and stated). The convex-hull variant reuses the same Dijkstra (its time
  is the Dijkstra plus the hulls). Facilities are snapped to their nearest node.
* **OSMnx isochrone recipe, notebook form** (contender ``notebook``, kept for continuity with earlier runs) — the
  notebook step by step: per facility and per band ``nx.ego_graph(G, centre, radius=t, distance="time")`` on an
  ``nx.MultiGraph``, a GeoDataFrame of the reached nodes, every reached edge's geometry looked up with ``.loc``,
  buffers, union; and its convex-hull variant. Only a sample of facilities (20) is run and extrapolated linearly.

Answers are compared where comparable: with demand points and facilities placed exactly on nodes (so that every
contender snaps them identically), every contender's nearest times must equal the project's (max abs difference
reported; the run fails above 1e-6 s for networkx, 0.05 s for pandana, which stores edge weights in whole ms). On the random points the median difference between the project's edge
snapping and the peers' node snapping is reported for information.

Run ``python bench/bench_coverage.py [--quick] [--json] [--profile]``; see ``--help`` for sizes. The default run
(552 x 552 grid, 303 059 nodes; 100 000 demand points; 300/500/1000 facilities; then the four real extracts) takes
about 20 minutes on 2 cores, most of it the strongest recipe on all 1 000 facilities; pandana gets ``--pandana-timeout`` seconds (150) per scenario, which its contraction
hierarchy of the big grid does not finish in; ``--contenders pandana --extracts '' --pandana-timeout 3600``
measures it apart (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import pstats
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from common import (
    available_extracts,
    machine_info,
    machine_line,
    networkx_graph,
    peak_rss_mb,
    random_points_in_bounds,
    random_points_on_network,
    real_network_and_buildings,
    rss_mb,
    run_worker,
    synthetic_city,
    table,
    worker_answer,
    write_results,
)

SCRIPT = Path(__file__).resolve()
LIMIT_S = 900.0
MINUTES = (5, 10, 15)
BUFFER_M = 50.0
KIND_NAMES = ("kind_a", "kind_b", "kind_c")
#: Equality tolerance of the on-node check (seconds) per peer. networkx adds the same float64 edge times; pandana
#: stores every edge weight as an integer number of milliseconds (``DISTANCEMULTFACT 1000`` in its C++ code), so
#: each edge on a path may be off by up to 0.5 ms.
CHECK_TOL_S = {"networkx": 1e-6, "pandana": 0.05}

TARGETS = {"nearest_s": 1.0, "areas_s": 15.0, "peak_mb": 2048.0, "recipe_ratio": 20.0}


# ================================================================================================================
# scenarios (built once by the "prepare" worker, pickled, loaded by every contender)
# ================================================================================================================


def prepare(params: dict[str, Any]) -> dict[str, Any]:
    """Build a scenario (network, demand, facilities, check points) and pickle it to ``params["file"]``."""
    t0 = time.perf_counter()
    if params.get("extract"):
        from common import OSM_EXTRACTS

        net, buildings = real_network_and_buildings(OSM_EXTRACTS[params["extract"]])
        on_buildings = len(buildings) >= params["min_buildings"]
        demand = buildings if on_buildings else random_points_on_network(net, params["demand"], seed=11)
        demand_label = (
            f"{len(demand):,} building centroids"
            if on_buildings
            else f"{len(demand):,} random points beside streets ({len(buildings)} buildings only)"
        )
        rng = np.random.default_rng(5)
        kinds = []
        for i, k in enumerate(params["facilities"]):
            if on_buildings and len(buildings) >= k:
                kinds.append(buildings[rng.choice(len(buildings), k, replace=False)])
            else:
                kinds.append(random_points_on_network(net, k, seed=100 + i))
        facility_label = "random buildings" if on_buildings else "random points beside streets"
    else:
        net = synthetic_city(params["side"], seed=params.get("seed", 0))
        demand = random_points_in_bounds(net, params["demand"], seed=11)
        kinds = [random_points_in_bounds(net, k, seed=100 + i) for i, k in enumerate(params["facilities"])]
        demand_label = f"{len(demand):,} random points in the city's box"
        facility_label = "random points in the city's box"
    build_s = time.perf_counter() - t0
    rng = np.random.default_rng(9)
    n_check = min(params["check_points"], net.n_nodes)
    check_demand = rng.choice(net.n_nodes, n_check, replace=False)
    check_kinds = [rng.choice(net.n_nodes, len(k), replace=False) for k in kinds]
    recipe_sample = rng.choice(len(kinds[-1]), min(params["recipe_sample"], len(kinds[-1])), replace=False)
    scenario = {
        "net": net,
        "demand": demand,
        "kinds": kinds,
        "check_demand": check_demand,
        "check_kinds": check_kinds,
        "recipe_sample": np.sort(recipe_sample),
    }
    with open(params["file"], "wb") as fh:
        pickle.dump(scenario, fh, protocol=pickle.HIGHEST_PROTOCOL)
    _save(params, "recipe_sample", scenario["recipe_sample"])
    from geo.network import component_report

    rep = component_report(net)
    return {
        "build_s": build_s,
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "demand": len(demand),
        "facilities": [len(k) for k in kinds],
        "demand_label": demand_label,
        "facility_label": facility_label,
        "components": rep.n_components,
        "largest_nodes": rep.largest_nodes,
        "extent_km": float(np.ptp(net.node_xy, axis=0).max() / 1000),
        "source": net.source,
    }


def load_scenario(params: dict[str, Any]) -> dict[str, Any]:
    with open(params["file"], "rb") as fh:
        return pickle.load(fh)


def _save(params: dict[str, Any], name: str, array: np.ndarray) -> None:
    np.save(Path(params["out_dir"]) / f"{name}.npy", np.asarray(array))


def _profiled(func, enabled: bool, top: int = 10):
    """Run ``func``; with ``enabled`` under cProfile, returning also the top functions by own time."""
    if not enabled:
        return func(), None
    prof = cProfile.Profile()
    result = prof.runcall(func)
    stats = pstats.Stats(prof)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[
        :top
    ]  # (file, line, name) -> (cc, nc, tt, ct, ...)
    return result, [
        {"function": f"{Path(k[0]).name}:{k[2]}", "calls": v[1], "own_s": v[2], "cum_s": v[3]}
        for k, v in rows
    ]


# ================================================================================================================
# contenders
# ================================================================================================================


def work_project_nearest(params: dict[str, Any]) -> dict[str, Any]:
    from geo.travel import nearest_times, snap_points

    sc = load_scenario(params)
    net = sc["net"]
    setup_rss = rss_mb()

    def run() -> tuple[dict[str, float], np.ndarray]:
        parts = {}
        t0 = time.perf_counter()
        dsnap = snap_points(net, sc["demand"])
        parts["snap_demand_s"] = time.perf_counter() - t0
        out = []
        for name, fxy in zip(KIND_NAMES, sc["kinds"], strict=False):
            t1 = time.perf_counter()
            out.append(nearest_times(net, fxy, None, limit_s=LIMIT_S, target_snap=dsnap).time_s)
            parts[f"{name}_s"] = time.perf_counter() - t1
        parts["total_s"] = time.perf_counter() - t0
        return parts, np.array(out)

    cold, times = run()
    warm_runs = [run()[0] for _ in range(params.get("repeat", 3))]
    warm = min(warm_runs, key=lambda r: r["total_s"])
    profile = None
    if params.get("profile"):
        _, profile = _profiled(run, True)
    _save(params, "project_times", times)
    # the on-node check
    check = np.array(
        [
            nearest_times(net, net.node_xy[kn], net.node_xy[sc["check_demand"]], limit_s=LIMIT_S).time_s
            for kn in sc["check_kinds"]
        ]
    )
    _save(params, "project_check", check)
    return {
        "setup_rss_mb": setup_rss,
        "cold": cold,
        "warm": warm,
        "profile": profile,
        "reached_share": float(np.isfinite(times).mean()),
    }


def work_networkx_nearest(params: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx
    from scipy.spatial import cKDTree

    sc = load_scenario(params)
    net = sc["net"]
    t0 = time.perf_counter()
    g = networkx_graph(net)
    build_s = time.perf_counter() - t0
    setup_rss = rss_mb()

    def nearest(tree_nodes, source_nodes) -> np.ndarray:
        dist = nx.multi_source_dijkstra_path_length(
            g, set(source_nodes.tolist()), cutoff=LIMIT_S, weight="time"
        )
        return np.array([dist.get(n, np.inf) for n in tree_nodes.tolist()])

    parts = {}
    t0 = time.perf_counter()
    tree = cKDTree(net.node_xy)
    _, dnode = tree.query(sc["demand"])
    parts["snap_demand_s"] = time.perf_counter() - t0
    out = []
    for name, fxy in zip(KIND_NAMES, sc["kinds"], strict=False):
        t1 = time.perf_counter()
        _, fnode = tree.query(fxy)
        out.append(nearest(dnode, fnode))
        parts[f"{name}_s"] = time.perf_counter() - t1
    parts["total_s"] = time.perf_counter() - t0
    _save(params, "networkx_times", np.array(out))
    check = np.array([nearest(sc["check_demand"], kn) for kn in sc["check_kinds"]])
    _save(params, "networkx_check", check)
    return {"build_s": build_s, "setup_rss_mb": setup_rss, "cold": parts}


def work_pandana_nearest(params: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    try:
        import pandana
    except Exception as exc:
        return {"skipped": f"pandana does not import: {type(exc).__name__}: {exc}"}
    sc = load_scenario(params)
    net = sc["net"]
    t0 = time.perf_counter()
    pnet = pandana.Network(
        pd.Series(net.node_xy[:, 0]),
        pd.Series(net.node_xy[:, 1]),
        pd.Series(net.edge_u),
        pd.Series(net.edge_v),
        pd.DataFrame({"time": net.edge_time_s}),
        twoway=True,
    )
    build_s = time.perf_counter() - t0
    setup_rss = rss_mb()

    def nearest(demand_nodes: np.ndarray, xy: np.ndarray, name: str) -> np.ndarray:
        pnet.set_pois(name, LIMIT_S, 1, pd.Series(xy[:, 0]), pd.Series(xy[:, 1]))
        d = pnet.nearest_pois(LIMIT_S, name, num_pois=1)[1].to_numpy()
        t = d[demand_nodes]
        return np.where(t >= LIMIT_S, np.inf, t)

    def run(demand_xy: np.ndarray, kinds: list[np.ndarray], tag: str) -> tuple[dict[str, float], np.ndarray]:
        parts = {}
        t0 = time.perf_counter()
        dnode = pnet.get_node_ids(pd.Series(demand_xy[:, 0]), pd.Series(demand_xy[:, 1])).to_numpy()
        parts["snap_demand_s"] = time.perf_counter() - t0
        out = []
        for name, fxy in zip(KIND_NAMES, kinds, strict=False):
            t1 = time.perf_counter()
            out.append(nearest(dnode, fxy, f"{tag}{name}"))
            parts[f"{name}_s"] = time.perf_counter() - t1
        parts["total_s"] = time.perf_counter() - t0
        return parts, np.array(out)

    cold, times = run(sc["demand"], sc["kinds"], "")
    warm = min(
        (run(sc["demand"], sc["kinds"], "")[0] for _ in range(params.get("repeat", 3))),
        key=lambda r: r["total_s"],
    )
    _save(params, "pandana_times", times)
    _, check = run(net.node_xy[sc["check_demand"]], [net.node_xy[k] for k in sc["check_kinds"]], "check_")
    _save(params, "pandana_check", check)
    answer = {
        "build_s": build_s,
        "setup_rss_mb": setup_rss,
        "cold": cold,
        "warm": warm,
        "version": getattr(pandana, "__version__", "?"),
    }
    if params.get("precompute"):
        t0 = time.perf_counter()
        pnet.precompute(LIMIT_S)
        answer["precompute_s"] = time.perf_counter() - t0
        answer["precompute_rss_mb"] = rss_mb()
    return answer


def work_project_areas(params: dict[str, Any]) -> dict[str, Any]:
    import shapely

    from geo.service_area import service_areas

    sc = load_scenario(params)
    net = sc["net"]
    fxy = sc["kinds"][-1]
    setup_rss = rss_mb()
    t0 = time.perf_counter()
    gdf, profile = _profiled(
        lambda: service_areas(net, fxy, minutes=MINUTES, mode=params["mode"], buffer_m=BUFFER_M),
        params.get("profile", False),
    )
    elapsed = time.perf_counter() - t0
    warm = None
    if params.get("warm"):
        # a second call on the same network object: the per-network blocks, CSR and trees are built already
        t1 = time.perf_counter()
        service_areas(net, fxy, minutes=MINUTES, mode=params["mode"], buffer_m=BUFFER_M)
        warm = time.perf_counter() - t1
    area = shapely.area(gdf.geometry.to_numpy())
    if params["mode"] == "per_facility":
        _save(params, "project_areas_per_facility", area.reshape(len(fxy), len(MINUTES)))
    return {
        "setup_rss_mb": setup_rss,
        "seconds": elapsed,
        "warm_seconds": warm,
        "facilities": len(fxy),
        "polygons": len(gdf),
        "area_km2_largest_band": float(area.reshape(-1, len(MINUTES))[:, -1].sum() / 1e6),
        "profile": profile,
    }


def _iso_polygon_buffers(
    g, centre: int, trip_times: list[float], *, edge_buff: float, node_buff: float
) -> list:
    """One facility's isochrones the way the osmnx-examples notebook 13 ``make_iso_polys`` builds them: for each trip
    time (longest first) the ego graph, its nodes as a GeoDataFrame indexed by id, each reached edge's geometry
    (or the straight line between its nodes found with ``.loc``), buffers of nodes and edges, their union."""
    import geopandas as gpd
    import networkx as nx
    from shapely.geometry import LineString, Point

    polys = []
    for t in sorted(trip_times, reverse=True):
        sub = nx.ego_graph(g, centre, radius=t, distance="time")
        pts = [Point((d["x"], d["y"])) for _, d in sub.nodes(data=True)]
        nodes = gpd.GeoDataFrame({"id": list(sub.nodes)}, geometry=pts).set_index("id")
        lines = []
        for a, b in sub.edges():
            pa = nodes.loc[a].geometry
            pb = nodes.loc[b].geometry
            lines.append(g.get_edge_data(a, b)[0].get("geometry", LineString([pa, pb])))
        parts = list(nodes.buffer(node_buff).geometry) + list(gpd.GeoSeries(lines).buffer(edge_buff).geometry)
        polys.append(gpd.GeoSeries(parts).union_all())
    return polys[::-1]  # shortest band first


def _iso_polygon_hull(g, centre: int, trip_times: list[float]) -> list:
    """The notebook's convex-hull variant: ego graph per trip time, convex hull of the reached nodes."""
    import geopandas as gpd
    import networkx as nx
    from shapely.geometry import Point

    polys = []
    for t in sorted(trip_times, reverse=True):
        sub = nx.ego_graph(g, centre, radius=t, distance="time")
        pts = [Point((d["x"], d["y"])) for _, d in sub.nodes(data=True)]
        polys.append(gpd.GeoSeries(pts).union_all().convex_hull)
    return polys[::-1]


def work_recipe(params: dict[str, Any]) -> dict[str, Any]:
    import shapely
    from scipy.spatial import cKDTree

    sc = load_scenario(params)
    net = sc["net"]
    t0 = time.perf_counter()
    g = networkx_graph(net, multi=True, geometry=True)
    build_s = time.perf_counter() - t0
    setup_rss = rss_mb()
    fxy = sc["kinds"][-1]
    sample = sc["recipe_sample"]
    trip = [60.0 * m for m in MINUTES]
    t0 = time.perf_counter()
    _, centres = cKDTree(net.node_xy).query(fxy[sample])
    buffers = [_iso_polygon_buffers(g, int(c), trip, edge_buff=BUFFER_M, node_buff=0.0) for c in centres]
    buffers_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    hulls = [_iso_polygon_hull(g, int(c), trip) for c in centres]
    hull_s = time.perf_counter() - t0
    _save(params, "recipe_areas", np.array([[shapely.area(p) for p in row] for row in buffers]))
    _save(params, "recipe_hull_areas", np.array([[shapely.area(p) for p in row] for row in hulls]))
    n_all = len(fxy)
    return {
        "build_s": build_s,
        "setup_rss_mb": setup_rss,
        "sample": len(sample),
        "facilities": n_all,
        "sample_s": buffers_s,
        "extrapolated_s": buffers_s / len(sample) * n_all,
        "hull_sample_s": hull_s,
        "hull_extrapolated_s": hull_s / len(sample) * n_all,
    }


def work_recipe_fast(params: dict[str, Any]) -> dict[str, Any]:
    """The OSMnx isochrone recipe at its strongest: per facility ONE ``nx.single_source_dijkstra_path_length``
    with the largest band as cutoff (not an ego graph per band), then per band the reached nodes and the segments
    with both ends reached (the edges of the notebook's induced ego graph) picked with numpy masks, their
    geometries taken from a shapely array, buffered and united in one vectorised ``shapely.buffer`` +
    ``shapely.union_all`` each. The notebook's node buffers of radius 0 are empty and add nothing, so they are not
    made. The convex-hull variant reuses the same Dijkstra (its own time is the Dijkstra plus the hulls)."""
    import networkx as nx
    import shapely
    from scipy.spatial import cKDTree

    sc = load_scenario(params)
    net = sc["net"]
    t0 = time.perf_counter()
    g = networkx_graph(net)  # nx.Graph: Dijkstra takes the quickest of parallel segments, as on a MultiGraph
    build_s = time.perf_counter() - t0
    setup_rss = rss_mb()
    fxy = sc["kinds"][-1]
    n_run = params.get("recipe_fast_facilities") or len(fxy)
    rng = np.random.default_rng(3)
    run_idx = (
        np.arange(len(fxy)) if n_run >= len(fxy) else np.sort(rng.choice(len(fxy), n_run, replace=False))
    )
    trip = np.array([60.0 * m for m in MINUTES])
    eu, ev, geoms, node_xy = net.edge_u, net.edge_v, net.edge_geometry, net.node_xy
    # the segments at each node (CSR), so that a facility's candidate segments come from its reached nodes only
    inc = np.concatenate([eu, ev])
    order = np.argsort(inc, kind="stable")
    inc_edges = np.concatenate([np.arange(net.n_edges), np.arange(net.n_edges)])[order]
    inc_ptr = np.searchsorted(inc[order], np.arange(net.n_nodes + 1))
    node_t = np.full(net.n_nodes, np.inf)
    dij_s = hull_s = 0.0
    hull_areas = np.zeros((len(run_idx), len(trip)))

    def band_area(sel: np.ndarray) -> float:
        return float(shapely.area(shapely.union_all(shapely.buffer(geoms[sel], BUFFER_M))))

    threads = int(params.get("recipe_threads") or 1)
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    futures: list = []
    t_all = time.perf_counter()
    _, centres = cKDTree(node_xy).query(fxy[run_idx])
    for row, c in enumerate(centres.tolist()):
        t1 = time.perf_counter()
        dist = nx.single_source_dijkstra_path_length(g, c, cutoff=float(trip[-1]), weight="time")
        nodes = np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))
        node_t[nodes] = np.fromiter(dist.values(), dtype=float, count=len(dist))
        starts, ends = inc_ptr[nodes], inc_ptr[nodes + 1]
        lens = ends - starts
        idx = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(lens.sum())
        cand = np.unique(inc_edges[idx])
        edge_t = np.maximum(node_t[eu[cand]], node_t[ev[cand]])  # inf unless both ends reached
        dij_s += time.perf_counter() - t1
        # the buffers of each band's reached segments, united (on a pool of threads: GEOS releases the GIL)
        for t in trip:
            sel = cand[edge_t <= t]
            futures.append(pool.submit(band_area, sel) if pool else band_area(sel))
        t3 = time.perf_counter()
        for b, t in enumerate(trip):
            hull_areas[row, b] = shapely.area(
                shapely.convex_hull(shapely.multipoints(node_xy[nodes[node_t[nodes] <= t]]))
            )
        hull_s += time.perf_counter() - t3
        node_t[nodes] = np.inf
        if pool and row >= 4:  # at most 4 facilities in flight (bounded memory)
            futures[(row - 4) * len(trip) + len(trip) - 1].result()
    areas = np.array([f.result() if pool else f for f in futures]).reshape(len(run_idx), len(trip))
    total_s = time.perf_counter() - t_all - hull_s
    if pool:
        pool.shutdown()
    _save(params, "recipe_fast_index", run_idx)
    _save(params, "recipe_fast_areas", areas)
    _save(params, "recipe_fast_hull_areas", hull_areas)
    n_all = len(fxy)
    return {
        "build_s": build_s,
        "setup_rss_mb": setup_rss,
        "ran": len(run_idx),
        "facilities": n_all,
        "dijkstra_s": dij_s,
        "threads": threads,
        "seconds": total_s,
        "extrapolated_s": total_s / len(run_idx) * n_all,
        "hull_seconds": dij_s + hull_s,
        "hull_extrapolated_s": (dij_s + hull_s) / len(run_idx) * n_all,
    }


WORKERS = {
    "prepare": prepare,
    "recipe_fast": work_recipe_fast,
    "project_nearest": work_project_nearest,
    "project_areas": work_project_areas,
    "networkx_nearest": work_networkx_nearest,
    "pandana_nearest": work_pandana_nearest,
    "recipe": work_recipe,
}


# ================================================================================================================
# the driver
# ================================================================================================================


def run_scenario(label: str, spec: dict[str, Any], args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Run every contender on one scenario; return their answers and the comparisons."""
    out_dir = tmp / label
    out_dir.mkdir(parents=True, exist_ok=True)
    base = {"file": str(out_dir / "scenario.pkl"), "out_dir": str(out_dir)}
    print(f"\n## {label}", flush=True)
    res: dict[str, Any] = {"label": label}
    t_scen = time.perf_counter()
    res["prepare"] = prep = run_worker(SCRIPT, "prepare", {**base, **spec}, timeout_s=args.timeout)
    if "error" in prep:
        print(f"prepare failed: {prep['error']}")
        return res
    print(
        f"network: {prep['nodes']:,} nodes, {prep['edges']:,} segments, {prep['components']} pieces "
        f"(largest {prep['largest_nodes']:,} nodes), {prep['extent_km']:.1f} km across, built in "
        f"{prep['build_s']:.1f} s; demand: {prep['demand_label']}; facilities: "
        f"{'/'.join(map(str, prep['facilities']))} ({prep['facility_label']})",
        flush=True,
    )
    common = {**base, "repeat": args.repeat, "profile": args.profile}
    who = args.contenders
    if "project" in who:
        res["project_nearest"] = run_worker(SCRIPT, "project_nearest", common, timeout_s=args.timeout)
        _say("project nearest", res["project_nearest"])
        for mode in args.modes:
            key = f"project_areas_{mode}"
            res[key] = run_worker(
                SCRIPT,
                "project_areas",
                {**common, "mode": mode, "warm": args.areas_warm},
                timeout_s=args.timeout,
            )
            _say(f"project service circles ({mode})", res[key])
    if "networkx" in who:
        res["networkx_nearest"] = run_worker(SCRIPT, "networkx_nearest", common, timeout_s=args.timeout)
        _say("networkx nearest", res["networkx_nearest"])
    if "pandana" in who:
        limit = args.pandana_timeout
        res["pandana_nearest"] = run_worker(
            SCRIPT,
            "pandana_nearest",
            {**common, "precompute": spec.get("pandana_precompute", False)},
            timeout_s=limit,
        )
        if "timed out" in res["pandana_nearest"].get("error", ""):
            res["pandana_nearest"]["error"] = (
                f"building pandana.Network (its contraction hierarchy) did not finish within {limit:.0f} s"
            )
        _say("pandana nearest", res["pandana_nearest"])
    if "recipe" in who:
        fast = {
            **common,
            "recipe_fast_facilities": args.recipe_facilities,
            "recipe_threads": args.recipe_threads,
        }
        res["recipe_fast"] = run_worker(SCRIPT, "recipe_fast", fast, timeout_s=max(args.timeout, 3600))
        _say("osmnx recipe, strongest form", res["recipe_fast"])
    if "notebook" in who:
        res["recipe"] = run_worker(SCRIPT, "recipe", common, timeout_s=args.timeout)
        _say("osmnx recipe, notebook form", res["recipe"])
    res["compare"] = compare(out_dir, res)
    res["seconds"] = time.perf_counter() - t_scen
    report_scenario(res, prep)
    return res


def _say(what: str, answer: dict[str, Any]) -> None:
    if "error" in answer:
        print(f"  {what}: FAILED {answer['error']}", flush=True)
    elif "skipped" in answer:
        print(f"  {what}: skipped ({answer['skipped']})", flush=True)
    else:
        print(
            f"  {what}: done in {answer['wall_s']:.1f} s wall, peak {answer['peak_rss_mb']:,.0f} MiB",
            flush=True,
        )


def compare(out_dir: Path, res: dict[str, Any]) -> dict[str, Any]:
    """Differences between contenders' answers (files written by the workers)."""

    def load(name: str) -> np.ndarray | None:
        p = out_dir / f"{name}.npy"
        return np.load(p) if p.is_file() else None

    out: dict[str, Any] = {}
    ref_check, ref_times = load("project_check"), load("project_times")
    for peer in ("networkx", "pandana"):
        check, times = load(f"{peer}_check"), load(f"{peer}_times")
        if ref_check is None or check is None:
            continue
        fin_a, fin_b = np.isfinite(ref_check), np.isfinite(check)
        both = fin_a & fin_b
        out[f"{peer}_check_max_abs_s"] = (
            float(np.abs(ref_check[both] - check[both]).max()) if both.any() else 0.0
        )
        differ = fin_a != fin_b
        # a point reached by one side only is explained when its time lies within the tolerance of the limit
        edge_t = np.where(fin_a, ref_check, check)
        out[f"{peer}_check_reach_mismatch"] = int(differ.sum())
        out[f"{peer}_check_reach_unexplained"] = int((differ & (edge_t < LIMIT_S - CHECK_TOL_S[peer])).sum())
        out[f"{peer}_check_points"] = int(ref_check.size)
        if times is not None and ref_times is not None:
            both = np.isfinite(ref_times) & np.isfinite(times)
            diff = np.abs(ref_times[both] - times[both])
            out[f"{peer}_random_median_abs_s"] = float(np.median(diff)) if diff.size else 0.0
            out[f"{peer}_random_p95_abs_s"] = float(np.percentile(diff, 95)) if diff.size else 0.0
            out[f"{peer}_random_reach_differs"] = float((np.isfinite(ref_times) != np.isfinite(times)).mean())
    pa, fa, fi = load("project_areas_per_facility"), load("recipe_fast_areas"), load("recipe_fast_index")
    if pa is not None and fa is not None and fi is not None:
        ok = pa[fi] > 0
        for key, arr in (("recipe_fast", fa), ("recipe_fast_hull", load("recipe_fast_hull_areas"))):
            out[f"{key}_area_ratio_median"] = [
                float(np.median(arr[:, b][ok[:, b]] / pa[fi][:, b][ok[:, b]])) for b in range(arr.shape[1])
            ]
    pa, ra, ha = load("project_areas_per_facility"), load("recipe_areas"), load("recipe_hull_areas")
    if pa is not None and ra is not None:
        sample = load("recipe_sample")
        ok = pa[sample] > 0
        out["recipe_area_ratio_median"] = [
            float(np.median(ra[:, b][ok[:, b]] / pa[sample][:, b][ok[:, b]])) for b in range(ra.shape[1])
        ]
        if ha is not None:
            out["hull_area_ratio_median"] = [
                float(np.median(ha[:, b][ok[:, b]] / pa[sample][:, b][ok[:, b]])) for b in range(ha.shape[1])
            ]
    return out


def _t(answer: dict[str, Any] | None, *keys: str) -> float | None:
    cur: Any = answer
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return None
        cur = cur[k]
    return cur


def _peer_nearest_row(
    res: dict[str, Any], peer: str, label: str, p_cold: float | None, p_warm: float | None
) -> dict[str, Any] | None:
    """One peer's row of the nearest-times table (None when the peer did not run)."""
    cmp_ = res.get("compare", {})
    a = res.get(f"{peer}_nearest")
    if not a:
        return None
    if "error" in a or "skipped" in a:
        return {"who": label, "check": a.get("error") or a.get("skipped")}
    cold, warm = _t(a, "cold", "total_s"), _t(a, "warm", "total_s")
    mx = cmp_.get(f"{peer}_check_max_abs_s")
    mism = cmp_.get(f"{peer}_check_reach_mismatch", 0)
    mism_txt = (
        f"{mism} reached only by one side (within {CHECK_TOL_S[peer]:g} s of 15 min)"
        if mism
        else "same points reached"
    )
    return {
        "who": label,
        "prep": a.get("build_s"),
        "cold": cold,
        "warm": warm,
        "snap": _t(a, "warm" if warm else "cold", "snap_demand_s"),
        "peak": a.get("peak_rss_mb"),
        "setup": a.get("setup_rss_mb"),
        "ratio_cold": cold / p_cold if cold and p_cold else None,
        "ratio_warm": (warm or cold) / p_warm if (warm or cold) and p_warm else None,
        "check": f"max abs diff {mx:.1e} s; {mism_txt}" if mx is not None else "-",
    }


def _recipe_fast_rows(res: dict[str, Any], per_fac: float | None) -> list[dict[str, Any]]:
    """The rows of the OSMnx recipe in its strongest form (edge buffers, and the convex-hull variant)."""
    rec = res.get("recipe_fast")
    if not rec:
        return []
    if "error" in rec:
        return [{"who": "osmnx recipe, strongest form", "note": rec["error"]}]
    cmp_ = res.get("compare", {})
    every = rec["ran"] == rec["facilities"]
    rows = []
    for key, label, secs in (
        (
            "recipe_fast",
            "osmnx recipe, strongest form (1 Dijkstra per facility, vectorised shapely)",
            "seconds",
        ),
        ("recipe_fast_hull", "osmnx recipe, strongest form, convex-hull variant", "hull_seconds"),
    ):
        total = rec[secs] if every else rec[secs] / rec["ran"] * rec["facilities"]
        how = "measured on every facility" if every else f"extrapolated from {rec['ran']} ({rec[secs]:.1f} s)"
        ratios = cmp_.get(f"{key}_area_ratio_median")
        extra = (
            f"; Dijkstra {rec['dijkstra_s']:.1f} s; buffers + unions on {rec['threads']} thread(s)"
            if key == "recipe_fast"
            else ""
        )
        rows.append(
            {
                "who": label,
                "n": rec["facilities"],
                "secs": total,
                "per": rec[secs] / rec["ran"] * 1000,
                "peak": rec["peak_rss_mb"] if key == "recipe_fast" else None,
                "ratio": total / per_fac if per_fac else None,
                "note": f"{how}; graph build {rec['build_s']:.1f} s not counted{extra}"
                + (
                    f"; median area / project per 5/10/15 band: {'/'.join(f'{r:.2f}' for r in ratios)}"
                    if ratios
                    else ""
                ),
            }
        )
    return rows


def report_scenario(res: dict[str, Any], prep: dict[str, Any]) -> None:
    """Print the scenario's two tables: nearest times, service circles."""
    cmp_ = res.get("compare", {})
    proj = res.get("project_nearest", {})
    p_cold, p_warm = _t(proj, "cold", "total_s"), _t(proj, "warm", "total_s")
    rows = [
        {
            "who": "project (edge snapping, scipy csgraph)",
            "prep": None,
            "cold": p_cold,
            "warm": p_warm,
            "snap": _t(proj, "warm", "snap_demand_s"),
            "peak": _t(proj, "peak_rss_mb"),
            "setup": _t(proj, "setup_rss_mb"),
            "ratio_cold": 1.0,
            "ratio_warm": 1.0,
            "check": "reference",
        }
    ]
    for peer, label in (
        ("networkx", "networkx multi-source Dijkstra (node snapping)"),
        ("pandana", "pandana nearest_pois (node snapping)"),
    ):
        row = _peer_nearest_row(res, peer, label, p_cold, p_warm)
        if row is not None:
            rows.append(row)
    n_demand, fac = prep["demand"], "/".join(map(str, prep["facilities"]))
    print(f"\nNearest-facility times: {n_demand:,} demand points x 3 kinds ({fac} facilities), limit 15 min")
    print(
        table(
            rows,
            ["who", "prep", "cold", "warm", "snap", "setup", "peak", "ratio_cold", "ratio_warm", "check"],
            headers=[
                "contender",
                "prep (s, not counted)",
                "cold (s)",
                "warm (s)",
                "demand snap (s)",
                "RSS after setup (MiB)",
                "peak RSS (MiB)",
                "peer/project cold",
                "peer/project warm",
                f"on-node check ({cmp_.get('networkx_check_points', 0):,} times)",
            ],
        )
    )
    peers = [r for r in rows[1:] if r.get("ratio_warm")]
    if peers:
        best = min(peers, key=lambda r: r["ratio_warm"])
        print(
            f"strongest peer for nearest times: {best['who']}, {best['ratio_warm']:.1f}x the project's warm time "
            f"({best['ratio_cold']:.1f}x its cold time)"
        )
    for peer in ("networkx", "pandana"):
        if f"{peer}_random_median_abs_s" in cmp_:
            print(
                f"random points, project (edge snapping) vs {peer} (node snapping): median |diff| "
                f"{cmp_[f'{peer}_random_median_abs_s']:.1f} s, 95th percentile {cmp_[f'{peer}_random_p95_abs_s']:.1f}"
                f" s, reached-within-15-min differs for {cmp_[f'{peer}_random_reach_differs'] * 100:.2f} % of points"
            )
    pan = res.get("pandana_nearest") or {}
    if "precompute_s" in pan:
        print(
            f"pandana precompute({LIMIT_S:g}) (not used by nearest_pois): {pan['precompute_s']:.1f} s, RSS after "
            f"{pan['precompute_rss_mb']:,.0f} MiB"
        )
    report_circles(res, prep)


def report_circles(res: dict[str, Any], prep: dict[str, Any]) -> None:
    """Print the service-circles table of a scenario and the project's profiles."""
    cmp_ = res.get("compare", {})
    n_fac = prep["facilities"][-1]
    rows = []
    per_fac = None
    for key in [k for k in res if k.startswith("project_areas_")]:
        a = res[key]
        mode = key.removeprefix("project_areas_")
        if "error" in a:
            rows.append({"who": f"project service_areas({mode})", "note": a["error"]})
            continue
        rows.append(
            {
                "who": f"project service_areas(mode={mode!r})",
                "n": a["facilities"],
                "secs": a["seconds"],
                "per": a["seconds"] / a["facilities"] * 1000,
                "peak": a["peak_rss_mb"],
                "note": f"{a['polygons']:,} polygons, measured (first call on the network)"
                + (f"; second call {a['warm_seconds']:.1f} s" if a.get("warm_seconds") else ""),
            }
        )
        if mode == "per_facility":
            per_fac = a["seconds"]
    rows += _recipe_fast_rows(res, per_fac)
    rec = res.get("recipe")
    if rec and "error" not in rec:
        ratios = cmp_.get("recipe_area_ratio_median")
        rows.append(
            {
                "who": "osmnx recipe, notebook form (ego graph per band, .loc per edge)",
                "n": rec["facilities"],
                "secs": rec["extrapolated_s"],
                "per": rec["sample_s"] / rec["sample"] * 1000,
                "peak": rec["peak_rss_mb"],
                "ratio": rec["extrapolated_s"] / per_fac if per_fac else None,
                "note": f"extrapolated from {rec['sample']} facilities ({rec['sample_s']:.1f} s); graph build "
                f"{rec['build_s']:.1f} s not counted"
                + (
                    f"; median area / project per 5/10/15 band: {'/'.join(f'{r:.2f}' for r in ratios)}"
                    if ratios
                    else ""
                ),
            }
        )
        hr = cmp_.get("hull_area_ratio_median")
        rows.append(
            {
                "who": "osmnx recipe, notebook form, convex-hull variant",
                "n": rec["facilities"],
                "secs": rec["hull_extrapolated_s"],
                "per": rec["hull_sample_s"] / rec["sample"] * 1000,
                "ratio": rec["hull_extrapolated_s"] / per_fac if per_fac else None,
                "note": f"extrapolated from {rec['sample']}"
                + (f"; median area / project: {'/'.join(f'{r:.2f}' for r in hr)}" if hr else ""),
            }
        )
    elif rec:
        rows.append({"who": "osmnx recipe, notebook form", "note": rec["error"]})
    print(f"\nService circles: {n_fac:,} facilities, bands 5/10/15 min, buffer {BUFFER_M:g} m")
    print(
        table(
            rows,
            ["who", "n", "secs", "per", "peak", "ratio", "note"],
            headers=[
                "contender",
                "facilities",
                "time (s)",
                "per facility (ms)",
                "peak RSS (MiB)",
                "peer/project per_facility",
                "note",
            ],
        )
    )
    buffered = [r for r in rows if r.get("ratio") and "convex-hull" not in r["who"]]
    if buffered:
        best = min(buffered, key=lambda r: r["ratio"])
        print(
            f"strongest peer for per-facility circles: {best['who']}, {best['ratio']:.1f}x the project's time"
        )
    for key in [
        k for k in res if k.startswith("project_") and isinstance(res[k], dict) and res[k].get("profile")
    ]:
        print(f"\ncProfile of {key} (top own time):")
        print(
            table(
                res[key]["profile"],
                ["function", "calls", "own_s", "cum_s"],
                headers=["function", "calls", "own (s)", "cumulative (s)"],
            )
        )


def targets_table(res: dict[str, Any]) -> str:
    """The issue's targets on the big city, measured."""
    proj = res.get("project_nearest", {})
    rows = [
        {
            "target": "nearest times, every demand point x 3 kinds < 1 s (cold, first call)",
            "measured": _t(proj, "cold", "total_s"),
            "limit": TARGETS["nearest_s"],
        },
        {
            "target": "nearest times, every demand point x 3 kinds < 1 s (warm, best of 3)",
            "measured": _t(proj, "warm", "total_s"),
            "limit": TARGETS["nearest_s"],
        },
    ]
    for key in [k for k in res if k.startswith("project_areas_")]:
        rows.append(
            {
                "target": f"service circles for {_t(res[key], 'facilities') or '?'} facilities < 15 s "
                f"({key.removeprefix('project_areas_')})",
                "measured": _t(res[key], "seconds"),
                "limit": TARGETS["areas_s"],
            }
        )
    peaks = [
        (k, res[k].get("peak_rss_mb"))
        for k in res
        if k.startswith("project_") and isinstance(res[k], dict) and res[k].get("peak_rss_mb")
    ]
    for k, p in peaks:
        rows.append(
            {"target": f"peak memory < 2 GB ({k})", "measured": p, "limit": TARGETS["peak_mb"], "unit": "MiB"}
        )
    rec, pf = res.get("recipe_fast", {}), res.get("project_areas_per_facility", {})
    if rec.get("extrapolated_s") and pf.get("seconds"):
        rows.append(
            {
                "target": ">= 20x faster than the OSMnx recipe, strongest form (per-facility circles)",
                "measured": rec["extrapolated_s"] / pf["seconds"],
                "limit": TARGETS["recipe_ratio"],
                "unit": "x",
                "higher": True,
            }
        )
    for r in rows:
        m = r.get("measured")
        r["met"] = None if m is None else (m >= r["limit"] if r.get("higher") else m < r["limit"])
        r.setdefault("unit", "s")
    return table(rows, ["target", "measured", "unit", "met"], headers=["target", "measured", "unit", "met"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small city (150 x 150), 1 real extract, small samples"
    )
    parser.add_argument(
        "--side", type=int, default=None, help="grid side of the synthetic city (552: 303 059 nodes)"
    )
    parser.add_argument("--demand", type=int, default=None, help="demand points in the city (100 000)")
    parser.add_argument(
        "--facilities", default=None, help="facilities of the 3 kinds in the city (300,500,1000)"
    )
    parser.add_argument(
        "--recipe-sample", type=int, default=None, help="facilities the notebook form of the recipe runs (20)"
    )
    parser.add_argument(
        "--recipe-facilities",
        type=int,
        default=None,
        help="facilities the strongest form of the recipe runs (default all; fewer: a random sample)",
    )
    parser.add_argument(
        "--recipe-threads",
        type=int,
        default=2,
        help="threads the strongest form of the recipe unites its buffers on (2, as the project's circles)",
    )
    parser.add_argument(
        "--modes", default="dissolved,per_facility,nearest", help="service-area modes to time"
    )
    parser.add_argument(
        "--areas-warm",
        action="store_true",
        help="time a second service_areas call on the same network too (peak memory covers both)",
    )
    parser.add_argument(
        "--extracts", default=None, help="real extracts, comma list (default all present; '' none)"
    )
    parser.add_argument("--no-city", action="store_true", help="skip the synthetic city")
    parser.add_argument(
        "--contenders",
        default="project,networkx,pandana,recipe,notebook",
        help="who runs, comma list of project, networkx, pandana, recipe (the OSMnx recipe at its strongest), "
        "notebook (the recipe in its notebook form) (default all)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="warm repeats of the nearest-times runs")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the project's runs and print the top calls"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per contender process")
    parser.add_argument(
        "--pandana-timeout",
        type=float,
        default=150,
        help="seconds allowed to pandana (its contraction hierarchy of the 300 000-node grid takes "
        "far longer; default 150)",
    )
    parser.add_argument("--json", action="store_true", help="also write bench/results/coverage-<time>.json")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--params", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--answer", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        warnings.simplefilter("ignore")
        answer = WORKERS[args.worker](json.loads(args.params))
        worker_answer(answer, args.answer)
        return 0

    q = args.quick
    args.modes = [m for m in args.modes.split(",") if m]
    args.contenders = [c for c in args.contenders.split(",") if c]
    side = args.side or (150 if q else 552)
    demand = args.demand or (20_000 if q else 100_000)
    facilities = [int(x) for x in (args.facilities or ("30,50,100" if q else "300,500,1000")).split(",")]
    sample = args.recipe_sample or (4 if q else 20)
    if args.extracts is None:
        extracts = list(available_extracts())[: 1 if q else None]
    else:
        extracts = [x for x in args.extracts.split(",") if x]
        missing = [x for x in extracts if x not in available_extracts(extracts)]
        if missing:
            print(f"real extracts not present, skipped: {', '.join(missing)}")
        extracts = [x for x in extracts if x not in missing]
    info = machine_info()
    print(
        f"# Walking times and service circles benchmark\n\n{machine_line(info)}; load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    if not available_extracts():
        print("../shared/realdata is absent: real extracts skipped")
    t_all = time.perf_counter()
    results: dict[str, Any] = {"machine": info, "scenarios": []}
    with tempfile.TemporaryDirectory(prefix="eldercircle-bench-") as tmp:
        if not args.no_city:
            spec = {
                "side": side,
                "demand": demand,
                "facilities": facilities,
                "check_points": 20_000,
                "recipe_sample": sample,
                "pandana_precompute": side <= 200,
            }
            city = run_scenario(f"synthetic city {side}x{side}", spec, args, Path(tmp))
            results["scenarios"].append(city)
            print(f"\nTargets of issue 3 on the synthetic city ({city['prepare'].get('nodes', 0):,} nodes):")
            print(targets_table(city))
        for name in extracts:
            spec = {
                "extract": name,
                "demand": 20_000,
                "min_buildings": 1000,
                "facilities": [10, 20, 40],
                "check_points": 20_000,
                "recipe_sample": 2 if q else 8,
                "pandana_precompute": True,
            }
            results["scenarios"].append(run_scenario(f"real extract {name}", spec, args, Path(tmp)))
    total = time.perf_counter() - t_all
    print(f"\nwhole run: {total / 60:.1f} min; peak memory of the driver {peak_rss_mb():,.0f} MiB")
    for sc in results["scenarios"]:
        for peer in ("networkx", "pandana"):
            c = sc.get("compare", {})
            mx = c.get(f"{peer}_check_max_abs_s")
            bad = c.get(f"{peer}_check_reach_unexplained", 0)
            if mx is not None and (mx > CHECK_TOL_S[peer] or bad):
                print(
                    f"CHECK FAILED on {sc['label']}: {peer} differs from the project on nodes by up to {mx:.3g} s "
                    f"(tolerance {CHECK_TOL_S[peer]:g} s), {bad} points reached by one side only away from the limit"
                )
                results["check_failed"] = True
            elif mx is not None:
                print(
                    f"check passed on {sc['label']}: {peer} equals the project on {c[f'{peer}_check_points']:,} "
                    f"node-to-node times within {mx:.1e} s (tolerance {CHECK_TOL_S[peer]:g} s)"
                )
    if args.json:
        path = write_results("coverage", results)
        print(f"results written to {path}")
    return 1 if results.get("check_failed") else 0


if __name__ == "__main__":
    sys.exit(main())
