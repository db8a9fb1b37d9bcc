"""The offline basemap drawn on a web map: the study's own streets, water, green space, railways and names.

Nothing is fetched: the features of a :class:`geo.basemap.Basemap` are written into the page as compact data
(coordinates rounded to 1e-5 degree, about 1 m, delta-encoded as integers) and drawn by a little Leaflet-core script
on a canvas in a pane of its own, under the data (:data:`PANE_Z` is below Leaflet's overlay pane). The look is light
so the data stand out: pale land, blue-grey water, pale green parks, white streets with grey casings whose width
grows with the zoom, railways as a dashed dark line. Paths and service ways show from zoom 15, local streets from
13, arterials always; place names by rank, street names along the street from zoom 15; labels that would overlap a
label already placed are hidden after every zoom.

Every name is untrusted: it is written as JSON with ``<``, ``>`` and ``&`` escaped (no way out of the script), the
page's template never sees it (:func:`planning.maps.html_element`), and the script sets it as ``textContent``.
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pyproj
import shapely
from branca.element import MacroElement

from geo.basemap import Basemap
from planning.export import html_text
from planning.i18n import tr
from planning.maps.safe_html import html_element

#: Leaflet panes of the basemap and of its labels; tiles sit at 200 and the data's overlay pane at 400.
PANE = "ecBasemap"
LABEL_PANE = "ecBasemapLabels"
PANE_Z = 250
LABEL_PANE_Z = 350
#: Display simplification of the basemap's lines and areas, metres.
SIMPLIFY_M = 2.0
#: Coordinates are written in units of this many degrees (1e-5 degree is about 1.1 m).
GRID_DEG = 1e-5
#: The zoom from which a road of each rank is drawn (0 expressways, 1 arterials, 2 local streets, 3 paths).
ROAD_MIN_ZOOM: dict[int, int] = {0: 0, 1: 0, 2: 13, 3: 15}
#: The zoom from which a waterway of each rank is drawn (0 rivers and canals, 1 streams and drains).
WATERWAY_MIN_ZOOM: dict[int, int] = {0: 0, 1: 13}
#: The zoom from which a place name of each rank is shown (0 towns .. 3 hamlets).
PLACE_MIN_ZOOM: dict[int, int] = {0: 0, 1: 12, 2: 14, 3: 16}
#: Street names are shown from this zoom, on streets whose longest piece is at least this long (metres).
STREET_LABEL_MIN_ZOOM = 15
STREET_LABEL_MIN_M = 60.0
#: At most this many street names are written (the longest streets first).
MAX_STREET_LABELS = 3000

#: Colours of the basemap (light, so that the data drawn over it stand out).
LAND = "#f2efe9"
WATER = "#b3cde0"
GREEN = "#d9e8c6"
RAIL = "#555555"
#: Road style per rank: fill colour, casing colour (None: no casing), fill and casing widths at zoom 15 (pixels).
ROAD_STYLE: dict[int, tuple[str, str | None, float, float]] = {
    0: ("#ffffff", "#a8a195", 7.0, 9.5),
    1: ("#ffffff", "#b8b1a5", 5.5, 7.5),
    2: ("#ffffff", "#cbc5ba", 3.5, 5.0),
    3: ("#c8c1b4", None, 1.2, 0.0),
}


def _quantised(coords: np.ndarray) -> list[int]:
    """Lon/lat coordinates as a flat list of integers: lat, lon of the first point in :data:`GRID_DEG` units, then
    the differences to each next point (repeated points left out)."""
    q = np.round(np.asarray(coords)[:, [1, 0]] / GRID_DEG).astype(np.int64)
    if len(q) > 1:
        keep = np.r_[True, (np.diff(q, axis=0) != 0).any(axis=1)]
        q = q[keep]
    deltas = np.vstack([q[:1], np.diff(q, axis=0)])
    return [int(v) for v in deltas.ravel()]


def _lines(geom: Any) -> list[list[int]]:
    """The parts of a (multi)line as encoded lists (parts reduced to a single point left out)."""
    parts = shapely.get_parts(geom)
    out = []
    for part in parts:
        enc = _quantised(shapely.get_coordinates(part))
        if len(enc) >= 4:
            out.append(enc)
    return out


def _areas(geom: Any) -> list[list[list[int]]]:
    """The polygons of a (multi)polygon, each as its encoded rings (exterior first)."""
    out = []
    for poly in shapely.get_parts(geom):
        if not isinstance(poly, shapely.Polygon) or poly.is_empty:
            continue
        rings = [poly.exterior, *poly.interiors]
        enc = [_quantised(shapely.get_coordinates(r)) for r in rings]
        enc = [r for r in enc if len(r) >= 6]
        if enc:
            out.append(enc)
    return out


def _simplified(frame: gpd.GeoDataFrame) -> np.ndarray:
    """The frame's geometries simplified by :data:`SIMPLIFY_M` (metres, its projected CRS)."""
    geoms = frame.geometry.to_numpy()
    if frame.crs is not None and not frame.crs.is_geographic:
        geoms = shapely.simplify(geoms, SIMPLIFY_M, preserve_topology=True)
    return np.asarray(geoms, dtype=object)


def _lonlat(geoms: Any, crs: Any) -> np.ndarray:
    """Geometries in ``crs`` moved to longitude/latitude (one transformer for all of them)."""
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    if crs is None or pyproj.CRS.from_user_input(crs).equals(pyproj.CRS.from_epsg(4326)):
        return arr
    move = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)

    def to_lonlat(xy: np.ndarray) -> np.ndarray:
        x, y = move.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return np.asarray(shapely.transform(arr, to_lonlat), dtype=object)


def _merged_lines(frame: gpd.GeoDataFrame, *, by_name: bool) -> list[tuple[int, str, Any]]:
    """Lines merged per rank (and name): ``(rank, name, merged geometry)``, in the frame's CRS."""
    if not len(frame):
        return []
    geoms = frame.geometry.to_numpy()
    ranks = frame["rank"].to_numpy(int) if "rank" in frame.columns else np.zeros(len(frame), dtype=int)
    names = frame["name"].fillna("").astype(str).to_numpy(object) if by_name else np.full(len(frame), "")
    groups: dict[tuple[int, str], list[int]] = {}
    for i, key in enumerate(zip(ranks.tolist(), names.tolist(), strict=True)):
        groups.setdefault(key, []).append(i)
    out = []
    for key, rows in groups.items():
        parts = shapely.get_parts(geoms[rows])
        parts = parts[shapely.get_type_id(parts) == 1]
        if not len(parts):
            continue
        merged = shapely.line_merge(shapely.multilinestrings(parts))
        if frame.crs is not None and not frame.crs.is_geographic:
            merged = shapely.simplify(merged, SIMPLIFY_M, preserve_topology=True)
        out.append((int(key[0]), str(key[1]), merged))
    return out


def _street_labels(merged: list[tuple[int, str, Any]], crs: Any) -> list[list[Any]]:
    """``[lat, lon, angle_deg, length_m, name]`` at the middle of the longest piece of each named street, longest
    streets first; the angle turns the text along the street (kept between -90 and 90 degrees, never upside
    down)."""
    best: dict[str, tuple[float, Any]] = {}
    for _rank, name, geom in merged:
        if not name:
            continue
        for piece in shapely.get_parts(geom):
            length = float(piece.length)
            if length >= STREET_LABEL_MIN_M and length > best.get(name, (0.0, None))[0]:
                best[name] = (length, piece)
    ranked = sorted(best.items(), key=lambda item: -item[1][0])[:MAX_STREET_LABELS]
    if not ranked:
        return []
    pieces = np.array([piece for _name, (_length, piece) in ranked], dtype=object)
    half = np.array([length / 2 for _name, (length, _piece) in ranked])
    step = np.minimum(15.0, half / 2)
    at = np.column_stack([half - step, half, half + step])
    pts = _lonlat(shapely.line_interpolate_point(np.repeat(pieces, 3), at.ravel()), crs).reshape(-1, 3)
    out = []
    for (name, (length, _piece)), (a, mid, b) in zip(ranked, pts, strict=True):
        dx = (b.x - a.x) * math.cos(math.radians(mid.y))
        dy = b.y - a.y
        angle = -math.degrees(math.atan2(dy, dx))
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        out.append([round(mid.y, 5), round(mid.x, 5), round(angle, 1), round(length), name])
    return out


def _place_labels(places: gpd.GeoDataFrame) -> list[list[Any]]:
    """``[lat, lon, rank, name]`` of each named place, towns first."""
    if not len(places):
        return []
    pts = places.to_crs(4326)
    rows = [
        [round(float(g.y), 5), round(float(g.x), 5), int(r), str(n)]
        for g, r, n in zip(pts.geometry, pts["rank"], pts["name"].fillna(""), strict=True)
        if str(n).strip() and g is not None and not g.is_empty
    ]
    return sorted(rows, key=lambda row: row[2])


def _area_layer(frame: gpd.GeoDataFrame) -> list[list[list[list[int]]]]:
    if not len(frame):
        return []
    geoms = _lonlat(_simplified(frame), frame.crs)
    return [enc for enc in (_areas(g) for g in geoms if g is not None and not g.is_empty) if enc]


def offline_data(basemap: Basemap, *, lang: str = "zh") -> dict[str, Any]:
    """What the page's script draws, as plain JSON-ready values.

    Returns
    -------
    dict
        ``water``, ``green``: lists of areas (each a list of polygons, each a list of encoded rings);
        ``roads``, ``waterways``: ``[rank, min_zoom, [encoded parts]]``, roads merged per rank and name;
        ``rail``: ``[encoded parts]``; ``places``: ``[lat, lon, rank, name]``; ``streets``: ``[lat, lon, angle,
        length_m, name]``; ``attribution``: the credit line (HTML-escaped); ``grid``: :data:`GRID_DEG`.
        Encoded lines are flat integer lists (:func:`_quantised`).
    """
    crs = basemap.crs
    roads = _merged_lines(basemap.roads, by_name=True)
    road_rows = []
    # merged per rank and name, then drawn per rank: the streets of one rank as one multi-line
    for rank in sorted({r for r, _n, _g in roads}, reverse=True):
        geoms = _lonlat([g for r, _n, g in roads if r == rank], crs)
        parts = [enc for g in geoms for enc in _lines(g)]
        if parts:
            road_rows.append([rank, ROAD_MIN_ZOOM.get(rank, 15), parts])
    waterway_rows = []
    for rank, _name, geom in _merged_lines(basemap.waterways, by_name=False):
        parts = [enc for g in _lonlat([geom], crs) for enc in _lines(g)]
        if parts:
            waterway_rows.append([rank, WATERWAY_MIN_ZOOM.get(rank, 13), parts])
    rail = [
        enc
        for _r, _n, g in _merged_lines(basemap.rail, by_name=False)
        for enc in _lines(_lonlat([g], crs)[0])
    ]
    credit = tr("basemap_credit_osm", lang) if basemap.from_osm else tr("basemap_credit_network", lang)
    return {
        "grid": GRID_DEG,
        "water": _area_layer(basemap.water),
        "green": _area_layer(basemap.green),
        "waterways": waterway_rows,
        "rail": rail,
        "roads": road_rows,
        "places": _place_labels(basemap.places),
        "streets": _street_labels(roads, crs),
        "attribution": html_text(credit),
    }


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the two line
    separators JavaScript rejects are written as ``\\u`` escapes, so no text in it can end the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


#: The drawing script; ``__MAP__`` is the map's variable, ``__DATA__`` :func:`offline_data` as :func:`script_json`,
#: ``__STYLE__`` the colours and widths. Names are set as text only (``textContent``).
_SCRIPT = """
(function (map, data, st) {
  var g = data.grid;
  function dec(a) { var out = [], y = 0, x = 0;
    for (var i = 0; i < a.length; i += 2) { y += a[i]; x += a[i + 1]; out.push([y * g, x * g]); } return out; }
  var pane = map.createPane('__PANE__'); pane.style.zIndex = __PANE_Z__; pane.style.pointerEvents = 'none';
  var lpane = map.createPane('__LABEL_PANE__'); lpane.style.zIndex = __LABEL_PANE_Z__;
  lpane.style.pointerEvents = 'none';
  var canvas = L.canvas({pane: '__PANE__', padding: 0.5});
  var items = [];  // [layer, min zoom, width at zoom 15 or 0] in drawing order
  function add(layer, minZoom, width) { items.push([layer, minZoom, width]); }
  var base = {renderer: canvas, interactive: false, pane: '__PANE__'};
  function opts(o) { return Object.assign({}, base, o); }
  data.green.forEach(function (a) { add(L.polygon(a.map(function (p) { return p.map(dec); }),
    opts({stroke: false, fillColor: st.green, fillOpacity: 1})), 0, 0); });
  data.water.forEach(function (a) { add(L.polygon(a.map(function (p) { return p.map(dec); }),
    opts({stroke: false, fillColor: st.water, fillOpacity: 1})), 0, 0); });
  data.waterways.forEach(function (w) { add(L.polyline(w[2].map(dec),
    opts({color: st.water, opacity: 1, weight: 1, lineCap: 'round'})), w[1], w[0] === 0 ? 3 : 1.2); });
  var roads = data.roads.map(function (r) { return [r[0], r[1], r[2].map(dec)]; });
  roads.forEach(function (r) { var s = st.roads[r[0]]; if (s[1]) { add(L.polyline(r[2],
    opts({color: s[1], opacity: 1, weight: 1, lineCap: 'round', lineJoin: 'round'})), r[1], s[3]); } });
  roads.forEach(function (r) { var s = st.roads[r[0]]; add(L.polyline(r[2],
    opts({color: s[0], opacity: 1, weight: 1, lineCap: 'round', lineJoin: 'round'})), r[1], s[2]); });
  if (data.rail.length) {
    add(L.polyline(data.rail.map(dec), opts({color: st.rail, opacity: 0.8, weight: 1, dashArray: '6 4'})), 0, 1.6);
  }
  var labels = [];  // [marker, span, min zoom, angle, length m or 0]
  function label(lat, lon, text, cls, minZoom, angle, length) {
    var span = document.createElement('span');
    span.className = 'ec-bm-label ' + cls; span.textContent = String(text);
    span.style.transform = 'translate(-50%, -50%) rotate(' + angle + 'deg)';
    span.style.visibility = 'hidden';
    var icon = L.divIcon({className: 'ec-bm-anchor', html: span, iconSize: [0, 0]});
    var m = L.marker([lat, lon], {icon: icon, pane: '__LABEL_PANE__', interactive: false, keyboard: false});
    labels.push({m: m, span: span, z: minZoom, a: angle, len: length, w: 0, h: 0});
  }
  data.places.forEach(function (p) { label(p[0], p[1], p[3], 'ec-bm-place' + p[2], st.placeZoom[p[2]], 0, 0); });
  data.streets.forEach(function (s) { label(s[0], s[1], s[4], 'ec-bm-street', st.streetZoom, s[2], s[3]); });
  var labelLayer = L.layerGroup(labels.map(function (l) { return l.m; }));
  var shown = null;
  function draw() {
    var z = map.getZoom(), k = Math.min(2.5, Math.max(0.45, Math.pow(2, (z - 15) / 2)));
    var now = items.map(function (it) { return z >= it[1]; });
    if (shown === null || now.some(function (v, i) { return v !== shown[i]; })) {
      items.forEach(function (it) { if (map.hasLayer(it[0])) { map.removeLayer(it[0]); } });
      items.forEach(function (it, i) { if (now[i]) { it[0].addTo(map); } });  // in order: casings under fills
      shown = now;
    }
    items.forEach(function (it, i) { if (now[i] && it[2]) { it[0].setStyle({weight: it[2] * k}); } });
    placeLabels(z);
  }
  function placeLabels(z) {
    if (!map.hasLayer(labelLayer)) { labelLayer.addTo(map); }
    var cell = 128, grid = {}, taken = [];
    var mpp = function (lat) { return 40075016.686 * Math.cos(lat * Math.PI / 180) / Math.pow(2, z + 8); };
    labels.forEach(function (l) {
      if (!l.w) { l.w = l.span.offsetWidth; l.h = l.span.offsetHeight; }
      var ok = z >= l.z && l.w > 0;
      var ll = l.m.getLatLng();
      if (ok && l.len) { ok = l.len / mpp(ll.lat) >= l.w * 1.1; }  // the street is longer than its name
      if (ok) {
        var p = map.latLngToLayerPoint(ll), r = l.a * Math.PI / 180;
        var hw = (Math.abs(l.w * Math.cos(r)) + Math.abs(l.h * Math.sin(r))) / 2 + 2;
        var hh = (Math.abs(l.w * Math.sin(r)) + Math.abs(l.h * Math.cos(r))) / 2 + 2;
        var box = [p.x - hw, p.y - hh, p.x + hw, p.y + hh], keys = [];
        for (var cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell); cx++) {
          for (var cy = Math.floor(box[1] / cell); cy <= Math.floor(box[3] / cell); cy++) {
            var key = cx + ',' + cy; keys.push(key);
            (grid[key] || []).forEach(function (b) {
              if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) { ok = false; } });
          }
        }
        if (ok) { keys.forEach(function (key) { (grid[key] = grid[key] || []).push(box); }); taken.push(l); }
      }
      l.span.style.visibility = ok ? 'visible' : 'hidden';
    });
  }
  if (map.attributionControl) { map.attributionControl.addAttribution(data.attribution); }
  map.on('zoomend', draw);
  map.whenReady(draw);
})(__MAP__, __DATA__, __STYLE__);
"""

_CSS = """
<style>
#__MAP__ { background: __LAND__; }
.ec-bm-anchor { background: none; border: none; }
.ec-bm-label { position: absolute; left: 0; top: 0; white-space: nowrap; pointer-events: none;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; line-height: 1.15;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
.ec-bm-street { font-size: 11px; color: #6b665e; }
.ec-bm-place0 { font-size: 15px; font-weight: bold; color: #333; }
.ec-bm-place1 { font-size: 13px; font-weight: bold; color: #444; }
.ec-bm-place2 { font-size: 12px; color: #555; }
.ec-bm-place3 { font-size: 11px; color: #666; }
</style>
"""


def _style() -> dict[str, Any]:
    return {
        "green": GREEN,
        "water": WATER,
        "rail": RAIL,
        "roads": {str(rank): list(style) for rank, style in ROAD_STYLE.items()},
        "placeZoom": {str(rank): zoom for rank, zoom in PLACE_MIN_ZOOM.items()},
        "streetZoom": STREET_LABEL_MIN_ZOOM,
    }


class OfflineBasemap(MacroElement):
    """The drawing of one :class:`~geo.basemap.Basemap` on a folium map (add it with ``add_to(fmap)``).

    It renders after the map itself (as a child of the map), writes its script and style as values (never through
    the page's template) and loads nothing."""

    def __init__(self, basemap: Basemap, *, lang: str = "zh") -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.data = offline_data(basemap, lang=lang)

    def script_for(self, name: str) -> str:
        """The drawing script for the map whose variable is ``name``."""
        script = (
            _SCRIPT.replace("__PANE__", PANE)
            .replace("__LABEL_PANE__", LABEL_PANE)
            .replace("__PANE_Z__", str(PANE_Z))
            .replace("__LABEL_PANE_Z__", str(LABEL_PANE_Z))
            .replace("__STYLE__", script_json(_style()))
            .replace("__MAP__", name)
        )
        # the data last: nothing in them is replaced again
        return script.replace("__DATA__", script_json(self.data))

    def style_for(self, name: str) -> str:
        """The style element for the map whose element id is ``name``."""
        return _CSS.replace("__MAP__", name).replace("__LAND__", LAND)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement.render
        root = cast(Any, self.get_root())
        name = cast(Any, self._parent).get_name()
        root.header.add_child(html_element(self.style_for(name)), name=self.get_name() + "_css")
        root.script.add_child(html_element(self.script_for(name)), name=self.get_name())


def add_offline_basemap(fmap: folium.Map, basemap: Basemap, *, lang: str = "zh") -> None:
    """Draw ``basemap`` (any projected CRS) under the data of ``fmap``, offline (see the module's notes)."""
    OfflineBasemap(basemap, lang=lang).add_to(fmap)
