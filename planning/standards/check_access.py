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
    on_verdict,
    rows_frame,
    split_texts,
)
from planning.standards.rules import Rule
from planning.standards.text import list_names

#: The day-care reading of the texts: a community without a centre inside is served when at least this share of its
#: elderly live within the walk of one (a centre may serve its neighbours).
DAYCARE_SERVED_SHARE = 0.5


def check_daycare(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Per urban community: is it served by a day-care centre (宜春 二(四)10 社区日间照料机构覆盖100%的城市社区; 信州区
    一(一) 日间照料中心实现社区全覆盖); the district's share of served communities against the rule; and, beside it, the
    stricter reading: the share of the elderly within the 15-minute walk of a centre.

    A community is served when a day-care centre stands in it, or when at least half of its elderly
    (:data:`DAYCARE_SERVED_SHARE`) live within the 15-minute walk of one. Each community row's value is the share of
    its elderly within reach (the stricter reading) against that half; a centre inside passes whatever the share.
    Without walking measures a centre inside is still judged; the other communities are not assessable.

    A :data:`~planning.standards.rows.Checker`: the district (the rule's row, then an ``advisory`` row with the
    stricter reading when measured), then one row per urban community.
    """
    urban = (ctx.comm["kind"] == "urban").to_numpy()
    if not urban.any():
        return not_assessable_row(ctx, rule, "研究区没有城市社区", "the study has no urban communities")
    inside = [c for c, u in zip(_centres_inside(ctx, rule), urban, strict=True) if u]
    measured = ctx.daycare_share is not None
    s = (
        ctx.daycare_share.to_numpy(float)[urban]
        if ctx.daycare_share is not None
        else np.full(len(inside), np.nan)
    )
    elderly = number_values(ctx.comm, "elderly")[urban]
    names = ctx.comm["name"].to_numpy(object)[urban]
    known = np.isfinite(s)
    has = np.array([bool(c) for c in inside])
    verdict, shortfall = judge(np.where(known, s, 0.0), DAYCARE_SERVED_SHARE, ">=", assessable=known | has)
    verdict[has] = "pass"
    shortfall[has] = 0.0
    # elderly still to bring within the walk (or a centre inside) before half of them are
    need = np.where(
        verdict == "fail",
        np.maximum(np.ceil(elderly * DAYCARE_SERVED_SHARE - 1e-9) - elderly * np.where(known, s, 0.0), 0.0),
        np.where(verdict == "pass", 0.0, np.nan),
    )
    zh, en, reason = split_texts(
        [
            _daycare_text(
                verdict[i], centres=inside[i], share=s[i], beyond=elderly[i] * (1.0 - s[i]), measured=measured
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
            street=ctx.comm_street[urban],
            value=s,
            threshold=DAYCARE_SERVED_SHARE,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="elderly",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )
    parts = [_daycare_district(ctx, rule, verdict, has=has, measured=measured)]
    if measured:
        parts.append(_daycare_stricter(ctx, rule, share=s, elderly=elderly))
    return pd.concat([*parts, rows], ignore_index=True)


def _centres_inside(ctx: Context, rule: Rule) -> list[list[str]]:
    """Per community (aligned with ``ctx.comm``) the names of the facilities of the rule's kinds that stand in it."""
    out: list[list[str]] = [[] for _ in range(len(ctx.comm))]
    where = ctx.located["community"].to_numpy()
    mine = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy() & (where >= 0)
    for c, name in zip(where[mine], ctx.fac["name"].to_numpy(object)[mine], strict=True):
        out[c].append(str(name))
    return out


def _daycare_text(
    verdict: str, *, centres: list[str], share: float, beyond: float, measured: bool
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one community's day-care row."""
    if np.isfinite(share):
        strict_zh = f"严格口径：{format_share(share, 0, 'zh')}的老人在日间照料中心15分钟步行范围内"
        strict_en = f"stricter reading: {format_share(share, 0, 'en')} of its elderly within a 15-minute walk"
    elif measured:
        strict_zh = "严格口径无法计算（无老年人口或不在路网上）"
        strict_en = "stricter reading not computed (no elderly, or off the network)"
    else:
        strict_zh = "未计算步行覆盖，严格口径无法评估"
        strict_en = "walking coverage not computed: no stricter reading"
    if centres:
        return (
            f"达标：社区内有日间照料中心（{list_names(centres, 'zh')}）；{strict_zh}",
            f"meets the standard: a day-care centre stands in the community ({list_names(centres, 'en')}); "
            f"{strict_en}",
            "",
        )
    if not measured:
        return (
            "无法评估：社区内没有日间照料中心；未计算步行覆盖（运行 eldercircle coverage 或提供步行路网），无法判断"
            "是否有半数老人在邻近中心15分钟步行范围内",
            "not assessable: no day-care centre in the community, and walking coverage not computed (run eldercircle "
            "coverage / give a network) to tell whether half its elderly live within a 15-minute walk of one",
            "no day-care centre inside; coverage not computed (run eldercircle coverage / give a network)",
        )
    if not np.isfinite(share):
        return (
            "无法评估：社区内没有日间照料中心，且该社区没有覆盖结果（无老年人口或不在路网上）",
            "not assessable: no day-care centre in the community and no coverage figure for it (no elderly, or off "
            "the network)",
            "no coverage figure for this community",
        )
    if verdict == "pass":
        return (
            f"达标：社区内没有日间照料中心，但{format_share(share, 0, 'zh')}的老人在邻近中心15分钟步行范围内"
            "（半数以上即视为覆盖）",
            f"meets the standard: no day-care centre inside, but {format_share(share, 0, 'en')} of its elderly live "
            "within a 15-minute walk of one (half or more counts as served)",
            "",
        )
    if share <= 0:
        return (
            f"社区内没有日间照料中心，约{format_number(beyond, 0, 'zh')}名老人均不在任何中心15分钟步行范围内；需在社区内"
            "设置日间照料中心，或使半数以上老人在步行范围内",
            f"no day-care centre in the community and none of its about {format_number(beyond)} elderly within a "
            "15-minute walk of one; a centre inside, or half its elderly within the walk, would serve it",
            "",
        )
    return (
        f"社区内没有日间照料中心，仅{format_share(share, 0, 'zh')}的老人在15分钟步行范围内"
        f"（约{format_number(beyond, 0, 'zh')}人不在），不足半数；需在社区内设置日间照料中心，或使半数以上老人在步行范围内",
        f"no day-care centre in the community and only {format_share(share, 0, 'en')} of its elderly within a "
        f"15-minute walk (about {format_number(beyond)} beyond), less than half; a centre inside, or half its "
        "elderly within the walk, would serve it",
        "",
    )


def _daycare_district(
    ctx: Context, rule: Rule, verdict: np.ndarray, *, has: np.ndarray, measured: bool
) -> pd.DataFrame:
    """The district row: the share of urban communities served; not assessable while the communities that cannot be
    judged could still bring it to the rule's value."""
    n = len(verdict)
    n_ok = int((verdict == "pass").sum())
    n_inside = int(has.sum())
    n_assessed = int((verdict != "not_assessable").sum())
    n_na = n - n_assessed
    dshare = n_ok / n  # at least: the communities not assessable may be served too
    dverdict, dshort = judge(
        np.array([dshare]),
        rule.value,
        ">=",
        assessable=np.array([n_assessed > 0]),
        best=np.array([(n_ok + n_na) / n]),
    )
    dneed = max(math.ceil(rule.value * n - 1e-9) - n_ok, 0)
    zh_d = f"{n}个城市社区中{n_ok}个有日间照料中心服务（{n_inside}个社区内有中心"
    en_d = f"{n_ok} of {n} urban communities served by a day-care centre ({n_inside} with a centre inside"
    if measured:
        zh_d += f"，{n_ok - n_inside}个半数以上老人在邻近中心15分钟步行范围内）"
        en_d += f", {n_ok - n_inside} with half or more of their elderly within a 15-minute walk of one)"
    else:
        zh_d += "；未计算步行覆盖）"
        en_d += "; walking coverage not computed)"
    if n_na:
        zh_d += f"，{n_na}个无法评估"
        en_d += f", {n_na} not assessable"
    if dverdict[0] == "fail":
        zh_d += f"；还需服务{dneed}个社区"
        en_d += f"; {dneed} more communities must be served"
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=dshare,
            verdict=dverdict[0],
            shortfall=dshort[0],
            need=on_verdict(dverdict[0], dneed),
            need_unit="communities",
            zh=zh_d,
            en=en_d,
            reason="" if dverdict[0] != "not_assessable" else f"{n_na} communities cannot be judged",
        ),
    )


def _daycare_stricter(ctx: Context, rule: Rule, *, share: np.ndarray, elderly: np.ndarray) -> pd.DataFrame:
    """The district's ``advisory`` row of the stricter reading: the share of the urban elderly within the 15-minute
    walk of a day-care centre, and how many communities have all their elderly within it (informs, never fails)."""
    known = np.isfinite(share) & np.isfinite(elderly)
    total = float(elderly[known].sum())
    covered = float((elderly * share)[known].sum())
    value = covered / total if total > 0 else np.nan
    n_all = int((share[known] >= 1.0 - 1e-9).sum())
    n = len(share)
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=value,
            verdict="advisory",
            shortfall=np.nan,
            need=np.nan,
            need_unit="",
            threshold=1.0,
            zh=f"严格口径（仅作提示，不作判定）：城市社区老人中{format_share(value, 0, 'zh')}在日间照料中心15分钟步行"
            f"范围内（约{format_number(total - covered, 0, 'zh')}人不在）；{n}个城市社区中{n_all}个全部老人在范围内",
            en=f"stricter reading (advisory, not judged): {format_share(value, 0, 'en')} of the urban elderly live "
            f"within a 15-minute walk of a day-care centre (about {format_number(total - covered)} beyond); {n_all} "
            f"of {n} urban communities have all their elderly within it",
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
            ctx,
            rule,
            "研究区没有行政村（社区图层中类型为“行政村”的行）",
            "the study has no villages (kind = rural)",
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
