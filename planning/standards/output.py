"""The check as people and programs read it: a one-line summary, a text table grouped by rule (Chinese or English),
and JSON whose keys carry their units.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planning.display import finite
from planning.export import json_value
from planning.land import BASIS_ESTIMATED
from planning.standards.check import CheckResult
from planning.standards.documents import force_label
from planning.standards.presets import ALL_RULES, PRESETS
from planning.standards.rows import ROW_COLUMNS
from planning.standards.rules import Rule
from planning.standards.text import LEVEL_TEXT, VERDICT_TEXT, align_columns, format_value

_HEADER_ZH = ["层级", "单元", "数值", "标准", "结论", "缺口", "说明"]
_HEADER_EN = ["level", "unit", "value", "threshold", "verdict", "shortfall", "explanation"]


def check_summary(result: CheckResult, *, lang: str = "zh") -> str:
    """One line a person can read: rules, rows, and how many pass, fail or cannot be assessed.

    Parameters
    ----------
    result : from :func:`~planning.standards.check_study`.
    lang : ``zh`` (default) or ``en``.

    Returns
    -------
    str
    """
    c = result.counts()
    n_rules = len(result.rules) or result.rows["rule_id"].nunique()
    if lang == "en":
        extra = "".join(
            f", {c[v]} {label}"
            for v, label in (("depends_on_estimate", "depend on estimates"), ("advisory", "advisory"))
            if c[v]
        )
        return (
            f"{result.district}: {n_rules} rules of preset {result.preset}, {len(result.rows)} rows: "
            f"{c['pass']} pass, {c['fail']} fail, {c['not_assessable']} not assessable{extra}"
        )
    extra = "".join(
        f"，{label}{c[v]}"
        for v, label in (("depends_on_estimate", "取决于估算"), ("advisory", "提示"))
        if c[v]
    )
    return (
        f"{result.district}：按“{_preset_zh(result.preset)}”标准检查{n_rules}条规则，共{len(result.rows)}行："
        f"达标{c['pass']}，不达标{c['fail']}，无法评估{c['not_assessable']}{extra}"
    )


def _preset_zh(name: str) -> str:
    """A preset's Chinese title (its key when it is not one of :data:`PRESETS`)."""
    preset = PRESETS.get(name)
    return preset.title_zh if preset is not None else name


def check_table(result: CheckResult, *, lang: str = "zh", max_rows_per_rule: int | None = None) -> str:
    """The check as a text table a planner can read, grouped by rule (Chinese by default).

    Each rule starts with its title, threshold, citation and status (``R`` shown as unverified/未核实, overridden
    values marked); then one line per unit: level, unit, value, threshold, verdict, shortfall, explanation.

    Parameters
    ----------
    result : from :func:`~planning.standards.check_study`.
    lang : ``zh`` or ``en``.
    max_rows_per_rule : show at most this many unit rows per rule (failures first); None shows all.

    Returns
    -------
    str
    """
    lines = [check_summary(result, lang=lang), *_preset_lines(result, lang)]
    rules = result.rules or tuple(ALL_RULES[r] for r in pd.unique(result.rows["rule_id"]) if r in ALL_RULES)
    for rule in rules:
        lines.extend(_rule_lines(result, rule, lang, max_rows_per_rule))
    lines.extend(_land_lines(result, lang, max_rows_per_rule))
    return "\n".join(lines)


def _preset_lines(result: CheckResult, lang: str) -> list[str]:
    """The preset's name and note, and the study's overrides."""
    zh = lang != "en"
    preset = PRESETS.get(result.preset)
    lines = []
    if preset is not None:
        lines.append(
            ("标准：" if zh else "Preset: ")
            + (preset.title_zh if zh else preset.title_en)
            + (f"（{preset.note}）" if zh and preset.note else (f" ({preset.note})" if preset.note else ""))
        )
    if result.overrides:
        parts = []
        for rid, ov in result.overrides.items():
            rule = next((r for r in result.rules if r.id == rid), None)
            unit = rule.unit if rule else ""
            before = "—" if ov["preset_value"] is None else format_value(ov["preset_value"], unit, lang)
            parts.append(f"{rid}: {before} → {format_value(ov['value'], unit, lang)}")
        lines.append(("研究区覆盖设置：" if zh else "Study overrides: ") + "; ".join(parts))
    return lines


def _rule_lines(result: CheckResult, rule: Rule, lang: str, max_rows_per_rule: int | None) -> list[str]:
    """A blank line, the rule's heading (and its note when the number is a tool default), and its rows aligned."""
    zh = lang != "en"
    part = result.rows[result.rows["rule_id"] == rule.id]
    over = rule.id in result.overrides
    lines = ["", *rule_heading(rule, lang, overridden=over)]
    if rule.tool_default:
        lines.append(
            f"  注：该数值为本工具默认值，所引标准未给出具体数值；请按当地要求在 [standards.overrides] 中设置 "
            f"{rule.id}"
            if zh
            else f"  note: {rule.note}; set {rule.id} in [standards.overrides]"
        )
    if max_rows_per_rule is not None and len(part) > max_rows_per_rule:
        order = part["verdict"].map(
            {"fail": 0, "depends_on_estimate": 1, "not_assessable": 2, "advisory": 3, "pass": 4}
        )
        shown = part.assign(_o=order).sort_values("_o", kind="stable").head(max_rows_per_rule)
    else:
        shown = part
    table = [_HEADER_ZH if zh else _HEADER_EN]
    table.extend(_table_row(r, lang) for r in shown.itertuples(index=False))
    lines.extend(align_columns(table))
    if len(shown) < len(part):
        lines.append(
            f"  … 另有{len(part) - len(shown)}行（见 --json）"
            if zh
            else f"  … {len(part) - len(shown)} more rows (see --json)"
        )
    return lines


def rule_heading(rule: Rule, lang: str = "zh", *, overridden: bool = False) -> list[str]:
    """A rule as the check's table heads it: title, threshold, citation, status, force, target year, id; then the
    document's own words on a line of their own.

    Parameters
    ----------
    rule : the rule.
    lang : ``zh`` or ``en``.
    overridden : the study set the value.

    Returns
    -------
    list of str
        One or two lines, e.g. ``【日间照料中心覆盖城市社区】 ≥ 100.0% — 宜春 实施方案 二(四)10 [V1] 现行
        (daycare_urban_communities_share)`` and ``  原文：“社区日间照料机构覆盖100%的城市社区”``.
    """
    zh = lang != "en"
    cmp = "≥" if rule.compare == ">=" else "≤"
    force = force_label(rule.force(), lang)
    year = ""
    if rule.target_year is not None:
        year = f" {rule.target_year}年底前" if zh else f" by {rule.target_year}"
    head = (
        f"【{rule.title_zh if zh else rule.title_en}】 {cmp} {format_value(rule.value, rule.unit, lang)}"
        + (("（研究区设置）" if zh else " (set by the study)") if overridden else "")
        + f" — {rule.citation or ('未注明出处' if zh else 'no source')} [{rule.status_label(lang)}]"
        + (f" {force}" if force else "")
        + year
        + f"  ({rule.id})"
    )
    lines = [head]
    if rule.quote_zh:
        lines.append(f"  原文：“{rule.quote_zh}”" if zh else f"  text: “{rule.quote_zh}”")
    return lines


def _table_row(r: Any, lang: str) -> list[str]:
    """The cells of one row of the check (a row tuple of :attr:`CheckResult.rows`)."""
    zh = lang != "en"
    cmp_r = "≥" if r.compare == ">=" else "≤"
    return [
        LEVEL_TEXT.get(r.level, (r.level, r.level))[0 if zh else 1],
        str(r.unit_name),
        format_value(r.value, r.unit, lang),
        f"{cmp_r}{format_value(r.threshold, r.unit, lang)}",
        VERDICT_TEXT[r.verdict][0 if zh else 1],
        format_value(r.shortfall, r.unit, lang) if r.verdict == "fail" else "",
        r.explanation_zh if zh else r.explanation_en,
    ]


def _land_lines(result: CheckResult, lang: str, max_rows_per_rule: int | None) -> list[str]:
    """The facilities whose land was estimated from their floor area, with the assumption."""
    zh = lang != "en"
    land = result.facility_land
    if land is None or not len(land):
        return []
    est = land[land["basis"] == BASIS_ESTIMATED]
    if not len(est):
        return []
    lines = [
        "",
        "用地估算（仅有建筑面积的设施）：" if zh else "Land estimated (facilities with floor area only):",
    ]
    limit = len(est) if max_rows_per_rule is None else max_rows_per_rule
    for r in est.head(limit).itertuples(index=False):
        lines.append(f"  {r.name}: {r.basis_zh if zh else r.basis_en}")
    if len(est) > limit:
        lines.append(f"  … 另有{len(est) - limit}处" if zh else f"  … {len(est) - limit} more")
    return lines


def check_json(result: CheckResult) -> dict[str, Any]:
    """The check as JSON-ready data; values carry their unit in the key (``value_m2_per_resident``).

    Parameters
    ----------
    result : from :func:`~planning.standards.check_study`.

    Returns
    -------
    dict
        ``preset``, ``district``, ``summary`` (counts per verdict), ``overrides``, ``rules`` (each with
        ``threshold_<unit>``, citation, status, note) and ``rows`` (each with ``value_<unit>``,
        ``threshold_<unit>``, ``shortfall_<unit>``, ``need_<need unit>``, verdict, explanations, reason, citation,
        status, overridden). Missing numbers are null.
    """
    cols = {c: result.rows[c].to_numpy(object) for c in ROW_COLUMNS}
    land = []
    if result.facility_land is not None:
        land = [_land_json(r) for r in result.facility_land.to_dict("records")]
    return {
        "district": result.district,
        "preset": result.preset,
        "summary": result.counts(),
        "overrides": {
            k: {"preset_value": v["preset_value"], "value": v["value"]} for k, v in result.overrides.items()
        },
        "rules": [_rule_json(r, overridden=r.id in result.overrides) for r in result.rules],
        "rows": [_row_json(cols, i) for i in range(len(result.rows))],
        "facility_land": land,
    }


def _rule_json(r: Rule, *, overridden: bool) -> dict[str, Any]:
    """A rule with its threshold keyed by unit."""
    return {
        "id": r.id,
        "title_zh": r.title_zh,
        "title_en": r.title_en,
        f"threshold_{r.unit}": r.value,
        "compare": r.compare,
        "unit": r.unit,
        "scope": r.scope,
        "applies_to": list(r.applies_to),
        "kinds": list(r.kinds),
        "source": r.source,
        "clause": r.clause,
        "citation": r.citation,
        "status": r.status,
        "status_label": r.status_label("en"),
        "force": r.force() or None,
        "target_year": r.target_year,
        "quote_zh": r.quote_zh or None,
        "documents": list(r.documents),
        "units": list(r.units),
        "tool_default": r.tool_default,
        "note": r.note,
        "overridden": overridden,
    }


def _row_json(cols: dict[str, Any], i: int) -> dict[str, Any]:
    """Row ``i`` of the check (``cols``: column -> values) with its numbers keyed by unit."""
    unit, need_unit = cols["unit"][i], cols["need_unit"][i]
    row: dict[str, Any] = {
        "rule_id": cols["rule_id"][i],
        "level": cols["level"][i],
        "unit_name": _json_text(cols["unit_name"][i]),
        "street": _json_text(cols["street"][i]),
        f"value_{unit}": finite(cols["value"][i]),
        f"threshold_{unit}": finite(cols["threshold"][i]),
        "compare": cols["compare"][i],
        "verdict": cols["verdict"][i],
        f"shortfall_{unit}": finite(cols["shortfall"][i]),
    }
    if isinstance(need_unit, str) and need_unit:
        row[f"need_{need_unit}"] = finite(cols["need"][i])
    row["explanation_zh"] = cols["explanation_zh"][i]
    row["explanation_en"] = cols["explanation_en"][i]
    row["reason"] = _json_text(cols["reason"][i]) or None
    row["citation"] = cols["citation"][i]
    row["status"] = cols["status"][i]
    row["force"] = _json_text(cols["force"][i]) or None
    year = finite(cols["target_year"][i])
    row["target_year"] = None if year is None else int(year)
    row["overridden"] = bool(cols["overridden"][i])
    return row


def _land_json(r: dict[str, Any]) -> dict[str, Any]:
    """One facility of the land table."""
    return json_value(
        {
            "name": r["name"],
            "kind": r["kind"],
            "street": r["street"],
            "land_m2": finite(r["land_m2"]),
            "basis": r["basis"],
            "basis_zh": r["basis_zh"],
            "basis_en": r["basis_en"],
        }
    )


def _json_text(x: Any) -> str | None:
    """Text, or None for a missing value (:func:`planning.export.json_value`)."""
    v = json_value(x)
    return None if v is None else str(v)
