"""The check as a table, a summary and JSON."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planning.standards import (
    ALL_RULES,
    PRESETS,
    VERDICTS,
    check_json,
    check_study,
    check_summary,
    check_table,
    rules_for,
)
from tests.planning.standards.district import (
    ROAD,
    make_study,
)

# --- output -----------------------------------------------------------------------------------------------------


def test_every_rule_of_the_preset_is_listed_with_citation():
    r = check_study(make_study("xinzhou"))
    assert list(pd.unique(r.rows["rule_id"])) == list(rules_for("xinzhou").ids())
    assert set(r.rows["verdict"]) <= set(VERDICTS)
    assert r.rows["citation"].str.len().gt(0).all()
    table = check_table(r)
    for rule in rules_for("xinzhou"):
        assert rule.citation in table
    assert (
        "未核实" in table
        and "不达标" in table
        and table.startswith("测试区：按“上饶市信州区”标准检查20条规则")
    )
    en = check_table(r, lang="en")
    assert "unverified" in en and "FAIL" in en
    assert check_summary(r, lang="en").startswith("测试区: 20 rules of preset xinzhou")


def test_table_can_limit_rows_per_rule():
    r = check_study(make_study("xinzhou"), straight_line_fallback=True)
    table = check_table(r, lang="en", max_rows_per_rule=1)
    health = next(block for block in table.split("【") if "(health_centre_max_walk_m)" in block)
    # health rule: district + the existing nursing home (advisory) + the nursing-home candidate 候选二
    assert "… 2 more rows (see --json)" in health


def test_json_carries_units_in_keys_and_is_strict_json():
    r = check_study(make_study("shihe"), expressways=ROAD)
    data = check_json(r)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    assert data["preset"] == "shihe" and data["summary"] == r.counts()
    land = next(
        x for x in data["rows"] if x["rule_id"] == "land_per_resident_m2" and x["unit_name"] == "城关街道"
    )
    assert land["value_m2_per_resident"] == pytest.approx(0.1)
    assert land["threshold_m2_per_resident"] == 0.2 and land["need_m2_land"] == pytest.approx(1000)
    assert land["verdict"] == "fail" and land["citation"].startswith("浉河区 实施意见（征求意见稿）二(三)1")
    assert land["force"] == "draft" and land["target_year"] is None
    nursing = next(x for x in data["rules"] if x["id"] == "nursing_beds_share")
    assert nursing["target_year"] == 2025 and nursing["quote_zh"].startswith("到2025年底")
    rule = next(x for x in data["rules"] if x["id"] == "health_centre_max_walk_m")
    assert rule["threshold_m"] == 300 and rule["status_label"] == "unverified" and rule["tool_default"]
    assert "西湖日照" in text


def test_all_rules_catalogue_matches_presets():
    ids = {r.id for p in PRESETS.values() for r in p.rules}
    assert ids == set(ALL_RULES)
