"""The bed rules of the district: care beds per 1000 elderly, the nursing-type share of institution beds, and
dementia-care beds per 10 000 elderly; and the county's care institution for the destitute.

Which beds count is the study's bed basis (``[standards] bed_basis``, ``eldercircle check --bed-basis``):
``institutions`` (default) counts the rule's kinds, the care institutions (养老机构: nursing homes and embedded homes;
GB 50437 3.2.1 养老院 + 老年养护院, and the 养老机构 of the texts' 护理型床位占比 clauses: 信州区 二(六), 浉河区 二(五)1);
``all`` counts the beds of every care facility (street centres and day-care centres included). Every bed row states
its basis. Beds of the kinds left out are named, and facilities whose column is blank make the district not
assessable when they could change the verdict.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planning.display import format_number, format_share
from planning.land import number_values
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.standards.rows import Context, UnitRows, judge, not_assessable_row, on_verdict, rows_frame
from planning.standards.rules import NEED_UNITS, Rule
from planning.standards.text import list_names

#: The kinds whose beds the ``all`` basis counts: every care facility (a health centre's beds are medical beds).
ALL_BED_KINDS = tuple(k for k in FACILITY_KINDS if k != "health_centre")


def bed_kinds(ctx: Context, rule: Rule) -> tuple[str, ...]:
    """The kinds whose beds a bed rule counts on the study's basis: the rule's kinds (``institutions``) or every
    care facility (``all``)."""
    return ALL_BED_KINDS if ctx.study.standards.bed_basis == "all" else rule.kinds


def basis_text(basis: str, kinds: tuple[str, ...]) -> tuple[str, str]:
    """What a bed figure counts (Chinese, English): ``口径：养老机构床位（社区嵌入式养老院+养老院，bed_basis =
    institutions）``.

    Parameters
    ----------
    basis : ``institutions`` or ``all``.
    kinds : the kinds counted (:func:`bed_kinds`).

    Returns
    -------
    tuple of str
    """
    if basis == "all":
        return (
            "口径：全部设施床位（含街道综合养老服务中心、日间照料中心等）",
            "basis: every facility's beds (street centres, day-care centres and the rest included, bed_basis = all)",
        )
    return (
        f"口径：养老机构床位（{'+'.join(FACILITY_KINDS[k] for k in kinds)}）",
        f"basis: care-institution beds ({' + '.join(FACILITY_KINDS_EN[k].lower() for k in kinds)}, "
        "bed_basis = institutions)",
    )


def _with_basis(ctx: Context, rule: Rule, base: tuple[str, str]) -> tuple[str, str]:
    """``base`` (Chinese, English) followed by the bed basis it was counted on."""
    zh, en = basis_text(ctx.study.standards.bed_basis, bed_kinds(ctx, rule))
    return f"{base[0]}；{zh}", f"{base[1]}; {en}"


def _bed_frame(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Name and bed columns of the facilities counted, and ``institution`` (of the rule's own kinds: a blank there
    is unknown, while on the ``all`` basis a blank at another kind means no beds); ``attrs["has"]``: which columns
    the layer has."""
    sel = ctx.fac["kind"].isin(list(bed_kinds(ctx, rule))).to_numpy()
    out = pd.DataFrame({"name": ctx.fac["name"].to_numpy(object)[sel]})
    out["institution"] = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()[sel]
    for col in ("beds", "nursing_beds", "dementia_beds"):
        out[col] = number_values(ctx.fac, col)[sel]
    out.attrs["has"] = {c: c in ctx.fac for c in ("beds", "nursing_beds", "dementia_beds")}
    return out


def _other_beds(ctx: Context, rule: Rule, column: str) -> tuple[str, str]:
    """The sentence saying how many ``column`` beds of other kinds the rule leaves out (empty when none)."""
    counted = bed_kinds(ctx, rule)
    other = ~ctx.fac["kind"].isin(list(counted)).to_numpy()
    n = float(np.nansum(number_values(ctx.fac, column)[other]))
    if n <= 0:
        return "", ""
    kinds = [
        k
        for k in FACILITY_KINDS
        if k not in counted and (number_values(ctx.fac, column)[(ctx.fac["kind"] == k).to_numpy()] > 0).any()
    ]
    counted_zh = "、".join(FACILITY_KINDS[k] for k in counted)
    counted_en = " and ".join(FACILITY_KINDS_EN[k].lower() for k in counted)
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
    """Care beds per 1000 elderly, counted on the study's bed basis (default: nursing homes and embedded homes).

    A :data:`~planning.standards.rows.Checker`: one district row.
    """
    beds = _bed_frame(ctx, rule)
    elderly = _total_elderly(ctx)
    if elderly <= 0:
        return not_assessable_row(ctx, rule, "研究区老年人口为0", "the study has no elderly (elderly = 0)")
    blank = beds["beds"].isna().to_numpy()
    unknown = beds["name"][blank & beds["institution"].to_numpy()].tolist()
    n_none = int((blank & ~beds["institution"].to_numpy()).sum())
    known = float(beds["beds"].sum(skipna=True))
    value = known / elderly * 1000.0
    verdict, shortfall = judge(
        np.array([value]), rule.value, ">=", best=np.array([np.inf if unknown else value])
    )
    need_beds = max(math.ceil(rule.value * elderly / 1000.0 - known - 1e-9), 0)
    other_zh, other_en = _other_beds(ctx, rule, "beds")
    base_zh = f"养老床位{format_number(known, 0, 'zh')}张{other_zh}，老年人口{format_number(elderly, 0, 'zh')}人，每千人{format_number(value, 1, 'zh')}张"
    base_en = f"{format_number(known)} beds{other_en} for {format_number(elderly)} elderly: {format_number(value, 1)} per 1000"
    if n_none:
        base_zh += f"（另有{n_none}处非养老机构设施未填床位数，按无床位计）"
        base_en += f" ({n_none} facilities other than institutions leave beds blank: taken as none)"
    judged = (value, verdict[0], shortfall[0], need_beds)
    return _district_bed_row(ctx, rule, judged, "beds", _with_basis(ctx, rule, (base_zh, base_en)), unknown)


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
            need=on_verdict(verdict, need),
            need_unit=column,
            zh=zh,
            en=en,
            reason=reason,
        ),
    )


def check_nursing_share(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The nursing-type share of the beds counted on the study's bed basis (default: nursing homes and embedded
    homes, the 养老机构 of 信州区 二(六) and 浉河区 二(五)1).

    A :data:`~planning.standards.rows.Checker`: one district row.
    """
    beds = _bed_frame(ctx, rule)
    has_beds = beds["beds"].to_numpy(float) > 0
    b = beds[has_beds]
    if not len(b):
        kinds = bed_kinds(ctx, rule)
        return not_assessable_row(
            ctx,
            rule,
            f"没有填写床位数的{'或'.join(FACILITY_KINDS[k] for k in kinds)}",
            f"no {' or '.join(FACILITY_KINDS_EN[k].lower() for k in kinds)} with beds",
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
    return _district_bed_row(
        ctx, rule, judged, "nursing_beds", _with_basis(ctx, rule, (base_zh, base_en)), unknown
    )


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
    has_beds = beds["beds"].to_numpy(float)
    unknown_mask = beds["dementia_beds"].isna().to_numpy() & (
        (has_beds > 0) | (np.isnan(has_beds) & beds["institution"].to_numpy())
    )
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
    return _district_bed_row(
        ctx, rule, judged, "dementia_beds", _with_basis(ctx, rule, (base_zh, base_en)), unknown
    )


#: How to mark the county's care institution for the destitute (Chinese, English).
_MARK_HOW = (
    "请在设施图层增加「特困供养」列（destitute_care），在县级特困失能人员专业照护机构一行填「是」，其余填「否」",
    "add a column destitute_care (特困供养) to the facilities layer: 是 (yes) on the county's care institution for "
    "the destitute, 否 (no) on the others",
)


def check_destitute_care(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The county's care institutions for the destitute (宜春 二(四)10 每个县（市、区）至少建有1所县级特困失能人员专业
    照护机构; 磐安县 二(三)10): the institutions of the rule's kinds marked ``destitute_care = yes`` (特困供养 = 是).

    A :data:`~planning.standards.rows.Checker`: one district row. Without the column (or with every institution
    blank) the row is not assessable and says how to mark it; marked facilities of other kinds are named, not counted.
    """
    inst = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    flag = (
        ctx.fac["destitute_care"].to_numpy(object)
        if "destitute_care" in ctx.fac
        else np.full(len(ctx.fac), None, dtype=object)
    )
    yes = np.array([f == "yes" for f in flag], dtype=bool)
    blank = np.array([f not in ("yes", "no") for f in flag], dtype=bool)
    names = ctx.fac["name"].to_numpy(object)
    kinds_zh = "或".join(FACILITY_KINDS[k] for k in rule.kinds)
    kinds_en = " or ".join(FACILITY_KINDS_EN[k].lower() for k in rule.kinds)
    if not (yes | ~blank).any():
        return not_assessable_row(
            ctx,
            rule,
            f"设施图层没有标注县级特困供养机构；{_MARK_HOW[0]}",
            f"no facility says whether it is the county's care institution for the destitute; {_MARK_HOW[1]}",
            unit="facilities",
        )
    counted = names[inst & yes].tolist()
    unknown = names[inst & blank].tolist()
    value = float(len(counted))
    verdict, shortfall = judge(np.array([value]), rule.value, ">=", best=np.array([value + len(unknown)]))
    need = max(math.ceil(rule.value - value - 1e-9), 0)
    other = names[~inst & yes].tolist()
    other_zh = f"（另有{list_names(other, 'zh')}标为特困供养，但不是{kinds_zh}，未计入）" if other else ""
    other_en = f" ({list_names(other, 'en')} marked too, but not a {kinds_en}: not counted)" if other else ""
    base_zh = f"标为县级特困供养机构的{kinds_zh}{len(counted)}处" + (
        f"（{list_names(counted, 'zh')}）" if counted else ""
    )
    base_en = f"{len(counted)} {kinds_en} marked as the county's care institution for the destitute" + (
        f" ({list_names(counted, 'en')})" if counted else ""
    )
    if verdict[0] == "pass":
        zh, en, reason = f"达标：{base_zh}{other_zh}", f"meets the standard: {base_en}{other_en}", ""
    elif verdict[0] == "fail":
        zh = f"还需{need}处县级特困失能人员专业照护机构；{base_zh}{other_zh}"
        en = f"needs {need} more county-level care institution for the destitute; {base_en}{other_en}"
        reason = ""
    else:
        zh = f"无法评估：{len(unknown)}处{kinds_zh}未填「特困供养」（{list_names(unknown, 'zh')}）；{base_zh}{other_zh}"
        en = (
            f"not assessable: {len(unknown)} institutions leave destitute_care blank ({list_names(unknown, 'en')}); "
            f"{base_en}{other_en}"
        )
        reason = f"destitute_care blank at {len(unknown)} institutions: {list_names(unknown, 'en')}"
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            value=value,
            verdict=verdict[0],
            shortfall=shortfall[0],
            need=on_verdict(verdict[0], need),
            need_unit="facilities",
            zh=zh,
            en=en,
            reason=reason,
        ),
    )
