"""The words of a scenario in the report: its print sheet, its workbook sheets and the adopted plan on the public
map; part of the catalogue (:data:`planning.i18n.CATALOGUE`)."""

from __future__ import annotations

PLAN_REPORT_TEXT: dict[str, tuple[str, str]] = {
    "plan_title": ("{name}：方案「{plan}」前后对比", "{name}: scenario {plan!r}, before and after"),
    "plan_added": ("方案新增设施", "Facility the scenario adds"),
    "plan_closed": ("方案关闭的设施", "Facility the scenario closes"),
    "plan_verdicts_head": ("核查结论发生变化的标准：", "Standards whose verdict changes:"),
    "plan_verdict_line": (
        "· {name}（{unit}）：{before} → {after}（{citation}）",
        "· {name} ({unit}): {before} → {after} ({citation})",
    ),
    "plan_before": ("现状", "Now"),
    "plan_after": ("方案「{plan}」", "Scenario {plan!r}"),
    "plan_verdicts_more": ("另有 {n} 项，见报告表格", "{n} more in the workbook"),
    "plan_no_verdict_change": (
        "没有标准的核查结论因本方案改变。",
        "No standard changes verdict under this scenario.",
    ),
    "plan_notes": ("方案说明：{notes}", "Scenario notes: {notes}"),
    "plan_adopted_name": ("{name}（采纳方案：{plan}）", "{name} (adopted plan: {plan})"),
    "plan_sheet_compare": ("方案对比", "Scenarios compared"),
    "plan_sheet_verdicts": ("方案{plan}-结论变化", "{plan} verdicts"),
    "plan_sheet_communities": ("方案{plan}-社区", "{plan} communities"),
    "plan_col_figure": ("指标", "Figure"),
    "plan_col_current": ("现状", "Current"),
    "progress_plan": ("正在对比方案「{name}」（{i}/{n}）", "comparing scenario {name!r} ({i}/{n})"),
    "progress_plan_sheet": ("正在绘制方案「{name}」的打印图", "print sheet of scenario {name!r}"),
}
