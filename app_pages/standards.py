"""标准 Standards: the check table with pass/fail and citations; failing streets and communities on the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (
    check_for,
    chosen,
    network_for,
    page_start,
    plain_markdown,
    preset_label,
    set_sticky,
    show_map,
    sticky,
    study_preset,
    study_title,
)
from planning.i18n import level_label, status_label, tr, verdict_label
from planning.maps import standards_map
from planning.settings import BED_BASES
from planning.standards import PRESETS, force_label, format_value, rule_scope

#: Cell colours of the verdicts in the check table.
VERDICT_SHADES = {
    "pass": "#e5f5e0",
    "fail": "#fdd0c7",
    "not_assessable": "#eeeeee",
    "advisory": "#deebf7",
    "depends_on_estimate": "#fff2cc",
}


def threshold_text(value: float | None, compare: str, unit: str) -> str:
    """A rule's threshold as the check states it: ``≥ 300 m²`` or ``≤ 15 min`` (in the page's language)."""
    return ("≥ " if compare == ">=" else "≤ ") + format_value(value, unit, lang)


settings, study = page_start("standards")
lang = settings.lang
state = st.session_state

presets = list(PRESETS)
if state.get("_preset_for") != str(study.folder):  # a new study starts on its own preset
    set_sticky("std_preset", study_preset(study))
    state["_preset_for"] = str(study.folder)
preset = st.selectbox(
    tr("preset", lang),
    presets,
    **sticky("std_preset", "national"),
    format_func=lambda p: preset_label(p, lang),
)
basis = st.selectbox(
    tr("bed_basis", lang),
    BED_BASES,
    index=BED_BASES.index(study.standards.bed_basis),
    format_func=lambda b: tr(f"bed_basis_{b}", lang),
    key="std_bed_basis",
)
net = network_for(study, settings)
if net is None:
    st.warning(tr("walking_rules_na", lang))
result = check_for(study, net, preset=preset, bed_basis="" if basis == study.standards.bed_basis else basis)
rows = result.rows
counts = result.counts()
cols = st.columns(6)
cols[0].metric(tr("rules", lang), len(result.rules))
per_unit = tr("verdict_count_help", lang)  # results are counted per checked unit, not per rule
for col, verdict in zip(
    cols[1:], ("pass", "fail", "depends_on_estimate", "not_assessable", "advisory"), strict=True
):
    col.metric(verdict_label(verdict, lang), counts[verdict], help=per_unit)
preset_title = preset_label(preset, lang)
st.caption(
    tr("check_summary", lang).format(
        study=plain_markdown(study_title(study, lang)),
        preset=preset_title,
        rules=len(result.rules),
        rows=len(rows),
        passed=counts["pass"],
        failed=counts["fail"],
        na=counts["not_assessable"],
        depends=counts["depends_on_estimate"],
        advisory=counts["advisory"],
    )
)
if result.overrides:
    st.caption(
        tr("overrides", lang)
        + ": "
        + plain_markdown(
            "; ".join(
                f"{k}: {'—' if v['preset_value'] is None else format(v['preset_value'], 'g')} → {v['value']:g}"
                for k, v in result.overrides.items()
            )
        )
    )

title = "title_zh" if lang == "zh" else "title_en"
rule_ids = [r.id for r in result.rules]
rule_titles = {r.id: getattr(r, title) for r in result.rules}
c1, c2 = st.columns([2, 1])
chosen_rules = c1.multiselect(
    tr("filter_rules", lang),
    rule_ids,
    **sticky("std_rules", []),
    format_func=lambda r: rule_titles.get(r, r),
    placeholder=tr("all_rules", lang),
)
verdicts = c2.multiselect(
    tr("filter_verdicts", lang),
    ["fail", "depends_on_estimate", "not_assessable", "advisory", "pass"],
    **sticky("std_verdicts", []),
    format_func=lambda v: verdict_label(v, lang),
    placeholder=tr("all_verdicts", lang),
)
shown = chosen(rows, {"rule_id": chosen_rules, "verdict": verdicts})

st.subheader(tr("failing_on_map", lang))
fmap = standards_map(
    study,
    rows[rows["rule_id"].isin(chosen_rules)] if chosen_rules else rows,
    lang=lang,
    basemap=settings.basemap,
    tianditu_key=settings.tianditu_key,
    network=net,
)
show_map(fmap, lang=lang, height=480)

st.subheader(tr("check_table", lang))
table = pd.DataFrame(
    {
        tr("rule", lang): shown["rule_id"].map(rule_titles).fillna(shown[title]),
        tr("level", lang): [level_label(v, lang) for v in shown["level"]],
        # the district rows carry the study's name: in the language chosen
        tr("unit", lang): [
            study_title(study, lang) if lv == "district" and u == study.name else str(u)
            for lv, u in zip(shown["level"], shown["unit_name"], strict=False)
        ],
        tr("value", lang): [
            format_value(v, u, lang) for v, u in zip(shown["value"], shown["unit"], strict=False)
        ],
        tr("threshold", lang): [
            threshold_text(t, c, u)
            for t, c, u in zip(shown["threshold"], shown["compare"], shown["unit"], strict=False)
        ],
        tr("verdict", lang): [verdict_label(v, lang) for v in shown["verdict"]],
        tr("shortfall", lang): [
            format_value(s, u, lang) if v == "fail" else ""
            for s, u, v in zip(shown["shortfall"], shown["unit"], shown["verdict"], strict=False)
        ],
        tr("citation", lang): shown["citation"],  # beside the verdict, before the long explanation
        tr("status", lang): [
            status_label(s, lang) + (f" · {force_label(f, lang)}" if f and f != "in_force" else "")
            for s, f in zip(shown["status"], shown["force"], strict=False)
        ],
        tr("explanation", lang): shown["explanation_zh" if lang == "zh" else "explanation_en"],
    }
)
# verdicts coloured, in words (emoji icons drew as empty boxes where the browser has no emoji font)
shade = {verdict_label(v, lang): colour for v, colour in VERDICT_SHADES.items()}
st.dataframe(
    table.style.map(
        lambda v: f"background-color: {shade[v]}" if v in shade else "", subset=[tr("verdict", lang)]
    ),
    hide_index=True,
    width="stretch",
    height=420,
    column_config={
        tr("rule", lang): st.column_config.TextColumn(width="medium"),
        tr("citation", lang): st.column_config.TextColumn(width="medium"),
    },
)

st.subheader(tr("rules_cited", lang))
rules_table = pd.DataFrame(
    [
        {
            tr("rule", lang): getattr(r, title),
            tr("threshold", lang): threshold_text(r.value, r.compare, r.unit)
            + (f" ({tr('set_by_study', lang)})" if r.id in result.overrides else ""),
            tr("rule_scope", lang): rule_scope(r, lang),
            tr("target_year", lang): tr("by_year", lang).format(year=r.target_year) if r.target_year else "—",
            tr("citation", lang): r.citation,
            tr("status", lang): status_label(r.status, lang),
            tr("force", lang): force_label(r.force(), lang) or "—",
            # the document's own words in Chinese; the English page explains how the rule is measured
            (tr("quote", lang) if lang == "zh" else tr("note", lang)): (r.quote_zh or "—")
            if lang == "zh"
            else r.note,
        }
        for r in result.rules
    ]
)
st.dataframe(rules_table, hide_index=True, width="stretch")
st.caption(tr("status_legend", lang))
st.caption(tr("force_legend", lang))
