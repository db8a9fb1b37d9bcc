"""Issue 13: the area rules read as the texts mean them, on hand-made studies (the test district of
:mod:`tests.planning.standards.district` and small changes of it) whose answers are worked out on paper.

- land per resident: a verdict that passes only with land estimated from floor area is 取决于估算 (deliverable 6);
  磐安县 二(二)4 counts community facilities, not nursing homes;
- 街道-only rules (信州区 一(一) 每个街道; 宜春 二(四)10 市辖区街道; 浉河区 二(四)1) skip towns (镇, 乡) and say why;
- rural rules count 行政村 only, urban rules never count villages;
- street_centre_streets_share and cobuild_new_communities_share.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pytest

from planning.land import street_type
from planning.standards import check_study
from tests.planning.standards.district import at, communities, facilities, make_study, row, square

LAND = "land_per_resident_m2"
CENTRE = "street_centre_min_floor_m2"
STREETS = "street_centre_streets_share"
COBUILD = "cobuild_new_communities_share"
RURAL = "rural_mutual_aid_villages_share"
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def rows_of(result, rule_id: str):
    return result.rows[result.rows["rule_id"] == rule_id]


def no_english(text: str) -> bool:
    """No English word in a Chinese sentence (units such as ㎡ and numbers are fine)."""
    return ENGLISH_WORD.search(text) is None


def community(name: str, street: str, i: int, **fields) -> dict:
    base = {
        "name": name,
        "street": street,
        "population": 1000,
        "elderly": 200,
        "households": 1000,
        "kind": "urban",
        "built": "existing",
        "geometry": square(i),
    }
    return base | fields


# --- land per resident: verdicts that hang on the estimate ------------------------------------------------------


def test_land_that_passes_only_with_the_estimate_depends_on_it():
    """Deliverable 6. 城关街道: 城关中心 100 + 城关养老院 400 given + 西湖日照 400 / 0.8 = 500 estimated = 1000 m²
    for 10 000 residents = 0.100 (Jiangxi's 0.1 met); on the land given only 500 / 10 000 = 0.050 (short by 0.05,
    500 m²). The district: 1600 / 13 000 = 0.123 with, 1100 / 13 000 = 0.085 without: short by 200 m²."""
    r = check_study(make_study("xinzhou"))
    street = row(r, LAND, "城关街道")
    assert street["verdict"] == "depends_on_estimate"
    assert street["value"] == pytest.approx(0.1)
    assert street["shortfall"] == pytest.approx(0.05) and street["need"] == pytest.approx(500)
    zh = street["explanation_zh"]
    for fact in (
        "取决于估算",
        "含估算用地人均0.100㎡/人，达标",
        "仅按已填用地面积人均0.050㎡/人，不达标",
        "西湖日照",
        "请补填",
    ):
        assert fact in zh, fact
    assert no_english(zh)
    en = street["explanation_en"]
    assert en.startswith("depends on estimate: 0.100 m²/resident with the estimated land meets the standard")
    assert "0.050 m²/resident on the land areas given does not (500 m² short)" in en
    district = row(r, LAND, "测试区")
    assert district["verdict"] == "depends_on_estimate"
    assert district["value"] == pytest.approx(1600 / 13000)
    assert district["need"] == pytest.approx(0.1 * 13000 - 1100)


def test_land_given_for_every_facility_needs_no_estimate():
    """With 西湖日照's land given (500 m²) the same 0.100 is a plain pass; 青山镇 (all land given, 600 / 3000 = 0.2)
    passes with or without an estimated meal point added (80 m² floor / 0.8 = 100 m²: 700 / 3000 given 0.2)."""
    fac = facilities()
    fac.loc[fac["name"] == "西湖日照", "land_area_m2"] = 500
    meal = {"name": "青山助餐点", "kind": "meal_point", "floor_area_m2": 80, "geometry": at(3)}
    fac = gpd.GeoDataFrame(
        [*fac.to_dict("records"), meal | dict.fromkeys(("street", "land_area_m2"))], crs=fac.crs
    )
    r = check_study(make_study("xinzhou", fac=fac))
    assert row(r, LAND, "城关街道")["verdict"] == "pass"
    town = row(r, LAND, "青山镇")
    assert town["verdict"] == "pass" and town["value"] == pytest.approx(700 / 3000)
    assert "估算（100㎡）" in town["explanation_zh"]


def test_land_that_fails_even_with_the_estimate_is_a_fail():
    """浉河区 二(三)1 asks 0.2: 城关街道's 0.100 with the estimate already fails; the need counts the estimate
    (0.2 x 10 000 - 1000 = 1000 m²)."""
    street = row(check_study(make_study("shihe")), LAND, "城关街道")
    assert street["verdict"] == "fail" and street["need"] == pytest.approx(1000)


def test_panan_counts_community_facilities_not_nursing_homes():
    """磐安县 二(二)4 (人均用地不少于0.1平方米…社区养老服务设施): 城关养老院 (400 m²) is not counted. 城关街道:
    100 + 500 estimated = 600 / 10 000 = 0.06, a fail even with the estimate (need 400 m²); under the Zhejiang
    provincial rule the nursing home counts (0.100, hanging on the estimate)."""
    pa = check_study(make_study("panan"))
    zj = check_study(make_study("zhejiang"))
    p, z = row(pa, LAND, "城关街道"), row(zj, LAND, "城关街道")
    assert p["value"] == pytest.approx(0.06) and p["verdict"] == "fail" and p["need"] == pytest.approx(400)
    assert z["value"] == pytest.approx(0.1) and z["verdict"] == "depends_on_estimate"
    assert "城关养老院" not in set(pa.facility_land["name"]) and "城关养老院" in set(zj.facility_land["name"])
    district = row(pa, LAND, "测试区")["explanation_zh"]
    assert "计入街道综合养老服务中心、日间照料中心、社区嵌入式养老院、助餐点、农村互助养老服务点" in district
    assert "不含养老院" in district
    assert "not counted: nursing home" in row(pa, LAND, "测试区")["explanation_en"].lower()
    assert "不含" not in row(zj, LAND, "测试区")["explanation_zh"]


# --- streets and towns --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("青山镇", "town"),
        ("李家乡", "town"),
        ("白音苏木", "town"),
        (" 青山镇 ", "town"),
        ("城关街道", "subdistrict"),
        ("城西街道办事处", "subdistrict"),
        ("城西办事处", "subdistrict"),
        ("城关", None),
        (None, None),
        (np.nan, None),
    ],
)
def test_street_type_reads_the_name_ending(name, expected):
    assert street_type(name) == expected


def test_street_centre_rule_skips_towns_and_says_why():
    """信州区 一(一): 每个街道至少建有1个建筑面积不少于1000㎡…的养老服务中心. 青山镇 is a town: an advisory row says
    it is outside the rule, and the district counts 城关街道 alone (1000 m², 1 of 1 streets: a pass)."""
    r = check_study(make_study("xinzhou"))
    town = row(r, CENTRE, "青山镇")
    assert town["verdict"] == "advisory" and np.isnan(town["value"]) and np.isnan(town["shortfall"])
    assert town["explanation_zh"] == "不适用：青山镇为镇（乡），本条只适用于街道"
    assert "town (镇)" in town["explanation_en"]
    district = row(r, CENTRE, "测试区")
    assert district["verdict"] == "pass" and district["value"] == 1.0
    assert "青山镇为镇（乡），不在本条范围内，未计入" in district["explanation_zh"]
    assert no_english(district["explanation_zh"])
    # the land rule covers every unit: the town is judged there
    assert row(r, LAND, "青山镇")["verdict"] == "pass"


def test_a_name_that_says_neither_is_judged_as_a_street_and_said_once():
    comm = communities()
    comm["street"] = comm["street"].replace({"城关街道": "城关"})
    r = check_study(make_study("xinzhou", comm=comm))
    assert row(r, CENTRE, "城关")["verdict"] == "pass"
    notes = rows_of(r, CENTRE)["explanation_zh"].str.contains(
        "城关的名称未标明街道或镇，按街道计", regex=False
    )
    assert int(notes.sum()) == 1 and bool(notes.iloc[0])  # on the district row only


def test_a_study_of_towns_only_has_no_street_to_judge():
    comm = communities()
    comm["street"] = comm["street"].replace({"城关街道": "城关镇"})
    r = check_study(make_study("xinzhou", comm=comm))
    district = row(r, CENTRE, "测试区")
    assert district["verdict"] == "not_assessable"
    assert "研究区只有镇" in district["explanation_zh"] and "towns only" in district["reason"]
    assert set(rows_of(r, CENTRE)["verdict"]) == {"not_assessable", "advisory"}


# --- street_centre_streets_share ------------------------------------------------------------------------------------


def _with_new_street(fac_extra: list[dict] | None = None):
    """The test district with a fifth square, 新华社区 of 新华街道 (no centre unless ``fac_extra`` adds one)."""
    comm = communities([community("新华社区", "新华街道", 4)])
    return make_study("yichun", comm=comm, fac=facilities(fac_extra))


def test_streets_share_counts_streets_with_a_centre_of_any_size():
    """宜春 二(四)10: 市辖区街道、县城镇（街道）综合养老服务中心实现全覆盖. 城关街道 has 城关中心, 新华街道 none: 1 of 2
    streets, 50 %, one more street needed; 青山镇 is listed, not judged (county-seat towns cannot be told apart)."""
    r = check_study(_with_new_street())
    assert row(r, STREETS, "城关街道")["verdict"] == "pass"
    lacking = row(r, STREETS, "新华街道")
    assert lacking["verdict"] == "fail" and lacking["value"] == 0 and lacking["unit"] == "facilities"
    assert lacking["explanation_zh"] == "街道内没有综合养老服务中心"
    district = row(r, STREETS, "测试区")
    assert district["value"] == 0.5 and district["verdict"] == "fail" and district["need"] == 1
    assert district["need_unit"] == "streets" and "缺：新华街道" in district["explanation_zh"]
    town = row(r, STREETS, "青山镇")
    assert town["verdict"] == "advisory" and "县城镇" in town["explanation_zh"]
    assert no_english(town["explanation_zh"]) and no_english(district["explanation_zh"])


def test_streets_share_places_a_centre_by_its_own_street_first_and_any_size_counts():
    """A 10 m² centre standing in 东风社区 (城关街道) but registered to 新华街道 counts for 新华街道: every street
    has one, 100 %."""
    small = {"name": "新华小中心", "kind": "street_centre", "street": "新华街道", "floor_area_m2": 10}
    r = check_study(_with_new_street([small | {"geometry": at(0, 900, 900)}]))
    assert row(r, STREETS, "新华街道")["verdict"] == "pass"
    assert "新华小中心" in row(r, STREETS, "新华街道")["explanation_zh"]
    district = row(r, STREETS, "测试区")
    assert district["value"] == 1.0 and district["verdict"] == "pass"


def test_streets_share_of_shihe_says_towns_are_outside():
    """浉河区 二(四)1 (街道、社区养老服务设施全覆盖) names no county-seat town: 青山镇 is outside the rule."""
    r = check_study(make_study("shihe"))
    assert row(r, STREETS, "青山镇")["explanation_zh"] == "不适用：青山镇为镇（乡），本条只适用于街道"
    assert row(r, STREETS, "测试区")["verdict"] == "pass"


# --- cobuild_new_communities_share ---------------------------------------------------------------------------------


def _new_estates():
    """The test district plus two new urban communities: 新苑社区 (1000 households, a 100 m² meal point inside:
    10 m² per 100 households) and 空苑社区 (800 households, nothing inside); 西湖社区 (new, 1500 households) has
    西湖日照 (400 m²: 26.7 m² per 100 households)."""
    comm = communities(
        [
            community("新苑社区", "城关街道", 4, built="new", households=1000),
            community("空苑社区", "城关街道", 5, built="new", households=800),
        ]
    )
    meal = {"name": "新苑助餐点", "kind": "meal_point", "floor_area_m2": 100, "geometry": at(4)}
    return comm, facilities([meal])


def test_cobuild_rate_with_the_floor_area_per_100_households():
    """信州区 一(二) 确保配建达标率100% with Jiangxi's 20 m² per 100 households for new estates: 西湖 passes (26.7),
    新苑 fails (10; needs 100 m²), 空苑 fails (nothing inside): 1 of 3, two more needed."""
    comm, fac = _new_estates()
    r = check_study(make_study("xinzhou", comm=comm, fac=fac))
    assert row(r, COBUILD, "西湖社区")["verdict"] == "pass"
    short = row(r, COBUILD, "新苑社区")
    assert (
        short["verdict"] == "fail"
        and short["value"] == pytest.approx(10)
        and short["need"] == pytest.approx(100)
    )
    assert short["threshold"] == 20 and short["unit"] == "m2_per_100_households"
    empty = row(r, COBUILD, "空苑社区")
    assert empty["verdict"] == "fail" and empty["need"] == pytest.approx(160)
    assert "社区内没有养老服务设施" in empty["explanation_zh"]
    district = row(r, COBUILD, "测试区")
    assert (
        district["value"] == pytest.approx(1 / 3) and district["verdict"] == "fail" and district["need"] == 2
    )
    assert "3个新建城市社区中1个配建达标" in district["explanation_zh"]
    assert "每百户不少于20㎡" in district["explanation_zh"]
    for text in rows_of(r, COBUILD)["explanation_zh"]:
        assert no_english(text), text


def test_cobuild_rate_without_a_floor_area_counts_a_facility_inside():
    """磐安县 二(二)5 新建住宅小区配套建设养老服务设施达标率达到100%; the Zhejiang preset sets no m² per 100
    households: a facility inside counts. 西湖 and 新苑 pass, 空苑 fails: 2 of 3."""
    comm, fac = _new_estates()
    r = check_study(make_study("panan", comm=comm, fac=fac))
    assert row(r, COBUILD, "新苑社区")["verdict"] == "pass"
    assert row(r, COBUILD, "新苑社区")["unit"] == "facilities"
    district = row(r, COBUILD, "测试区")
    assert district["value"] == pytest.approx(2 / 3) and district["need"] == 1
    assert "所选标准未规定每百户配建面积" in district["explanation_zh"]


def test_cobuild_rate_with_households_missing_is_not_assessable():
    """新苑社区 with its meal point but no households cannot be held to m² per 100 households: not assessable;
    the district then judges 1 of 2 (西湖 pass, 空苑 fail): a fail."""
    comm, fac = _new_estates()
    comm.loc[comm["name"] == "新苑社区", "households"] = np.nan
    r = check_study(make_study("xinzhou", comm=comm, fac=fac))
    na = row(r, COBUILD, "新苑社区")
    assert na["verdict"] == "not_assessable" and "households" in na["reason"]
    district = row(r, COBUILD, "测试区")
    assert district["value"] == 0.5 and district["verdict"] == "fail"


def test_cobuild_rate_without_new_communities_is_not_assessable():
    comm = communities()
    comm["built"] = "existing"
    r = check_study(make_study("xinzhou", comm=comm))
    assert list(rows_of(r, COBUILD)["verdict"]) == ["not_assessable"]


# --- rural rules count villages, urban rules never do -------------------------------------------------------------


def test_rural_rule_counts_villages_only():
    """信州区 一(一) 农村互助养老服务设施覆盖85%以上的建制村: a mutual-aid facility standing in an urban community
    counts for no village, and urban communities are not in the count: 1 of 2 villages (李家村), still 50 %."""
    aid = {"name": "东风互助点", "kind": "rural_mutual_aid", "floor_area_m2": 50, "geometry": at(0, 100, 900)}
    r = check_study(make_study("xinzhou", fac=facilities([aid])))
    district = row(r, RURAL, "测试区")
    assert district["value"] == 0.5 and "2个行政村中1个" in district["explanation_zh"]
    assert "城关街道" not in set(rows_of(r, RURAL)["unit_name"])


def test_urban_rules_never_count_villages():
    """A village marked new, with households and a day-care centre inside, is in no co-building row; the
    day-care rule judges urban communities only."""
    comm = communities()
    comm.loc[comm["name"] == "李家村", ["built", "households"]] = ["new", 500]
    dc = {"name": "李家日照", "kind": "day_care", "floor_area_m2": 300, "geometry": at(2, 100, 100)}
    r = check_study(make_study("xinzhou", comm=comm, fac=facilities([dc])), daycare_share=None)
    for rule_id in (COBUILD, "cobuild_new_m2_per_100_households", "cobuild_existing_m2_per_100_households"):
        names = set(rows_of(r, rule_id)["unit_name"])
        assert not names & {"李家村", "王家村"}, rule_id
    assert row(r, COBUILD, "测试区")["explanation_zh"].startswith("达标：1个新建城市社区中1个配建达标")
