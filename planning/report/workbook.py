"""The report workbook (XLSX, openpyxl): coverage per community and street, the standards check with citations,
the siting result with marginal gains. Chinese headers by default, units in headers, numbers as numbers, and no
text ever a formula (:func:`planning.export.safe_cell`)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from planning.coverage import CoverageResult
from planning.display import text_width
from planning.export import json_value, redact_text, safe_cell
from planning.i18n import kind_label, level_label, say, tr, verdict_label
from planning.report.options import check_coverage, check_lang
from planning.report.privacy import personal_notes
from planning.report.text import reason_in, uses_osm
from planning.scenario import ScenarioComparison
from planning.schema import COMMUNITY_KINDS
from planning.siting import SitingResult, proof_text, site_name, siting_summary
from planning.standards import NEED_UNITS, UNITS, CheckResult, force_label
from planning.study import Study


def _coverage_header(col: str, lang: str) -> str:
    """Header of a coverage column (``covered_<kind>_<m>min``, ``share_...``, ``beds_per_1000_elderly_<kind>``)."""
    fixed = {
        "name": ("社区名称", "Community"),
        "street": ("所属街道", "Street"),
        "kind": ("社区类型", "Community type"),
        "elderly": ("老年人口（人）", "Elderly (persons)"),
        "communities": ("社区数（个）", "Communities"),
        "elderly_uncovered": ("未覆盖老年人（人）", "Elderly not covered (persons)"),
        "share": ("覆盖率（%）", "Share covered (%)"),
    }
    if col in fixed:
        return fixed[col][1 if lang == "en" else 0]
    match = re.fullmatch(r"(covered|share)_(.+)_(\d+)min", col)
    if match:
        what, kind, m = match.groups()
        label = kind_label(kind, lang)
        if what == "covered":
            return (
                f"{m}分钟内可达{label}的老年人（人）"
                if lang == "zh"
                else f"Elderly within {m} min of {label} (persons)"
            )
        return f"{label} {m}分钟覆盖率（%）" if lang == "zh" else f"Share within {m} min of {label} (%)"
    match = re.fullmatch(r"beds_per_1000_elderly_(.+)", col)
    if match:
        label = kind_label(match.group(1), lang)
        return (
            f"{label}床位可达性（床/千名老人）"
            if lang == "zh"
            else f"{label}: beds within reach (beds per 1000 elderly)"
        )
    return col


def _is_share(col: str) -> bool:
    return col == "share" or col.startswith("share_") or col.endswith("_share")


def _cell(v: Any) -> Any:
    """A value for openpyxl: numbers as numbers, NaN as an empty cell, text with ID-card and phone numbers replaced
    and never a formula (:func:`planning.export.safe_cell`: openpyxl stores any text starting with ``=`` as one)."""
    return safe_cell(redact_text(v)) if isinstance(v, str) else json_value(v)


def _cell_width(v: Any) -> int:
    """The display width of a cell's value (:func:`planning.display.text_width`; an empty cell is 0)."""
    return 0 if v is None else text_width(str(v))


def _sheet(
    wb: Any, title: str, frame: pd.DataFrame, headers: Sequence[str], formats: Sequence[str | None]
) -> None:
    """Append a sheet: bold header row, frozen, numbers with ``formats`` (one per column, None = general)."""
    from openpyxl.styles import Alignment, Font  # optional heavy dependency, as in workbook_bytes

    ws = wb.create_sheet(title=title[:31])
    ws.append([_cell(str(h)) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for j, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    for j, head in enumerate(headers, start=1):
        sample = [head] + [frame.iloc[i, j - 1] for i in range(min(len(frame), 200))]
        width = min(60, max(8, max(_cell_width(_cell(v)) for v in sample) + 2))
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    ws.freeze_panes = "A2"


def _format_for(col: str) -> str | None:
    if _is_share(col):
        return "0.0%"
    if col.startswith("beds_per_1000"):
        return "0.0"
    if col in (
        "elderly",
        "elderly_uncovered",
        "elderly_total",
        "elderly_covered",
        "points",
    ) or col.startswith(("covered_", "gain", "cumulative", "reach_", "capacity_")):
        return "#,##0"
    return None


def _translate_values(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    if "kind" in out and set(out["kind"].dropna().unique()) <= set(COMMUNITY_KINDS):
        out["kind"] = out["kind"].map(
            lambda v: tr(f"community_kind_{v}", lang) if v in COMMUNITY_KINDS else v
        )
    return out


def workbook_bytes(
    study: Study,
    coverage: CoverageResult,
    check: CheckResult | None = None,
    siting: SitingResult | None = None,
    *,
    lang: str = "zh",
    plans: Sequence[ScenarioComparison] = (),
) -> bytes:
    """The report workbook (XLSX): coverage per community and street, the standards check with citations, the
    siting result with marginal gains, and the saved scenarios compared (``plans``).

    Headers are Chinese by default (``lang="en"`` for English) and carry their units; numbers are stored as numbers
    (shares as fractions formatted as percentages). Sheets: about, totals, communities, streets, day-care gaps (when
    day care was measured), standards check (when ``check`` is given), and for a siting run: sites, curve,
    communities and streets before/after, unreachable demand, excluded candidates; with ``plans``: the district's
    figures now and under each scenario side by side, and per scenario the rules whose verdict changes and the
    communities whose figures change.
    """
    from openpyxl import Workbook  # optional heavy dependency: loaded when a workbook is written

    lang = check_lang(lang)
    cov = check_coverage(study, coverage)
    wb = Workbook()
    _about_sheet(wb, _about_rows(study, cov, check, siting, lang), lang)
    _coverage_sheets(wb, cov, lang)
    if check is not None:
        _check_sheet(wb, check, lang)
    if siting is not None:
        _siting_sheets(wb, siting, lang)
    if plans:
        _plan_sheets(wb, plans, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _about_rows(
    study: Study, cov: CoverageResult, check: CheckResult | None, siting: SitingResult | None, lang: str
) -> list[tuple[str, Any]]:
    """The About sheet's (item, value) rows: the study, the run's settings, notes and what was left out."""
    en = lang == "en"
    info: list[tuple[str, Any]] = [
        ("Study" if en else "研究区", study.name_en if en else study.name),
        (
            "Synthetic data" if en else "合成数据",
            ("yes: invented streets, places and figures" if en else "是：街道、地名和数字均为虚构")
            if study.synthetic
            else ("no" if en else "否"),
        ),
        ("Data date" if en else "数据日期", study.data_date or "—"),
        ("Sources" if en else "数据来源", study.sources_in("en" if en else "zh")),
        ("Walking speed (m/s)" if en else "步行速度（米/秒）", cov.walk_speed_m_s),
        ("Bands (minutes)" if en else "步行时间段（分钟）", ", ".join(str(m) for m in cov.minutes)),
        ("Facility kinds" if en else "设施类型", ", ".join(kind_label(k, lang) for k in cov.kinds)),
        ("Standards preset" if en else "标准预设", check.preset if check is not None else "—"),
    ]
    if uses_osm(study):
        info.append(("Network" if en else "步行路网", say("osm", lang)))
    for note in cov.notes_in(lang):
        info.append(("Coverage note" if en else "覆盖说明", note))
    personal = personal_notes(study, siting)
    left_out = "Personal data left out" if en else "已删除的个人信息"
    info.extend((left_out, pnote.message_in(lang)) for pnote in personal)
    if not personal:
        info.append((left_out, "none found" if en else "未发现个人信息列"))
    if siting is not None:
        info.append(("Siting" if en else "选址", siting_summary(siting, lang=lang)))
        info.append(
            (
                "Solver" if en else "求解器",
                f"{siting.solver}; {proof_text(siting, lang)}",
            )
        )
        info.extend(("Siting note" if en else "选址说明", note) for note in siting.notes_in(lang))
    return info


def _about_sheet(wb: Any, info: list[tuple[str, Any]], lang: str) -> None:
    """The workbook's first sheet: bold header, one row per item."""
    from openpyxl.styles import Font  # optional heavy dependency, as in workbook_bytes

    en = lang == "en"
    about = wb.active
    about.title = "About" if en else "说明"
    about.append(["Item" if en else "项目", "Value" if en else "内容"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for key, value in info:
        about.append([key, _cell(value)])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100


def _coverage_sheets(wb: Any, cov: CoverageResult, lang: str) -> None:
    """Totals, communities (with bed access), streets and day-care gaps."""
    en = lang == "en"
    tot = cov.totals.copy()
    tot["kind"] = tot["kind"].map(lambda kd: kind_label(kd, lang))
    _sheet(
        wb,
        "Totals" if en else "覆盖率汇总",
        tot,
        [
            "Facility kind" if en else "设施类型",
            "Walk (minutes)" if en else "步行时间（分钟）",
            "Elderly (persons)" if en else "老年人口（人）",
            "Elderly covered (persons)" if en else "覆盖老年人（人）",
            "Share covered (%)" if en else "覆盖率（%）",
        ],
        [None, "0", "#,##0", "#,##0", "0.0%"],
    )
    comm = cov.communities.copy()
    if len(cov.access.columns) > 2:
        for col in cov.access.columns:
            if col.startswith("beds_per_1000"):
                comm[col] = cov.access[col].to_numpy()
    tables = [
        ("Communities", "社区覆盖率", _translate_values(comm, lang)),
        ("Streets", "街道覆盖率", cov.streets.copy()),
    ]
    if len(cov.daycare_gaps):
        tables.append(("Day-care gaps", "日间照料缺口", cov.daycare_gaps.copy()))
    for name_en, name_zh, frame in tables:
        _sheet(
            wb,
            name_en if en else name_zh,
            frame,
            [_coverage_header(c, lang) for c in frame.columns],
            [_format_for(c) for c in frame.columns],
        )


#: The standards check sheet's columns: (Chinese, English) header.
_CHECK_HEADS: tuple[tuple[str, str], ...] = (
    ("规则编号", "Rule"),
    ("标准", "Standard"),
    ("层级", "Level"),
    ("评估对象", "Unit assessed"),
    ("所属街道", "Street"),
    ("数值（按单位）", "Value (in unit)"),
    ("比较", "Comparison"),
    ("阈值（按单位）", "Threshold (in unit)"),
    ("单位", "Unit"),
    ("结论", "Verdict"),
    ("差距（按单位）", "Shortfall (in unit)"),
    ("需补足", "Needed"),
    ("需补足单位", "Needed (unit)"),
    ("说明", "Explanation"),
    ("依据", "Citation"),
    ("核实状态（V1/V2/R）", "Status (V1/V2/R)"),
    ("文件状态", "Force"),
    ("目标年份", "Target year"),
    ("研究区覆盖设定", "Overridden in study.toml"),
)


def _check_sheet(wb: Any, check: CheckResult, lang: str) -> None:
    en = lang == "en"
    i = 1 if en else 0
    rows = check.rows
    share = rows["unit"].to_numpy(object) == "share"
    frame = pd.DataFrame(
        {
            "rule_id": rows["rule_id"],
            "title": rows["title_en" if en else "title_zh"],
            "level": rows["level"].map(lambda v: level_label(v, lang)),
            "unit_name": rows["unit_name"],
            "street": rows["street"],
            "value": rows["value"],
            "compare": rows["compare"],
            "threshold": rows["threshold"],
            "unit": rows["unit"].map(lambda u: UNITS.get(u, (u, u))[i]),
            # the catalogue's verdict, lower case in English (a column of words, not a heading)
            "verdict": rows["verdict"].map(lambda v: verdict_label(v, lang).lower()),
            "shortfall": rows["shortfall"],
            "need": rows["need"],
            "need_unit": rows["need_unit"].map(lambda u: NEED_UNITS.get(u, (u, u))[i] if u else ""),
            "explanation": rows["explanation_en" if en else "explanation_zh"],
            "citation": rows["citation"],
            "status": rows["status"],
            "force": rows["force"].map(lambda f: force_label(f, lang) if isinstance(f, str) else ""),
            "target_year": rows["target_year"].map(lambda y: int(y) if pd.notna(y) else ""),
            "overridden": rows["overridden"].map(
                lambda b: ("yes" if en else "是") if b else ("no" if en else "否")
            ),
        }
    )
    title = "Standards check" if en else "标准核查"
    _sheet(
        wb,
        title,
        frame,
        [h[i] for h in _CHECK_HEADS],
        [None] * 5 + ["0.###"] + [None] + ["0.###"] + [None] * 2 + ["0.###", "#,##0.#"] + [None] * 7,
    )
    ws = wb[title[:31]]
    for r, is_share in enumerate(share, start=2):
        if is_share:
            for col in (6, 8, 11):
                if isinstance(ws.cell(row=r, column=col).value, float):
                    ws.cell(row=r, column=col).number_format = "0.0%"


def _siting_sheets(wb: Any, siting: SitingResult, lang: str) -> None:
    """The sheets of a siting run: sites, curve, before/after per community and street, unreachable demand,
    excluded candidates."""
    _sites_sheet(wb, siting, lang)
    en = lang == "en"
    curve = siting.curve.copy()
    if (
        not en and "method" in curve
    ):  # the English sheet keeps the method's own words, explained in its header
        curve["method"] = curve["method"].map(lambda m: tr(f"curve_method_{m}", lang))
    _sheet(
        wb,
        "Coverage curve" if en else "覆盖曲线",
        curve,
        [
            "New sites" if en else "新增站点数（处）",
            "Elderly added (persons)" if en else "新增覆盖老年人（人）",
            "Elderly covered (persons)" if en else "覆盖老年人（人）",
            "Share covered (%)" if en else "覆盖率（%）",
            say("curve_method_col", lang),
        ],
        [None, "#,##0", "#,##0", "0.0%", None],
    )
    _before_after_sheets(wb, siting, lang)
    if len(siting.unreachable):
        _frame_sheet(
            wb,
            ("Unreachable", "无法覆盖"),
            _translate_values(reason_in(siting.unreachable, lang), lang),
            _UNREACHABLE_HEADS,
            {"elderly": "#,##0"},
            lang,
        )
    if len(siting.excluded):
        _frame_sheet(
            wb,
            ("Excluded candidates", "排除的候选点"),
            _yes_no(reason_in(siting.excluded, lang), "generated", lang),
            _EXCLUDED_HEADS,
            {},
            lang,
        )


#: Headers of the siting frames' columns: (Chinese, English).
_BEFORE_AFTER_HEADS = {
    "name": ("社区名称", "Community"),
    "street": ("所属街道", "Street"),
    "kind": ("社区类型", "Community type"),
    "communities": ("社区数（个）", "Communities"),
    "elderly": ("老年人口（人）", "Elderly (persons)"),
    "covered_before": ("选址前覆盖（人）", "Covered before (persons)"),
    "covered_after": ("选址后覆盖（人）", "Covered after (persons)"),
    "gain": ("增加（人）", "Gain (persons)"),
    "share_before": ("选址前覆盖率（%）", "Share before (%)"),
    "share_after": ("选址后覆盖率（%）", "Share after (%)"),
}
_BEFORE_AFTER_FORMATS = {
    "elderly": "#,##0",
    "covered_before": "#,##0",
    "covered_after": "#,##0",
    "gain": "#,##0",
    "share_before": "0.0%",
    "share_after": "0.0%",
}
_UNREACHABLE_HEADS = {
    "community": ("社区", "Community"),
    "street": ("所属街道", "Street"),
    "kind": ("社区类型", "Community type"),
    "points": ("需求点数（个）", "Demand points"),
    "elderly": ("老年人口（人）", "Elderly (persons)"),
    "required": ("须覆盖的需求点（个）", "Required points"),
    "reason": ("原因", "Reason"),
}
_EXCLUDED_HEADS = {
    "candidate": ("候选点编号", "Candidate"),
    "name": ("候选点名称", "Name"),
    "generated": ("路网节点生成", "Generated"),
    "reason": ("排除原因", "Reason"),
}
_SITE_FORMATS = {
    "gain_elderly": "#,##0",
    "cumulative_elderly": "#,##0",
    "share_after": "0.0%",
    "reach_elderly": "#,##0",
    "cost": "#,##0.##",
    "beds": "0",
    "capacity_elderly": "#,##0",
    "lon": "0.000000",
    "lat": "0.000000",
    "x_m": "0.0",
    "y_m": "0.0",
}


def _yes_no(frame: pd.DataFrame, col: str, lang: str) -> pd.DataFrame:
    """``frame`` with its true/false column ``col`` in words (是/否, yes/no)."""
    if col not in frame:
        return frame
    out = frame.copy()
    out[col] = out[col].map(lambda b: say("yes" if b else "no", lang))
    return out


def _frame_sheet(
    wb: Any,
    names: tuple[str, str],
    frame: pd.DataFrame,
    heads: dict[str, tuple[str, str]],
    formats: dict[str, str],
    lang: str,
) -> None:
    """A sheet of ``frame`` named ``names`` (English, Chinese), headers from ``heads`` (the column's name when
    missing), number formats from ``formats``."""
    i = 1 if lang == "en" else 0
    _sheet(
        wb,
        names[0] if lang == "en" else names[1],
        frame,
        [heads.get(c, (c, c))[i] for c in frame.columns],
        [formats.get(c) for c in frame.columns],
    )


def _before_after_sheets(wb: Any, siting: SitingResult, lang: str) -> None:
    for frame, names in (
        (_translate_values(siting.communities, lang), ("Before-after communities", "选址前后（社区）")),
        (siting.streets, ("Before-after streets", "选址前后（街道）")),
    ):
        _frame_sheet(wb, names, frame, _BEFORE_AFTER_HEADS, _BEFORE_AFTER_FORMATS, lang)


def _site_heads(siting: SitingResult) -> dict[str, tuple[str, str]]:
    """Headers of the sites sheet; the gains say "served" for the capacitated model."""
    served = siting.objective == "capacitated"
    return {
        "order": ("顺序", "Order"),
        "candidate": ("候选点编号", "Candidate"),
        "name": ("候选点名称", "Name"),
        "generated": ("路网节点生成", "Generated from street nodes"),
        "gain_elderly": (
            "新增覆盖老年人（人）" if not served else "新增服务老年人（人）",
            "Marginal gain (elderly)",
        ),
        "cumulative_elderly": (
            "累计覆盖老年人（人）" if not served else "累计服务老年人（人）",
            "Cumulative elderly covered" if not served else "Cumulative elderly served",
        ),
        "share_after": ("累计覆盖率（%）", "Cumulative share (%)"),
        "reach_elderly": (
            f"{siting.minutes:g}分钟内未覆盖老年人（人）",
            f"Uncovered elderly within {siting.minutes:g} min (persons)",
        ),
        "cost": ("费用（候选地块图层单位）", "Cost (units of the candidates layer)"),
        "beds": ("床位数（张）", "Beds"),
        "capacity_elderly": ("可服务老年人（人）", "Capacity (elderly)"),
        "lon": ("经度（WGS84，度）", "Longitude (WGS84, deg)"),
        "lat": ("纬度（WGS84，度）", "Latitude (WGS84, deg)"),
        "x_m": ("X（研究区坐标系，米）", "X (study CRS, m)"),
        "y_m": ("Y（研究区坐标系，米）", "Y (study CRS, m)"),
    }


def _sites_sheet(wb: Any, siting: SitingResult, lang: str) -> None:
    """The chosen sites with their gains and coordinates (WGS84 and the study CRS)."""
    sites = pd.DataFrame(siting.sites.drop(columns="geometry"))
    if "name" in sites:
        sites["name"] = sites["name"].map(
            lambda n: site_name(n, lang)
        )  # a generated site in the sheet's language
    xy = shapely.get_coordinates(siting.sites.geometry.to_numpy()) if len(sites) else np.zeros((0, 2))
    ll = (
        shapely.get_coordinates(siting.sites.to_crs(4326).geometry.to_numpy())
        if len(sites)
        else np.zeros((0, 2))
    )
    sites = _yes_no(sites, "generated", lang)
    sites["lon"] = ll[:, 0] if len(ll) else []
    sites["lat"] = ll[:, 1] if len(ll) else []
    sites["x_m"] = xy[:, 0] if len(xy) else []
    sites["y_m"] = xy[:, 1] if len(xy) else []
    label = kind_label(siting.kind, lang)
    names = (f"Sites ({siting.kind})", f"选址结果（{label}）")
    _frame_sheet(wb, names, sites, _site_heads(siting), _SITE_FORMATS, lang)


def _plan_sheets(wb: Any, plans: Sequence[ScenarioComparison], lang: str) -> None:
    """The scenarios side by side (one column each), then per scenario its verdict changes and its communities."""
    zh = lang != "en"
    first = plans[0].district
    side = pd.DataFrame({"figure": first["figure_zh" if zh else "figure_en"], "now": first["before"]})
    for plan in plans:
        side[plan.scenario.name] = plan.district["after"].to_numpy()
    heads = [say("plan_col_figure", lang), say("plan_col_current", lang), *(p.scenario.name for p in plans)]
    _sheet(wb, say("plan_sheet_compare", lang), side, heads, [None, "#,##0.###"] + ["#,##0.###"] * len(plans))
    for plan in plans:
        name = plan.scenario.name
        v = plan.verdicts
        verdicts = pd.DataFrame(
            {
                "name": v["name" if zh else "name_en"],
                "before": [verdict_label(str(x), lang) for x in v["verdict_before"]],
                "after": [verdict_label(str(x), lang) for x in v["verdict_after"]],
                "value_before": v["value_before"],
                "value_after": v["value_after"],
                "citation": v["citation"],
            }
        )
        heads = [h[0 if zh else 1] for h in _PLAN_VERDICT_HEADS]
        _sheet(
            wb,
            say("plan_sheet_verdicts", lang, plan=name),
            verdicts,
            heads,
            [None] * 3 + ["0.###"] * 2 + [None],
        )
        _plan_communities_sheet(wb, plan, lang)


#: The headers of a scenario's verdict sheet: (Chinese, English).
_PLAN_VERDICT_HEADS = (
    ("标准", "Standard"),
    ("现状结论", "Verdict now"),
    ("方案结论", "Verdict under the scenario"),
    ("现状值", "Value now"),
    ("方案值", "Value under the scenario"),
    ("依据", "Citation"),
)


def _plan_communities_sheet(wb: Any, plan: ScenarioComparison, lang: str) -> None:
    """The communities whose figures change under ``plan``: name, street, elderly, and each changed figure now and
    under the scenario, headed by the district table's words for it."""
    zh = lang != "en"
    comm = plan.communities
    words = dict(zip(plan.district["figure"], plan.district["figure_zh" if zh else "figure_en"], strict=True))
    changed = [
        f for f in words if f"{f}_before" in comm and not comm[f"{f}_before"].equals(comm[f"{f}_after"])
    ]
    moved = np.zeros(len(comm), dtype=bool)
    for f in changed:
        moved |= ~np.isclose(comm[f"{f}_before"].to_numpy(float), comm[f"{f}_after"].to_numpy(float))
    cols = ["name", "street", "elderly"] + [f"{f}_{w}" for f in changed for w in ("before", "after")]
    now, then = say("plan_col_current", lang), plan.scenario.name
    heads = [tr("community", lang), tr("street", lang), tr("elderly", lang)]
    heads += [f"{words[f]}（{w}）" if zh else f"{words[f]} ({w})" for f in changed for w in (now, then)]
    _sheet(
        wb,
        say("plan_sheet_communities", lang, plan=then),
        comm.loc[moved, cols],
        heads,
        [None, None] + ["#,##0"] * (len(cols) - 2),
    )
