"""Tests for geo/crs.py: the working CRS, and WGS 84 <-> GCJ-02 <-> BD-09 against published pairs."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from geo import crs as gc
from geo.errors import OptionError

GEOD = pyproj.Geod(ellps="WGS84")


def metres(lon_a, lat_a, lon_b, lat_b) -> np.ndarray:
    """Geodesic distances (m) between point pairs."""
    arrays = (np.asarray(v, dtype=float) for v in (lon_a, lat_a, lon_b, lat_b))
    lon_a, lat_a, lon_b, lat_b = np.broadcast_arrays(*arrays)
    return np.asarray(GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2])


# ------------------------------------------------------------------------------------------------------------
# Published reference pairs, (lon, lat) -> (lon, lat)
# ------------------------------------------------------------------------------------------------------------

# googollee/eviltransform, go/transform_test.go (same values in python/test.py and javascript/test.js),
# given there as (wgsLat, wgsLng, gcjLat, gcjLng); reordered here to lon, lat. Shanghai, Shenzhen, Beijing.
EVILTRANSFORM_WGS_GCJ = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
]

# wandergis/coordtransform, README.md ("示例用法"): every function applied to (116.404, 39.915).
WANDERGIS_POINT = (116.404, 39.915)
WANDERGIS_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
WANDERGIS_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
WANDERGIS_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)  # the one-step inverse formula

# feiquan123/coordtransform-go, coordtransform_test.go: every function applied to p = (114.363089, 30.517411),
# in Wuhan.
FEIQUAN_POINT = (114.363089, 30.517411)
FEIQUAN_WGS84_TO_GCJ02 = (114.36861383019243, 30.515078352018758)
FEIQUAN_GCJ02_TO_BD09 = (114.36951652929112, 30.523754384540837)
FEIQUAN_WGS84_TO_BD09 = (114.3750500836037, 30.521392123098003)
FEIQUAN_BD09_TO_GCJ02 = (114.356659806424, 30.511068245460944)  # the one-step inverse formula

# hujiulong/gcoord, test/fixtures/china-cities.json: the GCJ02 and BD09 columns (7 decimals, about 1 cm) of
# eight cities spread over China: Zhumadian, Nagqu (Tibet), Shenyang, Xilinhot, Qinzhou, Jiuquan, Jinhua,
# Chuxiong.
GCOORD_GCJ_BD = [
    ((114.022306, 33.0115324), (114.0287781, 33.0176697)),
    ((92.0512438, 31.4762063), (92.0576832, 31.4824421)),
    ((123.4314787, 41.8057023), (123.438095, 41.8114013)),
    ((116.0482308, 43.9334573), (116.0546232, 43.9397782)),
    ((108.6541485, 21.9799392), (108.6607283, 21.9856319)),
    ((98.4943595, 39.7328234), (98.5008441, 39.7388949)),
    ((119.6474509, 29.0790641), (119.6538875, 29.0854003)),
    ((101.5280737, 25.0455363), (101.5344863, 25.0518094)),
]


def _columns(pairs):
    src = np.array([p[0] for p in pairs])
    dst = np.array([p[1] for p in pairs])
    return src[:, 0], src[:, 1], dst[:, 0], dst[:, 1]


def test_wgs84_to_gcj02_matches_published_pairs():
    lon, lat, g_lon, g_lat = _columns(
        [
            *EVILTRANSFORM_WGS_GCJ,
            (WANDERGIS_POINT, WANDERGIS_WGS84_TO_GCJ02),
            (FEIQUAN_POINT, FEIQUAN_WGS84_TO_GCJ02),
        ]
    )
    out_lon, out_lat = gc.wgs84_to_gcj02(lon, lat)
    # the brief asks for 1 m; the formulas are the same, so the match is to the last digits
    assert metres(out_lon, out_lat, g_lon, g_lat).max() < 0.01
    # and the offset itself is the familiar few hundred metres
    shift = metres(lon, lat, out_lon, out_lat)
    assert shift.min() > 300 and shift.max() < 700


def test_gcj02_to_bd09_matches_published_pairs():
    lon, lat, b_lon, b_lat = _columns(
        [*GCOORD_GCJ_BD, (WANDERGIS_POINT, WANDERGIS_GCJ02_TO_BD09), (FEIQUAN_POINT, FEIQUAN_GCJ02_TO_BD09)]
    )
    out_lon, out_lat = gc.gcj02_to_bd09(lon, lat)
    assert metres(out_lon, out_lat, b_lon, b_lat).max() < 0.02  # gcoord's 7 decimals round to about 1 cm


def test_wgs84_to_bd09_matches_published_pair():
    out = gc.wgs84_to_bd09(*FEIQUAN_POINT)
    assert metres(*out, *FEIQUAN_WGS84_TO_BD09) < 0.01


def test_inverses_agree_with_published_pairs():
    # the exact inverse of GCJ-02 lands on eviltransform's WGS 84 originals
    lon, lat, g_lon, g_lat = _columns(EVILTRANSFORM_WGS_GCJ)
    w_lon, w_lat = gc.gcj02_to_wgs84(g_lon, g_lat)
    assert metres(w_lon, w_lat, lon, lat).max() < 0.001
    # gcoord's BD09 column goes back to its GCJ02 column
    g_lon, g_lat, b_lon, b_lat = _columns(GCOORD_GCJ_BD)
    assert metres(*gc.bd09_to_gcj02(b_lon, b_lat), g_lon, g_lat).max() < 0.02
    # the published one-step BD-09 inverses are within a few centimetres of the exact inverse
    assert metres(*gc.bd09_to_gcj02(*WANDERGIS_POINT), *WANDERGIS_BD09_TO_GCJ02) < 0.1
    assert metres(*gc.bd09_to_gcj02(*FEIQUAN_POINT), *FEIQUAN_BD09_TO_GCJ02) < 0.1


# ------------------------------------------------------------------------------------------------------------
# Inverses and round trips
# ------------------------------------------------------------------------------------------------------------


def china_grid(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.linspace(73.5, 135.0, n), np.linspace(18.0, 53.5, n))
    return lon.ravel(), lat.ravel()


def test_wgs_gcj_wgs_round_trip_across_china():
    lon, lat = china_grid()
    g_lon, g_lat = gc.wgs84_to_gcj02(lon, lat)
    assert metres(lon, lat, g_lon, g_lat).min() > 10  # every grid point really moved
    back = gc.gcj02_to_wgs84(g_lon, g_lat)
    assert metres(*back, lon, lat).max() < 0.01
    # the one-step estimate the iteration starts from is metres off: the iteration does the work
    d_lon, d_lat = gc.gcj_offset(g_lon, g_lat)
    assert metres(g_lon - d_lon, g_lat - d_lat, lon, lat).max() > 1.0


def test_bd_wgs_bd_round_trip_across_china():
    lon, lat = china_grid()  # read as BD-09 points
    w_lon, w_lat = gc.bd09_to_wgs84(lon, lat)
    assert metres(lon, lat, w_lon, w_lat).min() > 100
    assert metres(*gc.wgs84_to_bd09(w_lon, w_lat), lon, lat).max() < 0.01
    # and GCJ-02 <-> BD-09 alone
    g_lon, g_lat = gc.bd09_to_gcj02(lon, lat)
    assert metres(*gc.gcj02_to_bd09(g_lon, g_lat), lon, lat).max() < 0.01


def test_inverse_forward_image_is_within_tolerance():
    lon, lat = china_grid(20)
    w_lon, w_lat = gc.gcj02_to_wgs84(lon, lat, tolerance_deg=1e-9)
    f_lon, f_lat = gc.wgs84_to_gcj02(w_lon, w_lat)
    assert np.abs(f_lon - lon).max() < 1e-9 and np.abs(f_lat - lat).max() < 1e-9


def test_iteration_options_are_checked():
    with pytest.raises(ValueError, match="tolerance_deg"):
        gc.gcj02_to_wgs84(116.0, 40.0, tolerance_deg=0)
    with pytest.raises(ValueError, match="max_iter"):
        gc.bd09_to_gcj02(116.0, 40.0, max_iter=0)


# ------------------------------------------------------------------------------------------------------------
# Outside China, NaN, shapes, speed
# ------------------------------------------------------------------------------------------------------------

ALL_CONVERSIONS = [
    gc.wgs84_to_gcj02,
    gc.gcj02_to_wgs84,
    gc.gcj02_to_bd09,
    gc.bd09_to_gcj02,
    gc.wgs84_to_bd09,
    gc.bd09_to_wgs84,
]


@pytest.mark.parametrize("convert", ALL_CONVERSIONS, ids=lambda f: f.__name__)
def test_points_outside_china_are_unchanged(convert):
    # Paris, New York, Tokyo (east of 137.8347 E), Sydney, just west of 72.004 E, just north of 55.8271 N
    lon = np.array([2.3522, -74.006, 139.6917, 151.2093, 72.0, 100.0])
    lat = np.array([48.8566, 40.7128, 35.6895, -33.8688, 40.0, 55.9])
    out_lon, out_lat = convert(lon, lat)
    np.testing.assert_array_equal(out_lon, lon)
    np.testing.assert_array_equal(out_lat, lat)


@pytest.mark.parametrize("convert", ALL_CONVERSIONS, ids=lambda f: f.__name__)
def test_nan_in_nan_out(convert):
    out_lon, out_lat = convert(np.array([116.4, np.nan, 116.4]), np.array([39.9, 39.9, np.nan]))
    assert np.isfinite(out_lon[0]) and np.isfinite(out_lat[0]) and abs(out_lon[0] - 116.4) > 1e-4
    assert np.isnan(out_lon[1]) and np.isnan(out_lat[2])
    assert np.isnan(convert(np.nan, np.nan)[0])


def test_scalars_give_floats_and_arrays_keep_their_shape():
    lon, lat = gc.wgs84_to_gcj02(116.404, 39.915)
    assert type(lon) is float and type(lat) is float
    assert (lon, lat) == pytest.approx(WANDERGIS_WGS84_TO_GCJ02, abs=1e-9)
    grid_lon, grid_lat = np.meshgrid([116.3, 116.4, 116.5], [39.8, 39.9])
    out_lon, out_lat = gc.to_wgs84(grid_lon, grid_lat, coords="bd09")
    assert out_lon.shape == (2, 3) and out_lat.shape == (2, 3)
    # a scalar latitude broadcasts against a list of longitudes
    out_lon, out_lat = gc.from_wgs84([116.3, 116.4], 39.9, coords="gcj02")
    assert out_lon.shape == (2,) and out_lat.shape == (2,)
    # inputs are not modified
    src = np.array([116.4, 116.5])
    gc.wgs84_to_gcj02(src, np.array([39.9, 39.9]))
    np.testing.assert_array_equal(src, [116.4, 116.5])


def test_100k_points_go_there_and_back_within_a_centimetre():
    """The vectorised path on 100 000 points across China (its speed is measured in bench/bench_validate.py)."""
    rng = np.random.default_rng(7)
    lon = rng.uniform(73.5, 135.0, 100_000)
    lat = rng.uniform(18.0, 53.5, 100_000)
    for coords in ("gcj02", "bd09"):
        w_lon, w_lat = gc.to_wgs84(lon, lat, coords=coords)
        back_lon, back_lat = gc.from_wgs84(w_lon, w_lat, coords=coords)
        assert np.max(np.abs(back_lon - lon)) < 1e-7 and np.max(np.abs(back_lat - lat)) < 1e-7, coords


# ------------------------------------------------------------------------------------------------------------
# to_wgs84 / from_wgs84 dispatch
# ------------------------------------------------------------------------------------------------------------


def test_dispatch_by_coords_name():
    assert gc.COORD_SYSTEMS == ("wgs84", "gcj02", "bd09")
    assert gc.to_wgs84(116.404, 39.915, coords="wgs84") == (116.404, 39.915)
    assert gc.from_wgs84(*WANDERGIS_POINT, coords="GCJ02 ") == gc.wgs84_to_gcj02(*WANDERGIS_POINT)
    assert gc.from_wgs84(*FEIQUAN_POINT, coords="bd09") == gc.wgs84_to_bd09(*FEIQUAN_POINT)
    assert gc.to_wgs84(*FEIQUAN_WGS84_TO_BD09, coords="bd09") == gc.bd09_to_wgs84(*FEIQUAN_WGS84_TO_BD09)


def test_unknown_coords_name_is_refused():
    with pytest.raises(OptionError, match=r"'amap' is not one of wgs84, gcj02, bd09.*coords = \"gcj02\""):
        gc.to_wgs84(116.4, 39.9, coords="amap")
    with pytest.raises(OptionError, match="not one of"):
        gc.geometries_from_wgs84(np.array([shapely.Point(116.4, 39.9)]), coords="baidu")


# ------------------------------------------------------------------------------------------------------------
# Geometries
# ------------------------------------------------------------------------------------------------------------


def test_geometries_to_wgs84_converts_every_vertex_of_a_polygon_and_a_linestring():
    shell = [(116.40, 39.90), (116.41, 39.90), (116.41, 39.91), (116.40, 39.91), (116.40, 39.90)]
    hole = [(116.403, 39.903), (116.406, 39.903), (116.406, 39.906), (116.403, 39.903)]
    polygon = shapely.Polygon(shell, [hole])
    line = shapely.LineString([(116.39, 39.89), (116.42, 39.92), (116.45, 39.90)])
    out = gc.geometries_to_wgs84(np.array([polygon, line, None], dtype=object), coords="gcj02")
    assert isinstance(out, np.ndarray) and out.shape == (3,) and out[2] is None
    assert out[0].geom_type == "Polygon" and len(out[0].interiors) == 1 and out[1].geom_type == "LineString"
    for before, after in zip((polygon, line), out[:2], strict=False):
        src = shapely.get_coordinates(before)
        expected = np.column_stack(gc.gcj02_to_wgs84(src[:, 0], src[:, 1]))
        np.testing.assert_allclose(shapely.get_coordinates(after), expected, rtol=0, atol=1e-12)
    # the polygon moved by the GCJ-02 offset, about half a kilometre here, and stayed valid
    assert out[0].is_valid
    c0, c1 = polygon.centroid, out[0].centroid
    assert 300 < metres(c0.x, c0.y, c1.x, c1.y) < 700
    # and back: from WGS 84 to GCJ-02 restores the input
    again = gc.geometries_from_wgs84(out, coords="gcj02")
    np.testing.assert_allclose(shapely.get_coordinates(again[0]), shapely.get_coordinates(polygon), atol=1e-9)
    np.testing.assert_allclose(shapely.get_coordinates(again[1]), shapely.get_coordinates(line), atol=1e-9)


def test_geometries_keep_geoseries_index_crs_and_z():
    series = gpd.GeoSeries(
        [shapely.Point(116.404, 39.915, 42.0), shapely.MultiPoint([(114.363089, 30.517411), (2.35, 48.85)])],
        index=["a", "b"],
        crs="EPSG:4326",
        name="geometry",
    )
    out = gc.geometries_from_wgs84(series, coords="bd09")
    assert isinstance(out, gpd.GeoSeries) and list(out.index) == ["a", "b"] and out.crs.to_epsg() == 4326
    assert out["a"].has_z and out["a"].z == 42.0
    assert (out["a"].x, out["a"].y) == pytest.approx(gc.wgs84_to_bd09(116.404, 39.915), abs=1e-12)
    assert metres(out["b"].geoms[0].x, out["b"].geoms[0].y, *FEIQUAN_WGS84_TO_BD09) < 0.01
    assert (out["b"].geoms[1].x, out["b"].geoms[1].y) == (2.35, 48.85)  # Paris is outside China
    # a single geometry in, a single geometry out
    point = gc.geometries_to_wgs84(shapely.Point(*WANDERGIS_WGS84_TO_GCJ02), coords="gcj02")
    assert metres(point.x, point.y, *WANDERGIS_POINT) < 0.01


def test_projected_geoseries_is_refused():
    series = gpd.GeoSeries([shapely.Point(500000, 3300000)], crs="EPSG:32650")
    with pytest.raises(ValueError, match="projected CRS"):
        gc.geometries_to_wgs84(series, coords="gcj02")


# ------------------------------------------------------------------------------------------------------------
# Projected CRS
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (117.97, 28.45, 32650),  # Guixi, Jiangxi: zone 50N (114-120 E)
        (121.47, 31.23, 32651),  # Shanghai: zone 51N (120-126 E)
        (120.0, 30.0, 32651),  # a zone boundary belongs to the eastern zone
        (-43.2, -22.9, 32723),  # Rio de Janeiro: zone 23S
        (180.0, 10.0, 32660),  # 180 E folds into zone 60
        (-180.0, 0.0, 32601),
    ],
)
def test_projected_crs_for(lon, lat, epsg):
    crs = gc.projected_crs_for(lon, lat)
    assert crs.to_epsg() == epsg and crs.is_projected


def test_projected_crs_for_refuses_bad_points():
    with pytest.raises(ValueError, match="UTM zone"):
        gc.projected_crs_for(float("nan"), 30.0)
    with pytest.raises(ValueError, match="UTM zone"):
        gc.projected_crs_for(200.0, 30.0)


CONTEXT = "study.toml [study] crs"


def test_working_crs_uses_the_declared_projected_crs():
    crs = gc.working_crs(declared="EPSG:4547", lon=114.3, lat=30.5, context=CONTEXT)
    assert crs.to_epsg() == 4547 and "CGCS2000" in crs.name
    assert gc.working_crs(declared=4547, lon=114.3, lat=30.5, context=CONTEXT).to_epsg() == 4547
    assert gc.working_crs(declared=pyproj.CRS(32650), lon=0.0, lat=0.0, context=CONTEXT).to_epsg() == 32650


def test_working_crs_defaults_to_the_utm_zone():
    assert gc.working_crs(declared=None, lon=117.97, lat=28.45, context=CONTEXT).to_epsg() == 32650
    assert gc.working_crs(declared="  ", lon=121.47, lat=31.23, context=CONTEXT).to_epsg() == 32651


def test_working_crs_refuses_geographic_crs():
    with pytest.raises(
        OptionError,
        match=r"^study\.toml \[study\] crs: WGS 84 \(EPSG:4326\) is geographic.*"
        r"projected CRS.*EPSG:4547",
    ):
        gc.working_crs(declared="EPSG:4326", lon=116.4, lat=39.9, context=CONTEXT)


def test_working_crs_refuses_unknown_crs():
    with pytest.raises(
        OptionError,
        match=r"^study\.toml \[study\] crs: 'EPSG:999999' is not a coordinate "
        r"reference system pyproj knows",
    ):
        gc.working_crs(declared="EPSG:999999", lon=116.4, lat=39.9, context=CONTEXT)


def test_working_crs_refuses_non_metric_and_non_projected_crs():
    # NAD83 / New York Long Island in US survey feet
    with pytest.raises(OptionError, match=re.escape(CONTEXT) + ": .*not metres"):
        gc.working_crs(declared="EPSG:2263", lon=116.4, lat=39.9, context=CONTEXT)
    # WGS 84 geocentric (x, y, z) is neither geographic nor projected
    with pytest.raises(OptionError, match=re.escape(CONTEXT) + ": .*not a projected CRS"):
        gc.working_crs(declared="EPSG:4978", lon=116.4, lat=39.9, context=CONTEXT)
