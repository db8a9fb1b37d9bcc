"""The shared sidebar and the study cache, used by app.py and every page (not a page itself)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from geo.errors import StudyError
from geo.network import DEFAULT_WALK_SPEED_M_S, MAX_WALK_SPEED_M_S, MIN_WALK_SPEED_M_S
from planning.i18n import tr
from planning.study import Study, load_study

REPO = Path(__file__).resolve().parents[1]
DEMO_STUDY = REPO / "data" / "demo"


@dataclass(frozen=True)
class Settings:
    """What the sidebar collected for this browser session."""

    lang: str
    study_path: str
    walk_speed_m_s: float


def _folder_signature(path: str) -> tuple:
    """Names, sizes and times of the study's files, so an edited study is reloaded."""
    folder = Path(path)
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_study(path: str, signature: tuple) -> Study:
    return load_study(path)


def get_study(path: str) -> Study:
    """The study at ``path``, loaded once per version of its files and shared read-only between sessions."""
    return _cached_study(path, _folder_signature(path))


def sidebar() -> Settings:
    """Draw the shared sidebar (language, study, walking speed) and return the choices."""
    state = st.session_state
    lang_label = st.sidebar.radio("语言 / Language", ["中文", "English"], horizontal=True, key="lang_choice")
    lang = "en" if lang_label == "English" else "zh"
    st.sidebar.title(tr("app_title", lang))
    default = os.environ.get("ELDERCIRCLE_STUDY", str(DEMO_STUDY))
    study_path = st.sidebar.text_input(tr("study_folder", lang), value=state.get("study_path", default),
                                       key="study_path")
    speed = st.sidebar.slider(tr("walk_speed", lang), min_value=MIN_WALK_SPEED_M_S, max_value=MAX_WALK_SPEED_M_S,
                              value=DEFAULT_WALK_SPEED_M_S, step=0.05, key="walk_speed_m_s")
    return Settings(lang=lang, study_path=study_path, walk_speed_m_s=float(speed))


def current_settings() -> Settings:
    """The sidebar's choices as stored in this session."""
    state = st.session_state
    lang = "en" if state.get("lang_choice") == "English" else "zh"
    return Settings(lang=lang, study_path=state.get("study_path", str(DEMO_STUDY)),
                    walk_speed_m_s=float(state.get("walk_speed_m_s", DEFAULT_WALK_SPEED_M_S)))


def study_or_stop(settings: Settings) -> Study:
    """Load the chosen study, or show the loader's message and stop this page (the rest of the app keeps working)."""
    try:
        study = get_study(settings.study_path)
    except StudyError as exc:
        st.error(f"{tr('load_failed', settings.lang)}: {exc}")
        st.stop()
    if study.synthetic:
        st.info(tr("synthetic_notice", settings.lang))
    return study
