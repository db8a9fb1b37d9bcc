"""eldercircle — the Streamlit app. Router only: the shared sidebar, then st.navigation over pages/.

Run: ``streamlit run app.py`` (opens the embedded demo study by default).
"""

from __future__ import annotations

import streamlit as st

from pages.common import ROUTER_FLAG, sidebar
from planning.i18n import tr

st.set_page_config(page_title="eldercircle 养老服务圈", page_icon=":material/elderly:", layout="wide")
settings = sidebar()
lang = settings.lang
navigation = st.navigation([
    st.Page("pages/overview.py", title=tr("overview", lang), icon=":material/map:", url_path="overview", default=True),
    st.Page("pages/coverage.py", title=tr("coverage", lang), icon=":material/directions_walk:", url_path="coverage"),
    st.Page("pages/standards.py", title=tr("standards", lang), icon=":material/rule:", url_path="standards"),
    st.Page("pages/siting.py", title=tr("siting", lang), icon=":material/add_location_alt:", url_path="siting"),
    st.Page("pages/data.py", title=tr("data", lang), icon=":material/dataset:", url_path="data"),
])
# the pages read the sidebar's choices instead of drawing it again (see pages.common.page_settings)
st.session_state[ROUTER_FLAG] = True
try:
    navigation.run()
finally:
    st.session_state.pop(ROUTER_FLAG, None)
