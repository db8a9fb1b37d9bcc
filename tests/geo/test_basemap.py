"""The offline basemap: what is read from an OSM file (a hand-made one whose answer is known, and real extracts),
the cache giving the same basemap back, and a network's streets when there is no OSM file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from geo.basemap import ROAD_RANKS, basemap_from_network, basemap_from_osm
from geo.cache import cached_basemap
from geo.errors import NetworkError
from geo.network import network_from_source
from tests.conftest import osm_extract

CRS = pyproj.CRS.from_epsg(32650)  # UTM 50N: the hand-made file sits at 117.0 E, 28.0 N

# nodes on a 0.001-degree grid (about 100 m): a primary street (named twice, Chinese preferred), a footway, a road in
# a tunnel (left out), a railway, a stream, a closed lake, a park and a place name
_NODES = [(i, 117.0 + 0.001 * (i % 10), 28.0 + 0.001 * (i // 10)) for i in range(1, 41)]
_WAYS = [
    (101, [1, 2, 3, 4], {"highway": "primary", "name": "Jianshe Rd", "name:zh": "建设路"}),
    (102, [11, 12, 13], {"highway": "footway"}),
    (103, [21, 22], {"highway": "secondary", "tunnel": "yes", "name": "隧道"}),
    (104, [31, 32, 33, 34], {"railway": "rail", "name": "青白铁路"}),
    (105, [5, 15, 25], {"waterway": "stream", "name": "小溪"}),
    (106, [6, 7, 17, 16, 6], {"natural": "water", "name": "东湖"}),
    (107, [8, 9, 19, 18, 8], {"leisure": "park", "name": "人民公园"}),
    (108, [35, 36], {"railway": "abandoned"}),
]


def _osm_xml(path: Path) -> Path:
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='test'>"]
    lines += [f"<node id='{i}' version='1' lat='{lat:.6f}' lon='{lon:.6f}'/>" for i, lon, lat in _NODES]
    lines.append("<node id='50' version='1' lat='28.0025' lon='117.0055'><tag k='place' v='neighbourhood'/>")
    lines.append("<tag k='name' v='翠苑'/></node>")
    for wid, refs, tags in _WAYS:
        lines.append(f"<way id='{wid}' version='1'>")
        lines += [f"<nd ref='{r}'/>" for r in refs]
        lines += [f"<tag k='{k}' v='{v}'/>" for k, v in tags.items()]
        lines.append("</way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def hand_osm(tmp_path: Path) -> Path:
    return _osm_xml(tmp_path / "town.osm")


def test_a_hand_made_file_gives_each_feature_in_its_layer(hand_osm):
    bm = basemap_from_osm(hand_osm, crs=CRS)
    assert bm.crs == CRS and bm.from_osm and bm.source == "town.osm"
    assert {n: len(f) for n, f in bm.layers()} == {
        "water": 1,
        "green": 1,
        "waterways": 1,
        "rail": 1,
        "roads": 2,  # the tunnel is underground: not drawn
        "places": 1,
    }
    roads = bm.roads.sort_values("rank")
    assert list(roads["rank"]) == [ROAD_RANKS["primary"], ROAD_RANKS["footway"]] == [1, 3]
    assert list(roads["name"]) == ["建设路", ""]  # the Chinese name before the Latin one; unnamed is ""
    assert bm.water["name"].tolist() == ["东湖"] and bm.green["name"].tolist() == ["人民公园"]
    assert bm.places["name"].tolist() == ["翠苑"] and bm.places["rank"].tolist() == [2]
    # the primary street: 3 segments of 0.001 degrees of longitude at 28 N, about 98 m each
    assert bm.roads.loc[bm.roads["rank"] == 1].length.iloc[0] == pytest.approx(3 * 98.2, rel=0.01)
    # the lake: 0.001 x 0.001 degrees, about 98 m x 111 m
    assert bm.water.area.iloc[0] == pytest.approx(98.2 * 110.9, rel=0.02)


def test_pbf_reads_the_same_as_xml(hand_osm, tmp_path):
    import osmium

    pbf = tmp_path / "town.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(hand_osm)):
            writer.add(obj)
    a, b = basemap_from_osm(hand_osm, crs=CRS), basemap_from_osm(pbf, crs=CRS)
    for (name, x), (_n, y) in zip(a.layers(), b.layers(), strict=True):
        assert len(x) == len(y), name
        assert shapely.equals_exact(x.geometry.to_numpy(), y.geometry.to_numpy(), tolerance=0.01).all(), name


def test_clipping_keeps_only_what_meets_the_box(hand_osm):
    bm = basemap_from_osm(hand_osm, crs=CRS)
    x0, y0, x1, y1 = bm.roads.loc[bm.roads["rank"] == 1].total_bounds
    cut = bm.clipped((x0 - 1, y0 - 1, (x0 + x1) / 2, y1 + 1))
    assert len(cut.roads) == 1 and cut.roads.length.iloc[0] == pytest.approx((x1 - x0) / 2, rel=0.02)
    assert len(cut.rail) == 0 and len(cut.water) == 0


def test_the_cache_gives_the_same_basemap_back(hand_osm, tmp_path):
    fresh = cached_basemap(hand_osm, crs=CRS, folder=tmp_path / "c")
    again = cached_basemap(hand_osm, crs=CRS, folder=tmp_path / "c")
    assert list((tmp_path / "c").glob("basemap-*"))
    for (name, x), (_n, y) in zip(fresh.layers(), again.layers(), strict=True):
        assert list(x.columns) == list(y.columns), name
        assert shapely.equals_exact(x.geometry.to_numpy(), y.geometry.to_numpy(), tolerance=0).all(), name
        assert x.drop(columns="geometry").astype(str).values.tolist() == (
            y.drop(columns="geometry").astype(str).values.tolist()
        )


def test_a_damaged_cache_entry_is_rebuilt_and_said(hand_osm, tmp_path):
    cached_basemap(hand_osm, crs=CRS, folder=tmp_path / "c")
    (entry,) = (tmp_path / "c").glob("basemap-*")
    entry.write_bytes(entry.read_bytes()[:-20])
    lines: list = []
    again = cached_basemap(hand_osm, crs=CRS, folder=tmp_path / "c", progress=lambda f, m: lines.append(m))
    assert len(again.roads) == 2 and len(lines) == 1 and "basemap" in str(lines[0])


def test_a_file_that_is_not_osm_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "streets.osm"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(NetworkError, match=r"streets\.osm"):
        basemap_from_osm(bad, crs=CRS)
    with pytest.raises(NetworkError, match="does not exist"):
        basemap_from_osm(tmp_path / "missing.osm", crs=CRS)


def test_a_network_without_osm_file_gives_its_named_streets(hand_osm):
    net = network_from_source(str(hand_osm), crs=CRS)
    bm = basemap_from_network(net)
    assert not bm.from_osm and len(bm.roads) == net.n_edges and (bm.roads["rank"] == 2).all()
    assert "Jianshe Rd" in set(bm.roads["name"]) and all(len(f) == 0 for n, f in bm.layers() if n != "roads")


@pytest.mark.parametrize(
    ("extract", "place", "layers"),
    [("guixi", "贵溪市", ("rail", "water", "waterways")), ("nanjing", None, ("green", "water"))],
)
def test_real_extracts_give_streets_water_and_names(extract, place, layers):
    bm = basemap_from_osm(osm_extract(extract), crs=CRS)
    ranks = set(bm.roads["rank"])
    assert {1, 2} <= ranks and (bm.roads["name"] != "").sum() > 50
    for layer in layers:
        assert len(getattr(bm, layer)) > 0, layer
    if place:
        assert place in set(bm.places["name"])
    assert np.isfinite(bm.roads.total_bounds).all()
