"""A synthetic county of a chosen network size (:func:`planning.batch.make_county`): a complete study that loads clean
in each network format, whose network is about the size asked for, whose elder-density points sum to the
communities' figures, and which the same seed writes again byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from geo.errors import NetworkError
from geo.network import network_from_source
from planning.batch import NETWORK_FILES, make_county, make_province
from planning.batch.streets import make_streets
from planning.i18n import say
from planning.study import load_study


@pytest.mark.parametrize("fmt", sorted(NETWORK_FILES))
def test_a_county_loads_clean_in_every_network_format(tmp_path: Path, fmt: str) -> None:
    county = make_county(tmp_path / fmt, nodes=3000, seed=5, network_format=fmt)
    assert county.network_file.startswith(NETWORK_FILES[fmt])
    study = load_study(county.folder)
    assert not any(len(frame) for frame in study.rejected.values())
    assert len(study.communities) == county.communities
    assert int(study.communities.population.sum()) == county.residents
    assert len(study.facilities) == county.facilities
    assert study.candidates is not None and len(study.candidates) > 0
    assert study.population is not None
    assert int(study.population.elderly.sum()) == county.elderly
    assert int(study.population.population.sum()) == county.residents
    net = network_from_source(county.network_file, crs=study.crs, base_dir=county.folder)
    # the loader keeps the walkable network: every junction but a few cut off by the removed segments
    assert 0.95 * county.nodes <= net.n_nodes <= county.nodes


def test_the_network_has_about_the_nodes_asked_for_with_a_river_and_named_arterials() -> None:
    for nodes in (2_000, 20_000, 120_000):
        streets = make_streets(nodes, seed=1)
        assert abs(streets.node_xy.shape[0] - nodes) <= 0.02 * nodes
    streets = make_streets(20_000, seed=1)
    named = streets.name[streets.name != ""]
    assert set(streets.highway) >= {"residential", "footway", "primary", "steps"}
    assert np.all(streets.highway[streets.name != ""] == "primary")
    assert any(str(n).endswith("路") for n in named) and any(str(n).endswith("大桥") for n in named)
    assert 3 <= len({str(n) for n in streets.name[streets.bridge]}) <= 6
    assert np.all(np.diff(streets.way_start) >= 2)


def test_a_motorway_and_private_service_roads_are_there_for_the_walkable_filter_to_leave_out() -> None:
    plain = make_streets(20_000, seed=1)
    assert set(plain.access) == {""} and "motorway" not in set(
        plain.highway
    )  # by default every way is walkable
    streets = make_streets(20_000, seed=1, unwalkable=True)
    # the same streets: only the motorway's highway tag and the private roads' access tag differ
    for field in ("node_xy", "refs", "way_start", "name", "bridge"):
        assert np.array_equal(getattr(streets, field), getattr(plain, field)), field
    assert np.array_equal(streets.highway != plain.highway, streets.highway == "motorway")
    motorway = streets.highway == "motorway"
    first = streets.refs[streets.way_start[:-1]]
    second = streets.refs[streets.way_start[:-1] + 1]
    xy = streets.node_xy
    # one column on both banks of the river (so several ways), unnamed, no bridge; junctions along it stay junctions
    assert motorway.sum() >= 4 and not streets.name[motorway].any() and not streets.bridge[motorway].any()
    dx, dy = np.abs(xy[second[motorway]] - xy[first[motorway]]).T
    assert np.all(dy > dx)  # runs north-south
    assert np.ptp(xy[first[motorway], 0]) < 20.0  # one column: jitter of 4 m, column spacing 25-40 m
    private = streets.access == "private"
    assert set(streets.access) == {"", "private"} and np.all(streets.highway[private] == "service")
    assert 0.2 < private.sum() / (streets.highway == "service").sum() < 0.4


@pytest.mark.parametrize("fmt", ["pbf", "centrelines"])
def test_the_loader_leaves_out_the_motorway_and_in_osm_the_private_roads(tmp_path: Path, fmt: str) -> None:
    county = make_county(tmp_path, nodes=3000, seed=5, network_format=fmt, unwalkable=True)
    streets = make_streets(3000, seed=5, unwalkable=True)
    n_motorway = int((streets.highway == "motorway").sum())
    n_private = int((streets.access == "private").sum())
    assert n_motorway and n_private
    study = load_study(county.folder)
    net = network_from_source(county.network_file, crs=study.crs, base_dir=county.folder)
    notes = {note.code: dict(note.params) for note in net.notes}
    if fmt == "centrelines":  # a centreline layer has no access column: only the motorway is left out
        assert notes["centreline_expressways_left_out"]["n"] == n_motorway
        return
    assert notes["osm_ways_kept"]["n"] == streets.n_ways - n_motorway - n_private
    left_out = {dict(m.params)["tag"]: dict(m.params)["n"] for m in notes["osm_left_out"]["found"]}
    assert left_out == {"highway=motorway": n_motorway, "access=private": n_private}
    assert "osm_private_left_out" in notes


def test_the_same_seed_writes_the_same_county(tmp_path: Path) -> None:
    a = make_county(tmp_path / "a", nodes=2000, seed=9, network_format="osm")
    b = make_county(tmp_path / "b", nodes=2000, seed=9, network_format="osm")
    c = make_county(tmp_path / "c", nodes=2000, seed=10, network_format="osm")
    for name in ("streets.osm", "facilities.csv", "communities.geojson", "study.toml"):
        assert (a.folder / name).read_bytes() == (b.folder / name).read_bytes()
    assert (a.folder / "streets.osm").read_bytes() != (c.folder / "streets.osm").read_bytes()


def test_an_unknown_network_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown network format 'shp'"):
        make_county(tmp_path, nodes=1000, seed=1, network_format="shp")


def test_a_province_of_varied_sizes_with_a_broken_network(tmp_path: Path) -> None:
    folders = make_province(tmp_path, 4, sizes=(1500, 6000), seed=2, broken=["corrupt_osm"])
    sizes = [osmium_nodes(f / "streets.osm.pbf") for f in folders[:3]]
    assert all(1400 <= s <= 6300 for s in sizes) and len(set(sizes)) == 3
    assert "合成第01县" in (folders[0] / "study.toml").read_text(encoding="utf-8")
    study = load_study(folders[3])
    with pytest.raises(NetworkError) as err:
        network_from_source(str(study.network.source), crs=study.crs, base_dir=study.folder)
    said = say(err.value, "zh")
    assert "streets.osm.pbf" in said and re.search(r"[\u4e00-\u9fff]", said)


def osmium_nodes(path: Path) -> int:
    import osmium

    return sum(1 for _ in osmium.FileProcessor(str(path), osmium.osm.NODE))
