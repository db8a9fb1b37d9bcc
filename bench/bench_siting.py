"""Benchmark of siting (issue 5): this project's MCLP and LSCP against HiGHS built directly and PySAL spopt.

Instances (the same arrays for every contender; a fixed seed): a synthetic street grid with 100 m blocks
(10 % of the segments removed at random: dead ends, superblocks), ``n_dem`` demand points (70 % in 40 Gaussian
clusters of residential compounds, 30 % spread uniformly; weights 1–39 elderly per point) and ``n_cand`` candidate
sites uniform over the square. The coverage matrix is the REAL reach matrix of the network
(:func:`geo.service_area.reach_matrix`, 15 minutes at 1.0 m/s, access walks included), not a random sparse matrix;
its computation is timed apart and is not counted for any contender.

Contenders
----------
* **this project** — :func:`planning.siting.max_coverage` / :func:`planning.siting.min_sites` on the sparse
  matrix, everything included (row merging, greedy, swap search, Lagrangian bound, building the MILP, HiGHS via
  highspy, proven optimal).
* **HiGHS built directly** (the strongest fair peer: same solver, no PuLP) — spopt's MCLP (binary x_j and y_i,
  ``y_i <= sum x_j`` over the candidates covering i, ``sum x_j = K``) and LSCP (``sum x_j >= 1`` per reachable point)
  built with scipy from the same sparse coverage matrix and passed to ``highspy.Highs.passModel`` as one CSR
  matrix; no reduction, no start. "build" = forming the arrays + ``passModel``; "solve" = ``Highs.run``.
* **spopt** — ``MCLP.from_cost_matrix`` / ``LSCP.from_cost_matrix`` (the dense demand x candidate cost matrix it
  expects, 1e9 where a pair is out of reach), built once per model and solved with its default CBC
  (``pulp.PULP_CBC_CMD``) and, on ``compare``, with HiGHS through PuLP (``pulp.HiGHS``). "build" is the
  ``from_cost_matrix`` call, "solve" is ``problem.solve``.

Ratios are given on build+solve and on solve alone (the project's time is always its whole call), and against the
fastest peer of each model. Objective values must be equal (the run fails otherwise).

Cases
-----
* ``compare`` — 1 000 candidates x 20 000 demand points on a 20 km square (2.5 candidates and 50 points per km²).
  MCLP with K = 20 and LSCP (every demand point that some candidate reaches; the others are reported apart and left
  out for the peers too, which would otherwise be infeasible).
* ``dense`` — the same sizes on a 14 km square (denser: about 7 candidates reach each point), MCLP K = 20 only,
  against HiGHS built directly and spopt + CBC: a harder MILP where the LP relaxation is not integral.
* ``large`` — 5 000 candidates x 100 000 demand points on a 31.3 km square, MCLP with K = 30, gap 0.5 %, 60 s:
  this project with ``HighsSolver(mip_rel_gap=0.005, time_limit_s=60)``; the same without its Lagrangian reduction
  (``reduce=False``: the whole MILP straight to HiGHS); and HiGHS built directly with the same gap and limit.
  Reported: time, gap, peak memory (``VmHWM`` of the worker process, which includes building the instance and the
  reach matrix).

Each contender runs in its own process (``common.run_worker``). Run ``python bench/bench_siting.py [--quick]
[--cases compare,dense,large]``; the default run takes about 12 minutes on 2 cores, most of it spopt building its
PuLP models.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import common
import numpy as np
import shapely

from geo.network import network_from_lines
from geo.service_area import reach_matrix, reach_pattern
from geo.travel import snap_points

SCRIPT = Path(__file__).resolve()
LIMIT_S = 900.0  # 15 minutes at 1.0 m/s

CASES: dict[str, dict[str, Any]] = {
    "compare": {"n_cand": 1000, "n_dem": 20_000, "side_m": 20_000.0, "k": 20},
    "dense": {"n_cand": 1000, "n_dem": 20_000, "side_m": 14_000.0, "k": 20},
    "large": {"n_cand": 5000, "n_dem": 100_000, "side_m": 31_300.0, "k": 30},
}
QUICK: dict[str, dict[str, Any]] = {
    "compare": {"n_cand": 200, "n_dem": 4000, "side_m": 9000.0, "k": 8},
    "dense": {"n_cand": 200, "n_dem": 4000, "side_m": 6000.0, "k": 8},
    "large": {"n_cand": 1000, "n_dem": 20_000, "side_m": 14_000.0, "k": 30},
}


def instance(
    n_cand: int,
    n_dem: int,
    side_m: float,
    *,
    seed: int = 1,
    spacing_m: float = 100.0,
    drop_share: float = 0.1,
):
    """The synthetic grid network, demand points and weights, and candidate sites (see the module doc)."""
    rng = np.random.default_rng(seed)
    n = int(side_m // spacing_m) + 1
    c = np.arange(n) * spacing_m
    xs, ys = np.meshgrid(c[:-1], c)
    h = np.stack(
        [np.column_stack([xs.ravel(), ys.ravel()]), np.column_stack([xs.ravel() + spacing_m, ys.ravel()])],
        axis=1,
    )
    segs = np.concatenate([h, h[:, :, ::-1]])
    keep = rng.random(len(segs)) > drop_share
    net = network_from_lines(shapely.linestrings(segs[keep]), crs="EPSG:32650", source=f"grid {n}x{n}")
    n_clu = int(n_dem * 0.7)
    centres = rng.uniform(0.1 * side_m, 0.9 * side_m, size=(40, 2))
    pts = centres[rng.integers(0, 40, size=n_clu)] + rng.normal(0, side_m / 25, size=(n_clu, 2))
    pts = np.clip(np.vstack([pts, rng.uniform(0, side_m, size=(n_dem - n_clu, 2))]), 0, side_m)
    weight = rng.integers(1, 40, size=n_dem).astype(float)
    cand = rng.uniform(0, side_m, size=(n_cand, 2))
    return net, pts, weight, cand


def coverage(params: dict[str, Any]) -> tuple[Any, Any, np.ndarray, dict[str, Any]]:
    """Build the instance and its reach matrix; returns (net, reach (cand x dem, float32 s), weights, facts)."""
    t0 = time.perf_counter()
    net, pts, weight, cand = instance(params["n_cand"], params["n_dem"], params["side_m"])
    t1 = time.perf_counter()
    reach = reach_matrix(net, snap_points(net, cand), snap_points(net, pts), limit_s=LIMIT_S)
    t2 = time.perf_counter()
    facts = {
        "nodes": net.n_nodes,
        "segments": net.n_edges,
        "pairs": int(reach.nnz),
        "instance_s": t1 - t0,
        "reach_s": t2 - t1,
        "elderly_total": float(weight.sum()),
    }
    return net, reach, weight, facts


# --- workers ------------------------------------------------------------------------------------------------------


def worker_project(params: dict[str, Any]) -> dict[str, Any]:
    # imported here: each contender's process loads only its own solver code, since its peak memory is measured
    from planning.siting import HighsSolver, ModelOptions, max_coverage, min_sites

    _, reach, weight, facts = coverage(params)
    cover = reach_pattern(reach).T.tocsr()
    out: dict[str, Any] = dict(facts)
    solver = HighsSolver(mip_rel_gap=params.get("gap", 0.0), time_limit_s=params.get("time_limit_s", 600.0))
    if "mclp" in params["models"]:
        t0 = time.perf_counter()
        options = ModelOptions(sites=params["k"], curve="order", reduce=params.get("reduce", True))
        res = max_coverage(cover, weight, options, solver=solver)
        out["mclp"] = {
            "time_s": time.perf_counter() - t0,
            "objective": res.objective,
            "bound": res.bound,
            "gap": res.gap,
            "status": res.status,
            "greedy": res.greedy_objective,
            "chosen": res.chosen.tolist(),
            "notes": list(res.notes),
        }
    if "lscp" in params["models"]:
        t0 = time.perf_counter()
        res = min_sites(cover, solver=solver)
        out["lscp"] = {
            "time_s": time.perf_counter() - t0,
            "objective": res.objective,
            "bound": res.bound,
            "gap": res.gap,
            "status": res.status,
            "greedy": res.greedy_objective,
            "unreachable_points": int(res.required_unreachable.size),
        }
    return out


def worker_spopt(params: dict[str, Any]) -> dict[str, Any]:
    import pulp
    from spopt.locate import LSCP, MCLP

    _, reach, weight, facts = coverage(params)
    n_cand, n_dem = reach.shape
    cost = np.full((n_dem, n_cand), 1e9)
    coo = reach.tocoo()
    cost[coo.col, coo.row] = coo.data
    out: dict[str, Any] = dict(facts)

    def solvers() -> dict[str, Any]:
        found = {"cbc": pulp.PULP_CBC_CMD(msg=False)}
        if "highs" in params["solvers"]:
            found["highs"] = pulp.HiGHS(msg=False) if hasattr(pulp, "HiGHS") else pulp.HiGHS_CMD(msg=False)
        return found

    def solve_with_each(model: Any, build: float, prefix: str) -> dict[str, Any]:
        """Solve a built spopt model with each PuLP solver; times include the model build."""
        found: dict[str, Any] = {}
        for name, solver in solvers().items():
            t0 = time.perf_counter()
            model.problem.solve(solver)
            found[f"{prefix}_{name}"] = {
                "solve_s": time.perf_counter() - t0,
                "time_s": build + time.perf_counter() - t0,
                "status": pulp.LpStatus[model.problem.status],
                "objective": float(pulp.value(model.problem.objective)),
            }
        return found

    if "mclp" in params["models"]:
        t0 = time.perf_counter()
        model = MCLP.from_cost_matrix(cost, weight, LIMIT_S, params["k"])
        build = time.perf_counter() - t0
        out["mclp_build_s"] = build
        out.update(solve_with_each(model, build, "mclp"))
    if "lscp" in params["models"]:
        reachable = (cost <= LIMIT_S).any(axis=1)
        t0 = time.perf_counter()
        model = LSCP.from_cost_matrix(cost[reachable], LIMIT_S)
        build = time.perf_counter() - t0
        out["lscp_build_s"] = build
        out.update(solve_with_each(model, build, "lscp"))
    return out


def highspy_mclp(cover: Any, weight: np.ndarray, k: int) -> tuple[Any, Any]:
    """The MCLP of spopt written straight for HiGHS: columns x_j (sites) then y_i (point covered), all binary as in
    spopt (y left continuous in [0, 1] gave the same optimum, 0–30 % slower in trials), maximise sum w_i y_i
    subject to y_i - sum_{j covers i} x_j <= 0 and sum x_j = K. ``cover`` is the (points x candidates) 0/1 CSR
    matrix. Returns (column spec, row CSR) ready for ``Highs.passModel``."""
    import scipy.sparse as sp

    n_dem, n_cand = cover.shape
    rows = sp.hstack([-cover, sp.identity(n_dem, format="csr")], format="csr")
    rows = sp.vstack([rows, sp.csr_matrix(np.concatenate([np.ones(n_cand), np.zeros(n_dem)]))], format="csr")
    cols = {
        "cost": np.concatenate([np.zeros(n_cand), weight.astype(float)]),
        "lower": np.zeros(n_cand + n_dem),
        "upper": np.ones(n_cand + n_dem),
        "integer": np.ones(n_cand + n_dem, np.int32),
        "row_lower": np.concatenate([np.full(n_dem, -np.inf), [float(k)]]),
        "row_upper": np.concatenate([np.zeros(n_dem), [float(k)]]),
    }
    return cols, rows


def highspy_lscp(cover: Any) -> tuple[Any, Any]:
    """The LSCP written straight for HiGHS: binary x_j, minimise sum x_j subject to sum_{j covers i} x_j >= 1 for
    every point that some candidate reaches (the others are left out, as for spopt)."""
    cover = cover[np.asarray(cover.sum(axis=1)).ravel() > 0]
    n_dem, n_cand = cover.shape
    cols = {
        "cost": np.ones(n_cand),
        "lower": np.zeros(n_cand),
        "upper": np.ones(n_cand),
        "integer": np.ones(n_cand, np.int32),
        "row_lower": np.ones(n_dem),
        "row_upper": np.full(n_dem, np.inf),
    }
    return cols, cover.tocsr()


def worker_highspy(params: dict[str, Any]) -> dict[str, Any]:
    """The strongest fair peer: the same MILPs as spopt's (no reduction, no greedy start, no row merging), built
    from the same sparse coverage matrix with scipy and passed to HiGHS in one ``passModel`` call: same solver as
    the project, no PuLP. "build" counts forming the arrays and ``passModel``; "solve" is ``Highs.run``."""
    import highspy

    _, reach, weight, facts = coverage(params)
    out: dict[str, Any] = dict(facts)
    for model in params["models"]:
        t0 = time.perf_counter()
        cover = reach_pattern(reach).T.tocsr().astype(float)
        if model == "mclp":
            cols, a = highspy_mclp(cover, weight, params["k"])
            sense = highspy.ObjSense.kMaximize
        else:
            cols, a = highspy_lscp(cover)
            sense = highspy.ObjSense.kMinimize
        a.sort_indices()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", float(params.get("gap", 0.0)))
        h.setOptionValue("time_limit", float(params.get("time_limit_s", 600.0)))
        h.passModel(
            len(cols["cost"]),
            a.shape[0],
            int(a.nnz),
            int(highspy.MatrixFormat.kRowwise),
            int(sense),
            0.0,
            cols["cost"],
            cols["lower"],
            cols["upper"],
            cols["row_lower"],
            cols["row_upper"],
            a.indptr.astype(np.int32),
            a.indices.astype(np.int32),
            a.data.astype(float),
            cols["integer"],
        )
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        h.run()
        solve = time.perf_counter() - t1
        info = h.getInfo()
        objective = float(info.objective_function_value)
        bound = float(info.mip_dual_bound)
        out[model] = {
            "build_s": build,
            "solve_s": solve,
            "time_s": build + solve,
            "status": h.modelStatusToString(h.getModelStatus()),
            "objective": objective,
            "bound": bound,
            "gap": abs(bound - objective) / max(abs(objective), 1.0),
            "rows": int(a.shape[0]),
            "columns": len(cols["cost"]),
        }
    return out


WORKERS = {"project": worker_project, "spopt": worker_spopt, "highspy": worker_highspy}


# --- the run ------------------------------------------------------------------------------------------------------


def _peer_rows(case: str, p: dict[str, Any], model: str, ours: dict[str, Any], peers: dict[str, Any]) -> list:
    """One table row per peer of one case and model: times, objectives, ratios on build+solve and on solve alone."""
    mine = ours.get(model, {})
    rows = []
    for label, other in peers.items():
        equal = (
            mine.get("objective") is not None
            and other.get("objective") is not None
            and abs(mine["objective"] - other["objective"]) <= 1e-6 * max(1.0, abs(mine["objective"]))
        )
        mt = mine.get("time_s")
        rows.append(
            {
                "case": case,
                "model": model.upper() + (f" K={p['k']}" if model == "mclp" else ""),
                "pairs": ours.get("pairs"),
                "project_s": mt,
                "project_obj": mine.get("objective"),
                "peer": label,
                "peer_build_s": other.get("build_s"),
                "peer_solve_s": other.get("solve_s"),
                "peer_s": other.get("time_s"),
                "peer_obj": other.get("objective"),
                "peer_status": other.get("status") or other.get("error"),
                "equal": equal,
                "ratio_total": other["time_s"] / mt if other.get("time_s") and mt else None,
                "ratio_solve": other["solve_s"] / mt if other.get("solve_s") and mt else None,
            }
        )
    return rows


def _compare_case(case: str, p: dict[str, Any], rows: list, failures: list) -> dict[str, Any]:
    """compare / dense: the project, spopt (CBC, and HiGHS through PuLP on compare) and HiGHS built directly."""
    models = ["mclp", "lscp"] if case == "compare" else ["mclp"]
    solvers = ["cbc", "highs"] if case == "compare" else ["cbc"]
    ours = common.run_worker(SCRIPT, "project", {**p, "models": models})
    shown = {k: v for k, v in ours.items() if k != "mclp"}
    shown["mclp"] = {k: v for k, v in ours.get("mclp", {}).items() if k != "chosen"}
    print(" project:", json.dumps(shown, default=str), flush=True)
    direct = common.run_worker(SCRIPT, "highspy", {**p, "models": models})
    print(" highspy direct:", json.dumps(direct, default=str), flush=True)
    theirs = common.run_worker(SCRIPT, "spopt", {**p, "models": models, "solvers": solvers}, timeout_s=1500)
    print(" spopt:", json.dumps(theirs, default=str), flush=True)
    for model in models:
        peers = {
            "HiGHS built directly (highspy passModel)": direct.get(model, {"error": direct.get("error")})
        }
        for s in solvers:
            other = dict(theirs.get(f"{model}_{s}", {"error": theirs.get("error")}))
            other["build_s"] = theirs.get(f"{model}_build_s")
            peers[f"spopt + {'CBC' if s == 'cbc' else 'HiGHS (PuLP)'}"] = other
        new = _peer_rows(case, p, model, ours, peers)
        failures.extend(
            f"{case} {model} {r['peer']}: project {r['project_obj']} vs {r['peer_obj']} ({r['peer_status']})"
            for r in new
            if not r["equal"]
        )
        rows.extend(new)
    return {"params": p, "project": ours, "highspy": direct, "spopt": theirs}


def _large_case(p: dict[str, Any], failures: list) -> dict[str, Any]:
    """large: the project (gap 0.5 %, 60 s), the same without its reduction, and the MILP built directly."""
    big = {**p, "models": ["mclp"], "gap": 0.005, "time_limit_s": 60.0}
    ours = common.run_worker(SCRIPT, "project", big)
    full = common.run_worker(SCRIPT, "project", {**big, "reduce": False})
    direct = common.run_worker(SCRIPT, "highspy", big)
    for name, r in (("project", ours), ("project, reduce=False", full), ("HiGHS built directly", direct)):
        m = r.get("mclp", {})
        print(
            f" {name}: reach {r.get('reach_s', float('nan')):.1f} s, model {m.get('time_s', float('nan')):.1f}"
            f" s, objective {m.get('objective')}, bound {m.get('bound')}, gap {m.get('gap')}, "
            f"{m.get('status')}, peak {r.get('peak_rss_mb', float('nan')):.0f} MiB {r.get('error', '')}",
            flush=True,
        )
    m = ours.get("mclp", {})
    if not (
        m.get("gap", 1.0) < 0.005 and m.get("time_s", 1e9) <= 60.0 and ours.get("peak_rss_mb", 1e9) < 4096
    ):
        failures.append(f"large: gap {m.get('gap')}, {m.get('time_s')} s, {ours.get('peak_rss_mb')} MiB")
    return {"params": p, "project": ours, "project_full_milp": full, "highspy": direct}


def _best_peers(rows: list) -> list:
    """Per case and model, the project against the fastest peer on build+solve and on solve alone."""
    out = []
    for key in dict.fromkeys((r["case"], r["model"]) for r in rows):
        mine = [r for r in rows if (r["case"], r["model"]) == key]
        total = [r for r in mine if r["peer_s"]]
        solve = [r for r in mine if r["peer_solve_s"]]
        if not total:
            continue
        bt = min(total, key=lambda r: r["peer_s"])
        bs = min(solve, key=lambda r: r["peer_solve_s"])
        out.append(
            {
                "case": key[0],
                "model": key[1],
                "project_s": bt["project_s"],
                "best_total": f"{bt['peer']}: {bt['peer_s']:.3g} s",
                "ratio_total": bt["ratio_total"],
                "best_solve": f"{bs['peer']}: {bs['peer_solve_s']:.3g} s",
                "ratio_solve": bs["ratio_solve"],
            }
        )
    return out


def run(cases: list[str], *, quick: bool) -> dict[str, Any]:
    sizes = QUICK if quick else CASES
    info = common.machine_info()
    info["load_average"] = list(os.getloadavg())
    results: dict[str, Any] = {"machine": info, "quick": quick, "cases": {}}
    rows: list[dict[str, Any]] = []
    failures: list[str] = []
    for case in cases:
        p = dict(sizes[case])
        label = (
            f"{case}: {p['n_cand']:,} candidates x {p['n_dem']:,} points, {p['side_m'] / 1000:g} km square"
        )
        print(f"\n== {label}", flush=True)
        if case in ("compare", "dense"):
            results["cases"][case] = _compare_case(case, p, rows, failures)
        else:
            results["cases"][case] = _large_case(p, failures)
    results["rows"] = rows
    results["best"] = best = _best_peers(rows)
    results["failures"] = failures
    path = common.write_results("siting", results)
    print(
        f"\nmachine: {common.machine_line(info)}; load average at the start "
        f"{', '.join(f'{x:.2f}' for x in info['load_average'])}, at the end "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        "versions: "
        + ", ".join(
            f"{k} {v}"
            for k, v in info["packages"].items()
            if k in ("numpy", "scipy", "highspy", "spopt", "pulp", "networkx")
        )
    )
    if rows:
        cols = ["case", "model", "pairs", "project_s", "project_obj", "peer", "peer_build_s", "peer_solve_s"]
        cols += ["peer_s", "peer_obj", "equal", "ratio_total", "ratio_solve"]
        heads = ["case", "model", "pairs", "project s", "objective", "peer", "peer build s", "peer solve s"]
        heads += ["peer total s", "peer objective", "equal", "peer total / project", "peer solve / project"]
        print(common.table(rows, cols, headers=heads))
        print("\nagainst the strongest peer (fastest build+solve; fastest solve alone):")
        print(
            common.table(
                best,
                ["case", "model", "project_s", "best_total", "ratio_total", "best_solve", "ratio_solve"],
                headers=[
                    "case",
                    "model",
                    "project s",
                    "fastest peer, build+solve",
                    "ratio",
                    "fastest solve",
                    "ratio",
                ],
            )
        )
    print(f"results written to {path}")
    if failures:
        print("FAILED: " + "; ".join(failures))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test, about 1 minute)")
    parser.add_argument("--cases", default="compare,dense,large", help="comma list of compare, dense, large")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--answer", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        answer = WORKERS[args.worker](json.loads(args.params))
        common.worker_answer(answer, args.answer)
        return 0
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; choose from {', '.join(CASES)}")
    results = run(cases, quick=args.quick)
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(SCRIPT.parents[1]))
    sys.exit(main())
