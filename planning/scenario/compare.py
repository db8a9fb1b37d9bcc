"""Before and after: what a scenario changes for the district, every street and every community, and which rules of
the preset change verdict. (Skeleton: signatures the helpers implement.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from planning.coverage import CoverageResult, WalkNetwork
from planning.progress import Progress
from planning.scenario.model import Scenario
from planning.standards import CheckResult
from planning.study import Study


@dataclass(frozen=True, eq=False)
class ScenarioComparison:
    """A scenario against the study as it is.

    Attributes
    ----------
    scenario : the scenario.
    before, after : the coverage of the study and of the study as the scenario makes it.
    check_before, check_after : the standards check of both.
    district : one row per figure (elderly within each band per kind, the 15-minute service circle, beds per 1000
        elderly, land per resident): ``figure``, ``before``, ``after``, ``change``.
    streets, communities : the same per street and per community (``name``, ``street``, then figure columns with
        ``_before``/``_after``).
    verdicts : the rules whose verdict changes: ``rule_id``, ``name``, ``unit``, ``verdict_before``,
        ``verdict_after``, ``value_before``, ``value_after``, ``citation``.
    summary, summary_zh : the one-line summary.
    """

    scenario: Scenario
    before: CoverageResult
    after: CoverageResult
    check_before: CheckResult
    check_after: CheckResult
    district: pd.DataFrame
    streets: pd.DataFrame
    communities: pd.DataFrame
    verdicts: pd.DataFrame
    summary: str
    summary_zh: str


def compare_scenario(
    study: Study,
    network: WalkNetwork,
    scenario: Scenario,
    *,
    minutes: tuple[int, ...] = (5, 10, 15),
    baseline: CoverageResult | None = None,
    baseline_check: CheckResult | None = None,
    progress: Progress | None = None,
) -> ScenarioComparison:
    """Compare ``scenario`` with the study as it is; ``baseline``/``baseline_check`` (the study's own coverage and
    check, e.g. cached by the app) are reused, and only the kinds the scenario touches are measured again."""
    raise NotImplementedError


def comparison_json(comparison: ScenarioComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (with ``*_zh`` fields for Chinese texts)."""
    raise NotImplementedError
