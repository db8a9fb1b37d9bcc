"""Nothing vanishes: exact duplicate facilities are counted once, implausible magnitudes and infinite or NaN values
reject their row with the reason (English and Chinese, row number and the fix)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from planning.schema import MAX_COMMUNITY_RESIDENTS, MAX_FACILITY_AREA_M2, MAX_FACILITY_BEDS
from planning.study import load_study
from planning.validation import parse_number, parse_number_zh, rejected_lines, validate_layer
from tests.planning.test_study import LAT0, LON0, communities_geojson, feature, make_study, messages, square


def rejected_zh(study) -> list[str]:
    return [f"row {f.row}: {f.message_zh}" for f in study.findings if f.action == "rejected"]


# --- infinite and NaN values are refused, never numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "inf",
        "Inf",
        "-inf",
        "+inf",
        "Infinity",
        "-Infinity",
        "INFINITY",
        "nan",
        "NaN",
        "NAN",
        " nan ",
        "-nan",
        "ｉｎｆ",
    ],
)
def test_parse_number_refuses_infinite_and_nan_text(text):
    got, note, error = parse_number(text)
    assert got is None and note is None
    assert (
        error
        == f"{text!r} is not a finite number; give the figure, or leave the cell blank when it is unknown"
    )
    assert "不是有效数值" in parse_number_zh(text)[4]


@pytest.mark.parametrize("value", [float("inf"), -float("inf"), np.float32("inf"), np.inf])
def test_parse_number_refuses_float_infinity(value):
    got, _, error = parse_number(value)
    assert got is None and "is not a finite number" in error


@pytest.mark.parametrize("value", [None, float("nan"), "", "  ", "-", "null", "无数据"])
def test_blank_cells_stay_blank(value):
    assert parse_number(value) == (None, None, None)


def test_infinite_and_nan_text_in_a_csv_reject_the_row(tmp_path):
    csv = (
        "名称,类型,经度,纬度,建筑面积,床位数\n"
        f"a,日间照料中心,{LON0 + 0.001},{LAT0 + 0.001},inf,\n"
        f"b,日间照料中心,{LON0 + 0.002},{LAT0 + 0.001},300,NaN\n"
        f"c,日间照料中心,{LON0 + 0.003},{LAT0 + 0.001},Infinity,nan\n"
        f"d,日间照料中心,{LON0 + 0.004},{LAT0 + 0.001},300,\n"
        f"e,日间照料中心,{LON0 + 0.005},{LAT0 + 0.001},-inf,1e999\n"
    )
    study = load_study(make_study(tmp_path / "s", facilities=csv))
    assert study.facilities["name"].tolist() == ["d"]
    assert study.rejected["facilities"]["row"].tolist() == [1, 2, 3, 5]
    rejected = messages(study, "rejected")
    fix = "is not a finite number; give the figure, or leave the cell blank when it is unknown"
    assert f"row 1: floor_area_m2 (建筑面积): 'inf' {fix}" in rejected
    assert f"row 2: beds (床位数): 'NaN' {fix}" in rejected
    assert f"row 3: floor_area_m2 (建筑面积): 'Infinity' {fix}" in rejected
    assert f"row 3: beds (床位数): 'nan' {fix}" in rejected
    assert f"row 5: floor_area_m2 (建筑面积): '-inf' {fix}" in rejected
    assert f"row 5: beds (床位数): '1e999' {fix}" in rejected
    assert (
        "row 1: 「建筑面积」列（floor_area_m2）：「inf」不是有效数值（无穷大或非数）；请填写实际数值；如未知请留空"
        in rejected_zh(study)
    )
    assert np.isfinite(study.facilities["floor_area_m2"]).all()


def test_infinite_population_in_a_geojson_and_a_geopackage_rejects_the_row(tmp_path):
    rows = [
        feature(
            {"type": "Polygon", "coordinates": square(0)}, name="A", street="S", population=1000, elderly=100
        ),
        feature(
            {"type": "Polygon", "coordinates": square(1)},
            name="B",
            street="S",
            population=float("inf"),
            elderly=100,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(2)},
            name="C",
            street="S",
            population=1000,
            elderly=float("-inf"),
        ),
    ]
    folder = make_study(tmp_path / "s")
    (folder / "communities.geojson").write_text(json.dumps(communities_geojson(rows)), encoding="utf-8")
    assert "Infinity" in (folder / "communities.geojson").read_text(encoding="utf-8")
    study = load_study(folder)
    assert study.communities["name"].tolist() == ["A"]
    rejected = messages(study, "rejected")
    assert any(m.startswith("row 2: population") and "is not a finite number" in m for m in rejected), (
        rejected
    )
    assert any(m.startswith("row 3: elderly") and "is not a finite number" in m for m in rejected), rejected

    frame = gpd.GeoDataFrame(
        {"name": ["A", "B"], "street": ["S", "S"], "population": [1000.0, np.inf], "elderly": [100.0, 100.0]},
        geometry=[shapely.Polygon(square(0)[0]), shapely.Polygon(square(1)[0])],
        crs=4326,
    )
    pyogrio.write_dataframe(frame, folder / "c.gpkg", layer="c", driver="GPKG")
    assert np.isinf(
        pyogrio.read_dataframe(folder / "c.gpkg")["population"]
    ).any()  # SQLite keeps the infinity
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "c.gpkg#c"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    study = load_study(folder)
    assert study.communities["name"].tolist() == ["A"]
    assert messages(study, "rejected") == [
        "row 2: population: inf is not a finite number; give the figure, or leave the cell blank when it is unknown"
    ]


# --- implausible magnitudes -------------------------------------------------------------------------------------


def test_the_plausibility_limits():
    assert (MAX_COMMUNITY_RESIDENTS, MAX_FACILITY_BEDS, MAX_FACILITY_AREA_M2) == (200_000, 5_000, 200_000)


def test_a_community_of_more_than_200_000_residents_or_elderly_is_rejected(tmp_path):
    rows = [
        feature(
            {"type": "Polygon", "coordinates": square(0)},
            name="A",
            street="S",
            population=200_000,
            elderly=200_000,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(1)},
            name="B",
            street="S",
            population=200_001,
            elderly=100,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(2)},
            name="C",
            street="S",
            population=3_000_000,
            elderly=250_000,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(3)},
            name="D",
            street="S",
            population=8000,
            elderly=1600,
            户数=300_000,
        ),
    ]
    study = load_study(make_study(tmp_path / "s", communities=communities_geojson(rows)))
    assert study.communities["name"].tolist() == ["A"]  # exactly at the limit is still plausible
    assert study.rejected["communities"]["row"].tolist() == [2, 3, 4]
    rejected = messages(study, "rejected")
    tail = "(a plausibility limit, not a standard); check the figure (a misplaced digit or a wrong unit?) and correct it"
    assert f"row 2: population is 200001, more than the 200000 plausible for one community {tail}" in rejected
    assert f"row 3: population is 3e+06, more than the 200000 plausible for one community {tail}" in rejected
    assert f"row 3: elderly is 250000, more than the 200000 plausible for one community {tail}" in rejected
    assert (
        f"row 4: households (户数) is 300000, more than the 200000 plausible for one community {tail}"
        in rejected
    )
    assert (
        "row 2: population 列为 200001，超过单个社区/村的合理上限 200000（合理性上限，并非标准）；"
        "请核对该数（是否多写了位数或单位有误）并更正"
    ) in rejected_zh(study)
    reasons = study.rejected["communities"]["reason"].tolist()
    assert "elderly is 250000" in reasons[1] and "population is 3e+06" in reasons[1]  # both reasons, one row


def test_more_than_5000_beds_or_200000_m2_in_one_facility_is_rejected(tmp_path):
    csv = (
        "名称,类型,经度,纬度,建筑面积,用地面积,床位数,护理型床位\n"
        f"a,养老院,{LON0 + 0.001},{LAT0 + 0.001},200000,200000,5000,5000\n"
        f"b,养老院,{LON0 + 0.002},{LAT0 + 0.001},1200,,5001,\n"
        f"c,养老院,{LON0 + 0.003},{LAT0 + 0.001},2.5万,,60,\n"
        f"d,养老院,{LON0 + 0.004},{LAT0 + 0.001},1200,200001,60,\n"
        f"e,养老院,{LON0 + 0.005},{LAT0 + 0.001},1200,,60000,6000\n"
    )
    study = load_study(make_study(tmp_path / "s", facilities=csv))
    assert study.facilities["name"].tolist() == ["a", "c"]  # 2.5万 m² = 25 000 m² is plausible
    rejected = messages(study, "rejected")
    tail = "(a plausibility limit, not a standard); check the figure (a misplaced digit or a wrong unit?) and correct it"
    assert rejected == [  # column by column, as the loader met them
        f"row 4: land_area_m2 (用地面积) is 200001, more than the 200000 plausible for one facility {tail}",
        f"row 2: beds (床位数) is 5001, more than the 5000 plausible for one facility {tail}",
        f"row 5: beds (床位数) is 60000, more than the 5000 plausible for one facility {tail}",
        f"row 5: nursing_beds (护理型床位) is 6000, more than the 5000 plausible for one facility {tail}",
    ]
    assert study.rejected["facilities"]["row"].tolist() == [2, 4, 5]  # in file order


def test_implausible_candidates_are_rejected():
    frame = gpd.GeoDataFrame(
        {
            "name": ["x", "y", "z"],
            "kinds": ["day_care", "day_care", "nursing_home"],
            "beds": [20, 9000, 100],
            "floor_area_m2": [500, 500, 250_000],
        },
        geometry=shapely.points([(0, 0), (100, 0), (200, 0)]),
        crs=32650,
    )
    layer = validate_layer(frame, "candidates", source="candidates.geojson")
    assert layer.frame["name"].tolist() == ["x"]
    assert layer.rejected["row"].tolist() == [2, 3]
    assert layer.rejected["reason"].tolist() == [
        (
            "beds is 9000, more than the 5000 plausible for one candidate site (a plausibility limit, not a standard); "
            "check the figure (a misplaced digit or a wrong unit?) and correct it"
        ),
        (
            "floor_area_m2 is 250000, more than the 200000 plausible for one candidate site (a plausibility limit, not a "
            "standard); check the figure (a misplaced digit or a wrong unit?) and correct it"
        ),
    ]


# --- exact duplicates are counted once --------------------------------------------------------------------------


def _facilities(rows: list[tuple[str, str, float, float]], crs=32650) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [r[0] for r in rows], "kind": [r[1] for r in rows]},
        geometry=shapely.points([(r[2], r[3]) for r in rows]),
        crs=crs,
    )


def test_exact_duplicate_facilities_are_rejected_and_counted_once():
    frame = _facilities(
        [
            ("东风日照", "day_care", 1000.0, 2000.0),  # row 1: kept
            ("东风日照", "day_care", 1000.0, 2000.0),  # row 2: the same row again
            ("东风日照", "日间照料中心", 1000.004, 2000.0),  # row 3: the same after kind mapping, 4 mm away
            ("东风日照", "meal_point", 1000.0, 2000.0),  # row 4: another kind in the same building: kept
            ("东风日照", "day_care", 1001.0, 2000.0),  # row 5: 1 m away: another facility, kept
            ("西湖日照", "day_care", 1000.0, 2000.0),  # row 6: another name: kept
            ("东风日照", "day_care", 1000.0, 2000.0),  # row 7: the same a third time
        ]
    )
    layer = validate_layer(frame, "facilities", source="facilities.csv")
    assert layer.frame["_row"].tolist() == [1, 4, 5, 6]
    assert layer.rejected["row"].tolist() == [2, 3, 7]
    assert (
        layer.rejected["reason"].tolist()
        == [
            (
                "duplicates row 1 (same name '东风日照', kind day_care and location): the facility is counted once; delete "
                "this row, or correct its name, kind or location if it is another facility"
            )
        ]
        * 3
    )
    zh = [f.message_zh for f in layer.findings if f.action == "rejected"]
    assert (
        zh
        == [
            (
                "与第 1 行重复（名称「东风日照」、类型和位置均相同），该设施只计一次；请删除此行，如确为另一设施，"
                "请更正其名称、类型或位置"
            )
        ]
        * 3
    )
    assert [f.row for f in layer.findings if f.action == "rejected"] == [2, 3, 7]
    assert any(
        f.action == "read" and "7 rows read, 4 accepted, 3 rejected" in f.message for f in layer.findings
    )


def test_a_rejected_row_is_not_the_one_kept():
    frame = _facilities(
        [("A", "day_care", 0.0, 0.0), ("A", "day_care", 0.0, 0.0), ("A", "day_care", 0.0, 0.0)]
    )
    frame["beds"] = ["很多", 10, 10]
    layer = validate_layer(frame, "facilities", source="f.csv")
    assert layer.frame["_row"].tolist() == [2]
    assert layer.rejected["reason"].tolist()[1].startswith("duplicates row 2 ")


def test_duplicates_in_longitude_latitude_use_a_centimetre_tolerance():
    frame = _facilities(
        [
            ("A", "day_care", 118.0, 28.45),
            ("A", "day_care", 118.00000005, 28.45),
            ("A", "day_care", 118.00001, 28.45),
        ],
        crs=4326,
    )
    layer = validate_layer(frame, "facilities", source="f.csv")
    assert layer.rejected["row"].tolist() == [2] and layer.frame["_row"].tolist() == [1, 3]


def test_duplicate_candidates_are_rejected():
    frame = gpd.GeoDataFrame(
        {
            "name": ["地块1", "地块1", "地块1", "地块2", "地块2"],
            "kinds": ["day_care", "day_care", "meal_point", "day_care,meal_point", "助餐点,日间照料中心"],
        },
        geometry=shapely.points([(0, 0), (0, 0), (0, 0), (9, 9), (9, 9)]),
        crs=32650,
    )
    layer = validate_layer(frame, "candidates", source="candidates.geojson")
    assert layer.frame["_row"].tolist() == [1, 3, 4]
    assert layer.rejected["row"].tolist() == [2, 5]
    assert layer.rejected["reason"].tolist()[0] == (
        "duplicates row 1 (same name '地块1', kinds day_care and location): the candidate site is counted once; "
        "delete this row, or correct its name, kind or location if it is another candidate site"
    )
    assert (
        layer.rejected["reason"]
        .tolist()[1]
        .startswith("duplicates row 4 (same name '地块2', kinds day_care,meal_point")
    )


def test_a_duplicate_facility_in_a_study_is_counted_once_and_named(tmp_path):
    csv = (
        "名称,类型,经度,纬度,建筑面积,床位数\n"
        f"城关中心,街道综合养老服务中心,{LON0 + 0.005},{LAT0 + 0.005},1200,\n"
        f"西湖日照,日间照料中心,{LON0 + 0.015},{LAT0 + 0.005},400,10\n"
        f"西湖日照,日间照料中心,{LON0 + 0.015},{LAT0 + 0.005},400,10\n"
    )
    study = load_study(make_study(tmp_path / "s", facilities=csv))
    assert study.facilities["kind"].tolist() == ["street_centre", "day_care"]
    assert study.rejected["facilities"]["row"].tolist() == [3]
    lines = rejected_lines(study.rejected, {"facilities": "facilities.csv"}, lang="en")
    assert len(lines) == 1 and "row 3 '西湖日照' (duplicates row 2 " in lines[0]
    lines_zh = rejected_lines(
        study.rejected, {"facilities": "facilities.csv"}, lang="zh", findings=study.findings
    )
    assert "第 3 行「西湖日照」（与第 2 行重复" in lines_zh[0]


def test_the_demo_has_no_duplicates_or_implausible_rows():
    from planning.demo import DEMO_DIR

    assert load_study(DEMO_DIR).n_rejected == 0


# --- the network cache's lines have Chinese ------------------------------------------------------------------------


def test_every_cache_damage_line_has_chinese(tmp_path):
    from geo.cache import CACHE_VERSION, DamagedEntryError, damaged_line, entry_bytes, entry_payload
    from planning.i18n import say

    good = entry_bytes("network", {"a": 1}, {"x": np.arange(10)})
    head = good.index(b"\n") + 1
    damaged = [
        b"",
        good[: head + 5],
        good[:-40] + bytes([good[-40] ^ 1]) + good[-39:],
        good[head:],
        b"junk\n" * 10,
        good.replace(f" v{CACHE_VERSION} ".encode(), f" v{CACHE_VERSION + 1} ".encode(), 1),
        good.replace(f" v{CACHE_VERSION} ".encode(), b" v1 ", 1),
        good + b"extra",
    ]
    expected = [
        "已损坏（空文件）",
        "已损坏（文件不完整：只有",
        "已损坏（校验和不符）",
        "由旧版 eldercircle 写入（缓存版本 1，",
        "已损坏（文件头无效）",
        "由其他版本的 eldercircle 写入",
        "由旧版 eldercircle 写入（缓存版本 1，",
        "已损坏（比写入时多出 5 字节）",
    ]
    for data, zh in zip(damaged, expected, strict=True):
        with pytest.raises(DamagedEntryError) as err:
            entry_payload(data, kind="network")
        line = damaged_line("network", tmp_path / "network-k.cache", err.value.reason)
        assert say(line, "zh").startswith(f"缓存的步行网络 network-k.cache（位于 {tmp_path}）{zh}"), (
            line,
            say(line, "zh"),
        )
        assert say(line, "zh").endswith("；已删除并重新解析源文件")
    roads = damaged_line(
        "roads", tmp_path / "roads-k.cache", DamagedEntryError.of("cache_damaged_checksum").reason
    )
    assert (
        say(roads, "zh")
        == f"缓存的快速路 roads-k.cache（位于 {tmp_path}）已损坏（校验和不符）；已删除并重新解析源文件"
    )
    empty = DamagedEntryError.of("cache_damaged_empty").reason
    kept = damaged_line("network", tmp_path / "network-k.cache", empty, removed=False)
    assert say(kept, "zh") == (
        f"缓存的步行网络 network-k.cache（位于 {tmp_path}）已损坏（空文件）；"
        "已重新解析源文件（该缓存文件无法删除）"
    )
