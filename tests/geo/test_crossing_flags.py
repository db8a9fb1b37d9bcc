"""The crossing flags of the service circles (segments meeting others other than end to end at shared nodes) from
their straight pieces, against hand-checked cases and against a plain GEOS reference written here."""

from __future__ import annotations

import importlib.util
import itertools
import re
from fractions import Fraction

import numpy as np
import pyproj
import pytest
import shapely

from geo.network import WalkNetwork, network_from_lines
from geo.service_area.crossings import (
    UNSURE,
    box_pairs,
    crossing_flags,
    crossing_flags_geos,
    orientation,
    pieces_meet,
)
from tests.conftest import REPO, osm_extract

CRS = "EPSG:4547"


def net_of(nodes: list[tuple[float, float]], edges: list[tuple]) -> WalkNetwork:
    """A network of the given nodes and segments ``(u, v)`` or ``(u, v, [inner vertices])``; each geometry runs
    from node u through the inner vertices to node v."""
    xy = np.asarray(nodes, dtype=float)
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    geoms = np.array(
        [shapely.LineString([xy[e[0]], *(e[2] if len(e) > 2 else []), xy[e[1]]]) for e in edges], dtype=object
    )
    length = shapely.length(geoms)
    return WalkNetwork(
        node_xy=xy,
        edge_u=u,
        edge_v=v,
        edge_length_m=length,
        edge_time_s=length.copy(),
        edge_geometry=geoms,
        edge_steps=np.zeros(u.size, dtype=bool),
        walk_speed_m_s=1.0,
        crs=pyproj.CRS.from_user_input(CRS),
    )


def reference_flags(net: WalkNetwork) -> np.ndarray:
    """The rule, pair by pair with GEOS: segments whose boxes meet and that share no node are flagged when they
    touch; sharing a node, two straight segments (two vertices, not a loop) when they join the same two nodes or
    leave the common node in the same direction (cross product within 1e-9 of the lengths' product, from the nodes'
    coordinates), any other two when their interiors meet."""
    g, u, v, xy = net.edge_geometry, net.edge_u, net.edge_v, net.node_xy
    flag = np.zeros(net.n_edges, dtype=bool)
    tree = shapely.STRtree(g)
    for a, b in zip(*tree.query(g), strict=True):
        if a >= b:
            continue
        common = {int(u[a]), int(v[a])} & {int(u[b]), int(v[b])}
        if not common:
            meet = shapely.intersects(g[a], g[b])
        elif all(shapely.get_num_coordinates(g[e]) == 2 and u[e] != v[e] for e in (a, b)):
            if {u[a], v[a]} == {u[b], v[b]}:
                meet = True
            else:
                c = common.pop()
                da = xy[u[a] + v[a] - c] - xy[c]
                db = xy[u[b] + v[b] - c] - xy[c]
                cross = da[0] * db[1] - da[1] * db[0]
                meet = abs(cross) <= 1e-9 * (np.hypot(*da) * np.hypot(*db)) and float(da @ db) > 0
        else:
            meet = shapely.relate_pattern(g[a], g[b], "T********")
        if meet:
            flag[a] = flag[b] = True
    return flag


def check(net: WalkNetwork, expected: list[bool] | None = None) -> np.ndarray:
    """The fast flags, equal to the reference (and to ``expected`` when given)."""
    flags = crossing_flags(net)
    ref = reference_flags(net)
    np.testing.assert_array_equal(flags, ref)
    np.testing.assert_array_equal(crossing_flags_geos(net), ref)
    if expected is not None:
        assert flags.tolist() == expected
    return flags


# --- hand-checked cases -------------------------------------------------------------------------------------------


def test_straight_segments_crossing_without_a_node():
    check(net_of([(0, 0), (10, 10), (0, 10), (10, 0)], [(0, 1), (2, 3)]), [True, True])


def test_t_junction_without_a_node():
    # the second segment ends on the first one's middle, at a node of its own
    check(net_of([(0, 0), (10, 0), (5, 0), (5, 5)], [(0, 1), (2, 3)]), [True, True])


def test_collinear_overlap_and_end_to_end_at_two_nodes():
    check(net_of([(0, 0), (10, 0), (5, 0), (15, 0)], [(0, 1), (2, 3)]), [True, True])
    # touching end to end, but at two nodes with the same coordinates: not joined, so they touch
    check(net_of([(0, 0), (10, 0), (10, 0), (20, 0)], [(0, 1), (2, 3)]), [True, True])
    # a third segment far away is never flagged
    check(
        net_of([(0, 0), (10, 0), (5, 0), (15, 0), (0, 50), (9, 50)], [(0, 1), (2, 3), (4, 5)]),
        [True, True, False],
    )


def test_segments_sharing_a_node():
    nodes = [(0, 0), (10, 0), (5, 0), (-5, 0), (0, 7), (3, 3)]
    check(net_of(nodes, [(0, 1), (0, 2)]), [True, True])  # the same direction: they overlap
    check(net_of(nodes, [(1, 0), (2, 0)]), [True, True])  # the same, one drawn towards the node
    check(net_of(nodes, [(0, 1), (0, 3)]), [False, False])  # opposite directions
    check(net_of(nodes, [(0, 1), (0, 4), (0, 5)]), [False, False, False])  # a corner and a diagonal
    # a street continuing straight through a node
    check(net_of(nodes, [(3, 0), (0, 1)]), [False, False])


def test_duplicate_segments():
    nodes = [(0, 0), (10, 0), (20, 0)]
    check(net_of(nodes, [(0, 1), (0, 1), (1, 2)]), [True, True, False])
    check(net_of(nodes, [(0, 1), (1, 0), (1, 2)]), [True, True, False])
    # a bent segment and a straight one between the same two nodes only meet at those nodes
    check(net_of(nodes, [(0, 1), (0, 1, [(5, 4)])]), [False, False])


def test_bent_segments():
    nodes = [(0, 0), (10, 0), (5, 0), (5, -5), (20, 5)]
    # sharing a node, crossing the other segment's middle: the interiors meet
    check(net_of(nodes, [(0, 1), (0, 3, [(5, 5)])]), [True, True])
    # sharing a node, ending on the other's middle: an end is not interior, so the rule leaves it
    check(net_of(nodes, [(0, 1), (0, 2, [(5, 5)])]), [False, False])
    # no common node, ending on the other's middle: they touch
    check(net_of(nodes, [(0, 1), (4, 2, [(5, 5)])]), [True, True])
    # a bent segment whose vertex (not its end) touches the other one
    check(net_of(nodes, [(0, 1), (4, 3, [(7, 0)])]), [True, True])
    # a bent segment along a straight one from their common node
    check(net_of(nodes, [(0, 1), (0, 4, [(3, 0)])]), [True, True])


def test_zero_length_segments_and_loops():
    # a zero-length segment between two nodes at the same place: it meets its neighbours only at those nodes,
    # but the two neighbours, sharing no node, touch there
    nodes = [(0, 0), (0, 0), (10, 0), (0, 10)]
    check(net_of(nodes, [(0, 1), (1, 2), (0, 3)]), [False, True, True])
    # a zero-length loop at a node, and a street through that point without a node there
    nodes = [(0, 0), (10, 0), (-5, -5), (5, 5)]
    check(net_of(nodes, [(0, 0), (0, 1)]), [False, False])
    # GEOS takes a line of zero length to touch no other line (but one of zero length at the same place)
    check(net_of(nodes, [(0, 0), (0, 1), (2, 3)]), [False, True, True])
    check(net_of([(0, 0), (-5, 0), (5, 0)], [(0, 0), (1, 2)]), [False, False])
    check(net_of([(0, 0), (0, 0), (0, 0)], [(0, 0), (1, 2)]), [True, True])
    # a street loop at a node with a straight street out of it, then a street crossing the loop
    nodes = [(0, 0), (-10, 0), (20, 5), (20, -5)]
    loop = (0, 0, [(10, 5), (10, -5)])
    check(net_of(nodes, [loop, (0, 1)]), [False, False])
    check(net_of(nodes, [loop, (0, 1), (2, 3)]), [False, False, False])
    check(net_of([*nodes, (5, 10), (5, -10)], [loop, (0, 1), (4, 5)]), [True, False, True])


def test_ends_snapped_to_one_node():
    # ends within the snapping tolerance become one node whose coordinates are the first end's
    a = shapely.LineString([(0, 0), (10, 0)])
    b = shapely.LineString([(0.004, 0), (20, 0)])  # from the same node, the same direction
    c = shapely.LineString([(-0.004, 0), (-10, 0)])  # from the same node, away: its box misses the others
    net = network_from_lines([a, b, c], crs=CRS)
    assert net.n_nodes == 4
    check(net, [True, True, False])


# --- the building blocks --------------------------------------------------------------------------------------------


def test_orientation_is_exact_or_unsure():
    a, b = np.array([[0.0, 0.0]]), np.array([[1.0, 1.0]])
    assert orientation(a, b, np.array([[2.0, 2.0]])).tolist() == [0]
    assert orientation(a, b, np.array([[2.0, 1.0]])).tolist() == [-1]
    assert orientation(a, b, np.array([[1.0, 2.0]])).tolist() == [1]
    assert orientation(a, a, np.array([[1.0, 2.0]])).tolist() == [0]  # a piece of zero length
    # points on the line y = x / 10 as floats round them: too near collinear for the filter
    x = np.arange(1.0, 200.0)
    pts = np.column_stack([x, x / 10.0])
    o = orientation(np.zeros((x.size, 2)), pts, pts[::-1] * 3.0)
    assert (o == UNSURE).any()
    sure = o != UNSURE
    # every sure answer is the exact sign (rational arithmetic on the same floats)
    for (px, py), (qx, qy), s in zip(pts[sure], pts[::-1][sure] * 3.0, o[sure], strict=True):
        det = Fraction(px) * Fraction(qy) - Fraction(py) * Fraction(qx)
        assert (det > 0) - (det < 0) == s


def test_pieces_meet_on_paper():
    def meet(p1, p2, q1, q2):
        return int(pieces_meet(*(np.array([c], dtype=float) for c in (p1, p2, q1, q2)))[0])

    assert meet((0, 0), (10, 10), (0, 10), (10, 0)) == 1  # crossing
    assert meet((0, 0), (10, 0), (5, 0), (5, 5)) == 1  # an end on the other's middle
    assert meet((0, 0), (10, 0), (10, 0), (20, 0)) == 1  # end to end on one line
    assert meet((0, 0), (10, 0), (11, 0), (20, 0)) == 0  # on one line, apart (boxes would not meet)
    assert meet((0, 0), (10, 0), (5, 1), (5, 5)) == 0  # above
    assert meet((5, 0), (5, 0), (0, 0), (10, 0)) == 1  # a point on the piece
    assert meet((5, 1), (5, 1), (0, 0), (10, 0)) == 0  # a point off it
    assert meet((0, 0), (0.1, 0.3), (0.2, 0.6), (0.3, 0.9)) in (0, UNSURE)  # nearly collinear, apart


def test_box_pairs_against_all_pairs():
    rng = np.random.default_rng(5)
    for size in (0, 1, 2, 7, 60, 400):
        lo = rng.integers(0, 30, (size, 2)).astype(float)
        ext = rng.integers(0, 6, (size, 2)) * (rng.random((size, 2)) < 0.8)
        ext[rng.random(size) < 0.05] = 25  # a few long boxes
        hi = lo + ext
        s, t = box_pairs(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
        got = {(min(a, b), max(a, b)) for a, b in zip(s.tolist(), t.tolist(), strict=True)}
        assert len(got) == s.size  # each pair once
        want = {
            (a, b)
            for a, b in itertools.combinations(range(size), 2)
            if lo[a, 0] <= hi[b, 0] and lo[b, 0] <= hi[a, 0] and lo[a, 1] <= hi[b, 1] and lo[b, 1] <= hi[a, 1]
        }
        assert got == want


# --- randomized and mid-size networks -------------------------------------------------------------------------------


def random_net(rng: np.random.Generator, n_nodes: int, n_edges: int, grid: int, jitter: float) -> WalkNetwork:
    """Nodes on a small integer grid (many coincidences: shared places, collinear runs), segments between random
    nodes, some bent through grid points (repeated vertices too), some loops, some duplicates; ``jitter`` moves
    every geometry's inner vertices off the grid."""
    nodes = [tuple(map(float, p)) for p in rng.integers(0, grid, (n_nodes, 2))]
    edges: list[tuple] = []
    for _ in range(n_edges):
        a, b = (int(x) for x in rng.integers(0, n_nodes, 2))
        kind = rng.random()
        if kind < 0.1 and edges:
            edges.append(edges[int(rng.integers(len(edges)))])  # a duplicate
        elif kind < 0.45:
            inner = rng.integers(0, grid, (int(rng.integers(1, 4)), 2)).astype(float)
            inner += rng.uniform(-jitter, jitter, inner.shape)
            if rng.random() < 0.2:
                inner = np.repeat(inner, 2, axis=0)  # repeated vertices: pieces of zero length
            edges.append((a, b, [tuple(p) for p in inner]))
        else:
            edges.append((a, b))
    return net_of(nodes, edges)


@pytest.mark.parametrize("seed", range(6))
def test_random_networks_against_the_reference(seed):
    rng = np.random.default_rng(seed)
    flagged = 0
    for _ in range(40):
        net = random_net(rng, int(rng.integers(4, 14)), int(rng.integers(2, 18)), grid=6, jitter=0.0)
        flagged += int(check(net).sum())
        net = random_net(rng, int(rng.integers(4, 14)), int(rng.integers(2, 18)), grid=40, jitter=0.3)
        flagged += int(check(net).sum())
    assert flagged > 0


def test_nearly_collinear_streets_against_the_reference():
    # streets along y = x / 10 whose float vertices are off the line by rounding: the filter cannot tell, GEOS does
    x = np.arange(0.0, 40.0, 0.7)
    lines = [shapely.LineString([(a, a / 10.0), (b, b / 10.0)]) for a, b in itertools.pairwise(x[::3])]
    lines += [shapely.LineString([(a + 0.3, (a + 0.3) / 10.0), (a + 1.4, (a + 1.4) / 10.0)]) for a in x[1::5]]
    lines += [shapely.LineString([(a, a / 10.0), (a + 0.1, 5.0)]) for a in x[2::4]]
    check(network_from_lines(lines, crs=CRS))


def load_synthetic_city():
    """``synthetic_city`` of bench/common.py (a jittered grid with a river and bridges, built from arrays)."""
    spec = importlib.util.spec_from_file_location("bench_common", REPO / "bench" / "common.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_city


def test_synthetic_city_against_the_reference():
    net = load_synthetic_city()(60, seed=1)
    assert not check(net).any()  # a plane drawing: nothing crosses
    # the same city with a few long streets across it, bent ones among them, and a second copy of some segments
    rng = np.random.default_rng(4)
    lo, hi = net.node_xy.min(axis=0), net.node_xy.max(axis=0)
    extra = [shapely.LineString(rng.uniform(lo, hi, (int(rng.integers(2, 5)), 2))) for _ in range(12)]
    copies = list(net.edge_geometry[rng.choice(net.n_edges, 5, replace=False)])
    lines = network_from_lines([*net.edge_geometry, *extra, *copies], crs=CRS)
    flags = check(lines)
    assert flags[net.n_edges :].all() and 40 < flags.sum() < 2000


@pytest.mark.parametrize("name", ["nanjing", "beijing", "shenzhen", "guixi"])
def test_real_extracts_against_the_old_path(name):
    from geo.network import network_from_osm

    path = osm_extract(name)
    with path.open(encoding="utf-8") as f:
        lons = [float(t.split('"')[1]) for t in re.findall(r'lon="[-0-9.]+"', f.read(200_000))[:200]]
    net = network_from_osm(path, crs=f"EPSG:326{int((float(np.mean(lons)) + 180) / 6) + 1:02d}")
    np.testing.assert_array_equal(crossing_flags(net), crossing_flags_geos(net))


def test_demo_study_against_the_reference():
    from planning.coverage.measure import network_for_study
    from planning.study import load_study

    net = network_for_study(load_study(REPO / "data" / "demo"))
    check(net)
