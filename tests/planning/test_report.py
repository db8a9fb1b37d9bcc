"""Exports: the public map's privacy (parsed back from the written HTML), the workbook, the GeoPackage, the scenario
comparison and the report folder's rules. A tiny hand-built study gives answers checked on paper; the demo study
gives the end-to-end run of every file."""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import pytest
import shapely

from geo.errors import NetworkError, OptionError, StudyError
from geo.network import network_from_lines
from planning.coverage import coverage_of_study, service_circle_layer
from planning.report import (
    PUBLIC_PROPERTIES,
    REPORT_FILES,
    ReportOptions,
    layers_gpkg_bytes,
    prepare_out_dir,
    public_map_html,
    report_inputs,
    scenario_html,
    suppress_small,
    workbook_bytes,
    write_report,
)
from planning.study import NetworkSettings, Study
from tests.studies import frames_study

X0, Y0 = 500_000.0, 3_150_000.0  # UTM 50N metres
CRS = "EPSG:32650"
REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"

#: Population points: id, x, y (metres from X0, Y0), elderly. The day-care centre at (100, -20) reaches the first
#: two (20 m access + along the street + up to the point, at 1 m/s: 82.4 s and 507.6 s); the others are farther
#: than 15 min (1108.8 s and more).
POP = [
    ("pop-secret-1", 105.3, 57.1, 12.0),
    ("pop-secret-2", 455.7, 131.9, 18.0),
    ("pop-secret-3", 1111.1, 77.7, 4.0),
    ("pop-secret-4", 1500.5, 150.5, 25.0),
    ("pop-secret-5", 2222.2, 88.8, 15.0),
    ("pop-secret-6", 2777.7, 166.6, 25.0),
]
SECRETS = ("138-0000-1234", "139-1111-5678", "秘密备注甲", "秘密备注乙", "pop-secret", "phone", "notes")


def P(x, y):  # noqa: N802 - a point, as in the papers' notation
    return shapely.Point(X0 + x, Y0 + y)


def box(x0, x1):
    return shapely.box(X0 + x0, Y0 + 10, X0 + x1, Y0 + 210)


def tiny_study(*, synthetic: bool = True, source: str | None = "streets.osm") -> Study:
    """Four communities north of a 3 km street: 甲 (30 elderly), 乙 (4), 丙 (25) in 一街道, 丁 (40) in 二街道.

    Facilities carry non-public columns (phone, notes) that must never reach the public map.
    """
    comm = gpd.GeoDataFrame(
        {
            "_row": [1, 2, 3, 4],
            "name": ["甲社区", "乙社区", "丙社区", "丁社区"],
            "street": ["一街道", "一街道", "一街道", "二街道"],
            "population": [100.0, 20.0, 90.0, 150.0],
            "elderly": [30.0, 4.0, 25.0, 40.0],
            "elderly_80": [np.nan] * 4,
            "households": [np.nan] * 4,
            "kind": ["urban"] * 4,
            "built": ["existing"] * 4,
        },
        geometry=[box(0, 1000), box(1000, 1200), box(1200, 2000), box(2000, 3000)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "_row": [1, 2],
            "name": ["日照中心", "敬老院"],
            "kind": ["day_care", "nursing_home"],
            "street": [None, None],
            "floor_area_m2": [400.0, 3000.0],
            "land_area_m2": [np.nan, 2000.0],
            "beds": [np.nan, 6.0],
            "nursing_beds": [np.nan, 3.0],
            "dementia_beds": [np.nan] * 2,
            "phone": ["138-0000-1234", "139-1111-5678"],
            "notes": ["秘密备注甲", "秘密备注乙"],
        },
        geometry=[P(100, -20), P(2900, -10)],
        crs=CRS,
    )
    pop = gpd.GeoDataFrame(
        {
            "_row": range(1, 7),
            "id": [p[0] for p in POP],
            "elderly": [p[3] for p in POP],
            "population": [np.nan] * 6,
        },
        geometry=[P(p[1], p[2]) for p in POP],
        crs=CRS,
    )
    return frames_study(
        comm,
        fac,
        name="小区县",
        name_en="Tiny county",
        synthetic=synthetic,
        data_date="2025-06",
        sources=("hand-built test data",),
        population=pop,
        network=NetworkSettings(source=source),
    )


@pytest.fixture(scope="module")
def net():
    return network_from_lines(
        [
            shapely.LineString([(X0 + a, Y0), (X0 + b, Y0)])
            for a, b in ((0, 1000), (1000, 2000), (2000, 3000))
        ],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def tiny(net):
    study = tiny_study()
    cov = coverage_of_study(study, net)
    circles = service_circle_layer(study, net, cov)
    return study, cov, circles


# --- reading the public map back ---------------------------------------------------------------------------------


class _Scripts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.external: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in = True
            self.scripts.append("")
            if attrs.get("src"):
                self.external.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.external.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data


def geojson_payloads(text: str) -> list[dict]:
    """Every GeoJSON object folium embedded (``geo_json_<id>_add({...})``), decoded with json."""
    parser = _Scripts()
    parser.feed(text)
    decoder = json.JSONDecoder()
    out = []
    for script in parser.scripts:
        for m in re.finditer(r"geo_json_\w+_add\(", script):
            obj, _ = decoder.raw_decode(script, m.end())
            out.append(obj)
    return out


def external_assets(text: str) -> list[str]:
    parser = _Scripts()
    parser.feed(text)
    return parser.external


def coords_of(fc: dict) -> np.ndarray:
    xy = [shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"]))) for f in fc["features"]]
    return np.vstack(xy) if xy else np.zeros((0, 2))


def check_privacy(
    text: str, *, k: int, demand_lonlat: np.ndarray, facility_names: set[str], circles_too: bool = True
) -> list[dict]:
    """The privacy promises of the public map, proved on its text; returns the payloads.

    Only whitelisted properties; every count of elderly at least k or "<k"; every point is a facility; no
    coordinate within 1 m of a demand point (with ``circles_too=False`` the service circles are left out of that
    last check: they are built from the streets and facilities alone, and on the demo's 100 m street grid their
    50 m bands meet exactly at block centres, where the demo's population cells have their centres too).
    """
    payloads = geojson_payloads(text)
    assert payloads, "no GeoJSON found in the map"
    all_xy = []
    for fc in payloads:
        is_circle = any("minutes" in f["properties"] for f in fc["features"])
        for f in fc["features"]:
            if f["geometry"]["type"] == "Point":
                assert f["properties"]["name"] in facility_names and "floor_area_m2" in f["properties"]
        if is_circle and not circles_too:
            continue
        assert fc["type"] == "FeatureCollection"
        for f in fc["features"]:
            keys = set(f["properties"])
            allowed = set(PUBLIC_PROPERTIES)
            assert all(k_ in allowed or k_.startswith("share_") for k_ in keys), keys
            for key in ("elderly", "elderly_uncovered"):
                if key in f["properties"]:
                    v = f["properties"][key]
                    assert v == f"<{k}" or (isinstance(v, int) and v >= k), (key, v)
        all_xy.append(coords_of(fc))
    xy = np.vstack(all_xy)
    assert len(xy) > 100
    # no demand point is in the file: nothing closer than ~1 m (1e-5 deg) to one
    for lon, lat in demand_lonlat:
        d = np.hypot((xy[:, 0] - lon) * np.cos(np.radians(lat)), xy[:, 1] - lat)
        assert d.min() > 1e-5, (lon, lat)
    for secret in SECRETS:
        assert secret not in text, secret
    return payloads


def lonlat(frame: gpd.GeoDataFrame) -> np.ndarray:
    return shapely.get_coordinates(frame.to_crs(4326).geometry.to_numpy())


def layer_of(payloads: list[dict], key: str) -> list[dict]:
    """Features whose properties include ``key`` and not ``kind`` (communities/streets/grid), or all with ``key``."""
    return [f["properties"] for fc in payloads for f in fc["features"] if key in f["properties"]]


# --- suppression ------------------------------------------------------------------------------------------------


def test_suppress_small_hides_counts_below_k_and_what_subtraction_would_reveal():
    # 乙 (4) is below 10; the street total 59 minus 甲 and 丙 would reveal it, so the smallest other (丙 25) hides
    assert suppress_small(np.array([30, 4, 25, 40]), np.array(["a", "a", "a", "b"]), k_anon=10).tolist() == [
        False,
        True,
        True,
        False,
    ]
    # 3 hidden, then 8 (3 + 8 = 11 >= 10): 50 stays
    assert suppress_small(np.array([3, 8, 50]), np.array(["s"] * 3), k_anon=10).tolist() == [
        True,
        True,
        False,
    ]
    # a street whose only community is small: hidden, nothing else to hide
    assert suppress_small(np.array([5, 12]), np.array(["x", "y"]), k_anon=10).tolist() == [True, False]
    # k = 1 hides nothing but zero counts; NaN is never shown
    assert suppress_small(np.array([1, 0, np.nan]), np.array(["s", "t", "u"]), k_anon=1).tolist() == [
        False,
        True,
        True,
    ]


# --- the public map ---------------------------------------------------------------------------------------------


def test_public_map_is_safe_to_publish_on_the_tiny_study(tiny):
    study, cov, circles = tiny
    text = public_map_html(study, cov, circles, k_anon=10, grid_m=100)
    payloads = check_privacy(
        text, k=10, demand_lonlat=lonlat(study.population), facility_names=set(study.facilities["name"])
    )
    comm = {p["name"]: p for p in layer_of(payloads, "name") if "street" in p and "elderly" in p}
    assert comm["甲社区"]["elderly"] == 30 and comm["甲社区"]["share_day_care"] == 100
    assert comm["乙社区"]["elderly"] == "<10" and comm["乙社区"]["share_day_care"] is None  # 4 elderly
    assert (
        comm["丙社区"]["elderly"] == "<10" and comm["丙社区"]["share_day_care"] is None
    )  # secondary suppression
    assert comm["丁社区"]["elderly"] == 40 and comm["丁社区"]["share_day_care"] == 0
    streets = {p["street"]: p for p in layer_of(payloads, "street") if "name" not in p}
    assert streets["一街道"]["elderly"] == 59 and streets["二街道"]["elderly"] == 40
    assert streets["一街道"]["share_day_care"] == 51  # 30 of 59 within 15 min
    # uncovered by day care on the 100 m grid: 乙's 4 (cell left out), 丙's 25, 丁's 15 and 25
    grid = sorted(p["elderly_uncovered"] for p in layer_of(payloads, "elderly_uncovered"))
    assert grid == [15, 25, 25]
    fac = [p for p in layer_of(payloads, "floor_area_m2")]
    assert sorted(p["name"] for p in fac) == ["敬老院", "日照中心"]
    assert {p["beds"] for p in fac} == {None, 6}
    assert set(fac[0]) == {"name", "kind", "floor_area_m2", "beds"}
    circle_minutes = sorted(
        p["minutes"] for p in layer_of(payloads, "minutes") if p["kind"] == "日间照料中心"
    )
    assert circle_minutes == [5, 10, 15]
    # offline: nothing loaded from elsewhere, Leaflet inlined; title, date, source, privacy note, synthetic notice
    assert external_assets(text) == []
    assert "Leaflet 1.9.3" in text and "cdn.jsdelivr" not in text and "tile.openstreetmap.org" not in text
    assert "小区县 养老服务设施步行覆盖图" in text and "2025-06" in text and "hand-built test data" in text
    assert "隐私保护" in text and "合成数据" in text
    assert "OpenStreetMap" not in text  # synthetic: no tiles, no OSM attribution


def test_public_map_larger_k_and_grid(tiny):
    study, cov, circles = tiny
    text = public_map_html(study, cov, circles, k_anon=30, grid_m=1000, lang="en")
    payloads = check_privacy(
        text, k=30, demand_lonlat=lonlat(study.population), facility_names=set(study.facilities["name"])
    )
    comm = {p["name"]: p["elderly"] for p in layer_of(payloads, "name") if "street" in p and "elderly" in p}
    # 乙 4 and 丙 25 are below 30; their sum 29 is still below 30, so 甲 (30) hides as well
    assert comm == {"甲社区": "<30", "乙社区": "<30", "丙社区": "<30", "丁社区": 40}
    # 1 km cells: 乙 + 丙 = 29 (left out), 丁 15 + 25 = 40
    assert [p["elderly_uncovered"] for p in layer_of(payloads, "elderly_uncovered")] == [40]
    assert "Tiny county: walking coverage of elderly-care facilities" in text and "Privacy" in text


def test_public_map_of_a_real_study_credits_openstreetmap_and_offers_tiles(tiny):
    study, cov, circles = tiny
    real = replace(study, synthetic=False)
    text = public_map_html(real, cov, circles, basemap="osm")  # tiles only when asked for: auto is offline
    assert "© OpenStreetMap" in text and "tile.openstreetmap.org" in text and "合成数据" not in text
    assert "tile.openstreetmap.org" not in public_map_html(real, cov, circles)
    check_privacy(
        text, k=10, demand_lonlat=lonlat(study.population), facility_names=set(study.facilities["name"])
    )
    lines = replace(real, network=NetworkSettings(source="centrelines.gpkg#roads"))
    assert "步行路网 © OpenStreetMap" not in public_map_html(lines, cov, circles, basemap="none")


@pytest.mark.parametrize("k", [0, -3, 2.5, "ten", True, None])
def test_public_map_refuses_bad_k(tiny, k):
    study, cov, circles = tiny
    with pytest.raises(OptionError, match="at least 1"):
        public_map_html(study, cov, circles, k_anon=k)


def test_public_map_refuses_fine_grid_and_missing_coverage(tiny):
    study, cov, circles = tiny
    with pytest.raises(OptionError, match="at least 100 m"):
        public_map_html(study, cov, circles, grid_m=50)
    with pytest.raises(StudyError, match="no coverage results"):
        public_map_html(study, None, circles)
    with pytest.raises(OptionError, match="language"):
        public_map_html(study, cov, circles, lang="fr")


# --- workbook and GeoPackage ------------------------------------------------------------------------------------


def test_workbook_headers_units_and_numbers(tiny):
    study, cov, _ = tiny
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(study, cov)))
    assert wb.sheetnames[:4] == ["说明", "覆盖率汇总", "社区覆盖率", "街道覆盖率"]
    ws = wb["社区覆盖率"]
    head = [c.value for c in ws[1]]
    assert head[:4] == ["社区名称", "所属街道", "社区类型", "老年人口（人）"]
    share_col = head.index("日间照料中心 15分钟覆盖率（%）") + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(rows["甲社区"], 4).value == 30 and ws.cell(rows["甲社区"], 3).value == "城市社区"
    assert ws.cell(rows["甲社区"], share_col).value == 1.0
    assert ws.cell(rows["甲社区"], share_col).number_format == "0.0%"
    assert ws.cell(rows["丙社区"], share_col).value == 0.0
    beds = head.index("养老院床位可达性（床/千名老人）") + 1
    # two-step catchment: 6 beds shared by the 40 elderly within 15 min of the home -> 150 per 1000
    assert ws.cell(rows["丁社区"], beds).value == pytest.approx(150.0)
    assert ws.cell(rows["甲社区"], beds).value == 0
    tot = wb["覆盖率汇总"]
    dc15 = [r for r in tot.iter_rows(min_row=2, values_only=True) if r[0] == "日间照料中心" and r[1] == 15]
    assert dc15 == [("日间照料中心", 15, 99, 30, pytest.approx(30 / 99))]
    gaps = wb["日间照料缺口"]
    assert sorted(r[0] for r in gaps.iter_rows(min_row=2, values_only=True)) == ["丁社区", "丙社区", "乙社区"]
    en = openpyxl.load_workbook(io.BytesIO(workbook_bytes(study, cov, lang="en")))
    assert [c.value for c in en["Communities"][1]][:4] == [
        "Community",
        "Street",
        "Community type",
        "Elderly (persons)",
    ]


def test_geopackage_layers_read_back(tiny):
    study, cov, circles = tiny
    data = layers_gpkg_bytes(study, cov, circles)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"eldercircle-test-{os.getpid()}.gpkg"
    try:
        path.write_bytes(data)
        names = [n for n, _ in pyogrio.list_layers(path)]
        assert names == [
            "service_circles",
            "communities_coverage",
            "streets_coverage",
            "facilities",
            "uncovered_day_care",
            "uncovered_nursing_home",
        ]
        comm = pyogrio.read_dataframe(path, layer="communities_coverage")
        assert comm["elderly"].tolist() == [30.0, 4.0, 25.0, 40.0]
        assert comm["share_day_care_15min"].tolist() == [1.0, 0.0, 0.0, 0.0]
        assert comm.crs.to_epsg() == 32650
        unc = pyogrio.read_dataframe(path, layer="uncovered_day_care")
        assert unc["elderly_uncovered"].sum() == pytest.approx(4 + 25 + 15 + 25)
        streets = pyogrio.read_dataframe(path, layer="streets_coverage").set_index("street")
        assert streets.loc["一街道", "elderly"] == 59.0
        assert len(pyogrio.read_dataframe(path, layer="service_circles")) == 6  # 2 kinds x 3 bands
    finally:
        path.unlink(missing_ok=True)


# --- scenario comparison on the tiny study ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_siting(net):
    """One candidate on the street at x = 1500 m: it reaches 乙's 4 (476.6 s), 丙's 25 (161 s) and 丁's 15 (821 s),
    not 丁's 25 (1454.3 s): +44 elderly, 30 -> 74 of 99 within 15 min."""
    from planning.siting import SitingOptions, siting_of_study

    cands = gpd.GeoDataFrame(
        {"_row": [1], "name": ["候选地块甲"], "kinds": ["day_care"], "cost": [100.0], "beds": [np.nan]},
        geometry=[P(1500, -10)],
        crs=CRS,
    )
    study = replace(tiny_study(), candidates=cands)
    return study, siting_of_study(study, net, SitingOptions(kind="day_care", add=1))


def test_scenario_html_by_hand(tiny_siting):
    study, siting = tiny_siting
    assert siting.sites["gain_elderly"].tolist() == [44.0]
    text = scenario_html(study, siting)
    cells: list[list[str]] = []

    class Cells(html.parser.HTMLParser):
        in_cell = False

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                cells.append([])
            self.in_cell = tag in ("td", "th")

        def handle_endtag(self, tag):
            self.in_cell = False

        def handle_data(self, data):
            if self.in_cell:
                cells[-1].append(data.strip())

    Cells().feed(text)
    assert ["1", "候选地块甲", "44", "74", "74.7%"] in cells  # sites: order, name, gain, cumulative, share
    assert ["一街道", "59", "30", "59", "29", "50.8%", "100.0%", "+49.2"] in cells
    assert ["丁社区", "二街道", "40", "0", "15", "15", "0.0%", "37.5%", "+37.5"] in cells
    assert "30 → 74" in text and "<svg" in text and "<script" not in text


def test_scenario_png_without_a_chinese_font_falls_back_to_english(tiny_siting, monkeypatch):
    from PIL import Image

    from planning.report import scenario_figure

    study, siting = tiny_siting
    monkeypatch.setattr(scenario_figure, "cjk_font", lambda: None)
    assert scenario_figure.figure_lang("zh") == ("en", None)
    png = scenario_figure.scenario_png(study, siting, lang="zh", dpi=60)
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.size == (992, 701)  # A4 landscape (16.54 x 11.69 in) at 60 dpi


def test_workbook_and_geopackage_carry_the_siting(tiny_siting, net, tmp_path):
    study, siting = tiny_siting
    cov = coverage_of_study(study, net)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(study, cov, None, siting)))
    ws = wb["选址结果（日间照料中心）"]
    head = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[head.index("新增覆盖老年人（人）")] == 44 and row[head.index("累计覆盖老年人（人）")] == 74
    assert ws.cell(2, head.index("累计覆盖率（%）") + 1).number_format == "0.0%"
    ba = {r[0]: r for r in wb["选址前后（社区）"].iter_rows(min_row=2, values_only=True)}
    assert ba["乙社区"][3:7] == (4, 0, 4, 4)  # elderly, before, after, gain
    path = tmp_path / "layers.gpkg"
    path.write_bytes(layers_gpkg_bytes(study, cov, None, siting))
    sites = pyogrio.read_dataframe(path, layer="siting_sites")
    assert sites["name"].tolist() == ["候选地块甲"] and sites["gain_elderly"].tolist() == [44.0]
    comm = pyogrio.read_dataframe(path, layer="siting_communities")
    assert comm["gain"].tolist() == [0.0, 4.0, 25.0, 15.0]


# --- the report folder ------------------------------------------------------------------------------------------


def test_report_folder_rules(tmp_path, net):
    study = tiny_study()
    with pytest.raises(NetworkError, match="no walking network"):
        write_report(report_inputs(study, None), tmp_path / "a")
    with pytest.raises(OptionError, match="at least 1"):
        write_report(report_inputs(study, net, ReportOptions(k_anon=0)), tmp_path / "b")
    empty = replace(study, facilities=study.facilities.iloc[:0])
    with pytest.raises(StudyError, match="no usable facility"):
        write_report(report_inputs(empty, net), tmp_path / "c")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(OptionError, match=r"not empty .*--force"):
        write_report(report_inputs(study, net), busy)
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(OptionError, match="is a file"):
        prepare_out_dir(a_file)
    with pytest.raises(OptionError, match="cannot be created"):
        prepare_out_dir(a_file / "sub")
    for bad in (tmp_path / "a", tmp_path / "b", tmp_path / "c"):
        assert not bad.exists()  # nothing created before the inputs were checked


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write into read-only folders"
)
def test_report_folder_not_writable(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OptionError, match="not writable"):
            prepare_out_dir(locked)
    finally:
        locked.chmod(0o700)


def test_report_force_replaces_only_report_files(tmp_path, net):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / REPORT_FILES["map"]).write_text("old map")
    (out / REPORT_FILES["scenario_png"]).write_bytes(b"stale scenario")
    # the tiny street is a straight line: no node where 3 streets meet, so no generated candidate, no scenario
    written = write_report(report_inputs(tiny_study(), net), out, force=True)
    no_scenario = [REPORT_FILES[k] for k in ("map", "print_pdf", "print_png", "workbook", "layers")]
    assert sorted(p.name for p in written) == sorted(no_scenario)
    assert sorted(p.name for p in out.iterdir()) == sorted(["keep.txt", *no_scenario])
    assert (out / "keep.txt").read_text() == "mine"
    assert "old map" not in (out / REPORT_FILES["map"]).read_text(encoding="utf-8")
    about = openpyxl.load_workbook(out / REPORT_FILES["workbook"])["说明"]
    assert any("未能生成日间照料中心的选址方案" in str(r[1]) for r in about.iter_rows(values_only=True))


def test_report_files_are_written_whole_or_not_at_all(tmp_path, net):
    """Each file goes to a temporary name and is renamed when complete: a file that cannot be written (here a
    folder is in the way of the workbook) is one sentence, the files before it are whole, nothing half-written or
    temporary is left, and the old workbook's place is untouched."""
    from geo.errors import OutputError

    out = tmp_path / "out"
    out.mkdir()
    (out / REPORT_FILES["workbook"]).mkdir()
    (out / REPORT_FILES["workbook"] / "inside.txt").write_text("mine")
    with pytest.raises(OutputError) as err:
        write_report(report_inputs(tiny_study(), net), out, force=True)
    message = str(err.value)
    assert REPORT_FILES["workbook"] in message and "\n" not in message and message.count(". ") == 0
    assert (out / REPORT_FILES["map"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    before = [
        REPORT_FILES[k] for k in ("map", "print_pdf", "print_png", "workbook")
    ]  # written before the workbook
    assert sorted(p.name for p in out.iterdir()) == sorted(before)
    assert (out / REPORT_FILES["workbook"] / "inside.txt").read_text() == "mine"


def test_personal_columns_of_the_tiny_study_stay_out_of_the_geopackage(tiny):
    """The tiny study's facilities carry ``phone`` and ``notes``: the phone column is personal by its header and
    left out; the notes hold no number and stay (they are the bureau's own; the public map never has them)."""
    from planning.report import personal_notes

    study, cov, circles = tiny
    data = layers_gpkg_bytes(study, cov, circles)
    assert b"138-0000-1234" not in data and b"139-1111-5678" not in data
    assert [(n.layer, n.column, n.reason) for n in personal_notes(study)] == [
        ("facilities", "phone", "phone")
    ]


# --- the demo, end to end ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    if not (DEMO / "study.toml").is_file():
        pytest.skip("data/demo is missing; run python -m planning.demo")
    from planning.coverage import network_for_study
    from planning.study import load_study

    study = load_study(DEMO)
    network = network_for_study(study)
    out = tmp_path_factory.mktemp("report")
    written = write_report(report_inputs(study, network), out / "demo")
    return study, out / "demo", written


def test_demo_report_writes_every_file(demo_report):
    _, out, written = demo_report
    assert sorted(p.name for p in written) == sorted(REPORT_FILES.values())
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES.values())


def test_demo_public_map_passes_the_privacy_test(demo_report):
    study, out, _ = demo_report
    text = (out / REPORT_FILES["map"]).read_text(encoding="utf-8")
    payloads = check_privacy(
        text,
        k=10,
        demand_lonlat=lonlat(study.population),
        facility_names=set(study.facilities["name"]),
        circles_too=False,
    )
    names = {p["name"] for p in layer_of(payloads, "name") if "street" in p and "elderly" in p}
    assert names == set(study.communities["name"])
    assert external_assets(text) == []
    assert "示范区（合成数据） 养老服务设施步行覆盖图" in text and "2026-11" in text and "合成数据" in text
    assert "tile.openstreetmap.org" not in text  # synthetic: no tiles


def test_demo_workbook(demo_report):
    _, out, _ = demo_report
    wb = openpyxl.load_workbook(out / REPORT_FILES["workbook"])
    for sheet in (
        "说明",
        "覆盖率汇总",
        "社区覆盖率",
        "街道覆盖率",
        "标准核查",
        "选址结果（日间照料中心）",
        "覆盖曲线",
        "选址前后（社区）",
        "选址前后（街道）",
    ):
        assert sheet in wb.sheetnames, sheet
    check = wb["标准核查"]
    head = [c.value for c in check[1]]
    rows = list(check.iter_rows(min_row=2, values_only=True))
    cite = head.index("依据")
    assert rows and all(r[cite] for r in rows)
    verdicts = {r[head.index("结论")] for r in rows}
    # 提示 (advisory): lines that inform, never judge (existing institutions beside a health centre, asked of new
    # builds, 宜春 二(四)12; the stricter day-care reading; meal points beside the service circle)
    assert verdicts <= {"达标", "不达标", "无法评估", "取决于估算", "提示"} and "不达标" in verdicts
    land = [r for r in rows if r[0] == "land_per_resident_m2" and r[head.index("评估对象")] == "老城街道"]
    assert land and isinstance(land[0][head.index("数值（按单位）")], float)
    sites = wb["选址结果（日间照料中心）"]
    sh = [c.value for c in sites[1]]
    srows = list(sites.iter_rows(min_row=2, values_only=True))
    assert [r[sh.index("顺序")] for r in srows] == [1, 2, 3]
    gains = [r[sh.index("新增覆盖老年人（人）")] for r in srows]
    assert all(isinstance(g, (int, float)) and g > 0 for g in gains)
    assert gains == sorted(gains, reverse=True)  # entry order: largest marginal gain first
    cum = [r[sh.index("累计覆盖老年人（人）")] for r in srows]
    assert np.diff(cum).tolist() == pytest.approx(gains[1:])
    streets = wb["选址前后（街道）"]
    st = [c.value for c in streets[1]]
    srows = list(streets.iter_rows(min_row=2, values_only=True))
    gain_total = sum(r[st.index("增加（人）")] for r in srows)
    assert gain_total == pytest.approx(cum[-1] - (cum[0] - gains[0]))


def test_demo_scenario_uses_the_standards_screen(demo_report):
    # the demo's candidate sites 33 (16 m) and 34 (51 m, 260 m²) fail the candidate rules of the check; the report's
    # siting scenario leaves them out and says why, with the rule's citation
    _, out, _ = demo_report
    wb = openpyxl.load_workbook(out / REPORT_FILES["workbook"])
    assert "排除的候选点" in wb.sheetnames
    ex = wb["排除的候选点"]
    head = [c.value for c in ex[1]]
    rows = {r[head.index("候选点名称")]: r for r in ex.iter_rows(min_row=2, values_only=True)}
    reason = head.index("排除原因")
    assert "距高速公路/快速路仅16米" in rows["候选地块33（云锦社区）"][reason]
    assert "建筑面积260㎡，应不少于350㎡" in rows["候选地块34（张家村）"][reason]
    assert "GB 50437-2007（2018年版）4.2.1–4.2.4" in rows["候选地块33（云锦社区）"][reason]
    notes = [r for r in wb["说明"].iter_rows(values_only=True) if any("选址筛选" in str(c) for c in r)]
    assert notes and "candidate_day_care_max_floor_m2" in str(notes[0])
    # the before/after comparison says which sites were left out
    text = (out / REPORT_FILES["scenario_html"]).read_text(encoding="utf-8")
    assert (
        "2处候选地块未参与选址（不符合候选地块标准或不在路网上）：候选地块33（云锦社区）、候选地块34（张家村）"
        in text
    )
    # and lists each with its reason
    assert "<h2>未参与选址的候选地块</h2>" in text
    section = text.split("<h2>未参与选址的候选地块</h2>", 1)[1].split("<h2>", 1)[0]
    assert "候选地块33（云锦社区）" in section and "距高速公路/快速路仅16米，不足100米" in section


def test_demo_geopackage(demo_report):
    _, out, _ = demo_report
    path = out / REPORT_FILES["layers"]
    names = [n for n, _ in pyogrio.list_layers(path)]
    for layer in (
        "service_circles",
        "communities_coverage",
        "streets_coverage",
        "facilities",
        "uncovered_day_care",
        "siting_sites",
        "siting_candidates",
        "siting_communities",
    ):
        assert layer in names, layer
    sites = pyogrio.read_dataframe(path, layer="siting_sites")
    assert sites["order"].tolist() == [1, 2, 3] and (sites["gain_elderly"] > 0).all()
    circles = pyogrio.read_dataframe(path, layer="service_circles")
    assert {"kind", "band_min"} <= set(circles.columns) and set(circles["band_min"]) == {5, 10, 15}


def test_demo_scenario_html_and_png(demo_report):
    study, out, _ = demo_report
    text = (out / REPORT_FILES["scenario_html"]).read_text(encoding="utf-8")

    class Tables(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.svg = [], 0

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append(0)
            elif tag == "tr" and self.tables:
                self.tables[-1] += 1
            elif tag == "svg":
                self.svg += 1

    parser = Tables()
    parser.feed(text)
    n_streets = study.communities["street"].nunique()
    assert parser.svg == 1  # the two maps side by side, one figure
    # sites, the 2 candidate sites the standards screen left out, streets, communities
    assert parser.tables == [1 + 3, 1 + 2, 1 + n_streets, 1 + len(study.communities)]
    assert "选址前" in text and "选址后" in text and "<script" not in text
    png = (out / REPORT_FILES["scenario_png"]).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        assert img.size[0] > img.size[1] > 1000  # A4 landscape at 150 dpi


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux procfs")
def test_report_folder_not_writable_even_for_root():
    # procfs refuses new files to every user, root included (CI runs as root, where chmod does not bite)
    with pytest.raises(OptionError, match=r"output folder /proc is not writable"):
        prepare_out_dir("/proc", force=True)


def test_public_map_grid_classes_have_no_empty_class_and_the_legend_folds(tiny):
    study, cov, circles = tiny
    text = public_map_html(study, cov, circles, k_anon=10, grid_m=100)
    legend = text[text.index("<details id='eldercircle-legend' open") :]
    legend = legend[: legend.index("</details>")]
    # the grid holds 15, 25 and 25: naive quartiles gave 10–19, 20–24 (empty) and ≥ 25
    assert "10–24</div>" in legend and "25</div>" in legend and "20–24" not in legend
    assert '"collapsed": true' in text
    assert "L.control.scale({imperial: false" in text
    assert "Math.min(300, 0.3 * " in text and "paddingTopLeft" in text  # framed beside the legend


def _community_fill(text: str) -> dict[str, str]:
    """The fill colour of each community (ids c0..c3) in folium's styler (features grouped by style, the
    commonest as the default)."""
    body = re.search(
        r'switch\(feature\.id\) \{(.*?)default:\s*return \{[^}]*"fillColor": "(#\w+)"', text, re.S
    )
    assert body is not None
    fill = dict.fromkeys(("c0", "c1", "c2", "c3"), body.group(2))
    for cases, colour in re.findall(
        r'((?:case "c\d+":\s*)+)return \{[^}]*"fillColor": "(#\w+)"', body.group(1)
    ):
        fill.update(dict.fromkeys(re.findall(r"c\d+", cases), colour))
    return fill


def test_public_map_shades_villages_neutral_for_day_care(tiny):
    """Villages are not painted by day care (an urban target) but by their own: a rural mutual-aid facility inside
    or not, the target (the preset's share of villages) and its citation in the legend."""
    from planning.maps.carto import VILLAGE_LACKS_STYLE
    from planning.report.map_legend import SUPPRESSED_COLOUR, share_colour

    study, cov, circles = tiny
    plain = public_map_html(study, cov, circles, k_anon=1, grid_m=100, lang="zh")
    assert "行政村" not in plain and VILLAGE_LACKS_STYLE["fillColor"] not in plain
    # 丁社区 (40 elderly, none within reach of day care) as a village without mutual aid: not red, its own style
    comm = cov.communities.assign(kind=np.where(cov.communities["name"] == "丁社区", "rural", "urban"))
    text = public_map_html(study, replace(cov, communities=comm), circles, k_anon=1, grid_m=100, lang="zh")
    assert "尚无农村互助养老服务设施的行政村" in text
    assert "60%以上的行政村建有农村互助养老服务设施（建标〔2014〕23号），现有 0/1 个" in text
    assert _community_fill(plain)["c3"] == share_colour(0.0)  # 丁: nobody within reach of day care
    assert _community_fill(text)["c3"] == VILLAGE_LACKS_STYLE["fillColor"]
    assert _community_fill(text)["c0"] == _community_fill(plain)["c0"]
    assert SUPPRESSED_COLOUR in text
    en = public_map_html(study, replace(cov, communities=comm), circles, k_anon=1, grid_m=100, lang="en")
    assert "Villages by their own target: 60% or more" in en
