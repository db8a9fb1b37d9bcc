"""The fast first open of a district: OSM files read by pyosmium into arrays (the same network as osmnx's graph,
edge for edge and in the same order), and centrelines noded segment by segment (the same split points as GEOS).

The hand-drawn OSM file lies on the equator at 3°E, the central meridian of UTM zone 31, where 0.001° of latitude
is 110.53 m and 0.001° of longitude 111.27 m (see tests/geo/test_network.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from geo.network import network_components, network_from_osm
from geo.network.noding import segment_crossings
from tests.conftest import OSM_EXTRACTS

UTM31 = "EPSG:32631"
LAT_STEP_M = 110.53
LON_STEP_M = 111.27

# 1 --2-- 3 --4-- 5 ==steps== 7 ##motorway## 8
#         |
#         6 (footway)
# and an isolated footway ring 30-31-32, a building 20-21-22, a private service road 3-40.
NODES = {
    1: (3.000, 0.000),
    2: (3.001, 0.000),
    3: (3.002, 0.000),
    4: (3.003, 0.000),
    5: (3.004, 0.000),
    6: (3.002, -0.001),
    7: (3.004, 0.001),
    8: (3.004, 0.002),
    20: (3.010, 0.010),
    21: (3.011, 0.010),
    22: (3.011, 0.011),
    30: (3.020, 0.000),
    31: (3.021, 0.000),
    32: (3.021, 0.001),
    40: (3.002, 0.001),
}
WAYS = [
    (10, [1, 2, 3], {"highway": "residential", "name": "东街"}),
    (11, [3, 4, 5], {"highway": "residential", "name": "东街"}),
    (12, [3, 6], {"highway": "footway"}),
    (13, [5, 7], {"highway": "steps"}),
    (14, [7, 8], {"highway": "motorway"}),
    (15, [20, 21, 22, 20], {"building": "yes"}),
    (16, [30, 31, 32, 30], {"highway": "footway"}),
    (17, [3, 40], {"highway": "service", "access": "private"}),
]


def _xml(nodes: dict[int, tuple[float, float]], ways: list) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in nodes.items():
        lines.append(f' <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for wid, refs, tags in ways:
        lines.append(f' <way id="{wid}" version="1">')
        lines += [f'  <nd ref="{r}"/>' for r in refs]
        lines += [f'  <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append(" </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def _pbf(path: Path, nodes: dict[int, tuple[float, float]], ways: list) -> Path:
    osmium = pytest.importorskip("osmium")
    with osmium.SimpleWriter(str(path), overwrite=True) as writer:
        for nid, (lon, lat) in nodes.items():
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat)))
        for wid, refs, tags in ways:
            writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags))
    return path


def assert_same_network(new, old) -> None:
    """Node for node, segment for segment, in the same order; names may differ only where osmnx merged ways of
    different names into one segment (it keeps their set, in no fixed order)."""
    assert new.n_nodes == old.n_nodes and new.n_edges == old.n_edges
    assert np.array_equal(new.node_xy, old.node_xy)
    assert np.array_equal(new.edge_u, old.edge_u) and np.array_equal(new.edge_v, old.edge_v)
    assert np.array_equal(new.edge_length_m, old.edge_length_m)
    assert np.array_equal(new.edge_time_s, old.edge_time_s)
    assert np.array_equal(new.edge_steps, old.edge_steps)
    assert bool(np.all(shapely.equals_exact(new.edge_geometry, old.edge_geometry, 0.0)))
    assert np.array_equal(network_components(new), network_components(old))
    assert [str(n) for n in new.notes] == [str(n) for n in old.notes]
    differ = new.edge_name != old.edge_name
    assert np.all((new.edge_name[differ] != "") & (old.edge_name[differ] != ""))
    assert differ.mean() < 0.02


@pytest.fixture
def drawn_osm(tmp_path: Path) -> Path:
    path = tmp_path / "drawn.osm"
    path.write_text(_xml(NODES, WAYS), encoding="utf-8")
    return path


def test_drawn_osm_is_simplified_as_on_paper(drawn_osm: Path) -> None:
    pytest.importorskip("osmium")
    net = network_from_osm(drawn_osm, crs=UTM31, reader="pyosmium")
    # end points 1, 3, 5, 6, 7 and the ring's 30, 31, 32 (a ring without an end point keeps its nodes);
    # 2 and 4 lie inside one street of one highway value and go
    assert net.n_nodes == 8
    assert net.n_edges == 7  # 1-3, 3-5, 3-6, 5-7 (steps), and the ring's three sides
    lengths = sorted(np.round(net.edge_length_m, 0).tolist())
    expected = sorted(
        [
            round(2 * LON_STEP_M),  # 1-2-3
            round(2 * LON_STEP_M),  # 3-4-5
            round(LAT_STEP_M),  # 3-6
            round(LAT_STEP_M),  # 5-7 steps
            round(LON_STEP_M),  # 30-31
            round(LAT_STEP_M),  # 31-32
            round(float(np.hypot(LON_STEP_M, LAT_STEP_M))),  # 32-30
        ]
    )
    assert lengths == pytest.approx(expected, abs=1)
    assert int(net.edge_steps.sum()) == 1
    assert sorted(set(net.edge_name.tolist())) == ["", "东街"]
    notes = [str(n) for n in net.notes]
    assert notes[0] == "5 walkable OSM ways kept"
    assert "highway=motorway 1" in notes[1] and "access=private 1" in notes[1]


def test_drawn_osm_same_network_as_osmnx(drawn_osm: Path) -> None:
    pytest.importorskip("osmium")
    new = network_from_osm(drawn_osm, crs=UTM31, reader="pyosmium", include_private=True)
    old = network_from_osm(drawn_osm, crs=UTM31, reader="osmnx", include_private=True)
    assert_same_network(new, old)


def test_drawn_pbf_same_network_as_xml(drawn_osm: Path, tmp_path: Path) -> None:
    pbf = _pbf(tmp_path / "drawn.osm.pbf", NODES, WAYS)
    from_pbf = network_from_osm(pbf, crs=UTM31)
    from_xml = network_from_osm(drawn_osm, crs=UTM31, reader="osmnx")
    assert np.array_equal(from_pbf.node_xy, from_xml.node_xy)
    assert np.array_equal(from_pbf.edge_length_m, from_xml.edge_length_m)
    # the building is not in the PBF reading (only highway ways are read), which the notes do not show
    assert [str(n) for n in from_pbf.notes] == [str(n) for n in from_xml.notes]


def test_clipped_extract_is_cut_at_missing_nodes(tmp_path: Path) -> None:
    pytest.importorskip("osmium")
    nodes = {k: v for k, v in NODES.items() if k != 4}  # way 11 leaves the extract at node 4
    path = tmp_path / "clipped.osm"
    path.write_text(_xml(nodes, WAYS), encoding="utf-8")
    new = network_from_osm(path, crs=UTM31, reader="pyosmium")
    old = network_from_osm(path, crs=UTM31, reader="osmnx")
    assert_same_network(new, old)
    assert str(new.notes[-1]) == "ways that leave the extract were cut where their nodes are missing"
    # way 11 lost its middle node: 3-4-5 is gone (its runs hold one node each), 5-7 steps stay
    assert new.n_edges == 6


def _grid_osm(n_side: int, seed: int) -> tuple[dict[int, tuple[float, float]], list]:
    """A street grid with shape nodes, ways of a few blocks, mixed highway values, names and left-out ways."""
    rng = np.random.default_rng(seed)
    step = 0.0003
    nodes: dict[int, tuple[float, float]] = {}
    grid = np.arange(n_side * n_side).reshape(n_side, n_side) + 1
    for r in range(n_side):
        for c in range(n_side):
            nodes[int(grid[r, c])] = (
                3.0 + c * step + rng.uniform(-2e-5, 2e-5),
                r * step + rng.uniform(-2e-5, 2e-5),
            )
    next_node = n_side * n_side + 1
    ways = []
    kinds = ["residential", "residential", "footway", "service", "steps", "motorway", "primary"]
    wid = 1
    for line in range(n_side):
        for horizontal in (True, False):
            refs_all = grid[line, :] if horizontal else grid[:, line]
            k = 0
            while k < n_side - 1:
                span = int(rng.integers(1, 5))
                refs = []
                for j in range(k, min(k + span, n_side - 1)):
                    a, b = int(refs_all[j]), int(refs_all[j + 1])
                    refs.append(a)
                    if rng.random() < 0.5:  # a shape node between two junctions
                        (x0, y0), (x1, y1) = nodes[a], nodes[b]
                        nodes[next_node] = ((x0 + x1) / 2 + 1e-6, (y0 + y1) / 2 + 1e-6)
                        refs.append(next_node)
                        next_node += 1
                refs.append(int(refs_all[min(k + span, n_side - 1)]))
                tags = {"highway": kinds[int(rng.integers(0, len(kinds)))]}
                if rng.random() < 0.7:
                    tags["name"] = f"街{line}{'东西'[horizontal]}"
                if tags["highway"] == "service" and rng.random() < 0.3:
                    tags["access"] = "private"
                ways.append((wid, refs, tags))
                wid += 1
                k += span
    # a few rings of footway without any end point
    for _ in range(3):
        base = next_node
        x, y = 3.0 + rng.uniform(0, step * n_side), -0.01 - rng.uniform(0, 0.01)
        for i, (dx, dy) in enumerate([(0, 0), (step, 0), (step, step)]):
            nodes[base + i] = (x + dx, y + dy)
        ways.append((wid, [base, base + 1, base + 2, base], {"highway": "footway"}))
        wid += 1
        next_node += 3
    return nodes, ways


def test_generated_pbf_same_network_as_osmnx(tmp_path: Path) -> None:
    """A mid-size PBF (about 20 000 nodes): the arrays reader gives osmnx's network exactly."""
    nodes, ways = _grid_osm(110, seed=7)
    pbf = _pbf(tmp_path / "grid.osm.pbf", nodes, ways)
    new = network_from_osm(pbf, crs=UTM31, reader="pyosmium")
    old = network_from_osm(pbf, crs=UTM31, reader="osmnx")
    assert new.n_nodes > 9000
    assert_same_network(new, old)


@pytest.mark.parametrize("name", sorted(OSM_EXTRACTS))
def test_real_extract_same_network_as_osmnx(name: str) -> None:
    pytest.importorskip("osmium")
    path = OSM_EXTRACTS[name]
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    for private in (False, True):
        new = network_from_osm(path, crs="EPSG:32650", reader="pyosmium", include_private=private)
        old = network_from_osm(path, crs="EPSG:32650", reader="osmnx", include_private=private)
        assert_same_network(new, old)


# --- centrelines: segment-by-segment crossings against GEOS line by line ------------------------------------------


def _geos_crossings(lines: np.ndarray, group: np.ndarray) -> set[tuple[int, float, float]]:
    tree = shapely.STRtree(lines)
    i, j = tree.query(lines, predicate="intersects")
    pair = (i < j) & (group[i] == group[j])
    i, j = i[pair], j[pair]
    xy, k = shapely.get_coordinates(shapely.intersection(lines[i], lines[j]), return_index=True)
    return {(int(a), x, y) for a, (x, y) in zip(np.r_[i[k], j[k]], np.r_[xy, xy].tolist(), strict=True)}


def test_crossings_by_hand() -> None:
    lines = np.array(
        [
            shapely.LineString([(0, 0), (10, 0), (20, 0)]),  # 0: a street through vertex (10, 0)
            shapely.LineString([(10, -5), (10, 0), (10, 5)]),  # 1: crosses 0 at a shared vertex
            shapely.LineString([(15, -5), (15, 5)]),  # 2: crosses 0 mid-segment (no shared vertex)
            shapely.LineString([(20, 0), (30, 0)]),  # 3: continues 0 end to end
            shapely.LineString([(5, 0), (8, 0)]),  # 4: lies on 0 (collinear overlap)
        ],
        dtype=object,
    )
    line, xy, vertex = segment_crossings(lines, np.zeros(5, np.int64))
    found = {(int(a), float(x), float(y)) for a, (x, y) in zip(line, xy, strict=True)}
    assert (0, 10.0, 0.0) in found and (1, 10.0, 0.0) in found
    assert (0, 15.0, 0.0) in found and (2, 15.0, 0.0) in found
    assert (0, 20.0, 0.0) in found and (3, 20.0, 0.0) in found
    assert {(0, 5.0, 0.0), (0, 8.0, 0.0), (4, 5.0, 0.0), (4, 8.0, 0.0)} <= found
    assert found == _geos_crossings(lines, np.zeros(5, np.int64))
    # the shared vertex (10, 0) is vertex 1 of line 0 and vertex 4 of the flat coordinate list (line 1's second)
    at = {(int(a), int(v)) for a, v, (x, y) in zip(line, vertex, xy, strict=True) if (x, y) == (10.0, 0.0)}
    assert at == {(0, 1), (1, 4)}


@pytest.mark.parametrize("seed", range(6))
def test_crossings_match_geos_on_random_lines(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pool = rng.uniform(0, 3000, size=(30, 2)).round(1)  # vertices shared between lines
    geoms = []
    for _ in range(60):
        n = int(rng.integers(2, 6))
        xy = pool[rng.integers(0, 30, n)] if rng.random() < 0.5 else rng.uniform(0, 3000, size=(n, 2))
        geoms.append(shapely.LineString(xy))
    geoms.append(shapely.LineString([(0, 1500), (3000, 1500)]))
    geoms.append(shapely.LineString([(600, 1500), (2100, 1500)]))  # collinear with the one above
    lines = np.array(geoms, dtype=object)
    group = (rng.random(lines.size) < 0.15).astype(np.int64)
    line, xy, _ = segment_crossings(lines, group)
    found = {(int(a), float(x), float(y)) for a, (x, y) in zip(line, xy, strict=True)}
    assert found == _geos_crossings(lines, group)
