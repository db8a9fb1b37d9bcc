"""Folium maps of a study: the same builders serve the app and the standalone HTML exports.

Maps are drawn in longitude/latitude. The data are WGS84; a basemap published in GCJ-02 (Amap) gets every layer
shifted onto it with :func:`geo.crs.geometries_from_wgs84` (without the shift the data sit 100–700 m off the
streets). Tianditu is CGCS2000, which agrees with WGS84 to well under a metre, so nothing is shifted there.
A synthetic study gets no basemap by default (its streets are invented).

Geometries are simplified for display (a few metres, in the study's projected CRS) and markers are clustered when a
layer holds thousands, so the maps stay responsive.

The maps use Leaflet core and Leaflet.markercluster only (no icon fonts, jQuery, Bootstrap or d3), and
:func:`map_html` inlines both (from the xstatic packages) so a map works with no CDN in reach; only basemap tiles
come from outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, cast

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from geo.crs import geometries_from_wgs84
from geo.errors import OptionError
from planning.export import html_text, redact_text
from planning.i18n import kind_label, tr
from planning.schema import FACILITY_KINDS
from planning.study import Study

#: Basemaps offered: no tiles, OpenStreetMap, Amap (GCJ-02), Tianditu (CGCS2000, needs a key).
BASEMAPS: tuple[str, ...] = ("none", "osm", "amap", "tianditu")
#: The coordinate system each basemap is published in (what the data are shifted to).
BASEMAP_COORDS: dict[str, str] = {"none": "wgs84", "osm": "wgs84", "amap": "gcj02", "tianditu": "wgs84"}
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
#: Facility layers with at least this many points are drawn as clustered markers.
CLUSTER_MIN_MARKERS = 300
#: Zoom step the maps snap to (a quarter level), and the margin kept around the study when it is framed.
ZOOM_SNAP = 0.25
FIT_PADDING_PX = 12

#: The body of a tooltip built with the DOM: names, aliases and values are set as text (``textContent``), never
#: parsed as HTML, so a name such as ``<img src=x onerror=...>`` is shown as written and runs nothing. folium's own
#: GeoJsonTooltip joins them into an HTML string and sets ``innerHTML``.
_TEXT_TOOLTIP_JS = """
    function(layer){
    let div = L.DomUtil.create('div');
    let fields = {{ this.fields | tojson | safe }};
    let aliases = {{ this.aliases | tojson | safe }};
    let table = document.createElement('table');
    fields.forEach(function (field, i) {
        let value = layer.feature.properties[field];
        if (value === null || value === undefined) { value = ''; }
        else if (typeof value === 'object') { value = JSON.stringify(value); }
        {% if this.localize %}else { value = value.toLocaleString(); }{% endif %}
        let row = document.createElement('tr');
        {% if this.labels %}
        let head = document.createElement('th');
        head.textContent = String(aliases[i]);
        row.appendChild(head);
        {% endif %}
        let cell = document.createElement('td');
        cell.textContent = String(value);
        row.appendChild(cell);
        table.appendChild(row);
    });
    div.appendChild(table);
    return div
    }
    """


class _RenderedAsValues(MacroElement):
    """A folium element whose rendered output is written as it is.

    branca's ``MacroElement.render`` wraps each part it renders (the element's script, with the GeoJSON data,
    tooltip texts and names in it) in ``Element(text)``, which compiles ``text`` as a Jinja template once more:
    a name such as ``{{7*7}}`` became ``49`` in the map, ``{% ... %}`` broke the rendering, and a template
    expression could reach Python objects on the server. The elements below render the same parts as values.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement.render
        figure = self.get_root()
        parts = (("header", figure.header), ("html", figure.html), ("script", figure.script))  # type: ignore[attr-defined]
        for part, target in parts:
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(html_element(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class SafeGeoJson(folium.GeoJson, _RenderedAsValues):
    """folium.GeoJson (same arguments) whose data are written as data, never evaluated as a template. Every GeoJSON
    layer of the project's maps is one of these."""


class SafeTooltip(folium.Tooltip, _RenderedAsValues):
    """folium.Tooltip (same arguments) written as a value; its text is HTML (Leaflet sets it as such): escape any
    user text in it with :func:`planning.export.html_text`."""


class SafeFastMarkerCluster(FastMarkerCluster, _RenderedAsValues):
    """FastMarkerCluster (same arguments) whose data are written as data, never evaluated as a template."""


class TextTooltip(folium.GeoJsonTooltip, _RenderedAsValues):
    """folium's GeoJsonTooltip (same arguments) that shows every property as text, never as HTML.

    Every tooltip of a GeoJSON layer in the project's maps (the app's and the public map) is one of these, so that
    hostile names, streets and notes in a study are inert wherever they are shown.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}\n    {{ this._parent.get_name() }}.bindTooltip("
        + _TEXT_TOOLTIP_JS
        + ",{{ this.tooltip_options | tojavascript }});\n{% endmacro %}\n"
    )


def html_element(markup: str) -> folium.Element:
    """A folium element that writes ``markup`` as it is.

    ``folium.Element(text)`` compiles ``text`` as a Jinja template, so ``{{ ... }}`` inside a study's name would be
    evaluated when the map renders; this element only substitutes ``markup`` as a value. The caller escapes any
    user text in ``markup`` (:func:`planning.export.html_text`).
    """
    element = folium.Element("{{ this.markup }}")
    element.markup = markup  # type: ignore[attr-defined]
    return element


class LeafletMap(folium.Map):
    """A folium map that needs Leaflet alone (folium's default jQuery, Bootstrap and icon fonts are not loaded)."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    ]
    default_css: ClassVar[list[tuple[str, str]]] = [
        ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
    ]


def _asset_dirs() -> list[Path]:
    """Folders of the Leaflet and Leaflet.markercluster files of the xstatic-leaflet(-markercluster) packages."""
    dirs = []
    for module in ("leaflet", "leaflet_markercluster"):
        try:
            pkg = __import__(f"xstatic.pkg.{module}", fromlist=["BASE_DIR"])
        except ImportError:
            continue
        dirs.append(Path(pkg.BASE_DIR))
    return dirs


def _asset(name: str) -> Path | None:
    for folder in _asset_dirs():
        if (folder / name).is_file():
            return folder / name
    return None


def _inline_css(path: Path) -> str:
    """The stylesheet with its relative images inlined as data URIs (the layer-control icons)."""
    import base64

    def data_uri(match: re.Match) -> str:
        image = path.parent / match.group(1)
        if not image.is_file():
            return match.group(0)
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii") + ")"

    return re.sub(r"url\((images/[^)]+\.png)\)", data_uri, path.read_text(encoding="utf-8"))


def map_html(fmap: folium.Map, *, inline_assets: bool = True) -> str:
    """The map as one HTML document.

    With ``inline_assets`` Leaflet and the marker-cluster plugin are inlined from the xstatic-leaflet and
    xstatic-leaflet-markercluster packages instead of loaded from a CDN, so the document needs no network but for
    basemap tiles (offline machines, CI, networks where foreign CDNs are slow or blocked). A file a package does not
    provide stays a CDN link.
    """
    page = fmap.get_root().render()
    if not inline_assets:
        return page

    def script(match: re.Match) -> str:
        path = _asset(match.group(1).rsplit("/", 1)[-1])
        if path is None or path.suffix != ".js":
            return match.group(0)
        code = re.sub(r"//# sourceMappingURL=\S+\s*$", "", path.read_text(encoding="utf-8"))
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        path = _asset(match.group(1).rsplit("/", 1)[-1])
        if path is None or path.suffix != ".css":
            return match.group(0)
        return f"<style>{_inline_css(path)}</style>"

    page = re.sub(r'<script src="([^"]+)"></script>', script, page)
    return re.sub(r'<link rel="stylesheet" href="([^"]+)"\s*/?>', style, page)


#: One colour per facility kind (folium.Icon colour names and hex for legends).
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "street_centre": ("darkred", "#a23336"),
    "day_care": ("blue", "#38aadd"),
    "embedded_home": ("purple", "#d252b9"),
    "nursing_home": ("darkpurple", "#5b396b"),
    "meal_point": ("orange", "#f69730"),
    "rural_mutual_aid": ("green", "#72b026"),
    "health_centre": ("red", "#d63e2a"),
}
#: Service-circle fill per band position, innermost (shortest walk) first.
BAND_COLOURS: tuple[str, ...] = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef")


def check_basemap(basemap: str) -> str:
    """The basemap name, or :class:`OptionError` naming the choices."""
    key = str(basemap).strip().lower()
    if key not in BASEMAPS:
        raise OptionError(f"basemap {basemap!r} is not one of {', '.join(BASEMAPS)}")
    return key


def resolve_basemap(study: Study, basemap: str | None = None) -> str:
    """The basemap to draw: ``basemap`` when given (not ``auto``), else none for synthetic studies and osm."""
    if basemap is None or basemap == "auto":
        return "none" if study.synthetic else "osm"
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
    study: Study, *, basemap: str | None = None, tianditu_key: str = "", lang: str = "zh"
) -> folium.Map:
    """An empty map framed on the study with the chosen tiles (none for a synthetic study unless asked).

    Parameters
    ----------
    study : the study (its communities frame the map).
    basemap : ``none``, ``osm``, ``amap`` (GCJ-02), ``tianditu`` (needs ``tianditu_key``) or None/``auto``.
    tianditu_key : the user's Tianditu browser key; without one the Tianditu choice draws no tiles.
    lang : label language.
    """
    choice = resolve_basemap(study, basemap)
    bounds = display_frame(study.communities[["geometry"]], basemap=choice, tolerance_m=0).total_bounds
    # fractional zoom steps, so the study fills the frame (whole steps halve the scale: a study just too tall for
    # zoom 13 was drawn at zoom 12, a quarter of the frame)
    fmap = LeafletMap(tiles=None, control_scale=True, prefer_canvas=True, zoom_snap=ZOOM_SNAP, zoom_delta=0.5)
    if choice == "osm":
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
    pad = [FIT_PADDING_PX, FIT_PADDING_PX]
    fmap.fit_bounds(box, padding=pad)
    # an embedding frame often gets its final size after the map was drawn: frame the study again then
    name = fmap.get_name()
    cast(Any, fmap.get_root()).script.add_child(
        folium.Element(
            f"window.addEventListener('load', function () {{"
            f" var frame = function () {{ {name}.invalidateSize(); {name}.fitBounds({box}, {{padding: {pad}}}); }};"
            f" frame(); if (window.ResizeObserver) {{ new ResizeObserver(frame).observe({name}.getContainer()); }} }});"
        )
    )
    return fmap


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns JSON can carry: NaN becomes an empty string in text columns and None elsewhere; ID-card and phone
    numbers inside text are replaced (:func:`planning.export.redact_text`). Tooltips show the text as text
    (:class:`TextTooltip`)."""
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype(object).where(pd.notna(out[col]), "").astype(str)
            out[col] = text.map(redact_text).astype(object)
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype(object).where(np.isfinite(out[col].to_numpy(float)), None)
    return out


def _density_layer(study: Study, fmap: folium.Map, *, lang: str, basemap: str, show: bool = True) -> None:
    comm = study.communities[["name", "street", "population", "elderly", "geometry"]].copy()
    area_ha = comm.geometry.area.to_numpy() / 10_000.0
    comm["density"] = np.round(comm["elderly"].to_numpy(float) / np.maximum(area_ha, 1e-9), 1)
    data = _clean(display_frame(comm, basemap=basemap))
    finite = comm["density"].to_numpy(float)
    finite = finite[np.isfinite(finite)]
    vmax = float(np.percentile(finite, 95)) if finite.size else 1.0
    cmap = cm.LinearColormap(
        ["#fff5eb", "#fd8d3c", "#7f2704"], vmin=0.0, vmax=max(vmax, 1.0), caption=tr("elder_density", lang)
    )

    def style(feature: dict) -> dict:
        d = feature["properties"]["density"]
        return {
            "fillColor": "#cccccc" if d is None else cmap(min(d, cmap.vmax)),
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.6,
        }

    SafeGeoJson(
        data.__geo_interface__,
        name=tr("elder_density", lang),
        show=show,
        style_function=style,
        tooltip=TextTooltip(
            fields=["name", "street", "population", "elderly", "density"],
            aliases=[
                tr("community", lang),
                tr("street", lang),
                tr("population", lang),
                tr("elderly", lang),
                tr("elder_density", lang),
            ],
        ),
    ).add_to(fmap)
    add_gradient_legend(fmap, cmap, tr("elder_density", lang))


def _outline_layer(study: Study, fmap: folium.Map, *, lang: str, basemap: str) -> None:
    comm = _clean(display_frame(study.communities[["name", "street", "geometry"]], basemap=basemap))
    SafeGeoJson(
        comm.__geo_interface__,
        name=tr("communities", lang),
        style_function=lambda f: {"fill": False, "color": "#777", "weight": 1},
        tooltip=TextTooltip(fields=["name", "street"], aliases=[tr("community", lang), tr("street", lang)]),
    ).add_to(fmap)


def overview_map(
    study: Study,
    *,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    show_points: bool = True,
) -> folium.Map:
    """Communities shaded by elderly density, the elder-density points, and facilities by kind with a legend."""
    choice = resolve_basemap(study, basemap)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang)
    _density_layer(study, fmap, lang=lang, basemap=choice)
    if show_points and study.population is not None and len(study.population):
        pts = display_frame(study.population[["elderly", "geometry"]], basemap=choice)
        w = np.clip(np.nan_to_num(pts["elderly"].to_numpy(float)), 0, None)
        emax = float(w.max()) if w.size and w.max() > 0 else 1.0
        radius = np.round(1.5 + 4.0 * np.sqrt(w / emax), 1)
        group = folium.FeatureGroup(name=tr("elder_points", lang), show=False)
        SafeGeoJson(
            _point_collection(
                pts.geometry.x.to_numpy(),
                pts.geometry.y.to_numpy(),
                {"elderly": np.round(w, 1).tolist(), "r": radius.tolist()},
            ),
            marker=folium.CircleMarker(radius=2, weight=0, fill=True, fill_color="#7f2704", fill_opacity=0.5),
            style_function=lambda f: {"radius": f["properties"]["r"]},
            tooltip=TextTooltip(fields=["elderly"], aliases=[tr("elderly", lang)]),
        ).add_to(group)
        group.add_to(fmap)
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice)
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(
        fmap, lang=lang, kinds=tuple(k for k in FACILITY_KINDS if (study.facilities["kind"] == k).any())
    )
    return fmap


def _point_collection(xs: np.ndarray, ys: np.ndarray, props: dict[str, Any]) -> dict:
    """A GeoJSON FeatureCollection of points built directly (much faster than GeoDataFrame.__geo_interface__)."""
    keys = list(props)
    columns = [list(props[k]) for k in keys]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(float(x), 7), round(float(y), 7)]},
                "properties": {k: col[i] for k, col in zip(keys, columns, strict=False)},
            }
            for i, (x, y) in enumerate(zip(xs, ys, strict=False))
        ],
    }


def _fmt(values: np.ndarray) -> list[str]:
    return [f"{v:,.0f}" if np.isfinite(v) else "—" for v in values]


def add_facilities(
    fmap: folium.Map,
    facilities: gpd.GeoDataFrame,
    *,
    lang: str = "zh",
    basemap: str = "none",
    kinds: Iterable[str] | None = None,
    cluster_min: int = CLUSTER_MIN_MARKERS,
) -> None:
    """Facilities as one layer per kind: coloured icons with a tooltip of public attributes (name, kind, floor
    area, beds), or clustered markers when a kind has ``cluster_min`` or more points."""
    fac = display_frame(facilities, basemap=basemap)
    wanted = tuple(FACILITY_KINDS) if kinds is None else tuple(kinds)
    for kind in wanted:
        sub = fac[fac["kind"] == kind]
        if sub.empty:
            continue
        _, hexc = KIND_COLOURS[kind]
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(sub)})")
        names = [redact_text(str(n)) for n in sub["name"].to_numpy(object)]
        floor = _fmt(
            sub["floor_area_m2"].to_numpy(float) if "floor_area_m2" in sub else np.full(len(sub), np.nan)
        )
        beds = _fmt(sub["beds"].to_numpy(float) if "beds" in sub else np.full(len(sub), np.nan))
        xs, ys = sub.geometry.x.to_numpy(), sub.geometry.y.to_numpy()
        label = kind_label(kind, lang)
        if len(sub) >= cluster_min:  # Leaflet sets a tooltip string as HTML: every text escaped
            tips = [
                f"<b>{html_text(n)}</b><br>{html_text(label)}<br>{html_text(tr('floor_area_m2', lang))}: {f}"
                f"<br>{html_text(tr('beds', lang))}: {b}"
                for n, f, b in zip(names, floor, beds, strict=False)
            ]
            callback = (
                "function (row) { var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 6, "
                f"color: '{hexc}', fillColor: '{hexc}', fillOpacity: 0.8, weight: 1}});"
                " m.bindTooltip(row[2]); return m; }"
            )
            SafeFastMarkerCluster(
                [[round(float(y), 7), round(float(x), 7), t] for x, y, t in zip(xs, ys, tips, strict=False)],
                callback=callback,
            ).add_to(group)
        else:
            data = _point_collection(
                xs, ys, {"name": names, "kind": [label] * len(sub), "floor": floor, "beds": beds}
            )
            SafeGeoJson(
                data,
                marker=folium.CircleMarker(
                    radius=7, color="#ffffff", weight=1.5, fill=True, fill_color=hexc, fill_opacity=0.95
                ),
                tooltip=TextTooltip(
                    fields=["name", "kind", "floor", "beds"],
                    aliases=[tr("name", lang), tr("kind", lang), tr("floor_area_m2", lang), tr("beds", lang)],
                ),
            ).add_to(group)
        group.add_to(fmap)


def _legend_box(title: str, rows: list[tuple[str, str, str]]) -> folium.Element:
    """A fixed legend: rows of (shape ``dot``/``square``, colour, label)."""
    items = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;'
        f"border-radius:{6 if shape == 'dot' else 2}px;background:{colour};margin-right:6px;"
        f'vertical-align:middle"></span>{html_text(label)}</div>'
        for shape, colour, label in rows
    )
    return html_element(
        '<div class="eldercircle-legend" style="position:fixed;bottom:56px;left:12px;z-index:9999;background:white;'
        "padding:8px 10px;border:1px solid #999;border-radius:4px;font-size:12px;max-width:260px;"
        'font-family:sans-serif">'
        f"<b>{html_text(title)}</b>{items}</div>"
    )


def add_gradient_legend(fmap: folium.Map, cmap: cm.LinearColormap, title: str) -> None:
    """A colour scale (bottom right) drawn in plain HTML (branca's own legend needs d3 from a CDN)."""
    stops = ", ".join(cmap.rgb_hex_str(cmap.vmin + (cmap.vmax - cmap.vmin) * i / 8) for i in range(9))
    box = (
        '<div class="eldercircle-scale" style="position:fixed;bottom:24px;right:12px;z-index:9999;'
        "background:white;padding:6px 10px;border:1px solid #999;border-radius:4px;font-size:12px;"
        f'font-family:sans-serif;width:220px"><b>{html_text(title)}</b>'
        f'<div style="height:10px;margin:4px 0;background:linear-gradient(to right, {stops})"></div>'
        f'<div style="display:flex;justify-content:space-between"><span>{cmap.vmin:,.0f}</span>'
        f"<span>{cmap.vmax:,.0f}+</span></div></div>"
    )
    cast(Any, fmap.get_root()).html.add_child(html_element(box))


def add_legend(
    fmap: folium.Map,
    *,
    lang: str = "zh",
    kinds: Iterable[str] | None = None,
    extra: Iterable[tuple[str, str, str]] = (),
) -> None:
    """A fixed legend of facility kinds (all, or ``kinds``), with ``extra`` rows (shape, colour, label) after."""
    wanted = tuple(KIND_COLOURS) if kinds is None else tuple(kinds)
    rows = [("dot", KIND_COLOURS[k][1], kind_label(k, lang)) for k in wanted] + list(extra)
    cast(Any, fmap.get_root()).html.add_child(_legend_box(tr("legend", lang), rows))


def coverage_map(
    study: Study,
    circles: gpd.GeoDataFrame,
    *,
    kind: str,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    uncovered: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Service circles of one facility kind by band, the elderly left outside them, and the facilities.

    Parameters
    ----------
    study : the study.
    circles : from :func:`planning.coverage.service_circle_layer` (``kind``, ``band_min``, geometry; any CRS).
    kind : the facility kind drawn.
    uncovered : from :func:`planning.coverage.uncovered_density` (``elderly_uncovered``, ``per_ha``), or None.
    """
    choice = resolve_basemap(study, basemap)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang)
    _outline_layer(study, fmap, lang=lang, basemap=choice)
    sub = circles[circles["kind"] == kind].sort_values("band_min", ascending=False)
    bands = sorted(int(b) for b in sub["band_min"].unique())
    colour = {b: BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)] for i, b in enumerate(bands)}
    legend: list[tuple[str, str, str]] = []
    if len(sub):
        shown = display_frame(sub[["band_min", "geometry"]], basemap=choice)
        for band, geom in zip(shown["band_min"].to_numpy(), shown.geometry.to_numpy(), strict=False):
            label = tr("band_label", lang).format(m=int(band))
            SafeGeoJson(
                shapely.to_geojson(geom),
                name=f"{kind_label(kind, lang)} · {label}",
                style_function=lambda f, c=colour[int(band)]: {
                    "fillColor": c,
                    "color": c,
                    "weight": 1,
                    "fillOpacity": 0.35,
                },
                tooltip=SafeTooltip(f"{html_text(kind_label(kind, lang))} · {html_text(label)}"),
            ).add_to(fmap)
        legend = [("square", colour[b], tr("band_label", lang).format(m=b)) for b in bands]
    if uncovered is not None and len(uncovered):
        cells = display_frame(
            uncovered[["elderly_uncovered", "per_ha", "geometry"]], basemap=choice, tolerance_m=0
        )
        cells["per_ha"] = cells["per_ha"].round(1)
        vmax = float(np.percentile(cells["per_ha"], 95)) or 1.0
        ucmap = cm.LinearColormap(
            ["#fee0d2", "#de2d26"], vmin=0.0, vmax=max(vmax, 1.0), caption=tr("uncovered_density", lang)
        )
        SafeGeoJson(
            _clean(cells).__geo_interface__,
            name=tr("uncovered_elderly", lang),
            style_function=lambda f: {
                "fillColor": ucmap(min(f["properties"]["per_ha"] or 0, ucmap.vmax)),
                "color": "#de2d26",
                "weight": 0,
                "fillOpacity": 0.6,
            },
            tooltip=TextTooltip(
                fields=["elderly_uncovered", "per_ha"],
                aliases=[tr("uncovered_elderly", lang), tr("uncovered_density", lang)],
            ),
        ).add_to(fmap)
        add_gradient_legend(fmap, ucmap, tr("uncovered_density", lang))
        legend.append(("square", "#de2d26", tr("uncovered_elderly", lang)))
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice, kinds=(kind,))
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(fmap, lang=lang, kinds=(kind,), extra=legend)
    return fmap


def failing_units(study: Study, rows: pd.DataFrame, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """Streets and communities with failed checks, as polygons (study CRS).

    Returns one row per failing unit: ``level`` (``street`` or ``community``), ``name``, ``street``, ``fails``
    (number of failed rules) and ``rules`` (their titles); streets are their communities merged.
    """
    comm = study.communities
    title = "title_zh" if lang != "en" else "title_en"
    failed = rows[rows["verdict"] == "fail"]
    out = []
    street_rows = failed[failed["level"] == "street"]
    if len(street_rows):
        streets = comm[["street", "geometry"]].dropna(subset=["street"]).dissolve(by="street").reset_index()
        agg = street_rows.groupby("unit_name")[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
        n = street_rows.groupby("unit_name").size()
        hit = streets[streets["street"].isin(agg.index)]
        out.append(
            gpd.GeoDataFrame(
                {
                    "level": "street",
                    "name": hit["street"].to_numpy(object),
                    "street": hit["street"].to_numpy(object),
                    "fails": n.reindex(hit["street"]).to_numpy(int),
                    "rules": agg.reindex(hit["street"]).to_numpy(object),
                },
                geometry=hit.geometry.to_numpy(),
                crs=comm.crs,
            )
        )
    comm_rows = failed[failed["level"].isin(["community", "village"])]
    if len(comm_rows):
        key_rows = comm_rows["unit_name"].astype(str) + "|" + comm_rows["street"].fillna("").astype(str)
        key_comm = comm["name"].astype(str) + "|" + comm["street"].fillna("").astype(str)
        grouped = comm_rows.assign(_k=key_rows.to_numpy()).groupby("_k")
        agg = grouped[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
        n = grouped.size()
        mask = key_comm.isin(agg.index).to_numpy()
        if not mask.any():  # rows without a street: match on the name alone
            key_rows = comm_rows["unit_name"].astype(str)
            key_comm = comm["name"].astype(str)
            grouped = comm_rows.assign(_k=key_rows.to_numpy()).groupby("_k")
            agg = grouped[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
            n = grouped.size()
            mask = key_comm.isin(agg.index).to_numpy()
        hit = comm[mask]
        keys = key_comm[mask]
        out.append(
            gpd.GeoDataFrame(
                {
                    "level": "community",
                    "name": hit["name"].to_numpy(object),
                    "street": hit["street"].to_numpy(object),
                    "fails": n.reindex(keys).to_numpy(int),
                    "rules": agg.reindex(keys).to_numpy(object),
                },
                geometry=hit.geometry.to_numpy(),
                crs=comm.crs,
            )
        )
    if not out:
        return gpd.GeoDataFrame(
            {"level": [], "name": [], "street": [], "fails": [], "rules": []}, geometry=[], crs=comm.crs
        )
    return gpd.GeoDataFrame(pd.concat(out, ignore_index=True), geometry="geometry", crs=comm.crs)


def standards_map(
    study: Study, rows: pd.DataFrame, *, lang: str = "zh", basemap: str | None = None, tianditu_key: str = ""
) -> folium.Map:
    """Streets (thick red outline) and communities (red fill) failing the checks in ``rows``
    (:attr:`planning.standards.CheckResult.rows`, possibly filtered to some rules)."""
    choice = resolve_basemap(study, basemap)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang)
    _outline_layer(study, fmap, lang=lang, basemap=choice)
    units = failing_units(study, rows, lang=lang)
    fields = ["name", "street", "fails", "rules"]
    aliases = [tr("unit", lang), tr("street", lang), tr("failed_rules_n", lang), tr("failed_rules", lang)]
    comm = units[units["level"] == "community"]
    if len(comm):
        SafeGeoJson(
            _clean(display_frame(comm, basemap=choice)).__geo_interface__,
            name=tr("failing_communities", lang),
            style_function=lambda f: {
                "fillColor": "#e34a33",
                "color": "#b30000",
                "weight": 1,
                "fillOpacity": 0.45,
            },
            tooltip=TextTooltip(fields=fields, aliases=aliases),
        ).add_to(fmap)
    streets = units[units["level"] == "street"]
    if len(streets):
        SafeGeoJson(
            _clean(display_frame(streets, basemap=choice)).__geo_interface__,
            name=tr("failing_streets", lang),
            style_function=lambda f: {
                "fill": True,
                "fillOpacity": 0.05,
                "fillColor": "#b30000",
                "color": "#b30000",
                "weight": 4,
                "dashArray": "6 4",
            },
            tooltip=TextTooltip(fields=fields, aliases=aliases),
        ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    cast(Any, fmap.get_root()).html.add_child(
        _legend_box(
            tr("legend", lang),
            [
                ("square", "#e34a33", tr("failing_communities", lang)),
                ("square", "#b30000", tr("failing_streets", lang) + " (- - -)"),
            ],
        )
    )
    return fmap


def siting_map(
    study: Study, result: Any, *, lang: str = "zh", basemap: str | None = None, tianditu_key: str = ""
) -> folium.Map:
    """Recommended sites numbered in entry order with their gains, the other candidates, the existing facilities
    of the kind, and communities shaded by the share of their elderly covered after the new sites.

    ``result`` is a :class:`planning.siting.SitingResult`.
    """
    choice = resolve_basemap(study, basemap)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang)
    comm = study.communities[["name", "street", "geometry"]].copy()
    per = result.communities.reset_index(drop=True)
    if len(per) == len(comm):
        comm["share_before"] = np.round(per["share_before"].to_numpy(float) * 100, 1)
        comm["share_after"] = np.round(per["share_after"].to_numpy(float) * 100, 1)
        comm["gain"] = np.round(per["gain"].to_numpy(float), 0)
    else:
        comm["share_before"] = comm["share_after"] = comm["gain"] = np.nan
    scale = cm.LinearColormap(
        ["#f7fcf5", "#74c476", "#00441b"], vmin=0, vmax=100, caption=tr("share_after", lang)
    )
    SafeGeoJson(
        _clean(display_frame(comm, basemap=choice)).__geo_interface__,
        name=tr("share_after", lang),
        style_function=lambda f: {
            "fillColor": "#cccccc"
            if f["properties"]["share_after"] is None
            else scale(f["properties"]["share_after"]),
            "color": "#666",
            "weight": 1,
            "fillOpacity": 0.5,
        },
        tooltip=TextTooltip(
            fields=["name", "street", "share_before", "share_after", "gain"],
            aliases=[
                tr("community", lang),
                tr("street", lang),
                tr("share_before_pct", lang),
                tr("share_after_pct", lang),
                tr("gain_elderly", lang),
            ],
        ),
    ).add_to(fmap)
    add_gradient_legend(fmap, scale, tr("share_after_pct", lang))
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice, kinds=(result.kind,))
    cands = result.candidates
    others = cands[~cands["chosen"].to_numpy(bool)] if len(cands) else cands
    if len(others):
        group = folium.FeatureGroup(name=f"{tr('candidates', lang)} ({len(others)})")
        shown = display_frame(others[["name", "reach_elderly", "geometry"]], basemap=choice)
        for name, reach, x, y in zip(
            shown["name"].to_numpy(object),
            shown["reach_elderly"].to_numpy(float),
            shown.geometry.x.to_numpy(),
            shown.geometry.y.to_numpy(),
            strict=False,
        ):
            tip = (
                f"{html_text(redact_text(str(name)))}<br>{html_text(tr('reach_elderly', lang))}: {reach:,.0f}"
            )
            folium.CircleMarker(
                [float(y), float(x)],
                radius=5,
                color="#555",
                weight=1,
                fill=True,
                fill_color="#bbbbbb",
                fill_opacity=0.8,
                tooltip=SafeTooltip(tip),
            ).add_to(group)
        group.add_to(fmap)
    sites = result.sites
    if len(sites):
        group = folium.FeatureGroup(name=f"{tr('recommended_sites', lang)} ({len(sites)})")
        shown = display_frame(
            sites[["order", "name", "gain_elderly", "cumulative_elderly", "geometry"]], basemap=choice
        )
        for order, name, gain, cum, x, y in zip(
            shown["order"].to_numpy(),
            shown["name"].to_numpy(object),
            shown["gain_elderly"].to_numpy(float),
            shown["cumulative_elderly"].to_numpy(float),
            shown.geometry.x.to_numpy(),
            shown.geometry.y.to_numpy(),
            strict=False,
        ):
            tip = (
                f"<b>#{int(order)} {html_text(redact_text(str(name)))}</b><br>{html_text(tr('gain_elderly', lang))}: "
                f"+{gain:,.0f}<br>{html_text(tr('cumulative_elderly', lang))}: {cum:,.0f}"
            )
            icon = folium.DivIcon(
                html=(
                    f'<div style="background:#e6550d;color:white;border:2px solid white;border-radius:14px;'
                    f"width:28px;height:28px;line-height:24px;text-align:center;font-weight:bold;font-size:14px;"
                    f'box-shadow:0 0 3px #333">{int(order)}</div>'
                ),
                icon_size=(28, 28),
                icon_anchor=(14, 14),
            )
            folium.Marker([float(y), float(x)], tooltip=SafeTooltip(tip), icon=icon).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(
        fmap,
        lang=lang,
        kinds=(result.kind,),
        extra=[("dot", "#e6550d", tr("recommended_sites", lang)), ("dot", "#bbbbbb", tr("candidates", lang))],
    )
    return fmap
