"""Places people can find: generated candidate sites named by the nearest street and their community, and
facilities on a piece of the network cut off from the rest named in the notes (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo.network import network_from_lines
from geo.travel import snap_points
from planning.coverage import coverage_of_study, fragment_facilities
from planning.i18n import say, tr
from planning.siting import SitingOptions, sites_table, siting_of_study, siting_table
from planning.siting.candidates import (
    community_names,
    generated_site_names,
    nearest_street_names,
    site_name,
)
from tests.studies import frames_study

CRS = "EPSG:32650"


def _cross():
    """建设路 runs east-west through (200, 0) in two 200 m segments; 解放路 runs north-south through it in four
    100 m segments; a nameless lane runs from (400, 0) to (400, 100)."""
    lines = [
        shapely.LineString([(0, 0), (200, 0)]),
        shapely.LineString([(200, 0), (400, 0)]),
        *(shapely.LineString([(200, y), (200, y + 100)]) for y in (-200, -100, 0, 100)),
        shapely.LineString([(400, 0), (400, 100)]),
    ]
    names = ["建设路", "建设路", "解放路", "解放路", "解放路", "解放路", None]
    return network_from_lines(lines, crs=CRS, names=names)


def _communities():
    crs = pyproj.CRS.from_user_input(CRS)
    return gpd.GeoDataFrame(
        {"name": ["翠苑社区", "东村"]},
        geometry=[shapely.box(0, -300, 300, 300), shapely.box(300, -300, 1000, 300)],
        crs=crs,
    )


def test_network_keeps_street_names_per_edge():
    net = _cross()
    assert net.edge_name.tolist() == ["建设路", "建设路", "解放路", "解放路", "解放路", "解放路", ""]
    assert net.with_speed(0.8).edge_name is net.edge_name
    assert network_from_lines([shapely.LineString([(0, 0), (1, 0)])], crs=CRS).edge_name is None


def test_nearest_named_street_by_hand():
    net = _cross()
    xy = np.array(
        [[200.0, 0.0], [200.0, 150.0], [100.0, 30.0], [400.0, 100.0], [350.0, 200.0], [900.0, 900.0]]
    )
    # the crossing: 建设路's 200 m segment beats 解放路's 100 m ones; (100, 30) is 30 m from 建设路, 100 m from 解放路;
    # the lane's end (400, 100) is 100 m from 建设路 (the lane has no name); (350, 200) is 150 m from 解放路's end
    # (200, 200) and 200 m from 建设路; (900, 900) has no named street within 200 m
    assert nearest_street_names(net, xy) == ["建设路", "解放路", "建设路", "建设路", "解放路", ""]
    assert nearest_street_names(net, xy, reach_m=140.0)[4] == ""
    unnamed = network_from_lines([shapely.LineString([(0, 0), (1, 0)])], crs=CRS)
    assert nearest_street_names(unnamed, xy[:2]) == ["", ""]


def test_community_of_each_point():
    xy = np.array([[100.0, 0.0], [500.0, 0.0], [300.0, 0.0], [2000.0, 0.0]])
    # (300, 0) lies on the shared border: the first community by row order names it
    assert community_names(_communities(), xy) == ["翠苑社区", "东村", "翠苑社区", ""]
    assert community_names(None, xy) == ["", "", "", ""]


def test_generated_site_names_in_both_languages_and_back():
    xy = np.array([[200.0, 0.0], [900.0, 290.0], [2000.0, 0.0], [200.0, 100.0]])
    names = generated_site_names(_cross(), xy, _communities())
    assert names == [
        ("by 建设路 (翠苑社区) · generated site 1", "建设路旁（翠苑社区）· 生成候选点1"),
        ("东村 · generated site 2", "东村 · 生成候选点2"),
        ("generated site 3", "生成候选点3"),
        ("by 解放路 (翠苑社区) · generated site 4", "解放路旁（翠苑社区）· 生成候选点4"),
    ]
    names_no_comm = generated_site_names(_cross(), xy[:1], None)
    assert names_no_comm == [("by 建设路 · generated site 1", "建设路旁 · 生成候选点1")]
    for en, zh in [*names, *names_no_comm]:
        assert site_name(en, "zh") == zh
        assert site_name(en, "en") == en
    assert site_name("Old people's home (east)", "zh") == "Old people's home (east)"


def _named_grid(n: int = 11, spacing: float = 50.0):
    """A 500 m grid: east-west streets named 横0路 … 横10路 by row, north-south streets unnamed."""
    lines, names = [], []
    for i in range(n):
        for j in range(n - 1):
            lines.append(shapely.LineString([(j * spacing, i * spacing), ((j + 1) * spacing, i * spacing)]))
            names.append(f"横{i}路")
            lines.append(shapely.LineString([(i * spacing, j * spacing), (i * spacing, (j + 1) * spacing)]))
            names.append("")
    return network_from_lines(lines, crs=CRS, names=names)


def _grid_study():
    crs = pyproj.CRS.from_user_input(CRS)
    comm = gpd.GeoDataFrame(
        {
            "name": ["网格社区"],
            "street": ["网格街道"],
            "population": [1000.0],
            "elderly": [100.0],
            "kind": ["urban"],
            "built": ["existing"],
        },
        geometry=[shapely.box(0, 0, 500, 500)],
        crs=crs,
    )
    fac = gpd.GeoDataFrame({"name": [], "kind": [], "beds": []}, geometry=[], crs=crs)
    return frames_study(comm, fac, folder=Path("/tmp/grid"), name="grid", name_en="grid", crs=crs)


def test_siting_names_generated_sites_by_street_and_community():
    res = siting_of_study(_grid_study(), _named_grid(), SitingOptions(kind="day_care", add=1, minutes=5))
    assert res.generated
    for name, (_, y) in zip(
        res.candidates["name"], shapely.get_coordinates(res.candidates.geometry), strict=True
    ):
        m = re.fullmatch(r"by 横(\d+)路 \(网格社区\) · generated site \d+", name)
        assert m and int(m.group(1)) * 50.0 == y, name  # every generated site is a node on its row's street
    text = siting_table(res, lang="zh")
    assert re.search(r"横\d+路旁（网格社区）· 生成候选点\d+", text), text
    assert "generated site" not in text and "street node" not in text
    zh_sites = sites_table(res, "zh")[tr("site", "zh")].tolist()
    assert zh_sites and all(re.fullmatch(r"横\d+路旁（网格社区）· 生成候选点\d+", n) for n in zh_sites), (
        zh_sites
    )
    assert sites_table(res, "en")[tr("site", "en")].tolist() == res.sites["name"].tolist()


def _fragment_study(facilities):
    crs = pyproj.CRS.from_user_input(CRS)
    comm = gpd.GeoDataFrame(
        {
            "name": ["西区", "东区"],
            "street": ["河西", "河东"],
            "population": [5000.0, 5000.0],
            "elderly": [3.0, 3.0],
            "kind": ["urban", "urban"],
            "built": ["existing", "existing"],
        },
        geometry=[shapely.box(0, -100, 1000, 100), shapely.box(1000, -100, 3000, 100)],
        crs=crs,
    )
    xs = [400.0, 750.0, 850.0, 1150.0, 1250.0, 1600.0]
    pop = gpd.GeoDataFrame(
        {"elderly": [1.0] * 6, "population": [10.0] * 6, "id": [f"p{i}" for i in range(6)]},
        geometry=shapely.points(np.column_stack([xs, np.zeros(6)])),
        crs=crs,
    )
    fac = gpd.GeoDataFrame(
        {"name": [f[0] for f in facilities], "kind": [f[1] for f in facilities], "beds": np.nan},
        geometry=[shapely.Point(f[2], f[3]) for f in facilities],
        crs=crs,
    )
    cand = gpd.GeoDataFrame(
        {
            "name": ["甲地块"],
            "kinds": ["day_care"],
            "cost": [1.0],
            "beds": [40.0],
            "floor_area_m2": np.nan,
            "land_area_m2": np.nan,
            "_row": [2],
        },
        geometry=[shapely.Point(1000.0, 0.0)],
        crs=crs,
    )
    return frames_study(comm, fac, folder=Path("/tmp/frag"), crs=crs, population=pop, candidates=cand)


def _two_pieces():
    """The main street: 30 segments of 100 m along y = 0 (31 nodes); a 200 m lane along y = 60 from x = 500 to 700
    (2 nodes) touching nothing."""
    lines = [shapely.LineString([(x, 0), (x + 100, 0)]) for x in range(0, 3000, 100)]
    lines.append(shapely.LineString([(500, 60), (700, 60)]))
    return network_from_lines(lines, crs=CRS)


def test_fragment_facilities_by_hand():
    net = _two_pieces()
    snap = snap_points(net, np.array([[600.0, 60.0], [600.0, 10.0], [1200.0, 0.0], [600.0, 900.0]]))
    # (600, 60) lies on the lane (2 nodes < 10 % of 31); (600, 10) snaps to the main street; (600, 900) is off the
    # network (not placed, reported elsewhere)
    assert fragment_facilities(net, snap).tolist() == [True, False, False, False]


def test_coverage_and_siting_name_facilities_on_a_fragment():
    study = _fragment_study([("孤岛站", "day_care", 600.0, 60.0), ("主街站", "day_care", 1200.0, 0.0)])
    cov = coverage_of_study(study, _two_pieces(), minutes=[5], kinds=["day_care"])
    zh = [n for n in cov.notes_zh if "孤岛站" in n]
    en = [n for n in cov.notes if "孤岛站" in n]
    assert zh == [
        "1 处日间照料中心位于与主路网不连通的小片路网上，只能覆盖同一片路网上的老年人，请核对其位置或补充道路：孤岛站"
    ]
    assert en and en[0].startswith("1 day_care facilities stand on small pieces of the network cut off")
    assert not any("主街站" in n for n in cov.notes_zh)
    assert not re.search(r"[A-Za-z]{2,}", zh[0].replace("孤岛站", ""))
    res = siting_of_study(study, _two_pieces(), SitingOptions(kind="day_care", add=1, minutes=5))
    assert any("孤岛站" in n and "小片路网" in n for n in res.notes_zh)


def test_fragment_note_lists_at_most_five_names_and_the_count():
    fac = [(f"岛{i}", "day_care", 510.0 + 20 * i, 60.0) for i in range(7)]
    cov = coverage_of_study(_fragment_study(fac), _two_pieces(), minutes=[5], kinds=["day_care"])
    (zh,) = [n for n in cov.notes_zh if "小片路网" in n]
    assert zh.startswith("7 处日间照料中心") and zh.endswith("：岛0、岛1、岛2、岛3、岛4等")
    (en,) = [n for n in cov.notes if "cut off" in n]
    assert en.endswith(": 岛0, 岛1, 岛2, 岛3, 岛4, …")
    assert say("note_fragment_facilities", "zh", n=1, kind="日间照料中心", names="甲").endswith("：甲")
