"""Service-circle polygons: reached lines cut exactly, buffers of the reachable network (never hulls), bands,
rings, per-facility and nearest-facility areas; checked by hand and against a plain union of buffers."""

import itertools

import numpy as np
import pytest
import shapely

from geo.errors import OptionError
from geo.network import network_from_lines
from geo.service_area import SERVICE_AREA_BUFFER_M, reached_lines, service_areas
from geo.travel import nearest_times, node_times_from_sources, snap_points

CRS = "EPSG:4547"
ARC = 0.01  # GEOS draws a 50 m round cap with 8 segments per quarter circle: areas come out ~0.6% small


def pieces(points, step):
    """A polyline through ``points`` cut into segments of at most ``step`` metres (a node at every cut)."""
    line = shapely.LineString(points)
    stations = np.unique(
        np.concatenate(
            [
                np.arange(0.0, line.length, step),
                [line.length],
                [line.project(shapely.Point(p)) for p in points],
            ]
        )
    )
    cuts = shapely.line_interpolate_point(line, stations)
    return [shapely.LineString([a, b]) for a, b in itertools.pairwise(cuts)]


def reference_area(lines, buffer_m=SERVICE_AREA_BUFFER_M):
    """The slow, obviously right answer: the union of one buffer per line."""
    return shapely.union_all(shapely.buffer(np.asarray(lines, dtype=object), buffer_m))


# --- reached lines -------------------------------------------------------------------------------------------------


def test_partial_edge_reaches_exactly_300_m_in_5_minutes():
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    snap = snap_points(net, np.array([[0.0, 0.0]]))
    t, _ = node_times_from_sources(net, snap, limit_s=300)
    lines = reached_lines(net, t, limit_s=300, source_snap=snap)
    assert [ln.coords[:] for ln in lines] == [[(0.0, 0.0), (300.0, 0.0)]]
    area = service_areas(net, np.array([[0.0, 0.0]]), minutes=(5,))
    geom = area.geometry.iloc[0]
    assert geom.bounds == (-50.0, -50.0, 350.0, 50.0)  # 300 m of street plus the 50 m buffer beyond its end
    assert geom.area == pytest.approx(300 * 100 + np.pi * 50**2, rel=ARC)


def test_facility_in_the_middle_of_a_long_segment_walks_both_ways():
    # facility 10 m off the middle of a 1000 m segment: 290 s of walking left each way along it
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    snap = snap_points(net, np.array([[500.0, 10.0]]))
    t, _ = node_times_from_sources(net, snap, limit_s=300)
    assert np.isinf(t).all()  # no end node is reached ...
    lines = reached_lines(net, t, limit_s=300, source_snap=snap)
    assert [ln.coords[:] for ln in lines] == [[(210.0, 0.0), (790.0, 0.0)]]  # ... yet 580 m of street is
    assert reached_lines(net, t, limit_s=300).size == 0  # only what end nodes reach, without the source


def test_segment_reached_from_both_ends_keeps_the_unreached_middle_out():
    # a block from corner (0, 0): south side to (100, 0), west side up to (0, 100), north side to (100, 100);
    # the east side is a bent lane 2 x 111.8 = 223.6 m long, entered from both of its ends
    lines = [
        shapely.LineString([(0, 0), (100, 0)]),
        shapely.LineString([(100, 0), (200, 50), (100, 100)]),
        shapely.LineString([(100, 100), (0, 100)]),
        shapely.LineString([(0, 100), (0, 0)]),
    ]
    net = network_from_lines(lines, crs=CRS)
    snap = snap_points(net, np.array([[0.0, 0.0]]))
    t, _ = node_times_from_sources(net, snap, limit_s=250)
    got = reached_lines(net, t, limit_s=250, source_snap=snap)
    # three whole sides; the lane gets 150 m from (100, 0) (250 - 100 s left) and 50 m from (100, 100)
    # (250 - 200 s left); the 23.6 m between stays out
    assert sorted(np.round(shapely.length(got), 9)) == [50.0, 100.0, 100.0, 100.0, 150.0]
    tips = {tuple(np.round(ln.coords[-1], 2)) for ln in got if ln.coords[0] == (100.0, 0.0)}
    tips |= {tuple(np.round(ln.coords[0], 2)) for ln in got if ln.coords[-1] == (100.0, 100.0)}
    # 150 m from (100, 0): 111.8 m to the bend, 38.2 m on; 50 m back from (100, 100) towards the bend
    assert tips == {(165.84, 67.08), (144.72, 77.64)}
    assert shapely.length(got).sum() == pytest.approx(500.0)


def test_steps_halve_the_reach():
    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (400, 0)])]
    net = network_from_lines(lines, crs=CRS, steps=[False, True])
    snap = snap_points(net, np.array([[0.0, 0.0]]))
    t, _ = node_times_from_sources(net, snap, limit_s=300)
    got = reached_lines(net, t, limit_s=300, source_snap=snap)
    assert shapely.length(got).sum() == pytest.approx(200.0)  # 100 m flat, then 200 s buy 100 m of steps


# --- the river: why service areas are not hulls ---------------------------------------------------------------------


def river_network():
    """A river meander: the north-bank street runs along the top (y=200) and down both sides (x=+-300); the
    peninsula inside holds a street 200 m south of the north street (y=0, x in -150..150) and a spine down to
    y=-2000, where the only bridge crosses to the east bank, 2 km away."""
    lines = []
    lines += pieces([(-300, -2000), (-300, 200), (300, 200), (300, -2000)], 50)  # north/outer bank
    lines += pieces([(-150, 0), (150, 0)], 50)  # the peninsula street opposite the facility
    lines += pieces([(0, 0), (0, -2000)], 100)  # its spine
    lines += pieces([(0, -2000), (300, -2000)], 100)  # the bridge
    return network_from_lines(lines, crs=CRS)


def test_river_service_area_does_not_jump_the_river_but_a_hull_would():
    net = river_network()
    facility = np.array([[0.0, 210.0]])
    opposite = shapely.Point(0, 0)
    # walking there really takes far longer than 10 minutes (round by the bridge)
    walk = nearest_times(net, facility, np.array([[0.0, 0.0]]), limit_s=1e9).time_s[0]
    assert walk == pytest.approx(10 + 300 + 2200 + 300 + 2000)
    area = service_areas(net, facility, minutes=(10,)).geometry.iloc[0]
    assert not area.intersects(opposite)
    assert area.distance(opposite) == pytest.approx(
        200 - SERVICE_AREA_BUFFER_M
    )  # the north street's buffer edge
    # the hull of the reached nodes (down both banks to y=-50) swallows the peninsula street
    snap = snap_points(net, facility)
    t, _ = node_times_from_sources(net, snap, limit_s=600)
    hull = shapely.MultiPoint(net.node_xy[t <= 600]).convex_hull
    assert hull.contains(opposite)


# --- bands, rings, modes ----------------------------------------------------------------------------------------------


def grid_lines(n=9, spacing=100.0, seed=0):
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        for j in range(n):
            if i + 1 < n and rng.random() > 0.15:
                lines.append(
                    shapely.LineString([(i * spacing, j * spacing), ((i + 1) * spacing, j * spacing)])
                )
            if j + 1 < n and rng.random() > 0.15:
                lines.append(
                    shapely.LineString([(i * spacing, j * spacing), (i * spacing, (j + 1) * spacing)])
                )
    # a flyover crossing two blocks without meeting the streets below, joined only at its ends
    lines.append(shapely.LineString([(150, 350), (450, 650)]))
    lines += [shapely.LineString([(100, 300), (150, 350)]), shapely.LineString([(450, 650), (500, 700)])]
    return lines


FACILITIES = np.array([[120.0, 110.0], [640.0, 480.0], [310.0, 690.0]])


@pytest.fixture(scope="module")
def grid():
    return network_from_lines(grid_lines(), crs=CRS)


def test_dissolved_area_equals_the_union_of_line_buffers(grid):
    areas = service_areas(grid, FACILITIES, minutes=(5, 10, 15))
    assert areas["band_min"].tolist() == [5, 10, 15] and areas["facility"].tolist() == [-1, -1, -1]
    assert areas.crs == grid.crs
    snap = snap_points(grid, FACILITIES)
    for limit, geom in zip((300, 600, 900), areas.geometry, strict=False):
        t, _ = node_times_from_sources(grid, snap, limit_s=limit)
        ref = reference_area(reached_lines(grid, t, limit_s=limit, source_snap=snap))
        assert geom.is_valid
        assert shapely.symmetric_difference(geom, ref).area < 1e-6 * ref.area + 1.0


def test_dissolved_rim_united_in_spatial_chunks_on_threads_is_the_same_area(grid, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    import geo.service_area.blocks as blocks

    whole = service_areas(grid, FACILITIES, minutes=(5, 10, 15))
    # chunks of 3 rim lines: every band's rim is cut into many chunks, built by two threads, then united
    monkeypatch.setattr(blocks, "RIM_CHUNK_LINES", 3)
    chunked = service_areas(grid, FACILITIES, minutes=(5, 10, 15))
    for a, b in zip(whole.geometry, chunked.geometry, strict=True):
        assert b.is_valid
        assert shapely.symmetric_difference(a, b).area < 1e-9 * a.area + 1e-3
    # the same through dissolved_area with and without a pool
    from geo.service_area.envelope import band_pieces, network_envelope

    snap = snap_points(grid, FACILITIES)
    t, s = node_times_from_sources(grid, snap, limit_s=600)
    pieces = band_pieces(network_envelope(grid, t, s, 600, snap), 300, by_owner=False)
    alone = blocks.dissolved_area(grid, pieces, SERVICE_AREA_BUFFER_M)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = blocks.dissolved_area(grid, pieces, SERVICE_AREA_BUFFER_M, pool=pool)
    assert len(blocks.dissolved_parts(grid, pieces, SERVICE_AREA_BUFFER_M)) > 3
    assert shapely.symmetric_difference(alone, pooled).area < 1e-9 * alone.area + 1e-3


def test_hilbert_order_visits_every_cell_once_stepping_to_a_neighbour():
    from geo.service_area.blocks import spatial_chunks

    # lines starting at the 16 x 16 cell centres: each chunk of 16 is a 4 x 4 square of cells
    xy = np.array([(x + 0.5, y + 0.5) for x in range(16) for y in range(16)])
    lines = shapely.linestrings([[p, p + 0.1] for p in xy])
    chunks = spatial_chunks(lines, 16)
    assert sorted(np.concatenate(chunks).tolist()) == list(range(256))
    for chunk in chunks:
        box = xy[chunk]
        assert np.ptp(box[:, 0]) == 3 and np.ptp(box[:, 1]) == 3


def test_bands_nest_and_rings_exclude_the_inner_band(grid):
    plain = service_areas(grid, FACILITIES, minutes=(5, 10))
    rings = service_areas(grid, FACILITIES, minutes=(5, 10), rings=True)
    assert rings["band_from_min"].tolist() == [0, 5] and plain["band_from_min"].tolist() == [0, 0]
    five, ten = plain.geometry
    ring = rings.geometry.iloc[1]
    assert five.within(ten.buffer(1e-6))
    assert ring.intersection(five).area < 1e-6
    assert ring.area == pytest.approx(ten.area - five.area, rel=1e-9)
    assert rings.geometry.iloc[0].equals(five)


def test_per_facility_areas_overlap_and_each_is_its_own_circle(grid):
    per = service_areas(grid, FACILITIES, minutes=(10, 15), mode="per_facility")
    assert per["facility"].tolist() == [0, 0, 1, 1, 2, 2]
    assert per["band_min"].tolist() == [10, 15] * 3
    fifteen = per[per.band_min == 15].geometry.to_numpy()
    assert shapely.intersection(fifteen[0], fifteen[1]).area > 10_000  # neighbours' circles overlap
    one = service_areas(grid, FACILITIES[1:2], minutes=(15,)).geometry.iloc[0]
    assert shapely.symmetric_difference(one, fifteen[1]).area < 1.0
    dissolved = service_areas(grid, FACILITIES, minutes=(15,)).geometry.iloc[0]
    assert shapely.symmetric_difference(shapely.union_all(fifteen), dissolved).area < 1.0


def test_per_facility_batches_in_flight_give_the_same_polygons(grid, monkeypatch):
    # one facility per batch: the polygons of each batch are built while the next batch's times are computed, and
    # every (facility, band) must still land in its own row; a far facility keeps its empty rows
    import geo.service_area.areas as sa

    xy = np.vstack([FACILITIES, [[1e7, 1e7]], FACILITIES[:1]])
    one_batch = service_areas(grid, xy, minutes=(5, 10, 15), mode="per_facility")
    monkeypatch.setattr(sa, "BATCH_FACILITIES", 1)
    batched = service_areas(grid, xy, minutes=(5, 10, 15), mode="per_facility")
    assert batched["facility"].tolist() == one_batch["facility"].tolist()
    assert batched["band_min"].tolist() == one_batch["band_min"].tolist()
    a, b = one_batch.geometry.to_numpy(), batched.geometry.to_numpy()
    assert shapely.equals_exact(a, b).all()
    assert shapely.is_empty(b[9:12]).all() and not shapely.is_empty(b[:9]).any()
    assert shapely.equals_exact(b[12:15], b[0:3]).all()  # the same place twice: the same circles


def test_nearest_areas_are_disjoint_and_add_up_to_the_dissolved_area(grid):
    near = service_areas(grid, FACILITIES, minutes=(10, 15), mode="nearest")
    dissolved = service_areas(grid, FACILITIES, minutes=(10, 15))
    for band, d in zip((10, 15), dissolved.geometry, strict=False):
        parts = near[near.band_min == band].geometry.to_numpy()
        assert len(parts) == 3 and shapely.is_valid(parts).all()
        total = sum(p.area for p in parts)
        assert total - shapely.union_all(parts).area < 1.0  # no overlaps (up to rounding)
        assert total == pytest.approx(d.area, rel=2e-3)  # nothing lost but slivers at the seams
    # each part holds its own facility and no other
    fifteen = near[near.band_min == 15].geometry.to_numpy()
    inside = shapely.contains_xy(fifteen[:, None], FACILITIES[None, :, 0], FACILITIES[None, :, 1])
    assert inside.tolist() == [[True, False, False], [False, True, False], [False, False, True]]
    rings = service_areas(grid, FACILITIES, minutes=(10, 15), mode="nearest", rings=True).geometry.to_numpy()
    assert sum(g.area for g in rings) - shapely.union_all(rings).area < 1.0  # rings and bands all disjoint


def test_nearest_splits_a_shared_street_at_the_equal_time_point():
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    near = service_areas(net, np.array([[0.0, 0.0], [1000.0, 40.0]]), minutes=(10,), mode="nearest")
    a, b = near.geometry
    # facility 1 loses 40 s to its offset, so the two reach x at equal times where x = 1000 - x + 40: x = 520.
    # The seam between the two areas sits there, give or take the Voronoi point spacing (buffer / 5 = 10 m)
    assert a.bounds[2] == pytest.approx(520.0, abs=SERVICE_AREA_BUFFER_M / 5)
    assert b.bounds[0] == pytest.approx(520.0, abs=SERVICE_AREA_BUFFER_M / 5)
    assert a.intersection(b).area < 1e-6


def test_far_facility_keeps_its_rows_with_empty_areas():
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    per = service_areas(net, np.array([[0.0, 0.0], [500.0, 900.0]]), minutes=(5, 10), mode="per_facility")
    assert per["facility"].tolist() == [0, 0, 1, 1]
    assert per.geometry.is_empty.tolist() == [False, False, True, True]


def test_buffer_option_and_progress():
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    calls = []
    got = service_areas(
        net, np.array([[0.0, 0.0]]), minutes=(5,), buffer_m=20, progress=lambda f, m: calls.append(f)
    )
    assert got.geometry.iloc[0].bounds == (-20.0, -20.0, 320.0, 20.0)
    assert calls[0] == 0.0 and calls[-1] == 1.0


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"mode": "hull"}, "mode"),
        ({"minutes": (10, 5)}, "increasing"),
        ({"buffer_m": 0}, "buffer_m"),
        ({"minutes": ()}, "increasing"),
    ],
)
def test_bad_options_are_option_errors(kw, match):
    net = network_from_lines([shapely.LineString([(0, 0), (1000, 0)])], crs=CRS)
    with pytest.raises(OptionError, match=match):
        service_areas(net, np.array([[0.0, 0.0]]), **kw)


# --- real streets -------------------------------------------------------------------------------------------------------


def test_real_streets_nanjing(realdata):
    from geo.network import network_from_osm
    from tests.conftest import osm_extract

    net = network_from_osm(osm_extract("nanjing"), crs="EPSG:4548")
    rng = np.random.default_rng(7)
    fac = net.node_xy[rng.choice(net.n_nodes, 8, replace=False)] + rng.normal(0, 15, (8, 2))
    dissolved = service_areas(net, fac, minutes=(15,)).geometry.iloc[0]
    snap = snap_points(net, fac)
    t, _ = node_times_from_sources(net, snap, limit_s=900)
    ref = reference_area(reached_lines(net, t, limit_s=900, source_snap=snap))
    assert dissolved.is_valid and shapely.symmetric_difference(dissolved, ref).area < 1e-5 * ref.area
    near = service_areas(net, fac, minutes=(15,), mode="nearest").geometry.to_numpy()
    assert sum(g.area for g in near) - shapely.union_all(near).area < 1.0


# --- blocks found once per network ----------------------------------------------------------------------------------


def blocks_lines():
    """A 4 x 4 grid of 100 m blocks with everything the block cache must get right: a dead end into a block, a
    street loop standing alone inside a block (a second part of the network), a loop hanging into a block by a
    single path, a bent street, a flyover crossing streets without meeting them, and a river (the north bank's
    streets reach the south bank only over one bridge at the east end)."""
    lines = []
    for i in range(5):
        for j in range(4):
            if not (i == 3 and j == 0):
                lines.append(shapely.LineString([(i * 100, j * 100), (i * 100, (j + 1) * 100)]))
            lines.append(shapely.LineString([(j * 100, i * 100), ((j + 1) * 100, i * 100)]))
    lines.append(
        shapely.LineString([(300, 0), (330, 40), (300, 100)])
    )  # bent street instead of x = 300, y 0-100
    lines.append(shapely.LineString([(100, 100), (60, 60)]))  # dead end into block (0, 0)
    lines += [
        shapely.LineString(p)
        for p in itertools.pairwise([(230, 230), (270, 230), (270, 270), (230, 270), (230, 230)])
    ]  # alone in block (2, 2)
    lines.append(shapely.LineString([(100, 200), (130, 230)]))  # path into block (1, 2) ...
    lines += [
        shapely.LineString(p)
        for p in itertools.pairwise([(130, 230), (170, 230), (170, 270), (130, 270), (130, 230)])
    ]  # ... to a loop
    lines += [
        shapely.LineString(p) for p in itertools.pairwise([(200, 400), (170, 370), (190, 360), (200, 400)])
    ]  # touches block (1, 3) at a corner
    lines.append(
        shapely.LineString([(300, 300), (380, 180), (400, 200)])
    )  # flyover over y = 200, ends at nodes
    # south of a river (y 0 to -80): two blocks, joined to the north only by a bridge at x = 400
    lines += [
        shapely.LineString(p)
        for p in [
            ((0, -80), (100, -80)),
            ((100, -80), (200, -80)),
            ((0, -80), (0, -180)),
            ((0, -180), (100, -180)),
            ((100, -180), (200, -180)),
            ((200, -80), (200, -180)),
            ((100, -80), (100, -180)),
            ((200, -80), (400, -80)),
            ((400, -80), (400, 0)),
        ]
    ]
    return lines


@pytest.fixture(scope="module")
def blocks_net():
    return network_from_lines(blocks_lines(), crs=CRS)


def test_blocks_of_the_network_match_geos_polygonize(blocks_net):
    from geo.service_area.blocks import planar_faces
    from geo.service_area.crossings import crossing_flags

    faces = planar_faces(blocks_net)
    plain = blocks_net.edge_geometry[~crossing_flags(blocks_net)]
    geos = shapely.get_parts(shapely.polygonize(plain))
    assert crossing_flags(blocks_net).sum() >= 1  # the flyover (and the streets it crosses) are left out
    usable = faces["poly"][faces["usable"]]
    # every usable block is one of GEOS's faces, drawn exactly
    for block in usable:
        match = geos[shapely.equals(geos, block)]
        assert match.size == 1 and shapely.get_num_interior_rings(match[0]) == 0
    # the blocks holding the lone loop (GEOS gives it a hole), the hanging loop and the touching loop are set aside
    assert (~faces["usable"]).sum() == 3
    assert shapely.is_valid(usable).all()
    # 16 blocks, two of them one face where the flyover's street is left out, the three loops, the south bank's 2
    assert len(geos) == len(faces["poly"]) == 20
    # the dead end lies inside block (0, 0) and bounds no block
    dead = np.flatnonzero(
        shapely.equals(blocks_net.edge_geometry, shapely.LineString([(100, 100), (60, 60)]))
    )
    inner = faces["inner_face"][dead[0]]
    assert inner >= 0 and faces["poly"][inner].equals(shapely.box(0, 0, 100, 100))


@pytest.mark.parametrize(
    "facilities",
    [
        [[50.0, 5.0]],
        [[150.0, 150.0], [390.0, 210.0]],
        [[250.0, 250.0]],
        [[100.0, -130.0], [20.0, 390.0]],
        [[160.0, 330.0]],
    ],
)
def test_cached_blocks_give_the_same_area_as_polygonising_the_lines(blocks_net, facilities):
    from geo.service_area.blocks import buffer_lines, dissolved_area
    from geo.service_area.crossings import crossing_flags
    from geo.service_area.envelope import band_pieces, network_envelope
    from geo.service_area.segments import cut_segments

    net = blocks_net
    snap = snap_points(net, np.array(facilities))
    t, s = node_times_from_sources(net, snap, limit_s=900)
    env = network_envelope(net, t, s, 900, snap)
    for limit in (60, 150, 300, 420, 900):
        pieces = band_pieces(env, limit, by_owner=False)
        lines = cut_segments(net, pieces["edge"], pieces["start"], pieces["end"])
        crossing = crossing_flags(net)[pieces["edge"]]
        cached = dissolved_area(net, pieces, SERVICE_AREA_BUFFER_M)
        plain = buffer_lines(lines, crossing, SERVICE_AREA_BUFFER_M)
        ref = reference_area(lines)
        assert cached.is_valid
        assert shapely.symmetric_difference(cached, plain).area < 1e-9 * plain.area + 1e-3
        assert shapely.symmetric_difference(cached, ref).area < 1e-6 * ref.area + 1.0


def test_cached_blocks_keep_the_river_uncrossed(blocks_net):
    # from the north bank's south-west corner, 5 minutes reach the south bank only round by the bridge
    area = service_areas(blocks_net, np.array([[0.0, 0.0]]), minutes=(5,), buffer_m=30).geometry.iloc[0]
    assert not area.intersects(shapely.Point(50, -130))  # the middle of the south bank's first block
    assert area.distance(shapely.Point(50, -130)) > 20
    per = service_areas(
        blocks_net, np.array([[0.0, 0.0], [400.0, 400.0]]), minutes=(5, 10), mode="per_facility", buffer_m=30
    )
    alone = service_areas(blocks_net, np.array([[400.0, 400.0]]), minutes=(5, 10), buffer_m=30)
    for a, b in zip(per.geometry.iloc[2:], alone.geometry, strict=False):
        assert shapely.symmetric_difference(a, b).area < 1e-6 * b.area + 1e-3


def test_nearest_areas_built_in_voronoi_tiles_equal_one_diagram(grid, monkeypatch):
    from geo.service_area import nearest

    one = service_areas(grid, FACILITIES, minutes=(15,), mode="nearest").geometry.to_numpy()
    monkeypatch.setattr(nearest, "VORONOI_TILE_POINTS", 300)  # dozens of tiles on this small grid
    tiled = service_areas(grid, FACILITIES, minutes=(15,), mode="nearest").geometry.to_numpy()
    assert shapely.is_valid(tiled).all()
    assert sum(g.area for g in tiled) - shapely.union_all(tiled).area < 1.0  # still disjoint
    for a, b in zip(one, tiled, strict=False):
        assert shapely.symmetric_difference(a, b).area < 1.0


def _nearest_both_ways(net, facilities, minutes, monkeypatch, **kw):
    """Nearest-mode areas with streets inside one owner's blocks left out of the Voronoi diagram (as built), and
    with every reached street segmentised (the diagram before that shortcut), plus the count of pieces left out."""
    from geo.service_area import nearest

    real = nearest.hidden_pieces
    hidden = []

    def spy(*args):
        out = real(*args)
        hidden.append(int(out.sum()))
        return out

    monkeypatch.setattr(nearest, "hidden_pieces", spy)
    quick = service_areas(net, facilities, minutes=minutes, mode="nearest", **kw).geometry.to_numpy()
    monkeypatch.setattr(nearest, "hidden_pieces", lambda net, row, *rest: np.zeros(row.size, dtype=bool))
    full = service_areas(net, facilities, minutes=minutes, mode="nearest", **kw).geometry.to_numpy()
    monkeypatch.undo()
    return quick, full, sum(hidden)


def _assert_same_split(quick, full, n_bands):
    assert shapely.is_valid(quick).all()
    for b in range(n_bands):  # rows are facility-major: each band's parts are disjoint
        band = quick[b::n_bands]
        assert sum(g.area for g in band) - shapely.union_all(band).area < 1.0
    for a, b in zip(quick, full, strict=False):
        # the same split up to slivers at street corners (the Voronoi point spacing is 10 m)
        assert shapely.symmetric_difference(a, b).area < 1e-4 * max(b.area, 1.0) + 5.0


def test_nearest_areas_leave_streets_inside_one_owners_blocks_out_of_the_voronoi_diagram(grid, monkeypatch):
    quick, full, hidden = _nearest_both_ways(grid, FACILITIES, (5, 10, 15), monkeypatch)
    assert hidden > 20  # the shortcut is taken: streets between two blocks of one facility
    _assert_same_split(quick, full, 3)


@pytest.mark.parametrize(
    "facilities",
    [
        [[150.0, 150.0], [390.0, 210.0]],
        [[100.0, -130.0], [20.0, 390.0]],
        [[0.0, 0.0], [400.0, 400.0], [250.0, 250.0]],
        [[60.0, 62.0], [300.0, 0.0]],
    ],
)
def test_nearest_areas_shortcut_on_blocks_with_loops_flyover_and_river(blocks_net, facilities, monkeypatch):
    quick, full, _ = _nearest_both_ways(
        blocks_net, np.array(facilities), (3, 5, 10), monkeypatch, buffer_m=30
    )
    _assert_same_split(quick, full, 3)


def test_nearest_areas_keep_the_river_uncrossed(blocks_net):
    near = service_areas(
        blocks_net, np.array([[0.0, 0.0], [400.0, 400.0]]), minutes=(5,), mode="nearest", buffer_m=30
    ).geometry.to_numpy()
    # 5 minutes from the north bank's south-west corner reach the south bank only round by the bridge
    assert not near[0].intersects(shapely.Point(50, -130)) and near[0].distance(shapely.Point(50, -130)) > 20
    assert not near[1].intersects(shapely.Point(50, -130))


def test_nearest_areas_give_another_facilitys_dead_end_inside_a_block_its_share(monkeypatch):
    # 100 m blocks; a dead end runs from the corner (200, 200) into block (2, 2). Facility 0 stands on that corner
    # and reaches every street around the block first; facility 1 stands near the dead end's tip, and owns its tip.
    # The block is facility 0's on every side, but holds facility 1's street, so its streets must keep their points.
    lines = []
    for i in range(6):
        for j in range(5):
            lines.append(shapely.LineString([(i * 100, j * 100), (i * 100, (j + 1) * 100)]))
            lines.append(shapely.LineString([(j * 100, i * 100), ((j + 1) * 100, i * 100)]))
    lines.append(shapely.LineString([(200, 200), (270, 270)]))
    net = network_from_lines(lines, crs=CRS)
    facilities = np.array([[200.0, 200.0], [268.0, 272.0]])
    quick, full, hidden = _nearest_both_ways(net, facilities, (5, 10), monkeypatch)
    assert hidden > 0
    _assert_same_split(quick, full, 2)
    tip = shapely.Point(268, 268)
    assert quick[2].contains(tip) and quick[3].contains(tip)  # facility 1, both bands
    assert quick[1].contains(shapely.Point(250, 296)) and not quick[3].contains(shapely.Point(250, 296))
