"""The base map: basemap tiles, a study framed on them, and geometry made ready to draw.

Maps are drawn in longitude/latitude. The data are WGS84; a basemap published in GCJ-02 (Amap) gets every layer
shifted onto it with :func:`geo.crs.geometries_from_wgs84` (without the shift the data sit 100–700 m off the
streets). Tianditu is CGCS2000, which agrees with WGS84 to well under a metre, so nothing is shifted there.
By default a study gets the offline basemap drawn from its own OSM file or network (:mod:`planning.maps.offline`,
nothing fetched), synthetic studies too (the demo's streets.osm is its own street data); online tiles are asked
for by name.
"""

from __future__ import annotations

import re
from typing import Any, cast

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.basemap import Basemap
from geo.crs import geometries_from_wgs84
from geo.errors import OptionError
from geo.network import WalkNetwork
from planning.i18n import message, tr
from planning.maps.offline import add_offline_basemap
from planning.maps.safe_html import LeafletMap
from planning.maps.underlay import basemap_for_study, has_basemap
from planning.progress import Progress
from planning.study import Study

#: The basemaps: the study's own OSM data drawn offline, none, and online tiles (OpenStreetMap, Amap, Tianditu).
BASEMAPS: tuple[str, ...] = ("offline", "none", "osm", "amap", "tianditu")
#: The coordinate system each basemap is published in (what the data are shifted to).
BASEMAP_COORDS: dict[str, str] = {
    "offline": "wgs84",
    "none": "wgs84",
    "osm": "wgs84",
    "amap": "gcj02",
    "tianditu": "wgs84",
}
AMAP_TILES = (
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
)
TIANDITU_TILES = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
    "&TILECOL={{x}}&tk={key}"
)
#: Display simplification of polygons and lines, metres (well below what a city-scale map shows).
DISPLAY_TOLERANCE_M = 5.0
#: Zoom step the maps snap to (a quarter level), and the margin kept around the study when it is framed.
ZOOM_SNAP = 0.25
FIT_PADDING_PX = 12

#: The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies (yellow left out: it vanishes
#: on white and on light basemaps).
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000")
#: The one colour of each facility kind, on every map and legend.
KIND_COLOURS: dict[str, str] = {
    "street_centre": "#D55E00",  # vermillion
    "day_care": "#0072B2",  # blue
    "embedded_home": "#CC79A7",  # reddish purple
    "nursing_home": "#000000",  # black
    "meal_point": "#E69F00",  # orange
    "rural_mutual_aid": "#009E73",  # bluish green
    "health_centre": "#56B4E9",  # sky blue
}
#: Colour of a kind the table does not know.
OTHER_KIND_COLOUR = "#777777"


def kind_colour(kind: str) -> str:
    """The map colour of a facility kind (:data:`KIND_COLOURS`, grey for anything else)."""
    return KIND_COLOURS.get(kind, OTHER_KIND_COLOUR)


#: Service-circle fill per band position, innermost (shortest walk) first.
BAND_COLOURS: tuple[str, ...] = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef")


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's ``control_scale`` adds feet and miles)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


#: A north arrow drawn inline (no image to fetch): a half-dark needle under the letter for north.
NORTH_ARROW_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="40" viewBox="0 0 26 40" role="img">'
    '<text x="13" y="11" text-anchor="middle" font-family="sans-serif" font-size="11" font-weight="bold" '
    'fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">{north}</text>'
    '<polygon points="13,14 21,37 13,31" fill="#222" stroke="#fff" stroke-width="1"/>'
    '<polygon points="13,14 5,37 13,31" fill="#fff" stroke="#222" stroke-width="1"/></svg>'
)


class NorthArrow(MacroElement):
    """A small north arrow (inline SVG) in the top-right corner, moved under the layer control once that is added.

    Maps are drawn in Web Mercator with north up, so the arrow points straight up."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () { var map = {{ this._parent.get_name() }};"
        " var Arrow = L.Control.extend({options: {position: 'topright'}, onAdd: function () {"
        " var div = L.DomUtil.create('div', 'eldercircle-north');"
        " div.style.cssText = 'background:rgba(255,255,255,0.8);border-radius:4px;padding:2px 4px;line-height:0';"
        " div.title = {{ this.title | tojson }}; div.innerHTML = {{ this.svg | tojson }}; return div; }});"
        " var arrow = new Arrow().addTo(map);"
        " setTimeout(function () { var box = arrow.getContainer(); box.parentNode.appendChild(box); }, 0); })();"
        "{% endmacro %}"
    )

    def __init__(self, *, lang: str = "zh") -> None:
        super().__init__()
        self._name = "NorthArrow"
        self.title = tr("north_arrow", lang)
        self.svg = NORTH_ARROW_SVG.format(north=tr("north_letter", lang))


class NarrowScreenLegends(MacroElement):
    """On a phone-width page (under 480 px) the legends start folded, so the study is not hidden under them. Decided once
    the page has its size (an embedding frame may have no width yet while the map is drawn)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.addEventListener('load', function () { var w = document.documentElement.clientWidth;"
        " if (w > 0 && w < 480) { document.querySelectorAll("
        "'details.eldercircle-legend, details.eldercircle-scale, details#eldercircle-legend, details#eldercircle-title')"
        ".forEach(function (d) { d.open = false; }); } });"
        "{% endmacro %}"
    )


def _frame(fmap: folium.Map, box: list[list[float]], room: int) -> None:
    """Fit ``box`` (with ``room`` pixels kept free on the left), and again once the page has its final size."""
    pad = [FIT_PADDING_PX, FIT_PADDING_PX]
    # a legend on the left: the study framed beside it (the room shrinks on a narrow screen)
    fit = f"{{padding: {pad}}}"
    if room:
        fit = f"{{paddingTopLeft: [left, {FIT_PADDING_PX}], paddingBottomRight: {pad}}}"
        fmap.fit_bounds(
            box, padding_top_left=[FIT_PADDING_PX + room, FIT_PADDING_PX], padding_bottom_right=pad
        )
    else:
        fmap.fit_bounds(box, padding=pad)
    # an embedding frame often gets its final size after the map was drawn: frame the study again then
    name = fmap.get_name()
    cast(Any, fmap.get_root()).script.add_child(
        folium.Element(
            f"window.addEventListener('load', function () {{"
            f" var frame = function () {{ {name}.invalidateSize();"
            f" var left = {FIT_PADDING_PX} + Math.min({room}, 0.3 * {name}.getContainer().clientWidth);"
            f" {name}.fitBounds({box}, {fit}); }};"
            f" frame(); if (window.ResizeObserver) {{ new ResizeObserver(frame).observe({name}.getContainer()); }} }});"
        )
    )


def check_basemap(basemap: str) -> str:
    """The basemap name, or :class:`OptionError` naming the choices."""
    key = str(basemap).strip().lower()
    if key not in BASEMAPS:
        raise OptionError(message("err_basemap_unknown", basemap=basemap, choices=", ".join(BASEMAPS)))
    return key


def resolve_basemap(study: Study, basemap: str | None = None, *, network: WalkNetwork | None = None) -> str:
    """The basemap to draw: ``basemap`` when given (not ``auto``); else ``offline`` when the study has one (an OSM
    file as its network source, or ``network`` given: :func:`planning.maps.has_basemap`), synthetic or not, and
    ``none`` otherwise."""
    if basemap is None or basemap == "auto":
        return "offline" if has_basemap(study, network=network) else "none"
    return check_basemap(basemap)


def display_frame(
    frame: gpd.GeoDataFrame, *, basemap: str = "none", tolerance_m: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """A copy of ``frame`` ready to draw: simplified by ``tolerance_m`` (projected CRS only), in lon/lat, shifted
    to the basemap's coordinate system (GCJ-02 for Amap)."""
    out = frame.copy()
    if len(out) and out.crs is not None and not out.crs.is_geographic and tolerance_m > 0:
        geoms = out.geometry.to_numpy()
        kinds = shapely.get_type_id(geoms)
        simplify = (kinds != 0) & (kinds != 4)  # points and multipoints stay as they are
        if simplify.any():
            values = geoms.copy()
            values[simplify] = shapely.simplify(geoms[simplify], tolerance_m, preserve_topology=True)
            out = out.set_geometry(gpd.GeoSeries(values, index=out.index, crs=out.crs))
    out = out.to_crs(4326)
    coords = BASEMAP_COORDS[check_basemap(basemap)]
    if coords != "wgs84" and len(out):
        out = out.set_geometry(geometries_from_wgs84(out.geometry, coords=coords))
    return out


def clean_tianditu_key(key: str) -> str:
    """The Tianditu key with anything but letters and digits removed (it goes into tile URLs)."""
    return re.sub(r"[^A-Za-z0-9]", "", str(key or ""))


def base_map(
    study: Study,
    *,
    basemap: str | None = None,
    tianditu_key: str = "",
    lang: str = "zh",
    legend_room_px: int = 0,
    network: WalkNetwork | None = None,
    underlay: Basemap | None = None,
    progress: Progress | None = None,
) -> folium.Map:
    """An empty map framed on the study with the chosen basemap (by default the study's own, drawn offline).

    Parameters
    ----------
    study : the study (its communities frame the map).
    basemap : ``offline``, ``none``, ``osm``, ``amap`` (GCJ-02), ``tianditu`` (needs ``tianditu_key``) or
        None/``auto`` (:func:`resolve_basemap`).
    tianditu_key : the user's Tianditu browser key; without one the Tianditu choice draws no tiles.
    lang : label language.
    legend_room_px : room kept free on the left for a legend (at most 30 % of the map's width), so the study is
        framed beside it rather than under it.
    network : the study's walking network: its streets are the offline basemap of a study without an OSM file.
    underlay : the offline basemap already read (:func:`planning.maps.basemap_for_study`); when None and the
        choice is ``offline`` it is read here (from the disk cache once built).
    progress : where an OSM file that cannot be read is said (the map is then drawn without a basemap).
    """
    choice = resolve_basemap(study, basemap, network=network)
    bounds = display_frame(study.communities[["geometry"]], basemap=choice, tolerance_m=0).total_bounds
    # fractional zoom steps, so the study fills the frame (whole steps halve the scale: a study just too tall for
    # zoom 13 was drawn at zoom 12, a quarter of the frame)
    fmap = LeafletMap(tiles=None, prefer_canvas=True, zoom_snap=ZOOM_SNAP, zoom_delta=0.5)
    MetricScale().add_to(fmap)
    NorthArrow(lang=lang).add_to(fmap)
    NarrowScreenLegends().add_to(fmap)
    if choice == "offline":
        drawn = (
            underlay if underlay is not None else basemap_for_study(study, network=network, progress=progress)
        )
        if drawn is not None:
            add_offline_basemap(fmap, drawn, lang=lang)
    elif choice == "osm":
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap",
            attr='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        ).add_to(fmap)
    elif choice == "amap":
        folium.TileLayer(
            AMAP_TILES,
            name=tr("basemap_amap", lang),
            attr="© 高德地图 AutoNavi",
            subdomains="1234",
            max_zoom=18,
        ).add_to(fmap)
    elif choice == "tianditu" and clean_tianditu_key(tianditu_key):
        key = clean_tianditu_key(tianditu_key)
        folium.TileLayer(
            TIANDITU_TILES.format(s="{s}", layer="vec", key=key),
            name=tr("basemap_tianditu", lang),
            attr="© 天地图 Tianditu",
            subdomains="01234567",
            max_zoom=18,
        ).add_to(fmap)
        folium.TileLayer(
            TIANDITU_TILES.format(s="{s}", layer="cva", key=key),
            name="天地图注记",
            overlay=True,
            control=False,
            attr="© 天地图 Tianditu",
            subdomains="01234567",
            max_zoom=18,
        ).add_to(fmap)
    box = [[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]]
    _frame(fmap, box, max(int(legend_room_px), 0))
    return fmap
