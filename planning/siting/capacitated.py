"""Capacitated coverage: beds limit how many elderly each home serves. A home of ``b`` beds serves
``b * 1000 / beds_per_1000_elderly`` elderly; existing homes stay open and their beds count; demand is assigned to
homes within the threshold only, with assignment variables on the sparse pairs of the coverage matrix."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from geo.errors import OptionError
from planning.i18n import Notes, message
from planning.siting.heuristics import aggregate_rows, as_csr, check_sites_budget
from planning.siting.milp import (
    HighsSolver,
    MilpModel,
    MilpSolution,
    Solver,
    abs_gap_of,
    answer_status,
    relative_gap,
)
from planning.siting.models import ModelOptions, ModelResult

#: Capacitated models order the chosen sites greedily by re-solving the assignment LP when K is at most this;
#: beyond it they are ordered by the elderly each serves in the optimal assignment.
GREEDY_ORDER_MAX_SITES = 15


def _flow_model(
    c: sparse.csr_matrix,
    w: np.ndarray,
    capacity: np.ndarray,
    fixed: np.ndarray,
    *,
    sites: int | None,
    budget: float | None,
    cost: np.ndarray,
    open_mask: np.ndarray | None = None,
) -> tuple[MilpModel, int]:
    """Columns: x (one per site; fixed sites have x = 1) then z (one per nonzero pair of ``c``, row-major).

    max sum z  s.t.  sum_j z_ij <= w_i;  sum_i z_ij - cap_j x_j <= 0;  z_ij <= w_i x_j (tightening);
    sum x (new) <= K;  cost x <= B.  ``open_mask`` fixes x to it (an LP: the assignment for given sites).
    Returns (model, number of site columns).
    """
    n_rows, n_sites = c.shape
    nnz = c.nnz
    pair_row = np.repeat(np.arange(n_rows), np.diff(c.indptr))
    pair_site = c.indices.astype(np.int64)
    ncol = n_sites + nnz
    zcol = n_sites + np.arange(nnz)
    # demand rows
    r_dem = sparse.csr_matrix((np.ones(nnz), zcol, c.indptr), shape=(n_rows, ncol))
    # site rows: sum z - cap x <= 0
    site_rows = np.concatenate([pair_site, np.arange(n_sites)])
    site_cols = np.concatenate([zcol, np.arange(n_sites)])
    site_vals = np.concatenate([np.ones(nnz), -capacity.astype(float)])
    r_site = sparse.csr_matrix((site_vals, (site_rows, site_cols)), shape=(n_sites, ncol))
    new = ~fixed
    # tightening z_ij - w_i x_j <= 0 on the pairs of sites that may stay closed
    tight = np.flatnonzero(new[pair_site]) if open_mask is None else np.zeros(0, dtype=np.int64)
    nt = len(tight)
    t_rows = np.concatenate([np.arange(nt), np.arange(nt)])
    t_cols = np.concatenate([zcol[tight], pair_site[tight]])
    t_vals = np.concatenate([np.ones(nt), -w[pair_row[tight]]])
    r_tight = sparse.csr_matrix((t_vals, (t_rows, t_cols)), shape=(nt, ncol))
    blocks = [r_dem, r_site, r_tight]
    lower: list[Any] = [np.full(n_rows, -np.inf), np.full(n_sites, -np.inf), np.full(nt, -np.inf)]
    upper: list[Any] = [w.astype(float), np.zeros(n_sites), np.zeros(nt)]
    if sites is not None:
        blocks.append(
            sparse.csr_matrix(
                (np.ones(int(new.sum())), (np.zeros(int(new.sum()), dtype=np.int64), np.flatnonzero(new))),
                shape=(1, ncol),
            )
        )
        lower.append([-np.inf])
        upper.append([float(sites)])
    if budget is not None:
        blocks.append(
            sparse.csr_matrix(
                (cost[new].astype(float), (np.zeros(int(new.sum()), dtype=np.int64), np.flatnonzero(new))),
                shape=(1, ncol),
            )
        )
        lower.append([-np.inf])
        upper.append([float(budget)])
    col_lower = np.zeros(ncol)
    col_upper = np.concatenate([np.ones(n_sites), w[pair_row].astype(float)])
    col_lower[:n_sites][fixed] = 1.0
    integer = np.concatenate([new, np.zeros(nnz, dtype=bool)])
    if open_mask is not None:
        col_lower[:n_sites] = open_mask.astype(float)
        col_upper[:n_sites] = open_mask.astype(float)
        integer[:] = False
    model = MilpModel(
        sense="max",
        cost=np.concatenate([np.zeros(n_sites), np.ones(nnz)]),
        col_lower=col_lower,
        col_upper=col_upper,
        integer=integer,
        matrix=sparse.vstack(blocks, format="csr"),
        row_lower=np.concatenate(lower).astype(float),
        row_upper=np.concatenate(upper).astype(float),
    )
    return model, n_sites


def _assignment(
    c: sparse.csr_matrix, w: np.ndarray, capacity: np.ndarray, open_mask: np.ndarray, solver: Solver
) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix, np.ndarray | None]:
    """One optimal assignment of elderly to the open sites within capacity (an LP, the transportation problem).

    Returns the open sites, the demand rows some open site reaches, the reach among them (rows x open sites) and the
    elderly flow per nonzero of that matrix (None when the LP gave no solution)."""
    sites = np.flatnonzero(open_mask)
    sub = c[:, sites].tocsr()
    rows = np.flatnonzero(np.diff(sub.indptr) > 0)
    sub = sub[rows]
    sub.sort_indices()
    if len(sites) == 0 or len(rows) == 0:
        return sites, rows, sub, None
    model, _ = _flow_model(
        sub,
        w[rows],
        capacity[sites],
        np.ones(len(sites), dtype=bool),
        sites=None,
        budget=None,
        cost=np.zeros(len(sites)),
        open_mask=np.ones(len(sites), dtype=bool),
    )
    sol = solver.solve(model)
    return sites, rows, sub, (None if sol.x is None else sol.x[len(sites) :])


def _served_by(
    c: sparse.csr_matrix, w: np.ndarray, capacity: np.ndarray, open_mask: np.ndarray, solver: Solver
) -> tuple[float, np.ndarray]:
    """Most elderly the open sites can serve; returns (total, per row)."""
    _, rows, sub, z = _assignment(c, w, capacity, open_mask, solver)
    per_row = np.zeros(c.shape[0])
    if z is None:
        return 0.0, per_row
    per_row[rows] = np.bincount(
        np.repeat(np.arange(len(rows)), np.diff(sub.indptr)), weights=z, minlength=len(rows)
    )
    return float(z.sum()), per_row


def _site_loads(
    c: sparse.csr_matrix, w: np.ndarray, cap: np.ndarray, open_mask: np.ndarray, solver: Solver
) -> np.ndarray:
    """Elderly each open site serves in one optimal assignment."""
    sites, _, sub, z = _assignment(c, w, cap, open_mask, solver)
    loads = np.zeros(c.shape[1])
    if z is not None:
        loads[sites] = np.bincount(sub.indices, weights=z, minlength=len(sites))
    return loads


def _greedy_open(
    c: sparse.csr_matrix,
    resid: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    cost: np.ndarray,
    *,
    sites: int,
    budget: float | None,
) -> np.ndarray:
    """The greedy heuristic on the demand the existing homes leave (``resid``): each step opens the new site with
    the most min(capacity, residual demand in reach) (per cost with a budget) and serves that share of its reach.
    Returns the open mask (existing homes included)."""
    resid = resid.copy()
    ct = c.T.tocsr()
    opened: list[int] = []
    spent = 0.0
    while len(opened) < sites:
        score = np.minimum(cap, np.asarray(ct @ resid).reshape(-1))
        ok = ~fixed
        ok[opened] = False
        if budget is not None:
            ok &= cost <= budget - spent + 1e-12
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.where(
                    cost > 0, score / np.where(cost > 0, cost, 1.0), np.where(score > 0, np.inf, 0.0)
                )
        score = np.where(ok, score, -np.inf)
        j = int(np.argmax(score)) if ok.any() else -1
        if j < 0 or score[j] <= 1e-9:
            break
        rows = ct.indices[ct.indptr[j] : ct.indptr[j + 1]]
        total = resid[rows].sum()
        share = min(1.0, cap[j] / total) if total > 0 else 0.0
        resid[rows] *= 1.0 - share
        opened.append(j)
        spent += cost[j]
    g_open = fixed.copy()
    g_open[opened] = True
    return g_open


def _entry_order(
    c: sparse.csr_matrix,
    w: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    open_mask: np.ndarray,
    *,
    before: float,
    solver: Solver,
    notes: Notes,
) -> tuple[np.ndarray, np.ndarray]:
    """The chosen sites in entry order with the elderly each adds: greedy by re-solving the assignment for up to
    :data:`GREEDY_ORDER_MAX_SITES` sites, else by the elderly each serves in the optimum."""
    chosen = np.flatnonzero(open_mask & ~fixed)
    current = fixed.copy()
    value = before
    gains: list[float] = []
    if len(chosen) > GREEDY_ORDER_MAX_SITES:
        served_site = _site_loads(c, w, cap, open_mask, solver)
        order_arr = chosen[np.argsort(-served_site[chosen], kind="stable")]
        for j in order_arr:
            current[j] = True
            v, _ = _served_by(c, w, cap, current, solver)
            gains.append(v - value)
            value = v
        notes.add(
            f"more than {GREEDY_ORDER_MAX_SITES} sites: ordered by the elderly each serves in the optimum",
            f"站点超过 {GREEDY_ORDER_MAX_SITES} 处：按最优解中各站点服务的老年人数排序",
        )
        return order_arr, np.asarray(gains)
    order: list[int] = []
    remaining = [int(j) for j in chosen]
    while remaining:
        best_j, best_v = remaining[0], -math.inf
        for j in remaining:
            trial = current.copy()
            trial[j] = True
            v, _ = _served_by(c, w, cap, trial, solver)
            if v > best_v + 1e-9:
                best_j, best_v = j, v
        order.append(best_j)
        gains.append(best_v - value)
        value = best_v
        current[best_j] = True
        remaining.remove(best_j)
    notes.add(
        "sites ordered greedily by re-solving the assignment for each",
        "站点顺序：每一步重新求解老年人分配，依次加入新增服务老人最多的站点",
    )
    return np.asarray(order, dtype=np.int64), np.asarray(gains)


def _best_of(
    c: sparse.csr_matrix,
    w: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    sol: MilpSolution,
    greedy: tuple[np.ndarray, float],
    solver: Solver,
) -> tuple[np.ndarray, bool]:
    """The open sites of the MILP's solution, or the greedy ones (``greedy``: open mask and elderly served) when
    they serve more in the best assignment (or the MILP found none), and whether they are the MILP's own."""
    g_open, g_total = greedy
    if sol.x is None:
        return g_open, False
    open_mask = (sol.x[: len(fixed)] > 0.5) | fixed
    total, _ = _served_by(c, w, cap, open_mask, solver)
    if total < g_total - 1e-9 * max(1.0, g_total):
        return g_open, False
    return open_mask, True


def _merged_demand(
    c_all: sparse.csr_matrix, w_all: np.ndarray, notes: Notes
) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The demand rows within reach of a home, merged by the homes that reach them: (rows, merged matrix, merged
    weights, the group of every row)."""
    rows_idx = np.flatnonzero((w_all > 0) & (np.diff(c_all.indptr) > 0))
    c, w, group = aggregate_rows(c_all[rows_idx], w_all[rows_idx])
    notes.add(
        f"{len(rows_idx)} demand points within reach of a home merged into {c.shape[0]} groups",
        f"{len(rows_idx)} 个在养老院服务范围内的需求点合并为 {c.shape[0]} 组",
    )
    return rows_idx, c, w, group


def _check_capacity(capacity: np.ndarray, n_sites: int) -> np.ndarray:
    cap = np.asarray(capacity, dtype=float)
    if cap.shape != (n_sites,) or np.any(~np.isfinite(cap)) or np.any(cap < 0):
        raise OptionError(message("err_capacity_per_site", n_sites=n_sites))
    return cap


def capacitated_coverage(
    cover: Any,
    weight: np.ndarray,
    capacity: np.ndarray,
    options: ModelOptions,
    *,
    existing: np.ndarray | None = None,
    cost: np.ndarray | None = None,
    solver: Solver | None = None,
) -> ModelResult:
    """Capacitated coverage: open sites so that the most elderly are served, each site serving at most its
    capacity and only demand within reach.

    Parameters
    ----------
    cover : (demand x sites) sparse coverage matrix over existing and candidate sites together.
    weight : (demand,) elderly per point.
    capacity : (sites,) elderly each site can serve (beds * 1000 / beds per 1000 elderly).
    options : at most ``options.sites`` new sites and/or total cost (of the new sites) within ``options.budget``,
        within ``options.time_limit_s``.
    existing : (sites,) bool, existing homes (always open; they are not counted in ``sites`` or the budget).
    cost : (sites,) cost per site (the unit of ``options.budget``).
    solver : as in :func:`~planning.siting.models.max_coverage`.

    Returns
    -------
    ModelResult
        ``chosen`` are site columns (never existing ones); ``objective`` is the elderly the sites serve in the best
        assignment beyond what the existing homes serve alone; ``served``/``served_before`` per demand point.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    w_all = np.asarray(weight, dtype=float)
    c_all = as_csr(cover, len(w_all))
    n_sites = c_all.shape[1]
    cap = _check_capacity(capacity, n_sites)
    fixed = np.zeros(n_sites, dtype=bool) if existing is None else np.asarray(existing, dtype=bool)
    new_cols = np.flatnonzero(~fixed)
    cost_full = np.zeros(n_sites) if cost is None else np.asarray(cost, dtype=float)
    k, b, _ = check_sites_budget(
        options.sites, options.budget, None if cost is None else cost_full[new_cols], len(new_cols)
    )
    deadline = t0 + options.limit_s(solver)
    notes = Notes()
    rows_idx, c, w, group = _merged_demand(c_all, w_all, notes)
    before, before_rows = _served_by(c, w, cap, fixed, solver)
    g_open = _greedy_open(c, w - before_rows, cap, fixed, cost_full, sites=k, budget=b)
    g_total, _ = _served_by(c, w, cap, g_open, solver)
    sol = solver.solve(
        _flow_model(
            c, w, cap, fixed, sites=k if options.sites is not None else None, budget=b, cost=cost_full
        )[0],
        start=(np.arange(n_sites), g_open.astype(float)),
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
    )
    open_mask, own = _best_of(c, w, cap, fixed, sol, (g_open, g_total), solver)
    order, gains = _entry_order(c, w, cap, fixed, open_mask, before=before, solver=solver, notes=notes)
    total, final_rows = _served_by(c, w, cap, open_mask, solver)
    obj = total - before
    bound = max(sol.bound - before, obj) if np.isfinite(sol.bound) else math.inf
    return ModelResult(
        chosen=order,
        gains=gains,
        objective=obj,
        bound=bound,
        gap=relative_gap(obj, bound),
        status=answer_status(sol.status, obj, bound, abs_gap_of(solver), own=own),
        time_s=time.perf_counter() - t0,
        solver=sol.solver,
        greedy_objective=g_total - before,
        curve=pd.DataFrame(
            {"sites": np.arange(1, len(order) + 1), "elderly_added": np.cumsum(gains), "method": "order"}
        ),
        curve_method="order",
        served=_per_point(w_all, rows_idx, w, final_rows, group),
        served_before=_per_point(w_all, rows_idx, w, before_rows, group),
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
        gap_tolerance=abs_gap_of(solver),
    )


def _per_point(
    w_all: np.ndarray, rows_idx: np.ndarray, w: np.ndarray, per_group: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """Elderly served per demand point: each merged group's served elderly spread over its member points in
    proportion to their weight."""
    out = np.zeros(len(w_all))
    share = np.divide(per_group, w, out=np.zeros_like(w), where=w > 0)
    out[rows_idx] = w_all[rows_idx] * share[group]
    return out
