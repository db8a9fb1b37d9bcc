"""Coordinate reference systems: the study's projected CRS, and the Chinese web-map coordinate systems.

Two concerns live here.

*The working CRS.* All metric work of a study happens in one projected CRS (metres), chosen once: the CRS the
user declares in ``study.toml`` (for instance ``"EPSG:4547"``, CGCS2000 / 3-degree Gauss-Krüger CM 114E), or
else the WGS 84 / UTM zone that contains the study's centre (:func:`projected_crs_for`).

*GCJ-02 and BD-09.* Web maps in mainland China do not publish WGS 84 coordinates. Amap (Gaode), Tencent and
Google's China maps use GCJ-02 ("Mars coordinates"), a WGS 84 position shifted by a deterministic, nonlinear
offset of a few hundred metres; Baidu uses BD-09, a second shift applied on top of GCJ-02. Layers digitised on
those maps must be converted to WGS 84 before they meet OpenStreetMap streets, or every facility lands a few
hundred metres off.

The formulas are the standard public ones, shared by eviltransform, coordtransform, PRCoords and others:

- GCJ-02 from WGS 84: the ``transformLat`` / ``transformLon`` polynomials in (lon - 105, lat - 35), turned
  into degrees on the Krasovsky 1940 ellipsoid (a = 6378245.0 m, e² = 0.00669342162296594323).
- BD-09 from GCJ-02: polar coordinates around (0, 0) with the 0.00002·sin(lat·x_pi) radius term and the
  0.000003·cos(lon·x_pi) angle term (x_pi = pi·3000/180), then the 0.0065 / 0.006 offsets.

Neither has a closed-form inverse. :func:`gcj02_to_wgs84` and :func:`bd09_to_gcj02` invert their forward
formula by fixed-point iteration, vectorised with a per-point convergence mask; round trips agree to well
under a millimetre.

Outside China the offsets do not apply. A point outside the customary rough box of China, longitude
72.004–137.8347 E and latitude 0.8293–55.8271 N, is returned unchanged by every conversion here (GCJ-02 and
BD-09 alike, as in eviltransform): outside the box the three systems coincide. The test is made on the
coordinates given to each function, so a point within about 0.01 degree of the box's edge may be shifted one
way and not the other; no Chinese city lies near that edge. NaN coordinates give NaN results.

All coordinate functions take longitude first, accept scalars or array-likes (broadcast together) and return a
pair: Python floats for two scalars, float arrays otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, overload

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike

from geo.errors import LayerError, OptionError

#: The coordinate systems a lon/lat layer may be stated in.
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09")

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formulas.
_KRASOVSKY_A_M = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323

# BD-09 constants.
_X_PI = math.pi * 3000.0 / 180.0
_BD_LON_OFFSET = 0.0065
_BD_LAT_OFFSET = 0.006

# The customary rough bounding box of China; outside it no offset is applied.
_CHINA_LON_MIN, _CHINA_LON_MAX = 72.004, 137.8347
_CHINA_LAT_MIN, _CHINA_LAT_MAX = 0.8293, 55.8271

#: Defaults of the iterative inverses: stop when the forward image is within this many degrees of the target
#: (1e-7 degree is about 1 cm); give up refining after this many rounds (a handful always suffice).
DEFAULT_TOLERANCE_DEG = 1e-7
DEFAULT_MAX_ITER = 20


# ------------------------------------------------------------------------------------------------------------
# Projected CRS
# ------------------------------------------------------------------------------------------------------------


def projected_crs_for(lon: float, lat: float) -> pyproj.CRS:
    """The WGS 84 / UTM zone that contains a point.

    Parameters
    ----------
    lon, lat : the point in degrees (WGS 84), typically the centre of the study area.

    Returns
    -------
    ``EPSG:326zz`` (north of the equator, or on it) or ``EPSG:327zz`` (south),
    zz = 1 + floor((lon + 180) / 6), with longitude 180 folded into zone 60. The Norwegian exceptions
    (zones 32V, 31X–37X) are not applied.

    Raises
    ------
    ValueError : when the point is not finite or outside -180..180 / -90..90.
    """
    lon_f, lat_f = float(lon), float(lat)
    finite = np.isfinite(lon_f) and np.isfinite(lat_f)
    if not finite or not (-180.0 <= lon_f <= 180.0 and -90.0 <= lat_f <= 90.0):
        raise ValueError(
            f"cannot choose a UTM zone for longitude {lon_f!r}, latitude {lat_f!r}: "
            "give a finite WGS 84 point within -180..180, -90..90"
        )
    zone = min(math.floor((lon_f + 180.0) / 6.0) + 1, 60)
    return pyproj.CRS.from_epsg((32600 if lat_f >= 0 else 32700) + zone)


def working_crs(*, declared: Any | None, lon: float, lat: float, context: str) -> pyproj.CRS:
    """The study's projected CRS: the declared one when given, else the UTM zone of the study's centre.

    Parameters
    ----------
    declared : anything :func:`pyproj.CRS.from_user_input` accepts (``"EPSG:4547"``, ``4547``, a WKT or
        PROJ string, a :class:`pyproj.CRS`); ``None`` or an empty string means "not declared".
    lon, lat : the study's centre in WGS 84 degrees, used when nothing is declared.
    context : where the declaration was made, for error messages (e.g. ``"study.toml [study] crs"``).

    Returns
    -------
    A projected CRS whose horizontal axes are in metres.

    Raises
    ------
    OptionError : when ``declared`` is unknown to pyproj, not projected (a geographic CRS such as EPSG:4326
        is in degrees), or projected in units other than metres.

    Notes
    -----
    A declared CRS is not checked against the study's location: a 3-degree Gauss-Krüger zone a few degrees
    away from the study still measures well enough for walking distances, and the user may have reasons to
    keep it.
    """
    if declared is None or (isinstance(declared, str) and not declared.strip()):
        return projected_crs_for(lon, lat)
    try:
        crs = pyproj.CRS.from_user_input(declared.strip() if isinstance(declared, str) else declared)
    except (pyproj.exceptions.CRSError, TypeError, ValueError):
        raise OptionError.of("crs_unknown", context=context, declared=repr(declared)) from None
    label = f"{crs.name} ({crs.to_string()})"
    if crs.is_geographic:
        raise OptionError.of("crs_geographic", context=context, label=label)
    if not crs.is_projected:
        raise OptionError.of("crs_not_projected", context=context, label=label)
    units = {(axis.unit_name or "").lower() for axis in crs.axis_info[:2]}
    if not units <= {"metre", "meter", "metres", "meters"}:
        raise OptionError.of("crs_not_metres", context=context, label=label, units=", ".join(sorted(units)))
    return crs


# ------------------------------------------------------------------------------------------------------------
# The raw formulas, on float arrays, with no box test
# ------------------------------------------------------------------------------------------------------------


def is_wgs84_lonlat(crs: pyproj.CRS) -> bool:
    """Whether ``crs`` is longitude/latitude on the WGS 84 datum (EPSG:4326, OGC:CRS84 or an equivalent): the
    only coordinates GCJ-02 and BD-09 can be offsets of. Projected CRSs and other datums' lon/lat (CGCS2000,
    Beijing 1954, Xi'an 1980) are not."""
    datum = crs.datum
    return (
        bool(crs.is_geographic) and datum is not None and datum.name.startswith("World Geodetic System 1984")
    )


def check_coords_fit(crs: pyproj.CRS, coords: str, *, layer: str, source: str, own: bool) -> None:
    """Refuse a layer that cannot be in ``coords`` (``"wgs84"``, ``"gcj02"`` or ``"bd09"``).

    GCJ-02 and BD-09 apply to WGS 84 lon/lat only (:func:`is_wgs84_lonlat`). A study-wide coords (``own`` False)
    never shifts a projected layer, so only a lon/lat layer on another datum (CGCS2000, Beijing 1954) disagrees
    with it; a coords stated in the layer's own table (``own`` True) disagrees with any CRS but WGS 84 lon/lat.

    Raises
    ------
    LayerError : naming the layer, its CRS and the fix.
    """
    if coords == "wgs84" or is_wgs84_lonlat(crs) or not (own or crs.is_geographic):
        return
    epsg = crs.to_epsg()
    code = "coords_on_projected_layer" if crs.is_projected else "coords_on_other_datum"
    raise LayerError.of(
        code, layer=layer, source=source, crs=f"EPSG:{epsg}" if epsg else crs.name, coords=coords
    )


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True where the point lies inside the rough box of China (False for NaN)."""
    return (
        (lon >= _CHINA_LON_MIN) & (lon <= _CHINA_LON_MAX) & (lat >= _CHINA_LAT_MIN) & (lat <= _CHINA_LAT_MAX)
    )


def gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS 84 (degrees of longitude, degrees of latitude) at a WGS 84 point.

    Parameters
    ----------
    lon, lat : WGS 84 degrees (arrays of one shape).
    """
    x = lon - 105.0
    y = lat - 35.0
    xpi = x * np.pi
    ypi = y * np.pi
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * xpi) + 20.0 * np.sin(2.0 * xpi)) * 2.0 / 3.0
    d_lat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + common
        + (20.0 * np.sin(ypi) + 40.0 * np.sin(ypi / 3.0)) * 2.0 / 3.0
        + (160.0 * np.sin(ypi / 12.0) + 320.0 * np.sin(ypi / 30.0)) * 2.0 / 3.0
    )
    d_lon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + common
        + (20.0 * np.sin(xpi) + 40.0 * np.sin(xpi / 3.0)) * 2.0 / 3.0
        + (150.0 * np.sin(xpi / 12.0) + 300.0 * np.sin(xpi / 30.0)) * 2.0 / 3.0
    )
    rad_lat = np.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = d_lat * 180.0 / (_KRASOVSKY_A_M * (1.0 - _KRASOVSKY_EE) / (magic * sqrt_magic) * np.pi)
    d_lon = d_lon * 180.0 / (_KRASOVSKY_A_M / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _bd_forward(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 from GCJ-02, the standard formula."""
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + _BD_LON_OFFSET, z * np.sin(theta) + _BD_LAT_OFFSET


def _bd_inverse_seed(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 from BD-09, the standard one-step approximate inverse (off by up to about 0.2 m)."""
    x = lon - _BD_LON_OFFSET
    y = lat - _BD_LAT_OFFSET
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _fixed_point_inverse(
    forward: Any,
    target_lon: np.ndarray,
    target_lat: np.ndarray,
    seed_lon: np.ndarray,
    seed_lat: np.ndarray,
    *,
    tolerance_deg: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve forward(p) = target for p by p <- p - (forward(p) - target), point by point until converged.

    The forward maps here are the identity plus a small, slowly varying offset (its derivative is of order
    1e-3), so each round gains two to three digits. Only the points not yet within ``tolerance_deg`` are
    recomputed.
    """
    lon, lat = seed_lon.copy(), seed_lat.copy()
    active = np.flatnonzero(np.isfinite(target_lon) & np.isfinite(target_lat))
    for _ in range(max_iter):
        if active.size == 0:
            break
        f_lon, f_lat = forward(lon[active], lat[active])
        r_lon = f_lon - target_lon[active]
        r_lat = f_lat - target_lat[active]
        lon[active] -= r_lon
        lat[active] -= r_lat
        # the step just taken is as large as the residual; stop refining a point once it is within tolerance
        active = active[(np.abs(r_lon) > tolerance_deg) | (np.abs(r_lat) > tolerance_deg)]
    return lon, lat


def _gcj_forward_raw(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d_lon, d_lat = gcj_offset(lon, lat)
    return lon + d_lon, lat + d_lat


# ------------------------------------------------------------------------------------------------------------
# Public conversions
# ------------------------------------------------------------------------------------------------------------


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    """Float arrays of one broadcast shape, flattened, and whether both inputs were scalars."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    scalar = lon_a.ndim == 0 and lat_a.ndim == 0
    lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    return lon_a.ravel().copy(), lat_a.ravel().copy(), scalar


def _result(lon: np.ndarray, lat: np.ndarray, shape: tuple[int, ...], scalar: bool) -> tuple[Any, Any]:
    if scalar:
        return float(lon[0]), float(lat[0])
    return lon.reshape(shape), lat.reshape(shape)


def _shape(lon: ArrayLike, lat: ArrayLike) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(np.shape(lon), np.shape(lat)))


def _check_iteration(tolerance_deg: float, max_iter: int) -> None:
    if not (np.isfinite(tolerance_deg) and tolerance_deg > 0):
        raise ValueError(f"tolerance_deg must be a positive number of degrees, got {tolerance_deg!r}")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a positive whole number, got {max_iter!r}")


@overload
def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]: ...
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """GCJ-02 (Amap, Tencent) coordinates of WGS 84 points.

    Parameters
    ----------
    lon, lat : WGS 84 degrees; scalars or array-likes broadcast together.

    Returns
    -------
    (lon, lat) in GCJ-02: floats for scalar input, else float arrays of the broadcast shape. Points outside
    the rough box of China are returned unchanged; NaN stays NaN.
    """
    shape = _shape(lon, lat)
    x, y, scalar = _as_arrays(lon, lat)
    inside = _in_china(x, y)
    d_lon, d_lat = gcj_offset(x[inside], y[inside])
    x[inside] += d_lon
    y[inside] += d_lat
    return _result(x, y, shape, scalar)


@overload
def gcj02_to_wgs84(
    lon: float, lat: float, *, tolerance_deg: float = ..., max_iter: int = ...
) -> tuple[float, float]: ...
@overload
def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, tolerance_deg: float = ..., max_iter: int = ...
) -> tuple[np.ndarray, np.ndarray]: ...
def gcj02_to_wgs84(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
    max_iter: int = DEFAULT_MAX_ITER,
) -> tuple[Any, Any]:
    """WGS 84 coordinates of GCJ-02 points, by iterating the forward formula to an exact inverse.

    Starting from the usual one-step estimate (the GCJ-02 point minus the offset computed at it, up to about
    5 m off), each round moves every unconverged point by its residual ``wgs84_to_gcj02(p) - target``. The
    offset changes slowly (about 1e-3 degree per degree), so two or three rounds bring the residual below
    ``tolerance_deg``.

    Parameters
    ----------
    lon, lat : GCJ-02 degrees; scalars or array-likes broadcast together.
    tolerance_deg : stop refining a point once its forward image is this close to the target in both
        coordinates (1e-7 degree is about 1 cm); the error left is far smaller still.
    max_iter : most rounds; a point not converged by then keeps its last estimate (this does not happen inside
        China with the defaults).

    Returns
    -------
    (lon, lat) in WGS 84: floats for scalar input, else float arrays. Points outside the rough box of China
    are returned unchanged; NaN stays NaN.
    """
    _check_iteration(tolerance_deg, max_iter)
    shape = _shape(lon, lat)
    x, y, scalar = _as_arrays(lon, lat)
    inside = _in_china(x, y)
    gx, gy = x[inside], y[inside]
    d_lon, d_lat = gcj_offset(gx, gy)
    x[inside], y[inside] = _fixed_point_inverse(
        _gcj_forward_raw, gx, gy, gx - d_lon, gy - d_lat, tolerance_deg=tolerance_deg, max_iter=max_iter
    )
    return _result(x, y, shape, scalar)


@overload
def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]: ...
def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """BD-09 (Baidu) coordinates of GCJ-02 points, by the standard formula.

    Points outside the rough box of China are returned unchanged; NaN stays NaN. Floats for scalar input, else
    float arrays.
    """
    shape = _shape(lon, lat)
    x, y, scalar = _as_arrays(lon, lat)
    inside = _in_china(x, y)
    x[inside], y[inside] = _bd_forward(x[inside], y[inside])
    return _result(x, y, shape, scalar)


@overload
def bd09_to_gcj02(
    lon: float, lat: float, *, tolerance_deg: float = ..., max_iter: int = ...
) -> tuple[float, float]: ...
@overload
def bd09_to_gcj02(
    lon: ArrayLike, lat: ArrayLike, *, tolerance_deg: float = ..., max_iter: int = ...
) -> tuple[np.ndarray, np.ndarray]: ...
def bd09_to_gcj02(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
    max_iter: int = DEFAULT_MAX_ITER,
) -> tuple[Any, Any]:
    """GCJ-02 coordinates of BD-09 (Baidu) points: the exact inverse of :func:`gcj02_to_bd09`.

    The standard one-step inverse formula (subtract the offsets, then the same radius and angle terms) is off
    by up to about 0.2 m; it is used as the starting point and refined by fixed-point iteration as in
    :func:`gcj02_to_wgs84` (one or two rounds).

    Points outside the rough box of China are returned unchanged; NaN stays NaN. Floats for scalar input, else
    float arrays.
    """
    _check_iteration(tolerance_deg, max_iter)
    shape = _shape(lon, lat)
    x, y, scalar = _as_arrays(lon, lat)
    inside = _in_china(x, y)
    bx, by = x[inside], y[inside]
    seed_x, seed_y = _bd_inverse_seed(bx, by)
    x[inside], y[inside] = _fixed_point_inverse(
        _bd_forward, bx, by, seed_x, seed_y, tolerance_deg=tolerance_deg, max_iter=max_iter
    )
    return _result(x, y, shape, scalar)


@overload
def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]: ...
def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """BD-09 (Baidu) coordinates of WGS 84 points: GCJ-02 first, then BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


@overload
def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]: ...
def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """WGS 84 coordinates of BD-09 (Baidu) points: GCJ-02 first, then WGS 84, both by exact inverses."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _check_coords(coords: str) -> str:
    name = str(coords).strip().lower() if coords is not None else ""
    if name not in COORD_SYSTEMS:
        raise OptionError.of("coords_unknown", coords=repr(coords), systems=", ".join(COORD_SYSTEMS))
    return name


def _identity(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    shape = _shape(lon, lat)
    x, y, scalar = _as_arrays(lon, lat)
    return _result(x, y, shape, scalar)


_TO_WGS84: dict[str, Callable[..., Any]] = {
    "wgs84": _identity,
    "gcj02": gcj02_to_wgs84,
    "bd09": bd09_to_wgs84,
}
_FROM_WGS84: dict[str, Callable[..., Any]] = {
    "wgs84": _identity,
    "gcj02": wgs84_to_gcj02,
    "bd09": wgs84_to_bd09,
}


@overload
def to_wgs84(lon: float, lat: float, *, coords: str) -> tuple[float, float]: ...
@overload
def to_wgs84(lon: ArrayLike, lat: ArrayLike, *, coords: str) -> tuple[np.ndarray, np.ndarray]: ...
def to_wgs84(lon: ArrayLike, lat: ArrayLike, *, coords: str) -> tuple[Any, Any]:
    """WGS 84 coordinates of points stated in ``coords``.

    Parameters
    ----------
    lon, lat : degrees in ``coords``; scalars or array-likes broadcast together.
    coords : ``"wgs84"``, ``"gcj02"`` or ``"bd09"`` (case and surrounding spaces ignored).

    Returns
    -------
    (lon, lat) in WGS 84: floats for scalar input, else new float arrays (also for ``"wgs84"``).

    Raises
    ------
    OptionError : when ``coords`` names no known system.
    """
    return _TO_WGS84[_check_coords(coords)](lon, lat)


@overload
def from_wgs84(lon: float, lat: float, *, coords: str) -> tuple[float, float]: ...
@overload
def from_wgs84(lon: ArrayLike, lat: ArrayLike, *, coords: str) -> tuple[np.ndarray, np.ndarray]: ...
def from_wgs84(lon: ArrayLike, lat: ArrayLike, *, coords: str) -> tuple[Any, Any]:
    """Coordinates in ``coords`` of WGS 84 points, e.g. to draw WGS 84 data on an Amap (GCJ-02) basemap.

    The reverse of :func:`to_wgs84`; same parameters and return convention.
    """
    return _FROM_WGS84[_check_coords(coords)](lon, lat)


# ------------------------------------------------------------------------------------------------------------
# Geometries
# ------------------------------------------------------------------------------------------------------------


def _convert_geometries(geoms: Any, convert: Any) -> Any:
    def transformation(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, 0], out[:, 1] = convert(coords[:, 0], coords[:, 1])
        return out

    series = None
    if isinstance(geoms, gpd.GeoSeries):
        series = geoms
        if geoms.crs is not None and not pyproj.CRS.from_user_input(geoms.crs).is_geographic:
            raise ValueError(
                f"geometries are in the projected CRS {geoms.crs.name}; Chinese web-map "
                "coordinates are longitude/latitude, so convert lon/lat geometries only"
            )
        values = np.asarray(geoms.values, dtype=object)
    elif isinstance(geoms, shapely.Geometry):
        return shapely.transform(geoms, transformation, include_z=None)
    else:
        values = np.asarray(geoms, dtype=object)
    out = shapely.transform(values, transformation, include_z=None)
    if series is None:
        return out
    return gpd.GeoSeries(out, index=series.index, crs=series.crs, name=series.name)


def geometries_to_wgs84(geoms: Any, *, coords: str) -> Any:
    """WGS 84 versions of lon/lat geometries stated in ``coords``, every vertex converted (vectorised).

    Parameters
    ----------
    geoms : an array of shapely geometries (any type, missing values allowed), a single geometry, or a
        GeoSeries in a geographic CRS.
    coords : ``"wgs84"``, ``"gcj02"`` or ``"bd09"``.

    Returns
    -------
    The same kind of container as given (array, geometry, or GeoSeries with the same index, name and CRS),
    with the same geometry types, vertex counts and Z values. Vertices outside the rough box of China are
    unchanged.

    Raises
    ------
    OptionError : when ``coords`` names no known system.
    ValueError : when a GeoSeries is in a projected CRS.
    """
    return _convert_geometries(geoms, _TO_WGS84[_check_coords(coords)])


def geometries_from_wgs84(geoms: Any, *, coords: str) -> Any:
    """Versions in ``coords`` of WGS 84 lon/lat geometries: the reverse of :func:`geometries_to_wgs84`.

    A GeoSeries keeps its CRS label (pyproj has no GCJ-02 or BD-09), so the result is for drawing on a Chinese
    basemap, not for further CRS transforms.
    """
    return _convert_geometries(geoms, _FROM_WGS84[_check_coords(coords)])
