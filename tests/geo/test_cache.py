"""The walking-network disk cache: identical networks back, re-parsed when the source changes, never in the way."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import shapely

from geo.cache import cache_dir, cached_network, load_network, network_key, save_network
from geo.network import network_from_source
from planning.demo import DEMO_DIR
from planning.study import load_study


@pytest.fixture(scope="module")
def demo_osm(tmp_path_factory):
    """A private copy of the demo's OSM file and the demo study's CRS."""
    folder = tmp_path_factory.mktemp("osm")
    path = folder / "streets.osm"
    shutil.copy(DEMO_DIR / "streets.osm", path)
    return path, load_study(DEMO_DIR).crs


def _same(a, b) -> None:
    for name in ("node_xy", "edge_u", "edge_v", "edge_length_m", "edge_time_s", "edge_steps"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert shapely.equals_exact(a.edge_geometry, b.edge_geometry, tolerance=0).all()
    assert a.crs == b.crs and a.source == b.source and a.notes == b.notes and a.walk_speed_m_s == b.walk_speed_m_s


def test_cached_network_is_identical_to_a_fresh_parse(demo_osm, tmp_path):
    path, crs = demo_osm
    fresh = network_from_source(str(path), crs=crs, walk_speed_m_s=0.8)
    first = cached_network(str(path), crs=crs, walk_speed_m_s=0.8, folder=tmp_path)
    assert len(list(tmp_path.glob("network-*.npz"))) == 1
    again = cached_network(str(path), crs=crs, walk_speed_m_s=0.8, folder=tmp_path)
    _same(fresh, first)
    _same(fresh, again)
    # times follow the speed asked for, not the one the entry was written with
    _same(network_from_source(str(path), crs=crs, walk_speed_m_s=1.2),
          cached_network(str(path), crs=crs, walk_speed_m_s=1.2, folder=tmp_path))


def test_a_changed_source_is_parsed_again(demo_osm, tmp_path):
    path, crs = demo_osm
    key = network_key(str(path), crs=crs)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert network_key(str(path), crs=crs) != key
    assert network_key(str(path), crs=crs, include_private=True) != network_key(str(path), crs=crs)
    assert network_key(str(path), crs=4547) != network_key(str(path), crs=crs)  # CGCS2000 3-degree GK


def test_a_damaged_entry_is_rebuilt(demo_osm, tmp_path):
    path, crs = demo_osm
    cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.npz")
    entry.write_bytes(b"not a network")
    net = cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=tmp_path)
    _same(network_from_source(str(path), crs=crs, walk_speed_m_s=1.0), net)
    load_network(entry, walk_speed_m_s=1.0)  # replaced by a good entry


def test_an_unwritable_cache_folder_gives_the_network_and_a_note(demo_osm, tmp_path):
    path, crs = demo_osm
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    net = cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=blocker / "cache")
    assert net.n_nodes > 1000
    assert "could not be written" in net.notes[-1]


def test_cache_off_and_place_sources_are_not_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", "off")
    assert cache_dir() is None
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    assert network_key("place:Wudaokou, Beijing", crs=32650) is None
    assert network_key(str(tmp_path / "missing.osm"), crs=32650) is None


def test_save_and_load_a_hand_built_network(tmp_path):
    from geo.network import network_from_lines

    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (100, 50), (150, 50)])]
    net = network_from_lines(lines, crs=32650, walk_speed_m_s=1.0, steps=[False, True], source="hand")
    save_network(net, tmp_path / "n.npz")
    _same(net, load_network(tmp_path / "n.npz", walk_speed_m_s=1.0))


def test_cached_major_roads_equal_a_fresh_read(demo_osm, tmp_path):
    from geo.cache import cached_major_roads
    from geo.roads import major_roads_from_osm

    path, crs = demo_osm
    fresh = major_roads_from_osm(path, crs=crs)
    assert len(fresh) > 0 and (fresh["role"] == "junction").any()
    cached_major_roads(path, crs=crs, folder=tmp_path)
    again = cached_major_roads(path, crs=crs, folder=tmp_path)
    assert len(list(tmp_path.glob("roads-*.npz"))) == 1
    assert list(again.columns) == list(fresh.columns) and again.crs == fresh.crs
    for c in ("highway", "name", "role"):
        assert again[c].tolist() == fresh[c].tolist()
    assert again["osm_id"].astype("int64").tolist() == fresh["osm_id"].astype("int64").tolist()
    assert shapely.equals_exact(again.geometry.to_numpy(), fresh.geometry.to_numpy(), tolerance=0).all()
