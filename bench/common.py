"""Shared helpers of the benchmark scripts: machine facts, timing, memory, subprocess workers, tables, the synthetic
city and the real OpenStreetMap extracts.

Benchmarks are plain scripts (``python bench/bench_coverage.py``), not tests; they import this module as ``common``
(the script's own folder is first on ``sys.path``).
"""

from __future__ import annotations

import datetime as _dt
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
#: ../shared/realdata beside the checkout; ELDERCIRCLE_REALDATA names another place (a worktree elsewhere).
REALDATA = Path(os.environ.get("ELDERCIRCLE_REALDATA") or REPO.parent / "shared" / "realdata")

#: The real extracts the benchmarks run on when ../shared/realdata is beside the checkout (read where they lie).
OSM_EXTRACTS: dict[str, Path] = {
    "nanjing": REALDATA / "osm-nanjing-xinjiekou" / "nanjing_xinjiekou.osm",
    "beijing": REALDATA / "osm-beijing-haidian-wudaokou" / "beijing_haidian_wudaokou.osm",
    "shenzhen": REALDATA / "osm-shenzhen-longgang" / "shenzhen_longgang.osm",
    "guixi": REALDATA / "osm-jiangxi-guixi" / "jiangxi_guixi.osm",
}

#: Packages whose versions are recorded with every result.
PACKAGES: tuple[str, ...] = (
    "numpy",
    "scipy",
    "shapely",
    "geopandas",
    "pyogrio",
    "pyproj",
    "pandas",
    "networkx",
    "osmnx",
    "pandana",
    "highspy",
    "spopt",
    "pulp",
)


# --- machine and environment --------------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU model name as ``lscpu`` reports it (falls back to /proc/cpuinfo, then platform)."""
    try:
        out = subprocess.run(["lscpu"], check=False, capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def total_ram_gb() -> float:
    """Physical memory in GiB (from /proc/meminfo; NaN when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return float("nan")


def package_versions(names: Sequence[str] = PACKAGES) -> dict[str, str]:
    """Installed version of each package, or ``"not installed"``."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine_info() -> dict[str, Any]:
    """Facts recorded with every benchmark result: CPU, cores, RAM, date, Python and package versions."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(total_ram_gb(), 1),
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
    }


def machine_line(info: dict[str, Any] | None = None) -> str:
    """One line naming the machine, for printed tables."""
    info = info or machine_info()
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['ram_gb']:.0f} GiB RAM; Python {info['python']}; "
        f"{info['date']}"
    )


# --- time and memory ----------------------------------------------------------------------------------------------


def _proc_status_mb(field: str) -> float | None:
    """A memory field of /proc/self/status (``VmRSS``, ``VmHWM``) in MiB, or None where /proc is absent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb() -> float:
    """Current resident memory of this process in MiB (VmRSS; NaN where /proc is absent)."""
    now = _proc_status_mb("VmRSS")
    return float("nan") if now is None else now


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far in MiB.

    Read from ``VmHWM`` in /proc/self/status, which starts afresh when a process execs a new program. (The often used
    ``getrusage(RUSAGE_SELF).ru_maxrss`` does not: a child started with fork + exec inherits its parent's high-water
    mark, so a worker started by a large driver would report the driver's peak.) Falls back to ``ru_maxrss``.
    """
    hwm = _proc_status_mb("VmHWM")
    if hwm is not None:
        return hwm
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024**2


def timed(func: Callable[[], Any], *, repeat: int = 1) -> tuple[float, Any]:
    """Best wall time (s) of ``repeat`` calls, and the last call's result. Garbage is collected before each call."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        gc.collect()
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


# --- subprocess workers -------------------------------------------------------------------------------------------


def run_worker(
    script: Path | str, task: str, params: dict[str, Any], *, timeout_s: float = 900
) -> dict[str, Any]:
    """Run ``python script --worker task --params JSON --answer FILE`` in a fresh interpreter; return its answer.

    Each contender runs in its own process so that its peak memory (``VmHWM``) is its own. The worker writes
    one JSON object to FILE (libraries printing progress to stdout cannot garble it). On failure the answer is
    ``{"error": ...}`` with the tail of stderr.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="eldercircle-worker-") as tmp:
        answer_file = Path(tmp) / "answer.json"
        cmd = [
            sys.executable,
            str(script),
            "--worker",
            task,
            "--params",
            json.dumps(params),
            "--answer",
            str(answer_file),
        ]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, check=False, capture_output=True, text=True, timeout=timeout_s, cwd=str(REPO)
            )
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout_s:.0f} s", "wall_s": time.perf_counter() - t0}
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not answer_file.is_file():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
            return {"error": f"exit code {proc.returncode}: " + " | ".join(tail), "wall_s": wall}
        answer = json.loads(answer_file.read_text(encoding="utf-8"))
    answer["wall_s"] = wall
    return answer


def worker_answer(answer: dict[str, Any], path: Path | str) -> None:
    """Write a worker's answer (numpy values made plain, its peak memory added) as JSON to ``path``."""
    answer = dict(answer)
    answer.setdefault("peak_rss_mb", peak_rss_mb())
    Path(path).write_text(json.dumps(answer, default=_plain), encoding="utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_results(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>-<timestamp>.json`` (the folder is git-ignored) and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=_plain), encoding="utf-8")
    return path


# --- tables -------------------------------------------------------------------------------------------------------


def fmt(value: Any, digits: int = 3) -> str:
    """A number for a table: ``digits`` significant figures, thousands separators; text unchanged; NaN as ``-``."""
    if value is None:
        return "-"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not np.isfinite(v):
            return "-" if np.isnan(v) else ("inf" if v > 0 else "-inf")
        if v == 0:
            return "0"
        if abs(v) >= 10**digits:
            return f"{v:,.0f}"
        return f"{v:#.{digits}g}".rstrip(".") if abs(v) >= 1e-3 else f"{v:.1e}"
    return str(value)


def table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, headers: Sequence[str] | None = None
) -> str:
    """A Markdown table of ``rows`` (dicts) with the given columns (missing cells shown as ``-``)."""
    headers = list(headers or columns)
    cells = [[fmt(r.get(c)) for c in columns] for r in rows]
    widths = [
        max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| "
        + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=False))
        + " |"
        for row in cells
    ]
    return "\n".join([line, rule, *body])


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").replace("e", "").replace("+", "").isdigit()


# --- the synthetic city -------------------------------------------------------------------------------------------

#: False easting / northing of the synthetic city (EPSG:32650, UTM zone 50N: eastern China).
CITY_X0, CITY_Y0 = 400_000.0, 3_100_000.0
CITY_CRS = "EPSG:32650"


def synthetic_city(
    n_side: int = 552,
    *,
    seed: int = 0,
    drop_share: float = 0.06,
    river_rows: int = 3,
    n_bridges: int = 6,
    steps_share: float = 0.01,
    walk_speed_m_s: float = 1.0,
):
    """A perturbed street grid with a winding river crossed by a few bridges, built straight from arrays.

    ``n_side`` x ``n_side`` junctions at 25–40 m spacing (each column and row spacing drawn once, every junction
    jittered by up to 4 m), joined to their four neighbours by straight segments. A river ``river_rows`` rows wide
    winds across the middle (its junctions are removed); only ``n_bridges`` evenly spaced columns keep a way across.
    ``drop_share`` of the other segments are removed at random (dead ends, superblocks), and ``steps_share`` of the
    rest are steps. Junctions left without any segment are dropped. The default gives about 303 000 nodes and
    570 000 segments over a 17.8 km square.

    Returns
    -------
    geo.network.WalkNetwork in EPSG:32650.
    """
    import pyproj
    import shapely

    from geo.network import STEPS_TIME_FACTOR, WalkNetwork, check_walk_speed

    speed = check_walk_speed(walk_speed_m_s)
    rng = np.random.default_rng(seed)
    n = int(n_side)
    xs = CITY_X0 + np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    ys = CITY_Y0 + np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    gx, gy = np.meshgrid(xs, ys)  # [row, col]: row runs south -> north
    gx = gx + rng.uniform(-4.0, 4.0, gx.shape)
    gy = gy + rng.uniform(-4.0, 4.0, gy.shape)
    row, col = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    # the river: rows (bank, bank + river_rows] of each column are water
    bank = n // 2 + np.round(0.04 * n * np.sin(2 * np.pi * np.arange(n) / (0.4 * n))).astype(np.int64)
    water = (row > bank[col]) & (row <= bank[col] + river_rows)
    bridge_cols = np.linspace(0, n - 1, n_bridges + 2)[1:-1].round().astype(np.int64)
    node_id = (row * n + col).ravel()
    # horizontal (r, c)-(r, c+1) and vertical (r, c)-(r+1, c) segments
    hu, hv = node_id.reshape(n, n)[:, :-1].ravel(), node_id.reshape(n, n)[:, 1:].ravel()
    vu, vv = node_id.reshape(n, n)[:-1, :].ravel(), node_id.reshape(n, n)[1:, :].ravel()
    u, v = np.concatenate([hu, vu]), np.concatenate([hv, vv])
    wet = water.ravel()
    on_bridge = np.zeros(u.size, dtype=bool)
    vertical = np.arange(u.size) >= hu.size
    on_bridge[vertical] = np.isin(col.ravel()[u[vertical]], bridge_cols)
    keep = (~wet[u] & ~wet[v]) | on_bridge
    # a bridge column keeps its water junctions as bridge nodes; horizontal segments between them are dropped above
    drop = (rng.random(u.size) < drop_share) & ~on_bridge
    keep &= ~drop
    u, v = u[keep], v[keep]
    used = np.zeros(n * n, dtype=bool)
    used[u] = used[v] = True
    new_id = np.cumsum(used) - 1
    node_xy = np.column_stack([gx.ravel()[used], gy.ravel()[used]])
    u, v = new_id[u].astype(np.int64), new_id[v].astype(np.int64)
    coords = np.stack([node_xy[u], node_xy[v]], axis=1)
    geoms = shapely.linestrings(coords)
    length = np.hypot(*(node_xy[v] - node_xy[u]).T)
    steps = rng.random(u.size) < steps_share
    time_s = length * np.where(steps, STEPS_TIME_FACTOR, 1.0) / speed
    return WalkNetwork(
        node_xy=node_xy,
        edge_u=u,
        edge_v=v,
        edge_length_m=length,
        edge_time_s=time_s,
        edge_geometry=geoms,
        edge_steps=steps,
        walk_speed_m_s=speed,
        crs=pyproj.CRS.from_user_input(CITY_CRS),
        source=f"synthetic city {n}x{n} seed {seed}",
    )


def random_points_in_bounds(net, k: int, *, seed: int) -> np.ndarray:
    """``k`` points uniform in the network's bounding box (some fall in the river or between streets)."""
    rng = np.random.default_rng(seed)
    lo, hi = net.node_xy.min(axis=0), net.node_xy.max(axis=0)
    return rng.uniform(lo, hi, size=(int(k), 2))


def random_points_on_network(net, k: int, *, seed: int, offset_m: float = 15.0) -> np.ndarray:
    """``k`` points beside random segments: a random spot along the segment, moved up to ``offset_m`` sideways."""
    import shapely

    rng = np.random.default_rng(seed)
    e = rng.integers(0, net.n_edges, int(k))
    pts = shapely.line_interpolate_point(net.edge_geometry[e], rng.random(int(k)), normalized=True)
    xy = shapely.get_coordinates(pts)
    return xy + rng.uniform(-offset_m, offset_m, size=xy.shape) / np.sqrt(2)


def random_nodes(net, k: int, *, seed: int) -> np.ndarray:
    """Indices of ``k`` distinct random nodes that have at least one segment."""
    rng = np.random.default_rng(seed)
    return rng.choice(net.n_nodes, size=int(k), replace=False)


# --- peers' graphs ------------------------------------------------------------------------------------------------


def networkx_graph(net, *, multi: bool = False, geometry: bool = False):
    """The same network as an undirected networkx graph: node ids 0..n-1 with ``x``/``y``; edges with ``time``
    (seconds) and ``length`` (metres). ``multi=True`` gives an ``nx.MultiGraph`` (parallel segments kept, as the
    osmnx recipe's ``G.get_edge_data(u, v)[0]`` expects); otherwise parallel segments keep only the quickest.
    ``geometry=True`` stores the LineString of segments that are not straight (as osmnx does)."""
    import networkx as nx
    import shapely

    g = nx.MultiGraph() if multi else nx.Graph()
    x, y = net.node_xy[:, 0].tolist(), net.node_xy[:, 1].tolist()
    g.add_nodes_from((i, {"x": x[i], "y": y[i]}) for i in range(net.n_nodes))
    u, v = net.edge_u.tolist(), net.edge_v.tolist()
    t, le = net.edge_time_s.tolist(), net.edge_length_m.tolist()
    bent = (
        (shapely.get_num_coordinates(net.edge_geometry) > 2)
        if geometry
        else np.zeros(net.n_edges, dtype=bool)
    )
    bent_idx = set(np.flatnonzero(bent).tolist())
    if multi:
        g.add_edges_from(
            (
                u[i],
                v[i],
                {
                    "time": t[i],
                    "length": le[i],
                    **({"geometry": net.edge_geometry[i]} if i in bent_idx else {}),
                },
            )
            for i in range(net.n_edges)
        )
    else:
        order = np.argsort(-net.edge_time_s, kind="stable")  # quickest added last, so it wins
        g.add_edges_from(
            (
                u[i],
                v[i],
                {
                    "time": t[i],
                    "length": le[i],
                    **({"geometry": net.edge_geometry[i]} if i in bent_idx else {}),
                },
            )
            for i in order.tolist()
        )
    return g


# --- real extracts ------------------------------------------------------------------------------------------------


def available_extracts(names: Sequence[str] | None = None) -> dict[str, Path]:
    """The real OSM extracts present on this machine (all of :data:`OSM_EXTRACTS`, or those named)."""
    wanted = OSM_EXTRACTS if names is None else {k: OSM_EXTRACTS[k] for k in names}
    return {k: p for k, p in wanted.items() if p.is_file()}


def real_network_and_buildings(path: Path):
    """The walking network of a real extract (through :func:`geo.network.network_from_osm`, in the UTM zone of its
    buildings) and the building centroids inside the network's extent (``(k, 2)``, metres)."""
    import warnings

    import osmnx as ox
    import shapely

    from geo.crs import projected_crs_for
    from geo.network import network_from_osm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        buildings = ox.features_from_xml(path, tags={"building": True})
    buildings = buildings[buildings.geom_type.isin(["Polygon", "MultiPolygon"])]
    lon, lat = buildings.union_all().centroid.coords[0]
    crs = projected_crs_for(lon, lat)
    net = network_from_osm(path, crs=crs)
    cent = shapely.get_coordinates(buildings.to_crs(crs).geometry.centroid.to_numpy())
    lo, hi = net.node_xy.min(axis=0), net.node_xy.max(axis=0)
    inside = np.all((cent > lo) & (cent < hi), axis=1)
    return net, cent[inside]
