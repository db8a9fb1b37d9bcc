"""eldercircle — the Streamlit app. Router only: the shared sidebar, then st.navigation over pages/.

Run: ``streamlit run app.py`` (opens the embedded demo study by default).
"""

from __future__ import annotations

import streamlit as st

from pages.common import sidebar
from planning.i18n import tr

st.set_page_config(page_title="eldercircle 养老服务圈", page_icon="🏘️", layout="wide")
settings = sidebar()
lang = settings.lang
navigation = st.navigation([
    st.Page("pages/overview.py", title=tr("overview", lang), icon="🗺️", url_path="overview", default=True),
])
navigation.run()
