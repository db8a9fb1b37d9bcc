"""eldercircle — the Streamlit app. Router only: st.navigation over pages/, then the shared sidebar.

Run: ``streamlit run app.py`` (opens the embedded demo study by default).

The navigation is declared before anything heavy is imported: on a server's first run Streamlit still applies the
legacy meaning of a ``pages/`` folder (every ``pages/*.py`` becomes a menu entry, helpers included) until
``st.navigation`` is called, so calling it first replaces that menu at once. A page file that Streamlit runs on its
own declares the same menu itself (:func:`pages.common.page_settings`).
"""

from __future__ import annotations

import streamlit as st

from pages import app_navigation, lang_of, page_title

_lang = lang_of(st.session_state)  # the language radio's value of this run (drawn by the sidebar below)
st.set_page_config(page_title=page_title(_lang), page_icon=":material/elderly:", layout="wide")
navigation = app_navigation(_lang)

from pages.common import guarded, sidebar  # after the navigation: see the module docstring  # noqa: E402 - after st.navigation (module docstring)

# the pages read the sidebar's choices (pages.common.page_settings) instead of drawing it again; an error in either
# shows one sentence and goes to the server's log (showErrorDetails is off in .streamlit/config.toml)
guarded(sidebar, lang=_lang)
guarded(navigation.run, lang=_lang)
