"""The coverage models on a coverage matrix: maximal coverage (MCLP, Church & ReVelle 1974) and minimum sites
(LSCP, Toregas et al. 1971). Each takes the matrix and weights, a :class:`ModelOptions` (how many sites, what
budget, how long) and a :class:`~planning.siting.milp.Solver`, and answers a frozen :class:`ModelResult`."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from geo.errors import OptionError
from planning.i18n import Notes, message
from planning.siting.heuristics import (
    aggregate_rows,
    as_csr,
    check_sites_budget,
    covered_weight,
    entry_order,
    greedy_sites,
    lagrangian_mclp,
    swap_search,
)
from planning.siting.milp import (
    DEFAULT_MIP_ABS_GAP,
    HighsSolver,
    MilpModel,
    Solver,
    abs_gap_of,
    answer_status,
    relative_gap,
)

#: ``curve="auto"`` solves the exact curve (one MILP per k) when K is at most this ...
EXACT_CURVE_MAX_SITES = 10
#: ... and the coverage matrix has at most this many nonzeros.
EXACT_CURVE_MAX_NNZ = 2_000_000


@dataclass(frozen=True)
class ModelOptions:
    """What a model may open and how long it may take.

    Attributes
    ----------
    sites : number of sites to add (K); may be None when ``budget`` is given.
    budget : total cost allowed for the new sites (the unit of the ``cost`` array), instead of or with ``sites``.
    time_limit_s : total time for the model including the curve (default: the solver's limit).
    curve : (maximal coverage) ``"exact"`` (one MILP per k = 1..K), ``"order"`` (the entry order's curve) or
        ``"auto"`` (exact when K <= 10 on small models).
    reduce : (maximal coverage) before the MILP, improve the greedy solution by swaps and leave out the candidates
        that the Lagrangian bound proves cannot beat it (exact; without a budget only). False passes the whole model.
    """

    sites: int | None = None
    budget: float | None = None
    time_limit_s: float | None = None
    curve: str = "auto"
    reduce: bool = True

    def limit_s(self, solver: Solver) -> float:
        """The time limit: ``time_limit_s``, else the solver's own limit (60 s for a solver without one)."""
        return self.time_limit_s if self.time_limit_s is not None else getattr(solver, "time_limit_s", 60.0)


@dataclass(frozen=True, eq=False)
class ModelResult:
    """The answer of one model on arrays (candidate columns are indices into the coverage matrix).

    Attributes
    ----------
    chosen : candidate columns chosen, in entry order (see ``gains``).
    gains : what each adds when it enters, in elderly (for min-sites too: elderly newly covered).
    objective : the model's objective: elderly added (coverage, capacitated) or number of sites (min-sites).
    bound : the proven bound on it (upper for coverage/capacitated, lower for min-sites).
    gap : ``|bound - objective| / max(|objective|, 1)``.
    status : ``optimal`` (only when ``bound`` proves ``objective``: see
        :func:`~planning.siting.milp.settled_status`), ``time_limit`` (best found by then), ``greedy`` (the greedy
        fallback was better, or the solver gave no usable solution), ``gap_reached``, ``solution_limit``, ...
    time_s : total time of the model (build, greedy, MILP, curve).
    solver : solver name and version.
    greedy_objective : the greedy solution's objective (the warm start).
    curve : rows ``sites`` (1..K), ``elderly_added`` (the best k-site gain, or what the first k of the entry order
        add) and ``method`` (``exact``/``order``).
    curve_method : ``exact``, ``order`` or ``mixed`` (exact until the time ran out).
    required_unreachable : (min-sites) demand rows required but reached by no candidate and no existing site.
    served : (capacitated) elderly served per demand row after siting (existing + chosen), else None.
    served_before : (capacitated) elderly served per demand row by the existing homes alone, else None.
    notes : sentences on what the model did (merged rows, fallbacks).
    notes_zh : the same sentences in Chinese, one per note.
    gap_tolerance : the absolute gap within which ``bound`` proves ``objective`` optimal (the solver's).
    """

    chosen: np.ndarray
    gains: np.ndarray
    objective: float
    bound: float
    gap: float
    status: str
    time_s: float
    solver: str
    greedy_objective: float
    curve: pd.DataFrame
    curve_method: str
    required_unreachable: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    served: np.ndarray | None = None
    served_before: np.ndarray | None = None
    notes: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    gap_tolerance: float = DEFAULT_MIP_ABS_GAP


def _mclp_model(
    c: sparse.csr_matrix, w: np.ndarray, *, sites: int, budget: float | None, cost: np.ndarray
) -> MilpModel:
    """x (binary, one per candidate) then y (0..1, one per demand row): max w @ y, y <= C x, sum x <= K, cost x <= B."""
    n_rows, n_cand = c.shape
    block = sparse.hstack([-c.astype(float), sparse.identity(n_rows, format="csr")], format="csr")
    extra = [
        sparse.csr_matrix(
            (np.ones(n_cand), (np.zeros(n_cand, dtype=np.int64), np.arange(n_cand))),
            shape=(1, n_cand + n_rows),
        )
    ]
    lower: list[Any] = [np.full(n_rows, -np.inf), [-np.inf]]
    upper: list[Any] = [np.zeros(n_rows), [float(sites)]]
    if budget is not None:
        extra.append(
            sparse.csr_matrix(
                (cost.astype(float), (np.zeros(n_cand, dtype=np.int64), np.arange(n_cand))),
                shape=(1, n_cand + n_rows),
            )
        )
        lower.append([-np.inf])
        upper.append([float(budget)])
    matrix = sparse.vstack([block, *extra], format="csr")
    return MilpModel(
        sense="max",
        cost=np.concatenate([np.zeros(n_cand), w]),
        col_lower=np.zeros(n_cand + n_rows),
        col_upper=np.ones(n_cand + n_rows),
        integer=np.concatenate([np.ones(n_cand, bool), np.zeros(n_rows, bool)]),
        matrix=matrix,
        row_lower=np.concatenate(lower).astype(float),
        row_upper=np.concatenate(upper).astype(float),
    )


@dataclass(frozen=True, eq=False)
class _Answer:
    """One MCLP solved on the merged arrays."""

    chosen: np.ndarray
    objective: float
    bound: float
    status: str
    greedy_objective: float
    solver: str
    note: tuple[str, str] | None = None


@dataclass(frozen=True, eq=False)
class _Incumbent:
    """The best known solution before the MILP, the candidates the MILP still needs and the Lagrangian bound."""

    chosen: np.ndarray
    value: float
    keep: np.ndarray
    bound: float = math.inf
    note: tuple[str, str] | None = None


def _reduce(
    c: sparse.csr_matrix, w: np.ndarray, sites: int, g_chosen: np.ndarray, *, deadline: float
) -> _Incumbent:
    """Swap search from the greedy sites, then the Lagrangian bound and fixing (see :func:`lagrangian_mclp`)."""
    n_cand = c.shape[1]
    inc, inc_val = swap_search(c, c.T.tocsr(), c.tocsc(), w, g_chosen)
    lag = lagrangian_mclp(c, w, sites, inc, inc_val, deadline=deadline)
    keep = np.flatnonzero(~lag.fix_out)
    note = (
        (
            f"Lagrangian bound {lag.bound:,.6g} after {lag.iterations} steps left {len(keep)} of {n_cand} "
            "candidates that could beat the incumbent"
        ),
        (
            f"拉格朗日上界 {lag.bound:,.6g}（{lag.iterations} 次迭代）：{n_cand} 个候选地块中只有 {len(keep)} 个"
            "可能优于当前解，其余不再求解"
        ),
    )
    return _Incumbent(chosen=lag.incumbent, value=lag.value, keep=keep, bound=lag.bound, note=note)


def _solve_kept(
    c: sparse.csr_matrix,
    w: np.ndarray,
    inc: _Incumbent,
    *,
    sites: int,
    budget: float | None,
    cost: np.ndarray,
    solver: Solver,
    deadline: float,
) -> tuple[np.ndarray, float, float, str, str]:
    """The MCLP on the candidates ``inc.keep``, warm-started with the incumbent. Returns (chosen positions in
    ``keep``, objective, bound, status, solver name)."""
    keep = inc.keep
    sub = c[:, keep].tocsr()
    rows = np.flatnonzero(np.diff(sub.indptr) > 0)
    sub, w_sub = sub[rows], w[rows]
    pos = np.full(c.shape[1], -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    if len(keep) <= sites and budget is None:
        chosen_sub = np.flatnonzero(np.diff(sub.tocsc().indptr) > 0)
        sol_obj = covered_weight(sub, w_sub, chosen_sub)
        return chosen_sub, sol_obj, sol_obj, "optimal", solver.name
    model = _mclp_model(sub, w_sub, sites=sites, budget=budget, cost=cost[keep])
    start_x = np.zeros(len(keep))
    start_x[pos[inc.chosen][pos[inc.chosen] >= 0]] = 1.0
    sol = solver.solve(
        model,
        start=(np.arange(len(keep)), start_x),
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
    )
    if sol.x is None:
        return np.zeros(0, dtype=np.int64), -math.inf, sol.bound, sol.status, sol.solver
    chosen_sub = np.flatnonzero(sol.x[: len(keep)] > 0.5)
    # the objective is recomputed from the sites, not from the y values
    return chosen_sub, covered_weight(sub, w_sub, chosen_sub), sol.bound, sol.status, sol.solver


def _solve_mclp(
    c: sparse.csr_matrix,
    w: np.ndarray,
    *,
    sites: int,
    budget: float | None,
    cost: np.ndarray,
    solver: Solver,
    time_limit_s: float | None,
    reduce: bool = True,
) -> _Answer:
    """One MCLP on the merged arrays.

    Without a budget: greedy, swap search, Lagrangian bound and fixing (see :func:`lagrangian_mclp`), then the
    MILP on the candidates left, warm-started with the incumbent. With a budget: greedy, then the full MILP.
    """
    t0 = time.perf_counter()
    limit = 60.0 if time_limit_s is None else float(time_limit_s)
    g_chosen, g_gains = greedy_sites(c, w, sites=sites, budget=budget, cost=cost)
    g_obj = float(g_gains.sum())
    n_cand = c.shape[1]
    if n_cand == 0 or c.shape[0] == 0:
        return _Answer(np.zeros(0, dtype=np.int64), 0.0, 0.0, "optimal", 0.0, solver.name)
    if budget is None and sites >= n_cand:  # every candidate fits: open all that add something
        useful = np.flatnonzero(np.diff(c.tocsc().indptr) > 0)
        return _Answer(useful, float(w.sum()), float(w.sum()), "optimal", g_obj, solver.name)
    inc = _Incumbent(chosen=np.sort(g_chosen), value=g_obj, keep=np.arange(n_cand))
    if reduce and budget is None and len(g_chosen) == sites:
        inc = _reduce(c, w, sites, g_chosen, deadline=t0 + 0.3 * limit)
    chosen_sub, sol_obj, sol_bound, status, name = _solve_kept(
        c, w, inc, sites=sites, budget=budget, cost=cost, solver=solver, deadline=t0 + limit
    )
    own = sol_obj >= inc.value - 1e-9 * max(1.0, inc.value)
    chosen, obj = (inc.keep[chosen_sub], sol_obj) if own else (inc.chosen, inc.value)
    # every solution is either in the reduced model (<= its bound) or no better than the incumbent
    bound = max(sol_bound, inc.value) if np.isfinite(sol_bound) else math.inf
    bound = min(bound, inc.bound)
    if np.isfinite(bound):
        bound = max(bound, obj)
    status = answer_status(status, obj, bound, abs_gap_of(solver), own=own)
    return _Answer(np.sort(chosen), obj, bound, status, g_obj, name, inc.note)


def _curve_method(curve: str, budget: float | None, n_order: int, nnz: int, notes: Notes) -> str:
    """The curve actually computed for ``curve`` (``auto`` resolved; with a budget only the entry order)."""
    method = curve
    if curve == "auto":
        method = (
            "exact"
            if (budget is None and n_order <= EXACT_CURVE_MAX_SITES and nnz <= EXACT_CURVE_MAX_NNZ)
            else "order"
        )
    if budget is not None and method == "exact":
        method = "order"
        notes.add(
            "with a budget the curve is the entry order's (the exact curve is defined for counts of sites)",
            "有预算约束时覆盖曲线按加入顺序计算（逐个求最优的曲线只对站点数量有定义）",
        )
    return method


def _exact_curve(
    c: sparse.csr_matrix,
    w: np.ndarray,
    values: np.ndarray,
    methods: list[str],
    *,
    solver: Solver,
    deadline: float,
    reduce: bool,
    notes: Notes,
) -> None:
    """Replace ``values[k - 1]`` by the best k-site coverage, k = 1..K-1, while time remains (in place)."""
    n_cand = c.shape[1]
    for kk in range(1, len(values)):
        left = deadline - time.perf_counter()
        if left <= 0:
            notes.add(
                f"time ran out for the exact curve after {kk - 1} sites: the rest is the entry order's",
                f"逐个求最优的覆盖曲线在 {kk - 1} 处站点后超时：其余部分按加入顺序计算",
            )
            break
        answer = _solve_mclp(
            c,
            w,
            sites=kk,
            budget=None,
            cost=np.ones(n_cand),
            solver=solver,
            time_limit_s=left,
            reduce=reduce,
        )
        if answer.status == "optimal":
            values[kk - 1] = answer.objective
            methods[kk - 1] = "exact"


def _open_demand(
    c_all: sparse.csr_matrix, w_all: np.ndarray, covered: np.ndarray | None, notes: Notes
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The demand a candidate reaches and no existing facility covers, rows covered by the same sites merged."""
    active = (w_all > 0) & (np.diff(c_all.indptr) > 0)
    if covered is not None:
        active &= ~np.asarray(covered, dtype=bool)
    c, w, _ = aggregate_rows(c_all[np.flatnonzero(active)], w_all[active])
    notes.add(
        f"{int(active.sum())} demand points that a candidate can reach and no existing facility covers, merged "
        f"into {c.shape[0]} groups covered by the same sites",
        f"{int(active.sum())} 个候选地块可覆盖、现有设施未覆盖的需求点按覆盖它们的地块相同合并为 {c.shape[0]} 组",
    )
    return c, w


def max_coverage(
    cover: Any,
    weight: np.ndarray,
    options: ModelOptions,
    *,
    cost: np.ndarray | None = None,
    covered: np.ndarray | None = None,
    solver: Solver | None = None,
) -> ModelResult:
    """Maximal coverage: the ``options.sites`` candidates (or those within ``options.budget``) that add the most
    weight.

    Parameters
    ----------
    cover : (demand x candidates) sparse matrix, nonzero where the candidate reaches the point within the threshold.
    weight : (demand,) elderly per point (>= 0).
    options : the number of sites and/or budget, the time limit, the curve and the reduction.
    cost : optional cost per candidate (the unit of ``options.budget``).
    covered : (demand,) bool, demand the existing facilities already cover (dropped from the model).
    solver : a :class:`Solver` (default :class:`HighsSolver`).

    Returns
    -------
    ModelResult
        ``objective`` is the elderly added over the existing facilities.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    w_all = np.asarray(weight, dtype=float)
    c_all = as_csr(cover, len(w_all))
    n_cand = c_all.shape[1]
    k, b, costs = check_sites_budget(options.sites, options.budget, cost, n_cand)
    if options.curve not in ("auto", "exact", "order"):
        raise OptionError(message("err_curve_unknown", curve=options.curve))
    deadline = t0 + options.limit_s(solver)
    notes = Notes()
    c, w = _open_demand(c_all, w_all, covered, notes)
    answer = _solve_mclp(
        c,
        w,
        sites=k,
        budget=b,
        cost=costs,
        solver=solver,
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
        reduce=options.reduce,
    )
    if answer.note:
        notes.add(*answer.note)
    order, gains = entry_order(c, w, answer.chosen)
    method = _curve_method(options.curve, b, len(order), c.nnz, notes)
    values = np.cumsum(gains)
    methods = ["order"] * len(order)
    if method == "exact" and len(order):
        _exact_curve(
            c, w, values, methods, solver=solver, deadline=deadline, reduce=options.reduce, notes=notes
        )
        if answer.status == "optimal":
            methods[-1] = "exact"
    used = set(methods)
    return ModelResult(
        chosen=order,
        gains=gains,
        objective=answer.objective,
        bound=answer.bound,
        gap=relative_gap(answer.objective, answer.bound),
        status=answer.status,
        time_s=time.perf_counter() - t0,
        solver=answer.solver,
        greedy_objective=answer.greedy_objective,
        curve=pd.DataFrame(
            {"sites": np.arange(1, len(order) + 1), "elderly_added": values, "method": methods}
        ),
        curve_method=used.pop() if len(used) == 1 else ("mixed" if used else method),
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
        gap_tolerance=abs_gap_of(solver),
    )


def _set_cover_greedy(c: sparse.csr_matrix, count: np.ndarray) -> np.ndarray:
    """Greedy set cover: open the site covering the most still-uncovered rows (weighted by ``count``) until all
    rows are covered."""
    chosen, _ = greedy_sites(c, count.astype(float), sites=None, budget=None, cost=None)
    return chosen


def _solve_lscp(
    c: sparse.csr_matrix, g_chosen: np.ndarray, *, solver: Solver, time_limit_s: float | None
) -> tuple[np.ndarray, float, float, str, str]:
    """The set-cover MILP on the merged rows, warm-started with the greedy cover. Returns (chosen, number of sites,
    bound, status, solver name)."""
    if c.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), 0.0, 0.0, "optimal", solver.name
    n_cand = c.shape[1]
    model = MilpModel(
        sense="min",
        cost=np.ones(n_cand),
        col_lower=np.zeros(n_cand),
        col_upper=np.ones(n_cand),
        integer=np.ones(n_cand, dtype=bool),
        matrix=c.astype(float),
        row_lower=np.ones(c.shape[0]),
        row_upper=np.full(c.shape[0], np.inf),
    )
    start = np.zeros(n_cand)
    start[g_chosen] = 1.0
    limit = time_limit_s if time_limit_s is not None else getattr(solver, "time_limit_s", 60.0)
    sol = solver.solve(model, start=(np.arange(n_cand), start), time_limit_s=limit)
    own = sol.x is not None and bool(np.all(np.asarray(c @ (sol.x > 0.5)).reshape(-1) > 0))
    chosen = np.flatnonzero(sol.x > 0.5) if own and sol.x is not None else np.sort(g_chosen)
    if len(chosen) > len(g_chosen):
        chosen, own = np.sort(g_chosen), False
    obj, bound = float(len(chosen)), sol.bound
    if np.isfinite(bound):
        bound = min(math.ceil(bound - 1e-6), obj)
    return chosen, obj, bound, answer_status(sol.status, obj, bound, abs_gap_of(solver), own=own), sol.solver


def min_sites(
    cover: Any,
    *,
    required: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    covered: np.ndarray | None = None,
    solver: Solver | None = None,
    time_limit_s: float | None = None,
) -> ModelResult:
    """Minimum sites (set cover): the fewest candidates so that every required demand point is within reach.

    Parameters
    ----------
    cover : (demand x candidates) sparse coverage matrix.
    required : (demand,) bool, the points that must be covered (default all).
    weight : (demand,) elderly, used for the entry order and gains (default 1 per point).
    covered : (demand,) bool, already covered by existing facilities (need nothing).
    solver : as in :func:`max_coverage`.
    time_limit_s : time for the model (default: the solver's limit).

    Returns
    -------
    ModelResult
        ``objective`` is the number of sites; ``required_unreachable`` lists the required points that no
        candidate reaches (and no existing facility covers): they are left out of the model and must be reported.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    c_all = as_csr(cover)
    n = c_all.shape[0]
    req = np.ones(n, dtype=bool) if required is None else np.asarray(required, dtype=bool)
    w_all = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    done = np.zeros(n, dtype=bool) if covered is None else np.asarray(covered, dtype=bool)
    need = req & ~done
    reach = np.diff(c_all.indptr) > 0
    unreachable = np.flatnonzero(need & ~reach)
    rows = np.flatnonzero(need & reach)
    c, counts, _ = aggregate_rows(c_all[rows], np.ones(len(rows)))
    notes = Notes()
    notes.add(
        f"{len(rows)} required demand points not yet covered, merged into {c.shape[0]} groups",
        f"{len(rows)} 个须覆盖而尚未覆盖的需求点合并为 {c.shape[0]} 组",
    )
    if unreachable.size:
        notes.add(
            f"{unreachable.size} required demand points are reached by no candidate and no existing "
            "facility: left out and reported",
            f"{unreachable.size} 个须覆盖的需求点任何候选地块和现有设施都无法覆盖：不纳入模型，单独列出",
        )
    g_chosen = _set_cover_greedy(c, counts)
    chosen, obj, bound, status, name = _solve_lscp(c, g_chosen, solver=solver, time_limit_s=time_limit_s)
    # entry order by elderly newly covered over all (not only required) demand not yet covered
    order, gains = entry_order(c_all, np.where(done, 0.0, w_all), chosen)
    curve = pd.DataFrame(
        {"sites": np.arange(1, len(order) + 1), "elderly_added": np.cumsum(gains), "method": "order"}
    )
    return ModelResult(
        chosen=order,
        gains=gains,
        objective=obj,
        bound=float(bound),
        gap=relative_gap(obj, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver=name,
        greedy_objective=float(len(g_chosen)),
        curve=curve,
        curve_method="order",
        required_unreachable=unreachable,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
        gap_tolerance=abs_gap_of(solver),
    )
