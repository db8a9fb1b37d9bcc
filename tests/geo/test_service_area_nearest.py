"""Nearest-mode service circles: the band's dissolved area split by who owns the nearest reached street, checked
against the dissolved area itself and against a brute-force nearest-street owner of sample points."""

import numpy as np
import pytest
import shapely

from geo.network import network_from_lines
from geo.service_area import service_areas
from geo.service_area.envelope import band_pieces, network_envelope
from geo.service_area.segments import cut_segments
from geo.travel import node_times_from_sources, snap_points
from tests.geo.test_service_area_city import city_lines

CRS = "EPSG:4547"
BANDS = (5, 10)


@pytest.fixture(scope="module")
def city():
    return network_from_lines(city_lines(), crs=CRS)


@pytest.fixture(scope="module")
def facilities(city):
    rng = np.random.default_rng(11)
    lo, hi = city.node_xy.min(axis=0), city.node_xy.max(axis=0)
    return rng.uniform(lo, hi, size=(10, 2))


@pytest.fixture(scope="module")
def split(city, facilities):
    near = service_areas(city, facilities, minutes=BANDS, mode="nearest")
    dissolved = service_areas(city, facilities, minutes=BANDS)
    return near, dissolved


def owner_lines(net, facilities, limit_s):
    """Each reached piece of a band as a line, and the facility reaching it first (the owner)."""
    snap = snap_points(net, facilities)
    node_t, node_s = node_times_from_sources(net, snap, limit_s=limit_s)
    env = network_envelope(net, node_t, node_s, limit_s, snap)
    pieces = band_pieces(env, limit_s, by_owner=True)
    return cut_segments(net, pieces["edge"], pieces["start"], pieces["end"]), pieces["owner"]


def test_nearest_parts_partition_the_dissolved_area(split, facilities):
    near, dissolved = split
    for b, band in enumerate(BANDS):
        parts = near[near.band_min == band].geometry.to_numpy()
        whole = dissolved.geometry.iloc[b]
        assert len(parts) == len(facilities) and shapely.is_valid(parts).all()
        total = shapely.area(parts).sum()
        union = shapely.union_all(parts)
        assert total - union.area < 1e-6 * whole.area  # disjoint
        # the parts are cut from the dissolved area itself: together they are that area, not just nearly
        assert shapely.symmetric_difference(union, whole).area < 1e-6 * whole.area


def test_each_point_goes_to_the_owner_of_its_nearest_street(city, facilities, split):
    near, _ = split
    rng = np.random.default_rng(5)
    for band in BANDS:
        lines, owner = owner_lines(city, facilities, 60.0 * band)
        parts = near[near.band_min == band].geometry.to_numpy()
        lo, hi = shapely.total_bounds(parts)[:2], shapely.total_bounds(parts)[2:]
        xy = rng.uniform(lo, hi, size=(3000, 2))
        pts = shapely.points(xy)
        # brute force: the distance from each point to every owner's nearest reached street
        dist = np.full((len(xy), len(facilities)), np.inf)
        for f in np.unique(owner):
            dist[:, f] = shapely.distance(pts, shapely.multilinestrings(lines[owner == f]))
        ranked = np.sort(dist, axis=1)
        served = ranked[:, 0] < 49.0  # clear of the buffer's rim
        # clear of the seams: the Voronoi points lie 10 m apart, so the seam may move up to 5 m
        clear = served & (ranked[:, 1] - ranked[:, 0] > 6.0)
        assert clear.sum() > 500
        inside = shapely.contains_xy(parts[:, None], xy[None, :, 0], xy[None, :, 1])  # (facility, point)
        assert (inside.sum(axis=0)[served] == 1).all()  # every served point lies in exactly one part
        assert (inside.argmax(axis=0)[clear] == dist[clear].argmin(axis=1)).all()


def test_a_facility_alone_keeps_its_whole_area():
    # two streets 1 km apart: each facility's area touches no other, so its part is its whole area
    net = network_from_lines(
        [shapely.LineString([(0, 0), (1000, 0)]), shapely.LineString([(0, 1000), (1000, 1000)])], crs=CRS
    )
    xy = np.array([[100.0, 0.0], [900.0, 1000.0]])
    near = service_areas(net, xy, minutes=(5,), mode="nearest").geometry.to_numpy()
    per = service_areas(net, xy, minutes=(5,), mode="per_facility").geometry.to_numpy()
    for a, b in zip(near, per, strict=True):
        assert shapely.symmetric_difference(a, b).area < 1e-6 * b.area
    one = service_areas(net, xy[:1], minutes=(5, 10), mode="nearest").geometry.to_numpy()
    alone = service_areas(net, xy[:1], minutes=(5, 10)).geometry.to_numpy()
    assert shapely.equals_exact(one, alone).all()  # a single owner gets the dissolved area itself
