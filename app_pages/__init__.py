"""The Streamlit app's pages (``st.navigation`` in app.py): thin scripts that collect inputs, call :mod:`planning`
and render. No analysis here, and no import of :mod:`geo`.

``overview``, ``coverage``, ``standards``, ``siting`` and ``data`` are the pages; :mod:`app_pages.common` holds what
they share (the menu, the sidebar, the caches at the Streamlit boundary, the session's uploads).
"""
