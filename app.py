"""eldercircle — the Streamlit app. Router only: st.navigation over app_pages/, then the shared sidebar.

Run: ``streamlit run app.py`` (opens the embedded demo study by default).
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import app_navigation, guarded, lang_of, page_title, sidebar

#: The tab's icon: three walking-time rings around a home, drawn inline. A ":material/...:" page icon is fetched by
#: the browser from fonts.gstatic.com, which an offline bureau machine cannot reach (the menu's icons are bundled).
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="16" cy="16" r="15" fill="#fde0d9"/><circle cx="16" cy="16" r="10.5" fill="#f4a582"/>'
    '<circle cx="16" cy="16" r="6" fill="#d6604d"/><circle cx="16" cy="16" r="2.2" fill="#ffffff"/></svg>'
)

_lang = lang_of(st.session_state)  # the language radio's value of this run (drawn by the sidebar below)
st.set_page_config(page_title=page_title(_lang), page_icon=FAVICON, layout="wide")
navigation = app_navigation(_lang)

# the pages read the sidebar's choices (app_pages.common.current_settings) instead of drawing it again; an error in
# either shows one sentence and goes to the server's log (showErrorDetails is off in .streamlit/config.toml)
guarded(sidebar, lang=_lang)
guarded(navigation.run, lang=_lang)
