"""Tests of geo.service_area.reach: sparse many-to-many walking times, checked by hand and against nearest_times."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.network import network_from_lines
from geo.service_area import reach_matrix, reach_pattern
from geo.travel import nearest_times, snap_points

CRS = "EPSG:32650"


def _dense(m) -> np.ndarray:
    """Stored entries as a dense array, inf where no pair is stored (explicit zeros stay 0)."""
    out = np.full(m.shape, np.inf, dtype=np.float32)
    coo = m.tocoo()
    out[coo.row, coo.col] = coo.data
    return out


def _street(steps: bool = False, speed: float = 1.0):
    return network_from_lines(
        [shapely.LineString([(0, 0), (1000, 0)])], crs=CRS, walk_speed_m_s=speed, steps=[steps]
    )


def _grid(n: int = 7, spacing: float = 100.0, drop: float = 0.15, seed: int = 3):
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        for j in range(n - 1):
            lines.append(shapely.LineString([(j * spacing, i * spacing), ((j + 1) * spacing, i * spacing)]))
            lines.append(shapely.LineString([(i * spacing, j * spacing), (i * spacing, (j + 1) * spacing)]))
    # a bent segment (two vertices) and a diagonal, so geometry length differs from the straight chord
    lines.append(shapely.LineString([(0, 0), (50, 80), (200, 200)]))
    keep = rng.random(len(lines)) > drop
    keep[-1] = True
    steps = rng.random(len(lines)) < 0.1
    return network_from_lines(np.asarray(lines, dtype=object)[keep], crs=CRS, steps=steps[keep])


def test_straight_street_by_hand():
    net = _street()
    src = snap_points(net, np.array([[100.0, 10.0], [900.0, -30.0]]))
    tgt = snap_points(net, np.array([[700.0, 20.0], [50.0, 5.0], [100.0, 10.0], [1000.0, 290.0]]))
    m = reach_matrix(net, src, tgt, limit_s=700)
    d = _dense(m)
    # source 0 at x=100 (10 m off): 10 + 600 + 20; 10 + 50 + 5 (same street, backwards); itself: 0 + 10 + 10
    assert d[0].tolist() == [630.0, 65.0, 20.0, np.inf]  # the last: 10 + 900 + 290 = 1200 > 700
    # source 1 at x=900 (30 m off): 30 + 200 + 20; 30 + 850 + 5 > 700; 30 + 800 + 10 > 700; 30 + 100 + 290 = 420
    assert d[1].tolist() == [250.0, np.inf, np.inf, 420.0]
    assert m.dtype == np.float32


def test_slower_speed_and_steps_double():
    slow = _street(speed=0.5)
    stairs = _street(steps=True)
    src_xy, tgt_xy = np.array([[100.0, 10.0]]), np.array([[700.0, 20.0]])
    d_slow = _dense(reach_matrix(slow, snap_points(slow, src_xy), snap_points(slow, tgt_xy), limit_s=5000))
    d_steps = _dense(
        reach_matrix(stairs, snap_points(stairs, src_xy), snap_points(stairs, tgt_xy), limit_s=5000)
    )
    assert d_slow[0, 0] == 1260.0  # 630 m at 0.5 m/s
    assert d_steps[0, 0] == 10 + 1200 + 20  # access walks at walking speed, the steps twice as slow


def test_zero_time_pair_is_stored():
    net = _street()
    src = snap_points(net, np.array([[300.0, 0.0]]))
    tgt = snap_points(net, np.array([[300.0, 0.0], [310.0, 0.0]]))
    m = reach_matrix(net, src, tgt, limit_s=100)
    assert m.nnz == 2
    assert _dense(m)[0].tolist() == [0.0, 10.0]
    assert reach_pattern(m).toarray().tolist() == [[True, True]]


def test_far_points_get_empty_rows_and_columns():
    net = _street()
    src = snap_points(net, np.array([[100.0, 10.0], [500.0, 400.0]]))  # the second is 400 m away: far
    tgt = snap_points(net, np.array([[200.0, 0.0], [600.0, 350.0]]))
    m = reach_matrix(net, src, tgt, limit_s=10_000)
    assert m.shape == (2, 2)
    assert _dense(m).tolist() == [[110.0, np.inf], [np.inf, np.inf]]


@pytest.mark.parametrize("limit_s", [0.0, 150.0, 420.0, 2000.0])
def test_columnwise_min_equals_nearest_times(limit_s):
    net = _grid()
    rng = np.random.default_rng(11)
    src_xy = rng.uniform(-50, 650, size=(25, 2))
    tgt_xy = rng.uniform(-50, 650, size=(300, 2))
    # some targets on the sources' own segments, one exactly on a source, one far away
    tgt_xy[:10] = src_xy[:10] + rng.uniform(-30, 30, size=(10, 2))
    tgt_xy[10] = src_xy[3]
    tgt_xy[11] = [5000.0, 5000.0]
    src, tgt = snap_points(net, src_xy), snap_points(net, tgt_xy)
    m = reach_matrix(net, src, tgt, limit_s=limit_s)
    near = nearest_times(net, None, None, limit_s=limit_s, source_snap=src, target_snap=tgt)
    col_min = _dense(m).min(axis=0)
    assert np.array_equal(col_min, near.time_s.astype(np.float32))
    if limit_s >= 420:
        assert np.isfinite(col_min).sum() > 100  # the comparison is not vacuous


def test_every_row_equals_nearest_times_of_that_source():
    net = _grid(seed=5)
    rng = np.random.default_rng(2)
    src_xy = rng.uniform(0, 600, size=(12, 2))
    tgt_xy = np.vstack([rng.uniform(0, 600, size=(150, 2)), src_xy + 7.0])
    src, tgt = snap_points(net, src_xy), snap_points(net, tgt_xy)
    d = _dense(reach_matrix(net, src, tgt, limit_s=600))
    for s in range(len(src)):
        one = nearest_times(net, None, None, limit_s=600, source_snap=src.subset([s]), target_snap=tgt)
        assert np.array_equal(d[s], one.time_s.astype(np.float32)), s


def test_batches_give_the_same_matrix():
    net = _grid(seed=8)
    rng = np.random.default_rng(4)
    src, tgt = snap_points(net, rng.uniform(0, 600, (30, 2))), snap_points(net, rng.uniform(0, 600, (200, 2)))
    whole = reach_matrix(net, src, tgt, limit_s=500)
    for b in (1, 4, 7):
        part = reach_matrix(net, src, tgt, limit_s=500, batch=b)
        assert (whole != part).nnz == 0
        assert np.array_equal(whole.indptr, part.indptr) and np.array_equal(whole.indices, part.indices)
    tiny = reach_matrix(net, src, tgt, limit_s=500, max_batch_bytes=1)
    assert np.array_equal(tiny.data, whole.data)
