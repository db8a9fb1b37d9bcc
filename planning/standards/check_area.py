"""The area rules: land per resident (per street and district), co-built rooms per 100 households (per
community), and a street centre of the minimum floor area in every street.

The land and floor areas come from :mod:`planning.land`; a facility whose area is unknown is listed, never counted as
zero, and a unit that could still pass with it is not assessable.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planning.display import format_number
from planning.land import (
    ASSUMED_FAR,
    cobuild_floor_by_community,
    facility_land,
    land_by_street,
    land_of_district,
    number_values,
)
from planning.standards.rows import (
    Context,
    UnitRows,
    judge,
    no_street_row,
    not_assessable_row,
    rows_frame,
    split_texts,
    stray_row,
    summary_row,
)
from planning.standards.rules import LAND_PER_BED_M2, Rule
from planning.standards.text import list_names


def check_land(ctx: Context, rule: Rule) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Land per resident of each street and the district (district first), and the land counted per facility.

    Parameters
    ----------
    ctx : the study's frames and the measures given to the check.
    rule : the land rule.

    Returns
    -------
    rows : pandas.DataFrame
        Rows with the columns of :data:`~planning.standards.rows.ROW_COLUMNS`: the district, one row per street,
        then the communities or facilities no street holds.
    land : pandas.DataFrame
        Per facility counted: ``name``, ``kind``, ``street``, ``land_m2``, ``basis``, ``basis_zh``, ``basis_en``.
    """
    land = facility_land(ctx.fac, kinds=rule.kinds)
    per_street = land_by_street(ctx.comm, land, ctx.located)
    district = land_of_district(ctx.comm, land)
    table = pd.concat(
        [per_street.assign(level="street"), pd.DataFrame([district]).assign(level="district", street=None)],
        ignore_index=True,
    )
    residents = table["residents"].to_numpy(float)
    known = table["land_m2"].to_numpy(float)
    n_unknown = table["n_unknown"].to_numpy(int)
    has_people = residents > 0
    value = np.where(has_people, known / np.where(has_people, residents, 1.0), np.nan)
    verdict, shortfall = judge(
        value, rule.value, ">=", assessable=has_people, best=np.where(n_unknown > 0, np.inf, value)
    )
    need = np.where(
        verdict == "fail", rule.value * residents - known, np.where(verdict == "pass", 0.0, np.nan)
    )
    zh, en, reason = split_texts(
        [
            _land_text(
                rule,
                table.iloc[i],
                known=known[i],
                residents=residents[i],
                value=value[i],
                need=need[i],
                verdict=verdict[i],
            )
            for i in range(len(table))
        ]
    )
    is_district = table["level"].to_numpy() == "district"
    streets = table["street"].to_numpy(object)
    frame = rows_frame(
        ctx,
        rule,
        UnitRows(
            level=table["level"].to_numpy(object),
            unit_name=np.where(is_district, ctx.district, streets),
            street=streets,
            value=value,
            verdict=verdict,
            shortfall=shortfall,
            need=need,
            need_unit="m2_land",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )
    # the district first
    frame = pd.concat([frame[is_district], frame[~is_district]], ignore_index=True)
    extras = [e for e in (no_street_row(ctx, rule), stray_row(ctx, rule)) if e is not None]
    if extras:
        frame = pd.concat([frame, *extras], ignore_index=True)
    counted = land[land["counts"]].join(ctx.located[["street"]])
    land_cols = ["name", "kind", "street", "land_m2", "basis", "basis_zh", "basis_en"]
    land_table = counted[land_cols].reset_index(drop=True)
    return frame, land_table


def _land_notes(r: Any) -> tuple[str, str, str, str]:
    """What a land row adds: land estimated from floor area, facilities not counted (Chinese, English each)."""
    est = (
        f"，其中{r.n_estimated}处设施用地按建筑面积÷容积率{ASSUMED_FAR:g}估算（{format_number(r.land_estimated_m2, 0, 'zh')}㎡）"
        if r.n_estimated
        else ""
    )
    est_en = (
        f"; land of {r.n_estimated} facilities estimated from floor area / FAR {ASSUMED_FAR:g} "
        f"({format_number(r.land_estimated_m2)} m²)"
        if r.n_estimated
        else ""
    )
    unk = (
        f"；{r.n_unknown}处设施无用地和建筑面积，未计入：{list_names(r.unknown_names, 'zh')}"
        if r.n_unknown
        else ""
    )
    unk_en = (
        f"; {r.n_unknown} facilities with neither land nor floor area not counted: "
        f"{list_names(r.unknown_names, 'en')}"
        if r.n_unknown
        else ""
    )
    return est, est_en, unk, unk_en


def _land_text(
    rule: Rule, r: Any, *, known: float, residents: float, value: float, need: float, verdict: str
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one land row (``r``: a row of the land table)."""
    est, est_en, unk, unk_en = _land_notes(r)
    base_zh = (
        f"养老设施用地{format_number(known, 0, 'zh')}㎡，常住人口{format_number(residents, 0, 'zh')}人"
        f"，人均{format_number(value, 3, 'zh')}㎡{est}"
    )
    base_en = (
        f"elderly-care land {format_number(known)} m² for {format_number(residents)} residents: "
        f"{format_number(value, 3)} m² per resident{est_en}"
    )
    if not residents > 0:
        return (
            f"无法评估：街道常住人口为0{unk}",
            f"not assessable: the street has no residents (population 0){unk_en}",
            "the street has no residents (population 0)",
        )
    if verdict == "pass":
        return f"达标：{base_zh}{unk}", f"meets the standard: {base_en}{unk_en}", ""
    if verdict == "fail":
        lo, hi = LAND_PER_BED_M2
        b1, b2 = need / hi, need / lo
        return (
            f"还需用地约{format_number(need, 0, 'zh')}㎡，约可建{format_number(b1, 0, 'zh')}–{format_number(b2, 0, 'zh')}张养老院床位"
            f"（每床用地{lo:g}–{hi:g}㎡，GB 50437 3.2.4）；{base_zh}",
            f"needs {format_number(need)} m² more land: room for about {format_number(b1)}–{format_number(b2)} nursing-home beds "
            f"at {lo:g}–{hi:g} m² per bed (GB 50437 3.2.4); {base_en}",
            "",
        )
    gap = rule.value * residents - known
    return (
        f"无法评估：{r.n_unknown}处设施无用地和建筑面积（{list_names(r.unknown_names, 'zh')}），"
        f"其余设施人均{format_number(value, 3, 'zh')}㎡，若这些设施合计用地不足{format_number(gap, 0, 'zh')}㎡则不达标"
        f"；请补填其用地面积或建筑面积",
        f"not assessable: {r.n_unknown} facilities have neither land nor floor area "
        f"({list_names(r.unknown_names, 'en')}); without them {format_number(value, 3)} m² per resident, short "
        f"unless they add {format_number(gap)} m²; give their land or floor area",
        f"{r.n_unknown} facilities have neither land_area_m2 nor floor_area_m2: "
        f"{list_names(r.unknown_names, 'en')}",
    )


def check_cobuild(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Co-built elderly-care rooms per 100 households of each new (or existing) urban community.

    A :data:`~planning.standards.rows.Checker`: the district summary, then one row per community.
    """
    state = "new" if "_new_" in rule.id else "existing"
    comm = ctx.comm
    sel = (
        (comm["kind"] == "urban") & (comm.get("built", pd.Series("existing", index=comm.index)) == state)
    ).to_numpy()
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
    floor = cobuild_floor_by_community(comm, ctx.fac, ctx.located, kinds=rule.kinds).iloc[np.flatnonzero(sel)]
    hh = number_values(comm, "households")[sel]
    known = floor["floor_m2"].to_numpy(float)
    n_unknown = floor["n_unknown"].to_numpy(int)
    has_hh = np.isfinite(hh) & (hh > 0)
    value = np.where(has_hh, known * 100.0 / np.where(has_hh, hh, 1.0), np.nan)
    verdict, shortfall = judge(
        value, rule.value, ">=", assessable=has_hh, best=np.where(n_unknown > 0, np.inf, value)
    )
    required = rule.value * hh / 100.0
    need = np.where(verdict == "fail", required - known, np.where(verdict == "pass", 0.0, np.nan))
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


def check_street_centre(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The floor area of the largest street centre of each street.

    A :data:`~planning.standards.rows.Checker`: the district summary, one row per street, then the communities
    or facilities no street holds.
    """
    streets = pd.unique(ctx.comm_street[pd.notna(ctx.comm_street)])
    is_centre = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    fstreet = ctx.located["street"].to_numpy(object)[is_centre]
    floor = number_values(ctx.fac, "floor_area_m2")[is_centre]
    fname = ctx.fac["name"].to_numpy(object)[is_centre]
    frame = pd.DataFrame({"street": fstreet, "floor": floor, "name": fname})
    frame = frame[pd.notna(frame["street"])]
    g = frame.groupby("street", sort=False)
    best = g["floor"].max().reindex(streets)
    count = g.size().reindex(streets).fillna(0).astype(int)
    best_name = (
        frame.loc[frame["floor"].notna()]
        .sort_values("floor", ascending=False)
        .drop_duplicates("street")
        .set_index("street")["name"]
        .reindex(streets)
    )
    unknown = frame[frame["floor"].isna()].groupby("street")["name"].agg(list).reindex(streets)
    value = best.fillna(0.0).to_numpy(float)
    n_unknown = np.array([len(u) if isinstance(u, list) else 0 for u in unknown], dtype=int)
    verdict, shortfall = judge(value, rule.value, ">=", best=np.where(n_unknown > 0, np.inf, value))
    need = np.where(verdict == "fail", rule.value - value, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = split_texts(
        [
            _street_centre_text(
                rule,
                verdict=verdict[i],
                count=int(count.iloc[i]),
                name=best_name.iloc[i],
                value=value[i],
                need=need[i],
                unknown_names=unknown.iloc[i],
            )
            for i in range(len(streets))
        ]
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="street",
            unit_name=np.asarray(streets, dtype=object),
            street=np.asarray(streets, dtype=object),
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
    if len(streets) == 0:
        out = not_assessable_row(ctx, rule, "没有社区填写所属街道", "no community names its street (街道)")
    else:
        out = pd.concat(
            [summary_row(ctx, rule, verdict, what_zh="街道", what_en="streets", need_unit="streets"), rows],
            ignore_index=True,
        )
    extras = [e for e in (no_street_row(ctx, rule), stray_row(ctx, rule)) if e is not None]
    return pd.concat([out, *extras], ignore_index=True) if extras else out


def _street_centre_text(
    rule: Rule, *, verdict: str, count: int, name: Any, value: float, need: float, unknown_names: Any
) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of one street's row: its largest centre, or none."""
    thr = format_number(rule.value, 0, "zh")
    if verdict == "not_assessable":
        names = unknown_names
        return (
            f"无法评估：{len(names)}处中心无建筑面积（{list_names(names, 'zh')}）"
            + (f"，其余最大{format_number(value, 0, 'zh')}㎡" if value > 0 else ""),
            f"not assessable: {len(names)} centres have no floor area ({list_names(names, 'en')})"
            + (f"; the largest known is {format_number(value)} m²" if value > 0 else ""),
            f"street centres without floor_area_m2: {list_names(names, 'en')}",
        )
    if count == 0:
        return (
            f"街道内没有综合养老服务中心：需建一处建筑面积不少于{thr}㎡的中心",
            f"no street centre in the street: one of at least {format_number(rule.value)} m² floor area is needed",
            "",
        )
    if verdict == "pass":
        return (
            f"达标：{name}建筑面积{format_number(value, 0, 'zh')}㎡",
            f"meets the standard: {name} has {format_number(value)} m² floor area",
            "",
        )
    more = f"（街道内共{count}处中心，以最大者计）" if count > 1 else ""
    more_en = f" (the largest of {count} centres)" if count > 1 else ""
    return (
        f"还差{format_number(need, 0, 'zh')}㎡：{name}建筑面积{format_number(value, 0, 'zh')}㎡，不足{thr}㎡{more}",
        f"needs {format_number(need)} m² more floor area: {name} has {format_number(value)} m², under "
        f"{format_number(rule.value)} m²{more_en}",
        "",
    )
