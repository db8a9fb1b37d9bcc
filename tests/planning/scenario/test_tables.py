"""The app's tables of a comparison (planning.scenario.tables): on the hand-made grid, where a new day-care centre's
gain is counted on paper, the tables say the comparison's figures in Chinese and English, formatted for people;
an empty scenario's comparison is the study as it is (its own check, no change)."""

from __future__ import annotations

import re

import pytest

from planning.i18n import tr
from planning.scenario import (
    AddedFacility,
    FacilityChange,
    Scenario,
    compare_scenario,
    comparison_tables,
    edits_table,
)
from planning.standards import check_of_study
from tests.planning.scenario.grid import grid_network, grid_study, lonlat

NEW = (1200, 400)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def comparison():
    study, network = grid_study(), grid_network()
    scenario = Scenario("add", study.name, added=(AddedFacility("day_care", *lonlat(*NEW)),))
    return compare_scenario(study, network, scenario)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tables_say_the_comparisons_figures(comparison, lang):
    tables = comparison_tables(comparison, lang)
    district = tables.district
    assert list(district.columns) == [
        tr(k, lang) for k in ("scp_figure", "scn_col_before", "scn_col_after", "scn_col_change")
    ]
    assert len(district) == len(comparison.district)
    row = district.iloc[list(comparison.district["figure"]).index("within_day_care_5min")]
    # 90 elderly within 5 minutes before, 190 after (counted on paper in test_compare)
    assert list(row)[1:] == ["90", "190", "+100"]
    # the longest band whose figure changes is listed (15 minutes: 270 -> 300)
    assert tables.kind == "day_care" and tables.band == 15 and tables.figure == "within_day_care_15min"
    changed = comparison.communities[
        comparison.communities["within_day_care_15min_after"]
        != comparison.communities["within_day_care_15min_before"]
    ]
    communities = tables.communities
    assert list(communities[tr("community", lang)]) == list(changed["name"].astype(str))
    assert all(v.startswith("+") for v in communities[tr("scn_col_change", lang)])
    if lang == "en":  # names, streets and citations are the study's and the standards' own words
        cells = [
            *district.to_numpy().ravel(),
            *communities.drop(columns=[tr("community", lang), tr("street", lang)]).to_numpy().ravel(),
            *tables.verdicts[tr("scn_col_rule", lang)],
            *tables.verdicts[tr("scn_col_after", lang)],
        ]
        assert not [c for c in cells if CHINESE.search(str(c))]


def test_an_empty_scenario_is_the_study_as_it_is():
    study, network = grid_study(), grid_network()
    check = check_of_study(study, network)
    empty = compare_scenario(study, network, Scenario("none", study.name), baseline_check=check)
    assert empty.check_after is check and len(empty.verdicts) == 0
    assert (empty.district["change"].fillna(0) == 0).all()
    tables = comparison_tables(empty, "zh")
    assert len(tables.communities) == 0
    assert set(tables.district[tr("scn_col_change", "zh")]) <= {"0", "0.0", "0.00", "—"}


def test_the_edits_table_lists_every_edit():
    scenario = Scenario("x", "s").with_added(AddedFacility("day_care", 117.0, 28.0)).with_closed("既有4")
    scenario = Scenario(
        scenario.name,
        scenario.study,
        added=scenario.added,
        closed=scenario.closed,
        changed=(FacilityChange(name="敬老院", beds=120.0, kind="nursing_home"),),
    )
    zh = edits_table(scenario, "zh")
    assert list(zh[tr("scp_edit_type", "zh")]) == [
        tr(k, "zh") for k in ("scp_edit_added", "scp_edit_closed", "scp_edit_changed")
    ]
    assert list(zh[tr("name", "zh")]) == ["新增设施 1", "既有4", "敬老院"]
    assert zh.iloc[2][tr("scp_edit_what", "zh")] == f"{tr('beds', 'zh')} 120; {tr('kind', 'zh')} 养老院"
    en = edits_table(scenario, "en")
    assert en.iloc[0][tr("name", "en")] == "new facility 1"
