"""方案 Scenarios: place a facility with a click on the map, close or change one with a click on it, and see at once
what the scenario changes (communities gained and lost on the map, the district's figures, the rules whose verdict
changes); save, load, rename and delete scenarios, and set up to two beside the baseline.

The scenario being edited lives in this browser session's state (``_scp``: the study it is for and the
:class:`~planning.scenario.Scenario`); a click is handled by the map's ``on_change`` callback before the page is
drawn again, so the map and the tables of the same run show it. The editor and the result are one ``st.fragment``:
a click or an edit runs only them again, not the sidebar, the saved scenarios or the side-by-side view; the result
section and its district table are drawn with the page (the study as it is), so a first click only fills them. The
tables are built by :func:`planning.scenario.comparison_tables`. Saved scenarios are files in the study folder
(``scenarios/<name>.toml``; an uploaded study's folder is the session's own).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages.common import (
    failure_text,
    network_or_stop,
    page_start,
    plain_markdown,
    scenario_baseline,
    study_key,
)
from planning.errors import StudyError
from planning.i18n import kind_label, tr
from planning.maps import BASEMAP_COORDS, map_html, resolve_basemap
from planning.maps.scenario_map import (
    basemap_data,
    click_position,
    facility_at,
    map_positions,
    scenario_facilities,
    scenario_map,
)
from planning.scenario import (
    AddedFacility,
    FacilityChange,
    Scenario,
    ScenarioComparison,
    community_change,
    compare_scenario,
    comparison_tables,
    delete_scenario,
    district_column,
    edits_table,
    figure_names,
    list_scenarios,
    main_figure,
    number,
    read_scenario,
    rename_scenario,
    save_scenario,
    scenario_path,
)
from planning.scenario.apply import added_facilities
from planning.schema import FACILITY_KINDS

#: The map's key in ``st.session_state`` (streamlit-folium keeps its last value there).
MAP_KEY = "scp_map"
#: At most this many saved scenarios beside the baseline.
MAX_COMPARED = 2
#: The widgets that hold something of one study (a scenario's name, saved scenarios): emptied on a study switch.
STUDY_WIDGETS = ("scp_name", "scp_picked", "scp_new_name", "scp_compare")

settings, study = page_start("scenario")
lang = settings.lang
state = st.session_state
net = network_or_stop(study, settings)
choice = resolve_basemap(study, settings.basemap, network=net)
kinds = list(FACILITY_KINDS)


@st.cache_resource(show_spinner=False, max_entries=8)
def _underlay(key: tuple, lang: str, _study: Any, _net: Any) -> dict[str, Any] | None:
    return basemap_data(_study, network=_net, lang=lang)


def current() -> Scenario:
    """The scenario being edited for this study (a new, empty one when the study changed)."""
    held = state.get("_scp")
    if not held or held["study"] != study_key(study):
        for key in STUDY_WIDGETS:  # the name box and the lists of saved scenarios were the other study's
            state.pop(key, None)
        held = {
            "study": study_key(study),
            "scenario": Scenario(
                name=tr("scp_default_name", lang), study=study.name, coords=BASEMAP_COORDS[choice]
            ),
            "selected": None,
        }
        state["_scp"] = held
    return held["scenario"]


def set_current(scenario: Scenario, *, selected: int | None = None) -> None:
    """Make ``scenario`` the one being edited (``selected``: the facility chosen on the map, by its row)."""
    current()
    state["_scp"] = {**state["_scp"], "scenario": scenario, "selected": selected}


def on_map_click() -> None:
    """A click on the map: on a facility selects it; elsewhere adds one of the chosen kind there."""
    value = state.get(MAP_KEY) or {}
    context = state.get("_scp_context")
    clicked = value.get("last_clicked")
    if not clicked or context is None:
        return
    obj = value.get("last_object_clicked")
    hit = facility_at(context["positions"], obj["lat"], obj["lng"]) if obj else None
    scenario = current()
    if hit is not None:
        set_current(scenario, selected=hit)
        return
    if scenario.is_empty:
        scenario = replace(scenario, coords=BASEMAP_COORDS[context["basemap"]])
    lon, lat = click_position(
        clicked["lat"], clicked["lng"], basemap=context["basemap"], coords=scenario.coords
    )
    added = AddedFacility(kind=context["kind"], lon=round(lon, 7), lat=round(lat, 7))
    set_current(scenario.with_added(added), selected=None)


def session_baseline() -> tuple[Any, Any]:
    """The study's baseline coverage and check, held in this session as objects: the cache at the Streamlit
    boundary hands out a fresh copy on every run (unpickled), which a click would pay for each time."""
    key = (study_key(study), settings.minutes, float(net.walk_speed_m_s))
    held = state.get("_scp_baseline")
    if not held or held[0] != key:
        held = (key, scenario_baseline(study, net, minutes=settings.minutes))
        state["_scp_baseline"] = held
    return held[1]


def comparison_of(scenario: Scenario) -> tuple[ScenarioComparison, float]:
    """The scenario against the study's cached baseline, and the seconds it took (a repeated scenario is kept in
    this session's state and returns at once)."""
    memo: dict = state.setdefault("_scp_memo", {})
    key = (study_key(study), repr(scenario), settings.minutes, float(net.walk_speed_m_s))
    if key in memo:
        return memo[key], 0.0
    baseline, check = session_baseline()
    t0 = time.perf_counter()
    comparison = compare_scenario(
        study, net, scenario, minutes=settings.minutes, baseline=baseline, baseline_check=check
    )
    seconds = time.perf_counter() - t0
    if len(memo) >= 8:
        memo.pop(next(iter(memo)))
    memo[key] = comparison
    return comparison, seconds


def touched_kind(scenario: Scenario, default: str) -> str:
    """The kind the scenario's last edit touches (the map shades that kind's reach)."""
    if scenario.added:
        return scenario.added[-1].kind
    if scenario.changed and scenario.changed[-1].kind:
        return str(scenario.changed[-1].kind)
    if scenario.closed:
        own = study.facilities[study.facilities["name"].astype(str) == scenario.closed[-1]]
        if len(own):
            return str(own["kind"].iloc[0])
    return default


def selected_panel(scenario: Scenario, facilities: Any, selected: int) -> None:
    """Close, reopen, remove or change the facility chosen on the map."""
    row = facilities.iloc[selected]
    name, kind = str(row["name"]), str(row["kind"])
    st.markdown(plain_markdown(tr("scp_selected", lang).format(name=name, kind=kind_label(kind, lang))))
    n_own = len(facilities) - len(scenario.added)
    if bool(row["added"]):
        index = selected - n_own
        if st.button(tr("scp_remove_added", lang), key="scp_remove"):
            set_current(scenario.without_added(index))
            st.rerun()
    elif name in scenario.closed:
        if st.button(tr("scp_reopen", lang), key="scp_reopen"):
            set_current(
                replace(scenario, closed=tuple(c for c in scenario.closed if c != name)), selected=selected
            )
            st.rerun()
    elif st.button(tr("scp_close", lang), key="scp_close", type="primary"):
        set_current(scenario.with_closed(name), selected=selected)
        st.rerun()
    with st.form("scp_edit_form", border=False):
        beds = st.number_input(tr("beds", lang), min_value=0.0, value=_value(row.get("beds")), step=1.0)
        floor = st.number_input(
            tr("floor_area_m2", lang), min_value=0.0, value=_value(row.get("floor_area_m2")), step=10.0
        )
        new_kind = st.selectbox(
            tr("kind", lang), kinds, index=kinds.index(kind) if kind in kinds else 0, format_func=_kind_name
        )
        if st.form_submit_button(tr("scp_apply_change", lang)):
            set_current(_changed(scenario, selected - n_own, name, beds, floor, new_kind), selected=selected)
            st.rerun()
    if st.button(tr("scp_deselect", lang), key="scp_deselect"):
        set_current(scenario)
        st.rerun()


def _value(value: Any) -> float:
    try:
        figure = float(value)
    except (TypeError, ValueError):
        return 0.0
    return figure if figure == figure else 0.0


def _kind_name(kind: str) -> str:
    return kind_label(kind, lang)


def _changed(scenario: Scenario, index: int, name: str, beds: float, floor: float, kind: str) -> Scenario:
    """``scenario`` with the facility changed: an added one (``index`` >= 0) edited in place, an existing one by a
    change of its beds, floor area and kind (replacing an earlier change of it)."""
    if index >= 0:
        added = list(scenario.added)
        added[index] = replace(added[index], beds=float(beds), floor_area_m2=float(floor), kind=kind)
        return replace(scenario, added=tuple(added))
    own = study.facilities[study.facilities["name"].astype(str) == name].iloc[0]
    change = FacilityChange(
        name=name,
        beds=float(beds) if _value(own.get("beds")) != beds else None,
        floor_area_m2=float(floor) if _value(own.get("floor_area_m2")) != floor else None,
        kind=kind if kind != str(own["kind"]) else None,
    )
    others = tuple(c for c in scenario.changed if c.name != name)
    if change.beds is None and change.floor_area_m2 is None and change.kind is None:
        return replace(scenario, changed=others)
    return replace(scenario, changed=(*others, change))


def draw_editor(scenario: Scenario, comparison: ScenarioComparison | None) -> None:
    """The kind to place, the map (a click adds or selects) and, beside it, the chosen facility and the edits."""
    kind = st.selectbox(
        tr("scp_place_kind", lang),
        kinds,
        index=kinds.index("day_care"),
        format_func=_kind_name,
        key="scp_kind",
    )
    st.caption(tr("scp_click_hint", lang).format(kind=kind_label(kind, lang)))
    notice = (
        st.empty()
    )  # always there, so the map below keeps its place (and its frame) when a refusal is said
    refused = state.pop("_scp_refused", None)
    if refused:
        notice.error(refused)
    facilities = scenario_facilities(study, scenario, lang=lang)
    state["_scp_context"] = {
        "positions": map_positions(facilities, basemap=choice),
        "basemap": choice,
        "kind": kind,
    }
    change = None
    if comparison is not None:
        figure = main_figure(comparison, touched_kind(scenario, kind), settings.minutes)[0]
        change = community_change(comparison, figure) if not scenario.is_empty else None
    left, right = st.columns([3, 2])
    dynamic: list[Any] = []
    with left:
        fmap = scenario_map(
            study,
            facilities,
            change,
            closed=scenario.closed,
            lang=lang,
            basemap=choice,
            tianditu_key=settings.tianditu_key,
            network=net,
            underlay=_underlay(study_key(study), lang, study, net) if choice == "offline" else None,
            dynamic=dynamic,
        )
        st_folium(
            fmap,
            feature_group_to_add=dynamic,
            key=MAP_KEY,
            height=560,
            use_container_width=True,
            returned_objects=["last_clicked", "last_object_clicked"],
            on_change=on_map_click,
        )
    with right:
        selected = state["_scp"].get("selected")
        if selected is not None and selected < len(facilities):
            selected_panel(scenario, facilities, selected)
        st.subheader(tr("scp_edits", lang))
        if scenario.is_empty:
            st.info(tr("scp_no_edits", lang))
            return
        st.dataframe(edits_table(scenario, lang), hide_index=True)
        c1, c2 = st.columns(2)
        if scenario.added and c1.button(tr("scp_undo", lang), key="scp_undo"):
            set_current(scenario.without_added(len(scenario.added) - 1))
            st.rerun()
        if c2.button(tr("scp_clear", lang), key="scp_clear"):
            set_current(replace(scenario, added=(), closed=(), changed=()))
            st.rerun()


def draw_result(scenario: Scenario, comparison: ScenarioComparison | None, seconds: float) -> None:
    """The summary line, the district's figures, the communities that change and the rules that change verdict.
    Before any edit the district's figures as they are (drawn with the page, so a click only fills the tables)."""
    st.subheader(tr("scp_result", lang))
    if comparison is None:
        return
    kind = touched_kind(scenario, "day_care")
    tables = comparison_tables(comparison, lang, kind=kind, minutes=settings.minutes)
    if scenario.is_empty:
        st.caption(tr("scp_result_empty", lang))
    else:
        st.markdown(f"**{plain_markdown(comparison.summary_in(lang))}**")
        if seconds:
            st.caption(tr("scp_time", lang).format(s=seconds))
    st.markdown(f"#### {tr('scp_district', lang)}")
    st.dataframe(tables.district, hide_index=True)
    if scenario.is_empty:
        return
    st.markdown(f"#### {tr('scp_communities', lang)}")
    st.caption(tr("scp_community_elderly", lang).format(m=tables.band, kind=kind_label(kind, lang)))
    if len(tables.communities):
        st.dataframe(tables.communities, hide_index=True)
    else:
        st.caption(tr("scp_no_community_change", lang))
    st.markdown(f"#### {tr('scp_verdicts', lang)}")
    if len(tables.verdicts):
        st.dataframe(tables.verdicts, hide_index=True)
    else:
        st.caption(tr("scp_no_verdict_change", lang))


def without_refused(scenario: Scenario) -> Scenario | None:
    """``scenario`` without its last added facility when a placement is refused (outside the study area, no
    walkable street within the snapping limit), else None."""
    if not scenario.added:
        return None
    try:
        added_facilities(study, scenario, network=net)
    except StudyError:
        return scenario.without_added(len(scenario.added) - 1)
    return None


def compared(scenario: Scenario) -> tuple[Scenario, ScenarioComparison | None, float]:
    """The scenario, its comparison and the seconds it took. A refused placement (a click outside the study area or
    too far from a street) is not kept: the sentence that refuses it is said above the map and the edit dropped."""
    try:
        return (scenario, *comparison_of(scenario))
    except StudyError as exc:
        kept = without_refused(scenario)
        if kept is None:
            st.error(failure_text("scp_failed", exc, lang))
            return scenario, None, 0.0
        state["_scp_refused"] = failure_text("scp_refused", exc, lang)
        set_current(kept, selected=state["_scp"].get("selected"))
        return compared(kept)


@st.fragment
def editor_and_result() -> None:
    """The editor and the result: a click on the map or an edit runs only this part of the page again."""
    scenario, comparison, seconds = compared(current())
    draw_editor(scenario, comparison)
    draw_result(scenario, comparison, seconds)


def _store_action(action: str) -> None:
    """Save, load, rename or delete (a button's callback, run before the page is drawn, so the list of saved
    scenarios is up to date); what happened is said above the list."""
    picked = str(state.get("scp_picked", ""))
    try:
        if action == "save":
            saved = replace(current(), name=str(state.get("scp_name", "")).strip(), study=study.name)
            save_scenario(study, saved)
            set_current(saved)
            said = tr("scp_saved", lang).format(name=saved.name)
        elif action == "load":
            loaded = read_scenario(scenario_path(study, picked), study=study)
            set_current(loaded)
            state["scp_name"] = loaded.name
            said = tr("scp_loaded", lang).format(name=picked)
        elif action == "rename":
            new = str(state.get("scp_new_name", "")).strip()
            rename_scenario(study, picked, new)
            state["scp_picked"] = new
            said = tr("scp_renamed", lang).format(old=picked, new=new)
        else:
            delete_scenario(study, picked)
            state.pop("scp_picked", None)
            said = tr("scp_deleted", lang).format(name=picked)
    except StudyError as exc:
        state["_scp_notice"] = ("error", failure_text("scp_failed", exc, lang))
    else:
        state["_scp_notice"] = ("success", plain_markdown(said))


def draw_store(scenario: Scenario) -> None:
    """Save the scenario under a name; load, rename or delete a saved one."""
    st.subheader(tr("scp_manage", lang))
    notice = state.pop("_scp_notice", None)
    if notice is not None:
        (st.error if notice[0] == "error" else st.success)(notice[1])
    if "scp_name" not in state:
        state["scp_name"] = scenario.name
    c1, c2 = st.columns([3, 1])
    c1.text_input(tr("scp_name", lang), help=tr("scp_name_help", lang), key="scp_name")
    c2.write("")
    c2.button(tr("scp_save", lang), key="scp_save", type="primary", on_click=_store_action, args=("save",))
    names = list_scenarios(study)
    if not names:
        st.caption(tr("scp_none_saved", lang))
        return
    c1, c2, c3, c4 = st.columns([3, 1, 3, 1])
    c1.selectbox(tr("scp_saved_list", lang), names, key="scp_picked")
    with c2:
        st.button(tr("scp_load", lang), key="scp_load", on_click=_store_action, args=("load",))
        st.button(tr("scp_delete", lang), key="scp_delete", on_click=_store_action, args=("delete",))
    c3.text_input(tr("scp_rename_to", lang), key="scp_new_name")
    c4.write("")
    c4.button(tr("scp_rename", lang), key="scp_rename", on_click=_store_action, args=("rename",))


def draw_side_by_side() -> None:
    """The baseline and up to two saved scenarios: the district's figures and the main community figure in one
    column each, and one small map each."""
    st.subheader(tr("scp_side_by_side", lang))
    names = list_scenarios(study)
    if not names:
        st.caption(tr("scp_pick_hint", lang))
        return
    picked = st.multiselect(tr("scp_pick", lang), names, max_selections=MAX_COMPARED, key="scp_compare")
    if not picked:
        return
    try:
        compared = [comparison_of(read_scenario(scenario_path(study, n), study=study))[0] for n in picked]
    except StudyError as exc:
        st.error(failure_text("scp_failed", exc, lang))
        return
    first = compared[0].district
    district = pd.DataFrame({tr("scp_figure", lang): figure_names(first, lang)})
    district[tr("scp_baseline", lang)] = district_column(first, "before", lang)
    for name, comparison in zip(picked, compared, strict=True):
        district[name] = district_column(comparison.district, "after", lang)
    st.dataframe(district, hide_index=True)
    kind = touched_kind(compared[0].scenario, "day_care")
    fig, m = main_figure(compared[0], kind, settings.minutes)
    if f"{fig}_before" in compared[0].communities:
        st.caption(tr("scp_community_elderly", lang).format(m=m, kind=kind_label(kind, lang)))
        comm = compared[0].communities
        table = pd.DataFrame(
            {
                tr("community", lang): comm["name"].astype(str).to_numpy(),
                tr("street", lang): comm["street"].astype(str).to_numpy(),
                tr("scp_baseline", lang): [number(v) for v in comm[f"{fig}_before"]],
            }
        )
        for name, comparison in zip(picked, compared, strict=True):
            if f"{fig}_after" in comparison.communities:
                table[name] = [number(v) for v in comparison.communities[f"{fig}_after"]]
        st.dataframe(table, hide_index=True)
    columns = st.columns(1 + len(compared))
    with columns[0]:
        st.caption(tr("scp_baseline", lang))
        small_map(Scenario(name="baseline", study=study.name), None)
    for column, name, comparison in zip(columns[1:], picked, compared, strict=True):
        with column:
            st.caption(name)
            small_map(comparison.scenario, community_change(comparison, fig))


def small_map(scenario: Scenario, change: Any) -> None:
    """One small map of a scenario (its facilities, its communities shaded by ``change``), kept in this session's
    state so that the side-by-side maps are not drawn again at each click."""
    memo: dict = state.setdefault("_scp_small", {})
    key = (study_key(study), repr(scenario), lang, choice, settings.tianditu_key, repr(change))
    if key not in memo:
        fmap = scenario_map(
            study,
            scenario_facilities(study, scenario, lang=lang),
            change,
            closed=scenario.closed,
            lang=lang,
            basemap=choice,
            tianditu_key=settings.tianditu_key,
            network=net,
            interactive=False,
        )
        if len(memo) >= 6:
            memo.pop(next(iter(memo)))
        memo[key] = map_html(fmap)
    st.iframe(memo[key], height=320, alt=tr("map", lang))


session_baseline()  # ready before the first click (cached, and held in the session)
editor_and_result()
st.divider()
draw_store(current())
st.divider()
draw_side_by_side()
