"""Siting day-care centres and embedded nursing homes: which K new sites cover the most older residents.

Three models, all on a sparse coverage matrix (demand points x candidate sites, True where the walk from the site
to the point is within the threshold, from :func:`geo.service_area.reach_matrix`):

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

The package (spopt's shape: a model is built from a coverage matrix, solved, and read as a frozen result):

- :mod:`~planning.siting.milp`: a sparse MILP as arrays and the HiGHS solver (any object with the same ``solve``
  may stand in);
- :mod:`~planning.siting.heuristics`: the solver core on the coverage matrix (exact row merging, greedy, swap
  search, Lagrangian bound and fixing);
- :mod:`~planning.siting.models` (maximal coverage, minimum sites) and :mod:`~planning.siting.capacitated`: the
  models on arrays, answering a frozen :class:`ModelResult` (the number of sites, budget and time limit of maximal
  and capacitated coverage travel as a :class:`ModelOptions`);
- :mod:`~planning.siting.options`: :class:`SitingOptions` of a run on a study, its defaults and checks;
- :mod:`~planning.siting.candidates`: candidate sites from the layer, generated from street nodes, screened;
- :mod:`~planning.siting.study`: :func:`siting_of_study`, from a study and its network to a :class:`SitingResult`;
- :mod:`~planning.siting.result`: :class:`SitingResult` and its JSON, summary line and text tables;
- :mod:`~planning.siting.proof`: whether a run is proven optimal (:func:`proof_of`, the one decision every text,
  the JSON and the app use) and how that is said.
"""

from planning.siting.candidates import (
    DEFAULT_GENERATED_BEDS,
    GENERATED_MIN_DEGREE,
    GENERATED_SPACING_M,
    CandidateSites,
    Screen,
    candidate_sites,
    generate_candidates,
    site_name,
)
from planning.siting.capacitated import GREEDY_ORDER_MAX_SITES, capacitated_coverage
from planning.siting.heuristics import (
    LagrangeBound,
    aggregate_rows,
    greedy_max_coverage,
    lagrangian_mclp,
    swap_search,
)
from planning.siting.milp import (
    DEFAULT_MIP_ABS_GAP,
    HighsSolver,
    MilpModel,
    MilpSolution,
    Solver,
    gap_closed,
    relative_gap,
    settled_status,
)
from planning.siting.models import (
    EXACT_CURVE_MAX_NNZ,
    EXACT_CURVE_MAX_SITES,
    ModelOptions,
    ModelResult,
    max_coverage,
    min_sites,
)
from planning.siting.options import (
    DEFAULT_BEDS_PER_1000_ELDERLY,
    DEFAULT_SITING_MINUTES,
    OBJECTIVES,
    SITING_MINUTES_CITATION,
    SitingOptions,
    check_objective,
    check_options,
)
from planning.siting.proof import Proof, proof_of, proof_text, status_label
from planning.siting.result import (
    SitingResult,
    before_after_table,
    curve_text,
    gains_frame,
    gap_text,
    place_name,
    reasons_table,
    sites_table,
    siting_caption,
    siting_json,
    siting_summary,
    siting_table,
    status_label_zh,
)
from planning.siting.study import siting_of_study

__all__ = [
    "DEFAULT_BEDS_PER_1000_ELDERLY",
    "DEFAULT_GENERATED_BEDS",
    "DEFAULT_MIP_ABS_GAP",
    "DEFAULT_SITING_MINUTES",
    "EXACT_CURVE_MAX_NNZ",
    "EXACT_CURVE_MAX_SITES",
    "GENERATED_MIN_DEGREE",
    "GENERATED_SPACING_M",
    "GREEDY_ORDER_MAX_SITES",
    "OBJECTIVES",
    "SITING_MINUTES_CITATION",
    "CandidateSites",
    "HighsSolver",
    "LagrangeBound",
    "MilpModel",
    "MilpSolution",
    "ModelOptions",
    "ModelResult",
    "Proof",
    "Screen",
    "SitingOptions",
    "SitingResult",
    "Solver",
    "aggregate_rows",
    "before_after_table",
    "candidate_sites",
    "capacitated_coverage",
    "check_objective",
    "check_options",
    "curve_text",
    "gains_frame",
    "gap_closed",
    "gap_text",
    "generate_candidates",
    "greedy_max_coverage",
    "lagrangian_mclp",
    "max_coverage",
    "min_sites",
    "place_name",
    "proof_of",
    "proof_text",
    "reasons_table",
    "relative_gap",
    "settled_status",
    "site_name",
    "sites_table",
    "siting_caption",
    "siting_json",
    "siting_of_study",
    "siting_summary",
    "siting_table",
    "status_label",
    "status_label_zh",
    "swap_search",
]
