"""方案 Scenarios: place a facility with a click on the map, close or change one with a click on it, and see at once
what the scenario changes (communities gained and lost on the map, the district's figures, the rules whose verdict
changes); save, load, rename and delete scenarios, and set up to two beside the baseline.

The scenario being edited lives in this browser session's state (``_scp``: the study it is for and the
:class:`~planning.scenario.Scenario`); a click is handled by the map's ``on_change`` callback before the page is
drawn again, so the map and the tables of the same run show it. Saved scenarios are files in the study folder
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
from planning.display import finite, format_number, format_points, format_share
from planning.errors import StudyError
from planning.i18n import kind_label, tr, verdict_label
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
    compare_scenario,
    delete_scenario,
    list_scenarios,
    read_scenario,
    rename_scenario,
    save_scenario,
    scenario_path,
)
from planning.schema import FACILITY_KINDS

#: The map's key in ``st.session_state`` (streamlit-folium keeps its last value there).
MAP_KEY = "scp_map"
#: At most this many saved scenarios beside the baseline.
MAX_COMPARED = 2

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


def main_figure(comparison: ScenarioComparison, kind: str) -> tuple[str, int]:
    """The community figure the map shades and the table lists: elderly within the longest band of ``kind`` whose
    figure changes anywhere (else the longest band), and that band."""
    frame = comparison.communities
    for m in sorted(settings.minutes, reverse=True):
        figure = f"within_{kind}_{m}min"
        if f"{figure}_after" in frame and (frame[f"{figure}_after"] != frame[f"{figure}_before"]).any():
            return figure, m
    m = max(settings.minutes)
    return f"within_{kind}_{m}min", m


def community_change(comparison: ScenarioComparison, figure: str) -> Any:
    """Per community (in the study's order) the change of ``figure`` (None when the comparison has no such
    figure)."""
    frame = comparison.communities
    if f"{figure}_after" not in frame:
        return None
    return frame[f"{figure}_after"].to_numpy(float) - frame[f"{figure}_before"].to_numpy(float)


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


def number(value: Any, digits: int = 0) -> str:
    """A figure as the page shows it (thousands grouped)."""
    return format_number(value, digits, groups=",")


def signed(value: Any, digits: int = 0) -> str:
    """A change with its sign."""
    text = number(value, digits)
    return f"+{text}" if finite(value) and float(value) > 0 else text


def points(value: Any) -> str:
    """A change of a share in percentage points (no sign when nothing changes)."""
    return format_points(value).lstrip("+") if finite(value) == 0 else format_points(value)


def _district_values(frame: pd.DataFrame, column: str) -> list[str]:
    """The district figures of ``column`` formatted by their unit (shares as per cent, small figures with decimals)."""
    out = []
    for unit, value in zip(frame["unit"], frame[column], strict=True):
        if unit == "share":
            out.append(format_share(value, lang=lang) if column != "change" else points(value))
        else:
            digits = 2 if unit == "m2" else 1 if unit != "elderly" else 0
            out.append(signed(value, digits) if column == "change" else number(value, digits))
    return out


def figure_names(frame: pd.DataFrame) -> Any:
    """The figures' names in the page's language."""
    return frame["figure_zh" if lang == "zh" else "figure_en"].astype(str).to_numpy()


def district_table(comparison: ScenarioComparison) -> pd.DataFrame:
    """The district's figures, before and after, in the page's language."""
    frame = comparison.district
    return pd.DataFrame(
        {
            tr("scp_figure", lang): figure_names(frame),
            tr("scn_col_before", lang): _district_values(frame, "before"),
            tr("scn_col_after", lang): _district_values(frame, "after"),
            tr("scn_col_change", lang): _district_values(frame, "change"),
        }
    )


def communities_table(comparison: ScenarioComparison, figure: str) -> pd.DataFrame:
    """The communities whose ``figure`` changes: name, street, before, after, change."""
    change = community_change(comparison, figure)
    if change is None:
        return pd.DataFrame()
    rows = comparison.communities[change != 0]
    return pd.DataFrame(
        {
            tr("community", lang): rows["name"].astype(str).to_numpy(),
            tr("street", lang): rows["street"].astype(str).to_numpy(),
            tr("scn_col_before", lang): [number(v) for v in rows[f"{figure}_before"]],
            tr("scn_col_after", lang): [number(v) for v in rows[f"{figure}_after"]],
            tr("scn_col_change", lang): [signed(v) for v in change[change != 0]],
        }
    )


def verdicts_table(comparison: ScenarioComparison) -> pd.DataFrame:
    """The rules whose verdict changes, with their citation."""
    frame = comparison.verdicts
    names = frame["name"] if lang == "zh" or "name_en" not in frame else frame["name_en"]
    return pd.DataFrame(
        {
            tr("scn_col_rule", lang): names.astype(str).to_numpy(),
            tr("scn_col_before", lang): [
                f"{verdict_label(v, lang)}（{number(x, 2)}）"
                if lang == "zh"
                else f"{verdict_label(v, lang)} ({number(x, 2)})"
                for v, x in zip(frame["verdict_before"], frame["value_before"], strict=True)
            ],
            tr("scn_col_after", lang): [
                f"{verdict_label(v, lang)}（{number(x, 2)}）"
                if lang == "zh"
                else f"{verdict_label(v, lang)} ({number(x, 2)})"
                for v, x in zip(frame["verdict_after"], frame["value_after"], strict=True)
            ],
            tr("scn_col_citation", lang): frame["citation"].astype(str).to_numpy(),
        }
    )


def edits_table(scenario: Scenario) -> pd.DataFrame:
    """The scenario's edits, one row each."""
    rows = [
        (
            tr("scp_edit_added", lang),
            a.name or tr("scp_new_site", lang).format(n=i + 1),
            kind_label(a.kind, lang),
        )
        for i, a in enumerate(scenario.added)
    ]
    rows += [(tr("scp_edit_closed", lang), name, "") for name in scenario.closed]
    rows += [
        (
            tr("scp_edit_changed", lang),
            c.name,
            "; ".join(
                f"{tr(label, lang)} {number(v) if label != 'kind' else kind_label(str(v), lang)}"
                for label, v in (("beds", c.beds), ("floor_area_m2", c.floor_area_m2), ("kind", c.kind))
                if v is not None
            ),
        )
        for c in scenario.changed
    ]
    return pd.DataFrame(
        rows, columns=[tr("scp_edit_type", lang), tr("name", lang), tr("scp_edit_what", lang)]
    )


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
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0


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
    facilities = scenario_facilities(study, scenario, lang=lang)
    state["_scp_context"] = {
        "positions": map_positions(facilities, basemap=choice),
        "basemap": choice,
        "kind": kind,
    }
    change = None
    if comparison is not None:
        change = community_change(comparison, main_figure(comparison, touched_kind(scenario, kind))[0])
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
        st.dataframe(edits_table(scenario), hide_index=True)
        c1, c2 = st.columns(2)
        if scenario.added and c1.button(tr("scp_undo", lang), key="scp_undo"):
            set_current(scenario.without_added(len(scenario.added) - 1))
            st.rerun()
        if c2.button(tr("scp_clear", lang), key="scp_clear"):
            set_current(replace(scenario, added=(), closed=(), changed=()))
            st.rerun()


def draw_result(scenario: Scenario, comparison: ScenarioComparison, seconds: float) -> None:
    """The summary line, the district's figures, the communities that change and the rules that change verdict."""
    st.subheader(tr("scp_result", lang))
    st.markdown(f"**{plain_markdown(comparison.summary_in(lang))}**")
    if seconds:
        st.caption(tr("scp_time", lang).format(s=seconds))
    st.markdown(f"#### {tr('scp_district', lang)}")
    st.dataframe(district_table(comparison), hide_index=True)
    kind = touched_kind(scenario, "day_care")
    figure, m = main_figure(comparison, kind)
    st.markdown(f"#### {tr('scp_communities', lang)}")
    st.caption(tr("scp_community_elderly", lang).format(m=m, kind=kind_label(kind, lang)))
    table = communities_table(comparison, figure)
    if len(table):
        st.dataframe(table, hide_index=True)
    else:
        st.caption(tr("scp_no_community_change", lang))
    st.markdown(f"#### {tr('scp_verdicts', lang)}")
    if len(comparison.verdicts):
        st.dataframe(verdicts_table(comparison), hide_index=True)
    else:
        st.caption(tr("scp_no_verdict_change", lang))


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
    district = pd.DataFrame({tr("scp_figure", lang): figure_names(first)})
    district[tr("scp_baseline", lang)] = _district_values(first, "before")
    for name, comparison in zip(picked, compared, strict=True):
        district[name] = _district_values(comparison.district, "after")
    st.dataframe(district, hide_index=True)
    kind = touched_kind(compared[0].scenario, "day_care")
    fig, m = main_figure(compared[0], kind)
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


scenario = current()
session_baseline()  # ready before the first click (cached, and held in the session)
comparison: ScenarioComparison | None = None
seconds = 0.0
if not scenario.is_empty:
    try:
        comparison, seconds = comparison_of(scenario)
    except StudyError as exc:
        st.error(failure_text("scp_failed", exc, lang))
draw_editor(scenario, comparison)
if comparison is not None:
    draw_result(scenario, comparison, seconds)
st.divider()
draw_store(scenario)
st.divider()
draw_side_by_side()
