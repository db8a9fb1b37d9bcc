"""总览 Overview: communities shaded by elderly density, facilities by kind, the elder-density layer, key figures."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from pages.common import current_settings, study_or_stop
from planning.i18n import kind_label, tr
from planning.maps import overview_map
from planning.study import key_figures

settings = current_settings()
lang = settings.lang
study = study_or_stop(settings)
st.header(f"{tr('overview', lang)} · {study.name if lang == 'zh' else study.name_en}")

kf = key_figures(study)
cols = st.columns(5)
cols[0].metric(tr("residents", lang), f"{kf['residents']:,.0f}")
cols[1].metric(tr("elderly", lang), f"{kf['elderly']:,.0f}")
cols[2].metric(tr("elderly_share", lang), f"{kf['elderly_share'] * 100:.1f} %")
cols[3].metric(tr("streets", lang), f"{kf['streets']}")
cols[4].metric(tr("communities", lang), f"{kf['communities_urban'] + kf['communities_rural']}")
st.caption(tr("facilities", lang) + ": " + " · ".join(
    f"{kind_label(k, lang)} {n}" for k, n in kf["facilities"].items() if n))
if kf["rejected_rows"]:
    st.warning(f"{tr('rejected_rows', lang)}: {kf['rejected_rows']} (eldercircle validate)")

fmap = overview_map(study, lang=lang)
st_folium(fmap, height=620, use_container_width=True, returned_objects=[], key="overview_map")
