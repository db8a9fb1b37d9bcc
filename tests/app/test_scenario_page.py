"""The 方案 (scenario) page under AppTest: it renders in Chinese and English; a facility added through the page's state
gives the tables compare_scenario gives; scenarios are saved, loaded, renamed and deleted in the study's folder (a
copy of the demo); the map needs nothing from a CDN."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.common import study_key
from planning.coverage import coverage_of_study, network_for_study
from planning.display import format_number
from planning.i18n import CATALOGUE, tr
from planning.i18n.errors import ERRORS
from planning.i18n.report import REPORT_TEXT
from planning.i18n.scenario import SCENARIO_ERRORS, SCENARIO_TEXT
from planning.i18n.scenario_app import SCENARIO_APP_TEXT
from planning.i18n.texts import TEXTS
from planning.maps.scenario_map import (
    click_position,
    component_links,
    facility_at,
    map_positions,
    scenario_facilities,
    scenario_map,
)
from planning.scenario import AddedFacility, Scenario, compare_scenario
from planning.study import load_study
from tests.app.test_app import DEMO, goto, new_app
from tests.app.test_zh_pages import english_words, page_texts, unshown

#: A spot in the demo's north-east with no day-care centre near (lon, lat, WGS84).
SPOT = (117.9835, 28.4465)


def _scenario(study_name: str) -> Scenario:
    return Scenario(name="北区方案", study=study_name).with_added(AddedFacility("day_care", *SPOT))


def _with_scenario(at: AppTest, folder, scenario: Scenario) -> AppTest:
    """Put ``scenario`` in the page's state for the study at ``folder`` (what a click on the map does)."""
    at.session_state["_scp"] = {
        "study": study_key(load_study(folder)),
        "scenario": scenario,
        "selected": None,
    }
    return at


def _table(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_the_page_renders_in_chinese_and_english():
    at = goto(new_app(), "scenario")
    assert any("方案" in h.value for h in at.header)
    assert any(tr("scp_no_edits", "zh") in i.value for i in at.info)
    at.radio(key="lang_choice").set_value("English").run()
    assert not at.exception
    assert any("Scenarios" in h.value for h in at.header)
    assert any(tr("scp_no_edits", "en") in i.value for i in at.info)


def test_an_added_facility_gives_the_tables_of_compare_scenario():
    study = load_study(DEMO)
    scenario = _scenario(study.name)
    at = goto(new_app(), "scenario")
    _with_scenario(at, DEMO, scenario).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    net = network_for_study(study)
    expected = compare_scenario(study, net, scenario, baseline=coverage_of_study(study, net))
    assert any(expected.summary_zh in m.value for m in at.markdown)
    district = _table(at, tr("scn_col_after", "zh"))
    assert list(district[tr("scp_figure", "zh")]) == list(expected.district["figure_zh"])
    elderly = (expected.district["unit"] == "elderly").to_numpy()
    assert list(district[tr("scn_col_after", "zh")][elderly]) == [
        format_number(float(v), groups=",") for v in expected.district["after"][elderly]
    ]
    # the communities table: those whose elderly within the longest band of a day-care centre that changes change
    comm = expected.communities
    band = next(
        m
        for m in (15, 10, 5)
        if (comm[f"within_day_care_{m}min_after"] != comm[f"within_day_care_{m}min_before"]).any()
    )
    gained = comm[comm[f"within_day_care_{band}min_after"] != comm[f"within_day_care_{band}min_before"]]
    communities = _table(at, tr("community", "zh"))
    assert list(communities[tr("community", "zh")]) == list(gained["name"].astype(str))
    assert list(communities[tr("scn_col_change", "zh")]) == [
        f"+{format_number(float(v), groups=',')}"
        for v in gained[f"within_day_care_{band}min_after"] - gained[f"within_day_care_{band}min_before"]
    ]


def test_a_scenario_page_in_chinese_holds_no_english_word_and_no_raw_number():
    study = load_study(DEMO)
    at = goto(new_app(), "scenario")
    _with_scenario(at, DEMO, _scenario(study.name)).run()
    texts, cells = page_texts(at)
    body = "\n".join(t for t in texts if t not in ("语言 / Language", "English"))
    assert not english_words(body), sorted(english_words(body))
    assert not unshown(cells), unshown(cells)


def test_save_load_rename_and_delete_in_the_study_folder(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    at = new_app()
    at.radio(key="study_source").set_value("folder").run()
    at.text_input(key="folder_path").set_value(str(folder)).run()
    goto(at, "scenario")
    study = load_study(folder)
    _with_scenario(at, folder, _scenario(study.name)).run()
    at.text_input(key="scp_name").set_value("北区方案").run()
    at.button(key="scp_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert (folder / "scenarios" / "北区方案.toml").is_file()
    # a fresh scenario, then the saved one loaded back
    at.button(key="scp_clear").click().run()
    assert at.session_state["_scp"]["scenario"].is_empty
    at.selectbox(key="scp_picked").set_value("北区方案").run()
    at.button(key="scp_load").click().run()
    loaded = at.session_state["_scp"]["scenario"]
    assert loaded.name == "北区方案" and len(loaded.added) == 1 and loaded.added[0].kind == "day_care"
    at.text_input(key="scp_new_name").set_value("南区方案").run()
    at.button(key="scp_rename").click().run()
    assert (folder / "scenarios" / "南区方案.toml").is_file()
    assert not (folder / "scenarios" / "北区方案.toml").exists()
    at.selectbox(key="scp_picked").set_value("南区方案").run()
    at.button(key="scp_delete").click().run()
    assert not at.error, [e.value for e in at.error]
    assert not (folder / "scenarios" / "南区方案.toml").exists()


def test_two_saved_scenarios_side_by_side_with_the_baseline(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    study = load_study(folder)
    at = new_app()
    at.radio(key="study_source").set_value("folder").run()
    at.text_input(key="folder_path").set_value(str(folder)).run()
    goto(at, "scenario")
    for name, scenario in (
        ("A", _scenario(study.name)),
        ("B", Scenario(name="B", study=study.name).with_closed(str(study.facilities["name"].iloc[0]))),
    ):
        _with_scenario(at, folder, scenario).run()
        at.text_input(key="scp_name").set_value(name).run()
        at.button(key="scp_save").click().run()
    at.multiselect(key="scp_compare").set_value(["A", "B"]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    side = _table(at, "A")
    assert {"A", "B", tr("scp_baseline", "zh")} <= set(side.columns)


def test_the_scenario_map_loads_nothing_from_elsewhere_and_names_a_clicked_facility():
    study = load_study(DEMO)
    scenario = _scenario(study.name)
    facilities = scenario_facilities(study, scenario)
    assert facilities["added"].sum() == 1 and len(facilities) == len(study.facilities) + 1
    fmap = scenario_map(study, facilities, None, network=network_for_study(study))
    scripts, styles = component_links(fmap)
    assert scripts and styles and all(link.startswith("data:") for link in scripts + styles)
    positions = map_positions(facilities, basemap="offline")
    lat, lon = positions[-1]
    assert facility_at(positions, lat, lon) == len(facilities) - 1
    assert facility_at(positions, lat + 0.01, lon) is None
    # a click on the Amap basemap is GCJ-02: kept as it is for a GCJ-02 scenario, converted for a WGS84 one
    assert click_position(lat, lon, basemap="amap", coords="gcj02") == (lon, lat)
    x, y = click_position(lat, lon, basemap="amap", coords="wgs84")
    assert (
        100 < abs(x - lon) * 1e5 < 1000 or 100 < abs(y - lat) * 1e5 < 1000
    )  # the GCJ-02 shift: some 100s of m


def test_the_page_words_are_in_both_languages_and_in_no_other_table():
    others = {**TEXTS, **REPORT_TEXT, **ERRORS, **SCENARIO_TEXT, **SCENARIO_ERRORS}
    assert not set(SCENARIO_APP_TEXT) & set(others)
    assert all(key in CATALOGUE for key in SCENARIO_APP_TEXT)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_edit_panel_of_a_clicked_facility(lang):
    study = load_study(DEMO)
    at = goto(new_app(), "scenario")
    if lang == "en":
        at.radio(key="lang_choice").set_value("English").run()
    _with_scenario(at, DEMO, Scenario(name="x", study=study.name)).run()
    at.session_state["_scp"] = {**at.session_state["_scp"], "selected": 0}
    at.run()
    name = str(study.facilities["name"].iloc[0])
    at.button(key="scp_close").click().run()
    assert at.session_state["_scp"]["scenario"].closed == (name,)
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_the_english_page_holds_no_chinese_but_names_and_citations():
    import re

    from planning.standards import PRESETS

    study = load_study(DEMO)
    names = {
        str(v)
        for frame, col in (
            (study.communities, "name"),
            (study.communities, "street"),
            (study.facilities, "name"),
        )
        for v in frame[col].dropna()
    }
    names |= {r.citation for p in PRESETS.values() for r in p.rules} | {"语言 / Language", "中文"}
    at = goto(new_app(), "scenario")
    at.radio(key="lang_choice").set_value("English").run()
    closed = str(study.facilities["name"].iloc[3])
    scenario = Scenario(name="plan-B", study=study.name).with_added(AddedFacility("day_care", *SPOT))
    _with_scenario(at, DEMO, scenario.with_closed(closed)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    texts, _ = page_texts(at)
    body = "\n".join(texts)
    for name in sorted(names, key=len, reverse=True):
        body = body.replace(name, "")
    left = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", body)
    assert not left, sorted(set(left))[:10]


def test_a_clicked_facility_gets_more_beds_through_the_edit_form():
    study = load_study(DEMO)
    at = goto(new_app(), "scenario")
    _with_scenario(at, DEMO, Scenario(name="x", study=study.name)).run()
    at.session_state["_scp"] = {**at.session_state["_scp"], "selected": 2}
    at.run()
    name = str(study.facilities["name"].iloc[2])
    beds = next(n for n in at.number_input if n.label == tr("beds", "zh"))
    beds.set_value(float(beds.value) + 40)
    next(b for b in at.button if b.label == tr("scp_apply_change", "zh")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (change,) = at.session_state["_scp"]["scenario"].changed
    assert change.name == name and change.beds == float(beds.value) and change.kind is None
    # the page now shows what the change does
    assert any(tr("scp_result", "zh") in s.value for s in at.subheader)


def test_the_name_box_follows_a_study_switch(tmp_path):
    """A scenario's name typed for one study is not left in the name box when another study is chosen."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    at = goto(new_app(), "scenario")
    study = load_study(DEMO)
    _with_scenario(at, DEMO, _scenario(study.name)).run()
    at.text_input(key="scp_name").set_value("北区方案").run()
    assert at.text_input(key="scp_name").value == "北区方案"
    at.radio(key="study_source").set_value("folder").run()
    at.text_input(key="folder_path").set_value(str(folder)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["_scp"]["scenario"].is_empty  # a new scenario for the other study
    assert at.text_input(key="scp_name").value == tr("scp_default_name", "zh")


@pytest.mark.parametrize(
    ("where", "fact"),
    [((118.6, 28.9), "研究范围之外"), ((117.9835, 28.4465), None)],
    ids=["outside", "inside"],
)
def test_a_refused_placement_is_said_and_not_kept(where, fact):
    """A click that places a centre outside the study area is refused in one Chinese sentence and dropped from the
    edits; the centres placed before stay."""
    study = load_study(DEMO)
    kept = Scenario(name="x", study=study.name).with_added(AddedFacility("day_care", 117.9795, 28.4465))
    at = goto(new_app(), "scenario")
    _with_scenario(at, DEMO, kept.with_added(AddedFacility("day_care", *where))).run()
    assert not at.exception
    scenario = at.session_state["_scp"]["scenario"]
    if fact is None:  # a good place is kept
        assert len(scenario.added) == 2 and not at.error
        return
    assert scenario == kept  # the refused centre is not in the list of edits
    (refusal,) = [e.value for e in at.error]
    assert tr("scp_refused", "zh") in refusal and fact in refusal and "118.6" in refusal
    assert not english_words(refusal.replace("day_care", "")), refusal
    edits = _table(at, tr("scp_edit_type", "zh"))
    assert len(edits) == 1
    # the result is the kept scenario's
    assert any("新增 1 处" in m.value for m in at.markdown)
    # said once: the next run shows no refusal
    at.run()
    assert not at.error
