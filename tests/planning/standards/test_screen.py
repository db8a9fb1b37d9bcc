"""The candidate screen for siting: the same rules and thresholds as the check."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.errors import OptionError
from planning.standards import (
    CandidateScreen,
    screen_candidates,
)
from planning.study import Study
from tests.planning.standards.district import (
    ROAD,
    at,
    make_study,
)

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
    assert "GB 50180-2018 表C.0.2" in r["候选一"] and "未核实" in r["候选一"]
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
        "GB 50437-2007（2018年版）3.2.4, V1)"
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
