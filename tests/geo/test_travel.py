"""Walking times: snapping, access walks, same-segment walks, limits, far points, steps; checked by hand and
against networkx on an independently built graph."""

import itertools

import networkx as nx
import numpy as np
import pytest
import shapely

from geo.csr import network_csr
from geo.errors import OptionError
from geo.network import network_from_lines
from geo.travel import (
    Snap,
    nearest_times,
    node_times_from_sources,
    node_times_per_source,
    snap_points,
)

CRS = "EPSG:4547"


def street(*xs, y=0.0, **kw):
    """A straight east-west street through the given x stations, one segment between each pair."""
    lines = [shapely.LineString([(a, y), (b, y)]) for a, b in itertools.pairwise(xs)]
    return network_from_lines(lines, crs=CRS, **kw)


# --- snapping -----------------------------------------------------------------------------------------------------


def test_snap_points_nearest_edge_along_and_offset():
    net = street(0, 500, 1000)
    snap = snap_points(
        net, np.array([[100, 10], [700, -20], [999, 400], [np.nan, np.nan]]), max_distance_m=300
    )
    assert snap.edge.tolist() == [0, 1, -1, -1]
    assert snap.along_m[:2].tolist() == [100.0, 200.0]
    assert snap.offset_m[:3].tolist() == [10.0, 20.0, 400.0]  # far points still say how far they are
    assert snap.far.tolist() == [False, False, True, True]
    assert np.isnan(snap.along_m[2:]).all()
    assert len(snap) == 4 and snap.subset([1]).along_m.tolist() == [200.0]


# --- the straight street of the brief -----------------------------------------------------------------------------


@pytest.mark.parametrize("stations", [(0, 1000), (0, 500, 1000), (0, 250, 650, 1000)])
def test_straight_street_time_counts_both_access_walks(stations):
    # facility at x=100, 10 m off the street; home at x=700, 20 m off: 10 + 600 + 20 = 630 s at 1 m/s.
    # With one segment the two share it (direct along-segment walk); with more they meet through nodes.
    net = street(*stations)
    res = nearest_times(net, np.array([[100, 10]]), np.array([[700, -20]]), limit_s=10_000)
    assert res.time_s.tolist() == [630.0]
    assert res.source.tolist() == [0]
    slow = nearest_times(net.with_speed(0.5), np.array([[100, 10]]), np.array([[700, -20]]), limit_s=10_000)
    assert slow.time_s.tolist() == [1260.0]


def test_same_segment_walk_is_exact_both_directions_and_picks_the_nearest_source():
    net = street(0, 1000)
    sources = np.array([[100, 10], [900, 0], [600, 250]])
    targets = np.array([[700, -20], [50, 0], [100, 10], [980, 5]])
    res = nearest_times(net, sources, targets, limit_s=10_000)
    # 700: from s1 (200 + 0 + 20 = 220) beats s2 (100 + 250 + 20 = 370) and s0 (630)
    # 50: s0 at 50 + 10 = 60; 100 (same place as s0): 10 + 10 = 20; 980: s1 80 + 5 = 85
    assert res.time_s.tolist() == [220.0, 60.0, 20.0, 85.0]
    assert res.source.tolist() == [1, 0, 0, 1]


def test_loop_segment_goes_the_short_way_round():
    # a closed 400 m square block walked as one loop segment from its corner node (0, 0), plus a spur to (-100, 0)
    loop = shapely.LineString([(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)])
    spur = shapely.LineString([(-100, 0), (0, 0)])
    net = network_from_lines([loop, spur], crs=CRS)
    res = nearest_times(
        net, np.array([[0, 90]]), np.array([[-50, 0]]), limit_s=10_000
    )  # 90 m back to the corner
    assert res.time_s.tolist() == [140.0]


# --- limits, far points, steps ------------------------------------------------------------------------------------


def test_limit_far_points_and_lengths_kept():
    net = street(0, 500, 1000)
    sources = np.array([[0, 0], [500, 5000]])  # the second is 5 km away: far, reaches no one
    targets = np.array([[100, 0], [400, 0], [900, 0], [200, 301], [200, 299]])
    res = nearest_times(net, sources, targets, limit_s=400)
    assert res.time_s.tolist() == [100.0, 400.0, np.inf, np.inf, np.inf]  # 900 s and 499 s are beyond 400 s
    assert res.source.tolist() == [0, 0, -1, -1, -1]
    assert res.target_far.tolist() == [False, False, False, True, False]
    assert res.source_far.tolist() == [False, True]
    wide = nearest_times(net, sources, targets, limit_s=1000)
    assert wide.time_s.tolist() == [100.0, 400.0, 900.0, np.inf, 499.0]


def test_no_placed_source_gives_all_inf():
    net = street(0, 1000)
    res = nearest_times(net, np.array([[0, 900]]), np.array([[10, 0], [20, 0]]), limit_s=1e9)
    assert res.time_s.tolist() == [np.inf, np.inf] and res.source.tolist() == [-1, -1]


def test_steps_segment_doubles_its_time():
    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (200, 0)])]
    net = network_from_lines(lines, crs=CRS, steps=[False, True])
    res = nearest_times(net, np.array([[0, 0]]), np.array([[200, 0], [150, 0], [50, 0]]), limit_s=1e9)
    assert res.time_s.tolist() == [
        300.0,
        200.0,
        50.0,
    ]  # 100 flat + 100 steps x 2; half the steps: 100 + 50 x 2
    # same-segment walk on steps keeps the factor too
    res2 = nearest_times(net, np.array([[110, 0]]), np.array([[190, 0]]), limit_s=1e9)
    assert res2.time_s.tolist() == [160.0]


def test_bad_limit_is_an_option_error():
    net = street(0, 1000)
    with pytest.raises(OptionError, match="negative"):
        nearest_times(net, np.array([[0, 0]]), np.array([[1, 0]]), limit_s=-1)


# --- node times -----------------------------------------------------------------------------------------------------


def test_node_times_nearest_source_and_per_source():
    net = street(0, 100, 200, 300, 400)
    snap = snap_points(net, np.array([[30, 4], [390, 0]]))
    t, s = node_times_from_sources(net, snap, limit_s=200)
    order = np.argsort(net.node_xy[:, 0])
    assert t[order].tolist() == [34.0, 74.0, 174.0, 90.0, 10.0]
    assert s[order].tolist() == [0, 0, 0, 1, 1]
    t2, s2 = node_times_from_sources(net, snap, limit_s=80)
    assert t2[order].tolist() == [34.0, 74.0, np.inf, np.inf, 10.0] and s2[order].tolist() == [
        0,
        0,
        -1,
        -1,
        1,
    ]
    each = node_times_per_source(net, snap, limit_s=200)
    assert each[0][order].tolist() == [34.0, 74.0, 174.0, np.inf, np.inf]
    assert each[1][order].tolist() == [np.inf, np.inf, 190.0, 90.0, 10.0]


def test_network_csr_keeps_the_quicker_of_parallel_segments_and_drops_loops():
    a = shapely.LineString([(0, 0), (100, 0)])
    b = shapely.LineString([(0, 0), (50, 60), (100, 0)])  # a longer way between the same nodes
    loop = shapely.LineString([(100, 0), (150, 50), (150, -50), (100, 0)])
    net = network_from_lines([b, a, loop], crs=CRS)
    csr = network_csr(net)
    assert csr.nnz == 2 and csr.data.tolist() == [100.0, 100.0]
    assert network_csr(net) is csr  # built once per network
    assert network_csr(net.with_speed(0.5)).data.tolist() == [200.0, 200.0]


# --- against networkx on an independently built graph ----------------------------------------------------------------


def _grid_lines(rng, n=6, spacing=100.0, drop=0.15):
    lines, steps = [], []
    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < n and j + dj < n and rng.random() > drop:
                    a, b = (i * spacing, j * spacing), ((i + di) * spacing, (j + dj) * spacing)
                    if rng.random() < 0.3:  # some streets bend
                        mid = (
                            (a[0] + b[0]) / 2 + rng.uniform(-30, 30) * dj,
                            (a[1] + b[1]) / 2 + rng.uniform(-30, 30) * di,
                        )
                        lines.append(shapely.LineString([a, mid, b]))
                    else:
                        lines.append(shapely.LineString([a, b]))
                    steps.append(rng.random() < 0.1)
    return lines, steps


def _nx_times(lines, steps, speed, sources, targets):
    """Times by networkx on a graph where every point is spliced into its nearest line."""
    g = nx.Graph()
    geoms = np.array(lines, dtype=object)
    factor = np.where(steps, 2.0, 1.0) / speed
    pts = np.vstack([sources, targets])
    nearest = np.array([int(np.argmin(shapely.distance(geoms, shapely.Point(p)))) for p in pts])
    for li, line in enumerate(lines):
        on = np.flatnonzero(nearest == li)
        stations = sorted([(line.project(shapely.Point(pts[k])), ("p", int(k))) for k in on])
        seq = [(0.0, tuple(line.coords[0])), *stations, (line.length, tuple(line.coords[-1]))]
        for (d0, a), (d1, b) in itertools.pairwise(seq):
            w = (d1 - d0) * factor[li]
            if g.has_edge(a, b):
                w = min(w, g[a][b]["weight"])
            g.add_edge(a, b, weight=w)
    for k, p in enumerate(pts):
        g.add_edge(("x", k), ("p", k), weight=shapely.distance(geoms[nearest[k]], shapely.Point(p)) / speed)
    dist = nx.multi_source_dijkstra_path_length(g, [("x", k) for k in range(len(sources))], weight="weight")
    return np.array([dist.get(("x", len(sources) + k), np.inf) for k in range(len(targets))])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grid_nearest_times_equal_networkx(seed):
    rng = np.random.default_rng(seed)
    lines, steps = _grid_lines(rng)
    net = network_from_lines(lines, crs=CRS, steps=steps, walk_speed_m_s=0.8)
    sources = rng.uniform(-20, 520, size=(6, 2))
    targets = rng.uniform(-20, 520, size=(60, 2))
    res = nearest_times(net, sources, targets, limit_s=1e9)
    expected = _nx_times(lines, steps, 0.8, sources, targets)
    assert np.allclose(res.time_s, expected, rtol=0, atol=1e-6)
    # the reported source really gives that time
    for j in range(len(sources)):
        mine = res.source == j
        alone = nearest_times(net, sources[j : j + 1], targets[mine], limit_s=1e9)
        assert np.allclose(alone.time_s, res.time_s[mine], rtol=0, atol=1e-6)
    # with a limit: the same times where within it, inf beyond
    lim = float(np.median(expected))
    cut = nearest_times(net, sources, targets, limit_s=lim)
    assert np.array_equal(np.isfinite(cut.time_s), expected <= lim + 1e-9)
    assert np.allclose(cut.time_s[np.isfinite(cut.time_s)], expected[expected <= lim + 1e-9], atol=1e-6)


def test_reusing_snaps_and_none_coordinates():
    net = street(0, 500, 1000)
    ssnap = snap_points(net, np.array([[100, 10]]))
    tsnap = snap_points(net, np.array([[700, -20]]))
    res = nearest_times(net, None, None, limit_s=1e4, source_snap=ssnap, target_snap=tsnap)
    assert res.time_s.tolist() == [630.0]
    assert isinstance(ssnap, Snap)
    with pytest.raises(OptionError):
        nearest_times(net, None, np.array([[0, 0]]), limit_s=10)


@pytest.mark.parametrize("parallel_from", [10**9, 50])
def test_sorted_and_threaded_snapping_equal_the_plain_nearest_search(monkeypatch, parallel_from):
    from geo import travel

    monkeypatch.setattr(travel, "SNAP_PARALLEL_MIN", parallel_from)
    rng = np.random.default_rng(3)
    lines = []
    for i in range(12):
        for j in range(12):
            p = (i * 70.0 + rng.uniform(-5, 5), j * 70.0 + rng.uniform(-5, 5))
            lines.append(shapely.LineString([p, (p[0] + 70, p[1] + rng.uniform(-9, 9))]))
            lines.append(
                shapely.LineString([p, (p[0] + rng.uniform(-9, 9), p[1] + 70), (p[0] + 3, p[1] + 140)])
            )
    net = network_from_lines(lines, crs=CRS)
    xy = rng.uniform(-400, 1300, size=(1500, 2))
    xy[7] = np.nan  # a missing point stays unplaced, in place
    snap = snap_points(net, xy, max_distance_m=200)
    # the plain search: every point against every segment, input order
    ok = np.isfinite(xy).all(axis=1)
    best = shapely.distance(shapely.points(xy[ok])[:, None], net.edge_geometry[None, :]).min(axis=1)
    assert np.allclose(snap.offset_m[ok], best, rtol=0, atol=1e-9)
    assert np.isinf(snap.offset_m[7]) and snap.far[7] and snap.edge[7] == -1
    placed = np.flatnonzero(~snap.far)
    assert np.array_equal(snap.far[ok], best > 200)
    # the chosen segment is at that distance (ties may pick either), and along is measured on it
    chosen = net.edge_geometry[snap.edge[placed]]
    pts = shapely.points(xy[placed])
    assert np.allclose(shapely.distance(pts, chosen), snap.offset_m[placed], atol=1e-9)
    assert np.allclose(snap.along_m[placed], shapely.line_locate_point(chosen, pts), atol=1e-9)
