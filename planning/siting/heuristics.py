"""The solver core on a coverage matrix (demand rows x candidate columns, True where the site reaches the point):
exact merging of rows covered by the same sites, the greedy heuristic, the swap search (Teitz & Bart) and the
Lagrangian bound of maximal coverage with reduced-cost fixing. The models (:mod:`planning.siting.models`,
:mod:`planning.siting.capacitated`) build on these and on the MILP of :mod:`planning.siting.milp`."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from geo.errors import OptionError
from planning.i18n import message


def as_csr(cover: Any, n_rows: int | None = None) -> sparse.csr_matrix:
    """A boolean CSR copy of ``cover`` (any sparse matrix or dense array) with sorted indices and no zeros."""
    mat = sparse.csr_matrix(cover, dtype=bool) if not sparse.issparse(cover) else cover.tocsr().astype(bool)
    mat.eliminate_zeros()
    mat.sort_indices()
    if n_rows is not None and mat.shape[0] != n_rows:
        raise OptionError(message("err_coverage_rows_mismatch", n_rows=mat.shape[0], n_weights=n_rows))
    return mat


def check_sites_budget(
    sites: int | None, budget: float | None, cost: np.ndarray | None, n_cand: int
) -> tuple[int, float | None, np.ndarray]:
    """Check ``sites`` (K) and ``budget`` with their numbers; return K (n_cand when only a budget binds)."""
    if sites is None and budget is None:
        raise OptionError(message("err_sites_or_budget_needed"))
    if sites is not None:
        if isinstance(sites, bool) or not float(sites).is_integer():
            raise OptionError(message("err_sites_not_whole", sites=sites))
        k = int(sites)
        if k <= 0:
            raise OptionError(message("err_sites_not_positive", k=k))
        if k > n_cand:
            raise OptionError(message("err_sites_more_than_candidates", k=k, n=n_cand))
    else:
        k = n_cand
    c = np.ones(n_cand) if cost is None else np.asarray(cost, dtype=float)
    if budget is not None:
        if cost is None:
            raise OptionError(message("err_budget_needs_cost"))
        b = float(budget)
        if not np.isfinite(b) or b <= 0:
            raise OptionError(message("err_budget_not_positive", budget=budget))
        if np.any(~np.isfinite(c)) or np.any(c < 0):
            bad = int(np.flatnonzero(~np.isfinite(c) | (c < 0))[0])
            raise OptionError(message("err_cost_invalid", i=bad, cost=c[bad]))
        if n_cand and b < float(c.min()):
            raise OptionError(message("err_budget_below_cheapest", budget=b, cheapest=float(c.min())))
        return k, b, c
    return k, None, c


def aggregate_rows(
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
    c = as_csr(cover)
    w = np.asarray(weight, dtype=float).copy()
    if covered is not None:
        w[np.asarray(covered, dtype=bool)] = 0.0
    return greedy_sites(c, w, sites=sites, budget=budget, cost=cost, columns=columns)


def greedy_sites(
    c: sparse.csr_matrix,
    w: np.ndarray,
    *,
    sites: int | None,
    budget: float | None,
    cost: np.ndarray | None,
    columns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`greedy_max_coverage` on a checked CSR matrix and weights (demand already covered weighs 0); with
    ``sites=None`` it runs until nothing more can be gained (greedy set cover). Returns (chosen, gains)."""
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


def covered_weight(c: sparse.csr_matrix, w: np.ndarray, columns: np.ndarray) -> float:
    """Weight of rows covered by at least one of ``columns``."""
    if len(columns) == 0:
        return 0.0
    hit = np.asarray(c[:, np.asarray(columns, dtype=np.int64)].sum(axis=1)).reshape(-1) > 0
    return float(w[hit].sum())


def entry_order(c: sparse.csr_matrix, w: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order ``chosen`` greedily (each step the one adding the most) and return (order, gains); sites that add
    nothing come last with gain 0."""
    order, gains = greedy_sites(c, w, sites=len(chosen), budget=None, cost=None, columns=chosen)
    rest = np.array([j for j in chosen if j not in set(order.tolist())], dtype=np.int64)
    return np.concatenate([order, rest]), np.concatenate([gains, np.zeros(len(rest))])


def swap_search(
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
    return out, covered_weight(c, w, out)


@dataclass(frozen=True, eq=False)
class LagrangeBound:
    """What :func:`lagrangian_mclp` proves: the bound, the candidates left out and the improved incumbent.

    Attributes
    ----------
    bound : an upper bound of the best K-site coverage.
    fix_out : (candidates,) bool, candidates no solution better than the incumbent can contain.
    incumbent : the best K sites found (by swaps from the Lagrangian's top K).
    value : their coverage.
    iterations : subgradient steps taken.
    """

    bound: float
    fix_out: np.ndarray
    incumbent: np.ndarray
    value: float
    iterations: int


def lagrangian_mclp(
    c: sparse.csr_matrix,
    w: np.ndarray,
    sites: int,
    chosen: np.ndarray,
    value: float,
    *,
    deadline: float,
    max_iter: int = 400,
) -> LagrangeBound:
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
            cand, val = swap_search(c, ct, cc, w, top)
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
    return LagrangeBound(
        bound=min(base, best_bound), fix_out=fix_out, incumbent=inc, value=inc_val, iterations=it
    )
