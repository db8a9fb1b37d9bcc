"""Rules as data and presets: citations, statuses, units in ids, local values, overrides and their errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.errors import OptionError
from planning.standards import (
    PRESETS,
    STATUSES,
    UNITS,
    check_study,
    rules_for,
)
from tests.planning.standards.district import (
    make_study,
)

STANDARDS_MD = Path(__file__).resolve().parents[4] / "shared" / "STANDARDS.md"


# --- the rules as data ------------------------------------------------------------------------------------------

UNIT_SUFFIX = {
    "m2_per_resident": "_m2",
    "m2_per_100_households": "_m2_per_100_households",
    "m2": "_m2",
    "share": "_share",
    "beds_per_1000_elderly": "beds_per_1000_elderly",
    "beds_per_10000_elderly": "beds_per_10000_elderly",
    "m": "_m",
    "beds": "_beds",
    "m2_per_bed": "_m2_per_bed",
    "facilities": "_institutions",
}


def test_every_rule_has_citation_status_and_its_unit_in_its_id():
    for preset in PRESETS.values():
        assert preset.rules, preset.name
        for rule in preset.rules:
            assert rule.status in STATUSES, (preset.name, rule.id)
            assert rule.citation.strip() and rule.source.strip(), (preset.name, rule.id)
            assert rule.unit in UNITS
            assert rule.id.endswith(UNIT_SUFFIX[rule.unit]), rule.id
            assert rule.title_zh and rule.title_en
            assert rule.compare in (">=", "<=")
            assert rule.value >= 0
            if rule.tool_default:
                assert rule.status == "R" and "default" in rule.note


def test_unverified_rules_are_labelled_unverified():
    rule = rules_for("national").get("health_centre_max_walk_m")
    assert rule.status == "R" and rule.tool_default
    assert rule.status_label("zh") == "未核实" and rule.status_label("en") == "unverified"


def test_every_threshold_appears_in_standards_md():
    if not STANDARDS_MD.is_file():
        pytest.skip("../shared/STANDARDS.md is not beside the checkout")
    numbers = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", STANDARDS_MD.read_text(encoding="utf-8"))}
    for preset in PRESETS.values():
        for rule in preset.rules:
            if rule.tool_default:
                continue
            value = round(rule.value * 100, 6) if rule.unit == "share" else rule.value
            assert value in numbers, f"{preset.name}: {rule.id} = {rule.value} is not in STANDARDS.md"


def test_presets_carry_their_local_values():
    for name in ("national", "jiangxi", "xinzhou", "yichun", "henan", "shihe", "zhejiang", "panan"):
        assert name in PRESETS
    assert rules_for("jiangxi").get("land_per_resident_m2").value == 0.1
    assert rules_for("henan").get("land_per_resident_m2").value == 0.2
    assert rules_for("henan").get("cobuild_new_m2_per_100_households").value == 30
    assert rules_for("jiangxi").get("cobuild_existing_m2_per_100_households").value == 15
    assert rules_for("xinzhou").get("street_centre_min_floor_m2").value == 1000
    assert "信州区" in rules_for("xinzhou").get("street_centre_min_floor_m2").citation
    assert rules_for("yichun").get("rural_mutual_aid_villages_share").value == 0.85
    assert (
        rules_for("jiangxi").get("nursing_beds_share").value == 0.55
    )  # the national rule: no county's target
    assert rules_for("xinzhou").get("nursing_beds_share").value == 0.60
    assert rules_for("jiangxi").get("street_centre_min_floor_m2") is None
    assert rules_for("shihe").get("nursing_beds_share").value == 0.55
    assert rules_for("panan").get("dementia_beds_per_10000_elderly").value == 20
    assert rules_for("national").get("dementia_beds_per_10000_elderly") is None
    assert rules_for("national").get("street_centre_min_floor_m2") is None
    assert rules_for("national").get("beds_per_1000_elderly").citation == "GB 50437-2007（2018年版）3.2.1"
    assert rules_for("磐安县").preset == "panan" and rules_for(" Jiangxi ").preset == "jiangxi"


# --- bad input --------------------------------------------------------------------------------------------------


def test_unknown_preset_lists_the_presets():
    with pytest.raises(OptionError, match="preset 'hunan' is unknown; choose one of national, jiangxi"):
        rules_for("hunan")
    with pytest.raises(OptionError, match="henan"):
        check_study(make_study("hunan"))


def test_override_of_unknown_rule_lists_the_rule_ids():
    with pytest.raises(OptionError) as exc:
        rules_for("jiangxi", overrides={"land_per_resident": 0.2})
    msg = str(exc.value)
    assert "land_per_resident is not a rule (did you mean land_per_resident_m2?)" in msg
    assert "beds_per_1000_elderly" in msg and "nursing_beds_share" in msg


@pytest.mark.parametrize(
    "rule_id, value, words",
    [
        ("land_per_resident_m2", "0.2 hectares", "not a plain number"),
        ("land_per_resident_m2", -0.1, "at least 0"),
        ("land_per_resident_m2", float("nan"), "finite"),
        ("land_per_resident_m2", True, "must be a number"),
        ("land_per_resident_m2", [0.2], "must be a number"),
        ("nursing_beds_share", 60, "between 0 and 1"),
        ("nursing_beds_share", "60%", "not a plain number"),
    ],
)
def test_override_with_a_wrong_unit_is_refused(rule_id, value, words):
    with pytest.raises(OptionError, match=words):
        rules_for("jiangxi", overrides={rule_id: value})


def test_override_as_plain_numeric_text_is_read():
    rules = rules_for("jiangxi", overrides={"land_per_resident_m2": " 0.2 "})
    assert rules.get("land_per_resident_m2").value == 0.2
