"""Benchmark of siting (issue 5): this project's MCLP and LSCP against PySAL spopt, and the large MCLP.

Instances (the same arrays for every contender; a fixed seed): a synthetic street grid with 100 m blocks
(10 % of the segments removed at random: dead ends, superblocks), ``n_dem`` demand points (70 % in 40 Gaussian
clusters of residential compounds, 30 % spread uniformly; weights 1–39 elderly per point) and ``n_cand`` candidate
sites uniform over the square. The coverage matrix is the REAL reach matrix of the network
(:func:`geo.service_area.reach_matrix`, 15 minutes at 1.0 m/s, access walks included), not a random sparse matrix;
its computation is timed apart and is not counted for either contender (spopt gets it as the dense demand x
candidate cost matrix it expects, with 1e9 where a pair is out of reach).

Cases
-----
* ``compare`` — 1 000 candidates x 20 000 demand points on a 20 km square (2.5 candidates and 50 points per km²).
  MCLP with K = 20 and LSCP (every demand point that some candidate reaches; the others are reported apart and left
  out for spopt too, which would otherwise be infeasible), through this project (:func:`planning.siting.max_coverage`
  / :func:`planning.siting.min_sites`, HiGHS via highspy, proven optimal) and through spopt
  (``MCLP.from_cost_matrix`` / ``LSCP.from_cost_matrix``, solved with its default CBC, ``pulp.PULP_CBC_CMD``, and
  with HiGHS through PuLP, ``pulp.HiGHS``). spopt's model is built once per model and solved with each solver; its
  time per solver is build + solve. Objective values must be equal (the run fails otherwise).
* ``dense`` — the same sizes on a 14 km square (denser: about 7 candidates reach each point), MCLP K = 20 only,
  this project against spopt + CBC: a harder MILP where the LP relaxation is not integral.
* ``large`` — 5 000 candidates x 100 000 demand points on a 31.3 km square, MCLP with K = 30, this project with
  ``HighsSolver(mip_rel_gap=0.005, time_limit_s=60)``; reported: time, gap, peak memory (``ru_maxrss`` of the worker
  process, which includes building the instance and the reach matrix). The same model without the Lagrangian
  reduction (``reduce=False``: the whole MILP straight to HiGHS) is run too, for information.

Each contender runs in its own process (``common.run_worker``). Run ``python bench/bench_siting.py [--quick]
[--cases compare,dense,large]``; the default run takes about 9 minutes on 2 cores, most of it spopt building its
PuLP models.
"""

from __future__ import annotations

import argparse
import json
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


WORKERS = {"project": worker_project, "spopt": worker_spopt}


# --- the run ------------------------------------------------------------------------------------------------------


def run(cases: list[str], *, quick: bool) -> dict[str, Any]:
    sizes = QUICK if quick else CASES
    info = common.machine_info()
    info["packages"].update(common.package_versions(("highspy", "spopt", "pulp")))
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
            models = ["mclp", "lscp"] if case == "compare" else ["mclp"]
            solvers = ["cbc", "highs"] if case == "compare" else ["cbc"]
            ours = common.run_worker(SCRIPT, "project", {**p, "models": models})
            print(
                " project:",
                json.dumps(
                    {k: v for k, v in ours.items() if k != "mclp"}
                    | {"mclp": {k: v for k, v in ours.get("mclp", {}).items() if k != "chosen"}},
                    default=str,
                ),
                flush=True,
            )
            theirs = common.run_worker(
                SCRIPT, "spopt", {**p, "models": models, "solvers": solvers}, timeout_s=1500
            )
            print(" spopt:", json.dumps(theirs, default=str), flush=True)
            results["cases"][case] = {"params": p, "project": ours, "spopt": theirs}
            for model in models:
                mine = ours.get(model, {})
                for s in solvers:
                    other = theirs.get(f"{model}_{s}", {})
                    equal = (
                        mine.get("objective") is not None
                        and other.get("objective") is not None
                        and abs(mine["objective"] - other["objective"]) <= 1e-6 * max(1.0, mine["objective"])
                    )
                    if not equal:
                        failures.append(
                            f"{case} {model} {s}: project {mine.get('objective')} vs spopt "
                            f"{other.get('objective')} ({other.get('status') or theirs.get('error')})"
                        )
                    rows.append(
                        {
                            "case": case,
                            "model": model.upper() + (f" K={p['k']}" if model == "mclp" else ""),
                            "pairs": ours.get("pairs"),
                            "project_s": mine.get("time_s"),
                            "project_obj": mine.get("objective"),
                            "project_status": mine.get("status"),
                            "peer": f"spopt + {'CBC' if s == 'cbc' else 'HiGHS (PuLP)'}",
                            "peer_build_s": theirs.get(f"{model}_build_s"),
                            "peer_solve_s": other.get("solve_s"),
                            "peer_s": other.get("time_s"),
                            "peer_obj": other.get("objective"),
                            "equal": equal,
                            "speedup": (other["time_s"] / mine["time_s"])
                            if other.get("time_s") and mine.get("time_s")
                            else None,
                        }
                    )
        else:
            big = {**p, "models": ["mclp"], "gap": 0.005, "time_limit_s": 60.0}
            ours = common.run_worker(SCRIPT, "project", big)
            full = common.run_worker(SCRIPT, "project", {**big, "reduce": False})
            for name, r in (("project", ours), ("project, reduce=False", full)):
                m = r.get("mclp", {})
                print(
                    f" {name}: reach {r.get('reach_s', float('nan')):.1f} s, model {m.get('time_s', float('nan')):.1f}"
                    f" s, objective {m.get('objective')}, bound {m.get('bound')}, gap {m.get('gap')}, "
                    f"{m.get('status')}, peak {r.get('peak_rss_mb', float('nan')):.0f} MiB {r.get('error', '')}",
                    flush=True,
                )
            results["cases"][case] = {"params": p, "project": ours, "project_full_milp": full}
            m = ours.get("mclp", {})
            if not (
                m.get("gap", 1.0) < 0.005
                and m.get("time_s", 1e9) <= 60.0
                and ours.get("peak_rss_mb", 1e9) < 4096
            ):
                failures.append(
                    f"large: gap {m.get('gap')}, {m.get('time_s')} s, {ours.get('peak_rss_mb')} MiB"
                )
    results["rows"] = rows
    results["failures"] = failures
    path = common.write_results("siting", results)
    print(f"\nmachine: {common.machine_line(info)}")
    print(
        "versions: "
        + ", ".join(
            f"{k} {v}"
            for k, v in info["packages"].items()
            if k in ("numpy", "scipy", "highspy", "spopt", "pulp")
        )
    )
    if rows:
        print(
            common.table(
                rows,
                [
                    "case",
                    "model",
                    "pairs",
                    "project_s",
                    "project_obj",
                    "peer",
                    "peer_build_s",
                    "peer_solve_s",
                    "peer_s",
                    "peer_obj",
                    "equal",
                    "speedup",
                ],
                headers=[
                    "case",
                    "model",
                    "pairs",
                    "project s",
                    "objective",
                    "peer",
                    "peer build s",
                    "peer solve s",
                    "peer total s",
                    "peer objective",
                    "equal",
                    "speed-up",
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
