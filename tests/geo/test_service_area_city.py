"""The quick paths of the service circles (issue 18) against their definitions: per-facility walking times on the
nodes a batch may reach against a run on the whole network, the closed-form cone envelope against the sorting one,
and per-facility and nearest polygons on a mid-size city against a plain union of the reached lines' buffers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.network import network_from_lines
from geo.service_area import SERVICE_AREA_BUFFER_M, reached_lines, service_areas
from geo.service_area.envelope import ends_envelope, lower_envelope
from geo.service_area.local import fastest_pace, local_node_times, spatial_order
from geo.travel import node_times_from_sources, node_times_per_source, snap_points

CRS = "EPSG:4547"
#: The block-based buffers and a union of per-line buffers place GEOS's arc vertices differently (8 per quarter
#: circle): the polygons agree to about 2e-5 of their area (the same before the quick paths).
ARC_REL = 1e-4


def city_lines(n: int = 40, seed: int = 3) -> list[shapely.LineString]:
    """A jittered n x n street grid at 30–45 m, 8 % of segments dropped, a few bent lanes and one long diagonal."""
    rng = np.random.default_rng(seed)
    xs = np.cumsum(rng.uniform(30, 45, n))
    ys = np.cumsum(rng.uniform(30, 45, n))
    pts = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1) + rng.uniform(-4, 4, (n, n, 2))
    lines = []
    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < n and j + dj < n and rng.random() > 0.08:
                    a, b = pts[i, j], pts[i + di, j + dj]
                    if rng.random() < 0.05:  # a bent lane
                        mid = (a + b) / 2 + rng.uniform(-8, 8, 2)
                        lines.append(shapely.LineString([a, mid, b]))
                    else:
                        lines.append(shapely.LineString([a, b]))
    lines.append(shapely.LineString([pts[2, 2], pts[12, 14]]))  # crosses streets without meeting them
    return lines


@pytest.fixture(scope="module")
def city():
    return network_from_lines(city_lines(), crs=CRS)


@pytest.fixture(scope="module")
def facilities(city):
    rng = np.random.default_rng(7)
    lo, hi = city.node_xy.min(axis=0), city.node_xy.max(axis=0)
    return rng.uniform(lo, hi, size=(12, 2))


def test_local_times_equal_a_run_on_the_whole_network(city, facilities):
    snap = snap_points(city, facilities)
    rows = np.flatnonzero(~snap.far)
    for limit in (300.0, 600.0):
        whole = node_times_per_source(city, snap, limit_s=limit, sources=rows)
        times, nodes = local_node_times(city, snap, rows, limit)
        assert np.array_equal(times, whole[:, nodes])  # the same floats, not just close
        outside = np.setdiff1d(np.arange(city.n_nodes), nodes)
        assert np.isinf(whole[:, outside]).all()  # every node left out is beyond the limit
    _, nodes = local_node_times(city, snap, rows[:1], 300.0)
    assert nodes.size < city.n_nodes / 3  # one facility's 5 minutes need a small part of the city


def test_fastest_pace_bounds_every_segment_and_the_walk(city):
    pace = fastest_pace(city)
    assert pace >= city.walk_speed_m_s
    assert (city.edge_length_m <= pace * city.edge_time_s + 1e-9).all()


def test_spatial_order_is_a_permutation(city, facilities):
    snap = snap_points(city, facilities)
    rows = np.flatnonzero(~snap.far)
    assert sorted(spatial_order(city, snap, rows, 300.0)) == sorted(rows)


def test_closed_form_envelope_equals_the_sorting_one():
    # segments of length 0, loops, ties, one-sided reach and dominated ends, with a few source cones
    lines = [
        shapely.LineString([(0, 0), (100, 0)]),
        shapely.LineString([(100, 0), (100, 100)]),
        shapely.LineString([(100, 100), (0, 0)]),
        shapely.LineString([(0, 0), (0, 50), (-40, 60), (0, 0)]),  # a loop
        shapely.LineString([(100, 0), (200, 0)]),
    ]
    net = network_from_lines(lines, crs=CRS)
    rng = np.random.default_rng(1)
    m = net.n_edges
    for trial in range(200):
        g = rng.integers(0, m, 40)
        edge = np.asarray(g, dtype=np.int64)
        length = net.edge_length_m[edge]
        rate = np.asarray(net.edge_time_s, float)[edge] / length
        tu = rng.choice([np.inf, 0.0, 10.0, 50.0], size=edge.size) + rng.integers(0, 3, edge.size)
        # tv: sometimes reached through the segment itself (tu + L * rate), sometimes exactly tied
        tv = np.where(rng.random(edge.size) < 0.3, tu + length * rate, rng.uniform(0, 200, edge.size))
        tv[rng.random(edge.size) < 0.2] = np.inf
        ou, ov = rng.integers(0, 5, edge.size), rng.integers(0, 5, edge.size)
        special = np.unique(rng.integers(0, edge.size, 4)) if trial % 2 else np.empty(0, dtype=np.int64)
        sg = np.repeat(special, 2)
        sa = rng.uniform(0, 1, sg.size) * length[sg]
        st = rng.uniform(0, 100, sg.size)
        so = rng.integers(0, 5, sg.size)
        got = ends_envelope(net, edge, tu, tv, ou, ov, special, (sg, sa, st, so))
        fu, fv = np.flatnonzero(np.isfinite(tu)), np.flatnonzero(np.isfinite(tv))
        want = lower_envelope(
            net,
            edge,
            np.concatenate([fu, fv, sg]),
            np.concatenate([np.zeros(fu.size), length[fv], sa]),
            np.concatenate([tu[fu], tv[fv], st]),
            np.concatenate([ou[fu], ov[fv], so]),
        )
        for name in ("group", "edge", "apex", "time", "owner", "lo", "hi", "rate", "length"):
            assert np.array_equal(got[name], want[name]), (trial, name)


def _reference(city, snap, rows, limit):
    t, _ = node_times_from_sources(city, snap.subset(rows), limit_s=limit)
    lines = reached_lines(city, t, limit_s=limit, source_snap=snap.subset(rows))
    return shapely.union_all(shapely.buffer(lines, SERVICE_AREA_BUFFER_M))


def test_per_facility_circles_on_a_city_equal_the_union_of_line_buffers(city, facilities):
    per = service_areas(city, facilities, minutes=(5, 10), mode="per_facility")
    snap = snap_points(city, facilities)
    geoms = per.geometry.to_numpy().reshape(len(facilities), 2)
    assert shapely.is_valid(geoms).all()
    for f in range(len(facilities)):
        for b, limit in enumerate((300.0, 600.0)):
            ref = _reference(city, snap, [f], limit)
            got = geoms[f, b]
            assert shapely.symmetric_difference(got, ref).area <= ARC_REL * ref.area, (f, b)


def test_nearest_parts_on_a_city_are_disjoint_and_add_up_to_the_dissolved_area(city, facilities):
    near = service_areas(city, facilities, minutes=(5, 10), mode="nearest")
    dissolved = service_areas(city, facilities, minutes=(5, 10))
    snap = snap_points(city, facilities)
    for b, limit in enumerate((300.0, 600.0)):
        parts = near[near.band_min == (5, 10)[b]].geometry.to_numpy()
        assert shapely.is_valid(parts).all()
        total = shapely.area(parts).sum()
        assert total - shapely.union_all(parts).area < 1.0  # disjoint
        ref = _reference(city, snap, np.arange(len(facilities)), limit)
        whole = dissolved.geometry.iloc[b]
        assert shapely.symmetric_difference(whole, ref).area <= ARC_REL * ref.area
        assert total == pytest.approx(ref.area, rel=1e-2)  # nothing lost but slivers at the seams
