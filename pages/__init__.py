"""Streamlit pages: thin files that collect inputs, call the library and render. No analysis here.

The menu of the pages lives here (a light module: app.py declares it before anything heavy is imported) so that a
page file Streamlit runs on its own (the legacy meaning of a ``pages/`` folder) can declare the same menu.
"""

from __future__ import annotations

#: The app's pages in menu order: (file stem = URL path, Material icon). The first is the default page.
PAGES: tuple[tuple[str, str], ...] = (
    ("overview", ":material/map:"),
    ("coverage", ":material/directions_walk:"),
    ("standards", ":material/rule:"),
    ("siting", ":material/add_location_alt:"),
    ("data", ":material/dataset:"),
)


def app_navigation(lang: str):
    """Declare the app's menu (``st.navigation``) with page titles in ``lang``; returns the page to run.

    Each page's URL path is its file stem, the name Streamlit's legacy ``pages/`` discovery also gives it, so a
    link to ``/coverage`` opens the same page either way. Calling ``st.navigation`` also turns the legacy discovery
    off (it would list every file in ``pages/``, helpers included).
    """
    import streamlit as st

    from planning.i18n import tr

    return st.navigation(
        [
            st.Page(f"pages/{name}.py", title=tr(name, lang), icon=icon, url_path=name, default=i == 0)
            for i, (name, icon) in enumerate(PAGES)
        ]
    )


def lang_of(state) -> str:
    """The language of this run from ``st.session_state``: the sidebar radio's value, or its mirror (``_keep_``,
    see :func:`pages.common.sticky`) when the radio was not drawn yet."""
    return "en" if state.get("lang_choice", state.get("_keep_lang_choice")) == "English" else "zh"


def page_title(lang: str) -> str:
    """The browser tab's title in ``lang``."""
    from planning.i18n import tr

    return f"eldercircle · {tr('app_title', lang)}"
