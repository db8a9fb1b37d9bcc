"""The menu, the shared sidebar and the caches at the Streamlit boundary, used by app.py and every page (not a
page itself).

Caching (DESIGN.md): the study and its walking network are ``st.cache_resource`` (built once per version of the
study's files, shared read-only between sessions; a change of walking speed only re-times the network with
``WalkNetwork.with_speed``); coverage, service circles and the standards check are ``st.cache_data`` keyed on the
study's folder signature and the inputs. Everything a user chooses or uploads lives in ``st.session_state`` and the
session's own temporary folder, so one browser session never sees another's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from planning.coverage import (
    DEFAULT_WALK_SPEED_M_S,
    MAX_WALK_SPEED_M_S,
    MIN_WALK_SPEED_M_S,
    CoverageResult,
    WalkNetwork,
    coverage_of_study,
    demand_points_notes,
    network_for_study,
    placement_table,
    service_circle_layer,
)
from planning.errors import StudyError
from planning.i18n import say, tr
from planning.intake import MAX_UPLOAD_MB, content_id, public_mode, study_from_zip
from planning.maps import BASEMAPS, basemap_for_study, has_basemap, map_html
from planning.progress import Progress, ProgressMessage, bounded, progress_text
from planning.report import DEFAULT_K_ANON, SheetFormat
from planning.standards import PRESET_ALIASES, PRESETS, CheckResult, check_of_study, rules_for
from planning.study import Study, load_study
from planning.validation import rejected_lines

REPO = Path(__file__).resolve().parents[1]
DEMO_STUDY = REPO / "data" / "demo"
BANDS = (5, 10, 15)
SOURCES = ("demo", "zip", "layers", "folder")
SESSION_PREFIX = "eldercircle-session-"
#: Upload folders of sessions untouched this long are removed when a new session makes its folder.
SESSION_MAX_AGE_S = 2 * 24 * 3600.0
#: The app's pages in menu order: (file stem = URL path, Material icon). The first is the default page.
PAGES: tuple[tuple[str, str], ...] = (
    ("overview", ":material/map:"),
    ("coverage", ":material/directions_walk:"),
    ("standards", ":material/rule:"),
    ("siting", ":material/add_location_alt:"),
    ("scenario", ":material/edit_location_alt:"),
    ("data", ":material/dataset:"),
)
_log = logging.getLogger("eldercircle.app")


@dataclass(frozen=True)
class Settings:
    """What the sidebar collected for this browser session.

    Attributes
    ----------
    lang : ``zh`` or ``en``.
    source : ``demo``, ``zip``, ``layers`` or ``folder``.
    study_path : the study folder, or None when the chosen source has none yet (nothing uploaded).
    walk_speed_m_s : walking speed.
    minutes : the service-circle bands, increasing.
    basemap : ``auto`` or one of :data:`planning.maps.BASEMAPS`.
    tianditu_key : the user's Tianditu key ('' when none).
    """

    lang: str
    source: str
    study_path: str | None
    walk_speed_m_s: float
    minutes: tuple[int, ...]
    basemap: str
    tianditu_key: str = ""


# --- the menu ----------------------------------------------------------------------------------------------------


def app_navigation(lang: str) -> Any:
    """Declare the app's menu (``st.navigation``) with page titles in ``lang``; returns the page to run.

    Each page's URL path is its file stem (``/coverage``)."""
    return st.navigation(
        [
            st.Page(f"app_pages/{name}.py", title=tr(name, lang), icon=icon, url_path=name, default=i == 0)
            for i, (name, icon) in enumerate(PAGES)
        ]
    )


def lang_of(state: Any) -> str:
    """The language of this run from ``st.session_state``: the sidebar radio's value, or its mirror (``_keep_``,
    see :func:`sticky`) when the radio was not drawn yet."""
    return "en" if state.get("lang_choice", state.get("_keep_lang_choice")) == "English" else "zh"


def page_title(lang: str, study: str | None = None) -> str:
    """The browser tab's title in ``lang``: the study's name when one is open, else the program's."""
    return f"{study} · {tr('app_title', lang)}" if study else f"eldercircle · {tr('app_title', lang)}"


def _working(key: str) -> Any:
    """A spinner with the text ``key`` in this session's language, for work that may take a while (a cached result
    comes back before the spinner's short delay, so it is not drawn then)."""
    return st.spinner(tr(key, lang_of(st.session_state)))


# --- the study and its caches -----------------------------------------------------------------------------------


def folder_signature(path: str | Path) -> tuple:
    """Names, sizes and times of the study's files, so an edited study is reloaded."""
    folder = Path(path)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_study(path: str, signature: tuple) -> Study:
    return load_study(path)


def get_study(path: str) -> Study:
    """The study at ``path``, loaded once per version of its files and shared read-only between sessions."""
    with _working("spinner_study"):
        return _cached_study(path, folder_signature(path))


def study_key(study: Study) -> tuple:
    """The cache key of a study: its folder and the signature of its files."""
    return (str(study.folder), folder_signature(study.folder))


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_network(key: tuple, _study: Study) -> WalkNetwork:
    return network_for_study(_study)


def network_for(study: Study, settings: Settings, *, quiet: bool = False) -> WalkNetwork | None:
    """The study's walking network at the sidebar's speed, or None (with the loader's message) when it fails."""
    try:
        with _working("spinner_network"):
            net = _cached_network(study_key(study), study)
    except StudyError as exc:
        if not quiet:
            st.error(f"{tr('network_failed', settings.lang)}: {say(exc, settings.lang)}")
        return None
    if abs(net.walk_speed_m_s - settings.walk_speed_m_s) > 1e-12:
        net = net.with_speed(settings.walk_speed_m_s)
    return net


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_placement(key: tuple, _study: Study) -> tuple[gpd.GeoDataFrame, Any]:
    demand, _notes = demand_points_notes(_study)
    return demand, placement_table(_study, demand)


def placement_for(study: Study) -> tuple[gpd.GeoDataFrame, Any]:
    """Where the study's elderly are placed (the demand points) and, per community, how (cached on the study)."""
    with _working("spinner_coverage"):
        return _cached_placement(study_key(study), study)


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_coverage(
    key: tuple,
    minutes: tuple[int, ...],
    kinds: tuple[str, ...] | None,
    speed: float,
    _study: Study,
    _net: WalkNetwork,
) -> CoverageResult:
    return coverage_of_study(_study, _net, minutes=minutes, kinds=kinds)


def coverage_for(
    study: Study, net: WalkNetwork, *, minutes: tuple[int, ...], kinds: tuple[str, ...] | None = None
) -> CoverageResult:
    """Coverage of the study's elderly (cached on the study, bands, kinds and walking speed)."""
    with _working("spinner_coverage"):
        return _cached_coverage(
            study_key(study),
            tuple(minutes),
            None if kinds is None else tuple(kinds),
            float(net.walk_speed_m_s),
            study,
            net,
        )


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_circles(
    key: tuple,
    minutes: tuple[int, ...],
    kinds: tuple[str, ...],
    speed: float,
    _study: Study,
    _net: WalkNetwork,
    _result: CoverageResult,
    mode: str = "dissolved",
) -> gpd.GeoDataFrame:
    return service_circle_layer(_study, _net, _result, kinds=kinds, mode=mode)


#: How service circles can be split (geo.service_area.MODES), as the coverage page offers them.
CIRCLE_MODES = ("dissolved", "per_facility", "nearest")


def chosen_circles_mode() -> str:
    """The service-circle mode chosen on the coverage page (``dissolved`` until one is chosen)."""
    mode = st.session_state.get("_keep_circles_mode", "dissolved")
    return mode if mode in CIRCLE_MODES else "dissolved"


def circles_for(
    study: Study,
    net: WalkNetwork,
    result: CoverageResult,
    *,
    kinds: tuple[str, ...] | None = None,
    mode: str = "dissolved",
    quiet: bool = False,
) -> gpd.GeoDataFrame:
    """Service circles of every band of ``result``, for all its kinds or ``kinds``, split as ``mode`` says (cached
    like the coverage). ``quiet``: no spinner (for a download button's deferred data)."""
    wanted = tuple(result.kinds) if kinds is None else tuple(kinds)
    with contextlib.nullcontext() if quiet else _working("spinner_circles"):
        return _cached_circles(
            study_key(study),
            tuple(result.minutes),
            wanted,
            float(net.walk_speed_m_s),
            study,
            net,
            result,
            mode,
        )


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_check(
    key: tuple, preset: str, speed: float | None, _study: Study, _net: WalkNetwork | None, bed_basis: str = ""
) -> CheckResult:
    rules = rules_for(preset, overrides=_study.standards.overrides)
    return check_of_study(_study, _net, rules=rules, bed_basis=bed_basis or None)


def check_for(study: Study, net: WalkNetwork | None, *, preset: str, bed_basis: str = "") -> CheckResult:
    """The standards check of the study with ``preset`` (the network gives the walking rules; None: not
    assessable) and ``bed_basis`` ("": the study's)."""
    with _working("spinner_check"):
        speed = None if net is None else float(net.walk_speed_m_s)
        return _cached_check(study_key(study), preset, speed, study, net, bed_basis)


def scenario_baseline(
    study: Study, net: WalkNetwork, *, minutes: tuple[int, ...]
) -> tuple[CoverageResult, CheckResult]:
    """The study's own coverage (every kind) and standards check (its preset), cached as the other pages use them:
    the baseline a scenario is compared with."""
    return coverage_for(study, net, minutes=minutes), check_for(study, net, preset=study_preset(study))


def preset_label(preset: str, lang: str) -> str:
    """A standards preset's title in ``lang``."""
    return PRESETS[preset].title_zh if lang == "zh" else PRESETS[preset].title_en


def study_preset(study: Study) -> str:
    """The standards preset the study names (its alias resolved), or ``national`` when it names none we know."""
    own = PRESET_ALIASES.get(study.standards.preset, study.standards.preset)
    return own if own in PRESETS else "national"


def prefetch(study: Study, net: WalkNetwork | None, *, minutes: tuple[int, ...]) -> None:
    """Compute, after the overview is drawn, what the Coverage and Standards pages show first (the day-care service
    circles, the check with the study's own preset), so their first visit is as quick as the next ones. Cached
    results return at once; a click elsewhere meanwhile simply stops this."""
    if net is None:
        return
    speed = float(net.walk_speed_m_s)
    if (study.facilities["kind"] == "day_care").any():
        result = _cached_coverage(study_key(study), tuple(minutes), None, speed, study, net)  # the overview's
        _cached_circles(study_key(study), tuple(result.minutes), ("day_care",), speed, study, net, result)
    _cached_check(study_key(study), study_preset(study), speed, study, net)


# --- the session -------------------------------------------------------------------------------------------------


def session_dir() -> Path:
    """This browser session's own temporary folder (uploads and studies built from them)."""
    state = st.session_state
    path = state.get("_session_dir")
    if not path or not Path(path).is_dir():
        _remove_stale_session_dirs()
        path = tempfile.mkdtemp(prefix=SESSION_PREFIX)
        state["_session_dir"] = path
    return Path(path)


def _remove_stale_session_dirs(*, max_age_s: float = SESSION_MAX_AGE_S) -> None:
    """Remove the upload folders of sessions untouched for ``max_age_s`` (the app's own prefix only)."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{SESSION_PREFIX}*"):
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > max_age_s:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _zip_upload(lang: str) -> str | None:
    """The zipped-study uploader; returns the unpacked study folder or None."""
    state = st.session_state

    def changed() -> None:
        state["_zip_changed"] = True

    upload = st.sidebar.file_uploader(
        tr("upload_zip", lang),
        type=["zip"],
        key="study_zip",
        on_change=changed,
        help=tr("upload_zip_help", lang).format(mb=MAX_UPLOAD_MB),
    )
    st.sidebar.caption(tr("upload_limit", lang).format(mb=MAX_UPLOAD_MB))
    user_changed = state.pop("_zip_changed", False)
    if upload is None:
        if user_changed:  # the user removed the file
            for k in ("_zip_id", "_zip_study", "_zip_error", "_zip_name"):
                state.pop(k, None)
        elif state.get("_zip_study"):  # the uploader was redrawn empty (another page drew the sidebar)
            st.sidebar.caption(tr("zip_current", lang).format(name=state.get("_zip_name", "")))
        return state.get("_zip_study")
    data = upload.getvalue()
    ident = content_id(data)
    if state.get("_zip_id") != ident:
        state["_zip_id"], state["_zip_name"] = ident, upload.name
        try:
            folder = study_from_zip(data, session_dir() / "zip" / ident, name=upload.name)
            state["_zip_study"], state["_zip_error"] = str(folder), None
        except StudyError as exc:
            state["_zip_study"], state["_zip_error"] = None, exc
    if state.get("_zip_error"):
        st.sidebar.error(failure_text("upload_refused", state["_zip_error"], lang))
    return state.get("_zip_study")


def sticky(key: str, default: object) -> dict:
    """Keyword arguments (``key``, ``on_change``) that keep a widget's value across pages and redraws.

    Streamlit forgets a widget's value when a run does not draw it (another page is shown), and ties a widget's
    identity to the script that draws it. The value is mirrored in a plain session key and put back before the widget is drawn.
    Widgets inside a form take no callback: use :func:`form_sticky` and :func:`remember` for them.
    """
    state = st.session_state
    mirror = f"_keep_{key}"
    state[key] = state.get(mirror, state.get(key, default))
    state[mirror] = state[key]

    def changed() -> None:
        state[mirror] = state[key]

    return {"key": key, "on_change": changed}


def form_sticky(key: str, default: object) -> dict:
    """Like :func:`sticky` for a widget inside a form: restores a value Streamlit forgot; call :func:`remember`
    with the widget's value after drawing it."""
    state = st.session_state
    if key not in state:
        state[key] = state.get(f"_keep_{key}", default)
    return {"key": key}


def remember(key: str, value: object) -> None:
    """Mirror a widget's value (see :func:`sticky`)."""
    st.session_state[f"_keep_{key}"] = value


def set_sticky(key: str, value: object) -> None:
    """Set a sticky widget's value from code (before it is drawn)."""
    st.session_state[key] = value
    st.session_state[f"_keep_{key}"] = value


def sidebar() -> Settings:
    """Draw the shared sidebar (language, study, walking speed, bands, basemap); return and store the choices."""
    state = st.session_state
    lang_label = st.sidebar.radio(
        "语言 / Language", ["中文", "English"], horizontal=True, **sticky("lang_choice", "中文")
    )
    lang = "en" if lang_label == "English" else "zh"
    source, study_path = _study_choice(lang)
    # the walking speed starts at the study's own (study.toml), and is the user's from then on
    if study_path is not None and state.get("_speed_for") != study_path:
        try:
            set_sticky("walk_speed_m_s", float(get_study(study_path).network.walk_speed_m_s))
        except StudyError:
            set_sticky("walk_speed_m_s", DEFAULT_WALK_SPEED_M_S)
        state["_speed_for"] = study_path
    speed = st.sidebar.slider(
        tr("walk_speed", lang),
        min_value=MIN_WALK_SPEED_M_S,
        max_value=MAX_WALK_SPEED_M_S,
        step=0.05,
        help=tr("walk_speed_help", lang),
        **sticky("walk_speed_m_s", DEFAULT_WALK_SPEED_M_S),
    )
    bands = st.sidebar.multiselect(
        tr("bands", lang),
        list(BANDS),
        format_func=lambda m: tr("band_label", lang).format(m=m),
        **sticky("bands", list(BANDS)),
    )
    minutes = tuple(sorted(int(b) for b in bands)) or (15,)
    if not bands:
        st.sidebar.caption(tr("bands_empty", lang))
    basemap, key = _basemap_choice(lang)
    settings = Settings(
        lang=lang,
        source=source,
        study_path=study_path,
        walk_speed_m_s=float(speed),
        minutes=minutes,
        basemap=basemap,
        tianditu_key=key,
    )
    state["_settings"] = settings
    return settings


def _study_choice(lang: str) -> tuple[str, str | None]:
    """The sidebar's study source and the study folder it gives (None: nothing uploaded or named yet)."""
    # a public deployment (ELDERCIRCLE_PUBLIC=1) hides the folder choice, which would read the server's disk
    sources = [s for s in SOURCES if not (public_mode() and s == "folder")]
    source = st.sidebar.radio(
        tr("study", lang),
        sources,
        format_func=lambda s: tr(f"source_{s}", lang),
        **sticky("study_source", "demo"),
    )
    if source == "demo":
        study_path: str | None = str(DEMO_STUDY)
    elif source == "zip":
        study_path = _zip_upload(lang)
    elif source == "layers":
        study_path = st.session_state.get("_layers_study")
        if study_path is None:
            st.sidebar.info(tr("layers_hint", lang))
        else:
            st.sidebar.caption(tr("layers_built", lang))
    else:
        study_path = st.sidebar.text_input(
            tr("study_folder", lang),
            help=tr("study_folder_help", lang),
            **sticky("folder_path", os.environ.get("ELDERCIRCLE_STUDY", "")),
        )
        study_path = study_path.strip() or None
    return source, study_path


def _basemap_choice(lang: str) -> tuple[str, str]:
    """The sidebar's basemap and the Tianditu key ('' unless the Tianditu basemap is chosen); the automatic choice
    is the offline basemap drawn from the study's own OSM data or network, for every study."""
    basemap = st.sidebar.selectbox(
        tr("basemap", lang),
        ["auto", *BASEMAPS],
        format_func=lambda b: tr(f"basemap_{b}", lang),
        **sticky("basemap", "auto"),
    )
    key = ""
    if basemap == "tianditu":
        key = st.sidebar.text_input(
            tr("tianditu_key", lang),
            type="password",
            help=tr("tianditu_key_help", lang),
            **sticky("tianditu_key", ""),
        )
        if not key.strip():
            st.sidebar.caption(tr("tianditu_no_key", lang))
    elif basemap == "amap":
        st.sidebar.caption(tr("amap_shift", lang))
    return basemap, key


def current_settings() -> Settings:
    """The sidebar's choices of this run (app.py draws the sidebar before it runs the page)."""
    settings = st.session_state.get("_settings")
    if settings is None:  # the sidebar failed (its error is shown): the defaults
        settings = Settings(
            lang=lang_of(st.session_state),
            source="demo",
            study_path=str(DEMO_STUDY),
            walk_speed_m_s=DEFAULT_WALK_SPEED_M_S,
            minutes=BANDS,
            basemap="auto",
        )
    return settings


def study_or_stop(settings: Settings, *, notice: bool = True) -> Study:
    """Load the chosen study, or show why not and stop this page (the sidebar and other pages keep working)."""
    lang = settings.lang
    if settings.study_path is None:
        st.info(tr(f"no_study_{settings.source}", lang))
        st.stop()
    try:
        study = get_study(settings.study_path)
    except StudyError as exc:
        st.error(failure_text("load_failed", exc, lang))
        st.stop()
    if notice and study.synthetic:
        st.info(tr("synthetic_notice", lang))
    return study


def page_start(page: str) -> tuple[Settings, Study]:
    """The sidebar's settings and the chosen study, with the page's header; stops the page when there is no study.

    ``page`` is the i18n key of the page's title (``overview``, ``coverage``, ...)."""
    settings = current_settings()
    study = study_or_stop(settings)
    st.set_page_config(page_title=page_title(settings.lang, study_title(study, settings.lang)))
    st.header(f"{tr(page, settings.lang)} · {plain_markdown(study_title(study, settings.lang))}")
    rejected_notice(study, settings.lang)
    basemap_notice(study, settings)
    return settings, study


def basemap_notice(study: Study, settings: Settings) -> None:
    """Say once, above the page's maps, why the study's offline basemap cannot be drawn (its OSM file cannot be
    read); the maps are drawn without it."""
    if settings.basemap not in ("auto", "offline") or not has_basemap(study):
        return
    said: list[ProgressMessage] = []
    if basemap_for_study(study, progress=lambda _f, note: said.append(note)) is None and said:
        reason = progress_text(said[-1], settings.lang)
        st.warning(plain_markdown(say("basemap_unavailable", settings.lang, reason=reason)))


def rejected_notice(study: Study, lang: str) -> None:
    """State, above every figure, how many rows validation rejected and name them (nothing vanishes silently)."""
    if not study.n_rejected:
        return
    lines = rejected_lines(study.rejected, study.layer_sources, lang=lang, limit=10, findings=study.findings)
    st.warning(
        tr("rejected_rows_note", lang).format(n=study.n_rejected)
        + "\n\n"
        + "\n".join(f"- {plain_markdown(line)}" for line in lines)
    )


#: Characters that start markdown or HTML constructs where they stand (links and images need ``[``, HTML and
#: autolinks ``<``); the rest of punctuation is left alone so that names read as written in the raw text too.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~$])")


def plain_markdown(text: str) -> str:
    """``text`` for Streamlit's markdown widgets (headers, captions, notices): every markdown and HTML character
    backslash-escaped, so a name such as ``[x](javascript:...)`` or ``<img ...>`` is shown as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def failure_text(label_key: str, exc: BaseException, lang: str) -> str:
    """The notice for a failure: the catalogue's label (``load_failed``, ``page_failed`` …) and the error said in
    ``lang``, joined as the language joins them (``：`` in Chinese), markdown-inert."""
    return plain_markdown(say("labelled", lang, label=tr(label_key, lang), text=say(exc, lang)))


def guarded(run: Callable[[], object], *, lang: str) -> None:
    """Run ``run`` (the sidebar, a page); an error shows one sentence instead of a trace (DESIGN.md: errors are one
    sentence). A :class:`~planning.errors.StudyError` is the user's to fix and is shown as it is; anything else is a
    fault of the app: the trace goes to the server's log and the person sees a short notice. ``st.stop`` and
    reruns (``BaseException``) pass through."""
    try:
        run()
    except StudyError as exc:
        st.error(failure_text("page_failed", exc, lang))
    except Exception:
        _log.exception("eldercircle page failed")
        st.error(tr("internal_error", lang))


def network_or_stop(study: Study, settings: Settings) -> WalkNetwork:
    """The study's walking network; the page stops (after the loader's message) when there is none."""
    net = network_for(study, settings)
    if net is None:
        st.stop()
    return net


def study_title(study: Study, lang: str) -> str:
    """The study's display name in the language."""
    return study.name if lang == "zh" else study.name_en


def progress_bar(lang: str) -> tuple[Progress, Any]:
    """A progress bar and the ``(fraction, message)`` callback the library calls to move it."""
    bar = st.progress(0.0, text=tr("running", lang))

    def update(fraction: float, message: ProgressMessage) -> None:
        bar.progress(bounded(fraction), text=f"{tr('running', lang)} {progress_text(message, lang)}")

    return update, bar


def show_map(fmap: Any, *, lang: str, height: int = 560) -> None:
    """Draw a folium map as a self-contained document (Leaflet inlined: no CDN needed, only basemap tiles)."""
    st.iframe(map_html(fmap), height=height, alt=tr("map", lang))


#: The media type of a download, by its file's ending.
MEDIA_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".html": "text/html",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".gpkg": "application/geopackage+sqlite3",
}


def print_downloads(
    make: Callable[[Sequence[SheetFormat]], list[bytes]],
    *,
    stem: str,
    key: str,
    labels: tuple[str, str],
    lang: str,
) -> None:
    """An A3 print sheet's PDF and PNG buttons side by side, each sheet made when its button is pressed (a few
    seconds): ``make(formats)`` gives the sheet saved in each of ``formats``; the files are
    ``<stem>_<lang>.pdf`` and ``.png``."""
    shown = tr("download_print_help", lang).format(k=DEFAULT_K_ANON)
    formats: tuple[SheetFormat, SheetFormat] = ("pdf", "png")
    for place, fmt, label in zip(st.columns(2), formats, labels, strict=True):
        download(
            place,
            tr(label, lang),
            lambda f=fmt: make((f,))[0],
            f"{stem}_{lang}.{fmt}",
            key=f"{key}_{fmt}",
            help=shown,
        )


def download(place: Any, label: str, data: Any, file_name: str, *, key: str, help: str | None = None) -> None:
    """A download button in ``place`` (a column, or ``st``): ``data`` (bytes, text, or a function that makes them
    when the button is pressed) saved as ``file_name``, its media type from the file's ending."""
    place.download_button(
        label, data, file_name=file_name, mime=MEDIA_TYPES[Path(file_name).suffix], key=key, help=help
    )


def chosen(frame: Any, choices: dict[str, list]) -> Any:
    """The rows of ``frame`` whose value in each column of ``choices`` is among the values chosen there (a column
    with nothing chosen keeps every row), as a page's filters show them."""
    for column, values in choices.items():
        if values:
            frame = frame[frame[column].isin(values)]
    return frame
