"""Standards as data and the check of a study: every expected value below is worked out by hand from the layers.

The test district (EPSG:32650, 1 km squares side by side from x = 500 000):

    square 0  东风社区  城关街道  urban existing  pop 6000  elderly 1200  households 2000
    square 1  西湖社区  城关街道  urban new       pop 4000  elderly  800  households 1500
    square 2  李家村    青山镇    rural           pop 2000  elderly  500
    square 3  王家村    青山镇    rural           pop 1000  elderly  300

    城关中心    street_centre     square 0  floor 1000  land 100
    西湖日照    day_care          square 1  floor  400  (land: 400 / 0.8 = 500 estimated)
    城关养老院  nursing_home      square 0  floor 2000  land 400  beds 100  nursing 50
    李家互助点  rural_mutual_aid  square 2  floor  100  land 100
    青山中心    street_centre     square 2  floor  999  land 500
    城关卫生院  health_centre     square 0, 100 m east of the nursing home

Land: 城关街道 100 + 500 + 400 = 1000 m² for 10 000 residents = 0.1 m²/resident (exactly Jiangxi's 0.1, half of
Henan's 0.2: short by 1000 m²); 青山镇 100 + 500 = 600 m² for 3000 = 0.2; district 1600 / 13 000.
Street centres: 城关街道 1000 m² (exactly the threshold), 青山镇 999 m² (short by 1).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo.errors import OptionError
from geo.network import network_from_lines
from planning.standards import (
    ALL_RULES,
    PRESETS,
    STATUSES,
    UNITS,
    VERDICTS,
    CandidateScreen,
    check_json,
    check_study,
    check_summary,
    check_table,
    health_walk_m,
    rules_for,
    screen_candidates,
)
from planning.study import NetworkSettings, StandardsSettings, Study

STANDARDS_MD = Path(__file__).resolve().parents[3] / "shared" / "STANDARDS.md"
X0, Y0 = 500_000.0, 3_150_000.0


def square(i: int) -> shapely.Polygon:
    return shapely.box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000)


def at(i: int, dx: float = 500, dy: float = 500) -> shapely.Point:
    return shapely.Point(X0 + i * 1000 + dx, Y0 + dy)


def communities(extra: list[dict] | None = None) -> gpd.GeoDataFrame:
    rows = [
        {
            "name": "东风社区",
            "street": "城关街道",
            "population": 6000,
            "elderly": 1200,
            "households": 2000,
            "kind": "urban",
            "built": "existing",
            "geometry": square(0),
        },
        {
            "name": "西湖社区",
            "street": "城关街道",
            "population": 4000,
            "elderly": 800,
            "households": 1500,
            "kind": "urban",
            "built": "new",
            "geometry": square(1),
        },
        {
            "name": "李家村",
            "street": "青山镇",
            "population": 2000,
            "elderly": 500,
            "households": np.nan,
            "kind": "rural",
            "built": "existing",
            "geometry": square(2),
        },
        {
            "name": "王家村",
            "street": "青山镇",
            "population": 1000,
            "elderly": 300,
            "households": np.nan,
            "kind": "rural",
            "built": "existing",
            "geometry": square(3),
        },
    ] + (extra or [])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=32650)
    frame["elderly_80"] = np.nan
    return frame


FACILITY_COLUMNS = [
    "name",
    "kind",
    "street",
    "floor_area_m2",
    "land_area_m2",
    "beds",
    "nursing_beds",
    "dementia_beds",
]


def facilities(extra: list[dict] | None = None, *, drop: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    rows = [
        {
            "name": "城关中心",
            "kind": "street_centre",
            "floor_area_m2": 1000,
            "land_area_m2": 100,
            "geometry": at(0, 200, 200),
        },
        {"name": "西湖日照", "kind": "day_care", "floor_area_m2": 400, "geometry": at(1)},
        {
            "name": "城关养老院",
            "kind": "nursing_home",
            "floor_area_m2": 2000,
            "land_area_m2": 400,
            "beds": 100,
            "nursing_beds": 50,
            "geometry": at(0, 600, 600),
        },
        {
            "name": "李家互助点",
            "kind": "rural_mutual_aid",
            "floor_area_m2": 100,
            "land_area_m2": 100,
            "geometry": at(2),
        },
        {
            "name": "青山中心",
            "kind": "street_centre",
            "floor_area_m2": 999,
            "land_area_m2": 500,
            "geometry": at(2, 300, 300),
        },
        {"name": "城关卫生院", "kind": "health_centre", "geometry": at(0, 700, 600)},
    ] + (extra or [])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=32650)
    for col in FACILITY_COLUMNS:
        if col not in frame:
            frame[col] = None if col == "street" else np.nan
    return frame.drop(columns=list(drop))


def candidates() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["候选一", "候选二"],
            "kinds": ["day_care", "nursing_home"],
            "floor_area_m2": [300.0, 500.0],
            "land_area_m2": [np.nan, 300.0],
            "beds": [np.nan, 10.0],
            "cost": [np.nan, np.nan],
        },
        geometry=[at(1, 500, 950), at(3)],
        crs=32650,
    )


def make_study(
    preset: str = "jiangxi",
    overrides: dict | None = None,
    *,
    comm: gpd.GeoDataFrame | None = None,
    fac: gpd.GeoDataFrame | None = None,
    cand: gpd.GeoDataFrame | None = None,
    source: str | None = None,
    folder: Path = Path("."),
) -> Study:
    return Study(
        folder=folder,
        name="测试区",
        name_en="Test district",
        synthetic=True,
        data_date="",
        sources=(),
        coords="wgs84",
        crs=pyproj.CRS.from_epsg(32650),
        communities=communities() if comm is None else comm,
        facilities=facilities() if fac is None else fac,
        candidates=candidates() if cand is None else cand,
        population=None,
        network=NetworkSettings(source=source),
        standards=StandardsSettings(preset, overrides or {}),
        findings=(),
        rejected={},
        layer_sources={},
    )


ROAD = gpd.GeoDataFrame(
    {"role": ["road"]}, geometry=[shapely.LineString([(X0, Y0 + 1000), (X0 + 4000, Y0 + 1000)])], crs=32650
)


def row(result, rule_id: str, unit_name: str) -> pd.Series:
    rows = result.rows[(result.rows["rule_id"] == rule_id) & (result.rows["unit_name"] == unit_name)]
    assert len(rows) == 1, f"{rule_id} / {unit_name}: {len(rows)} rows"
    return rows.iloc[0]


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
    assert rules_for("jiangxi").get("nursing_beds_share").value == 0.60
    assert rules_for("shihe").get("nursing_beds_share").value == 0.55
    assert rules_for("panan").get("dementia_beds_per_10000_elderly").value == 20
    assert rules_for("national").get("dementia_beds_per_10000_elderly") is None
    assert rules_for("national").get("street_centre_min_floor_m2") is None
    assert rules_for("national").get("beds_per_1000_elderly").citation == "GB 50437-2007 (2018 rev.) 3.2.1"
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


def test_facility_with_neither_land_nor_floor_area_is_named_not_counted():
    meal = {"name": "城关助餐点", "kind": "meal_point", "geometry": at(1, 100, 100)}
    # Jiangxi: 城关街道 already has 0.1 without it -> pass, and the row names it
    r = check_study(make_study("jiangxi", fac=facilities([meal])))
    street = row(r, "land_per_resident_m2", "城关街道")
    assert street["verdict"] == "pass" and street["value"] == pytest.approx(0.1)
    assert (
        "城关助餐点" in street["explanation_en"] and "neither land nor floor area" in street["explanation_en"]
    )
    assert r.facility_land.set_index("name").loc["城关助餐点", "basis"] == "none"
    # Henan: 0.1 < 0.2 without it, and it could make up the rest -> not assessable, never a fail or pass
    r = check_study(make_study("henan", fac=facilities([meal])))
    street = row(r, "land_per_resident_m2", "城关街道")
    assert street["verdict"] == "not_assessable"
    assert "城关助餐点" in street["reason"] and "neither land_area_m2 nor floor_area_m2" in street["reason"]
    assert math.isnan(street["shortfall"])
    assert row(r, "land_per_resident_m2", "测试区")["verdict"] == "not_assessable"


def test_communities_without_street_are_listed_not_assessable_in_street_rules():
    extra = {
        "name": "无名社区",
        "street": None,
        "population": 1000,
        "elderly": 100,
        "households": 400,
        "kind": "urban",
        "built": "existing",
        "geometry": square(4),
    }
    r = check_study(make_study("jiangxi", comm=communities([extra])))
    for rule_id in ("land_per_resident_m2", "street_centre_min_floor_m2"):
        no_street = row(r, rule_id, "(no street)")
        assert no_street["verdict"] == "not_assessable" and no_street["level"] == "street"
        assert "无名社区" in no_street["reason"] and "1 communities have no street" in no_street["reason"]
    # it still counts in the district total: 1600 m² / 14 000 residents
    assert row(r, "land_per_resident_m2", "测试区")["value"] == pytest.approx(1600 / 14000)


def test_street_with_zero_residents_is_not_assessable():
    extra = {
        "name": "空社区",
        "street": "空街道",
        "population": 0,
        "elderly": 0,
        "households": 0,
        "kind": "urban",
        "built": "existing",
        "geometry": square(4),
    }
    r = check_study(make_study("jiangxi", comm=communities([extra])))
    empty = row(r, "land_per_resident_m2", "空街道")
    assert empty["verdict"] == "not_assessable" and "no residents" in empty["reason"]
    # the street centre rule does not need residents: no centre there, a fail
    assert row(r, "street_centre_min_floor_m2", "空街道")["verdict"] == "fail"
    # households 0 cannot carry a per-household rule
    hh = row(r, "cobuild_existing_m2_per_100_households", "空社区")
    assert hh["verdict"] == "not_assessable" and hh["reason"] == "households is 0"


def test_facility_in_no_community_is_reported_for_street_rules():
    stray = {"name": "远处中心", "kind": "street_centre", "floor_area_m2": 1200, "geometry": at(9)}
    r = check_study(make_study("jiangxi", fac=facilities([stray])))
    unknown = row(r, "street_centre_min_floor_m2", "(unknown street)")
    assert unknown["verdict"] == "not_assessable" and "远处中心" in unknown["reason"]


# --- the checks, by hand ----------------------------------------------------------------------------------------


def test_street_centre_exactly_at_threshold_passes_and_999_fails_by_one():
    r = check_study(make_study("jiangxi"))
    at_threshold = row(r, "street_centre_min_floor_m2", "城关街道")
    assert (
        at_threshold["verdict"] == "pass" and at_threshold["value"] == 1000 and at_threshold["shortfall"] == 0
    )
    below = row(r, "street_centre_min_floor_m2", "青山镇")
    assert below["verdict"] == "fail" and below["value"] == 999
    assert below["shortfall"] == 1 and below["need"] == 1 and below["need_unit"] == "m2_floor"
    assert below["explanation_en"].startswith("needs 1 m² more floor area: 青山中心 has 999 m²")
    assert below["citation"] == "信州区 三年行动方案 2023–2025 (一)"
    district = row(r, "street_centre_min_floor_m2", "测试区")
    assert district["verdict"] == "fail" and district["value"] == 0.5 and district["need"] == 1


def test_street_centre_is_placed_by_its_own_street_first():
    # a centre standing in 东风社区 but registered to 青山镇 counts for 青山镇
    fac = facilities(
        [
            {
                "name": "登记中心",
                "kind": "street_centre",
                "street": "青山镇",
                "floor_area_m2": 1500,
                "geometry": at(0, 900, 900),
            }
        ]
    )
    r = check_study(make_study("jiangxi", fac=fac))
    assert row(r, "street_centre_min_floor_m2", "青山镇")["value"] == 1500
    assert row(r, "street_centre_min_floor_m2", "城关街道")["value"] == 1000


def test_land_per_resident_jiangxi_passes_where_henan_fails():
    jx = check_study(make_study("jiangxi"))
    hn = check_study(make_study("henan"))
    j, h = row(jx, "land_per_resident_m2", "城关街道"), row(hn, "land_per_resident_m2", "城关街道")
    assert j["value"] == pytest.approx(0.1) and h["value"] == pytest.approx(0.1)
    assert j["verdict"] == "pass" and j["threshold"] == 0.1 and j["shortfall"] == 0
    assert h["verdict"] == "fail" and h["threshold"] == 0.2
    assert (
        h["shortfall"] == pytest.approx(0.1)
        and h["need"] == pytest.approx(1000)
        and h["need_unit"] == "m2_land"
    )
    # 1000 m² at 18–44 m² per bed: 1000 / 44 = 22.7 -> 23, 1000 / 18 = 55.6 -> 56 beds
    assert h["explanation_en"].startswith("needs 1 000 m² more land: room for about 23–56 nursing-home beds")
    assert "还需用地约1000㎡" in h["explanation_zh"]
    # 青山镇: 600 / 3000 = 0.2 exactly -> passes both
    assert row(hn, "land_per_resident_m2", "青山镇")["verdict"] == "pass"
    assert row(jx, "land_per_resident_m2", "测试区")["value"] == pytest.approx(1600 / 13000)
    assert row(hn, "land_per_resident_m2", "测试区")["need"] == pytest.approx(0.2 * 13000 - 1600)
    assert "Henan" in h["citation"] and h["status"] == "V1"


def test_estimated_land_is_stated_per_facility():
    r = check_study(make_study("jiangxi"))
    land = r.facility_land.set_index("name")
    assert land.loc["西湖日照", "basis"] == "floor_area_far" and land.loc["西湖日照", "land_m2"] == 500
    assert "floor area 400 m² / FAR 0.8 = 500 m²" in land.loc["西湖日照", "basis_en"]
    assert land.loc["城关中心", "basis"] == "land_area" and land.loc["城关中心", "land_m2"] == 100
    assert "城关卫生院" not in land.index  # health centres are not elderly-care land
    assert (
        "1 facilities estimated from floor area / FAR 0.8 (500 m²)"
        in row(r, "land_per_resident_m2", "城关街道")["explanation_en"]
    )
    assert "西湖日照" in check_table(r, lang="en")


def test_override_is_shown_and_changes_the_verdict():
    r = check_study(make_study("jiangxi", {"land_per_resident_m2": 0.2}))
    street = row(r, "land_per_resident_m2", "城关街道")
    assert street["verdict"] == "fail" and street["threshold"] == 0.2 and street["overridden"]
    assert not row(r, "street_centre_min_floor_m2", "青山镇")["overridden"]
    assert r.overrides == {"land_per_resident_m2": {"preset_value": 0.1, "value": 0.2}}
    table = check_table(r, lang="en")
    assert "land_per_resident_m2: 0.100 m²/resident → 0.200 m²/resident" in table
    assert "(set by the study)" in table
    assert check_json(r)["overrides"] == {"land_per_resident_m2": {"preset_value": 0.1, "value": 0.2}}


def test_override_may_add_a_rule_of_another_preset():
    r = check_study(make_study("national", {"street_centre_min_floor_m2": 999}))
    assert r.overrides["street_centre_min_floor_m2"] == {"preset_value": None, "value": 999.0}
    assert row(r, "street_centre_min_floor_m2", "青山镇")["verdict"] == "pass"


def test_cobuild_new_and_existing_by_preset():
    jx = check_study(make_study("jiangxi"))
    new = row(jx, "cobuild_new_m2_per_100_households", "西湖社区")  # 400 m² x 100 / 1500 households = 26.7
    assert new["value"] == pytest.approx(400 * 100 / 1500) and new["verdict"] == "pass"
    old = row(
        jx, "cobuild_existing_m2_per_100_households", "东风社区"
    )  # street centre 1000 m² / 2000 households
    assert old["value"] == pytest.approx(50) and old["verdict"] == "pass"  # the nursing home does not count
    hn = check_study(make_study("henan"))
    new = row(hn, "cobuild_new_m2_per_100_households", "西湖社区")
    assert new["verdict"] == "fail" and new["need"] == pytest.approx(30 * 15 - 400)
    assert "cobuild_new_m2_per_100_households" not in set(check_study(make_study("national")).rows["rule_id"])


def test_daycare_rule_needs_coverage():
    r = check_study(make_study("jiangxi"))
    rows = r.rows[r.rows["rule_id"] == "daycare_urban_communities_share"]
    assert len(rows) == 1 and rows.iloc[0]["verdict"] == "not_assessable"
    assert rows.iloc[0]["reason"] == "coverage not computed (run eldercircle coverage / give a network)"
    share = pd.Series([1.0, 0.5, np.nan, np.nan])
    r = check_study(make_study("jiangxi"), daycare_share=share)
    assert row(r, "daycare_urban_communities_share", "东风社区")["verdict"] == "pass"
    west = row(r, "daycare_urban_communities_share", "西湖社区")
    assert west["verdict"] == "fail" and west["need"] == 400 and west["need_unit"] == "elderly"
    district = row(r, "daycare_urban_communities_share", "测试区")
    assert district["value"] == 0.5 and district["verdict"] == "fail" and district["need"] == 1
    # villages are not judged by the day-care rule
    assert "李家村" not in set(
        r.rows.loc[r.rows["rule_id"] == "daycare_urban_communities_share", "unit_name"]
    )


def test_rural_mutual_aid_share_of_villages():
    r = check_study(make_study("jiangxi"))
    district = row(r, "rural_mutual_aid_villages_share", "测试区")
    assert district["value"] == 0.5 and district["threshold"] == 0.85 and district["verdict"] == "fail"
    # ceil(0.85 x 2) - 1 = 1 more village
    assert district["need"] == 1 and "王家村" in district["explanation_zh"]
    assert row(r, "rural_mutual_aid_villages_share", "青山镇")["value"] == 0.5


def test_beds_and_nursing_share():
    r = check_study(make_study("jiangxi"))
    beds = row(r, "beds_per_1000_elderly", "测试区")  # 100 beds / 2800 elderly
    assert beds["value"] == pytest.approx(100 / 2.8) and beds["verdict"] == "fail"
    assert beds["need"] == 12  # ceil(40 x 2.8 - 100)
    share = row(r, "nursing_beds_share", "测试区")
    assert share["value"] == 0.5 and share["verdict"] == "fail" and share["need"] == 10  # 60 % of 100 - 50
    assert row(check_study(make_study("henan")), "nursing_beds_share", "测试区")["need"] == 5
    assert "not counted" not in beds["explanation_en"]


def test_beds_of_other_kinds_are_named_not_counted():
    # GB 50437 3.2.1 counts nursing homes and care homes (养老院 + 老年养护院); beds at a day-care centre stay out,
    # and the sentence says so, so the total matches what the planner counts in the layer
    fac = facilities()
    fac.loc[fac["name"] == "西湖日照", ["beds", "nursing_beds"]] = [30, 30]
    r = check_study(make_study("jiangxi", fac=fac))
    beds = row(r, "beds_per_1000_elderly", "测试区")
    assert beds["value"] == pytest.approx(100 / 2.8)  # still 100 beds
    assert "100 beds (30 more at day-care centre not counted: this rule counts" in beds["explanation_en"]
    assert "另有日间照料中心的30张未计入" in beds["explanation_zh"]
    share = row(r, "nursing_beds_share", "测试区")
    assert share["value"] == 0.5 and "30 more at day-care centre not counted" in share["explanation_en"]


def test_missing_optional_column_is_not_assessable_never_a_pass():
    # the dementia column blank everywhere (as the loader leaves an absent column) and dropped altogether
    for fac in (facilities(), facilities(drop=("dementia_beds",))):
        r = check_study(make_study("panan", fac=fac))
        d = row(r, "dementia_beds_per_10000_elderly", "测试区")
        assert d["verdict"] == "not_assessable"
        assert d["reason"] == "missing column dementia_beds (认知障碍床位)"
    r = check_study(make_study("panan", fac=facilities(drop=("nursing_beds",))))
    assert row(r, "nursing_beds_share", "测试区")["reason"] == "missing column nursing_beds (护理型床位)"


def test_dementia_beds_when_given():
    fac = facilities()
    fac.loc[fac["name"] == "城关养老院", "dementia_beds"] = 6
    d = row(check_study(make_study("panan", fac=fac)), "dementia_beds_per_10000_elderly", "测试区")
    # 6 / 2800 x 10 000 = 21.4 >= 20
    assert d["value"] == pytest.approx(6 / 2800 * 10000) and d["verdict"] == "pass"
    fac.loc[fac["name"] == "城关养老院", "dementia_beds"] = 5
    d = row(check_study(make_study("panan", fac=fac)), "dementia_beds_per_10000_elderly", "测试区")
    assert d["verdict"] == "fail" and d["need"] == 1  # ceil(20 x 0.28 - 5)


def test_health_centre_adjacency():
    r = check_study(make_study("jiangxi"))
    rows = r.rows[r.rows["rule_id"] == "health_centre_max_walk_m"]
    assert len(rows) == 1 and rows.iloc[0]["verdict"] == "not_assessable"
    assert "not computed" in rows.iloc[0]["reason"]
    r = check_study(make_study("jiangxi"), straight_line_fallback=True)
    home = row(r, "health_centre_max_walk_m", "城关养老院")
    assert home["value"] == pytest.approx(100) and home["verdict"] == "pass"
    assert "straight-line" in home["explanation_en"]
    centre = row(r, "health_centre_max_walk_m", "城关中心")  # (200, 200) to (700, 600): 640.3 m
    assert centre["value"] == pytest.approx(math.hypot(500, 400)) and centre["verdict"] == "fail"
    assert centre["status"] == "R"
    walk = pd.Series([250.0, np.inf, 301.0, np.nan, np.nan, np.nan])
    r = check_study(make_study("jiangxi"), facility_health_walk_m=walk)
    assert row(r, "health_centre_max_walk_m", "城关中心")["verdict"] == "pass"
    assert row(r, "health_centre_max_walk_m", "西湖日照")["verdict"] == "fail"  # none reachable
    assert row(r, "health_centre_max_walk_m", "城关养老院")["shortfall"] == pytest.approx(1)
    assert row(r, "health_centre_max_walk_m", "青山中心")["verdict"] == "not_assessable"
    # national: only nursing homes must sit beside a health centre
    r = check_study(make_study("national"), facility_health_walk_m=walk)
    assert set(r.rows.loc[r.rows["level"] == "facility", "unit_name"]) == {"城关养老院"}


def test_health_walk_m_on_a_street_network():
    # one street along y = 500 through all squares; each facility walks straight to it, along it, and off again
    net = network_from_lines([shapely.LineString([(X0, Y0 + 500), (X0 + 4000, Y0 + 500)])], crs="EPSG:32650")
    study = make_study("jiangxi")
    walk = health_walk_m(study, net, max_walk_m=1500, max_distance_m=400)
    by = dict(zip(study.facilities["name"], walk, strict=True))
    assert by["城关养老院"] == pytest.approx(100 + 100 + 100)  # (600, 600) to (700, 600) via the street
    assert by["城关中心"] == pytest.approx(300 + 500 + 100)
    assert by["西湖日照"] == pytest.approx(0 + 800 + 100)
    assert by["青山中心"] == np.inf  # 200 + 1600 + 100 = 1900 m > 1500
    r = check_study(study, facility_health_walk_m=walk)
    home = row(r, "health_centre_max_walk_m", "城关养老院")  # exactly 300 m: passes
    assert home["verdict"] == "pass" and home["value"] == pytest.approx(300)
    assert row(r, "health_centre_max_walk_m", "青山中心")["verdict"] == "fail"
    # a facility farther than max_distance_m from the street is off the network: unknown
    assert np.isnan(health_walk_m(study, net, max_distance_m=250).iloc[0])


def test_candidate_screening_distances_and_sizes():
    r = check_study(make_study("jiangxi"), expressways=ROAD)
    near = row(r, "candidate_expressway_min_distance_m", "候选一")  # 50 m below the road at y = 1000
    assert near["value"] == pytest.approx(50) and near["verdict"] == "fail"
    assert near["shortfall"] == pytest.approx(50)
    assert row(r, "candidate_expressway_min_distance_m", "候选二")["value"] == pytest.approx(500)
    small = row(r, "candidate_day_care_min_floor_m2", "候选一")
    assert small["verdict"] == "fail" and small["shortfall"] == 50
    assert row(r, "candidate_day_care_max_floor_m2", "候选一")["verdict"] == "pass"
    assert row(r, "candidate_nursing_home_min_beds", "候选二")["verdict"] == "fail"
    assert row(r, "candidate_nursing_home_min_floor_m2_per_bed", "候选二")["value"] == 50
    assert row(r, "candidate_nursing_home_max_land_m2_per_bed", "候选二")["value"] == 30
    # day-care rules do not judge a nursing-home-only site
    assert "候选二" not in set(
        r.rows.loc[r.rows["rule_id"] == "candidate_day_care_min_floor_m2", "unit_name"]
    )
    r = check_study(make_study("jiangxi"))  # no OSM network: expressways unknown
    na = r.rows[r.rows["rule_id"] == "candidate_expressway_min_distance_m"].iloc[0]
    assert na["verdict"] == "not_assessable" and "not an OSM file" in na["reason"]


OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="28.4500" lon="118.0000"/>
  <node id="2" lat="28.4500" lon="118.0200"/>
  <node id="3" lat="28.4600" lon="118.0000"/>
  <node id="4" lat="28.4600" lon="118.0200"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
</osm>
"""


def test_expressways_read_from_the_osm_network(tmp_path):
    (tmp_path / "streets.osm").write_text(OSM, encoding="utf-8")
    crs = pyproj.CRS.from_epsg(32650)
    road_xy = gpd.GeoSeries([shapely.Point(118.01, 28.45)], crs=4326).to_crs(crs).iloc[0]
    cand = candidates()
    cand.geometry = [shapely.Point(road_xy.x, road_xy.y + 80), shapely.Point(road_xy.x, road_xy.y + 400)]
    r = check_study(make_study("jiangxi", cand=cand, source="streets.osm", folder=tmp_path))
    assert row(r, "candidate_expressway_min_distance_m", "候选一")["value"] == pytest.approx(80, abs=0.5)
    assert row(r, "candidate_expressway_min_distance_m", "候选一")["verdict"] == "fail"
    assert row(r, "candidate_expressway_min_distance_m", "候选二")["verdict"] == "pass"


def test_no_candidates_gives_one_not_assessable_row_per_candidate_rule():
    study = make_study("national")
    study = Study(**{**study.__dict__, "candidates": None})
    r = check_study(study)
    cand_rows = r.rows[r.rows["rule_id"].str.startswith("candidate_")]
    assert (cand_rows["verdict"] == "not_assessable").all()
    assert cand_rows.groupby("rule_id").size().eq(1).all()


# --- output -----------------------------------------------------------------------------------------------------


def test_every_rule_of_the_preset_is_listed_with_citation():
    r = check_study(make_study("jiangxi"))
    assert list(pd.unique(r.rows["rule_id"])) == list(rules_for("jiangxi").ids())
    assert set(r.rows["verdict"]) <= set(VERDICTS)
    assert r.rows["citation"].str.len().gt(0).all()
    table = check_table(r)
    for rule in rules_for("jiangxi"):
        assert rule.citation in table
    assert "未核实" in table and "不达标" in table and table.startswith("测试区：按“jiangxi”标准检查18条规则")
    en = check_table(r, lang="en")
    assert "unverified" in en and "FAIL" in en
    assert check_summary(r, lang="en").startswith("测试区: 18 rules of preset jiangxi")


def test_table_can_limit_rows_per_rule():
    r = check_study(make_study("jiangxi"), straight_line_fallback=True)
    table = check_table(r, lang="en", max_rows_per_rule=1)
    assert "… 4 more rows (see --json)" in table  # health rule: district + 4 facilities


def test_json_carries_units_in_keys_and_is_strict_json():
    r = check_study(make_study("henan"), expressways=ROAD)
    data = check_json(r)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    assert data["preset"] == "henan" and data["summary"] == r.counts()
    land = next(
        x for x in data["rows"] if x["rule_id"] == "land_per_resident_m2" and x["unit_name"] == "城关街道"
    )
    assert land["value_m2_per_resident"] == pytest.approx(0.1)
    assert land["threshold_m2_per_resident"] == 0.2 and land["need_m2_land"] == pytest.approx(1000)
    assert land["verdict"] == "fail" and land["citation"].startswith("浉河区")
    rule = next(x for x in data["rules"] if x["id"] == "health_centre_max_walk_m")
    assert rule["threshold_m"] == 300 and rule["status_label"] == "unverified" and rule["tool_default"]
    assert "西湖日照" in text


def test_all_rules_catalogue_matches_presets():
    ids = {r.id for p in PRESETS.values() for r in p.rules}
    assert ids == set(ALL_RULES)


# --- candidate screening for siting -----------------------------------------------------------------------------


def siting_frame(study: Study, rows: list[int], *, generated: list[shapely.Point] = ()) -> gpd.GeoDataFrame:
    """The frame siting_of_study hands to its screen: candidate (the layer's row id), name, generated, cost, beds."""
    cand = study.candidates.iloc[rows]
    frame = gpd.GeoDataFrame(
        {
            "candidate": cand.index.to_numpy(),
            "name": cand["name"].to_numpy(object),
            "generated": False,
            "cost": cand["cost"].to_numpy(float),
            "beds": cand["beds"].to_numpy(float),
        },
        geometry=cand.geometry.to_numpy(),
        crs=study.crs,
    )
    if generated:
        frame = pd.concat(
            [
                frame,
                gpd.GeoDataFrame(
                    {
                        "candidate": np.arange(900, 900 + len(generated)),
                        "name": [f"node {i}" for i in range(len(generated))],
                        "generated": True,
                        "cost": np.nan,
                        "beds": np.nan,
                    },
                    geometry=list(generated),
                    crs=study.crs,
                ),
            ],
            ignore_index=True,
        )
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=study.crs)


def screen_cands() -> gpd.GeoDataFrame:
    # 候选一: 50 m from the road, 300 m² (under 350); 候选二: nursing home, 10 beds (under 20), 500 m² floor
    # (50 m²/bed), 300 m² land (30 m²/bed); 候选三: day care, 350 m² exactly, 150 m from the road;
    # 候选四: day care without floor area, 500 m from the road; 候选五: day care 1000 m² (above the 750 maximum)
    return gpd.GeoDataFrame(
        {
            "name": ["候选一", "候选二", "候选三", "候选四", "候选五"],
            "kinds": ["day_care", "nursing_home", "day_care,meal_point", "day_care", "day_care"],
            "floor_area_m2": [300.0, 500.0, 350.0, np.nan, 1000.0],
            "land_area_m2": [np.nan, 300.0, 400.0, np.nan, 800.0],
            "beds": [np.nan, 10.0, 0.0, np.nan, 0.0],
            "cost": np.nan,
        },
        geometry=[at(1, 500, 950), at(3), at(0, 500, 850), at(2), at(2, 500, 100)],
        crs=32650,
    )


def test_screen_candidates_day_care_by_hand():
    study = make_study("jiangxi", cand=screen_cands())
    screen = screen_candidates(study, kind="day_care", expressways=ROAD)
    assert isinstance(screen, CandidateScreen) and screen.kind == "day_care"
    # the rules for day care: both distances and the minimum floor area (the maximum does not exclude)
    assert screen.rule_ids == (
        "candidate_expressway_min_distance_m",
        "candidate_junction_min_distance_m",
        "candidate_day_care_min_floor_m2",
    )
    frame = siting_frame(study, [0, 2, 3, 4], generated=[at(3, 500, 990), at(3, 500, 500)])
    reasons = screen(frame)
    assert list(reasons.index) == list(frame.index)
    r = dict(zip(frame["name"], reasons, strict=False))
    # 候选一: 50 m from the road (under 100) and 300 m² (under 350): both reasons, with the rule and citation
    assert (
        "距高速公路/快速路仅50米，不足100米" in r["候选一"] and "建筑面积300㎡，应不少于350㎡" in r["候选一"]
    )
    assert "GB 50180-2018 Table C.0.2" in r["候选一"] and "未核实" in r["候选一"]
    # 候选三: exactly 350 m², 150 m from the road: passes
    assert r["候选三"] is None
    # 候选四: floor area unknown: not excluded (it cannot be judged), 500 m from the road
    assert r["候选四"] is None
    # 候选五: 1000 m² is above the 750 m² maximum, which is reported by the check but does not exclude the site
    assert r["候选五"] is None
    # generated street nodes: distance rules only (10 m from the road fails, 500 m passes)
    assert "距高速公路/快速路仅10米" in r["node 0"] and "建筑面积" not in r["node 0"]
    assert r["node 1"] is None
    # nothing about junctions: ROAD has none
    assert not any("匝道" in (x or "") for x in r.values())
    # a study without a candidates layer: siting generates street nodes, judged by distance only (their beds are an
    # assumption of the capacitated model, not a fact)
    bare = Study(**{**study.__dict__, "candidates": None})
    nodes = siting_frame(study, [], generated=[at(3, 500, 990), at(3, 500, 500)]).assign(beds=5.0)
    only = screen_candidates(bare, kind="nursing_home", expressways=ROAD)(nodes)
    assert "距高速公路/快速路仅10米" in only.iloc[0] and "床位" not in only.iloc[0] and only.iloc[1] is None


def test_screen_candidates_english_overrides_and_nursing_home_sizes():
    study = make_study("jiangxi", {"candidate_expressway_min_distance_m": 40}, cand=screen_cands())
    screen = screen_candidates(study, kind="nursing_home", expressways=ROAD, lang="en")
    frame = siting_frame(study, [0, 1])
    r = dict(zip(frame["name"], screen(frame), strict=False))
    # 候选一 is 50 m from the road: passes the overridden 40 m; its size is not judged for a nursing home
    assert r["候选一"] is None
    # 候选二: 10 beds < 20; 500 m² / 10 = 50 m²/bed >= 35 passes; land 30 m²/bed >= 18 passes
    assert r["候选二"] == (
        "10 beds, at least 20 beds required (candidate_nursing_home_min_beds; "
        "GB 50437-2007 (2018 rev.) 3.2.4, V1)"
    )
    # the screen also judges a plain candidates layer (its own size columns)
    plain = screen(study.candidates)
    assert plain.iloc[1] == r["候选二"] and plain.iloc[0] is None


def test_screen_candidates_states_what_it_could_not_check():
    study = make_study("jiangxi", cand=screen_cands())  # no OSM network: expressways unknown
    screen = screen_candidates(study, kind="day_care")
    assert screen.rule_ids == ("candidate_day_care_min_floor_m2",)
    assert any("不是OSM文件" in n and "candidate_expressway_min_distance_m" in n for n in screen.notes)
    assert any("candidate_day_care_max_floor_m2" in n for n in screen.notes)  # the maximum is not a reason
    en = screen_candidates(study, kind="day_care", lang="en")
    assert any("not screened by distance from expressways" in n and "not an OSM file" in n for n in en.notes)
    frame = siting_frame(study, [0, 2])
    assert list(screen(frame)) == [screen(frame).iloc[0], None]
    assert "建筑面积300㎡" in screen(frame).iloc[0]
    # a kind without size rules and without road data screens nothing, and says so
    empty = screen_candidates(study, kind="meal_point")
    assert empty.rule_ids == () and empty(frame).isna().all()
    with pytest.raises(OptionError, match="unknown facility kind 'daycare'"):
        screen_candidates(study, kind="daycare")
    with pytest.raises(OptionError, match="lang"):
        screen_candidates(study, kind="day_care", lang="fr")


def test_check_of_study_takes_the_walking_rules_from_the_network():
    """Without a network the day-care circle and health-centre walk rules are not assessable; with the demo's
    network they are judged (the one entry point the CLI, the app and the report share)."""
    from planning.coverage import network_for_study
    from planning.demo import DEMO_DIR
    from planning.standards import check_of_study
    from planning.study import load_study

    study = load_study(DEMO_DIR)
    walking = {"daycare_urban_communities_share", "health_centre_max_walk_m"}
    without = check_of_study(study, None).rows
    assert set(without.loc[without["rule_id"].isin(walking), "verdict"]) == {"not_assessable"}
    rows = check_of_study(study, network_for_study(study)).rows
    judged = rows.loc[rows["rule_id"].isin(walking), "verdict"]
    assert set(rows.loc[rows["rule_id"].isin(walking), "rule_id"]) == walking
    assert "not_assessable" not in set(judged) and "fail" in set(judged)
