"""Loaders of geo.network: OSM XML/PBF, GraphML, centreline layers, components and the overlap check.

The tiny OSM files lie on the equator at 3°E, the central meridian of UTM zone 31 (EPSG:32631), where the scale
factor is 0.9996: 0.001° of latitude is 110.574 m × 0.9996 = 110.53 m and 0.001° of longitude is
111.319 m × 0.9996 = 111.27 m, which is how the expected lengths below were worked out by hand.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely

from geo.errors import NetworkError
from geo.network import (
    STEPS_TIME_FACTOR,
    ComponentReport,
    check_overlap,
    component_report,
    network_components,
    network_from_centrelines,
    network_from_graphml,
    network_from_lines,
    network_from_osm,
    network_from_source,
)
from tests.conftest import osm_extract

UTM31 = "EPSG:32631"
LAT_STEP_M = 110.53  # 0.001° of latitude at the equator in UTM (see module docstring)
LON_STEP_M = 111.27  # 0.001° of longitude at the equator on the central meridian


def _osm(nodes: dict[int, tuple[float, float]], ways: list[tuple[int, list[int], dict[str, str]]]) -> str:
    """OSM XML text from {id: (lon, lat)} and [(way id, node ids, tags)]."""
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


# A 2 x 3 grid of streets (nodes 1-6) with a footway, steps and an interstitial node 16 on the top street,
# plus ways that must be left out and a footway crossing the bottom street without a shared node.
#
#   4 --16-- 5 ------ 6 ---x(foot=no)--- 9
#   |        |        |
# footway  steps   footway
#   |        | 12     |
#   1 -------+------- 3 ---(access=private)--- 10
#            | 11
#   (11-12 is a footway crossing the street 1-3 with no node in common)
GRID_NODES = {
    1: (3.000, 0.000),
    2: (3.001, 0.000),
    3: (3.002, 0.000),
    4: (3.000, 0.001),
    16: (3.0005, 0.001),
    5: (3.001, 0.001),
    6: (3.002, 0.001),
    9: (3.003, 0.001),
    10: (3.003, 0.000),
    11: (3.0015, -0.0005),
    12: (3.0015, 0.0005),
    20: (3.010, 0.010),
    21: (3.011, 0.010),
    30: (3.005, 0.005),
    31: (3.0051, 0.005),
    32: (3.0051, 0.0051),
}
GRID_WAYS = [
    (100, [1, 2, 3], {"highway": "residential", "name": "南街"}),
    (101, [4, 16, 5, 6], {"highway": "residential", "name": "北街"}),
    (102, [1, 4], {"highway": "footway"}),
    (103, [2, 5], {"highway": "steps"}),
    (104, [3, 6], {"highway": "footway"}),
    (105, [20, 21], {"highway": "motorway"}),
    (106, [6, 9], {"highway": "footway", "foot": "no"}),
    (107, [3, 10], {"highway": "service", "access": "private"}),
    (108, [11, 12], {"highway": "footway"}),
    (109, [30, 31, 32, 30], {"building": "yes"}),
]


@pytest.fixture()
def grid_osm(tmp_path: Path) -> Path:
    path = tmp_path / "grid.osm"
    path.write_text(_osm(GRID_NODES, GRID_WAYS), encoding="utf-8")
    return path


def _edge_between(net, a_xy: tuple[float, float], b_xy: tuple[float, float]) -> int:
    """Index of the segment whose ends lie at the two (projected) points."""
    ends = np.column_stack([net.node_xy[net.edge_u], net.node_xy[net.edge_v]])
    fwd = np.hypot(*(ends[:, :2] - a_xy).T) + np.hypot(*(ends[:, 2:] - b_xy).T)
    bwd = np.hypot(*(ends[:, :2] - b_xy).T) + np.hypot(*(ends[:, 2:] - a_xy).T)
    return int(np.argmin(np.minimum(fwd, bwd)))


def _xy(net, node_id: int) -> tuple[float, float]:
    import pyproj

    lon, lat = GRID_NODES[node_id]
    return pyproj.Transformer.from_crs("EPSG:4326", net.crs, always_xy=True).transform(lon, lat)


# --- OSM XML ----------------------------------------------------------------------------------------------------


def test_osm_grid_keeps_walkable_ways_and_simplifies(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31)
    # nodes 1-6 (16 is interstitial and simplified away) and the crossing footway's 11, 12
    assert net.n_nodes == 8
    # 1-2, 2-3, 4-5 (through 16), 5-6, footways 1-4 and 3-6, steps 2-5, footway 11-12
    assert net.n_edges == 8
    assert net.edge_steps.sum() == 1
    assert net.crs.to_epsg() == 32631
    assert net.source == str(grid_osm)
    assert net.edge_length_m.sum() == pytest.approx(4 * LON_STEP_M + 3 * LAT_STEP_M + LAT_STEP_M, rel=1e-3)
    top = _edge_between(net, _xy(net, 4), _xy(net, 5))
    assert shapely.get_num_coordinates(net.edge_geometry[top]) == 3  # 4 -> 16 -> 5 kept as geometry
    assert net.edge_length_m[top] == pytest.approx(LON_STEP_M, rel=1e-3)
    notes = " ".join(map(str, net.notes))
    assert "highway=motorway 1" in notes and "foot=no 1" in notes and "access=private 1" in notes


def test_osm_keeps_street_names_per_edge(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31)
    name = {
        (a, b): net.edge_name[_edge_between(net, _xy(net, a), _xy(net, b))]
        for a, b in [(1, 2), (2, 3), (4, 5), (5, 6), (1, 4), (2, 5)]
    }
    assert name == {(1, 2): "南街", (2, 3): "南街", (4, 5): "北街", (5, 6): "北街", (1, 4): "", (2, 5): ""}


def test_osm_times_and_steps_factor(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31, walk_speed_m_s=0.8)
    steps = _edge_between(net, _xy(net, 2), _xy(net, 5))
    footway = _edge_between(net, _xy(net, 1), _xy(net, 4))
    assert net.edge_steps[steps] and not net.edge_steps[footway]
    assert net.edge_time_s[footway] == pytest.approx(LAT_STEP_M / 0.8, rel=1e-3)  # ≈ 138.2 s
    assert net.edge_time_s[steps] == pytest.approx(2.0 * LAT_STEP_M / 0.8, rel=1e-3)  # ≈ 276.3 s
    assert STEPS_TIME_FACTOR == 2.0
    flat = ~net.edge_steps
    np.testing.assert_allclose(net.edge_time_s[flat], net.edge_length_m[flat] / 0.8)


def test_osm_geometry_runs_from_u_to_v(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31)
    start = shapely.get_coordinates(shapely.get_point(net.edge_geometry, 0))
    end = shapely.get_coordinates(shapely.get_point(net.edge_geometry, -1))
    np.testing.assert_array_equal(start, net.node_xy[net.edge_u])
    np.testing.assert_array_equal(end, net.node_xy[net.edge_v])
    np.testing.assert_allclose(net.edge_length_m, shapely.length(net.edge_geometry))


def test_osm_private_way_kept_on_request(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31, include_private=True)
    assert (net.n_nodes, net.n_edges) == (9, 9)  # node 10 and the service way 3-10
    service = _edge_between(net, _xy(net, 3), _xy(net, 10))
    assert net.edge_length_m[service] == pytest.approx(LON_STEP_M, rel=1e-3)


def test_osm_foot_yes_overrides_access_and_opens_trunk(tmp_path: Path) -> None:
    nodes = {1: (3.0, 0.0), 2: (3.001, 0.0), 3: (3.002, 0.0), 4: (3.003, 0.0)}
    ways = [
        (1, [1, 2], {"highway": "service", "access": "private", "foot": "yes"}),
        (2, [2, 3], {"highway": "trunk", "foot": "designated"}),
        (3, [3, 4], {"highway": "trunk"}),  # urban expressway: left out
    ]
    path = tmp_path / "trunk.osm"
    path.write_text(_osm(nodes, ways), encoding="utf-8")
    net = network_from_osm(path, crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (3, 2)
    assert any("highway=trunk without foot=yes or sidewalk 1" in str(n) for n in net.notes)


def test_osm_crossing_without_shared_node_stays_apart(grid_osm: Path) -> None:
    net = network_from_osm(grid_osm, crs=UTM31)
    report = component_report(net)
    assert report == ComponentReport(n_components=2, largest_nodes=6, other_nodes=2, sizes=(6, 2))


def test_osm_area_ways_are_left_out(tmp_path: Path) -> None:
    nodes = {1: (3.0, 0.0), 2: (3.001, 0.0), 3: (3.001, 0.001), 4: (3.0, 0.001)}
    ways = [
        (1, [1, 2], {"highway": "footway"}),
        (2, [1, 2, 3, 4, 1], {"highway": "pedestrian", "area": "yes"}),
    ]
    path = tmp_path / "square.osm"
    path.write_text(_osm(nodes, ways), encoding="utf-8")
    net = network_from_osm(path, crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (2, 1)
    assert any("area=yes 1" in str(n) for n in net.notes)


def test_osm_without_walkable_ways_is_refused(tmp_path: Path) -> None:
    nodes = {1: (3.0, 0.0), 2: (3.001, 0.0), 3: (3.002, 0.0), 4: (3.0, 0.001), 5: (3.001, 0.001)}
    ways = [
        (1, [1, 2], {"highway": "motorway"}),
        (2, [2, 3], {"highway": "motorway"}),
        (3, [1, 4], {"highway": "construction"}),
        (4, [4, 5, 2, 4], {"building": "yes"}),
    ]
    path = tmp_path / "motorway.osm"
    path.write_text(_osm(nodes, ways), encoding="utf-8")
    with pytest.raises(
        NetworkError,
        match=r"motorway\.osm has no walkable ways \(found highway=motorway 2, "
        r"highway=construction 1; 1 other ways",
    ):
        network_from_osm(path, crs=UTM31)


def test_osm_bz2_file_is_read(grid_osm: Path, tmp_path: Path) -> None:
    import bz2

    packed = tmp_path / "grid.osm.bz2"
    packed.write_bytes(bz2.compress(grid_osm.read_bytes()))
    net = network_from_source(str(packed), crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (8, 8)


def test_osm_broken_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text('<osm version="0.6"><node id="1" lat="0" lon="3"', encoding="utf-8")
    with pytest.raises(NetworkError, match=r"broken.osm cannot be read as OSM XML"):
        network_from_osm(path, crs=UTM31)


def test_osm_leaves_osmnx_settings_as_they_were(grid_osm: Path) -> None:
    import osmnx as ox

    before = list(ox.settings.useful_tags_way)
    network_from_osm(grid_osm, crs=UTM31)
    assert ox.settings.useful_tags_way == before


def test_osm_clipped_extract_is_cut_at_missing_nodes(tmp_path: Path) -> None:
    pytest.importorskip("osmium")
    nodes = {1: (3.0, 0.0), 2: (3.001, 0.0), 3: (3.002, 0.0)}
    ways = [(1, [1, 2, 3, 99], {"highway": "residential"}), (2, [2, 98], {"highway": "footway"})]
    path = tmp_path / "clipped.osm"
    path.write_text(_osm(nodes, ways), encoding="utf-8")
    net = network_from_osm(path, crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (2, 1)  # 1-2-3 (2 is interstitial); the footway has one node left
    assert net.edge_length_m[0] == pytest.approx(2 * LON_STEP_M, rel=1e-3)
    assert any("cut where their nodes are missing" in str(n) for n in net.notes)


def test_osm_pbf_is_read_through_pyosmium(grid_osm: Path, tmp_path: Path) -> None:
    osmium = pytest.importorskip("osmium")
    pbf = tmp_path / "grid.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(grid_osm)):
            writer.add(obj)
    net = network_from_source(str(pbf), crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (8, 8)
    assert net.source == str(pbf)
    assert net.edge_steps.sum() == 1


# --- dispatch and files -----------------------------------------------------------------------------------------


def test_source_resolves_relative_paths_and_reports_progress(grid_osm: Path) -> None:
    seen: list[tuple[float, str]] = []
    net = network_from_source(
        "grid.osm", crs=UTM31, base_dir=grid_osm.parent, progress=lambda f, m: seen.append((f, m))
    )
    assert net.n_edges == 8
    assert seen[0][0] == 0.0 and (seen[-1][0], str(seen[-1][1])) == (
        1.0,
        "walking network: 8 nodes, 8 segments",
    )


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        NetworkError, match=r"network file .*streets\.osm does not exist; check \[network\] source"
    ):
        network_from_source("streets.osm", crs=UTM31, base_dir=tmp_path)


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "streets.dwg"
    path.write_bytes(b"AC1032")
    with pytest.raises(NetworkError, match="unknown type; give an OSM file"):
        network_from_source(str(path), crs=UTM31)


def test_place_without_name_is_refused_offline() -> None:
    with pytest.raises(NetworkError, match="place: names no place"):
        network_from_source("place:  ", crs=UTM31)


def test_geographic_target_crs_is_refused(grid_osm: Path) -> None:
    with pytest.raises(NetworkError, match="is not projected"):
        network_from_osm(grid_osm, crs="EPSG:4326")


# --- GraphML ----------------------------------------------------------------------------------------------------


def test_graphml_round_trip(tmp_path: Path) -> None:
    import osmnx as ox

    g = nx.MultiDiGraph(crs="epsg:4326")
    for nid in (1, 2, 3, 4):
        lon, lat = GRID_NODES[nid]
        g.add_node(nid, x=lon, y=lat)
    for u, v, hw in ((1, 2, "residential"), (2, 3, "residential"), (1, 4, "steps")):
        g.add_edge(u, v, highway=hw, osmid=10 * u + v, length=0.0)
        g.add_edge(v, u, highway=hw, osmid=10 * u + v, length=0.0)
    path = tmp_path / "walk.graphml"
    ox.save_graphml(g, path)
    net = network_from_source(str(path), crs=UTM31)
    assert (net.n_nodes, net.n_edges) == (4, 3)  # six directed edges -> three segments
    assert net.edge_steps.sum() == 1
    assert net.edge_length_m.sum() == pytest.approx(2 * LON_STEP_M + LAT_STEP_M, rel=1e-3)
    assert net.edge_time_s[net.edge_steps][0] == pytest.approx(2.0 * LAT_STEP_M, rel=1e-3)


def test_graphml_broken_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.graphml"
    path.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(NetworkError, match=r"GraphML file .*bad.graphml cannot be read"):
        network_from_graphml(path, crs=UTM31)


# --- centrelines ------------------------------------------------------------------------------------------------

UTM50 = "EPSG:32650"
EAST_WEST = shapely.linestrings([[0.0, 50.0], [100.0, 50.0]])
NORTH_SOUTH = shapely.linestrings([[50.0, 0.0], [50.0, 100.0]])


def _gpkg(tmp_path: Path, frame: gpd.GeoDataFrame, layer: str = "roads") -> str:
    path = tmp_path / "centrelines.gpkg"
    frame.to_file(path, layer=layer, driver="GPKG")
    return f"{path}#{layer}"


def test_centrelines_crossing_are_noded(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"名称": ["东西路", "南北路"]}, geometry=[EAST_WEST, NORTH_SOUTH], crs=UTM50)
    net = network_from_source(_gpkg(tmp_path, frame), crs=UTM50)
    assert (net.n_nodes, net.n_edges) == (5, 4)
    np.testing.assert_allclose(np.sort(net.edge_length_m), [50.0, 50.0, 50.0, 50.0])
    assert component_report(net).n_components == 1
    centre = np.flatnonzero(np.all(net.node_xy == [50.0, 50.0], axis=1))
    assert centre.size == 1
    assert np.sum((net.edge_u == centre[0]) | (net.edge_v == centre[0])) == 4


@pytest.mark.parametrize(
    ("column", "value"), [("bridge", "yes"), ("桥梁", "是"), ("tunnel", "T"), ("层级", 1), ("layer", -1)]
)
def test_centrelines_bridge_is_not_noded(tmp_path: Path, column: str, value: object) -> None:
    values = [0, value] if isinstance(value, int) else ["no", value]
    frame = gpd.GeoDataFrame({column: values}, geometry=[EAST_WEST, NORTH_SOUTH], crs=UTM50)
    net = network_from_source(_gpkg(tmp_path, frame), crs=UTM50)
    assert (net.n_nodes, net.n_edges) == (4, 2)
    assert component_report(net).n_components == 2


def test_centrelines_bridge_end_joins_the_street_below(tmp_path: Path) -> None:
    ramp = shapely.linestrings([[50.0, 50.0], [50.0, 100.0]])  # a bridge whose end lands on the street
    frame = gpd.GeoDataFrame({"是否桥梁": ["否", "是"]}, geometry=[EAST_WEST, ramp], crs=UTM50)
    net = network_from_centrelines(frame, crs=UTM50)
    assert (net.n_nodes, net.n_edges) == (4, 3)
    # a street ending under a bridge does not join it
    under = shapely.linestrings([[50.0, 0.0], [50.0, 50.0]])
    frame = gpd.GeoDataFrame({"bridge": ["yes", "no"]}, geometry=[EAST_WEST, under], crs=UTM50)
    net = network_from_centrelines(frame, crs=UTM50)
    assert (net.n_nodes, net.n_edges) == (4, 2)


def test_centrelines_t_junction_and_multilines(tmp_path: Path) -> None:
    stem = shapely.multilinestrings([[[50.0, 50.0], [50.0, 80.0]], [[50.0, 80.0], [50.0, 100.0]]])
    frame = gpd.GeoDataFrame(geometry=[EAST_WEST, stem], crs=UTM50)
    net = network_from_centrelines(frame, crs=UTM50)
    # east-west split at (50, 50); the multi-line's two parts meet at (50, 80)
    assert (net.n_nodes, net.n_edges) == (5, 4)
    np.testing.assert_allclose(np.sort(net.edge_length_m), [20.0, 30.0, 50.0, 50.0])


def test_centrelines_steps_and_expressways(tmp_path: Path) -> None:
    far = shapely.linestrings([[0.0, 500.0], [400.0, 500.0]])
    frame = gpd.GeoDataFrame(
        {"道路等级": ["支路", "台阶", "快速路"]}, geometry=[EAST_WEST, NORTH_SOUTH, far], crs=UTM50
    )
    net = network_from_centrelines(frame, crs=UTM50, walk_speed_m_s=0.5, source="roads.gpkg")
    assert (net.n_nodes, net.n_edges) == (5, 4)
    steps = net.edge_steps
    assert steps.sum() == 2
    np.testing.assert_allclose(net.edge_time_s[steps], [200.0, 200.0])  # 50 m x 2.0 / 0.5 m/s
    np.testing.assert_allclose(net.edge_time_s[~steps], [100.0, 100.0])
    assert any("left out 1 expressway lines" in str(n) for n in net.notes)


def test_centrelines_are_projected_to_the_study_crs(tmp_path: Path) -> None:
    lonlat = gpd.GeoDataFrame(geometry=[shapely.linestrings([[3.0, 0.0], [3.0, 0.001]])], crs="EPSG:4326")
    path = tmp_path / "roads.geojson"
    lonlat.to_file(path, driver="GeoJSON")
    net = network_from_source(str(path), crs=UTM31)
    assert net.edge_length_m[0] == pytest.approx(LAT_STEP_M, rel=1e-3)


def test_centrelines_zipped_shapefile(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"bridge": ["no", "no"]}, geometry=[EAST_WEST, NORTH_SOUTH], crs=UTM50)
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "roads.shp")
    archive = tmp_path / "roads.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in shp_dir.iterdir():
            zf.write(f, f.name)
    net = network_from_source("roads.zip", crs=UTM50, base_dir=tmp_path)
    assert (net.n_nodes, net.n_edges) == (5, 4)


def test_centrelines_without_crs_are_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(geometry=[EAST_WEST, NORTH_SOUTH], crs=UTM50)
    frame.to_file(tmp_path / "roads.shp")
    (tmp_path / "roads.prj").unlink()
    with pytest.raises(NetworkError, match=r"roads\.shp has no coordinate reference system .*\.prj"):
        network_from_source("roads.shp", crs=UTM50, base_dir=tmp_path)
    net = network_from_source("roads.shp", crs=UTM50, base_dir=tmp_path, layer_crs=UTM50)
    assert net.n_edges == 4


def test_polygon_layer_is_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)], crs=UTM50)
    with pytest.raises(NetworkError, match=r"is a layer of polygons; a network needs street centrelines"):
        network_from_source(_gpkg(tmp_path, frame, layer="blocks"), crs=UTM50)


def test_non_line_rows_are_left_out_and_reported() -> None:
    frame = gpd.GeoDataFrame(geometry=[EAST_WEST, shapely.Point(5, 5), NORTH_SOUTH, None], crs=UTM50)
    net = network_from_centrelines(frame, crs=UTM50)
    assert (net.n_nodes, net.n_edges) == (5, 4)
    assert "left out 2 rows that are not lines (rows 2, 4)" in map(str, net.notes)


def test_point_layer_is_refused() -> None:
    frame = gpd.GeoDataFrame(geometry=shapely.points([[0, 0], [1, 1]]), crs=UTM50)
    with pytest.raises(NetworkError, match="is a layer of points"):
        network_from_centrelines(frame, crs=UTM50, source="poi.geojson")


def test_missing_geopackage_layer_is_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(geometry=[EAST_WEST], crs=UTM50)
    spec = _gpkg(tmp_path, frame, layer="roads").replace("#roads", "#streets")
    with pytest.raises(NetworkError, match="has no layer 'streets'"):
        network_from_source(spec, crs=UTM50)


# --- components and overlap -------------------------------------------------------------------------------------


def test_components_of_two_pieces() -> None:
    lines = shapely.linestrings(
        [
            [[0, 0], [10, 0]],  # small piece: 2 nodes
            [[100, 0], [110, 0]],
            [[110, 0], [120, 0]],
            [[120, 0], [130, 0]],  # large piece: 4 nodes
        ]
    )
    net = network_from_lines(lines, crs=UTM50)
    labels = network_components(net)
    xs = net.node_xy[:, 0]
    assert set(labels[xs >= 100]) == {0} and set(labels[xs < 100]) == {1}
    assert component_report(net) == ComponentReport(
        n_components=2, largest_nodes=4, other_nodes=2, sizes=(4, 2)
    )


def test_check_overlap() -> None:
    net = network_from_lines(shapely.linestrings([[[0, 0], [1000, 0]], [[1000, 0], [1000, 1000]]]), crs=UTM50)
    check_overlap(net, (500.0, 500.0, 3000.0, 3000.0), context="network 'streets.osm'")
    with pytest.raises(
        NetworkError,
        match=r"network 'streets.osm': the walking network \(x 0–1000 m, y 0–1000 m\) "
        r"and the study layers \(x 51000–52000 m, .*\) do not overlap — they are "
        r"50\.0 km apart; .*GCJ-02",
    ):
        check_overlap(net, (51000.0, 0.0, 52000.0, 500.0), context="network 'streets.osm'")


# --- real OpenStreetMap extracts --------------------------------------------------------------------------------

# Measured on the extracts in ../shared/realdata (simplified walking graphs): nodes, total length in km.
REAL = {
    "nanjing": (577, 84.5),
    "beijing": (913, 123.0),
    "shenzhen": (698, 163.4),
    "guixi": (301, 115.5),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_extract_loads(name: str) -> None:
    path = osm_extract(name)
    lon = float(np.mean([float(t.split('"')[1]) for t in _lon_attrs(path)]))
    crs = f"EPSG:326{int((lon + 180) / 6) + 1:02d}"
    net = network_from_osm(path, crs=crs)
    nodes, km = REAL[name]
    assert net.n_nodes > 250
    assert net.n_nodes == pytest.approx(nodes, rel=0.05)
    assert net.edge_length_m.sum() / 1000.0 == pytest.approx(km, rel=0.05)
    factor = np.where(net.edge_steps, 2.0, 1.0)
    np.testing.assert_allclose(net.edge_time_s, net.edge_length_m * factor / 1.0)
    np.testing.assert_allclose(net.edge_length_m, shapely.length(net.edge_geometry))
    assert np.all(net.edge_length_m > 0)
    report = component_report(net)
    assert report.largest_nodes / net.n_nodes > 0.75


def _lon_attrs(path: Path) -> list[str]:
    """The first 200 lon="..." attributes of an OSM file (enough to pick its UTM zone)."""
    import re

    with path.open(encoding="utf-8") as f:
        head = f.read(200_000)
    return re.findall(r'lon="[-0-9.]+"', head)[:200]
