"""Day care per community, the 15-minute service circle and community facilities, each read as the documents mean
it, on the test district (:mod:`tests.planning.standards.district`) with walking times set by hand.

The test district's urban communities: 东风社区 (城关街道, 1200 elderly, a street centre and a nursing home inside,
no day-care centre) and 西湖社区 (城关街道, 800 elderly, the day-care centre 西湖日照 inside).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.network import network_from_lines
from planning.coverage import coverage_of_study
from planning.demo import DEMO_DIR
from planning.i18n import verdict_label
from planning.standards import check_of_study, check_study, check_table, rules_for
from planning.standards.check import walk_times_of
from planning.study import load_study
from tests.planning.standards.district import X0, Y0, at, communities, facilities, make_study, square

DAYCARE = "daycare_urban_communities_share"
CIRCLE = "service_circle_15min_share"
FACILITIES = "community_facilities_share"


def rows_of(result, rule_id: str, unit_name: str) -> pd.DataFrame:
    r = result.rows
    return r[(r["rule_id"] == rule_id) & (r["unit_name"] == unit_name)]


def judged(result, rule_id: str, unit_name: str) -> pd.Series:
    """The one row of a unit that is not an advisory line."""
    part = rows_of(result, rule_id, unit_name)
    part = part[part["verdict"] != "advisory"]
    assert len(part) == 1, f"{rule_id} / {unit_name}: {len(part)} rows"
    return part.iloc[0]


def advisory(result, rule_id: str, unit_name: str) -> pd.Series:
    part = rows_of(result, rule_id, unit_name)
    part = part[part["verdict"] == "advisory"]
    assert len(part) == 1, f"{rule_id} / {unit_name}: {len(part)} advisory rows"
    return part.iloc[0]


def with_circle_kinds(study, kinds: tuple[str, ...]):
    return dataclasses.replace(study, standards=dataclasses.replace(study.standards, circle_kinds=kinds))


# --- day care ---------------------------------------------------------------------------------------------------


def test_a_centre_inside_serves_its_community_without_a_network():
    """宜春 二(四)10 社区日间照料机构覆盖100%的城市社区; 信州区 一(一) 日间照料中心实现社区全覆盖: a community with a
    centre inside is served whatever the walk. Without walking measures 西湖社区 (西湖日照 inside) passes; 东风社区
    (no centre inside) cannot be judged, and the district (1 of 2 served, the other unknown) is not assessable."""
    r = check_study(make_study("xinzhou"))
    west = judged(r, DAYCARE, "西湖社区")
    assert west["verdict"] == "pass" and "西湖日照" in west["explanation_zh"]
    east = judged(r, DAYCARE, "东风社区")
    assert east["verdict"] == "not_assessable" and "没有日间照料中心" in east["explanation_zh"]
    assert "coverage not computed" in east["reason"]
    district = judged(r, DAYCARE, "测试区")
    assert district["verdict"] == "not_assessable" and district["value"] == 0.5
    # no stricter reading without walking measures
    assert not (r.rows.loc[r.rows["rule_id"] == DAYCARE, "verdict"] == "advisory").any()
    # villages are outside the rule (units = urban)
    assert rows_of(r, DAYCARE, "李家村").empty


def test_half_of_the_elderly_within_the_walk_serves_a_community_without_a_centre():
    """A centre may serve its neighbours: 东风社区 has no centre inside but 50 % of its elderly within the walk
    (exactly half: served); 西湖社区 has its centre inside though only 20 % of its elderly live within the walk
    (served). Both served: the district's 2 of 2 = 100 % passes, where the old all-elderly reading counted 0 of 2."""
    r = check_study(make_study("xinzhou"), daycare_share=pd.Series([0.5, 0.2, np.nan, np.nan]))
    east = judged(r, DAYCARE, "东风社区")
    assert east["verdict"] == "pass" and east["value"] == 0.5 and east["threshold"] == 0.5
    west = judged(r, DAYCARE, "西湖社区")
    assert west["verdict"] == "pass" and west["value"] == pytest.approx(0.2)
    assert "严格口径：20%" in west["explanation_zh"]
    district = judged(r, DAYCARE, "测试区")
    assert district["value"] == 1.0 and district["verdict"] == "pass"
    # the stricter reading beside it: (1200 x 0.5 + 800 x 0.2) / 2000 = 38 % of the urban elderly, 0 of 2 fully
    strict = advisory(r, DAYCARE, "测试区")
    assert strict["value"] == pytest.approx(0.38) and strict["level"] == "district"
    assert (
        "严格口径" in strict["explanation_zh"]
        and "2个城市社区中0个全部老人在范围内" in strict["explanation_zh"]
    )
    assert "stricter reading" in strict["explanation_en"]


def test_less_than_half_within_the_walk_and_no_centre_fails():
    """东风社区: no centre inside and 40 % of its 1200 elderly within the walk: not served; half would be 600, so 120
    more elderly must be brought within it. The district serves 1 of 2 (50 %) against 100 %: one more community."""
    r = check_study(make_study("xinzhou"), daycare_share=pd.Series([0.4, 1.0, np.nan, np.nan]))
    east = judged(r, DAYCARE, "东风社区")
    assert east["verdict"] == "fail" and east["shortfall"] == pytest.approx(0.1)
    assert east["need"] == pytest.approx(120) and east["need_unit"] == "elderly"
    assert "不足半数" in east["explanation_zh"]
    district = judged(r, DAYCARE, "测试区")
    assert district["value"] == 0.5 and district["verdict"] == "fail" and district["need"] == 1
    assert "还需服务1个社区" in district["explanation_zh"]


def test_daycare_share_taken_from_walking_times():
    """The share within the walk is taken from the walking times per demand point: 东风社区 has two points of 600
    elderly each, one 800 s (within 15 minutes) and one 901 s from a day-care centre: 50 %, served."""
    walk = pd.DataFrame(
        {
            "community": [0, 0, 1],
            "elderly": [600.0, 600.0, 800.0],
            "walk_time_s_day_care": [800.0, 901.0, np.nan],
        }
    )
    r = check_study(make_study("xinzhou"), walk_times=walk)
    east = judged(r, DAYCARE, "东风社区")
    assert east["value"] == 0.5 and east["verdict"] == "pass"
    assert judged(r, DAYCARE, "西湖社区")["value"] == 0.0  # its centre is inside: served all the same
    assert judged(r, DAYCARE, "测试区")["verdict"] == "pass"


# --- the 15-minute service circle -------------------------------------------------------------------------------


def circle_study(**kw):
    """The test district with a meal point in 东风社区 and an urban community in the town 青山镇."""
    town = {
        "name": "青山社区",
        "street": "青山镇",
        "population": 1000,
        "elderly": 400,
        "households": 300,
        "kind": "urban",
        "built": "existing",
        "geometry": square(4),
    }
    meal = {"name": "东风助餐点", "kind": "meal_point", "floor_area_m2": 100, "geometry": at(0, 100, 600)}
    return make_study(comm=communities([town]), fac=facilities([meal]), **kw)


#: Demand points: (community position, elderly, seconds to the nearest street centre, day-care centre, meal point).
POINTS = [
    (0, 600.0, 300.0, np.nan, 600.0),  # 东风: within 5 min of the street centre
    (0, 600.0, np.nan, 850.0, 850.0),  # 东风: within 15 min of a day-care centre only
    (1, 800.0, np.nan, 1000.0, np.nan),  # 西湖: 16.7 min, outside the circle
    (2, 500.0, 100.0, np.nan, np.nan),  # 李家村 (rural): not counted
    (4, 400.0, np.nan, 900.0, np.nan),  # 青山社区 (urban, in a town): exactly 15 min, inside
    (-1, 100.0, 10.0, 10.0, 10.0),  # outside every community: not counted
]


def circle_walk() -> pd.DataFrame:
    c, e, sc, dc, mp = zip(*POINTS, strict=True)
    return pd.DataFrame(
        {
            "community": c,
            "elderly": e,
            "walk_time_s_street_centre": sc,
            "walk_time_s_day_care": dc,
            "walk_time_s_meal_point": mp,
        }
    )


def test_service_circle_share_of_urban_elderly_within_any_circle_facility():
    """上饶 二(七), 信州区 一(一), 浉河区 二(四)1: the 15-minute circle. An elderly person is inside when ANY facility of
    the circle (street centre, embedded home, day-care centre) is within 15 minutes: 东风社区's two points are inside
    by different kinds (street centre 300 s, day care 850 s: 1200 of 1200, where the larger per-kind share is only
    600), 西湖社区's 800 are not (1000 s); 青山镇's urban community counts (400 at exactly 900 s). District:
    (1200 + 400) / (1200 + 800 + 400) = 2/3; 城关街道 1200 / 2000 = 60 %; 青山镇 100 %. Villages and points outside
    every community are not counted."""
    r = check_study(circle_study(), walk_times=circle_walk())
    district = judged(r, CIRCLE, "测试区")
    assert district["value"] == pytest.approx(1600 / 2400) and district["verdict"] == "fail"
    assert district["need"] == pytest.approx(800) and district["need_unit"] == "elderly"
    assert district["threshold"] == 1.0
    street = judged(r, CIRCLE, "城关街道")
    assert (
        street["value"] == pytest.approx(0.6) and street["verdict"] == "fail" and street["level"] == "street"
    )
    town = judged(r, CIRCLE, "青山镇")
    assert town["value"] == 1.0 and town["verdict"] == "pass"
    # the kinds are stated in the rows
    assert "服务圈设施：街道综合养老服务中心、社区嵌入式养老院、日间照料中心" in district["explanation_zh"]
    assert "street comprehensive elderly service centre" in district["explanation_en"]


def test_meal_points_are_a_line_apart_never_in_the_circle():
    """Meal points (助餐) are shown on advisory lines of their own: 东风社区's two points are within 15 minutes of
    the meal point (600 s, 850 s), nobody else: 1200 / 2400 = 50 % in the district, 60 % in 城关街道; the circle's
    share does not change when the meal-point times do."""
    r = check_study(circle_study(), walk_times=circle_walk())
    meal = advisory(r, CIRCLE, "测试区")
    assert meal["value"] == pytest.approx(0.5) and "助餐点" in meal["explanation_zh"]
    assert np.isnan(meal["shortfall"]) and np.isnan(meal["need"])
    assert advisory(r, CIRCLE, "城关街道")["value"] == pytest.approx(0.6)
    walk = circle_walk().assign(walk_time_s_meal_point=5.0)  # a meal point beside everybody
    again = check_study(circle_study(), walk_times=walk)
    assert judged(again, CIRCLE, "测试区")["value"] == pytest.approx(1600 / 2400)
    assert advisory(again, CIRCLE, "测试区")["value"] == 1.0
    # each street's meal line follows its circle row
    part = r.rows[r.rows["rule_id"] == CIRCLE]
    assert list(zip(part["unit_name"], part["verdict"], strict=True)) == [
        ("测试区", "fail"),
        ("测试区", "advisory"),
        ("城关街道", "fail"),
        ("城关街道", "advisory"),
        ("青山镇", "pass"),
        ("青山镇", "advisory"),
    ]


def test_circle_kinds_are_adjustable():
    """[standards] circle_kinds: with the day-care centres alone, 东风社区's first point (street centre only) is
    outside: (600 + 400) / 2400; the rows say which kinds were used."""
    study = with_circle_kinds(circle_study(), ("day_care",))
    r = check_study(study, walk_times=circle_walk())
    district = judged(r, CIRCLE, "测试区")
    assert district["value"] == pytest.approx(1000 / 2400)
    assert "服务圈设施：日间照料中心）" in district["explanation_zh"]


def test_circle_rule_value_is_overridable():
    """The texts set the circle without a share (read as 100 %); a study may set its own."""
    r = check_study(circle_study(overrides={CIRCLE: 0.6}), walk_times=circle_walk())
    assert judged(r, CIRCLE, "城关街道")["verdict"] == "pass"
    assert judged(r, CIRCLE, "测试区")["overridden"]


def test_circle_not_assessable_without_walking_times_or_with_a_kind_unmeasured():
    r = check_study(circle_study())
    rows = r.rows[r.rows["rule_id"] == CIRCLE]
    assert len(rows) == 1 and rows.iloc[0]["verdict"] == "not_assessable"
    assert "run eldercircle coverage" in rows.iloc[0]["reason"]
    # the study has street centres, but no times to them were measured
    walk = circle_walk().drop(columns=["walk_time_s_street_centre"])
    rows = check_study(circle_study(), walk_times=walk).rows
    rows = rows[rows["rule_id"] == CIRCLE]
    assert len(rows) == 1 and "街道综合养老服务中心" in rows.iloc[0]["explanation_zh"]
    assert "street comprehensive elderly service centre" in rows.iloc[0]["reason"]


def test_circle_on_a_street_network_is_the_union_of_the_kinds():
    """On a real network the circle's share equals the share of urban elderly whose nearest facility of ANY circle
    kind is within 15 minutes, computed here from the coverage run's own walking times."""
    net = network_from_lines([shapely.LineString([(X0, Y0 + 500), (X0 + 5000, Y0 + 500)])], crs="EPSG:32650")
    study = circle_study()
    r = check_of_study(study, net, rules=rules_for("xinzhou"))
    cov = coverage_of_study(study, net, minutes=(15,), kinds=("street_centre", "day_care"))
    d = cov.demand
    urban = d["community"].isin([0, 1, 4]).to_numpy()
    t = np.fmin(d["walk_time_s_street_centre"].to_numpy(float), d["walk_time_s_day_care"].to_numpy(float))
    w = d["elderly"].to_numpy(float)
    expected = w[urban & (t <= 900)].sum() / w[urban].sum()
    assert judged(r, CIRCLE, "测试区")["value"] == pytest.approx(expected)
    assert 0 < expected < 1
    assert walk_times_of(cov) is not None
    assert walk_times_of(coverage_of_study(study, net, minutes=(5, 10), kinds=("day_care",))) is None


# --- community facilities ---------------------------------------------------------------------------------------


def test_community_facilities_in_every_urban_community():
    """浉河区 二(四)1 社区养老服务设施全覆盖: an urban community counts when a street centre, day-care centre, embedded
    home or meal point stands in it. 东风社区 has the street centre (the nursing home does not count), 西湖社区 the
    day-care centre; with the town's urban community 青山社区 (none inside) the district has 2 of 3."""
    r = check_study(make_study("shihe"))
    assert judged(r, FACILITIES, "东风社区")["verdict"] == "pass"
    assert judged(r, FACILITIES, "西湖社区")["value"] == 1
    assert judged(r, FACILITIES, "测试区")["value"] == 1.0
    r = check_study(circle_study(preset="shihe"))
    assert judged(r, FACILITIES, "东风社区")["value"] == 2  # street centre and meal point
    town = judged(r, FACILITIES, "青山社区")
    assert town["verdict"] == "fail" and town["unit"] == "facilities"
    district = judged(r, FACILITIES, "测试区")
    assert (
        district["value"] == pytest.approx(2 / 3) and district["verdict"] == "fail" and district["need"] == 1
    )
    assert "青山社区" in district["explanation_zh"]
    assert rows_of(r, FACILITIES, "李家村").empty  # villages are outside the rule


def test_chinese_rows_read_in_chinese():
    r = check_study(circle_study(), walk_times=circle_walk())
    table = check_table(r, lang="zh")
    assert "【15分钟养老服务圈覆盖城市老年人】" in table and "提示" in table
    for text in r.rows.loc[r.rows["rule_id"].isin([DAYCARE, CIRCLE]), "explanation_zh"]:
        assert not any(w in text for w in ("the ", "walk", "elderly")), text
    assert verdict_label("advisory", "zh") == "提示"


@pytest.fixture(scope="module")
def demo_xinzhou():
    from planning.coverage import network_for_study

    study = load_study(DEMO_DIR)
    return check_of_study(study, network_for_study(study), rules=rules_for("xinzhou"))


def test_demo_daycare_served_by_the_texts_reading(demo_xinzhou):
    """The demo has a day-care centre inside 21 of its 40 urban communities (issue 13); the texts' reading serves
    those and the ones with half their elderly within the walk; the stricter reading is beside it."""
    r = demo_xinzhou
    district = judged(r, DAYCARE, "示范区（合成数据）")
    assert "40个城市社区中" in district["explanation_zh"] and "21个社区内有中心" in district["explanation_zh"]
    rows = r.rows[(r.rows["rule_id"] == DAYCARE) & (r.rows["level"] == "community")]
    assert len(rows) == 40
    inside = rows["explanation_zh"].str.contains("社区内有日间照料中心")
    assert inside.sum() == 21 and (rows.loc[inside, "verdict"] == "pass").all()
    served = (rows["verdict"] == "pass").sum()
    assert district["value"] == pytest.approx(served / 40) and served >= 21
    strict = advisory(r, DAYCARE, "示范区（合成数据）")
    assert strict["value"] < district["value"]
    circle = r.rows[(r.rows["rule_id"] == CIRCLE) & (r.rows["verdict"] != "advisory")]
    assert set(circle["level"]) == {"district", "street"}


def test_cli_circle_kinds_option(tmp_path):
    """``eldercircle check --circle-kinds day_care``: the circle of day-care centres alone is the day-care rule's
    stricter reading (the same walk, the same elderly); a kind the study lacks is refused in Chinese."""
    import json

    from planning.cli import main

    out = tmp_path / "check.json"
    code = main(
        ["check", str(DEMO_DIR), "--preset", "xinzhou", "--circle-kinds", "day_care", "--json", str(out)]
    )
    assert code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    circle = next(r for r in rows if r["rule_id"] == CIRCLE and r["verdict"] != "advisory")
    strict = next(r for r in rows if r["rule_id"] == DAYCARE and r["verdict"] == "advisory")
    assert circle["value_share"] == pytest.approx(strict["value_share"], abs=1e-3)
    assert "服务圈设施：日间照料中心）" in circle["explanation_zh"]
    assert main(["check", str(DEMO_DIR), "--circle-kinds", "day_care,foo"]) != 0


def test_meal_lines_set_no_target():
    """The texts set no meal-point share for the circle: the meal lines show a share and no threshold."""
    r = check_study(circle_study(), walk_times=circle_walk())
    assert np.isnan(advisory(r, CIRCLE, "城关街道")["threshold"])
