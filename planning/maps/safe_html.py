"""The maps' HTML: folium elements that never evaluate user text as a template, and a map as one HTML document.

folium renders each element through Jinja, and branca's ``Element(text)`` compiles ``text`` as a template: a study's
name such as ``{{7*7}}`` would be evaluated. Every GeoJSON layer, tooltip and marker cluster of the project's maps is
one of the ``Safe*`` classes here (their data are written as values), GeoJSON tooltips are :class:`TextTooltip`
(properties shown as text, never HTML), and free HTML goes through :func:`html_element`.

:func:`map_html` (the app's maps) and :func:`standalone_html` (the public map) write a map as one document with
Leaflet (and Leaflet.markercluster) inlined from the xstatic packages, so that it opens with no CDN in reach.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any, cast

import folium
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

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


#: The template of :func:`html_element`, compiled once (compiling it per element cost a map a tenth of a second).
_MARKUP = "{{ this.markup }}"
_MARKUP_TEMPLATE = folium.Element(_MARKUP)._template


def html_element(markup: str) -> folium.Element:
    """A folium element that writes ``markup`` as it is.

    ``folium.Element(text)`` compiles ``text`` as a Jinja template, so ``{{ ... }}`` inside a study's name would be
    evaluated when the map renders; this element only substitutes ``markup`` as a value. The caller escapes any
    user text in ``markup`` (:func:`planning.export.html_text`).
    """
    element = folium.Element()
    element._template, element._template_str = _MARKUP_TEMPLATE, _MARKUP
    element.markup = markup  # type: ignore[attr-defined]
    return element


class LeafletMap(folium.Map):
    """A folium map that needs Leaflet alone (folium's default jQuery, Bootstrap and icon fonts are not loaded)."""

    # class attributes as folium declares them (a ClassVar would clash with folium's instance attribute)
    default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]  # noqa: RUF012
    default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]  # noqa: RUF012


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


def _inline_js(path: Path) -> str:
    """The script without its source-map comment, and with no closing ``</script`` inside it."""
    code = re.sub(r"//# sourceMappingURL=\S+\s*$", "", path.read_text(encoding="utf-8"))
    return code.replace("</script", "<\\/script")


def _inline_css(path: Path) -> str:
    """The stylesheet with its relative images inlined as data URIs (the layer-control icons)."""

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
        return "<script>" + _inline_js(path) + "</script>"

    def style(match: re.Match) -> str:
        path = _asset(match.group(1).rsplit("/", 1)[-1])
        if path is None or path.suffix != ".css":
            return match.group(0)
        return f"<style>{_inline_css(path)}</style>"

    page = re.sub(r'<script src="([^"]+)"></script>', script, page)
    return re.sub(r'<link rel="stylesheet" href="([^"]+)"\s*/?>', style, page)


def leaflet_assets() -> tuple[str, str] | None:
    """Leaflet's JS and CSS (images inlined) from the xstatic-leaflet package, or None when it is missing."""
    js, css = _asset("leaflet.js"), _asset("leaflet.css")
    if js is None or css is None:
        return None
    return _inline_js(js), _inline_css(css)


def standalone_html(fmap: folium.Map) -> str:
    """Render a folium map as one HTML file that opens offline: Leaflet inlined, no other CDN asset.

    Only maps built from Leaflet core (GeoJson, CircleMarker, tooltips, popups, LayerControl, tiles) work this way:
    folium's jQuery/Bootstrap/Font Awesome (``folium.Icon`` markers, some plugins) are not loaded. When the
    ``xstatic-leaflet`` package is missing, Leaflet stays a CDN link (the file then needs a network connection).
    """
    assets = leaflet_assets()
    if assets is None:
        fmap.default_js = [js for js in fmap.default_js if js[0] == "leaflet"]
        fmap.default_css = [css for css in fmap.default_css if css[0] == "leaflet_css"]
    else:
        js, css = assets
        fmap.default_js = []
        fmap.default_css = []
        cast(Any, fmap.get_root()).header.add_child(
            html_element(f"<style>{css}</style>\n<script>{js}</script>"), name="leaflet_inline", index=0
        )
    return fmap.get_root().render()
