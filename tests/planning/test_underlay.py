"""The study's offline basemap: its own OSM file cut to its area, or its network's streets, or none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planning.demo import DEMO_DIR
from planning.maps import BASEMAP_MARGIN_M, basemap_for_study
from planning.study import load_study


@pytest.fixture(scope="module")
def demo():
    return load_study(DEMO_DIR)


def test_the_demo_basemap_comes_from_its_osm_file_cut_to_the_study(demo):
    bm = basemap_for_study(demo)
    assert bm is not None and bm.from_osm and bm.source == "streets.osm" and bm.crs == demo.crs
    assert len(bm.roads) > 1000 and set(bm.water["name"]) == {"青溪河", "东湖"} and len(bm.rail) > 0
    minx, miny, maxx, maxy = demo.communities.total_bounds
    bx0, by0, bx1, by1 = bm.roads.total_bounds
    m = BASEMAP_MARGIN_M + 1e-6
    assert bx0 >= minx - m and by0 >= miny - m and bx1 <= maxx + m and by1 <= maxy + m


def test_an_unreadable_osm_file_leaves_the_network_streets_and_says_why(demo, tmp_path):
    bad = tmp_path / "streets.osm"
    bad.write_text("<osm><way id='1'><nd ref=", encoding="utf-8")
    study = replace(demo, folder=tmp_path, network=replace(demo.network, source="streets.osm"))
    said: list = []
    assert basemap_for_study(study, progress=lambda f, m: said.append(m)) is None
    assert said and "streets.osm" in str(said[0])
