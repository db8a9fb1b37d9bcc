"""Siting day-care centres and embedded nursing homes: which K new sites cover the most older residents.

Three models, all on a sparse coverage matrix (demand points x candidate sites, True where the walk from the site
to the point is within the threshold, from :func:`geo.reach.reach_matrix`):

- **maximal coverage** (MCLP, Church & ReVelle 1974): add ``sites`` new sites of one kind to the existing ones (which
  stay fixed) so that the elderly weight within the threshold is the largest; demand the existing facilities already
  cover is dropped from the model (it can gain nothing). A ``budget`` with site costs may replace or join ``sites``.
- **minimum sites** (LSCP, Toregas et al. 1971): the fewest sites so that every required demand point (those in
  urban communities, the policy's 100 %, or every point) is within the threshold. Required demand that no candidate
  and no existing facility reaches is reported and left out, never left to make the model silently infeasible.
- **capacitated coverage**: beds limit how many elderly each embedded home serves. A home of ``b`` beds serves
  ``b * 1000 / beds_per_1000_elderly`` elderly (default 40 beds per 1000 elderly, GB 50437-2007 (2018 rev.) 3.2.1,
  STANDARDS.md B, V1); existing homes' beds count; demand is assigned to homes within the threshold only, with
  assignment variables on the sparse pairs.

Each model is a MILP solved with HiGHS through highspy (the sparse model is passed as arrays; no modelling layer).
A greedy solution is the warm start and the fallback when the time limit is hit. Every result states the objective,
the bound, the gap ``|bound - objective| / max(|objective|, 1)``, the time and the solver status.

Before solving, demand points covered by exactly the same set of sites are merged (their weights add up); this is
exact and shrinks the model several-fold on real networks.

Marginal gains: sites are listed in the order a greedy pass over the chosen set adds them (each step the chosen site
that adds the most), with the elderly each adds. The coverage curve for 1..K sites is exact (one MILP per k) when
that is cheap (``curve="exact"``, the default for K <= 10 on small models) and otherwise the curve of that order
(``curve="order"``: what the first k of the optimal K sites cover, a lower bound of the best k-site coverage).
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from geo.errors import InfeasibleError, OptionError
from planning.coverage import MAX_MINUTES, json_records
from planning.i18n import Notes, kind_label, notes_in, tr

#: Walking minutes of the service circle the models use by default: the 15-minute elderly-care service circle
#: (15分钟养老服务圈) of 上饶 饶府办发〔2021〕13号 (七), 信州区 三年行动方案 (一), 浉河区 实施意见 (四)1 (STANDARDS.md A).
DEFAULT_SITING_MINUTES = 15
#: The citation of :data:`DEFAULT_SITING_MINUTES`, shown with the threshold.
SITING_MINUTES_CITATION = "上饶 饶府办发〔2021〕13号（七）；信州区 三年行动方案（一）；浉河区 实施意见（四）1"
#: Beds needed per 1000 elderly: GB 50437-2007 (2018 rev.) 3.2.1, >= 40 beds (养老院 + 老年养护院) per 1000 elderly
#: (STANDARDS.md B, V1). A home with b beds therefore serves b * 1000 / 40 = 25 b elderly in the capacitated model.
DEFAULT_BEDS_PER_1000_ELDERLY = 40.0
#: Generated candidates: street nodes where at least this many streets meet ...
GENERATED_MIN_DEGREE = 3
#: ... thinned so that no two are closer than this (straight line).
GENERATED_SPACING_M = 150.0
#: Beds assumed for a generated embedded-home candidate (a typical small embedded home; eldercircle's default).
DEFAULT_GENERATED_BEDS = 60.0
#: The objectives of :func:`siting_of_study`.
OBJECTIVES = ("coverage", "min-sites", "capacitated")
#: ``curve="auto"`` solves the exact curve (one MILP per k) when K is at most this ...
EXACT_CURVE_MAX_SITES = 10
#: ... and the coverage matrix has at most this many nonzeros.
EXACT_CURVE_MAX_NNZ = 2_000_000
#: Capacitated models order the chosen sites greedily by re-solving the assignment LP when K is at most this;
#: beyond it they are ordered by the elderly each serves in the optimal assignment.
GREEDY_ORDER_MAX_SITES = 15


# ================================================================================================================
# The solver interface: a sparse MILP as arrays, solved by HiGHS (or anything with the same ``solve``)
# ================================================================================================================


@dataclass(frozen=True, eq=False)
class MilpModel:
    """A mixed-integer linear programme ``opt cost @ x`` s.t. ``row_lower <= matrix @ x <= row_upper``,
    ``col_lower <= x <= col_upper``, ``x[integer]`` whole.

    Attributes
    ----------
    sense : ``"max"`` or ``"min"``.
    cost : (n,) objective coefficients.
    col_lower, col_upper : (n,) column bounds.
    integer : (n,) bool, True for integer columns.
    matrix : (m, n) sparse constraint matrix (CSR).
    row_lower, row_upper : (m,) row bounds (``-inf`` / ``inf`` for one-sided rows).
    """

    sense: str
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray

    @property
    def n_cols(self) -> int:
        """Number of columns (variables)."""
        return int(self.cost.shape[0])

    @property
    def n_rows(self) -> int:
        """Number of rows (constraints)."""
        return int(self.matrix.shape[0])


@dataclass(frozen=True, eq=False)
class MilpSolution:
    """What a solver returns.

    Attributes
    ----------
    x : (n,) column values of the best solution found, or None when there is none.
    objective : its objective value (NaN without a solution).
    bound : the best proven bound on the optimum (upper for ``max``, lower for ``min``; +-inf when none).
    status : ``"optimal"`` (proven), ``"gap_reached"`` (stopped within the requested relative gap),
        ``"time_limit"``, ``"infeasible"``, ``"interrupted"`` or the solver's own word.
    time_s : wall time of the solve.
    solver : name and version of the solver.
    """

    x: np.ndarray | None
    objective: float
    bound: float
    status: str
    time_s: float
    solver: str


class Solver(Protocol):
    """Anything that solves a :class:`MilpModel`; :class:`HighsSolver` is the default."""

    @property
    def name(self) -> str: ...

    def solve(
        self,
        model: MilpModel,
        *,
        start: tuple[np.ndarray, np.ndarray] | None = None,
        time_limit_s: float | None = None,
    ) -> MilpSolution:
        """Solve ``model``; ``start`` = (column indices, values) of a known feasible (possibly partial) solution."""
        ...


_HIGHS_STATUS = {
    "Optimal": "optimal",
    "Time limit reached": "time_limit",
    "Infeasible": "infeasible",
    "Interrupted by user": "interrupted",
    "Iteration limit reached": "iteration_limit",
    "Solution limit reached": "solution_limit",
    "Unbounded": "unbounded",
    "Primal infeasible or unbounded": "infeasible",
}


_HIGHS_GREETED = False


def _new_highs() -> Any:
    """A ``highspy.Highs``; the first one of the process is made with file descriptor 1 pointed at /dev/null, since
    HiGHS prints its version banner from C++ on first construction whatever ``output_flag`` says, and the banner
    would land in the middle of the command line's tables."""
    import highspy

    global _HIGHS_GREETED
    if _HIGHS_GREETED:
        return highspy.Highs()
    _HIGHS_GREETED = True
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass(frozen=True)
class HighsSolver:
    """HiGHS through highspy: the sparse model is passed as CSR arrays (``Highs.passModel``), a warm start with
    ``Highs.setSolution`` (HiGHS completes a partial start by solving for the continuous columns).

    Attributes
    ----------
    time_limit_s : wall-clock limit of one solve; the best solution found by then is returned with its gap.
    mip_rel_gap : stop when the relative gap is at most this (0: prove optimality).
    mip_abs_gap : stop when ``|bound - objective|`` is at most this (1e-6: whole persons and sites are exact).
    threads : HiGHS threads (None: HiGHS's default).
    verbose : print HiGHS's log.
    """

    time_limit_s: float = 60.0
    mip_rel_gap: float = 0.0
    mip_abs_gap: float = 1e-6
    threads: int | None = None
    verbose: bool = False

    @property
    def name(self) -> str:
        """``HiGHS <version> (highspy)``."""
        h = _new_highs()
        return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()} (highspy)"

    def solve(
        self,
        model: MilpModel,
        *,
        start: tuple[np.ndarray, np.ndarray] | None = None,
        time_limit_s: float | None = None,
    ) -> MilpSolution:
        """Solve ``model`` with HiGHS; see :class:`Solver`."""
        import highspy

        t0 = time.perf_counter()
        h = _new_highs()
        h.setOptionValue("output_flag", bool(self.verbose))
        limit = self.time_limit_s if time_limit_s is None else min(self.time_limit_s, time_limit_s)
        h.setOptionValue("time_limit", float(max(limit, 0.01)))
        h.setOptionValue("mip_rel_gap", float(self.mip_rel_gap))
        h.setOptionValue("mip_abs_gap", float(self.mip_abs_gap))
        if self.threads is not None:
            h.setOptionValue("threads", int(self.threads))
        a = model.matrix.tocsr()
        a.sort_indices()
        integrality = model.integer.astype(np.int32)
        sense = highspy.ObjSense.kMaximize if model.sense == "max" else highspy.ObjSense.kMinimize
        h.passModel(
            model.n_cols,
            model.n_rows,
            int(a.nnz),
            int(highspy.MatrixFormat.kRowwise),
            int(sense),
            0.0,
            model.cost.astype(float),
            model.col_lower.astype(float),
            model.col_upper.astype(float),
            model.row_lower.astype(float),
            model.row_upper.astype(float),
            a.indptr.astype(np.int32),
            a.indices.astype(np.int32),
            a.data.astype(float),
            integrality,
        )
        if start is not None and len(start[0]):
            h.setSolution(
                len(start[0]), np.asarray(start[0], dtype=np.int32), np.asarray(start[1], dtype=float)
            )
        h.run()
        status = _HIGHS_STATUS.get(
            h.modelStatusToString(h.getModelStatus()), h.modelStatusToString(h.getModelStatus()).lower()
        )
        info = h.getInfo()
        has_x = info.primal_solution_status == 2  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value, dtype=float) if has_x else None
        objective = float(info.objective_function_value) if has_x else float("nan")
        if model.integer.any():
            bound = float(info.mip_dual_bound)
        else:  # an LP solved to optimality is its own bound
            bound = objective if status == "optimal" else (math.inf if model.sense == "max" else -math.inf)
        if not np.isfinite(bound) or abs(bound) >= 1e30:
            bound = math.inf if model.sense == "max" else -math.inf
        if (
            status == "optimal"
            and model.integer.any()
            and has_x
            and abs(bound - objective) > self.mip_abs_gap + 1e-9 * max(1.0, abs(objective))
        ):
            status = "gap_reached"  # HiGHS stopped at mip_rel_gap: good enough, not proven optimal
        return MilpSolution(
            x=x,
            objective=objective,
            bound=bound,
            status=status,
            time_s=time.perf_counter() - t0,
            solver=self.name,
        )


def relative_gap(objective: float, bound: float) -> float:
    """``|bound - objective| / max(|objective|, 1)``: 0 when proven optimal, inf without a bound."""
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return math.inf
    return abs(bound - objective) / max(abs(objective), 1.0)


# ================================================================================================================
# Model results on arrays
# ================================================================================================================


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
    status : ``optimal``, ``time_limit`` (best found by then), ``greedy`` (the greedy fallback was better), ...
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


def _as_csr(cover: Any, n_rows: int | None = None) -> sparse.csr_matrix:
    """A boolean CSR copy of ``cover`` (any sparse matrix or dense array) with sorted indices and no zeros."""
    mat = sparse.csr_matrix(cover, dtype=bool) if not sparse.issparse(cover) else cover.tocsr().astype(bool)
    mat.eliminate_zeros()
    mat.sort_indices()
    if n_rows is not None and mat.shape[0] != n_rows:
        raise OptionError(
            f"the coverage matrix has {mat.shape[0]} rows but {n_rows} demand weights were given; "
            "give one weight per demand point"
        )
    return mat


def _check_sites_budget(
    sites: int | None, budget: float | None, cost: np.ndarray | None, n_cand: int
) -> tuple[int, float | None, np.ndarray]:
    """Check ``sites`` (K) and ``budget`` with their numbers; return K (n_cand when only a budget binds)."""
    if sites is None and budget is None:
        raise OptionError("give the number of sites to add (--add K) or a budget (--budget B)")
    if sites is not None:
        if isinstance(sites, bool) or not float(sites).is_integer():
            raise OptionError(f"the number of sites to add must be a whole number, not {sites!r}")
        k = int(sites)
        if k <= 0:
            raise OptionError(f"the number of sites to add is {k}; give a positive number such as --add 3")
        if k > n_cand:
            raise OptionError(
                f"cannot add {k} sites: there are only {n_cand} usable candidate sites; "
                f"give --add {n_cand} or fewer, or add candidates"
            )
    else:
        k = n_cand
    c = np.ones(n_cand) if cost is None else np.asarray(cost, dtype=float)
    if budget is not None:
        if cost is None:
            raise OptionError(
                "a budget needs the cost of each candidate site; fill in the candidates' cost column"
            )
        b = float(budget)
        if not np.isfinite(b) or b <= 0:
            raise OptionError(
                f"the budget is {budget!r}; give a positive amount in the same unit as the cost column"
            )
        if np.any(~np.isfinite(c)) or np.any(c < 0):
            bad = int(np.flatnonzero(~np.isfinite(c) | (c < 0))[0])
            raise OptionError(
                f"candidate {bad} has cost {c[bad]!r}; every cost must be a number >= 0 for a budget"
            )
        if n_cand and b < float(c.min()):
            raise OptionError(
                f"the budget {b:,.6g} is below the cheapest candidate site's cost {float(c.min()):,.6g}; "
                "raise the budget or add cheaper candidates"
            )
        return k, b, c
    return k, None, c


def _aggregate_rows(
    cover: sparse.csr_matrix, weight: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Merge rows with exactly the same set of columns.

    Returns (unique rows as CSR, summed weight per unique row, the unique row of every input row). Rows are keyed
    by two random 64-bit hashes of their column sets and their length, then every row is checked against its
    group's first row, so the merge is exact (a hash collision falls back to exact tuples).
    """
    n, m = cover.shape
    if n == 0:
        return cover, weight.astype(float), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(20240605)
    r1 = rng.integers(1, 2**63 - 1, size=m, dtype=np.int64).view(np.uint64)
    r2 = rng.integers(1, 2**63 - 1, size=m, dtype=np.int64).view(np.uint64)
    nnz = np.diff(cover.indptr)
    with np.errstate(over="ignore"):
        h1 = _segment_sum_u64(r1[cover.indices], cover.indptr)
        h2 = _segment_sum_u64(r2[cover.indices] * np.uint64(0x9E3779B97F4A7C15), cover.indptr)
    keys = np.stack([h1.view(np.int64), h2.view(np.int64), nnz.astype(np.int64)], axis=1)
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    rep = first[group]
    same = cover[rep]
    same.sort_indices()
    if not np.array_equal(same.indices, cover.indices):  # a hash collision: exact grouping by tuples
        seen: dict[tuple[int, ...], int] = {}
        group = np.empty(n, dtype=np.int64)
        first_list: list[int] = []
        for i in range(n):
            key = tuple(cover.indices[cover.indptr[i] : cover.indptr[i + 1]])
            if key not in seen:
                seen[key] = len(first_list)
                first_list.append(i)
            group[i] = seen[key]
        first = np.asarray(first_list, dtype=np.int64)
    agg = cover[first]
    agg.sort_indices()
    w = np.bincount(group, weights=np.asarray(weight, dtype=float), minlength=len(first))
    return agg, w, group


def _segment_sum_u64(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of ``values`` (uint64, wrapping) over each CSR row segment."""
    csum = np.concatenate([np.zeros(1, dtype=np.uint64), np.cumsum(values, dtype=np.uint64)])
    return csum[indptr[1:]] - csum[indptr[:-1]]


def greedy_max_coverage(
    cover: Any,
    weight: np.ndarray,
    *,
    sites: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    covered: np.ndarray | None = None,
    columns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy maximal coverage: each step opens the site adding the most uncovered weight (per unit cost with a
    budget), until ``sites`` are open, the budget is spent or nothing more can be gained.

    Parameters
    ----------
    cover : (demand x candidates) sparse coverage matrix.
    weight : (demand,) elderly per demand point.
    sites : at most this many sites.
    budget, cost : optional budget and cost per candidate (then the step picks the best gain per cost among the
        affordable sites, and the best single affordable site is returned instead when it covers more, which keeps
        the classic 1/2 (1 - 1/e) guarantee).
    covered : (demand,) bool, already covered (gain nothing).
    columns : restrict the choice to these candidate columns.

    Returns
    -------
    (chosen, gains) : candidate columns in the order they were opened and the weight each added.
    """
    c = _as_csr(cover)
    w = np.asarray(weight, dtype=float).copy()
    if covered is not None:
        w[np.asarray(covered, dtype=bool)] = 0.0
    return _greedy(c, w, sites=sites, budget=budget, cost=cost, columns=columns)


def _greedy(
    c: sparse.csr_matrix,
    w: np.ndarray,
    *,
    sites: int | None,
    budget: float | None,
    cost: np.ndarray | None,
    columns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    n_cand = c.shape[1]
    ct = c.T.tocsr()
    gain = np.asarray(ct @ w, dtype=float).reshape(-1)
    allowed = np.zeros(n_cand, dtype=bool)
    allowed[np.arange(n_cand) if columns is None else np.asarray(columns, dtype=np.int64)] = True
    done = np.zeros(c.shape[0], dtype=bool)
    costs = np.ones(n_cand) if cost is None else np.asarray(cost, dtype=float)
    left = math.inf if budget is None else float(budget)
    limit = n_cand if sites is None else int(sites)
    chosen: list[int] = []
    gains: list[float] = []
    tol = 1e-9 * max(1.0, float(w.sum()))
    while len(chosen) < limit:
        ok = allowed & (costs <= left + 1e-12)
        if not ok.any():
            break
        if budget is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.where(
                    costs > 0, gain / np.where(costs > 0, costs, 1.0), np.where(gain > tol, np.inf, 0)
                )
        else:
            score = gain
        score = np.where(ok, score, -np.inf)
        j = int(np.argmax(score))
        if gain[j] <= tol:
            break
        rows = ct.indices[ct.indptr[j] : ct.indptr[j + 1]]
        new = rows[~done[rows]]
        done[new] = True
        sub = c[new]
        gain -= np.bincount(sub.indices, weights=np.repeat(w[new], np.diff(sub.indptr)), minlength=n_cand)
        chosen.append(j)
        gains.append(float(w[new].sum()))
        allowed[j] = False
        left -= costs[j]
    if budget is not None and chosen:  # the best single affordable site may beat the ratio greedy
        base = np.asarray(ct @ w, dtype=float).reshape(-1)
        ok = np.zeros(n_cand, dtype=bool)
        ok[np.arange(n_cand) if columns is None else np.asarray(columns, dtype=np.int64)] = True
        ok &= costs <= float(budget) + 1e-12
        single = int(np.argmax(np.where(ok, base, -np.inf)))
        if base[single] > sum(gains) + tol:
            return np.array([single], dtype=np.int64), np.array([float(base[single])])
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains, dtype=float)


def _covered_weight(c: sparse.csr_matrix, w: np.ndarray, columns: np.ndarray) -> float:
    """Weight of rows covered by at least one of ``columns``."""
    if len(columns) == 0:
        return 0.0
    hit = np.asarray(c[:, np.asarray(columns, dtype=np.int64)].sum(axis=1)).reshape(-1) > 0
    return float(w[hit].sum())


def _entry_order(c: sparse.csr_matrix, w: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order ``chosen`` greedily (each step the one adding the most) and return (order, gains); sites that add
    nothing come last with gain 0."""
    order, gains = _greedy(c, w, sites=len(chosen), budget=None, cost=None, columns=chosen)
    rest = np.array([j for j in chosen if j not in set(order.tolist())], dtype=np.int64)
    return np.concatenate([order, rest]), np.concatenate([gains, np.zeros(len(rest))])


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


def _swap_search(
    c: sparse.csr_matrix,
    ct: sparse.csr_matrix,
    cc: sparse.csc_matrix,
    w: np.ndarray,
    chosen: np.ndarray,
    *,
    max_rounds: int = 200,
) -> tuple[np.ndarray, float]:
    """Improve a K-site solution by single swaps (Teitz & Bart interchange), best swap first, until none helps.

    All swap values are computed at once per round: for candidate k and chosen site j, the change is
    ``gain(k) + cross(k, j) - loss(j)``, where ``loss(j)`` is the weight only j covers, ``gain(k)`` the uncovered
    weight k covers and ``cross(k, j)`` the weight k covers among what only j covers (one sparse product).
    """
    sel = [int(j) for j in chosen]
    n_cand = c.shape[1]
    for _ in range(max_rounds):
        if not sel or len(sel) >= n_cand:
            break
        cnt = np.asarray(cc[:, sel].sum(axis=1)).reshape(-1)
        gain = ct @ np.where(cnt == 0, w, 0.0)
        only = np.flatnonzero(cnt == 1)
        owner = (
            np.asarray(cc[only][:, sel].argmax(axis=1)).reshape(-1) if only.size else np.zeros(0, np.int64)
        )
        loss = np.bincount(owner, weights=w[only], minlength=len(sel))
        cross = (ct @ sparse.csr_matrix((w[only], (only, owner)), shape=(c.shape[0], len(sel)))).toarray()
        delta = gain[:, None] + cross - loss[None, :]
        delta[sel, :] = -np.inf
        k, j = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if not delta[k, j] > 1e-9 * max(1.0, float(w.sum())):
            break
        sel[j] = int(k)
    out = np.asarray(sorted(sel), dtype=np.int64)
    return out, _covered_weight(c, w, out)


@dataclass(frozen=True, eq=False)
class _Lagrange:
    bound: float
    fix_out: np.ndarray  # candidates no solution better than the incumbent can contain
    incumbent: np.ndarray
    value: float
    iterations: int


def _lagrangian_mclp(
    c: sparse.csr_matrix,
    w: np.ndarray,
    sites: int,
    chosen: np.ndarray,
    value: float,
    *,
    deadline: float,
    max_iter: int = 400,
) -> _Lagrange:
    """Lagrangian bound of the MCLP and reduced-cost fixing (Galvao & ReVelle 1996 style).

    Relaxing ``y_r <= sum_j a_rj x_j`` with multipliers ``0 <= lam_r <= w_r`` gives
    ``L(lam) = sum_r (w_r - lam_r) + (sum of the K largest c_j)``, ``c_j = sum_{r covered by j} lam_r``, an upper
    bound for every ``lam``. Forcing site j in gives ``L_j = L - c_(K) + c_j`` for j outside the K largest, so when
    ``L_j <= incumbent`` no solution containing j beats the incumbent and j is left out of the MILP (exact: the
    answer is the better of the incumbent and the reduced MILP's optimum). The multipliers come from projected
    subgradient steps (Polyak step towards the incumbent, halved after 10 steps without progress); every 20 steps
    the top-K sites are improved by swaps and may replace the incumbent.
    """
    ct = c.T.tocsr()
    cc = c.tocsc()
    lam = 0.5 * w
    best_bound, best_lam = math.inf, lam
    theta, stall, it = 1.0, 0, 0
    tol = 1e-9 * max(1.0, float(w.sum()))
    inc, inc_val = chosen, value
    for it in range(1, max_iter + 1):
        cj = ct @ lam
        top = np.argpartition(-cj, sites - 1)[:sites]
        bound = float((w - lam).sum() + cj[top].sum())
        if bound < best_bound - tol:
            best_bound, best_lam, stall = bound, lam.copy(), 0
        else:
            stall += 1
            if stall >= 10:
                theta, stall = theta / 2.0, 0
        if it % 20 == 1:
            cand, val = _swap_search(c, ct, cc, w, top)
            if val > inc_val + tol:
                inc, inc_val = cand, val
        if best_bound - inc_val <= tol or time.perf_counter() > deadline or theta < 1e-4:
            break
        sub = np.asarray(cc[:, top].sum(axis=1)).reshape(-1) - 1.0  # dL/dlam
        sub[(lam <= 0) & (sub > 0)] = 0.0
        sub[(lam >= w) & (sub < 0)] = 0.0
        norm = float(sub @ sub)
        if norm == 0:
            break
        lam = np.clip(lam - (theta * (bound - inc_val) / norm) * sub, 0.0, w)
    cj = ct @ best_lam
    order = np.sort(cj)[::-1]
    kth = order[sites - 1]
    base = float((w - best_lam).sum() + order[:sites].sum())
    forced = np.where(cj >= kth, base, base - kth + cj)
    fix_out = forced <= inc_val + tol
    fix_out[inc] = False
    return _Lagrange(
        bound=min(base, best_bound), fix_out=fix_out, incumbent=inc, value=inc_val, iterations=it
    )


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
) -> tuple[np.ndarray, float, float, str, float, str, tuple[str, str] | None]:
    """One MCLP on the merged arrays.

    Without a budget: greedy, swap search, Lagrangian bound and fixing (see :func:`_lagrangian_mclp`), then the
    MILP on the candidates left, warm-started with the incumbent. With a budget: greedy, then the full MILP.
    Returns (chosen columns, objective, bound, status, greedy objective, solver name, note as (en, zh) or None).
    """
    t0 = time.perf_counter()
    limit = 60.0 if time_limit_s is None else float(time_limit_s)
    g_chosen, g_gains = _greedy(c, w, sites=sites, budget=budget, cost=cost)
    g_obj = float(g_gains.sum())
    n_cand = c.shape[1]
    if n_cand == 0 or c.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), 0.0, 0.0, "optimal", 0.0, solver.name, None
    if budget is None and sites >= n_cand:  # every candidate fits: open all that add something
        useful = np.flatnonzero(np.diff(c.tocsc().indptr) > 0)
        return useful, float(w.sum()), float(w.sum()), "optimal", g_obj, solver.name, None
    inc, inc_val = np.sort(g_chosen), g_obj
    keep = np.arange(n_cand)
    lag_bound = math.inf
    note: tuple[str, str] | None = None
    if reduce and budget is None and len(g_chosen) == sites:
        inc, inc_val = _swap_search(c, c.T.tocsr(), c.tocsc(), w, g_chosen)
        lag = _lagrangian_mclp(c, w, sites, inc, inc_val, deadline=t0 + 0.3 * limit)
        inc, inc_val, lag_bound = lag.incumbent, lag.value, lag.bound
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
    sub = c[:, keep].tocsr()
    rows = np.flatnonzero(np.diff(sub.indptr) > 0)
    sub, w_sub = sub[rows], w[rows]
    pos = np.full(n_cand, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    if len(keep) <= sites and budget is None:
        chosen_sub = np.flatnonzero(np.diff(sub.tocsc().indptr) > 0)
        sol_obj, sol_bound, status, name = (
            _covered_weight(sub, w_sub, chosen_sub),
            None,
            "optimal",
            solver.name,
        )
        sol_bound = sol_obj
    else:
        model = _mclp_model(sub, w_sub, sites=sites, budget=budget, cost=cost[keep])
        start_x = np.zeros(len(keep))
        start_x[pos[inc][pos[inc] >= 0]] = 1.0
        sol = solver.solve(
            model,
            start=(np.arange(len(keep)), start_x),
            time_limit_s=max(limit - (time.perf_counter() - t0), 0.01),
        )
        status, name, sol_bound = sol.status, sol.solver, sol.bound
        if sol.x is not None:
            chosen_sub = np.flatnonzero(sol.x[: len(keep)] > 0.5)
            sol_obj = _covered_weight(
                sub, w_sub, chosen_sub
            )  # recomputed from the sites, not from the y values
        else:
            chosen_sub, sol_obj = np.zeros(0, dtype=np.int64), -math.inf
    if sol_obj >= inc_val - 1e-9 * max(1.0, inc_val):
        chosen, obj = keep[chosen_sub], sol_obj
    else:
        chosen, obj = inc, inc_val
        if status != "optimal":
            status = "greedy"
    # every solution is either in the reduced model (<= its bound) or no better than the incumbent
    bound = max(sol_bound, inc_val) if np.isfinite(sol_bound) else math.inf
    bound = min(bound, lag_bound)
    if np.isfinite(bound):
        bound = max(bound, obj)
    return np.sort(chosen), obj, bound, status, g_obj, name, note


def max_coverage(
    cover: Any,
    weight: np.ndarray,
    *,
    sites: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    covered: np.ndarray | None = None,
    solver: Solver | None = None,
    time_limit_s: float | None = None,
    curve: str = "auto",
    reduce: bool = True,
) -> ModelResult:
    """Maximal coverage: the ``sites`` candidates (or those within ``budget``) that add the most weight.

    Parameters
    ----------
    cover : (demand x candidates) sparse matrix, nonzero where the candidate reaches the point within the threshold.
    weight : (demand,) elderly per point (>= 0).
    sites : number of sites to add (K); may be None when ``budget`` is given.
    budget, cost : optional budget and cost per candidate (same unit).
    covered : (demand,) bool, demand the existing facilities already cover (dropped from the model).
    solver : a :class:`Solver` (default :class:`HighsSolver`).
    time_limit_s : total time for the model including the curve (default: the solver's limit).
    curve : ``"exact"`` (one MILP per k = 1..K), ``"order"`` (the entry order's curve) or ``"auto"``.
    reduce : before the MILP, improve the greedy solution by swaps and leave out the candidates that the
        Lagrangian bound proves cannot beat it (exact; without a budget only). False passes the whole model.

    Returns
    -------
    ModelResult
        ``objective`` is the elderly added over the existing facilities.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    w_all = np.asarray(weight, dtype=float)
    c_all = _as_csr(cover, len(w_all))
    n_cand = c_all.shape[1]
    k, b, costs = _check_sites_budget(sites, budget, cost, n_cand)
    if curve not in ("auto", "exact", "order"):
        raise OptionError(f"curve {curve!r} is not one of auto, exact, order")
    total_limit = time_limit_s if time_limit_s is not None else getattr(solver, "time_limit_s", 60.0)
    deadline = t0 + total_limit
    active = (w_all > 0) & (np.diff(c_all.indptr) > 0)
    if covered is not None:
        active &= ~np.asarray(covered, dtype=bool)
    c, w, _ = _aggregate_rows(c_all[np.flatnonzero(active)], w_all[active])
    notes = Notes()
    notes.add(
        f"{int(active.sum())} demand points that a candidate can reach and no existing facility covers, merged "
        f"into {c.shape[0]} groups covered by the same sites",
        f"{int(active.sum())} 个候选地块可覆盖、现有设施未覆盖的需求点按覆盖它们的地块相同合并为 {c.shape[0]} 组",
    )
    chosen, obj, bound, status, g_obj, name, note = _solve_mclp(
        c,
        w,
        sites=k,
        budget=b,
        cost=costs,
        solver=solver,
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
        reduce=reduce,
    )
    if note:
        notes.add(*note)
    order, gains = _entry_order(c, w, chosen)
    method = curve
    if curve == "auto":
        method = (
            "exact"
            if (b is None and len(order) <= EXACT_CURVE_MAX_SITES and c.nnz <= EXACT_CURVE_MAX_NNZ)
            else "order"
        )
    if b is not None and method == "exact":
        method = "order"
        notes.add(
            "with a budget the curve is the entry order's (the exact curve is defined for counts of sites)",
            "有预算约束时覆盖曲线按加入顺序计算（逐个求最优的曲线只对站点数量有定义）",
        )
    values = np.cumsum(gains)
    methods = ["order"] * len(order)
    if method == "exact" and len(order):
        for kk in range(1, len(order)):
            left = deadline - time.perf_counter()
            if left <= 0:
                notes.add(
                    f"time ran out for the exact curve after {kk - 1} sites: the rest is the entry order's",
                    f"逐个求最优的覆盖曲线在 {kk - 1} 处站点后超时：其余部分按加入顺序计算",
                )
                break
            _, v, _, st, _, _, _ = _solve_mclp(
                c,
                w,
                sites=kk,
                budget=None,
                cost=np.ones(n_cand),
                solver=solver,
                time_limit_s=left,
                reduce=reduce,
            )
            if st == "optimal":
                values[kk - 1] = v
                methods[kk - 1] = "exact"
        if status == "optimal":
            methods[-1] = "exact"
    curve_frame = pd.DataFrame(
        {"sites": np.arange(1, len(order) + 1), "elderly_added": values, "method": methods}
    )
    used = set(methods)
    curve_method = used.pop() if len(used) == 1 else ("mixed" if used else method)
    return ModelResult(
        chosen=order,
        gains=gains,
        objective=obj,
        bound=bound,
        gap=relative_gap(obj, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver=name,
        greedy_objective=g_obj,
        curve=curve_frame,
        curve_method=curve_method,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
    )


def _set_cover_greedy(c: sparse.csr_matrix, count: np.ndarray) -> np.ndarray:
    """Greedy set cover: open the site covering the most still-uncovered rows (weighted by ``count``) until all
    rows are covered."""
    chosen, _ = _greedy(c, count.astype(float), sites=None, budget=None, cost=None)
    return chosen


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
    solver, time_limit_s : as in :func:`max_coverage`.

    Returns
    -------
    ModelResult
        ``objective`` is the number of sites; ``required_unreachable`` lists the required points that no
        candidate reaches (and no existing facility covers): they are left out of the model and must be reported.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    c_all = _as_csr(cover)
    n = c_all.shape[0]
    n_cand = c_all.shape[1]
    req = np.ones(n, dtype=bool) if required is None else np.asarray(required, dtype=bool)
    w_all = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    done = np.zeros(n, dtype=bool) if covered is None else np.asarray(covered, dtype=bool)
    need = req & ~done
    reach = np.diff(c_all.indptr) > 0
    unreachable = np.flatnonzero(need & ~reach)
    rows = np.flatnonzero(need & reach)
    c, counts, _ = _aggregate_rows(c_all[rows], np.ones(len(rows)))
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
    g_obj = float(len(g_chosen))
    if c.shape[0] == 0:
        chosen, obj, bound, status, name = np.zeros(0, dtype=np.int64), 0.0, 0.0, "optimal", solver.name
    else:
        block = c.astype(float)
        model = MilpModel(
            sense="min",
            cost=np.ones(n_cand),
            col_lower=np.zeros(n_cand),
            col_upper=np.ones(n_cand),
            integer=np.ones(n_cand, dtype=bool),
            matrix=block,
            row_lower=np.ones(c.shape[0]),
            row_upper=np.full(c.shape[0], np.inf),
        )
        start = np.zeros(n_cand)
        start[g_chosen] = 1.0
        limit = time_limit_s if time_limit_s is not None else getattr(solver, "time_limit_s", 60.0)
        sol = solver.solve(model, start=(np.arange(n_cand), start), time_limit_s=limit)
        name, status, bound = sol.solver, sol.status, sol.bound
        if sol.x is not None and np.all(np.asarray(c @ (sol.x > 0.5)).reshape(-1) > 0):
            chosen = np.flatnonzero(sol.x > 0.5)
        else:
            chosen = np.sort(g_chosen)
            status = "greedy" if status != "optimal" else status
        if len(chosen) > len(g_chosen):
            chosen, status = np.sort(g_chosen), "greedy"
        obj = float(len(chosen))
        if np.isfinite(bound):
            bound = min(math.ceil(bound - 1e-6), obj)
    # entry order by elderly newly covered over all (not only required) demand not yet covered
    w_order = np.where(done, 0.0, w_all)
    order, gains = _entry_order(c_all, w_order, chosen)
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
        greedy_objective=g_obj,
        curve=curve,
        curve_method="order",
        required_unreachable=unreachable,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
    )


# ---------------------------------------------------------------------------------------------------------------
# capacitated coverage
# ---------------------------------------------------------------------------------------------------------------


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


def capacitated_coverage(
    cover: Any,
    weight: np.ndarray,
    capacity: np.ndarray,
    *,
    existing: np.ndarray | None = None,
    sites: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    solver: Solver | None = None,
    time_limit_s: float | None = None,
) -> ModelResult:
    """Capacitated coverage: open sites so that the most elderly are served, each site serving at most its
    capacity and only demand within reach.

    Parameters
    ----------
    cover : (demand x sites) sparse coverage matrix over existing and candidate sites together.
    weight : (demand,) elderly per point.
    capacity : (sites,) elderly each site can serve (beds * 1000 / beds per 1000 elderly).
    existing : (sites,) bool, existing homes (always open; they are not counted in ``sites`` or the budget).
    sites, budget, cost : at most ``sites`` new sites and/or total cost (of the new sites) within ``budget``.
    solver, time_limit_s : as in :func:`max_coverage`.

    Returns
    -------
    ModelResult
        ``chosen`` are site columns (never existing ones); ``objective`` is the elderly served beyond what the
        existing homes serve alone; ``served``/``served_before`` per demand point.
    """
    t0 = time.perf_counter()
    solver = solver or HighsSolver()
    w_all = np.asarray(weight, dtype=float)
    c_all = _as_csr(cover, len(w_all))
    n_sites = c_all.shape[1]
    cap = np.asarray(capacity, dtype=float)
    if cap.shape != (n_sites,) or np.any(~np.isfinite(cap)) or np.any(cap < 0):
        raise OptionError(f"capacity must be one number >= 0 per site ({n_sites} sites)")
    fixed = np.zeros(n_sites, dtype=bool) if existing is None else np.asarray(existing, dtype=bool)
    new_cols = np.flatnonzero(~fixed)
    cost_full = np.zeros(n_sites) if cost is None else np.asarray(cost, dtype=float)
    k, b, _ = _check_sites_budget(sites, budget, None if cost is None else cost_full[new_cols], len(new_cols))
    limit = time_limit_s if time_limit_s is not None else getattr(solver, "time_limit_s", 60.0)
    deadline = t0 + limit
    active = (w_all > 0) & (np.diff(c_all.indptr) > 0)
    rows_idx = np.flatnonzero(active)
    c, w, group = _aggregate_rows(c_all[rows_idx], w_all[active])
    notes = Notes()
    notes.add(
        f"{len(rows_idx)} demand points within reach of a home merged into {c.shape[0]} groups",
        f"{len(rows_idx)} 个在养老院服务范围内的需求点合并为 {c.shape[0]} 组",
    )
    before, before_rows = _served_by(c, w, cap, fixed, solver)
    # greedy heuristic: residual demand after the existing homes; each step opens the site with the most
    # min(capacity, residual demand in reach) (per cost with a budget) and serves that share of its reach
    resid = w - before_rows
    ct = c.T.tocsr()
    opened: list[int] = []
    spent = 0.0
    is_new = ~fixed
    while len(opened) < k:
        reach_sum = np.asarray(ct @ resid).reshape(-1)
        score = np.minimum(cap, reach_sum)
        ok = is_new.copy()
        ok[opened] = False
        if b is not None:
            ok &= cost_full <= b - spent + 1e-12
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.where(
                    cost_full > 0,
                    score / np.where(cost_full > 0, cost_full, 1.0),
                    np.where(score > 0, np.inf, 0.0),
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
        spent += cost_full[j]
    g_open = fixed.copy()
    g_open[opened] = True
    g_total, _ = _served_by(c, w, cap, g_open, solver)
    g_obj = g_total - before
    model, _ = _flow_model(c, w, cap, fixed, sites=k if sites is not None else None, budget=b, cost=cost_full)
    start_idx = np.arange(n_sites)
    sol = solver.solve(
        model, start=(start_idx, g_open.astype(float)), time_limit_s=max(deadline - time.perf_counter(), 0.01)
    )
    status, name = sol.status, sol.solver
    if sol.x is not None:
        open_mask = (sol.x[:n_sites] > 0.5) | fixed
        total = float(sol.x[n_sites:].sum())
    else:
        open_mask, total = g_open, -math.inf
    if total < g_total - 1e-9 * max(1.0, g_total):
        open_mask, total = g_open, g_total
        status = "greedy" if status != "optimal" else status
    obj = total - before
    bound = sol.bound - before if np.isfinite(sol.bound) else math.inf
    if np.isfinite(bound):
        bound = max(bound, obj)
    chosen = np.flatnonzero(open_mask & ~fixed)
    # entry order and curve
    if len(chosen) <= GREEDY_ORDER_MAX_SITES:
        order: list[int] = []
        gains: list[float] = []
        current = fixed.copy()
        value = before
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
        order_arr, gains_arr = np.asarray(order, dtype=np.int64), np.asarray(gains)
        notes.add(
            "sites ordered greedily by re-solving the assignment for each",
            "站点顺序：每一步重新求解老年人分配，依次加入新增服务老人最多的站点",
        )
    else:
        served_site = _site_loads(c, w, cap, open_mask, solver)
        order_arr = chosen[np.argsort(-served_site[chosen], kind="stable")]
        gains_list = []
        value = before
        current = fixed.copy()
        for j in order_arr:
            current[j] = True
            v, _ = _served_by(c, w, cap, current, solver)
            gains_list.append(v - value)
            value = v
        gains_arr = np.asarray(gains_list)
        notes.add(
            f"more than {GREEDY_ORDER_MAX_SITES} sites: ordered by the elderly each serves in the optimum",
            f"站点超过 {GREEDY_ORDER_MAX_SITES} 处：按最优解中各站点服务的老年人数排序",
        )
    _, final_rows = _served_by(c, w, cap, open_mask, solver)
    served = np.zeros(len(w_all))
    served_before = np.zeros(len(w_all))
    # spread each group's served elderly over its member points in proportion to their weight
    share_after = np.divide(final_rows, w, out=np.zeros_like(w), where=w > 0)
    share_before = np.divide(before_rows, w, out=np.zeros_like(w), where=w > 0)
    served[rows_idx] = w_all[rows_idx] * share_after[group]
    served_before[rows_idx] = w_all[rows_idx] * share_before[group]
    curve = pd.DataFrame(
        {"sites": np.arange(1, len(order_arr) + 1), "elderly_added": np.cumsum(gains_arr), "method": "order"}
    )
    return ModelResult(
        chosen=order_arr,
        gains=gains_arr,
        objective=obj,
        bound=bound,
        gap=relative_gap(obj, bound),
        status=status,
        time_s=time.perf_counter() - t0,
        solver=name,
        greedy_objective=g_obj,
        curve=curve,
        curve_method="order",
        served=served,
        served_before=served_before,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
    )


def _site_loads(
    c: sparse.csr_matrix, w: np.ndarray, cap: np.ndarray, open_mask: np.ndarray, solver: Solver
) -> np.ndarray:
    """Elderly each open site serves in one optimal assignment."""
    sites, _, sub, z = _assignment(c, w, cap, open_mask, solver)
    loads = np.zeros(c.shape[1])
    if z is not None:
        loads[sites] = np.bincount(sub.indices, weights=z, minlength=len(sites))
    return loads


# ================================================================================================================
# Siting on a study
# ================================================================================================================


@dataclass(frozen=True, eq=False)
class SitingResult:
    """Where to put the next facilities of one kind, and what each adds.

    Attributes
    ----------
    kind : the facility kind sited.
    objective : ``coverage``, ``min-sites`` or ``capacitated``.
    minutes : the walking threshold (minutes).
    walk_speed_m_s : the walking speed of the network.
    sites : the chosen sites in entry order (GeoDataFrame, study CRS): ``order`` (1..), ``candidate`` (row of the
        candidates layer, or the street node of a generated candidate), ``name``, ``generated``, ``gain_elderly``
        (what the site adds when it enters), ``cumulative_elderly`` (elderly covered, existing facilities included,
        after it enters), ``cost``, ``beds``, ``capacity_elderly`` (capacitated only).
    elderly_total : elderly of all demand points.
    covered_before, covered_after : elderly covered (capacitated: served) by the existing facilities alone, and with
        the chosen sites.
    communities : per community: ``name``, ``street``, ``kind``, ``elderly``, ``covered_before``, ``covered_after``,
        ``gain``, ``share_before``, ``share_after``.
    streets : the same per street.
    curve : ``sites`` (1..K), ``elderly_added``, ``elderly_covered``, ``share``, ``method`` (``exact`` = the best
        k sites, solved; ``order`` = the first k of the chosen sites in entry order).
    curve_method : ``exact``, ``order`` or ``mixed``.
    objective_value : the model's objective: elderly added (coverage, capacitated) or the number of sites (min-sites).
    bound : the proven bound on it; ``gap`` = ``|bound - objective_value| / max(|objective_value|, 1)``.
    gap : see ``bound``.
    status : ``optimal``, ``time_limit`` (best found when time ran out), ``greedy`` (the greedy fallback), ...
    solver : solver name and version.
    greedy_value : the greedy solution's objective (the warm start), for comparison.
    time_s : wall time of the whole siting run; ``solve_time_s`` of the model alone (greedy, MILP, curve).
    solve_time_s : see ``time_s``.
    unreachable : demand that no candidate and no existing facility reaches, per community: ``community``,
        ``street``, ``kind``, ``points``, ``elderly``, ``required`` (counted by min-sites), ``reason``.
    excluded : candidates left out, with the reason: ``candidate``, ``name``, ``reason``.
    candidates : every usable candidate (study CRS): ``candidate``, ``name``, ``generated``, ``reach_elderly``
        (uncovered elderly within the threshold), ``chosen``, ``order``.
    generated : True when the candidates were generated from street nodes (no candidate layer for the kind).
    notes : sentences on what was assumed, merged, reported.
    notes_zh : the same sentences in Chinese, one per note (see :meth:`notes_in`).
    """

    kind: str
    objective: str
    minutes: float
    walk_speed_m_s: float
    sites: gpd.GeoDataFrame
    elderly_total: float
    covered_before: float
    covered_after: float
    communities: pd.DataFrame
    streets: pd.DataFrame
    curve: pd.DataFrame
    curve_method: str
    objective_value: float
    bound: float
    gap: float
    status: str
    solver: str
    greedy_value: float
    time_s: float
    solve_time_s: float
    unreachable: pd.DataFrame
    excluded: pd.DataFrame
    candidates: gpd.GeoDataFrame
    generated: bool
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in ``lang`` (``zh`` or ``en``); English stands in for a note without a Chinese version."""
        return notes_in(self.notes, self.notes_zh, lang)


def check_objective(objective: str) -> str:
    """Canonical objective name (``min_sites`` is accepted for ``min-sites``), or :class:`OptionError`."""
    key = str(objective).strip().lower().replace("_", "-")
    aliases = {
        "mclp": "coverage",
        "max-coverage": "coverage",
        "lscp": "min-sites",
        "min-sites": "min-sites",
        "capacity": "capacitated",
    }
    key = aliases.get(key, key)
    if key not in OBJECTIVES:
        raise OptionError(f"objective {objective!r} is not one of {', '.join(OBJECTIVES)}")
    return key


def _check_minutes(minutes: float) -> float:
    try:
        m = float(minutes)
    except (TypeError, ValueError):
        raise OptionError(
            f"minutes {minutes!r} is not a number; give the walking threshold, e.g. 15"
        ) from None
    if not (np.isfinite(m) and m > 0):
        raise OptionError(f"minutes {minutes!r} must be positive, e.g. 15 for the 15-minute service circle")
    if m > MAX_MINUTES:
        raise OptionError(
            f"minutes {m:g} is more than {MAX_MINUTES}, the longest walk this tool computes; give "
            "the walking threshold in minutes, e.g. 15 for the 15-minute service circle"
        )
    return m


def _kinds_contain(kinds: pd.Series, kind: str) -> np.ndarray:
    """Whether each candidate's comma list of kinds holds ``kind``; a blank list allows every kind (as the loader
    and the standards checks read it)."""
    return np.array(
        [
            kind in [k.strip() for k in v.split(",")] if isinstance(v, str) and v.strip() else True
            for v in kinds.to_numpy(object)
        ],
        dtype=bool,
    )


def _screen_reasons(
    screen: Callable[[gpd.GeoDataFrame], pd.Series] | None, frame: gpd.GeoDataFrame
) -> np.ndarray:
    """Reasons from the screening hook (None/NaN/'' pass), as an object array aligned with ``frame``."""
    out = np.full(len(frame), None, dtype=object)
    if screen is None or len(frame) == 0:
        return out
    reasons = screen(frame)
    values = (
        pd.Series(reasons).reindex(frame.index)
        if isinstance(reasons, pd.Series)
        else pd.Series(list(reasons), index=frame.index)
    )
    for i, v in enumerate(values.to_numpy(object)):
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip():
            out[i] = str(v)
    return out


def generate_candidates(
    network: Any,
    demand_snap: Any,
    uncovered: np.ndarray,
    *,
    limit_s: float,
    min_degree: int = GENERATED_MIN_DEGREE,
    spacing_m: float = GENERATED_SPACING_M,
) -> tuple[np.ndarray, np.ndarray]:
    """Street nodes where a new facility could go: nodes where at least ``min_degree`` segments meet, within
    ``limit_s`` of some uncovered demand point, thinned so no two are closer than ``spacing_m``.

    Thinning keeps, per square cell of ``spacing_m``, the node nearest the cell's centre (vectorised), then drops
    nodes closer than ``spacing_m`` to one kept before (in order of degree, then position; a loop over the few
    hundred cell winners only).

    Returns
    -------
    (node ids, (k, 2) coordinates) of the generated candidates.
    """
    from scipy.spatial import cKDTree

    from geo.travel import node_times_from_sources

    n = network.n_nodes
    u, v = np.asarray(network.edge_u), np.asarray(network.edge_v)
    proper = u != v
    degree = np.bincount(np.concatenate([u[proper], v[proper]]), minlength=n)
    if not np.any(uncovered):
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    times, _ = node_times_from_sources(
        network, demand_snap.subset(np.flatnonzero(uncovered)), limit_s=limit_s
    )
    ok = np.flatnonzero((degree >= min_degree) & np.isfinite(times))
    if ok.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    xy = network.node_xy[ok]
    cell = np.floor(xy / spacing_m).astype(np.int64)
    centre = (cell + 0.5) * spacing_m
    dist = np.hypot(*(xy - centre).T)
    order = np.lexsort((dist, cell[:, 1], cell[:, 0]))
    c_sorted = cell[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = np.any(c_sorted[1:] != c_sorted[:-1], axis=1)
    winners = ok[order[first]]
    w_xy = network.node_xy[winners]
    pri = np.lexsort((w_xy[:, 1], w_xy[:, 0], -degree[winners]))
    winners, w_xy = winners[pri], w_xy[pri]
    tree = cKDTree(w_xy)
    dropped = np.zeros(winners.size, dtype=bool)
    for i in range(winners.size):
        if dropped[i]:
            continue
        near = np.asarray(tree.query_ball_point(w_xy[i], r=spacing_m - 1e-9), dtype=np.int64)
        dropped[near[near > i]] = True
    keep = ~dropped
    sel = np.sort(np.flatnonzero(keep))
    return winners[sel], w_xy[sel]


def siting_of_study(
    study: Any,
    network: Any,
    *,
    kind: str,
    add: int | None = None,
    objective: str = "coverage",
    budget: float | None = None,
    minutes: float = DEFAULT_SITING_MINUTES,
    scope: str = "urban",
    beds_per_1000_elderly: float = DEFAULT_BEDS_PER_1000_ELDERLY,
    generate: bool | None = None,
    screen: Callable[[gpd.GeoDataFrame], pd.Series] | None = None,
    solver: Solver | None = None,
    time_limit_s: float | None = None,
    curve: str = "auto",
    max_distance_m: float = 300.0,
    progress: Callable[[float, str], None] | None = None,
) -> SitingResult:
    """Choose new sites of one facility kind for the study.

    Parameters
    ----------
    study : the loaded :class:`~planning.study.Study`.
    network : its :class:`~geo.network.WalkNetwork` (study CRS; its walking speed is used).
    kind : facility kind to site (e.g. ``day_care``, ``embedded_home``).
    add : number of sites to add (K). Needed for ``coverage``/``capacitated`` unless ``budget`` is given; for
        ``min-sites`` it is only compared with the answer (a note says when more are needed).
    objective : ``coverage`` (maximal coverage), ``min-sites`` (fewest sites covering all required demand) or
        ``capacitated`` (beds limit the elderly served).
    budget : total cost allowed (the candidates' ``cost`` column), instead of or with ``add``.
    minutes : walking threshold (default 15).
    scope : ``urban`` (min-sites must cover every demand point in urban communities: the policy's 100 %) or ``all``.
    beds_per_1000_elderly : capacitated only: beds needed per 1000 elderly (default 40, GB 50437 3.2.1); a home with
        b beds serves ``b * 1000 / beds_per_1000_elderly`` elderly.
    generate : use generated street-node candidates: None (only when the layer has none for ``kind``), True (add
        them to the layer's), False (never).
    screen : optional screening of candidate sites: called with the candidates (GeoDataFrame), returns a reason per
        row (None, NaN or '' where the site passes); sites with a reason are excluded and listed.
    solver : a :class:`Solver` (default :class:`HighsSolver`, limit ``time_limit_s``).
    time_limit_s : time for the model (default 60 s).
    curve : ``auto``, ``exact`` or ``order`` (see the module doc).
    max_distance_m : points and sites farther than this from every street are not placed on the network.
    progress : optional callback ``(fraction, message)``.

    Raises
    ------
    OptionError
        For a bad kind, objective, K, budget or minutes (with the numbers).
    InfeasibleError
        When no elderly are counted, or no candidate site is usable (with the reasons).
    """
    from geo.service_area import reach_matrix, reach_pattern
    from geo.travel import Snap, snap_points
    from planning.coverage import demand_points_notes
    from planning.schema import FACILITY_KINDS

    t0 = time.perf_counter()
    step = progress or (lambda f, m: None)
    objective = check_objective(objective)
    if kind not in FACILITY_KINDS:
        raise OptionError(f"unknown facility kind {kind!r}; choose from {', '.join(FACILITY_KINDS)}")
    mins = _check_minutes(minutes)
    if scope not in ("urban", "all"):
        raise OptionError(f"scope {scope!r} is not one of urban, all")
    if objective != "min-sites" and add is None and budget is None:
        raise OptionError(f"the {objective} objective needs the number of sites to add (--add K) or a budget")
    if add is not None and (isinstance(add, bool) or not float(add).is_integer() or int(add) <= 0):
        raise OptionError(
            f"the number of sites to add is {add!r}; give a positive whole number such as --add 3"
        )
    if objective == "capacitated":
        bpk = float(beds_per_1000_elderly)
        if not (np.isfinite(bpk) and bpk > 0):
            raise OptionError(
                f"beds per 1000 elderly is {beds_per_1000_elderly!r}; give a positive number such as "
                f"{DEFAULT_BEDS_PER_1000_ELDERLY:g} (GB 50437 3.2.1)"
            )
    limit_s = mins * 60.0
    folder = getattr(study, "folder", "the study")
    step(0.0, "placing demand on the network")
    demand, notes = demand_points_notes(study)
    kind_zh = kind_label(kind, "zh")
    notes.add(
        f"walking threshold {mins:g} min; the policy target is the {DEFAULT_SITING_MINUTES}-minute elderly-care "
        f"service circle ({SITING_MINUTES_CITATION})",
        f"步行时间阈值 {mins:g} 分钟；政策目标为{DEFAULT_SITING_MINUTES}分钟养老服务圈（{SITING_MINUTES_CITATION}）",
    )
    w = demand["elderly"].to_numpy(float)
    comm = study.communities
    if not np.any(w > 0):
        raise InfeasibleError(
            f"the communities layer of {folder} counts 0 elderly in all {len(comm)} communities "
            f"({len(demand)} demand points), so there is nothing to cover; fill in the elderly "
            "column (老年人口)"
        )
    dxy = shapely.get_coordinates(demand.geometry.to_numpy())
    dsnap = snap_points(network, dxy, max_distance_m=max_distance_m)
    # existing facilities of the kind
    fac = study.facilities
    existing = fac[fac["kind"] == kind]
    exy = shapely.get_coordinates(existing.geometry.to_numpy()).reshape(-1, 2)
    esnap = snap_points(network, exy, max_distance_m=max_distance_m)
    if esnap.far.any():
        far_names = list(map(str, existing["name"].to_numpy(object)[esnap.far][:5]))
        notes.add(
            f"{int(esnap.far.sum())} existing {kind} facilities are farther than {max_distance_m:g} m from "
            "every walkable street and cover no one: " + ", ".join(far_names),
            f"{int(esnap.far.sum())} 处现有{kind_zh}距最近的可步行道路超过 {max_distance_m:g} 米，不覆盖任何老年人："
            + "、".join(far_names),
        )
    step(0.1, "walking times of the existing facilities")
    e_reach = reach_pattern(reach_matrix(network, esnap, dsnap, limit_s=limit_s)).T.tocsr()
    covered_before_pts = np.diff(e_reach.indptr) > 0
    # candidates
    step(0.2, "candidate sites")
    cands, excluded, generated, cnotes = _candidate_sites(
        study,
        network,
        kind=kind,
        objective=objective,
        budget=budget,
        generate=generate,
        screen=screen,
        dsnap=dsnap,
        uncovered=(~covered_before_pts) & (w > 0),
        limit_s=limit_s,
        max_distance_m=max_distance_m,
    )
    notes.extend(cnotes.en, cnotes.zh)
    csnap = Snap(
        edge=cands["_edge"].to_numpy(np.int64),
        along_m=cands["_along"].to_numpy(float),
        offset_m=cands["_offset"].to_numpy(float),
        far=np.zeros(len(cands), dtype=bool),
    )
    step(0.35, f"walking times of {len(cands)} candidate sites")
    c_reach = reach_pattern(reach_matrix(network, csnap, dsnap, limit_s=limit_s)).T.tocsr()
    nc = len(cands)
    if add is not None and objective != "min-sites" and int(add) > nc:
        raise OptionError(
            f"cannot add {int(add)} sites of {kind}: only {nc} candidate sites are usable"
            + (f" ({len(excluded)} more were excluded: see the excluded list)" if len(excluded) else "")
            + f"; give --add {nc} or fewer, or add candidates"
        )
    cost = cands["cost"].to_numpy(float) if budget is not None else None
    uncovered_w = np.where(covered_before_pts, 0.0, w)
    cands["reach_elderly"] = np.asarray(c_reach.T @ uncovered_w).reshape(-1)
    active_solver = solver or HighsSolver(time_limit_s=60.0 if time_limit_s is None else float(time_limit_s))
    step(0.5, f"solving {objective}")
    required = np.zeros(len(w), dtype=bool)
    if objective == "coverage":
        res = max_coverage(
            c_reach,
            w,
            sites=add,
            budget=budget,
            cost=cost,
            covered=covered_before_pts,
            solver=active_solver,
            time_limit_s=time_limit_s,
            curve=curve,
        )
    elif objective == "min-sites":
        owner = demand["community"].to_numpy()
        ckind = comm["kind"].to_numpy(object)
        in_urban = (owner >= 0) & (ckind[np.maximum(owner, 0)] == "urban")
        required = (w > 0) & (in_urban if scope == "urban" else np.ones(len(w), dtype=bool))
        if not required.any():
            raise InfeasibleError(
                f"{folder}: no elderly live in "
                + ("urban communities" if scope == "urban" else "any community")
                + "; use scope all, or mark the communities' kind (城市社区/行政村)"
            )
        res = min_sites(
            c_reach,
            required=required,
            weight=w,
            covered=covered_before_pts,
            solver=active_solver,
            time_limit_s=time_limit_s,
        )
        if add is not None and res.objective > int(add):
            notes.add(
                f"covering every required demand point needs {res.objective:.0f} sites, more than the "
                f"{int(add)} asked for",
                f"覆盖全部须覆盖的需求点需要 {res.objective:.0f} 处站点，多于设定的 {int(add)} 处",
            )
    else:
        beds_c = cands["beds"].to_numpy(float)
        beds_e = existing["beds"].to_numpy(float) if "beds" in existing else np.full(len(existing), np.nan)
        no_beds = ~np.isfinite(beds_e)
        if no_beds.any():
            nb_names = list(map(str, existing["name"].to_numpy(object)[no_beds][:5]))
            notes.add(
                f"{int(no_beds.sum())} existing {kind} facilities have no beds and serve no one in the "
                "capacitated model: " + ", ".join(nb_names),
                f"{int(no_beds.sum())} 处现有{kind_zh}没有床位数，在按床位容量覆盖模型中不服务任何老年人："
                + "、".join(nb_names),
            )
        beds_e = np.where(np.isfinite(beds_e), beds_e, 0.0)
        per_bed = 1000.0 / float(beds_per_1000_elderly)
        capacity = np.concatenate([beds_c, beds_e]) * per_bed
        cover_all = sparse.hstack([c_reach, e_reach], format="csr")
        fixed = np.concatenate([np.zeros(nc, dtype=bool), np.ones(len(existing), dtype=bool)])
        cost_all = None if cost is None else np.concatenate([cost, np.zeros(len(existing))])
        res = capacitated_coverage(
            cover_all,
            w,
            capacity,
            existing=fixed,
            sites=add,
            budget=budget,
            cost=cost_all,
            solver=active_solver,
            time_limit_s=time_limit_s,
        )
        assert res.served is not None and res.served_before is not None
        before_w_pts, after_w_pts = res.served_before, res.served
        cands["capacity_elderly"] = beds_c * per_bed
        notes.add(
            f"capacity: {float(beds_per_1000_elderly):g} beds per 1000 elderly (GB 50437-2007 (2018 rev.) "
            f"3.2.1 asks >= {DEFAULT_BEDS_PER_1000_ELDERLY:g}), so one bed serves {per_bed:g} elderly",
            f"床位容量：每千名老年人 {float(beds_per_1000_elderly):g} 张床位（GB 50437-2007（2018年版）3.2.1 "
            f"要求不少于 {DEFAULT_BEDS_PER_1000_ELDERLY:g} 张），即每张床位服务 {per_bed:g} 名老年人",
        )
    chosen = res.chosen
    if objective != "capacitated":  # covered = within the threshold of an existing or a chosen site
        after_pts = covered_before_pts | (np.asarray(c_reach[:, chosen].sum(axis=1)).reshape(-1) > 0)
        before_w_pts = np.where(covered_before_pts, w, 0.0)
        after_w_pts = np.where(after_pts, w, 0.0)
    notes.extend(res.notes, res.notes_zh)
    step(0.9, "summarising")
    before_total, after_total = float(before_w_pts.sum()), float(after_w_pts.sum())
    total = float(w.sum())
    # chosen sites in entry order
    cum = before_total + np.cumsum(res.gains)
    sites = cands.iloc[chosen].copy()
    sites.insert(0, "order", np.arange(1, len(chosen) + 1))
    sites["gain_elderly"] = res.gains
    sites["cumulative_elderly"] = cum
    sites["share_after"] = cum / total
    keep_cols = [
        "order",
        "candidate",
        "name",
        "generated",
        "gain_elderly",
        "cumulative_elderly",
        "share_after",
        "reach_elderly",
        "cost",
        "beds",
    ] + (["capacity_elderly"] if objective == "capacitated" else [])
    sites = gpd.GeoDataFrame(
        sites[[*keep_cols, "geometry"]].reset_index(drop=True), geometry="geometry", crs=study.crs
    )
    cands["chosen"] = False
    cands.iloc[chosen, cands.columns.get_loc("chosen")] = True
    order_col = np.full(nc, np.nan)
    order_col[chosen] = np.arange(1, len(chosen) + 1)
    cands["order"] = order_col
    cand_out = gpd.GeoDataFrame(
        cands[[c for c in cands.columns if not c.startswith("_")]].reset_index(drop=True),
        geometry="geometry",
        crs=study.crs,
    )
    curve_frame = res.curve.copy()
    curve_frame["elderly_covered"] = before_total + curve_frame["elderly_added"].to_numpy(float)
    curve_frame["share"] = curve_frame["elderly_covered"] / total
    curve_frame = curve_frame[["sites", "elderly_added", "elderly_covered", "share", "method"]]
    per_comm, per_street = _before_after(comm, demand, before_w_pts, after_w_pts)
    reach_any = covered_before_pts | (np.diff(c_reach.indptr) > 0)
    unreachable = _unreachable(
        comm, demand, dsnap, reach_any, required, max_distance_m=max_distance_m, minutes=mins, kind=kind
    )
    if len(unreachable):
        notes.add(
            f"{unreachable['elderly'].sum():,.0f} elderly in {int(unreachable['points'].sum())} demand "
            f"points are within {mins:g} min of no candidate and no existing {kind}: listed as unreachable",
            f"{int(unreachable['points'].sum())} 个需求点的 {unreachable['elderly'].sum():,.0f} 名老年人步行 "
            f"{mins:g} 分钟内既无候选地块也无现有{kind_zh}：列为无法覆盖",
        )
    return SitingResult(
        kind=kind,
        objective=objective,
        minutes=mins,
        walk_speed_m_s=float(network.walk_speed_m_s),
        sites=sites,
        elderly_total=total,
        covered_before=before_total,
        covered_after=after_total,
        communities=per_comm,
        streets=per_street,
        curve=curve_frame,
        curve_method=res.curve_method,
        objective_value=float(res.objective),
        bound=float(res.bound),
        gap=float(res.gap),
        status=res.status,
        solver=res.solver,
        greedy_value=float(res.greedy_objective),
        time_s=time.perf_counter() - t0,
        solve_time_s=res.time_s,
        unreachable=unreachable,
        excluded=excluded,
        candidates=cand_out,
        generated=generated,
        notes=tuple(notes.en),
        notes_zh=tuple(notes.zh),
    )


def _candidate_sites(
    study: Any,
    network: Any,
    *,
    kind: str,
    objective: str,
    budget: float | None,
    generate: bool | None,
    screen: Callable[[gpd.GeoDataFrame], pd.Series] | None,
    dsnap: Any,
    uncovered: np.ndarray,
    limit_s: float,
    max_distance_m: float,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, bool, Notes]:
    """The usable candidate sites of ``kind`` (with their snap) and the excluded ones with reasons (``reason`` in
    English, ``reason_zh`` in Chinese)."""
    from geo.travel import snap_points

    notes = Notes()
    kind_zh = kind_label(kind, "zh")
    layer = study.candidates
    folder = getattr(study, "folder", "the study")
    frames = []
    n_layer = 0 if layer is None else len(layer)
    if layer is not None and len(layer):
        mask = _kinds_contain(layer["kinds"], kind) if "kinds" in layer else np.ones(len(layer), dtype=bool)
        sub = layer[mask]
        rows = sub["_row"].to_numpy() if "_row" in sub else sub.index.to_numpy()
        frames.append(
            gpd.GeoDataFrame(
                {
                    "candidate": rows,
                    "name": sub["name"].to_numpy(object),
                    "generated": False,
                    "cost": sub["cost"].to_numpy(float) if "cost" in sub else np.nan,
                    "beds": sub["beds"].to_numpy(float) if "beds" in sub else np.nan,
                },
                geometry=sub.geometry.to_numpy(),
                crs=study.crs,
            )
        )
        if not mask.all():
            notes.add(
                f"{int(mask.sum())} of {len(layer)} candidate sites may host {kind} (their kinds column)",
                f"按候选地块图层的适用类型列，{len(layer)} 个候选地块中有 {int(mask.sum())} 个可建{kind_zh}",
            )
    n_from_layer = len(frames[0]) if frames else 0
    use_generated = (n_from_layer == 0) if generate is None else bool(generate)
    generated = False
    if use_generated:
        nodes, xy = generate_candidates(network, dsnap, uncovered, limit_s=limit_s)
        if len(nodes):
            generated = True
            frames.append(
                gpd.GeoDataFrame(
                    {
                        "candidate": nodes,
                        "name": [f"street node {int(i)} (generated)" for i in nodes],
                        "generated": True,
                        "cost": np.nan,
                        "beds": DEFAULT_GENERATED_BEDS if objective == "capacitated" else np.nan,
                    },
                    geometry=shapely.points(xy),
                    crs=study.crs,
                )
            )
            notes.add(
                f"{len(nodes)} candidate sites GENERATED from street nodes where >= {GENERATED_MIN_DEGREE} "
                f"streets meet, within {limit_s / 60:g} min of uncovered elderly, >= {GENERATED_SPACING_M:g} m "
                "apart: they are places to look at, not vetted sites"
                + (
                    f"; each assumed to hold {DEFAULT_GENERATED_BEDS:g} beds"
                    if objective == "capacitated"
                    else ""
                ),
                f"由路网节点自动生成 {len(nodes)} 个候选点（{GENERATED_MIN_DEGREE} 条及以上道路交汇、步行 "
                f"{limit_s / 60:g} 分钟内有未覆盖老年人、相互间距不小于 {GENERATED_SPACING_M:g} 米）："
                "仅供实地踏勘参考，并非已核实的候选地块"
                + (f"；每处按 {DEFAULT_GENERATED_BEDS:g} 张床位计" if objective == "capacitated" else ""),
            )
    if not frames or sum(len(f) for f in frames) == 0:
        if n_layer and n_from_layer == 0:
            present = (
                sorted({k.strip() for v in layer["kinds"].dropna() for k in str(v).split(",")})
                if "kinds" in layer
                else []
            )
            msg = (
                f"none of the {n_layer} candidate sites of {folder} may host {kind} (kinds present: "
                f"{', '.join(present) or 'none'})"
            )
        else:
            msg = f"{folder} has no candidates layer"
        if generate is False:
            raise InfeasibleError(
                msg + f"; add candidate sites whose kinds include {kind}, or allow generated candidates"
            )
        if not np.any(uncovered):
            raise InfeasibleError(
                msg + f", and every elderly person is already within {limit_s / 60:g} min of a "
                f"{kind} (or out of reach of the network): there is nothing to site"
            )
        raise InfeasibleError(
            msg + f", and no street node where {GENERATED_MIN_DEGREE} or more streets meet lies "
            f"within {limit_s / 60:g} min of the uncovered elderly; add candidate sites"
        )
    cands = pd.concat(frames, ignore_index=True)
    cands = gpd.GeoDataFrame(cands, geometry="geometry", crs=study.crs)
    reasons = _screen_reasons(screen, cands)
    reasons_zh = reasons.copy()  # a screen's own reasons are in the language it was built for
    if screen is None:
        notes.add(
            "no site screening applied (distance from expressways, size): candidates are used as given",
            "未进行候选地块筛选（与快速路的距离、用地规模）：候选地块按原样使用",
        )
    snap = snap_points(
        network,
        shapely.get_coordinates(cands.geometry.to_numpy()).reshape(-1, 2),
        max_distance_m=max_distance_m,
    )
    for i in np.flatnonzero(snap.far):
        if reasons[i] is None:
            reasons[i] = (
                f"{snap.offset_m[i]:,.0f} m from the nearest walkable street (more than "
                f"{max_distance_m:g} m): outside the network"
            )
            reasons_zh[i] = (
                f"距最近的可步行道路 {snap.offset_m[i]:,.0f} 米（超过 {max_distance_m:g} 米）：不在步行网络上"
            )
    if budget is not None:
        for i in np.flatnonzero(~np.isfinite(cands["cost"].to_numpy(float))):
            if reasons[i] is None:
                reasons[i] = "no cost given (a budget needs the cost of every site)"
                reasons_zh[i] = "未填写成本（有预算约束时每个地块都需要成本）"
    if objective == "capacitated":
        beds = cands["beds"].to_numpy(float)
        for i in np.flatnonzero(~(np.isfinite(beds) & (beds > 0))):
            if reasons[i] is None:
                reasons[i] = "no beds given (the capacitated model needs the beds of every site)"
                reasons_zh[i] = "未填写床位数（按床位容量覆盖模型需要每个地块的床位数）"
    bad = np.array([r is not None for r in reasons], dtype=bool)
    excluded = pd.DataFrame(
        {
            "candidate": cands["candidate"].to_numpy()[bad],
            "name": cands["name"].to_numpy()[bad],
            "generated": cands["generated"].to_numpy()[bad],
            "reason": reasons[bad],
            "reason_zh": reasons_zh[bad],
        },
        columns=["candidate", "name", "generated", "reason", "reason_zh"],
    )
    if bad.all():
        counts = (
            excluded["reason"]
            .map(lambda r: r.split(" (")[0] if "outside the network" not in r else "outside the network")
            .value_counts()
        )
        raise InfeasibleError(
            f"all {len(cands)} candidate sites for {kind} were excluded ("
            + "; ".join(f"{n}: {r}" for r, n in counts.items())
            + f"); fix or add candidate sites within {max_distance_m:g} m of a walkable street"
        )
    if bad.any():
        notes.add(
            f"{int(bad.sum())} of {len(cands)} candidate sites excluded (see the excluded list)",
            f"{len(cands)} 个候选地块中有 {int(bad.sum())} 个被排除（见被排除的候选点列表）",
        )
    keep = ~bad
    out = cands[keep].copy()
    out["_edge"] = snap.edge[keep]
    out["_along"] = snap.along_m[keep]
    out["_offset"] = snap.offset_m[keep]
    return out.reset_index(drop=True), excluded, generated, notes


def _before_after(
    comm: pd.DataFrame, demand: pd.DataFrame, before: np.ndarray, after: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Elderly covered before/after per community and per street."""
    owner = demand["community"].to_numpy()
    inside = owner >= 0
    w = demand["elderly"].to_numpy(float)
    n = len(comm)
    per = pd.DataFrame(
        {
            "name": comm["name"].to_numpy(object),
            "street": comm["street"].to_numpy(object),
            "kind": comm["kind"].to_numpy(object) if "kind" in comm else "urban",
            "elderly": np.bincount(owner[inside], weights=w[inside], minlength=n),
            "covered_before": np.bincount(owner[inside], weights=before[inside], minlength=n),
            "covered_after": np.bincount(owner[inside], weights=after[inside], minlength=n),
        }
    )
    _add_gain_shares(per)
    st = per.assign(street=per["street"].fillna("(no street)"))
    streets = (
        st.groupby("street", sort=True)
        .agg(
            communities=("name", "size"),
            elderly=("elderly", "sum"),
            covered_before=("covered_before", "sum"),
            covered_after=("covered_after", "sum"),
        )
        .reset_index()
    )
    _add_gain_shares(streets)
    return per, streets


def _add_gain_shares(frame: pd.DataFrame) -> None:
    """Add ``gain``, ``share_before`` and ``share_after`` (NaN where no elderly) to a before/after frame."""
    frame["gain"] = frame["covered_after"] - frame["covered_before"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for when in ("before", "after"):
            frame[f"share_{when}"] = np.where(
                frame["elderly"] > 0, frame[f"covered_{when}"] / frame["elderly"], np.nan
            )


def _unreachable(
    comm: pd.DataFrame,
    demand: pd.DataFrame,
    dsnap: Any,
    reach_any: np.ndarray,
    required: np.ndarray,
    *,
    max_distance_m: float,
    minutes: float,
    kind: str,
) -> pd.DataFrame:
    """Demand (elderly > 0) reached by no candidate and no existing facility, per community and reason."""
    w = demand["elderly"].to_numpy(float)
    lost = (w > 0) & ~reach_any
    cols = ["community", "street", "kind", "points", "elderly", "required", "reason", "reason_zh"]
    if not lost.any():
        return pd.DataFrame(columns=cols)
    owner = demand["community"].to_numpy()
    names = np.where(
        owner >= 0, comm["name"].to_numpy(object)[np.maximum(owner, 0)], "(outside every community)"
    )
    streets = np.where(owner >= 0, comm["street"].to_numpy(object)[np.maximum(owner, 0)], None)
    kinds = np.where(
        owner >= 0,
        (comm["kind"].to_numpy(object) if "kind" in comm else np.full(len(comm), "urban", dtype=object))[
            np.maximum(owner, 0)
        ],
        None,
    )
    reason = np.where(
        dsnap.far,
        f"farther than {max_distance_m:g} m from every walkable street",
        f"no candidate site and no existing {kind} within {minutes:g} min",
    )
    reason_zh = np.where(
        dsnap.far,
        f"距任何可步行道路都超过 {max_distance_m:g} 米",
        f"步行 {minutes:g} 分钟内既无候选地块也无现有{kind_label(kind, 'zh')}",
    )
    frame = pd.DataFrame(
        {
            "community": names,
            "street": streets,
            "kind": kinds,
            "elderly": w,
            "required": required,
            "reason": reason,
            "reason_zh": reason_zh,
        }
    )[lost]
    frame["street"] = frame["street"].fillna("(no street)")
    frame["kind"] = frame["kind"].fillna("")
    out = (
        frame.groupby(["community", "street", "kind", "reason", "reason_zh"], sort=False)
        .agg(points=("elderly", "size"), elderly=("elderly", "sum"), required=("required", "sum"))
        .reset_index()
    )
    out["required"] = out["required"].astype(int)
    return out[cols].sort_values("elderly", ascending=False).reset_index(drop=True)


# ================================================================================================================
# Output: JSON and text for the command line
# ================================================================================================================


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def siting_json(result: SitingResult) -> dict[str, Any]:
    """JSON-ready siting result; units in key names, site coordinates as WGS84 ``lon``/``lat`` and study-CRS
    ``x_m``/``y_m``."""
    sites = json_records(result.sites)
    if len(result.sites):
        xy = shapely.get_coordinates(result.sites.geometry.to_numpy())
        ll = shapely.get_coordinates(result.sites.to_crs(4326).geometry.to_numpy())
        for rec, (x, y), (lon, lat) in zip(sites, xy, ll, strict=False):
            rec.update(
                {"x_m": float(x), "y_m": float(y), "lon": round(float(lon), 7), "lat": round(float(lat), 7)}
            )
    return {
        "kind": result.kind,
        "objective": result.objective,
        "minutes": result.minutes,
        "walk_speed_m_s": result.walk_speed_m_s,
        "sites": sites,
        "elderly_total": result.elderly_total,
        "elderly_covered_before": result.covered_before,
        "elderly_covered_after": result.covered_after,
        "share_before": result.covered_before / result.elderly_total if result.elderly_total else None,
        "share_after": result.covered_after / result.elderly_total if result.elderly_total else None,
        "objective_value": result.objective_value,
        "objective_unit": "sites" if result.objective == "min-sites" else "elderly",
        "bound": _finite(result.bound),
        "gap": _finite(result.gap),
        "status": result.status,
        "solver": result.solver,
        "greedy_value": result.greedy_value,
        "time_s": result.time_s,
        "solve_time_s": result.solve_time_s,
        "curve": json_records(result.curve),
        "curve_method": result.curve_method,
        "communities": json_records(result.communities),
        "streets": json_records(result.streets),
        "unreachable": json_records(result.unreachable),
        "excluded_candidates": json_records(result.excluded),
        "generated_candidates": result.generated,
        "notes": list(result.notes),
        "notes_zh": result.notes_in("zh"),
    }


def _pad(text: Any, width: int, *, right: bool = False) -> str:
    """``text`` cut and padded to ``width`` terminal columns (Chinese characters count two)."""
    from planning.standards import text_width as _width

    t = str(text)
    while _width(t) > width:
        t = t[:-1]
    fill = " " * (width - _width(t))
    return fill + t if right else t + fill


#: Solver statuses in Chinese (``optimal`` is said by the summary itself).
_STATUS_ZH = {
    "optimal": "最优",
    "gap_reached": "达到设定的最优性差距",
    "time_limit": "达到时间上限",
    "greedy": "采用贪心解",
    "infeasible": "无可行解",
    "interrupted": "已中断",
    "iteration_limit": "达到迭代上限",
    "solution_limit": "达到解数量上限",
    "unbounded": "无界",
}
_GENERATED_NAME = re.compile(r"^street node (\d+) \(generated\)$")


def status_label_zh(status: str) -> str:
    """A solver status in Chinese (the status itself when unknown)."""
    return _STATUS_ZH.get(str(status), str(status))


def _site_name(name: Any, lang: str) -> str:
    """A site's name for display: generated candidates' names in ``lang``."""
    text = str(name)
    if lang == "zh":
        m = _GENERATED_NAME.match(text)
        if m:
            return f"路网节点 {m.group(1)}（自动生成）"
    return text


def _place(text: Any, lang: str) -> str:
    """Community/street placeholders in ``lang``."""
    t = str(text)
    if lang == "zh":
        return {"(no street)": "（无街道）", "(outside every community)": "（不在任何社区/村内）"}.get(t, t)
    return t


def siting_summary(result: SitingResult, *, lang: str = "en") -> str:
    """One line a person can read, in ``lang`` (``en`` or ``zh``)."""
    total = result.elderly_total or 1.0
    if lang == "zh":
        gap = "未知" if not np.isfinite(result.gap) else f"{result.gap * 100:.2f} %"
        proof = (
            tr("siting_optimal", "zh")
            if result.status == "optimal"
            else tr("siting_gap", "zh").format(status=status_label_zh(result.status), gap=gap)
        )
        kind = kind_label(result.kind, "zh") + ("（自动生成的候选点）" if result.generated else "")
        what = (
            tr("siting_served", "zh")
            if result.objective == "capacitated"
            else tr("siting_within", "zh").format(m=f"{result.minutes:g}")
        )
        return tr("siting_summary", "zh").format(
            objective=tr(f"objective_{result.objective}", "zh"),
            n=len(result.sites),
            kind=kind,
            what=what,
            before=result.covered_before,
            after=result.covered_after,
            total=result.elderly_total,
            pb=result.covered_before / total * 100,
            pa=result.covered_after / total * 100,
            proof=proof,
            s=result.time_s,
        )
    what = "served" if result.objective == "capacitated" else f"within {result.minutes:g} min"
    head = f"{result.objective}: {len(result.sites)} new {result.kind} site(s)" + (
        " (generated candidates)" if result.generated else ""
    )
    if result.status == "optimal":
        proof = "optimal (gap 0)"
    else:
        gap = "unknown" if not np.isfinite(result.gap) else f"{result.gap * 100:.2f} %"
        proof = f"{result.status}, gap {gap}"
    return (
        f"{head}; elderly {what}: {result.covered_before:,.0f} -> {result.covered_after:,.0f} of {total:,.0f} "
        f"({result.covered_before / total * 100:.1f} % -> {result.covered_after / total * 100:.1f} %); "
        f"{proof}; {result.time_s:.1f} s"
    )


def siting_table(result: SitingResult, *, lang: str = "en", max_rows: int = 30) -> str:
    """The chosen sites, the curve and the before/after per street as plain text (``lang`` ``en`` or ``zh``)."""
    zh = lang == "zh"
    lines = [siting_summary(result, lang="zh" if zh else "en")]
    if zh:
        unit = "处站点" if result.objective == "min-sites" else "名新增覆盖老人"
        lines.append(
            f"求解器: {result.solver}；目标值 {result.objective_value:,.6g}（{unit}），最优界 "
            f"{result.bound:,.6g}，贪心解 {result.greedy_value:,.6g}，模型用时 {result.solve_time_s:.2f} 秒"
        )
    else:
        unit = "sites" if result.objective == "min-sites" else "elderly added"
        lines.append(
            f"solver: {result.solver}; objective {result.objective_value:,.6g} "
            f"({unit}), bound {result.bound:,.6g}, greedy {result.greedy_value:,.6g}, model "
            f"{result.solve_time_s:.2f} s"
        )
    if len(result.sites):
        head = (
            ("顺序", "候选地块", "新增覆盖老人", "累计覆盖", "累计比例")
            if zh
            else ("order", "site", "gain (elderly)", "cumulative", "share")
        )
        lines.append(
            _pad(head[0], 6, right=True)
            + "  "
            + _pad(head[1], 32)
            + _pad(head[2], 16, right=True)
            + _pad(head[3], 12, right=True)
            + _pad(head[4], 9, right=True)
        )
        for r in result.sites.head(max_rows).itertuples():
            lines.append(
                _pad(r.order, 6, right=True)
                + "  "
                + _pad(_site_name(r.name, lang), 32)
                + _pad(f"{r.gain_elderly:,.0f}", 16, right=True)
                + _pad(f"{r.cumulative_elderly:,.0f}", 12, right=True)
                + _pad(f"{r.share_after * 100:.1f} %", 9, right=True)
            )
    else:
        lines.append("无需新增站点" if zh else "no new site is needed or useful")
    if len(result.curve):
        label = {
            "exact": ("逐个求最优", "exact"),
            "order": ("按加入顺序", "entry order"),
            "mixed": ("先求最优后按顺序", "exact, then entry order"),
        }[result.curve_method][0 if zh else 1]
        lines.append(
            (f"覆盖曲线（{label}）: " if zh else f"coverage curve ({label}): ")
            + ", ".join(f"{int(r.sites)}: {r.share * 100:.1f} %" for r in result.curve.itertuples())
        )
    cols = ("街道", "老人", "之前", "之后") if zh else ("street", "elderly", "before", "after")
    lines.append(
        _pad(cols[0], 22)
        + _pad(cols[1], 10, right=True)
        + _pad(cols[2], 10, right=True)
        + _pad(cols[3], 10, right=True)
    )
    for r in result.streets.head(max_rows).itertuples():
        lines.append(
            _pad(_place(r.street, lang), 22)
            + _pad(f"{r.elderly:,.0f}", 10, right=True)
            + _pad(f"{r.share_before * 100:.1f} %", 10, right=True)
            + _pad(f"{r.share_after * 100:.1f} %", 10, right=True)
        )
    if len(result.unreachable):
        req = result.unreachable[result.unreachable["required"] > 0]
        if result.objective == "min-sites" and len(req):
            if zh:
                lines.append(
                    "任何候选地块都无法覆盖的须覆盖老年人（请在这些社区补充候选地块）: "
                    + f"{req['elderly'].sum():,.0f} 名，位于 "
                    + "、".join(
                        f"{_place(r.community, lang)}（{r.elderly:,.0f}）" for r in req.head(8).itertuples()
                    )
                )
            else:
                lines.append(
                    "required demand no candidate reaches (add candidate sites there): "
                    + f"{req['elderly'].sum():,.0f} elderly in "
                    + ", ".join(f"{r.community} ({r.elderly:,.0f})" for r in req.head(8).itertuples())
                )
        if zh:
            lines.append(
                "无法覆盖: "
                + f"{result.unreachable['elderly'].sum():,.0f} 名老年人，位于 "
                + "、".join(
                    f"{_place(r.community, lang)}（{r.elderly:,.0f}）"
                    for r in result.unreachable.head(8).itertuples()
                )
            )
        else:
            lines.append(
                "unreachable: "
                + f"{result.unreachable['elderly'].sum():,.0f} elderly in "
                + ", ".join(
                    f"{r.community} ({r.elderly:,.0f})" for r in result.unreachable.head(8).itertuples()
                )
            )
    if len(result.excluded):
        ex = result.excluded.head(8)
        reasons = (ex["reason_zh"] if zh and "reason_zh" in ex else ex["reason"]).tolist()
        lines.append(
            ("排除的候选地块: " if zh else "excluded candidates: ")
            + ("；" if zh else "; ").join(
                f"{_site_name(n, lang)}{'：' if zh else ': '}{r}"
                for n, r in zip(ex["name"], reasons, strict=False)
            )
        )
    for note in result.notes_in("zh" if zh else "en"):
        lines.append(("说明: " if zh else "note: ") + note)
    return "\n".join(lines)
