"""The report's options and the checks at its boundary: the privacy threshold k, the grid, the language, and
coverage results that belong to the study."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from geo.errors import OptionError, StudyError
from planning.coverage import CoverageResult
from planning.i18n import LANGS, message
from planning.scenario import check_scenario_name
from planning.study import Study

#: Default k: communities, streets and grid cells with fewer elderly than this show "<k" on the public map.
DEFAULT_K_ANON = 10
#: The public map's grid of uncovered elderly: cells of this size (metres); smaller is refused.
DEFAULT_GRID_M = 100.0
MIN_GRID_M = 100.0


def check_k_anon(k_anon: Any) -> int:
    """The k of the public map: a whole number of at least 1, or :class:`OptionError`."""
    ok = not isinstance(k_anon, bool)
    try:
        value = float(k_anon)
    except (TypeError, ValueError):
        ok = False
        value = float("nan")
    if not ok or not math.isfinite(value) or value != int(value) or value < 1:
        raise OptionError(message("err_k_anon", k=k_anon, default=DEFAULT_K_ANON))
    return int(value)


def check_grid_m(grid_m: Any) -> float:
    """The public map's grid size in metres: at least :data:`MIN_GRID_M`, or :class:`OptionError`."""
    try:
        value = float(grid_m)
    except (TypeError, ValueError):
        value = float("nan")
    if not (math.isfinite(value) and value >= MIN_GRID_M):
        raise OptionError(
            message("err_grid_too_fine", grid=grid_m, min_m=MIN_GRID_M, default_m=DEFAULT_GRID_M)
        )
    return value


def check_lang(lang: str) -> str:
    """``zh`` or ``en``, or :class:`OptionError`."""
    if lang not in LANGS:
        raise OptionError(message("err_lang_unknown", lang=lang, choices=", ".join(LANGS)))
    return lang


def check_coverage(study: Study, coverage: CoverageResult | None) -> CoverageResult:
    """``coverage`` when it holds results of ``study`` for at least one facility kind, or :class:`StudyError`."""
    if coverage is None:
        raise StudyError(message("err_report_no_coverage", folder=study.folder))
    if not coverage.kinds:
        raise StudyError(message("err_coverage_no_kind", folder=study.folder, example="日间照料中心"))
    if len(coverage.communities) != len(study.communities):
        raise StudyError(
            message(
                "err_coverage_other_study",
                n_result=len(coverage.communities),
                folder=study.folder,
                n_study=len(study.communities),
            )
        )
    return coverage


@dataclass(frozen=True)
class ReportOptions:
    """How a report folder is made (checked when built: :class:`OptionError` names a bad value).

    Attributes
    ----------
    lang : ``zh`` (default) or ``en`` for the map, workbook and scenario.
    k_anon : the public map's privacy threshold (a whole number of at least 1).
    grid_m : the public map's grid of uncovered elderly, metres (at least 100).
    site_kind : the facility kind of the default siting scenario; None writes no scenario.
    site_add : new sites in the default scenario.
    scenarios : saved scenarios (``scenarios/<name>.toml`` in the study) compared in the report: a workbook sheet
        each, a print sheet each, and the comparison side by side.
    adopt : the scenario the public map shows (the adopted plan), or None for the study as it is.
    """

    lang: str = "zh"
    k_anon: int = DEFAULT_K_ANON
    grid_m: float = DEFAULT_GRID_M
    site_kind: str | None = "day_care"
    site_add: int = 3
    scenarios: tuple[str, ...] = ()
    adopt: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", check_lang(self.lang))
        object.__setattr__(self, "k_anon", check_k_anon(self.k_anon))
        object.__setattr__(self, "grid_m", check_grid_m(self.grid_m))
        names = tuple(dict.fromkeys(check_scenario_name(n) for n in self.scenarios))
        if self.adopt is not None:
            object.__setattr__(self, "adopt", check_scenario_name(self.adopt))
            names = tuple(dict.fromkeys((*names, self.adopt)))
        object.__setattr__(self, "scenarios", names)
