"""选址 Siting: kind, K or objective, run with a progress bar; recommended sites on the map in entry order with
their gains, the marginal-gain chart, before/after by community.

A run is an explicit action, so its result is kept in this browser session's state (not shared between sessions).
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from app_pages.common import (
    BANDS,
    download,
    failure_text,
    form_sticky,
    network_or_stop,
    page_start,
    plain_markdown,
    print_downloads,
    progress_bar,
    remember,
    show_map,
    study_key,
)
from planning.display import format_number, format_points, format_share
from planning.errors import StudyError
from planning.export import csv_bytes, json_text, redact_text
from planning.i18n import kind_label, tr
from planning.maps import siting_map
from planning.report import scenario_html, scenario_png, scenario_print_bytes
from planning.schema import FACILITY_KINDS
from planning.siting import (
    OBJECTIVES,
    SitingOptions,
    before_after_table,
    curve_text,
    gains_frame,
    gap_text,
    reasons_table,
    sites_table,
    siting_caption,
    siting_json,
    siting_of_study,
    status_label,
)

settings, study = page_start("siting")
lang = settings.lang
state = st.session_state
net = network_or_stop(study, settings)

kinds = [k for k in FACILITY_KINDS if k != "health_centre"]
with st.form("siting_form", border=True):
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    kind = c1.selectbox(
        tr("kind", lang),
        kinds,
        **form_sticky("siting_kind", "day_care"),
        format_func=lambda k: kind_label(k, lang),
    )
    objective = c2.radio(
        tr("objective", lang),
        list(OBJECTIVES),
        **form_sticky("siting_objective", "coverage"),
        format_func=lambda o: tr(f"objective_{o}", lang),
    )
    add = c3.number_input(
        tr("sites_to_add", lang),
        min_value=1,
        max_value=50,
        step=1,
        **form_sticky("siting_add", 3),
        help=tr("sites_to_add_help", lang),
    )
    minutes = c4.selectbox(
        tr("siting_minutes", lang),
        list(BANDS),
        **form_sticky("siting_minutes", BANDS[-1]),
        format_func=lambda m: tr("band_label", lang).format(m=m),
    )
    generate = st.checkbox(
        tr("generate_candidates", lang),
        **form_sticky("siting_generate", False),
        help=tr("generate_candidates_help", lang),
    )
    run = st.form_submit_button(tr("run_siting", lang), type="primary")
for key, value in (
    ("siting_kind", kind),
    ("siting_objective", objective),
    ("siting_add", add),
    ("siting_minutes", minutes),
    ("siting_generate", generate),
):
    remember(key, value)

params = {
    "kind": kind,
    "objective": objective,
    "add": int(add),
    "minutes": int(minutes),
    "generate": bool(generate),
    "speed": float(net.walk_speed_m_s),
}
if run:
    update, bar = progress_bar(lang)
    try:
        options = SitingOptions(
            kind=kind,
            objective=objective,
            add=None if objective == "min-sites" else int(add),
            minutes=int(minutes),
            generate=True if generate else None,
        )
        result = siting_of_study(study, net, options, progress=update)
    except StudyError as exc:
        bar.empty()
        st.error(failure_text("siting_failed", exc, lang))
        state.pop("_siting", None)
    else:
        bar.progress(1.0, text=tr("siting_done", lang).format(s=result.time_s))
        state["_siting"] = {"study": study_key(study), "params": params, "result": result}

last = state.get("_siting")
if not last or last["study"] != study_key(study):
    st.info(tr("siting_hint", lang))
    st.stop()
result = last["result"]
if last["params"] != params:
    p = last["params"]
    st.caption(
        tr("siting_previous", lang).format(
            kind=kind_label(p["kind"], lang),
            objective=tr(f"objective_{p['objective']}", lang),
            add=p["add"],
            m=p["minutes"],
        )
    )

cols = st.columns(5)
cols[0].metric(tr("recommended_sites", lang), len(result.sites))
cols[1].metric(tr("share_before", lang), format_share(result.share_before, space=True))
cols[2].metric(
    tr("share_after", lang),
    format_share(result.share_after, space=True),
    delta=tr("points_change", lang).format(points=format_points(result.share_added)),
)
cols[3].metric(tr("elderly_added", lang), format_number(result.elderly_added, groups=","))
cols[4].metric(
    tr("optimality_gap", lang), gap_text(result), help=f"{status_label(result.status, lang)}; {result.solver}"
)
st.caption(siting_caption(result, lang=lang))

fmap = siting_map(
    study, result, lang=lang, basemap=settings.basemap, tianditu_key=settings.tianditu_key, network=net
)
show_map(fmap, lang=lang, height=540)

st.subheader(tr("marginal_gain", lang))
if len(result.sites):
    gains = gains_frame(result)
    bars = (
        alt.Chart(gains)
        .mark_bar(color="#e6550d")
        .encode(
            x=alt.X("order:O", title=tr("site_order", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("gain:Q", title=tr("gain_elderly", lang)),
            tooltip=[
                alt.Tooltip("label:N", title=tr("site", lang)),
                alt.Tooltip("gain:Q", format=",.0f", title=tr("gain_elderly", lang)),
                alt.Tooltip("share:Q", title=tr("share_after_pct", lang)),
            ],
        )
    )
    line = (
        alt.Chart(gains)
        .mark_line(point=True, color="#31a354")
        .encode(
            x="order:O",
            y=alt.Y("share:Q", title=tr("share_after_pct", lang), scale=alt.Scale(domain=[0, 100])),
        )
    )
    st.altair_chart(
        alt.layer(bars, line).resolve_scale(y="independent").properties(height=280), width="stretch"
    )
    st.caption(
        tr("curve_caption", lang).format(method=tr(f"curve_method_{result.curve_method}", lang))
        + " "
        + curve_text(result)
    )
else:
    st.info(tr("no_sites", lang))

tab_sites, tab_comm, tab_street, tab_more = st.tabs(
    [
        tr("recommended_sites", lang),
        tr("before_after_community", lang),
        tr("before_after_street", lang),
        tr("notes", lang),
    ]
)
with tab_sites:
    st.dataframe(sites_table(result, lang), hide_index=True, width="stretch")
with tab_comm:
    st.dataframe(before_after_table(result, lang), hide_index=True, width="stretch")
with tab_street:
    st.dataframe(before_after_table(result, lang, per="street"), hide_index=True, width="stretch")
with tab_more:
    for note in result.notes_in(lang):
        st.markdown(f"- {plain_markdown(redact_text(note))}")
    if len(result.unreachable):
        st.markdown(f"**{tr('unreachable', lang)}**")
        st.dataframe(reasons_table(result.unreachable, lang), hide_index=True, width="stretch")
    if len(result.excluded):
        st.markdown(f"**{tr('excluded_candidates', lang)}**")
        st.dataframe(reasons_table(result.excluded, lang), hide_index=True, width="stretch")

st.subheader(tr("scenario_download", lang))
name = f"siting_{result.kind}_{result.objective}_{len(result.sites)}"
d1, d2 = st.columns(2)
download(
    d1, tr("download_siting_json", lang), json_text(siting_json(result)), f"{name}.json", key="dl_siting_json"
)
download(
    d2,
    tr("download_siting_csv", lang),
    csv_bytes(result.communities, layer="siting_communities"),
    f"{name}_communities.csv",
    key="dl_siting_csv",
)
d3, d4 = st.columns(2)
download(
    d3,
    tr("download_scenario_html", lang),
    lambda: scenario_html(study, result, lang=lang),
    f"{name}_{lang}.html",
    key="dl_scenario_html",
)
download(
    d4,
    tr("download_scenario_png", lang),
    lambda: scenario_png(study, result, lang=lang),
    f"{name}_{lang}.png",
    key="dl_scenario_png",
)
print_downloads(
    lambda formats: scenario_print_bytes(study, result, formats=formats, lang=lang, network=net),
    stem=f"{name}_print",
    key="dl_scenario_print",
    labels=("download_scenario_print_pdf", "download_scenario_print_png"),
    lang=lang,
)
