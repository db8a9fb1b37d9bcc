"""The options of a siting run on a study (:class:`SitingOptions`), their defaults with the standards they come from,
and their checks (one sentence naming the number and the fix)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from geo.errors import OptionError
from planning.coverage import MAX_MINUTES
from planning.i18n import message
from planning.schema import FACILITY_KINDS
from planning.standards import CIRCLE_CITATION

#: Walking minutes of the service circle the models use by default: the 15-minute elderly-care service circle
#: (15分钟养老服务圈) of 上饶 饶府办发〔2021〕13号 二(七), 信州区 三年行动方案 一(一), 浉河区 实施意见 二(四)1.
DEFAULT_SITING_MINUTES = 15
#: The citation of :data:`DEFAULT_SITING_MINUTES`, shown with the threshold.
SITING_MINUTES_CITATION = CIRCLE_CITATION
#: Beds needed per 1000 elderly: GB 50437-2007 (2018 rev.) 3.2.1, >= 40 beds (养老院 + 老年养护院) per 1000 elderly
#: (STANDARDS.md B, V1). A home with b beds therefore serves b * 1000 / 40 = 25 b elderly in the capacitated model.
DEFAULT_BEDS_PER_1000_ELDERLY = 40.0
#: The objectives of :func:`~planning.siting.siting_of_study`.
OBJECTIVES = ("coverage", "min-sites", "capacitated")


@dataclass(frozen=True)
class SitingOptions:
    """What to site on a study and how.

    Attributes
    ----------
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
    time_limit_s : time for the model (default 60 s).
    curve : ``auto``, ``exact`` or ``order`` (see :mod:`planning.siting`).
    max_distance_m : points and sites farther than this from every street are not placed on the network.
    """

    kind: str
    add: int | None = None
    objective: str = "coverage"
    budget: float | None = None
    minutes: float = DEFAULT_SITING_MINUTES
    scope: str = "urban"
    beds_per_1000_elderly: float = DEFAULT_BEDS_PER_1000_ELDERLY
    generate: bool | None = None
    time_limit_s: float | None = None
    curve: str = "auto"
    max_distance_m: float = 300.0

    @property
    def limit_s(self) -> float:
        """The walking threshold in seconds."""
        return float(self.minutes) * 60.0


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
        raise OptionError(
            message("err_objective_unknown", objective=objective, choices=", ".join(OBJECTIVES))
        )
    return key


def check_threshold_minutes(minutes: float) -> float:
    """The walking threshold as a positive number of minutes up to :data:`~planning.coverage.MAX_MINUTES`, or
    :class:`OptionError`."""
    try:
        m = float(minutes)
    except (TypeError, ValueError):
        raise OptionError(message("err_threshold_not_number", minutes=minutes)) from None
    if not (np.isfinite(m) and m > 0):
        raise OptionError(message("err_threshold_not_positive", minutes=minutes))
    if m > MAX_MINUTES:
        raise OptionError(message("err_threshold_too_long", minutes=m, max_minutes=MAX_MINUTES))
    return m


def check_options(options: SitingOptions) -> SitingOptions:
    """``options`` checked, with the objective's canonical name and the minutes as a float.

    Raises
    ------
    OptionError
        For a bad kind, objective, K, minutes, scope or beds per 1000 elderly (with the numbers).
    """
    objective = check_objective(options.objective)
    kind, add = options.kind, options.add
    if kind not in FACILITY_KINDS:
        raise OptionError(message("err_kind_unknown", kind=kind, choices=", ".join(FACILITY_KINDS)))
    mins = check_threshold_minutes(options.minutes)
    if options.scope not in ("urban", "all"):
        raise OptionError(message("err_scope_unknown", scope=options.scope))
    if objective != "min-sites" and add is None and options.budget is None:
        raise OptionError(message("err_objective_needs_add", objective=objective))
    if add is not None and (isinstance(add, bool) or not float(add).is_integer() or int(add) <= 0):
        raise OptionError(message("err_add_not_positive_whole", add=add))
    if objective == "capacitated":
        bpk = float(options.beds_per_1000_elderly)
        if not (np.isfinite(bpk) and bpk > 0):
            raise OptionError(
                message(
                    "err_beds_per_1000_invalid",
                    value=options.beds_per_1000_elderly,
                    default=DEFAULT_BEDS_PER_1000_ELDERLY,
                )
            )
    return replace(options, objective=objective, minutes=mins)
