"""The rows of the check: the inputs every rule checker shares, the verdict, and the table row builders.

Each rule checker (:mod:`~planning.standards.check_area`, :mod:`~planning.standards.check_access`,
:mod:`~planning.standards.check_beds`, :mod:`~planning.standards.check_sites`) takes a :class:`Context` and its
:class:`~planning.standards.rules.Rule` and returns rows with the columns of :data:`ROW_COLUMNS`, built by
:func:`rows_frame` from a :class:`UnitRows`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from planning.standards.presets import RuleSet
from planning.standards.rules import NEED_UNITS, Rule
from planning.standards.text import list_names
from planning.study import Study

ROW_COLUMNS = [
    "rule_id",
    "title_zh",
    "title_en",
    "level",
    "unit_name",
    "street",
    "value",
    "threshold",
    "compare",
    "unit",
    "verdict",
    "shortfall",
    "need",
    "need_unit",
    "explanation_zh",
    "explanation_en",
    "reason",
    "citation",
    "status",
    "force",
    "target_year",
    "overridden",
]


@dataclass(frozen=True, eq=False)
class Context:
    """What every rule checker reads: the study's frames, where each facility is, and the measures given.

    Attributes
    ----------
    study : the study.
    rules : the rules checked (for ``overridden``).
    comm, fac : communities and facilities, renumbered from 0.
    located : per facility its community (position in ``comm``, -1 outside all) and street.
    comm_street : per community its street (None when blank).
    district : the district's name (the unit of district rows).
    daycare_share : per community (aligned with ``comm``) the share of its elderly within the 15-minute walk of a
        day-care centre, or None when not computed.
    walk_times : per demand point the walking seconds to the nearest facility of each kind measured
        (:func:`~planning.standards.check_study`'s ``walk_times``), or None when not computed.
    health_walk_m : per facility (aligned with ``fac``) the walk in metres to the nearest health centre, or None.
    candidate_health_walk_m : per candidate site (indexed like ``study.candidates``) the same walk, or None.
    straight_line_fallback : without walks, measure health-centre distances in a straight line.
    expressways : expressway lines and junctions, ``"auto"`` or None (as in :func:`~planning.standards.check_study`).
    cache : what one rule reads that another reuses (the candidates and their kinds, the expressways).
    """

    study: Study
    rules: RuleSet
    comm: gpd.GeoDataFrame
    fac: gpd.GeoDataFrame
    located: pd.DataFrame
    comm_street: np.ndarray
    district: str
    daycare_share: pd.Series | None = None
    walk_times: pd.DataFrame | None = None
    health_walk_m: pd.Series | None = None
    candidate_health_walk_m: pd.Series | None = None
    straight_line_fallback: bool = False
    expressways: Any = "auto"
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitRows:
    """The rows of one rule over some units: each field one value per row, or a single value for every row.

    Attributes
    ----------
    value : in ``unit``.
    verdict : ``pass``, ``fail`` or ``not_assessable``.
    shortfall : in ``unit``.
    need : what the shortfall means, in ``need_unit`` (a key of :data:`~planning.standards.rules.NEED_UNITS` or "").
    zh, en : the explanations.
    reason : why a row is not assessable ("" otherwise).
    level : ``district`` (default), ``street``, ``community``, ``facility`` or ``candidate``.
    unit_name : the unit's name (its length sets the number of rows when it is a sequence); None: the district.
    street : the unit's street (None for the district).
    threshold : in ``unit``; None: the rule's value.
    compare, unit : when they differ from the rule's (the district summary of a per-unit rule is a share).
    """

    value: Any
    verdict: Any
    shortfall: Any
    need: Any
    need_unit: Any
    zh: Any
    en: Any
    reason: Any = ""
    threshold: Any = None
    level: Any = "district"
    unit_name: Any = None
    street: Any = None
    compare: str | None = None
    unit: str | None = None


#: A rule checker: the context and the rule in, the rule's rows out (columns of :data:`ROW_COLUMNS`), the district
#: row first where the rule has one; a rule that cannot be judged gives one not-assessable row saying why.
Checker = Callable[[Context, Rule], pd.DataFrame]


def rows_frame(ctx: Context, rule: Rule, rows: UnitRows) -> pd.DataFrame:
    """The rows as a frame with the columns of :data:`ROW_COLUMNS` (the rule's title, citation and status added).

    Parameters
    ----------
    ctx : the check's context (whether the rule is overridden).
    rule : the rule the rows judge.
    rows : the values of the rows.

    Returns
    -------
    pandas.DataFrame
    """
    unit_name = ctx.district if rows.unit_name is None else rows.unit_name
    n = len(unit_name) if isinstance(unit_name, (list, np.ndarray, pd.Series)) else 1

    def col(v: Any, dtype: Any = object) -> np.ndarray:
        if isinstance(v, (list, np.ndarray, pd.Series)):
            return np.asarray(v, dtype=dtype)
        out = np.empty(n, dtype=dtype)
        out[:] = v
        return out

    data = {
        "rule_id": col(rule.id),
        "title_zh": col(rule.title_zh),
        "title_en": col(rule.title_en),
        "level": col(rows.level),
        "unit_name": col(unit_name),
        "street": col(rows.street),
        "value": col(rows.value, float),
        "threshold": col(rule.value if rows.threshold is None else rows.threshold, float),
        "compare": col(rows.compare or rule.compare),
        "unit": col(rows.unit or rule.unit),
        "verdict": col(rows.verdict),
        "shortfall": col(rows.shortfall, float),
        "need": col(rows.need, float),
        "need_unit": col(rows.need_unit),
        "explanation_zh": col(rows.zh),
        "explanation_en": col(rows.en),
        "reason": col(rows.reason),
        "citation": col(rule.citation),
        "status": col(rule.status),
        "force": col(rule.force()),
        "target_year": col(np.nan if rule.target_year is None else float(rule.target_year), float),
        "overridden": col(rule.id in ctx.rules.overridden, bool),
    }
    return pd.DataFrame(data, columns=ROW_COLUMNS)


def split_texts(texts: list[tuple[str, ...]], n: int = 3) -> tuple[list[str], ...]:
    """Per-row texts ``(zh, en, reason)`` turned into the lists of each (``n``: how many texts a row has).

    Parameters
    ----------
    texts : one tuple per row.
    n : the length of each tuple.

    Returns
    -------
    tuple of list of str
        ``n`` lists, each as long as ``texts``.
    """
    return tuple([t[j] for t in texts] for j in range(n))


def not_assessable_row(
    ctx: Context,
    rule: Rule,
    reason_zh: str,
    reason_en: str,
    *,
    level: str = "district",
    unit_name: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """One not-assessable row (the district's by default) saying why.

    Parameters
    ----------
    ctx : the check's context.
    rule : the rule that cannot be judged.
    reason_zh, reason_en : why, in Chinese and English (the English one is also the row's ``reason``).
    level, unit_name : the unit of the row; default the district.
    unit : the unit of the row's values when it is not the rule's.

    Returns
    -------
    pandas.DataFrame
        One row.
    """
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level=level,
            unit_name=unit_name or ctx.district,
            value=np.nan,
            verdict="not_assessable",
            shortfall=np.nan,
            need=np.nan,
            need_unit="",
            zh=f"无法评估：{reason_zh}",
            en=f"not assessable: {reason_en}",
            reason=reason_en,
            unit=unit,
        ),
    )


def _eps(threshold: np.ndarray | float) -> np.ndarray | float:
    return 1e-9 * np.maximum(1.0, np.abs(threshold))


def judge(
    value: np.ndarray,
    threshold: np.ndarray | float,
    compare: str,
    *,
    assessable: np.ndarray | None = None,
    best: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Verdicts and shortfalls of values against a threshold.

    Rows whose known value fails but whose best value could pass are not assessable. Values within 1e-9 (relative)
    of the threshold pass.

    Parameters
    ----------
    value : what is known, per row.
    threshold : the rule's value.
    compare : ``>=`` (a minimum) or ``<=`` (a maximum).
    assessable : rows that can be judged at all; default all.
    best : the most favourable value the unknown data could still give; None: the known value is exact.

    Returns
    -------
    verdict : numpy.ndarray
        ``pass``, ``fail`` or ``not_assessable`` (object array).
    shortfall : numpy.ndarray
        How far a failing value is from the threshold; 0 on a pass, NaN when not assessable.
    """
    value = np.asarray(value, dtype=float)
    best = value if best is None else np.asarray(best, dtype=float)
    ok = np.ones(len(value), bool) if assessable is None else np.asarray(assessable, bool)
    if compare == ">=":
        passes = value >= threshold - _eps(threshold)
        could = best >= threshold - _eps(threshold)
        shortfall = np.maximum(np.asarray(threshold, float) - value, 0.0)
    else:
        passes = value <= threshold + _eps(threshold)
        could = best <= threshold + _eps(threshold)
        shortfall = np.maximum(value - np.asarray(threshold, float), 0.0)
    verdict = np.where(
        ~ok, "not_assessable", np.where(passes, "pass", np.where(could, "not_assessable", "fail"))
    )
    shortfall = np.where(verdict == "fail", shortfall, np.where(verdict == "pass", 0.0, np.nan))
    return verdict.astype(object), shortfall


def on_verdict(verdict: str, amount: float) -> float:
    """A row's shortfall or need: ``amount`` on a fail, 0 on a pass, NaN when the row is not judged."""
    return float(amount) if verdict == "fail" else (0.0 if verdict == "pass" else np.nan)


def no_street_row(ctx: Context, rule: Rule) -> pd.DataFrame | None:
    """The not-assessable row of communities without a street, for street-level rules.

    Parameters
    ----------
    ctx : the check's context.
    rule : the street-level rule.

    Returns
    -------
    pandas.DataFrame or None
        One row naming the communities, or None when every community has its street.
    """
    missing = pd.isna(ctx.comm_street)
    if not missing.any():
        return None
    names = ctx.comm["name"].to_numpy(object)[missing]
    zh = (
        f"{int(missing.sum())}个社区未填写所属街道（{list_names(names, 'zh')}），无法按街道统计；请补填“街道”"
    )
    en = (
        f"{int(missing.sum())} communities have no street ({list_names(names, 'en')}) and cannot be counted per "
        "street; fill in their street (街道)"
    )
    return not_assessable_row(ctx, rule, zh, en, level="street", unit_name="(no street)")


def stray_row(ctx: Context, rule: Rule) -> pd.DataFrame | None:
    """The not-assessable row of facilities of the rule's kinds that no street of the communities holds.

    Parameters
    ----------
    ctx : the check's context (where each facility lies).
    rule : the street-level rule (its kinds are the facilities that count).

    Returns
    -------
    pandas.DataFrame or None
        One row naming the facilities, or None when every facility of the kinds lies in a known street.
    """
    sel = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    street = ctx.located["street"].to_numpy(object)
    known = set(ctx.comm_street[pd.notna(ctx.comm_street)])
    stray = sel & ~pd.Series(street, dtype=object).isin(known).to_numpy()
    if not stray.any():
        return None
    names = [
        f"{n}（{s}）" if s is not None else str(n)
        for n, s in zip(ctx.fac["name"].to_numpy(object)[stray], street[stray], strict=False)
    ]
    names_en = [
        f"{n} ({s})" if s is not None else str(n)
        for n, s in zip(ctx.fac["name"].to_numpy(object)[stray], street[stray], strict=False)
    ]
    zh = (
        f"{len(names)}处设施不在任何社区内且未填街道，或所填街道不在社区图层中（{list_names(names, 'zh')}），"
        "未计入任何街道；请核对其位置或“街道”"
    )
    en = (
        f"{len(names)} facilities lie in no community without a street, or name a street the communities do not "
        f"have ({list_names(names_en, 'en')}), so no street counts them; check their location or street"
    )
    return not_assessable_row(ctx, rule, zh, en, level="street", unit_name="(unknown street)")


def summary_row(
    ctx: Context,
    rule: Rule,
    verdicts: np.ndarray,
    *,
    what_zh: str,
    what_en: str,
    need_unit: str,
    note: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    """District row of a rule judged per unit: the share of assessed units that pass, against 100 %.

    Parameters
    ----------
    ctx : the check's context.
    rule : the rule judged per unit.
    verdicts : the verdicts of the units.
    what_zh, what_en : what the units are (``街道``, ``streets``).
    need_unit : what the district's need counts (a key of :data:`~planning.standards.rules.NEED_UNITS`).
    note : a sentence (Chinese, English) added to the explanations, e.g. the towns outside the rule.

    Returns
    -------
    pandas.DataFrame
        One row; failing when any unit fails.
    """
    n_pass = int((verdicts == "pass").sum())
    n_fail = int((verdicts == "fail").sum())
    n_na = int((verdicts == "not_assessable").sum())
    assessed = n_pass + n_fail
    share = n_pass / assessed if assessed else np.nan
    verdict = "fail" if n_fail else ("not_assessable" if n_na or not assessed else "pass")
    zh = f"{what_zh}：{n_pass}个达标，{n_fail}个未达标" + (f"，{n_na}个无法评估" if n_na else "") + note[0]
    en = f"{what_en}: {n_pass} pass, {n_fail} fail" + (f", {n_na} not assessable" if n_na else "") + note[1]
    reason = (
        ""
        if verdict != "not_assessable"
        else (f"{n_na} {what_en} not assessable" if n_na else f"no {what_en} to check")
    )
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=share,
            threshold=1.0,
            verdict=verdict,
            shortfall=on_verdict(verdict, 1.0 - share),
            need=on_verdict(verdict, n_fail),
            need_unit=need_unit,
            zh=zh,
            en=en,
            reason=reason,
            compare=">=",
            unit="share",
        ),
    )


def share_row(
    ctx: Context,
    rule: Rule,
    verdicts: np.ndarray,
    *,
    texts: tuple[str, str],
    need_unit: str,
) -> pd.DataFrame:
    """District row of a share rule judged per unit: the share of assessed units that pass, against the rule's value.

    A unit not assessable is left out of the share; when the units left out could still lift the share to the
    value, the district is not assessable.

    Parameters
    ----------
    ctx : the check's context.
    rule : the share rule (its value a fraction).
    verdicts : the verdicts of the units (``pass``, ``fail``, ``not_assessable``).
    texts : what the units are and how many pass (Chinese, English), e.g. ``("4个新建城市社区中1个达标", ...)``;
        the row adds how many more must pass.
    need_unit : what the need counts (a key of :data:`~planning.standards.rules.NEED_UNITS`).

    Returns
    -------
    pandas.DataFrame
        One row.
    """
    n = len(verdicts)
    n_ok = int((verdicts == "pass").sum())
    n_na = int((verdicts == "not_assessable").sum())
    n_assessed = n - n_na
    share = n_ok / n_assessed if n_assessed else np.nan
    verdict, shortfall = judge(
        np.array([share if n_assessed else 0.0]),
        rule.value,
        ">=",
        assessable=np.array([n_assessed > 0]),
        best=np.array([(n_ok + n_na) / n if n else 0.0]),
    )
    need = max(math.ceil(rule.value * n - 1e-9) - n_ok, 0)
    zh, en = texts
    if n_na:
        zh, en = f"{zh}，{n_na}个无法评估", f"{en}, {n_na} not assessable"
    if verdict[0] == "fail":
        zh += f"；还需{need}{NEED_UNITS[need_unit][0]}达标"
        en += f"; {need} more {NEED_UNITS[need_unit][1]} must meet it"
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=share,
            verdict=verdict[0],
            shortfall=shortfall[0],
            need=on_verdict(verdict[0], need),
            need_unit=need_unit,
            zh=f"达标：{zh}" if verdict[0] == "pass" else zh,
            en=f"meets the standard: {en}" if verdict[0] == "pass" else en,
            reason="" if verdict[0] != "not_assessable" else f"{n_na} of {n} units not assessable",
            compare=">=",
            unit="share",
        ),
    )
