"""The solver interface: a sparse MILP as arrays (:class:`MilpModel`), solved by HiGHS through highspy
(:class:`HighsSolver`) or anything with the same ``solve`` (:class:`Solver`), answering a :class:`MilpSolution`."""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy import sparse


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
    status : ``"optimal"`` (proven: ``bound`` and ``objective`` within the solver's absolute gap, see
        :func:`settled_status`), ``"gap_reached"`` (stopped within the requested relative gap, or said optimal
        with a bound that does not prove it), ``"time_limit"``, ``"solution_limit"`` (a node, leaf or solution
        limit), ``"infeasible"``, ``"interrupted"`` or the solver's own word.
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

#: The absolute gap within which a bound proves a solution optimal (whole persons and sites are exact); also the
#: tolerance assumed for a solver without a ``mip_abs_gap`` of its own.
DEFAULT_MIP_ABS_GAP = 1e-6


def gap_closed(objective: float, bound: float, abs_gap: float = DEFAULT_MIP_ABS_GAP) -> bool:
    """Whether ``bound`` proves ``objective`` optimal: both finite and ``|bound - objective|`` at most ``abs_gap``
    (plus 1e-9 of the objective's size for the last bits of a sum)."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return False
    return abs(bound - objective) <= abs_gap + 1e-9 * max(1.0, abs(objective))


def settled_status(status: str, objective: float, bound: float, abs_gap: float = DEFAULT_MIP_ABS_GAP) -> str:
    """``status``, except that ``optimal`` becomes ``gap_reached`` when ``bound`` does not prove ``objective``
    (:func:`gap_closed`): HiGHS says optimal once the relative gap is within ``mip_rel_gap``, and a model may
    report a solution other than the solver's; the status then must not claim a proof the numbers lack."""
    if status == "optimal" and not gap_closed(objective, bound, abs_gap):
        return "gap_reached"
    return status


def answer_status(status: str, objective: float, bound: float, abs_gap: float, *, own: bool) -> str:
    """The status of a model's answer: the solver's ``status`` settled (:func:`settled_status`), and ``greedy``
    when the answer is not the solver's own (``own`` False: the solver gave none, or a heuristic's was better)
    unless ``bound`` proves it optimal all the same."""
    status = settled_status(status, objective, bound, abs_gap)
    return status if own or status == "optimal" else "greedy"


def abs_gap_of(solver: object) -> float:
    """The absolute gap ``solver`` proves optimality within (its ``mip_abs_gap``, else
    :data:`DEFAULT_MIP_ABS_GAP`)."""
    return float(getattr(solver, "mip_abs_gap", DEFAULT_MIP_ABS_GAP))


def _new_highs() -> Any:
    """A ``highspy.Highs``; the first one of the process is made with file descriptor 1 pointed at /dev/null, since
    HiGHS prints its version banner from C++ on first construction whatever ``output_flag`` says, and the banner
    would land in the middle of the command line's tables."""
    import highspy  # optional heavy dependency, loaded when a model is solved

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
    options : further HiGHS options as (name, value) pairs, set last (e.g. ``(("mip_max_nodes", 100),)``); a run
        stopped by a node, leaf or solution limit reports ``solution_limit`` with its bound.
    """

    time_limit_s: float = 60.0
    mip_rel_gap: float = 0.0
    mip_abs_gap: float = DEFAULT_MIP_ABS_GAP
    threads: int | None = None
    verbose: bool = False
    options: tuple[tuple[str, Any], ...] = ()

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
        import highspy  # optional heavy dependency, loaded when a model is solved

        t0 = time.perf_counter()
        h = _new_highs()
        h.setOptionValue("output_flag", bool(self.verbose))
        limit = self.time_limit_s if time_limit_s is None else min(self.time_limit_s, time_limit_s)
        h.setOptionValue("time_limit", float(max(limit, 0.01)))
        h.setOptionValue("mip_rel_gap", float(self.mip_rel_gap))
        h.setOptionValue("mip_abs_gap", float(self.mip_abs_gap))
        if self.threads is not None:
            h.setOptionValue("threads", int(self.threads))
        for name, value in self.options:
            if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
                raise ValueError(f"HiGHS refused the option {name} = {value!r}")
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
        if model.integer.any() and has_x:
            status = settled_status(status, objective, bound, self.mip_abs_gap)
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
