"""Co-location with a community health centre, as the texts ask it: of new care institutions and candidate sites.

宜春 二(四)12: 支持新建社区卫生服务机构与养老服务机构…统筹规划、毗邻建设; 磐安县 二(二)7: 鼓励新建、改建基层医疗机构
与养老机构一体化或毗邻建设. The test district (tests/planning/standards/district.py): the health centre 城关卫生院 at
(700, 600) of square 0; the nursing home 城关养老院 at (600, 600), 100 m west of it; candidate 候选二 (nursing homes)
at (3500, 500), candidate 候选一 (day care only) at (1500, 950).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.network import network_from_lines
from planning.standards import candidate_health_walk_m, check_study
from planning.validation import validate_layer
from tests.planning.standards.district import X0, Y0, at, facilities, make_study, row

RULE = "health_centre_max_walk_m"


def health_rows(result) -> pd.DataFrame:
    return result.rows[result.rows["rule_id"] == RULE]


def test_an_existing_institution_gets_an_advisory_line_never_a_fail():
    """宜春 二(四)12 and 磐安县 二(二)7 ask co-location of new builds: an existing nursing home (no built column:
    existing) gets its distance as advisory; the street centre (no institution) gets no row at all."""
    fac = facilities()
    fac.loc[fac["name"] == "城关养老院", "geometry"] = at(
        1
    )  # (1500, 500): hypot(800, 100) = 806 m from the centre
    r = check_study(make_study("yichun", fac=fac, cand=_no_candidates()), straight_line_fallback=True)
    home = row(r, RULE, "城关养老院")
    assert home["verdict"] == "advisory" and home["value"] == pytest.approx(math.hypot(800, 100))
    assert home["explanation_en"].startswith("existing: 806 m to the nearest health centre, more than 300 m")
    assert "the texts ask this of new builds" in home["explanation_en"]
    assert home["explanation_zh"].startswith("现有设施：距最近的社区卫生服务中心806米，超过300米")
    assert "城关中心" not in set(health_rows(r)["unit_name"])  # a street centre is no 养老机构
    assert list(health_rows(r)["verdict"]) == [
        "advisory",
        "advisory",
    ]  # the district and the home: never a fail


def test_a_new_embedded_home_is_an_institution_and_is_judged():
    """An embedded home (社区嵌入式养老院) is a 养老机构: marked 新建 it is judged, pass within 300 m, fail beyond."""
    near = {
        "name": "东风嵌入式",
        "kind": "embedded_home",
        "built": "new",
        "geometry": at(0, 700, 400),
    }  # 200 m
    far = {
        "name": "西湖嵌入式",
        "kind": "embedded_home",
        "built": "new",
        "geometry": at(1, 700, 600),
    }  # 1000 m
    r = check_study(
        make_study("panan", fac=facilities([near, far]), cand=_no_candidates()), straight_line_fallback=True
    )
    ok, bad = row(r, RULE, "东风嵌入式"), row(r, RULE, "西湖嵌入式")
    assert ok["verdict"] == "pass" and ok["value"] == pytest.approx(200)
    assert (
        bad["verdict"] == "fail"
        and bad["shortfall"] == pytest.approx(700)
        and bad["need"] == pytest.approx(700)
    )
    assert "新建养老机构距最近的社区卫生服务中心1000米，超过300米" in bad["explanation_zh"]
    assert "straight-line" in bad["explanation_en"]
    assert row(r, RULE, "城关养老院")["verdict"] == "advisory"
    district = row(r, RULE, "测试区")
    assert district["verdict"] == "fail" and district["value"] == 0.5  # 1 of 2 new institutions
    assert "1 existing institutions advisory only" in district["explanation_en"]


def test_candidate_sites_for_an_institution_are_judged():
    """Candidate sites that may host a nursing home or embedded home are new builds too (宜春 二(四)12 支持新建);
    a day-care-only site is not judged."""
    r = check_study(make_study("xinzhou"), straight_line_fallback=True)
    cand = row(r, RULE, "候选二")  # (3500, 500) to (700, 600)
    assert cand["level"] == "candidate" and cand["verdict"] == "fail"
    assert cand["value"] == pytest.approx(math.hypot(2800, 100))
    assert "候选一" not in set(health_rows(r)["unit_name"])
    assert row(r, RULE, "测试区")["verdict"] == "fail"
    # walked distances: given for facilities and candidates alike
    walk = pd.Series([np.nan, np.nan, 250.0, np.nan, np.nan, np.nan])
    cand_walk = pd.Series([np.nan, 290.0])
    r = check_study(make_study("xinzhou"), facility_health_walk_m=walk, candidate_health_walk_m=cand_walk)
    assert row(r, RULE, "候选二")["verdict"] == "pass"
    assert "straight-line" not in row(r, RULE, "候选二")["explanation_en"]
    assert row(r, RULE, "城关养老院")["verdict"] == "advisory"
    assert row(r, RULE, "测试区")["verdict"] == "pass"
    # the facilities' walks without the candidates': the site is unknown, not judged on a straight line
    r = check_study(make_study("xinzhou"), facility_health_walk_m=walk)
    assert row(r, RULE, "候选二")["verdict"] == "not_assessable"


def test_nothing_new_to_judge_gives_an_advisory_district_row():
    r = check_study(make_study("xinzhou", cand=_no_candidates()), straight_line_fallback=True)
    district = row(r, RULE, "测试区")
    assert district["verdict"] == "advisory"
    assert district["explanation_zh"].startswith(
        "提示：没有新建养老机构（建设状态 = 新建）或可建养老机构的候选地块"
    )
    assert "现有养老机构1处仅作提示" in district["explanation_zh"]


def test_only_an_embedded_home_is_not_said_to_have_no_nursing_home():
    """The issue: the rule said no nursing home was near when an embedded home was. An embedded home alone is an
    institution with its row."""
    fac = facilities().query("name != '城关养老院'")
    home = {"name": "东风嵌入式", "kind": "embedded_home", "geometry": at(0, 700, 500)}
    fac = pd.concat([fac, facilities([home]).tail(1)], ignore_index=True)
    r = check_study(make_study("national", fac=fac, cand=_no_candidates()), straight_line_fallback=True)
    assert row(r, RULE, "东风嵌入式")["value"] == pytest.approx(100)
    assert not health_rows(r)["explanation_zh"].str.contains("没有养老院").any()


def test_candidate_health_walk_m_on_a_street_network():
    # one street along y = 500 through all squares: 候选二 stands on it at x = 3500, the health centre 100 m off it
    net = network_from_lines([shapely.LineString([(X0, Y0 + 500), (X0 + 4000, Y0 + 500)])], crs="EPSG:32650")
    study = make_study("xinzhou")
    walk = candidate_health_walk_m(study, net, max_walk_m=3000, max_distance_m=500)
    assert walk.iloc[1] == pytest.approx(0 + 2800 + 100)
    assert walk.iloc[0] == pytest.approx(450 + 800 + 100)  # 候选一 (1500, 950): 450 m off the street
    assert np.isnan(candidate_health_walk_m(study, net, max_distance_m=300).iloc[0])  # off the network
    assert candidate_health_walk_m(study, net, max_walk_m=2000).iloc[1] == np.inf  # none within 2000 m
    r = check_study(
        study, facility_health_walk_m=pd.Series(np.nan, index=range(6)), candidate_health_walk_m=walk
    )
    assert row(r, RULE, "候选二")["verdict"] == "fail" and row(r, RULE, "候选二")["need"] == pytest.approx(
        2600
    )


def test_the_facilities_layer_reads_built_and_destitute_care():
    frame = facilities()[["name", "kind", "geometry"]].head(4)
    frame["建设状态"] = ["新建", "已建成", None, "规划"]
    frame["特困供养"] = ["是", "否", "1", "也许"]
    layer = validate_layer(frame, "facilities", source="facilities.csv")
    assert list(layer.frame["built"]) == ["new", "existing", "existing", "new"]
    assert list(layer.frame["destitute_care"][:3]) == ["yes", "no", "yes"]
    assert pd.isna(layer.frame["destitute_care"].iloc[3])
    said = [f for f in layer.findings if "也许" in f.message]
    assert len(said) == 1 and said[0].action == "repaired" and said[0].row == 4
    assert "不是 是/否" in said[0].text_zh() and "按空白处理" in said[0].text_zh()
    # without the columns every facility is existing, unmarked, and nothing is said about it
    layer = validate_layer(facilities()[["name", "kind", "geometry"]], "facilities", source="facilities.csv")
    assert set(layer.frame["built"]) == {"existing"} and layer.frame["destitute_care"].isna().all()
    assert not [f for f in layer.findings if "built" in f.message or "destitute" in f.message]


def _no_candidates():
    return facilities().iloc[:0][["name", "geometry"]].assign(kinds=None)
