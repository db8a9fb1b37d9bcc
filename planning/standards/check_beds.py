"""The bed rules of the district: care beds per 1000 elderly, the nursing-type share of institution beds, and
dementia-care beds per 10 000 elderly.

Beds of the kinds a rule counts are summed; beds at other kinds are named and left out, and facilities whose column
is blank make the district not assessable when they could change the verdict.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planning.display import format_number, format_share
from planning.land import number_values
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.rows import Context, UnitRows, judge, not_assessable_row, rows_frame
from planning.standards.rules import NEED_UNITS, Rule
from planning.standards.text import list_names


def _bed_frame(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Name and bed columns of the facilities of the rule's kinds; ``attrs["has"]``: which columns the layer has."""
    sel = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    out = pd.DataFrame({"name": ctx.fac["name"].to_numpy(object)[sel]})
    for col in ("beds", "nursing_beds", "dementia_beds"):
        out[col] = number_values(ctx.fac, col)[sel]
    out.attrs["has"] = {c: c in ctx.fac for c in ("beds", "nursing_beds", "dementia_beds")}
    return out


def _other_beds(ctx: Context, rule: Rule, column: str) -> tuple[str, str]:
    """The sentence saying how many ``column`` beds of other kinds the rule leaves out (empty when none)."""
    other = ~ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    n = float(np.nansum(number_values(ctx.fac, column)[other]))
    if n <= 0:
        return "", ""
    kinds = [
        k
        for k in FACILITY_KINDS
        if k not in rule.kinds
        and (number_values(ctx.fac, column)[(ctx.fac["kind"] == k).to_numpy()] > 0).any()
    ]
    counted_zh = "、".join(FACILITY_KINDS[k] for k in rule.kinds)
    counted_en = " and ".join(FACILITY_KINDS_EN[k].lower() for k in rule.kinds)
    return (
        f"（另有{'、'.join(FACILITY_KINDS[k] for k in kinds)}的{format_number(n, 0, 'zh')}张未计入：本条只计{counted_zh}）",
        (
            f" ({format_number(n)} more at {', '.join(FACILITY_KINDS_EN[k].lower() for k in kinds)} not counted: this rule "
            f"counts {counted_en} only)"
        ),
    )


def _total_elderly(ctx: Context) -> float:
    """Residents aged 60+ of the study."""
    return float(np.nansum(number_values(ctx.comm, "elderly")))


def check_beds(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Care beds of nursing homes and embedded homes per 1000 elderly.

    A :data:`~planning.standards.rows.Checker`: one district row.
    """
    beds = _bed_frame(ctx, rule)
    elderly = _total_elderly(ctx)
    if elderly <= 0:
        return not_assessable_row(ctx, rule, "研究区老年人口为0", "the study has no elderly (elderly = 0)")
    unknown = beds["name"][beds["beds"].isna()].tolist()
    known = float(beds["beds"].sum(skipna=True))
    value = known / elderly * 1000.0
    verdict, shortfall = judge(
        np.array([value]), rule.value, ">=", best=np.array([np.inf if unknown else value])
    )
    need_beds = max(math.ceil(rule.value * elderly / 1000.0 - known - 1e-9), 0)
    other_zh, other_en = _other_beds(ctx, rule, "beds")
    base_zh = f"养老床位{format_number(known, 0, 'zh')}张{other_zh}，老年人口{format_number(elderly, 0, 'zh')}人，每千人{format_number(value, 1, 'zh')}张"
    base_en = f"{format_number(known)} beds{other_en} for {format_number(elderly)} elderly: {format_number(value, 1)} per 1000"
    judged = (value, verdict[0], shortfall[0], need_beds)
    return _district_bed_row(ctx, rule, judged, "beds", (base_zh, base_en), unknown)


#: The bed columns in Chinese, for "N facilities leave it blank".
_COLUMN_ZH = {"beds": "床位数", "nursing_beds": "护理型床位", "dementia_beds": "认知障碍床位"}


def _district_bed_row(
    ctx: Context,
    rule: Rule,
    judged: tuple[float, str, float, float],
    column: str,
    base: tuple[str, str],
    unknown: list[str],
) -> pd.DataFrame:
    """The district row of a bed rule, explained.

    ``judged``: the value, its verdict, shortfall and need (counted in ``column``, also the need's unit); ``base``:
    what was counted (Chinese, English); ``unknown``: the facilities whose ``column`` is blank.
    """
    value, verdict, shortfall, need = judged
    nu_zh, nu_en = NEED_UNITS[column]
    column_zh = _COLUMN_ZH[column]
    base_zh, base_en = base
    if verdict == "pass":
        zh, en, reason = f"达标：{base_zh}", f"meets the standard: {base_en}", ""
        if unknown:
            zh += f"（另有{len(unknown)}处未填{column_zh}，未计入）"
            en += f" ({len(unknown)} facilities without {column} not counted)"
    elif verdict == "fail":
        zh, en, reason = (
            f"还需{need}{nu_zh}；{base_zh}",
            f"needs {format_number(need)} more {nu_en}; {base_en}",
            "",
        )
    else:
        zh = f"无法评估：{len(unknown)}处设施未填{column_zh}（{list_names(unknown, 'zh')}）；已知部分：{base_zh}"
        en = (
            f"not assessable: {len(unknown)} facilities lack {column} ({list_names(unknown, 'en')}); "
            f"known part: {base_en}"
        )
        reason = f"{column} blank at {len(unknown)} facilities: {list_names(unknown, 'en')}"
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=value,
            verdict=verdict,
            shortfall=shortfall,
            need=float(need) if verdict == "fail" else (0.0 if verdict == "pass" else np.nan),
            need_unit=column,
            zh=zh,
            en=en,
            reason=reason,
        ),
    )


def check_nursing_share(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The nursing-type share of the beds of nursing homes and embedded homes.

    A :data:`~planning.standards.rows.Checker`: one district row.
    """
    beds = _bed_frame(ctx, rule)
    has_beds = beds["beds"].to_numpy(float) > 0
    b = beds[has_beds]
    if not len(b):
        return not_assessable_row(
            ctx,
            rule,
            "没有填写床位数的养老院或嵌入式养老院",
            "no nursing home or embedded home with beds",
            unit="share",
        )
    if not beds.attrs["has"]["nursing_beds"] or b["nursing_beds"].isna().all():
        return not_assessable_row(
            ctx,
            rule,
            "缺少护理型床位列 nursing_beds（护理型床位）",
            "missing column nursing_beds (护理型床位)",
        )
    total = float(b["beds"].sum())
    known = float(b["nursing_beds"].sum(skipna=True))
    unknown_mask = b["nursing_beds"].isna().to_numpy()
    unknown = b["name"][unknown_mask].tolist()
    lower = known / total
    upper = (known + float(b["beds"][unknown_mask].sum())) / total
    verdict, shortfall = judge(np.array([lower]), rule.value, ">=", best=np.array([upper]))
    need = max(math.ceil(rule.value * total - known - 1e-9), 0)
    other_zh, other_en = _other_beds(ctx, rule, "beds")
    base_zh = f"护理型床位{format_number(known, 0, 'zh')}张，占床位{format_number(total, 0, 'zh')}张的{format_share(lower, 1, 'zh')}{other_zh}"
    base_en = f"{format_number(known)} nursing-type beds of {format_number(total)} beds ({format_share(lower, 1, 'en')}){other_en}"
    judged = (lower, verdict[0], shortfall[0], need)
    return _district_bed_row(ctx, rule, judged, "nursing_beds", (base_zh, base_en), unknown)


def check_dementia(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Dementia-care beds per 10 000 elderly.

    A :data:`~planning.standards.rows.Checker`: one district row.
    """
    beds = _bed_frame(ctx, rule)
    elderly = _total_elderly(ctx)
    if not beds.attrs["has"]["dementia_beds"] or beds["dementia_beds"].isna().all():
        return not_assessable_row(
            ctx,
            rule,
            "缺少认知障碍床位列 dementia_beds（认知障碍床位）",
            "missing column dementia_beds (认知障碍床位)",
        )
    if elderly <= 0:
        return not_assessable_row(ctx, rule, "研究区老年人口为0", "the study has no elderly (elderly = 0)")
    known = float(beds["dementia_beds"].sum(skipna=True))
    unknown_mask = beds["dementia_beds"].isna().to_numpy() & ~(beds["beds"].to_numpy(float) == 0)
    unknown = beds["name"][unknown_mask].tolist()
    value = known / elderly * 10000.0
    upper = (
        (
            known
            + float(
                np.nansum(np.where(unknown_mask, np.where(np.isnan(beds["beds"]), np.inf, beds["beds"]), 0.0))
            )
        )
        / elderly
        * 10000.0
    )
    verdict, shortfall = judge(np.array([value]), rule.value, ">=", best=np.array([upper]))
    need = max(math.ceil(rule.value * elderly / 10000.0 - known - 1e-9), 0)
    base_zh = f"认知障碍床位{format_number(known, 0, 'zh')}张，老年人口{format_number(elderly, 0, 'zh')}人，每万人{format_number(value, 1, 'zh')}张"
    base_en = f"{format_number(known)} dementia-care beds for {format_number(elderly)} elderly: {format_number(value, 1)} per 10 000"
    judged = (value, verdict[0], shortfall[0], need)
    return _district_bed_row(ctx, rule, judged, "dementia_beds", (base_zh, base_en), unknown)
