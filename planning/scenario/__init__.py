"""Scenarios for the meeting room: a named edit of a study (facilities added, closed, changed), saved as TOML beside
it, applied without touching its layers, and compared before/after in the targets' language.

Modules: ``model`` (:class:`Scenario` and its edits), ``store`` (scenario files and the command line's texts),
``apply`` (:func:`apply_scenario`), ``compare`` (:func:`compare_scenario` -> frozen :class:`ScenarioComparison`), ``tables`` (:func:`comparison_tables`:
the app's text tables of a comparison).
"""

from planning.scenario.apply import apply_scenario
from planning.scenario.compare import ScenarioComparison, compare_scenario, comparison_json
from planning.scenario.model import SCENARIO_FORMAT, AddedFacility, FacilityChange, Scenario
from planning.scenario.store import (
    SCENARIO_FOLDER,
    check_scenario_name,
    delete_scenario,
    list_scenarios,
    parse_add,
    parse_set,
    read_scenario,
    rename_scenario,
    save_scenario,
    scenario_path,
    write_scenario,
)
from planning.scenario.tables import (
    ComparisonTables,
    community_change,
    comparison_tables,
    district_column,
    edits_table,
    figure_names,
    main_figure,
    number,
)

__all__ = [
    "SCENARIO_FOLDER",
    "SCENARIO_FORMAT",
    "AddedFacility",
    "ComparisonTables",
    "FacilityChange",
    "Scenario",
    "ScenarioComparison",
    "apply_scenario",
    "check_scenario_name",
    "community_change",
    "compare_scenario",
    "comparison_json",
    "comparison_tables",
    "delete_scenario",
    "district_column",
    "edits_table",
    "figure_names",
    "list_scenarios",
    "main_figure",
    "number",
    "parse_add",
    "parse_set",
    "read_scenario",
    "rename_scenario",
    "save_scenario",
    "scenario_path",
    "write_scenario",
]
