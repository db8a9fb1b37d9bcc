"""总览 Overview: communities shaded by elderly density, facilities by kind, the elder-density layer, key figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import (
    coverage_for,
    network_for,
    page_start,
    prefetch,
    show_map,
)
from planning.display import format_number, format_share, percent
from planning.i18n import kind_label, tr
from planning.maps import overview_map
from planning.study import key_figures

settings, study = page_start("overview")
lang = settings.lang

kf = key_figures(study)
net = network_for(study, settings)
result = coverage_for(study, net, minutes=settings.minutes) if net is not None else None
m = settings.minutes[-1]
cols = st.columns(6)
cols[0].metric(tr("residents", lang), format_number(kf["residents"], lang=lang, groups=",", wan=True))
cols[1].metric(tr("elderly", lang), format_number(kf["elderly"], lang=lang, groups=",", wan=True))
cols[2].metric(tr("elderly_share", lang), format_share(kf["elderly_share"], space=True))
cols[3].metric(tr("streets", lang), f"{kf['streets']}")
cols[4].metric(tr("communities", lang), f"{kf['communities']}")
if result is not None and "day_care" in result.kinds:
    share = result.band_total("day_care", m)["share"]
    cols[5].metric(tr("share_covered_daycare", lang).format(m=m), format_share(share, space=True))
else:
    cols[5].metric(tr("share_covered_daycare", lang).format(m=m), "—")

left, right = st.columns([3, 2])
with right:
    st.subheader(tr("facilities", lang))
    rows = []
    for kind, n in kf["facilities"].items():
        if not n:
            continue
        row = {tr("kind", lang): kind_label(kind, lang), tr("count", lang): n}
        if result is not None and kind in result.kinds:
            row[tr("share_within", lang).format(m=m)] = float(percent(result.band_total(kind, m)["share"]))
        rows.append(row)
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            tr("share_within", lang).format(m=m): st.column_config.NumberColumn(format="%.1f %%"),
            tr("kind", lang): st.column_config.TextColumn(width="medium"),
        },
    )
    if kf["candidates"]:
        st.caption(f"{tr('candidates', lang)}: {kf['candidates']}")
with left:
    fmap = overview_map(
        study, lang=lang, basemap=settings.basemap, tianditu_key=settings.tianditu_key, network=net
    )
    show_map(fmap, lang=lang, height=600)

# what the Coverage and Standards pages show first, computed now that this page is drawn
prefetch(study, net, minutes=settings.minutes)
