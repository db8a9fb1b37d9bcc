"""Scenario files: round trip, escaping, atomic writes, and one sentence for every bad file or option."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import geo.files
from geo.errors import OptionError
from planning.i18n import say
from planning.scenario import (
    AddedFacility,
    FacilityChange,
    Scenario,
    check_scenario_name,
    delete_scenario,
    list_scenarios,
    parse_add,
    parse_set,
    read_scenario,
    rename_scenario,
    save_scenario,
    write_scenario,
)
from tests.planning.scenario.grid import grid_study

ASCII_WORDS = re.compile(r"[A-Za-z]{4,} [A-Za-z]{4,}")


@pytest.fixture
def study(tmp_path: Path):
    return grid_study(folder=tmp_path)


def plan(study) -> Scenario:
    return Scenario(
        name="方案A",
        study=study.name,
        coords="gcj02",
        added=(
            AddedFacility("day_care", 117.95, 28.45, 'a "quoted" \\ name\n', floor_area_m2=300.0, beds=20),
            AddedFacility("meal_point", 117.951, 28.451),
        ),
        closed=("东中心", "x\ty"),
        changed=(FacilityChange("西中心", beds=30.0, kind="nursing_home"),),
        notes="街道办提供的闲置用房\u0001",
    )


def test_save_then_read_gives_the_same_scenario(study):
    scenario = plan(study)
    path = save_scenario(study, scenario)
    assert path == study.folder / "scenarios" / "方案A.toml"
    back = read_scenario(path, study=study)
    assert back.added[0].name == 'a "quoted" \\ name'  # names are stripped when checked
    assert back.added[0].beds == 20.0 and back.added[1].floor_area_m2 is None
    assert back.closed == scenario.closed and back.changed == scenario.changed
    assert back.notes == scenario.notes and back.coords == "gcj02" and back.study == study.name
    assert list_scenarios(study) == ["方案A"]


def test_rename_and_delete(study):
    save_scenario(study, plan(study))
    rename_scenario(study, "方案A", "方案B")
    assert list_scenarios(study) == ["方案B"]
    assert read_scenario(study.folder / "scenarios" / "方案B.toml", study=study).name == "方案B"
    save_scenario(study, Scenario(name="方案A", study=study.name))
    with pytest.raises(OptionError, match="already has a scenario"):
        rename_scenario(study, "方案A", "方案B")
    delete_scenario(study, "方案B")
    assert list_scenarios(study) == ["方案A"]
    with pytest.raises(OptionError) as err:
        delete_scenario(study, "方案B")
    assert "方案A" in say(err.value, "zh")


def test_a_failed_write_leaves_the_old_file_whole(study, monkeypatch):
    path = save_scenario(study, plan(study))
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.files.os, "fsync", broken_fsync)
    with pytest.raises(Exception):  # noqa: B017 - whatever atomic_write turns the failure into
        save_scenario(study, Scenario(name="方案A", study=study.name, notes="new"))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["方案A.toml"]


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("format = 1\nstudy = [", "not valid TOML", "不是有效的 TOML"),
        ('format = 1\nstudy = "别的区"\nname = "A"\n', "made for the study '别的区'", "别的区"),
        ('format = 9\nstudy = "网格区"\nname = "A"\n', "of format 9", "格式版本为 9"),
        ('format = 1\nstudy = "网格区"\nname = "A"\ncolour = 1\n', "unknown key 'colour'", "colour"),
        ('study = "网格区"\nname = "A"\n', "'format' is missing", "format"),
        (
            'format = 1\nstudy = "网格区"\nname = "A"\n[[add]]\nkind = "spa"\nlon = 117.9\nlat = 28.4\n',
            "unknown facility kind 'spa'",
            "spa",
        ),
        (
            'format = 1\nstudy = "网格区"\nname = "A"\n[[add]]\nkind = "day_care"\nlon = 217.9\nlat = 28.4\n',
            "longitude 217.9 is out of range",
            "217.9",
        ),
        (
            'format = 1\nstudy = "网格区"\nname = "A"\n[[add]]\nkind = "day_care"\nlon = 117.9\nlat = 98.4\n',
            "latitude 98.4 is out of range",
            "98.4",
        ),
        (
            'format = 1\nstudy = "网格区"\nname = "A"\n[[change]]\nname = "西中心"\nbeds = -3\n',
            "beds cannot be negative (-3)",
            "-3",
        ),
        ('format = 1\nstudy = "网格区"\nname = "a/b"\n', "cannot be a file name", "a/b"),
        ('format = 1\nstudy = "网格区"\nname = "A"\ncoords = "utm"\n', "coords must be", "utm"),
        ('format = 1\nstudy = "网格区"\nname = "A"\nclose = "西中心"\n', "close must be a list", "close"),
    ],
)
def test_every_bad_file_gets_its_sentence(study, tmp_path, text, english, chinese):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OptionError) as err:
        read_scenario(path, study=study)
    assert english in str(err.value)
    zh = say(err.value, "zh")
    assert chinese in zh and "bad.toml" in zh
    if "TOML" not in english:  # the parser's own words are quoted as they are
        assert not ASCII_WORDS.search(zh.replace(str(path), "")), zh
    assert "\n" not in str(err.value)


def test_a_file_that_is_not_utf8(study, tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('name = "方案"'.encode("gb18030"))
    with pytest.raises(OptionError, match="not UTF-8"):
        read_scenario(path, study=study)


@pytest.mark.parametrize("name", ["", "  ", "a b", "../x", "a.toml", "x" * 65, "方案/一"])
def test_names_that_cannot_be_file_names(name):
    with pytest.raises(OptionError) as err:
        check_scenario_name(name)
    assert say(err.value, "zh") != str(err.value)


def test_good_names():
    assert check_scenario_name(" 方案A_2-b ") == "方案A_2-b"


def test_parse_add_and_set():
    assert parse_add("day_care@117.95,28.45:新中心") == AddedFacility("day_care", 117.95, 28.45, "新中心")
    assert parse_add("日间照料中心@117.95,28.45").kind == "day_care"
    assert parse_add("day_care＠117.95，28.45").lon == 117.95  # full-width input from a Chinese keyboard
    assert parse_set("既有4:beds=30") == FacilityChange("既有4", beds=30.0)
    assert parse_set("a:b:beds=1,floor_area_m2=200,kind=养老院") == FacilityChange(
        "a:b", beds=1.0, floor_area_m2=200.0, kind="nursing_home"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day_care", "write it as KIND@LON,LAT"),
        ("day_care@117.9", "write it as KIND@LON,LAT"),
        ("day_care@a,b", "write it as KIND@LON,LAT"),
        ("spa@117.9,28.4", "unknown facility kind 'spa'"),
        ("day_care@28.4,117.9", "latitude 117.9 is out of range"),
    ],
)
def test_bad_add(text, expected):
    with pytest.raises(OptionError, match=re.escape(expected)) as err:
        parse_add(text)
    assert "--add" in say(err.value, "zh")


@pytest.mark.parametrize(
    "text", ["既有4", "既有4:beds", "既有4:beds=x", "既有4:colour=1", ":beds=1", "a:beds=1,beds=2"]
)
def test_bad_set(text):
    with pytest.raises(OptionError, match="write it as NAME:beds=N"):
        parse_set(text)


def test_negative_set():
    with pytest.raises(OptionError, match="cannot be negative"):
        parse_set("既有4:beds=-1")


def test_write_refuses_a_bad_scenario(tmp_path):
    with pytest.raises(OptionError, match="unknown facility kind"):
        write_scenario(Scenario("a", "s", added=(AddedFacility("spa", 1, 1),)), tmp_path / "a.toml")
    assert not (tmp_path / "a.toml").exists()
