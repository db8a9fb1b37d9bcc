"""Coverage on a tiny hand-built study whose answers are checked on paper."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.errors import OptionError
from geo.network import network_from_lines
from planning.coverage import (
    check_kinds,
    check_minutes,
    coverage_json,
    coverage_layers,
    coverage_of_study,
    points_frame,
    service_circle_layer,
    uncovered_density,
)
from planning.study import Study
from tests.studies import frames_study

X0, Y0 = 500_000.0, 3_150_000.0  # UTM 50N metres
CRS = "EPSG:32650"


def P(x, y):  # noqa: N802 - a point, as in the papers' notation
    return shapely.Point(X0 + x, Y0 + y)


def tiny_study(*, population=True) -> Study:
    """A 2 km street along y=0; community A over x 0..1000, B over 1000..2000 (both north of the street)."""
    comm = gpd.GeoDataFrame(
        {
            "_row": [1, 2],
            "name": ["A", "B"],
            "street": ["S", "S"],
            "population": [100.0, 100.0],
            "elderly": [30.0, 30.0],
            "elderly_80": [np.nan] * 2,
            "households": [np.nan] * 2,
            "kind": ["urban", "urban"],
            "built": ["existing"] * 2,
        },
        geometry=[
            shapely.box(X0, Y0 + 10, X0 + 1000, Y0 + 110),
            shapely.box(X0 + 1000, Y0 + 10, X0 + 2000, Y0 + 110),
        ],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "_row": [1, 2],
            "name": ["日照", "养老院"],
            "kind": ["day_care", "nursing_home"],
            "street": [None, None],
            "floor_area_m2": [400.0, 3000.0],
            "land_area_m2": [np.nan] * 2,
            "beds": [np.nan, 6.0],
            "nursing_beds": [np.nan] * 2,
            "dementia_beds": [np.nan] * 2,
        },
        geometry=[P(100, -20), P(1900, -10)],
        crs=CRS,
    )
    pop = None
    if population:
        pop = gpd.GeoDataFrame(
            {
                "_row": [1, 2, 3, 4],
                "id": ["p1", "p2", "p3", "p4"],
                "elderly": [10.0, 20.0, 30.0, 0.0],
                "population": [np.nan] * 4,
            },
            geometry=[P(100, 50), P(500, 50), P(1500, 50), P(1800, 500)],
            crs=CRS,
        )
    return frames_study(comm, fac, folder=Path("."), population=pop)


@pytest.fixture(scope="module")
def street():
    return network_from_lines(
        [
            shapely.LineString([(X0, Y0), (X0 + 1000, Y0)]),
            shapely.LineString([(X0 + 1000, Y0), (X0 + 2000, Y0)]),
        ],
        crs=CRS,
    )


def test_walking_times_and_shares_by_hand(street):
    result = coverage_of_study(tiny_study(), street)
    t = result.demand.set_index("id")["walk_time_s_day_care"]
    # access 20 m + along the street + 50 m up to the point, at 1 m/s
    assert t["p1"] == pytest.approx(70.0)
    assert t["p2"] == pytest.approx(470.0)
    assert np.isnan(t["p3"])  # 20 + 1400 + 50 = 1470 s > 15 min
    assert np.isnan(t["p4"])  # 500 m from the street: far, not placed
    dc = result.totals[result.totals["kind"] == "day_care"].set_index("band_min")
    assert dc["elderly_total"].tolist() == [60.0, 60.0, 60.0]
    assert dc["elderly_covered"].tolist() == [10.0, 30.0, 30.0]
    assert dc.loc[15, "share"] == pytest.approx(0.5)
    comm = result.communities.set_index("name")
    assert comm.loc["A", "share_day_care_10min"] == 1.0 and comm.loc[
        "A", "share_day_care_5min"
    ] == pytest.approx(1 / 3)
    assert comm.loc["B", "covered_day_care_15min"] == 0.0
    assert result.streets.set_index("street").loc["S", "share_day_care_15min"] == pytest.approx(0.5)
    assert result.daycare_gaps["name"].tolist() == ["B"]
    assert result.daycare_gaps["elderly_uncovered"].tolist() == [30.0]
    assert result.demand.set_index("id").loc["p4", "far"]
    assert any("farther than 300 m" in n for n in result.notes)


def test_two_step_floating_catchment_by_hand(street):
    result = coverage_of_study(tiny_study(), street)
    # the home (6 beds) reaches only p3 (10 + 400 + 50 = 460 s): R = 6 / 30 elderly; p3 gets 0.2 beds per elder
    access = result.access.set_index("name")["beds_per_1000_elderly_nursing_home"]
    assert access["B"] == pytest.approx(200.0)
    assert access["A"] == 0.0


def test_slower_walkers_cover_less(street):
    result = coverage_of_study(tiny_study(), street, walk_speed_m_s=0.5)
    t = result.demand.set_index("id")["walk_time_s_day_care"]
    assert t["p1"] == pytest.approx(140.0)  # (20 + 50) m at 0.5 m/s
    assert np.isnan(t["p2"])  # (20 + 400 + 50) m at 0.5 m/s = 940 s > 900 s
    assert result.walk_speed_m_s == 0.5


def test_without_population_layer_communities_are_spread(street):
    result = coverage_of_study(tiny_study(population=False), street, kinds="day_care")
    assert result.demand["elderly"].sum() == pytest.approx(60.0)
    assert any("spread evenly over a 100 m grid" in n for n in result.notes)
    assert result.kinds == ("day_care",)


def test_outputs_json_points_and_density(street, tmp_path):
    result = coverage_of_study(tiny_study(), street)
    data = json.loads(json.dumps(coverage_json(result), allow_nan=False))
    assert data["totals"]["day_care"]["15min"] == {
        "elderly_total": 60.0,
        "elderly_covered": 30.0,
        "share": 0.5,
    }
    assert {r["name"] for r in data["communities"]} == {"A", "B"}
    pts = points_frame(result)
    assert list(pts.columns[:6]) == ["id", "elderly", "placed_by", "community_name", "street", "far"]
    assert set(pts["placed_by"]) == {"layer"}  # the demo gives its elderly as a population layer
    assert "walk_time_s_nursing_home" in pts
    dens = uncovered_density(result, "day_care", cell_m=200)
    assert dens["elderly_uncovered"].sum() == pytest.approx(30.0)  # p3 (30) and p4 (0 elderly)


@pytest.mark.parametrize(
    "minutes, message",
    [
        ("0,5", "must all be positive"),
        ("10,5", "must increase"),
        ("5,5", "must increase"),
        ("a,b", "whole numbers"),
        ("", "no minutes"),
    ],
)
def test_bad_minutes(minutes, message):
    with pytest.raises(OptionError, match=message):
        check_minutes(minutes)


def test_kinds_checked_against_the_study():
    fac = tiny_study().facilities
    assert check_kinds(None, fac) == ("day_care", "nursing_home")
    with pytest.raises(
        OptionError, match="has no facility of kind meal_point; kinds present: day_care, nursing_home"
    ):
        check_kinds("meal_point", fac)
    with pytest.raises(OptionError, match="unknown facility kind canteen"):
        check_kinds("canteen", fac)


def test_facility_far_from_every_street_is_reported(street):
    study = tiny_study()
    study.facilities.loc[1, "geometry"] = P(1900, -600)  # the nursing home, 600 m from the street
    result = coverage_of_study(study, street)
    far = result.far_points
    assert far[far["layer"] == "facilities (nursing_home)"]["name"].tolist() == ["养老院"]
    assert far[far["layer"] == "facilities (nursing_home)"]["distance_m"].iloc[0] == pytest.approx(600.0)
    assert any("nursing_home facilities are farther than 300 m" in n and "养老院" in n for n in result.notes)
    assert result.demand["walk_time_s_nursing_home"].isna().all()


def test_coverage_notes_have_chinese_versions(street):
    study = tiny_study()
    study.facilities.loc[1, "geometry"] = P(1900, -600)  # the nursing home, 600 m from the street
    result = coverage_of_study(study, street)
    assert len(result.notes_zh) == len(result.notes) > 0
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in result.notes_zh)
    zh = result.notes_in("zh")
    assert any("处养老院距最近的可步行道路超过 300 米" in n and "养老院" in n for n in zh), zh
    assert result.notes_in("en") == list(result.notes)
    data = coverage_json(result)
    assert data["notes_zh"] == zh and data["notes"] == list(result.notes)


def test_service_circles_of_some_kinds(street):
    result = coverage_of_study(tiny_study(), street, minutes=(5, 15))
    everything = service_circle_layer(tiny_study(), street, result)
    one = service_circle_layer(tiny_study(), street, result, kinds=("nursing_home",))
    assert set(everything["kind"]) == {"day_care", "nursing_home"}
    assert list(one["kind"]) == ["nursing_home", "nursing_home"] and list(one["band_min"]) == [5, 15]
    assert one.geometry.equals(
        everything[everything["kind"] == "nursing_home"].geometry.reset_index(drop=True)
    )


# --- malformed lists are refused: one sentence naming the option, the item and the fix ---------------------------


@pytest.mark.parametrize(
    "minutes, message",
    [
        ("5,,10", "--minutes '5,,10': item 2 is empty; give whole minutes separated by commas, e.g. 5,10,15"),
        ("5,10,", "--minutes '5,10,': item 3 is empty; give whole minutes separated by commas, e.g. 5,10,15"),
        (",5", "--minutes ',5': item 1 is empty; give whole minutes separated by commas, e.g. 5,10,15"),
        (" ", "--minutes ' ' gives no minutes; give whole minutes separated by commas, e.g. 5,10,15"),
        ("", "--minutes '' gives no minutes; give whole minutes separated by commas, e.g. 5,10,15"),
        (
            "5;10",
            (
                "--minutes '5;10': item 1 ('5;10') is not a whole number of minutes; separate the minutes with commas, "
                "e.g. 5,10,15"
            ),
        ),
        (
            "5 10",
            (
                "--minutes '5 10': item 1 ('5 10') is not a whole number of minutes; separate the minutes with commas, "
                "e.g. 5,10,15"
            ),
        ),
        (
            "5,x",
            "--minutes '5,x': item 2 ('x') is not a whole number of minutes; give whole numbers, e.g. 5,10,15",
        ),
        (
            "inf",
            "--minutes 'inf': item 1 ('inf') is not a whole number of minutes; give whole numbers, e.g. 5,10,15",
        ),
        (
            "nan,5",
            "--minutes 'nan,5': item 1 ('nan') is not a whole number of minutes; give whole numbers, e.g. 5,10,15",
        ),
        ("0", "--minutes '0': item 1 (0) is not above 0; bands must all be positive, e.g. 5,10,15"),
        ("-5", "--minutes '-5': item 1 (-5) is not above 0; bands must all be positive, e.g. 5,10,15"),
        (
            "5.5",
            "--minutes '5.5': item 1 (5.5) is not a whole number of minutes; bands are whole minutes, e.g. 5,10,15",
        ),
        (
            "10,5",
            (
                "--minutes '10,5': 5 comes after 10, but bands must increase; give them from the shortest to the "
                "longest, e.g. 5,10,15"
            ),
        ),
        (
            "5,5",
            "--minutes '5,5': 5 is given twice, but bands must increase; give each band once, e.g. 5,10,15",
        ),
        (
            "5,121",
            (
                "--minutes '5,121': item 2 (121) is more than 120 minutes, the longest band this tool computes; give "
                "bands of at most two hours' walk, e.g. 5,10,15"
            ),
        ),
        (
            "100000",
            (
                "--minutes '100000': item 1 (100000) is more than 120 minutes, the longest band this tool computes; "
                "give bands of at most two hours' walk, e.g. 5,10,15"
            ),
        ),
        (
            ",".join(map(str, range(1, 14))),
            ("--minutes '1,2,3,4,5,6,7,8,9,10,11,12,13' gives 13 bands; give at most 12, e.g. 5,10,15"),
        ),
    ],
)
def test_malformed_minutes_are_refused_in_one_sentence(minutes, message):
    with pytest.raises(OptionError) as err:
        check_minutes(minutes)
    assert str(err.value) == message


@pytest.mark.parametrize(
    "minutes, bands",
    [
        ("5,10,15", (5, 10, 15)),
        (" 5 , 10 ", (5, 10)),
        ("５，１０", (5, 10)),
        ("5.0,120", (5, 120)),
        ((5, 10), (5, 10)),
        ([15.0], (15,)),
        (",".join(map(str, range(1, 13))), tuple(range(1, 13))),
    ],
)
def test_well_formed_minutes(minutes, bands):
    assert check_minutes(minutes) == bands


@pytest.mark.parametrize(
    "minutes, message",
    [
        ((), "--minutes gives no minutes"),
        ((5, 5), "5 is given twice"),
        ([5.5], "item 1 (5.5) is not a whole number"),
        ([float("nan")], "item 1 (nan) is not a whole number"),
        ([float("inf")], "item 1 (inf) is not a whole number"),
        ((True,), "item 1 ('True') is not a whole number"),
        ((10, 500), "item 2 (500) is more than 120 minutes"),
    ],
)
def test_malformed_minute_sequences_are_refused(minutes, message):
    with pytest.raises(OptionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_minutes(minutes)


def test_coverage_of_study_refuses_malformed_minutes(street):
    with pytest.raises(OptionError, match=r"^--minutes '5,,10': item 2 is empty"):
        coverage_of_study(tiny_study(), street, minutes="5,,10")


@pytest.mark.parametrize(
    "kinds, message",
    [
        (
            "day_care,,x",
            (
                "--kinds 'day_care,,x': item 2 is empty; give facility kinds separated by commas, e.g. "
                "day_care,nursing_home"
            ),
        ),
        (
            "day_care,",
            (
                "--kinds 'day_care,': item 2 is empty; give facility kinds separated by commas, e.g. "
                "day_care,nursing_home"
            ),
        ),
        (",day_care", "--kinds ',day_care': item 1 is empty"),
        (
            " ",
            (
                "--kinds ' ' names no kind; leave --kinds out for every kind present, or give facility kinds separated by "
                "commas, e.g. day_care,nursing_home"
            ),
        ),
        (
            "day_care;nursing_home",
            (
                "--kinds 'day_care;nursing_home': unknown facility kind day_care;nursing_home; choose "
                "from street_centre, day_care"
            ),
        ),
        ("day_care,day_care", "--kinds 'day_care,day_care': day_care is given twice; give each kind once"),
        (
            "day_care,日间照料中心",
            "--kinds 'day_care,日间照料中心': day_care is given twice; give each kind once",
        ),
        (
            "canteen",
            (
                "--kinds 'canteen': unknown facility kind canteen; choose from street_centre, day_care, "
                "embedded_home, nursing_home, meal_point, rural_mutual_aid, health_centre"
            ),
        ),
        (
            "meal_point",
            (
                "--kinds 'meal_point': the study has no facility of kind meal_point; kinds present: day_care, "
                "nursing_home"
            ),
        ),
    ],
)
def test_malformed_kinds_are_refused_in_one_sentence(kinds, message):
    with pytest.raises(OptionError) as err:
        check_kinds(kinds, tiny_study().facilities)
    assert str(err.value).startswith(message)


def test_kinds_in_chinese_and_sequences():
    fac = tiny_study().facilities
    assert check_kinds("养老院, 日间照料中心", fac) == ("nursing_home", "day_care")
    assert check_kinds(("day_care",), fac) == ("day_care",)
    assert check_kinds((), fac) == check_kinds(None, fac) == ("day_care", "nursing_home")


def test_the_siting_threshold_has_the_same_upper_limit(street):
    from planning.siting import SitingOptions, siting_of_study

    with pytest.raises(
        OptionError, match="minutes 500 is more than 120, the longest walk this tool computes"
    ):
        siting_of_study(tiny_study(), street, SitingOptions(kind="day_care", add=1, minutes=500))


# --- the map layers' GeoPackage is written atomically -----------------------------------------------------------


def test_coverage_layers_replace_the_file_whole_or_leave_the_previous_one(street, tmp_path, monkeypatch):
    import pyogrio

    from planning.coverage import layers

    study = tiny_study()
    result = coverage_of_study(study, street, minutes=(5, 15))
    target = tmp_path / "layers.gpkg"
    target.write_bytes(b"the previous file")
    written = layers.coverage_layers(study, street, result, str(target))
    assert written[:2] == ["service_circles", "communities_coverage"]
    assert [name for name, _ in pyogrio.list_layers(target)] == written
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(layers, "uncovered_density", broken)  # fails after the circles are built
    with pytest.raises(RuntimeError, match="half-way"):
        layers.coverage_layers(study, street, result, str(target))
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["layers.gpkg"]
    monkeypatch.undo()

    real_to_file = gpd.GeoDataFrame.to_file
    calls = []

    def failing_second_layer(self, path, *args, **kwargs):
        calls.append(Path(path))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_to_file(self, path, *args, **kwargs)

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", failing_second_layer)
    from geo.errors import OutputError

    with pytest.raises(
        OutputError, match=r"cannot write .*layers\.gpkg \(No space left on device\); free some disk"
    ):
        layers.coverage_layers(study, street, result, str(target))
    assert calls[0] != target and calls[0].parent == tmp_path  # written beside it, under another name
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["layers.gpkg"]


def test_coverage_layers_into_an_unwritable_place_is_one_sentence(street, tmp_path):
    from geo.errors import OutputError

    study = tiny_study()
    result = coverage_of_study(study, street, minutes=(5,))
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OutputError, match=r"^cannot write .*layers\.gpkg \(.*\); \w"):
        coverage_layers(study, street, result, str(blocker / "layers.gpkg"))
    (tmp_path / "dir.gpkg").mkdir()
    with pytest.raises(OptionError, match=r"is a folder; name a .gpkg file"):
        coverage_layers(study, street, result, str(tmp_path / "dir.gpkg"))
