"""The access rules: elderly within a 15-minute walk of a day-care centre (per urban community), villages with a
rural mutual-aid facility (per town and district), and a community health centre beside each care facility.

The walking measures are given (:class:`~planning.standards.rows.Context`): without them these rules are not
assessable and say how to get them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planning.display import format_number, format_share
from planning.land import number_values
from planning.standards.rows import (
    Context,
    UnitRows,
    judge,
    not_assessable_row,
    rows_frame,
    split_texts,
)
from planning.standards.rules import Rule
from planning.standards.text import list_names


def check_daycare(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Per urban community: are all its elderly within the 15-minute walk of a day-care centre; and the district's
    share of covered communities against the rule.

    A :data:`~planning.standards.rows.Checker`: the district, then one row per urban community.
    """
    share = ctx.daycare_share
    urban = (ctx.comm["kind"] == "urban").to_numpy()
    if not urban.any():
        return not_assessable_row(ctx, rule, "研究区没有城市社区", "the study has no urban communities")
    if share is None:
        return not_assessable_row(
            ctx,
            rule,
            "未计算步行覆盖（运行 eldercircle coverage 或提供步行路网）",
            "coverage not computed (run eldercircle coverage / give a network)",
        )
    s = share.to_numpy(float)[urban]
    elderly = number_values(ctx.comm, "elderly")[urban]
    names = ctx.comm["name"].to_numpy(object)[urban]
    known = np.isfinite(s)
    verdict, shortfall = judge(np.where(known, s, 0.0), 1.0, ">=", assessable=known)
    beyond = np.where(known, elderly * (1.0 - np.clip(s, 0, 1)), np.nan)
    need = np.where(verdict == "fail", beyond, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = split_texts(
        [_daycare_text(verdict[i], share=s[i], beyond=beyond[i]) for i in range(len(names))]
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="community",
            unit_name=names,
            street=ctx.comm_street[urban],
            value=np.where(known, s, np.nan),
            threshold=1.0,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="elderly",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )
    district = _daycare_district(ctx, rule, verdict)
    return pd.concat([district, rows], ignore_index=True)


def _daycare_text(verdict: str, *, share: float, beyond: float) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one community's day-care row."""
    if not np.isfinite(share):
        return (
            "无法评估：该社区没有覆盖结果（无老年人口或不在路网上）",
            "not assessable: no coverage figure for this community (no elderly, or off the network)",
            "no coverage figure for this community",
        )
    if verdict == "pass":
        return (
            "达标：全部老年人在日间照料中心15分钟步行范围内",
            "meets the standard: all elderly within a 15-minute walk of a day-care centre",
            "",
        )
    return (
        f"约{format_number(beyond, 0, 'zh')}名老人（{format_share(1 - share, 0, 'zh')}）不在日间照料中心15分钟步行范围内",
        f"about {format_number(beyond)} elderly ({format_share(1 - share, 0, 'en')}) live beyond a 15-minute walk "
        "of a day-care centre",
        "",
    )


def _daycare_district(ctx: Context, rule: Rule, verdict: np.ndarray) -> pd.DataFrame:
    """The district row: the share of urban communities covered (of those with a coverage figure)."""
    n_ok = int((verdict == "pass").sum())
    n_assessed = int((verdict != "not_assessable").sum())
    n_na = len(verdict) - n_assessed
    dshare = n_ok / n_assessed if n_assessed else np.nan
    dverdict, dshort = judge(
        np.array([0.0 if not n_assessed else dshare]),
        rule.value,
        ">=",
        assessable=np.array([n_assessed > 0]),
        best=np.array([(n_ok + n_na) / len(verdict)]),
    )
    dneed = max(math.ceil(rule.value * len(verdict) - 1e-9) - n_ok, 0)
    zh_d = f"{len(verdict)}个城市社区中{n_ok}个全部在15分钟步行范围内" + (
        f"，{n_na}个无法评估" if n_na else ""
    )
    en_d = f"{n_ok} of {len(verdict)} urban communities entirely within the 15-minute walk" + (
        f", {n_na} not assessable" if n_na else ""
    )
    if dverdict[0] == "fail":
        zh_d += f"；还需覆盖{dneed}个社区"
        en_d += f"; {dneed} more communities must be covered"
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=dshare,
            verdict=dverdict[0],
            shortfall=dshort[0],
            need=float(dneed) if dverdict[0] == "fail" else (0.0 if dverdict[0] == "pass" else np.nan),
            need_unit="communities",
            zh=zh_d,
            en=en_d,
            reason="" if dverdict[0] != "not_assessable" else f"{n_na} communities without coverage figures",
        ),
    )


def check_rural(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The share of villages with a rural mutual-aid facility inside, in the district and per street (town).

    A :data:`~planning.standards.rows.Checker`: the district, one row per town, then one row for the villages
    that name no town.
    """
    village = (ctx.comm["kind"] == "rural").to_numpy()
    if not village.any():
        return not_assessable_row(
            ctx, rule, "研究区没有行政村（kind = rural）", "the study has no villages (kind = rural)"
        )
    has = np.zeros(len(ctx.comm), bool)
    mine = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy() & (ctx.located["community"].to_numpy() >= 0)
    has[ctx.located["community"].to_numpy()[mine]] = True
    frame = pd.DataFrame(
        {
            "street": ctx.comm_street[village],
            "has": has[village],
            "name": ctx.comm["name"].to_numpy(object)[village],
        }
    )
    units = [(ctx.district, None, frame)]
    for s, part in frame[pd.notna(frame["street"])].groupby("street", sort=False):
        units.append((s, s, part))
    n = np.array([len(p) for _, _, p in units], dtype=float)
    ok = np.array([int(p["has"].sum()) for _, _, p in units], dtype=float)
    value = ok / n
    verdict, shortfall = judge(value, rule.value, ">=")
    need = np.maximum(np.ceil(rule.value * n - 1e-9) - ok, 0.0)
    need = np.where(verdict == "fail", need, 0.0)
    zh, en = split_texts(
        [
            _rural_text(verdict[i], n=int(n[i]), ok=int(ok[i]), share=value[i], need=int(need[i]), part=part)
            for i, (_, _, part) in enumerate(units)
        ],
        2,
    )
    levels = np.array(["district"] + ["street"] * (len(units) - 1), dtype=object)
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level=levels,
            unit_name=np.array([u[0] for u in units], dtype=object),
            street=np.array([u[1] for u in units], dtype=object),
            value=value,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="villages",
            zh=zh,
            en=en,
        ),
    )
    no_town = _villages_without_town(ctx, rule, frame)
    return rows if no_town is None else pd.concat([rows, no_town], ignore_index=True)


def _rural_text(
    verdict: str, *, n: int, ok: int, share: float, need: int, part: pd.DataFrame
) -> tuple[str, str]:
    """The explanations (Chinese, English) of one town's (or the district's) row; ``part``: its villages."""
    base_zh = f"{n}个行政村中{ok}个有互助养老设施（{format_share(share, 0, 'zh')}）"
    base_en = f"{ok} of {n} villages have a mutual-aid facility ({format_share(share, 0, 'en')})"
    if verdict == "pass":
        return f"达标：{base_zh}", f"meets the standard: {base_en}"
    lacking = part.loc[~part["has"], "name"].tolist()
    return (
        f"还需在{need}个行政村设置互助养老设施；{base_zh}；缺少的村：{list_names(lacking, 'zh')}",
        f"{need} more villages need a mutual-aid facility; {base_en}; villages without: "
        f"{list_names(lacking, 'en')}",
    )


def _villages_without_town(ctx: Context, rule: Rule, frame: pd.DataFrame) -> pd.DataFrame | None:
    """The not-assessable row of the villages that name no street (town), or None."""
    no_street = pd.isna(frame["street"]).to_numpy()
    if not no_street.any():
        return None
    names = frame.loc[no_street, "name"].tolist()
    return not_assessable_row(
        ctx,
        rule,
        f"{len(names)}个行政村未填写所属乡镇（{list_names(names, 'zh')}），无法按乡镇统计",
        f"{len(names)} villages have no street/town ({list_names(names, 'en')}) and cannot be counted per town; "
        "fill in their street (街道/乡镇)",
        level="street",
        unit_name="(no street)",
    )
