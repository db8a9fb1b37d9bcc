"""The rules of the urban community network: the 15-minute elderly-care service circle (the share of the elderly of
urban communities within a 15-minute walk of its facilities, per street and district, with meal points on lines
apart) and the community elderly-care facility in every urban community.

The circle reads the walking times per demand point (:attr:`~planning.standards.rows.Context.walk_times`): without
them it is not assessable and says how to get them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planning.display import format_number, format_share
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.rows import (
    Context,
    UnitRows,
    judge,
    no_street_row,
    not_assessable_row,
    rows_frame,
    split_texts,
)
from planning.standards.rules import Rule
from planning.standards.text import list_names

#: The walk of the service circle (上饶 二(七), 信州区 一(一), 浉河区 二(四)1: 15分钟养老服务圈), in seconds.
CIRCLE_WALK_S = 15 * 60.0
#: Meal points (助餐点): measured on lines of their own, never counted in the circle.
MEAL_KIND = "meal_point"


def kind_times(ctx: Context, kind: str) -> np.ndarray | None:
    """Per demand point the walking seconds to the nearest facility of ``kind`` (NaN: none within the walk
    measured); all NaN when the study has no facility of the kind; None when the kind has facilities but was not
    measured (or no walking times were given)."""
    walk = ctx.walk_times
    if walk is None:
        return None
    col = f"walk_time_s_{kind}"
    if col in walk:
        return walk[col].to_numpy(float)
    if not (ctx.fac["kind"] == kind).any():
        return np.full(len(walk), np.nan)
    return None


def _kinds_text(kinds: tuple[str, ...]) -> tuple[str, str]:
    """The kinds, Chinese and English."""
    return (
        "、".join(FACILITY_KINDS.get(k, k) for k in kinds),
        ", ".join(FACILITY_KINDS_EN.get(k, k).lower() for k in kinds),
    )


def check_circle(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The 15-minute elderly-care service circle: per street (街道 and 镇 alike: the circle is urban, not 街道-only)
    and for the district, the share of the elderly of urban communities within a 15-minute walk of a facility of
    the study's circle kinds (``[standards] circle_kinds``, default the street centre as hub, embedded homes and
    day-care centres: 信州区 一(一)), against the rule's value. Meal points get ``advisory`` lines of their own.

    A :data:`~planning.standards.rows.Checker`: the district, then per street its circle row and its meal-point
    row; a row for communities without a street.
    """
    kinds = tuple(ctx.study.standards.circle_kinds)
    kinds_zh, kinds_en = _kinds_text(kinds)
    urban = (ctx.comm["kind"] == "urban").to_numpy()
    if not urban.any():
        return not_assessable_row(ctx, rule, "研究区没有城市社区", "the study has no urban communities")
    times = [kind_times(ctx, k) for k in kinds]
    missing = [k for k, t in zip(kinds, times, strict=True) if t is None]
    if ctx.walk_times is None or missing:
        what_zh, what_en = _kinds_text(tuple(missing) if ctx.walk_times is not None else kinds)
        return not_assessable_row(
            ctx,
            rule,
            f"未计算到{what_zh}的步行时间（运行 eldercircle coverage 或提供步行路网）",
            f"walking times to {what_en} not computed (run eldercircle coverage / give a network)",
        )
    within = np.zeros(len(ctx.walk_times), bool)
    for t in times:
        if t is not None:
            within |= np.nan_to_num(t, nan=np.inf) <= CIRCLE_WALK_S
    units = _urban_units(ctx, urban, within)
    note = (f"（服务圈设施：{kinds_zh}）", f" (circle facilities: {kinds_en})")
    circle = _share_rows(ctx, rule, units, note=note)
    meal = _meal_rows(ctx, rule, urban)
    parts: list[pd.DataFrame] = [circle.iloc[:1]]
    if meal is not None:
        parts.append(meal.iloc[:1])
    for i in range(1, len(circle)):
        parts.append(circle.iloc[i : i + 1])
        if meal is not None:
            parts.append(meal.iloc[i : i + 1])
    missing_street = no_street_row(ctx, rule)
    if missing_street is not None:
        parts.append(missing_street)
    return pd.concat(parts, ignore_index=True)


def _urban_units(ctx: Context, urban: np.ndarray, within: np.ndarray) -> pd.DataFrame:
    """The district and each street with urban communities: ``name``, ``street``, ``elderly`` (of the demand points
    in its urban communities) and ``covered`` (of those, within the walk: ``within`` per demand point)."""
    walk = ctx.walk_times
    assert walk is not None
    owner = walk["community"].to_numpy(int)
    w = walk["elderly"].to_numpy(float)
    inside = owner >= 0
    el = np.bincount(owner[inside], weights=w[inside], minlength=len(ctx.comm))
    cov = np.bincount(owner[inside & within], weights=w[inside & within], minlength=len(ctx.comm))
    frame = pd.DataFrame({"street": ctx.comm_street, "elderly": el, "covered": cov})[urban]
    rows = [{"name": ctx.district, "street": None, "elderly": el[urban].sum(), "covered": cov[urban].sum()}]
    for street, part in frame[pd.notna(frame["street"])].groupby("street", sort=False):
        rows.append(
            {
                "name": street,
                "street": street,
                "elderly": part["elderly"].sum(),
                "covered": part["covered"].sum(),
            }
        )
    return pd.DataFrame(rows, columns=["name", "street", "elderly", "covered"])


def _share_rows(
    ctx: Context,
    rule: Rule,
    units: pd.DataFrame,
    *,
    note: tuple[str, str],
    advisory: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """One row per unit (the district first): the share of its urban elderly within the walk, judged against the
    rule (or, with ``advisory`` = the measure's name in Chinese and English, shown as an ``advisory`` line)."""
    elderly = units["elderly"].to_numpy(float)
    covered = units["covered"].to_numpy(float)
    known = elderly > 0
    value = np.where(known, covered / np.where(known, elderly, 1.0), np.nan)
    verdict, shortfall = judge(np.where(known, value, 0.0), rule.value, ">=", assessable=known)
    need = np.where(
        verdict == "fail",
        np.maximum(np.ceil(rule.value * elderly - 1e-9) - covered, 0.0),
        np.where(verdict == "pass", 0.0, np.nan),
    )
    threshold = rule.value
    if advisory is not None:  # no target of its own: shown, never judged
        verdict = np.where(known, "advisory", "not_assessable").astype(object)
        shortfall = need = np.full(len(units), np.nan)
        threshold = np.nan
    zh, en, reason = split_texts(
        [
            _share_text(
                verdict[i],
                elderly=elderly[i],
                covered=covered[i],
                need=need[i],
                note=note,
                advisory=advisory,
            )
            for i in range(len(units))
        ]
    )
    levels = np.array(["district"] + ["street"] * (len(units) - 1), dtype=object)
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level=levels,
            unit_name=units["name"].to_numpy(object),
            street=units["street"].to_numpy(object),
            value=value,
            threshold=threshold,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="" if advisory is not None else "elderly",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )


def _share_text(
    verdict: str,
    *,
    elderly: float,
    covered: float,
    need: float,
    note: tuple[str, str],
    advisory: tuple[str, str] | None,
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one unit's row of the circle (or of its meal points)."""
    if not elderly > 0:
        return (
            "无法评估：城市社区没有老年人口分布点",
            "not assessable: no elderly located in the urban communities",
            "no elderly located in the urban communities",
        )
    share = covered / elderly
    base_zh = (
        f"城市社区老人{format_number(elderly, 0, 'zh')}人中{format_number(covered, 0, 'zh')}人"
        f"（{format_share(share, 0, 'zh')}）在15分钟步行范围内"
    )
    base_en = (
        f"{format_number(covered)} of {format_number(elderly)} elderly of urban communities "
        f"({format_share(share, 0, 'en')}) within a 15-minute walk"
    )
    if advisory is not None:
        return f"{advisory[0]}：{base_zh}{note[0]}", f"{advisory[1]}: {base_en}{note[1]}", ""
    if verdict == "pass":
        return f"达标：{base_zh}{note[0]}", f"meets the standard: {base_en}{note[1]}", ""
    return (
        f"{base_zh}；还需使约{format_number(need, 0, 'zh')}名老人进入15分钟养老服务圈{note[0]}",
        f"{base_en}; about {format_number(need)} more must be brought inside the 15-minute circle{note[1]}",
        "",
    )


def _meal_rows(ctx: Context, rule: Rule, urban: np.ndarray) -> pd.DataFrame | None:
    """The ``advisory`` lines of the meal points (the district's and each street's, aligned with the circle's
    rows), or None when the meal points were not measured or the study has none."""
    times = kind_times(ctx, MEAL_KIND)
    if times is None or not (ctx.fac["kind"] == MEAL_KIND).any():
        return None
    units = _urban_units(ctx, urban, np.nan_to_num(times, nan=np.inf) <= CIRCLE_WALK_S)
    return _share_rows(
        ctx,
        rule,
        units,
        note=("", ""),
        advisory=(
            "助餐点（单列提示，不计入服务圈）",
            "meal points (advisory line apart, not counted in the circle)",
        ),
    )


def check_community_facilities(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Community elderly-care facilities in every urban community (浉河区 二(四)1 社区养老服务设施全覆盖): an urban
    community counts when a facility of the rule's kinds stands inside it.

    A :data:`~planning.standards.rows.Checker`: the district (the share of urban communities that count, against
    the rule), then one row per urban community (how many such facilities stand in it, at least 1).
    """
    urban = (ctx.comm["kind"] == "urban").to_numpy()
    if not urban.any():
        return not_assessable_row(ctx, rule, "研究区没有城市社区", "the study has no urban communities")
    where = ctx.located["community"].to_numpy()
    mine = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy() & (where >= 0)
    count = np.bincount(where[mine], minlength=len(ctx.comm)).astype(float)[urban]
    names = ctx.comm["name"].to_numpy(object)[urban]
    verdict, shortfall = judge(count, 1.0, ">=")
    kinds_zh, kinds_en = _kinds_text(tuple(rule.kinds))
    zh, en = split_texts(
        [
            (
                f"达标：社区内有{int(c)}处社区养老服务设施",
                f"meets the standard: {int(c)} community elderly-care facilities in the community",
            )
            if c >= 1
            else (
                f"社区内没有社区养老服务设施（{kinds_zh}）",
                f"no community elderly-care facility ({kinds_en}) in the community",
            )
            for c in count
        ],
        2,
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="community",
            unit_name=names,
            street=ctx.comm_street[urban],
            value=count,
            threshold=1.0,
            verdict=verdict,
            shortfall=shortfall,
            need=np.where(verdict == "fail", 1.0, 0.0),
            need_unit="facilities",
            zh=zh,
            en=en,
            unit="facilities",
        ),
    )
    n, ok = len(count), int((count >= 1).sum())
    share = ok / n
    dverdict, dshort = judge(np.array([share]), rule.value, ">=")
    dneed = max(math.ceil(rule.value * n - 1e-9) - ok, 0)
    lacking = names[count < 1].tolist()
    zh_d = f"{n}个城市社区中{ok}个社区内有社区养老服务设施（{format_share(share, 0, 'zh')}）"
    en_d = f"{ok} of {n} urban communities have a community elderly-care facility inside ({format_share(share, 0, 'en')})"
    if dverdict[0] == "fail":
        zh_d += f"；还需在{dneed}个社区设置：{list_names(lacking, 'zh')}"
        en_d += f"; {dneed} more communities need one: {list_names(lacking, 'en')}"
    district = rows_frame(
        ctx,
        rule,
        UnitRows(
            value=share,
            verdict=dverdict[0],
            shortfall=dshort[0],
            need=float(dneed) if dverdict[0] == "fail" else 0.0,
            need_unit="communities",
            zh=zh_d if dverdict[0] == "fail" else f"达标：{zh_d}",
            en=en_d if dverdict[0] == "fail" else f"meets the standard: {en_d}",
        ),
    )
    return pd.concat([district, rows], ignore_index=True)
