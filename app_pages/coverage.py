"""服务圈 Coverage: service circles per kind and band, the elderly left outside, per-community and per-street tables,
and a chart of coverage by band and kind."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import (
    CIRCLE_MODES,
    circles_for,
    coverage_for,
    network_or_stop,
    page_start,
    plain_markdown,
    print_downloads,
    set_sticky,
    show_map,
    sticky,
)
from planning.coverage import uncovered_density
from planning.display import format_number, format_share, percent
from planning.export import redact_text
from planning.i18n import kind_label, tr
from planning.maps import coverage_map
from planning.report import coverage_print_bytes

settings, study = page_start("coverage")
lang = settings.lang
net = network_or_stop(study, settings)
result = coverage_for(study, net, minutes=settings.minutes)
bands = result.minutes
m = bands[-1]
st.caption(tr("coverage_caption", lang).format(speed=result.walk_speed_m_s, m=m, dist=result.walk_m(m)))

kinds = list(result.kinds)
default = kinds.index("day_care") if "day_care" in kinds else 0
if st.session_state.get("_keep_coverage_kind") not in kinds:  # a study without the kind chosen before
    set_sticky("coverage_kind", kinds[default])
pick_kind, pick_mode = st.columns(2)
kind = pick_kind.selectbox(
    tr("map_kind", lang),
    kinds,
    **sticky("coverage_kind", kinds[default]),
    format_func=lambda k: kind_label(k, lang),
)
circles_mode = pick_mode.selectbox(
    tr("circles_mode", lang),
    CIRCLE_MODES,
    **sticky("circles_mode", "dissolved"),
    format_func=lambda k: tr(f"circles_mode_{k}", lang),
    help=tr("circles_mode_help", lang),
)

cols = st.columns(len(bands) + 1)
for col, band in zip(cols, bands, strict=False):
    row = result.band_total(kind, band)
    col.metric(
        tr("within_band", lang).format(m=band),
        format_share(row["share"], space=True),
        help=f"{format_number(row['elderly_covered'], groups=',')} / {format_number(row['elderly_total'], groups=',')}",
    )
cols[-1].metric(
    tr("uncovered_elderly", lang),
    format_number(result.band_total(kind, m)["elderly_uncovered"], groups=","),
    help=tr("outside_band", lang).format(m=m),
)

# the map shows one kind: its circles alone (a few tenths of a second; all kinds at once took seconds)
circles = circles_for(study, net, result, kinds=(kind,), mode=circles_mode)
uncovered = uncovered_density(result, kind, minutes=m)
fmap = coverage_map(
    study,
    circles,
    kind=kind,
    lang=lang,
    basemap=settings.basemap,
    tianditu_key=settings.tianditu_key,
    uncovered=uncovered,
    network=net,
)
show_map(fmap, lang=lang, height=560)
print_downloads(
    lambda formats: coverage_print_bytes(study, result, formats=formats, lang=lang, network=net),
    stem="coverage_print",
    key="dl_coverage_print",
    labels=("download_coverage_print_pdf", "download_coverage_print_png"),
    lang=lang,
)

st.subheader(tr("coverage_chart", lang))
chart_data = result.totals.assign(
    kind_label=[kind_label(k, lang) for k in result.totals["kind"]],
    band=[tr("band_label", lang).format(m=int(b)) for b in result.totals["band_min"]],
    share_pct=percent(result.totals["share"]),
)
order = [kind_label(k, lang) for k in result.kinds]
band_order = [tr("band_label", lang).format(m=b) for b in bands]
chart = (
    alt.Chart(chart_data)
    .mark_bar()
    .encode(
        # kinds down the side, read whole and level (Chinese names are long: rotated, they were cut)
        y=alt.Y("kind_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=13)),
        yOffset=alt.YOffset("band:N", sort=band_order),
        x=alt.X("share_pct:Q", title=tr("share_pct_axis", lang), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(
            "band:N",
            sort=band_order,
            title=tr("bands", lang),
            scale=alt.Scale(range=["#08519c", "#3182bd", "#9ecae1"][: len(bands)]),
        ),
        tooltip=[
            alt.Tooltip("kind_label:N", title=tr("kind", lang)),
            alt.Tooltip("band:N", title=tr("bands", lang)),
            alt.Tooltip("share_pct:Q", title="%"),
            alt.Tooltip("elderly_covered:Q", format=",.0f", title=tr("elderly_covered", lang)),
        ],
    )
    .properties(height=60 * len(order) + 40)
)
st.altair_chart(chart, width="stretch")


def shares(frame: pd.DataFrame, label_cols: dict[str, str]) -> pd.DataFrame:
    """The label columns plus, for the chosen kind, the share of elderly within each band (per cent)."""
    out = frame[list(label_cols)].rename(columns=label_cols).copy()
    table = result.share_table(frame, kind)
    for band in bands:
        out[tr("within_band", lang).format(m=band)] = table[f"share_pct_{band}min"]
    out[tr("uncovered_elderly", lang)] = table["elderly_uncovered"]
    return out


pct_cols = {
    tr("within_band", lang).format(m=b): st.column_config.NumberColumn(format="%.1f %%") for b in bands
}
tab_comm, tab_street, tab_gaps, tab_notes = st.tabs(
    [tr("per_community", lang), tr("per_street", lang), tr("daycare_gaps", lang), tr("notes", lang)]
)
with tab_comm:
    comm = shares(
        result.communities,
        {"name": tr("community", lang), "street": tr("street", lang), "elderly": tr("elderly", lang)},
    )
    st.dataframe(comm, hide_index=True, width="stretch", column_config=pct_cols)
with tab_street:
    street = shares(
        result.streets,
        {
            "street": tr("street", lang),
            "communities": tr("communities", lang),
            "elderly": tr("elderly", lang),
        },
    )
    st.dataframe(street, hide_index=True, width="stretch", column_config=pct_cols)
with tab_gaps:
    gaps = result.daycare_gaps
    if len(gaps):
        st.caption(
            tr("daycare_gaps_caption", lang).format(n=len(gaps), m=m, elderly=result.daycare_gap_elderly)
        )
        shown = gaps.rename(
            columns={
                "name": tr("community", lang),
                "street": tr("street", lang),
                "elderly": tr("elderly", lang),
                "elderly_uncovered": tr("uncovered_elderly", lang),
                "share": tr("within_band", lang).format(m=m),
            }
        )
        within = tr("within_band", lang).format(m=m)
        shown[within] = percent(shown[within])
        st.dataframe(shown, hide_index=True, width="stretch", column_config=pct_cols)
    elif "day_care" in result.kinds:
        st.success(tr("daycare_all_covered", lang).format(m=m))
    else:
        st.info(tr("no_daycare", lang))
with tab_notes:
    for note in result.notes_in(lang):
        st.markdown(f"- {plain_markdown(redact_text(note))}")
    if not result.notes:
        st.caption("—")
