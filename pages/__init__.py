"""Streamlit pages: thin files that collect inputs, call the library and render. No analysis here."""
