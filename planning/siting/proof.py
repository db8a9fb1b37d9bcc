"""Whether a siting run is proven optimal, and how that is said. One decision (:func:`proof_of`) serves every place
that speaks of the solve: the command line's summary, the JSON (``proven_optimal``), the app's caption and the
workbook's summary row. A run is proven optimal only when the solver's status is ``optimal`` and the bound is
within the solver's tolerance of the objective; any other run states its status, objective, bound and gap."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planning.display import format_share
from planning.i18n import CATALOGUE, tr
from planning.siting.milp import gap_closed, relative_gap

if TYPE_CHECKING:
    from planning.siting.result import SitingResult


@dataclass(frozen=True)
class Proof:
    """What the solve of a siting run proves.

    Attributes
    ----------
    status : the solver's status as the run reports it (``optimal``, ``time_limit``, ``greedy``, ...).
    objective : the model's objective (elderly added, or the number of sites for min-sites).
    bound : the proven bound on it (upper for coverage and capacitated, lower for min-sites; +-inf when none).
    gap : ``|bound - objective| / max(|objective|, 1)`` computed from the two (inf without a bound).
    proven : True only when ``status`` is ``optimal`` and the bound is within the solver's absolute gap of the
        objective (:func:`~planning.siting.milp.gap_closed`); a greedy or stopped run is never proven.
    """

    status: str
    objective: float
    bound: float
    gap: float
    proven: bool


def proof_of(result: SitingResult) -> Proof:
    """The :class:`Proof` of a siting run, from its status, objective and bound alone."""
    objective, bound = float(result.objective_value), float(result.bound)
    proven = result.status == "optimal" and gap_closed(objective, bound, result.gap_tolerance)
    return Proof(result.status, objective, bound, relative_gap(objective, bound), proven)


def status_label(status: str, lang: str) -> str:
    """A solver status in ``lang`` (``zh`` or ``en``); the status itself when the catalogue does not know it."""
    key = f"solver_status_{status}"
    return tr(key, lang) if key in CATALOGUE else str(status)


def value_text(x: float, lang: str) -> str:
    """An objective or a bound as the siting lines show it (``10,228``); ``未知``/``unknown`` when not finite."""
    return f"{x:,.6g}" if math.isfinite(x) else tr("siting_unknown", lang)


def proof_text(result: SitingResult, lang: str) -> str:
    """The claim about the solve in ``lang``: ``已证明最优（差距 0）`` (``proven optimal (gap 0)``) for a proven run,
    otherwise the status, objective, bound and gap and that optimality is not proven."""
    proof = proof_of(result)
    if proof.proven:
        return tr("siting_optimal", lang)
    return tr("siting_unproven", lang).format(
        status=status_label(proof.status, lang),
        objective=value_text(proof.objective, lang),
        bound=value_text(proof.bound, lang),
        gap=format_share(proof.gap, 2, space=True, missing=tr("siting_unknown", lang)),
    )
