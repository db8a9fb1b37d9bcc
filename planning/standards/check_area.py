"""The area rules: land per resident (per street and district), a street centre of the minimum floor area in every
street (街道), and the share of streets with a street centre. The co-building rules are in
:mod:`~planning.standards.check_cobuild`.

The land and floor areas come from :mod:`planning.land`; a facility whose area is unknown is listed, never counted as
zero, and a unit that could still pass with it is not assessable. A unit that passes only with land estimated from
floor area, and fails on the land given, is ``depends_on_estimate`` (取决于估算) and shows both figures. The street
centre rules are set for streets (街道: 信州区 一(一) 每个街道; 宜春 二(四)10 市辖区街道; 浉河区 二(四)1): towns (镇, 乡)
get an advisory row saying they are outside the rule, and the district counts streets only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planning.display import format_number
from planning.land import (
    ASSUMED_FAR,
    LAND_KINDS,
    facility_land,
    land_by_street,
    land_of_district,
    number_values,
)
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.rows import (
    Context,
    UnitRows,
    judge,
    no_street_row,
    not_assessable_row,
    rows_frame,
    share_row,
    split_texts,
    stray_row,
    summary_row,
)
from planning.standards.rules import LAND_PER_BED_M2, Rule
from planning.standards.streets import StreetScope, street_scope, town_rows
from planning.standards.text import format_value, list_names


def check_land(ctx: Context, rule: Rule) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Land per resident of each street and the district (district first), and the land counted per facility.

    Only the facility kinds of the rule count (:attr:`~planning.standards.rules.Rule.kinds`: 磐安县 二(二)4 counts
    community facilities, not nursing homes); the district row names them. A unit that passes only with the land
    estimated from floor area (floor area / FAR 0.8) and fails on the land areas given is ``depends_on_estimate``
    (取决于估算): its row gives both figures, and the shortfall and need on the given land only.

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
    v = _land_verdicts(rule, table)
    is_district = table["level"].to_numpy() == "district"
    zh, en, reason = split_texts(
        [_land_text(rule, table.iloc[i], v, i, district=bool(is_district[i])) for i in range(len(table))]
    )
    streets = table["street"].to_numpy(object)
    frame = rows_frame(
        ctx,
        rule,
        UnitRows(
            level=table["level"].to_numpy(object),
            unit_name=np.where(is_district, ctx.district, streets),
            street=streets,
            value=v.value,
            verdict=v.verdict,
            shortfall=v.shortfall,
            need=v.need,
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


@dataclass(frozen=True)
class _LandVerdicts:
    """Per row of the land table: residents, land with estimates (``known``) and given only, the values per
    resident on both bases, the verdict, shortfall and need."""

    residents: np.ndarray
    known: np.ndarray
    given: np.ndarray
    value: np.ndarray
    value_given: np.ndarray
    verdict: np.ndarray
    shortfall: np.ndarray
    need: np.ndarray


def _land_verdicts(rule: Rule, table: pd.DataFrame) -> _LandVerdicts:
    """The verdicts of the land table's rows: with estimates, and ``depends_on_estimate`` where the given land
    alone fails (estimates only add land, so the reverse cannot happen)."""
    residents = table["residents"].to_numpy(float)
    known = table["land_m2"].to_numpy(float)
    given = table["land_given_m2"].to_numpy(float)
    n_unknown = table["n_unknown"].to_numpy(int)
    has_people = residents > 0
    per = np.where(has_people, residents, 1.0)
    value = np.where(has_people, known / per, np.nan)
    value_given = np.where(has_people, given / per, np.nan)
    verdict, shortfall = judge(
        value, rule.value, ">=", assessable=has_people, best=np.where(n_unknown > 0, np.inf, value)
    )
    need = np.where(
        verdict == "fail", rule.value * residents - known, np.where(verdict == "pass", 0.0, np.nan)
    )
    given_verdict, given_shortfall = judge(value_given, rule.value, ">=", assessable=has_people)
    hangs = (verdict == "pass") & (given_verdict == "fail")
    verdict = np.where(hangs, "depends_on_estimate", verdict).astype(object)
    shortfall = np.where(hangs, given_shortfall, shortfall)
    need = np.where(hangs, rule.value * residents - given, need)
    return _LandVerdicts(residents, known, given, value, value_given, verdict, shortfall, need)


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


def _kinds_note(rule: Rule) -> tuple[str, str]:
    """The facility kinds the land rule counts, and those of :data:`~planning.land.LAND_KINDS` it leaves out."""
    zh = "；计入" + "、".join(FACILITY_KINDS.get(k, k) for k in rule.kinds)
    en = "; counted: " + ", ".join(FACILITY_KINDS_EN.get(k, k).lower() for k in rule.kinds)
    left_out = [k for k in LAND_KINDS if k not in rule.kinds]
    if left_out:
        zh += "，不含" + "、".join(FACILITY_KINDS.get(k, k) for k in left_out)
        en += "; not counted: " + ", ".join(FACILITY_KINDS_EN.get(k, k).lower() for k in left_out)
    return zh, en


def _land_text(rule: Rule, r: Any, v: _LandVerdicts, i: int, *, district: bool) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of row ``i`` of the land table (``r``: that row), the
    district's naming the kinds counted."""
    zh, en, reason = _land_sentences(rule, r, v, i)
    if district:
        kz, ke = _kinds_note(rule)
        zh, en = zh + kz, en + ke
    return zh, en, reason


def _land_sentences(rule: Rule, r: Any, v: _LandVerdicts, i: int) -> tuple[str, str, str]:
    """The explanations (Chinese, English) and reason of row ``i`` of the land table (``r``: that row)."""
    known, residents, value, need, verdict = v.known[i], v.residents[i], v.value[i], v.need[i], v.verdict[i]
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
    if verdict == "depends_on_estimate":
        return _depends_text(rule, r, v, i)
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


def _depends_text(rule: Rule, r: Any, v: _LandVerdicts, i: int) -> tuple[str, str, str]:
    """A row that passes with the estimated land and fails on the land given: both figures, the shortfall on the
    given land, and which facilities' land to fill in."""
    with_est, given_only = (
        format_value(v.value[i], rule.unit, "zh"),
        format_value(v.value_given[i], rule.unit, "zh"),
    )
    with_en, given_en = (
        format_value(v.value[i], rule.unit, "en"),
        format_value(v.value_given[i], rule.unit, "en"),
    )
    names = r.estimated_names
    est, est_en, unk, unk_en = _land_notes(r)
    zh = (
        f"取决于估算：含估算用地人均{with_est}，达标；仅按已填用地面积人均{given_only}，不达标"
        f"（还差约{format_number(v.need[i], 0, 'zh')}㎡）；请补填{r.n_estimated}处设施的用地面积"
        f"（{list_names(names, 'zh')}）；养老设施用地{format_number(v.known[i], 0, 'zh')}㎡"
        f"（已填{format_number(v.given[i], 0, 'zh')}㎡），常住人口{format_number(v.residents[i], 0, 'zh')}人{est}{unk}"
    )
    en = (
        f"depends on estimate: {with_en} with the estimated land meets the standard; {given_en} on the land "
        f"areas given does not ({format_number(v.need[i])} m² short); give the land area of {r.n_estimated} "
        f"facilities ({list_names(names, 'en')}); elderly-care land {format_number(v.known[i])} m² "
        f"({format_number(v.given[i])} m² given) for {format_number(v.residents[i])} residents{est_en}{unk_en}"
    )
    return zh, en, ""


def _centres_by_street(ctx: Context, rule: Rule, streets: np.ndarray) -> pd.DataFrame:
    """Per street (indexed by ``streets``): ``count`` of the centres of the rule's kinds placed there (their own
    street first, else the community they stand in), ``names``, the largest known floor area ``best`` (NaN when
    none known), ``best_name`` and ``unknown`` (names without floor area)."""
    is_centre = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    frame = pd.DataFrame(
        {
            "street": ctx.located["street"].to_numpy(object)[is_centre],
            "floor": number_values(ctx.fac, "floor_area_m2")[is_centre],
            "name": ctx.fac["name"].to_numpy(object)[is_centre],
        }
    )
    frame = frame[pd.notna(frame["street"])]
    g = frame.groupby("street", sort=False)
    out = pd.DataFrame(index=pd.Index(streets, dtype=object))
    out["count"] = g.size().reindex(streets).fillna(0).astype(int).to_numpy()
    out["names"] = [v if isinstance(v, list) else [] for v in g["name"].agg(list).reindex(streets)]
    out["best"] = g["floor"].max().reindex(streets).to_numpy(float)
    out["best_name"] = (
        frame.loc[frame["floor"].notna()]
        .sort_values("floor", ascending=False)
        .drop_duplicates("street")
        .set_index("street")["name"]
        .reindex(streets)
        .to_numpy(object)
    )
    unknown = frame[frame["floor"].isna()].groupby("street")["name"].agg(list).reindex(streets)
    out["unknown"] = [v if isinstance(v, list) else [] for v in unknown]
    return out


def _street_rows_out(
    ctx: Context,
    rule: Rule,
    scope: StreetScope,
    district: pd.DataFrame | None,
    rows: pd.DataFrame,
    towns: pd.DataFrame | None,
) -> pd.DataFrame:
    """A street rule's rows in order: the district (or, with no street to judge, one not-assessable row saying
    why), the streets, the towns outside the rule, then the communities or facilities no street holds."""
    if district is None:
        if scope.towns:
            zh = f"研究区只有镇（{list_names(scope.towns, 'zh')}），没有街道；本条只适用于街道"
            en = f"the study has towns only ({list_names(scope.towns, 'en')}), no streets (街道), which the rule covers"
        else:
            zh, en = "没有社区填写所属街道", "no community names its street (街道)"
        district = not_assessable_row(ctx, rule, zh, en)
    parts = [district, rows, towns, no_street_row(ctx, rule), stray_row(ctx, rule)]
    return pd.concat([p for p in parts if p is not None and len(p)], ignore_index=True)


def check_street_centre(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The floor area of the largest street centre of each street (街道; towns are outside a rule that covers
    streets only, 信州区 一(一) 每个街道).

    A :data:`~planning.standards.rows.Checker`: the district summary (streets judged only), one row per street, an
    advisory row per town outside the rule, then the communities or facilities no street holds.
    """
    all_streets = pd.unique(ctx.comm_street[pd.notna(ctx.comm_street)])
    scope = street_scope(rule, all_streets)
    streets = np.asarray(all_streets, dtype=object)[scope.judged]
    centres = _centres_by_street(ctx, rule, streets)
    value = np.nan_to_num(centres["best"].to_numpy(float), nan=0.0)
    n_unknown = np.array([len(u) for u in centres["unknown"]], dtype=int)
    verdict, shortfall = judge(value, rule.value, ">=", best=np.where(n_unknown > 0, np.inf, value))
    need = np.where(verdict == "fail", rule.value - value, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = split_texts(
        [
            _street_centre_text(
                rule,
                verdict=verdict[i],
                count=int(centres["count"].iloc[i]),
                name=centres["best_name"].iloc[i],
                value=value[i],
                need=need[i],
                unknown_names=centres["unknown"].iloc[i],
            )
            for i in range(len(streets))
        ]
    )
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="street",
            unit_name=streets,
            street=streets,
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
    district = (
        summary_row(
            ctx, rule, verdict, what_zh="街道", what_en="streets", need_unit="streets", note=scope.note()
        )
        if len(streets)
        else None
    )
    return _street_rows_out(ctx, rule, scope, district, rows, town_rows(ctx, rule, scope))


def check_street_centre_share(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The share of streets (街道) in which a street centre of any size stands (宜春 二(四)10 市辖区街道…综合养老服务
    中心实现全覆盖; 浉河区 二(四)1 街道…养老服务设施全覆盖).

    A centre is placed as for :func:`check_street_centre`: its own street first, else the community it stands in.
    Towns are listed, not judged (the county-seat towns 县城镇 that 宜春 also names cannot be told apart).

    A :data:`~planning.standards.rows.Checker`: the district (the share of streets with a centre against the rule's
    value), one row per street (centres counted against 1), an advisory row per town, then the communities or
    facilities no street holds.
    """
    all_streets = pd.unique(ctx.comm_street[pd.notna(ctx.comm_street)])
    scope = street_scope(rule, all_streets)
    streets = np.asarray(all_streets, dtype=object)[scope.judged]
    centres = _centres_by_street(ctx, rule, streets)
    count = centres["count"].to_numpy(int)
    verdict = np.where(count > 0, "pass", "fail").astype(object)
    zh = [
        f"达标：街道内有{list_names(n, 'zh')}" if c else "街道内没有综合养老服务中心"
        for n, c in zip(centres["names"], count, strict=True)
    ]
    en = [
        f"meets the standard: {list_names(n, 'en')} in the street" if c else "no street centre in the street"
        for n, c in zip(centres["names"], count, strict=True)
    ]
    rows = rows_frame(
        ctx,
        rule,
        UnitRows(
            level="street",
            unit_name=streets,
            street=streets,
            value=count.astype(float),
            threshold=1.0,
            verdict=verdict,
            shortfall=np.where(count > 0, 0.0, 1.0),
            need=np.where(count > 0, 0.0, 1.0),
            need_unit="facilities",
            zh=np.asarray(zh, dtype=object),
            en=np.asarray(en, dtype=object),
            unit="facilities",
        ),
    )
    district = None
    if len(streets):
        n_ok = int((count > 0).sum())
        lacking = list(streets[count == 0])
        texts = (
            f"{len(streets)}个街道中{n_ok}个建有综合养老服务中心"
            + (f"（缺：{list_names(lacking, 'zh')}）" if lacking else ""),
            f"{n_ok} of {len(streets)} streets have a street centre"
            + (f" (none in {list_names(lacking, 'en')})" if lacking else ""),
        )
        note = scope.note()
        district = share_row(
            ctx, rule, verdict, texts=(texts[0] + note[0], texts[1] + note[1]), need_unit="streets"
        )
    towns = town_rows(ctx, rule, scope, unit="facilities", threshold=1.0)
    return _street_rows_out(ctx, rule, scope, district, rows, towns)


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
