"""Expressways and their junctions read from OSM XML: a hand-built file, and one real extract."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.errors import NetworkError
from geo.roads import distance_to_roads, is_osm_xml, major_roads_from_osm
from tests.conftest import osm_extract

# A motorway 1-2-3 along 28.45N, a ramp from node 2 (on the motorway) to node 4 where it meets a residential
# street 4-5; node 2 is tagged motorway_junction. A trunk road 6-7 far away, not touching anything.
OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="28.4500" lon="118.0000"/>
  <node id="2" lat="28.4500" lon="118.0100"><tag k="highway" v="motorway_junction"/><tag k="name" v="东出口"/></node>
  <node id="3" lat="28.4500" lon="118.0200"/>
  <node id="4" lat="28.4550" lon="118.0120"/>
  <node id="5" lat="28.4600" lon="118.0120"/>
  <node id="6" lat="28.4700" lon="118.0000"/>
  <node id="7" lat="28.4700" lon="118.0100"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="motorway"/><tag k="name" v="沪昆高速"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><tag k="highway" v="motorway_link"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/><tag k="highway" v="residential"/></way>
  <way id="13"><nd ref="6"/><nd ref="7"/><tag k="highway" v="trunk"/></way>
</osm>
"""

NO_EXPRESSWAY = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="28.45" lon="118.00"/>
  <node id="2" lat="28.45" lon="118.01"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
</osm>
"""


def test_is_osm_xml():
    assert is_osm_xml("a/streets.osm") and is_osm_xml("x.OSM.bz2")
    assert not is_osm_xml("x.osm.pbf") and not is_osm_xml("x.graphml") and not is_osm_xml(None)


def test_expressways_and_junctions_from_a_hand_built_file(tmp_path):
    path = tmp_path / "roads.osm"
    path.write_text(OSM, encoding="utf-8")
    roads = major_roads_from_osm(path, crs=32650)
    assert roads.crs.to_epsg() == 32650
    ways = roads[roads["role"] == "road"].sort_values("osm_id")
    assert list(ways["osm_id"]) == [10, 11, 13]
    assert list(ways["highway"]) == ["motorway", "motorway_link", "trunk"]
    assert ways["name"].iloc[0] == "沪昆高速"
    junctions = roads[roads["role"] == "junction"]
    # node 2 (tagged) and the ramp's free end at node 4; the ramp end at node 2 touches the motorway
    assert sorted(junctions["highway"]) == ["motorway_junction", "motorway_link"]
    ramp_end = junctions[junctions["highway"] == "motorway_link"].geometry.iloc[0]
    node4 = (
        major_roads_from_osm(path).query("highway == 'motorway_link' and role == 'junction'").geometry.iloc[0]
    )
    assert (node4.x, node4.y) == pytest.approx((118.012, 28.455))
    # distances in metres: a point on node 4 is 0 m from a junction
    d = distance_to_roads(np.array([ramp_end]), roads, role="junction")
    assert d[0] == pytest.approx(0.0, abs=1e-6)


def test_file_without_expressways_gives_an_empty_frame(tmp_path):
    path = tmp_path / "local.osm"
    path.write_text(NO_EXPRESSWAY, encoding="utf-8")
    roads = major_roads_from_osm(path, crs=32650)
    assert len(roads) == 0 and {"highway", "role"} <= set(roads.columns)
    assert np.isinf(distance_to_roads(np.array([shapely.Point(0, 0)]), roads, role="road")).all()


def test_bad_files_raise_network_error(tmp_path):
    with pytest.raises(NetworkError, match="does not exist"):
        major_roads_from_osm(tmp_path / "missing.osm")
    (tmp_path / "x.osm.pbf").write_bytes(b"\x00")
    with pytest.raises(NetworkError, match="not an OSM XML file"):
        major_roads_from_osm(tmp_path / "x.osm.pbf")
    (tmp_path / "broken.osm").write_text("<osm><node", encoding="utf-8")
    with pytest.raises(NetworkError, match="could not read expressways"):
        major_roads_from_osm(tmp_path / "broken.osm")


def test_real_extract_shenzhen():
    roads = major_roads_from_osm(osm_extract("shenzhen"), crs=32650)
    counts = roads.groupby(["role", "highway"]).size().to_dict()
    # counted in the file: 38 motorway, 31 motorway_link, 4 trunk, 10 trunk_link ways; 12 motorway_junction nodes
    assert counts[("road", "motorway")] == 38 and counts[("road", "motorway_link")] == 31
    assert counts[("road", "trunk")] == 4 and counts[("road", "trunk_link")] == 10
    assert counts[("junction", "motorway_junction")] == 12
    assert counts.get(("junction", "motorway_link"), 0) + counts.get(("junction", "trunk_link"), 0) > 0
