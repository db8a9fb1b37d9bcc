"""The co-building rules: elderly-care rooms co-built per 100 households of each new (or existing) urban community,
and the share of new urban communities whose co-building meets the standard (配建达标率).

Floor areas are the ones given (no estimate); a facility whose floor area is unknown is listed, never counted as
zero, and a community that could still pass with it is not assessable. Only urban communities (kind urban) are
judged: villages (行政村) are outside these rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planning.display import format_number
from planning.land import cobuild_floor_by_community, number_values
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.rows import (
    Context,
    UnitRows,
    judge,
    not_assessable_row,
    rows_frame,
    share_row,
    split_texts,
    summary_row,
)
from planning.standards.rules import Rule
from planning.standards.text import list_names

#: The rule of m² per 100 households that the co-building rate of new communities applies where the preset has it.
NEW_FLOOR_RULE = "cobuild_new_m2_per_100_households"


def _urban_of_state(ctx: Context, state: str) -> np.ndarray:
    """Urban communities (kind urban) whose ``built`` is ``state`` (a missing ``built`` column: existing)."""
    comm = ctx.comm
    built = comm.get("built", pd.Series("existing", index=comm.index))
    return ((comm["kind"] == "urban") & (built == state)).to_numpy()


def check_cobuild(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Co-built elderly-care rooms per 100 households of each new (or existing) urban community.

    A :data:`~planning.standards.rows.Checker`: the district summary, then one row per community.
    """
    state = "new" if "_new_" in rule.id else "existing"
    comm = ctx.comm
    sel = _urban_of_state(ctx, state)
    what_zh, what_en = (
        ("新建城市社区", "new urban communities")
        if state == "new"
        else ("已建成城市社区", "existing urban communities")
    )
    if not sel.any():
        return not_assessable_row(
            ctx,
            rule,
            f"研究区没有{what_zh}（built = {state}）",
            f"the study has no {what_en} (built = {state})",
        )
    idx = np.flatnonzero(sel)
    floor = cobuild_floor_by_community(comm, ctx.fac, ctx.located, kinds=rule.kinds).iloc[idx]
    hh = number_values(comm, "households")[idx]
    known = floor["floor_m2"].to_numpy(float)
    n_unknown = floor["n_unknown"].to_numpy(int)
    value, verdict, shortfall, need = _cobuild_floor_verdicts(ctx, rule.value, floor, idx, empty_fails=False)
    required = rule.value * hh / 100.0
    names = comm["name"].to_numpy(object)[sel]
    unknown_names = floor["unknown_names"].to_numpy(object)
    zh, en, reason = split_texts(
        [
            _cobuild_text(
                verdict[i],
                known=known[i],
                households=hh[i],
                required=required[i],
                need=need[i],
                n_unknown=n_unknown[i],
                unknown_names=unknown_names[i],
            )
            for i in range(len(names))
        ]
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="community",
            unit_name=names,
            street=ctx.comm_street[sel],
            value=value,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="m2_floor",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )
    summary = summary_row(ctx, rule, verdict, what_zh=what_zh, what_en=what_en, need_unit="communities")
    return pd.concat([summary, rows], ignore_index=True)


def _cobuild_text(
    verdict: str,
    *,
    known: float,
    households: float,
    required: float,
    need: float,
    n_unknown: int,
    unknown_names: Any,
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one community's co-building row."""
    if not (np.isfinite(households) and households > 0):
        return (
            "无法评估：缺少户数（households）",
            "not assessable: missing households (户数)",
            "missing households (户数)" if not np.isfinite(households) else "households is 0",
        )
    base_zh = f"养老服务用房{format_number(known, 0, 'zh')}㎡，{format_number(households, 0, 'zh')}户，应配建{format_number(required, 0, 'zh')}㎡"
    base_en = (
        f"elderly-care rooms {format_number(known)} m² for {format_number(households)} households; "
        f"required {format_number(required)} m²"
    )
    if verdict == "pass":
        return f"达标：{base_zh}", f"meets the standard: {base_en}", ""
    if verdict == "fail":
        return (
            f"还需配建养老服务用房约{format_number(need, 0, 'zh')}㎡；{base_zh}",
            f"needs {format_number(need)} m² more elderly-care floor area; {base_en}",
            "",
        )
    return (
        f"无法评估：{n_unknown}处设施无建筑面积（{list_names(unknown_names, 'zh')}）；{base_zh}",
        f"not assessable: {n_unknown} facilities have no floor area ({list_names(unknown_names, 'en')}); {base_en}",
        f"{n_unknown} facilities without floor_area_m2: {list_names(unknown_names, 'en')}",
    )


def check_cobuild_share(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The co-building rate of new urban communities (信州区 一(二) 配建达标率100%; 磐安县 二(二)5 新建住宅小区配套建设
    养老服务设施达标率达到100%).

    A new urban community (kind urban, built = new) counts when a facility of the rule's kinds (street centre,
    day-care centre, embedded home, meal point) stands inside it and, where the preset sets m² per 100 households
    for new estates (:data:`NEW_FLOOR_RULE`), their floor area meets it. Villages are never counted.

    A :data:`~planning.standards.rows.Checker`: the district (the share of new communities that count against the
    rule's value), then one row per new community.
    """
    sel = _urban_of_state(ctx, "new")
    if not sel.any():
        return not_assessable_row(
            ctx,
            rule,
            "研究区没有新建城市社区（built = new）",
            "the study has no new urban communities (built = new)",
        )
    idx = np.flatnonzero(sel)
    floor = cobuild_floor_by_community(ctx.comm, ctx.fac, ctx.located, kinds=rule.kinds).iloc[idx]
    inside = _facilities_inside(ctx, rule, idx)
    per_hh = ctx.rules.get(NEW_FLOOR_RULE)
    n_fac = floor["n_facilities"].to_numpy(int)
    if per_hh is None:
        value = n_fac.astype(float)
        verdict = np.where(n_fac > 0, "pass", "fail").astype(object)
        shortfall = np.where(n_fac > 0, 0.0, 1.0)
        need, need_unit, unit, threshold = np.where(n_fac > 0, 0.0, 1.0), "facilities", "facilities", 1.0
    else:
        value, verdict, shortfall, need = _cobuild_floor_verdicts(ctx, per_hh.value, floor, idx)
        need_unit, unit, threshold = "m2_floor", per_hh.unit, per_hh.value
    hh = number_values(ctx.comm, "households")[idx]
    zh, en, reason = split_texts(
        [
            _share_text(
                per_hh,
                verdict[i],
                kinds=rule.kinds,
                inside=inside[i],
                known=float(floor["floor_m2"].iloc[i]),
                households=hh[i],
                value=value[i],
                need=need[i],
                unknown_names=floor["unknown_names"].iloc[i],
            )
            for i in range(len(idx))
        ]
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="community",
            unit_name=ctx.comm["name"].to_numpy(object)[idx],
            street=ctx.comm_street[idx],
            value=value,
            threshold=threshold,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit=need_unit,
            zh=zh,
            en=en,
            reason=reason,
            unit=unit,
        ),
    )
    district = _share_district(ctx, rule, per_hh, verdict)
    return pd.concat([district, rows], ignore_index=True)


def _share_district(ctx: Context, rule: Rule, per_hh: Rule | None, verdict: np.ndarray) -> pd.DataFrame:
    """The district row of the co-building rate: the share of new communities that count, and on what basis."""
    n_ok = int((verdict == "pass").sum())
    if per_hh is None:
        basis = (
            "（以社区内建有养老服务设施计；所选标准未规定每百户配建面积）",
            " (a facility inside counts; the preset sets no m² per 100 households)",
        )
    else:
        thr = format_number(per_hh.value, 0, "zh")
        basis = (
            f"（以每百户不少于{thr}㎡为达标，同“{per_hh.title_zh}”）",
            f" (at least {format_number(per_hh.value)} m² per 100 households, as in “{per_hh.title_en}”)",
        )
    return share_row(
        ctx,
        rule,
        verdict,
        texts=(
            f"{len(verdict)}个新建城市社区中{n_ok}个配建达标{basis[0]}",
            f"{n_ok} of {len(verdict)} new urban communities meet the co-building standard{basis[1]}",
        ),
        need_unit="communities",
    )


def _facilities_inside(ctx: Context, rule: Rule, idx: np.ndarray) -> list[list[str]]:
    """Per community position in ``idx``: the names of the facilities of the rule's kinds standing inside it."""
    mine = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    where = ctx.located["community"].to_numpy()
    names = ctx.fac["name"].to_numpy(object)
    return [[str(n) for n in names[mine & (where == i)]] for i in idx]


def _cobuild_floor_verdicts(
    ctx: Context,
    per_100_households_m2: float,
    floor: pd.DataFrame,
    idx: np.ndarray,
    *,
    empty_fails: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Value (m² per 100 households), verdict, shortfall and need (m² floor) of the communities at ``idx`` against
    a minimum floor area per 100 households. With ``empty_fails`` a community with no facility inside fails even
    without households (the co-building rate: nothing was co-built); otherwise it is not assessable."""
    hh = number_values(ctx.comm, "households")[idx]
    known = floor["floor_m2"].to_numpy(float)
    n_unknown = floor["n_unknown"].to_numpy(int)
    none_inside = (floor["n_facilities"].to_numpy(int) == 0) & empty_fails
    has_hh = np.isfinite(hh) & (hh > 0)
    value = np.where(has_hh, known * 100.0 / np.where(has_hh, hh, 1.0), np.where(none_inside, 0.0, np.nan))
    verdict, shortfall = judge(
        value, per_100_households_m2, ">=", assessable=has_hh, best=np.where(n_unknown > 0, np.inf, value)
    )
    verdict[none_inside] = "fail"
    shortfall = np.where(none_inside, per_100_households_m2 - np.nan_to_num(value), shortfall)
    required = per_100_households_m2 * hh / 100.0
    need = np.where(verdict == "fail", required - known, np.where(verdict == "pass", 0.0, np.nan))
    return value, verdict, shortfall, need


def _share_text(
    per_hh: Rule | None,
    verdict: str,
    *,
    kinds: tuple[str, ...],
    inside: list[str],
    known: float,
    households: float,
    value: float,
    need: float,
    unknown_names: Any,
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one new community's co-building-rate row."""
    if not inside:
        kinds_zh = "、".join(FACILITY_KINDS.get(k, k) for k in kinds)
        kinds_en = ", ".join(FACILITY_KINDS_EN.get(k, k).lower() for k in kinds)
        return (
            f"社区内没有养老服务设施（{kinds_zh}均无）：新建住宅小区应配套建设",
            f"no elderly-care facility stands inside (none of: {kinds_en}): a new estate must co-build one",
            "",
        )
    has_zh, has_en = f"社区内有{list_names(inside, 'zh')}", f"inside: {list_names(inside, 'en')}"
    if per_hh is None:
        return f"达标：{has_zh}", f"meets the standard: {has_en}", ""
    thr, thr_en = format_number(per_hh.value, 0, "zh"), format_number(per_hh.value)
    if not (np.isfinite(households) and households > 0):
        return (
            f"无法评估：{has_zh}，但缺少户数（households），无法按每百户{thr}㎡核算",
            f"not assessable: {has_en}, but households (户数) is missing, so {thr_en} m² per 100 households cannot "
            "be checked",
            "missing households (户数)",
        )
    base_zh = (
        f"{has_zh}，养老服务用房{format_number(known, 0, 'zh')}㎡，{format_number(households, 0, 'zh')}户，"
        f"每百户{format_number(value, 1, 'zh')}㎡"
    )
    base_en = (
        f"{has_en}; {format_number(known)} m² for {format_number(households)} households, "
        f"{format_number(value, 1)} m² per 100 households"
    )
    if verdict == "pass":
        return f"达标：{base_zh}，不低于{thr}㎡", f"meets the standard: {base_en}, at least {thr_en}", ""
    if verdict == "fail":
        return (
            f"配建不达标：{base_zh}，低于{thr}㎡；还需约{format_number(need, 0, 'zh')}㎡",
            f"co-building short: {base_en}, under {thr_en}; needs about {format_number(need)} m² more",
            "",
        )
    return (
        f"无法评估：{len(unknown_names)}处设施无建筑面积（{list_names(unknown_names, 'zh')}）；{base_zh}",
        f"not assessable: {len(unknown_names)} facilities have no floor area ({list_names(unknown_names, 'en')}); "
        f"{base_en}",
        f"facilities without floor_area_m2: {list_names(unknown_names, 'en')}",
    )
