"""Before and after: what a scenario changes for the district, every street and every community, and which rules of
the preset change verdict.

Only the kinds the scenario touches (added, closed or changed facilities, old and new kind) are walked again; the
other kinds' walking times are the baseline's (:func:`merged_coverage`). The service circle, beds per 1000 elderly
and land per resident of the district and the streets are the standards check's own rows (before and after).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planning.coverage import CoverageResult, WalkNetwork, coverage_of_study
from planning.display import format_number, format_share
from planning.i18n import kind_label, say, verdict_label
from planning.progress import Progress
from planning.scenario.apply import apply_scenario, find_facility
from planning.scenario.model import Scenario
from planning.schema import FACILITY_KINDS
from planning.standards import CheckResult, check_of_study
from planning.standards.check_circle import CIRCLE_WALK_S
from planning.study import Study

#: The rules whose district (and street) values are figures of the comparison, by figure key.
CHECK_FIGURES = {
    "circle_15min": "service_circle_15min_share",
    "beds_per_1000": "beds_per_1000_elderly",
    "land_per_resident": "land_per_resident_m2",
}
_FIGURE_LABELS = {
    "circle_15min": "scn_fig_circle",
    "beds_per_1000": "scn_fig_beds",
    "land_per_resident": "scn_fig_land",
}
_FIGURE_UNITS = {"circle_15min": "share", "beds_per_1000": "beds_per_1000_elderly", "land_per_resident": "m2"}


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

    def summary_in(self, lang: str = "zh") -> str:
        """The summary in ``lang``."""
        return self.summary if lang == "en" else self.summary_zh


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
    after_study = apply_scenario(study, scenario, network=network)
    before = baseline if baseline is not None else coverage_of_study(study, network, minutes=minutes)
    touched = touched_kinds(study, scenario)
    after = merged_coverage(before, after_study, network, touched, progress=progress)
    check_before = baseline_check if baseline_check is not None else check_of_study(study, network)
    unchanged = scenario.is_empty and baseline_check is not None  # the study as it is: its own check
    check_after = check_before if unchanged else check_of_study(after_study, network)
    circle_kinds = tuple(study.standards.circle_kinds)
    district = district_table(before, after, check_before, check_after)
    streets = unit_table(before, after, "streets", circle_kinds, (check_before, check_after))
    communities = unit_table(before, after, "communities", circle_kinds, None)
    verdicts = verdict_changes(check_before, check_after)
    en, zh = summaries(scenario, district, verdicts, touched)
    return ScenarioComparison(
        scenario=scenario,
        before=before,
        after=after,
        check_before=check_before,
        check_after=check_after,
        district=district,
        streets=streets,
        communities=communities,
        verdicts=verdicts,
        summary=en,
        summary_zh=zh,
    )


def touched_kinds(study: Study, scenario: Scenario) -> tuple[str, ...]:
    """The facility kinds whose walking times or beds the scenario changes (in display order)."""
    kinds = {a.kind for a in scenario.added}
    fac = study.facilities
    for name in scenario.closed:
        kinds.add(str(fac.loc[find_facility(study, name), "kind"]))
    for change in scenario.changed:
        kinds.add(str(fac.loc[find_facility(study, change.name), "kind"]))
        if change.kind is not None:
            kinds.add(change.kind)
    return tuple(k for k in FACILITY_KINDS if k in kinds)


def merged_coverage(
    before: CoverageResult,
    after_study: Study,
    network: WalkNetwork,
    touched: tuple[str, ...],
    *,
    progress: Progress | None = None,
) -> CoverageResult:
    """The coverage of ``after_study``: ``before`` with the kinds in ``touched`` walked again (a kind no facility
    has any more reaches no one)."""
    present = set(after_study.facilities["kind"])
    walked = tuple(k for k in touched if k in present)
    gone = tuple(k for k in touched if k not in present and k in before.kinds)
    part = (
        coverage_of_study(
            after_study,
            network,
            minutes=before.minutes,
            kinds=walked,
            walk_speed_m_s=before.walk_speed_m_s,
            progress=progress,
        )
        if walked
        else None
    )
    kinds = tuple(k for k in FACILITY_KINDS if (k in before.kinds and k not in gone) or k in walked)
    demand = before.demand.copy()
    communities, streets = before.communities.copy(), before.streets.copy()
    access = before.access.copy()
    totals = [before.totals[~before.totals["kind"].isin(touched)]]
    for kind in gone:
        demand[before.time_column(kind)] = np.nan
        for frame in (communities, streets):
            for m in before.minutes:
                frame[f"covered_{kind}_{m}min"] = 0.0
                frame[f"share_{kind}_{m}min"] = 0.0
        access = access.drop(columns=[c for c in access.columns if c.endswith(f"_{kind}")])
    notes, notes_zh = list(before.notes), list(before.notes_zh)
    far = before.far_points
    gaps = before.daycare_gaps if "day_care" not in touched else pd.DataFrame()
    if part is not None:
        for kind in walked:
            demand[part.time_column(kind)] = part.demand[part.time_column(kind)].to_numpy()
            for frame, new in ((communities, part.communities), (streets, part.streets)):
                for m in before.minutes:
                    for col in (f"covered_{kind}_{m}min", f"share_{kind}_{m}min"):
                        frame[col] = new[col].to_numpy()
            for col in part.access.columns:
                if col.endswith(f"_{kind}"):
                    access[col] = part.access[col].to_numpy()
        totals.append(part.totals)
        notes += [n for n in part.notes if n not in notes]
        notes_zh += [n for n in part.notes_zh if n not in notes_zh]
        labels = {f"facilities ({k})" for k in touched}
        far = pd.concat(
            [far[~far["layer"].isin(labels)], part.far_points[part.far_points["layer"].isin(labels)]],
            ignore_index=True,
        )
        gaps = part.daycare_gaps if "day_care" in walked else gaps
    order = {k: i for i, k in enumerate(FACILITY_KINDS)}
    total = pd.concat([t for t in totals if len(t)], ignore_index=True)
    total = total.sort_values(["kind", "band_min"], key=lambda s: s.map(order) if s.name == "kind" else s)
    return CoverageResult(
        minutes=before.minutes,
        kinds=kinds,
        walk_speed_m_s=before.walk_speed_m_s,
        demand=demand,
        totals=total[total["kind"].isin(kinds)].reset_index(drop=True),
        communities=communities,
        streets=streets,
        daycare_gaps=gaps,
        access=access,
        far_points=far,
        notes=tuple(notes),
        notes_zh=tuple(notes_zh),
        placement=before.placement,
    )


def _covered(result: CoverageResult, frame: pd.DataFrame, kind: str, m: int) -> np.ndarray:
    """Elderly within ``m`` minutes of ``kind`` per row of ``frame``; 0 when the result has no such kind."""
    if kind not in result.kinds:
        return np.zeros(len(frame))
    return frame[f"covered_{kind}_{m}min"].to_numpy(float)


def _district_covered(result: CoverageResult) -> dict[tuple[str, int], float]:
    """The district's elderly within each band of each kind (as :meth:`CoverageResult.band_total` gives them: the
    first row of the kind and band), by (kind, minutes); a kind the result has not is absent (0)."""
    totals = result.totals
    out: dict[tuple[str, int], float] = {}
    for kind, band, covered in zip(
        totals["kind"], totals["band_min"], totals["elderly_covered"], strict=True
    ):
        if kind in result.kinds:
            out.setdefault((str(kind), int(band)), float(covered))
    return out


class _CheckValues:
    """The values of a check's rows, looked up by rule, level and unit: the first non-advisory row's (NaN when
    none), read once for the comparison's many look-ups instead of filtering the rows each time."""

    def __init__(self, check: CheckResult, rule_ids: Any) -> None:
        rows = check.rows
        sel = rows["rule_id"].isin(list(rule_ids)) & (rows["verdict"] != "advisory")
        self.first: dict[tuple[Any, Any, Any], float] = {}
        for rule_id, level, unit, value in zip(
            rows.loc[sel, "rule_id"],
            rows.loc[sel, "level"],
            rows.loc[sel, "unit_name"],
            rows.loc[sel, "value"].to_numpy(float),
            strict=True,
        ):
            self.first.setdefault((rule_id, level, None), float(value))
            if isinstance(unit, str):
                self.first.setdefault((rule_id, level, unit), float(value))

    def value(self, rule_id: str, level: str, unit: str | None = None) -> float:
        """The value of the first non-advisory row of ``rule_id`` at ``level`` (and ``unit``), NaN when none."""
        return self.first.get((rule_id, level, unit), math.nan)


def district_table(
    before: CoverageResult, after: CoverageResult, check_before: CheckResult, check_after: CheckResult
) -> pd.DataFrame:
    """The district's figures before and after (see :class:`ScenarioComparison`); ``figure_zh``/``figure_en`` name
    them, ``unit`` is ``elderly``, ``share``, ``beds_per_1000_elderly`` or ``m2``; elderly rows carry their shares."""
    rows: list[dict[str, Any]] = []
    total = float(before.demand["elderly"].sum())
    covered_before, covered_after = _district_covered(before), _district_covered(after)
    for kind in (k for k in FACILITY_KINDS if k in before.kinds or k in after.kinds):
        for m in before.minutes:
            b, a = covered_before.get((kind, int(m)), 0.0), covered_after.get((kind, int(m)), 0.0)
            rows.append(
                {
                    "figure": f"within_{kind}_{m}min",
                    "figure_zh": say("scn_fig_within", "zh", kind=kind_label(kind, "zh"), minutes=m),
                    "figure_en": say("scn_fig_within", "en", kind=kind_label(kind, "en").lower(), minutes=m),
                    "kind": kind,
                    "band_min": m,
                    "unit": "elderly",
                    "before": b,
                    "after": a,
                    "share_before": b / total if total else math.nan,
                    "share_after": a / total if total else math.nan,
                }
            )
    values_before = _CheckValues(check_before, CHECK_FIGURES.values())
    values_after = _CheckValues(check_after, CHECK_FIGURES.values())
    for key, rule_id in CHECK_FIGURES.items():
        b = values_before.value(rule_id, "district")
        a = values_after.value(rule_id, "district")
        if math.isnan(b) and math.isnan(a):
            continue
        rows.append(
            {
                "figure": key,
                "figure_zh": say(_FIGURE_LABELS[key], "zh"),
                "figure_en": say(_FIGURE_LABELS[key], "en"),
                "kind": None,
                "band_min": None,
                "unit": _FIGURE_UNITS[key],
                "before": b,
                "after": a,
                "share_before": math.nan,
                "share_after": math.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["change"] = out["after"] - out["before"]
    return out


def _circle_shares(
    result: CoverageResult, kinds: tuple[str, ...], frame: pd.DataFrame, key: str
) -> np.ndarray:
    """Per row of ``frame`` (communities by position, or streets by name): the share of the elderly within a
    15-minute walk of any facility of the circle's ``kinds``."""
    demand = result.demand
    within = np.zeros(len(demand), bool)
    for kind in kinds:
        col = result.time_column(kind)
        if col in demand:
            within |= np.nan_to_num(demand[col].to_numpy(float), nan=np.inf) <= CIRCLE_WALK_S
    weight = demand["elderly"].to_numpy(float)
    if key == "communities":
        group = demand["community"].to_numpy()
        index = np.arange(len(frame))
    else:
        group = demand["street"].astype(object).to_numpy()
        index = frame["street"].astype(object).to_numpy()
    covered = pd.Series(weight * within).groupby(group).sum()
    total = pd.Series(weight).groupby(group).sum()
    share = (covered / total.where(total > 0)).reindex(index)
    return share.to_numpy(float)


def unit_table(
    before: CoverageResult,
    after: CoverageResult,
    level: str,
    circle_kinds: tuple[str, ...],
    checks: tuple[CheckResult, CheckResult] | None,
) -> pd.DataFrame:
    """Per street (``level`` = ``streets``) or community: ``name``, ``street``, ``elderly``, and per figure
    ``<figure>_before``/``<figure>_after``: ``within_<kind>_<m>min`` (elderly) with ``share_<kind>_<m>min``, the
    circle's share ``circle_15min`` and, per street, the check's land per resident (``land_per_resident``)."""
    fb: pd.DataFrame = getattr(before, level)
    fa: pd.DataFrame = getattr(after, level)
    names = fb["street"] if level == "streets" else fb["name"]
    out = pd.DataFrame(
        {
            "name": names.to_numpy(object),
            "street": fb["street"].to_numpy(object),
            "elderly": fb["elderly"].to_numpy(),
        }
    )
    elderly = fb["elderly"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        for kind in (k for k in FACILITY_KINDS if k in before.kinds or k in after.kinds):
            for m in before.minutes:
                for tag, result, frame in (("before", before, fb), ("after", after, fa)):
                    covered = _covered(result, frame, kind, m)
                    out[f"within_{kind}_{m}min_{tag}"] = covered
                    out[f"share_{kind}_{m}min_{tag}"] = np.where(elderly > 0, covered / elderly, np.nan)
    for tag, result in (("before", before), ("after", after)):
        out[f"circle_15min_{tag}"] = _circle_shares(result, circle_kinds, fb, level)
    if checks is not None:
        for tag, check in zip(("before", "after"), checks, strict=True):
            looked = _CheckValues(check, CHECK_FIGURES.values())
            for key in ("circle_15min", "land_per_resident"):
                values = [looked.value(CHECK_FIGURES[key], "street", str(s)) for s in out["name"]]
                if key == "circle_15min":
                    values = [
                        v if not math.isnan(v) else o
                        for v, o in zip(values, out[f"circle_15min_{tag}"], strict=True)
                    ]
                out[f"{key}_{tag}"] = values
    return out


def changed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a street or community table where any figure changes."""
    before = [c for c in table.columns if c.endswith("_before")]
    changed = np.zeros(len(table), bool)
    for col in before:
        b = table[col].to_numpy(float)
        a = table[col[: -len("_before")] + "_after"].to_numpy(float)
        changed |= ~(np.isclose(a, b, equal_nan=True))
    return table[changed]


def verdict_changes(check_before: CheckResult, check_after: CheckResult) -> pd.DataFrame:
    """The check's rows whose verdict differs between ``check_before`` and ``check_after`` (matched by rule, level,
    unit and their order)."""
    keys = ["rule_id", "level", "unit_name"]

    def keyed(rows: pd.DataFrame) -> pd.DataFrame:
        frame = rows.copy()
        frame["unit_name"] = frame["unit_name"].astype(object).fillna("")
        frame["_n"] = frame.groupby(keys).cumcount()
        return frame

    b, a = keyed(check_before.rows), keyed(check_after.rows)
    words = ["title_zh", "title_en", "citation", "unit"]
    cols = [*keys, "_n", "verdict", "value", *words]
    merged = b[cols].merge(a[cols], on=[*keys, "_n"], how="outer", suffixes=("_before", "_after"))
    for word in words:  # a row only one side has (a new facility's own rule) is named by that side
        merged[word] = merged[f"{word}_before"].combine_first(merged[f"{word}_after"])
    for side in ("before", "after"):  # no row on a side: no verdict there ('' is said as a dash)
        merged[f"verdict_{side}"] = merged[f"verdict_{side}"].astype(object).fillna("")
    changed = merged[merged["verdict_before"] != merged["verdict_after"]]
    return pd.DataFrame(
        {
            "rule_id": changed["rule_id"].to_numpy(object),
            "name": changed["title_zh"].to_numpy(object),
            "name_en": changed["title_en"].to_numpy(object),
            "level": changed["level"].to_numpy(object),
            "unit": changed["unit_name"].to_numpy(object),
            "value_unit": changed["unit"].to_numpy(object),
            "verdict_before": changed["verdict_before"].to_numpy(object),
            "verdict_after": changed["verdict_after"].to_numpy(object),
            "value_before": changed["value_before"].to_numpy(float),
            "value_after": changed["value_after"].to_numpy(float),
            "citation": changed["citation"].to_numpy(object),
        }
    )


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def summaries(
    scenario: Scenario, district: pd.DataFrame, verdicts: pd.DataFrame, touched: tuple[str, ...]
) -> tuple[str, str]:
    """The one-line summary in English and Chinese."""
    out = []
    for lang in ("en", "zh"):
        circle = district[district["figure"] == "circle_15min"]
        if len(circle):
            row = circle.iloc[0]
            circle_text = f"{format_share(row['before'])} → {format_share(row['after'])}"
        else:
            circle_text = "—"
        gains = []
        for kind in touched:
            sel = district[district["kind"] == kind]
            if len(sel) and (sel["change"] != 0).any():
                label = kind_label(kind, lang)
                gains.append(
                    say(
                        "scn_summary_gain",
                        lang,
                        kind=label.lower() if lang == "en" else label,
                        minutes="/".join(str(int(m)) for m in sel["band_min"]),
                        change="/".join(_signed(float(c)) for c in sel["change"]),
                    )
                )
        out.append(
            say(
                "scn_summary",
                lang,
                name=scenario.name,
                added=len(scenario.added),
                closed=len(scenario.closed),
                changed=len(scenario.changed),
                circle=circle_text,
                gains=("; " if lang == "en" else "，").join(gains) or say("scn_summary_no_gain", lang),
                n_rules=len(verdicts),
            )
        )
    return out[0], out[1]


def _clean(value: Any) -> Any:
    """A JSON-ready value (NaN -> None, numpy scalars -> Python)."""
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def comparison_json(comparison: ScenarioComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (with ``*_zh`` fields for Chinese texts)."""
    sc = comparison.scenario
    verdicts = comparison.verdicts.copy()
    verdicts = verdicts.rename(columns={"name": "name_zh"})
    for tag in ("before", "after"):
        verdicts[f"verdict_{tag}_zh"] = [
            verdict_label(v, "zh") if isinstance(v, str) else None for v in verdicts[f"verdict_{tag}"]
        ]
    return {
        "scenario": {
            "name": sc.name,
            "study": sc.study,
            "coords": sc.coords,
            "notes": sc.notes,
            "added": [
                {
                    k: _clean(getattr(a, k))
                    for k in ("kind", "lon", "lat", "name", "floor_area_m2", "land_area_m2", "beds")
                }
                for a in sc.added
            ],
            "closed": list(sc.closed),
            "changed": [
                {k: getattr(c, k) for k in ("name", "beds", "floor_area_m2", "kind")} for c in sc.changed
            ],
        },
        "summary": comparison.summary,
        "summary_zh": comparison.summary_zh,
        "district": _records(comparison.district),
        "streets": _records(changed_rows(comparison.streets)),
        "communities": _records(changed_rows(comparison.communities)),
        "verdicts": _records(verdicts),
    }
