"""A scenario applied to the hand-made grid: facilities added where asked (converted from GCJ-02/BD-09), closed
and changed by name; every bad edit refused with one sentence."""

from __future__ import annotations

import re

import numpy as np
import pytest

from geo.crs import from_wgs84
from geo.errors import OptionError
from planning.i18n import say
from planning.scenario import AddedFacility, FacilityChange, Scenario, apply_scenario
from tests.planning.scenario.grid import P, grid_network, grid_study, lonlat

ASCII_WORDS = re.compile(r"[A-Za-z]{4,} [A-Za-z]{4,}")


@pytest.fixture(scope="module")
def study():
    return grid_study()


@pytest.fixture(scope="module")
def network():
    return grid_network()


def scenario(study, **kw) -> Scenario:
    return Scenario(name="t", study=study.name, **kw)


@pytest.mark.parametrize("coords", ["wgs84", "gcj02", "bd09"])
def test_an_added_facility_lands_where_it_was_placed(study, network, coords):
    lon, lat = from_wgs84(*lonlat(1200, 400), coords=coords)
    after = apply_scenario(
        study,
        scenario(study, coords=coords, added=(AddedFacility("day_care", lon, lat, beds=20),)),
        network=network,
    )
    new = after.facilities.iloc[-1]
    assert new.geometry.distance(P(1200, 400)) < 0.5
    assert (new["name"], new["kind"], new["beds"], new["built"]) == (
        "新增日间照料中心1",
        "day_care",
        20.0,
        "new",
    )
    assert np.isnan(new["floor_area_m2"])
    assert len(after.facilities) == len(study.facilities) + 1
    assert len(study.facilities) == 3  # the study itself is untouched
    assert list(after.facilities.columns) == list(study.facilities.columns)


def test_names_are_numbered_per_kind_and_never_taken(study):
    added = (
        AddedFacility("day_care", *lonlat(400, 0)),
        AddedFacility("day_care", *lonlat(800, 0), name="新增日间照料中心2"),
        AddedFacility("day_care", *lonlat(1200, 0)),
        AddedFacility("meal_point", *lonlat(1600, 0)),
    )
    after = apply_scenario(study, scenario(study, added=added))
    assert list(after.facilities["name"].iloc[-4:]) == [
        "新增日间照料中心1",
        "新增日间照料中心2",
        "新增日间照料中心3",
        "新增助餐点1",
    ]


def test_close_and_change_by_name(study):
    after = apply_scenario(
        study,
        scenario(
            study,
            closed=("东中心",),
            changed=(FacilityChange(" 西中心 ", beds=40.0, floor_area_m2=500.0, kind="embedded_home"),),
        ),
    )
    assert list(after.facilities["name"]) == ["西中心", "助餐点"]
    west = after.facilities.iloc[0]
    assert (west["beds"], west["floor_area_m2"], west["kind"]) == (40.0, 500.0, "embedded_home")
    assert study.facilities.iloc[0]["beds"] == 10.0


def test_names_found_after_nfkc(study):
    after = apply_scenario(study, scenario(study, closed=("助餐点 ",)))
    assert "助餐点" not in set(after.facilities["name"])


def refused(study, network=None, **kw) -> OptionError:
    with pytest.raises(OptionError) as err:
        apply_scenario(study, scenario(study, **kw), network=network)
    zh = say(err.value, "zh")
    assert zh != str(err.value) and "\n" not in zh
    return err.value


def test_unknown_name_says_the_closest(study):
    err = refused(study, closed=("东中",))
    assert "no facility is named '东中'" in str(err) and "东中心" in str(err)
    assert "东中心" in say(err, "zh")


def test_shared_name_says_how_many_and_where(study):
    twin = study.facilities.copy()
    twin.loc[2, "name"] = "东中心"
    from dataclasses import replace

    err = refused(replace(study, facilities=twin), changed=(FacilityChange("东中心", beds=1.0),))
    assert str(err).startswith("2 facilities are named '东中心'")
    assert "(D; A)" in str(err)  # their communities
    assert "2 处设施" in say(err, "zh")


def test_outside_the_study_area(study):
    err = refused(study, added=(AddedFacility("day_care", *lonlat(1200, 3000)),))
    assert "2,100 m outside the study area" in str(err)
    zh = say(err, "zh")
    assert "2,100 米" in zh and not ASCII_WORDS.search(zh)


def test_far_from_every_street(study, network):
    refused_without = apply_scenario(
        study, scenario(study, added=(AddedFacility("day_care", *lonlat(1700, 880)),))
    )
    assert len(refused_without.facilities) == 4  # without a network the street is not checked
    # (200, 200) is the middle of a block: 200 m from the streets; move the limit check to a far block corner
    err = refused(study, network, added=(AddedFacility("day_care", *lonlat(1700 + 90, 900 + 90)),))
    assert "outside the study area" in str(err)
    net_far = refused(study, _sparse(), added=(AddedFacility("day_care", *lonlat(1200, 800)),))
    assert "from the nearest walkable street" in str(net_far) and "300 m access limit" in str(net_far)
    assert "300 米" in say(net_far, "zh")


def _sparse():
    """Only the street along y = 0."""
    import shapely

    from geo.network import network_from_lines
    from tests.planning.scenario.grid import CRS, X0, Y0

    return network_from_lines([shapely.LineString([(X0, Y0), (X0 + 1600, Y0)])], crs=CRS, walk_speed_m_s=1.0)


def test_unknown_kind(study):
    err = refused(study, added=(AddedFacility("spa", *lonlat(0, 0)),))
    assert "unknown facility kind 'spa'" in str(err)
