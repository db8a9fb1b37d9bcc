"""Planning standards as data, their presets, and the check of a study against them.

Every threshold comes from ../shared/STANDARDS.md with its document, clause and status (``V1`` read in the
document's own wording, ``V2`` attributed by a secondary source, ``R`` unverified: shown as 未核实); numbers the
documents do not give are eldercircle defaults, said so in every table (:mod:`~planning.standards.rules`). A study
chooses a preset (national, a province or a county) and overrides any value by rule id
(:mod:`~planning.standards.presets`).

Not checked (not spatial, or no number to check): certified care workers, staff ratios, service posts, monthly
visits, the county-level institution for the destitute disabled (no facility kind identifies it), the embedded
home placement "by elderly population trend and density", Shanghai's draft radii, and co-building where
STANDARDS.md gives no m² per 100 households (national, Zhejiang/磐安县).

Modules
-------
documents
    The documents rules cite (:data:`DOCUMENTS`): title, number, level, and whether in force on a date.
rules
    The :class:`Rule` type, units and the rule templates (what each rule measures).
tables
    The rule tables, one per document or province, with clause, quoted wording and target year.
presets
    :data:`PRESETS`, :data:`PRESET_ALIASES` and :func:`rules_for` (a preset with a study's overrides).
streets
    Streets and towns: which streets a rule set per 街道 judges, and the rows of the towns it leaves out.
rows
    What every rule checker reads (``Context``), the verdict (``judge``) and the row builders.
check_area, check_access, check_beds, check_colocation, check_sites
    The rule checkers: land and floor area; walking access to day care, and villages with mutual aid; beds and the
    county's care institution for the destitute; co-location of new institutions with a health centre; candidate
    sites.
check
    :func:`check_study` (one row per rule and unit), :func:`check_of_study` (the walking measures taken from a
    network) and :func:`health_walk_m`.
screen
    :func:`screen_candidates`: the candidate rules as a screen for siting.
text, output
    Numbers, units and names in Chinese and English; :func:`check_table`, :func:`check_summary`,
    :func:`check_json`.
listing
    The presets and their rules for people and programs (``eldercircle presets``).
"""

from planning.standards.check import (
    CheckResult,
    check_of_study,
    check_study,
    health_walk_m,
    walk_times_of,
    walked_kinds,
)
from planning.standards.check_colocation import candidate_health_walk_m
from planning.standards.documents import DOCUMENTS, FORCES, Document, force_label
from planning.standards.listing import (
    preset_force,
    preset_rules_table,
    presets_json,
    presets_table,
    rule_scope,
)
from planning.standards.output import check_json, check_summary, check_table, rule_heading
from planning.standards.presets import ALL_RULES, PRESET_ALIASES, PRESETS, Preset, RuleSet, rules_for
from planning.standards.rows import ROW_COLUMNS
from planning.standards.rules import (
    CIRCLE_KINDS,
    COMMUNITY_FACILITY_KINDS,
    INSTITUTION_KINDS,
    LAND_PER_BED_M2,
    LEVELS,
    NEED_UNITS,
    STATUSES,
    UNIT_TYPES,
    UNITS,
    VERDICTS,
    Rule,
)
from planning.standards.screen import CandidateScreen, screen_candidates
from planning.standards.tables import CIRCLE_CITATION
from planning.standards.text import format_value

__all__ = [
    "ALL_RULES",
    "CIRCLE_CITATION",
    "CIRCLE_KINDS",
    "COMMUNITY_FACILITY_KINDS",
    "DOCUMENTS",
    "FORCES",
    "INSTITUTION_KINDS",
    "LAND_PER_BED_M2",
    "LEVELS",
    "NEED_UNITS",
    "PRESETS",
    "PRESET_ALIASES",
    "ROW_COLUMNS",
    "STATUSES",
    "UNITS",
    "UNIT_TYPES",
    "VERDICTS",
    "CandidateScreen",
    "CheckResult",
    "Document",
    "Preset",
    "Rule",
    "RuleSet",
    "candidate_health_walk_m",
    "check_json",
    "check_of_study",
    "check_study",
    "check_summary",
    "check_table",
    "force_label",
    "format_value",
    "health_walk_m",
    "preset_force",
    "preset_rules_table",
    "presets_json",
    "presets_table",
    "rule_heading",
    "rule_scope",
    "rules_for",
    "screen_candidates",
    "walk_times_of",
    "walked_kinds",
]
