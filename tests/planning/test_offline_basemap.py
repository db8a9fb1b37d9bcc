"""The offline basemap on the web maps (planning/maps/offline.py): what is written into the page (hand-made streets
whose encoding, merging and label angles are checked on paper), when ``auto`` chooses it, its pane, layers and
credit in the HTML, hostile names kept inert, and a study whose OSM file cannot be read."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from geo.basemap import basemap_from_network, basemap_from_osm
from geo.network import network_from_source
from planning.maps import (
    BASEMAPS,
    LeafletMap,
    add_offline_basemap,
    base_map,
    has_basemap,
    offline_data,
    resolve_basemap,
    script_json,
    standalone_html,
)
from planning.maps.offline import GRID_DEG, LABEL_PANE, PANE
from planning.study import NetworkSettings
from tests.studies import frames_study

CRS = pyproj.CRS.from_epsg(32650)
HOSTILE_HTML = "<img src=x onerror=alert(1)>"
HOSTILE_TEMPLATE = "{{ 7*7 }}"

# nodes on a 0.001-degree grid at 117.0 E, 28.0 N (about 98 m east-west, 111 m north-south)
_NODES = {i: (117.0 + 0.001 * (i % 10), 28.0 + 0.001 * (i // 10)) for i in range(0, 40)}
_WAYS = [
    # one named primary street in two ways that meet at node 2: merged into one line
    (101, [0, 1, 2], {"highway": "primary", "name": "建设路"}),
    (102, [2, 3, 4], {"highway": "primary", "name": "建设路"}),
    # a residential street running north (label turned by 90 degrees)
    (103, [6, 16, 26, 36], {"highway": "residential", "name": HOSTILE_HTML}),
    (104, [8, 18, 28], {"highway": "residential", "name": HOSTILE_TEMPLATE}),
    (105, [11, 12, 13], {"highway": "footway"}),
    (106, [31, 32, 33, 34], {"railway": "rail"}),
    (107, [20, 21, 31, 30, 20], {"natural": "water", "name": "东湖"}),
]


def _osm(path: Path) -> Path:
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='test'>"]
    lines += [
        f"<node id='{i + 1}' version='1' lat='{lat:.6f}' lon='{lon:.6f}'/>"
        for i, (lon, lat) in _NODES.items()
    ]
    lines.append("<node id='500' version='1' lat='28.0015' lon='117.0025'><tag k='place' v='suburb'/>")
    lines.append("<tag k='name' v='翠苑'/></node>")
    for wid, refs, tags in _WAYS:
        lines.append(f"<way id='{wid}' version='1'>")
        lines += [f"<nd ref='{r + 1}'/>" for r in refs]
        lines += [
            f"<tag k='{k}' v='{v.replace('<', '&lt;').replace('>', '&gt;')}'/>" for k, v in tags.items()
        ]
        lines.append("</way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _decode(flat: list[int]) -> np.ndarray:
    """The lon/lat points of an encoded line (as the page's script decodes it)."""
    latlon = np.cumsum(np.asarray(flat, dtype=float).reshape(-1, 2), axis=0) * GRID_DEG
    return latlon[:, ::-1]


@pytest.fixture
def town(tmp_path: Path) -> Path:
    return _osm(tmp_path / "town.osm")


def _study(source: str | None, *, synthetic: bool = True):
    box = gpd.GeoSeries([shapely.box(117.0, 28.0, 117.009, 28.003)], crs=4326).to_crs(CRS)
    comm = gpd.GeoDataFrame(
        {"name": ["甲社区"], "street": ["一街道"], "elderly": [10.0], "population": [50.0]},
        geometry=box.to_numpy(),
        crs=CRS,
    )
    fac = gpd.GeoDataFrame({"name": ["甲"], "kind": ["day_care"]}, geometry=[box.iloc[0].centroid], crs=CRS)
    return frames_study(comm, fac, synthetic=synthetic, network=NetworkSettings(source=source))


def test_the_page_data_hold_the_streets_merged_and_rounded_to_a_metre(town):
    data = offline_data(basemap_from_osm(town, crs=CRS))
    ranks = {row[0]: row for row in data["roads"]}
    assert sorted(ranks) == [1, 2, 3]  # primary, residential, footway
    assert ranks[1][1] == 0 and ranks[2][1] == 13 and ranks[3][1] == 15  # the zoom each rank shows from
    (primary,) = ranks[1][2]  # the two ways of 建设路 merged into one line
    pts = _decode(primary)
    # straight along 28.0 N: simplified to its two ends, 117.000 and 117.004
    assert pts.ravel().tolist() == pytest.approx([117.0, 28.0, 117.004, 28.0], abs=1.5e-5)
    assert len(ranks[2][2]) == 2  # the two residential streets: two names, two lines
    assert len(data["rail"]) == 1 and len(data["water"]) == 1 and data["green"] == []
    ring = _decode(data["water"][0][0][0])
    assert ring.min(axis=0).tolist() == pytest.approx([117.0, 28.002], abs=1.5e-5)
    assert ring.max(axis=0).tolist() == pytest.approx([117.001, 28.003], abs=1.5e-5)
    assert data["places"] == [[28.0015, 117.0025, 1, "翠苑"]]
    assert data["attribution"] == "© OpenStreetMap 贡献者"
    assert (
        offline_data(basemap_from_osm(town, crs=CRS), lang="en")["attribution"]
        == "© OpenStreetMap contributors"
    )


def test_street_names_sit_at_the_middle_of_each_street_turned_along_it(town):
    labels = {row[4]: row for row in offline_data(basemap_from_osm(town, crs=CRS))["streets"]}
    assert set(labels) == {"建设路", HOSTILE_HTML, HOSTILE_TEMPLATE}
    lat, lon, angle, length, _name = labels["建设路"]
    assert (lat, lon) == pytest.approx((28.0, 117.002), abs=2e-5) and angle == pytest.approx(0, abs=1)
    assert length == pytest.approx(4 * 98.2, rel=0.02)
    # 117.006 from 28.000 to 28.003 northwards: the middle at 28.0015, the text turned a quarter (never upside down)
    lat, lon, angle, length, _name = labels[HOSTILE_HTML]
    assert (lat, lon) == pytest.approx((28.0015, 117.006), abs=2e-5) and abs(angle) == pytest.approx(
        90, abs=1
    )
    assert length == pytest.approx(3 * 110.9, rel=0.02)
    assert list(labels) == ["建设路", HOSTILE_HTML, HOSTILE_TEMPLATE]  # the longest streets first


def test_auto_is_the_offline_basemap_with_an_osm_file_or_a_network_and_none_without(town, tmp_path):
    assert BASEMAPS[0] == "offline"
    with_osm, without = _study(str(town)), _study(None)
    assert (
        has_basemap(with_osm) and resolve_basemap(with_osm) == resolve_basemap(with_osm, "auto") == "offline"
    )
    assert not has_basemap(without) and resolve_basemap(without) == "none"
    assert resolve_basemap(_study(str(town), synthetic=False), None) == "offline"  # real studies too
    assert resolve_basemap(_study(str(tmp_path / "lines.gpkg#roads")), "auto") == "none"
    net = network_from_source(town, crs=CRS)
    assert resolve_basemap(without, "auto", network=net) == "offline"
    assert resolve_basemap(with_osm, "osm") == "osm"  # online tiles stay a choice


def test_the_map_html_has_the_pane_the_layers_and_the_credit(town, own_cache):
    study = _study(str(town))
    page = standalone_html(base_map(study))
    assert f"map.createPane('{PANE}')" in page and f"map.createPane('{LABEL_PANE}')" in page
    assert "pane.style.zIndex = 250" in page  # under the overlay pane (400): the data are drawn over it
    assert "L.canvas(" in page and '"roads":[[3,15,' in page and '"rail":[[' in page
    assert "© OpenStreetMap 贡献者" in page and "https://" not in page.split("<body>", 1)[1].replace(
        "https://leafletjs.com", ""
    )
    en = standalone_html(base_map(study, lang="en"))
    assert "© OpenStreetMap contributors" in en
    none = standalone_html(base_map(study, basemap="none"))
    assert PANE not in none and "OpenStreetMap" not in none
    # a study without an OSM file: the network's streets, credited to the study
    net = network_from_source(town, crs=CRS)
    lines = base_map(_study(None), network=net, lang="en").get_root().render()
    assert PANE in lines and "Basemap: the study\\u0026#x27;s street network" in lines


def test_hostile_street_names_are_written_escaped_and_never_evaluated(town):
    fmap = LeafletMap(tiles=None)
    add_offline_basemap(fmap, basemap_from_osm(town, crs=CRS))
    page = fmap.get_root().render()
    assert "<img src=x" not in page and "onerror=alert(1)\\u003e" in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert HOSTILE_TEMPLATE in page and "textContent = String(text)" in page
    assert ".innerHTML" not in page.split("(function (map, data, st)", 1)[1].split("</script>", 1)[0]
    # nothing in a name ends the script or the JSON string
    assert script_json(["</script><script>alert(1)</script>", "a\u2028b", "&amp;"]) == (
        '["\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e","a\\u2028b","\\u0026amp;"]'
    )


def test_a_study_whose_osm_file_cannot_be_read_gets_its_map_and_the_reason(tmp_path, own_cache):
    broken = tmp_path / "broken.osm"
    broken.write_text("<?xml version='1.0'?><osm version='0.6'><node id='1' lat='x'", encoding="utf-8")
    said: list = []
    fmap = base_map(_study(str(broken)), progress=lambda f, m: said.append(m))
    page = fmap.get_root().render()
    assert PANE not in page and "L.map(" in page  # the map, without a basemap
    assert len(said) == 1 and "broken.osm" in str(said[0])


def test_a_network_basemap_is_drawn_with_its_streets(town):
    net = network_from_source(town, crs=CRS)
    data = offline_data(basemap_from_network(net), lang="zh")
    assert [row[0] for row in data["roads"]] == [2] and data["attribution"] == "底图：本研究路网"
    assert re.fullmatch(r"[0-9, \-\[\]]+", str(data["roads"][0][2])) is not None
